#include "ledger/audit/internal/join_worker.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ledger/pkh/entitlement.h"
#include "ledger/pkh/values.h"

namespace jejak::audit_internal {
namespace {

// Merges approvals, receipts and updates of the KPMs in [from, to), one KPM
// group at a time, and applies the family-level rules to each group.
class JoinWorker {
 public:
  JoinWorker(Store& store, const AuditContext& ctx, const Pseudonym& from,
             const std::optional<Pseudonym>& to, std::atomic<uint64_t>* position)
      : ctx_(ctx),
        stage_(ctx.options->stage),
        as_of_(ctx.options->as_of),
        approvals_(store, JoinCursor::Kind::kApproval, stage_, from, to),
        receipts_(store, JoinCursor::Kind::kReceipt, stage_, from, to),
        updates_(store, JoinCursor::Kind::kUpdate, stage_, from, to),
        position_(position) {}

  JoinPart Run() {
    uint64_t groups = 0;
    while (approvals_.Valid() || receipts_.Valid()) {
      Pseudonym kpm;
      if (!receipts_.Valid() || (approvals_.Valid() && approvals_.kpm() <= receipts_.kpm())) {
        kpm = approvals_.kpm();
      } else {
        kpm = receipts_.kpm();
      }
      a_.clear();
      r_.clear();
      u_.clear();
      for (; approvals_.Valid() && approvals_.kpm() == kpm; approvals_.Next()) {
        a_.push_back(approvals_.approval());
      }
      for (; receipts_.Valid() && receipts_.kpm() == kpm; receipts_.Next()) {
        r_.push_back(receipts_.receipt());
      }
      while (updates_.Valid() && updates_.kpm() < kpm) updates_.Next();
      for (; updates_.Valid() && updates_.kpm() == kpm; updates_.Next()) {
        u_.push_back(updates_.update());
      }
      OrderByWhatTheLogsHold();
      JudgeGroup(kpm);
      if (++groups % 4096 == 0) {
        position_->store((static_cast<uint64_t>(kpm[0]) << 8) | kpm[1], std::memory_order_relaxed);
      }
    }
    for (const JoinCursor* c : {&approvals_, &receipts_, &updates_}) {
      if (!c->status().ok()) {
        part_.status = c->status().WithContext("reading the join index");
        break;
      }
    }
    return std::move(part_);
  }

 private:
  // The index orders a group's rows by store-local log ids, which differ
  // between two auditors that pulled the same logs in another order. Every
  // choice among rows (the latest update of a date, the first approval of a
  // kabupaten, which receipt is the duplicate) reads them in an order of what
  // the logs hold instead: origin, then leaf index (updates: effective date
  // first).
  void OrderByWhatTheLogsHold() {
    auto by_origin = [this](const auto& a, const auto& b) {
      if (a.log == b.log) return a.leaf < b.leaf;
      const std::string& oa = ctx_.Origin(a.log);
      const std::string& ob = ctx_.Origin(b.log);
      return oa != ob ? oa < ob : a.log < b.log;
    };
    if (a_.size() > 1) std::sort(a_.begin(), a_.end(), by_origin);
    if (r_.size() > 1) std::sort(r_.begin(), r_.end(), by_origin);
    if (u_.size() > 1) {
      std::sort(u_.begin(), u_.end(), [&](const UpdateRow& a, const UpdateRow& b) {
        if (a.effective_date != b.effective_date) return a.effective_date < b.effective_date;
        return by_origin(a, b);
      });
    }
  }

  // The update giving the KPM's status on `date` (DOMAIN.md: greatest
  // effective date on or before it, ties to the later leaf: u_ is in the
  // order (date, origin, leaf)).
  const UpdateRow* StatusOn(std::string_view date) const {
    const UpdateRow* found = nullptr;
    for (const UpdateRow& u : u_) {
      if (u.effective_date > date) break;
      found = &u;
    }
    return found;
  }

  Finding New(FindingType type, const Pseudonym& kpm, std::string kabupaten) const {
    Finding f;
    f.type = type;
    f.stage = stage_;
    f.kabupaten = std::move(kabupaten);
    f.kpm = kpm;
    return f;
  }

  void JudgeGroup(const Pseudonym& kpm) {
    JudgeReceipts(kpm);
    JudgeApprovals(kpm);
  }

  const ApprovalRow* ApprovalIn(std::string_view kabupaten) const {
    for (const ApprovalRow& a : a_) {
      if (a.kabupaten == kabupaten) return &a;
    }
    return nullptr;
  }

