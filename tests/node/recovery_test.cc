// A node that loses its store, or is restored from an old backup, rebuilds
// its own log from the copies its peers hold (`jejak recover`, and `jejak
// serve` at its start) and never signs a second history; peers that hold two
// histories of it stop the recovery with the evidence.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/log/checkpoint.h"
#include "node/metrics.h"
#include "tests/node/federation.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;
using testing::FiveNodeFederation;
using ::testing::HasSubstr;
using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

// The size of a checkpoint note signed by `key`; 0 when it is not one.
uint64_t SignedSize(const std::string& note, const std::string& key) {
  auto k = ParseVerifierKey(key);
  auto cp = k.ok() ? OpenCheckpoint(note, *k) : Result<SignedCheckpoint>(k.status());
  return cp.ok() ? cp->checkpoint.size : 0;
}

class Recovery : public FiveNodeFederation {
 protected:
  // Appends `n` statements of 3 records at `author` through its submit API;
  // returns the last size acknowledged.
  uint64_t Append(const testing::NodeRow& author, int n, const std::string& tag) {
    auto client = Connect(author);
    SigningKey key = OperatorKey(author.name);
    uint64_t size = 0;
    for (int s = 0; s < n && client; ++s) {
      auto sent = SubmitStatement(*client, "generic.note", "", Records(tag, s, 3), key);
      EXPECT_TRUE(sent.ok()) << sent.status().message();
      if (!sent.ok()) break;
      size = sent->size;
    }
    return size;
  }
  // The largest checkpoint of `origin`, signed by `key`, that `peer` holds
  // in its replica or cosigned as a witness.
  uint64_t LargestAt(const testing::NodeRow& peer, const std::string& origin,
                     const std::string& key) {
    auto client = Connect(peer);
    if (!client) return 0;
    uint64_t most = 0;
    for (const std::string& path :
         {LogPath(origin) + "/checkpoint",
          "/witness/" + HexEncode(Sha256(AsBytes(origin))) + "/checkpoint"}) {
      auto r = client->Get(path);
      if (r.ok() && r->status == 200) most = std::max(most, SignedSize(r->body, key));
    }
    return most;
  }
  // No node holds equivocation evidence against `origin`, or a frozen replica.
  void ExpectNoEvidence(const std::string& origin) {
    for (const auto& n : nodes_) {
      EXPECT_EQ(Metric(n, "jejak_equivocations_total", OriginLabel(origin)), 0) << n.name;
      if (auto l = LogOf(n, origin)) {
        EXPECT_FALSE(l->frozen) << n.name;
      }
    }
  }
};

