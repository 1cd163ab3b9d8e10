// jejak audit (ledger/audit.h) on a real PKH world: every finding type of
// DOMAIN.md where it must fire and its near miss where it must not, berita
// acara smuggled past the author's own checks, damaged replicas, proofs,
// scope, missing logs and deterministic output.
#include "ledger/audit/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/witness_state.h"
#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/import.h"
#include "tests/ledger/pkh/pkh_fixture.h"

namespace jejak {
namespace {

using ::testing::ElementsAre;
using testing::HasStatus;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::IsOk;
using testing::kKabRegion;
using testing::kStage;
using testing::PkhTestNode;
using ::testing::UnorderedElementsAre;

constexpr char kBaDate[] = "2026-02-20";
constexpr char kAsOf[] = "2026-04-01";
// A family of 1 pregnant mother, 2 SD, 1 SMP, 1 SMA children: the four largest
// member amounts are 750,000 + 500,000 + 375,000 + 225,000.
constexpr char kMembers[] = "1,0,2,1,1,0,0";
constexpr char kEntitled[] = "1850000";

class Audit : public testing::PkhFixture {
 protected:
  // --- The kabupaten's and the bank's records, through the real imports ---

  void Updates(std::initializer_list<std::string> rows) {
    const std::string file = WriteFile(fmt::format("u{}.csv", files_++), UpdatesCsv(rows));
    ASSERT_TRUE(IsOk(ImportUpdates(*kab_.pkh, file, operator_, program_key_)));
  }
  void Receipts(std::initializer_list<std::string> rows) {
    const std::string file = WriteFile(fmt::format("r{}.csv", files_++), ReceiptsCsv(rows));
    ASSERT_TRUE(IsOk(ImportReceipts(*bank_.pkh, file, payer_, program_key_)));
  }
  // A berita acara of (id, amount) rows, drafted, signed by both approvers
  // and submitted.
  void Approve(std::initializer_list<std::pair<std::string, std::string>> rows,
               std::string_view date = kBaDate) {
    std::string csv = "id_kpm,lembaga_bayar,amount\n";
    for (const auto& [id, amount] : rows) csv += id + ",BRI," + amount + "\n";
    const std::string file = WriteFile(fmt::format("ba{}.csv", files_++), csv);
    auto draft = DraftBeritaAcara(*kab_.pkh, file, kStage, date,
                                  fmt::format("800/{}/DINSOS", files_), program_key_);
    ASSERT_TRUE(IsOk(draft));
    ASSERT_TRUE(IsOk(SignBeritaAcara(draft->ba, approver_a_, "approver-a")));
    ASSERT_TRUE(IsOk(SignBeritaAcara(draft->ba, approver_b_, "approver-b")));
    ASSERT_TRUE(IsOk(SubmitBeritaAcara(*kab_.pkh, draft->ba)));
  }
  // A family active since 2026-01-10 with kMembers.
  void Family(const std::string& id) {
    Updates({UpdateRow("U-" + id, id, "2026-01-10", "active", kMembers)});
  }

  // A berita acara appended to the kabupaten's own log as a hostile author
  // could, past PkhNode's judging: signed by `signers` only.
  void SmuggleApproval(const std::vector<std::string>& ids,
                       std::initializer_list<const SigningKey*> signers) {
    BeritaAcara ba;
    ba.origin = kab_.origin();
    ba.kabupaten = kKabRegion;
    ba.stage = kStage;
    ba.number = fmt::format("800/{}/SMUGGLED", files_++);
    ba.date = kBaDate;
    ba.governance_size = kab_.pkh->gov().size();
    ba.timestamp_ms = 1;
    for (const std::string& id : ids) ba.rows.push_back({Kpm(id), "BRI", 1'850'000});
    auto leaves = BeritaAcaraRecordLeaves(ba);
    ASSERT_TRUE(IsOk(leaves));
    PreparedStatement p = PrepareStatement(BeritaAcaraHeader(ba), *leaves);
    for (const SigningKey* k : signers) SignStatement(p.statement, *k);
    ASSERT_TRUE(IsOk(AppendStatement(kab_.pkh->writer(), p)));
  }

  // --- The auditor: pulls every log, then audits ---

