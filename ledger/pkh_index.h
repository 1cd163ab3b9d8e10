// Derived indexes of the PKH records in a store (layout: specs/store-layout.md):
//   - dedup keys: update_id and txn_ref per log, and (stage, KPM) per
//     kabupaten log for berita acara;
//   - each statement's verdict (authorized, or why not) and record-level
//     violations;
//   - join rows ordered by (stage, KPM) for approvals and receipts and by
//     (KPM, date) for updates, which the audit merges.
// Indexes are built from a log's leaves up to a watermark, chunk by chunk,
// each chunk committed with its watermark: a crash loses nothing, and the next
// catch-up resumes where it stopped. They can be rebuilt from the leaves.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/governance.h"
#include "ledger/log.h"
#include "ledger/pkh_records.h"

namespace jejak {

struct IndexReport {
  uint64_t leaves = 0;                        // leaves indexed by this catch-up
  uint64_t statements = 0;                    // statements judged
  uint64_t violations = 0;                    // statements or records found unauthorized
  std::vector<std::string> first_violations;  // "leaf 17: ..." (at most 10)
};

// Brings the index of `log` up to its committed size. For the governance log
// pass `gov` = nullptr and its trust anchor as `root`: it is judged by the
// state its own earlier statements make. For every other log, `gov` judges.
// Returns store errors; unauthorized statements are indexed as violations,
// not errors.
Result<IndexReport> CatchUpIndex(Store& store, const LogInfo& log, const Governance* gov,
                                 const PublicKey* root,
                                 const std::function<void(uint64_t, uint64_t)>& progress = {});

// The leaves indexed so far.
Result<uint64_t> IndexedSize(Store& store, const LogInfo& log);

// Dedup lookups in one log: the leaf index of the record, if present.
Result<std::optional<uint64_t>> FindUpdateId(Store& store, uint32_t log,
                                             std::string_view update_id);
Result<std::optional<uint64_t>> FindTxnRef(Store& store, uint32_t log, std::string_view txn_ref);
Result<std::optional<uint64_t>> FindApproval(Store& store, uint32_t log, std::string_view stage,
                                             const Pseudonym& kpm);
// Any dedup key (RecordKey in admission.h): `kind` 'u', 'r' or 'a'.
Result<std::optional<uint64_t>> FindDedupKey(Store& store, uint32_t log, char kind,
                                             std::string_view key);
// The key of an approval of `kpm` for `stage` (kind 'a').
std::string ApprovalDedupKey(std::string_view stage, const Pseudonym& kpm);
// Whether the log holds any dedup key at all: an import into a log that holds
// none can skip its per-row lookups.
Result<bool> HoldsAnyDedupKey(Store& store, uint32_t log);
// The largest governance size a statement indexed so far records.
Result<uint64_t> LastGovernanceSize(Store& store, const LogInfo& log);

// --- Join rows (the audit's input) ---

struct ApprovalRow {
  std::string stage;
  Pseudonym kpm{};
  uint32_t log = 0;
  uint64_t leaf = 0;
  uint64_t statement = 0;  // leaf of its berita acara
  uint64_t amount = 0;
  std::string ba_date;    // YYYY-MM-DD
  std::string kabupaten;  // the kabupaten node's region
  std::string lembaga_bayar;
};

struct ReceiptRow {
  std::string stage;
  Pseudonym kpm{};
  uint32_t log = 0;
  uint64_t leaf = 0;
  uint64_t statement = 0;
  ReceiptStatus status = ReceiptStatus::kPaid;
  uint64_t amount = 0;
  std::string paid_date;  // the calendar date as written
  std::string kabupaten;
  std::string txn_ref;
};

struct UpdateRow {
  Pseudonym kpm{};
  std::string effective_date;
  uint32_t log = 0;
  uint64_t leaf = 0;
  uint64_t statement = 0;
  KpmStatus status = KpmStatus::kActive;
  Members members{};
};

// A key-order cursor over one kind of join rows, for the audit's merge join:
// approvals or receipts of one stage, or updates, of the KPMs whose
// pseudonyms lie in [from, to) (`to` absent: to the end). Holds a store
// iterator (a consistent snapshot); not thread-safe, use one per thread.
class JoinCursor {
 public:
  enum class Kind { kApproval, kReceipt, kUpdate };
  // Positions on the first row; check status() and Valid().
  JoinCursor(Store& store, Kind kind, std::string_view stage, const Pseudonym& from,
             const std::optional<Pseudonym>& to);
  ~JoinCursor();
  JoinCursor(const JoinCursor&) = delete;
  JoinCursor& operator=(const JoinCursor&) = delete;

  bool Valid() const { return valid_; }
  // Ok, or the store's error or Corruption for a malformed entry (after which
  // the cursor is not Valid).
  const Status& status() const { return status_; }
  void Next();
  // The current row's pseudonym, and its decoded row (of this cursor's kind).
  const Pseudonym& kpm() const;
  const ApprovalRow& approval() const { return approval_; }
  const ReceiptRow& receipt() const { return receipt_; }
  const UpdateRow& update() const { return update_; }

 private:
  void Settle();

  Kind kind_;
  std::string prefix_, end_;
  std::unique_ptr<StoreIterator> it_;
  bool valid_ = false;
  Status status_;
  ApprovalRow approval_;
  ReceiptRow receipt_;
  UpdateRow update_;
};

// The update that gives a KPM's status on `date`: the greatest effective date
// on or before it, ties to the later leaf. std::nullopt if none.
Result<std::optional<UpdateRow>> StatusOn(Store& store, const Pseudonym& kpm,
                                          std::string_view date);

// A statement's entry in the index.
struct StatementVerdict {
  uint32_t log = 0;
  uint64_t leaf = 0;
  std::string type, stage;
  uint64_t governance_size = 0;
  uint64_t records = 0;
  std::string violation;  // empty when authorized
};
Status ForEachStatementVerdict(Store& store,
                               const std::function<Status(const StatementVerdict&)>& f);

// Record-level violations ("a receipt for a kabupaten the statement does not
// list"): (log, leaf, message).
struct RecordViolation {
  uint32_t log = 0;
  uint64_t leaf = 0;
  uint64_t statement = 0;
  std::string message;
};
Status ForEachRecordViolation(Store& store, const std::function<Status(const RecordViolation&)>& f);

}  // namespace jejak
