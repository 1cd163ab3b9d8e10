// Faults at an author of a five-node federation of real `jejak serve`
// processes over TLS (tools/federation up 3 --small): killed with SIGKILL
// mid-replication and restarted; cut off from every peer while it keeps
// appending, then healed.
#include <fmt/format.h>

#include <mutex>

#include "crypto/encoding.h"
#include "ledger/log/log.h"
#include "ledger/pkh/node_folder.h"
#include "node/metrics.h"
#include "tests/node/federation.h"

namespace jejak {
namespace {

using testing::FiveNodeFederation;

// A statement the author acknowledged: where, and the checkpoint it answered.
struct Ack {
  uint64_t index = 0, size = 0;
  Hash root{};
  std::vector<Bytes> records;
};

class AuthorFaults : public FiveNodeFederation {
 protected:
  // Submits `count` statements of kRecords records to `author`, one at a
  // time; each must land right after the last. Returns the last answer.
  Submitted SubmitInTurn(const std::string& author, const std::string& tag, int count) {
    SigningKey key = OperatorKey(author);
    auto client = Connect(Node(author));
    Submitted last;
    for (int s = 0; client && s < count; ++s) {
      auto sent = SubmitStatement(*client, "generic.note", "", Records(tag, s, kRecords), key);
      EXPECT_TRUE(sent.ok()) << tag << " " << s << ": " << sent.status().message();
      if (!sent.ok()) break;
      if (s > 0) {
        EXPECT_EQ(sent->index, last.size) << tag << " " << s;
      }
      EXPECT_EQ(sent->size, sent->index + kRecords + 1);
      last = *sent;
    }
    return last;
  }

