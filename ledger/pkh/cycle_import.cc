// Imports of the rest of the cycle: target lists, verifications of
// commitments, complaints and their responses (specs/csv-formats.md).
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ledger/pkh/admission.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/internal/import_runner.h"
#include "ledger/pkh/values.h"

namespace jejak {

const std::vector<std::string> kBnbaColumns = {"id_kpm", "kabupaten"};
const std::vector<std::string> kVerificationColumns = {
    "verification_id", "id_kpm", "month", "commitment", "result", "verified_on", "facility_code"};
const std::vector<std::string> kComplaintColumns = {
    "complaint_id", "id_kpm", "stage", "category", "channel", "received_at", "evidence_sha256"};
const std::vector<std::string> kResponseColumns = {"response_id", "complaint_id", "responded_at",
                                                   "action"};

namespace {

using import_internal::At;
using import_internal::IdentifierInPublicField;
using import_internal::ImportKind;
using import_internal::kMaxIdBytes;
using import_internal::KpmOf;
using import_internal::OpenedStageOf;
using import_internal::PrecheckSigner;
using import_internal::Row;
using import_internal::RowAt;
using import_internal::RunImport;
using import_internal::SignerOf;

// Today in WIB (UTC+7), the day a verification may be dated at the latest.
std::string TodayInWib() {
  return std::string(CalendarDate(FormatWib(static_cast<int64_t>(std::time(nullptr)))));
}

Result<Row> ParseBnba(const RowAt& at, const std::vector<std::string_view>& f,
                      const ProgramKey& key, const std::string& list_id,
                      const std::string& region) {
  BnbaEntry e;
  if (f[0] == list_id) return At(at, 0, IdentifierInPublicField("list id"));
  ASSIGN_OR_RETURN(e.kpm, KpmOf(at, 0, f[0], key));
  if (Status s = ValidateRegionCode(f[1], RegionLevel::kKabupaten, "the kabupaten"); !s.ok()) {
    return At(at, 1, s);
  }
  if (f[1] != region) {
    return At(at, 1,
              InvalidArgument(fmt::format("a target list entry of another kabupaten: this node "
                                          "is kabupaten {}",
                                          region)));
  }
  e.kabupaten = std::string(f[1]);
  Row row;
  row.key = BnbaDedupKey(list_id, e.kpm);
  row.region = e.kabupaten;
  row.record = std::move(e);
  return row;
}

Result<Row> ParseVerification(const RowAt& at, const std::vector<std::string_view>& f,
                              const ProgramKey& key, const std::string& today) {
  Verification v;
  if (Status s = ValidateShortText(f[0], kMaxIdBytes, "verification_id"); !s.ok()) {
    return At(at, 0, s);
  }
  if (f[0] == f[1]) return At(at, 0, IdentifierInPublicField("verification_id"));
  v.verification_id = std::string(f[0]);
  ASSIGN_OR_RETURN(v.kpm, KpmOf(at, 1, f[1], key));
  FIELD_OR_RETURN(v.month, 2, ParseYearMonth(f[2]));
  FIELD_OR_RETURN(v.commitment, 3, ParseCommitment(f[3]));
  FIELD_OR_RETURN(v.result, 4, ParseCommitmentResult(f[4]));
  FIELD_OR_RETURN(v.verified_on, 5, ParseIsoDate(f[5]));
  if (v.verified_on.substr(0, 7) < v.month) {
    return At(at, 5, InvalidArgument("is before the first day of the month verified"));
  }
  if (v.verified_on > today) {
    return At(at, 5,
              InvalidArgument("is after the day of import (a verification is recorded "
                              "after it is made)"));
  }
  if (!f[6].empty()) {
    if (Status s = ValidateShortText(f[6], kMaxIdBytes, "facility_code"); !s.ok()) {
      return At(at, 6, s);
    }
    if (f[6] == f[1]) return At(at, 6, IdentifierInPublicField("facility_code"));
  }
  v.facility_code = std::string(f[6]);
  Row row;
  row.key = v.verification_id;
  row.record = std::move(v);
  return row;
}

Result<Row> ParseComplaint(const RowAt& at, const std::vector<std::string_view>& f,
                           const ProgramKey& key, const Governance& gov) {
  Complaint c;
  if (Status s = ValidateShortText(f[0], kMaxIdBytes, "complaint_id"); !s.ok()) {
    return At(at, 0, s);
  }
  if (f[0] == f[1]) return At(at, 0, IdentifierInPublicField("complaint_id"));
  c.complaint_id = std::string(f[0]);
  if (!f[1].empty()) {
    ASSIGN_OR_RETURN(c.kpm, KpmOf(at, 1, f[1], key));
  }
  ASSIGN_OR_RETURN(c.stage, OpenedStageOf(at, 2, f[2], gov, gov.size()));
  FIELD_OR_RETURN(c.category, 3, ParseComplaintCategory(f[3]));
  FIELD_OR_RETURN(c.channel, 4, ParseComplaintChannel(f[4]));
  Instant received;
  FIELD_OR_RETURN(received, 5, ParseDateTimeWithOffset(f[5]));
  c.received_at = std::move(received.text);
  FIELD_OR_RETURN(c.evidence_sha256, 6, ParseOptionalSha256Hex(f[6]));
  Row row;
  row.key = c.complaint_id;
  row.stage = c.stage;
  row.record = std::move(c);
  return row;
}

Result<Row> ParseResponse(const RowAt& at, const std::vector<std::string_view>& f,
                          const ProgramKey& key, const RecordKeys& keys) {
  ComplaintResponse r;
  if (Status s = ValidateShortText(f[0], kMaxIdBytes, "response_id"); !s.ok()) {
    return At(at, 0, s);
  }
  r.response_id = std::string(f[0]);
  if (Status s = ValidateShortText(f[1], kMaxIdBytes, "complaint_id"); !s.ok()) {
    return At(at, 1, s);
  }
  r.complaint_id = std::string(f[1]);
  Instant responded;
  FIELD_OR_RETURN(responded, 2, ParseDateTimeWithOffset(f[2]));
  r.responded_at = std::move(responded.text);
  FIELD_OR_RETURN(r.action, 3, ParseResponseAction(f[3]));
  std::optional<HeldComplaint> complaint;
  ASSIGN_OR_RETURN(complaint, keys.Complaint(r.complaint_id));
  if (!complaint) {
    return At(at, 1,
              InvalidArgument("this log holds no complaint with this complaint_id (import the "
                              "complaint first)"));
  }
  // The response's id must not be the identifier of the family that
  // complained (compared by pseudonym: the complaint holds no identifier).
  if (complaint->kpm && KpmPseudonym(key, r.response_id) == *complaint->kpm) {
    return At(at, 0, IdentifierInPublicField("response_id"));
  }
  if (Status s = CheckResponseAgainstLog(keys, r); !s.ok()) return At(at, 2, s);
  Row row;
  row.key = r.response_id;
  row.record = std::move(r);
  return row;
}

// 1-64 of A-Z a-z 0-9 . _ / - (DOMAIN.md); the message never repeats it.
Status CheckListId(const std::string& list_id) {
  const bool ok = !list_id.empty() && list_id.size() <= 64 &&
                  list_id.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                      "0123456789._/-") == std::string::npos;
  if (!ok) return InvalidArgument("--list must be 1-64 of A-Z a-z 0-9 . _ / -");
  return Status::Ok();
}

}  // namespace

