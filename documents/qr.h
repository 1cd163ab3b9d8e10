// QR codes on printed documents (specs/documents.md, "QR codes"): the text a
// page carries (a C2SP tlog-proof), as one QR code when it fits
// kMaxQrPartBytes, else as a small group of parts that a reader joins back:
//
//   part    = "jejak-qr " K "/" N " " LEN LF  LEN bytes   ; K = 1..N
//
// The parts are equal slices of the text in order; LEN is the slice's byte
// count, so a part holds any byte and needs no escaping. Joining sorts the
// parts by K and concatenates the slices.
//
// Pure; every function is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace jejak {

// The largest slice in one QR code: with the part header, at most version 23
// at error correction level M (109 modules, 164 pt square with its quiet
// zone at 1.44 pt a module), so that three fit across an A4 page.
inline constexpr size_t kMaxQrPartBytes = 800;
inline constexpr size_t kMaxQrParts = 9;
inline constexpr std::string_view kQrPartPrefix = "jejak-qr ";

// A QR symbol without its quiet zone: size x size modules, row-major, 1 for
// dark.
struct QrSymbol {
  int size = 0;
  std::vector<uint8_t> dark;
};

// `data` in byte mode, UTF-8 declared (ECI 26), error correction level M,
// the smallest version that holds it. InvalidArgument when it does not fit
// a QR code, naming its size.
Result<QrSymbol> EncodeQr(std::string_view data);

// What the codes of `text` hold: `text` itself when it has at most
// `max_part_bytes` bytes, else the parts above. InvalidArgument when it
// would take more than kMaxQrParts parts.
Result<std::vector<std::string>> QrContents(std::string_view text,
                                            size_t max_part_bytes = kMaxQrPartBytes);

// The text back from what a scanner printed for one page (zbarimg --raw:
// each code's content followed by a newline, the codes in any order): the
// parts joined, or a single code's content without the scanner's newline.
// Text that is neither (a .tlog-proof file) is returned as it is. A proof
// never ends in a blank line, so a second final newline is the scanner's.
// InvalidArgument naming the part for a malformed or truncated part, parts
// that disagree on N or differ for one K, and a missing part.
Result<std::string> JoinScannedQr(std::string_view scanned);

}  // namespace jejak
