// What the parts of the audit share: the logs held, each statement's
// governance context, and the partial results the join workers return.
// Internal to ledger/audit.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/audit/audit.h"
#include "ledger/log/log.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/join_rows.h"

namespace jejak::audit_internal {

using StatementRef = std::pair<uint32_t, uint64_t>;  // (log id, statement leaf)

// What the governance log said when a statement was written.
struct StatementContext {
  const StageWindow* window = nullptr;  // the audited stage's window then
  const BenefitIndex* index = nullptr;  // the stage year's index then
  // The policy settings for the statement's kabupaten then (DOMAIN.md,
  // "Policy"): read for berita acara and complaint statements.
  bool require_bnba = false;
  uint16_t suspend_after_months = 0;
  uint16_t complaint_response_hours = kDefaultComplaintResponseHours;
};

// A log the node holds, at its latest checkpoint, with what the registry
// says about it.
struct HeldLog {
  LogInfo info;
  std::optional<NodeKind> kind;  // where registered (or the governance or own log)
  std::string region, name;
  uint64_t size = 0;
  Hash root{};
  std::string checkpoint;

  // The region, for the log of a kabupaten; findings about other logs have none.
  std::string kabupaten() const { return kind == NodeKind::kKabupaten ? region : ""; }
  // "kabupaten", ..., or "" where the registry says nothing.
  std::string kind_name() const { return kind ? std::string(NodeKindName(*kind)) : ""; }
};

// Everything the join workers read; immutable while they run.
struct AuditContext {
  const AuditOptions* options = nullptr;
  std::string as_of_date;  // the audit date: --as-of's calendar date as written
  int64_t moment = 0;      // the audit moment, seconds since 1970 UTC
  const StageWindow* latest_window = nullptr;
  const BenefitIndex* latest_index = nullptr;
  std::map<uint32_t, const HeldLog*> logs;
  std::map<StatementRef, StatementContext> statements;

  bool InScope(std::string_view kabupaten) const {
    return options->kabupaten.empty() || ScopeCovers(options->kabupaten, kabupaten);
  }
  const std::string& Origin(uint32_t log) const;
  // The registered name of a lembaga bayar log ("BRI"), else its origin.
  const std::string& BankName(uint32_t log) const;
  const StatementContext* Statement(uint32_t log, uint64_t leaf) const;
  // The window and index in force for a statement (the latest where the
  // statement is not indexed).
  const StageWindow* WindowOf(uint32_t log, uint64_t statement) const;
  const BenefitIndex* IndexOf(uint32_t log, uint64_t statement) const;
};

// Sums of amounts, checked: a total that does not fit in 64 bits is an
// error of the audit, never a wrapped number. (Rows are bounded at import,
// kMaxRupiah, so a national stage fits many times over.)
inline void AddAmount(uint64_t& to, uint64_t v, bool& overflow) {
  if (__builtin_add_overflow(to, v, &to)) overflow = true;
}
void Add(KabupatenTotals& to, const KabupatenTotals& from, bool& overflow);
void Add(LembagaTotals& to, const LembagaTotals& from, bool& overflow);
void Add(ComplaintTotals& to, const ComplaintTotals& from);

// What one join worker found in its range of pseudonyms.
struct JoinPart {
  Status status;
  bool overflow = false;  // a sum of amounts did not fit in 64 bits
  std::vector<Finding> findings;
  KabupatenTotals totals;
  std::map<std::string, KabupatenTotals> by_kabupaten;
  std::map<std::string, LembagaTotals> by_lembaga;
  std::map<std::string, ComplaintTotals> complaints;
  std::vector<LateRecordedResponse> late_responses;
};

// Cites a leaf in a finding (once).
void AddLeaf(Finding& f, const AuditContext& ctx, uint32_t log, uint64_t leaf, const char* role);
// Cites a row and its statement.
void AddReceipt(Finding& f, const AuditContext& ctx, const ReceiptRow& r);
void AddApproval(Finding& f, const AuditContext& ctx, const ApprovalRow& a);
void AddUpdate(Finding& f, const AuditContext& ctx, const UpdateRow& u);
void AddVerification(Finding& f, const AuditContext& ctx, const VerificationRow& v);
void AddComplaint(Finding& f, const AuditContext& ctx, const ComplaintRow& c);
void AddResponse(Finding& f, const AuditContext& ctx, const ResponseRow& r);

}  // namespace jejak::audit_internal
