// The rules of what a node's own log may append (ledger/admission.h): each
// append path goes through PkhNode::Append or PkhNode::Commit, so these tests
// replay, backdate and borrow through them as the submit API would.
#include <gtest/gtest.h>

#include "ledger/log/statement_log.h"
#include "ledger/pkh/admission.h"
#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/statement_rules.h"
#include "tests/ledger/pkh/pkh_fixture.h"

namespace jejak::testing {
namespace {

// A statement of a log as a client holding only its tiles would send it
// again: the statement leaf, its record leaves and their decoded records.
struct Copied {
  PreparedStatement prepared{StatementHeader{}, {}};
  std::vector<PkhRecord> records;
};

Copied CopyStatement(PkhTestNode& node, uint64_t index) {
  LogReader reader(node.store(), node.folder->own_log());
  auto leaf = reader.Leaf(index);
  EXPECT_TRUE(leaf.ok());
  auto st = DecodeStatementEntry(*leaf);
  EXPECT_TRUE(st.ok());
  std::vector<Bytes> leaves;
  Copied out;
  for (uint64_t i = 0; i < st->header.record_count; ++i) {
    auto r = reader.Leaf(index + 1 + i);
    EXPECT_TRUE(r.ok());
    auto rec = DecodePkhRecord(*r);
    EXPECT_TRUE(rec.ok() && rec->has_value());
    out.records.push_back(**rec);
    leaves.push_back(*r);
  }
  out.prepared = PrepareStatement(st->header, std::move(leaves));
  out.prepared.statement = *st;
  return out;
}

// The same records in a new statement, signed again by `key` (a new
// timestamp: not the same statement).
Copied Resigned(const Copied& c, const SigningKey& key, int64_t later_ms = 1) {
  Copied out = c;
  out.prepared.statement.signatures.clear();
  out.prepared.statement.header.timestamp_ms += later_ms;
  SignStatement(out.prepared.statement, key);
  return out;
}

class AdmissionTest : public PkhFixture {
 protected:
  // Imports two paid receipts into the bank's log; returns the statement's index.
  uint64_t ImportTwoReceipts() {
    auto r = ImportReceipts(*bank_.pkh,
                            WriteFile("r.csv", ReceiptsCsv({ReceiptRow("BRI-1", "KPM-A"),
                                                            ReceiptRow("BRI-2", "KPM-B")})),
                            payer_, program_key_);
    EXPECT_TRUE(IsOk(r));
    return r.ok() && r->statement ? r->statement->index : 0;
  }

  // A berita acara of KPM-A and KPM-B drafted on kab_ and signed by both approvers.
  BeritaAcara SignedBa(std::string_view number = "400/1/2026") {
    auto d = DraftBeritaAcara(
        *kab_.pkh,
        CsvSource::Received("id_kpm,lembaga_bayar,amount\nKPM-A,BRI,1850000\nKPM-B,BRI,750000\n",
                            "ba.csv"),
        kStage, "2026-02-20", number, program_key_);
    EXPECT_TRUE(IsOk(d));
    BeritaAcara ba = d.ok() ? d->ba : BeritaAcara{};
    EXPECT_TRUE(IsOk(SignBeritaAcara(ba, approver_a_, "approver-a")));
    EXPECT_TRUE(IsOk(SignBeritaAcara(ba, approver_b_, "approver-b")));
    return ba;
  }

