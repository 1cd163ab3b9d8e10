// C2SP tlog-cosignature v1 with Ed25519 (signature type 0x04): a witness's
// timestamped statement that a checkpoint is the largest consistent tree it
// has seen of that log. Pure code.
//
// A cosignature is a note signature line whose bytes after the key ID are a
// big-endian uint64 timestamp (POSIX seconds) and a 64-byte Ed25519 signature
// over "cosignature/v1\n" "time <timestamp>\n" and the checkpoint's note text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/note.h"
#include "crypto/status.h"

namespace jejak {

// SHA-256(name || "\n" || 0x04 || key)[:4], big-endian.
uint32_t CosignatureKeyId(std::string_view name, const PublicKey& key);

// The signed message for a checkpoint note text (ending in "\n").
std::string CosignatureMessage(std::string_view checkpoint_text, uint64_t timestamp);

// Cosigns `checkpoint_text` as `name`. `timestamp` must be below 2^63.
NoteSignature Cosign(std::string_view checkpoint_text, std::string_view name, const SigningKey& key,
                     uint64_t timestamp);

struct Cosigner {
  std::string name;
  PublicKey key{};
};

// "<name>+<key id hex>+<base64(0x04 || key)>".
std::string CosignerVerifierKey(const Cosigner& c);

// True when `sig` carries this cosigner's name and key ID (validity unchecked).
bool IsCosignatureBy(const NoteSignature& sig, const Cosigner& c);

// Verifies `sig` as a cosignature by `c` of `checkpoint_text`; returns its
// timestamp. InvalidArgument when it is not by `c` or is not 72 bytes;
// PermissionDenied when the signature fails or the timestamp is 2^63 or more.
Result<uint64_t> VerifyCosignature(std::string_view checkpoint_text, const NoteSignature& sig,
                                   const Cosigner& c);

}  // namespace jejak