  PkhTestNode& Auditor() {
    if (auditor_ == nullptr) {
      auto added = AddNode("auditor", Init(NodeKind::kAuditor, "BPK", "00"));
      EXPECT_TRUE(IsOk(added));
      auditor_ = *added;
    }
    return *auditor_;
  }
  // Delivers the current logs of kemensos, the kabupaten and (unless
  // `without_bank`) the bank to the auditor.
  void Deliver(bool without_bank = false) {
    PkhTestNode& a = Auditor();
    ASSERT_TRUE(IsOk(DeliverGovernance(a)));
    ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
    ASSERT_TRUE(IsOk(Pull(a, path("kab-tiles"))));
    if (without_bank) return;
    ASSERT_TRUE(IsOk(Export(bank_, path("bank-tiles"))));
    ASSERT_TRUE(IsOk(Pull(a, path("bank-tiles"))));
  }
  AuditReport Run(AuditOptions o = {}) {
    if (o.stage.empty()) o.stage = kStage;
    if (o.as_of.empty()) o.as_of = kAsOf;
    auto r = RunAudit(*Auditor().folder, o);
    EXPECT_TRUE(IsOk(r));
    return r.ok() ? *r : AuditReport{};
  }
  AuditReport DeliverAndRun(AuditOptions o = {}) {
    Deliver();
    return Run(std::move(o));
  }

  // "TYPE id [txn]" for each finding, with ids of the families named so far.
  std::vector<std::string> Names(const AuditReport& r) {
    std::vector<std::string> out;
    for (const Finding& f : r.findings) {
      std::string s(FindingTypeName(f.type));
      if (f.kpm) {
        auto it = ids_.find(*f.kpm);
        s += " " + (it == ids_.end() ? PseudonymHex(*f.kpm) : it->second);
      }
      if (!f.txn_ref.empty()) s += " " + f.txn_ref;
      out.push_back(s);
    }
    return out;
  }
  // Registers ids for Names().
  void Known(std::initializer_list<std::string> ids) {
    for (const std::string& id : ids) ids_[Kpm(id)] = id;
  }

  const Finding* Find(const AuditReport& r, FindingType type) {
    for (const Finding& f : r.findings) {
      if (f.type == type) return &f;
    }
    return nullptr;
  }

  PkhTestNode* auditor_ = nullptr;
  int files_ = 0;
  std::map<Pseudonym, std::string> ids_;
};

TEST_F(Audit, AFamilyApprovedAndPaidRightRaisesNothing) {
  Known({"K-OK"});
  Family("K-OK");
  Approve({{"K-OK", kEntitled}});
  Receipts({ReceiptRow("T-1", "K-OK", kEntitled)});
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Names(r), IsEmpty());
  EXPECT_EQ(r.totals.approved, 1u);
  EXPECT_EQ(r.totals.approved_amount, 1'850'000u);
  EXPECT_EQ(r.totals.paid, 1u);
  EXPECT_EQ(r.totals.paid_amount, 1'850'000u);
  EXPECT_EQ(r.totals.unpaid, 0u);
  EXPECT_EQ(r.window_from, testing::kStageFrom);
  EXPECT_EQ(r.window_to, testing::kStageTo);
  EXPECT_THAT(r.missing, IsEmpty());
  ASSERT_EQ(r.by_lembaga.size(), 1u);
  EXPECT_EQ(r.by_lembaga.begin()->first, bank_.origin());
}

TEST_F(Audit, PaidNotApproved) {
  Known({"K-OK", "K-GHOST"});
  Family("K-OK");
  Approve({{"K-OK", kEntitled}});
  // K-GHOST has no update and no approval: only PAID_NOT_APPROVED (the
  // ineligibility rule needs an update).
  Receipts({ReceiptRow("T-1", "K-OK", kEntitled), ReceiptRow("T-2", "K-GHOST", "600000")});
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Names(r), ElementsAre("PAID_NOT_APPROVED K-GHOST T-2"));
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.kabupaten, kKabRegion);
  EXPECT_EQ(f.amount, 600'000u);
  EXPECT_EQ(f.expected_amount, std::nullopt);
  EXPECT_EQ(f.lembaga_bayar, "BRI");
  ASSERT_EQ(f.leaves.size(), 2u);  // the receipt and its statement
  EXPECT_EQ(f.leaves[0].log, bank_.origin());
  EXPECT_EQ(f.leaves[0].role, "statement");
  EXPECT_EQ(f.leaves[1].role, "receipt");
}

