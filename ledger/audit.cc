#include "ledger/audit.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "ledger/berita_acara.h"
#include "ledger/checkpoint.h"
#include "ledger/entitlement.h"
#include "ledger/evidence.h"
#include "ledger/log_source.h"
#include "ledger/merkle.h"
#include "ledger/pkh_index.h"
#include "ledger/pkh_node.h"
#include "ledger/pkh_values.h"
#include "ledger/verify.h"
#include "ledger/witness_state.h"

namespace jejak {

std::string_view FindingTypeName(FindingType type) {
  switch (type) {
    case FindingType::kPaidNotApproved:
      return "PAID_NOT_APPROVED";
    case FindingType::kDuplicatePayout:
      return "DUPLICATE_PAYOUT";
    case FindingType::kAmountMismatch:
      return "AMOUNT_MISMATCH";
    case FindingType::kPaidOutsideWindow:
      return "PAID_OUTSIDE_WINDOW";
    case FindingType::kPaidToIneligible:
      return "PAID_TO_INELIGIBLE";
    case FindingType::kUnpaidAfterWindow:
      return "UNPAID_AFTER_WINDOW";
    case FindingType::kApprovedIneligible:
      return "APPROVED_INELIGIBLE";
    case FindingType::kEntitlementMismatch:
      return "ENTITLEMENT_MISMATCH";
    case FindingType::kUnauthorizedStatement:
      return "UNAUTHORIZED_STATEMENT";
    case FindingType::kLogIntegrity:
      return "LOG_INTEGRITY";
    case FindingType::kEquivocation:
      return "EQUIVOCATION";
  }
  return "UNKNOWN";
}

bool operator<(const LeafRef& a, const LeafRef& b) {
  return std::tie(a.log, a.leaf, a.role) < std::tie(b.log, b.leaf, b.role);
}

namespace {

using StatementRef = std::pair<uint32_t, uint64_t>;  // (log id, statement leaf)

// What the governance log said when a statement was written.
struct StatementContext {
  const StageWindow* window = nullptr;  // the audited stage's window then
  const BenefitIndex* index = nullptr;  // the stage year's index then
};

struct HeldLog {
  LogInfo info;
  std::string kind, region, name;  // from the registry, where registered
  uint64_t size = 0;
  Hash root{};
  std::string checkpoint;

  // The region, for the log of a kabupaten; findings about other logs have none.
  std::string kabupaten() const { return kind == "kabupaten" ? region : ""; }
};

// Everything the join workers read; immutable while they run.
struct AuditContext {
  const AuditOptions* options = nullptr;
  const StageWindow* latest_window = nullptr;
  const BenefitIndex* latest_index = nullptr;
  std::map<uint32_t, const HeldLog*> logs;
  std::map<StatementRef, StatementContext> statements;

