// Imports of PKH records from CSV files (specs/csv-formats.md): data updates
// by a kabupaten operator, disbursement receipts by a payer of a lembaga
// bayar. One file is one statement, signed once. Files stream: a million rows
// import in bounded memory.
//
// Idempotent: a row whose key (update_id, txn_ref) the log already holds with
// the same content is counted as already present and skipped; the same key
// with different content is an error. Any bad row fails the whole file and
// nothing of it is appended. Messages name the file, line and column, never a
// value (identifiers must not leave the machine).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "crypto/pseudonym.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/node.h"

namespace jejak {

struct ImportReport {
  uint64_t rows = 0;                           // data rows read
  uint64_t appended = 0;                       // records appended (prepared, when preparing)
  uint64_t already_present = 0;                // rows the log already held
  std::optional<AppendedStatement> statement;  // none if nothing was new, or preparing
  std::optional<StatementHeader> prepared;     // preparing: the header to sign, if anything is new
  // Rows whose published reference (update_id, txn_ref) holds 16 digits in a
  // row, as a NIK does: "FILE line L column C (txn_ref): ..." (at most 10;
  // `more_warnings` counts the rest). The import goes on: a reference may
  // be that long; an identifier must not be.
  std::vector<std::string> warnings;
  uint64_t more_warnings = 0;
  // The file's lines whose rows are the statement's records, in order, as
  // ranges [first, last]: with the file and the program key, a signer can
  // recompute the records root of a statement it is asked to sign.
  std::vector<std::pair<uint64_t, uint64_t>> new_lines;
};

// True when `text` holds 16 decimal digits in a row (the length of a NIK).
bool LooksLikeNik(std::string_view text);

// Who signs the import's statement, and where.
//   - Here: `key` signs it as soon as the file is read (the folder CLI).
//   - Elsewhere, in two steps (a client of a running node that holds the role
//     key while the node holds the program key and the index): first
//     `prepare_for` = the signer's key reads the file and reports the header
//     it would append, unsigned, appending nothing; then `presigned` = that
//     header signed by the client reads the same file again and appends only
//     if the file still derives exactly the signed header (FailedPrecondition
//     otherwise: the file or the log changed since; prepare and sign again).
struct ImportSigning {
  const SigningKey* key = nullptr;
  std::optional<PublicKey> prepare_for;
  const Statement* presigned = nullptr;
};

// Called every 100,000 rows with the rows read so far.
using ImportProgress = std::function<void(uint64_t rows)>;

// `source` may be a path ("-" for standard input) or received bytes.
Result<ImportReport> ImportUpdates(PkhNode& node, CsvSource source, const ImportSigning& signing,
                                   const ProgramKey& program_key,
                                   const ImportProgress& progress = {});
Result<ImportReport> ImportReceipts(PkhNode& node, CsvSource source, const ImportSigning& signing,
                                    const ProgramKey& program_key,
                                    const ImportProgress& progress = {});
// Signed here by `operator_key` / `payer_key`.
Result<ImportReport> ImportUpdates(PkhNode& node, CsvSource source, const SigningKey& operator_key,
                                   const ProgramKey& program_key,
                                   const ImportProgress& progress = {});
Result<ImportReport> ImportReceipts(PkhNode& node, CsvSource source, const SigningKey& payer_key,
                                    const ProgramKey& program_key,
                                    const ImportProgress& progress = {});

// The rest of the cycle (../shared/DOMAIN.md, "The rest of the cycle"), with
// the same guarantees: one statement per file, dedup keys, idempotent
// re-import, a held key with different content an error, every bad row named
// by file, line and column, nothing appended on any error.
//
// A Kemensos target list (BNBA): signed by a key holding the targeting role
// for the kabupaten, appended by the kabupaten node. `list_id` is 1-64 of
// A-Z a-z 0-9 . _ / - and is held under one `year` only.
struct BnbaList {
  std::string list_id;
  uint16_t year = 0;
};
Result<ImportReport> ImportBnba(PkhNode& node, CsvSource source, const BnbaList& list,
                                const ImportSigning& signing, const ProgramKey& program_key,
                                const ImportProgress& progress = {});
// Verifications of commitments, complaints and responses: operator keys.
Result<ImportReport> ImportVerifications(PkhNode& node, CsvSource source,
                                         const ImportSigning& signing,
                                         const ProgramKey& program_key,
                                         const ImportProgress& progress = {});
Result<ImportReport> ImportComplaints(PkhNode& node, CsvSource source, const ImportSigning& signing,
                                      const ProgramKey& program_key,
                                      const ImportProgress& progress = {});
Result<ImportReport> ImportComplaintResponses(PkhNode& node, CsvSource source,
                                              const ImportSigning& signing,
                                              const ProgramKey& program_key,
                                              const ImportProgress& progress = {});

// The kinds of import file, as the CLI and the node's API name them
// ("updates", "receipts", "bnba", "verifications", "complaints",
// "complaint-responses").
enum class ImportFile : uint8_t {
  kUpdates,
  kReceipts,
  kBnba,
  kVerifications,
  kComplaints,
  kComplaintResponses,
};
inline constexpr ImportFile kImportFiles[] = {
    ImportFile::kUpdates,       ImportFile::kReceipts,   ImportFile::kBnba,
    ImportFile::kVerifications, ImportFile::kComplaints, ImportFile::kComplaintResponses};
std::string_view ImportFileName(ImportFile file);
std::optional<ImportFile> ParseImportFile(std::string_view name);
// The statement type an import of `file` appends (kTypeUpdate, ...).
std::string_view ImportStatementType(ImportFile file);

// Any import: `list` is required for a target list and ignored otherwise.
Result<ImportReport> ImportFileOf(PkhNode& node, ImportFile file, CsvSource source,
                                  const BnbaList* list, const ImportSigning& signing,
                                  const ProgramKey& program_key,
                                  const ImportProgress& progress = {});

// Column lists, in the order the specs give.
extern const std::vector<std::string> kUpdateColumns;
extern const std::vector<std::string> kReceiptColumns;
extern const std::vector<std::string> kBnbaColumns;
extern const std::vector<std::string> kVerificationColumns;
extern const std::vector<std::string> kComplaintColumns;
extern const std::vector<std::string> kResponseColumns;

}  // namespace jejak
