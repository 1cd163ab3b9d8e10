#include "ledger/pkh/node.h"

#include "ledger/pkh/index_keys.h"

#include <fmt/format.h>

namespace jejak {

Result<Governance> LoadNodeGovernance(NodeFolder& folder) {
  NoteVerifierKey anchor;
  ASSIGN_OR_RETURN(anchor, folder.RequireGovernance());
  auto log = FindLog(folder.store(), anchor.name);
  if (!log.ok()) {
    if (log.status().code() == StatusCode::kNotFound) return Governance(anchor.name, anchor.key);
    return log.status();
  }
  return LoadGovernance(folder.store(), *log, anchor.key);
}

Result<std::unique_ptr<PkhNode>> PkhNode::Open(NodeFolder& folder, const SigningKey& node_key) {
  NoteVerifierKey anchor;
  ASSIGN_OR_RETURN(anchor, folder.RequireGovernance());
  std::unique_ptr<LogWriter> writer;
  ASSIGN_OR_RETURN(writer, LogWriter::Open(folder.store(), folder.own_log(), &node_key));
  const bool is_gov = anchor.name == folder.config().origin;
  auto node = std::unique_ptr<PkhNode>(new PkhNode(folder, std::move(writer), is_gov));
  RETURN_IF_ERROR(node->ReloadGovernance());
  RETURN_IF_ERROR(node->CatchUpOwnIndex().status());
  return node;
}

Status PkhNode::ReloadGovernance() {
  ASSIGN_OR_RETURN(gov_, LoadNodeGovernance(folder_));
  PublishHeaderBasis();
  return Status::Ok();
}

void PkhNode::PublishHeaderBasis() {
  header_governance_size_.store(is_governance_ ? writer_->size() : gov_->size(),
                                std::memory_order_release);
}

Result<IndexReport> PkhNode::CatchUpOwnIndex() {
  if (is_governance_) {
    auto report = CatchUpIndex(folder_.store(), folder_.own_log(), nullptr, &gov_->root());
    if (report.ok() && report->leaves > 0) RETURN_IF_ERROR(ReloadGovernance());
    return report;
  }
  return CatchUpIndex(folder_.store(), folder_.own_log(), &*gov_, nullptr);
}

StatementHeader PkhNode::NewHeader(std::string_view type) const {
  StatementHeader h;
  h.origin = folder_.config().origin;
  h.type = std::string(type);
  h.region = region();
  h.timestamp_ms = NowMillis();
  h.governance_size = header_governance_size_.load(std::memory_order_acquire);
  return h;
}

Result<RecordKeys> PkhNode::NewRecordKeys() {
  uint64_t indexed;
  ASSIGN_OR_RETURN(indexed, IndexedSize(folder_.store(), folder_.own_log()));
  // The keys are read from the index: it must cover the whole log, even
  // after an append whose indexing failed (a full disk).
  if (indexed < writer_->size()) RETURN_IF_ERROR(CatchUpOwnIndex().status());
  return RecordKeys(folder_.store(), folder_.own_log().id, writer_->size());
}

Status PkhNode::Admit(const Statement& statement, const std::vector<PkhRecord>* records,
                      const RecordKeys& keys) {
  RETURN_IF_ERROR(RefuseStatementReplay(*writer_, statement.header));
  AppendSite site;
  site.gov = &*gov_;
  site.origin = folder_.config().origin;
  site.log_size = writer_->size();
  site.is_governance = is_governance_;
  ASSIGN_OR_RETURN(site.last_governance_size,
                   LastGovernanceSize(folder_.store(), folder_.own_log()));
  return AdmitStatement(site, statement, records, keys);
}

Result<AppendedStatement> PkhNode::Append(const PreparedStatement& prepared,
                                          const std::vector<PkhRecord>& records) {
  // A copy of a statement in the log is named as such, before its records.
  RETURN_IF_ERROR(RefuseStatementReplay(*writer_, prepared.statement.header));
  Result<RecordKeys> keys = NewRecordKeys();
  if (!keys.ok()) return keys.status();
  RETURN_IF_ERROR(keys->AddAll(prepared.statement.header, records));
  RETURN_IF_ERROR(Admit(prepared.statement, &records, *keys));
  AppendedStatement out;
  ASSIGN_OR_RETURN(out, AppendStatement(*writer_, prepared));
  PublishHeaderBasis();
  RETURN_IF_ERROR(CatchUpOwnIndex().status());
  return out;
}

Result<AppendedStatement> PkhNode::Commit(AppendTransaction& txn, const Statement& statement,
                                          std::span<const Hash> record_hashes,
                                          const RecordKeys& keys) {
  RETURN_IF_ERROR(Admit(statement, nullptr, keys));
  AppendedStatement out;
  ASSIGN_OR_RETURN(out, CommitStatement(*writer_, txn, statement, record_hashes));
  PublishHeaderBasis();
  RETURN_IF_ERROR(CatchUpOwnIndex().status());
  return out;
}

}  // namespace jejak
