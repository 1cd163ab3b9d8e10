// Hex, base64, decimal and UTF-8 checks of crypto/encoding.h: round trips and
// strict rejection of every non-canonical spelling.
#include "crypto/encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace jejak {
namespace {

using ::testing::HasSubstr;

Bytes RandomBytes(std::mt19937_64& rng, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

// ---- Hex ----

TEST(HexTest, EncodesLowercaseTwoDigitsPerByte) {
  const Bytes b = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
  EXPECT_EQ(HexEncode(b), "00017f80abff");
  EXPECT_EQ(HexEncode({}), "");
}

TEST(HexTest, RoundTripsEveryLength) {
  std::mt19937_64 rng(1);
  for (size_t n = 0; n < 70; ++n) {
    const Bytes b = RandomBytes(rng, n);
    auto d = HexDecode(HexEncode(b));
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(*d, b) << "length " << n;
  }
}

TEST(HexTest, AcceptsUppercase) {
  auto d = HexDecode("ABcdEF09");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(*d, (Bytes{0xab, 0xcd, 0xef, 0x09}));
}

TEST(HexTest, RejectsOddLength) {
  auto d = HexDecode("abc");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("odd number of digits"));
}

TEST(HexTest, RejectsNonDigitAndNamesItsPosition) {
  struct Case {
    std::string hex;
    std::string position;
  };
  for (const Case& c :
       {Case{"g0", "position 0"}, Case{"0g", "position 1"}, Case{"00 1", "position 2"},
        Case{"0011zz", "position 4"}, Case{"001-", "position 3"}, Case{"0x12", "position 1"}}) {
    auto d = HexDecode(c.hex);
    ASSERT_FALSE(d.ok()) << c.hex;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument) << c.hex;
    EXPECT_THAT(d.status().message(), HasSubstr("not a hex digit at " + c.position)) << c.hex;
  }
}

// ---- Base64 ----

TEST(Base64Test, EncodesRfc4648TestVectors) {
  // RFC 4648 §10.
  EXPECT_EQ(Base64Encode(AsBytes("")), "");
  EXPECT_EQ(Base64Encode(AsBytes("f")), "Zg==");
  EXPECT_EQ(Base64Encode(AsBytes("fo")), "Zm8=");
  EXPECT_EQ(Base64Encode(AsBytes("foo")), "Zm9v");
  EXPECT_EQ(Base64Encode(AsBytes("foob")), "Zm9vYg==");
  EXPECT_EQ(Base64Encode(AsBytes("fooba")), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode(AsBytes("foobar")), "Zm9vYmFy");
  // The standard alphabet, not the URL-safe one.
  EXPECT_EQ(Base64Encode(Bytes{0xfb, 0xff}), "+/8=");
}

TEST(Base64Test, DecodesRfc4648TestVectors) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    auto d = Base64Decode(Base64Encode(AsBytes(s)));
    ASSERT_TRUE(d.ok()) << s << ": " << d.status().message();
    EXPECT_EQ(AsChars(*d), s);
  }
}

TEST(Base64Test, RoundTripsEveryLength) {
  std::mt19937_64 rng(2);
  for (size_t n = 0; n < 100; ++n) {
    const Bytes b = RandomBytes(rng, n);
    const std::string e = Base64Encode(b);
    EXPECT_EQ(e.size(), (n + 2) / 3 * 4);
    auto d = Base64Decode(e);
    ASSERT_TRUE(d.ok()) << e << ": " << d.status().message();
    EXPECT_EQ(*d, b) << "length " << n;
  }
}

void ExpectBase64Rejected(std::string_view b64) {
  auto d = Base64Decode(b64);
  ASSERT_FALSE(d.ok()) << "'" << b64 << "' was accepted";
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument) << b64;
  EXPECT_THAT(d.status().message(), HasSubstr("base64")) << b64;
}

TEST(Base64Test, RejectsMissingOrWrongPadding) {
  ExpectBase64Rejected("Zg");        // missing "=="
  ExpectBase64Rejected("Zg=");       // one "=" short
  ExpectBase64Rejected("Zm8");       // missing "="
  ExpectBase64Rejected("Zm8==");     // one "=" too many
  ExpectBase64Rejected("Zg===");     // three "="
  ExpectBase64Rejected("====");      // padding alone
  ExpectBase64Rejected("=");         // padding alone
  ExpectBase64Rejected("Z===");      // one character cannot hold a byte
  ExpectBase64Rejected("Zg==Zg==");  // padding in the middle
  ExpectBase64Rejected("Z=g=");      // padding between characters
}

