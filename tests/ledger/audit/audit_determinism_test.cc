// Equivocation evidence in the audit, and two auditors that pulled the same
// logs in opposite orders reporting the same bytes.
#include "tests/ledger/audit/audit_fixture.h"

namespace jejak::audit_test {
namespace {

class Equivocation : public Audit {
 protected:
  // Forks kab_ into tmp_/kab-fork and opens the copy.
  PkhTestNode& Fork() {
    kab_.Close();
    std::filesystem::copy(kab_.dir, path("kab-fork"), std::filesystem::copy_options::recursive);
    EXPECT_TRUE(IsOk(kab_.Open()));
    fork_.dir = path("kab-fork");
    EXPECT_TRUE(IsOk(fork_.Open()));
    return fork_;
  }
  void UpdatesOn(PkhTestNode& node, const std::string& id) {
    const std::string file =
        WriteFile(fmt::format("fu{}.csv", files_++),
                  UpdatesCsv({UpdateRow("U-" + id, id, "2026-01-10", "active", kMembers)}));
    ASSERT_TRUE(IsOk(ImportUpdates(*node.pkh, file, operator_, program_key_)));
  }
  void TearDown() override {
    fork_.Close();
    Audit::TearDown();
  }
  PkhTestNode fork_;
};

TEST_F(Equivocation, AShorterConflictingHistoryIsStoredAsEvidenceAndReported) {
  Family("K-1");
  PkhTestNode& fork = Fork();
  Family("K-2");
  Family("K-3");              // the original: 3 statements
  UpdatesOn(fork, "K-FORK");  // the fork: 2, the second different
  Deliver();
  const uint64_t held = kab_.OwnLogState().first;
  ASSERT_TRUE(IsOk(Export(fork, path("fork-tiles"))));
  EXPECT_TRUE(HasStatus(Pull(Auditor(), path("fork-tiles")), StatusCode::kFailedPrecondition,
                        "equivocation. Evidence stored (jejak evidence); the replica is frozen"));
  // Frozen: even the true history is refused now.
  EXPECT_TRUE(
      HasStatus(Pull(Auditor(), path("kab-tiles")), StatusCode::kFailedPrecondition, "is frozen"));

  auto all = ListEvidence(Auditor().store());
  ASSERT_TRUE(IsOk(all));
  ASSERT_EQ(all->size(), 1u);
  const EquivocationEvidence& e = (*all)[0].second;
  EXPECT_EQ(e.origin, kab_.origin());
  ASSERT_TRUE(e.b_root_at_a.has_value());
  EXPECT_FALSE(e.consistency.empty());
  // Self-contained: checks from its JSON with the author's key alone.
  const std::string key = kab_.folder->config().key.ToString();
  auto parsed = ParseEvidenceJson(EvidenceJson(e), "evidence.json");
  ASSERT_TRUE(IsOk(parsed));
  EXPECT_TRUE(IsOk(CheckEvidence(*parsed, &key)));
  EquivocationEvidence bad = *parsed;
  bad.consistency[0][0] ^= 1;
  EXPECT_TRUE(HasStatus(CheckEvidence(bad), StatusCode::kPermissionDenied,
                        "the consistency proof does not verify"));
  const std::string other = bank_.folder->config().key.ToString();
  EXPECT_EQ(CheckEvidence(*parsed, &other).code(), StatusCode::kPermissionDenied);

  AuditReport r = Run();
  ASSERT_THAT(Names(r), ElementsAre("EQUIVOCATION"));
  EXPECT_EQ(r.findings[0].kabupaten, kKabRegion);
  EXPECT_THAT(r.findings[0].detail, HasSubstr(fmt::format("frozen at size {}", held)));
  EXPECT_EQ(r.summary[static_cast<size_t>(FindingType::kEquivocation)], 1u);
}

TEST_F(Equivocation, TwoCheckpointsOfOneSizeWithDifferentRoots) {
  Family("K-1");
  PkhTestNode& fork = Fork();
  Family("K-2");
  UpdatesOn(fork, "K-FORK");
  ASSERT_EQ(kab_.OwnLogState().first, fork.OwnLogState().first);
  Deliver();
  ASSERT_TRUE(IsOk(Export(fork, path("fork-tiles"))));
  EXPECT_TRUE(HasStatus(Pull(Auditor(), path("fork-tiles")), StatusCode::kFailedPrecondition,
                        "equivocation"));
  auto all = ListEvidence(Auditor().store());
  ASSERT_TRUE(IsOk(all));
  ASSERT_EQ(all->size(), 1u);
  EXPECT_FALSE((*all)[0].second.b_root_at_a.has_value());
  EXPECT_TRUE(IsOk(CheckEvidence((*all)[0].second)));
  // The same checkpoint twice is no evidence.
  EquivocationEvidence same = (*all)[0].second;
  same.note_b = same.note_a;
  EXPECT_EQ(CheckEvidence(same).code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(Names(Run()), ElementsAre("EQUIVOCATION"));
}

// Two kabupaten logs record the same family on the same date, one as active
// and one as deceased; which update decides may depend only on what the logs
// hold (origin, leaf), never on the order an auditor pulled them in.
class AuditDeterminism : public Audit {};

TEST_F(AuditDeterminism, TwoAuditorsPullingInOppositeOrdersReportTheSameBytes) {
  Known({"K-MOVED"});
  auto other = AddNode("kab-7371", Init(NodeKind::kKabupaten, "Dinsos Kota Makassar", "7371"));
  ASSERT_TRUE(IsOk(other));
  const SigningKey op7371 = testing::KeyFromByte(0x61);
  ASSERT_TRUE(IsOk(Gov(kTypeGovNode, {Registration(**other, "kabupaten", "7371")})));
  ASSERT_TRUE(IsOk(
      Gov(kTypeGovGrant,
          {KeyGrant{op7371.public_key(), "kab-7371/operator", Role::kOperator, {"7371"}, ""}})));
  for (PkhTestNode* n : {&kab_, &bank_, *other}) ASSERT_TRUE(IsOk(DeliverGovernance(*n)));
  Family("K-MOVED");
  ASSERT_TRUE(IsOk(ImportUpdates(
      *(*other)->pkh,
      WriteFile("u-7371.csv",
                UpdatesCsv({UpdateRow("U-7371", "K-MOVED", "2026-01-10", "deceased", kMembers)})),
      op7371, program_key_)));
  Approve({{"K-MOVED", kEntitled}});
  Receipts({ReceiptRow("T-1", "K-MOVED", kEntitled)});
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  ASSERT_TRUE(IsOk(Export(**other, path("kab-7371-tiles"))));
  ASSERT_TRUE(IsOk(Export(bank_, path("bank-tiles"))));

  std::vector<std::string> json;
  for (const auto& order :
       {std::vector<std::string>{"kab-tiles", "kab-7371-tiles", "bank-tiles"},
        std::vector<std::string>{"bank-tiles", "kab-7371-tiles", "kab-tiles"}}) {
    auto auditor =
        AddNode("auditor-" + std::to_string(json.size()), Init(NodeKind::kAuditor, "BPK", "00"));
    ASSERT_TRUE(IsOk(auditor));
    ASSERT_TRUE(IsOk(DeliverGovernance(**auditor)));
    for (const std::string& tiles : order) ASSERT_TRUE(IsOk(Pull(**auditor, path(tiles))));
    AuditOptions o;
    o.stage = kStage;
    o.as_of = kAsOf;
    o.proofs = true;
    auto r = RunAudit(*(*auditor)->folder, o);
    ASSERT_TRUE(IsOk(r));
    // The greater origin (kab/7371) decides the tie: the family was deceased.
    EXPECT_THAT(Names(*r),
                ElementsAre("PAID_TO_INELIGIBLE K-MOVED T-1", "APPROVED_INELIGIBLE K-MOVED"));
    // Byte for byte, but for the auditor's own (empty) log: two auditors are
    // two institutions with keys of their own.
    std::string text = AuditJson(*r);
    auto doc = nlohmann::json::parse(text);
    auto& logs = doc["logs"];
    for (auto it = logs.begin(); it != logs.end(); ++it) {
      if ((*it)["origin"] == (*auditor)->origin()) {
        logs.erase(it);
        break;
      }
    }
    ASSERT_EQ(logs.size(), 4u);
    json.push_back(text.substr(text.find("\"missing\"")));
    json.back() = logs.dump() + json.back();
  }
  EXPECT_EQ(json[0], json[1]);
}

// Rows above kMaxRupiah never pass an import, but a hostile author could
// append them past its own checks: a total that does not fit is refused, not
// printed wrapped.

}  // namespace
}  // namespace jejak::audit_test
