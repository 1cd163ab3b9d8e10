// Printed documents end to end. `jejak ba print`: a draft from the file (DRAFT on every page, no
// QR code) and the berita acara read back from the kabupaten's log, whose
// pages, rendered at 200 dpi (poppler's pdftoppm) and scanned (zbar's
// zbarimg), give a proof `jejak proof verify` accepts offline, and refuses
// with one byte changed. pdftotext shows the number, date, totals and
// signers. `jejak audit --format xlsx`: read back with openpyxl, the same
// findings as --format csv. The tools come from tools/setup (poppler-utils,
// zbar-tools, python3-openpyxl).
#include "tests/cli/pkh_cli_world.h"

namespace jejak::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kPdfToText[] = "/usr/bin/pdftotext";
constexpr char kPdfToPpm[] = "/usr/bin/pdftoppm";
constexpr char kZbarImg[] = "/usr/bin/zbarimg";
constexpr char kPython[] = "/usr/bin/python3";

// Compares a workbook with the CSV report: the summary sheet first, one
// sheet per type with findings holding that type's CSV rows in order, text
// as text, amounts as numbers in a rupiah format, header rows frozen and
// filtered. Prints "ok", or what differs and exits 1.
constexpr char kCompareXlsx[] = R"(
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2], newline='')))
summary_name = sys.argv[3]
bad = []
if wb.sheetnames[0] != summary_name: bad.append('first sheet %r' % wb.sheetnames[0])
types = []
for r in rows:
    if r['type'] not in types: types.append(r['type'])
if wb.sheetnames[1:] != types: bad.append('sheets %r, types %r' % (wb.sheetnames[1:], types))
summary = wb[summary_name]
counts = {summary.cell(i, 1).value: summary.cell(i, 3).value for i in range(2, summary.max_row + 1)}
for t in types:
    if counts.get(t) != sum(1 for r in rows if r['type'] == t): bad.append('summary count of ' + t)
for ws in wb.worksheets:
    if ws.freeze_panes != 'A2': bad.append(ws.title + ' freeze ' + str(ws.freeze_panes))
    if not ws.auto_filter.ref: bad.append(ws.title + ' has no filter')
for t in types:
    if t not in wb.sheetnames: continue
    ws = wb[t]
    header = [c.value for c in ws[1]]
    want = [r for r in rows if r['type'] == t]
    got = list(ws.iter_rows(min_row=2))
    if len(got) != len(want): bad.append('%s: %d rows, csv %d' % (t, len(got), len(want)))
    for r, cells in zip(want, got):
        for name, cell in zip(header, cells):
            v = r[name]
            if name in ('amount', 'expected_amount'):
                if v == '' and cell.value is None: continue
                if cell.value != int(v) or 'Rp' not in cell.number_format:
                    bad.append('%s %s: %r (%s) for %r' % (t, name, cell.value, cell.number_format, v))
            elif (cell.value or '') != v or (v and cell.data_type != 's'):
                bad.append('%s %s: %r for %r' % (t, name, cell.value, v))
print('\n'.join(bad) if bad else 'ok')
sys.exit(1 if bad else 0)
)";

// The world of PkhCliWorld, and the tools that read what was printed.
class DocumentsCli : public PkhCliWorld {
 protected:
  static void SetUpTestSuite() {
    for (const char* tool : {kPdfToText, kPdfToPpm, kZbarImg, kPython}) {
      ASSERT_TRUE(fs::exists(tool)) << tool
                                    << " is missing: tools/setup installs poppler-utils "
                                       "and zbar-tools";
    }
    PkhCliWorld::SetUpTestSuite();
  }
  std::string Text(const std::string& pdf) {
    Outcome r = RunTool(kPdfToText, {"-layout", pdf, "-"}, s_);
    EXPECT_EQ(r.code, 0) << Describe(r);
    return r.out;
  }
  // Page `page` rendered at 200 dpi and scanned: what zbarimg prints (exit
  // 4 when it finds no code).
  Outcome Scan(const std::string& pdf, int page) {
    const std::string png = fmt::format("{}/page-{}", s_, page);
    Outcome r = RunTool(kPdfToPpm,
                        {"-r", "200", "-png", "-singlefile", "-f", std::to_string(page), "-l",
                         std::to_string(page), pdf, png},
                        s_);
    EXPECT_EQ(r.code, 0) << Describe(r);
    return RunTool(kZbarImg, {"--raw", "-q", png + ".png"}, s_);
  }
};