Result<ImportReport> ImportBnba(PkhNode& node, CsvSource source, const BnbaList& list,
                                const ImportSigning& signing, const ProgramKey& program_key,
                                const ImportProgress& progress) {
  RETURN_IF_ERROR(CheckListId(list.list_id));
  if (list.year < 1900 || list.year > 2999) {
    return InvalidArgument("--year must be the programme year the list targets, such as 2026");
  }
  PublicKey signer;
  ASSIGN_OR_RETURN(signer, SignerOf(signing));
  RETURN_IF_ERROR(PrecheckSigner(node, kTypeBnba, Role::kTargeting, signer));
  {
    ASSIGN_OR_RETURN(RecordKeys keys, node.NewRecordKeys());
    RETURN_IF_ERROR(CheckListYear(keys, list.list_id, list.year));
  }
  const std::string region = node.region();
  ImportKind kind{kBnbaColumns, kTypeBnba, "id_kpm", 'b'};
  kind.document_number = list.list_id;
  kind.document_year = list.year;
  return RunImport(
      node, std::move(source), kind,
      [&](const RowAt& at, const std::vector<std::string_view>& f) {
        return ParseBnba(at, f, program_key, list.list_id, region);
      },
      signing, progress);
}

Result<ImportReport> ImportVerifications(PkhNode& node, CsvSource source,
                                         const ImportSigning& signing,
                                         const ProgramKey& program_key,
                                         const ImportProgress& progress) {
  PublicKey signer;
  ASSIGN_OR_RETURN(signer, SignerOf(signing));
  RETURN_IF_ERROR(PrecheckSigner(node, kTypeVerification, Role::kOperator, signer));
  const std::string today = TodayInWib();
  return RunImport(
      node, std::move(source),
      ImportKind{kVerificationColumns, kTypeVerification, "verification_id", 'v'},
      [&](const RowAt& at, const std::vector<std::string_view>& f) {
        return ParseVerification(at, f, program_key, today);
      },
      signing, progress);
}

