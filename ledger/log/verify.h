// Full verification of a log from any LogSource: every leaf hash against the
// stored tiles, every tile against the tree recomputed from the leaves, every
// statement's structure, records root and signatures, and every checkpoint's
// signature and root. Streams: memory is O(log n), whatever the log's size.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "crypto/note.h"
#include "ledger/log/entry.h"
#include "ledger/log/log_source.h"
#include "ledger/log/merkle.h"

namespace jejak {

// Judges each statement beyond its signatures (the governance layer checks
// authority here). Returns Ok or PermissionDenied saying why.
using StatementCheck = std::function<Status(uint64_t index, const Statement& statement)>;

// Checks the entry stream of one log leaf by leaf: every leaf a canonical
// Entry, statements followed by exactly their records, records roots and
// signatures right, origins the log's. Used by verification and replication.
class EntryStreamChecker {
 public:
  EntryStreamChecker(std::string origin, StatementCheck check = nullptr)
      : origin_(std::move(origin)), check_(std::move(check)) {}

  // Checks leaf `index` (which must follow the previous one). The message of
  // an error does not repeat the index.
  Status Add(uint64_t index, ByteSpan leaf, const Hash& leaf_hash);
  // True when no statement is waiting for more records.
  bool at_statement_boundary() const { return remaining_ == 0; }
  // The statement still waiting for records (for messages).
  uint64_t open_statement() const { return statement_index_; }
  uint64_t statements() const { return statements_; }
  uint64_t records() const { return records_; }
  // After an error: the leaf to blame (the statement, for a records root that
  // does not match), if any.
  std::optional<uint64_t> bad_leaf() const { return bad_leaf_; }

 private:
  std::string origin_;
  StatementCheck check_;
  uint64_t remaining_ = 0;
  uint64_t statement_index_ = 0;
  Hash expected_root_{};
  MerkleFrontier records_root_;
  uint64_t statements_ = 0, records_ = 0;
  std::optional<uint64_t> bad_leaf_;
};

// A prefix of the log already verified and held (a replica): verification
// resumes after it, and the source must agree with it.
struct VerifiedPrefix {
  uint64_t size = 0;
  std::vector<std::vector<Hash>> right_edge;  // TileBuilder::Resume's input
};

struct VerifyOptions {
  NoteVerifierKey log_key;  // the log's checkpoint key; its name is the origin
  StatementCheck statement_check;
  // Called now and then with (leaves done, leaves in all).
  std::function<void(uint64_t, uint64_t)> progress;
  // Resume after this prefix instead of starting from leaf 0.
  std::optional<VerifiedPrefix> from;
  // Called with each leaf once it has passed every check of its own (replication
  // stores it here); its error stops verification.
  std::function<Status(uint64_t index, ByteSpan leaf, const Hash& leaf_hash)> on_leaf;
  // Only the hashes: every leaf against its tile, every tile against the tree
  // of the leaves, every signed checkpoint's root and signature; not each
  // entry's structure, statement signatures or statement_check. For a store
  // whose entries were all checked in full when they were stored (the
  // audit's re-verification of what the node pulled): a leaf altered since
  // no longer hashes to the tree its checkpoints sign, whatever it became.
  bool hashes_only = false;
};

struct VerifyReport {
  uint64_t size = 0;  // the latest checkpoint's size
  Hash root{};
  std::string checkpoint;  // the latest checkpoint note, verified
  uint64_t leaves = 0;     // leaves checked (size plus any tail not yet signed)
  uint64_t statements = 0;
  uint64_t records = 0;
  uint64_t checkpoints = 0;  // signed checkpoints checked
  uint64_t tiles = 0;        // stored tiles compared
};

struct VerifyResult {
  Status status;                     // Ok, or what is wrong and where
  std::optional<uint64_t> bad_leaf;  // the first bad leaf, when one is to blame
  VerifyReport report;
};

VerifyResult VerifyLog(LogSource& source, const VerifyOptions& options);

}  // namespace jejak