TEST_F(Recovery, AKabupatenThatLostItsStoreOrWasRestoredFromAnOldBackupRejoinsWithoutForking) {
  const testing::NodeRow& kab = Node("kab-7301");
  const std::string origin = OriginOf(kab.name);
  const std::string folder = dir_ + "/" + kab.name;
  const std::string backups = scratch_ + "/backups";

  // A week-old backup: taken while the node runs, after a first batch.
  Append(kab, 10, "early");
  auto backup = RunJejak({"backup", folder, "--out", backups}, scratch_);
  ASSERT_EQ(backup.code, 0) << backup.err;

  // More statements, replicated and cosigned; then the node dies in the
  // middle of an operation (a large append on its way in) and its store is
  // gone.
  const uint64_t size = Append(kab, 20, "later");
  auto own = OwnLog(kab);
  ASSERT_TRUE(own);
  ASSERT_EQ(WaitForConvergence(origin, size, own->root, std::chrono::seconds(60), kHolders),
            kHolders);
  ASSERT_EQ(WaitForCosignatures(kab, kPeers, std::chrono::seconds(60)).size, size);
  {
    std::ofstream big(scratch_ + "/big.txt");
    for (int i = 0; i < 300'000; ++i) big << "big record " << i << "\n";
  }
  const pid_t client =
      testing::SpawnJejak({"append", "--node", kab.url, "--node-key", kab.key, "--type",
                           "generic.note", "--key", folder + "-operator.key",
                           "--key-passphrase-file", dir_ + "/passphrase", scratch_ + "/big.txt"},
                          scratch_ + "/big.out", scratch_ + "/big.err");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  StopStarted(kab, SIGKILL);
  int status = 0;
  ::waitpid(client, &status, 0);
  EXPECT_NE(status, 0) << "the append was to be cut by the kill";
  fs::remove_all(folder + "/db");

  // The target: the largest checkpoint the two peers hold or cosigned.
  const testing::NodeRow& gov = Node("kemensos");
  const testing::NodeRow& prov = Node("prov-73");
  const uint64_t target =
      std::max(LargestAt(gov, origin, kab.key), LargestAt(prov, origin, kab.key));
  ASSERT_EQ(target, size);
  const auto started = std::chrono::steady_clock::now();
  auto recovered = RunJejak({"recover", folder, "--from", gov.url, "--from", prov.url}, scratch_);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(recovered.code, 0) << recovered.out << recovered.err;
  EXPECT_THAT(recovered.out,
              HasSubstr("has no store: a new one is made and filled from its peers"));
  EXPECT_THAT(recovered.out,
              HasSubstr(fmt::format("{}: own log at size {} (was 0)", origin, target)));
  std::cout << "recovery of " << target << " leaves from 2 peers: " << seconds << " s\n";
  auto verified = RunJejak({"verify", folder, "--log", origin}, scratch_);
  EXPECT_EQ(verified.code, 0) << verified.err;

  // A copy of the folder made by hand now (like a virtual machine's
  // snapshot) knows of no hold: it is used at the end.
  // (The killed node's admin socket is left behind; a copy skips it.)
  fs::remove(folder + "/admin.sock");
  fs::copy(folder, scratch_ + "/by-hand", fs::copy_options::recursive);

  // It appends again right after what its peers hold; they all follow.
  Restart(kab);
  auto next = SubmitStatement(*Connect(kab), "generic.note", "", Records("after", 0, 3),
                              OperatorKey(kab.name));
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(next->index, target);
  ASSERT_EQ(WaitForConvergence(origin, next->size, Base64Encode(RootOf(next->checkpoint)),
                               std::chrono::seconds(60), kHolders),
            kHolders);
  ExpectNoEvidence(origin);

  // The week-old backup, restored in its place: it refuses to append until
  // it has caught up with what it signed since.
  restarted_.back()->Stop(SIGTERM);
  fs::rename(folder, folder + ".recovered");
  auto restored = RunJejak({"restore", backups, "--to", folder}, scratch_);
  ASSERT_EQ(restored.code, 0) << restored.err;
  EXPECT_THAT(restored.out, HasSubstr("its own log is on hold"));
  ASSERT_TRUE(testing::WriteBinary(scratch_ + "/one.txt", "one\n"));
  auto refused =
      RunJejak({"append", folder, "--type", "generic.note", "--key", folder + "-operator.key",
                "--passphrase-file", dir_ + "/passphrase", scratch_ + "/one.txt"},
               scratch_);
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr("appends and signs nothing until it has caught up"));
  EXPECT_THAT(refused.err, HasSubstr("restored from backup 1"));
  // `jejak serve` catches up from its peers before it signs anything.
  ServeProcess& again = Restart(kab);
  EXPECT_THAT(again.log(), HasSubstr("own log confirmed by"));
  auto after = SubmitStatement(*Connect(kab), "generic.note", "", Records("restored", 0, 3),
                               OperatorKey(kab.name));
  ASSERT_TRUE(after.ok()) << after.status().message() << again.log();
  EXPECT_EQ(after->index, next->size);
  ASSERT_EQ(WaitForConvergence(origin, after->size, Base64Encode(RootOf(after->checkpoint)),
                               std::chrono::seconds(60), kHolders),
            kHolders);
  ExpectNoEvidence(origin);

  // The copy made by hand, put back without `jejak restore`: it starts, and
  // as soon as a peer's witness shows it a checkpoint of its own log beyond
  // what it holds, signed by its key, it puts its log on hold and refuses
  // appends; restarted, it catches up.
  again.Stop(SIGTERM);
  fs::rename(folder, folder + ".restored");
  fs::rename(scratch_ + "/by-hand", folder);
  ServeProcess& rolled_back = Restart(kab);
  const auto noticed = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  // (The log file gathers every run of the node.)
  while (rolled_back.log().find("own log on hold: the witness of") == std::string::npos &&
         std::chrono::steady_clock::now() < noticed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_THAT(rolled_back.log(), HasSubstr("own log on hold: the witness of https://127.0.0.1:"));
  auto held = SubmitStatement(*Connect(kab), "generic.note", "", Records("held", 0, 3),
                              OperatorKey(kab.name));
  ASSERT_FALSE(held.ok());
  EXPECT_THAT(held.status().message(),
              HasSubstr("appends and signs nothing until it has caught up"));
  rolled_back.Stop(SIGTERM);
  ServeProcess& caught_up = Restart(kab);
  EXPECT_THAT(caught_up.log(), HasSubstr("own log confirmed by"));
  auto last = SubmitStatement(*Connect(kab), "generic.note", "", Records("caught up", 0, 3),
                              OperatorKey(kab.name));
  ASSERT_TRUE(last.ok()) << last.status().message() << caught_up.log();
  EXPECT_EQ(last->index, after->size);
  ASSERT_EQ(WaitForConvergence(origin, last->size, Base64Encode(RootOf(last->checkpoint)),
                               std::chrono::seconds(60), kHolders),
            kHolders);
  ExpectNoEvidence(origin);
}

// A kabupaten whose log two auditors hold in two histories (a copy of its
// folder appended differently): a recovery from both refuses, shows the
// evidence and leaves the node unable to sign.
class ConflictingPeers : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = testing::MakeTempFolder("conflict");
    // The auditors' two ports lie below the kernel's ephemeral range
    // (32768-60999 by default), where an outgoing connection of another test
    // could take them, and above the 20000-27999 of tests/node/federation.h
    // and the 10000-19800 of the equivocation test.
    base_ = static_cast<uint16_t>(28000 + (::getpid() % 2300) * 2);
    Run({"init", s_ + "/gov", "--kind", "kemensos", "--name", "K", "--region", "00"});
    const std::string gov_key = Key(s_ + "/gov");
    Run({"init", s_ + "/kab", "--kind", "kabupaten", "--name", "Kab", "--region", "7306",
         "--governance", gov_key});
    kab_key_ = Key(s_ + "/kab");
    Run({"registry", "add-node", s_ + "/gov", "--name", "Kab", "--kind", "kabupaten", "--region",
         "7306", "--key", kab_key_});
    for (int i = 0; i < 2; ++i) {
      const std::string a = s_ + "/auditor-" + std::to_string(i);
      Run({"init", a, "--kind", "auditor", "--name", "A" + std::to_string(i), "--region", "00",
           "--governance", gov_key});
      Run({"registry", "add-node", s_ + "/gov", "--name", "A" + std::to_string(i), "--kind",
           "auditor", "--region", "00", "--key", Key(a), "--url", Url(i)});
    }
    Run({"key", "new", "--out", s_ + "/op.key", "--name", "kab/op"});
    Run({"registry", "grant", s_ + "/gov", "--key", s_ + "/op.key", "--role", "operator", "--scope",
         "7306"});
    Run({"export", s_ + "/gov", "--out", s_ + "/gov-tiles"});
    for (const char* n : {"/kab", "/auditor-0", "/auditor-1"}) {
      Run({"pull", s_ + n, "--from", s_ + "/gov-tiles"});
    }
    Append(s_ + "/kab", "common\n");
    fs::copy(s_ + "/kab", s_ + "/fork", fs::copy_options::recursive);
    Append(s_ + "/kab", "honest\n");
    Append(s_ + "/fork", "forked\n");
    // Each auditor holds one history.
    Run({"export", s_ + "/kab", "--out", s_ + "/kab-tiles"});
    Run({"export", s_ + "/fork", "--out", s_ + "/fork-tiles"});
    Run({"pull", s_ + "/auditor-0", "--from", s_ + "/kab-tiles"});
    Run({"pull", s_ + "/auditor-1", "--from", s_ + "/fork-tiles"});
  }
  void TearDown() override {
    auditors_.clear();
    testing::RemoveFolder(s_);
  }
  void Run(const std::vector<std::string>& args) {
    auto r = RunJejak(args, s_);
    ASSERT_EQ(r.code, 0) << args[0] << ": " << r.err;
  }
  std::string Key(const std::string& dir) { return Trim(RunJejak({"key", "show", dir}, s_).out); }
  std::string Url(int i) const { return "https://127.0.0.1:" + std::to_string(base_ + i); }
  void Append(const std::string& dir, const std::string& records) {
    ASSERT_TRUE(testing::WriteBinary(s_ + "/records.txt", records));
    Run({"append", dir, "--type", "generic.note", "--key", s_ + "/op.key", s_ + "/records.txt"});
  }

  std::string s_, kab_key_;
  uint16_t base_ = 0;
  std::vector<std::unique_ptr<ServeProcess>> auditors_;
};

