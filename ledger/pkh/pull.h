// Pulling a log into a PKH node: the engine's replication (ReplicateLog,
// ledger/log/replication.h) with what the governance log says — the key each
// origin is registered with (the trust anchor's for the governance log), and
// that no statement is judged at a governance size this node does not hold
// yet — followed by indexing what arrived. Statements whose signers lacked
// authority are stored — a replica is the evidence — and reported; the index
// records them as violations for the audit.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "ledger/log/log_source.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/indexer.h"
#include "ledger/pkh/node_folder.h"

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
// replica held (a rewritten history: the two signed checkpoints are stored as
// equivocation evidence, ledger/log/evidence.h, and the replica is frozen; a
// frozen replica is FailedPrecondition for every later pull), Unavailable
// when a statement is judged at a governance size this node does not hold yet.
Result<PullReport> PullLog(NodeFolder& folder, LogSource& source, const PullOptions& options = {});

// PullLog in two steps, for a caller that indexes one log while it pulls the
// next: ReplicateForPull verifies and stores the leaves (the report's index
// is empty), IndexPull indexes them. A pulled governance log must be indexed
// before the next pull begins, since the others are judged by it.
struct PulledLog {
  PullReport report;
  LogInfo log;                    // the replica
  std::optional<Governance> gov;  // the state its statements are judged and indexed by
  bool governance = false;        // this is the governance log
};
Result<PulledLog> ReplicateForPull(NodeFolder& folder, LogSource& source,
                                   const PullOptions& options = {});
Result<PullReport> IndexPull(NodeFolder& folder, PulledLog pulled);

// Many pulls in a row into one store (an auditor loading a national stage):
// the index entries each pull ingests span every pseudonym, so compacting
// them pull by pull rewrites the whole index again and again (at a quarter
// of a national load, RocksDB's compactions took ~46 % of the CPU). Between
// BeginPulls and EndPulls the index is not compacted in the background;
// EndPulls compacts it once when the pulls left many table files.
Status BeginPulls(NodeFolder& folder);
Status EndPulls(NodeFolder& folder);

}  // namespace jejak