TEST_F(Audit, DuplicatePayoutButNotARetryAfterAFailure) {
  Known({"K-TWICE", "K-RETRY", "K-RETURNED"});
  for (const char* id : {"K-TWICE", "K-RETRY", "K-RETURNED"}) Family(id);
  Approve({{"K-TWICE", kEntitled}, {"K-RETRY", kEntitled}, {"K-RETURNED", kEntitled}});
  Receipts({ReceiptRow("T-1", "K-TWICE", kEntitled),
            ReceiptRow("T-2", "K-RETRY", kEntitled, kKabRegion, kStage, "failed", "2026-03-02"),
            ReceiptRow("T-3", "K-RETURNED", kEntitled, kKabRegion, kStage, "returned")});
  Receipts({ReceiptRow("T-4", "K-TWICE", kEntitled, kKabRegion, kStage, "paid", "2026-03-09"),
            ReceiptRow("T-5", "K-RETRY", kEntitled, kKabRegion, kStage, "paid", "2026-03-04")});
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Names(r), ElementsAre("DUPLICATE_PAYOUT K-TWICE"));
  EXPECT_EQ(r.findings[0].amount, 3'700'000u);
  EXPECT_EQ(r.findings[0].expected_amount, 1'850'000u);
  EXPECT_EQ(r.totals.failed, 1u);
  EXPECT_EQ(r.totals.returned, 1u);
  EXPECT_EQ(r.totals.unpaid, 1u);  // K-RETURNED: approved, no paid receipt
  const LembagaTotals& bank = r.by_lembaga.at(bank_.origin());
  EXPECT_EQ(bank.receipts, 5u);
  EXPECT_EQ(bank.paid, 3u);
  EXPECT_EQ(bank.returned_amount, 1'850'000u);
}

TEST_F(Audit, AmountMismatchNamesBothAmounts) {
  Known({"K-CUT", "K-OK"});
  Family("K-CUT");
  Family("K-OK");
  Approve({{"K-CUT", kEntitled}, {"K-OK", kEntitled}});
  Receipts({ReceiptRow("T-1", "K-CUT", "1500000"), ReceiptRow("T-2", "K-OK", kEntitled)});
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Names(r), ElementsAre("AMOUNT_MISMATCH K-CUT T-1"));
  EXPECT_EQ(r.findings[0].amount, 1'500'000u);
  EXPECT_EQ(r.findings[0].expected_amount, 1'850'000u);
  EXPECT_THAT(r.findings[0].detail, HasSubstr("Rp 350,000 less than approved"));
  // Rests on the receipt and the approval, each with its statement.
  std::set<std::string> roles;
  for (const LeafRef& l : r.findings[0].leaves) roles.insert(l.role);
  EXPECT_THAT(roles, UnorderedElementsAre("statement", "receipt", "approval"));
}

TEST_F(Audit, PaidOutsideTheWindowBothEndsInclusive) {
  const std::vector<std::pair<std::string, std::string>> paid = {
      {"K-EARLY", "2026-02-28"}, {"K-FIRST", "2026-03-01"},
      {"K-LAST", "2026-03-14"},  {"K-LAST-EVENING", "2026-03-14T23:59:00+07:00"},
      {"K-LATE", "2026-03-15"},  {"K-LATE-MORNING", "2026-03-15T00:01:00+07:00"},
  };
  for (const auto& [id, date] : paid) {
    ids_[Kpm(id)] = id;
    Family(id);
  }
  Approve({{"K-EARLY", kEntitled},
           {"K-FIRST", kEntitled},
           {"K-LAST", kEntitled},
           {"K-LAST-EVENING", kEntitled},
           {"K-LATE", kEntitled},
           {"K-LATE-MORNING", kEntitled}});
  int n = 0;
  for (const auto& [id, date] : paid) {
    Receipts(
        {ReceiptRow(fmt::format("T-{}", ++n), id, kEntitled, kKabRegion, kStage, "paid", date)});
  }
  AuditReport r = DeliverAndRun();
  std::vector<std::string> names = Names(r);
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names,
              ElementsAre("PAID_OUTSIDE_WINDOW K-EARLY T-1", "PAID_OUTSIDE_WINDOW K-LATE T-5",
                          "PAID_OUTSIDE_WINDOW K-LATE-MORNING T-6"));
}

TEST_F(Audit, PaidToIneligibleJudgedOnThePaidDate) {
  Known({"K-DEAD", "K-DEAD-SAME-DAY", "K-DEAD-LATER", "K-ACTIVE-SAME-DAY"});
  for (const char* id : {"K-DEAD", "K-DEAD-SAME-DAY", "K-DEAD-LATER", "K-ACTIVE-SAME-DAY"}) {
    Family(id);
  }
  Approve({{"K-DEAD", kEntitled},
           {"K-DEAD-SAME-DAY", kEntitled},
           {"K-DEAD-LATER", kEntitled},
           {"K-ACTIVE-SAME-DAY", kEntitled}});
  // Status changes after the berita acara, around the payment of 2026-03-05.
  Updates({UpdateRow("U-2", "K-DEAD", "2026-03-03", "deceased", kMembers),
           UpdateRow("U-3", "K-DEAD-SAME-DAY", "2026-03-05", "deceased", kMembers),
           UpdateRow("U-4", "K-DEAD-LATER", "2026-03-06", "deceased", kMembers),
           UpdateRow("U-5", "K-ACTIVE-SAME-DAY", "2026-03-05", "active", kMembers)});
  Receipts({ReceiptRow("T-1", "K-DEAD", kEntitled), ReceiptRow("T-2", "K-DEAD-SAME-DAY", kEntitled),
            ReceiptRow("T-3", "K-DEAD-LATER", kEntitled),
            ReceiptRow("T-4", "K-ACTIVE-SAME-DAY", kEntitled)});
  AuditReport r = DeliverAndRun();
  std::vector<std::string> names = Names(r);
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre("PAID_TO_INELIGIBLE K-DEAD T-1",
                                 "PAID_TO_INELIGIBLE K-DEAD-SAME-DAY T-2"));
  const Finding* f = Find(r, FindingType::kPaidToIneligible);
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->detail, HasSubstr("status deceased since"));
  bool rests_on_update = false;
  for (const LeafRef& l : f->leaves) rests_on_update |= l.role == "update";
  EXPECT_TRUE(rests_on_update);
}