  static constexpr int kRecords = 3;
};

TEST_F(AuthorFaults, AnAuthorKilledMidReplicationKeepsEveryAcknowledgedStatement) {
  const testing::NodeRow& author = Node("kab-7301");
  const std::string origin = OriginOf(author.name);
  // A large statement first, so that the followers are busy pulling.
  {
    auto client = Connect(author);
    ASSERT_TRUE(client);
    std::vector<Bytes> records;
    for (int r = 0; r < 20000; ++r)
      records.push_back(*EncodeTextRecordEntry("bulk " + std::to_string(r)));
    auto sent =
        SubmitStatement(*client, "generic.note", "", std::move(records), OperatorKey(author.name));
    ASSERT_TRUE(sent.ok()) << sent.status().message();
  }
  // Two clients submit without pause; each keeps what was acknowledged and
  // stops at its first failure (the kill).
  std::mutex mu;
  std::vector<Ack> acks;
  std::atomic<int> failed{0};
  std::vector<std::thread> submitters;
  for (int t = 0; t < 2; ++t) {
    submitters.emplace_back([&, t] {
      SigningKey key = OperatorKey(author.name);
      auto client = Connect(author);
      for (int s = 0; client; ++s) {
        std::vector<Bytes> records = Records("client " + std::to_string(t), s, kRecords);
        auto sent = SubmitStatement(*client, "generic.note", "", records, key);
        if (!sent.ok()) break;
        std::lock_guard lock(mu);
        acks.push_back({sent->index, sent->size, RootOf(sent->checkpoint), std::move(records)});
      }
      failed++;
    });
  }
  // Kill it once both clients are well under way (and so one is in flight).
  for (int i = 0; i < 3000; ++i) {
    {
      std::lock_guard lock(mu);
      if (acks.size() >= 40) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  StopStarted(author, SIGKILL);
  for (auto& t : submitters) t.join();
  ASSERT_EQ(failed.load(), 2);
  ASSERT_GE(acks.size(), 40u);
  uint64_t acked_size = 0;
  for (const auto& a : acks) acked_size = std::max(acked_size, a.size);

  // Restarted, it holds at least every acknowledged statement, and appends on.
  Restart(author);
  auto held = OwnLog(author);
  ASSERT_TRUE(held);
  EXPECT_GE(held->size, acked_size);
  const Submitted after = SubmitInTurn(author.name, "after restart", 10);
  EXPECT_EQ(after.size, held->size + 10 * (kRecords + 1));
  const std::string root = Base64Encode(RootOf(after.checkpoint));
  // Replication resumes: both followers reach the author's last checkpoint.
  EXPECT_EQ(WaitForConvergence(origin, after.size, root, std::chrono::seconds(60), kHolders),
            kHolders);

  restarted_.clear();
  ASSERT_EQ(Tool("down"), 0);
  auto folder = NodeFolder::Open(dir_ + "/" + author.name, StoreMode::kReadOnly);
  ASSERT_TRUE(folder.ok()) << folder.status().message();
  LogReader own((*folder)->store(), (*folder)->own_log());
  // Every acknowledged statement is where its answer said, with its records,
  // under the root its checkpoint signed.
  for (const auto& a : acks) {
    auto r = own.Root(a.size);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(*r, a.root) << "at size " << a.size;
    for (size_t i = 0; i < a.records.size(); ++i) {
      auto leaf = own.Leaf(a.index + 1 + i);
      ASSERT_TRUE(leaf.ok()) << leaf.status().message();
      EXPECT_EQ(*leaf, a.records[i]) << "leaf " << a.index + 1 + i;
    }
  }
  // No replica diverges: each checkpoint it holds has the author's root at
  // its size, and each replica verifies from end to end.
  for (const char* follower : {"kemensos", "prov-73"}) {
    auto replica = NodeFolder::Open(dir_ + "/" + follower, StoreMode::kReadOnly);
    ASSERT_TRUE(replica.ok()) << replica.status().message();
    auto info = FindLog((*replica)->store(), origin);
    ASSERT_TRUE(info.ok()) << follower;
    LogReader reader((*replica)->store(), *info);
    int checked = 0;
    ASSERT_TRUE(reader
                    .ForEachCheckpoint([&](uint64_t size, std::string_view note) {
                      auto r = own.Root(size);
                      if (!r.ok()) return r.status();
                      EXPECT_EQ(RootOf(std::string(note)), *r) << follower << " size " << size;
                      checked++;
                      return Status::Ok();
                    })
                    .ok());
    EXPECT_GE(checked, 2) << follower;
    auto verify = testing::RunJejak({"verify", dir_ + "/" + follower}, scratch_);
    EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
    EXPECT_NE(verify.out.find(fmt::format("size {} root {}\n", after.size, root)),
              std::string::npos)
        << follower << verify.out;
  }
  auto verify = testing::RunJejak({"verify", dir_ + "/" + author.name}, scratch_);
  EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
}

// The partition is made by stopping every peer of the author (SIGTERM) and
// starting them again on their ports: the author's node keeps running,
// accepting submissions and failing to reach anyone, as a node cut off by
// the network does (a proxy would need the registry's URLs to differ from
// the listening ports, which tools/federation does not do).
TEST_F(AuthorFaults, AnAuthorCutOffFromItsPeersKeepsAppendingAndConvergesAfterTheHeal) {
  const testing::NodeRow& author = Node("kab-7301");
  const std::string origin = OriginOf(author.name);
  const Submitted before = SubmitInTurn(author.name, "before", 5);
  ASSERT_EQ(before.size, 5u * (kRecords + 1));
  ASSERT_EQ(WaitForConvergence(origin, before.size, Base64Encode(RootOf(before.checkpoint)),
                               std::chrono::seconds(60), kHolders),
            kHolders);
  EXPECT_EQ(WaitForCosignatures(author, kPeers, std::chrono::seconds(60)).cosignatures, kPeers);

  for (const auto& name : OthersThan(author.name)) StopStarted(Node(name), SIGTERM);
  // Cut off, it appends: every submission is acknowledged at its index.
  const Submitted during = SubmitInTurn(author.name, "during", 30);
  EXPECT_EQ(during.index, before.size + 29 * (kRecords + 1));
  EXPECT_EQ(during.size, before.size + 30 * (kRecords + 1));
  auto alone = OwnLog(author);
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->size, during.size);
  EXPECT_EQ(alone->cosignatures, 0u);  // no witness could be reached
  const double received = Metric(author, "jejak_cosignatures_received_total");

  for (const auto& name : OthersThan(author.name)) Restart(Node(name));
  const std::string root = Base64Encode(RootOf(during.checkpoint));
  EXPECT_EQ(WaitForConvergence(origin, during.size, root, std::chrono::seconds(60), kHolders),
            kHolders);
  // Every witness cosigns the checkpoint made during the partition, from the
  // size it cosigned before (a consistency proof it checks).
  LogStatus own = WaitForCosignatures(author, kPeers, std::chrono::seconds(60));
  EXPECT_EQ(own.size, during.size);
  EXPECT_EQ(own.cosignatures, kPeers);
  EXPECT_EQ(VerifiedCosigners(author, during.size), kWitnesses);
  EXPECT_GE(Metric(author, "jejak_cosignatures_received_total"), received + kPeers);
  for (const auto& name : kWitnesses) {
    EXPECT_EQ(Metric(Node(name), "jejak_cosignatures_made_total", OriginLabel(origin)), 1)
        << name;  // restarted: its counter counts the one checkpoint since
  }
}

}  // namespace
}  // namespace jejak