TEST_F(DocumentsCli, ThePrintedBeritaAcaraCarriesAProofThatVerifiesOnEveryPage) {
  const std::string pdf = s_ + "/BA.pdf";
  Outcome printed = Ok(
      {"ba", "print", W("kab"), "--number", "800/12/DINSOS/II/2026", "--out", pdf, "--lang", "id"});
  EXPECT_THAT(printed.out, StartsWith("wrote " + pdf +
                                      ": berita acara 800/12/DINSOS/II/2026 (3 "
                                      "rows, total Rp 4,450,000), 2 pages in "));
  EXPECT_THAT(printed.out, HasSubstr("; leaf 4 of jejak.pkh/kab/7306, its tlog-proof ("));

  const std::string text = Text(pdf);
  EXPECT_THAT(text, HasSubstr("BERITA ACARA PENETAPAN DATA BAYAR"));
  EXPECT_THAT(text, HasSubstr("DINAS SOSIAL KABUPATEN GOWA"));
  EXPECT_THAT(text, HasSubstr("Nomor: 800/12/DINSOS/II/2026"));
  EXPECT_THAT(text, HasSubstr("20 Februari 2026 (2026-02-20)"));
  EXPECT_THAT(text, HasSubstr("Rp 4.450.000"));
  EXPECT_THAT(text, HasSubstr("Rp 3.700.000"));  // BRI's two families
  EXPECT_THAT(text, HasSubstr("Rp 750.000"));    // POS's one
  EXPECT_THAT(text, HasSubstr("dinsos/approver-a"));
  EXPECT_THAT(text, HasSubstr("dinsos/approver-b"));
  EXPECT_THAT(text, HasSubstr("penyetuju"));
  EXPECT_THAT(text, HasSubstr("Halaman 1 dari 2"));
  EXPECT_THAT(text, HasSubstr("Halaman 2 dari 2"));
  EXPECT_THAT(text, HasSubstr("LAMPIRAN BERITA ACARA NOMOR 800/12/DINSOS/II/2026"));
  EXPECT_THAT(text, Not(HasSubstr("DRAFT")));
  EXPECT_THAT(text, Not(HasSubstr("TEST-KPM")));
  for (const char* english : {"Page ", "SIGNATORIES", "Families (KPM)", "Total amount",
                              "Records root", "ANNEX", "Governance size", "Date", "Stage"}) {
    EXPECT_THAT(text, Not(HasSubstr(english))) << "untranslated: " << english;
  }

  for (int page : {1, 2}) {
    Outcome scanned = Scan(pdf, page);
    ASSERT_EQ(scanned.code, 0) << "page " << page << "\n" << Describe(scanned);
    const std::string file = fmt::format("{}/page-{}.txt", s_, page);
    ASSERT_TRUE(WriteBinary(file, scanned.out));
    Outcome v = Ok({"proof", "verify", file, "--key", KabKey()});
    EXPECT_THAT(v.out, StartsWith("verified: leaf 4 of 'jejak.pkh/kab/7306'\n")) << Describe(v);
    EXPECT_THAT(v.out, HasSubstr("document number: 800/12/DINSOS/II/2026\n"));
    EXPECT_THAT(v.out, HasSubstr("records: 3\n"));
  }

  // One changed byte in the entry's bytes (the extra line) of the scanned
  // text: refused.
  std::string scanned = ReadBinary(s_ + "/page-1.txt");
  const size_t extra = scanned.find("\nextra ");
  ASSERT_NE(extra, std::string::npos) << scanned;
  const size_t at = extra + 20;
  ASSERT_LT(at, scanned.size());
  scanned[at] = scanned[at] == 'A' ? 'B' : 'A';
  ASSERT_TRUE(WriteBinary(s_ + "/changed.txt", scanned));
  Outcome changed = J({"proof", "verify", s_ + "/changed.txt", "--key", KabKey()});
  EXPECT_EQ(changed.code, 1) << Describe(changed);
  EXPECT_THAT(changed.err, StartsWith("jejak: the proof does not verify: ")) << Describe(changed);
}

