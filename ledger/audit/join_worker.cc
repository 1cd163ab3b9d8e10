#include "ledger/audit/internal/join_worker.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ledger/pkh/entitlement.h"
#include "ledger/pkh/lang.h"
#include "ledger/pkh/values.h"

namespace jejak::audit_internal {
namespace {

// An amount in a detail in Bahasa Indonesia: "Rp 1.850.000".
std::string IdRupiah(uint64_t amount) { return FormatRupiah(amount, Lang::kId); }

// Merges approvals, receipts and updates of the KPMs in [from, to), one KPM
// group at a time, and applies the family-level rules to each group.
class JoinWorker {
 public:
  JoinWorker(Store& store, const AuditContext& ctx, const Pseudonym& from,
             const std::optional<Pseudonym>& to, std::atomic<uint64_t>* position)
      : store_(store),
        ctx_(ctx),
        stage_(ctx.options->stage),
        as_of_(ctx.as_of_date),
        stage_year_(StageYear(stage_)),
        approvals_(store, JoinCursor::Kind::kApproval, stage_, from, to),
        receipts_(store, JoinCursor::Kind::kReceipt, stage_, from, to),
        complaints_(store, JoinCursor::Kind::kComplaint, stage_, from, to),
        updates_(store, JoinCursor::Kind::kUpdate, stage_, from, to),
        bnba_(store, JoinCursor::Kind::kBnba, stage_, from, to),
        verifications_(store, JoinCursor::Kind::kVerification, stage_, from, to),
        position_(position) {}

  JoinPart Run() {
    uint64_t groups = 0;
    while ((approvals_.Valid() || receipts_.Valid() || complaints_.Valid()) && part_.status.ok()) {
      const Pseudonym kpm = NextGroup();
      a_.clear();
      r_.clear();
      c_.clear();
      u_.clear();
      b_.clear();
      v_.clear();
      for (; approvals_.Valid() && approvals_.kpm() == kpm; approvals_.Next()) {
        a_.push_back(approvals_.approval());
      }
      for (; receipts_.Valid() && receipts_.kpm() == kpm; receipts_.Next()) {
        r_.push_back(receipts_.receipt());
      }
      for (; complaints_.Valid() && complaints_.kpm() == kpm; complaints_.Next()) {
        c_.push_back(complaints_.complaint());
      }
      while (updates_.Valid() && updates_.kpm() < kpm) updates_.Next();
      for (; updates_.Valid() && updates_.kpm() == kpm; updates_.Next()) {
        u_.push_back(updates_.update());
      }
      if (!a_.empty()) ReadListsAndVerifications(kpm);
      OrderByWhatTheLogsHold();
      JudgeGroup(kpm);
      if (++groups % 4096 == 0) {
        position_->store((static_cast<uint64_t>(kpm[0]) << 8) | kpm[1], std::memory_order_relaxed);
      }
    }
    if (!part_.status.ok()) return std::move(part_);
    for (const JoinCursor* c :
         {&approvals_, &receipts_, &complaints_, &updates_, &bnba_, &verifications_}) {
      if (!c->status().ok()) {
        part_.status = c->status().WithContext("reading the join index");
        break;
      }
    }
    return std::move(part_);
  }

 private:
  // The smallest pseudonym of the next approval, receipt or complaint (a
  // complaint without a family sorts as the all-zero pseudonym).
  Pseudonym NextGroup() const {
    const Pseudonym* best = nullptr;
    for (const JoinCursor* c : {&approvals_, &receipts_, &complaints_}) {
      if (c->Valid() && (best == nullptr || c->kpm() < *best)) best = &c->kpm();
    }
    return *best;
  }

  // The months before the berita acara's month that the suspension rule and
  // the verification coverage read for an approval: N (the policy), at
  // least 3.
  unsigned MonthsRead(const ApprovalRow& a) const {
    const StatementContext* sc = ctx_.Statement(a.log, a.statement);
    const unsigned n = sc != nullptr ? sc->suspend_after_months : 0;
    return std::max(3u, n);
  }

