// Imports of updates and receipts (ledger/pkh/import.h): one statement of
// pseudonymous records per file, idempotent, deduplicated, authorized, and
// holding no identifier.
#include "tests/ledger/pkh/import_fixture.h"

namespace jejak::import_test {
namespace {

TEST_F(PkhImport, UpdatesRoundTripAsOneStatementOfPseudonymousRecords) {
  const std::string evidence(64, 'a');
  const std::string file = WriteFile(
      "updates.csv",
      UpdatesCsv(
          {UpdateRow("U-2026-0001", "KPM-A", "2026-01-10", "active", "1,0,2,1,1,0,0"),
           UpdateRow("U-2026-0002", "KPM-B", "2026-01-12", "deceased", "0,0,0,0,0,0,0", evidence),
           UpdateRow("U-2026-0003", "KPM-C", "2024-02-29", "moved", "0,2,0,0,0,1,3")}));
  auto r = Updates(file);
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->rows, 3u);
  EXPECT_EQ(r->appended, 3u);
  EXPECT_EQ(r->already_present, 0u);
  ASSERT_TRUE(r->statement.has_value());
  EXPECT_EQ(r->statement->index, 0u);
  EXPECT_EQ(r->statement->size, 4u);
  EXPECT_EQ(kab_.OwnLogState().first, 4u);

  const Statement st = StatementAt(kab_, 0);
  EXPECT_EQ(st.header.type, kTypeUpdate);
  EXPECT_EQ(st.header.origin, "jejak.pkh/kab/7306");
  EXPECT_EQ(st.header.region, "7306");
  EXPECT_THAT(st.header.regions, ElementsAre("7306"));
  EXPECT_EQ(st.header.stage, "");
  EXPECT_EQ(st.header.governance_size, kab_.pkh->gov().size());
  ExpectSignedOnceOverItsRecords(kab_, 0, 3, operator_);

  const auto records = RecordsAt<KpmUpdate>(kab_, 1, 4);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].update_id, "U-2026-0001");
  EXPECT_EQ(records[0].kpm, Kpm("KPM-A"));
  EXPECT_EQ(records[0].effective_date, "2026-01-10");
  EXPECT_EQ(records[0].status, KpmStatus::kActive);
  EXPECT_EQ(records[0].members, (Members{1, 0, 2, 1, 1, 0, 0}));
  EXPECT_FALSE(records[0].evidence_sha256.has_value());
  EXPECT_EQ(records[1].kpm, Kpm("KPM-B"));
  EXPECT_EQ(records[1].status, KpmStatus::kDeceased);
  ASSERT_TRUE(records[1].evidence_sha256.has_value());
  EXPECT_EQ(HexEncode(*records[1].evidence_sha256), evidence);
  EXPECT_EQ(records[2].kpm, Kpm("KPM-C"));
  EXPECT_EQ(records[2].effective_date, "2024-02-29");  // a leap day
  EXPECT_EQ(records[2].status, KpmStatus::kMoved);
  EXPECT_EQ(records[2].members, (Members{0, 2, 0, 0, 0, 1, 3}));

  // Indexed for dedup and for the audit.
  auto leaf = FindUpdateId(kab_.store(), kab_.folder->own_log().id, "U-2026-0003");
  ASSERT_TRUE(IsOk(leaf));
  EXPECT_EQ(*leaf, std::optional<uint64_t>(3));
}

