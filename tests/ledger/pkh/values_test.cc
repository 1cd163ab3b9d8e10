// Parsers of PKH import values: the one canonical spelling is accepted, every
// other is refused with a message that says what was expected and never
// repeats the value.
#include "ledger/pkh/values.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace jejak {
namespace {

using ::testing::HasSubstr;

// Expects InvalidArgument whose message holds `part` and not the value.
template <typename T>
void ExpectRefused(const Result<T>& r, std::string_view value, std::string_view part) {
  ASSERT_FALSE(r.ok()) << "accepted '" << value << "'";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr(part)) << "for '" << value << "'";
  if (value.size() >= 3) {
    EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr(value))) << "echoes the value";
  }
}

TEST(ValueDate, AcceptsRealCalendarDates) {
  for (std::string_view s : {"2026-01-31", "2024-02-29", "2000-02-29", "1900-01-01", "2999-12-31",
                             "2026-04-30", "2026-02-28"}) {
    auto r = ParseIsoDate(s);
    ASSERT_TRUE(r.ok()) << s << ": " << r.status().message();
    EXPECT_EQ(*r, s);
  }
}

TEST(ValueDate, RefusesOtherSpellingsAndImpossibleDates) {
  for (std::string_view s : {"2026-1-01", "2026-01-1", "26-01-01", "2026/01/01", "2026-01-01 ",
                             " 2026-01-01", "2026-01-01T10:00", "", "2026-0a-01", "20260101"}) {
    ExpectRefused(ParseIsoDate(s), s, "expected a date as YYYY-MM-DD");
  }
  ExpectRefused(ParseIsoDate("2026-13-01"), "2026-13-01", "the month must be 01 to 12");
  ExpectRefused(ParseIsoDate("2026-00-10"), "2026-00-10", "the month must be 01 to 12");
  for (std::string_view s :
       {"2026-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-01-32", "2026-01-00"}) {
    ExpectRefused(ParseIsoDate(s), s, "not a calendar date: that month has no such day");
  }
  ExpectRefused(ParseIsoDate("1899-12-31"), "1899-12-31", "the year must be 1900 to 2999");
  ExpectRefused(ParseIsoDate("3000-01-01"), "3000-01-01", "the year must be 1900 to 2999");
}

TEST(ValueDateTime, AcceptsDatesAndDateTimesAsWritten) {
  for (std::string_view s :
       {"2026-03-01", "2026-03-01T10:15", "2026-03-01 10:15", "2026-03-01T23:59:59",
        "2026-03-01T00:00:00.5", "2026-03-01T10:15:30.123456789", "2026-03-01T10:15Z",
        "2026-03-01T10:15:30+07:00", "2026-03-01T10:15:30.25-03:30", "2024-02-29 08:00+09:00"}) {
    auto r = ParseIsoDateOrDateTime(s);
    ASSERT_TRUE(r.ok()) << s << ": " << r.status().message();
    EXPECT_EQ(*r, s);
    EXPECT_EQ(CalendarDate(*r), s.substr(0, 10));
  }
}

TEST(ValueDateTime, RefusesEachBadPart) {
  const struct {
    std::string_view value, part;
  } kCases[] = {
      {"2026-03-1", "expected a date YYYY-MM-DD or a date-time"},
      {"2026-02-29T10:00", "that month has no such day"},
      {"2026-03-01X10:00", "expected a date YYYY-MM-DD or a date-time"},
      {"2026-03-01T", "the time must be written HH:MM"},
      {"2026-03-01T1:00", "the time must be written HH:MM"},
      {"2026-03-01T10", "the time must be written HH:MM"},
      {"2026-03-01T25:00", "the time: the hour must be 00 to 23"},
      {"2026-03-01T24:00", "the time: the hour must be 00 to 23"},
      {"2026-03-01T10:60", "the time: the minute must be 00 to 59"},
      {"2026-03-01T10:15:60", "the second must be 00 to 59"},
      {"2026-03-01T10:15:5", "seconds must be written :SS"},
      {"2026-03-01T10:15:30.", "a fraction of a second must have 1 to 9 digits"},
      {"2026-03-01T10:15:30.1234567890", "a fraction of a second must have 1 to 9 digits"},
      {"2026-03-01T10:15.5", "unexpected text after the time"},
      {"2026-03-01T10:15:30+7:00", "the time zone offset must be written HH:MM"},
      {"2026-03-01T10:15:30+0700", "the time zone offset must be written HH:MM"},
      {"2026-03-01T10:15:30+24:00", "the time zone offset: the hour must be 00 to 23"},
      {"2026-03-01T10:15:30+07:60", "the time zone offset: the minute must be 00 to 59"},
      {"2026-03-01T10:15:30z", "unexpected text after the time"},
      {"2026-03-01T10:15:30Zx", "unexpected text after the time zone"},
      {"2026-03-01T10:15:30+07:00 ", "unexpected text after the time zone"},
      {"2026-03-01T10:15 ", "unexpected text after the time"},
  };
  for (const auto& c : kCases) ExpectRefused(ParseIsoDateOrDateTime(c.value), c.value, c.part);
}