  // The target list entries of an approved family, and its verifications of
  // the months its approvals read: each cursor seeks to the family, so a
  // national year of verifications is read only where an approval needs it.
  void ReadListsAndVerifications(const Pseudonym& kpm) {
    bnba_.SeekForward(kpm);
    for (; bnba_.Valid() && bnba_.kpm() == kpm; bnba_.Next()) b_.push_back(bnba_.bnba());
    std::string first, end;  // months [first, end)
    for (const ApprovalRow& a : a_) {
      if (!ctx_.InScope(a.kabupaten)) continue;
      const std::string month = a.ba_date.substr(0, 7);
      const std::string from = MonthsBefore(month, MonthsRead(a));
      if (first.empty() || from < first) first = from;
      if (end.empty() || month > end) end = month;
    }
    if (first.empty()) return;
    verifications_.SeekForward(kpm, first);
    for (; verifications_.Valid() && verifications_.kpm() == kpm &&
           verifications_.verification().month < end;
         verifications_.Next()) {
      v_.push_back(verifications_.verification());
    }
  }

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

  Finding New(FindingType type, const std::optional<Pseudonym>& kpm, std::string kabupaten) const {
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
    JudgeComplaints();
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
    f.detail_id = fmt::format("{} kuitansi dibayar untuk satu KPM dalam tahap ini, seluruhnya {}",
                              paid, IdRupiah(total));
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
      f.detail_id =
          fmt::format("dibayar {} tanpa penetapan dalam berita acara mana pun kabupaten {}",
                      IdRupiah(r.amount), r.kabupaten);
      part_.findings.push_back(std::move(f));
    } else if (a->amount != r.amount) {
      Finding f = receipt_finding(FindingType::kAmountMismatch);
      f.expected_amount = a->amount;
      AddApproval(f, ctx_, *a);
      f.detail =
          r.amount < a->amount
              ? fmt::format("paid {} less than approved", FormatRupiah(a->amount - r.amount))
              : fmt::format("paid {} more than approved", FormatRupiah(r.amount - a->amount));
      f.detail_id =
          r.amount < a->amount
              ? fmt::format("dibayar {} kurang dari penetapan", IdRupiah(a->amount - r.amount))
              : fmt::format("dibayar {} lebih dari penetapan", IdRupiah(r.amount - a->amount));
      part_.findings.push_back(std::move(f));
    }
    if (const StageWindow* w = ctx_.WindowOf(r.log, r.statement);
        w != nullptr && (r.paid_date < w->from || r.paid_date > w->to)) {
      Finding f = receipt_finding(FindingType::kPaidOutsideWindow);
      if (a != nullptr) f.expected_amount = a->amount;
      f.detail =
          fmt::format("paid on {}, outside the window {} to {}", r.paid_date, w->from, w->to);
      f.detail_id =
          fmt::format("dibayar pada {}, di luar jadwal {} s.d. {}", r.paid_date, w->from, w->to);
      part_.findings.push_back(std::move(f));
    }
    if (const UpdateRow* u = StatusOn(r.paid_date);
        u != nullptr && u->status != KpmStatus::kActive) {
      Finding f = receipt_finding(FindingType::kPaidToIneligible);
      AddUpdate(f, ctx_, *u);
      f.detail = fmt::format("paid on {}; status {} since {}", r.paid_date,
                             KpmStatusName(u->status), u->effective_date);
      f.detail_id = fmt::format("dibayar pada {}; berstatus {} sejak {}", r.paid_date,
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
      JudgeTargetList(kpm, a);
      JudgeCommitments(kpm, a);
    }
  }

