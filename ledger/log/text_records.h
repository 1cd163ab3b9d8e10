// Generic text records: the record layer of `jejak append`, one record per
// line. Useful for tests, benchmarks and non-PKH logs.
#pragma once

#include <string_view>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/status.h"

namespace jejak {

// A statement holds at most this many records, and its input this many bytes.
inline constexpr size_t kMaxStatementRecords = 2'000'000;
inline constexpr size_t kMaxRecordsInputBytes = size_t{1} << 30;

// Statement types are 1-64 characters of [a-z0-9._-], starting with a letter.
Status ValidateStatementType(std::string_view type);

// Splits `input` into lines (LF or CRLF; a final newline is optional) and
// encodes each as a text record leaf. InvalidArgument naming `where` and the
// line for an empty line, invalid UTF-8, a control character other than tab,
// or a record too large for an entry.
Result<std::vector<Bytes>> TextRecordLeaves(std::string_view input, std::string_view where);

}  // namespace jejak