Result<ImportReport> ImportComplaints(PkhNode& node, CsvSource source, const ImportSigning& signing,
                                      const ProgramKey& program_key,
                                      const ImportProgress& progress) {
  PublicKey signer;
  ASSIGN_OR_RETURN(signer, SignerOf(signing));
  RETURN_IF_ERROR(PrecheckSigner(node, kTypeComplaint, Role::kOperator, signer));
  const Governance& gov = node.gov();
  return RunImport(
      node, std::move(source), ImportKind{kComplaintColumns, kTypeComplaint, "complaint_id", 'c'},
      [&](const RowAt& at, const std::vector<std::string_view>& f) {
        return ParseComplaint(at, f, program_key, gov);
      },
      signing, progress);
}

Result<ImportReport> ImportComplaintResponses(PkhNode& node, CsvSource source,
                                              const ImportSigning& signing,
                                              const ProgramKey& program_key,
                                              const ImportProgress& progress) {
  PublicKey signer;
  ASSIGN_OR_RETURN(signer, SignerOf(signing));
  RETURN_IF_ERROR(PrecheckSigner(node, kTypeComplaintResponse, Role::kOperator, signer));
  ASSIGN_OR_RETURN(RecordKeys keys, node.NewRecordKeys());
  return RunImport(
      node, std::move(source),
      ImportKind{kResponseColumns, kTypeComplaintResponse, "response_id", 'p'},
      [&](const RowAt& at, const std::vector<std::string_view>& f) {
        return ParseResponse(at, f, program_key, keys);
      },
      signing, progress);
}

std::string_view ImportFileName(ImportFile file) {
  switch (file) {
    case ImportFile::kUpdates:
      return "updates";
    case ImportFile::kReceipts:
      return "receipts";
    case ImportFile::kBnba:
      return "bnba";
    case ImportFile::kVerifications:
      return "verifications";
    case ImportFile::kComplaints:
      return "complaints";
    case ImportFile::kComplaintResponses:
      return "complaint-responses";
  }
  return "?";
}

std::optional<ImportFile> ParseImportFile(std::string_view name) {
  for (ImportFile f : kImportFiles) {
    if (ImportFileName(f) == name) return f;
  }
  return std::nullopt;
}

std::string_view ImportStatementType(ImportFile file) {
  switch (file) {
    case ImportFile::kUpdates:
      return kTypeUpdate;
    case ImportFile::kReceipts:
      return kTypeReceipt;
    case ImportFile::kBnba:
      return kTypeBnba;
    case ImportFile::kVerifications:
      return kTypeVerification;
    case ImportFile::kComplaints:
      return kTypeComplaint;
    case ImportFile::kComplaintResponses:
      return kTypeComplaintResponse;
  }
  return {};
}

Result<ImportReport> ImportFileOf(PkhNode& node, ImportFile file, CsvSource source,
                                  const BnbaList* list, const ImportSigning& signing,
                                  const ProgramKey& program_key, const ImportProgress& progress) {
  switch (file) {
    case ImportFile::kUpdates:
      return ImportUpdates(node, std::move(source), signing, program_key, progress);
    case ImportFile::kReceipts:
      return ImportReceipts(node, std::move(source), signing, program_key, progress);
    case ImportFile::kBnba:
      if (list == nullptr) return InvalidArgument("a target list needs its --list and --year");
      return ImportBnba(node, std::move(source), *list, signing, program_key, progress);
    case ImportFile::kVerifications:
      return ImportVerifications(node, std::move(source), signing, program_key, progress);
    case ImportFile::kComplaints:
      return ImportComplaints(node, std::move(source), signing, program_key, progress);
    case ImportFile::kComplaintResponses:
      return ImportComplaintResponses(node, std::move(source), signing, program_key, progress);
  }
  return InvalidArgument("unknown import file kind");
}

}  // namespace jejak
