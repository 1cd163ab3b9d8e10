// The body of a C2SP tlog-witness add-checkpoint request:
//
//   request = "old " size LF *63(base64-hash LF) LF checkpoint
//
// size is decimal without leading zeros; each proof line is one standard
// base64 SHA-256 hash; the checkpoint is a signed note, verbatim. Pure code.
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
inline constexpr size_t kMaxAddCheckpointBytes = 64 * 1024;  // larger bodies are refused
inline constexpr std::string_view kTlogSizeContentType = "text/x.tlog.size";

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<Hash> proof;
  std::string checkpoint;
};

// Parses the format only; verifies nothing. InvalidArgument naming the line
// and what is wrong.
Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body);
std::string FormatAddCheckpointRequest(const AddCheckpointRequest& request);

// The body of a 409 answer: the size in decimal and a newline.
std::string FormatTlogSize(uint64_t size);
Result<uint64_t> ParseTlogSize(std::string_view body);

}  // namespace jejak
