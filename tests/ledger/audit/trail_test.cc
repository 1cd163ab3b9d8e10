// A family's trail (ledger/audit/trail.h): every kind of record in order,
// with proofs that verify, its findings and no other family's, the statement
// a record rests on, the JSON read back, and the text in both languages.
#include "ledger/audit/trail.h"

#include "ledger/log/tlog_proof.h"
#include "tests/ledger/audit/audit_cycle_fixture.h"

namespace jejak::audit_test {
namespace {

using ::testing::Contains;
using testing::StatusIs;

class TrailTest : public AuditCycle {
 protected:
  // T1 has a record in every kind of log; T2 shares its lists and berita
  // acara and must not appear in T1's trail.
  void World() {
    Family("T1");
    Family("T2");
    List("BNBA/2026/1", 2026, {"T1", "T2"});
    Verifications({Check("V-1", "T1", "2026-01", "met"), Check("V-2", "T2", "2026-01", "met")});
    Approve({{"T1", kEntitled}, {"T2", kEntitled}});
    auto receipt = [](const char* txn, const char* id, const char* paid_at) {
      return ReceiptRow(txn, id, kEntitled, kKabRegion, kStage, "paid", paid_at);
    };
    Receipts({receipt("TX-1", "T1", "2026-03-05T10:00:00+07:00"),
              receipt("TX-2", "T2", "2026-03-05T11:00:00+07:00"),
              receipt("TX-3", "T1", "2026-03-20T10:00:00+07:00")});
    Complaints({"ADU-1,T1,2026-T1,tidak_menerima,loket,2026-03-06T09:00:00+07:00,"});
    Responses({"JWB-1,ADU-1,2026-03-07T10:00:00+07:00,answered"});
    Deliver();
  }
  Trail Build(std::string_view id, TrailOptions o = {}) {
    o.kpm = Kpm(id);
    if (o.as_of.empty()) o.as_of = kAsOf;
    auto t = BuildTrail(*Auditor().folder, o);
    EXPECT_TRUE(IsOk(t));
    return t.ok() ? *t : Trail{};
  }
  static std::string FieldOf(const std::vector<EntryField>& fields, std::string_view name) {
    for (const EntryField& f : fields) {
      if (f.name == name) return f.value;
    }
    return "";
  }
};

TEST_F(TrailTest, AFamilyWithRecordsInEveryLogSeesEachInOrderWithProofsThatVerify) {
  World();
  TrailOptions o;
  o.proofs = true;
  Trail t = Build("T1", o);
  std::vector<std::string> kinds;
  for (const TrailRecord& r : t.records) kinds.emplace_back(TrailKindName(r.kind));
  // The target list was recorded now (its statement's time): last.
  EXPECT_THAT(kinds, ElementsAre("update", "verification", "approval", "receipt", "complaint",
                                 "response", "receipt", "target_list"));
  for (size_t i = 1; i < t.records.size(); ++i) {
    EXPECT_LE(t.records[i - 1].date.substr(0, 10), t.records[i].date.substr(0, 10));
  }
  const std::string hex = PseudonymHex(Kpm("T1"));
  Store& store = Auditor().folder->store();
  for (const TrailRecord& r : t.records) {
    SCOPED_TRACE(std::string(TrailKindName(r.kind)));
    if (r.kind != TrailKind::kResponse) {
      EXPECT_EQ(FieldOf(r.fields, "pseudonym"), hex);
    }
    EXPECT_EQ(r.status, "active");
    // The proof verifies with the author's key and carries the leaf itself.
    auto proof = ParseTlogProof(r.tlog_proof);
    ASSERT_TRUE(IsOk(proof));
    auto info = FindLog(store, r.log);
    ASSERT_TRUE(IsOk(info));
    auto verified = VerifyTlogProof(*proof, info->key, {}, 0);
    ASSERT_TRUE(IsOk(verified));
    auto leaf = LogReader(store, *info).Leaf(r.leaf);
    ASSERT_TRUE(IsOk(leaf));
    EXPECT_EQ(verified->entry, *leaf);
  }
  ASSERT_EQ(t.records.size(), 8u);
  const TrailRecord& approval = t.records[2];
  EXPECT_EQ(approval.log, kab_.origin());
  EXPECT_EQ(approval.stage, kStage);
  EXPECT_EQ(FieldOf(approval.statement_fields, "document date"), kBaDate);
  EXPECT_THAT(FieldOf(approval.statement_fields, "document number"), HasSubstr("/DINSOS"));
  size_t signers = 0;
  for (const EntryField& f : approval.statement_fields) signers += f.name == "signer";
  EXPECT_EQ(signers, 2u);
  EXPECT_EQ(t.records[3].log, bank_.origin());
  EXPECT_EQ(FieldOf(t.records[3].fields, "txn ref"), "TX-1");
  EXPECT_EQ(FieldOf(t.records[5].fields, "complaint id"), "ADU-1");

  // Its findings, and only its own.
  std::vector<std::string> types;
  for (const Finding& f : t.findings) {
    types.emplace_back(FindingTypeName(f.type));
    EXPECT_EQ(f.kpm, Kpm("T1"));
  }
  EXPECT_THAT(types, Contains("DUPLICATE_PAYOUT"));
  EXPECT_THAT(types, Contains("PAID_BUT_DISPUTED"));
  EXPECT_TRUE(t.missing.empty());

  // The other family's trail holds none of T1's records.
  Trail other = Build("T2");
  EXPECT_EQ(other.records.size(), 5u);  // update, verification, approval, receipt, list
  for (const TrailRecord& r : other.records) {
    EXPECT_EQ(FieldOf(r.fields, "pseudonym"), PseudonymHex(Kpm("T2")));
  }
  EXPECT_TRUE(other.findings.empty());
}

TEST_F(TrailTest, TheJsonReadsBackAndTheTextSpeaksEitherLanguage) {
  World();
  TrailOptions o;
  o.proofs = true;
  Trail t = Build("T1", o);
  const std::string json = TrailJson(t);
  auto back = ParseTrailJson(json);
  ASSERT_TRUE(IsOk(back));
  EXPECT_EQ(TrailJson(*back), json);
  EXPECT_EQ(TrailText(*back, Lang::kId), TrailText(t, Lang::kId));

  const std::string id = TrailText(t, Lang::kId);
  const std::string en = TrailText(t, Lang::kEn);
  for (const char* s : {"JEJAK KPM", "pemutakhiran data", "penyaluran", "TEMUAN", "Rp 1.850.000",
                        "status KPM pada tanggal itu", "penandatangan: tanda tangan 1 (kunci ",
                        "2 kuitansi dibayar untuk satu KPM", "KPM menyatakan tidak menerima",
                        "Log tidak diverifikasi ulang"}) {
    EXPECT_THAT(id, HasSubstr(s));
  }
  for (const char* s : {"FAMILY TRAIL", "FINDINGS", "data update", "disbursement",
                        "family status then", "signer", "signature 1", "Rp 1,850,000", "NOTES",
                        "paid receipts", "the family said", "not re-verified"}) {
    EXPECT_THAT(en, HasSubstr(s));
    EXPECT_THAT(id, Not(HasSubstr(s)));
  }
  EXPECT_THAT(en + id, Not(HasSubstr(" ms)")));  // a time without its milliseconds
  // Only the pseudonym, and an identifier only when revealed.
  EXPECT_THAT(id, HasSubstr(PseudonymHex(Kpm("T1"))));
  EXPECT_THAT(id, Not(HasSubstr("id_kpm")));
  const std::string revealed = "T1";
  EXPECT_THAT(TrailText(t, Lang::kId, &revealed), HasSubstr("id_kpm: T1"));
  EXPECT_THAT(TrailJson(t, &revealed), HasSubstr("\"id_kpm\": \"T1\""));
  // A node never sends one.
  EXPECT_THAT(ParseTrailJson(TrailJson(t, &revealed)), StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(TrailTest, ARecordOfAStatementWithoutAuthorityCountsForNothingInTheTrail) {
  Family("S1");
  SmuggleApproval({"S1"}, {&approver_a_});  // one approver of the two the policy needs
  Deliver();
  // Its rows count for nothing (DOMAIN.md): the audit reports the statement,
  // and the family's trail shows no approval.
  Trail t = Build("S1");
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_EQ(t.records[0].kind, TrailKind::kUpdate);
  EXPECT_TRUE(t.findings.empty());
  EXPECT_EQ(Run().summary[static_cast<size_t>(FindingType::kUnauthorizedStatement)], 1u);
}

TEST_F(TrailTest, ARecordAStatementMayNotCarryIsReportedInTheTrailOfItsFamily) {
  Family("T1");
  Approve({{"T1", kEntitled}});
  // A receipt statement appended past PkhNode's judging, as a hostile bank
  // could: it lists kabupaten 7306, and carries a second receipt for 7401.
  StatementHeader h = bank_.pkh->NewHeader(kTypeReceipt);
  h.regions = {kKabRegion};
  std::vector<Bytes> leaves;
  for (const char* region : {kKabRegion, "7401"}) {
    auto leaf =
        EncodePkhRecord(Receipt{fmt::format("TX-{}", region), Kpm("T1"), region, kStage, 1'850'000,
                                ReceiptStatus::kPaid, "2026-03-09", Channel::kKks});
    ASSERT_TRUE(IsOk(leaf));
    leaves.push_back(*leaf);
  }
  PreparedStatement p = PrepareStatement(h, leaves);
  SignStatement(p.statement, payer_);
  ASSERT_TRUE(IsOk(AppendStatement(bank_.pkh->writer(), p)));
  Deliver();
  // The receipt for 7306 is in the family's trail, and so is the finding
  // about the statement that carries it.
  Trail t = Build("T1");
  ASSERT_EQ(t.records.size(), 3u) << TrailText(t, Lang::kEn);
  EXPECT_EQ(t.records[2].kind, TrailKind::kReceipt);
  std::vector<std::string> types;
  for (const Finding& f : t.findings) types.emplace_back(FindingTypeName(f.type));
  EXPECT_THAT(types, Contains("UNAUTHORIZED_STATEMENT")) << TrailText(t, Lang::kEn);
}

TEST_F(TrailTest, AStageNeverOpenedIsRefusedAndAnUnknownFamilyHasAnEmptyTrail) {
  World();
  TrailOptions o;
  o.kpm = Kpm("T1");
  o.as_of = kAsOf;
  o.stage = "2027-T4";
  EXPECT_THAT(BuildTrail(*Auditor().folder, o), StatusIs(StatusCode::kFailedPrecondition));
  o.stage = "not-a-stage";
  EXPECT_THAT(BuildTrail(*Auditor().folder, o), StatusIs(StatusCode::kInvalidArgument));
  Trail none = Build("NOBODY");
  EXPECT_TRUE(none.records.empty());
  EXPECT_TRUE(none.findings.empty());
  EXPECT_THAT(TrailText(none, Lang::kEn), HasSubstr("No record about this family"));
  EXPECT_THAT(ParsePseudonymHex("ABCDEF", "--pseudonym"), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace jejak::audit_test
