// Imports refuse every bad row, naming file, line and column (never the
// value), and append nothing.
#include "tests/ledger/pkh/import_fixture.h"

namespace jejak::import_test {
namespace {

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

}  // namespace
}  // namespace jejak::import_test
