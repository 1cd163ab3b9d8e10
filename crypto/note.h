// C2SP signed notes (c2sp.org/signed-note): text signed by one or more keys.
//
// Verifier keys are strings "<name>+<hex key ID>+<base64(type || public key)>".
// Only Ed25519 (type 0x01) keys verify notes here; signatures from other keys
// are carried along untouched, as the spec requires.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace jejak {

inline constexpr uint8_t kNoteTypeEd25519 = 0x01;
inline constexpr uint8_t kNoteTypeCosignature = 0x04;
// A note larger than this is refused before parsing (bounds hostile input).
inline constexpr size_t kMaxNoteBytes = 1 << 20;
// Notes with more signature lines than this are refused; the spec asks for >= 16.
inline constexpr size_t kMaxNoteSignatures = 256;

// SHA-256(name || "\n" || type || public key)[:4], big-endian.
uint32_t NoteKeyId(std::string_view name, uint8_t type, const PublicKey& key);

// True when `name` is a valid key name: non-empty, no spaces, no '+', valid UTF-8.
bool ValidKeyName(std::string_view name);

struct NoteVerifierKey {
  std::string name;
  uint32_t key_id = 0;
  uint8_t type = kNoteTypeEd25519;
  PublicKey key{};

  static NoteVerifierKey ForEd25519(std::string name, const PublicKey& key);
  std::string ToString() const;
};

// Parses a verifier key string; checks that the key ID matches name and key.
Result<NoteVerifierKey> ParseVerifierKey(std::string_view text);

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  Bytes signature;  // the bytes after the key ID

  std::string Line() const;  // "— name base64(keyid || signature)\n"
};

struct Note {
  std::string text;  // ends in "\n"
  std::vector<NoteSignature> signatures;

  std::string Serialize() const;  // text, blank line, signature lines
};

// Parses the format only (UTF-8, no control characters but newline, the blank
// line, well-formed signature lines). Verifies nothing.
Result<Note> ParseNote(std::string_view data);

// Signs `text` (which must end in "\n") with an Ed25519 key under `name`.
NoteSignature SignNoteText(std::string_view text, std::string_view name, const SigningKey& key);

// Verifies `note` against `known` keys: signatures by unknown keys are ignored;
// any signature by a known key that fails is an error (PermissionDenied), and
// so is a note that no known key signed. On success returns the known keys that
// signed, in signature order.
Result<std::vector<NoteVerifierKey>> VerifyNote(const Note& note,
                                                std::span<const NoteVerifierKey> known);

// True when `s` is valid UTF-8 with no control characters other than newline.
bool ValidNoteCharacters(std::string_view s);

}  // namespace jejak
