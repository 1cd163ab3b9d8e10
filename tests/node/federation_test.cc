// A federation of real `jejak serve` processes over TLS on 127.0.0.1, built by
// tools/federation: a follower killed with SIGKILL mid-replication and
// restarted. (Convergence under concurrent appends at three authors is
// convergence_test.cc, on five nodes.)
#include "tests/node/federation.h"

namespace jejak {
namespace {

using testing::FederationFixture;
using testing::NodeRow;

// kemensos, provinsi 73, kabupaten 7301, two lembaga bayar and an auditor:
// the kabupaten's log is held by its author and the five others.
class Federation : public FederationFixture {
 protected:
  void SetUp() override { Up("1", 6); }
};

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
