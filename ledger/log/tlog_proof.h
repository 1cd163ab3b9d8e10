// C2SP tlog-proof@v1 (c2sp.org/tlog-proof@v1): an offline-verifiable proof
// that an entry is in a log, as text (specs/tlog-proof.md):
//
//   proof      = "c2sp.org/tlog-proof@v1" LF
//                [ "extra " base64(extra) LF ]
//                "index " decimal LF
//                *( base64(32-byte hash) LF )   ; RFC 6962 PATH, leaf's sibling first
//                LF
//                checkpoint                     ; the signed note, verbatim
//
// Jejak puts the entry's bytes in `extra`, so that the leaf hash is
// SHA-256(0x00 || extra) and the entry can be decoded and shown offline.
//
// Pure code: no I/O, no state. Every function is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/cosignature.h"
#include "crypto/encoding.h"
#include "crypto/note.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/checkpoint.h"

namespace jejak {

inline constexpr std::string_view kTlogProofFirstLine = "c2sp.org/tlog-proof@v1";
// An inclusion proof in a tree of at most 2^64 leaves has at most 64 hashes.
inline constexpr size_t kMaxInclusionHashes = 64;
// A proof larger than this is refused before parsing: a note, an entry (in
// base64) and 64 hash lines fit well within it.
inline constexpr size_t kMaxTlogProofBytes = kMaxNoteBytes + (1 << 17);

struct TlogProof {
  std::optional<Bytes> extra;  // absent: no extra line
  uint64_t index = 0;
  std::vector<Hash> inclusion;  // from the leaf's sibling up to the root's child
  std::string checkpoint;       // the signed note: text, blank line, signature lines
};

// The proof's text, ending in the checkpoint's last signature line. Formats
// what it is given; ParseTlogProof refuses a checkpoint that is not a
// well-formed note.
std::string FormatTlogProof(const TlogProof& proof);

// Parses the format, and the checkpoint as a note whose text is a
// checkpoint (crypto/note.h, checkpoint.h). Verifies nothing. InvalidArgument
// naming the line and what is wrong with it.
Result<TlogProof> ParseTlogProof(std::string_view text);

// What a proof says once verified.
struct VerifiedTlogProof {
  Checkpoint checkpoint;
  Bytes entry;  // the extra data, now known to be the leaf at `index`
  // The distinct witnesses whose cosignatures verified, by name, in the
  // order they appear, with their timestamps.
  std::vector<std::pair<std::string, uint64_t>> witnesses;
};

// Verifies `proof` against a log key and a witness policy:
//   - the checkpoint is of `log_key`'s log (its origin is the key's name) and
//     that key signed it;
//   - `extra` is present and SHA-256(0x00 || extra) is the leaf at `index`
//     under the checkpoint's root;
//   - of `witnesses`, at least `min_witnesses` distinct names (other than
//     the log's own origin) cosigned the checkpoint. Signatures by keys not
//     listed are ignored; a listed witness's cosignature that fails to
//     verify is an error, as a forged one would be.
// PermissionDenied for a checkpoint of another log, a signature or
// cosignature that does not verify, a leaf or inclusion that does not match,
// too few witnesses; InvalidArgument for a proof without extra data or a
// malformed checkpoint. Each message says which.
Result<VerifiedTlogProof> VerifyTlogProof(const TlogProof& proof, const NoteVerifierKey& log_key,
                                          std::span<const Cosigner> witnesses,
                                          size_t min_witnesses);

// A name for a proof file from an origin and index: the origin with every
// character other than [A-Za-z0-9._-] as '-', then "-<index>.tlog-proof"
// ("jejak.pkh/kab/7306" leaf 12 -> "jejak.pkh-kab-7306-12.tlog-proof").
std::string TlogProofFileName(std::string_view origin, uint64_t index);

}  // namespace jejak
