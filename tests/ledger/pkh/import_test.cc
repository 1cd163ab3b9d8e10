// Imports of data updates and receipts from CSV (specs/csv-formats.md) on real
// nodes: one file is one statement signed once, rows become records that name
// a family only by its pseudonym, imports are idempotent, and any bad row
// refuses the whole file, names the file, line and column, and leaves the
// store exactly as it was.
#include "ledger/pkh/import.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/join_rows.h"
#include "tests/ledger/pkh/pkh_fixture.h"

extern char** environ;

namespace jejak {
namespace {

using ::jejak::testing::HasStatus;
using ::jejak::testing::IsOk;
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::PkhTestNode;
using ::jejak::testing::StoreDigest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// The whole state of a node's store, to show that a refused import changed
// nothing: the own log's size and root, and a digest of every key and value.
struct StoreState {
  uint64_t size = 0;
  Hash root{};
  Hash digest{};
  bool operator==(const StoreState&) const = default;
};

StoreState StateOf(PkhTestNode& node) {
  auto [size, root] = node.OwnLogState();
  return {size, root, StoreDigest(node.store())};
}

class PkhImport : public ::jejak::testing::PkhFixture {
 protected:
  Result<ImportReport> Updates(const std::string& file, const SigningKey* key = nullptr) {
    return ImportUpdates(*kab_.pkh, file, key != nullptr ? *key : operator_, program_key_);
  }
  Result<ImportReport> Receipts(const std::string& file, const SigningKey* key = nullptr) {
    return ImportReceipts(*bank_.pkh, file, key != nullptr ? *key : payer_, program_key_);
  }

  // Leaves [begin, end) of `node`'s own log.
  std::vector<Bytes> Leaves(PkhTestNode& node, uint64_t begin, uint64_t end) {
    LogReader reader(node.store(), node.folder->own_log());
    std::vector<Bytes> out;
    EXPECT_TRUE(IsOk(reader.ForEachLeaf(begin, end, [&](uint64_t, ByteSpan leaf) {
      out.emplace_back(leaf.begin(), leaf.end());
      return Status::Ok();
    })));
    return out;
  }

  Statement StatementAt(PkhTestNode& node, uint64_t index) {
    auto leaves = Leaves(node, index, index + 1);
    if (leaves.size() != 1) return {};
    auto st = DecodeStatementEntry(leaves[0]);
    EXPECT_TRUE(IsOk(st));
    return st.ok() ? *st : Statement{};
  }

  template <typename T>
  std::vector<T> RecordsAt(PkhTestNode& node, uint64_t begin, uint64_t end) {
    std::vector<T> out;
    for (const Bytes& leaf : Leaves(node, begin, end)) {
      auto rec = DecodePkhRecord(leaf);
      EXPECT_TRUE(IsOk(rec));
      if (!rec.ok() || !*rec || !std::holds_alternative<T>(**rec)) {
        ADD_FAILURE() << "leaf is not a record of the expected kind";
        continue;
      }
      out.push_back(std::get<T>(**rec));
    }
    return out;
  }