TEST_F(DocumentsCli, AFilePrintsAsADraftWithoutQrCodes) {
  const std::string pdf = s_ + "/draft.pdf";
  Outcome printed = Ok({"ba", "print", W("BA.json"), "--out", pdf, "--lang", "id"});
  EXPECT_THAT(printed.out, StartsWith("wrote " + pdf +
                                      ": DRAFT of berita acara "
                                      "800/12/DINSOS/II/2026 (3 rows"));
  const std::string text = Text(pdf);
  EXPECT_THAT(text, HasSubstr("DRAFT — BELUM DICATAT DI LOG"));
  EXPECT_THAT(text, HasSubstr("Nomor: 800/12/DINSOS/II/2026"));
  EXPECT_THAT(text, HasSubstr("Rp 4.450.000"));
  EXPECT_THAT(text, HasSubstr("dinsos/approver-a"));
  for (int page : {1, 2}) {
    Outcome scanned = Scan(pdf, page);
    EXPECT_EQ(scanned.code, 4) << "page " << page << " has a code\n" << Describe(scanned);
    EXPECT_EQ(scanned.out, "");
  }
}

TEST_F(DocumentsCli, EnglishAndSummary) {
  const std::string pdf = s_ + "/summary.pdf";
  Ok({"ba", "print", W("kab"), "--number", "800/12/DINSOS/II/2026", "--out", pdf, "--lang", "en",
      "--summary"});
  const std::string text = Text(pdf);
  EXPECT_THAT(text, HasSubstr("Page 1 of 1"));
  EXPECT_THAT(text, HasSubstr("20 February 2026 (2026-02-20)"));
  EXPECT_THAT(text, HasSubstr("Rp 4,450,000"));
  EXPECT_THAT(text, HasSubstr("SIGNATORIES"));
  EXPECT_THAT(text, Not(HasSubstr("Halaman")));
  EXPECT_EQ(Scan(pdf, 1).code, 0);
}