TEST(Base64Test, RejectsNonCanonicalTrailingBits) {
  // "Zg==" is 'f' (0x66); "Zh==" carries the same byte with non-zero unused bits.
  ExpectBase64Rejected("Zh==");
  ExpectBase64Rejected("Zv==");
  // "Zm8=" is "fo"; "Zm9=" sets the two unused bits.
  ExpectBase64Rejected("Zm9=");
  ExpectBase64Rejected("AB==");
  ExpectBase64Rejected("AAB=");
  // Their canonical forms are accepted.
  EXPECT_TRUE(Base64Decode("AA==").ok());
  EXPECT_TRUE(Base64Decode("AAA=").ok());
}

TEST(Base64Test, RejectsWhitespaceAndForeignCharacters) {
  ExpectBase64Rejected(" Zm9v");
  ExpectBase64Rejected("Zm9v ");
  ExpectBase64Rejected("Zm 9v");
  ExpectBase64Rejected("Zm9v\n");
  ExpectBase64Rejected("Zm9v\r\n");
  ExpectBase64Rejected("Zm\t9v");
  ExpectBase64Rejected("Zm9vYmFy\nZm9v");
  // URL-safe alphabet.
  ExpectBase64Rejected("-_8=");
  ExpectBase64Rejected("Zm9*");
  ExpectBase64Rejected(std::string("Zm\0v", 4));
}

TEST(Base64Test, FixedDecodeChecksTheLength) {
  auto ok = Base64DecodeFixed<3>("Zm9v");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(AsChars(*ok), "foo");

  auto short_one = Base64DecodeFixed<4>("Zm9v");
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(short_one.status().message(), HasSubstr("expected 4 bytes of base64, got 3"));

  auto long_one = Base64DecodeFixed<32>(Base64Encode(Bytes(33, 7)));
  ASSERT_FALSE(long_one.ok());
  EXPECT_THAT(long_one.status().message(), HasSubstr("expected 32 bytes of base64, got 33"));

  auto malformed = Base64DecodeFixed<3>("Zm9");
  ASSERT_FALSE(malformed.ok());
  EXPECT_THAT(malformed.status().message(), HasSubstr("malformed base64"));
}

// ---- Big-endian integers ----

TEST(BigEndianTest, WritesMostSignificantByteFirst) {
  uint8_t b8[8];
  PutBigEndian64(0x0102030405060708ULL, b8);
  EXPECT_EQ(Bytes(b8, b8 + 8), (Bytes{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(GetBigEndian64(b8), 0x0102030405060708ULL);
  uint8_t b4[4];
  PutBigEndian32(0xdeadbeefU, b4);
  EXPECT_EQ(Bytes(b4, b4 + 4), (Bytes{0xde, 0xad, 0xbe, 0xef}));
  EXPECT_EQ(GetBigEndian32(b4), 0xdeadbeefU);
}

TEST(BigEndianTest, RoundTripsExtremes) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256}, UINT64_MAX,
                     UINT64_MAX - 1, uint64_t{1} << 63}) {
    uint8_t b[8];
    PutBigEndian64(v, b);
    EXPECT_EQ(GetBigEndian64(b), v);
  }
  for (uint32_t v : {0U, 1U, 0x80000000U, UINT32_MAX}) {
    uint8_t b[4];
    PutBigEndian32(v, b);
    EXPECT_EQ(GetBigEndian32(b), v);
  }
}

// ---- ParseDecimal ----

TEST(ParseDecimalTest, AcceptsCanonicalNumbers) {
  struct Case {
    std::string text;
    uint64_t value;
  };
  for (const Case& c :
       {Case{"0", 0}, Case{"1", 1}, Case{"9", 9}, Case{"10", 10}, Case{"1234567890", 1234567890},
        Case{"18446744073709551615", UINT64_MAX}, Case{"18446744073709551614", UINT64_MAX - 1},
        Case{"1844674407370955161", UINT64_MAX / 10}}) {
    auto v = ParseDecimal(c.text);
    ASSERT_TRUE(v.ok()) << c.text << ": " << v.status().message();
    EXPECT_EQ(*v, c.value) << c.text;
  }
}

void ExpectDecimalRejected(std::string_view s, std::string_view why) {
  auto v = ParseDecimal(s);
  ASSERT_FALSE(v.ok()) << "'" << s << "' was accepted as " << *v;
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(v.status().message(), HasSubstr(why)) << s;
}

