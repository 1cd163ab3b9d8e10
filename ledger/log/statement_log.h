// Appending statements: one statement leaf and its record leaves, committed in
// one batch, then checkpointed. The record layers (generic lines here, PKH
// records later) produce encoded record leaves; this layer does the rest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"

namespace jejak {

// A statement ready to sign. Its records are fixed at preparation (hashed
// once, never changed after), so the header's record count and records root,
// the hashes that go into the tree and the bytes that go into the store always
// agree. Sign `statement`; its header must keep the prepared record fields.
class PreparedStatement {
 public:
  PreparedStatement(StatementHeader header, std::vector<Bytes> record_leaves);

  Statement statement;
  const std::vector<Bytes>& record_leaves() const { return record_leaves_; }
  const std::vector<Hash>& record_hashes() const { return record_hashes_; }
  const Hash& records_root() const { return records_root_; }

 private:
  std::vector<Bytes> record_leaves_;
  std::vector<Hash> record_hashes_;
  Hash records_root_{};
};

// Fills header.record_count and header.records_root from the record leaves.
PreparedStatement PrepareStatement(StatementHeader header, std::vector<Bytes> record_leaves);

struct AppendedStatement {
  uint64_t index = 0;  // leaf index of the statement
  uint64_t size = 0;   // tree size after the append (= checkpoint size)
  SignedCheckpoint checkpoint;
};

// Checks the statement (origin is the log's, signatures verify, record count
// and root match the records, the log does not hold it already:
// AlreadyExists), appends it and its records with `extra` writes
// in one synced batch, then signs and stores the checkpoint. InvalidArgument
// or PermissionDenied for a bad statement; IOError and the like from the
// store. An error from the batch leaves the log as it was; an error from
// storing the checkpoint comes after the batch is durable, so the statement IS
// in the log (log.size() has moved past it) and only its checkpoint is
// missing: the next append or the next LogWriter::Open signs it. A caller
// must not retry the same statement on an error without checking log.size().
Result<AppendedStatement> AppendStatement(LogWriter& log, const PreparedStatement& prepared,
                                          const WriteBatch* extra = nullptr);

// For statements whose records were staged in `txn` (Put at indexes
// first_index()+1 onwards, hashes given here in order): checks the statement
// as AppendStatement does, puts the statement leaf at first_index(), adds every
// hash, commits with `extra` and signs the checkpoint.
Result<AppendedStatement> CommitStatement(LogWriter& log, AppendTransaction& txn,
                                          const Statement& statement,
                                          std::span<const Hash> record_hashes,
                                          const WriteBatch* extra = nullptr);

// AlreadyExists when the own log `log` holds this very statement (the same
// signed bytes): a statement is appended once. CommitStatement applies it;
// callers that judge first (PkhNode) ask it before their own rules, for the
// clearer answer.
Status RefuseStatementReplay(const LogWriter& log, const StatementHeader& header);

// Current time in milliseconds since 1970 UTC.
int64_t NowMillis();

}  // namespace jejak
