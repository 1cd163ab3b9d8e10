// The audit of one PKH stage (DESIGN.md §6, ../shared/DOMAIN.md "Finding
// types"): merges the join indexes of every log a node holds — approvals and
// receipts of the stage by (stage, KPM), updates by (KPM, date) — and applies
// each finding rule, judged against the governance log at the size each
// statement records. Streams: memory grows with the findings and the number of
// kabupaten and lembaga bayar, not with the number of families.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/pkh/lang.h"
#include "ledger/pkh/node_folder.h"
#include "ledger/pkh/records.h"

namespace jejak {

// The finding types, in the order of the DOMAIN.md table (names are part of
// the interface).
enum class FindingType : uint8_t {
  kPaidNotApproved,
  kDuplicatePayout,
  kAmountMismatch,
  kPaidOutsideWindow,
  kPaidToIneligible,
  kUnpaidAfterWindow,
  kApprovedIneligible,
  kEntitlementMismatch,
  kUnauthorizedStatement,
  kLogIntegrity,
  kEquivocation,
  // The rest of the cycle (DOMAIN.md, "The rest of the cycle").
  kApprovedNotInBnba,
  kApprovedWhileSuspended,
  kComplaintUnanswered,
  kPaidButDisputed,
};
inline constexpr size_t kFindingTypeCount = 15;
// The order reports list the types in: the worst first.
inline constexpr FindingType kFindingSeverityOrder[] = {
    FindingType::kLogIntegrity,          FindingType::kEquivocation,
    FindingType::kUnauthorizedStatement, FindingType::kPaidNotApproved,
    FindingType::kDuplicatePayout,       FindingType::kPaidToIneligible,
    FindingType::kAmountMismatch,        FindingType::kPaidOutsideWindow,
    FindingType::kApprovedIneligible,    FindingType::kEntitlementMismatch,
    FindingType::kUnpaidAfterWindow,     FindingType::kPaidButDisputed,
    FindingType::kApprovedNotInBnba,     FindingType::kApprovedWhileSuspended,
    FindingType::kComplaintUnanswered,
};
static_assert(std::size(kFindingSeverityOrder) == kFindingTypeCount);
std::string_view FindingTypeName(FindingType type);  // "PAID_NOT_APPROVED", ...
// What the type means, in one phrase, in `lang` (beside the name, which
// stays as it is). Pure.
std::string_view FindingTypeDescription(FindingType type, Lang lang);

// One leaf a finding rests on, and (with proofs) its RFC 6962 inclusion proof
// against the checkpoint the report lists for its log.
struct LeafRef {
  std::string log;  // origin
  uint64_t leaf = 0;
  std::string role;  // "receipt", "approval", "update", "statement"
  // With proofs: the leaf's RFC 6962 hash and its inclusion proof in the
  // tree of `proof_size` leaves (the checkpoint listed for the log).
  std::optional<Hash> leaf_hash;
  std::optional<std::vector<Hash>> proof;
  uint64_t proof_size = 0;
  // With proofs: the same as a C2SP tlog-proof (ledger/log/tlog_proof.h)
  // against that checkpoint with the cosignatures held on it, the leaf's
  // bytes as its extra data.
  std::string tlog_proof;
};
bool operator<(const LeafRef& a, const LeafRef& b);  // by (log, leaf, role)

struct Finding {
  FindingType type = FindingType::kPaidNotApproved;
  std::string stage;
  std::string kabupaten;  // region code, where known
  std::optional<Pseudonym> kpm;
  std::string txn_ref;
  std::string complaint_id;   // for the complaint rules; empty: null
  std::string lembaga_bayar;  // the bank's origin for receipts, or the berita acara's code
  std::optional<uint64_t> amount, expected_amount;
  std::string detail;     // one line, no identifiers
  std::string detail_id;  // the same in Bahasa Indonesia; empty: only `detail` (English)
  std::vector<LeafRef> leaves;
};

// The finding's detail in `lang`: detail_id in Bahasa Indonesia where the
// rule wrote one, else detail.
inline const std::string& FindingDetail(const Finding& f, Lang lang) {
  return lang == Lang::kId && !f.detail_id.empty() ? f.detail_id : f.detail;
}

// A log the audit read, at its latest signed checkpoint.
struct AuditedLog {
  std::string origin, kind, region, name;
  uint64_t size = 0;
  Hash root{};
  std::string checkpoint;  // the signed note
};

struct KabupatenTotals {
  uint64_t approved = 0, approved_amount = 0;  // families (approval records)
  uint64_t paid = 0, paid_amount = 0;          // paid receipts
  uint64_t paid_families = 0;                  // approved families with a paid receipt here
  uint64_t failed = 0, returned = 0;           // receipts
  uint64_t unpaid = 0;  // approved families without a paid receipt of the stage
  // Approved families on a target list that counts for the stage (a list of
  // the stage's year or earlier, in the kabupaten's log before the berita
  // acara), whether or not require_bnba is on.
  uint64_t on_bnba = 0;
  // Approved families with at least one verification of the month (YYYY-MM),
  // for the months the suspension rule reads (the max(3, N) months before the
  // berita acara's month).
  std::map<std::string, uint64_t> verified_by_month;
};

// The complaints of the audited stage held by one kabupaten's log.
struct ComplaintTotals {
  uint64_t received = 0;
  uint64_t answered_in_time = 0;  // answered or resolved by the deadline
  uint64_t overdue = 0;           // COMPLAINT_UNANSWERED
  uint64_t open = 0;              // unanswered, deadline not yet reached
  std::string oldest_overdue;     // received_at of the oldest overdue, as written
  int64_t oldest_overdue_seconds = 0;
};

// A response whose statement was recorded after its complaint's deadline
// although its responded_at is within it: the operator's word against the
// log's clock.
struct LateRecordedResponse {
  std::string kabupaten, complaint_id, response_id, responded_at;
  int64_t recorded_after_deadline_seconds = 0;
  LeafRef leaf;
};

struct LembagaTotals {
  uint64_t receipts = 0;
  uint64_t paid = 0, paid_amount = 0;
  uint64_t failed = 0, failed_amount = 0;
  uint64_t returned = 0, returned_amount = 0;
};

struct AuditReport {
  std::string stage, as_of;
  std::string window_from, window_to;  // the stage window as the governance log now says
  std::vector<AuditedLog> logs;        // sorted by origin
  // Logs the scope needs that the node does not hold, or holds only partly:
  // one line each ("kabupaten 7306 (origin): not held").
  std::vector<std::string> missing;
  std::vector<std::string> notes;  // other caveats (an index caught up, a rule skipped)
  // The same lines in Bahasa Indonesia, one for each (Missing and Note add
  // both; MissingIn and NotesIn pick by language).
  std::vector<std::string> missing_id, notes_id;
  std::vector<Finding> findings;  // sorted: type, kabupaten, KPM, txn_ref, leaves
  std::array<uint64_t, kFindingTypeCount> summary{};
  KabupatenTotals totals;
  std::map<std::string, KabupatenTotals> by_kabupaten;  // region code
  std::map<std::string, LembagaTotals> by_lembaga;      // origin of the receipts' log
  std::map<std::string, ComplaintTotals> complaints;    // region code
  std::vector<LateRecordedResponse> late_responses;     // sorted: kabupaten, complaint, leaf
  std::string moment;  // the audit moment, YYYY-MM-DDTHH:MM:SS+07:00