TEST_F(PkhImport, ReceiptsRoundTripAsOneStatementOfPseudonymousRecords) {
  const std::string file =
      WriteFile("receipts.csv",
                ReceiptsCsv({ReceiptRow("BRI-2026T1-000001", "KPM-A", "1850000", "7306", "2026-T1",
                                        "paid", "2026-03-05T10:15:00+07:00", "kks"),
                             ReceiptRow("BRI-2026T1-000002", "KPM-B", "975000", "7306", "2026-T1",
                                        "returned", "2026-03-09", "rekening"),
                             ReceiptRow("BRI-2026T1-000003", "KPM-C", "0", "7306", "2026-T1",
                                        "failed", "2026-03-14 23:59", "pos")}));
  auto r = Receipts(file);
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->rows, 3u);
  EXPECT_EQ(r->appended, 3u);
  EXPECT_EQ(r->already_present, 0u);
  ASSERT_TRUE(r->statement.has_value());
  EXPECT_EQ(r->statement->index, 0u);
  EXPECT_EQ(r->statement->size, 4u);

  const Statement st = StatementAt(bank_, 0);
  EXPECT_EQ(st.header.type, kTypeReceipt);
  EXPECT_EQ(st.header.origin, "jejak.pkh/bank/bri");
  EXPECT_EQ(st.header.stage, "2026-T1");
  EXPECT_THAT(st.header.regions, ElementsAre("7306"));
  ExpectSignedOnceOverItsRecords(bank_, 0, 3, payer_);

  const auto records = RecordsAt<Receipt>(bank_, 1, 4);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].txn_ref, "BRI-2026T1-000001");
  EXPECT_EQ(records[0].kpm, Kpm("KPM-A"));
  EXPECT_EQ(records[0].kabupaten, "7306");
  EXPECT_EQ(records[0].stage, "2026-T1");
  EXPECT_EQ(records[0].amount, 1'850'000u);
  EXPECT_EQ(records[0].status, ReceiptStatus::kPaid);
  EXPECT_EQ(records[0].paid_at, "2026-03-05T10:15:00+07:00");
  EXPECT_EQ(records[0].channel, Channel::kKks);
  EXPECT_EQ(records[1].kpm, Kpm("KPM-B"));
  EXPECT_EQ(records[1].amount, 975'000u);
  EXPECT_EQ(records[1].status, ReceiptStatus::kReturned);
  EXPECT_EQ(records[1].channel, Channel::kRekening);
  EXPECT_EQ(records[2].amount, 0u);
  EXPECT_EQ(records[2].status, ReceiptStatus::kFailed);
  EXPECT_EQ(records[2].paid_at, "2026-03-14 23:59");
  EXPECT_EQ(records[2].channel, Channel::kPos);

  auto leaf = FindTxnRef(bank_.store(), bank_.folder->own_log().id, "BRI-2026T1-000002");
  ASSERT_TRUE(IsOk(leaf));
  EXPECT_EQ(*leaf, std::optional<uint64_t>(2));
}

TEST_F(PkhImport, ColumnsMayComeInAnyOrder) {
  const std::string file =
      WriteFile("shuffled.csv",
                "channel,paid_at,status,amount,stage,kabupaten,id_kpm,txn_ref\n"
                "kks,2026-03-05,paid,1850000,2026-T1,7306,KPM-A,BRI-1\n");
  auto r = Receipts(file);
  ASSERT_TRUE(IsOk(r));
  const auto records = RecordsAt<Receipt>(bank_, 1, 2);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].txn_ref, "BRI-1");
  EXPECT_EQ(records[0].kpm, Kpm("KPM-A"));
  EXPECT_EQ(records[0].amount, 1'850'000u);
}

TEST_F(PkhImport, TheSameFileAgainAppendsNothingAndCountsTheRowsPresent) {
  const std::string file =
      WriteFile("r.csv", ReceiptsCsv({ReceiptRow("BRI-1", "KPM-A"), ReceiptRow("BRI-2", "KPM-B"),
                                      ReceiptRow("BRI-3", "KPM-C")}));
  ASSERT_TRUE(IsOk(Receipts(file)));
  const StoreState before = StateOf(bank_);
  auto again = Receipts(file);
  ASSERT_TRUE(IsOk(again));
  EXPECT_EQ(again->rows, 3u);
  EXPECT_EQ(again->appended, 0u);
  EXPECT_EQ(again->already_present, 3u);
  EXPECT_FALSE(again->statement.has_value());
  EXPECT_EQ(StateOf(bank_), before);

  // The same for updates.
  const std::string u = WriteFile("u.csv", UpdatesCsv({UpdateRow("U-1", "KPM-A")}));
  ASSERT_TRUE(IsOk(Updates(u)));
  const StoreState kab_before = StateOf(kab_);
  auto u_again = Updates(u);
  ASSERT_TRUE(IsOk(u_again));
  EXPECT_EQ(u_again->appended, 0u);
  EXPECT_EQ(u_again->already_present, 1u);
  EXPECT_EQ(StateOf(kab_), kab_before);
}

