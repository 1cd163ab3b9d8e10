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
#include "ledger/pkh_node.h"

namespace jejak {

struct ImportReport {
  uint64_t rows = 0;                           // data rows read
  uint64_t appended = 0;                       // records appended
  uint64_t already_present = 0;                // rows the log already held
  std::optional<AppendedStatement> statement;  // none if nothing was new
};

// Called every 100,000 rows with the rows read so far.
using ImportProgress = std::function<void(uint64_t rows)>;

// `path` may be "-" for standard input.
Result<ImportReport> ImportUpdates(PkhNode& node, const std::string& path,
                                   const SigningKey& operator_key, const ProgramKey& program_key,
                                   const ImportProgress& progress = {});
Result<ImportReport> ImportReceipts(PkhNode& node, const std::string& path,
                                    const SigningKey& payer_key, const ProgramKey& program_key,
                                    const ImportProgress& progress = {});

// Column lists, in the order the specs give.
extern const std::vector<std::string> kUpdateColumns;
extern const std::vector<std::string> kReceiptColumns;

}  // namespace jejak
