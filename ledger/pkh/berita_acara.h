// The berita acara (DOMAIN.md step 2): the signed minute by which a
// kabupaten's Dinas Sosial fixes, for one stage, the families to be paid and
// the amount for each. It travels between officials as a JSON file
// (specs/berita-acara.md): drafted from a CSV file on the kabupaten node,
// signed by each approver on their own machine, then submitted as one
// `pkh.approval` statement with one Approval record per row.
//
// The ledger records what the institutions did; judging it is the audit's
// job. Only malformed input, a KPM approved twice for a stage in a kabupaten,
// and signers without authority are refused; a deceased family or an amount
// that differs from the entitlement is a warning. The file holds only KPM
// pseudonyms, and no message names an identifier.
//
// Thread-compatible: the functions share no state; a PkhNode belongs to one
// thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/pseudonym.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/entry.h"
#include "ledger/log/statement_log.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/records.h"

namespace jejak {

inline constexpr std::string_view kBeritaAcaraFormat = "jejak-berita-acara-v1";
inline constexpr size_t kMaxBeritaAcaraNumberBytes = 128;
inline constexpr size_t kMaxLembagaBayarBytes = 16;
// The CSV columns of `jejak ba draft`, in any order in the file.
inline constexpr std::string_view kBeritaAcaraColumns[] = {"id_kpm", "lembaga_bayar", "amount"};

struct BeritaAcaraRow {
  Pseudonym kpm{};
  std::string lembaga_bayar;  // as the berita acara writes it ("BRI", "POS", ...)
  uint64_t amount = 0;        // whole rupiah
  bool operator==(const BeritaAcaraRow&) const = default;
};

struct BeritaAcaraSignature {
  std::string key_name;  // for display only: it is not covered by the signature
  PublicKey public_key{};
  Signature signature{};
  bool operator==(const BeritaAcaraSignature&) const = default;
};

struct BeritaAcara {
  std::string origin;            // the kabupaten log it will be appended to
  std::string kabupaten;         // that node's region
  std::string stage;             // "2026-T1"
  std::string number;            // "800/2128/DINSOS.B/XI/2023"
  std::string date;              // YYYY-MM-DD
  uint64_t governance_size = 0;  // the governance size it is judged at
  int64_t timestamp_ms = 0;
  std::vector<BeritaAcaraRow> rows;
  Hash records_root{};  // of the record leaves, in row order
  uint64_t total_amount = 0;
  std::vector<BeritaAcaraSignature> signatures;
  bool operator==(const BeritaAcara&) const = default;
};

// The statement header the approvers sign: type pkh.approval, record_count =
// rows, regions = {kabupaten}, document_number/date = number/date. Pure.
StatementHeader BeritaAcaraHeader(const BeritaAcara& ba);

// The record leaves, EncodePkhRecord(Approval{kpm, lembaga_bayar, amount}) in
// row order. InvalidArgument if a row cannot be encoded. Pure.
Result<std::vector<Bytes>> BeritaAcaraRecordLeaves(const BeritaAcara& ba);

// The JSON text of the file, and its strict reading. Decode refuses, naming
// `where` and the field: InvalidArgument for text that is not JSON (with its
// line and column), a missing, unknown or mistyped field, or a value out of
// range; Corruption when the rows, total or records root do not match the
// records (a changed file) or a KPM is repeated; PermissionDenied naming the
// signature that does not verify over the header. Pure.
std::string EncodeBeritaAcara(const BeritaAcara& ba);
Result<BeritaAcara> DecodeBeritaAcara(std::string_view text, std::string_view where);

// File wrappers. Write is atomic (WriteFileAtomic); with `no_clobber` an
// existing file is left alone (AlreadyExists). Read returns Decode's errors,
// NotFound or IOError.
Status WriteBeritaAcara(const std::string& path, const BeritaAcara& ba, bool no_clobber = false);
Result<BeritaAcara> ReadBeritaAcara(const std::string& path);

// Something the audit will report, found while drafting; the draft stands.
struct BeritaAcaraWarning {
  uint64_t line = 0;  // of the CSV file; 0 for the file as a whole
  std::string message;
  std::string ToString() const;  // "line 4: ..." or the message alone
};

struct BeritaAcaraDraft {
  BeritaAcara ba;
  std::vector<BeritaAcaraWarning> warnings;  // in line order
};

// Drafts a berita acara of `node` (a kabupaten) from the CSV file at
// `csv` (a path, or bytes received; columns kBeritaAcaraColumns), unsigned, at the node's current
// governance size. Returns:
//   - FailedPrecondition if the node is not a kabupaten registered in the
//     governance log it holds;
//   - InvalidArgument for a stage that is malformed or not opened at that
//     size, a malformed date, a number that is empty, not printable UTF-8 or
//     over kMaxBeritaAcaraNumberBytes, a file with no rows, and any malformed
//     row ("FILE line 4 column 3 (amount): ...");
//   - InvalidArgument naming both lines for a KPM repeated in the file, and
//     AlreadyExists naming the lines and the leaves for KPM the node's log
//     already approved for this stage;
//   - the reader's and the store's errors.
// Warnings: a KPM with no update on or before the date, or not active on it
// (StatusOn); an amount that differs from its entitlement under the benefit
// index of the stage's year; or, once, that the year has no index.
Result<BeritaAcaraDraft> DraftBeritaAcara(PkhNode& node, CsvSource csv, std::string_view stage,
                                          std::string_view date, std::string_view number,
                                          const ProgramKey& program_key);

// Adds a signature by `key` over BeritaAcaraHeader(ba). AlreadyExists if the
// key has signed it already; InvalidArgument for a key name that
// ValidKeyName refuses.
Status SignBeritaAcara(BeritaAcara& ba, const SigningKey& key, std::string_view key_name);

// Adds a signature made elsewhere (a browser, `jejak ba sign --draft`) once
// it verifies over BeritaAcaraHeader(ba): PermissionDenied when it does not
// (a signature over other rows, another number, another key);
// AlreadyExists and InvalidArgument as SignBeritaAcara.
Status AddBeritaAcaraSignature(BeritaAcara& ba, const PublicKey& key, const Signature& signature,
                               std::string_view key_name);

// A few lines for people: number, date, stage, kabupaten, rows, total, root,
// governance size and every signer. With `gov`, also whether each signer
// holds the approver role for the kabupaten at gov->size() and the threshold
// it needs there. Pure.
std::string ShowBeritaAcara(const BeritaAcara& ba, const Governance* gov = nullptr);

// Appends the berita acara to `node`'s log as one pkh.approval statement.
// FailedPrecondition if it was drafted for another node; AlreadyExists if
// the log holds it already (naming its leaf), or naming the rows and leaves
// of KPM approved for the stage since the draft; PermissionDenied if it has
// no signature, or from PkhNode::Judge when the signers are too few, lack
// the approver role, or were revoked (judged at the recorded governance size
// and now); the store's errors otherwise. Nothing is appended on error.
Result<AppendedStatement> SubmitBeritaAcara(PkhNode& node, const BeritaAcara& ba);

}  // namespace jejak
