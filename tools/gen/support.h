// What jejak-gen builds on: a seeded PRNG, proleptic Gregorian days, date-times
// as written at a UTC offset, and a buffered CSV writer. No PKH rules here.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jejak::gen {

// xoshiro256** seeded through splitmix64 (Blackman and Vigna, public domain).
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, n) by multiply-shift (bias below n / 2^64).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi]; lo when hi < lo.
  int64_t Between(int64_t lo, int64_t hi) {
    return hi <= lo ? lo : lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool Percent(uint64_t p) { return Below(100) < p; }

 private:
  std::array<uint64_t, 4> s_{};
};

// The seed of stream `stream` (0: the layout, 1 + i: kabupaten i).
uint64_t StreamSeed(uint64_t seed, uint64_t stream);

// Days since 1970-01-01 of a proleptic Gregorian date, and its text
// YYYY-MM-DD (H. Hinnant's civil-from-days algorithms).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
std::string DateText(int64_t day);

// A month as year * 12 + (month - 1), its text YYYY-MM and its first day.
int64_t MonthIndex(int64_t year, unsigned month);
std::string MonthText(int64_t month_index);
int64_t FirstDayOfMonth(int64_t month_index);

constexpr int64_t kSecondsPerDay = 86'400;
constexpr int kWibMinutes = 7 * 60;

// A date-time as written: a calendar day, a second of that day and the UTC
// offset it is written at (0 writes "Z").
struct LocalTime {
  int64_t day = 0;
  int64_t second = 0;
  int offset_minutes = kWibMinutes;
};
// Seconds since the epoch of the instant it names.
int64_t InstantOf(const LocalTime& t);
// The same instant written at another offset.
LocalTime AtOffset(int64_t instant, int offset_minutes);
// "YYYY-MM-DDTHH:MM:SS" and "Z" or "+HH:MM"; `date` is the day's text.
std::string DateTimeText(std::string_view date, const LocalTime& t);

std::string HexOfRandom32(Rng& rng);

// A CSV file written through a buffer of `buffer_bytes`. The first error
// sticks and is returned by Close. Not thread-safe.
class CsvFile {
 public:
  static constexpr size_t kLargeBuffer = size_t{4} << 20;
  static constexpr size_t kSmallBuffer = size_t{64} << 10;

  CsvFile() = default;
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile() { (void)Close(); }

  void Open(const std::string& path, std::string_view header, size_t buffer_bytes = kLargeBuffer);
  CsvFile& Text(std::string_view s) {
    Separate();
    Raw(s);
    return *this;
  }
  CsvFile& Num(uint64_t v);
  void EndRow() {
    Raw("\n");
    first_ = true;
    ++rows_;
  }
  // Rows written since Open (the header not counted).
  uint64_t rows() const { return rows_; }
  // Empty on success, else the first error.
  std::string Close();

 private:
  void Separate() {
    if (!first_) Raw(",");
    first_ = false;
  }
  void Raw(std::string_view s);
  void Flush();

  std::string path_, error_;
  int fd_ = -1;
  std::vector<char> buffer_;
  size_t used_ = 0;
  uint64_t rows_ = 0;
  bool first_ = true;
};

}  // namespace jejak::gen
