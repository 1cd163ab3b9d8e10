// A peer's log list (GET /jejak/v1/logs) as the follower reads it: any field
// of the wrong type is a refused input, never an exception.
#include <gtest/gtest.h>

#include "node/remote.h"

namespace jejak {
namespace {

TEST(LogList, AFieldOfTheWrongTypeIsRefusedNotThrown) {
  const std::string ok =
      R"({"node":"n","logs":[{"origin":"jejak.pkh/kab/7301","size":3,"root":"r","own":true}]})";
  auto parsed = ParseLogList(ok, "https://peer");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->logs.size(), 1u);
  EXPECT_TRUE(parsed->logs[0].own);
  EXPECT_EQ(parsed->logs[0].lag, std::nullopt);

  std::string own = ok;
  own.replace(own.find("\"own\":true"), 10, "\"own\":\"yes\"");
  auto s = ParseLogList(own, "https://peer").status();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message(), "https://peer/jejak/v1/logs: logs[0].own: expected true or false");
  for (const char* field : {"\"url\":7", "\"cosignatures\":-1", "\"lag\":\"x\"",
                            "\"lag_seconds\":[]", "\"frozen\":1"}) {
    std::string bad = ok;
    bad.insert(bad.find("\"own\""), std::string(field) + ",");
    EXPECT_EQ(ParseLogList(bad, "https://peer").status().code(), StatusCode::kCorruption) << field;
  }
  std::string twice = ok;
  twice.insert(twice.find("\"own\""), "\"size\":99,");
  EXPECT_EQ(ParseLogList(twice, "https://peer").status().message(),
            "https://peer/jejak/v1/logs: an object repeats the key 'size'");
  EXPECT_EQ(ParseLogList(R"({"logs":{}})", "https://peer").status().message(),
            "https://peer/jejak/v1/logs: logs: expected an array");
}

}  // namespace
}  // namespace jejak
