// A federation of real `jejak serve` processes over TLS on 127.0.0.1, built
// by tools/federation, and what the federation tests ask of it: a node's
// status and metrics over its pinned TLS, statements submitted through the
// submit API, convergence of every replica, a node restarted on its port.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "crypto/cosignature.h"
#include "crypto/key_file.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/text_records.h"
#include "node/http_source.h"
#include "node/remote.h"
#include "tests/node/node_processes.h"

namespace jejak::testing {

struct NodeRow {
  std::string name, kind, url, key, witness_key;
};

class FederationFixture : public ::testing::Test {
 protected:
  // `tools/federation up ARGS`; expects `nodes` nodes in nodes.tsv.
  void Up(const std::string& args, size_t nodes) {
    scratch_ = MakeTempFolder("federation");
    dir_ = scratch_ + "/fed";
    port_ = 20000 + static_cast<int>(::getpid() % 400) * 20;
    ASSERT_EQ(Tool("up " + args), 0) << ReadBinary(scratch_ + "/tool.err");
    std::ifstream in(dir_ + "/nodes.tsv");
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      NodeRow r;
      std::getline(fields, r.name, '\t');
      std::getline(fields, r.kind, '\t');
      std::getline(fields, r.url, '\t');
      std::getline(fields, r.key, '\t');
      std::getline(fields, r.witness_key, '\t');
      nodes_.push_back(r);
    }
    ASSERT_EQ(nodes_.size(), nodes);
    passphrase_ = ReadBinary(dir_ + "/passphrase");
    while (!passphrase_.empty() && passphrase_.back() == '\n') passphrase_.pop_back();
  }
  void TearDown() override {
    restarted_.clear();
    if (!dir_.empty()) Tool("down");
    // JEJAK_TEST_KEEP=1 keeps the node folders and their logs to look at.
    if (!scratch_.empty() && std::getenv("JEJAK_TEST_KEEP") == nullptr) RemoveFolder(scratch_);
  }

  int Tool(const std::string& args) {
    const std::string cmd =
        "JEJAK_FEDERATION_DIR=" + dir_ + " JEJAK_FEDERATION_PORT=" + std::to_string(port_) +
        " JEJAK_FEDERATION_POLL_MS=200 JEJAK_BINARY=" + JEJAK_BINARY + " " + JEJAK_TOOLS_DIR +
        "/federation " + args + " >" + scratch_ + "/tool.out 2>" + scratch_ + "/tool.err";
    return std::system(cmd.c_str());
  }

  const NodeRow& Node(const std::string& name) {
    for (const auto& n : nodes_) {
      if (n.name == name) return n;
    }
    ADD_FAILURE() << "no node " << name;
    return nodes_.front();
  }
  static uint16_t PortOf(const NodeRow& n) {
    return static_cast<uint16_t>(std::stoi(n.url.substr(n.url.rfind(':') + 1)));
  }
  static std::string OriginOf(const std::string& kabupaten) {
    return "jejak.pkh/kab/" + kabupaten.substr(4);
  }

  // A client pinned to the node's key; null (and a test failure) if the
  // node cannot be reached at all.
  std::unique_ptr<HttpClient> Connect(const NodeRow& n) {
    auto key = ParseVerifierKey(n.key);
    EXPECT_TRUE(key.ok());
    auto client = ConnectTo(n.url, {key->key});
    EXPECT_TRUE(client.ok()) << client.status().message();
    return client.ok() ? std::move(client).value() : nullptr;
  }

  // The node's log list; empty while it does not answer.
  std::vector<LogStatus> StatusOf(const NodeRow& n) {
    auto client = Connect(n);
    if (!client) return {};
    auto s = FetchStatus(*client);
    return s.ok() ? s->logs : std::vector<LogStatus>{};
  }
  std::optional<LogStatus> LogOf(const NodeRow& n, const std::string& origin) {
    for (auto& l : StatusOf(n)) {
      if (l.origin == origin) return l;
    }
    return std::nullopt;
  }
  std::optional<LogStatus> OwnLog(const NodeRow& n) {
    for (auto& l : StatusOf(n)) {
      if (l.own) return l;
    }
    return std::nullopt;
  }

  // The value of one series of the node's /metrics (`labels` as inside the
  // braces, or empty); 0 when the series is absent.
  double Metric(const NodeRow& n, const std::string& name, const std::string& labels = "") {
    auto client = Connect(n);
    if (!client) return -1;
    auto r = client->Get("/metrics");
    if (!r.ok() || r->status != 200) return -1;
    return MetricIn(r->body, labels.empty() ? name : name + "{" + labels + "}");
  }

