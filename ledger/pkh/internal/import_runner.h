// The machinery every CSV import shares (ledger/pkh/import.cc): reading a file
// in batches checked on two threads, dedup by the row's key, staging in file
// order, then signing (here, or in two steps through a node), admitting and
// committing one statement. Each import supplies its columns, its statement
// type and key kind, and a row parser. Internal to ledger/pkh.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/pseudonym.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/node.h"

namespace jejak::import_internal {

inline constexpr size_t kMaxIdBytes = 64;

// Where a row is: its reader (for the file and column names) and its line.
struct RowAt {
  const CsvReader& reader;
  uint64_t line;
  std::string Where(size_t column) const { return reader.WhereAt(line, column); }
};

// Prefixes a value error with where it is (keeping PermissionDenied).
Status At(const RowAt& at, size_t column, const Status& s);

#define FIELD_OR_RETURN(lhs, column, expr)                                \
  do {                                                                    \
    auto jejak_field_ = (expr);                                           \
    if (!jejak_field_.ok()) return At(at, column, jejak_field_.status()); \
    lhs = std::move(jejak_field_).value();                                \
  } while (0)

// One checked row: its record, the key it is deduplicated by, and the
// kabupaten and stage it concerns (empty when none).
struct Row {
  PkhRecord record;
  std::string key;
  std::string region;
  std::string stage;
};

// Parses one row's fields. Must be thread-safe: batches run on a worker.
using RowParser = std::function<Result<Row>(const RowAt&, const std::vector<std::string_view>&)>;

// An id field is published in the log as written: one that is the row's own
// identifier would publish the identifier in clear. The error for `field`.
Status IdentifierInPublicField(std::string_view field);

// The pseudonym of a row's id_kpm (column `column`), checked first.
Result<Pseudonym> KpmOf(const RowAt& at, size_t column, std::string_view id, const ProgramKey& key);

// A stage id (column `column`) the governance log had opened at size `g`.
Result<std::string> OpenedStageOf(const RowAt& at, size_t column, std::string_view text,
                                  const Governance& gov, uint64_t g);

// What one kind of import is.
struct ImportKind {
  const std::vector<std::string>& columns;
  std::string_view type;        // the statement type
  std::string_view key_column;  // the column named in dedup messages
  char key_kind;                // the dedup key kind (RecordKey)
  // Set on the statement's header (a target list's id and year).
  std::string document_number;
  uint16_t document_year = 0;
};

// The import skeleton: read, then check and encode on two threads while the
// next batch is read; dedup and stage in file order; then sign, judge and
// commit.
Result<ImportReport> RunImport(PkhNode& node, CsvSource source, const ImportKind& kind,
                               const RowParser& parse, const ImportSigning& signing,
                               const ImportProgress& progress);

// The key that signs (or will sign) the statement.
Result<PublicKey> SignerOf(const ImportSigning& signing);

// Refuses early, before reading a file, when the signer could not sign
// statements of `type` on this node (the node's kind, the role for its
// region; a payer's institution).
Status PrecheckSigner(PkhNode& node, std::string_view type, Role role, const PublicKey& signer);

}  // namespace jejak::import_internal
