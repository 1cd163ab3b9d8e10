// Catching a node's own log up with the copies its peers hold of it: `jejak
// recover NODE --from URL ...` for a node that lost its store (or was
// restored from a backup), and `jejak serve` at its start, before it signs
// anything (ledger/log/recovery.h has the rules; specs/node-api.md, "Recovery").
//
// From each peer: the latest checkpoint of the node's log in its replica
// (GET /<origin>/checkpoint) and the latest its witness cosigned (GET
// /witness/<sha256(origin)>/checkpoint). Only checkpoints signed by the
// node's own key count. The largest is the target. Leaves are copied from
// the peers holding the largest replicas, each verified; every checkpoint
// seen must then be one of the tree held. Two that cannot both be true stop
// the recovery with the evidence, written to NODE/recovery-evidence.json.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/log/recovery.h"
#include "ledger/pkh/node_folder.h"
#include "node/http.h"

namespace jejak {

inline constexpr char kRecoveryEvidenceFile[] = "recovery-evidence.json";

struct RecoveryOptions {
  std::vector<std::string> peers;  // node URLs
  // Makes a client for a peer's URL (its TLS policy and timeout).
  std::function<Result<std::unique_ptr<HttpClient>>(const std::string& url)> connect;
  // Pull the governance log first (a node under governance, not kemensos):
  // the own log's statements are indexed against it.
  bool pull_governance = true;
  // Called after the governance log grew (the registry pins peers' keys).
  std::function<void()> on_governance;
  // Told of each step, for the operator (one line each).
  std::function<void(std::string_view)> say;
};

struct RecoveryOutcome {
  uint64_t old_size = 0;  // the own log before
  uint64_t new_size = 0;  // and after
  uint64_t target = 0;    // the largest checkpoint of it a peer holds or cosigned
  std::string target_where;
  size_t answered = 0;               // peers that answered
  std::vector<std::string> refused;  // what was refused, and why (a lying or broken peer)
  std::optional<RecoveryConflict> conflict;
  std::string evidence_file;  // where the conflict's evidence was written
  bool held = false;          // the own log is on hold after this (behind, or a conflict)
};

// Catches the own log of `folder` (opened read-write, no writer open on the
// own log) up with its peers and sets or releases its hold
// (ledger/log/recovery.h): released when at least one peer answered, no two
// checkpoints conflict and the log reached the target; set, with the target,
// when it could not be reached or a conflict was found. Without any peer
// answering, a hold stays as it was. Errors only for the store; what peers
// do wrong is in `refused`.
Result<RecoveryOutcome> CatchUpOwnLog(NodeFolder& folder, const RecoveryOptions& options);

// A node folder that lost its store (node.json and node.key are there, db/
// is not): a new, empty store with the own log registered and on hold,
// ready for CatchUpOwnLog. Built beside and renamed into place.
// AlreadyExists if the folder has a store.
Status CreateStoreForRecovery(const std::string& node_dir);

}  // namespace jejak