  void Missing(std::string en, std::string id) {
    missing.push_back(std::move(en)), missing_id.push_back(std::move(id));
  }
  void Note(std::string en, std::string id) {
    notes.push_back(std::move(en)), notes_id.push_back(std::move(id));
  }
  const std::vector<std::string>& MissingIn(Lang lang) const {
    return lang == Lang::kId && missing_id.size() == missing.size() ? missing_id : missing;
  }
  const std::vector<std::string>& NotesIn(Lang lang) const {
    return lang == Lang::kId && notes_id.size() == notes.size() ? notes_id : notes;
  }
};

struct AuditOptions {
  std::string stage;
  // YYYY-MM-DD (the moment: the end of that day in WIB) or a date-time with
  // an offset (DOMAIN.md, "Precisely").
  std::string as_of;
  std::vector<std::string> kabupaten;  // scope codes ("73" covers 7306); empty: all
  bool proofs = false;
  // With proofs: the cosignature lines the node keeps beside checkpoint
  // `size` of log `log` (a LogInfo id), added to the checkpoint of each
  // tlog-proof. Unset: the checkpoints as stored. Where they are kept is the
  // node's business (node/log_status.h), hence injected.
  std::function<Result<std::vector<std::string>>(uint32_t log, uint64_t size)> cosignatures;
  // Recompute every held log (LOG_INTEGRITY); on by default.
  bool verify_logs = true;
  // Only this family (jejak trail): the join reads its rows alone, and the
  // totals count it alone. Statement and log findings are judged as always.
  std::optional<Pseudonym> family;
  // Bring indexes behind their logs up to date first (the folder opened
  // read-write). Off beside a running node that indexes as it stores (its
  // own trail endpoint): an index behind is then an error, as for a folder
  // opened read-only.
  bool catch_up = true;
  // Called now and then with (KPM groups done of about `total`).
  std::function<void(uint64_t, uint64_t)> progress;
};

// Audits `folder` (opened read-write: an index behind its log is caught up
// first). InvalidArgument for a bad option, FailedPrecondition if the node
// holds no governance log or the stage was never opened; store errors.
// Deterministic: the same store and options give the same report.
Result<AuditReport> RunAudit(NodeFolder& folder, const AuditOptions& options);

// Pseudonym -> identifier, for an auditor who holds the program key and the
// source list (jejak audit --reveal). Used only to render a report.
using RevealMap = std::map<Pseudonym, std::string>;

// Renderings (ledger/audit/render.cc). Byte-for-byte deterministic. With
// `reveal`, findings of a family whose pseudonym it maps also show id_kpm.
std::string AuditJson(const AuditReport& report, const RevealMap* reveal = nullptr);
std::string AuditCsv(const AuditReport& report, const RevealMap* reveal = nullptr);
// The text report in `lang`: Indonesian headings and SOP terms, digits
// grouped with dots, a description beside each finding type; English as
// before. The details of findings and notes stay in English.
std::string AuditText(const AuditReport& report, const RevealMap* reveal = nullptr,
                      Lang lang = Lang::kEn);

}  // namespace jejak