  // The statement at `index` is signed exactly once, by `signer`, over a
  // header whose records root is the root of the `count` records after it.
  void ExpectSignedOnceOverItsRecords(PkhTestNode& node, uint64_t index, uint64_t count,
                                      const SigningKey& signer) {
    const Statement st = StatementAt(node, index);
    ASSERT_EQ(st.signatures.size(), 1u);
    EXPECT_EQ(st.signatures[0].public_key, signer.public_key());
    EXPECT_TRUE(IsOk(VerifyStatementSignatures(st)));
    EXPECT_EQ(st.header.record_count, count);
    std::vector<Hash> hashes;
    for (const Bytes& leaf : Leaves(node, index + 1, index + 1 + count)) {
      hashes.push_back(LeafHash(leaf));
    }
    ASSERT_EQ(hashes.size(), count);
    EXPECT_EQ(st.header.records_root, RootOfLeafHashes(hashes));
  }
};

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
struct BadInput {
  const char* what;
  std::string content;
  StatusCode code;
  std::string message;  // after "FILE"
};

constexpr char kSecretId[] = "3173NIKRAHASIA01";  // must never be echoed

class PkhImportBadInput : public PkhImport {
 protected:
  // Imports each case into `node` and checks the error, and that the store
  // is unchanged and the identifier of the bad row is not echoed.
  void Check(PkhTestNode& node, const std::vector<BadInput>& cases, bool receipts) {
    for (const BadInput& c : cases) {
      SCOPED_TRACE(c.what);
      const std::string file = WriteFile("bad.csv", c.content);
      const StoreState before = StateOf(node);
      auto r = receipts ? Receipts(file) : Updates(file);
      EXPECT_TRUE(HasStatus(r, c.code, file + c.message));
      EXPECT_THAT(r.status().message(), Not(HasSubstr(kSecretId)));
      EXPECT_EQ(StateOf(node), before);
    }
  }
};

// A reference that looks like a NIK is imported (a bank's reference may be
// that long) with a warning naming the row: it is published as written.
// A large file refused at its last row: what its chunks staged in the store
// is removed and its space given back (it was left as table files until later
// appends overwrote them).
TEST_F(PkhImportBadInput, ARefusedLargeImportLeavesNoSpaceInUse) {
  auto bytes_of = [](const std::string& dir) {
    uint64_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (e.is_regular_file()) n += e.file_size();
    }
    return n;
  };
  std::string csv = UpdatesHeader();
  for (int i = 0; i < 400'000; ++i)
    csv += UpdateRow(fmt::format("U-{}", i), fmt::format("K-{}", i)) + "\n";
  csv += UpdateRow("U-bad", "K-bad", "2026-13-10") + "\n";
  const std::string file = WriteFile("big.csv", csv);
  const uint64_t before = bytes_of(kab_.dir + "/db");
  EXPECT_TRUE(HasStatus(ImportUpdates(*kab_.pkh, file, operator_, program_key_),
                        StatusCode::kInvalidArgument, "line 400002 column 3 (effective_date)"));
  const uint64_t after = bytes_of(kab_.dir + "/db");
  EXPECT_LT(after, before + (4 << 20)) << before << " bytes before, " << after << " after";
  EXPECT_EQ(kab_.OwnLogState().first, 0u);
}

TEST_F(PkhImportBadInput, AReferenceThatLooksLikeANikIsWarnedAbout) {
  auto r = ImportReceipts(
      *bank_.pkh,
      WriteFile("nik.csv", ReceiptsCsv({ReceiptRow("BRI-1", "KPM-A"),
                                        ReceiptRow("TRX3273010101010001", "KPM-B")})),
      payer_, program_key_);
  ASSERT_TRUE(IsOk(r));
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0], path("nik.csv") +
                                " line 3 column 1 (txn_ref): holds 16 digits in a "
                                "row, as a NIK does; the txn_ref is published in "
                                "the log as written");
}