TEST_F(Audit, UnpaidAfterTheWindowOnlyOnceItHasClosed) {
  Known({"K-UNPAID", "K-FAILED", "K-PAID"});
  for (const char* id : {"K-UNPAID", "K-FAILED", "K-PAID"}) Family(id);
  Approve({{"K-UNPAID", kEntitled}, {"K-FAILED", kEntitled}, {"K-PAID", kEntitled}});
  Receipts({ReceiptRow("T-1", "K-FAILED", kEntitled, kKabRegion, kStage, "failed"),
            ReceiptRow("T-2", "K-PAID", kEntitled)});
  Deliver();
  AuditReport after = Run();
  EXPECT_THAT(Names(after), ElementsAre("UNPAID_AFTER_WINDOW K-UNPAID"));
  EXPECT_EQ(after.findings[0].amount, 1'850'000u);
  EXPECT_EQ(after.totals.unpaid, 2u);  // K-UNPAID and K-FAILED have no paid receipt
  // On the last day of the window the family may still be paid.
  AuditOptions on_last_day;
  on_last_day.as_of = testing::kStageTo;
  EXPECT_THAT(Names(Run(on_last_day)), IsEmpty());
  AuditOptions next_day;
  next_day.as_of = "2026-03-15";
  EXPECT_THAT(Names(Run(next_day)), ElementsAre("UNPAID_AFTER_WINDOW K-UNPAID"));
}

TEST_F(Audit, ApprovedIneligibleOnTheBeritaAcaraDate) {
  Known({"K-NO-UPDATE", "K-GRADUATED", "K-UPDATE-ON-BA-DATE", "K-UPDATE-AFTER-BA"});
  Updates({UpdateRow("U-1", "K-GRADUATED", "2026-01-10", "active", kMembers),
           UpdateRow("U-2", "K-GRADUATED", "2026-02-01", "graduated", kMembers),
           UpdateRow("U-3", "K-UPDATE-ON-BA-DATE", kBaDate, "active", kMembers),
           UpdateRow("U-4", "K-UPDATE-AFTER-BA", "2026-02-21", "active", kMembers)});
  Approve({{"K-NO-UPDATE", kEntitled},
           {"K-GRADUATED", kEntitled},
           {"K-UPDATE-ON-BA-DATE", kEntitled},
           {"K-UPDATE-AFTER-BA", kEntitled}});
  // K-NO-UPDATE is paid (no update: PAID_TO_INELIGIBLE cannot fire); the
  // graduated family's payment failed (a receipt: not UNPAID).
  Receipts({ReceiptRow("T-1", "K-NO-UPDATE", kEntitled),
            ReceiptRow("T-2", "K-GRADUATED", kEntitled, kKabRegion, kStage, "failed"),
            ReceiptRow("T-3", "K-UPDATE-ON-BA-DATE", kEntitled),
            ReceiptRow("T-4", "K-UPDATE-AFTER-BA", kEntitled)});
  AuditReport r = DeliverAndRun();
  std::vector<std::string> names = Names(r);
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names,
              ElementsAre("APPROVED_INELIGIBLE K-GRADUATED", "APPROVED_INELIGIBLE K-NO-UPDATE",
                          "APPROVED_INELIGIBLE K-UPDATE-AFTER-BA"));
}

