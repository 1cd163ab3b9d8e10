// `jejak config show|set NODE`: the serve configuration in NODE/config.json,
// checked when set and when read, through the real binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using Outcome = ::jejak::testing::ProcessOutcome;

class Config : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = testing::MakeTempFolder("config");
    node_ = scratch_ + "/node";
    auto init = Run({"init", node_, "--kind", "kabupaten", "--name", "K", "--region", "7306"});
    ASSERT_EQ(init.code, 0) << init.err;
  }
  void TearDown() override { testing::RemoveFolder(scratch_); }

  Outcome Run(const std::vector<std::string>& args) {
    return testing::RunProcess(JEJAK_BINARY, args, {{"JEJAK_PASSPHRASE", "config test"}}, scratch_);
  }
  std::string File() { return testing::ReadBinary(node_ + "/config.json"); }
  // A refusal: one line on stderr, exit 2, naming `part`, the file unchanged.
  void ExpectRefused(const std::vector<std::string>& options, const std::string& part) {
    const std::string before = File();
    std::vector<std::string> args = {"config", "set", node_};
    args.insert(args.end(), options.begin(), options.end());
    Outcome r = Run(args);
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("jejak: nothing was changed: " + part)) << r.err;
    EXPECT_EQ(File(), before);
  }

  std::string scratch_, node_;
};