TEST_F(PkhImportBadInput, ReceiptsAreRefusedNamingFileLineAndColumn) {
  const std::string ok = ReceiptRow("BRI-1", "KPM-A") + "\n";
  const std::string h = ReceiptsHeader();
  auto row = [&](std::string r) { return h + ok + r + "\n"; };
  const std::string id = kSecretId;
  const std::vector<BadInput> cases = {
      {"missing column", "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at\n",
       StatusCode::kInvalidArgument,
       " line 1: missing column channel; expected exactly txn_ref, id_kpm, kabupaten, stage, "
       "amount, status, paid_at, channel"},
      {"extra column", "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel,nama\n" + ok,
       StatusCode::kInvalidArgument, " line 1 column 9: unknown column 'nama'"},
      {"extra field", row(ReceiptRow("BRI-2", id) + ",x"), StatusCode::kInvalidArgument,
       " line 3: expected 8 fields, found 9"},
      {"missing field", row("BRI-2," + id + ",7306,2026-T1,1850000,paid,2026-03-05"),
       StatusCode::kInvalidArgument, " line 3: expected 8 fields, found 7"},
      {"malformed date",
       row(ReceiptRow("BRI-2", id, "1850000", "7306", "2026-T1", "paid", "2026-02-30")),
       StatusCode::kInvalidArgument,
       " line 3 column 7 (paid_at): not a calendar date: that month has no such day"},
      {"malformed date-time",
       row(ReceiptRow("BRI-2", id, "1850000", "7306", "2026-T1", "paid", "2026-03-05T25:00")),
       StatusCode::kInvalidArgument,
       " line 3 column 7 (paid_at): the time: the hour must be 00 to 23"},
      {"date as written elsewhere",
       row(ReceiptRow("BRI-2", id, "1850000", "7306", "2026-T1", "paid", "05/03/2026")),
       StatusCode::kInvalidArgument, " line 3 column 7 (paid_at): expected a date as YYYY-MM-DD"},
      {"negative amount", row(ReceiptRow("BRI-2", id, "-1850000")), StatusCode::kInvalidArgument,
       " line 3 column 5 (amount): negative amount"},
      {"txn_ref that is the row's identifier", row(ReceiptRow(id, id)),
       StatusCode::kInvalidArgument,
       " line 3 column 1 (txn_ref): the txn_ref is the row's id_kpm: it is published in the log "
       "as written"},
      {"amount of a trillion", row(ReceiptRow("BRI-2", id, "1000000000000")),
       StatusCode::kInvalidArgument,
       " line 3 column 5 (amount): amount is too large; at most 999999999999 rupiah"},
      {"identifier with a no-break space", row(ReceiptRow("BRI-2", id + "\xC2\xA0")),
       StatusCode::kInvalidArgument,
       " line 3 column 2 (id_kpm): the KPM identifier holds an invisible or space-like "
       "character"},
      {"identifier with a trailing space", row(ReceiptRow("BRI-2", id + " ")),
       StatusCode::kInvalidArgument,
       " line 3 column 2 (id_kpm): the KPM identifier begins or ends with a space"},
      {"non-integer amount", row(ReceiptRow("BRI-2", id, "1850000.50")),
       StatusCode::kInvalidArgument,
       " line 3 column 5 (amount): not a whole number of rupiah; write digits only, without a "
       "decimal point or thousands separators"},
      {"amount not a number", row(ReceiptRow("BRI-2", id, "Rp1850000")),
       StatusCode::kInvalidArgument, " line 3 column 5 (amount): not a number"},
      {"empty amount", row(ReceiptRow("BRI-2", id, "")), StatusCode::kInvalidArgument,
       " line 3 column 5 (amount): empty amount"},
      {"unknown status", row(ReceiptRow("BRI-2", id, "1850000", "7306", "2026-T1", "pending")),
       StatusCode::kInvalidArgument,
       " line 3 column 6 (status): unknown status; expected one of paid, failed, returned"},
      {"malformed stage", row(ReceiptRow("BRI-2", id, "1850000", "7306", "2026-Q1")),
       StatusCode::kInvalidArgument,
       " line 3 column 4 (stage): expected a stage id as YYYY-Tn with n from 1 to 9"},
      {"stage not opened", row(ReceiptRow("BRI-2", id, "1850000", "7306", "2026-T2")),
       StatusCode::kInvalidArgument,
       " line 3 column 4 (stage): unknown stage 2026-T2: the governance log has not opened it"},
      {"unknown channel",
       row(ReceiptRow("BRI-2", id, "1850000", "7306", "2026-T1", "paid", "2026-03-05", "atm")),
       StatusCode::kInvalidArgument,
       " line 3 column 8 (channel): unknown channel; expected one of kks, rekening, pos"},
      {"kabupaten not a code", row(ReceiptRow("BRI-2", id, "1850000", "Gowa")),
       StatusCode::kInvalidArgument,
       " line 3 column 3 (kabupaten): the kabupaten must be a kabupaten code of 4 digits"},
      {"a province code as the kabupaten", row(ReceiptRow("BRI-2", id, "1850000", "73")),
       StatusCode::kInvalidArgument,
       " line 3 column 3 (kabupaten): the kabupaten must be a kabupaten code of 4 digits"},
      {"duplicate txn_ref in the file",
       h + ok + ReceiptRow("BRI-2", id) + "\n" + ReceiptRow("BRI-1", "KPM-A") + "\n",
       StatusCode::kInvalidArgument,
       " line 4 column 1 (txn_ref): repeats the txn_ref of line 2 (a duplicate key inside the "
       "file)"},
      {"over-long field", row(ReceiptRow("BRI-2", id + std::string(290, 'x'))),
       StatusCode::kInvalidArgument, " line 3 column 2 (id_kpm): field is 306 bytes; at most 256"},
      {"over-long identifier", row(ReceiptRow("BRI-2", id + std::string(49, 'x'))),
       StatusCode::kInvalidArgument,
       " line 3 column 2 (id_kpm): expected a KPM identifier of 1 to 64 bytes"},
      {"empty identifier", row(ReceiptRow("BRI-2", "")), StatusCode::kInvalidArgument,
       " line 3 column 2 (id_kpm): expected a KPM identifier of 1 to 64 bytes"},
      {"over-long txn_ref", row(ReceiptRow(std::string(65, 'T'), id)), StatusCode::kInvalidArgument,
       " line 3 column 1 (txn_ref): txn_ref is 65 bytes; at most 64"},
      {"txn_ref with a space", row(ReceiptRow("BRI 2", id)), StatusCode::kInvalidArgument,
       " line 3 column 1 (txn_ref): txn_ref may hold only A-Z, a-z, 0-9, '.', '_', '/' and '-' "
       "(byte 4 is another character)"},
      {"invalid UTF-8", row(ReceiptRow("BRI-2", id + "\xC3\x28")), StatusCode::kInvalidArgument,
       " line 3 column 2 (id_kpm): field is not valid UTF-8"},
      {"control character", row(ReceiptRow("BRI-2", id + "\x01")), StatusCode::kInvalidArgument,
       " line 3 column 2 (id_kpm): field holds a control character (only tab is allowed)"},
      {"unterminated quote", row("BRI-2,\"" + id + ",7306,2026-T1,1850000,paid,2026-03-05,kks"),
       StatusCode::kInvalidArgument, " line 3 column 2 (id_kpm): unterminated quote"},
      {"header only", h, StatusCode::kInvalidArgument, ": no data rows"},
      {"empty file", "", StatusCode::kInvalidArgument,
       ": the file is empty; expected a header row with txn_ref, id_kpm, kabupaten, stage, amount, "
       "status, paid_at, channel"},
      {"data row instead of a header", ok, StatusCode::kInvalidArgument,
       " line 1: the first line is not the header"},
  };
  Check(bank_, cases, /*receipts=*/true);
}

