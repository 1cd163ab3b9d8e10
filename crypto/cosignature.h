// C2SP tlog-cosignature v1 (c2sp.org/tlog-cosignature), Ed25519 only
// (signature type 0x04): a cosigner's timestamped statement that, as of that
// time, the checkpoint is the largest consistent tree it has seen of the log.
//
// A cosignature is a note signature line (crypto/note.h) whose bytes after
// the key ID are
//
//   timestamped_signature = timestamp(8, big-endian, POSIX seconds, < 2^63)
//                           ed25519_signature(64)
//
// and whose Ed25519 signature is over the message
//
//   "cosignature/v1\n" "time " decimal(timestamp) "\n" checkpoint-body
//
// where decimal has no leading zeros and checkpoint-body is the whole note
// text of the checkpoint (ending in "\n", without its signature lines).
//
// Pure code: no I/O, no state. Every function is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/note.h"
#include "crypto/status.h"

namespace jejak {

// The largest timestamp a cosignature may carry: 2^63 - 1.
inline constexpr uint64_t kMaxCosignatureTimestamp = (uint64_t{1} << 63) - 1;

// SHA-256(name || "\n" || 0x04 || key)[:4], big-endian: the key ID of a
// cosigner's signature lines. Differs from the key's type-0x01 note key ID, so
// a cosignature never passes as a note signature and vice versa.
uint32_t CosignatureKeyId(std::string_view name, const PublicKey& key);

// The message a cosigner signs over `checkpoint_text` (the note body, ending
// in "\n") at `timestamp`. Any timestamp formats; only verifiers bound it.
std::string CosignatureMessage(std::string_view checkpoint_text, uint64_t timestamp);

// Cosigns `checkpoint_text` (the note body, ending in "\n") as `name` at
// `timestamp`: NoteSignature{name, CosignatureKeyId, timestamp(8 BE) ||
// signature(64)}. A timestamp above kMaxCosignatureTimestamp is a caller bug:
// the result would be refused by every verifier.
NoteSignature Cosign(std::string_view checkpoint_text, std::string_view name, const SigningKey& key,
                     uint64_t timestamp);

// The key a node cosigns with (its witness key), derived from its node key
// so that nothing more needs keeping or backing up: the Ed25519 key whose
// seed is SHA-256("jejak/witness-key/v1\n" || node key seed). signed-note
// asks that checkpoints (type 0x01) and cosignatures (type 0x04) not share a
// key; deriving keeps them apart while the node key alone recovers both.
SigningKey DeriveWitnessKey(const SigningKey& node_key);

// A cosigner a verifier trusts: its key name and Ed25519 public key.
struct Cosigner {
  std::string name;
  PublicKey key{};
};

// The cosigner's verifier key string: "<name>+<8 hex key ID>+<base64(0x04 ||
// key)>". ParseVerifierKey (crypto/note.h) reads it back with type 0x04.
std::string CosignerVerifierKey(const Cosigner& c);

// The timestamp a cosignature carries: its first 8 bytes, big-endian, when
// it has the cosignature's length and the timestamp is within
// kMaxCosignatureTimestamp; std::nullopt otherwise (a note signature, a
// malformed one). Verifies nothing.
std::optional<uint64_t> CosignatureTimestamp(const NoteSignature& sig);

// True when `sig` carries this cosigner's name and cosignature key ID; says
// nothing of whether the signature is valid.
bool IsCosignatureBy(const NoteSignature& sig, const Cosigner& c);

// Verifies `sig` as a v1 cosignature by `c` of `checkpoint_text` (the note
// body, ending in "\n") and returns its timestamp. Errors:
//   InvalidArgument  `sig` is not by `c` (name or key ID differ), or its bytes
//                    after the key ID are not 72;
//   PermissionDenied the timestamp exceeds 2^63 - 1, or the Ed25519 signature
//                    does not verify.
// It does not judge the timestamp against the clock; callers that refuse
// cosignatures from the future compare it themselves.
Result<uint64_t> VerifyCosignature(std::string_view checkpoint_text, const NoteSignature& sig,
                                   const Cosigner& c);

}  // namespace jejak
