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

Result<AppendedStatement> AppendStatement(LogWriter& log, const PreparedStatement& prepared,
                                          const WriteBatch* extra) {
  const StatementHeader& h = prepared.statement.header;
  if (h.origin != log.info().origin) {
    return InvalidArgument(
        fmt::format("statement is for log '{}', not '{}'", h.origin, log.info().origin));
  }
  if (h.record_count != prepared.record_leaves().size() ||
      h.records_root != prepared.records_root()) {
    return InvalidArgument("statement's record count or records root does not match its records");
  }
  RETURN_IF_ERROR(VerifyStatementSignatures(prepared.statement));
  Bytes statement_leaf;
  ASSIGN_OR_RETURN(statement_leaf, EncodeStatementEntry(prepared.statement));
  std::vector<ByteSpan> leaves;
  std::vector<Hash> hashes;
  leaves.reserve(prepared.record_leaves().size() + 1);
  hashes.reserve(prepared.record_leaves().size() + 1);
  hashes.push_back(LeafHash(statement_leaf));
  leaves.push_back(statement_leaf);
  leaves.insert(leaves.end(), prepared.record_leaves().begin(), prepared.record_leaves().end());
  hashes.insert(hashes.end(), prepared.record_hashes().begin(), prepared.record_hashes().end());
  AppendedStatement out;
  ASSIGN_OR_RETURN(out.index, log.Append(leaves, hashes, extra));
  out.size = log.size();
  ASSIGN_OR_RETURN(out.checkpoint, log.SignAndStoreCheckpoint());
  return out;
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace jejak
