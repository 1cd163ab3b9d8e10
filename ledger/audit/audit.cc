#include "ledger/audit/audit.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "ledger/audit/internal/context.h"
#include "ledger/audit/internal/join_worker.h"
#include "ledger/audit/internal/log_findings.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/witness_state.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/indexer.h"
#include "ledger/pkh/join_rows.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/values.h"

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
    case FindingType::kApprovedNotInBnba:
      return "APPROVED_NOT_IN_BNBA";
    case FindingType::kApprovedWhileSuspended:
      return "APPROVED_WHILE_SUSPENDED";
    case FindingType::kComplaintUnanswered:
      return "COMPLAINT_UNANSWERED";
    case FindingType::kPaidButDisputed:
      return "PAID_BUT_DISPUTED";
  }
  return "UNKNOWN";
}

bool operator<(const LeafRef& a, const LeafRef& b) {
  return std::tie(a.log, a.leaf, a.role) < std::tie(b.log, b.leaf, b.role);
}

namespace {

using audit_internal::Add;
using audit_internal::AttachProofs;
using audit_internal::AuditContext;
using audit_internal::EquivocationFindings;
using audit_internal::HeldLog;
using audit_internal::JoinPart;
using audit_internal::RunJoinWorker;
using audit_internal::StatementContext;
using audit_internal::StatementFindings;
using audit_internal::StatementRef;
using audit_internal::VerifyHeldLogs;

// Within a type, findings without a KPM first (DOMAIN.md).
bool FindingLess(const Finding& a, const Finding& b) {
  const bool a_kpm = a.kpm.has_value(), b_kpm = b.kpm.has_value();
  return std::tie(a.type, a_kpm, a.kabupaten, a.kpm, a.txn_ref, a.complaint_id, a.leaves) <
         std::tie(b.type, b_kpm, b.kabupaten, b.kpm, b.txn_ref, b.complaint_id, b.leaves);
}

// The options, checked; the report's stage, date and moment set from them.
// A date means the end of that day in WIB; a date-time counts as written
// for the moment and by its calendar date for the date rules.
Status CheckOptions(const AuditOptions& options, AuditReport& report, AuditContext& ctx) {
  ASSIGN_OR_RETURN(report.stage, ParseStageId(options.stage));
  if (options.as_of.size() > 10) {
    auto moment = ParseDateTimeWithOffset(options.as_of);
    if (!moment.ok()) {
      return moment.status().WithContext("--as-of (a date YYYY-MM-DD or a date-time)");
    }
    ctx.moment = moment->seconds;
  } else {
    if (auto d = ParseIsoDate(options.as_of); !d.ok()) {
      return d.status().WithContext("--as-of (a date YYYY-MM-DD or a date-time)");
    }
    ctx.moment = UnixSecondsOfDate(options.as_of) + 86400 - 7 * 3600;
  }
  ctx.as_of_date = std::string(CalendarDate(options.as_of));
  report.as_of = options.as_of;
  report.moment = FormatWib(ctx.moment);
  for (const std::string& code : options.kabupaten) {
    RETURN_IF_ERROR(
        ValidateRegionCode(code, RegionLevel::kProvinceOrKabupaten, "each --kabupaten code"));
  }
  return Status::Ok();
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
      h.kind = NodeKind::kKemensos;
    } else if (h.info.own) {
      const NodeConfig& c = folder.config();
      h.kind = c.kind, h.region = c.region, h.name = c.name;
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
                                  bool allowed, AuditReport& r) {
  Store& store = folder.store();
  auto catch_up = [&](const LogInfo& log, const Governance* gov) -> Status {
    if (store.read_only() || !allowed) {
      // Beside a serving node, which indexes what it pulls as it stores it.
      uint64_t indexed, size;
      ASSIGN_OR_RETURN(indexed, IndexedSize(store, log));
      ASSIGN_OR_RETURN(size, LogReader(store, log).Size());
      if (indexed < size && !allowed) {
        return Unavailable(fmt::format(
            "the index of {} is {} leaves behind its log (being stored): ask again shortly",
            log.origin, size - indexed));
      }
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
      r.Note(fmt::format("the index of {} was {} behind its log; caught up", log.origin,
                         report.leaves == 1 ? "1 leaf" : fmt::format("{} leaves", report.leaves)),
             fmt::format("indeks {} tertinggal {} daun dari lognya; sudah disusul", log.origin,
                         report.leaves));
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

// The governance state the audit judges by, with every held log's index
// caught up. FailedPrecondition when the node holds no governance log.
Result<Governance> OpenGovernance(NodeFolder& folder, bool catch_up, AuditReport& report) {
  NoteVerifierKey anchor;
  ASSIGN_OR_RETURN(anchor, folder.RequireGovernance());
  Store& store = folder.store();
  auto gov_log = FindLog(store, anchor.name);
  if (!gov_log.ok()) {
    if (gov_log.status().code() == StatusCode::kNotFound) {
      return FailedPrecondition(
          fmt::format("this node holds no governance log ({}): pull it first", anchor.name));
    }
    return gov_log.status();
  }
  std::vector<LogInfo> infos;
  ASSIGN_OR_RETURN(infos, ListLogs(store));
  return CatchUpIndexes(folder, infos, anchor.name, anchor.key, catch_up, report);
}

// The stage's window and benefit index as the governance log says now, and
// as it said at the size each indexed statement records.
Status BuildContext(Store& store, const Governance& gov, const std::vector<HeldLog>& held,
                    AuditContext& ctx, AuditReport& report) {
  std::map<uint32_t, const HeldLog*> by_id;
  for (const HeldLog& h : held) by_id[h.info.id] = &h;
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
    report.Note(
        fmt::format(
            "the governance log holds no benefit index for {}: ENTITLEMENT_MISMATCH is not judged",
            year),
        fmt::format("log tata kelola tidak memuat indeks bantuan tahun {}: ENTITLEMENT_MISMATCH "
                    "tidak dinilai",
                    year));
  }
  return ForEachStatementVerdict(store, [&](const StatementVerdict& v) {
    StatementContext sc;
    sc.window = gov.Stage(report.stage, v.governance_size);
    sc.index = gov.Index(year, v.governance_size);
    if (v.type == kTypeApproval || v.type == kTypeComplaint) {
      // The kabupaten the statement's log was registered for then.
      auto it = by_id.find(v.log);
      std::string region;
      if (it != by_id.end()) {
        const NodeRegistration* reg = gov.NodeByOrigin(it->second->info.origin, v.governance_size);
        region = reg != nullptr ? reg->region : it->second->region;
      }
      sc.require_bnba = gov.RequireBnba(region, v.governance_size);
      sc.suspend_after_months = gov.SuspendAfterMonths(region, v.governance_size);
      sc.complaint_response_hours = gov.ComplaintResponseHours(region, v.governance_size);
    }
    ctx.statements.emplace(StatementRef{v.log, v.leaf}, sc);
    return Status::Ok();
  });
}

std::string KindLabel(const HeldLog& h) { return h.kind ? h.kind_name() : "log"; }

// What the scope needs that the node lacks, holds unsigned, or holds behind
// the latest checkpoint its witness cosigned (its author offered it; the
// follower has not pulled it yet).
Status ReportCoverageGaps(Store& store, const Governance& gov, const std::vector<HeldLog>& held,
                          const AuditContext& ctx, AuditReport& report) {
  std::set<std::string> held_origins;
  for (const HeldLog& h : held) held_origins.insert(h.info.origin);
  for (const NodeRegistration* reg : gov.Nodes(gov.size())) {
    const bool needed = (reg->kind == NodeKind::kKabupaten && ctx.InScope(reg->region)) ||
                        reg->kind == NodeKind::kLembagaBayar;
    if (needed && held_origins.count(reg->origin) == 0) {
      report.Missing(
          fmt::format("{} {} ({}): not held", NodeKindName(reg->kind), reg->region, reg->origin),
          fmt::format("{} {} ({}): tidak disimpan node ini", NodeKindName(reg->kind), reg->region,
                      reg->origin));
    }
  }
  for (const HeldLog& h : held) {
    if (h.checkpoint.empty()) {
      report.Missing(fmt::format("{} {} ({}): held, but holds no signed checkpoint", KindLabel(h),
                                 h.region, h.info.origin),
                     fmt::format("{} {} ({}): disimpan, tetapi tanpa checkpoint bertanda tangan",
                                 KindLabel(h), h.region, h.info.origin));
    }
  }
  for (const HeldLog& h : held) {
    if (h.info.own || h.checkpoint.empty()) continue;
    std::optional<WitnessState> known;
    ASSIGN_OR_RETURN(known, LoadWitnessState(store, h.info.origin));
    if (known && known->size > h.size) {
      report.Missing(
          fmt::format(
              "{} {} ({}): held at size {}, behind its latest known checkpoint (size {}, cosigned "
              "by this node's witness)",
              KindLabel(h), h.region, h.info.origin, h.size, known->size),
          fmt::format("{} {} ({}): disimpan pada ukuran {}, di belakang checkpoint terakhir yang "
                      "diketahui (ukuran {}, ditandatangani bersama oleh saksi node ini)",
                      KindLabel(h), h.region, h.info.origin, h.size, known->size));
    }
  }
  report.Note(
      "each log is judged at its latest checkpoint held here, compared with the latest "
      "checkpoint this node's witness cosigned (authors offer each new checkpoint to it)",
      "setiap log dinilai pada checkpoint terakhir yang disimpan di sini, dibandingkan dengan "
      "checkpoint terakhir yang ditandatangani bersama oleh saksi node ini (penulis log "
      "menawarkan setiap checkpoint baru kepadanya)");
  return Status::Ok();
}

// The work that reads every row: the join on two threads (split at the middle
// of the pseudonym space) and, unless disabled, the re-verification of every
// held log on two more, largest log first. Progress is polled here.
struct Work {
  std::vector<JoinPart> join;
  std::vector<Finding> integrity;
};

Work RunWorkers(Store& store, const AuditContext& ctx, const std::vector<HeldLog>& held,
                const std::string& stage) {
  const AuditOptions& options = *ctx.options;
  uint64_t verify_total = 0;
  for (const HeldLog& h : held) verify_total += h.size;
  std::atomic<uint64_t> verified{0}, pos_low{0}, pos_high{0x8000};
  std::vector<const HeldLog*> by_size;
  for (const HeldLog& h : held) by_size.push_back(&h);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const HeldLog* a, const HeldLog* b) { return a->size > b->size; });
  std::atomic<size_t> next_log{0};
  std::vector<std::future<std::vector<Finding>>> integrity;
  if (options.verify_logs) {
    for (int k = 0; k < 2; ++k) {
      integrity.push_back(std::async(std::launch::async, [&] {
        return VerifyHeldLogs(store, by_size, &next_log, stage, &verified);
      }));
    }
  }
  Pseudonym middle{};
  middle[0] = 0x80;
  // One family: one worker over [kpm, kpm + 1); the other has nothing to do.
  Pseudonym low_from{};
  std::optional<Pseudonym> low_to = middle, high_to;
  if (options.family) {
    low_from = *options.family, low_to = NextPseudonym(*options.family);
    middle = low_to.value_or(middle), high_to = middle;
  }
  auto high = std::async(std::launch::async,
                         [&] { return RunJoinWorker(store, ctx, middle, high_to, &pos_high); });
  auto low = std::async(std::launch::async,
                        [&] { return RunJoinWorker(store, ctx, low_from, low_to, &pos_low); });
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
  Work work;
  work.join.push_back(low.get());
  work.join.push_back(high.get());
  for (auto& f : integrity) {
    for (Finding& finding : f.get()) work.integrity.push_back(std::move(finding));
  }
  return work;
}

// The join workers' findings and totals, added up (checked for overflow).
Status MergeJoinParts(std::vector<JoinPart>& parts, AuditReport& report) {
  bool overflow = false;
  for (JoinPart& part : parts) {
    RETURN_IF_ERROR(part.status);
    overflow |= part.overflow;
    for (Finding& f : part.findings) report.findings.push_back(std::move(f));
    Add(report.totals, part.totals, overflow);
    for (const auto& [k, t] : part.by_kabupaten) Add(report.by_kabupaten[k], t, overflow);
    for (const auto& [k, t] : part.by_lembaga) Add(report.by_lembaga[k], t, overflow);
    for (const auto& [k, t] : part.complaints) Add(report.complaints[k], t);
    for (LateRecordedResponse& l : part.late_responses) {
      report.late_responses.push_back(std::move(l));
    }
  }
  std::sort(report.late_responses.begin(), report.late_responses.end(),
            [](const LateRecordedResponse& a, const LateRecordedResponse& b) {
              return std::tie(a.kabupaten, a.complaint_id, a.leaf) <
                     std::tie(b.kabupaten, b.complaint_id, b.leaf);
            });
  if (overflow) {
    return InvalidArgument(fmt::format(
        "the amounts of stage {} add up to more than 2^64 rupiah: no total could be reported "
        "truthfully (rows above Rp {} are refused at import; these logs hold larger ones)",
        report.stage, kMaxRupiah));
  }
  return Status::Ok();
}

// Findings in their reporting order, counted; leaves in order.
void SortAndCount(AuditReport& report) {
  for (Finding& f : report.findings) std::sort(f.leaves.begin(), f.leaves.end());
  std::sort(report.findings.begin(), report.findings.end(), FindingLess);
  for (const Finding& f : report.findings) ++report.summary[static_cast<size_t>(f.type)];
}

}  // namespace