TEST(ParseDecimalTest, RejectsEmpty) { ExpectDecimalRejected("", "empty number"); }

TEST(ParseDecimalTest, RejectsLeadingZeros) {
  ExpectDecimalRejected("00", "leading zero");
  ExpectDecimalRejected("01", "leading zero");
  ExpectDecimalRejected("007", "leading zero");
  ExpectDecimalRejected("018446744073709551615", "leading zero");
}

TEST(ParseDecimalTest, RejectsOverflow) {
  ExpectDecimalRejected("18446744073709551616", "too large");  // UINT64_MAX + 1
  ExpectDecimalRejected("18446744073709551620", "too large");
  ExpectDecimalRejected("18446744073709551625", "too large");
  ExpectDecimalRejected("99999999999999999999", "too large");
  ExpectDecimalRejected("184467440737095516150", "too large");
  ExpectDecimalRejected("100000000000000000000000000000", "too large");
}

TEST(ParseDecimalTest, RejectsSignsSpacesAndOtherCharacters) {
  for (const std::string& s :
       std::vector<std::string>{"-1", "+1", " 1", "1 ", "1_000", "1.0", "1e3", "0x10", "12a",
                                "\xd9\xa1", std::string("1\0", 2)}) {
    auto v = ParseDecimal(s);
    ASSERT_FALSE(v.ok()) << "'" << s << "' was accepted";
    EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument) << s;
  }
  ExpectDecimalRejected("-1", "is not a decimal number");
  ExpectDecimalRejected("12a", "is not a decimal number");
  ExpectDecimalRejected(" 1", "is not a decimal number");
}

// ---- ValidUtf8 ----

constexpr Utf8Rules kText{.allow_newline = false, .allow_tab = false, .allow_spaces = true};
constexpr Utf8Rules kNames{.allow_newline = false, .allow_tab = false, .allow_spaces = false};

TEST(ValidUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(ValidUtf8("", kText));
  EXPECT_TRUE(ValidUtf8("hello, world", kText));
  EXPECT_TRUE(ValidUtf8("caf\xC3\xA9", kText));                   // U+00E9
  EXPECT_TRUE(ValidUtf8("\xC2\xA1", kText));                      // U+00A1, first after C1
  EXPECT_TRUE(ValidUtf8("\xDF\xBF", kText));                      // U+07FF
  EXPECT_TRUE(ValidUtf8("\xE0\xA0\x80", kText));                  // U+0800
  EXPECT_TRUE(ValidUtf8("\xE2\x82\xAC", kText));                  // U+20AC
  EXPECT_TRUE(ValidUtf8("\xED\x9F\xBF", kText));                  // U+D7FF
  EXPECT_TRUE(ValidUtf8("\xEE\x80\x80", kText));                  // U+E000
  EXPECT_TRUE(ValidUtf8("\xEF\xBF\xBF", kText));                  // U+FFFF
  EXPECT_TRUE(ValidUtf8("\xF0\x90\x80\x80", kText));              // U+10000
  EXPECT_TRUE(ValidUtf8("\xF0\x9F\x98\x80", kText));              // U+1F600
  EXPECT_TRUE(ValidUtf8("\xF4\x8F\xBF\xBF", kText));              // U+10FFFF
  EXPECT_TRUE(ValidUtf8("Jejak \xE2\x80\x94 Kab. 7404", kText));  // em dash
  EXPECT_TRUE(ValidUtf8("~", kText));                             // 0x7e, just below DEL
}

TEST(ValidUtf8Test, RejectsOverlongEncodings) {
  EXPECT_FALSE(ValidUtf8("\xC0\x80", kText));          // U+0000 in two bytes
  EXPECT_FALSE(ValidUtf8("\xC0\xAF", kText));          // '/' in two bytes
  EXPECT_FALSE(ValidUtf8("\xC1\xBF", kText));          // U+007F in two bytes
  EXPECT_FALSE(ValidUtf8("\xE0\x80\xAF", kText));      // '/' in three bytes
  EXPECT_FALSE(ValidUtf8("\xE0\x9F\xBF", kText));      // U+07FF in three bytes
  EXPECT_FALSE(ValidUtf8("\xF0\x80\x80\xAF", kText));  // '/' in four bytes
  EXPECT_FALSE(ValidUtf8("\xF0\x8F\xBF\xBF", kText));  // U+FFFF in four bytes
}

