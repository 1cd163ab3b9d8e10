// Whom the follower visits and when (node/gossip.h): the plan drawn from a
// registry, the rotating sample and the bound it gives on catching an
// author that shows two histories, the window of a holder's logs, and the
// wait between visits.
#include "node/gossip.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "tests/ledger/pkh/governance_fixture.h"

namespace jejak {
namespace {

using governance_test::GovStatement;
using governance_test::Node;
using testing::KeyFromByte;

constexpr char kGov[] = "jejak.pkh/kemensos";

std::string UrlOf(const std::string& name) { return "https://" + name + ".test:8443"; }

// A registry of kemensos (the governance log's author), provinsi 73,
// `kabupaten` kabupaten 7301.., two lembaga bayar and an auditor.
class GossipPlan : public ::testing::Test {
 protected:
  void Build(int kabupaten) {
    root_ = KeyFromByte(1);
    gov_.emplace(kGov, root_.public_key());
    std::vector<PkhRecord> nodes = {
        Node(kGov, "kemensos", "00", 1, UrlOf("kemensos")),
        Node("jejak.pkh/prov/73", "provinsi", "73", 2, UrlOf("prov-73")),
        Node("jejak.pkh/bank/a", "lembaga-bayar", "00", 3, UrlOf("bank-a")),
        Node("jejak.pkh/bank/b", "lembaga-bayar", "00", 4, UrlOf("bank-b")),
        Node("jejak.pkh/auditor/x", "auditor", "00", 5, UrlOf("auditor")),
    };
    for (int i = 1; i <= kabupaten; ++i) {
      // 7301.. 7390, then 7401.. (90 a province).
      const std::string region = fmt::format("{:02d}{:02d}", 73 + (i - 1) / 90, (i - 1) % 90 + 1);
      nodes.push_back(Node("jejak.pkh/kab/" + region, "kabupaten", region,
                           static_cast<uint8_t>(10 + i), UrlOf("kab-" + region)));
    }
    Statement st = GovStatement(kTypeGovNode, 0, nodes, {&root_});
    ASSERT_TRUE(gov_->Apply(0, st, nodes).ok());
    ASSERT_NE(gov_->NodeByOrigin("jejak.pkh/kab/7301", gov_->size()), nullptr);
  }

  NodeConfig Me(NodeKind kind, std::string origin, std::string region) {
    NodeConfig me;
    me.kind = kind;
    me.origin = std::move(origin);
    me.region = std::move(region);
    me.governance = NoteVerifierKey::ForEd25519(kGov, root_.public_key());
    return me;
  }

  // By URL, each peer's holds sorted.
  static std::map<std::string, GossipPeer> ByUrl(const std::vector<GossipPeer>& plan) {
    std::map<std::string, GossipPeer> out;
    for (const auto& p : plan) {
      out[p.url] = p;
      std::sort(out[p.url].holds.begin(), out[p.url].holds.end());
    }
    return out;
  }

