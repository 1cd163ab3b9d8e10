// A federation of real `jejak serve` processes over TLS on 127.0.0.1, built by
// tools/federation: convergence under concurrent appends at three authors,
// and a follower killed with SIGKILL mid-replication and restarted.
#include "tests/node/federation.h"

namespace jejak {
namespace {

using testing::FederationFixture;
using testing::NodeRow;

// kemensos, provinsi 73, three kabupaten, two lembaga bayar and an auditor.
class Federation : public FederationFixture {
 protected:
  void SetUp() override { Up("3", 8); }
};

TEST_F(Federation, ConcurrentAppendsAtThreeAuthorsConvergeAndAreCosigned) {
  const std::vector<std::string> authors = {"kab-7301", "kab-7302", "kab-7303"};
  constexpr int kStatements = 200, kRecords = 5;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (const auto& author : authors) {
    threads.emplace_back([&, author] {
      auto key = UnlockKeyFile(dir_ + "/" + author + "-operator.key", passphrase_);
      if (!key.ok()) {
        failures++;
        return;
      }
      auto client = Connect(Node(author));
      if (!client) {
        failures++;
        return;
      }
      for (int s = 0; s < kStatements; ++s) {
        std::vector<Bytes> records;
        for (int r = 0; r < kRecords; ++r) {
          records.push_back(*EncodeTextRecordEntry("note " + std::to_string(s * kRecords + r)));
        }
        auto sent = SubmitStatement(*client, "generic.note", "", std::move(records), *key);
        if (!sent.ok() || sent->index != static_cast<uint64_t>(s) * (kRecords + 1)) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);

  const uint64_t size = kStatements * (kRecords + 1);
  for (const auto& author : authors) {
    std::string root;
    uint64_t cosignatures = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    // The author's own view, once every witness has cosigned its last checkpoint.
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& l : StatusOf(Node(author))) {
        if (l.own) {
          ASSERT_EQ(l.size, size);
          root = l.root;
          cosignatures = l.cosignatures;
        }
      }
      if (cosignatures >= 7) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_GE(cosignatures, 5u) << author;  // k = 5 of its 7 peers at least
    // Kemensos, provinsi 73, both banks and the auditor follow a kabupaten log.
    EXPECT_EQ(WaitForConvergence("jejak.pkh/kab/" + author.substr(4), size, root,
                                 std::chrono::seconds(90)),
              6)
        << author;
  }
}

TEST_F(Federation, AFollowerKilledMidReplicationResumesAndConverges) {
  auto key = UnlockKeyFile(dir_ + "/kab-7301-operator.key", passphrase_);
  ASSERT_TRUE(key.ok());
  auto client = Connect(Node("kab-7301"));
  std::vector<Bytes> records;
  for (int r = 0; r < 20000; ++r)
    records.push_back(*EncodeTextRecordEntry("r" + std::to_string(r)));
  auto sent = SubmitStatement(*client, "generic.note", "", std::move(records), *key);
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  // SIGKILL the auditor while it replicates, then start it again.
  const std::string pid_file = dir_ + "/auditor.pid";
  const pid_t pid = std::stoi(testing::ReadBinary(pid_file));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const NodeRow& auditor = Node("auditor");
  testing::ServeProcess again(
      dir_ + "/auditor",
      {"--peer", Node("kemensos").url, "--poll-ms", "200", "--passphrase-file",
       dir_ + "/passphrase"},
      static_cast<uint16_t>(std::stoi(auditor.url.substr(auditor.url.rfind(':') + 1))));
  ASSERT_TRUE(again.Start()) << again.log();
  std::string root;
  for (const auto& l : StatusOf(Node("kab-7301"))) {
    if (l.own) root = l.root;
  }
  EXPECT_EQ(WaitForConvergence("jejak.pkh/kab/7301", sent->size, root, std::chrono::seconds(90)),
            6);
  // Its replica verifies from end to end.
  again.Stop(SIGTERM);
  auto verify = testing::RunJejak({"verify", dir_ + "/auditor"}, scratch_);
  EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace jejak