  // Totals of each receipt in scope, the rules of each paid receipt, then
  // DUPLICATE_PAYOUT over the group.
  void JudgeReceipts(const Pseudonym& kpm) {
    size_t paid = 0, paid_in_scope = 0;
    for (const ReceiptRow& r : r_) {
      if (r.status == ReceiptStatus::kPaid) ++paid;
      if (!ctx_.InScope(r.kabupaten)) continue;
      CountReceipt(r);
      if (r.status == ReceiptStatus::kPaid) {
        ++paid_in_scope;
        JudgePaid(kpm, r);
      }
    }
    if (paid >= 2 && paid_in_scope > 0) JudgeDuplicates(kpm, paid);
  }

  void CountReceipt(const ReceiptRow& r) {
    KabupatenTotals& kab = part_.by_kabupaten[r.kabupaten];
    LembagaTotals& bank = part_.by_lembaga[ctx_.Origin(r.log)];
    bool& overflow = part_.overflow;
    ++bank.receipts;
    switch (r.status) {
      case ReceiptStatus::kPaid:
        ++kab.paid, AddAmount(kab.paid_amount, r.amount, overflow);
        ++part_.totals.paid, AddAmount(part_.totals.paid_amount, r.amount, overflow);
        ++bank.paid, AddAmount(bank.paid_amount, r.amount, overflow);
        break;
      case ReceiptStatus::kFailed:
        ++kab.failed, ++part_.totals.failed;
        ++bank.failed, AddAmount(bank.failed_amount, r.amount, overflow);
        break;
      case ReceiptStatus::kReturned:
        ++kab.returned, ++part_.totals.returned;
        ++bank.returned, AddAmount(bank.returned_amount, r.amount, overflow);
        break;
    }
  }

  // DUPLICATE_PAYOUT: `paid` paid receipts of the family in the stage.
  void JudgeDuplicates(const Pseudonym& kpm, size_t paid) {
    Finding f = New(FindingType::kDuplicatePayout, kpm, "");
    uint64_t total = 0;
    for (const ReceiptRow& r : r_) {
      if (r.status != ReceiptStatus::kPaid) continue;
      AddAmount(total, r.amount, part_.overflow);
      if (ctx_.InScope(r.kabupaten) && (f.kabupaten.empty() || r.kabupaten < f.kabupaten)) {
        f.kabupaten = r.kabupaten;
      }
      AddReceipt(f, ctx_, r);
    }
    f.amount = total;
    if (const ApprovalRow* a = ApprovalIn(f.kabupaten)) {
      f.expected_amount = a->amount;
      AddApproval(f, ctx_, *a);
    }
    f.detail = fmt::format("{} paid receipts for one family in the stage, {} in all", paid,
                           FormatRupiah(total));
    part_.findings.push_back(std::move(f));
  }

  void JudgePaid(const Pseudonym& kpm, const ReceiptRow& r) {
    const std::string& bank = ctx_.BankName(r.log);
    auto receipt_finding = [&](FindingType type) {
      Finding f = New(type, kpm, r.kabupaten);
      f.txn_ref = r.txn_ref;
      f.lembaga_bayar = bank;
      f.amount = r.amount;
      AddReceipt(f, ctx_, r);
      return f;
    };
    const ApprovalRow* a = ApprovalIn(r.kabupaten);
    if (a == nullptr) {
      Finding f = receipt_finding(FindingType::kPaidNotApproved);
      f.detail = fmt::format("paid {} with no approval in any berita acara of kabupaten {}",
                             FormatRupiah(r.amount), r.kabupaten);
      part_.findings.push_back(std::move(f));
    } else if (a->amount != r.amount) {
      Finding f = receipt_finding(FindingType::kAmountMismatch);
      f.expected_amount = a->amount;
      AddApproval(f, ctx_, *a);
      f.detail =
          r.amount < a->amount
              ? fmt::format("paid {} less than approved", FormatRupiah(a->amount - r.amount))
              : fmt::format("paid {} more than approved", FormatRupiah(r.amount - a->amount));
      part_.findings.push_back(std::move(f));
    }
    if (const StageWindow* w = ctx_.WindowOf(r.log, r.statement);
        w != nullptr && (r.paid_date < w->from || r.paid_date > w->to)) {
      Finding f = receipt_finding(FindingType::kPaidOutsideWindow);
      if (a != nullptr) f.expected_amount = a->amount;
      f.detail =
          fmt::format("paid on {}, outside the window {} to {}", r.paid_date, w->from, w->to);
      part_.findings.push_back(std::move(f));
    }
    if (const UpdateRow* u = StatusOn(r.paid_date);
        u != nullptr && u->status != KpmStatus::kActive) {
      Finding f = receipt_finding(FindingType::kPaidToIneligible);
      AddUpdate(f, ctx_, *u);
      f.detail = fmt::format("paid on {}; status {} since {}", r.paid_date,
                             KpmStatusName(u->status), u->effective_date);
      part_.findings.push_back(std::move(f));
    }
  }

