// A follower binds each peer URL the registry lists to the key the registry
// gives that node: a process at kab-7302's URL that presents kab-7303's
// certificate (another registered node) is refused, and nothing is pulled
// from it.
#include <gtest/gtest.h>

#include "tests/node/federation.h"

namespace jejak {
namespace {

class PeerPinning : public testing::FiveNodeFederation {};

TEST_F(PeerPinning, APeerPresentingAnotherRegisteredNodesCertificateIsRefused) {
  const testing::NodeRow& k7302 = Node("kab-7302");
  const testing::NodeRow& k7303 = Node("kab-7303");
  const std::string origin = OriginOf("kab-7303");
  {
    auto honest = Connect(k7303);
    ASSERT_TRUE(honest);
    auto first = SubmitStatement(*honest, "generic.note", "", Records("honest", 0, 3),
                                 OperatorKey("kab-7303"));
    ASSERT_TRUE(first.ok()) << first.status().message();
    ASSERT_EQ(WaitForConvergence(origin, first->size, Base64Encode(RootOf(first->checkpoint)),
                                 std::chrono::seconds(60), kHolders),
              kHolders);
  }
  auto before = LogOf(Node("kemensos"), origin);
  ASSERT_TRUE(before);
  StopStarted(k7302, SIGTERM);
  StopStarted(k7303, SIGTERM);
  // kab-7303's node, serving at kab-7302's registered URL.
  testing::ServeProcess impostor(dir_ + "/kab-7303",
                                 {"--poll-ms", "200", "--passphrase-file", dir_ + "/passphrase"},
                                 PortOf(k7302));
  ASSERT_TRUE(impostor.Start()) << impostor.log();
  auto key = ParseVerifierKey(k7303.key);
  ASSERT_TRUE(key.ok());
  auto client = ConnectTo(k7302.url, {key->key});
  ASSERT_TRUE(client.ok()) << client.status().message();
  auto sent = SubmitStatement(**client, "generic.note", "", Records("pinned", 0, 3),
                              OperatorKey("kab-7303"));
  ASSERT_TRUE(sent.ok()) << sent.status().message();

  // Kemensos visits kab-7302's URL and refuses the certificate it meets.
  const std::string log = dir_ + "/kemensos.log";
  const std::string refused = "peer " + k7302.url + ":";
  const size_t seen = testing::ReadBinary(log).size();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (testing::ReadBinary(log).find(refused, seen) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(testing::ReadBinary(log).find(refused, seen), std::string::npos)
      << testing::ReadBinary(log);
  auto after = LogOf(Node("kemensos"), origin);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size, before->size);  // not pulled through the impostor
  EXPECT_LT(after->size, sent->size);
}

}  // namespace
}  // namespace jejak
