#include "tools/gen/support.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "crypto/encoding.h"

namespace jejak::gen {
namespace {

uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

Rng::Rng(uint64_t seed) {
  for (uint64_t& s : s_) s = SplitMix(seed);
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t StreamSeed(uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03);
  return SplitMix(x);
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string DateText(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d);
}

int64_t MonthIndex(int64_t year, unsigned month) { return year * 12 + month - 1; }

std::string MonthText(int64_t month_index) {
  return fmt::format("{:04}-{:02}", FloorDiv(month_index, 12),
                     month_index - FloorDiv(month_index, 12) * 12 + 1);
}

int64_t FirstDayOfMonth(int64_t month_index) {
  const int64_t year = FloorDiv(month_index, 12);
  return DaysFromCivil(year, static_cast<unsigned>(month_index - year * 12 + 1), 1);
}

int64_t InstantOf(const LocalTime& t) {
  return t.day * kSecondsPerDay + t.second - int64_t{t.offset_minutes} * 60;
}

LocalTime AtOffset(int64_t instant, int offset_minutes) {
  const int64_t local = instant + int64_t{offset_minutes} * 60;
  LocalTime t;
  t.day = FloorDiv(local, kSecondsPerDay);
  t.second = local - t.day * kSecondsPerDay;
  t.offset_minutes = offset_minutes;
  return t;
}

std::string DateTimeText(std::string_view date, const LocalTime& t) {
  std::string out =
      fmt::format("{}T{:02}:{:02}:{:02}", date, t.second / 3600, t.second / 60 % 60, t.second % 60);
  if (t.offset_minutes == 0) return out + "Z";
  const int m = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
  return out + fmt::format("{}{:02}:{:02}", t.offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
}

std::string HexOfRandom32(Rng& rng) {
  std::array<uint8_t, 32> digest;
  for (size_t w = 0; w < 4; ++w) {
    const uint64_t x = rng.Next();
    std::memcpy(digest.data() + 8 * w, &x, 8);
  }
  return HexEncode(digest);
}

void CsvFile::Open(const std::string& path, std::string_view header, size_t buffer_bytes) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) error_ = fmt::format("{}: {}", path, std::strerror(errno));
  buffer_.resize(std::max(buffer_bytes, header.size() + 1));
  Raw(header);
  Raw("\n");
}

CsvFile& CsvFile::Num(uint64_t v) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  return Text({digits, static_cast<size_t>(end - digits)});
}

std::string CsvFile::Close() {
  if (fd_ >= 0) {
    Flush();
    if (::close(fd_) != 0 && error_.empty()) {
      error_ = fmt::format("{}: {}", path_, std::strerror(errno));
    }
    fd_ = -1;
  }
  return error_;
}

void CsvFile::Raw(std::string_view s) {
  if (used_ + s.size() > buffer_.size()) Flush();
  if (s.size() > buffer_.size()) buffer_.resize(s.size());
  std::memcpy(buffer_.data() + used_, s.data(), s.size());
  used_ += s.size();
}

void CsvFile::Flush() {
  for (size_t done = 0; done < used_ && error_.empty();) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, used_ - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error_ = fmt::format("{}: {}", path_, std::strerror(errno));
    done += n > 0 ? static_cast<size_t>(n) : 0;
  }
  used_ = 0;
}

}  // namespace jejak::gen
