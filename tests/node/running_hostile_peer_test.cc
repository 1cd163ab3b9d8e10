// A running `jejak serve` follower with a hostile peer: an in-process server,
// given with --peer, that gossips a newer governance checkpoint than the
// follower holds and serves it with one thing wrong. The follower counts the
// refusal under its reason in /metrics, stores nothing of it, stays healthy,
// and keeps replicating an honest peer's log.
//
// The follower and the honest peer are real processes over TLS; the hostile
// peer speaks plain HTTP on loopback (--peer allows http:// there): its
// faults are in what it serves, not in the transport.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <sstream>

#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/text_records.h"
#include "node/http.h"
#include "node/remote.h"
#include "tests/node/node_processes.h"

namespace jejak {
namespace {

using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

enum class Fault {
  kFlippedTile,
  kFlippedHeldTile,
  kBadBundle,
  kBadSignature,
  kRewind,
  kGarbage,
  kWrongType,
  kSlow
};

constexpr char kGov[] = "jejak.pkh/kemensos";
constexpr char kKab[] = "jejak.pkh/kab/7301";

class RunningFollowerWithAHostilePeer : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = testing::MakeTempFolder("running-hostile");
    const std::string gov = scratch_ + "/gov";
    Run({"init", gov, "--kind", "kemensos", "--name", "K", "--region", "00"});
    const std::string gov_key = Trim(RunJejak({"key", "show", gov}, scratch_).out);
    Run({"init", scratch_ + "/kab", "--kind", "kabupaten", "--name", "Kab", "--region", "7301",
         "--governance", gov_key});
    Run({"init", scratch_ + "/auditor", "--kind", "auditor", "--name", "Auditor", "--region", "00",
         "--governance", gov_key});
    kab_key_ = Trim(RunJejak({"key", "show", scratch_ + "/kab"}, scratch_).out);
    auditor_key_ = Trim(RunJejak({"key", "show", scratch_ + "/auditor"}, scratch_).out);
    Run({"registry", "add-node", gov, "--name", "Kab", "--kind", "kabupaten", "--region", "7301",
         "--key", kab_key_});
    Run({"registry", "add-node", gov, "--name", "Auditor", "--kind", "auditor", "--region", "00",
         "--key", auditor_key_});
    Run({"key", "new", "--out", scratch_ + "/operator.key", "--name", "kab-7301/operator"});
    Run({"registry", "grant", gov, "--key", scratch_ + "/operator.key", "--role", "operator",
         "--scope", "7301"});
    Run({"export", gov, "--out", scratch_ + "/tiles-old"});  // for the rewinding peer
    Open(gov, "2026-T1");
    // What the honest nodes hold of the governance log: size `held_`.
    Run({"export", gov, "--out", scratch_ + "/tiles-held"});
    Run({"pull", scratch_ + "/kab", "--from", scratch_ + "/tiles-held"});
    Run({"pull", scratch_ + "/auditor", "--from", scratch_ + "/tiles-held"});
    held_ = SizeOf(scratch_ + "/tiles-held");
    // What the hostile peer offers: two statements more.
    Open(gov, "2026-T2");
    Open(gov, "2026-T3");
    Run({"export", gov, "--out", scratch_ + "/tiles-new"});
    ASSERT_GT(SizeOf(scratch_ + "/tiles-new"), held_);
    ASSERT_LT(SizeOf(scratch_ + "/tiles-old"), held_);
  }
  void TearDown() override {
    auditor_.reset();
    kab_.reset();
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (hostile_) hostile_->Stop();
    testing::RemoveFolder(scratch_);
  }

  void Run(const std::vector<std::string>& args) {
    auto out = RunJejak(args, scratch_);
    ASSERT_EQ(out.code, 0) << args[0] << ": " << out.err;
  }
  void Open(const std::string& gov, const std::string& stage) {
    Run({"stage", "open", gov, "--stage", stage, "--from", "2026-03-01", "--to", "2026-03-14"});
  }
  static Checkpoint CheckpointOf(const std::string& tiles) {
    auto note = ParseNote(testing::ReadBinary(tiles + "/checkpoint"));
    auto cp = note.ok() ? ParseCheckpointText(note->text) : Result<Checkpoint>(note.status());
    return cp.ok() ? *cp : Checkpoint{};
  }
  static uint64_t SizeOf(const std::string& tiles) { return CheckpointOf(tiles).size; }