TEST_F(DocumentsCli, TheWorkingPapersHoldTheFindingsOfTheCsvReport) {
  // After the window, the family with no receipt is unpaid: a finding.
  const std::vector<std::string> audit = {"audit",   W("auditor"), "--stage",
                                          "2026-T1", "--as-of",    "2026-04-01"};
  auto with = [&](std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  Ok(with(audit, {"--format", "csv", "--out", s_ + "/audit.csv"}));
  const std::string csv = ReadBinary(s_ + "/audit.csv");
  EXPECT_THAT(csv, HasSubstr("\nUNPAID_AFTER_WINDOW,2026-T1,7306,"));
  Outcome x = Ok(with(audit, {"--format", "xlsx", "--out", s_ + "/KKP.xlsx", "--lang", "id"}));
  EXPECT_THAT(x.err, HasSubstr("written to " + s_ + "/KKP.xlsx"));
  EXPECT_EQ(fs::status(s_ + "/KKP.xlsx").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  Outcome compared =
      RunTool(kPython, {"-c", kCompareXlsx, s_ + "/KKP.xlsx", s_ + "/audit.csv", "Ringkasan"}, s_);
  EXPECT_EQ(compared.code, 0) << Describe(compared) << csv;
  EXPECT_EQ(compared.out, "ok\n");
  Ok(with(audit, {"--format", "xlsx", "--out", s_ + "/KKP-en.xlsx", "--lang", "en"}));
  compared =
      RunTool(kPython, {"-c", kCompareXlsx, s_ + "/KKP-en.xlsx", s_ + "/audit.csv", "Summary"}, s_);
  EXPECT_EQ(compared.code, 0) << Describe(compared);

  Outcome no_out = J(with(audit, {"--format", "xlsx"}));
  EXPECT_EQ(no_out.code, 2) << Describe(no_out);
  EXPECT_THAT(no_out.err, HasSubstr("--format xlsx needs --out FILE.xlsx"));
}

TEST_F(DocumentsCli, TheBuktiPenyaluranCarriesTheReceiptsProof) {
  const std::string pdf = s_ + "/bukti.pdf";
  Outcome printed =
      Ok({"receipt", "print", W("bank"), "--txn-ref", "BRI-1", "--out", pdf, "--lang", "id"});
  EXPECT_THAT(printed.out, StartsWith("wrote " + pdf +
                                      ": receipt BRI-1 (paid, Rp 1,850,000), leaf "
                                      "1 of "));
  const std::string text = Text(pdf);
  EXPECT_THAT(text, HasSubstr("BUKTI PENYALURAN"));
  EXPECT_THAT(text, HasSubstr("BANK RAKYAT INDONESIA"));
  EXPECT_THAT(text, HasSubstr("BRI-1"));
  EXPECT_THAT(text, HasSubstr("Rp 1.850.000"));
  EXPECT_THAT(text, HasSubstr("DIBAYAR"));
  EXPECT_THAT(text, HasSubstr("Halaman 1 dari 1"));
  EXPECT_THAT(text, Not(HasSubstr("TEST-KPM")));
  Outcome scanned = Scan(pdf, 1);
  ASSERT_EQ(scanned.code, 0) << Describe(scanned);
  ASSERT_TRUE(WriteBinary(s_ + "/bukti.txt", scanned.out));
  const std::string bank_key = FirstLine(Ok({"key", "show", W("bank")}).out);
  Outcome v = Ok({"proof", "verify", s_ + "/bukti.txt", "--key", bank_key});
  EXPECT_THAT(v.out, StartsWith("verified: leaf 1 of ")) << Describe(v);
  EXPECT_THAT(v.out, HasSubstr("txn ref: BRI-1\n")) << v.out;

  Ok({"receipt", "print", W("bank"), "--txn-ref", "BRI-2", "--out", pdf, "--lang", "en"});
  EXPECT_THAT(Text(pdf), HasSubstr("FAILED"));
  Outcome unknown = J({"receipt", "print", W("bank"), "--txn-ref", "BRI-9", "--out", pdf});
  EXPECT_EQ(unknown.code, 2) << Describe(unknown);
  EXPECT_THAT(unknown.err, HasSubstr("no receipt with txn_ref BRI-9"));
}

// The English headings of the text report and the PDF that must not appear
// in their Indonesian versions (the details of findings stay in English, so
// the list holds headings and labels only).
constexpr const char* kEnglishTextHeadings[] = {"JEJAK AUDIT —",
                                                "Logs read (",
                                                "NATIONAL TOTALS",
                                                "families approved",
                                                "amount paid",
                                                "FINDINGS: ",
                                                "FINDINGS IN KABUPATEN",
                                                "TARGET LISTS AND VERIFICATIONS",
                                                "COMPLAINTS OF THE STAGE",
                                                "none recorded",
                                                "      leaves: ",
                                                "  region ",
                                                "verified per month",
                                                "returned Rp"};
constexpr const char* kEnglishPdfHeadings[] = {"AUDIT REPORT",
                                               "Summary",
                                               "Findings by type",
                                               "National totals",
                                               "Page ",
                                               "FINDINGS IN KABUPATEN",
                                               "largest amounts at risk",
                                               "Families approved",
                                               "Paid receipts",
                                               "Findings and their leaves"};

// What the English report's findings and notes say, which the Indonesian
// one says in its own words.
constexpr const char* kEnglishDetailsAndNotes[] = {
    "approved Rp",        "no receipt of any status", "window closed",  "paid on ",
    "each log is judged", "were not re-verified",     "behind its log", "not held"};

TEST_F(DocumentsCli, TheAuditReportInBahasaIndonesia) {
  const std::vector<std::string> audit = {"audit",   W("auditor"), "--stage",
                                          "2026-T1", "--as-of",    "2026-04-01"};
  auto with = [&](std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  const std::string id = Ok(with(audit, {"--lang", "id"})).out;
  EXPECT_THAT(id, StartsWith("AUDIT JEJAK — tahap 2026-T1, jadwal 2026-03-01 s.d. 2026-03-14"));
  EXPECT_THAT(id, HasSubstr("TOTAL NASIONAL"));
  EXPECT_THAT(id, HasSubstr("4.450.000"));
  EXPECT_THAT(id, HasSubstr("UNPAID_AFTER_WINDOW — disetujui tetapi belum tersalur setelah "
                            "jadwal berakhir ("));
  EXPECT_THAT(id, HasSubstr("TEMUAN DI KABUPATEN 7306"));
  for (const char* english : kEnglishTextHeadings) {
    EXPECT_THAT(id, Not(HasSubstr(english))) << "untranslated: " << english << "\n" << id;
  }
  // The findings' details and the notes too.
  for (const char* english : kEnglishDetailsAndNotes) {
    EXPECT_THAT(id, Not(HasSubstr(english))) << "untranslated: " << english << "\n" << id;
  }
  EXPECT_THAT(id, HasSubstr("ditetapkan Rp 750.000; tidak ada kuitansi berstatus apa pun"));
  EXPECT_THAT(id, HasSubstr("setiap log dinilai pada checkpoint terakhir"));
  // English stays as it was, and is the default without LANG=id_*.
  const std::string en = Ok(with(audit, {"--lang", "en"})).out;
  EXPECT_THAT(en, StartsWith("JEJAK AUDIT — stage 2026-T1"));
  EXPECT_THAT(en, HasSubstr("4,450,000"));
  Outcome by_env = ::jejak::testing::RunProcess(
      "/usr/bin/env", with({"LANG=id_ID.UTF-8", JEJAK_BINARY}, audit), {}, s_);
  EXPECT_EQ(by_env.out, id) << Describe(by_env);

  const std::string pdf = s_ + "/LHA.pdf";
  Ok(with(audit, {"--format", "pdf", "--out", pdf, "--lang", "id"}));
  const std::string text = Text(pdf);
  EXPECT_THAT(text, HasSubstr("LAPORAN HASIL AUDIT"));
  EXPECT_THAT(text, HasSubstr("Halaman 1 dari"));
  EXPECT_THAT(text, HasSubstr("UNPAID_AFTER_WINDOW"));
  EXPECT_THAT(text, HasSubstr("Rp 4.450.000"));
  EXPECT_THAT(text, HasSubstr("jejak.pkh/kab/7306#"));  // the leaf references
  for (const char* english : kEnglishPdfHeadings) {
    EXPECT_THAT(text, Not(HasSubstr(english))) << "untranslated: " << english;
  }
  Ok(with(audit, {"--format", "pdf", "--out", pdf, "--lang", "en"}));
  EXPECT_THAT(Text(pdf), HasSubstr("AUDIT REPORT"));
}

TEST_F(DocumentsCli, ARunningNodePrintsTheSameProofs) {
  ServedNode kab(W("kab"), s_), bank(W("bank"), s_);
  ASSERT_THAT(kab.url(), StartsWith("http://127.0.0.1:"));
  ASSERT_THAT(bank.url(), StartsWith("http://127.0.0.1:"));
  const std::string pdf = s_ + "/node-BA.pdf";
  Outcome printed = Ok({"ba", "print", "--node", kab.url(), "--node-key", KabKey(), "--number",
                        "800/12/DINSOS/II/2026", "--out", pdf, "--lang", "id"});
  EXPECT_THAT(printed.out, HasSubstr("; leaf 4 of jejak.pkh/kab/7306, its tlog-proof ("));
  EXPECT_THAT(Text(pdf), HasSubstr("Rp 4.450.000"));
  Outcome scanned = Scan(pdf, 2);
  ASSERT_EQ(scanned.code, 0) << Describe(scanned);
  ASSERT_TRUE(WriteBinary(s_ + "/node-page.txt", scanned.out));
  EXPECT_THAT(Ok({"proof", "verify", s_ + "/node-page.txt", "--key", KabKey()}).out,
              StartsWith("verified: leaf 4 of 'jejak.pkh/kab/7306'\n"));

  const std::string bank_key = FirstLine(Ok({"key", "show", W("bank")}).out);
  Outcome receipt = Ok({"receipt", "print", "--node", bank.url(), "--node-key", bank_key,
                        "--txn-ref", "BRI-2", "--out", s_ + "/node-bukti.pdf"});
  EXPECT_THAT(receipt.out, HasSubstr("receipt BRI-2 (failed, Rp 1,850,000), leaf 2 of "));

  // The proof is verified with --node-key before anything is printed.
  Outcome wrong = J({"ba", "print", "--node", kab.url(), "--node-key", bank_key, "--number",
                     "800/12/DINSOS/II/2026", "--out", s_ + "/x.pdf"});
  EXPECT_EQ(wrong.code, 2) << Describe(wrong);
  EXPECT_THAT(wrong.err, HasSubstr("no PDF was written"));
  EXPECT_FALSE(fs::exists(s_ + "/x.pdf"));
}

TEST_F(DocumentsCli, RefusalsNameWhatIsWrong) {
  Outcome unknown = J({"ba", "print", W("kab"), "--number", "800/99/X", "--out", s_ + "/x.pdf"});
  EXPECT_EQ(unknown.code, 2) << Describe(unknown);
  EXPECT_THAT(unknown.err, HasSubstr("no berita acara numbered 800/99/X"));
  EXPECT_FALSE(fs::exists(s_ + "/x.pdf"));
  Outcome lang = J({"ba", "print", W("BA.json"), "--out", s_ + "/x.pdf", "--lang", "fr"});
  EXPECT_EQ(lang.code, 2) << Describe(lang);
  EXPECT_THAT(lang.err, HasSubstr("--lang is id (Bahasa Indonesia) or en (English), not \"fr\""));
}

}  // namespace
}  // namespace jejak::cli_test