TEST_F(Config, SetShowRoundTripAndEditsOfThePeerList) {
  Outcome empty = Run({"config", "show", node_});
  ASSERT_EQ(empty.code, 0) << empty.err;
  EXPECT_THAT(empty.out, HasSubstr("listen         (not set)\n"));
  EXPECT_THAT(empty.out, HasSubstr("poll-ms        2000\n"));

  Outcome set = Run({"config", "set", node_, "--listen", "127.0.0.1:8443", "--peer",
                     "https://10.1.2.3:8443", "--peer", "https://kemensos.example:8443",
                     "--poll-ms", "500", "--log-level", "warn", "--console", "off"});
  ASSERT_EQ(set.code, 0) << set.err;
  Outcome shown = Run({"config", "show", node_, "--json"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_EQ(shown.out, File());
  auto j = nlohmann::json::parse(shown.out);
  EXPECT_EQ(j["format"], 1);
  EXPECT_EQ(j["listen"], "127.0.0.1:8443");
  EXPECT_EQ(j["peers"], nlohmann::json({"https://10.1.2.3:8443", "https://kemensos.example:8443"}));
  EXPECT_EQ(j["poll_ms"], 500);
  EXPECT_EQ(j["insecure_http"], false);
  EXPECT_EQ(j["console"], "off");
  EXPECT_EQ(j["log_level"], "warn");

  ASSERT_EQ(Run({"config", "set", node_, "--add-peer", "https://10.9.9.9:8443", "--remove-peer",
                 "https://10.1.2.3:8443"})
                .code,
            0);
  EXPECT_EQ(nlohmann::json::parse(File())["peers"],
            nlohmann::json({"https://kemensos.example:8443", "https://10.9.9.9:8443"}));
  ASSERT_EQ(Run({"config", "set", node_, "--clear-peers"}).code, 0);
  EXPECT_EQ(nlohmann::json::parse(File())["peers"], nlohmann::json::array());
  // Untouched values stay.
  EXPECT_EQ(nlohmann::json::parse(File())["listen"], "127.0.0.1:8443");
}

TEST_F(Config, BadValuesAreRefusedNamingTheOptionAndTheReason) {
  ASSERT_EQ(Run({"config", "set", node_, "--listen", "127.0.0.1:8443"}).code, 0);
  ExpectRefused({"--listen", "no-port"}, "--listen 'no-port': must be HOST:PORT");
  ExpectRefused({"--listen", "127.0.0.1:65536"}, "--listen '127.0.0.1:65536': must be HOST:PORT");
  ExpectRefused({"--listen", "a b:80"}, "--listen: holds a space");
  ExpectRefused({"--peer", "ftp://x:1"}, "--peer: URL 'ftp://x:1' must start with https://");
  ExpectRefused({"--peer", "http://10.0.0.1:80"},
                "--peer 'http://10.0.0.1:80': plain http:// is allowed only to a loopback");
  ExpectRefused({"--peer", "https://x:1/jejak.pkh/kab/7306"},
                "--peer 'https://x:1/jejak.pkh/kab/7306': a peer is a node's address, "
                "https://HOST:PORT, without a path");
  ExpectRefused({"--peer", "https://a:1", "--peer", "https://a:1"},
                "--peer 'https://a:1': given twice");
  ExpectRefused({"--remove-peer", "https://a:1"},
                "--remove-peer 'https://a:1': not a configured peer");
  ExpectRefused({"--poll-ms", "10"}, "--poll-ms 10: must be between 50 and 3600000");
  ExpectRefused({"--log-level", "loud"}, "--log-level 'loud': must be one of debug, info, warn");
  ExpectRefused({"--console", "maybe"}, "--console 'maybe': must be on or off");
  ExpectRefused({"--insecure-http", "on", "--listen", "0.0.0.0:8443"},
                "--insecure-http: plain HTTP without TLS is allowed only on a loopback address");
  // Nothing is written for a folder that is not a node.
  Outcome r = Run({"config", "set", scratch_ + "/nothing", "--listen", "127.0.0.1:1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("is not a jejak node folder (no node.json)"));
}

TEST_F(Config, TheWitnessPolicyIsSetByKindAndStatusMarksTheCheckpointsBelowIt) {
  Outcome shown = Run({"config", "show", node_});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("witness-policy default=2\n"));
  ASSERT_EQ(Run({"config", "set", node_, "--witness-policy", "kabupaten=3", "--witness-policy",
                 "default=1"})
                .code,
            0);
  auto j = nlohmann::json::parse(File());
  EXPECT_EQ(j["witness_policy"], nlohmann::json({{"default", 1}, {"kabupaten", 3}}));
  ExpectRefused({"--witness-policy", "bank=2"}, "--witness-policy: must be KIND=N");
  ExpectRefused({"--witness-policy", "kabupaten=101"},
                "--witness-policy kabupaten: the number of cosignatures must be 0 to 100");
  ExpectRefused({"--witness-policy", "kabupaten"}, "--witness-policy: must be KIND=N");

  // The node's own log (a kabupaten's) wants 3; an append gives it a
  // checkpoint with none.
  ASSERT_EQ(Run({"key", "new", "--out", scratch_ + "/op.key", "--name", "op"}).code, 0);
  ASSERT_TRUE(testing::WriteBinary(scratch_ + "/records.txt", "a\nb\n"));
  Outcome appended = Run({"append", node_, "--type", "generic.note", "--key", scratch_ + "/op.key",
                          scratch_ + "/records.txt"});
  ASSERT_EQ(appended.code, 0) << appended.err;
  Outcome status = Run({"status", node_});
  ASSERT_EQ(status.code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("  BELOW WITNESS POLICY"));
  EXPECT_THAT(status.out, HasSubstr("1 of 1 checkpoints have fewer cosignatures than the witness "
                                    "policy asks\n"));
  ASSERT_EQ(Run({"config", "set", node_, "--witness-policy", "kabupaten=0"}).code, 0);
  status = Run({"status", node_});
  EXPECT_THAT(status.out, ::testing::Not(HasSubstr("BELOW WITNESS POLICY")));
}

TEST_F(Config, AFileEditedByHandWithABadValueIsRefusedBeforeTheNodeStarts) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"format":1,"listen":"127.0.0.1:0","colour":"blue"})", "unknown field 'colour'"},
      {R"({"format":1,"listen":"127.0.0.1"})", "listen '127.0.0.1': must be HOST:PORT"},
      {R"({"format":1,"listen":"127.0.0.1:0","peers":["http://192.0.2.1:80"]})",
       "peer 'http://192.0.2.1:80': plain http:// is allowed only to a loopback"},
      {R"({"format":1,"listen":"127.0.0.1:0","poll_ms":-5})", "poll_ms"},
      {R"({"format":1,"listen":"127.0.0.1:0","log_level":"verbose"})",
       "log_level 'verbose': must be one of"},
      {R"({"format":2,"listen":"127.0.0.1:0"})", "format"},
      {R"({"format":1,"listen":"127.0.0.1:0","witness_policy":{"bank":2}})",
       "unknown field 'bank'"},
      {R"({"format":1,"listen":"127.0.0.1:0","witness_policy":{"kabupaten":500}})",
       "witness_policy.kabupaten: expected a whole number from 0 to 100"},
      {R"({"format":1,"listen":"127.0.0.1:0",)", "not valid JSON"},
  };
  for (const auto& [text, part] : cases) {
    ASSERT_TRUE(testing::WriteBinary(node_ + "/config.json", text));
    Outcome show = Run({"config", "show", node_});
    EXPECT_EQ(show.code, 2) << text;
    EXPECT_THAT(show.err, HasSubstr("config.json")) << text;
    EXPECT_THAT(show.err, HasSubstr(part)) << text;
    // serve reads the file before it asks for the passphrase or opens anything.
    Outcome serve = Run({"serve", node_});
    EXPECT_EQ(serve.code, 2) << text;
    EXPECT_THAT(serve.err, HasSubstr(part)) << text;
    EXPECT_EQ(std::count(serve.err.begin(), serve.err.end(), '\n'), 1) << serve.err;
  }
  // Without a file and without --listen there is nothing to listen on.
  ASSERT_EQ(::unlink((node_ + "/config.json").c_str()), 0);
  Outcome serve = Run({"serve", node_});
  EXPECT_EQ(serve.code, 2);
  EXPECT_THAT(serve.err, HasSubstr("no address to listen on: give --listen HOST:PORT"));
}

