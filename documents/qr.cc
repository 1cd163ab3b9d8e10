#include "documents/qr.h"

#include <qrencode.h>

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <memory>
#include <optional>

namespace jejak {
namespace {

// ECI assignment number of UTF-8 (AIM ECI): the note's signature lines
// start with an em dash, which a reader must not take for Shift JIS.
constexpr unsigned kEciUtf8 = 26;

struct InputDeleter {
  void operator()(QRinput* p) const { QRinput_free(p); }
};
struct CodeDeleter {
  void operator()(QRcode* p) const { QRcode_free(p); }
};

// A decimal at the front of `s`, consumed; nullopt when there is none.
std::optional<uint64_t> TakeNumber(std::string_view& s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  s.remove_prefix(static_cast<size_t>(end - s.data()));
  return v;
}

bool TakeChar(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

Result<QrSymbol> EncodeQr(std::string_view data) {
  std::unique_ptr<QRinput, InputDeleter> input(QRinput_new2(0, QR_ECLEVEL_M));
  if (!input) return Internal("QRinput_new2 failed");
  if (QRinput_appendECIheader(input.get(), kEciUtf8) != 0 ||
      QRinput_append(input.get(), QR_MODE_8, static_cast<int>(data.size()),
                     reinterpret_cast<const unsigned char*>(data.data())) != 0) {
    return InvalidArgument(
        fmt::format("a QR code cannot hold {} bytes at error correction level M", data.size()));
  }
  std::unique_ptr<QRcode, CodeDeleter> code(QRcode_encodeInput(input.get()));
  if (!code) {
    return InvalidArgument(
        fmt::format("a QR code cannot hold {} bytes at error correction level M", data.size()));
  }
  QrSymbol out;
  out.size = code->width;
  out.dark.resize(static_cast<size_t>(code->width) * code->width);
  for (size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = code->data[i] & 1;
  return out;
}

Result<std::vector<std::string>> QrContents(std::string_view text, size_t max_part_bytes) {
  if (text.size() <= max_part_bytes) return std::vector<std::string>{std::string(text)};
  const size_t n = (text.size() + max_part_bytes - 1) / max_part_bytes;
  if (n > kMaxQrParts) {
    return InvalidArgument(
        fmt::format("{} bytes would take {} QR codes, more than the {} a page "
                    "carries",
                    text.size(), n, kMaxQrParts));
  }
  const size_t slice = (text.size() + n - 1) / n;
  std::vector<std::string> out;
  for (size_t k = 0; k < n; ++k) {
    std::string_view part = text.substr(k * slice, slice);
    out.push_back(fmt::format("{}{}/{} {}\n{}", kQrPartPrefix, k + 1, n, part.size(), part));
  }
  return out;
}

Result<std::string> JoinScannedQr(std::string_view scanned) {
  if (!scanned.starts_with(kQrPartPrefix)) {
    if (scanned.ends_with("\n\n")) scanned.remove_suffix(1);
    return std::string(scanned);
  }
  std::map<uint64_t, std::string_view> parts;
  uint64_t total = 0;
  std::string_view rest = scanned;
  while (!rest.empty()) {
    const size_t at = scanned.size() - rest.size();
    const std::string where = fmt::format("the scanned QR codes, byte {}", at);
    if (!rest.starts_with(kQrPartPrefix)) {
      return InvalidArgument(where + ": expected a part header \"jejak-qr K/N LEN\"");
    }
    rest.remove_prefix(kQrPartPrefix.size());
    auto k = TakeNumber(rest);
    const bool slash = TakeChar(rest, '/');
    auto n = TakeNumber(rest);
    const bool space = TakeChar(rest, ' ');
    auto len = TakeNumber(rest);
    if (!k || !slash || !n || !space || !len || !TakeChar(rest, '\n') || *k == 0 || *k > *n ||
        *n > kMaxQrParts) {
      return InvalidArgument(where +
                             ": a malformed part header (\"jejak-qr K/N LEN\", K in 1..N, N "
                             "at most " +
                             std::to_string(kMaxQrParts) + ")");
    }
    if (total != 0 && *n != total) {
      return InvalidArgument(
          fmt::format("{}: part {} says {} parts, an earlier one {}", where, *k, *n, total));
    }
    total = *n;
    if (*len > rest.size()) {
      return InvalidArgument(fmt::format("{}: part {} of {} is cut short: {} of its {} bytes",
                                         where, *k, *n, rest.size(), *len));
    }
    std::string_view slice = rest.substr(0, *len);
    rest.remove_prefix(*len);
    TakeChar(rest, '\n');  // the scanner's, after each code
    auto [it, inserted] = parts.emplace(*k, slice);
    if (!inserted && it->second != slice) {
      return InvalidArgument(
          fmt::format("{}: two different parts {} of {}: scan one page at a time", where, *k, *n));
    }
  }
  std::string out;
  for (uint64_t k = 1; k <= total; ++k) {
    auto it = parts.find(k);
    if (it == parts.end()) {
      return InvalidArgument(fmt::format(
          "the scanned QR codes lack part {} of {}: scan every code of the page", k, total));
    }
    out += it->second;
  }
  return out;
}

}  // namespace jejak