  // The hostile peer: its log list gossips the new governance checkpoint,
  // and it serves that log with `fault`.
  HttpResponse Serve(const HttpRequest& r, Fault fault) {
    if (fault == Fault::kGarbage) return TextResponse(200, "\x01\x02garbage");
    const Checkpoint offered = CheckpointOf(scratch_ + "/tiles-new");
    if (r.target == "/jejak/v1/logs") {
      HttpResponse out;
      out.content_type = "application/json";
      out.body = fmt::format(R"({{"node":"{}","logs":[{{"origin":"{}","size":{},"root":"{}"}}]}})",
                             kGov, kGov, offered.size, Base64Encode(offered.root));
      // A string where a boolean belongs: it once aborted the follower.
      if (fault == Fault::kWrongType)
        out.body.insert(out.body.find("\"origin\""), "\"own\":\"yes\",");
      return out;
    }
    const std::string prefix = std::string("/") + kGov + "/";
    if (!r.target.starts_with(prefix)) return TextResponse(404, "no");
    const std::string rel = r.target.substr(prefix.size());
    const std::string tiles = scratch_ + (fault == Fault::kRewind ? "/tiles-old/" : "/tiles-new/");
    if (!std::filesystem::is_regular_file(tiles + rel)) return TextResponse(404, "no");
    HttpResponse out;
    out.content_type = "application/octet-stream";
    out.body = testing::ReadBinary(tiles + rel);
    if (rel == "checkpoint") {
      // A character of the signature's base64 (before the final "=\n")
      // changed into another base64 character: the line still parses, the
      // signature no longer verifies. (Flipping a bit could make it invalid
      // base64, a malformed note rather than a bad signature, depending on
      // the key.)
      if (fault == Fault::kBadSignature) {
        char& c = out.body[out.body.size() - 4];
        c = c == 'A' ? 'B' : 'A';
      }
      return out;
    }
    // A hash of a leaf the follower does not hold yet, or of one it holds.
    if (fault == Fault::kFlippedTile && rel.starts_with("tile/0/")) out.body[held_ * 32 + 5] ^= 1;
    if (fault == Fault::kFlippedHeldTile && rel.starts_with("tile/0/")) out.body[5] ^= 1;
    if (fault == Fault::kBadBundle && rel.starts_with("tile/entries/")) out.body.back() ^= 1;
    if (fault == Fault::kSlow && rel.starts_with("tile/")) {
      std::unique_lock lock(mu_);  // as long as the test runs
      cv_.wait_for(lock, std::chrono::seconds(60), [&] { return stopping_; });
    }
    return out;
  }

  // Starts the hostile peer, the honest peer (the kabupaten) and the
  // follower (the auditor, which follows every log), the hostile one first
  // in its list of peers.
  void StartWith(Fault fault) {
    HttpServerOptions options;
    options.threads = 16;  // a hanging tile holds a thread; the list still answers
    auto server =
        HttpServer::Start(options, [this, fault](const HttpRequest& r) { return Serve(r, fault); });
    ASSERT_TRUE(server.ok()) << server.status().message();
    hostile_ = std::move(server).value();
    const std::string passphrase_file = scratch_ + "/passphrase";
    ASSERT_TRUE(testing::WriteBinary(passphrase_file, testing::kNodePassphrase));
    kab_ = std::make_unique<ServeProcess>(
        scratch_ + "/kab",
        std::vector<std::string>{"--poll-ms", "200", "--passphrase-file", passphrase_file});
    ASSERT_TRUE(kab_->Start()) << kab_->log();
    auditor_ = std::make_unique<ServeProcess>(
        scratch_ + "/auditor",
        std::vector<std::string>{"--peer", HostileUrl(), "--peer", kab_->url(), "--poll-ms", "200",
                                 "--passphrase-file", passphrase_file});
    ASSERT_TRUE(auditor_->Start()) << auditor_->log();
  }
  std::string HostileUrl() const { return "http://127.0.0.1:" + std::to_string(hostile_->port()); }

  std::unique_ptr<HttpClient> Client(const ServeProcess& node, const std::string& key) {
    auto k = ParseVerifierKey(key);
    EXPECT_TRUE(k.ok());
    auto client = ConnectTo(node.url(), {k->key});
    EXPECT_TRUE(client.ok()) << client.status().message();
    return client.ok() ? std::move(client).value() : nullptr;
  }