TEST_F(Audit, EntitlementMismatchButNotAFamilyOverTheCap) {
  Known({"K-OVER", "K-UNDER", "K-BIG"});
  Family("K-OVER");
  Family("K-UNDER");
  // Six SD children and two elderly: at most 4 SD members count, and at most
  // 4 member amounts in all (600,000 + 600,000 + 225,000 + 225,000).
  Updates({UpdateRow("U-BIG", "K-BIG", "2026-01-10", "active", "0,0,6,0,0,0,2")});
  Approve({{"K-OVER", "2000000"}, {"K-UNDER", "1600000"}, {"K-BIG", "1650000"}});
  Receipts({ReceiptRow("T-1", "K-OVER", "2000000"), ReceiptRow("T-2", "K-UNDER", "1600000"),
            ReceiptRow("T-3", "K-BIG", "1650000")});
  AuditReport r = DeliverAndRun();
  std::vector<std::string> names = Names(r);
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre("ENTITLEMENT_MISMATCH K-OVER", "ENTITLEMENT_MISMATCH K-UNDER"));
  const Finding* f = Find(r, FindingType::kEntitlementMismatch);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->expected_amount, 1'850'000u);
}

TEST_F(Audit, TheIndexAndWindowAreThoseInForceWhenTheStatementWasWritten) {
  Known({"K-1"});
  Family("K-1");
  Approve({{"K-1", kEntitled}});
  Receipts({ReceiptRow("T-1", "K-1", kEntitled, kKabRegion, kStage, "paid", "2026-03-14")});
  // Afterwards Kemensos shortens the window and cuts the SD amount: the
  // statements already written are judged by the rules they were written
  // under.
  ASSERT_TRUE(IsOk(Gov(kTypeGovStage, {StageWindow{kStage, testing::kStageFrom, "2026-03-10"}})));
  BenefitIndex cut = testing::DomainBenefitIndex(2026);
  cut.rates[static_cast<size_t>(Component::kSd)].amount_per_stage = 100'000;
  ASSERT_TRUE(IsOk(Gov(kTypeGovIndex, {cut})));
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Names(r), IsEmpty());
  EXPECT_EQ(r.window_to, "2026-03-10");  // the window as it now stands
}

TEST_F(Audit, UnauthorizedBeritaAcaraSmuggledIntoAReplicaIsReported) {
  Known({"K-OK", "K-ONE-SIGNER", "K-REVOKED", "K-WRONG-SCOPE"});
  for (const char* id : {"K-OK", "K-ONE-SIGNER", "K-REVOKED", "K-WRONG-SCOPE"}) Family(id);
  Approve({{"K-OK", kEntitled}});
  // Keys: an approver of another kabupaten, and one granted then revoked.
  const SigningKey other_scope = testing::KeyFromByte(0x51);
  const SigningKey revoked = testing::KeyFromByte(0x52);
  ASSERT_TRUE(IsOk(
      Gov(kTypeGovGrant,
          {KeyGrant{other_scope.public_key(), "kab-7307/approver", Role::kApprover, {"7307"}},
           KeyGrant{revoked.public_key(), "kab-7306/approver-c", Role::kApprover, {kKabRegion}}})));
  ASSERT_TRUE(IsOk(Gov(kTypeGovRevoke, {KeyRevocation{revoked.public_key()}})));
  ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  ASSERT_NO_FATAL_FAILURE(SmuggleApproval({"K-ONE-SIGNER"}, {&approver_a_}));
  ASSERT_NO_FATAL_FAILURE(SmuggleApproval({"K-REVOKED"}, {&approver_a_, &revoked}));
  ASSERT_NO_FATAL_FAILURE(SmuggleApproval({"K-WRONG-SCOPE"}, {&approver_a_, &other_scope}));
  ASSERT_TRUE(IsOk(kab_.pkh->writer().SignAndStoreCheckpoint()));
  // The bank pays all four.
  Receipts({ReceiptRow("T-1", "K-OK", kEntitled), ReceiptRow("T-2", "K-ONE-SIGNER", kEntitled),
            ReceiptRow("T-3", "K-REVOKED", kEntitled),
            ReceiptRow("T-4", "K-WRONG-SCOPE", kEntitled)});
  AuditReport r = DeliverAndRun();
  // Each smuggled statement is reported, and its approvals are not trusted:
  // the payments they would cover were not approved.
  std::vector<std::string> names = Names(r);
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names,
              ElementsAre("PAID_NOT_APPROVED K-ONE-SIGNER T-2", "PAID_NOT_APPROVED K-REVOKED T-3",
                          "PAID_NOT_APPROVED K-WRONG-SCOPE T-4", "UNAUTHORIZED_STATEMENT",
                          "UNAUTHORIZED_STATEMENT", "UNAUTHORIZED_STATEMENT"));
  std::vector<std::string> details;
  for (const Finding& f : r.findings) {
    if (f.type != FindingType::kUnauthorizedStatement) continue;
    EXPECT_EQ(f.kabupaten, kKabRegion);
    ASSERT_EQ(f.leaves.size(), 1u);
    EXPECT_EQ(f.leaves[0].log, kab_.origin());
    details.push_back(f.detail);
  }
  ASSERT_EQ(details.size(), 3u);
  EXPECT_THAT(details[0], HasSubstr("signed by 1 distinct approvers; region 7306 needs 2"));
  EXPECT_THAT(details[1], HasSubstr("was revoked (at governance size"));
  EXPECT_THAT(details[2], HasSubstr("lacks the approver role for region 7306"));
}