  // Totals of each approval in scope, then UNPAID_AFTER_WINDOW,
  // APPROVED_INELIGIBLE and ENTITLEMENT_MISMATCH.
  void JudgeApprovals(const Pseudonym& kpm) {
    for (const ApprovalRow& a : a_) {
      if (!ctx_.InScope(a.kabupaten)) continue;
      CountApproval(a);
      JudgeUnpaid(kpm, a);
      const UpdateRow* u = StatusOn(a.ba_date);
      if (u == nullptr || u->status != KpmStatus::kActive) {
        JudgeIneligible(kpm, a, u);
      } else {
        JudgeEntitlement(kpm, a, *u);
      }
    }
  }

  void CountApproval(const ApprovalRow& a) {
    KabupatenTotals& kab = part_.by_kabupaten[a.kabupaten];
    ++kab.approved, AddAmount(kab.approved_amount, a.amount, part_.overflow);
    ++part_.totals.approved, AddAmount(part_.totals.approved_amount, a.amount, part_.overflow);
    bool paid_here = false;
    for (const ReceiptRow& r : r_) {
      paid_here |= r.status == ReceiptStatus::kPaid && r.kabupaten == a.kabupaten;
    }
    if (paid_here) {
      ++kab.paid_families, ++part_.totals.paid_families;
    } else {
      ++kab.unpaid, ++part_.totals.unpaid;
    }
  }

  Finding ApprovalFinding(FindingType type, const Pseudonym& kpm, const ApprovalRow& a) const {
    Finding f = New(type, kpm, a.kabupaten);
    f.lembaga_bayar = a.lembaga_bayar;
    f.amount = a.amount;
    AddApproval(f, ctx_, a);
    return f;
  }

  // UNPAID_AFTER_WINDOW: no receipt of any status, and the window closed.
  void JudgeUnpaid(const Pseudonym& kpm, const ApprovalRow& a) {
    const StageWindow* w = ctx_.WindowOf(a.log, a.statement);
    if (!r_.empty() || w == nullptr || as_of_ <= w->to) return;
    Finding f = ApprovalFinding(FindingType::kUnpaidAfterWindow, kpm, a);
    f.detail = fmt::format("approved {}; no receipt of any status by {}, window closed {}",
                           FormatRupiah(a.amount), as_of_, w->to);
    part_.findings.push_back(std::move(f));
  }

  // APPROVED_INELIGIBLE: no update by the berita acara's date (u null), or
  // one whose status is not active.
  void JudgeIneligible(const Pseudonym& kpm, const ApprovalRow& a, const UpdateRow* u) {
    Finding f = ApprovalFinding(FindingType::kApprovedIneligible, kpm, a);
    if (u == nullptr) {
      f.detail =
          fmt::format("approved on {} with no data update on or before that date", a.ba_date);
    } else {
      AddUpdate(f, ctx_, *u);
      f.detail = fmt::format("approved on {}; status {} since {}", a.ba_date,
                             KpmStatusName(u->status), u->effective_date);
    }
    part_.findings.push_back(std::move(f));
  }

  // ENTITLEMENT_MISMATCH: the approved amount is not what the components of
  // the family's status update give with the index in force. With no index
  // for the year at all it is not judged (the report says so).
  void JudgeEntitlement(const Pseudonym& kpm, const ApprovalRow& a, const UpdateRow& u) {
    const BenefitIndex* index = ctx_.IndexOf(a.log, a.statement);
    if (index == nullptr) return;
    const uint64_t entitled = Entitlement(u.members, *index);
    if (entitled == a.amount) return;
    Finding f = ApprovalFinding(FindingType::kEntitlementMismatch, kpm, a);
    f.expected_amount = entitled;
    AddUpdate(f, ctx_, u);
    f.detail = fmt::format("approved {}; the components of the update of {} give {}",
                           FormatRupiah(a.amount), u.effective_date, FormatRupiah(entitled));
    part_.findings.push_back(std::move(f));
  }

  const AuditContext& ctx_;
  std::string stage_, as_of_;
  JoinCursor approvals_, receipts_, updates_;
  std::atomic<uint64_t>* position_;
  std::vector<ApprovalRow> a_;
  std::vector<ReceiptRow> r_;
  std::vector<UpdateRow> u_;
  JoinPart part_;
};

}  // namespace

JoinPart RunJoinWorker(Store& store, const AuditContext& ctx, const Pseudonym& from,
                       const std::optional<Pseudonym>& to, std::atomic<uint64_t>* position) {
  return JoinWorker(store, ctx, from, to, position).Run();
}

}  // namespace jejak::audit_internal