  // BNBA coverage, and APPROVED_NOT_IN_BNBA: with require_bnba on (at the
  // berita acara's governance size), no entry of an authorized list of the
  // stage's year or earlier in the same log before the berita acara.
  void JudgeTargetList(const Pseudonym& kpm, const ApprovalRow& a) {
    for (const BnbaRow& b : b_) {
      if (b.log == a.log && b.leaf < a.statement && b.year <= stage_year_) {
        ++part_.by_kabupaten[a.kabupaten].on_bnba, ++part_.totals.on_bnba;
        return;
      }
    }
    const StatementContext* sc = ctx_.Statement(a.log, a.statement);
    if (sc == nullptr || !sc->require_bnba) return;
    Finding f = ApprovalFinding(FindingType::kApprovedNotInBnba, kpm, a);
    f.detail = fmt::format(
        "approved {} on {} while target lists are required; no target list of {} or earlier in "
        "this kabupaten's log before the berita acara holds the family",
        FormatRupiah(a.amount), a.ba_date, stage_year_);
    f.detail_id = fmt::format(
        "ditetapkan {} pada {} sementara daftar sasaran diwajibkan; tidak ada daftar sasaran tahun "
        "{} atau sebelumnya di log kabupaten ini sebelum berita acara yang memuat KPM ini",
        IdRupiah(a.amount), a.ba_date, stage_year_);
    part_.findings.push_back(std::move(f));
  }

  // Verification coverage, and APPROVED_WHILE_SUSPENDED: with
  // suspend_after_months N > 0, each of the N months before the berita
  // acara's month is a failed month (the latest verification, by leaf, of
  // some commitment is not_met; only rows of the same log before the berita
  // acara count). v_ is in key order: month, log, leaf.
  void JudgeCommitments(const Pseudonym& kpm, const ApprovalRow& a) {
    const StatementContext* sc = ctx_.Statement(a.log, a.statement);
    const unsigned n = sc != nullptr ? sc->suspend_after_months : 0;
    const std::string month = a.ba_date.substr(0, 7);
    const unsigned read = MonthsRead(a);
    std::vector<const VerificationRow*> failed_rows;
    unsigned failed_months = 0;
    for (unsigned k = 1; k <= read; ++k) {
      const std::string m = MonthsBefore(month, k);
      std::vector<const VerificationRow*> rows;  // v_ is in leaf order within a log
      for (const VerificationRow& v : v_) {
        if (v.month == m && v.log == a.log && v.leaf < a.statement) rows.push_back(&v);
      }
      if (!rows.empty()) ++part_.by_kabupaten[a.kabupaten].verified_by_month[m];
      if (k > n) continue;
      std::vector<const VerificationRow*> failed = FailedCommitments(rows);
      if (!failed.empty()) ++failed_months;
      failed_rows.insert(failed_rows.end(), failed.begin(), failed.end());
    }
    if (n == 0 || failed_months < n) return;
    Finding f = ApprovalFinding(FindingType::kApprovedWhileSuspended, kpm, a);
    for (const VerificationRow* v : failed_rows) AddVerification(f, ctx_, *v);
    f.detail = fmt::format(
        "approved {} on {}; commitments not met in each of the {} months before ({} to {}), "
        "suspended after {}",
        FormatRupiah(a.amount), a.ba_date, n, MonthsBefore(month, n), MonthsBefore(month, 1), n);
    f.detail_id = fmt::format(
        "ditetapkan {} pada {}; komitmen tidak dipenuhi pada setiap {} bulan sebelumnya ({} s.d. "
        "{}), ditangguhkan setelah {} bulan",
        IdRupiah(a.amount), a.ba_date, n, MonthsBefore(month, n), MonthsBefore(month, 1), n);
    part_.findings.push_back(std::move(f));
  }