TEST_F(Audit, ADamagedReplicaIsALogIntegrityFinding) {
  Known({"K-OK"});
  Family("K-OK");
  Approve({{"K-OK", kEntitled}});
  Receipts({ReceiptRow("T-1", "K-OK", kEntitled)});
  Deliver();
  Store& store = Auditor().store();
  auto log = FindLog(store, kab_.origin());
  ASSERT_TRUE(IsOk(log));
  auto leaf = store.Get(Column::kLeaves, store_keys::Leaf(log->id, 1));
  ASSERT_TRUE(IsOk(leaf));
  ASSERT_TRUE(leaf->has_value());
  std::string damaged = **leaf;
  damaged[damaged.size() / 2] ^= 0x01;
  WriteBatch b;
  b.Put(Column::kLeaves, store_keys::Leaf(log->id, 1), damaged);
  ASSERT_TRUE(IsOk(store.Write(b, true)));
  AuditReport r = Run();
  ASSERT_THAT(Names(r), ElementsAre("LOG_INTEGRITY"));
  EXPECT_EQ(r.summary[static_cast<size_t>(FindingType::kLogIntegrity)], 1u);
  ASSERT_EQ(r.findings[0].leaves.size(), 1u);
  EXPECT_EQ(r.findings[0].leaves[0].log, kab_.origin());
  EXPECT_EQ(r.findings[0].leaves[0].leaf, 1u);
  EXPECT_EQ(r.findings[0].kabupaten, kKabRegion);
}

TEST_F(Audit, EveryProofVerifiesAgainstItsCheckpoint) {
  Known({"K-GHOST", "K-CUT", "K-UNPAID", "K-DEAD"});
  Family("K-CUT");
  Family("K-UNPAID");
  Family("K-DEAD");
  Approve({{"K-CUT", kEntitled}, {"K-UNPAID", kEntitled}, {"K-DEAD", kEntitled}});
  Updates({UpdateRow("U-2", "K-DEAD", "2026-03-01", "deceased", kMembers)});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000"), ReceiptRow("T-2", "K-CUT", "1000000"),
            ReceiptRow("T-3", "K-DEAD", kEntitled)});
  AuditOptions o;
  o.proofs = true;
  AuditReport r = DeliverAndRun(o);
  ASSERT_EQ(r.findings.size(), 4u);
  std::map<std::string, const AuditedLog*> logs;
  for (const AuditedLog& l : r.logs) logs[l.origin] = &l;
  size_t proofs = 0;
  for (const Finding& f : r.findings) {
    for (const LeafRef& ref : f.leaves) {
      const AuditedLog& log = *logs.at(ref.log);
      // The checkpoint the report lists is signed by the log's key and
      // names the size and root the proof is against.
      auto info = FindLog(Auditor().store(), ref.log);
      ASSERT_TRUE(IsOk(info));
      auto cp = OpenCheckpoint(log.checkpoint, info->key);
      ASSERT_TRUE(IsOk(cp));
      EXPECT_EQ(cp->checkpoint.size, log.size);
      EXPECT_EQ(cp->checkpoint.root, log.root);
      ASSERT_TRUE(ref.proof.has_value());
      ASSERT_TRUE(ref.leaf_hash.has_value());
      EXPECT_EQ(ref.proof_size, log.size);
      EXPECT_TRUE(IsOk(VerifyInclusion(ref.leaf, log.size, *ref.leaf_hash, *ref.proof, log.root)));
      // The hash is the leaf's, as the log author published it.
      PkhTestNode& author = ref.log == bank_.origin() ? bank_ : kab_;
      LogReader reader(author.store(), author.folder->own_log());
      auto leaf = reader.Leaf(ref.leaf);
      ASSERT_TRUE(IsOk(leaf));
      EXPECT_EQ(LeafHash(*leaf), *ref.leaf_hash);
      // A wrong leaf does not verify.
      Hash wrong = *ref.leaf_hash;
      wrong[0] ^= 1;
      EXPECT_FALSE(VerifyInclusion(ref.leaf, log.size, wrong, *ref.proof, log.root).ok());
      ++proofs;
    }
  }
  EXPECT_GE(proofs, 10u);
  // The JSON carries the same proofs.
  auto j = nlohmann::json::parse(AuditJson(r));
  EXPECT_EQ(j["findings"][0]["leaves"][0]["proof"].size(), r.findings[0].leaves[0].proof->size());
  EXPECT_EQ(j["findings"][0]["leaves"][0]["tree_size"], r.findings[0].leaves[0].proof_size);
}