  bool InScope(std::string_view kabupaten) const {
    return options->kabupaten.empty() || ScopeCovers(options->kabupaten, kabupaten);
  }
  const std::string& Origin(uint32_t log) const {
    static const std::string kUnknown = "?";
    auto it = logs.find(log);
    return it == logs.end() ? kUnknown : it->second->info.origin;
  }
  // The registered name of a lembaga bayar log ("BRI"), else its origin.
  const std::string& BankName(uint32_t log) const {
    auto it = logs.find(log);
    if (it == logs.end()) return Origin(log);
    return it->second->name.empty() ? it->second->info.origin : it->second->name;
  }
  const StatementContext* Statement(uint32_t log, uint64_t leaf) const {
    auto it = statements.find({log, leaf});
    return it == statements.end() ? nullptr : &it->second;
  }
  const StageWindow* WindowOf(uint32_t log, uint64_t statement) const {
    const StatementContext* s = Statement(log, statement);
    return s != nullptr && s->window != nullptr ? s->window : latest_window;
  }
  const BenefitIndex* IndexOf(uint32_t log, uint64_t statement) const {
    const StatementContext* s = Statement(log, statement);
    return s != nullptr && s->index != nullptr ? s->index : latest_index;
  }
};

// What one join worker found in its range of pseudonyms.
// Sums of amounts, checked: a total that does not fit in 64 bits is an
// error of the audit, never a wrapped number. (Rows are bounded at import,
// kMaxRupiah, so a national stage fits many times over.)
void AddAmount(uint64_t& to, uint64_t v, bool& overflow) {
  if (__builtin_add_overflow(to, v, &to)) overflow = true;
}

struct JoinPart {
  Status status;
  bool overflow = false;  // a sum of amounts did not fit in 64 bits
  std::vector<Finding> findings;
  KabupatenTotals totals;
  std::map<std::string, KabupatenTotals> by_kabupaten;
  std::map<std::string, LembagaTotals> by_lembaga;
};

void AddLeaf(Finding& f, const AuditContext& ctx, uint32_t log, uint64_t leaf, const char* role) {
  LeafRef ref;
  ref.log = ctx.Origin(log);
  ref.leaf = leaf;
  ref.role = role;
  for (const LeafRef& r : f.leaves) {
    if (r.log == ref.log && r.leaf == ref.leaf) return;
  }
  f.leaves.push_back(std::move(ref));
}

void AddReceipt(Finding& f, const AuditContext& ctx, const ReceiptRow& r) {
  AddLeaf(f, ctx, r.log, r.statement, "statement");
  AddLeaf(f, ctx, r.log, r.leaf, "receipt");
}
void AddApproval(Finding& f, const AuditContext& ctx, const ApprovalRow& a) {
  AddLeaf(f, ctx, a.log, a.statement, "statement");
  AddLeaf(f, ctx, a.log, a.leaf, "approval");
}
void AddUpdate(Finding& f, const AuditContext& ctx, const UpdateRow& u) {
  AddLeaf(f, ctx, u.log, u.statement, "statement");
  AddLeaf(f, ctx, u.log, u.leaf, "update");
}

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