  // One series of the follower's /metrics; 0 when absent.
  double Metric(const std::string& series) {
    auto client = Client(*auditor_, auditor_key_);
    auto r = client ? client->Get("/metrics") : Result<HttpResult>(Unavailable("no client"));
    if (!r.ok() || r->status != 200) return -1;
    return testing::MetricIn(r->body, series);
  }
  double Rejected(const std::string& reason) {
    return Metric("jejak_rejected_inputs_total{reason=\"" + reason + "\"}");
  }
  // Waits (generously) until `series` reaches `at_least`; returns its value.
  double WaitForMetric(const std::string& series, double at_least) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
    double v = Metric(series);
    while (v < at_least && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      v = Metric(series);
    }
    return v;
  }

  std::optional<LogStatus> FollowerLog(const std::string& origin) {
    auto client = Client(*auditor_, auditor_key_);
    auto s = client ? FetchStatus(*client) : Result<RemoteStatus>(Unavailable("no client"));
    if (!s.ok()) return std::nullopt;
    for (const auto& l : s->logs) {
      if (l.origin == origin) return l;
    }
    return std::nullopt;
  }

  // What must hold whatever the fault: the governance replica is as it was,
  // not frozen, no evidence counted; the follower answers /healthz; and a
  // statement appended at the honest peer now reaches it.
  void ExpectUnharmedAndStillReplicating() {
    const Checkpoint held = CheckpointOf(scratch_ + "/tiles-held");
    auto gov = FollowerLog(kGov);
    ASSERT_TRUE(gov);
    EXPECT_EQ(gov->size, held.size);
    EXPECT_EQ(gov->root, Base64Encode(held.root));
    EXPECT_FALSE(gov->frozen);
    EXPECT_EQ(Metric("jejak_equivocations_total{origin=\"" + std::string(kGov) + "\"}"), 0);
    auto client = Client(*auditor_, auditor_key_);
    ASSERT_TRUE(client);
    auto health = client->Get("/healthz");
    ASSERT_TRUE(health.ok()) << health.status().message();
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(health->body, "ok\n");

    auto kab = Client(*kab_, kab_key_);
    ASSERT_TRUE(kab);
    auto op = UnlockKeyFile(scratch_ + "/operator.key", testing::kNodePassphrase);
    ASSERT_TRUE(op.ok()) << op.status().message();
    auto sent = SubmitStatement(*kab, "generic.note", "", {*EncodeTextRecordEntry("honest")}, *op);
    ASSERT_TRUE(sent.ok()) << sent.status().message();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(50);
    std::optional<LogStatus> replica;
    while (std::chrono::steady_clock::now() < deadline) {
      replica = FollowerLog(kKab);
      if (replica && replica->size == sent->size) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(replica);
    EXPECT_EQ(replica->size, 2u);
    EXPECT_EQ(replica->size, sent->size);
  }

  std::string scratch_, kab_key_, auditor_key_;
  uint64_t held_ = 0;
  std::unique_ptr<HttpServer> hostile_;
  std::unique_ptr<ServeProcess> kab_, auditor_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

TEST_F(RunningFollowerWithAHostilePeer, AFlippedTileHashIsCountedAndNothingStored) {
  StartWith(Fault::kFlippedTile);
  EXPECT_GE(WaitForMetric("jejak_rejected_inputs_total{reason=\"corrupt_data\"}", 1), 1)
      << auditor_->log();
  ExpectUnharmedAndStillReplicating();
  EXPECT_NE(auditor_->log().find("tile/0/000"), std::string::npos) << auditor_->log();
}

TEST_F(RunningFollowerWithAHostilePeer, AFlippedTileHashOfHeldLeavesIsCountedAsInconsistent) {
  StartWith(Fault::kFlippedHeldTile);
  EXPECT_GE(WaitForMetric("jejak_rejected_inputs_total{reason=\"inconsistent\"}", 1), 1)
      << auditor_->log();
  ExpectUnharmedAndStillReplicating();
  EXPECT_NE(auditor_->log().find("differs from the leaves this node already holds"),
            std::string::npos)
      << auditor_->log();
}

TEST_F(RunningFollowerWithAHostilePeer, ABundleThatDoesNotMatchIsCountedAndNothingStored) {
  StartWith(Fault::kBadBundle);
  EXPECT_GE(WaitForMetric("jejak_rejected_inputs_total{reason=\"corrupt_data\"}", 1), 1)
      << auditor_->log();
  ExpectUnharmedAndStillReplicating();
  EXPECT_NE(auditor_->log().find("leaf"), std::string::npos) << auditor_->log();
}

TEST_F(RunningFollowerWithAHostilePeer, ABadCheckpointSignatureIsCountedAndNothingStored) {
  StartWith(Fault::kBadSignature);
  EXPECT_GE(WaitForMetric("jejak_rejected_inputs_total{reason=\"bad_signature\"}", 1), 1)
      << auditor_->log();
  EXPECT_EQ(Rejected("corrupt_data"), 0);
  ExpectUnharmedAndStillReplicating();
}

TEST_F(RunningFollowerWithAHostilePeer, ARewindingCheckpointIsCountedAndNothingRewound) {
  StartWith(Fault::kRewind);
  EXPECT_GE(WaitForMetric("jejak_rejected_inputs_total{reason=\"rewinding_checkpoint\"}", 1), 1)
      << auditor_->log();
  ExpectUnharmedAndStillReplicating();
  EXPECT_NE(auditor_->log().find(fmt::format(
                "pull {} from {}: its checkpoint (size {}) is behind the replica (size {})", kGov,
                HostileUrl(), SizeOf(scratch_ + "/tiles-old"), held_)),
            std::string::npos)
      << auditor_->log();
}

// The follower visits its peers in turn on one thread: a peer that answers
// its list at once and then never finishes a tile costs each round the
// follower's 10 s request timeout (a failed pull is not a failed peer, so no
// backoff). The honest peer's log still arrives, and the node still answers
// its submit API, though only once the hanging pull gives up (the times are
// printed, not judged: about 10 s and 9 s on the 2-core machine).
TEST_F(RunningFollowerWithAHostilePeer, AHangingPeerTimesOutAndAnHonestPeerStillReplicates) {
  StartWith(Fault::kSlow);
  EXPECT_GE(WaitForMetric("jejak_rejected_inputs_total{reason=\"unavailable\"}", 1), 1)
      << auditor_->log();
  const auto start = std::chrono::steady_clock::now();
  ExpectUnharmedAndStillReplicating();
  std::cout << "an honest statement took "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
            << " s to reach the follower beside a hanging peer\n";
  // The follower pulls under the node's write lock, which the submit API
  // takes too: an answer asked for a second into a round waits for the
  // hanging pull (printed, not judged).
  auto client = Client(*auditor_, auditor_key_);
  ASSERT_TRUE(client);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto asked = std::chrono::steady_clock::now();
  auto header = client->Get("/jejak/v1/statement-header?type=generic.note");
  ASSERT_TRUE(header.ok()) << header.status().message();
  EXPECT_EQ(header->status, 200) << header->body;
  std::cout << "a statement-header answer took "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - asked).count()
            << " s beside a hanging peer\n";
  EXPECT_NE(auditor_->log().find("timed out"), std::string::npos) << auditor_->log();
}

