// `jejak serve NODE` run from its config.json, a SIGHUP that changes its peers
// while a pull from one of them is in flight, and what it logs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "crypto/note.h"
#include "node/remote.h"
#include "tests/node/node_processes.h"
#include "tests/node/pkh_world.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

constexpr char kKab[] = "jejak.pkh/kab/7306";
constexpr uint64_t kRecords = 400'000;

// kemensos (governance, not served), the kabupaten 7306 node with one large
// statement, and an auditor that follows every log; neither is registered
// with a URL, so the auditor's peers are only those its config.json names.
class ServeFromConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = testing::MakeTempFolder("serve-config");
    Run({"init", s_ + "/gov", "--kind", "kemensos", "--name", "K", "--region", "00"});
    const std::string gov_key = Key(s_ + "/gov");
    Run({"init", s_ + "/kab", "--kind", "kabupaten", "--name", "Kab", "--region", "7306",
         "--governance", gov_key});
    Run({"init", s_ + "/auditor", "--kind", "auditor", "--name", "Aud", "--region", "00",
         "--governance", gov_key});
    kab_key_ = Key(s_ + "/kab");
    auditor_key_ = Key(s_ + "/auditor");
    Run({"registry", "add-node", s_ + "/gov", "--name", "Kab", "--kind", "kabupaten", "--region",
         "7306", "--key", kab_key_});
    Run({"registry", "add-node", s_ + "/gov", "--name", "Aud", "--kind", "auditor", "--region",
         "00", "--key", auditor_key_});
    Run({"key", "new", "--out", s_ + "/op.key", "--name", "kab/op"});
    Run({"registry", "grant", s_ + "/gov", "--key", s_ + "/op.key", "--role", "operator", "--scope",
         "7306"});
    Run({"export", s_ + "/gov", "--out", s_ + "/gov-tiles"});
    Run({"pull", s_ + "/kab", "--from", s_ + "/gov-tiles"});
    Run({"pull", s_ + "/auditor", "--from", s_ + "/gov-tiles"});
    std::ofstream records(s_ + "/records.txt");
    for (uint64_t i = 0; i < kRecords; ++i) records << "record " << i << "\n";
    records.close();
    Run({"append", s_ + "/kab", "--type", "generic.note", "--key", s_ + "/op.key",
         s_ + "/records.txt"});
    ASSERT_TRUE(testing::WriteBinary(s_ + "/passphrase", testing::kNodePassphrase));
  }
  void TearDown() override {
    auditor_.reset();
    kab_.reset();
    if (std::getenv("JEJAK_TEST_KEEP") == nullptr) testing::RemoveFolder(s_);
  }

  void Run(const std::vector<std::string>& args) {
    auto r = RunJejak(args, s_);
    ASSERT_EQ(r.code, 0) << args[0] << ": " << r.err;
  }
  std::string Key(const std::string& dir) { return Trim(RunJejak({"key", "show", dir}, s_).out); }
  std::unique_ptr<HttpClient> Client(const std::string& url, const std::string& key) {
    auto k = ParseVerifierKey(key);
    auto c = ConnectTo(url, {k->key});
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(c).value() : nullptr;
  }
  double Metric(const std::string& url, const std::string& key, const std::string& series) {
    auto c = Client(url, key);
    auto r = c ? c->Get("/metrics") : Result<HttpResult>(Unavailable(""));
    return r.ok() ? testing::MetricIn(r->body, series) : -1;
  }
  uint64_t ReplicaSize(const std::string& origin) {
    auto c = Client(auditor_->url(), auditor_key_);
    auto s = c ? FetchStatus(*c) : Result<RemoteStatus>(Unavailable(""));
    if (!s.ok()) return 0;
    for (const auto& l : s->logs) {
      if (l.origin == origin) return l.size;
    }
    return 0;
  }
  void Hangup() { ASSERT_EQ(::kill(auditor_->pid(), SIGHUP), 0); }

  std::string s_, kab_key_, auditor_key_;
  std::unique_ptr<ServeProcess> kab_, auditor_;
};

