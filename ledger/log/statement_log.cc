#include "ledger/log/statement_log.h"

#include <chrono>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"

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

// Statement ids of an own log (specs/store-layout.md): "I" ‖ log(4) ‖
// SHA-256 of the signed bytes → the statement's leaf (8), for every
// statement below the watermark meta "log/<id>/statement-ids".
std::string StatementIdKey(uint32_t log, const Hash& id) {
  return "I" + KeyU32(log) + std::string(AsChars(id));
}
std::string StatementIdWatermarkKey(uint32_t log) {
  return fmt::format("log/{:010d}/statement-ids", log);
}

Hash StatementId(const StatementHeader& h) { return Sha256(StatementSigningBytes(h)); }

// Writes the ids of the statements in [watermark, end) of a log appended
// before ids were kept, so that every statement below `end` has its id.
Status BackfillStatementIds(Store& store, const LogInfo& info, uint64_t end) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(Column::kMeta, StatementIdWatermarkKey(info.id)));
  uint64_t next = 0;
  if (v) {
    if (v->size() != 8) return Corruption("the statement id watermark is malformed");
    next = GetBigEndian64(reinterpret_cast<const uint8_t*>(v->data()));
  }
  if (next >= end) return Status::Ok();
  LogReader reader(store, info);
  WriteBatch batch;
  while (next < end) {
    Bytes leaf;
    ASSIGN_OR_RETURN(leaf, reader.Leaf(next));
    auto st = DecodeStatementEntry(leaf);
    if (!st.ok()) return st.status().WithContext(fmt::format("leaf {}", next));
    batch.Put(Column::kIndex, StatementIdKey(info.id, StatementId(st->header)), KeyU64(next));
    next += 1 + st->header.record_count;
  }
  if (next != end) {
    return Corruption(fmt::format("the statement at the end of log '{}' runs past its size {}",
                                  info.origin, end));
  }
  batch.Put(Column::kMeta, StatementIdWatermarkKey(info.id), KeyU64(end));
  return store.Write(batch, /*sync=*/true);
}

// AlreadyExists when the log holds this very statement (the same signed
// bytes) below `size`.
Status RefuseReplay(Store& store, const LogInfo& info, uint64_t size, const Hash& id) {
  RETURN_IF_ERROR(BackfillStatementIds(store, info, size));
  std::optional<std::string> held;
  ASSIGN_OR_RETURN(held, store.Get(Column::kIndex, StatementIdKey(info.id, id)));
  if (!held) return Status::Ok();
  const uint64_t at =
      held->size() == 8 ? GetBigEndian64(reinterpret_cast<const uint8_t*>(held->data())) : 0;
  return AlreadyExists(fmt::format(
      "this statement is already in the log (the statement at leaf {}): a signed statement is "
      "appended once",
      at));
}

Status CheckStatement(const LogWriter& log, const Statement& st, std::span<const Hash> hashes) {
  const StatementHeader& h = st.header;
  if (h.origin != log.info().origin) {
    return InvalidArgument(fmt::format("statement is for log {}, not '{}'", QuotedOrigin(h.origin),
                                       log.info().origin));
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
  const Hash id = StatementId(statement.header);
  RETURN_IF_ERROR(RefuseReplay(log.store(), log.info(), txn.first_index(), id));
  Bytes leaf;
  ASSIGN_OR_RETURN(leaf, EncodeStatementEntry(statement));
  RETURN_IF_ERROR(txn.Put(txn.first_index(), leaf));
  RETURN_IF_ERROR(txn.AddHash(LeafHash(leaf)));
  for (const Hash& h : record_hashes) RETURN_IF_ERROR(txn.AddHash(h));
  AppendedStatement out;
  out.index = txn.first_index();
  // The id and its watermark commit with the statement.
  WriteBatch ids;
  if (extra != nullptr) ids.Append(*extra);
  ids.Put(Column::kIndex, StatementIdKey(log.info().id, id), KeyU64(out.index));
  ids.Put(Column::kMeta, StatementIdWatermarkKey(log.info().id),
          KeyU64(out.index + 1 + record_hashes.size()));
  ASSIGN_OR_RETURN(out.size, txn.Commit(&ids));
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

Status RefuseStatementReplay(const LogWriter& log, const StatementHeader& header) {
  return RefuseReplay(log.store(), log.info(), log.size(), StatementId(header));
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace jejak