TEST_F(PkhImport, AnOverlappingFileAppendsOnlyTheNewRows) {
  ASSERT_TRUE(IsOk(Receipts(WriteFile(
      "first.csv", ReceiptsCsv({ReceiptRow("BRI-1", "KPM-A"), ReceiptRow("BRI-2", "KPM-B"),
                                ReceiptRow("BRI-3", "KPM-C")})))));
  auto r = Receipts(WriteFile(
      "second.csv", ReceiptsCsv({ReceiptRow("BRI-4", "KPM-D"), ReceiptRow("BRI-2", "KPM-B"),
                                 ReceiptRow("BRI-3", "KPM-C"), ReceiptRow("BRI-5", "KPM-E")})));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->rows, 4u);
  EXPECT_EQ(r->appended, 2u);
  EXPECT_EQ(r->already_present, 2u);
  ASSERT_TRUE(r->statement.has_value());
  EXPECT_EQ(r->statement->index, 4u);
  EXPECT_EQ(r->statement->size, 7u);
  ExpectSignedOnceOverItsRecords(bank_, 4, 2, payer_);
  const auto records = RecordsAt<Receipt>(bank_, 5, 7);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].txn_ref, "BRI-4");
  EXPECT_EQ(records[1].txn_ref, "BRI-5");
}

TEST_F(PkhImport, DedupSpansEveryEarlierStatementOfTheLog) {
  ASSERT_TRUE(IsOk(Updates(WriteFile("a.csv", UpdatesCsv({UpdateRow("U-1", "KPM-A")})))));
  ASSERT_TRUE(IsOk(Updates(WriteFile("b.csv", UpdatesCsv({UpdateRow("U-2", "KPM-B")})))));
  auto r =
      Updates(WriteFile("c.csv", UpdatesCsv({UpdateRow("U-2", "KPM-B"), UpdateRow("U-3", "KPM-C"),
                                             UpdateRow("U-1", "KPM-A")})));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->appended, 1u);
  EXPECT_EQ(r->already_present, 2u);
  ASSERT_TRUE(r->statement.has_value());
  EXPECT_EQ(r->statement->index, 4u);
  const auto records = RecordsAt<KpmUpdate>(kab_, 5, 6);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].update_id, "U-3");
}

TEST_F(PkhImport, TheSameKeyWithDifferentContentIsRefusedNamingTheLine) {
  ASSERT_TRUE(IsOk(Receipts(WriteFile(
      "first.csv", ReceiptsCsv({ReceiptRow("BRI-1", "KPM-A"), ReceiptRow("BRI-2", "KPM-B")})))));
  const StoreState before = StateOf(bank_);
  const std::string file = WriteFile(
      "second.csv",
      ReceiptsCsv({ReceiptRow("BRI-3", "KPM-C"), ReceiptRow("BRI-2", "KPM-B", "1800000")}));
  EXPECT_TRUE(HasStatus(
      Receipts(file), StatusCode::kInvalidArgument,
      file + " line 3 column 1 (txn_ref): this txn_ref is already recorded (leaf 2) with different "
             "content; a correction needs a new txn_ref"));
  EXPECT_EQ(StateOf(bank_), before);

  ASSERT_TRUE(IsOk(Updates(WriteFile("u1.csv", UpdatesCsv({UpdateRow("U-1", "KPM-A")})))));
  const StoreState kab_before = StateOf(kab_);
  const std::string u2 =
      WriteFile("u2.csv", UpdatesCsv({UpdateRow("U-1", "KPM-A", "2026-01-10", "graduated")}));
  EXPECT_TRUE(HasStatus(Updates(u2), StatusCode::kInvalidArgument,
                        u2 + " line 2 column 1 (update_id): this update_id is already recorded "
                             "(leaf 1) with different "
                             "content; a correction needs a new update_id"));
  EXPECT_EQ(StateOf(kab_), kab_before);
}

// One bad input: the file's content, and the code and message part expected.