TEST_F(ConflictingPeers, ARecoveryFromPeersHoldingTwoHistoriesIsRefusedWithTheEvidence) {
  for (int i = 0; i < 2; ++i) {
    auditors_.push_back(std::make_unique<ServeProcess>(s_ + "/auditor-" + std::to_string(i),
                                                       std::vector<std::string>{}, base_ + i));
    ASSERT_TRUE(auditors_.back()->Start()) << auditors_.back()->log();
  }
  fs::remove_all(s_ + "/kab/db");
  auto r = RunJejak({"recover", s_ + "/kab", "--from", Url(0), "--from", Url(1)}, s_);
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("jejak: recovery refused: "));
  EXPECT_THAT(r.err, HasSubstr("hold two different checkpoints of size 4, both signed by this "
                               "node's key: equivocation by this node's key"));
  const std::string evidence_file = s_ + "/kab/recovery-evidence.json";
  EXPECT_THAT(r.err, HasSubstr(evidence_file));
  // What it did, then the evidence.
  EXPECT_THAT(r.out, HasSubstr("has no store: a new one is made and filled from its peers\n"));
  const std::string printed = r.out.substr(std::min(r.out.find('{'), r.out.size()));
  auto evidence = nlohmann::json::parse(printed, nullptr, false);
  ASSERT_TRUE(evidence.is_object()) << r.out;
  EXPECT_EQ(evidence["origin"], "jejak.pkh/kab/7306");
  EXPECT_EQ(testing::ReadBinary(evidence_file), printed);
  auto check = RunJejak({"evidence", "--check", evidence_file, "--key", kab_key_}, s_);
  EXPECT_EQ(check.code, 0) << check.err;
  // The node signs nothing now.
  ASSERT_TRUE(testing::WriteBinary(s_ + "/records.txt", "after\n"));
  auto append = RunJejak({"append", s_ + "/kab", "--type", "generic.note", "--key", s_ + "/op.key",
                          s_ + "/records.txt"},
                         s_);
  EXPECT_EQ(append.code, 2);
  EXPECT_THAT(append.err, HasSubstr("its peers hold two histories of its log"));
}

}  // namespace
}  // namespace jejak
