// Byte strings and their text encodings (lowercase hex, standard base64 per
// RFC 4648 §4 with padding). Decoders are strict: they accept only the one
// canonical encoding of a value and say what was wrong otherwise.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace jejak {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

inline ByteSpan AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(ByteSpan b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string HexEncode(ByteSpan data);
// Accepts lowercase or uppercase hex of even length.
Result<Bytes> HexDecode(std::string_view hex);

std::string Base64Encode(ByteSpan data);
// Rejects whitespace, missing padding and non-canonical trailing bits.
Result<Bytes> Base64Decode(std::string_view b64);

// Decodes base64 that must hold exactly N bytes.
template <size_t N>
Result<std::array<uint8_t, N>> Base64DecodeFixed(std::string_view b64) {
  auto bytes = Base64Decode(b64);
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() != N) {
    return InvalidArgument("expected " + std::to_string(N) + " bytes of base64, got " +
                           std::to_string(bytes->size()));
  }
  std::array<uint8_t, N> out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

// Valid UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF) with
// no control characters (C0, DEL, C1) except those the rules allow.
struct Utf8Rules {
  bool allow_newline = false;
  bool allow_tab = false;
  bool allow_spaces = true;  // false also refuses Unicode space separators
};
bool ValidUtf8(std::string_view s, const Utf8Rules& rules);

// Big-endian fixed-width integers, as used in store keys and wire formats.
void PutBigEndian64(uint64_t v, uint8_t out[8]);
uint64_t GetBigEndian64(const uint8_t in[8]);
void PutBigEndian32(uint32_t v, uint8_t out[4]);
uint32_t GetBigEndian32(const uint8_t in[4]);

// Parses a non-negative decimal with no sign, no leading zeros (except "0")
// and no overflow.
Result<uint64_t> ParseDecimal(std::string_view s);

}  // namespace jejak
