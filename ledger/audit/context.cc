#include "ledger/audit/internal/context.h"

namespace jejak::audit_internal {

const std::string& AuditContext::Origin(uint32_t log) const {
  static const std::string kUnknown = "?";
  auto it = logs.find(log);
  return it == logs.end() ? kUnknown : it->second->info.origin;
}

const std::string& AuditContext::BankName(uint32_t log) const {
  auto it = logs.find(log);
  if (it == logs.end()) return Origin(log);
  return it->second->name.empty() ? it->second->info.origin : it->second->name;
}

const StatementContext* AuditContext::Statement(uint32_t log, uint64_t leaf) const {
  auto it = statements.find({log, leaf});
  return it == statements.end() ? nullptr : &it->second;
}

const StageWindow* AuditContext::WindowOf(uint32_t log, uint64_t statement) const {
  const StatementContext* s = Statement(log, statement);
  return s != nullptr && s->window != nullptr ? s->window : latest_window;
}

const BenefitIndex* AuditContext::IndexOf(uint32_t log, uint64_t statement) const {
  const StatementContext* s = Statement(log, statement);
  return s != nullptr && s->index != nullptr ? s->index : latest_index;
}

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

void AddVerification(Finding& f, const AuditContext& ctx, const VerificationRow& v) {
  AddLeaf(f, ctx, v.log, v.statement, "statement");
  AddLeaf(f, ctx, v.log, v.leaf, "verification");
}
void AddComplaint(Finding& f, const AuditContext& ctx, const ComplaintRow& c) {
  AddLeaf(f, ctx, c.log, c.statement, "statement");
  AddLeaf(f, ctx, c.log, c.leaf, "complaint");
}
void AddResponse(Finding& f, const AuditContext& ctx, const ResponseRow& r) {
  AddLeaf(f, ctx, r.log, r.statement, "statement");
  AddLeaf(f, ctx, r.log, r.leaf, "response");
}

void Add(KabupatenTotals& to, const KabupatenTotals& from, bool& overflow) {
  to.approved += from.approved, AddAmount(to.approved_amount, from.approved_amount, overflow);
  to.paid += from.paid, AddAmount(to.paid_amount, from.paid_amount, overflow);
  to.paid_families += from.paid_families;
  to.failed += from.failed, to.returned += from.returned;
  to.unpaid += from.unpaid;
  to.on_bnba += from.on_bnba;
  for (const auto& [month, n] : from.verified_by_month) to.verified_by_month[month] += n;
}
void Add(ComplaintTotals& to, const ComplaintTotals& from) {
  to.received += from.received;
  to.answered_in_time += from.answered_in_time;
  to.overdue += from.overdue;
  to.open += from.open;
  if (!from.oldest_overdue.empty() &&
      (to.oldest_overdue.empty() || from.oldest_overdue_seconds < to.oldest_overdue_seconds ||
       (from.oldest_overdue_seconds == to.oldest_overdue_seconds &&
        from.oldest_overdue < to.oldest_overdue))) {
    to.oldest_overdue = from.oldest_overdue;
    to.oldest_overdue_seconds = from.oldest_overdue_seconds;
  }
}
void Add(LembagaTotals& to, const LembagaTotals& from, bool& overflow) {
  to.receipts += from.receipts;
  to.paid += from.paid, AddAmount(to.paid_amount, from.paid_amount, overflow);
  to.failed += from.failed, AddAmount(to.failed_amount, from.failed_amount, overflow);
  to.returned += from.returned, AddAmount(to.returned_amount, from.returned_amount, overflow);
}

}  // namespace jejak::audit_internal