TEST(ValidUtf8Test, RejectsSurrogatesAndCodePointsBeyondUnicode) {
  EXPECT_FALSE(ValidUtf8("\xED\xA0\x80", kText));              // U+D800
  EXPECT_FALSE(ValidUtf8("\xED\xAD\xBF", kText));              // U+DB7F
  EXPECT_FALSE(ValidUtf8("\xED\xB0\x80", kText));              // U+DC00
  EXPECT_FALSE(ValidUtf8("\xED\xBF\xBF", kText));              // U+DFFF
  EXPECT_FALSE(ValidUtf8("\xED\xA0\xBD\xED\xB8\x80", kText));  // CESU-8 pair
  EXPECT_FALSE(ValidUtf8("\xF4\x90\x80\x80", kText));          // U+110000
  EXPECT_FALSE(ValidUtf8("\xF5\x80\x80\x80", kText));
  EXPECT_FALSE(ValidUtf8("\xF7\xBF\xBF\xBF", kText));
  EXPECT_FALSE(ValidUtf8("\xF8\x88\x80\x80\x80", kText));  // five-byte form
  EXPECT_FALSE(ValidUtf8("\xFC\x84\x80\x80\x80\x80", kText));
  EXPECT_FALSE(ValidUtf8("\xFE", kText));
  EXPECT_FALSE(ValidUtf8("\xFF", kText));
}

TEST(ValidUtf8Test, RejectsBrokenSequences) {
  EXPECT_FALSE(ValidUtf8("\x80", kText));  // lone continuation byte
  EXPECT_FALSE(
      ValidUtf8("a\xBF"
                "b",
                kText));
  EXPECT_FALSE(ValidUtf8("\xC3", kText));  // truncated at the end
  EXPECT_FALSE(ValidUtf8("\xE2\x82", kText));
  EXPECT_FALSE(ValidUtf8("\xF0\x9F\x98", kText));
  EXPECT_FALSE(ValidUtf8("\xC3(", kText));  // non-continuation inside
  EXPECT_FALSE(ValidUtf8("\xE2(\xA1", kText));
  EXPECT_FALSE(ValidUtf8("\xF0\x9F(\x80", kText));
}

TEST(ValidUtf8Test, RejectsControlCharacters) {
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\n' || c == '\t') continue;
    EXPECT_FALSE(ValidUtf8(std::string(1, static_cast<char>(c)), kText)) << "C0 " << c;
  }
  EXPECT_FALSE(ValidUtf8(std::string("a\0b", 3), kText));
  EXPECT_FALSE(ValidUtf8("\r", {.allow_newline = true, .allow_tab = true}));
  EXPECT_FALSE(ValidUtf8("\x7F", kText));  // DEL
  for (int cp = 0x80; cp <= 0x9f; ++cp) {  // C1, as two-byte sequences
    const std::string s = {static_cast<char>(0xC2), static_cast<char>(cp)};
    EXPECT_FALSE(ValidUtf8(s, kText)) << "C1 " << cp;
  }
}

TEST(ValidUtf8Test, NewlineAndTabOnlyWhenAllowed) {
  EXPECT_FALSE(ValidUtf8("a\nb", kText));
  EXPECT_TRUE(ValidUtf8("a\nb", {.allow_newline = true}));
  EXPECT_FALSE(ValidUtf8("a\tb", kText));
  EXPECT_TRUE(ValidUtf8("a\tb", {.allow_tab = true}));
  EXPECT_FALSE(ValidUtf8("a\tb", {.allow_newline = true}));
  EXPECT_FALSE(ValidUtf8("a\nb", {.allow_tab = true}));
}

TEST(ValidUtf8Test, SpacesOnlyWhenAllowed) {
  EXPECT_TRUE(ValidUtf8("a b", kText));
  EXPECT_FALSE(ValidUtf8("a b", kNames));
  EXPECT_TRUE(ValidUtf8("jejak.pkh/kab/7404", kNames));
  // Unicode space separators are refused in names but fine in text.
  for (std::string sp : {"\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x8A", "\xE2\x80\xA8",
                         "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"}) {
    EXPECT_TRUE(ValidUtf8("a" + sp + "b", kText)) << HexEncode(AsBytes(sp));
    EXPECT_FALSE(ValidUtf8("a" + sp + "b", kNames)) << HexEncode(AsBytes(sp));
  }
  // Neighbours of the space separators are ordinary characters.
  EXPECT_TRUE(
      ValidUtf8("a\xE2\x80\x90"
                "b",
                kNames));  // U+2010 hyphen
  EXPECT_TRUE(
      ValidUtf8("a\xC2\xA1"
                "b",
                kNames));  // U+00A1
}

}  // namespace
}  // namespace jejak
