#include "ledger/log/text_records.h"

#include <fmt/format.h>

#include "ledger/log/entry.h"

namespace jejak {

Status ValidateStatementType(std::string_view type) {
  const bool ok =
      !type.empty() && type.size() <= 64 && type[0] >= 'a' && type[0] <= 'z' &&
      type.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") == std::string_view::npos;
  if (!ok) {
    // Not echoed: it may be any bytes a client sent.
    return InvalidArgument(
        "the statement type must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with "
        "a letter");
  }
  return Status::Ok();
}

Result<std::vector<Bytes>> TextRecordLeaves(std::string_view input, std::string_view where) {
  std::vector<Bytes> leaves;
  size_t line_no = 0;
  while (!input.empty()) {
    const size_t nl = input.find('\n');
    std::string_view line = input.substr(0, nl);
    input.remove_prefix(nl == std::string_view::npos ? input.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return InvalidArgument(fmt::format("{} line {}: empty line", where, line_no));
    if (!ValidUtf8(line, {.allow_newline = false, .allow_tab = true, .allow_spaces = true})) {
      return InvalidArgument(
          fmt::format("{} line {}: not valid UTF-8, or holds a control character", where, line_no));
    }
    if (leaves.size() == kMaxStatementRecords) {
      return InvalidArgument(
          fmt::format("{}: more than {} records in one statement", where, kMaxStatementRecords));
    }
    auto leaf = EncodeTextRecordEntry(line);
    if (!leaf.ok())
      return InvalidArgument(
          fmt::format("{} line {}: {}", where, line_no, leaf.status().message()));
    leaves.push_back(std::move(leaf).value());
  }
  if (leaves.empty()) return InvalidArgument(fmt::format("{}: no records", where));
  return leaves;
}

}  // namespace jejak
