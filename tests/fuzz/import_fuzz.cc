// Each import's row checker, as a node runs it on an uploaded file: the
// first byte (mod 7) picks updates (the kabupaten node, its operator),
// receipts (the lembaga bayar node, its payer), a berita acara draft (the
// kabupaten node's `ba draft`), a target list (a Kemensos targeting key),
// verifications, complaints or complaint responses (the operator); the rest
// is the file. Imports are prepared the way a
// node prepares an upload for signing (every row checked and pseudonymized,
// nothing written); a draft writes nothing either. The world is
// tests/ledger/pkh/pkh_world_core.h, built once, whose logs already hold a few
// updates, receipts and one approved berita acara, so that rows can repeat
// or contradict them.
//
// Checks: nothing is ever written; every row is counted once, and the new
// rows are those the statement covers; a draft's rows, total and root agree,
// and it encodes to a file that decodes equal; no message or warning is
// unprintable or quotes an identifier of the file.
#include <memory>
#include <numeric>

#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/import.h"
#include "tests/fuzz/fuzz.h"
#include "tests/ledger/pkh/pkh_world_core.h"

using namespace jejak;

namespace {

constexpr char kDraftDate[] = "2026-03-02";
constexpr char kDraftNumber[] = "800/FUZZ/DINSOS/2026";

const SigningKey& Targeting() {
  static const SigningKey key = jejak::testing::KeyFromByte(0x51);
  return key;
}

// What the logs hold before any input (the seeds repeat some of it).
Status Populate(jejak::testing::PkhWorld& w) {
  using W = jejak::testing::PkhWorld;
  RETURN_IF_ERROR(ImportUpdates(*w.kab_.pkh,
                                CsvSource::Received(
                                    W::UpdatesCsv({W::UpdateRow("upd-TEST-0001", "KPM-TEST-0001"),
                                                   W::UpdateRow("upd-TEST-0002", "KPM-TEST-0002")}),
                                    "updates.csv"),
                                w.operator_, w.program_key_)
                      .status());
  RETURN_IF_ERROR(
      ImportReceipts(
          *w.bank_.pkh,
          CsvSource::Received(W::ReceiptsCsv({W::ReceiptRow("txn-TEST-0001", "KPM-TEST-0001")}),
                              "receipts.csv"),
          w.payer_, w.program_key_)
          .status());
  BeritaAcaraDraft draft;
  ASSIGN_OR_RETURN(
      draft, DraftBeritaAcara(*w.kab_.pkh,
                              CsvSource::Received("id_kpm,lembaga_bayar,amount\n"
                                                  "KPM-TEST-0001,BRI,1850000\n",
                                                  "ba.csv"),
                              jejak::testing::kStage, kDraftDate, "800/SEED/2026", w.program_key_));
  RETURN_IF_ERROR(SignBeritaAcara(draft.ba, w.approver_a_, "approver-a"));
  RETURN_IF_ERROR(SignBeritaAcara(draft.ba, w.approver_b_, "approver-b"));
  RETURN_IF_ERROR(SubmitBeritaAcara(*w.kab_.pkh, draft.ba).status());
  // A targeting key, and a complaint for responses to answer.
  RETURN_IF_ERROR(w.Gov(kTypeGovGrant, {KeyGrant{Targeting().public_key(),
                                                 "kemensos/targeting",
                                                 Role::kTargeting,
                                                 {jejak::testing::kKabRegion}}})
                      .status());
  RETURN_IF_ERROR(w.DeliverGovernance(w.kab_).status());
  ImportSigning signing;
  signing.key = &w.operator_;
  return ImportComplaints(*w.kab_.pkh,
                          CsvSource::Received("complaint_id,id_kpm,stage,category,channel,"
                                              "received_at,evidence_sha256\n"
                                              "ADU-TEST-0001,KPM-TEST-0001,2026-T1,"
                                              "tidak_menerima,loket,2026-03-10T09:00:00+07:00,\n",
                                              "complaints.csv"),
                          signing, w.program_key_)
      .status();
}

jejak::testing::PkhWorld& World() {
  static jejak::testing::PkhWorld* world = [] {
    auto* w = new jejak::testing::PkhWorld();
    Status s = w->BuildWorld();
    if (s.ok()) s = Populate(*w);
    if (!s.ok()) std::fprintf(stderr, "%s\n", s.ToString().c_str());
    FUZZ_CHECK(s.ok(), "the world is built");
    std::atexit([] { World().Destroy(); });
    return w;
  }();
  return *world;
}

void CheckRefusal(const Status& s, std::string_view file) {
  FUZZ_CHECK_MESSAGE(s);
  FUZZ_CHECK(!fuzz::QuotesCsvValue(s.message(), file), "a message never quotes the file");
}

void CheckImport(jejak::testing::PkhWorld& w, ImportFile kind, std::string_view file) {
  const bool receipts = kind == ImportFile::kReceipts;
  jejak::testing::PkhTestNode& node = receipts ? w.bank_ : w.kab_;
  ImportSigning signing;
  signing.prepare_for = receipts                    ? w.payer_.public_key()
                        : kind == ImportFile::kBnba ? Targeting().public_key()
                                                    : w.operator_.public_key();
  const uint64_t before = node.pkh->writer().size();
  CsvSource source = CsvSource::Received(std::string(file), "fuzz.csv");
  const BnbaList list{"BNBA/FUZZ/2026", 2026};
  auto report = ImportFileOf(*node.pkh, kind, std::move(source), &list, signing, w.program_key_);
  FUZZ_CHECK(node.pkh->writer().size() == before, "preparing writes nothing");
  if (!report.ok()) {
    CheckRefusal(report.status(), file);
    return;
  }
  FUZZ_CHECK(report->appended + report->already_present == report->rows, "every row is counted");
  uint64_t lines = 0;
  for (const auto& [first, last] : report->new_lines) {
    FUZZ_CHECK(first <= last, "line ranges are ordered");
    lines += last - first + 1;
  }
  FUZZ_CHECK(lines == report->appended, "the new lines are the new rows");
  FUZZ_CHECK(report->prepared.has_value() == (report->appended > 0),
             "a statement is prepared exactly when a row is new");
  if (report->prepared) {
    FUZZ_CHECK(report->prepared->record_count == report->appended, "the statement covers the rows");
  }
  FUZZ_CHECK(report->warnings.size() <= 10, "at most 10 warnings are listed");
  for (const std::string& warning : report->warnings) {
    CheckRefusal(InvalidArgument(warning), file);
  }
}

void CheckDraft(jejak::testing::PkhWorld& w, std::string_view file) {
  const uint64_t before = w.kab_.pkh->writer().size();
  auto draft = DraftBeritaAcara(*w.kab_.pkh, CsvSource::Received(std::string(file), "fuzz.csv"),
                                jejak::testing::kStage, kDraftDate, kDraftNumber, w.program_key_);
  FUZZ_CHECK(w.kab_.pkh->writer().size() == before, "drafting writes nothing");
  if (!draft.ok()) {
    CheckRefusal(draft.status(), file);
    return;
  }
  const BeritaAcara& ba = draft->ba;
  FUZZ_CHECK(!ba.rows.empty() && ba.signatures.empty(), "a draft has rows and no signature");
  uint64_t total = 0;
  for (const BeritaAcaraRow& row : ba.rows) total += row.amount;
  FUZZ_CHECK(total == ba.total_amount, "a draft's total is the sum of its rows");
  auto again = DecodeBeritaAcara(EncodeBeritaAcara(ba), "draft.json");
  FUZZ_CHECK(again.ok() && *again == ba, "a draft encodes to a file that decodes equal");
  uint64_t line = 0;
  for (const BeritaAcaraWarning& warning : draft->warnings) {
    FUZZ_CHECK(warning.line >= line, "warnings are in line order");
    line = warning.line;
    CheckRefusal(InvalidArgument(warning.ToString()), file);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  jejak::testing::PkhWorld& w = World();
  std::string_view in = fuzz::AsText(data, size);
  switch (fuzz::TakeByte(in) % 7) {
    case 0:
      CheckImport(w, ImportFile::kUpdates, in);
      break;
    case 1:
      CheckImport(w, ImportFile::kReceipts, in);
      break;
    case 2:
      CheckDraft(w, in);
      break;
    case 3:
      CheckImport(w, ImportFile::kBnba, in);
      break;
    case 4:
      CheckImport(w, ImportFile::kVerifications, in);
      break;
    case 5:
      CheckImport(w, ImportFile::kComplaints, in);
      break;
    default:
      CheckImport(w, ImportFile::kComplaintResponses, in);
  }
  return 0;
}
