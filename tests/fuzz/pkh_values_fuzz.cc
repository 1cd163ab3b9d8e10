// The values of PKH import files (ledger/pkh_values.h, the names of
// ledger/pkh_records.h and ledger/entitlement.h) over any text, as a CSV cell
// gives them. Each parser accepts only the one canonical spelling of a value:
// what it accepts prints back to the same text, within the documented
// ranges; and no message is unprintable or quotes the value (import files
// hold personal data).
#include <string>

#include "crypto/encoding.h"
#include "ledger/pkh/entitlement.h"
#include "ledger/pkh/records.h"
#include "ledger/pkh/values.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

std::string_view g_value;

// Messages are printable and never quote the value.
void CheckRefusal(const Status& s) {
  if (s.ok()) return;
  FUZZ_CHECK_MESSAGE(s);
  FUZZ_CHECK(!fuzz::EchoesDigits(s.message(), g_value), "a message never quotes the value");
}

bool AllOf(std::string_view s, std::string_view chars) {
  return s.find_first_not_of(chars) == std::string_view::npos;
}

constexpr std::string_view kDigits = "0123456789";

void CheckDates(std::string_view s) {
  auto date = ParseIsoDate(s);
  CheckRefusal(date.status());
  auto date_time = ParseIsoDateOrDateTime(s);
  CheckRefusal(date_time.status());
  if (date.ok()) {
    FUZZ_CHECK(*date == s && s.size() == 10, "a date is returned as written, YYYY-MM-DD");
    FUZZ_CHECK(date_time.ok(), "a date is also a date or date-time");
    const int year = std::stoi(std::string(s.substr(0, 4)));
    FUZZ_CHECK(year >= 1900 && year <= 2999, "a year is 1900..2999");
  }
  if (date_time.ok()) {
    FUZZ_CHECK(*date_time == s, "a date-time is returned as written");
    FUZZ_CHECK(ParseIsoDate(CalendarDate(s)).ok(), "a date-time's calendar date is a date");
  }
}

void CheckNumbers(std::string_view s) {
  auto rupiah = ParseRupiah(s);
  CheckRefusal(rupiah.status());
  if (rupiah.ok()) {
    FUZZ_CHECK(*rupiah <= kMaxRupiah, "an amount is at most Rp 999,999,999,999");
    FUZZ_CHECK(std::to_string(*rupiah) == s, "an amount prints back to itself");
    std::string grouped = GroupDigits(*rupiah);
    std::erase(grouped, ',');
    FUZZ_CHECK(grouped == s, "grouped digits are the amount's");
  }
  auto members = ParseMemberCount(s);
  CheckRefusal(members.status());
  if (members.ok()) {
    FUZZ_CHECK(*members <= 99 && std::to_string(*members) == s, "a count is 0..99 as written");
  }
  auto hash = ParseOptionalSha256Hex(s);
  CheckRefusal(hash.status());
  if (hash.ok()) {
    FUZZ_CHECK(hash->has_value() != s.empty(), "only an empty cell is an absent digest");
    if (*hash) {
      std::string lower(s);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      FUZZ_CHECK(HexEncode(**hash) == lower, "a digest prints back to its hex");
    }
  }
}

void CheckIdentifiers(std::string_view s) {
  auto stage = ParseStageId(s);
  CheckRefusal(stage.status());
  const uint16_t year = StageYear(s);
  FUZZ_CHECK(stage.ok() == (year != 0), "a stage has a year exactly when it parses");
  if (stage.ok()) {
    FUZZ_CHECK(*stage == s && year >= 1900 && year <= 2999, "a stage is returned as written");
  }
  Status short_text = ValidateShortText(s, 64, "txn_ref");
  CheckRefusal(short_text);
  if (short_text.ok()) {
    FUZZ_CHECK(!s.empty() && s.size() <= 64 &&
                   AllOf(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-"),
               "a short text is 1..64 bytes of the allowed characters");
  }
  const std::pair<RegionLevel, size_t> levels[] = {{RegionLevel::kKabupaten, 4},
                                                   {RegionLevel::kProvince, 2},
                                                   {RegionLevel::kProvinceOrKabupaten, 0}};
  for (const auto& [level, digits] : levels) {
    Status region = ValidateRegionCode(s, level, "the region");
    CheckRefusal(region);
    if (region.ok()) {
      FUZZ_CHECK(
          AllOf(s, kDigits) && (digits ? s.size() == digits : s.size() == 2 || s.size() == 4),
          "a region code is 2 or 4 digits as its level asks");
    }
  }
  Status kpm = ValidateKpmIdentifier(s);
  CheckRefusal(kpm);
  if (kpm.ok()) {
    FUZZ_CHECK(!s.empty() && s.size() <= kMaxKpmIdBytes, "an identifier is 1..64 bytes");
    FUZZ_CHECK(s.front() != ' ' && s.back() != ' ', "an identifier has no outer space");
    // A CSV field is UTF-8 with no control character but tab (ledger/csv.h);
    // an identifier is that without the tab.
    FUZZ_CHECK(!ValidUtf8(s, {.allow_tab = true}) || ValidUtf8(s, {}),
               "a field that is an identifier holds no tab");
  }
}

void CheckNames(std::string_view s) {
  if (auto v = ParseKpmStatus(s); v.ok()) {
    FUZZ_CHECK(KpmStatusName(*v) == s, "a status prints back");
  } else {
    CheckRefusal(v.status());
  }
  if (auto v = ParseReceiptStatus(s); v.ok()) {
    FUZZ_CHECK(ReceiptStatusName(*v) == s, "a receipt status prints back");
  } else {
    CheckRefusal(v.status());
  }
  if (auto v = ParseChannel(s); v.ok()) {
    FUZZ_CHECK(ChannelName(*v) == s, "a channel prints back");
  } else {
    CheckRefusal(v.status());
  }
  if (auto v = ParseRole(s); v.ok()) {
    FUZZ_CHECK(RoleName(*v) == s, "a role prints back");
  } else {
    CheckRefusal(v.status());
  }
  if (auto v = ParseComponent(s); v.ok()) {
    FUZZ_CHECK(ComponentName(*v) == s, "a component prints back");
  } else {
    CheckRefusal(v.status());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view s = fuzz::AsText(data, size);
  g_value = s;
  CheckDates(s);
  CheckNumbers(s);
  CheckIdentifiers(s);
  CheckNames(s);
  return 0;
}