TEST(ValueRupiah, AcceptsWholeRupiah) {
  EXPECT_EQ(*ParseRupiah("0"), 0u);
  EXPECT_EQ(*ParseRupiah("750000"), 750'000u);
  EXPECT_EQ(*ParseRupiah("999999999999"), kMaxRupiah);
}

TEST(ValueRupiah, SaysWhatIsWrong) {
  ExpectRefused(ParseRupiah(""), "", "empty amount");
  ExpectRefused(ParseRupiah("-5"), "-5", "negative amount");
  ExpectRefused(ParseRupiah("-750000"), "-750000", "negative amount");
  ExpectRefused(ParseRupiah("12.5"), "12.5", "not a whole number of rupiah");
  ExpectRefused(ParseRupiah("1,000"), "1,000", "not a whole number of rupiah");
  ExpectRefused(ParseRupiah("750.000"), "750.000", "not a whole number of rupiah");
  for (std::string_view s : {"abc", "+5", " 5", "5 ", "Rp5000", "1e6", "-", ",", "0x10", "5-"}) {
    ExpectRefused(ParseRupiah(s), s, "not a number");
  }
  ExpectRefused(ParseRupiah("007"), "007", "amount has a leading zero");
  ExpectRefused(ParseRupiah("00"), "00", "amount has a leading zero");
  ExpectRefused(ParseRupiah("1000000000000"), "1000000000000",
                "amount is too large; at most 999999999999 rupiah");
  ExpectRefused(ParseRupiah("1000000000000000"), "1000000000000000", "amount is too large");
  ExpectRefused(ParseRupiah("99999999999999999999999"), "99999999999999999999999",
                "amount is too large");
}

TEST(ValueMemberCount, AcceptsZeroToNinetyNine) {
  EXPECT_EQ(*ParseMemberCount("0"), 0);
  EXPECT_EQ(*ParseMemberCount("7"), 7);
  EXPECT_EQ(*ParseMemberCount("99"), 99);
}

TEST(ValueMemberCount, RefusesEverythingElse) {
  for (std::string_view s : {"", "100", "-1", "1.0", " 1", "x", "1 "}) {
    ExpectRefused(ParseMemberCount(s), s, "expected a member count from 0 to 99, digits only");
  }
  ExpectRefused(ParseMemberCount("07"), "07", "member count has a leading zero");
}

TEST(ValueSha256, DecodesEitherCaseAndEmptyIsAbsent) {
  auto empty = ParseOptionalSha256Hex("");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());

  std::string hex;
  for (int i = 0; i < 32; ++i) hex += i % 2 ? "aB" : "0f";
  auto digest = ParseOptionalSha256Hex(hex);
  ASSERT_TRUE(digest.ok()) << digest.status().message();
  ASSERT_TRUE(digest->has_value());
  EXPECT_EQ((**digest)[0], 0x0f);
  EXPECT_EQ((**digest)[1], 0xab);
  EXPECT_EQ((**digest)[31], 0xab);
}

TEST(ValueSha256, RefusesWrongLengthOrDigits) {
  const std::string good(64, 'a');
  ExpectRefused(ParseOptionalSha256Hex(good.substr(0, 63)), good.substr(0, 63),
                "expected 64 hex digits (a SHA-256 digest) or nothing; found 63 characters");
  ExpectRefused(ParseOptionalSha256Hex(good + "a"), good + "a", "found 65 characters");
  ExpectRefused(ParseOptionalSha256Hex(good.substr(0, 63) + "g"), good.substr(0, 63) + "g",
                "found a non-hex character");
  ExpectRefused(ParseOptionalSha256Hex(" " + good.substr(1)), " " + good.substr(1),
                "found a non-hex character");
}