TEST_F(PkhImportBadInput, UpdatesAreRefusedNamingFileLineAndColumn) {
  const std::string ok = UpdateRow("U-1", "KPM-A") + "\n";
  const std::string h = UpdatesHeader();
  auto row = [&](std::string r) { return h + ok + r + "\n"; };
  const std::string id = kSecretId;
  const std::vector<BadInput> cases = {
      {"missing column",
       "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
       "disabilitas_berat,lansia\n" +
           ok,
       StatusCode::kInvalidArgument, " line 1: missing column evidence_sha256"},
      {"unknown component",
       "update_id,id_kpm,effective_date,status,ibu_hamil,balita,sd,smp,sma,"
       "disabilitas_berat,lansia,evidence_sha256\n" +
           ok,
       StatusCode::kInvalidArgument, " line 1 column 6: unknown column 'balita'"},
      {"extra field", row(UpdateRow("U-2", id) + ",x"), StatusCode::kInvalidArgument,
       " line 3: expected 12 fields, found 13"},
      {"malformed date", row(UpdateRow("U-2", id, "2026-13-01")), StatusCode::kInvalidArgument,
       " line 3 column 3 (effective_date): not a calendar date: the month must be 01 to 12"},
      {"date with a time", row(UpdateRow("U-2", id, "2026-01-10T08:00")),
       StatusCode::kInvalidArgument,
       " line 3 column 3 (effective_date): expected a date as YYYY-MM-DD"},
      {"unknown status", row(UpdateRow("U-2", id, "2026-01-10", "alive")),
       StatusCode::kInvalidArgument,
       " line 3 column 4 (status): unknown status; expected one of active, graduated, deceased, "
       "moved, ineligible"},
      {"negative member count", row(UpdateRow("U-2", id, "2026-01-10", "active", "-1,0,0,0,0,0,0")),
       StatusCode::kInvalidArgument,
       " line 3 column 5 (ibu_hamil): expected a member count from 0 to 99, digits only"},
      {"member count not whole",
       row(UpdateRow("U-2", id, "2026-01-10", "active", "0,0,1.5,0,0,0,0")),
       StatusCode::kInvalidArgument,
       " line 3 column 7 (sd): expected a member count from 0 to 99, digits only"},
      {"member count too large",
       row(UpdateRow("U-2", id, "2026-01-10", "active", "0,0,0,0,0,0,100")),
       StatusCode::kInvalidArgument,
       " line 3 column 11 (lansia): expected a member count from 0 to 99, digits only"},
      {"evidence not a digest",
       row(UpdateRow("U-2", id, "2026-01-10", "active", "0,0,0,0,0,0,0", std::string(63, 'a'))),
       StatusCode::kInvalidArgument,
       " line 3 column 12 (evidence_sha256): expected 64 hex digits (a SHA-256 digest) or "
       "nothing; found 63 characters"},
      {"update_id with a space", row(UpdateRow("U 2", id)), StatusCode::kInvalidArgument,
       " line 3 column 1 (update_id): update_id may hold only A-Z, a-z, 0-9, '.', '_', '/' and '-' "
       "(byte 2 is another character)"},
      {"duplicate update_id in the file",
       h + ok + UpdateRow("U-2", id) + "\n" + UpdateRow("U-1", "KPM-A") + "\n",
       StatusCode::kInvalidArgument,
       " line 4 column 1 (update_id): repeats the update_id of line 2 (a duplicate key inside the "
       "file)"},
      {"over-long field", row(UpdateRow(std::string(257, 'U'), id)), StatusCode::kInvalidArgument,
       " line 3 column 1 (update_id): field is 257 bytes; at most 256"},
      {"invalid UTF-8", row(UpdateRow("U-2", id + "\xFF")), StatusCode::kInvalidArgument,
       " line 3 column 2 (id_kpm): field is not valid UTF-8"},
  };
  Check(kab_, cases, /*receipts=*/false);
}

