// Five real `jejak serve` processes over TLS (tools/federation up 3 --small):
// thousands of statements appended concurrently at three authors through the
// submit API converge everywhere and are cosigned by every witness (the nodes
// that follow each log).
#include <fmt/format.h>

#include <map>
#include <mutex>

#include "crypto/encoding.h"
#include "node/metrics.h"
#include "tests/node/federation.h"

namespace jejak {
namespace {

using testing::FiveNodeFederation;

TEST_F(FiveNodeFederation, ThousandsOfConcurrentStatementsAtThreeAuthorsConvergeAndAreCosigned) {
  constexpr int kStatements = 700, kRecords = 2;
  constexpr uint64_t kSize = kStatements * (kRecords + 1);
  std::atomic<int> failures{0};
  std::map<std::string, std::string> last_checkpoint;  // by author, as its last answer gave it
  std::mutex mu;
  std::vector<std::thread> threads;
  for (const auto& author : kAuthors) {
    threads.emplace_back([&, author] {
      SigningKey key = OperatorKey(author);
      auto client = Connect(Node(author));
      if (!client) {
        failures++;
        return;
      }
      for (int s = 0; s < kStatements; ++s) {
        auto sent = SubmitStatement(*client, "generic.note", "", Records(author, s, kRecords), key);
        // One client per author, so each statement lands right after the last.
        if (!sent.ok() || sent->index != static_cast<uint64_t>(s) * (kRecords + 1) ||
            sent->size != sent->index + kRecords + 1) {
          ADD_FAILURE() << author << " statement " << s << ": "
                        << (sent.ok() ? "index " + std::to_string(sent->index)
                                      : sent.status().message());
          failures++;
          return;
        }
        if (s == kStatements - 1) {
          std::lock_guard lock(mu);
          last_checkpoint[author] = sent->checkpoint;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);

  std::map<std::string, std::string> roots;
  for (const auto& author : kAuthors) {
    const std::string origin = OriginOf(author);
    auto note = ParseNote(last_checkpoint[author]);
    ASSERT_TRUE(note.ok()) << note.status().message();
    auto cp = ParseCheckpointText(note->text);
    ASSERT_TRUE(cp.ok());
    ASSERT_EQ(cp->size, kSize);
    const std::string root = Base64Encode(cp->root);
    roots[author] = root;
    // Every replica (kemensos and the provinsi) reaches the author's last
    // checkpoint, with its root.
    EXPECT_EQ(WaitForConvergence(origin, kSize, root, std::chrono::seconds(60), kHolders), kHolders)
        << author;
    // k = 2: the nodes that follow the log witness it and none fails here,
    // so each must cosign the final checkpoint; fewer would mean a witness
    // that silently stopped cosigning (the status counts what the author
    // kept, VerifiedCosigners checks each signature it serves).
    LogStatus own = WaitForCosignatures(Node(author), kPeers, std::chrono::seconds(60));
    EXPECT_EQ(own.size, kSize) << author;
    EXPECT_EQ(own.root, root) << author;
    EXPECT_EQ(own.cosignatures, kPeers) << author;
    EXPECT_EQ(VerifiedCosigners(Node(author), kSize), kWitnesses) << author;
    EXPECT_EQ(Metric(Node(author), "jejak_appends_total"), static_cast<double>(kSize)) << author;
    // Each replica counted exactly the entries it copied, none twice.
    for (const char* follower : {"kemensos", "prov-73"}) {
      EXPECT_EQ(Metric(Node(follower), "jejak_replicated_entries_total", OriginLabel(origin)),
                static_cast<double>(kSize))
          << follower << " " << author;
      EXPECT_GE(Metric(Node(follower), "jejak_cosignatures_made_total", OriginLabel(origin)), 1)
          << follower << " " << author;
    }
  }
  // Every replica verifies from end to end, holding exactly the leaves its
  // checkpoint covers (none committed beyond it).
  ASSERT_EQ(Tool("down"), 0);
  for (const char* follower : {"kemensos", "prov-73"}) {
    auto verify = testing::RunJejak({"verify", dir_ + "/" + follower}, scratch_);
    EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
    EXPECT_EQ(verify.out.find("not yet signed"), std::string::npos) << follower << verify.out;
    for (const auto& author : kAuthors) {
      EXPECT_NE(verify.out.find(fmt::format("{}: intact: {} leaves (700 statements, 1400 records)",
                                            OriginOf(author), kSize)),
                std::string::npos)
          << follower << verify.out;
      EXPECT_NE(verify.out.find(fmt::format("size {} root {}\n", kSize, roots[author])),
                std::string::npos)
          << follower << verify.out;
    }
  }
}

}  // namespace
}  // namespace jejak