  SigningKey root_ = KeyFromByte(1);
  std::optional<Governance> gov_;
};

TEST_F(GossipPlan, AKabupatenPollsItsAuthorsOffersToItsFollowersAndSamplesTheRest) {
  Build(4);
  const NodeConfig me = Me(NodeKind::kKabupaten, "jejak.pkh/kab/7301", "7301");
  auto plan = ByUrl(PlanGossip(me, &*gov_, {}, UrlOf("kab-7301")));
  // Never itself; every other node holds the governance log, so each is a
  // possible sample.
  EXPECT_EQ(plan.count(UrlOf("kab-7301")), 0u);
  EXPECT_EQ(plan.size(), 8u);
  // Authors of what a kabupaten follows: the governance log, the banks.
  EXPECT_EQ(plan[UrlOf("kemensos")].authors, kGov);
  EXPECT_EQ(plan[UrlOf("bank-a")].authors, "jejak.pkh/bank/a");
  EXPECT_EQ(plan[UrlOf("bank-b")].authors, "jejak.pkh/bank/b");
  EXPECT_EQ(plan[UrlOf("kab-7302")].authors, "");  // kabupaten do not follow each other
  EXPECT_EQ(plan[UrlOf("auditor")].authors, "");
  // Witnesses: the nodes that follow a kabupaten's log.
  for (const char* w : {"kemensos", "prov-73", "bank-a", "bank-b", "auditor"}) {
    EXPECT_TRUE(plan[UrlOf(w)].witness) << w;
  }
  EXPECT_FALSE(plan[UrlOf("kab-7302")].witness);
  // What each holds of what this node follows (never its own log).
  EXPECT_EQ(plan[UrlOf("kab-7302")].holds,
            (std::vector<std::string>{"jejak.pkh/bank/a", "jejak.pkh/bank/b", kGov}));
  EXPECT_EQ(plan[UrlOf("prov-73")].holds, (std::vector<std::string>{kGov}));
  EXPECT_EQ(plan[UrlOf("bank-a")].holds, (std::vector<std::string>{kGov}));
  EXPECT_EQ(plan[UrlOf("kemensos")].holds,
            (std::vector<std::string>{"jejak.pkh/bank/a", "jejak.pkh/bank/b"}));
}

TEST_F(GossipPlan, KemensosPollsEveryAuthorAndEveryNodeWitnessesTheGovernanceLog) {
  Build(3);
  const NodeConfig me = Me(NodeKind::kKemensos, kGov, "00");
  auto plan = ByUrl(PlanGossip(me, &*gov_, {}, UrlOf("kemensos")));
  EXPECT_EQ(plan.size(), 7u);
  for (const auto& [url, p] : plan) {
    EXPECT_FALSE(p.authors.empty()) << url;
    EXPECT_TRUE(p.witness) << url;
  }
  EXPECT_EQ(plan[UrlOf("auditor")].holds.size(), 6u);  // every log but its own and ours
  EXPECT_EQ(plan[UrlOf("kab-7301")].holds,
            (std::vector<std::string>{"jejak.pkh/bank/a", "jejak.pkh/bank/b"}));
}

TEST_F(GossipPlan, AConfiguredUrlTheRegistryDoesNotListIsPolledWhole) {
  Build(2);
  const NodeConfig me = Me(NodeKind::kKabupaten, "jejak.pkh/kab/7301", "7301");
  auto plan = ByUrl(
      PlanGossip(me, &*gov_, {UrlOf("kemensos"), "https://mirror.test:9"}, UrlOf("kab-7301")));
  EXPECT_TRUE(plan["https://mirror.test:9"].configured);
  EXPECT_FALSE(plan[UrlOf("kemensos")].configured);  // the registry gives its roles
  // Before the governance log is held: only what was configured.
  auto bare = PlanGossip(me, nullptr, {"https://mirror.test:9"}, UrlOf("kab-7301"));
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_TRUE(bare[0].configured);
}

TEST_F(GossipPlan, TheCostOfAnIdleKabupatenDoesNotGrowWithTheFederation) {
  // What an idle kabupaten polls each backstop interval (its authors) and
  // samples each round is the same at 10 and at 500 kabupaten.
  for (int n : {10, 500}) {
    Build(n);
    const NodeConfig me = Me(NodeKind::kKabupaten, "jejak.pkh/kab/7301", "7301");
    auto plan = PlanGossip(me, &*gov_, {}, UrlOf("kab-7301"));
    const auto polled = std::count_if(plan.begin(), plan.end(),
                                      [](const GossipPeer& p) { return !p.authors.empty(); });
    EXPECT_EQ(polled, 3) << n;
    GossipSampler sampler(plan, me.origin, 2);
    EXPECT_EQ(sampler.Sample(0).size(), 2u) << n;
  }
}

std::vector<GossipPeer> Holders(size_t n) {
  std::vector<GossipPeer> peers;
  for (size_t i = 0; i < n; ++i) {
    GossipPeer p;
    p.url = "https://h" + std::to_string(i) + ".test:1";
    p.holds = {"jejak.pkh/kab/7301"};
    peers.push_back(p);
  }
  GossipPeer author;
  author.url = "https://author.test:1";
  author.authors = "jejak.pkh/kab/7301";  // not a holder: polled anyway
  peers.push_back(author);
  return peers;
}

TEST(GossipSampler, EveryHolderIsSampledOnceInEachCycleOfRounds) {
  const auto peers = Holders(61);
  GossipSampler sampler(peers, "jejak.pkh/kab/7302", 2);
  EXPECT_EQ(sampler.holders(), 61u);
  EXPECT_EQ(sampler.RoundsToCoverAll(), 31u);
  for (uint64_t cycle = 0; cycle < 3; ++cycle) {
    std::multiset<size_t> seen;
    for (uint64_t r = 0; r < sampler.RoundsToCoverAll(); ++r) {
      auto s = sampler.Sample(cycle * sampler.RoundsToCoverAll() + r);
      ASSERT_EQ(s.size(), 2u);
      EXPECT_NE(s[0], s[1]);
      for (size_t i : s) seen.insert(i);
    }
    for (size_t i = 0; i < 61; ++i) EXPECT_GE(seen.count(i), 1u) << i;
    EXPECT_EQ(seen.count(61), 0u);  // the author is not a holder
  }
}

TEST(GossipSampler, NodesSampleInDifferentOrders) {
  const auto peers = Holders(40);
  GossipSampler a(peers, "jejak.pkh/kab/7302", 2), b(peers, "jejak.pkh/kab/7303", 2);
  EXPECT_NE(a.Sample(0), b.Sample(0));
  GossipSampler few(Holders(1), "x", 2);
  EXPECT_EQ(few.Sample(5), std::vector<size_t>{0});
  GossipSampler none(std::vector<GossipPeer>{}, "x", 2);
  EXPECT_TRUE(none.Sample(0).empty());
}

// The bound the spec states: an author that shows one history to half of
// the holders and another to the other half is caught by every holder (it
// compares with one of the other half) within RoundsToCoverAll() rounds,
// and by some holder in the first round.
TEST(GossipSampler, AnAuthorEquivocatingToHalfTheHoldersIsCaughtWithinTheBound) {
  const size_t n = 64;
  const auto peers = Holders(n);
  auto side = [](size_t i) { return i % 2; };  // which history holder i was shown
  size_t caught_in_first_round = 0;
  for (size_t me = 0; me < n; ++me) {
    GossipSampler sampler(peers, peers[me].url, 2);
    std::optional<uint64_t> caught;
    for (uint64_t r = 0; r < sampler.RoundsToCoverAll() && !caught; ++r) {
      for (size_t i : sampler.Sample(r)) {
        if (i < n && i != me && side(i) != side(me)) caught = r;
      }
    }
    ASSERT_TRUE(caught.has_value()) << me;
    EXPECT_LT(*caught, sampler.RoundsToCoverAll());
    if (*caught == 0) ++caught_in_first_round;
  }
  EXPECT_GT(caught_in_first_round, 0u);
}

TEST(HoldsWindow, GoesRoundTheLogsAWindowAtATime) {
  std::vector<std::string> holds;
  for (int i = 0; i < 150; ++i) holds.push_back("log" + std::to_string(i));
  EXPECT_EQ(HoldsWindow(holds, 0, 64).front(), "log0");
  EXPECT_EQ(HoldsWindow(holds, 1, 64).front(), "log64");
  EXPECT_EQ(HoldsWindow(holds, 2, 64).size(), 22u);
  EXPECT_EQ(HoldsWindow(holds, 3, 64).front(), "log0");
  const std::vector<std::string> few = {"a", "b"};
  EXPECT_EQ(HoldsWindow(few, 7, 64), few);
}

TEST(NextVisitDelay, BacksOffFailuresAndIdlenessWithJitter) {
  using std::chrono::milliseconds;
  const milliseconds base(1000);
  // Without jitter's spread (jitter 0.5 is the middle: the wait itself).
  EXPECT_EQ(NextVisitDelay(base, 0, 0, 16, 0.5), milliseconds(1000));
  EXPECT_EQ(NextVisitDelay(base, 0, 1, 16, 0.5), milliseconds(2000));
  EXPECT_EQ(NextVisitDelay(base, 0, 3, 16, 0.5), milliseconds(8000));
  EXPECT_EQ(NextVisitDelay(base, 0, 10, 16, 0.5), milliseconds(16000));  // the backstop
  EXPECT_EQ(NextVisitDelay(base, 0, 1000, 16, 0.5), milliseconds(16000));
  EXPECT_EQ(NextVisitDelay(base, 1, 0, 16, 0.5), milliseconds(2000));
  EXPECT_EQ(NextVisitDelay(base, 5, 0, 16, 0.5), milliseconds(32000));
  EXPECT_EQ(NextVisitDelay(base, 9, 0, 16, 0.5), milliseconds(32000));  // at most 32 intervals
  // A failure counts before idleness.
  EXPECT_EQ(NextVisitDelay(base, 2, 9, 16, 0.5), milliseconds(4000));
  // The spread: 3/4 to 5/4 of the wait.
  EXPECT_EQ(NextVisitDelay(base, 0, 0, 16, 0.0), milliseconds(750));
  EXPECT_EQ(NextVisitDelay(base, 0, 0, 16, 0.999999), milliseconds(1249));
  EXPECT_EQ(NextVisitDelay(base, 0, 0, 16, 7.0), milliseconds(1250));  // clamped
}

}  // namespace
}  // namespace jejak
