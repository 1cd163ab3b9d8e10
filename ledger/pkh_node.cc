#include "ledger/pkh_node.h"

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
  return Status::Ok();
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
  h.governance_size = is_governance_ ? writer_->size() : gov_->size();
  return h;
}

Status PkhNode::Judge(const Statement& st, const std::vector<PkhRecord>& records) const {
  if (is_governance_) return gov_->CheckGovernanceStatement(writer_->size(), st, records);
  RETURN_IF_ERROR(CheckLogStatement(*gov_, LogRole{folder_.config().origin}, st));
  if (st.header.governance_size != gov_->size()) {
    // Signed earlier (a berita acara drafted at an older size): it must still
    // be authorized now — a key revoked since the draft cannot be used.
    Statement now = st;
    now.header.governance_size = gov_->size();
    Status still = CheckLogStatement(*gov_, LogRole{folder_.config().origin}, now);
    if (!still.ok()) {
      return PermissionDenied(fmt::format("no longer authorized at governance size {}: {}",
                                          gov_->size(), still.message()));
    }
  }
  for (const PkhRecord& r : records) RETURN_IF_ERROR(CheckRecordFitsStatement(st, r));
  return Status::Ok();
}

Result<AppendedStatement> PkhNode::Append(const PreparedStatement& prepared,
                                          const std::vector<PkhRecord>& records) {
  RETURN_IF_ERROR(Judge(prepared.statement, records));
  AppendedStatement out;
  ASSIGN_OR_RETURN(out, AppendStatement(*writer_, prepared));
  RETURN_IF_ERROR(CatchUpOwnIndex().status());
  return out;
}

Result<AppendedStatement> PkhNode::Commit(AppendTransaction& txn, const Statement& statement,
                                          std::span<const Hash> record_hashes) {
  RETURN_IF_ERROR(Judge(statement, {}));
  AppendedStatement out;
  ASSIGN_OR_RETURN(out, CommitStatement(*writer_, txn, statement, record_hashes));
  RETURN_IF_ERROR(CatchUpOwnIndex().status());
  return out;
}

}  // namespace jejak
