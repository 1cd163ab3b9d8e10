// JSON read from outside (crypto/json_text.h): bounded, no repeated keys,
// and every field through a checked accessor.
#include "crypto/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace jejak {
namespace {

::testing::AssertionResult Refused(const Status& s, StatusCode code, const std::string& text) {
  if (s.code() == code && s.message() == text) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << StatusCodeName(s.code()) << ": " << s.message();
}

TEST(JsonText, ParsesAnOrdinaryDocument) {
  auto j = ParseJsonDocument(R"({"a": [1, 2, {"b": "c"}], "d": null, "e": -3.5})", "x.json");
  ASSERT_TRUE(j.ok()) << j.status().message();
  EXPECT_EQ((*j)["a"][2]["b"], "c");
  EXPECT_TRUE((*j)["d"].is_null());
  EXPECT_EQ((*j)["e"], -3.5);
}

TEST(JsonText, RefusesARepeatedKeyAtAnyDepth) {
  EXPECT_TRUE(
      Refused(ParseJsonDocument(R"({"stage": "2026-T1", "stage": "2026-T2"})", "ba.json").status(),
              StatusCode::kInvalidArgument, "ba.json: an object repeats the key 'stage'"));
  EXPECT_TRUE(
      Refused(ParseJsonDocument(R"({"records": [{"amount": 1, "amount": 2}]})", "ba.json").status(),
              StatusCode::kInvalidArgument, "ba.json: an object repeats the key 'amount'"));
  // A key that looks like data is not echoed.
  EXPECT_TRUE(Refused(ParseJsonDocument(R"({"3273010101": 1, "3273010101": 2})", "f").status(),
                      StatusCode::kInvalidArgument, "f: an object repeats a key"));
  // The same key in two objects is fine.
  EXPECT_TRUE(ParseJsonDocument(R"([{"a": 1}, {"a": 2}])", "f").ok());
}

TEST(JsonText, RefusesDeepNestingBeforeBuildingIt) {
  const std::string deep(32 << 20, '[');  // 32 MiB of '[': refused at level 5
  EXPECT_TRUE(Refused(ParseJsonDocument(deep, "body", JsonLimits{size_t{64} << 20, 4}).status(),
                      StatusCode::kInvalidArgument, "body: nested deeper than 4 levels"));
  EXPECT_TRUE(ParseJsonDocument("[[[[1]]]]", "body", JsonLimits{100, 4}).ok());
}

TEST(JsonText, RefusesATextLargerThanItsBound) {
  EXPECT_TRUE(Refused(ParseJsonDocument(std::string(101, ' '), "log list", JsonLimits{100, 4},
                                        StatusCode::kCorruption)
                          .status(),
                      StatusCode::kCorruption, "log list: larger than 100 bytes"));
}

TEST(JsonText, NamesWhereTheTextStopsBeingJsonWithoutEchoingIt) {
  EXPECT_TRUE(Refused(ParseJsonDocument("{\n  \"a\": 1,\n  \"b\": secret\n}", "x.json").status(),
                      StatusCode::kInvalidArgument, "x.json line 3 column 8: not valid JSON"));
  EXPECT_TRUE(Refused(ParseJsonDocument("", "x.json").status(), StatusCode::kInvalidArgument,
                      "x.json line 1 column 1: not valid JSON"));
  EXPECT_TRUE(Refused(ParseJsonDocument("{} {}", "x.json").status(), StatusCode::kInvalidArgument,
                      "x.json line 1 column 4: not valid JSON"));
}

TEST(JsonText, AccessorsReturnAStatusForEveryWrongType) {
  auto j = ParseJsonDocument(
      R"({"own": "yes", "size": -1, "name": 7, "logs": {}, "big": 18446744073709551615})", "peer");
  ASSERT_TRUE(j.ok());
  auto f = JsonFields::Of(*j, "peer", "logs[0]", StatusCode::kCorruption);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(Refused(f->BoolOr("own", false).status(), StatusCode::kCorruption,
                      "peer: logs[0].own: expected true or false"));
  EXPECT_TRUE(
      Refused(f->U64("size").status(), StatusCode::kCorruption,
              "peer: logs[0].size: expected a whole number from 0 to 18446744073709551615"));
  EXPECT_TRUE(Refused(f->Str("name").status(), StatusCode::kCorruption,
                      "peer: logs[0].name: expected a string"));
  EXPECT_TRUE(Refused(f->Array("logs").status(), StatusCode::kCorruption,
                      "peer: logs[0].logs: expected an array"));
  EXPECT_TRUE(Refused(f->I64("big").status(), StatusCode::kCorruption,
                      "peer: logs[0].big: expected a whole number of 64 bits"));
  EXPECT_TRUE(
      Refused(f->Str("absent").status(), StatusCode::kCorruption, "peer: logs[0].absent: missing"));
  EXPECT_EQ(*f->StrOr("absent", "fallback"), "fallback");
  EXPECT_EQ(*f->OptionalU64("absent"), std::nullopt);
  EXPECT_TRUE(Refused(JsonFields::Of(nlohmann::json::array(), "peer").status(),
                      StatusCode::kInvalidArgument, "peer: expected a JSON object"));
}

}  // namespace
}  // namespace jejak
