// C2SP tlog-checkpoint notes: "<origin>\n<size>\n<base64 root>\n[extensions]".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/note.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace jejak {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // opaque extension lines, if any

  std::string Text() const;  // the note text, ending in "\n"
};

// Parses a checkpoint note text (not the signatures). InvalidArgument saying
// which line is wrong.
Result<Checkpoint> ParseCheckpointText(std::string_view text);

// A checkpoint whose note signature by the log's key has been verified.
struct SignedCheckpoint {
  Checkpoint checkpoint;
  Note note;
  std::string Serialize() const { return note.Serialize(); }
};

// Parses `note_text`, verifies it is signed by `log_key` and that its origin is
// `log_key.name`. PermissionDenied for a bad or missing signature, InvalidArgument
// for a malformed note.
Result<SignedCheckpoint> OpenCheckpoint(std::string_view note_text, const NoteVerifierKey& log_key);

// Signs a checkpoint with the log's key; the key name is the origin.
SignedCheckpoint SignCheckpoint(const Checkpoint& checkpoint, const SigningKey& key);

// An origin as a message may quote it: 'origin' when it is 1-256 printable
// ASCII characters without spaces (as a note's key name is), else "an
// origin that is not printable" (it came from outside: never echo raw bytes).
std::string QuotedOrigin(std::string_view origin);

}  // namespace jejak