TEST_F(Audit, ScopeMissingLogsAndDeterminism) {
  Known({"K-GHOST"});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000")});
  // Without the bank's log: it is missing, and nothing is paid.
  Deliver(/*without_bank=*/true);
  AuditReport partial = Run();
  ASSERT_EQ(partial.missing.size(), 1u);
  EXPECT_THAT(partial.missing[0], HasSubstr(bank_.origin()));
  EXPECT_THAT(partial.missing[0], HasSubstr("not held"));
  EXPECT_THAT(Names(partial), IsEmpty());

  Deliver();
  AuditReport all = Run();
  EXPECT_THAT(all.missing, IsEmpty());
  EXPECT_THAT(Names(all), ElementsAre("PAID_NOT_APPROVED K-GHOST T-1"));
  AuditOptions other;
  other.kabupaten = {"7307"};
  EXPECT_THAT(Names(Run(other)), IsEmpty());
  AuditOptions province;
  province.kabupaten = {"73"};
  EXPECT_THAT(Names(Run(province)), ElementsAre("PAID_NOT_APPROVED K-GHOST T-1"));

  // Same store, same options: the same bytes.
  AuditOptions o;
  o.proofs = true;
  AuditReport a = Run(o), b = Run(o);
  EXPECT_EQ(AuditJson(a), AuditJson(b));
  EXPECT_EQ(AuditText(a), AuditText(b));
  EXPECT_EQ(AuditCsv(a), AuditCsv(b));
}

TEST_F(Audit, AReplicaBehindTheLatestCheckpointItsWitnessCosignedIsListed) {
  Known({"K-GHOST"});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000")});
  Deliver();
  auto info = FindLog(Auditor().folder->store(), bank_.origin());
  ASSERT_TRUE(IsOk(info));
  auto held = LogReader(Auditor().folder->store(), *info).Size();
  ASSERT_TRUE(IsOk(held));
  // The witness cosigned the replica's own size: nothing is behind.
  ASSERT_TRUE(IsOk(SaveWitnessState(Auditor().folder->store(), bank_.origin(),
                                    WitnessState{*held, Hash{}, "note"})));
  EXPECT_THAT(Run().missing, IsEmpty());
  // The author offered a larger checkpoint that the follower has not pulled.
  ASSERT_TRUE(IsOk(SaveWitnessState(Auditor().folder->store(), bank_.origin(),
                                    WitnessState{*held + 5, Hash{}, "note"})));
  AuditReport r = Run();
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0],
            fmt::format("lembaga-bayar 00 ({}): held at size {}, behind its latest known "
                        "checkpoint (size {}, cosigned by this node's witness)",
                        bank_.origin(), *held, *held + 5));
  EXPECT_THAT(Names(r), ElementsAre("PAID_NOT_APPROVED K-GHOST T-1"));
}

TEST_F(Audit, ReadsTheStoreOfARunningNodeAsASecondary) {
  Known({"K-GHOST"});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000")});
  Deliver();
  AuditOptions o;
  o.stage = kStage;
  o.as_of = kAsOf;
  o.proofs = true;
  AuditReport writer = Run(o);
  // The auditor's folder stays open for writing, as a serving node holds it.
  auto beside = NodeFolder::Open(Auditor().dir, StoreMode::kReadOnly);
  ASSERT_TRUE(IsOk(beside));
  auto reader = RunAudit(**beside, o);
  ASSERT_TRUE(IsOk(reader));
  EXPECT_EQ(AuditJson(*reader), AuditJson(writer));
}

