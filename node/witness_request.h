// The bodies of C2SP tlog-witness (c2sp.org/tlog-witness) add-checkpoint:
// the request, and the size a 409 Conflict answers with.
//
//   request    = old-line *63(proof-line) LF checkpoint
//   old-line   = "old " size LF
//   proof-line = base64(32-byte SHA-256 hash) LF   ; RFC 4648 §4, padded
//   checkpoint = the signed note, verbatim, ending in LF
//   size       = "0" / %x31-39 *DIGIT               ; at most 2^64-1
//   tlog-size  = size LF                            ; text/x.tlog.size
//
// Pure code: these functions only read and build strings, verify nothing and
// are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace jejak {

inline constexpr size_t kMaxConsistencyProofLines = 63;
inline constexpr size_t kMaxAddCheckpointBytes = 64 * 1024;  // bodies larger are refused
inline constexpr std::string_view kTlogSizeContentType = "text/x.tlog.size";

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<Hash> proof;  // the consistency proof from old_size, in order
  std::string checkpoint;   // the note: text, blank line, signature lines
};

// Parses an add-checkpoint body. Checks the format only: that the old size
// and the proof agree with the checkpoint, that the proof is empty when the
// old size is 0, and that the checkpoint is a well-formed signed note are the
// caller's to check. InvalidArgument, naming the line (counted from 1) and
// what is wrong, for: a body larger than kMaxAddCheckpointBytes; a missing or
// malformed "old <size>" line (leading zero, not decimal, above 2^64-1); a
// proof line that is not canonical padded base64 or not 32 bytes; more than
// kMaxConsistencyProofLines proof lines; a body that ends before the empty
// line; an empty checkpoint; a checkpoint without its final newline. Messages
// never quote the body.
Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body);

// The body for `request`. It parses back to `request` when the proof has at
// most kMaxConsistencyProofLines hashes and the checkpoint is non-empty and
// ends in "\n" (the caller's to ensure).
std::string FormatAddCheckpointRequest(const AddCheckpointRequest& request);

// The body of a 409 Conflict answer: `size` in decimal and "\n".
std::string FormatTlogSize(uint64_t size);

// Parses a 409 Conflict body (exactly a decimal size and "\n"). InvalidArgument
// saying what is wrong (no final newline, empty, leading zero, not decimal,
// above 2^64-1, more than one line).
Result<uint64_t> ParseTlogSize(std::string_view body);

}  // namespace jejak
