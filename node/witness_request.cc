#include "node/witness_request.h"

#include <algorithm>

#include <fmt/format.h>

#include "crypto/encoding.h"

namespace jejak {
namespace {

constexpr std::string_view kOldPrefix = "old ";

// Reads text a line at a time, counting lines from 1.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : rest_(text) {}

  bool AtEnd() const { return rest_.empty(); }
  // The number of the line Next() reads next.
  size_t next_line_no() const { return lines_read_ + 1; }
  // What Next() has not read yet.
  std::string_view rest() const { return rest_; }

  // Sets `line` to the next line without its "\n"; false (nothing read) when
  // no "\n" is left.
  bool Next(std::string_view& line) {
    const size_t nl = rest_.find('\n');
    if (nl == std::string_view::npos) return false;
    line = rest_.substr(0, nl);
    rest_.remove_prefix(nl + 1);
    ++lines_read_;
    return true;
  }

 private:
  std::string_view rest_;
  size_t lines_read_ = 0;
};

// A size as tlog-witness writes it: ASCII decimal, no leading zeros unless it
// is "0". `what` opens the error message. Never quotes `digits`, which comes
// from the network.
Result<uint64_t> ParseSize(std::string_view digits, std::string_view what) {
  if (digits.empty()) return InvalidArgument(fmt::format("{} is empty", what));
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return InvalidArgument(fmt::format("{} is not an ASCII decimal number", what));
  }
  if (digits.size() > 1 && digits[0] == '0') {
    return InvalidArgument(fmt::format("{} has a leading zero", what));
  }
  auto size = ParseDecimal(digits);
  if (!size.ok()) return InvalidArgument(fmt::format("{} is larger than 2^64-1", what));
  return *size;
}

Result<uint64_t> ParseOldLine(LineReader& lines) {
  if (lines.AtEnd()) {
    return InvalidArgument("line 1: the body is empty; expected an \"old <size>\" line");
  }
  std::string_view line;
  if (!lines.Next(line)) {
    return InvalidArgument("line 1: the \"old <size>\" line has no final newline");
  }
  if (!line.starts_with(kOldPrefix)) {
    return InvalidArgument("line 1: expected \"old <size>\" (\"old\", one space, the size)");
  }
  return ParseSize(line.substr(kOldPrefix.size()), "line 1: the old size");
}

Result<Hash> ParseProofHash(std::string_view line, size_t line_no) {
  auto bytes = Base64Decode(line);
  if (!bytes.ok()) {
    return InvalidArgument(fmt::format(
        "line {}: neither a base64 proof hash nor the empty line before the checkpoint ({})",
        line_no, bytes.status().message()));
  }
  if (bytes->size() != std::tuple_size_v<Hash>) {
    return InvalidArgument(fmt::format("line {}: the proof hash is {} bytes, not {}", line_no,
                                       bytes->size(), std::tuple_size_v<Hash>));
  }
  Hash hash;
  std::copy(bytes->begin(), bytes->end(), hash.begin());
  return hash;
}

// Reads proof lines up to and including the empty line.
Result<std::vector<Hash>> ParseProofLines(LineReader& lines) {
  std::vector<Hash> proof;
  for (;;) {
    const size_t line_no = lines.next_line_no();
    if (lines.AtEnd()) {
      return InvalidArgument(fmt::format(
          "line {}: the body ends before the empty line that precedes the checkpoint", line_no));
    }
    std::string_view line;
    if (!lines.Next(line)) {
      return InvalidArgument(fmt::format(
          "line {}: no final newline, and no empty line and checkpoint follow", line_no));
    }
    if (line.empty()) return proof;
    ASSIGN_OR_RETURN(Hash hash, ParseProofHash(line, line_no));
    if (proof.size() == kMaxConsistencyProofLines) {
      return InvalidArgument(fmt::format("line {}: more than {} consistency proof lines", line_no,
                                         kMaxConsistencyProofLines));
    }
    proof.push_back(hash);
  }
}

// The rest of the body: the checkpoint note, which only needs to be non-empty
// and end in "\n" here.
Result<std::string> TakeCheckpoint(const LineReader& lines) {
  const std::string_view rest = lines.rest();
  if (rest.empty()) {
    return InvalidArgument(
        fmt::format("line {}: no checkpoint follows the empty line", lines.next_line_no()));
  }
  if (rest.back() != '\n') {
    const size_t last =
        lines.next_line_no() + static_cast<size_t>(std::count(rest.begin(), rest.end(), '\n'));
    return InvalidArgument(
        fmt::format("line {}: the checkpoint's last line has no final newline", last));
  }
  return std::string(rest);
}

}  // namespace

Result<AddCheckpointRequest> ParseAddCheckpointRequest(std::string_view body) {
  if (body.size() > kMaxAddCheckpointBytes) {
    return InvalidArgument(fmt::format("the body is {} bytes, more than the limit of {}",
                                       body.size(), kMaxAddCheckpointBytes));
  }
  LineReader lines(body);
  AddCheckpointRequest request;
  ASSIGN_OR_RETURN(request.old_size, ParseOldLine(lines));
  ASSIGN_OR_RETURN(request.proof, ParseProofLines(lines));
  ASSIGN_OR_RETURN(request.checkpoint, TakeCheckpoint(lines));
  return request;
}

std::string FormatAddCheckpointRequest(const AddCheckpointRequest& request) {
  std::string out = fmt::format("{}{}\n", kOldPrefix, request.old_size);
  for (const Hash& h : request.proof) {
    out += Base64Encode(h);
    out += '\n';
  }
  out += '\n';
  out += request.checkpoint;
  return out;
}

std::string FormatTlogSize(uint64_t size) { return fmt::format("{}\n", size); }

Result<uint64_t> ParseTlogSize(std::string_view body) {
  if (body.empty()) return InvalidArgument("the tlog size body is empty");
  if (body.back() != '\n') return InvalidArgument("the tlog size body has no final newline");
  body.remove_suffix(1);
  if (body.find('\n') != std::string_view::npos) {
    return InvalidArgument("the tlog size body has more than one line");
  }
  return ParseSize(body, "the tlog size");
}

}  // namespace jejak
