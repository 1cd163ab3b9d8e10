// A tlog-proof carries the cosignatures a running witness made: a kabupaten
// node offers its checkpoint to the kemensos node (its peer and a witness),
// keeps the cosignature, and `prove inclusion --format tlog-proof` (from the
// folder beside the running node, or through it) carries it; `proof verify`
// counts it with the registry's keys or a --witness key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/node/node_processes.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

class TlogProofWitness : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = testing::MakeTempFolder("tlog-proof-witness");
    auto ok = [&](const std::vector<std::string>& args) {
      auto r = RunJejak(args, s_);
      EXPECT_EQ(r.code, 0) << r.err;
      return Trim(r.out);
    };
    ok({"init", s_ + "/gov", "--kind", "kemensos", "--name", "K", "--region", "00"});
    gov_key_ = ok({"key", "show", s_ + "/gov"});
    ok({"init", s_ + "/kab", "--kind", "kabupaten", "--name", "Kab", "--region", "7306",
        "--governance", gov_key_});
    kab_key_ = ok({"key", "show", s_ + "/kab"});
    ok({"registry", "add-node", s_ + "/gov", "--name", "Kab", "--kind", "kabupaten", "--region",
        "7306", "--key", kab_key_, "--witness-key", ok({"key", "show", s_ + "/kab", "--witness"})});
    ok({"key", "new", "--out", s_ + "/op.key", "--name", "t/op"});
    ok({"registry", "grant", s_ + "/gov", "--key", s_ + "/op.key", "--role", "operator", "--scope",
        "7306"});
    ok({"export", s_ + "/gov", "--out", s_ + "/gov-tiles"});
    ok({"pull", s_ + "/kab", "--from", s_ + "/gov-tiles"});
    ASSERT_EQ(
        RunJejak({"append", s_ + "/kab", "--type", "generic.note", "--key", s_ + "/op.key", "-"},
                 s_, "a note\n")
            .code,
        0);
    gov_ = std::make_unique<ServeProcess>(s_ + "/gov", std::vector<std::string>{"--insecure-http"});
    ASSERT_TRUE(gov_->Start()) << gov_->log();
    kab_ = std::make_unique<ServeProcess>(
        s_ + "/kab",
        std::vector<std::string>{"--insecure-http", "--peer", gov_->url(), "--poll-ms", "200"});
    ASSERT_TRUE(kab_->Start()) << kab_->log();
  }
  void TearDown() override {
    kab_.reset();
    gov_.reset();
    testing::RemoveFolder(s_);
  }

  // The proof of leaf 1 once it carries the kemensos node's cosignature
  // (empty after 30 s without one).
  std::string CosignedProof() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = RunJejak(
          {"prove", "inclusion", s_ + "/kab", "--index", "1", "--format", "tlog-proof"}, s_);
      if (r.code == 0 && r.out.find("\n— jejak.pkh/kemensos ") != std::string::npos) return r.out;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return "";
  }

  std::string s_, gov_key_, kab_key_;
  std::unique_ptr<ServeProcess> gov_, kab_;
};

TEST_F(TlogProofWitness, AProofCarriesTheWitnessCosignatureAndVerifiesWithIt) {
  const std::string proof = CosignedProof();
  ASSERT_FALSE(proof.empty()) << kab_->log();
  ASSERT_TRUE(testing::WriteBinary(s_ + "/leaf.tlog-proof", proof));
  // Through the node: the same text.
  auto remote = RunJejak(
      {"prove", "inclusion", "--node", kab_->url(), "--index", "1", "--format", "tlog-proof"}, s_);
  EXPECT_EQ(remote.code, 0) << remote.err;
  EXPECT_EQ(remote.out, proof);

  auto by_registry = RunJejak({"proof", "verify", s_ + "/leaf.tlog-proof", "--governance",
                               s_ + "/kab", "--min-witnesses", "1"},
                              s_);
  EXPECT_EQ(by_registry.code, 0) << by_registry.err;
  EXPECT_THAT(by_registry.out, HasSubstr("witnesses: 1 verified, 1 required\n"
                                         "witness: 'jejak.pkh/kemensos' at "));
  EXPECT_THAT(by_registry.out, HasSubstr("text: a note\n"));
  auto by_key = RunJejak({"proof", "verify", s_ + "/leaf.tlog-proof", "--key", kab_key_,
                          "--witness", gov_key_, "--min-witnesses", "1"},
                         s_);
  EXPECT_EQ(by_key.code, 0) << by_key.err;
  auto two = RunJejak({"proof", "verify", s_ + "/leaf.tlog-proof", "--governance", s_ + "/kab",
                       "--min-witnesses", "2"},
                      s_);
  EXPECT_EQ(two.code, 1);
  EXPECT_THAT(two.err, HasSubstr("2 witness cosignatures are required, 1 verified "
                                 "(jejak.pkh/kemensos)"));
}

}  // namespace
}  // namespace jejak