  // The complaints of the stage in this KPM group: COMPLAINT_UNANSWERED
  // (deadline before the audit moment, no answer or resolution by it) and
  // PAID_BUT_DISPUTED ("did not receive", against a paid receipt dated on or
  // before the day it was received), and the complaint totals.
  void JudgeComplaints() {
    for (const ComplaintRow& c : c_) {
      auto held = ctx_.logs.find(c.log);
      const std::string kabupaten = held == ctx_.logs.end() ? "" : held->second->kabupaten();
      if (kabupaten.empty() || !ctx_.InScope(kabupaten)) continue;
      auto received = ParseDateTimeWithOffset(c.received_at);
      auto responses = ResponsesTo(store_, c.log, c.complaint_id);
      if (!received.ok() || !responses.ok()) {
        part_.status =
            !responses.ok()
                ? responses.status()
                : Corruption(fmt::format("complaint at leaf {} of {}: {}", c.leaf,
                                         ctx_.Origin(c.log), received.status().message()));
        return;
      }
      JudgeDeadline(c, kabupaten, received->seconds, *responses);
      if (!part_.status.ok()) return;
      JudgeDisputed(c, kabupaten);
    }
  }

  void JudgeDeadline(const ComplaintRow& c, const std::string& kabupaten, int64_t received,
                     const std::vector<ResponseRow>& responses) {
    const StatementContext* sc = ctx_.Statement(c.log, c.statement);
    const int64_t hours =
        sc != nullptr ? sc->complaint_response_hours : kDefaultComplaintResponseHours;
    const int64_t deadline = received + hours * 3600;
    ComplaintTotals& t = part_.complaints[kabupaten];
    ++t.received;
    bool in_time = false;
    for (const ResponseRow& r : responses) {
      if (r.action == ResponseAction::kForwarded) continue;
      auto at = ParseDateTimeWithOffset(r.responded_at);
      if (!at.ok()) {
        part_.status = Corruption(fmt::format("response at leaf {} of {}: {}", r.leaf,
                                              ctx_.Origin(r.log), at.status().message()));
        return;
      }
      if (at->seconds > deadline) continue;
      in_time = true;
      const int64_t recorded = r.recorded_ms / 1000;
      if (recorded > deadline) {
        LateRecordedResponse late;
        late.kabupaten = kabupaten;
        late.complaint_id = c.complaint_id;
        late.response_id = r.response_id;
        late.responded_at = r.responded_at;
        late.recorded_after_deadline_seconds = recorded - deadline;
        late.leaf.log = ctx_.Origin(r.log);
        late.leaf.leaf = r.leaf;
        late.leaf.role = "response";
        part_.late_responses.push_back(std::move(late));
      }
    }
    if (in_time) {
      ++t.answered_in_time;
      return;
    }
    if (deadline >= ctx_.moment) {
      ++t.open;
      return;
    }
    ++t.overdue;
    if (t.oldest_overdue.empty() || received < t.oldest_overdue_seconds) {
      t.oldest_overdue = c.received_at, t.oldest_overdue_seconds = received;
    }
    Finding f = New(FindingType::kComplaintUnanswered, c.kpm, kabupaten);
    f.complaint_id = c.complaint_id;
    AddComplaint(f, ctx_, c);
    size_t forwarded = 0, late = 0;
    for (const ResponseRow& r : responses) {
      AddResponse(f, ctx_, r);
      (r.action == ResponseAction::kForwarded ? forwarded : late) += 1;
    }
    f.detail =
        fmt::format("{} complaint received {}; no answer within {} h (deadline {})",
                    ComplaintCategoryName(c.category), c.received_at, hours, FormatWib(deadline));
    f.detail_id =
        fmt::format("pengaduan {} diterima {}; tidak dijawab dalam {} jam (batas {})",
                    ComplaintCategoryName(c.category), c.received_at, hours, FormatWib(deadline));
    if (forwarded > 0) {
      f.detail += fmt::format("; {} forwarded only", forwarded);
      f.detail_id += fmt::format("; {} hanya diteruskan", forwarded);
    }
    if (late > 0) {
      f.detail += fmt::format("; {} answered after the deadline", late);
      f.detail_id += fmt::format("; {} dijawab setelah batas waktu", late);
    }
    part_.findings.push_back(std::move(f));
  }

