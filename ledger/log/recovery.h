// Recovering a node's own log from the copies other institutions hold
// (`jejak recover`, and `jejak serve` at its start): the hold that keeps a
// node from signing while it may be behind what it signed before, and the
// continuation of the own log from a source, verified against the node's own
// key. A node that signed size n and then signs another tree of size n (or
// one that does not extend it) equivocates: a node restored from an old
// backup, or rebuilt from fewer peers than saw its last checkpoint, must
// never do that.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/note.h"
#include "crypto/status.h"
#include "ledger/log/evidence.h"
#include "ledger/log/log.h"
#include "ledger/log/log_source.h"

namespace jejak {

// While a store holds a hold, no writer appends to or signs the own log:
// LogWriter::Open with a signer answers FailedPrecondition with the reason.
// Kept in `meta` at "own-log-hold" (JSON), written with sync.
struct OwnLogHold {
  std::string reason;             // why, for the operator ("restored from a backup of ...")
  int64_t since_ms = 0;           // when it was set
  uint64_t target_size = 0;       // the size it must reach, when known (0: to be learned)
  std::string target_checkpoint;  // the checkpoint of that size this node signed, if known
};
Result<std::optional<OwnLogHold>> LoadOwnLogHold(Store& store);
Status SaveOwnLogHold(Store& store, const OwnLogHold& hold);
// The deletion, for the batch that reaches the target.
void ReleaseOwnLogHold(WriteBatch& batch);
Status ReleaseOwnLogHold(Store& store);
// Ok without a hold; FailedPrecondition naming it with one.
Status RefuseIfOwnLogHeld(Store& store);

// A checkpoint of the own log as another node holds it: the latest of its
// replica, or the latest its witness cosigned.
struct OwnCheckpointSighting {
  std::string note;   // as served (with cosignatures)
  std::string where;  // "https://peer:8443 (replica)"
};

// The sightings that verify under the node's key, largest first, and those
// that do not (a peer that lies), with why.
struct SightingReview {
  struct Verified {
    uint64_t size = 0;
    Hash root{};
    std::string note;  // only the node's own signature line
    std::string where;
  };
  std::vector<Verified> verified;  // by size, largest first
  std::vector<std::string> refused;
};
SightingReview ReviewSightings(const std::vector<OwnCheckpointSighting>& sightings,
                               const NoteVerifierKey& key);

// Two checkpoints the node signed that cannot both be true, shown by its own
// peers: the evidence, checked (CheckEvidence).
struct RecoveryConflict {
  EquivocationEvidence evidence;
  std::string message;
};

// Checks every verified sighting of size <= the log's size against the own
// log held in `store`: each root must be the held tree's root at its size.
// The first that is not is returned as a conflict, with evidence (the held
// log's latest checkpoint is the other side).
Result<std::optional<RecoveryConflict>> FindConflict(Store& store, const LogInfo& own,
                                                     const SightingReview& review);
// The same among the sightings themselves: two of one size with different
// roots.
std::optional<RecoveryConflict> FindConflictAmong(const SightingReview& review,
                                                  const NoteVerifierKey& key);

// What ContinueOwnLog did.
struct Continuation {
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::optional<RecoveryConflict> conflict;  // the source holds another history
};

// Copies the own log's leaves the store lacks from `source` (a peer's
// replica), up to the source's checkpoint: every leaf checked as `jejak
// verify` checks it and against the checkpoint, which must be signed by the
// node's key, and consistent with what the store holds. The source's
// checkpoint is stored with only the node's signature, exactly as it was
// signed. Writes no signature of its own, and works under a hold. A source
// whose signed history does not extend the held one gives `conflict` (and
// nothing is written); one that does not verify gives Corruption or
// PermissionDenied (nothing is written).
Result<Continuation> ContinueOwnLog(Store& store, const LogInfo& own, LogSource& source);

}  // namespace jejak
