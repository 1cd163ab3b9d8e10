#include "crypto/encoding.h"

#include <sodium.h>

namespace jejak {

std::string HexEncode(ByteSpan data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(data.size() * 2, '\0');
  for (size_t i = 0; i < data.size(); ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Bytes> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return InvalidArgument("hex string has an odd number of digits");
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return InvalidArgument("not a hex digit at position " +
                             std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string Base64Encode(ByteSpan data) {
  const size_t len = sodium_base64_ENCODED_LEN(data.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), len, data.data(), data.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(len - 1);  // drop the terminating NUL
  return out;
}

Result<Bytes> Base64Decode(std::string_view b64) {
  Bytes out(b64.size() / 4 * 3 + 3);
  size_t bin_len = 0;
  const char* end = nullptr;
  if (b64.size() % 4 != 0 ||
      sodium_base642bin(out.data(), out.size(), b64.data(), b64.size(), nullptr, &bin_len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != b64.data() + b64.size()) {
    return InvalidArgument("malformed base64");
  }
  out.resize(bin_len);
  if (Base64Encode(out) != b64) return InvalidArgument("non-canonical base64");
  return out;
}

void PutBigEndian64(uint64_t v, uint8_t out[8]) {
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<uint8_t>(v);
}
uint64_t GetBigEndian64(const uint8_t in[8]) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | in[i];
  return v;
}
void PutBigEndian32(uint32_t v, uint8_t out[4]) {
  for (int i = 3; i >= 0; --i, v >>= 8) out[i] = static_cast<uint8_t>(v);
}
uint32_t GetBigEndian32(const uint8_t in[4]) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | in[i];
  return v;
}

// `s` quoted for a message, followed by a space, when it is short printable
// text; else empty. A number may be any bytes a peer sent (a header, a query,
// a path), and messages reach logs and HTTP answers.
static std::string QuotedNumber(std::string_view s) {
  if (s.size() > 64 || !ValidUtf8(s, {})) return "";
  return "'" + std::string(s) + "' ";
}

Result<uint64_t> ParseDecimal(std::string_view s) {
  if (s.empty()) return InvalidArgument("empty number");
  if (s.size() > 1 && s[0] == '0')
    return InvalidArgument("number " + QuotedNumber(s) + "has a leading zero");
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      const std::string quoted = QuotedNumber(s);
      return InvalidArgument((quoted.empty() ? "the value " : quoted) + "is not a decimal number");
    }
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10)
      return InvalidArgument("number " + QuotedNumber(s) + "is too large");
    v = v * 10 + d;
  }
  return v;
}

bool ValidUtf8(std::string_view s, const Utf8Rules& rules) {
  const bool allow_newline = rules.allow_newline;
  const bool no_spaces = !rules.allow_spaces;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      if (c == '\n') {
        if (!allow_newline) return false;
      } else if (c == '\t') {
        if (!rules.allow_tab) return false;
      } else if (c < 0x20 || c == 0x7f) {
        return false;
      } else if (no_spaces && c == ' ') {
        return false;
      }
      ++i;
      continue;
    }
    int len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    // C1 controls, and Unicode space separators in key names.
    if (cp >= 0x80 && cp <= 0x9f) return false;
    if (no_spaces &&
        (cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace jejak