  void JudgeDisputed(const ComplaintRow& c, const std::string& kabupaten) {
    if (c.category != ComplaintCategory::kTidakMenerima || !c.kpm) return;
    const std::string_view received_date = CalendarDate(c.received_at);
    const ReceiptRow* earliest = nullptr;
    for (const ReceiptRow& r : r_) {
      if (r.status != ReceiptStatus::kPaid || r.kabupaten != kabupaten ||
          r.paid_date > received_date) {
        continue;
      }
      if (earliest == nullptr ||
          std::tie(r.paid_date, r.txn_ref) < std::tie(earliest->paid_date, earliest->txn_ref)) {
        earliest = &r;
      }
    }
    if (earliest == nullptr) return;
    Finding f = New(FindingType::kPaidButDisputed, c.kpm, kabupaten);
    f.complaint_id = c.complaint_id;
    f.txn_ref = earliest->txn_ref;
    f.lembaga_bayar = ctx_.BankName(earliest->log);
    f.amount = earliest->amount;
    AddComplaint(f, ctx_, c);
    AddReceipt(f, ctx_, *earliest);
    f.detail = fmt::format(
        "the family said it did not receive the benefit ({}); a receipt says "
        "{} was paid on {}",
        c.received_at, FormatRupiah(earliest->amount), earliest->paid_date);
    f.detail_id = fmt::format(
        "KPM menyatakan tidak menerima bantuan ({}); kuitansi menyatakan {} dibayar pada {}",
        c.received_at, IdRupiah(earliest->amount), earliest->paid_date);
    part_.findings.push_back(std::move(f));
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
    f.detail_id = fmt::format(
        "ditetapkan {}; tidak ada kuitansi berstatus apa pun hingga {}, jadwal berakhir {}",
        IdRupiah(a.amount), as_of_, w->to);
    part_.findings.push_back(std::move(f));
  }

  // APPROVED_INELIGIBLE: no update by the berita acara's date (u null), or
  // one whose status is not active.
  void JudgeIneligible(const Pseudonym& kpm, const ApprovalRow& a, const UpdateRow* u) {
    Finding f = ApprovalFinding(FindingType::kApprovedIneligible, kpm, a);
    if (u == nullptr) {
      f.detail =
          fmt::format("approved on {} with no data update on or before that date", a.ba_date);
      f.detail_id = fmt::format(
          "ditetapkan pada {} tanpa pemutakhiran data pada atau sebelum tanggal itu", a.ba_date);
    } else {
      AddUpdate(f, ctx_, *u);
      f.detail = fmt::format("approved on {}; status {} since {}", a.ba_date,
                             KpmStatusName(u->status), u->effective_date);
      f.detail_id = fmt::format("ditetapkan pada {}; berstatus {} sejak {}", a.ba_date,
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
    f.detail_id = fmt::format("ditetapkan {}; komponen pemutakhiran {} memberi {}",
                              IdRupiah(a.amount), u.effective_date, IdRupiah(entitled));
    part_.findings.push_back(std::move(f));
  }

  Store& store_;
  const AuditContext& ctx_;
  std::string stage_, as_of_;
  uint16_t stage_year_;
  JoinCursor approvals_, receipts_, complaints_, updates_, bnba_, verifications_;
  std::atomic<uint64_t>* position_;
  std::vector<ApprovalRow> a_;
  std::vector<ReceiptRow> r_;
  std::vector<ComplaintRow> c_;
  std::vector<UpdateRow> u_;
  std::vector<BnbaRow> b_;
  std::vector<VerificationRow> v_;
  JoinPart part_;
};

}  // namespace

JoinPart RunJoinWorker(Store& store, const AuditContext& ctx, const Pseudonym& from,
                       const std::optional<Pseudonym>& to, std::atomic<uint64_t>* position) {
  return JoinWorker(store, ctx, from, to, position).Run();
}

}  // namespace jejak::audit_internal
