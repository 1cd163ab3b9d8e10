// Replication: copying another log into a store as a replica, from any
// LogSource (a tiles folder written by `jejak export`; a peer over HTTPS in
// node/). One code path for every transport.
//
// Nothing is stored unless everything checks: the checkpoint's signature by
// the key the caller trusts for the origin the source claims, every leaf
// against the source's tiles, every statement's structure, records root and
// signatures (and the caller's statement check), and consistency with the
// replica already held (the new leaves extend the held tree to the signed
// root). A source that signed a history conflicting with the replica leaves
// evidence (evidence.h) and a frozen replica.
//
// The engine knows no statement type: what a log's key is and what else a
// statement must satisfy come from the caller (the PKH layer's PullLog,
// ledger/pkh/pull.h, resolves them from the governance log).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/note.h"
#include "crypto/sha256.h"
#include "ledger/log/log.h"
#include "ledger/log/log_source.h"
#include "ledger/log/verify.h"

namespace jejak {

// What a store trusts of one log: the key its checkpoints must be signed with
// (its name is the origin) and any check of its statements beyond their
// signatures.
struct ReplicaTrust {
  NoteVerifierKey key;
  StatementCheck statement_check;  // may be empty
};

// Decides the trust for the origin a source claims, before anything the
// source says is trusted. Its error is the pull's (PermissionDenied for an
// origin the caller does not know).
using TrustResolver = std::function<Result<ReplicaTrust>(const std::string& origin)>;

struct ReplicateOptions {
  TrustResolver trust;
  // The store's own log: a source offering it is refused.
  std::string own_origin;
  // Called now and then with (leaves done, leaves in all).
  std::function<void(uint64_t, uint64_t)> progress;
};

struct ReplicaReport {
  std::string origin;
  LogInfo log;  // the replica (valid after a successful pull)
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  uint64_t source_size = 0;
  bool new_log = false;        // the first pull of this log
  bool source_behind = false;  // the source held less than the replica (nothing to do)
};

// Pulls the log `source` offers into `store`. PermissionDenied for a bad
// signature (or the resolver's refusal), Corruption naming the first bad
// leaf, FailedPrecondition for the own log, a key that changed, or a source
// inconsistent with the replica held (equivocation: evidence stored, replica
// frozen; a frozen replica is FailedPrecondition for every later pull),
// Unavailable when the source could not be read or a statement check asks to
// come back later. Errors name the source (LogSource::Describe).
Result<ReplicaReport> ReplicateLog(Store& store, LogSource& source,
                                   const ReplicateOptions& options);

// The root at `old_size`, and the consistency proof from it to `size`, of the
// tree the source's tiles hold for `size` leaves. Unverified: the caller
// checks the proof against the source's signed root (MakeEvidence does).
Result<std::pair<Hash, std::vector<Hash>>> SourceConsistency(LogSource& source, uint64_t old_size,
                                                             uint64_t size);

}  // namespace jejak