TEST_F(Audit, RendersForPeopleAndSpreadsheets) {
  Known({"K-GHOST"});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000")});
  AuditReport r = DeliverAndRun();
  const std::string csv = AuditCsv(r);
  EXPECT_THAT(csv, HasSubstr("type,stage,kabupaten,kpm,txn_ref,lembaga_bayar,amount,"
                             "expected_amount,detail,leaves\n"));
  EXPECT_THAT(csv, HasSubstr("PAID_NOT_APPROVED,2026-T1,7306," + PseudonymHex(Kpm("K-GHOST")) +
                             ",T-1,BRI,600000,,"));
  const std::string text = AuditText(r);
  EXPECT_THAT(text, HasSubstr("PAID_NOT_APPROVED (1)"));
  EXPECT_THAT(text, HasSubstr("FINDINGS IN KABUPATEN 7306"));
  auto j = nlohmann::json::parse(AuditJson(r));
  EXPECT_EQ(j["stage"], kStage);
  EXPECT_EQ(j["as_of"], kAsOf);
  EXPECT_EQ(j["summary"]["PAID_NOT_APPROVED"], 1);
  EXPECT_EQ(j["summary"]["EQUIVOCATION"], 0);
  EXPECT_EQ(j["findings"][0]["type"], "PAID_NOT_APPROVED");
  EXPECT_EQ(j["findings"][0]["kpm"], PseudonymHex(Kpm("K-GHOST")));
  EXPECT_EQ(j["findings"][0]["txn_ref"], "T-1");
  EXPECT_EQ(j["findings"][0]["amount"], 600000);
  EXPECT_TRUE(j["findings"][0]["expected_amount"].is_null());
  EXPECT_EQ(j["findings"][0]["leaves"][1]["log"], bank_.origin());
  EXPECT_EQ(j["findings"][0]["leaves"][1]["leaf_index"], 1);
  // Revealed only to the holder of the key and list, only in the report.
  RevealMap reveal{{Kpm("K-GHOST"), "K-GHOST"}};
  EXPECT_THAT(AuditCsv(r, &reveal), HasSubstr(",K-GHOST,T-1,"));
  // An identifier a spreadsheet would run as a formula comes out as text.
  RevealMap formula{{Kpm("K-GHOST"), "=HYPERLINK(\"http://x\",\"y\")"}};
  EXPECT_THAT(AuditCsv(r, &formula),
              HasSubstr(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",T-1,"));
  EXPECT_THAT(csv, ::testing::Not(HasSubstr("K-GHOST")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("K-GHOST")));
}

TEST_F(Audit, RefusesWhatItCannotJudge) {
  Deliver();
  AuditOptions bad_stage;
  bad_stage.stage = "2026-T9x";
  EXPECT_EQ(RunAudit(*Auditor().folder, bad_stage).status().code(), StatusCode::kInvalidArgument);
  AuditOptions unopened;
  unopened.stage = "2027-T1";
  unopened.as_of = kAsOf;
  EXPECT_TRUE(HasStatus(RunAudit(*Auditor().folder, unopened), StatusCode::kFailedPrecondition,
                        "never opened stage 2027-T1"));
  AuditOptions bad_date;
  bad_date.stage = kStage;
  bad_date.as_of = "2026-02-30";
  EXPECT_TRUE(
      HasStatus(RunAudit(*Auditor().folder, bad_date), StatusCode::kInvalidArgument, "--as-of"));
  AuditOptions bad_scope;
  bad_scope.stage = kStage;
  bad_scope.as_of = kAsOf;
  bad_scope.kabupaten = {"73a"};
  EXPECT_EQ(RunAudit(*Auditor().folder, bad_scope).status().code(), StatusCode::kInvalidArgument);
  // A node that never pulled the governance log.
  auto fresh = AddNode("fresh", Init(NodeKind::kAuditor, "Fresh", "00"));
  ASSERT_TRUE(IsOk(fresh));
  AuditOptions o;
  o.stage = kStage;
  o.as_of = kAsOf;
  EXPECT_TRUE(HasStatus(RunAudit(*(*fresh)->folder, o), StatusCode::kFailedPrecondition,
                        "holds no governance log"));
}

// Two histories signed by one kabupaten key: the folder copied, each copy
// appended differently. The auditor, holding one, meets the other.
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
TEST_F(Audit, TotalsThatDoNotFitIn64BitsAreAnErrorNotAWrappedNumber) {
  std::vector<Bytes> leaves;
  for (int i = 0; i < 3; ++i) {
    Receipt r{"HUGE-" + std::to_string(i),
              Kpm("K-HUGE-" + std::to_string(i)),
              kKabRegion,
              kStage,
              uint64_t{1} << 63,
              ReceiptStatus::kPaid,
              "2026-03-05",
              Channel::kKks};
    leaves.push_back(*EncodePkhRecord(r));
  }
  StatementHeader h = bank_.pkh->NewHeader(kTypeReceipt);
  h.regions = {kKabRegion};
  h.stage = kStage;
  PreparedStatement p = PrepareStatement(h, std::move(leaves));
  SignStatement(p.statement, payer_);
  ASSERT_TRUE(IsOk(AppendStatement(bank_.pkh->writer(), p)));
  Deliver();
  AuditOptions o;
  o.stage = kStage;
  o.as_of = kAsOf;
  EXPECT_TRUE(HasStatus(RunAudit(*Auditor().folder, o), StatusCode::kInvalidArgument,
                        "the amounts of stage 2026-T1 add up to more than 2^64 rupiah"));
}

}  // namespace
}  // namespace jejak
