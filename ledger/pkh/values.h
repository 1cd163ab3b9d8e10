// Parsers for the values in PKH import files: dates, amounts, member counts,
// digests, stage ids and short identifiers.
//
// Each parser accepts only the one canonical spelling of a value and returns
// InvalidArgument with a short "what was expected" message. Messages never
// contain the value itself (import files hold personal data); callers prefix
// the location, e.g. with CsvReader::Where. All functions are pure and
// thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace jejak {

// A calendar date written exactly as YYYY-MM-DD, years 1900..2999, a day that
// exists in that month (leap years per the Gregorian calendar). Returns the
// date unchanged; InvalidArgument otherwise.
Result<std::string> ParseIsoDate(std::string_view s);

// A date as ParseIsoDate, or a date-time
//   YYYY-MM-DD('T'|' ')HH:MM[:SS[.F]][Z|+HH:MM|-HH:MM]
// with HH 00..23, MM and SS 00..59, F 1..9 digits, and an offset of HH 00..23
// and MM 00..59. Returns the string as written; InvalidArgument otherwise.
Result<std::string> ParseIsoDateOrDateTime(std::string_view s);

// An instant written as a date-time with an explicit offset (DOMAIN.md, the
// rest of the cycle): exactly YYYY-MM-DDTHH:MM:SS followed by 'Z' or
// +HH:MM / -HH:MM (offset hours 00..23, minutes 00..59). No fraction, no
// space for 'T', no offset-less time. The text as written, and the instant
// in seconds since 1970-01-01T00:00:00Z. InvalidArgument otherwise.
struct Instant {
  std::string text;
  int64_t seconds = 0;
};
Result<Instant> ParseDateTimeWithOffset(std::string_view s);

// Seconds since 1970 of 00:00:00 UTC of a date accepted by ParseIsoDate.
int64_t UnixSecondsOfDate(std::string_view date);

// The instant `seconds` (since 1970 UTC) as WIB local time,
// "YYYY-MM-DDTHH:MM:SS+07:00" (a valid ParseDateTimeWithOffset input for
// instants of years 1900..2999).
std::string FormatWib(int64_t seconds);

// A month written YYYY-MM (years 1900..2999, month 01..12). Returns it
// unchanged; InvalidArgument otherwise.
Result<std::string> ParseYearMonth(std::string_view s);
// The month `n` months before the YYYY-MM month `month` (n >= 0).
std::string MonthsBefore(std::string_view month, unsigned n);

// The calendar date as written (the first 10 characters) of a value accepted
// by ParseIsoDate or ParseIsoDateOrDateTime. Points into `validated`.
std::string_view CalendarDate(std::string_view validated);

// A whole number of rupiah, below 10^12 (kMaxRupiah; a PKH family receives a
// few million a stage, so a trillion is never a real row, and ten million
// rows of it still add up within 64 bits): decimal digits only,
// no sign, separators or decimal point, no leading zero except in "0".
// InvalidArgument says whether the value looked negative, not whole (has a
// '.' or ','), not a number, had a leading zero or was too large.
inline constexpr uint64_t kMaxRupiah = 999'999'999'999;
Result<uint64_t> ParseRupiah(std::string_view s);

// "1,850,000": the digits grouped by thousands, as reports print amounts and
// counts. Pure.
std::string GroupDigits(uint64_t n);
// "Rp 1,850,000". Pure.
std::string FormatRupiah(uint64_t amount);

// A count of family members, 0..99: digits only, no leading zero except in
// "0". InvalidArgument otherwise.
Result<uint16_t> ParseMemberCount(std::string_view s);

// Empty means absent (nullopt); otherwise exactly 64 hex digits of either
// case, decoded to the 32 bytes of a SHA-256 digest. InvalidArgument
// otherwise.
Result<std::optional<std::array<uint8_t, 32>>> ParseOptionalSha256Hex(std::string_view s);

// A stage id "YYYY-Tn": a year 1900..2999 and a stage number n of 1..9
// (e.g. "2026-T1"). Returns it unchanged; InvalidArgument otherwise.
Result<std::string> ParseStageId(std::string_view s);

// The year of a stage id accepted by ParseStageId ("2026-T1" -> 2026); 0 for
// anything ParseStageId refuses.
uint16_t StageYear(std::string_view stage);

// An identifier such as update_id, txn_ref or lembaga_bayar: 1..`max` bytes
// of A-Z, a-z, 0-9, '.', '_', '/' and '-' (no spaces). InvalidArgument
// naming `what` (e.g. "txn_ref") otherwise.
Status ValidateShortText(std::string_view s, size_t max, std::string_view what);

// Region codes as Kemendagri writes them: a province is 2 digits ("73"), a
// kabupaten or kota 4 (its province's and 2 more: "7306"). Kemensos, the
// lembaga bayar and the auditors are national ("00"). The one validator of
// region codes: InvalidArgument saying what `what` must be.
enum class RegionLevel {
  kKabupaten,            // exactly 4 digits
  kProvince,             // exactly 2 digits
  kProvinceOrKabupaten,  // a scope, a national node: 2 or 4 digits
};
Status ValidateRegionCode(std::string_view code, RegionLevel level, std::string_view what);

// A family's identifier (id_kpm) as a file gives it: 1 to 64 bytes with no
// control character (tab, CR, ...), no invisible or space-like character
// (no-break space, zero-width space and joiners, soft hyphen, byte-order
// mark, line and paragraph separators, the other Unicode spaces) and no
// leading or trailing space: each would make two families of one, since the
// pseudonym is of the bytes. InvalidArgument naming the byte, never the value.
inline constexpr size_t kMaxKpmIdBytes = 64;
Status ValidateKpmIdentifier(std::string_view id);

}  // namespace jejak
