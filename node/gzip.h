// gzip (RFC 1952) for HTTP bodies: tlog-tiles logs may send entry bundles
// with Content-Encoding: gzip, and a node serves its full bundles that way to
// clients that accept it. zlib does the work; decoding is bounded by the size
// the decoded body may have. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace jejak {

// `data` gzip-compressed (level 1..9; 1 is fast and enough for entries).
std::string GzipCompress(std::string_view data, int level = 6);

// The decoded bytes of one gzip member. Corruption naming `where` for bytes
// that are not gzip or are cut short, or that decode to more than
// `max_bytes` (checked as it decodes: a small body cannot expand without
// bound).
Result<std::string> GzipDecompress(std::string_view data, size_t max_bytes, std::string_view where);

// True when an Accept-Encoding header value accepts gzip (a "gzip" token
// whose q is not 0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace jejak
