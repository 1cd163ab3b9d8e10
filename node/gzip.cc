#include "node/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace jejak {
namespace {

// zlib's window bits for the gzip wrapper.
constexpr int kGzipWindow = 15 + 16;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string GzipCompress(std::string_view data, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

Result<std::string> GzipDecompress(std::string_view data, size_t max_bytes,
                                   std::string_view where) {
  z_stream z{};
  if (inflateInit2(&z, kGzipWindow) != Z_OK) return Internal("zlib: cannot start inflating");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    const size_t got = sizeof chunk - z.avail_out;
    if (out.size() + got > max_bytes) {
      inflateEnd(&z);
      return Corruption(fmt::format("{}: decodes to more than {} bytes", where, max_bytes));
    }
    out.append(chunk, got);
    if (rc == Z_OK && got == 0 && z.avail_in == 0) {
      rc = Z_BUF_ERROR;  // the input ended inside the stream
      break;
    }
  }
  const bool trailing = rc == Z_STREAM_END && z.avail_in != 0;
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return Corruption(fmt::format("{}: not a whole gzip body", where));
  if (trailing) return Corruption(fmt::format("{}: bytes after the gzip body", where));
  return out;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  const std::string value = Lower(accept_encoding);
  std::string_view rest = value;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = Trim(rest.substr(0, comma));
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    const size_t semi = item.find(';');
    const std::string_view coding = Trim(item.substr(0, semi));
    if (coding != "gzip" && coding != "x-gzip") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view param = Trim(item.substr(semi + 1));
    if (!param.starts_with("q=")) return true;
    param.remove_prefix(2);
    // q=0, q=0.0, q=0.00, q=0.000: refused; any other weight accepts.
    return param.find_first_not_of("0.") != std::string_view::npos;
  }
  return false;
}

}  // namespace jejak