  // Brings kab_ and bank_ the governance log as it stands.
  void Redeliver() {
    ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
    ASSERT_TRUE(IsOk(DeliverGovernance(bank_)));
  }
};

// --- Replay ------------------------------------------------------------------

TEST_F(AdmissionTest, AReceiptStatementSentAgainIsRefusedAndNothingIsAppended) {
  const uint64_t at = ImportTwoReceipts();
  const auto before = bank_.OwnLogState();
  Copied copy = CopyStatement(bank_, at);
  auto again = bank_.pkh->Append(copy.prepared, copy.records);
  EXPECT_TRUE(HasStatus(again, StatusCode::kAlreadyExists,
                        fmt::format("this statement is already in the log (the statement at leaf "
                                    "{}): a signed statement is appended once",
                                    at)));
  EXPECT_EQ(bank_.OwnLogState(), before);
}

TEST_F(AdmissionTest, TheSameReceiptsSignedAgainAreRefusedByTheirTxnRef) {
  const uint64_t at = ImportTwoReceipts();
  const auto before = bank_.OwnLogState();
  Copied copy = Resigned(CopyStatement(bank_, at), payer_);
  EXPECT_TRUE(
      HasStatus(bank_.pkh->Append(copy.prepared, copy.records), StatusCode::kAlreadyExists,
                fmt::format("record 1: the log already holds this txn_ref (leaf {})", at + 1)));
  EXPECT_EQ(bank_.OwnLogState(), before);
}

TEST_F(AdmissionTest, AStatementThatRepeatsAKeyIsRefused) {
  const uint64_t at = ImportTwoReceipts();
  Copied copy = CopyStatement(bank_, at);
  std::get<Receipt>(copy.records[1]).txn_ref = "BRI-9";
  std::get<Receipt>(copy.records[0]).txn_ref = "BRI-9";
  std::vector<Bytes> leaves;
  for (const auto& r : copy.records) leaves.push_back(*EncodePkhRecord(r));
  PreparedStatement p = PrepareStatement(copy.prepared.statement.header, std::move(leaves));
  SignStatement(p.statement, payer_);
  EXPECT_TRUE(HasStatus(bank_.pkh->Append(p, copy.records), StatusCode::kInvalidArgument,
                        "record 2 repeats the txn_ref of record 1"));
}

TEST_F(AdmissionTest, ABeritaAcaraSubmittedAgainIsRefusedAtEveryPath) {
  auto appended = SubmitBeritaAcara(*kab_.pkh, SignedBa());
  ASSERT_TRUE(IsOk(appended));
  const auto before = kab_.OwnLogState();
  Copied copy = CopyStatement(kab_, appended->index);
  EXPECT_TRUE(HasStatus(kab_.pkh->Append(copy.prepared, copy.records), StatusCode::kAlreadyExists,
                        "this statement is already in the log"));
  // Signed again as a new berita acara with the same families: one approval
  // per family, stage and kabupaten.
  Copied again = copy;
  again.prepared.statement.signatures.clear();
  again.prepared.statement.header.document_number = "400/2/2026";
  SignStatement(again.prepared.statement, approver_a_);
  SignStatement(again.prepared.statement, approver_b_);
  EXPECT_TRUE(HasStatus(kab_.pkh->Append(again.prepared, again.records), StatusCode::kAlreadyExists,
                        "record 1: the log already holds this approval of this KPM for the stage"));
  EXPECT_EQ(kab_.OwnLogState(), before);
}

TEST_F(AdmissionTest, AGenericStatementIsAlsoAppendedOnce) {
  PreparedStatement p =
      PrepareStatement(kab_.pkh->NewHeader("generic.note"), {*EncodeTextRecordEntry("a note")});
  SignStatement(p.statement, operator_);
  ASSERT_TRUE(IsOk(kab_.pkh->Append(p, {})));
  EXPECT_TRUE(HasStatus(kab_.pkh->Append(p, {}), StatusCode::kAlreadyExists,
                        "this statement is already in the log"));
}

TEST_F(AdmissionTest, AnOldGovernanceGrantReplayedAfterItsRevocationIsRefused) {
  const KeyGrant grant{stranger_.public_key(), "x/operator", Role::kOperator, {kKabRegion}, ""};
  auto granted = Gov(kTypeGovGrant, {grant});
  ASSERT_TRUE(IsOk(granted));
  ASSERT_TRUE(IsOk(Gov(kTypeGovRevoke, {KeyRevocation{stranger_.public_key()}})));
  const auto before = kemensos_.OwnLogState();
  Copied copy = CopyStatement(kemensos_, granted->index);
  EXPECT_TRUE(HasStatus(kemensos_.pkh->Append(copy.prepared, copy.records),
                        StatusCode::kAlreadyExists,
                        fmt::format("this statement is already in the log (the statement at leaf "
                                    "{})",
                                    granted->index)));
  // Signed again by the root with its old governance size: still refused.
  Copied resigned = Resigned(copy, *kemensos_.key);
  EXPECT_TRUE(HasStatus(
      kemensos_.pkh->Append(resigned.prepared, resigned.records), StatusCode::kFailedPrecondition,
      fmt::format("the statement records governance size {}, but would stand at position {} of "
                  "the governance log",
                  granted->index, before.first)));
  EXPECT_EQ(kemensos_.OwnLogState(), before);
  EXPECT_FALSE(kemensos_.pkh->gov().Holds(stranger_.public_key(), Role::kOperator, kKabRegion,
                                          kemensos_.pkh->gov().size()));
}

// --- Governance sizes ----------------------------------------------------------

TEST_F(AdmissionTest, AReceiptStatementRecordingAnOlderGovernanceSizeIsRefused) {
  const uint64_t old_g = bank_.pkh->gov().size();
  ASSERT_TRUE(IsOk(Gov(kTypeGovStage, {StageWindow{kStage, kStageFrom, "2026-03-05"}})));
  ASSERT_NO_FATAL_FAILURE(Redeliver());
  PreparedStatement p = PrepareStatement(bank_.pkh->NewHeader(kTypeReceipt), {});
  Receipt r{"BRI-7",   Kpm("KPM-A"),         kKabRegion,   kStage,
            1'850'000, ReceiptStatus::kPaid, "2026-03-10", Channel::kKks};
  StatementHeader h = bank_.pkh->NewHeader(kTypeReceipt);
  h.governance_size = old_g;  // before the window was narrowed
  h.regions = {kKabRegion};
  h.stage = kStage;
  p = PrepareStatement(h, {*EncodePkhRecord(r)});
  SignStatement(p.statement, payer_);
  EXPECT_TRUE(HasStatus(bank_.pkh->Append(p, {r}), StatusCode::kFailedPrecondition,
                        fmt::format("the statement was prepared at governance size {}; this node "
                                    "judges at {} now: prepare and sign it again",
                                    old_g, bank_.pkh->gov().size())));
  // A size the node does not hold yet: 409 too (it must pull first).
  h.governance_size = bank_.pkh->gov().size() + 5;
  p = PrepareStatement(h, {*EncodePkhRecord(r)});
  SignStatement(p.statement, payer_);
  EXPECT_TRUE(HasStatus(bank_.pkh->Append(p, {r}), StatusCode::kFailedPrecondition,
                        "but this node holds the governance log only to size"));
}

TEST_F(AdmissionTest, ABeritaAcaraSignedEarlierMustBeAuthorizedThenAndNow) {
  BeritaAcara ba = SignedBa();
  ASSERT_TRUE(IsOk(Gov(kTypeGovPolicy, {ApprovalPolicy{3, kKabRegion}})));
  ASSERT_NO_FATAL_FAILURE(Redeliver());
  EXPECT_TRUE(HasStatus(SubmitBeritaAcara(*kab_.pkh, ba), StatusCode::kPermissionDenied,
                        "no longer authorized at governance size"));
  // Authorized when signed and still now: appended at the size it records.
  ASSERT_TRUE(IsOk(Gov(kTypeGovPolicy, {ApprovalPolicy{2, kKabRegion}})));
  ASSERT_NO_FATAL_FAILURE(Redeliver());
  BeritaAcara other = SignedBa("400/3/2026");
  ASSERT_TRUE(IsOk(Gov(kTypeGovStage, {StageWindow{"2026-T2", "2026-06-01", "2026-06-14"}})));
  ASSERT_NO_FATAL_FAILURE(Redeliver());
  ASSERT_LT(other.governance_size, kab_.pkh->gov().size());
  EXPECT_TRUE(IsOk(SubmitBeritaAcara(*kab_.pkh, other)));
}

TEST_F(AdmissionTest, NoStatementRecordsASmallerGovernanceSizeThanOneBeforeIt) {
  BeritaAcara ba = SignedBa();  // drafted at the size held now
  ASSERT_TRUE(IsOk(Gov(kTypeGovStage, {StageWindow{"2026-T2", "2026-06-01", "2026-06-14"}})));
  ASSERT_NO_FATAL_FAILURE(Redeliver());
  ASSERT_TRUE(IsOk(ImportUpdates(*kab_.pkh, WriteFile("u.csv", UpdatesCsv({UpdateRow("u1", "K1")})),
                                 operator_, program_key_)));
  EXPECT_TRUE(HasStatus(SubmitBeritaAcara(*kab_.pkh, ba), StatusCode::kFailedPrecondition,
                        fmt::format("the statement records governance size {}, smaller than the "
                                    "{} an earlier statement of this log records",
                                    ba.governance_size, kab_.pkh->gov().size())));
}

// --- Borrowed authority --------------------------------------------------------

TEST_F(AdmissionTest, APayerOfOneBankCannotWriteAnotherBanksLog) {
  auto other = AddNode("bank-b", Init(NodeKind::kLembagaBayar, "Bank B", "00"));
  ASSERT_TRUE(IsOk(other));
  ASSERT_TRUE(IsOk(Gov(kTypeGovNode, {Registration(**other, "lembaga-bayar", "00")})));
  ASSERT_TRUE(IsOk(DeliverGovernance(**other)));
  ASSERT_TRUE(IsOk((*other)->pkh->ReloadGovernance()));
  const auto before = (*other)->OwnLogState();
  auto r =
      ImportReceipts(*(*other)->pkh, WriteFile("r.csv", ReceiptsCsv({ReceiptRow("B-1", "KPM-A")})),
                     payer_, program_key_);
  EXPECT_TRUE(
      HasStatus(r, StatusCode::kPermissionDenied,
                fmt::format("no grant of it names this lembaga bayar ({})", (*other)->origin())));
  // The statement made on the payer's own bank, sent to the other bank's node.
  const uint64_t at = ImportTwoReceipts();
  Copied copy = CopyStatement(bank_, at);
  copy.prepared.statement.header.origin = (*other)->origin();
  copy.prepared.statement.header.governance_size = (*other)->pkh->gov().size();
  copy = Resigned(copy, payer_, 0);
  EXPECT_TRUE(HasStatus(
      (*other)->pkh->Append(copy.prepared, copy.records), StatusCode::kPermissionDenied,
      fmt::format("holds the payer role for region {} at governance size {}, "
                  "but not for this lembaga bayar ({})",
                  kKabRegion, copy.prepared.statement.header.governance_size, (*other)->origin())));
  EXPECT_EQ((*other)->OwnLogState(), before);
}

// A payer grant recorded before grants named their institution keeps its
// recorded meaning (any lembaga bayar) for statements already in logs, but no
// node appends a new statement under it.
TEST_F(AdmissionTest, AGrantThatNamesNoInstitutionIsReadAsRecordedButAppendsNothing) {
  const SigningKey legacy = KeyFromByte(0x51);
  ASSERT_TRUE(
      IsOk(Gov(kTypeGovGrant,
               {KeyGrant{legacy.public_key(), "old/payer", Role::kPayer, {kKabRegion}, ""}})));
  ASSERT_NO_FATAL_FAILURE(Redeliver());
  const Governance& gov = bank_.pkh->gov();
  StatementHeader h = bank_.pkh->NewHeader(kTypeReceipt);
  h.regions = {kKabRegion};
  Statement st{h, {}};
  SignStatement(st, legacy);
  EXPECT_TRUE(IsOk(CheckLogStatement(gov, LogRole{bank_.origin()}, st, Judging::kRecorded)));
  EXPECT_TRUE(HasStatus(CheckLogStatement(gov, LogRole{bank_.origin()}, st, Judging::kAppending),
                        StatusCode::kPermissionDenied,
                        "a payer grant must name the institution it acts for"));
  EXPECT_TRUE(HasStatus(
      ImportReceipts(*bank_.pkh, WriteFile("r.csv", ReceiptsCsv({ReceiptRow("BRI-5", "KPM-A")})),
                     legacy, program_key_),
      StatusCode::kPermissionDenied, "no grant of it names this lembaga bayar"));
}

// --- The rule on its own ---------------------------------------------------------

TEST_F(AdmissionTest, KeysCheckedAtAnotherLogSizeAreRefused) {
  auto keys = kab_.pkh->NewRecordKeys();
  ASSERT_TRUE(IsOk(keys));
  ASSERT_TRUE(IsOk(ImportUpdates(*kab_.pkh, WriteFile("u.csv", UpdatesCsv({UpdateRow("u1", "K1")})),
                                 operator_, program_key_)));
  StatementHeader h = kab_.pkh->NewHeader("generic.note");
  Statement st{h, {}};
  SignStatement(st, operator_);
  EXPECT_TRUE(HasStatus(kab_.pkh->Admit(st, nullptr, *keys), StatusCode::kFailedPrecondition,
                        "were checked at log size"));
}

TEST_F(AdmissionTest, APkhStatementMustCarryOnlyItsOwnRecords) {
  // A pkh.receipt statement whose records are text lines.
  StatementHeader h = bank_.pkh->NewHeader(kTypeReceipt);
  h.regions = {kKabRegion};
  PreparedStatement p = PrepareStatement(h, {*EncodeTextRecordEntry("not a receipt")});
  SignStatement(p.statement, payer_);
  EXPECT_TRUE(
      HasStatus(bank_.pkh->Append(p, {}), StatusCode::kInvalidArgument,
                "a pkh.receipt statement of 1 records, of which 0 are pkh.receipt records"));
}

TEST_F(AdmissionTest, TheIndexIsCaughtUpBeforeKeysAreChecked) {
  ImportTwoReceipts();
  // An index that lost its last catch-up (as after a full disk): the keys of
  // the statement must still be found.
  WriteBatch lost;
  lost.Put(Column::kMeta, fmt::format("log/{:010d}/indexed", bank_.folder->own_log().id),
           KeyU64(0) + KeyU64(UINT64_MAX) + KeyU64(0));
  lost.DeleteRange(Column::kIndex, "D", "E");
  ASSERT_TRUE(IsOk(bank_.store().Write(lost, true)));
  auto keys = bank_.pkh->NewRecordKeys();
  ASSERT_TRUE(IsOk(keys));
  auto held = keys->Held('r', "BRI-1");
  ASSERT_TRUE(IsOk(held));
  EXPECT_TRUE(held->has_value());
}

}  // namespace
}  // namespace jejak::testing
