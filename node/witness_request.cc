#include "node/witness_request.h"

#include <fmt/format.h>

#include "crypto/encoding.h"

namespace jejak {

Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body) {
  if (body.size() > kMaxAddCheckpointBytes) {
    return InvalidArgument(
        fmt::format("request body is larger than {} bytes", kMaxAddCheckpointBytes));
  }
  AddCheckpointRequest req;
  size_t line_no = 0;
  auto next_line = [&](std::string_view& line) -> Status {
    ++line_no;
    const size_t nl = body.find('\n');
    if (nl == std::string_view::npos) {
      return InvalidArgument(fmt::format("line {}: missing its newline", line_no));
    }
    line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    return Status::Ok();
  };
  std::string_view line;
  RETURN_IF_ERROR(next_line(line));
  if (!line.starts_with("old ")) {
    return InvalidArgument("line 1: expected \"old <size>\"");
  }
  auto size = ParseDecimal(line.substr(4));
  if (!size.ok()) {
    return InvalidArgument("line 1: the old size is not a decimal without leading zeros");
  }
  req.old_size = *size;
  for (;;) {
    RETURN_IF_ERROR(next_line(line));
    if (line.empty()) break;
    if (req.proof.size() == kMaxConsistencyProofLines) {
      return InvalidArgument(fmt::format("line {}: more than {} consistency proof lines", line_no,
                                         kMaxConsistencyProofLines));
    }
    auto hash = Base64DecodeFixed<32>(line);
    if (!hash.ok()) {
      return InvalidArgument(fmt::format("line {}: not a base64 SHA-256 hash", line_no));
    }
    req.proof.push_back(*hash);
  }
  if (body.empty())
    return InvalidArgument(fmt::format("line {}: no checkpoint follows", line_no + 1));
  if (body.back() != '\n') return InvalidArgument("the checkpoint does not end in a newline");
  req.checkpoint = std::string(body);
  return req;
}

std::string FormatAddCheckpointRequest(const AddCheckpointRequest& request) {
  std::string out = fmt::format("old {}\n", request.old_size);
  for (const auto& h : request.proof) out += Base64Encode(h) + "\n";
  out += "\n";
  out += request.checkpoint;
  return out;
}

std::string FormatTlogSize(uint64_t size) { return fmt::format("{}\n", size); }

Result<uint64_t> ParseTlogSize(std::string_view body) {
  if (body.empty() || body.back() != '\n') return InvalidArgument("tlog size: no final newline");
  auto size = ParseDecimal(body.substr(0, body.size() - 1));
  if (!size.ok()) return InvalidArgument("tlog size: not a decimal");
  return *size;
}

}  // namespace jejak