// Under systemd the passphrase is a credential (LoadCredential=passphrase:...):
// it is read from $CREDENTIALS_DIRECTORY/passphrase before the environment.
TEST_F(Config, ServeReadsThePassphraseFromTheSystemdCredential) {
  ASSERT_EQ(Run({"config", "set", node_, "--listen", "127.0.0.1:0"}).code, 0);
  const std::string empty = scratch_ + "/no-credentials", wrong = scratch_ + "/wrong",
                    right = scratch_ + "/right";
  for (const auto& d : {empty, wrong, right}) ASSERT_EQ(::mkdir(d.c_str(), 0700), 0);
  ASSERT_TRUE(testing::WriteBinary(wrong + "/passphrase", "not it\n"));
  ASSERT_TRUE(testing::WriteBinary(right + "/passphrase", "config test\n"));
  auto serve = [&](const std::string& dir, const std::string& env_passphrase) {
    return testing::RunProcess(
        JEJAK_BINARY, {"serve", node_},
        {{"CREDENTIALS_DIRECTORY", dir}, {"JEJAK_PASSPHRASE", env_passphrase}}, scratch_);
  };
  Outcome missing = serve(empty, "config test");
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("$CREDENTIALS_DIRECTORY holds no credential 'passphrase'"));
  // The credential comes first: a wrong one is refused though the variable is right.
  Outcome refused = serve(wrong, "config test");
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr("wrong passphrase"));
  // A right one is used though the variable is wrong: the node starts.
  const pid_t pid =
      testing::SpawnProcess(JEJAK_BINARY, {"serve", node_},
                            {{"CREDENTIALS_DIRECTORY", right}, {"JEJAK_PASSPHRASE", "no"}},
                            "/dev/null", scratch_ + "/serve.out", scratch_ + "/serve.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (testing::ReadBinary(scratch_ + "/serve.out").find(" at https://") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_THAT(testing::ReadBinary(scratch_ + "/serve.out"), HasSubstr("serving " + node_ + " at"))
      << testing::ReadBinary(scratch_ + "/serve.err");
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace jejak
