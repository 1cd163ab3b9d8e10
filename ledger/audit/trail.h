// A family's trail (jejak trail): every record about one KPM across the logs
// a node holds — target list entries, updates, verifications, approvals with
// their berita acara, receipts, complaints and the responses to them — in
// time order, the family's status on each record's date, the findings the
// audit rules give it, and where each record lies (log, leaf). The family
// appears only as its pseudonym: the trail never holds an identifier.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/audit/audit.h"
#include "ledger/pkh/entry_text.h"
#include "ledger/pkh/lang.h"
#include "ledger/pkh/node_folder.h"
#include "ledger/pkh/records.h"

namespace jejak {

enum class TrailKind : uint8_t {
  kTargetList,
  kUpdate,
  kVerification,
  kApproval,
  kReceipt,
  kComplaint,
  kResponse,
};
std::string_view TrailKindName(TrailKind kind);  // "target_list", "update", ...
Result<TrailKind> ParseTrailKind(std::string_view name);

struct TrailRecord {
  // The date the record speaks of, as written: a target list's statement
  // time, an update's effective date, a verification's date, a berita acara's
  // date, a receipt's paid_at, a complaint's received_at, a response's
  // responded_at. Records are ordered by its first 10 characters (the
  // calendar date), then by log and leaf.
  std::string date;
  TrailKind kind = TrailKind::kUpdate;
  std::string log;  // origin
  uint64_t leaf = 0;
  uint64_t statement = 0;  // the leaf of the statement that carries it
  std::string stage;       // approvals, receipts, complaints (and their responses)
  // What the record says (DescribeEntry, without "entry" and "type"), and
  // what its statement says: its document number and date, time and signers.
  std::vector<EntryField> fields, statement_fields;
  // The family's status on `date` by the updates the node holds ("active",
  // ...; "" when no update dates on or before it).
  std::string status;
  // With proofs: the record's C2SP tlog-proof against the log's latest
  // checkpoint, with the cosignatures the node keeps on it ("" for a leaf
  // beyond the latest signed checkpoint).
  std::string tlog_proof;
};

struct Trail {
  Pseudonym kpm{};
  std::string stage;  // "" : every stage the governance log opened
  std::string as_of, moment;
  std::string node;  // the origin of the node the trail was read on
  std::vector<TrailRecord> records;
  // The findings the audit rules give the family in each stage it has
  // approvals, receipts or complaints in (and those about the statements
  // that carry its records), as `jejak audit` reports them.
  std::vector<Finding> findings;
  // Logs the audit scope needs that the node does not hold (the trail may
  // miss records there), and other caveats; the same in Bahasa Indonesia,
  // one for each.
  std::vector<std::string> missing, notes, missing_id, notes_id;
};

struct TrailOptions {
  Pseudonym kpm{};
  std::string stage;  // empty: all stages
  std::string as_of;  // YYYY-MM-DD or a date-time with offset, as for the audit
  bool proofs = false;
  // As AuditOptions::cosignatures.
  std::function<Result<std::vector<std::string>>(uint32_t log, uint64_t size)> cosignatures;
  // As AuditOptions::catch_up.
  bool catch_up = true;
};

// The trail of one family on the node in `folder`. InvalidArgument for a bad
// stage or date; FailedPrecondition when the node holds no governance log.
Result<Trail> BuildTrail(NodeFolder& folder, const TrailOptions& options);

// The pseudonym written as 32 lowercase hex digits; InvalidArgument naming
// `option` otherwise.
Result<Pseudonym> ParsePseudonymHex(std::string_view hex, std::string_view option);

// Renderings. JSON (format "jejak-trail-v1", specs/trail.md) reads back with
// ParseTrailJson; `id_kpm` is added only with `revealed` (--reveal).
// `proof_files` names each record's tlog-proof file where written (same
// order as records; empty: none).
std::string TrailJson(const Trail& trail, const std::string* revealed = nullptr,
                      const std::vector<std::string>& proof_files = {});
Result<Trail> ParseTrailJson(std::string_view text);
std::string TrailText(const Trail& trail, Lang lang, const std::string* revealed = nullptr,
                      const std::vector<std::string>& proof_files = {});

}  // namespace jejak
