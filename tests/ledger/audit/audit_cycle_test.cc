// The rules of the rest of the cycle (DOMAIN.md, "The rest of the cycle"):
// APPROVED_NOT_IN_BNBA, APPROVED_WHILE_SUSPENDED, COMPLAINT_UNANSWERED and
// PAID_BUT_DISPUTED, each where it fires and at each near miss where it must
// not; the policy read at the judged statement's governance size; the
// authority of target lists.
#include "tests/ledger/audit/audit_cycle_fixture.h"

namespace jejak::audit_test {
namespace {

using testing::StatusIs;

TEST_F(AuditCycle, ApprovedNotInBnbaFiresOnlyWhereNoListOfTheYearStoodBeforeTheBeritaAcara) {
  Policy({.require_bnba = true});
  Known({"L1", "L2", "L3", "L4", "L5"});
  for (const char* id : {"L1", "L2", "L3", "L4", "L5"}) Family(id);
  List("BNBA/2026/1", 2026, {"L1"});
  List("BNBA/2025/1", 2025, {"L5"});  // an earlier year counts
  List("BNBA/2027/1", 2027, {"L3"});  // a later year does not
  Approve({{"L1", kEntitled},
           {"L2", kEntitled},
           {"L3", kEntitled},
           {"L4", kEntitled},
           {"L5", kEntitled}});
  List("BNBA/2026/2", 2026, {"L4"});  // just after the berita acara: too late
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Of(r, FindingType::kApprovedNotInBnba),
              UnorderedElementsAre("APPROVED_NOT_IN_BNBA L2", "APPROVED_NOT_IN_BNBA L3",
                                   "APPROVED_NOT_IN_BNBA L4"));
  const Finding* f = Find(r, FindingType::kApprovedNotInBnba);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->amount, 1'850'000u);
  EXPECT_FALSE(f->expected_amount);
  EXPECT_EQ(r.by_kabupaten[kKabRegion].on_bnba, 2u);
  EXPECT_EQ(r.summary[static_cast<size_t>(FindingType::kApprovedNotInBnba)], 3u);
}

TEST_F(AuditCycle, WithoutTheRequirementNoFamilyIsReportedButCoverageIsCounted) {
  Known({"N1", "N2"});
  Family("N1");
  Family("N2");
  List("BNBA-1", 2026, {"N1"});
  Approve({{"N1", kEntitled}, {"N2", kEntitled}});
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Of(r, FindingType::kApprovedNotInBnba), IsEmpty());
  EXPECT_EQ(r.by_kabupaten[kKabRegion].on_bnba, 1u);
  EXPECT_THAT(AuditText(r), HasSubstr("TARGET LISTS AND VERIFICATIONS"));
}

TEST_F(AuditCycle, ThePolicyIsReadAtTheBeritaAcarasGovernanceSize) {
  Known({"P1"});
  Family("P1");
  Approve({{"P1", kEntitled}});  // no requirement yet
  Policy({.require_bnba = true});
  Family("P2");
  Known({"P2"});
  Approve({{"P2", kEntitled}});  // required now
  Policy({.require_bnba = false});
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Of(r, FindingType::kApprovedNotInBnba), ElementsAre("APPROVED_NOT_IN_BNBA P2"));
}