TEST(ValueStage, AcceptsStageIdsAndGivesTheirYear) {
  for (std::string_view s : {"2026-T1", "2025-T4", "1900-T9"}) {
    auto r = ParseStageId(s);
    ASSERT_TRUE(r.ok()) << s << ": " << r.status().message();
    EXPECT_EQ(*r, s);
  }
  EXPECT_EQ(StageYear("2026-T1"), 2026);
  EXPECT_EQ(StageYear("2999-T9"), 2999);
  EXPECT_EQ(StageYear("2026-T0"), 0);
  EXPECT_EQ(StageYear("garbage"), 0);
}

TEST(ValueStage, RefusesOtherShapes) {
  for (std::string_view s : {"2026-T0", "2026-T10", "2026-t1", "2026T1", "27-T1", "2026-Q1",
                             "2026-T1 ", "", "2026-TA"}) {
    ExpectRefused(ParseStageId(s), s, "expected a stage id as YYYY-Tn with n from 1 to 9");
  }
  ExpectRefused(ParseStageId("1899-T1"), "1899-T1", "the stage's year must be 1900 to 2999");
}

TEST(ValueShortText, AcceptsIdentifiers) {
  for (std::string_view s : {"BRI", "upd-2026/03.001", "a_b", "X"}) {
    EXPECT_TRUE(ValidateShortText(s, 16, "txn_ref").ok()) << s;
  }
  EXPECT_TRUE(ValidateShortText(std::string(16, 'a'), 16, "txn_ref").ok());
}

TEST(ValueShortText, NamesWhatIsWrong) {
  EXPECT_EQ(ValidateShortText("", 16, "txn_ref").message(), "txn_ref is empty");
  EXPECT_EQ(ValidateShortText(std::string(17, 'a'), 16, "update_id").message(),
            "update_id is 17 bytes; at most 16");
  const Status space = ValidateShortText("PT Pos", 16, "lembaga_bayar");
  EXPECT_EQ(space.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(space.message(),
            "lembaga_bayar may hold only A-Z, a-z, 0-9, '.', '_', '/' and '-' (byte 3 is another "
            "character)");
  EXPECT_EQ(ValidateShortText("ab\xC3\xA9", 16, "txn_ref").message(),
            "txn_ref may hold only A-Z, a-z, 0-9, '.', '_', '/' and '-' (byte 3 is another "
            "character)");
  EXPECT_FALSE(ValidateShortText("a,b", 16, "txn_ref").ok());
  EXPECT_FALSE(ValidateShortText("a\tb", 16, "txn_ref").ok());
}

}  // namespace
}  // namespace jejak

namespace jejak {
namespace {

TEST(ValueKpmIdentifier, RefusesWhatWouldMakeTwoFamiliesOfOne) {
  EXPECT_TRUE(ValidateKpmIdentifier("3273010101010001").ok());
  EXPECT_TRUE(ValidateKpmIdentifier("KPM-ÄÖ 7").ok());  // letters and inner spaces are fine
  const std::pair<std::string, std::string> kBad[] = {
      {"", "1 to 64 bytes"},
      {std::string(65, '1'), "1 to 64 bytes"},
      {"3273 ", "begins or ends with a space"},
      {" 3273", "begins or ends with a space"},
      {"32\t73", "control character (byte 3)"},
      {"3273\r", "control character (byte 5)"},
      {"32\xC2\xA0"
       "73",
       "invisible or space-like character (byte 3)"},                      // NBSP
      {"3273\xE2\x80\x8B", "invisible or space-like character (byte 5)"},  // zero-width space
      {"\xEF\xBB\xBF"
       "3273",
       "invisible or space-like character (byte 1)"},  // BOM
      {"32\xC2\xAD"
       "73",
       "invisible or space-like character (byte 3)"},  // soft hyphen
      {"32\xE2\x80\xA8"
       "73",
       "invisible or space-like character (byte 3)"},  // line separator
      {"32\xE3\x80\x80"
       "73",
       "invisible or space-like character (byte 3)"},  // ideographic space
  };
  for (const auto& [id, part] : kBad) {
    Status s = ValidateKpmIdentifier(id);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << part;
    EXPECT_NE(s.message().find(part), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find("3273"), std::string::npos) << "echoes the value: " << s.message();
  }
}

}  // namespace
}  // namespace jejak
