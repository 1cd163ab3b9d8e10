// A follower binds each peer URL the registry lists to the key the registry
// gives that node: a process at kab-7302's URL that presents kab-7303's
// certificate (another registered node) is refused, and nothing is pulled
// from it.
#include <gtest/gtest.h>

#include "ledger/pkh/records.h"
#include "tests/node/federation.h"
#include "tests/test_support.h"

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

// A node registered through kemensos's submit API while kemensos runs (its
// own log is the governance log) is trusted by kemensos at once: its
// certificate is accepted without a restart.
TEST_F(PeerPinning, ANodeRegisteredThroughARunningKemensosIsTrustedAtOnce) {
  const testing::NodeRow& kemensos = Node("kemensos");
  auto root = UnlockKeyFile(dir_ + "/kemensos/node.key", passphrase_);
  ASSERT_TRUE(root.ok()) << root.status().message();
  const SigningKey fresh = testing::KeyFromByte(0x5a);
  auto kemensos_key = ParseVerifierKey(kemensos.key);
  ASSERT_TRUE(kemensos_key.ok());
  // Before: its certificate is refused.
  auto early = ConnectTo(kemensos.url, {kemensos_key->key}, &fresh);
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE((*early)->Get("/healthz").ok());

  NodeRegistration r;
  r.origin = "jejak.pkh/kab/7399";
  r.name = "Kab 7399";
  r.kind = NodeKind::kKabupaten;
  r.region = "7399";
  r.verifier_key = NoteVerifierKey::ForEd25519(r.origin, fresh.public_key()).ToString();
  auto admin = Connect(kemensos);
  ASSERT_TRUE(admin);
  auto sent = SubmitStatement(*admin, kTypeGovNode, "", {*EncodePkhRecord(r)}, *root);
  ASSERT_TRUE(sent.ok()) << sent.status().message();

  auto client = ConnectTo(kemensos.url, {kemensos_key->key}, &fresh);
  ASSERT_TRUE(client.ok());
  auto health = (*client)->Get("/healthz");
  ASSERT_TRUE(health.ok()) << health.status().message();
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace jejak