TEST_F(AuditCycle, ATargetListSignedWithoutTheRoleIsRefusedAndWhenSmuggledCountsForNothing) {
  Policy({.require_bnba = true});
  Known({"A1", "A2", "A3"});
  for (const char* id : {"A1", "A2", "A3"}) Family(id);
  const BnbaList list{"BNBA-X", 2026};
  const std::string csv = std::string("id_kpm,kabupaten\nA1,") + kKabRegion + "\n";
  // An operator key, a targeting key of another region: refused at import.
  EXPECT_THAT(Import(ImportFile::kBnba, csv, operator_, &list),
              StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(Import(ImportFile::kBnba, csv, other_targeting_, &list),
              StatusIs(StatusCode::kPermissionDenied));
  // A revoked targeting key.
  ASSERT_TRUE(IsOk(Gov(kTypeGovRevoke, {KeyRevocation{targeting_.public_key()}})));
  ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  EXPECT_THAT(Import(ImportFile::kBnba, csv, targeting_, &list),
              StatusIs(StatusCode::kPermissionDenied));
  // The same lists appended past the node's judging.
  SmuggleList("BNBA-OP", {"A1"}, operator_);
  SmuggleList("BNBA-7404", {"A2"}, other_targeting_);
  SmuggleList("BNBA-REVOKED", {"A3"}, targeting_);
  Approve({{"A1", kEntitled}, {"A2", kEntitled}, {"A3", kEntitled}});
  AuditReport r = DeliverAndRun();
  EXPECT_EQ(r.summary[static_cast<size_t>(FindingType::kUnauthorizedStatement)], 3u);
  EXPECT_THAT(Of(r, FindingType::kApprovedNotInBnba),
              UnorderedElementsAre("APPROVED_NOT_IN_BNBA A1", "APPROVED_NOT_IN_BNBA A2",
                                   "APPROVED_NOT_IN_BNBA A3"));
  EXPECT_EQ(r.by_kabupaten[kKabRegion].on_bnba, 0u);
}

TEST_F(AuditCycle, ApprovedWhileSuspendedNeedsEachOfTheNMonthsFailedBeforeTheBeritaAcara) {
  Policy({.suspend_after_months = 3});
  Known({"S1", "S2", "S3", "S4", "S5"});
  for (const char* id : {"S1", "S2", "S3", "S4", "S5"}) Family(id);
  Verifications({
      // S1: not_met in 2025-11, 2025-12 and 2026-01: suspended.
      Check("v1", "S1", "2025-11", "not_met"),
      Check("v2", "S1", "2025-12", "not_met"),
      Check("v3", "S1", "2026-01", "not_met", "kesehatan"),
      // S2: 2025-11 met: only two failed months.
      Check("v4", "S2", "2025-11", "met"),
      Check("v5", "S2", "2025-12", "not_met"),
      Check("v6", "S2", "2026-01", "not_met"),
      // S3: no verification at all in 2025-12: the run breaks.
      Check("v7", "S3", "2025-11", "not_met"),
      Check("v8", "S3", "2026-01", "not_met"),
      // S4: 2026-01 not_met, then corrected below.
      Check("v9", "S4", "2025-11", "not_met"),
      Check("v10", "S4", "2025-12", "not_met"),
      Check("v11", "S4", "2026-01", "not_met"),
      // S5: two months now, the third after the berita acara.
      Check("v12", "S5", "2025-11", "not_met"),
      Check("v13", "S5", "2025-12", "not_met"),
      // An exempt commitment beside a not_met one still fails the month.
      Check("v14", "S1", "2026-01", "exempt", "pendidikan"),
  });
  Verifications({Check("v15", "S4", "2026-01", "met")});  // a later leaf corrects it
  Approve({{"S1", kEntitled},
           {"S2", kEntitled},
           {"S3", kEntitled},
           {"S4", kEntitled},
           {"S5", kEntitled}});
  Verifications({Check("v16", "S5", "2026-01", "not_met")});
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Of(r, FindingType::kApprovedWhileSuspended),
              ElementsAre("APPROVED_WHILE_SUSPENDED S1"));
  const Finding* f = Find(r, FindingType::kApprovedWhileSuspended);
  ASSERT_NE(f, nullptr);
  size_t verifications = 0;
  for (const LeafRef& l : f->leaves) verifications += l.role == "verification";
  EXPECT_EQ(verifications, 3u);  // the latest not_met of each month
  EXPECT_EQ(r.by_kabupaten[kKabRegion].verified_by_month["2026-01"], 4u);
  EXPECT_EQ(r.by_kabupaten[kKabRegion].verified_by_month["2025-12"], 4u);
}