  // Waits until every node that holds `origin` (its author too) holds it at
  // `size` with `root`, and at least `holders` nodes hold it (a follower that
  // has not registered the log yet is not behind, but not there either);
  // returns the number of nodes holding it then, or -1 at the limit.
  int WaitForConvergence(const std::string& origin, uint64_t size, const std::string& root,
                         std::chrono::seconds limit, int holders = 0) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      int holding = 0, behind = 0;
      for (const auto& n : nodes_) {
        for (const auto& l : StatusOf(n)) {
          if (l.origin != origin) continue;
          holding++;
          if (l.size != size || l.root != root) behind++;
        }
      }
      const bool there = behind == 0 && holding >= holders;
      if (there || std::chrono::steady_clock::now() > deadline) return there ? holding : -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // Waits until the author's own latest checkpoint carries at least
  // `cosignatures`; returns its status then (the last seen at the limit).
  LogStatus WaitForCosignatures(const NodeRow& author, uint64_t cosignatures,
                                std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    LogStatus last;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto own = OwnLog(author)) last = *own;
      if (last.cosignatures >= cosignatures) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return last;
  }

  // The root a checkpoint note says (zero if it does not parse).
  static Hash RootOf(const std::string& checkpoint) {
    auto note = ParseNote(checkpoint);
    if (!note.ok()) return Hash{};
    auto cp = ParseCheckpointText(note->text);
    return cp.ok() ? cp->root : Hash{};
  }

  // The operator key of a kabupaten of the federation.
  SigningKey OperatorKey(const std::string& kabupaten) {
    auto key = UnlockKeyFile(dir_ + "/" + kabupaten + "-operator.key", passphrase_);
    EXPECT_TRUE(key.ok()) << key.status().message();
    return key.ok() ? std::move(*key) : KeyFromByte(1);
  }

  // The text records of statement `s` of a test: "<tag> <s>.<r>".
  static std::vector<Bytes> Records(const std::string& tag, int s, int count) {
    std::vector<Bytes> records;
    for (int r = 0; r < count; ++r) {
      records.push_back(
          *EncodeTextRecordEntry(tag + " " + std::to_string(s) + "." + std::to_string(r)));
    }
    return records;
  }

  // Starts a node again on its port, as tools/federation starts it; the
  // process is stopped (SIGTERM) at the end of the test.
  ServeProcess& Restart(const NodeRow& n, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--peer", Node("kemensos").url, "--poll-ms",
                                     "200",    "--passphrase-file",  dir_ + "/passphrase"};
    args.insert(args.end(), extra.begin(), extra.end());
    restarted_.push_back(std::make_unique<ServeProcess>(dir_ + "/" + n.name, args, PortOf(n)));
    EXPECT_TRUE(restarted_.back()->Start()) << restarted_.back()->log();
    return *restarted_.back();
  }
  // Stops a node started by tools/federation with `sig`, and waits for it.
  void StopStarted(const NodeRow& n, int sig) {
    const std::string pid_file = dir_ + "/" + n.name + ".pid";
    const pid_t pid = std::stoi(ReadBinary(pid_file));
    ASSERT_EQ(::kill(pid, sig), 0) << n.name;
    // Not our child (tools/federation started it): wait until it is gone
    // or a zombie (whose sockets are closed) that nobody reaps.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (Alive(pid) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_FALSE(Alive(pid)) << n.name << " did not stop";
    ::unlink(pid_file.c_str());
  }
  static bool Alive(pid_t pid) {
    const std::string stat = ReadBinary("/proc/" + std::to_string(pid) + "/stat");
    const size_t paren = stat.rfind(") ");
    return paren != std::string::npos && stat[paren + 2] != 'Z' && stat[paren + 2] != 'X';
  }

  // Every node of the federation but `name`.
  std::set<std::string> OthersThan(const std::string& name) const {
    std::set<std::string> out;
    for (const auto& n : nodes_) {
      if (n.name != name) out.insert(n.name);
    }
    return out;
  }

  // The witnesses whose cosignatures on the author's served checkpoint of
  // `size` verify under their registered witness keys (C2SP
  // tlog-cosignature).
  std::set<std::string> VerifiedCosigners(const NodeRow& author, uint64_t size) {
    std::set<std::string> names;
    auto client = Connect(author);
    if (!client) return names;
    auto r = client->Get(LogPath(OriginOf(author.name)) + "/checkpoint");
    if (!r.ok() || r->status != 200) return names;
    auto note = ParseNote(r->body);
    if (!note.ok()) return names;
    auto cp = ParseCheckpointText(note->text);
    if (!cp.ok() || cp->size != size) return names;
    for (const auto& n : nodes_) {
      auto key = ParseVerifierKey(n.witness_key);
      if (!key.ok() || n.name == author.name) continue;
      for (const auto& sig : note->signatures) {
        if (sig.name == key->name &&
            VerifyCosignature(note->text, sig, {key->name, key->key}).ok()) {
          names.insert(n.name);
        }
      }
    }
    return names;
  }

  std::string scratch_, dir_, passphrase_;
  int port_ = 0;
  std::vector<NodeRow> nodes_;
  std::vector<std::unique_ptr<ServeProcess>> restarted_;
};

// Five nodes: kemensos, provinsi 73 and kabupaten 7301, 7302 and 7303. Each
// kabupaten log is replicated by kemensos and the provinsi (they follow it),
// whose witnesses cosign it (a log is offered to the nodes that follow it;
// kabupaten do not follow each other).
class FiveNodeFederation : public FederationFixture {
 protected:
  void SetUp() override { Up("3 --small", 5); }
  static constexpr uint64_t kPeers = 2;  // witnesses of each kabupaten log
  const std::set<std::string> kWitnesses = {"kemensos", "prov-73"};
  static constexpr int kHolders = 3;  // the author, kemensos, provinsi 73
  const std::vector<std::string> kAuthors = {"kab-7301", "kab-7302", "kab-7303"};
};

}  // namespace jejak::testing
