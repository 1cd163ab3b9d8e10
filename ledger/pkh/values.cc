#include "ledger/pkh/values.h"

#include <fmt/format.h>

#include <algorithm>

#include "crypto/encoding.h"

namespace jejak {
namespace {

constexpr std::string_view kDateShape = "expected a date as YYYY-MM-DD";
constexpr std::string_view kDateTimeShape =
    "expected a date YYYY-MM-DD or a date-time YYYY-MM-DDTHH:MM[:SS[.fraction]] with an "
    "optional Z, +HH:MM or -HH:MM";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` digits of `s` at `at` into `value`; false if any is not a
// digit or `s` is too short.
bool ReadDigits(std::string_view s, size_t at, size_t count, unsigned& value) {
  if (at + count > s.size()) return false;
  value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (!IsDigit(s[i])) return false;
    value = value * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

bool IsLeapYear(unsigned year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(unsigned year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool ValidYear(unsigned year) { return year >= 1900 && year <= 2999; }

// Checks a HH:MM pair at `at` (hours up to 23, minutes up to 59), as in a
// time of day or a time zone offset; `what` names it in messages.
Status CheckHoursMinutes(std::string_view s, size_t at, std::string_view what) {
  unsigned hour = 0, minute = 0;
  if (!ReadDigits(s, at, 2, hour) || at + 2 >= s.size() || s[at + 2] != ':' ||
      !ReadDigits(s, at + 3, 2, minute)) {
    return InvalidArgument(fmt::format("{} must be written HH:MM", what));
  }
  if (hour > 23) return InvalidArgument(fmt::format("{}: the hour must be 00 to 23", what));
  if (minute > 59) return InvalidArgument(fmt::format("{}: the minute must be 00 to 59", what));
  return Status::Ok();
}

// Checks what follows "HH:MM" of a time at `at`: [:SS[.F]][Z|+HH:MM|-HH:MM].
Status CheckTimeRest(std::string_view s, size_t at) {
  if (at < s.size() && s[at] == ':') {
    unsigned second = 0;
    if (!ReadDigits(s, at + 1, 2, second)) return InvalidArgument("seconds must be written :SS");
    if (second > 59) return InvalidArgument("the second must be 00 to 59");
    at += 3;
    if (at < s.size() && s[at] == '.') {
      size_t digits = 0;
      while (at + 1 + digits < s.size() && IsDigit(s[at + 1 + digits])) ++digits;
      if (digits < 1 || digits > 9) {
        return InvalidArgument("a fraction of a second must have 1 to 9 digits");
      }
      at += 1 + digits;
    }
  }
  if (at == s.size()) return Status::Ok();
  if (s[at] == 'Z') {
    ++at;
  } else if (s[at] == '+' || s[at] == '-') {
    RETURN_IF_ERROR(CheckHoursMinutes(s, at + 1, "the time zone offset"));
    at += 6;
  } else {
    return InvalidArgument(fmt::format("unexpected text after the time; {}", kDateTimeShape));
  }
  if (at != s.size()) {
    return InvalidArgument("unexpected text after the time zone; the value must end there");
  }
  return Status::Ok();
}

Status CheckDate(std::string_view s) {
  unsigned year = 0, month = 0, day = 0;
  if (s.size() != 10 || !ReadDigits(s, 0, 4, year) || s[4] != '-' || !ReadDigits(s, 5, 2, month) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, day)) {
    return InvalidArgument(std::string(kDateShape));
  }
  if (!ValidYear(year)) return InvalidArgument("the year must be 1900 to 2999");
  if (month < 1 || month > 12) {
    return InvalidArgument("not a calendar date: the month must be 01 to 12");
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    return InvalidArgument("not a calendar date: that month has no such day");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ParseIsoDate(std::string_view s) {
  RETURN_IF_ERROR(CheckDate(s));
  return std::string(s);
}

Result<std::string> ParseIsoDateOrDateTime(std::string_view s) {
  if (s.size() < 10) return InvalidArgument(std::string(kDateTimeShape));
  RETURN_IF_ERROR(CheckDate(s.substr(0, 10)));
  if (s.size() > 10) {
    if (s[10] != 'T' && s[10] != ' ') return InvalidArgument(std::string(kDateTimeShape));
    RETURN_IF_ERROR(CheckHoursMinutes(s, 11, "the time"));
    RETURN_IF_ERROR(CheckTimeRest(s, 16));
  }
  return std::string(s);
}

int64_t UnixSecondsOfDate(std::string_view date) {
  // Howard Hinnant's days_from_civil, for a validated YYYY-MM-DD.
  unsigned yy = 0, mm = 0, dd = 0;
  ReadDigits(date, 0, 4, yy);
  ReadDigits(date, 5, 2, mm);
  ReadDigits(date, 8, 2, dd);
  int64_t y = static_cast<int64_t>(yy) - (mm <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (static_cast<int64_t>(mm) + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + dd - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (era * 146097 + doe - 719468) * 86400;
}

Result<Instant> ParseDateTimeWithOffset(std::string_view s) {
  constexpr std::string_view kShape =
      "expected a date-time as YYYY-MM-DDTHH:MM:SS followed by Z or an offset such as +07:00";
  if (s.size() < 20) return InvalidArgument(std::string(kShape));
  RETURN_IF_ERROR(CheckDate(s.substr(0, 10)));
  unsigned hh = 0, mi = 0, ss = 0;
  if (s[10] != 'T' || !ReadDigits(s, 11, 2, hh) || s[13] != ':' || !ReadDigits(s, 14, 2, mi) ||
      s[16] != ':' || !ReadDigits(s, 17, 2, ss) || hh > 23 || mi > 59 || ss > 59) {
    return InvalidArgument(std::string(kShape));
  }
  int64_t offset = 0;
  const std::string_view zone = s.substr(19);
  if (zone == "Z") {
    offset = 0;
  } else {
    unsigned oh = 0, om = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !ReadDigits(zone, 1, 2, oh) ||
        zone[3] != ':' || !ReadDigits(zone, 4, 2, om) || oh > 23 || om > 59) {
      return InvalidArgument(fmt::format(
          "{} (a time without an offset, or with a fraction of a second, is refused)", kShape));
    }
    offset = (static_cast<int64_t>(oh) * 60 + om) * 60 * (zone[0] == '-' ? -1 : 1);
  }
  Instant out;
  out.text = std::string(s);
  out.seconds = UnixSecondsOfDate(s.substr(0, 10)) + hh * 3600 + mi * 60 + ss - offset;
  return out;
}

std::string FormatWib(int64_t seconds) {
  const int64_t local = seconds + 7 * 3600;
  int64_t days = local / 86400, rest = local % 86400;
  if (rest < 0) rest += 86400, --days;
  // Howard Hinnant's civil_from_days.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+07:00", y, m, d, rest / 3600,
                     rest / 60 % 60, rest % 60);
}

Result<std::string> ParseYearMonth(std::string_view s) {
  unsigned year = 0, month = 0;
  if (s.size() != 7 || !ReadDigits(s, 0, 4, year) || s[4] != '-' || !ReadDigits(s, 5, 2, month) ||
      year < 1900 || year > 2999 || month < 1 || month > 12) {
    return InvalidArgument("expected a month as YYYY-MM");
  }
  return std::string(s);
}

std::string MonthsBefore(std::string_view month, unsigned n) {
  unsigned year = 0, m = 0;
  ReadDigits(month, 0, 4, year);
  ReadDigits(month, 5, 2, m);
  const int64_t index = static_cast<int64_t>(year) * 12 + (m - 1) - n;
  return fmt::format("{:04d}-{:02d}", index / 12, index % 12 + 1);
}

std::string_view CalendarDate(std::string_view validated) { return validated.substr(0, 10); }

std::string GroupDigits(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

Result<uint64_t> ParseRupiah(std::string_view s) {
  constexpr std::string_view kExpected = "expected a whole number of rupiah, digits only";
  if (s.empty()) return InvalidArgument(fmt::format("empty amount; {}", kExpected));
  if (s.size() > 1 && s[0] == '-' && IsDigit(s[1])) {
    return InvalidArgument(fmt::format("negative amount; {}", kExpected));
  }
  const bool digits_and_marks =
      std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c) || c == '.' || c == ','; });
  if (!digits_and_marks || std::none_of(s.begin(), s.end(), IsDigit)) {
    return InvalidArgument(fmt::format("not a number; {}", kExpected));
  }
  if (s.find_first_of(".,") != std::string_view::npos) {
    return InvalidArgument(
        "not a whole number of rupiah; write digits only, without a decimal point or thousands "
        "separators");
  }
  if (s.size() > 1 && s[0] == '0') {
    return InvalidArgument(fmt::format("amount has a leading zero; {}", kExpected));
  }
  uint64_t value = 0;
  for (char c : s) {
    value = value * 10 + static_cast<uint64_t>(c - '0');
    if (value > kMaxRupiah) {
      return InvalidArgument(fmt::format("amount is too large; at most {} rupiah", kMaxRupiah));
    }
  }
  return value;
}

Result<uint16_t> ParseMemberCount(std::string_view s) {
  unsigned value = 0;
  if (s.empty() || s.size() > 2 || !ReadDigits(s, 0, s.size(), value)) {
    return InvalidArgument("expected a member count from 0 to 99, digits only");
  }
  if (s.size() > 1 && s[0] == '0') {
    return InvalidArgument("member count has a leading zero; expected 0 to 99");
  }
  return static_cast<uint16_t>(value);
}

Result<std::optional<std::array<uint8_t, 32>>> ParseOptionalSha256Hex(std::string_view s) {
  if (s.empty()) return std::optional<std::array<uint8_t, 32>>();
  if (s.size() != 64) {
    return InvalidArgument(fmt::format(
        "expected 64 hex digits (a SHA-256 digest) or nothing; found {} characters", s.size()));
  }
  auto bytes = HexDecode(s);
  if (!bytes.ok()) {
    return InvalidArgument("expected 64 hex digits (a SHA-256 digest); found a non-hex character");
  }
  std::array<uint8_t, 32> digest;
  std::copy(bytes->begin(), bytes->end(), digest.begin());
  return std::optional<std::array<uint8_t, 32>>(digest);
}

Result<std::string> ParseStageId(std::string_view s) {
  unsigned year = 0;
  if (s.size() != 7 || !ReadDigits(s, 0, 4, year) || s[4] != '-' || s[5] != 'T' || s[6] < '1' ||
      s[6] > '9') {
    return InvalidArgument("expected a stage id as YYYY-Tn with n from 1 to 9 (e.g. 2026-T1)");
  }
  if (!ValidYear(year)) return InvalidArgument("the stage's year must be 1900 to 2999");
  return std::string(s);
}

uint16_t StageYear(std::string_view stage) {
  if (!ParseStageId(stage).ok()) return 0;
  unsigned year = 0;
  ReadDigits(stage, 0, 4, year);
  return static_cast<uint16_t>(year);
}

Status ValidateShortText(std::string_view s, size_t max, std::string_view what) {
  if (s.empty()) return InvalidArgument(fmt::format("{} is empty", what));
  if (s.size() > max) {
    return InvalidArgument(fmt::format("{} is {} bytes; at most {}", what, s.size(), max));
  }
  const size_t bad =
      s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-");
  if (bad != std::string_view::npos) {
    return InvalidArgument(fmt::format(
        "{} may hold only A-Z, a-z, 0-9, '.', '_', '/' and '-' (byte {} is another character)",
        what, bad + 1));
  }
  return Status::Ok();
}

Status ValidateKpmIdentifier(std::string_view id) {
  if (id.empty() || id.size() > kMaxKpmIdBytes) {
    return InvalidArgument(
        fmt::format("expected a KPM identifier of 1 to {} bytes", kMaxKpmIdBytes));
  }
  if (id.front() == ' ' || id.back() == ' ') {
    return InvalidArgument("the KPM identifier begins or ends with a space");
  }
  for (size_t i = 0; i < id.size(); ++i) {
    const auto b = static_cast<uint8_t>(id[i]);
    if (b < 0x20 || b == 0x7f) {
      return InvalidArgument(
          fmt::format("the KPM identifier holds a control character (byte {})", i + 1));
    }
    // The invisible and space-like characters of UTF-8 that a copied cell
    // can carry: U+00A0 and U+00AD (C2 A0, C2 AD), U+2000-U+200F and
    // U+2028-U+202F and U+205F-U+2064 (E2 80 80-8F, E2 80 A8-AF, E2 81
    // 9F-A4), U+3000 (E3 80 80), U+FEFF (EF BB BF), U+180E (E1 A0 8E).
    auto at = [&](size_t k) { return i + k < id.size() ? static_cast<uint8_t>(id[i + k]) : 0; };
    const bool invisible =
        (b == 0xC2 && (at(1) == 0xA0 || at(1) == 0xAD)) ||
        (b == 0xE2 && at(1) == 0x80 &&
         ((at(2) >= 0x80 && at(2) <= 0x8F) || (at(2) >= 0xA8 && at(2) <= 0xAF))) ||
        (b == 0xE2 && at(1) == 0x81 && at(2) >= 0x9F && at(2) <= 0xA4) ||
        (b == 0xE3 && at(1) == 0x80 && at(2) == 0x80) ||
        (b == 0xEF && at(1) == 0xBB && at(2) == 0xBF) ||
        (b == 0xE1 && at(1) == 0xA0 && at(2) == 0x8E);
    if (invisible) {
      return InvalidArgument(fmt::format(
          "the KPM identifier holds an invisible or space-like character (byte {})", i + 1));
    }
  }
  return Status::Ok();
}

Status ValidateRegionCode(std::string_view code, RegionLevel level, std::string_view what) {
  const bool digits =
      !code.empty() && code.find_first_not_of("0123456789") == std::string_view::npos;
  switch (level) {
    case RegionLevel::kKabupaten:
      if (digits && code.size() == 4) return Status::Ok();
      return InvalidArgument(
          fmt::format("{} must be a kabupaten code of 4 digits (its province's 2 and 2 more, as "
                      "7306)",
                      what));
    case RegionLevel::kProvince:
      if (digits && code.size() == 2) return Status::Ok();
      return InvalidArgument(fmt::format("{} must be a province code of 2 digits (as 73)", what));
    case RegionLevel::kProvinceOrKabupaten:
      if (digits && (code.size() == 2 || code.size() == 4)) return Status::Ok();
      return InvalidArgument(fmt::format(
          "{} must be a region code: 2 digits for a province (73), 4 for a kabupaten (7306)",
          what));
  }
  return InvalidArgument(std::string(what));
}

std::string FormatRupiah(uint64_t amount) { return "Rp " + GroupDigits(amount); }

}  // namespace jejak