TEST_F(AuditCycle, ComplaintUnansweredCountsFortyEightHoursBetweenInstants) {
  Known({"K1", "K2", "K3", "K4"});
  Complaints({
      "C-1,K1,2026-T1,potongan,loket,2026-03-10T09:00:00+07:00,",
      "C-2,K2,2026-T1,layanan,whatsapp,2026-03-10T09:00:00+07:00,",
      "C-3,K3,2026-T1,data,telepon,2026-03-10T09:00:00+07:00,",
      "C-4,K4,2026-T1,data,web,2026-03-31T10:00:00+07:00,",    // deadline after the moment
      "C-5,,2026-T1,lainnya,buku,2026-03-01T08:00:00+08:00,",  // no family
  });
  Responses({
      "R-1,C-1,2026-03-12T10:00:00+08:00,answered",   // exactly 48 h
      "R-2,C-2,2026-03-12T02:00:01Z,answered",        // 48 h and 1 s
      "R-3,C-3,2026-03-10T10:00:00+07:00,forwarded",  // not an answer
  });
  AuditReport r = DeliverAndRun();
  std::vector<std::string> ids;
  std::vector<bool> with_kpm;
  for (const Finding& f : r.findings) {
    if (f.type != FindingType::kComplaintUnanswered) continue;
    ids.push_back(f.complaint_id);
    with_kpm.push_back(f.kpm.has_value());
    EXPECT_EQ(f.kabupaten, kKabRegion);
    EXPECT_TRUE(f.lembaga_bayar.empty());
    EXPECT_FALSE(f.amount);
  }
  // Without a KPM first; then by kabupaten and pseudonym.
  EXPECT_THAT(ids, UnorderedElementsAre("C-5", "C-2", "C-3"));
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], "C-5");
  EXPECT_THAT(with_kpm, ElementsAre(false, true, true));
  const ComplaintTotals& t = r.complaints[kKabRegion];
  EXPECT_EQ(t.received, 5u);
  EXPECT_EQ(t.answered_in_time, 1u);
  EXPECT_EQ(t.overdue, 3u);
  EXPECT_EQ(t.open, 1u);
  EXPECT_EQ(t.oldest_overdue, "2026-03-01T08:00:00+08:00");
  // Responses were recorded now, long after their deadlines.
  ASSERT_EQ(r.late_responses.size(), 1u);
  EXPECT_EQ(r.late_responses[0].complaint_id, "C-1");
  // The moment of a date is the end of that day in WIB; a date-time counts
  // as written: at 2026-04-02T10:00:00+07:00 exactly, C-4 is not yet due.
  AuditOptions at_deadline;
  at_deadline.as_of = "2026-04-02T10:00:00+07:00";
  EXPECT_EQ(Run(at_deadline).complaints[kKabRegion].overdue, 3u);
  AuditOptions after;
  after.as_of = "2026-04-02T03:00:01Z";
  EXPECT_EQ(Run(after).complaints[kKabRegion].overdue, 4u);
}

TEST_F(AuditCycle, TheResponseHoursAreReadAtTheComplaintsGovernanceSize) {
  Policy({.complaint_response_hours = 24});
  Known({"H1"});
  Complaints({"H-1,H1,2026-T1,layanan,loket,2026-03-10T09:00:00+07:00,"});
  Policy({.complaint_response_hours = 72});
  Responses({"HR-1,H-1,2026-03-12T09:00:00+07:00,resolved"});  // 48 h: late under 24 h
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Of(r, FindingType::kComplaintUnanswered), ElementsAre("COMPLAINT_UNANSWERED H1"));
}