TEST_F(ServeFromConfig, SighupChangesThePeersAndAPullInFlightFinishes) {
  kab_ = std::make_unique<ServeProcess>(
      s_ + "/kab", std::vector<std::string>{"--passphrase-file", s_ + "/passphrase"});
  ASSERT_TRUE(kab_->Start()) << kab_->log();
  // The auditor runs from its configuration alone: no --listen, no --peer.
  Run({"config", "set", s_ + "/auditor", "--listen", "127.0.0.1:0", "--poll-ms", "100"});
  auditor_ = std::make_unique<ServeProcess>(
      s_ + "/auditor", std::vector<std::string>{"--passphrase-file", s_ + "/passphrase"},
      ServeProcess::kFromConfig);
  ASSERT_TRUE(auditor_->Start()) << auditor_->log();
  EXPECT_THAT(auditor_->log(),
              HasSubstr("info    serving " + s_ + "/auditor at https://127.0.0.1:"));
  EXPECT_THAT(auditor_->log(), HasSubstr(", 0 peers"));

  // A peer added to the file and a SIGHUP: the auditor pulls the large log.
  Run({"config", "set", s_ + "/auditor", "--add-peer", kab_->url()});
  // Bundles served by the author: its read requests, less this test's own
  // reads of its metrics.
  int polls = 0;
  auto served = [&] {
    ++polls;
    return Metric(kab_->url(), kab_key_, "jejak_http_requests_total{endpoint=\"read\"}") - polls;
  };
  const double served_before = served();
  Hangup();
  // Once the pull is under way (bundles are being served), the peer is
  // removed again and the node told: the pull in flight must finish.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (served() < served_before + 40 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Run({"config", "set", s_ + "/auditor", "--clear-peers"});
  Hangup();
  const double served_at_removal = served();
  constexpr uint64_t kSize = kRecords + 1;
  const double bundles = static_cast<double>((kSize + 255) / 256);
  ASSERT_GE(served_at_removal - served_before, 40) << auditor_->log();
  ASSERT_LT(served_at_removal - served_before, bundles) << "the pull ended before the reload";

  const auto pulled = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  const std::string replicated = "replicated jejak.pkh/kab/7306 to size 400001 from " + kab_->url();
  // The line is written just after the replica is stored.
  while ((ReplicaSize(kKab) != kSize || auditor_->log().find(replicated) == std::string::npos) &&
         std::chrono::steady_clock::now() < pulled) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(ReplicaSize(kKab), kSize) << auditor_->log();
  const std::string log = auditor_->log();
  EXPECT_THAT(log, HasSubstr("reloaded config.json: 1 configured peers"));
  EXPECT_THAT(log, HasSubstr("reloaded config.json: 0 configured peers"));
  EXPECT_THAT(log, HasSubstr(replicated));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("pull jejak.pkh/kab/7306")));

  // The peer is gone: what the author appends now is not pulled.
  ASSERT_TRUE(testing::WriteBinary(s_ + "/more.txt", "more\n"));
  auto more = RunJejak({"append", "--node", kab_->url(), "--node-key", kab_key_, "--type",
                        "generic.note", "--key", s_ + "/op.key", s_ + "/more.txt"},
                       s_);
  ASSERT_EQ(more.code, 0) << more.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(ReplicaSize(kKab), kSize);

  // Every line of the log is one event with a level.
  std::istringstream lines(auditor_->log());
  std::string line;
  const std::regex event(
      R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:?\d\d (info|warning|error|debug) +\S.*$)");
  while (std::getline(lines, line)) EXPECT_TRUE(std::regex_match(line, event)) << line;
}

// Through a node, imports name families by their identifiers: none of them,
// nor their pseudonyms, reaches the node's log, which says what happened.
using NodeLog = testing::PkhApi;

TEST_F(NodeLog, NoIdentifierReachesTheLog) {
  ASSERT_EQ(AtKab({"import", "updates", s_ + "/updates.csv", "--key", K("operator")}).code, 0);
  ASSERT_TRUE(
      testing::WriteBinary(s_ + "/bad.csv",
                           "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,"
                           "sd,smp,sma,disabilitas_berat,lansia,evidence_sha256\n"
                           "U-9,TEST-KPM-SECRET,2026-13-40,active,1,0,0,0,0,0,0,\n"));
  EXPECT_EQ(AtKab({"import", "updates", s_ + "/bad.csv", "--key", K("operator")}).code, 2);
  const std::string log = kab_->log();
  EXPECT_THAT(log, HasSubstr("info    imported 2 rows of updates: 2 appended; size 3"));
  EXPECT_THAT(log, HasSubstr("refused an input"));
  for (const char* secret : {"TEST-KPM", "U-1", "U-9"}) {
    EXPECT_THAT(log, ::testing::Not(HasSubstr(secret))) << log;
  }
}

}  // namespace
}  // namespace jejak