  void JudgeReceipts(const Pseudonym& kpm) {
    size_t paid = 0, paid_in_scope = 0;
    for (const ReceiptRow& r : r_) {
      if (r.status == ReceiptStatus::kPaid) ++paid;
      if (!ctx_.InScope(r.kabupaten)) continue;
      KabupatenTotals& kab = part_.by_kabupaten[r.kabupaten];
      LembagaTotals& bank = part_.by_lembaga[ctx_.Origin(r.log)];
      ++bank.receipts;
      switch (r.status) {
        case ReceiptStatus::kPaid:
          ++paid_in_scope;
          ++kab.paid, AddAmount(kab.paid_amount, r.amount, part_.overflow);
          ++part_.totals.paid, AddAmount(part_.totals.paid_amount, r.amount, part_.overflow);
          ++bank.paid, AddAmount(bank.paid_amount, r.amount, part_.overflow);
          JudgePaid(kpm, r);
          break;
        case ReceiptStatus::kFailed:
          ++kab.failed, ++part_.totals.failed;
          ++bank.failed, AddAmount(bank.failed_amount, r.amount, part_.overflow);
          break;
        case ReceiptStatus::kReturned:
          ++kab.returned, ++part_.totals.returned;
          ++bank.returned, AddAmount(bank.returned_amount, r.amount, part_.overflow);
          break;
      }
    }
    if (paid >= 2 && paid_in_scope > 0) {
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

  void JudgeApprovals(const Pseudonym& kpm) {
    for (const ApprovalRow& a : a_) {
      if (!ctx_.InScope(a.kabupaten)) continue;
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
      auto approval_finding = [&](FindingType type) {
        Finding f = New(type, kpm, a.kabupaten);
        f.lembaga_bayar = a.lembaga_bayar;
        f.amount = a.amount;
        AddApproval(f, ctx_, a);
        return f;
      };
      const StageWindow* w = ctx_.WindowOf(a.log, a.statement);
      if (r_.empty() && w != nullptr && as_of_ > w->to) {
        Finding f = approval_finding(FindingType::kUnpaidAfterWindow);
        f.detail = fmt::format("approved {}; no receipt of any status by {}, window closed {}",
                               FormatRupiah(a.amount), as_of_, w->to);
        part_.findings.push_back(std::move(f));
      }
      const UpdateRow* u = StatusOn(a.ba_date);
      if (u == nullptr || u->status != KpmStatus::kActive) {
        Finding f = approval_finding(FindingType::kApprovedIneligible);
        if (u == nullptr) {
          f.detail =
              fmt::format("approved on {} with no data update on or before that date", a.ba_date);
        } else {
          AddUpdate(f, ctx_, *u);
          f.detail = fmt::format("approved on {}; status {} since {}", a.ba_date,
                                 KpmStatusName(u->status), u->effective_date);
        }
        part_.findings.push_back(std::move(f));
        continue;
      }
      // No index for the year at all: not judged (the report says so).
      const BenefitIndex* index = ctx_.IndexOf(a.log, a.statement);
      if (index == nullptr) continue;
      const uint64_t entitled = Entitlement(u->members, *index);
      if (entitled != a.amount) {
        Finding f = approval_finding(FindingType::kEntitlementMismatch);
        f.expected_amount = entitled;
        AddUpdate(f, ctx_, *u);
        f.detail = fmt::format("approved {}; the components of the update of {} give {}",
                               FormatRupiah(a.amount), u->effective_date, FormatRupiah(entitled));
        part_.findings.push_back(std::move(f));
      }
    }
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

void Add(KabupatenTotals& to, const KabupatenTotals& from, bool& overflow) {
  to.approved += from.approved, AddAmount(to.approved_amount, from.approved_amount, overflow);
  to.paid += from.paid, AddAmount(to.paid_amount, from.paid_amount, overflow);
  to.paid_families += from.paid_families;
  to.failed += from.failed, to.returned += from.returned;
  to.unpaid += from.unpaid;
}
void Add(LembagaTotals& to, const LembagaTotals& from, bool& overflow) {
  to.receipts += from.receipts;
  to.paid += from.paid, AddAmount(to.paid_amount, from.paid_amount, overflow);
  to.failed += from.failed, AddAmount(to.failed_amount, from.failed_amount, overflow);
  to.returned += from.returned, AddAmount(to.returned_amount, from.returned_amount, overflow);
}

bool FindingLess(const Finding& a, const Finding& b) {
  return std::tie(a.type, a.kabupaten, a.kpm, a.txn_ref, a.leaves) <
         std::tie(b.type, b.kabupaten, b.kpm, b.txn_ref, b.leaves);
}

// Reads the logs the node holds, at their latest checkpoints, with what the
// registry says about each.
Result<std::vector<HeldLog>> ReadHeldLogs(NodeFolder& folder, const Governance& gov) {
  Store& store = folder.store();
  std::vector<LogInfo> infos;
  ASSIGN_OR_RETURN(infos, ListLogs(store));
  std::vector<HeldLog> held;
  for (LogInfo& info : infos) {
    HeldLog h;
    h.info = std::move(info);
    if (const NodeRegistration* reg = gov.NodeByOrigin(h.info.origin, gov.size())) {
      h.kind = reg->kind, h.region = reg->region, h.name = reg->name;
    } else if (h.info.origin == gov.origin()) {
      h.kind = "kemensos";
    } else if (h.info.own) {
      const NodeConfig& c = folder.config();
      h.kind = std::string(NodeKindName(c.kind)), h.region = c.region, h.name = c.name;
    }
    LogReader reader(store, h.info);
    auto note = reader.LatestCheckpoint();
    if (note.ok()) {
      auto cp = OpenCheckpoint(*note, h.info.key);
      if (!cp.ok()) {
        return cp.status().WithContext(fmt::format("latest checkpoint of {}", h.info.origin));
      }
      h.size = cp->checkpoint.size, h.root = cp->checkpoint.root, h.checkpoint = *note;
    } else if (note.status().code() != StatusCode::kNotFound) {
      return note.status();
    }
    held.push_back(std::move(h));
  }
  std::sort(held.begin(), held.end(),
            [](const HeldLog& a, const HeldLog& b) { return a.info.origin < b.info.origin; });
  return held;
}

// Brings every held log's index up to its committed size (the governance log
// first: the others are judged by it). Notes the logs that were behind.
// Returns the governance state, which the catch-up needed too.
Result<Governance> CatchUpIndexes(NodeFolder& folder, const std::vector<LogInfo>& logs,
                                  const std::string& gov_origin, const PublicKey& root,
                                  std::vector<std::string>& notes) {
  Store& store = folder.store();
  auto catch_up = [&](const LogInfo& log, const Governance* gov) -> Status {
    if (store.read_only()) {
      // Beside a serving node, which indexes what it pulls as it stores it.
      uint64_t indexed, size;
      ASSIGN_OR_RETURN(indexed, IndexedSize(store, log));
      ASSIGN_OR_RETURN(size, LogReader(store, log).Size());
      if (indexed < size) {
        return FailedPrecondition(fmt::format(
            "the index of {} is {} leaves behind its log, and the node that holds the folder is "
            "running: run the audit again once it has indexed them, or stop the node",
            log.origin, size - indexed));
      }
      return Status::Ok();
    }
    IndexReport report;
    ASSIGN_OR_RETURN(report, CatchUpIndex(store, log, gov, gov == nullptr ? &root : nullptr));
    if (report.leaves > 0) {
      notes.push_back(
          fmt::format("the index of {} was {} behind its log; caught up", log.origin,
                      report.leaves == 1 ? "1 leaf" : fmt::format("{} leaves", report.leaves)));
    }
    return Status::Ok();
  };
  for (const LogInfo& log : logs) {
    if (log.origin == gov_origin) RETURN_IF_ERROR(catch_up(log, nullptr));
  }
  Governance gov(gov_origin, root);
  ASSIGN_OR_RETURN(gov, LoadNodeGovernance(folder));
  for (const LogInfo& log : logs) {
    if (log.origin != gov_origin) RETURN_IF_ERROR(catch_up(log, &gov));
  }
  return gov;
}

// UNAUTHORIZED_STATEMENT: statements judged unauthorized when indexed, and
// statements with records that do not fit them, of the audited stage (or of
// none: governance statements) in logs within the scope.
Status StatementFindings(Store& store, const AuditContext& ctx, std::vector<Finding>& out) {
  auto in_scope = [&](uint32_t log) {
    auto it = ctx.logs.find(log);
    if (it == ctx.logs.end()) return false;
    const HeldLog& h = *it->second;
    return h.kind != "kabupaten" || ctx.InScope(h.region);
  };
  auto region_of = [&](uint32_t log) -> std::string {
    auto it = ctx.logs.find(log);
    return it != ctx.logs.end() ? it->second->kabupaten() : "";
  };
  const std::string& stage = ctx.options->stage;
  std::map<StatementRef, StatementVerdict> stage_statements;
  RETURN_IF_ERROR(ForEachStatementVerdict(store, [&](const StatementVerdict& v) {
    if (v.stage != stage && !v.stage.empty()) return Status::Ok();
    if (!in_scope(v.log)) return Status::Ok();
    stage_statements.emplace(StatementRef{v.log, v.leaf}, v);
    if (!v.violation.empty()) {
      Finding f;
      f.type = FindingType::kUnauthorizedStatement;
      f.stage = stage;
      f.kabupaten = region_of(v.log);
      f.detail = fmt::format("{} statement of {} records, judged at governance size {}: {}", v.type,
                             v.records, v.governance_size, v.violation);
      AddLeaf(f, ctx, v.log, v.leaf, "statement");
      out.push_back(std::move(f));
    }
    return Status::Ok();
  }));
  std::map<StatementRef, Finding> by_statement;
  RETURN_IF_ERROR(ForEachRecordViolation(store, [&](const RecordViolation& rv) {
    auto st = stage_statements.find({rv.log, rv.statement});
    if (st == stage_statements.end()) return Status::Ok();
    auto [it, fresh] = by_statement.try_emplace({rv.log, rv.statement});
    Finding& f = it->second;
    if (fresh) {
      f.type = FindingType::kUnauthorizedStatement;
      f.stage = stage;
      f.kabupaten = region_of(rv.log);
      f.detail = fmt::format("{} statement judged at governance size {}: record leaf {}: {}",
                             st->second.type, st->second.governance_size, rv.leaf, rv.message);
      AddLeaf(f, ctx, rv.log, rv.statement, "statement");
    }
    AddLeaf(f, ctx, rv.log, rv.leaf, "record");
    return Status::Ok();
  }));
  for (auto& [ref, f] : by_statement) {
    if (f.leaves.size() > 2) {
      f.detail += fmt::format(" (and {} more records)", f.leaves.size() - 2);
    }
    out.push_back(std::move(f));
  }
  return Status::Ok();
}

// EQUIVOCATION: the evidence this node stored (a pull that met two signed
// checkpoints of one log that cannot both be true), checked again here.
Status EquivocationFindings(Store& store, const AuditContext& ctx, std::vector<Finding>& out,
                            std::vector<std::string>& notes) {
  std::vector<std::pair<uint32_t, EquivocationEvidence>> all;
  ASSIGN_OR_RETURN(all, ListEvidence(store));
  for (const auto& [log, e] : all) {
    auto it = ctx.logs.find(log);
    if (it == ctx.logs.end()) continue;
    const HeldLog& h = *it->second;
    const std::string key = h.info.key.ToString();
    if (Status s = CheckEvidence(e, &key); !s.ok()) {
      notes.push_back(
          fmt::format("stored evidence against {} does not verify: {}", e.origin, s.message()));
      continue;
    }
    SignedCheckpoint a, b;  // both open: CheckEvidence just did
    ASSIGN_OR_RETURN(a, OpenCheckpoint(e.note_a, h.info.key));
    ASSIGN_OR_RETURN(b, OpenCheckpoint(e.note_b, h.info.key));
    Finding f;
    f.type = FindingType::kEquivocation;
    f.stage = ctx.options->stage;
    f.kabupaten = h.kabupaten();
    f.detail = fmt::format(
        "{} signed checkpoints of size {} (root {}) and size {} (root {}) that cannot both be "
        "true; the replica is frozen at size {} (jejak evidence prints the proof)",
        e.origin, a.checkpoint.size, Base64Encode(a.checkpoint.root), b.checkpoint.size,
        Base64Encode(b.checkpoint.root), h.size);
    LeafRef ref;
    ref.log = e.origin, ref.leaf = 0, ref.role = "log";  // the whole log, not one leaf
    f.leaves.push_back(std::move(ref));
    out.push_back(std::move(f));
  }
  return Status::Ok();
}

// LOG_INTEGRITY: recomputes held logs, taking the next of `logs` (largest
// first) until none is left; several of these run at once. Adds progress to
// *done.
std::vector<Finding> VerifyHeldLogs(Store& store, const std::vector<const HeldLog*>& logs,
                                    std::atomic<size_t>* next, const std::string& stage,
                                    std::atomic<uint64_t>* done) {
  std::vector<Finding> out;
  for (size_t i = next->fetch_add(1); i < logs.size(); i = next->fetch_add(1)) {
    const HeldLog& h = *logs[i];
    StoreLogSource source(store, h.info, "the audited store");
    VerifyOptions vo;
    vo.log_key = h.info.key;
    uint64_t last = 0;
    vo.progress = [&](uint64_t d, uint64_t) {
      done->fetch_add(d - last, std::memory_order_relaxed);
      last = d;
    };
    VerifyResult r = VerifyLog(source, vo);
    if (r.status.ok()) {
      done->fetch_add(h.size > last ? h.size - last : 0, std::memory_order_relaxed);
      continue;
    }
    Finding f;
    f.type = FindingType::kLogIntegrity;
    f.stage = stage;
    f.kabupaten = h.kabupaten();
    f.detail = std::string(r.status.message());
    LeafRef ref;  // the first bad leaf, else the whole log
    ref.log = h.info.origin;
    ref.leaf = r.bad_leaf.value_or(0);
    ref.role = r.bad_leaf ? "damaged" : "log";
    f.leaves.push_back(std::move(ref));
    out.push_back(std::move(f));
  }
  return out;
}

Status AttachProofs(Store& store, const std::vector<HeldLog>& logs, std::vector<Finding>& findings,
                    std::vector<std::string>& notes) {
  std::map<std::string, std::pair<const HeldLog*, std::unique_ptr<LogReader>>> readers;
  for (const HeldLog& h : logs) {
    readers.emplace(h.info.origin, std::make_pair(&h, std::make_unique<LogReader>(store, h.info)));
  }
  uint64_t unprovable = 0;
  for (Finding& f : findings) {
    // Nothing to prove against: the log is damaged, or its author equivocated.
    if (f.type == FindingType::kLogIntegrity || f.type == FindingType::kEquivocation) continue;
    for (LeafRef& ref : f.leaves) {
      auto it = readers.find(ref.log);
      if (it == readers.end()) continue;
      const HeldLog& h = *it->second.first;
      LogReader& reader = *it->second.second;
      if (ref.leaf >= h.size) {
        ++unprovable;
        continue;
      }
      Bytes leaf;
      ASSIGN_OR_RETURN(leaf, reader.Leaf(ref.leaf));
      ref.leaf_hash = LeafHash(leaf);
      std::vector<Hash> proof;
      ASSIGN_OR_RETURN(proof, reader.InclusionProof(ref.leaf, h.size));
      ref.proof = std::move(proof);
      ref.proof_size = h.size;
    }
  }
  if (unprovable > 0) {
    notes.push_back(
        fmt::format("{} leaves lie beyond their log's latest signed checkpoint and carry no proof",
                    unprovable));
  }
  return Status::Ok();
}

}  // namespace

Result<AuditReport> RunAudit(NodeFolder& folder, const AuditOptions& options) {
  AuditReport report;
  ASSIGN_OR_RETURN(report.stage, ParseStageId(options.stage));
  if (auto d = ParseIsoDate(options.as_of); !d.ok()) {
    return d.status().WithContext("--as-of");
  }
  report.as_of = options.as_of;
  for (const std::string& code : options.kabupaten) {
    RETURN_IF_ERROR(
        ValidateRegionCode(code, RegionLevel::kProvinceOrKabupaten, "each --kabupaten code"));
  }
  NoteVerifierKey anchor;
  ASSIGN_OR_RETURN(anchor, folder.RequireGovernance());
  Store& store = folder.store();
  {
    auto gov_log = FindLog(store, anchor.name);
    if (!gov_log.ok()) {
      if (gov_log.status().code() == StatusCode::kNotFound) {
        return FailedPrecondition(
            fmt::format("this node holds no governance log ({}): pull it first", anchor.name));
      }
      return gov_log.status();
    }
  }
  std::vector<LogInfo> infos;
  ASSIGN_OR_RETURN(infos, ListLogs(store));
  Governance gov(anchor.name, anchor.key);
  ASSIGN_OR_RETURN(gov, CatchUpIndexes(folder, infos, anchor.name, anchor.key, report.notes));

  AuditContext ctx;
  ctx.options = &options;
  ctx.latest_window = gov.Stage(report.stage, gov.size());
  if (ctx.latest_window == nullptr) {
    return FailedPrecondition(fmt::format("the governance log (size {}) never opened stage {}",
                                          gov.size(), report.stage));
  }
  report.window_from = ctx.latest_window->from;
  report.window_to = ctx.latest_window->to;
  const uint16_t year = StageYear(report.stage);
  ctx.latest_index = gov.Index(year, gov.size());
  if (ctx.latest_index == nullptr) {
    report.notes.push_back(fmt::format(
        "the governance log holds no benefit index for {}: ENTITLEMENT_MISMATCH is not judged",
        year));
  }

  std::vector<HeldLog> held;
  ASSIGN_OR_RETURN(held, ReadHeldLogs(folder, gov));
  for (const HeldLog& h : held) ctx.logs[h.info.id] = &h;

  // What the scope needs that the node lacks or holds unsigned.
  std::set<std::string> held_origins;
  for (const HeldLog& h : held) held_origins.insert(h.info.origin);
  for (const NodeRegistration* reg : gov.Nodes(gov.size())) {
    const bool needed =
        (reg->kind == "kabupaten" && ctx.InScope(reg->region)) || reg->kind == "lembaga-bayar";
    if (needed && held_origins.count(reg->origin) == 0) {
      report.missing.push_back(
          fmt::format("{} {} ({}): not held", reg->kind, reg->region, reg->origin));
    }
  }
  for (const HeldLog& h : held) {
    if (h.checkpoint.empty()) {
      report.missing.push_back(fmt::format("{} {} ({}): held, but holds no signed checkpoint",
                                           h.kind.empty() ? "log" : h.kind, h.region,
                                           h.info.origin));
    }
  }
  // Behind: the node's witness cosigned a newer checkpoint of the log than
  // the replica holds (its author offered it; the follower has not pulled it).
  for (const HeldLog& h : held) {
    if (h.info.own || h.checkpoint.empty()) continue;
    std::optional<WitnessState> known;
    ASSIGN_OR_RETURN(known, LoadWitnessState(store, h.info.origin));
    if (known && known->size > h.size) {
      report.missing.push_back(fmt::format(
          "{} {} ({}): held at size {}, behind its latest known checkpoint (size {}, cosigned "
          "by this node's witness)",
          h.kind.empty() ? "log" : h.kind, h.region, h.info.origin, h.size, known->size));
    }
  }
  report.notes.push_back(
      "each log is judged at its latest checkpoint held here, compared with the latest "
      "checkpoint this node's witness cosigned (authors offer each new checkpoint to it)");

  // Each statement's governance context.
  RETURN_IF_ERROR(ForEachStatementVerdict(store, [&](const StatementVerdict& v) {
    StatementContext sc;
    sc.window = gov.Stage(report.stage, v.governance_size);
    sc.index = gov.Index(year, v.governance_size);
    ctx.statements.emplace(StatementRef{v.log, v.leaf}, sc);
    return Status::Ok();
  }));
  for (const HeldLog& h : held) {
    report.logs.push_back(
        AuditedLog{h.info.origin, h.kind, h.region, h.name, h.size, h.root, h.checkpoint});
  }

  // Verification on two threads, the join on two (split at the middle of the
  // pseudonym space), progress polled here.
  uint64_t verify_total = 0;
  for (const HeldLog& h : held) verify_total += h.size;
  std::atomic<uint64_t> verified{0}, pos_low{0}, pos_high{0x8000};
  // Re-verification is the larger part of the work at national scale (every
  // leaf of every log): two verifiers share the logs, largest first.
  std::vector<const HeldLog*> by_size;
  for (const HeldLog& h : held) by_size.push_back(&h);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const HeldLog* a, const HeldLog* b) { return a->size > b->size; });
  std::atomic<size_t> next_log{0};
  std::vector<std::future<std::vector<Finding>>> integrity;
  if (options.verify_logs) {
    for (int k = 0; k < 2; ++k) {
      integrity.push_back(std::async(std::launch::async, [&] {
        return VerifyHeldLogs(store, by_size, &next_log, report.stage, &verified);
      }));
    }
  }
  Pseudonym middle{};
  middle[0] = 0x80;
  auto high = std::async(std::launch::async, [&] {
    return JoinWorker(store, ctx, middle, std::nullopt, &pos_high).Run();
  });
  auto low = std::async(std::launch::async, [&] {
    return JoinWorker(store, ctx, Pseudonym{}, middle, &pos_low).Run();
  });
  auto poll = [&] {
    if (!options.progress) return;
    const uint64_t join = pos_low.load() + (pos_high.load() - 0x8000);
    const uint64_t ver = verify_total == 0 || !options.verify_logs
                             ? 1000
                             : std::min<uint64_t>(1000, verified.load() * 1000 / verify_total);
    options.progress(join * 1000 / 0x10000 + ver, 2000);
  };
  for (auto* f : {&low, &high}) {
    while (f->wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) poll();
  }
  for (auto& f : integrity) {
    while (f.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) poll();
  }
  std::vector<JoinPart> parts;
  parts.push_back(low.get());
  parts.push_back(high.get());
  bool overflow = false;
  for (JoinPart& part : parts) {
    RETURN_IF_ERROR(part.status);
    overflow |= part.overflow;
    for (Finding& f : part.findings) report.findings.push_back(std::move(f));
    Add(report.totals, part.totals, overflow);
    for (const auto& [k, t] : part.by_kabupaten) Add(report.by_kabupaten[k], t, overflow);
    for (const auto& [k, t] : part.by_lembaga) Add(report.by_lembaga[k], t, overflow);
  }
  if (overflow) {
    return InvalidArgument(fmt::format(
        "the amounts of stage {} add up to more than 2^64 rupiah: no total could be reported "
        "truthfully (rows above Rp {} are refused at import; these logs hold larger ones)",
        report.stage, kMaxRupiah));
  }
  for (auto& part : integrity) {
    for (Finding& f : part.get()) report.findings.push_back(std::move(f));
  }
  if (!options.verify_logs) {
    report.notes.push_back("logs were not re-verified (LOG_INTEGRITY not judged)");
  }
  RETURN_IF_ERROR(StatementFindings(store, ctx, report.findings));
  RETURN_IF_ERROR(EquivocationFindings(store, ctx, report.findings, report.notes));
  if (options.progress) options.progress(2000, 2000);

  for (Finding& f : report.findings) std::sort(f.leaves.begin(), f.leaves.end());
  std::sort(report.findings.begin(), report.findings.end(), FindingLess);
  for (const Finding& f : report.findings) ++report.summary[static_cast<size_t>(f.type)];
  if (options.proofs) RETURN_IF_ERROR(AttachProofs(store, held, report.findings, report.notes));
  return report;
}

}  // namespace jejak