TEST_F(AuditCycle, PaidButDisputedCitesTheEarliestPaidReceiptOnOrBeforeTheComplaint) {
  Known({"D1", "D2", "D3", "D4"});
  for (const char* id : {"D1", "D2", "D3", "D4"}) Family(id);
  Approve({{"D1", kEntitled}, {"D2", kEntitled}, {"D3", kEntitled}, {"D4", kEntitled}});
  auto receipt = [](const char* txn, const char* id, const char* status, const char* paid_at) {
    return ReceiptRow(txn, id, kEntitled, kKabRegion, kStage, status, paid_at);
  };
  Receipts({receipt("T-D1b", "D1", "paid", "2026-03-05T10:00:00+07:00"),
            receipt("T-D1a", "D1", "paid", "2026-03-05T09:00:00+07:00"),
            receipt("T-D2", "D2", "paid", "2026-03-05T10:00:00+07:00"),
            receipt("T-D3", "D3", "paid", "2026-03-12T10:00:00+07:00"),
            receipt("T-D4", "D4", "failed", "2026-03-05T10:00:00+07:00")});
  Complaints({
      "X-1,D1,2026-T1,tidak_menerima,lapor,2026-03-05T23:00:00+07:00,",  // the same day
      "X-2,D2,2026-T1,potongan,loket,2026-03-10T09:00:00+07:00,",        // another category
      "X-3,D3,2026-T1,tidak_menerima,loket,2026-03-10T09:00:00+07:00,",  // before the paid date
      "X-4,D4,2026-T1,tidak_menerima,loket,2026-03-10T09:00:00+07:00,",  // failed, not paid
  });
  Responses({"XR-1,X-1,2026-03-06T09:00:00+07:00,resolved"});  // resolved proves nothing
  AuditReport r = DeliverAndRun();
  std::vector<const Finding*> disputed;
  for (const Finding& f : r.findings) {
    if (f.type == FindingType::kPaidButDisputed) disputed.push_back(&f);
  }
  ASSERT_EQ(disputed.size(), 1u);
  EXPECT_EQ(disputed[0]->complaint_id, "X-1");
  EXPECT_EQ(disputed[0]->txn_ref, "T-D1a");  // two the same day: the smaller txn_ref
  EXPECT_EQ(disputed[0]->lembaga_bayar, "BRI");
  EXPECT_EQ(disputed[0]->amount, 1'850'000u);
  size_t roles = 0;
  for (const LeafRef& l : disputed[0]->leaves)
    roles += l.role == "complaint" || l.role == "receipt";
  EXPECT_EQ(roles, 2u);
  EXPECT_THAT(AuditCsv(r), HasSubstr(",T-D1a,X-1,BRI,"));
  EXPECT_THAT(AuditJson(r), HasSubstr("\"complaint_id\": \"X-1\""));
}

TEST_F(AuditCycle, AComplaintOfAnotherStageIsNotJudgedInThisOne) {
  ASSERT_TRUE(IsOk(Gov(kTypeGovStage, {StageWindow{"2026-T2", "2026-06-01", "2026-06-14"}})));
  ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  Known({"O1"});
  Complaints({"O-1,O1,2026-T2,layanan,loket,2026-03-10T09:00:00+07:00,"});
  AuditReport r = DeliverAndRun();
  EXPECT_THAT(Of(r, FindingType::kComplaintUnanswered), IsEmpty());
  EXPECT_TRUE(r.complaints.empty());
}

// --- The imports' own refusals ---

