#include "ledger/statement_log.h"

#include <chrono>

#include <fmt/format.h>

#include "ledger/merkle.h"

namespace jejak {

PreparedStatement::PreparedStatement(StatementHeader header, std::vector<Bytes> record_leaves)
    : record_leaves_(std::move(record_leaves)) {
  record_hashes_.reserve(record_leaves_.size());
  MerkleFrontier records;
  for (const auto& leaf : record_leaves_) {
    record_hashes_.push_back(LeafHash(leaf));
    records.Append(record_hashes_.back());
  }
  records_root_ = records.Root();
  header.record_count = record_leaves_.size();
  header.records_root = records_root_;
  statement.header = std::move(header);
}

PreparedStatement PrepareStatement(StatementHeader header, std::vector<Bytes> record_leaves) {
  return PreparedStatement(std::move(header), std::move(record_leaves));
}

namespace {

Status CheckStatement(const LogWriter& log, const Statement& st, std::span<const Hash> hashes) {
  const StatementHeader& h = st.header;
  if (h.origin != log.info().origin) {
    return InvalidArgument(
        fmt::format("statement is for log '{}', not '{}'", h.origin, log.info().origin));
  }
  if (h.record_count != hashes.size() || h.records_root != RootOfLeafHashes(hashes)) {
    return InvalidArgument("statement's record count or records root does not match its records");
  }
  return VerifyStatementSignatures(st);
}

}  // namespace

Result<AppendedStatement> CommitStatement(LogWriter& log, AppendTransaction& txn,
                                          const Statement& statement,
                                          std::span<const Hash> record_hashes,
                                          const WriteBatch* extra) {
  RETURN_IF_ERROR(CheckStatement(log, statement, record_hashes));
  if (txn.next_index() != txn.first_index()) {
    return FailedPrecondition("the statement's hashes must be the first of its transaction");
  }
  Bytes leaf;
  ASSIGN_OR_RETURN(leaf, EncodeStatementEntry(statement));
  RETURN_IF_ERROR(txn.Put(txn.first_index(), leaf));
  RETURN_IF_ERROR(txn.AddHash(LeafHash(leaf)));
  for (const Hash& h : record_hashes) RETURN_IF_ERROR(txn.AddHash(h));
  AppendedStatement out;
  out.index = txn.first_index();
  ASSIGN_OR_RETURN(out.size, txn.Commit(extra));
  ASSIGN_OR_RETURN(out.checkpoint, log.SignAndStoreCheckpoint());
  return out;
}

Result<AppendedStatement> AppendStatement(LogWriter& log, const PreparedStatement& prepared,
                                          const WriteBatch* extra) {
  const StatementHeader& h = prepared.statement.header;
  if (h.record_count != prepared.record_leaves().size() ||
      h.records_root != prepared.records_root()) {
    return InvalidArgument("statement's record count or records root does not match its records");
  }
  auto txn = log.Begin();  // CommitStatement checks the statement before anything commits
  for (size_t j = 0; j < prepared.record_leaves().size(); ++j) {
    RETURN_IF_ERROR(txn->Put(txn->first_index() + 1 + j, prepared.record_leaves()[j]));
  }
  return CommitStatement(log, *txn, prepared.statement, prepared.record_hashes(), extra);
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace jejak
