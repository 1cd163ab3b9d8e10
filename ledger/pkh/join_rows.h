// The join rows of the PKH index, which the audit merges: approvals and
// receipts ordered by (stage, KPM), updates by (KPM, date); and the verdicts
// the indexer recorded for statements and records (layout:
// specs/store-layout.md).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/log/store.h"
#include "ledger/pkh/records.h"

namespace jejak {

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

// The rest of the cycle. A target list entry (authorized lists only).
struct BnbaRow {
  Pseudonym kpm{};
  uint32_t log = 0;
  uint64_t leaf = 0;
  uint64_t statement = 0;
  uint16_t year = 0;  // the list's
};

struct VerificationRow {
  Pseudonym kpm{};
  std::string month;  // YYYY-MM
  uint32_t log = 0;
  uint64_t leaf = 0;
  uint64_t statement = 0;
  Commitment commitment = Commitment::kKesehatan;
  CommitmentResult result = CommitmentResult::kMet;
};

struct ComplaintRow {
  std::string stage;
  std::optional<Pseudonym> kpm;  // none: no family of the programme
  uint32_t log = 0;
  uint64_t leaf = 0;
  uint64_t statement = 0;
  ComplaintCategory category = ComplaintCategory::kLainnya;
  std::string received_at;  // date-time with offset, as written
  std::string complaint_id;
};

struct ResponseRow {
  uint32_t log = 0;
  uint64_t leaf = 0;
  uint64_t statement = 0;
  int64_t recorded_ms = 0;  // its statement's timestamp
  ResponseAction action = ResponseAction::kAnswered;
  std::string responded_at;  // date-time with offset, as written
  std::string response_id;
};

// The target list entries of one KPM, in key order (log, leaf).
Result<std::vector<BnbaRow>> TargetListEntriesOf(Store& store, const Pseudonym& kpm);
// The verifications of one KPM of one month (YYYY-MM), in key order (log,
// leaf).
Result<std::vector<VerificationRow>> VerificationsOf(Store& store, const Pseudonym& kpm,
                                                     std::string_view month);

// DOMAIN.md's failed month: `rows` are one KPM's verifications of one month
// that count (one log, before the judged leaf), in leaf order. Returns the
// latest row of each commitment whose result is not_met; empty when the
// month is not failed (no verification, or every commitment's latest is met
// or exempt).
std::vector<const VerificationRow*> FailedCommitments(
    const std::vector<const VerificationRow*>& rows);

// The responses the log `log` holds to its complaint `complaint_id`, in leaf
// order.
Result<std::vector<ResponseRow>> ResponsesTo(Store& store, uint32_t log,
                                             std::string_view complaint_id);

// The pseudonym after `p` in key order; std::nullopt after the last. [p,
// NextPseudonym(p)) is the range of one family for a JoinCursor.
std::optional<Pseudonym> NextPseudonym(const Pseudonym& p);

// A key-order cursor over one kind of join rows, for the audit's merge join:
// approvals, receipts or complaints of one stage, or updates, target list
// entries or verifications, of the KPMs whose
// pseudonyms lie in [from, to) (`to` absent: to the end). Holds a store
// iterator (a consistent snapshot); not thread-safe, use one per thread.
class JoinCursor {
 public:
  enum class Kind { kApproval, kReceipt, kUpdate, kBnba, kVerification, kComplaint };
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
  // Moves forward to the first row at or after (kpm, then `rest` of the key:
  // for verifications a YYYY-MM month), reading nothing in between; a cursor
  // already there or past it stays. For rows read only for some KPMs.
  void SeekForward(const Pseudonym& kpm, std::string_view rest = {});
  // The current row's pseudonym, and its decoded row (of this cursor's kind).
  const Pseudonym& kpm() const;
  const ApprovalRow& approval() const { return approval_; }
  const ReceiptRow& receipt() const { return receipt_; }
  const UpdateRow& update() const { return update_; }
  const BnbaRow& bnba() const { return bnba_; }
  const VerificationRow& verification() const { return verification_; }
  // A complaint without a family sorts as the all-zero pseudonym.
  const ComplaintRow& complaint() const { return complaint_; }

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
  BnbaRow bnba_;
  VerificationRow verification_;
  ComplaintRow complaint_;
  Pseudonym complaint_kpm_{};  // the complaint's, or zero
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