TEST_F(AuditCycle, AResponseToAComplaintTheLogDoesNotHoldOrDatedBeforeItIsRefused) {
  Complaints({"Q-1,,2026-T1,layanan,loket,2026-03-10T09:00:00+07:00,"});
  const std::string header = "response_id,complaint_id,responded_at,action\n";
  EXPECT_THAT(Import(ImportFile::kComplaintResponses,
                     header + "QR-1,Q-404,2026-03-11T09:00:00+07:00,answered\n", operator_),
              StatusIs(StatusCode::kInvalidArgument, "line 2 column 2"));
  EXPECT_THAT(Import(ImportFile::kComplaintResponses,
                     header + "QR-1,Q-1,2026-03-10T08:59:59+07:00,answered\n", operator_),
              StatusIs(StatusCode::kInvalidArgument, "line 2 column 3"));
  // Without an offset.
  EXPECT_THAT(Import(ImportFile::kComplaintResponses,
                     header + "QR-1,Q-1,2026-03-11T09:00:00,answered\n", operator_),
              StatusIs(StatusCode::kInvalidArgument, "line 2 column 3"));
  const uint64_t size = kab_.pkh->writer().size();
  EXPECT_TRUE(IsOk(Import(ImportFile::kComplaintResponses,
                          header + "QR-1,Q-1,2026-03-11T09:00:00+07:00,answered\n", operator_)));
  // Idempotent; the same id with other content is an error.
  auto again = Import(ImportFile::kComplaintResponses,
                      header + "QR-1,Q-1,2026-03-11T09:00:00+07:00,answered\n", operator_);
  ASSERT_TRUE(IsOk(again));
  EXPECT_EQ(again->already_present, 1u);
  EXPECT_THAT(Import(ImportFile::kComplaintResponses,
                     header + "QR-1,Q-1,2026-03-11T09:00:00+07:00,resolved\n", operator_),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(kab_.pkh->writer().size(), size + 2);
}

TEST_F(AuditCycle, ATargetListIsHeldUnderOneYearAndForThisKabupatenOnly) {
  List("BNBA-Y", 2026, {"Y1"});
  const BnbaList other_year{"BNBA-Y", 2025};
  const std::string csv = std::string("id_kpm,kabupaten\nY2,") + kKabRegion + "\n";
  EXPECT_THAT(Import(ImportFile::kBnba, csv, targeting_, &other_year),
              StatusIs(StatusCode::kInvalidArgument));
  const BnbaList list{"BNBA-Z", 2026};
  EXPECT_THAT(Import(ImportFile::kBnba, "id_kpm,kabupaten\nY2,7307\n", targeting_, &list),
              StatusIs(StatusCode::kInvalidArgument, "line 2 column 2"));
  // The list id may not be a row's identifier.
  const BnbaList leaky{"Y3", 2026};
  EXPECT_THAT(Import(ImportFile::kBnba, std::string("id_kpm,kabupaten\nY3,") + kKabRegion + "\n",
                     targeting_, &leaky),
              StatusIs(StatusCode::kInvalidArgument, "column 1"));
  const BnbaList bad{"BNBA Y", 2026};
  EXPECT_THAT(Import(ImportFile::kBnba, csv, targeting_, &bad),
              StatusIs(StatusCode::kInvalidArgument, "--list"));
}

TEST_F(AuditCycle, ADraftWarnsOfTheFamiliesTheNewRulesWouldReport) {
  Policy({.require_bnba = true, .suspend_after_months = 2});
  Family("W1");
  Family("W2");
  List("BNBA-W", 2026, {"W2"});
  Verifications({Check("w1", "W2", "2025-12", "not_met"), Check("w2", "W2", "2026-01", "not_met")});
  const std::string file =
      WriteFile("draft.csv", std::string("id_kpm,lembaga_bayar,amount\nW1,BRI,") + kEntitled +
                                 "\nW2,BRI," + kEntitled + "\n");
  auto draft = DraftBeritaAcara(*kab_.pkh, file, kStage, kBaDate, "800/1/DINSOS", program_key_);
  ASSERT_TRUE(IsOk(draft));
  std::vector<std::string> warnings;
  for (const auto& w : draft->warnings) warnings.push_back(w.ToString());
  EXPECT_THAT(warnings, UnorderedElementsAre(HasSubstr("APPROVED_NOT_IN_BNBA"),
                                             HasSubstr("APPROVED_WHILE_SUSPENDED")));
}

}  // namespace
}  // namespace jejak::audit_test