TEST_F(RunningFollowerWithAHostilePeer, GarbageIsCountedAndNothingStored) {
  StartWith(Fault::kGarbage);
  EXPECT_GE(WaitForMetric("jejak_rejected_inputs_total{reason=\"corrupt_data\"}", 1), 1)
      << auditor_->log();
  ExpectUnharmedAndStillReplicating();
  EXPECT_NE(auditor_->log().find(HostileUrl() + "/jejak/v1/logs line 1 column 1: not valid JSON"),
            std::string::npos)
      << auditor_->log();
}

TEST_F(RunningFollowerWithAHostilePeer, AFieldOfTheWrongTypeIsCountedNotAnAbort) {
  StartWith(Fault::kWrongType);
  EXPECT_GE(WaitForMetric("jejak_rejected_inputs_total{reason=\"corrupt_data\"}", 1), 1)
      << auditor_->log();
  ExpectUnharmedAndStillReplicating();
  EXPECT_NE(auditor_->log().find(HostileUrl() + "/jejak/v1/logs: logs[0].own: expected true or "
                                                "false"),
            std::string::npos)
      << auditor_->log();
  EXPECT_EQ(Metric("jejak_internal_errors_total{where=\"follower\"}"), 0);
}

}  // namespace
}  // namespace jejak