TEST_F(PkhImport, AByteOrderMarkAndCrlfLineEndsAreAccepted) {
  const std::string rows_crlf = ReceiptRow("BRI-1", "KPM-A") + "\r\n" + "\r\n" +
                                "BRI-2,\"KPM-B\",7306,2026-T1,975000,returned,2026-03-09,rekening" +
                                "\r\n";
  std::string header = ReceiptsHeader();
  header.insert(header.size() - 1, "\r");
  const std::string file = WriteFile("bom-crlf.csv", "\xEF\xBB\xBF" + header + rows_crlf);
  auto r = Receipts(file);
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->rows, 2u);
  EXPECT_EQ(r->appended, 2u);
  const auto records = RecordsAt<Receipt>(bank_, 1, 3);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].txn_ref, "BRI-1");
  EXPECT_EQ(records[0].channel, Channel::kKks);  // not "kks\r"
  EXPECT_EQ(records[1].kpm, Kpm("KPM-B"));       // the quotes are not part of the value

  // The same rows without BOM, CR or quotes are the same records.
  auto plain = Receipts(
      WriteFile("plain.csv", ReceiptsCsv({ReceiptRow("BRI-1", "KPM-A"),
                                          ReceiptRow("BRI-2", "KPM-B", "975000", "7306", "2026-T1",
                                                     "returned", "2026-03-09", "rekening")})));
  ASSERT_TRUE(IsOk(plain));
  EXPECT_EQ(plain->appended, 0u);
  EXPECT_EQ(plain->already_present, 2u);

  // And for updates; a blank line still counts in the line numbers.
  const std::string u =
      WriteFile("u.csv", "\xEF\xBB\xBF" + UpdatesHeader() + "\r\n" + UpdateRow("U-1", "KPM-A") +
                             "\r\n" + UpdateRow("U-2", "KPM-B", "2026-02-30") + "\r\n");
  EXPECT_TRUE(HasStatus(Updates(u), StatusCode::kInvalidArgument,
                        u + " line 4 column 3 (effective_date): not a calendar date"));
}

TEST_F(PkhImport, APayerWhoseScopeMissesARowsKabupatenIsRefusedNamingTheLine) {
  const std::string file =
      WriteFile("r.csv", ReceiptsCsv({ReceiptRow("BRI-1", "KPM-A"), ReceiptRow("BRI-2", "KPM-B"),
                                      ReceiptRow("BRI-3", "KPM-C", "1850000", "7371")}));
  const StoreState before = StateOf(bank_);
  const uint64_t g = bank_.pkh->gov().size();
  EXPECT_TRUE(HasStatus(Receipts(file), StatusCode::kPermissionDenied,
                        fmt::format("{} line 4 column 3 (kabupaten): the payer key is not granted "
                                    "kabupaten 7371 at governance size {}",
                                    file, g)));
  EXPECT_EQ(StateOf(bank_), before);
}

TEST_F(PkhImport, AKeyWithoutTheRoleIsRefusedBeforeTheFileIsRead) {
  // An operator of another kabupaten.
  const SigningKey other = KeyFromByte(0x51);
  ASSERT_TRUE(
      IsOk(Gov(kTypeGovGrant,
               {KeyGrant{other.public_key(), "kab-7371/operator", Role::kOperator, {"7371"}}})));
  ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  ASSERT_TRUE(IsOk(DeliverGovernance(bank_)));
  const StoreState before = StateOf(kab_);
  const uint64_t g = kab_.pkh->gov().size();
  // The file does not exist: the key is judged before anything is read.
  const std::string missing = path("no-such-file.csv");
  EXPECT_TRUE(HasStatus(Updates(missing, &other), StatusCode::kPermissionDenied,
                        fmt::format("the key does not hold the operator role for region 7306 at "
                                    "governance size {} (pkh.update statements need it)",
                                    g)));
  EXPECT_TRUE(HasStatus(Updates(missing, &payer_), StatusCode::kPermissionDenied,
                        "the key does not hold the operator role for region 7306"));
  EXPECT_EQ(StateOf(kab_), before);

  const StoreState bank_before = StateOf(bank_);
  EXPECT_TRUE(
      HasStatus(Receipts(missing, &operator_), StatusCode::kPermissionDenied,
                fmt::format("the key does not hold the payer role at governance size {}", g)));
  EXPECT_EQ(StateOf(bank_), bank_before);

  // A key that holds the role reads the file, and finds it missing.
  EXPECT_TRUE(HasStatus(Updates(missing), StatusCode::kNotFound, "cannot open " + missing));
}

TEST_F(PkhImport, ARevokedOperatorIsRefused) {
  ASSERT_TRUE(IsOk(Gov(kTypeGovRevoke, {KeyRevocation{operator_.public_key()}})));
  ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  const StoreState before = StateOf(kab_);
  EXPECT_TRUE(HasStatus(Updates(WriteFile("u.csv", UpdatesCsv({UpdateRow("U-1", "KPM-A")}))),
                        StatusCode::kPermissionDenied,
                        "the key does not hold the operator role for region 7306"));
  EXPECT_EQ(StateOf(kab_), before);
}

