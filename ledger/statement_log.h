// Appending statements: one statement leaf and its record leaves, committed in
// one batch, then checkpointed. The record layers (generic lines here, PKH
// records later) produce encoded record leaves; this layer does the rest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/log.h"

namespace jejak {

// A statement ready to sign: its header carries the record count and the
// records root of `record_leaves`.
struct PreparedStatement {
  Statement statement;
  std::vector<Bytes> record_leaves;
  std::vector<Hash> record_hashes;
};

// Fills header.record_count and header.records_root from the record leaves.
PreparedStatement PrepareStatement(StatementHeader header, std::vector<Bytes> record_leaves);

struct AppendedStatement {
  uint64_t index = 0;  // leaf index of the statement
  uint64_t size = 0;   // tree size after the append (= checkpoint size)
  SignedCheckpoint checkpoint;
};

// Checks the statement (origin is the log's, signatures verify, record count
// and root match the records), appends it and its records with `extra` writes
// in one synced batch, then signs and stores the checkpoint. Errors leave the
// log as it was: InvalidArgument or PermissionDenied for a bad statement,
// IOError and the like from the store.
Result<AppendedStatement> AppendStatement(LogWriter& log, const PreparedStatement& prepared,
                                          const WriteBatch* extra = nullptr);

// Current time in milliseconds since 1970 UTC.
int64_t NowMillis();

}  // namespace jejak
