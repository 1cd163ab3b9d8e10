// Equivocation evidence (DESIGN.md §5; specs/evidence.md): two checkpoints
// signed by one log's key that cannot both be true. Self-contained: anyone
// holding the log's verifier key checks it with CheckEvidence alone, without
// any store.
//
// Two shapes:
//   - equal sizes, different roots;
//   - size_a < size_b, with the root at size_a of the tree that note_b
//     commits to and the consistency proof from it to root_b: that root is
//     bound by the proof, and differs from root_a.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/store.h"

namespace jejak {

struct EquivocationEvidence {
  std::string origin;
  std::string verifier_key;    // the log's key (name+hexid+base64), as the registry gave it
  std::string note_a, note_b;  // the two signed checkpoints; a's size <= b's
  // For size_a < size_b: the root at size_a of note_b's tree, and the RFC 9162
  // consistency proof from it to note_b's root.
  std::optional<Hash> b_root_at_a;
  std::vector<Hash> consistency;
  std::string found;  // where the second checkpoint came from (no secrets)
};

// The JSON form (specs/evidence.md). Deterministic.
std::string EvidenceJson(const EquivocationEvidence& e);
Result<EquivocationEvidence> ParseEvidenceJson(std::string_view text, std::string_view where);

// Checks that `e` proves equivocation: both notes signed by the key (and by
// `pinned`, when given, which must be that key), same origin, and the
// conflict shown. Ok, or PermissionDenied/InvalidArgument saying what fails.
Status CheckEvidence(const EquivocationEvidence& e, const std::string* pinned = nullptr);

// Builds and checks the evidence of two signed checkpoints of the log of
// `verifier_key`; for different sizes `b_root_at_a` and `consistency` come
// from the longer history's tree. FailedPrecondition if they do not conflict.
Result<EquivocationEvidence> MakeEvidence(std::string verifier_key, std::string note_a,
                                          std::string note_b, std::optional<Hash> b_root_at_a,
                                          std::vector<Hash> consistency, std::string found);

// Stored per log in the evidence column; a log with evidence is frozen (pull
// refuses it). Store writes are synced.
Status StoreEvidence(Store& store, uint32_t log, const EquivocationEvidence& e);
Result<std::vector<std::pair<uint32_t, EquivocationEvidence>>> ListEvidence(Store& store);
Result<bool> HasEvidence(Store& store, uint32_t log);

}  // namespace jejak