TEST_F(PkhImportBadInput, AColumnNumberIsThePositionInTheFile) {
  const std::string file =
      WriteFile("shuffled.csv",
                "channel,paid_at,status,amount,stage,kabupaten,id_kpm,txn_ref\n"
                "kks,2026-03-05,paid,1850000,2026-T1,7306,KPM-A,BRI-1\n"
                "kks,2026-03-05,paid,-5,2026-T1,7306,KPM-B,BRI-2\n");
  const StoreState before = StateOf(bank_);
  EXPECT_TRUE(HasStatus(Receipts(file), StatusCode::kInvalidArgument,
                        file + " line 3 column 4 (amount): negative amount"));
  EXPECT_EQ(StateOf(bank_), before);
}

TEST_F(PkhImportBadInput, ABadRowDeepInALargeFileIsNamedByItsLine) {
  // Rows are checked in batches on a worker thread: the line must still be
  // the file's own, and nothing of the rows before it appended.
  std::string content = ReceiptsHeader();
  for (int i = 1; i <= 30'000; ++i) {
    content += ReceiptRow(fmt::format("BRI-{:06d}", i), fmt::format("KPM-{:06d}", i)) + "\n";
    if (i == 20'000) content += ReceiptRow("BRI-BAD", kSecretId, "1.850.000") + "\n";
  }
  const std::string file = WriteFile("large-bad.csv", content);
  const StoreState before = StateOf(bank_);
  EXPECT_TRUE(HasStatus(Receipts(file), StatusCode::kInvalidArgument,
                        file + " line 20002 column 5 (amount): not a whole number of rupiah"));
  EXPECT_EQ(StateOf(bank_), before);

  // A duplicate far from its first use.
  content = ReceiptsHeader();
  for (int i = 1; i <= 30'000; ++i) {
    content += ReceiptRow(fmt::format("BRI-{:06d}", i), fmt::format("KPM-{:06d}", i)) + "\n";
  }
  content += ReceiptRow("BRI-000007", "KPM-X") + "\n";
  const std::string dup = WriteFile("large-dup.csv", content);
  EXPECT_TRUE(HasStatus(Receipts(dup), StatusCode::kInvalidArgument,
                        dup + " line 30002 column 1 (txn_ref): repeats the txn_ref of line 8 (a "
                              "duplicate key inside the file)"));
  EXPECT_EQ(StateOf(bank_), before);
}

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

// --- A million rows in bounded memory ---

constexpr uint64_t kLargeRows = 1'000'000;
constexpr char kLargeDirEnv[] = "JEJAK_TEST_IMPORT_LARGE_DIR";
constexpr char kLargeCsvEnv[] = "JEJAK_TEST_IMPORT_LARGE_CSV";
constexpr char kLargeOutEnv[] = "JEJAK_TEST_IMPORT_LARGE_OUT";

// The child: imports the file into the bank node and writes the report. Run
// only by ImportLarge below (disabled, so a plain run of the suite skips it).
TEST(ImportLargeChild, DISABLED_ImportReceipts) {
  const char* dir = std::getenv(kLargeDirEnv);
  const char* csv = std::getenv(kLargeCsvEnv);
  const char* out = std::getenv(kLargeOutEnv);
  ASSERT_TRUE(dir != nullptr && csv != nullptr && out != nullptr)
      << "run by ImportLarge.MillionReceiptsInBoundedMemory";
  PkhTestNode bank;
  bank.dir = dir;
  ASSERT_TRUE(IsOk(bank.Open()));
  const ProgramKey program_key = KeyFromByte(::jejak::testing::kProgramKeyByte).seed();
  const SigningKey payer = KeyFromByte(::jejak::testing::kPayerKeyByte);
  auto r = ImportReceipts(*bank.pkh, csv, payer, program_key);
  ASSERT_TRUE(IsOk(r));
  ASSERT_TRUE(r->statement.has_value());
  ASSERT_TRUE(::jejak::testing::WriteBinary(
      out,
      fmt::format("{} {} {} {}", r->rows, r->appended, r->statement->index, r->statement->size)));
}

class ImportLarge : public ::jejak::testing::PkhFixture {};

// AddressSanitizer's shadow memory and quarantine roughly triple a process's
// resident size, so the sanitizer build checks a looser bound.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kLargeRssBound = uint64_t{3} << 30;
#else
constexpr uint64_t kLargeRssBound = uint64_t{1} << 30;
#endif

TEST_F(ImportLarge, MillionReceiptsInBoundedMemory) {
  const std::string csv = path("million.csv");
  {
    FILE* f = std::fopen(csv.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::string chunk = ReceiptsHeader();
    for (uint64_t i = 1; i <= kLargeRows; ++i) {
      fmt::format_to(std::back_inserter(chunk),
                     "BRI-2026T1-{:07d},KPM-LARGE-{:07d},7306,2026-T1,{},paid,"
                     "2026-03-{:02d}T10:15:00+07:00,kks\n",
                     i, i, 750'000 + (i % 7) * 225'000, 1 + i % 14);
      if (chunk.size() > (1 << 20) || i == kLargeRows) {
        ASSERT_EQ(std::fwrite(chunk.data(), 1, chunk.size(), f), chunk.size());
        chunk.clear();
      }
    }
    ASSERT_EQ(std::fclose(f), 0);
  }
  const std::string out = path("child-report.txt");
  const std::string log = path("child-output.txt");
  bank_.Close();  // the child opens the bank's store

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back(fmt::format("{}={}", kLargeDirEnv, bank_.dir));
  env_strings.push_back(fmt::format("{}={}", kLargeCsvEnv, csv));
  env_strings.push_back(fmt::format("{}={}", kLargeOutEnv, out));
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe", filter = "--gtest_filter=ImportLargeChild.*",
              disabled = "--gtest_also_run_disabled_tests";
  char* argv[] = {self.data(), filter.data(), disabled.data(), nullptr};

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) ::_exit(126);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execve("/proc/self/exe", argv, envp.data());
    ::_exit(127);
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  struct rusage usage {};
  ASSERT_EQ(::wait4(pid, &status, 0, &usage), pid);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const uint64_t peak_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status << "\n"
                                                             << ::jejak::testing::ReadBinary(log);
  std::printf("[ImportLarge] %llu rows: peak RSS %.1f MiB, wall time %.1f s\n",
              static_cast<unsigned long long>(kLargeRows),
              static_cast<double>(peak_rss_bytes) / (1 << 20), seconds);
  RecordProperty("peak_rss_bytes", std::to_string(peak_rss_bytes));
  RecordProperty("wall_seconds", fmt::format("{:.1f}", seconds));
  EXPECT_LT(peak_rss_bytes, kLargeRssBound);

  EXPECT_EQ(::jejak::testing::ReadBinary(out),
            fmt::format("{} {} 0 {}", kLargeRows, kLargeRows, kLargeRows + 1));
  ASSERT_TRUE(IsOk(bank_.Open()));
  EXPECT_EQ(bank_.OwnLogState().first, kLargeRows + 1);
  {
    // One statement, signed once over the million records.
    LogReader reader(bank_.store(), bank_.folder->own_log());
    auto leaf = reader.Leaf(0);
    ASSERT_TRUE(IsOk(leaf));
    auto st = DecodeStatementEntry(*leaf);
    ASSERT_TRUE(IsOk(st));
    EXPECT_EQ(st->header.record_count, kLargeRows);
    ASSERT_EQ(st->signatures.size(), 1u);
    EXPECT_EQ(st->signatures[0].public_key, payer_.public_key());
  }
  auto last = FindTxnRef(bank_.store(), bank_.folder->own_log().id,
                         fmt::format("BRI-2026T1-{:07d}", kLargeRows));
  ASSERT_TRUE(IsOk(last));
  EXPECT_EQ(*last, std::optional<uint64_t>(kLargeRows));
}

}  // namespace
}  // namespace jejak
