// The family-level finding rules of the audit (DOMAIN.md, "Finding types"),
// each where it fires and where it must not.
#include "tests/ledger/audit/audit_fixture.h"

namespace jejak::audit_test {
namespace {

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

}  // namespace
}  // namespace jejak::audit_test
