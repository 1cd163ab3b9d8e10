// Replication: copying another node's log into this node's store as a
// replica, from any LogSource (a tiles folder written by `jejak export`; a
// peer over HTTPS in node/). One code path for every transport.
//
// Nothing is stored unless everything checks: the checkpoint's signature by
// the log's registered key (or the trust anchor, for the governance log), every
// leaf against the source's tiles, every statement's structure, records root
// and signatures, and consistency with the replica already held (the new
// leaves extend the held tree to the signed root). Statements whose signers
// lacked authority are stored — a replica is the evidence — and reported; the
// index records them as violations for the audit.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ledger/log_source.h"
#include "ledger/node_folder.h"
#include "ledger/pkh_index.h"

namespace jejak {

struct PullReport {
  std::string origin;
  uint64_t old_size = 0;  // replica size before
  uint64_t new_size = 0;  // replica size after
  uint64_t source_size = 0;
  bool new_log = false;        // the first pull of this log
  bool source_behind = false;  // the source held less than this node (nothing to do)
  IndexReport index;           // what indexing the new leaves found
};

struct PullOptions {
  // Verify with this key instead of the registry's (standalone nodes).
  std::optional<NoteVerifierKey> key;
  std::function<void(uint64_t, uint64_t)> progress;
};

// Pulls the log `source` offers into `folder` (opened read-write).
// PermissionDenied for a bad signature or an unknown origin, Corruption naming
// the first bad leaf, FailedPrecondition for a source inconsistent with the
// replica held (a rewritten history: when the source's signed checkpoint is of
// the held size or less, the two signed checkpoints are stored as equivocation
// evidence, ledger/evidence.h, and the replica is frozen; a frozen replica is
// FailedPrecondition for every later pull), Unavailable when a statement is judged
// at a governance size this node does not hold yet.
Result<PullReport> PullLog(NodeFolder& folder, LogSource& source, const PullOptions& options = {});

// The root at `old_size`, and the consistency proof from it to `size`, of the
// tree the source's tiles hold for `size` leaves. Unverified: the caller
// checks the proof against the source's signed root (MakeEvidence does).
Result<std::pair<Hash, std::vector<Hash>>> SourceConsistency(LogSource& source, uint64_t old_size,
                                                             uint64_t size);

}  // namespace jejak