Result<AuditReport> RunAudit(NodeFolder& folder, const AuditOptions& options) {
  AuditReport report;
  AuditContext ctx;
  ctx.options = &options;
  RETURN_IF_ERROR(CheckOptions(options, report, ctx));
  Store& store = folder.store();
  Governance gov(std::string(), PublicKey{});
  ASSIGN_OR_RETURN(gov, OpenGovernance(folder, options.catch_up, report));
  std::vector<HeldLog> held;
  ASSIGN_OR_RETURN(held, ReadHeldLogs(folder, gov));
  RETURN_IF_ERROR(BuildContext(store, gov, held, ctx, report));
  for (const HeldLog& h : held) ctx.logs[h.info.id] = &h;
  RETURN_IF_ERROR(ReportCoverageGaps(store, gov, held, ctx, report));
  for (const HeldLog& h : held) {
    report.logs.push_back(
        AuditedLog{h.info.origin, h.kind_name(), h.region, h.name, h.size, h.root, h.checkpoint});
  }

  Work work = RunWorkers(store, ctx, held, report.stage);
  RETURN_IF_ERROR(MergeJoinParts(work.join, report));
  for (Finding& f : work.integrity) report.findings.push_back(std::move(f));
  if (!options.verify_logs) {
    report.Note("logs were not re-verified (LOG_INTEGRITY not judged)",
                "log tidak diverifikasi ulang (LOG_INTEGRITY tidak dinilai)");
  }
  RETURN_IF_ERROR(StatementFindings(store, ctx, report.findings));
  RETURN_IF_ERROR(EquivocationFindings(store, ctx, report.findings, report));
  if (options.progress) options.progress(2000, 2000);

  SortAndCount(report);
  if (options.proofs) {
    RETURN_IF_ERROR(AttachProofs(store, held, options.cosignatures, report.findings, report));
  }
  return report;
}

}  // namespace jejak
