// How the statements of the other logs are judged against the governance log
// as of the size they record (ledger/pkh/statement_rules.h).
#include "tests/ledger/pkh/governance_fixture.h"

namespace jejak::governance_test {
namespace {

// --- Statements of the other logs -------------------------------------------

TEST_F(GovernanceTest, UpdateBySignersHoldingTheOperatorRoleForTheRegion) {
  EXPECT_TRUE(Judge(kKab7306, Update(kBaseline, {&op7306_})).ok());

  EXPECT_TRUE(Denied(Judge(kKab7306, Update(kBaseline, {&op7404_})),
                     "signature 1 (key op-7404): lacks the operator role for region 7306 at "
                     "governance size 17"));
  EXPECT_TRUE(Denied(Judge(kKab7306, Update(kBaseline, {&appr_a_})),
                     "signature 1 (key appr-a): lacks the operator role for region 7306 at "
                     "governance size 17"));
  EXPECT_TRUE(Denied(Judge(kKab7306, Update(kBaseline, {&op7306_, &op7404_})),
                     "signature 2 (key op-7404): lacks the operator role for region 7306"));
}

TEST_F(GovernanceTest, UpdateOnALogTheGovernanceLogDoesNotRegister) {
  EXPECT_TRUE(Denied(Judge("jejak.pkh/kab/9999", Update(kBaseline, {&op7306_})),
                     "log jejak.pkh/kab/9999 is not registered in the governance log at size 17"));
  // 7306 was registered by the statement ending at 17: not yet at 16.
  EXPECT_TRUE(Denied(Judge(kKab7306, Update(kBaseline - 1, {&op7306_})),
                     "log jejak.pkh/kab/7306 is not registered in the governance log at size 16"));
}

TEST_F(GovernanceTest, UpdateOnANodeOfAnotherKind) {
  EXPECT_TRUE(Denied(Judge(kBri, Update(kBaseline, {&op7306_}, kBri)),
                     "pkh.update statements are written by kabupaten nodes, not lembaga-bayar "
                     "nodes"));
}

TEST_F(GovernanceTest, UpdateIsJudgedAtTheGovernanceSizeItRecords) {
  ASSERT_TRUE(Gov(kTypeGovRevoke, {Revoke(op7306_)}, {&root_}).ok());  // [17, 19)
  EXPECT_TRUE(Denied(Judge(kKab7306, Update(19, {&op7306_})),
                     "signature 1 (" + UnnamedKey(op7306_) +
                         "): was revoked (at governance size 19); lacks the operator role for "
                         "region 7306"));
  // Signed before the revocation took effect: the older governance still
  // authorizes it.
  EXPECT_TRUE(Judge(kKab7306, Update(kBaseline, {&op7306_})).ok());
  EXPECT_TRUE(Judge(kKab7306, Update(18, {&op7306_})).ok());
}

TEST_F(GovernanceTest, AGovernanceSizeBeyondTheHeldLogIsUnavailable) {
  EXPECT_TRUE(
      HasStatus(Judge(kKab7306, Update(kBaseline + 1, {&op7306_})), StatusCode::kUnavailable,
                "judged at governance size 18, but this node holds the governance log only to "
                "size 17"));
  EXPECT_TRUE(HasStatus(Judge(kBri, Receipts(100, {"7306"}, {&payer7306_})),
                        StatusCode::kUnavailable, "judged at governance size 100"));
}

TEST_F(GovernanceTest, GovernanceStatementsAreRefusedInOtherLogs) {
  StatementHeader h = LogHeader(kKab7306, kTypeGovGrant, kBaseline);
  EXPECT_TRUE(Denied(Judge(kKab7306, Signed(h, {&root_})),
                     "gov.grant statements belong in the governance log"));
}

TEST_F(GovernanceTest, BeritaAcaraNeedsTheDefaultThresholdOfDistinctApprovers) {
  EXPECT_TRUE(Denied(Judge(kKab7306, BeritaAcara(kBaseline, {&appr_a_})),
                     "berita acara signed by 1 distinct approvers; region 7306 needs 2 at "
                     "governance size 17"));
  EXPECT_TRUE(Judge(kKab7306, BeritaAcara(kBaseline, {&appr_a_, &appr_b_})).ok());
  // The same official signing twice is one approver.
  EXPECT_TRUE(Denied(Judge(kKab7306, BeritaAcara(kBaseline, {&appr_a_, &appr_a_})),
                     "berita acara signed by 1 distinct approvers; region 7306 needs 2"));
}

TEST_F(GovernanceTest, BeritaAcaraThresholdComesFromTheMostSpecificPolicy) {
  ASSERT_TRUE(Gov(kTypeGovPolicy, {Policy(3, "73")}, {&root_}).ok());  // [17, 19)
  EXPECT_EQ(gov_.ApprovalThreshold("7306", 18), 2);
  EXPECT_EQ(gov_.ApprovalThreshold("7306", 19), 3);
  EXPECT_TRUE(Denied(Judge(kKab7306, BeritaAcara(19, {&appr_a_, &appr_b_})),
                     "berita acara signed by 2 distinct approvers; region 7306 needs 3 at "
                     "governance size 19"));
  EXPECT_TRUE(Judge(kKab7306, BeritaAcara(19, {&appr_a_, &appr_b_, &appr_c_})).ok());
  // Judged at its own older size, two approvers were enough.
  EXPECT_TRUE(Judge(kKab7306, BeritaAcara(kBaseline, {&appr_a_, &appr_b_})).ok());

  ASSERT_TRUE(Gov(kTypeGovPolicy, {Policy(1, "7306")}, {&root_}).ok());  // [19, 21)
  EXPECT_EQ(gov_.ApprovalThreshold("7306", 21), 1);
  EXPECT_EQ(gov_.ApprovalThreshold("7371", 21), 3);
  EXPECT_EQ(gov_.ApprovalThreshold("7404", 21), 2);
  EXPECT_TRUE(Judge(kKab7306, BeritaAcara(21, {&appr_a_})).ok());

  // "*" is the least specific scope of all.
  ASSERT_TRUE(Gov(kTypeGovPolicy, {Policy(5, "*")}, {&root_}).ok());  // [21, 23)
  EXPECT_EQ(gov_.ApprovalThreshold("7306", 23), 1);
  EXPECT_EQ(gov_.ApprovalThreshold("7371", 23), 3);
  EXPECT_EQ(gov_.ApprovalThreshold("7404", 23), 5);
}

TEST_F(GovernanceTest, BeritaAcaraForAStageNotOpenedAtItsSize) {
  EXPECT_TRUE(Denied(Judge(kKab7306, BeritaAcara(kBaseline, {&appr_a_, &appr_b_}, "2026-T2")),
                     "berita acara for stage '2026-T2', which the governance log had not opened "
                     "at size 17"));
  EXPECT_TRUE(Denied(Judge(kKab7306, BeritaAcara(kBaseline, {&appr_a_, &appr_b_}, "")),
                     "berita acara for stage '', which the governance log had not opened"));

  ASSERT_TRUE(Gov(kTypeGovStage, {Window("2026-T2", "2026-05-01", "2026-06-30")}, {&root_}).ok());
  EXPECT_TRUE(Denied(Judge(kKab7306, BeritaAcara(18, {&appr_a_, &appr_b_}, "2026-T2")),
                     "stage '2026-T2', which the governance log had not opened at size 18"));
  EXPECT_TRUE(Judge(kKab7306, BeritaAcara(19, {&appr_a_, &appr_b_}, "2026-T2")).ok());
}

TEST_F(GovernanceTest, BeritaAcaraWithoutANumberOrADate) {
  StatementHeader no_number = BeritaAcaraHeader(kBaseline);
  no_number.document_number.clear();
  EXPECT_TRUE(Denied(Judge(kKab7306, Signed(no_number, {&appr_a_, &appr_b_})),
                     "berita acara without a number or a date"));
  StatementHeader no_date = BeritaAcaraHeader(kBaseline);
  no_date.document_date.clear();
  EXPECT_TRUE(Denied(Judge(kKab7306, Signed(no_date, {&appr_a_, &appr_b_})),
                     "berita acara without a number or a date"));
}

TEST_F(GovernanceTest, BeritaAcaraCoSignedByANonApprover) {
  EXPECT_TRUE(Denied(Judge(kKab7306, BeritaAcara(kBaseline, {&appr_a_, &op7306_})),
                     "signature 2 (key op-7306): lacks the approver role for region 7306 at "
                     "governance size 17"));
  EXPECT_TRUE(Denied(Judge(kKab7306, BeritaAcara(kBaseline, {&appr_a_, &appr_b_, &op7306_})),
                     "signature 3 (key op-7306): lacks the approver role for region 7306"));
}

TEST_F(GovernanceTest, ReceiptsNeedAPayerOfEveryListedKabupaten) {
  EXPECT_TRUE(Judge(kBri, Receipts(kBaseline, {"7306"}, {&payer7306_})).ok());
  EXPECT_TRUE(Denied(Judge(kBri, Receipts(kBaseline, {"7306", "7404"}, {&payer7306_})),
                     "signature 1 (key payer-7306): lacks the payer role for region 7404 at "
                     "governance size 17"));
  // A province scope covers every kabupaten of the province.
  EXPECT_TRUE(Judge(kBri, Receipts(kBaseline, {"7306", "7371"}, {&payer73_})).ok());
  EXPECT_TRUE(Denied(Judge(kBri, Receipts(kBaseline, {"7306", "7404"}, {&payer73_})),
                     "signature 1 (key payer-73): lacks the payer role for region 7404"));
  EXPECT_TRUE(Denied(Judge(kBri, Receipts(kBaseline, {"7371"}, {&payer73_, &payer7306_})),
                     "signature 2 (key payer-7306): lacks the payer role for region 7371"));
  EXPECT_TRUE(Denied(Judge(kBri, Receipts(kBaseline, {"7306"}, {&op7306_})),
                     "signature 1 (key op-7306): lacks the payer role for region 7306"));
}

TEST_F(GovernanceTest, ReceiptsThatNameNoKabupatenOrComeFromAKabupaten) {
  EXPECT_TRUE(Denied(Judge(kBri, Receipts(kBaseline, {}, {&payer7306_})),
                     "receipts that name no kabupaten"));
  EXPECT_TRUE(Denied(Judge(kKab7306, Receipts(kBaseline, {"7306"}, {&payer7306_}, kKab7306)),
                     "pkh.receipt statements are written by lembaga-bayar nodes, not kabupaten "
                     "nodes"));
}

TEST_F(GovernanceTest, RecordsMustFitTheirStatement) {
  const Statement receipts = Receipts(kBaseline, {"7306"}, {&payer7306_});
  Receipt receipt;
  receipt.txn_ref = "BRI-0001";
  receipt.kabupaten = "7306";
  receipt.stage = kStage;
  receipt.amount = 750'000;
  receipt.paid_at = "2026-02-20";
  EXPECT_TRUE(CheckRecordFitsStatement(receipts, receipt).ok());

  receipt.kabupaten = "7404";
  EXPECT_TRUE(Denied(CheckRecordFitsStatement(receipts, receipt),
                     "a receipt for kabupaten 7404, which the statement's signed regions do not "
                     "list"));

  KpmUpdate update;
  update.update_id = "u-1";
  EXPECT_TRUE(Denied(CheckRecordFitsStatement(receipts, update),
                     "a pkh.update record in a pkh.receipt statement"));

  const Statement berita_acara = BeritaAcara(kBaseline, {&appr_a_, &appr_b_});
  EXPECT_TRUE(CheckRecordFitsStatement(berita_acara, Approval{{}, "BRI", 750'000}).ok());
  EXPECT_TRUE(Denied(CheckRecordFitsStatement(berita_acara, receipt),
                     "a pkh.receipt record in a pkh.approval statement"));
}

}  // namespace
}  // namespace jejak::governance_test
