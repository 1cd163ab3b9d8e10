// `jejak pull --from URL` against a hostile peer: an in-process server that
// serves a real export with one thing wrong. Each is refused with a message
// naming it, and nothing is stored.
#include <gtest/gtest.h>

#include <filesystem>

#include "node/http.h"
#include "tests/node/node_processes.h"

namespace jejak {
namespace {

using testing::RunJejak;
using testing::Trim;

enum class Fault { kNone, kFlippedTile, kBadBundle, kBadSignature, kOverLong, kSlow, kGarbage };

class HostilePeer : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = testing::MakeTempFolder("hostile");
    const std::string gov = scratch_ + "/gov";
    ASSERT_EQ(
        RunJejak({"init", gov, "--kind", "kemensos", "--name", "K", "--region", "00"}, scratch_)
            .code,
        0);
    gov_key_ = Trim(RunJejak({"key", "show", gov}, scratch_).out);
    ASSERT_EQ(RunJejak({"init", scratch_ + "/kab", "--kind", "kabupaten", "--name", "Kab",
                        "--region", "7306", "--governance", gov_key_},
                       scratch_)
                  .code,
              0);
    for (int i = 1; i <= 3; ++i) {
      ASSERT_EQ(RunJejak({"stage", "open", gov, "--stage", "2026-T" + std::to_string(i), "--from",
                          "2026-03-01", "--to", "2026-03-14"},
                         scratch_)
                    .code,
                0);
    }
    ASSERT_EQ(RunJejak({"export", gov, "--out", scratch_ + "/tiles"}, scratch_).code, 0);
  }
  void TearDown() override { testing::RemoveFolder(scratch_); }

  HttpResponse Serve(const HttpRequest& r, Fault fault) {
    const std::string prefix = "/jejak.pkh/kemensos/";
    if (!r.target.starts_with(prefix)) return TextResponse(404, "no");
    const std::string rel = r.target.substr(prefix.size());
    const std::string path = scratch_ + "/tiles/" + rel;
    if (!std::filesystem::is_regular_file(path)) return TextResponse(404, "no");
    HttpResponse out;
    out.body = testing::ReadBinary(path);
    if (fault == Fault::kGarbage) out.body = "\x01\x02garbage";
    if (rel == "checkpoint") {
      if (fault == Fault::kBadSignature) out.body[out.body.size() - 10] ^= 1;
      return out;
    }
    if (fault == Fault::kFlippedTile && rel.starts_with("tile/0/")) out.body[5] ^= 1;
    if (fault == Fault::kBadBundle && rel.starts_with("tile/entries/")) out.body.back() ^= 1;
    if (fault == Fault::kOverLong && rel.starts_with("tile/entries/")) {
      out.body.assign(64 << 20, 'x');
    }
    if (fault == Fault::kSlow && rel.starts_with("tile/")) {
      // Longer than the pull's --timeout 3, and over before the server stops.
      std::this_thread::sleep_for(std::chrono::seconds(4));
    }
    return out;
  }

  // Pulls from a server with `fault`; returns the outcome.
  testing::Outcome PullWith(Fault fault) {
    HttpServerOptions o;
    auto server =
        HttpServer::Start(o, [&, fault](const HttpRequest& r) { return Serve(r, fault); });
    EXPECT_TRUE(server.ok());
    port_ = (*server)->port();
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/jejak.pkh/kemensos";
    auto out = RunJejak({"pull", scratch_ + "/kab", "--from", url, "--timeout", "3"}, scratch_);
    (*server)->Stop();
    return out;
  }

  void ExpectNothingStored() {
    auto status = RunJejak({"status", scratch_ + "/kab", "--json"}, scratch_);
    ASSERT_EQ(status.code, 0) << status.err;
    EXPECT_EQ(status.out.find("jejak.pkh/kemensos"), std::string::npos) << status.out;
  }

  std::string scratch_, gov_key_;
  uint16_t port_ = 0;
};

TEST_F(HostilePeer, AnHonestPeerIsPulled) {
  auto out = PullWith(Fault::kNone);
  EXPECT_EQ(out.code, 0) << out.err;
  EXPECT_NE(out.out.find("pulled jejak.pkh/kemensos"), std::string::npos) << out.out;
}

TEST_F(HostilePeer, AFlippedTileHashIsRefused) {
  auto out = PullWith(Fault::kFlippedTile);
  EXPECT_EQ(out.code, 2);
  EXPECT_NE(out.err.find("tile/0/000"), std::string::npos) << out.err;
  ExpectNothingStored();
}

TEST_F(HostilePeer, AnEntryBundleThatDoesNotMatchIsRefused) {
  auto out = PullWith(Fault::kBadBundle);
  EXPECT_EQ(out.code, 2);
  EXPECT_NE(out.err.find("leaf"), std::string::npos) << out.err;
  ExpectNothingStored();
}

TEST_F(HostilePeer, ACheckpointWithABadSignatureIsRefused) {
  auto out = PullWith(Fault::kBadSignature);
  EXPECT_EQ(out.code, 2);
  EXPECT_NE(out.err.find("signature"), std::string::npos) << out.err;
  ExpectNothingStored();
}

TEST_F(HostilePeer, AnOverLongResponseIsRefused) {
  auto out = PullWith(Fault::kOverLong);
  EXPECT_EQ(out.code, 2);
  EXPECT_NE(out.err.find("larger than"), std::string::npos) << out.err;
  ExpectNothingStored();
}

TEST_F(HostilePeer, GarbageIsRefused) {
  auto out = PullWith(Fault::kGarbage);
  EXPECT_EQ(out.code, 2);
  EXPECT_EQ(out.err, "jejak: http://127.0.0.1:" + std::to_string(port_) +
                         "/jejak.pkh/kemensos checkpoint: note is not valid UTF-8 or holds "
                         "control characters\n");
  ExpectNothingStored();
}

TEST_F(HostilePeer, AnEndlessSlowResponseTimesOut) {
  auto out = PullWith(Fault::kSlow);
  EXPECT_EQ(out.code, 2);
  EXPECT_NE(out.err.find("timed out after 3000 ms"), std::string::npos) << out.err;
  ExpectNothingStored();
}

}  // namespace
}  // namespace jejak
