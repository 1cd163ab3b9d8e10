#include "crypto/pseudonym.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include "crypto/encoding.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ProgramKey KeyOf(uint8_t b) {
  ProgramKey k;
  k.fill(b);
  return k;
}

TEST(PseudonymTest, IsKeyedBlake2b128OverPrefixedIdentifier) {
  // Computed independently with libsodium's one-shot API over the spec's bytes.
  const ProgramKey key = KeyOf(0x42);
  const std::string msg = "pkh-kpm:KPM-TEST-000001";
  uint8_t expect[16];
  ASSERT_EQ(crypto_generichash(expect, 16, reinterpret_cast<const uint8_t*>(msg.data()), msg.size(),
                               key.data(), key.size()),
            0);
  const PseudonymBytes p = KpmPseudonym(key, "KPM-TEST-000001");
  EXPECT_EQ(HexEncode(p), HexEncode(ByteSpan(expect, 16)));
  EXPECT_EQ(HexEncode(p).size(), 32u);
}

TEST(PseudonymTest, DependsOnKeyAndIdentifier) {
  EXPECT_NE(KpmPseudonym(KeyOf(1), "A"), KpmPseudonym(KeyOf(2), "A"));
  EXPECT_NE(KpmPseudonym(KeyOf(1), "A"), KpmPseudonym(KeyOf(1), "B"));
  EXPECT_EQ(KpmPseudonym(KeyOf(1), "A"), KpmPseudonym(KeyOf(1), "A"));
}

TEST(PseudonymTest, ProgramKeyFileRoundTripAndStrictParse) {
  const ProgramKey key = GenerateProgramKey();
  const std::string file = FormatProgramKeyFile(key);
  EXPECT_EQ(file.size(), 65u);
  EXPECT_EQ(file.back(), '\n');
  EXPECT_EQ(file, HexEncode(key) + "\n");  // lowercase
  auto parsed = ParseProgramKeyFile(file);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, key);
  EXPECT_TRUE(ParseProgramKeyFile(file.substr(0, 64)).ok());  // no newline
  for (std::string bad :
       {std::string(63, 'a'), std::string(66, 'a'), std::string(64, 'g'), std::string("")}) {
    auto r = ParseProgramKeyFile(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    if (!bad.empty()) {
      EXPECT_THAT(r.status().message(), Not(HasSubstr(bad)));
    }
  }
}

}  // namespace
}  // namespace jejak