TEST_F(PkhImport, ReceiptsOnANodeOfAnotherKindAreRefused) {
  // The kabupaten node is registered, and payer_ is a payer for 7306, but
  // receipts are written by lembaga bayar nodes.
  const StoreState before = StateOf(kab_);
  EXPECT_TRUE(HasStatus(
      ImportReceipts(*kab_.pkh, WriteFile("r.csv", ReceiptsCsv({ReceiptRow("BRI-1", "KPM-A")})),
                     payer_, program_key_),
      StatusCode::kPermissionDenied,
      "pkh.receipt statements are written by lembaga-bayar nodes, not kabupaten nodes"));
  EXPECT_EQ(StateOf(kab_), before);
}

TEST_F(PkhImport, ANodeTheGovernanceLogDoesNotRegisterIsRefused) {
  auto added = AddNode("kab-7371", Init(NodeKind::kKabupaten, "Dinsos Kota Makassar", "7371"));
  ASSERT_TRUE(IsOk(added));
  PkhTestNode& makassar = **added;
  const std::string file = WriteFile("u.csv", UpdatesCsv({UpdateRow("U-1", "KPM-A")}));

  // Before its first pull it holds no governance at all.
  StoreState before = StateOf(makassar);
  EXPECT_TRUE(HasStatus(ImportUpdates(*makassar.pkh, file, operator_, program_key_),
                        StatusCode::kFailedPrecondition,
                        "this node (jejak.pkh/kab/7371) is not registered in the governance log "
                        "it holds (size 0): register it on the kemensos node and pull the "
                        "governance log first"));
  EXPECT_EQ(StateOf(makassar), before);

  // With the governance log, which does not register it.
  ASSERT_TRUE(IsOk(DeliverGovernance(makassar)));
  before = StateOf(makassar);
  const uint64_t g = makassar.pkh->gov().size();
  EXPECT_TRUE(HasStatus(ImportUpdates(*makassar.pkh, file, operator_, program_key_),
                        StatusCode::kFailedPrecondition,
                        fmt::format("this node (jejak.pkh/kab/7371) is not registered in the "
                                    "governance log it holds (size {})",
                                    g)));
  EXPECT_EQ(StateOf(makassar), before);
}

TEST_F(PkhImport, AStandaloneNodeHasNoPkhContext) {
  NodeInitOptions o = Init(NodeKind::kKabupaten, "Standalone", "7371");
  o.governance.reset();
  auto added = AddNode("standalone", o);
  ASSERT_TRUE(IsOk(added));
  PkhTestNode& standalone = **added;
  EXPECT_EQ(standalone.pkh, nullptr);
  EXPECT_TRUE(HasStatus(PkhNode::Open(*standalone.folder, *standalone.key),
                        StatusCode::kFailedPrecondition, "--governance"));
}

TEST_F(PkhImport, TheLogAndItsIndexHoldNoIdentifier) {
  const std::vector<std::string> ids = {"3173NIKRAHASIA01", "3173NIKRAHASIA02", "3173NIKRAHASIA03"};
  ASSERT_TRUE(IsOk(Updates(
      WriteFile("u.csv", UpdatesCsv({UpdateRow("U-1", ids[0]), UpdateRow("U-2", ids[1]),
                                     UpdateRow("U-3", ids[2], "2026-01-10", "deceased")})))));
  ASSERT_TRUE(IsOk(Receipts(WriteFile(
      "r.csv", ReceiptsCsv({ReceiptRow("BRI-1", ids[0]), ReceiptRow("BRI-2", ids[1])})))));
  for (PkhTestNode* node : {&kab_, &bank_}) {
    // Every key and value of every column, as the store returns them
    // (decompressed): the leaves, the tiles, the checkpoints and the index.
    for (int c = 0; c < kColumnCount; ++c) {
      auto it = node->store().NewIterator(static_cast<Column>(c));
      size_t entries = 0;
      for (it->Seek(""); it->Valid(); it->Next(), ++entries) {
        for (const std::string& id : ids) {
          ASSERT_EQ(it->key().find(id), std::string_view::npos) << ColumnName(Column(c));
          ASSERT_EQ(it->value().find(id), std::string_view::npos) << ColumnName(Column(c));
        }
      }
    }
  }
  // The records do name the families, by pseudonym.
  const auto receipts = RecordsAt<Receipt>(bank_, 1, 3);
  ASSERT_EQ(receipts.size(), 2u);
  EXPECT_EQ(receipts[0].kpm, Kpm(ids[0]));
  EXPECT_EQ(receipts[1].kpm, Kpm(ids[1]));
}

}  // namespace
}  // namespace jejak::import_test
