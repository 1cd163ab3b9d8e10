// The console's audits (specs/node-api.md "Console"): an auditor starts the
// audit of a stage as of a date; it runs in the background on this node's
// store (one at a time, the join indexes as the node keeps them), and its
// report is kept in the node folder with the documents of the previous issues
// (JSON with tlog-proofs, CSV, XLSX, PDF in both languages), so that past
// runs can be read, exported and compared after a restart too.
//
//   <node>/console-audits/<id>/run.json       what ran, by whom, the counts;
//                                             written last: a run without it
//                                             is unfinished and not listed
//   <node>/console-audits/<id>/report.json    AuditJson with proofs
//   <node>/console-audits/<id>/report.csv, report.xlsx, report-id.pdf, report-en.pdf
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "crypto/files.h"
#include "crypto/json_text.h"
#include "documents/audit_pdf.h"
#include "documents/audit_xlsx.h"
#include "ledger/audit/audit.h"
#include "ledger/pkh/values.h"
#include "node/event_log.h"
#include "node/internal/console.h"
#include "node/internal/context.h"
#include "node/log_status.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;

constexpr size_t kKeptRuns = 20;
constexpr size_t kMaxFindingsPage = 500;
constexpr size_t kMaxReportBytes = size_t{1} << 30;

struct Export {
  std::string_view format, lang, file, content_type, extension;
};
constexpr Export kExports[] = {
    {"json", "", "report.json", "application/json", "json"},
    {"csv", "", "report.csv", "text/csv; charset=utf-8", "csv"},
    {"xlsx", "", "report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "xlsx"},
    {"pdf", "id", "report-id.pdf", "application/pdf", "pdf"},
    {"pdf", "en", "report-en.pdf", "application/pdf", "pdf"},
};

// A string field of a finding, "" when absent or null (complaint_id, kpm).
std::string Text(const nlohmann::json& f, const char* key) {
  const auto it = f.find(key);
  return it != f.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The finding types whose amount left the program's account: what is at
// risk. For AMOUNT_MISMATCH, the difference from what was approved.
bool PaidOut(std::string_view type) {
  return type == "PAID_NOT_APPROVED" || type == "DUPLICATE_PAYOUT" ||
         type == "PAID_TO_INELIGIBLE" || type == "PAID_OUTSIDE_WINDOW" ||
         type == "PAID_BUT_DISPUTED";
}

uint64_t AtRisk(const nlohmann::json& f) {
  const std::string type = Text(f, "type");
  const auto amount = f.find("amount");
  if (amount == f.end() || !amount->is_number_unsigned()) return 0;
  if (type == "AMOUNT_MISMATCH") {
    const auto expected = f.find("expected_amount");
    if (expected == f.end() || !expected->is_number_unsigned()) return 0;
    const uint64_t a = *amount, e = *expected;
    return a > e ? a - e : e - a;
  }
  return PaidOut(type) ? amount->get<uint64_t>() : 0;
}

std::string RunsDir(const NodeContext& ctx) { return ctx.folder->dir() + "/console-audits"; }

bool ValidRunId(std::string_view id) {
  return id.size() == 6 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The ids of the runs' folders, newest first (finished or not).
std::vector<std::string> RunIds(const NodeContext& ctx) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (auto it = fs::directory_iterator(RunsDir(ctx), ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string id = it->path().filename().string();
    if (ValidRunId(id)) ids.push_back(id);
  }
  std::sort(ids.rbegin(), ids.rend());
  return ids;
}

// The finished runs, newest first (their run.json).
std::vector<nlohmann::json> ListRuns(const NodeContext& ctx) {
  std::vector<nlohmann::json> runs;
  for (const auto& id : RunIds(ctx)) {
    auto text = ReadFile(RunsDir(ctx) + "/" + id + "/run.json", size_t{1} << 20);
    if (!text.ok()) continue;  // unfinished (the node stopped during it)
    auto j = ParseJsonDocument(*text, "run.json", JsonLimits{1 << 20, 8});
    if (j.ok() && j->is_object()) runs.push_back(std::move(*j));
  }
  return runs;
}

std::string NextRunId(const NodeContext& ctx) {
  const std::vector<std::string> ids = RunIds(ctx);
  const uint64_t last = ids.empty() ? 0 : std::stoull(ids.front());
  return fmt::format("{:06d}", (last + 1) % 1000000);
}

// Keeps the newest kKeptRuns runs (and any unfinished one newer than them).
void PruneRuns(const NodeContext& ctx) {
  const std::vector<std::string> ids = RunIds(ctx);
  std::error_code ec;
  for (size_t i = kKeptRuns; i < ids.size(); ++i) fs::remove_all(RunsDir(ctx) + "/" + ids[i], ec);
}

Status WriteDocuments(const AuditReport& report, const std::string& dir) {
  RETURN_IF_ERROR(WriteFileAtomic(dir + "/report.json", AuditJson(report), 0600));
  // The findings' details in Bahasa Indonesia, in the report's order (the
  // JSON report keeps the English: it is the interface).
  nlohmann::json details = nlohmann::json::array();
  for (const Finding& f : report.findings) details.push_back(FindingDetail(f, Lang::kId));
  nlohmann::json notes = {{"missing", report.MissingIn(Lang::kId)},
                          {"notes", report.NotesIn(Lang::kId)}};
  RETURN_IF_ERROR(WriteFileAtomic(dir + "/report-id.json",
                                  nlohmann::json({{"details", details}, {"notes", notes}}).dump(),
                                  0600));
  RETURN_IF_ERROR(WriteFileAtomic(dir + "/report.csv", AuditCsv(report), 0600));
  RETURN_IF_ERROR(WriteAuditXlsx(report, nullptr, Lang::kId, dir + "/report.xlsx"));
  RETURN_IF_ERROR(WriteAuditPdf(report, nullptr, Lang::kId, dir + "/report-id.pdf").status());
  return WriteAuditPdf(report, nullptr, Lang::kEn, dir + "/report-en.pdf").status();
}

void RunJob(NodeContext& ctx, const std::shared_ptr<ConsoleAuditJob>& job) {
  const std::string dir = RunsDir(ctx) + "/" + job->id;
  nlohmann::json run = {{"id", job->id},
                        {"stage", job->stage},
                        {"as_of", job->as_of},
                        {"by", job->by},
                        {"started", job->started}};
  Status s = GuardBoundary(ctx, "console-audit", [&]() -> Status {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return IOError(fmt::format("cannot create {}: {}", dir, ec.message()));
    AuditOptions o;
    o.stage = job->stage;
    o.as_of = job->as_of;
    o.proofs = true;
    o.catch_up = false;  // the node indexes what it stores as it stores it
    Store& store = ctx.folder->store();
    o.cosignatures = [&store](uint32_t log, uint64_t size) {
      return CosignatureLines(store, log, size);
    };
    o.progress = [&job](uint64_t done, uint64_t total) {
      job->done = done;
      job->total = total;
    };
    ASSIGN_OR_RETURN(AuditReport report, RunAudit(*ctx.folder, o));
    job->writing = true;
    RETURN_IF_ERROR(WriteDocuments(report, dir));
    nlohmann::json summary = nlohmann::json::object();
    for (size_t t = 0; t < kFindingTypeCount; ++t) {
      summary[std::string(FindingTypeName(static_cast<FindingType>(t)))] = report.summary[t];
    }
    run["summary"] = summary;
    run["findings"] = report.findings.size();
    run["logs"] = report.logs.size();
    run["missing"] = report.missing.size();
    run["moment"] = report.moment;
    return Status::Ok();
  });
  run["finished"] = ConsoleNow();
  run["state"] = s.ok() ? "done" : "failed";
  if (!s.ok()) run["error"] = s.message();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (Status w = WriteFileAtomic(dir + "/run.json", run.dump(2) + "\n", 0600); !w.ok()) {
    EventError("console: cannot record audit run " + job->id + ": " + w.message());
  }
  PruneRuns(ctx);
  if (s.ok()) {
    EventInfo(fmt::format("console: audit {} of stage {} as of {} by {}: {} findings in {} s",
                          job->id, job->stage, job->as_of, job->by, run["findings"].get<size_t>(),
                          run["finished"].get<int64_t>() - job->started));
  } else {
    EventWarning(fmt::format("console: audit {} of stage {} by {} failed: {}", job->id, job->stage,
                             job->by, s.message()));
  }
  std::lock_guard lock(ctx.console->audit_mu);
  ctx.console->job.reset();
}

nlohmann::json JobJson(const ConsoleAuditJob& job) {
  return {{"id", job.id},
          {"stage", job.stage},
          {"as_of", job.as_of},
          {"by", job.by},
          {"started", job.started},
          {"done", job.done.load()},
          {"total", job.total.load()},
          {"writing", job.writing.load()}};
}

HttpResponse StartAudit(NodeContext& ctx, const HttpRequest& request,
                        const ConsoleSession& session) {
  if (!ConsoleRoleMay(session.role, ConsoleRole::kAuditor)) {
    return ConsoleError(403, "only an auditor may start an audit",
                        "hanya auditor yang dapat memulai audit");
  }
  if (!ctx.pkh) {
    return ConsoleError(409, "this node is not under governance: it holds no PKH records",
                        "node ini tidak di bawah tata kelola: tidak menyimpan catatan PKH");
  }
  auto doc = ParseJsonDocument(request.body, "audit", JsonLimits{4096, 2});
  if (!doc.ok() || !doc->is_object()) {
    return ConsoleError(400, "an audit is a JSON object {stage, as_of}",
                        "audit berupa objek JSON {stage, as_of}");
  }
  auto f = JsonFields::Of(*doc, "audit");
  auto stage = f->Str("stage");
  auto as_of = f->StrOr("as_of", "");
  if (!stage.ok() || !as_of.ok()) {
    return ConsoleError(400, "an audit names its stage (and may give as_of, YYYY-MM-DD)",
                        "audit menyebut tahapnya (dan boleh memberi as_of, YYYY-MM-DD)");
  }
  auto gov = ctx.Registry();
  if (!gov || gov->Stage(*stage, gov->size()) == nullptr) {
    return ConsoleError(400, "the governance log opened no such stage",
                        "log tata kelola tidak membuka tahap ini");
  }
  std::string moment = as_of->empty() ? FormatWib(ConsoleNow()) : *as_of;
  ConsoleState& state = *ctx.console;
  std::lock_guard lock(state.audit_mu);
  if (state.job) {
    return ConsoleError(409, fmt::format("audit {} is running: one at a time", state.job->id),
                        fmt::format("audit {} sedang berjalan: satu per satu", state.job->id));
  }
  if (state.audit_thread.joinable()) state.audit_thread.join();  // the last one, finished
  auto job = std::make_shared<ConsoleAuditJob>();
  job->id = NextRunId(ctx);
  job->stage = *stage;
  job->as_of = moment;
  job->by = session.name;
  job->started = ConsoleNow();
  state.job = job;
  EventInfo(fmt::format("console: {} started audit {} of stage {} as of {}", session.name, job->id,
                        job->stage, job->as_of));
  state.audit_thread = std::thread([&ctx, job] { RunJob(ctx, job); });
  return ConsoleJson(202, JobJson(*job));
}

// The report of run `id`, parsed once and kept while it is the last asked,
// with its Indonesian details (report-id.json) under "_id".
Result<std::shared_ptr<const nlohmann::json>> Report(NodeContext& ctx, const std::string& id) {
  ConsoleState& state = *ctx.console;
  {
    std::lock_guard lock(state.report_mu);
    if (state.report && state.report_id == id) return state.report;
  }
  ASSIGN_OR_RETURN(std::string text,
                   ReadFile(RunsDir(ctx) + "/" + id + "/report.json", kMaxReportBytes));
  ASSIGN_OR_RETURN(nlohmann::json j,
                   ParseJsonDocument(text, "report.json", JsonLimits{kMaxReportBytes, 16}));
  if (!j.is_object()) return Corruption("report.json is not an object");
  if (auto id_text = ReadFile(RunsDir(ctx) + "/" + id + "/report-id.json", kMaxReportBytes);
      id_text.ok()) {
    auto id_json = ParseJsonDocument(*id_text, "report-id.json", JsonLimits{kMaxReportBytes, 4});
    if (id_json.ok()) j["_id"] = std::move(*id_json);
  }
  auto report = std::make_shared<const nlohmann::json>(std::move(j));
  std::lock_guard lock(state.report_mu);
  state.report_id = id;
  state.report = report;
  return report;
}

// The Indonesian detail of finding `i` (the English where none was kept).
std::string DetailId(const nlohmann::json& report, size_t i, const nlohmann::json& f) {
  const auto id = report.find("_id");
  if (id != report.end() && id->contains("details") && (*id)["details"].is_array() &&
      i < (*id)["details"].size() && (*id)["details"][i].is_string()) {
    return (*id)["details"][i].get<std::string>();
  }
  return Text(f, "detail");
}

// The report's missing-log or note lines in Bahasa Indonesia ([] if none kept).
nlohmann::json IdNotes(const nlohmann::json& report, const char* which) {
  const auto id = report.find("_id");
  if (id == report.end() || !id->is_object()) return nlohmann::json::array();
  const auto notes = id->find("notes");
  if (notes == id->end() || !notes->is_object()) return nlohmann::json::array();
  const auto list = notes->find(which);
  return list != notes->end() && list->is_array() ? *list : nlohmann::json::array();
}

std::string FindingKey(const nlohmann::json& f) {
  std::string key = fmt::format("{}|{}|{}|{}|{}", Text(f, "type"), Text(f, "kabupaten"),
                                Text(f, "kpm"), Text(f, "txn_ref"), Text(f, "complaint_id"));
  if (auto leaves = f.find("leaves"); leaves != f.end() && leaves->is_array()) {
    for (const auto& l : *leaves) {
      const auto index = l.find("leaf_index");
      key +=
          fmt::format("|{}:{}", Text(l, "log"),
                      index != l.end() && index->is_number_unsigned() ? index->get<uint64_t>() : 0);
    }
  }
  return key;
}

// A finding without its proofs' text: tables need the facts, and the
// findings endpoint gives the proofs.
nlohmann::json Brief(const nlohmann::json& f) {
  nlohmann::json b = f;
  if (auto leaves = b.find("leaves"); leaves != b.end() && leaves->is_array()) {
    for (auto& l : *leaves) {
      l.erase("proof");
      l.erase("tlog_proof");
    }
  }
  return b;
}

HttpResponse RunSummary(NodeContext& ctx, const std::string& id, const nlohmann::json& run) {
  auto report = Report(ctx, id);
  if (!report.ok()) {
    return ConsoleJson(200, {{"run", run}, {"report", nullptr}});
  }
  const nlohmann::json& r = **report;
  nlohmann::json at_risk_by_type = nlohmann::json::object();
  nlohmann::json at_risk_by_kab = nlohmann::json::object();
  uint64_t at_risk = 0;
  if (auto findings = r.find("findings"); findings != r.end() && findings->is_array()) {
    for (const auto& f : *findings) {
      const uint64_t a = AtRisk(f);
      if (a == 0) continue;
      at_risk += a;
      const std::string type = Text(f, "type");
      at_risk_by_type[type] = at_risk_by_type.value(type, uint64_t{0}) + a;
      const std::string kab = Text(f, "kabupaten");
      at_risk_by_kab[kab] = at_risk_by_kab.value(kab, uint64_t{0}) + a;
    }
  }
  nlohmann::json logs = nlohmann::json::array();
  if (r.contains("logs") && r["logs"].is_array()) {
    for (const auto& l : r["logs"]) {
      logs.push_back({{"origin", Text(l, "origin")},
                      {"kind", Text(l, "kind")},
                      {"region", Text(l, "region")},
                      {"size", l.value("size", uint64_t{0})}});
    }
  }
  nlohmann::json report_part = {
      {"window", r.value("window", nlohmann::json())},
      {"moment", r.value("moment", nlohmann::json())},
      {"summary", r.value("summary", nlohmann::json())},
      {"totals", r.value("totals", nlohmann::json())},
      {"kabupaten", r.value("kabupaten", nlohmann::json::object())},
      {"lembaga_bayar", r.value("lembaga_bayar", nlohmann::json::object())},
      {"missing", r.value("missing", nlohmann::json::array())},
      {"notes", r.value("notes", nlohmann::json::array())},
      {"missing_id", IdNotes(r, "missing")},
      {"notes_id", IdNotes(r, "notes")},
      {"logs", logs},
      {"at_risk", at_risk},
      {"at_risk_by_type", at_risk_by_type},
      {"at_risk_by_kabupaten", at_risk_by_kab}};
  return ConsoleJson(200, {{"run", run}, {"report", report_part}});
}

HttpResponse Findings(NodeContext& ctx, const std::string& id, const HttpRequest& request) {
  auto report = Report(ctx, id);
  if (!report.ok())
    return ConsoleError(404, "this run has no report", "run ini tidak punya laporan");
  const nlohmann::json& r = **report;
  const auto offset = QueryNumber(request, "offset", 0, 9);
  const auto limit = QueryNumber(request, "limit", 100, 9);
  if (!offset || !limit || *limit == 0 || *limit > kMaxFindingsPage) {
    return ConsoleError(400, fmt::format("offset is a number, limit 1-{}", kMaxFindingsPage),
                        fmt::format("offset berupa angka, limit 1-{}", kMaxFindingsPage));
  }
  const std::string type = QueryValue(request.target, "type").value_or("");
  const std::string kab = QueryValue(request.target, "kabupaten").value_or("");
  const std::string lembaga = QueryValue(request.target, "lembaga_bayar").value_or("");
  const bool proofs = QueryValue(request.target, "proofs").value_or("0") == "1";
  nlohmann::json page = nlohmann::json::array();
  uint64_t matched = 0;
  if (auto findings = r.find("findings"); findings != r.end() && findings->is_array()) {
    for (size_t i = 0; i < findings->size(); ++i) {
      const nlohmann::json& f = (*findings)[i];
      if (!type.empty() && Text(f, "type") != type) continue;
      if (!kab.empty() && Text(f, "kabupaten") != kab) continue;
      if (!lembaga.empty() && Text(f, "lembaga_bayar") != lembaga) continue;
      if (matched >= *offset && page.size() < *limit) {
        nlohmann::json item = proofs ? f : Brief(f);
        item["n"] = i;  // its place in the report: a stable link
        item["detail_id"] = DetailId(r, i, f);
        item["at_risk"] = AtRisk(f);
        page.push_back(std::move(item));
      }
      ++matched;
    }
  }
  return ConsoleJson(200, {{"total", matched}, {"offset", *offset}, {"findings", page}});
}

HttpResponse ExportFile(NodeContext& ctx, const std::string& id, const nlohmann::json& run,
                        const HttpRequest& request) {
  const std::string format = QueryValue(request.target, "format").value_or("");
  const std::string lang = QueryValue(request.target, "lang").value_or("id");
  for (const Export& e : kExports) {
    if (e.format != format || (!e.lang.empty() && e.lang != lang)) continue;
    auto data = ReadFile(RunsDir(ctx) + "/" + id + "/" + std::string(e.file), kMaxReportBytes);
    if (!data.ok()) return ConsoleError(404, "this run has no such document", "dokumen tidak ada");
    HttpResponse r;
    r.content_type = std::string(e.content_type);
    r.cache_control = "no-store";
    r.body = std::move(*data);
    std::string stage = run.value("stage", "stage");
    std::replace_if(
        stage.begin(), stage.end(),
        [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '-'; }, '-');
    r.headers.emplace_back(
        "Content-Disposition",
        fmt::format("attachment; filename=\"audit-{}-{}{}.{}\"", stage, id,
                    e.lang.empty() ? "" : "-" + std::string(e.lang), e.extension));
    AddSecurityHeaders(r);
    return r;
  }
  return ConsoleError(400, "format is json, csv, xlsx or pdf (lang id or en)",
                      "format adalah json, csv, xlsx atau pdf (lang id atau en)");
}

HttpResponse Compare(NodeContext& ctx, const std::string& id, const HttpRequest& request) {
  const std::string with = QueryValue(request.target, "with").value_or("");
  if (!ValidRunId(with)) {
    return ConsoleError(400, "with= names an earlier run", "with= menyebut run sebelumnya");
  }
  auto now = Report(ctx, id);
  if (!now.ok()) return ConsoleError(404, "this run has no report", "run ini tidak punya laporan");
  std::shared_ptr<const nlohmann::json> a = *now;  // Report() keeps only the last asked
  auto before = Report(ctx, with);
  if (!before.ok()) {
    return ConsoleError(404, "the earlier run has no report", "run sebelumnya tidak punya laporan");
  }
  auto keys = [](const nlohmann::json& r) {
    std::map<std::string, const nlohmann::json*> out;
    if (auto f = r.find("findings"); f != r.end() && f->is_array()) {
      for (const auto& x : *f) out.emplace(FindingKey(x), &x);
    }
    return out;
  };
  const auto ka = keys(*a), kb = keys(**before);
  nlohmann::json added = nlohmann::json::array(), removed = nlohmann::json::array();
  uint64_t n_added = 0, n_removed = 0, kept = 0;
  for (const auto& [k, f] : ka) {
    if (kb.count(k)) {
      ++kept;
    } else if (n_added++ < kMaxFindingsPage) {
      added.push_back(Brief(*f));
    }
  }
  for (const auto& [k, f] : kb) {
    if (!ka.count(k) && n_removed++ < kMaxFindingsPage) removed.push_back(Brief(*f));
  }
  return ConsoleJson(200, {{"run", id},
                           {"with", with},
                           {"added", n_added},
                           {"removed", n_removed},
                           {"unchanged", kept},
                           {"added_findings", added},
                           {"removed_findings", removed}});
}

}  // namespace

HttpResponse HandleConsoleAudits(NodeContext& ctx, const HttpRequest& request,
                                 const ConsoleSession& session, std::string_view rest) {
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (rest.empty()) {
    if (request.method == "POST") return StartAudit(ctx, request, session);
    if (!read) return ConsoleError(405, "GET or POST here", "GET atau POST");
    nlohmann::json running = nullptr;
    {
      std::lock_guard lock(ctx.console->audit_mu);
      if (ctx.console->job) running = JobJson(*ctx.console->job);
    }
    nlohmann::json stages = nlohmann::json::array();
    if (auto gov = ctx.Registry()) {
      for (const StageWindow* w : gov->Stages(gov->size())) {
        stages.push_back({{"stage", w->stage}, {"from", w->from}, {"to", w->to}});
      }
    }
    nlohmann::json types = nlohmann::json::array();
    for (FindingType t : kFindingSeverityOrder) {
      types.push_back({{"type", FindingTypeName(t)},
                       {"en", FindingTypeDescription(t, Lang::kEn)},
                       {"id", FindingTypeDescription(t, Lang::kId)}});
    }
    return ConsoleJson(200, {{"types", types},
                             {"running", running},
                             {"runs", ListRuns(ctx)},
                             {"stages", stages},
                             {"may_start", ConsoleRoleMay(session.role, ConsoleRole::kAuditor)}});
  }
  if (!read) return ConsoleError(405, "only GET here", "hanya GET");
  // "/ID" or "/ID/what"
  rest.remove_prefix(1);
  const std::string id(rest.substr(0, rest.find('/')));
  const std::string_view what = rest.find('/') == std::string_view::npos
                                    ? std::string_view()
                                    : rest.substr(rest.find('/') + 1);
  if (!ValidRunId(id)) return ConsoleError(404, "no such audit run", "run audit tidak ada");
  auto text = ReadFile(RunsDir(ctx) + "/" + id + "/run.json", size_t{1} << 20);
  if (!text.ok()) return ConsoleError(404, "no such audit run", "run audit tidak ada");
  auto run = ParseJsonDocument(*text, "run.json", JsonLimits{1 << 20, 8});
  if (!run.ok()) return ConsoleError(500, "the run's record is damaged", "catatan run rusak");
  if (what.empty()) return RunSummary(ctx, id, *run);
  if (what == "findings") return Findings(ctx, id, request);
  if (what == "export") return ExportFile(ctx, id, *run, request);
  if (what == "compare") return Compare(ctx, id, request);
  return ConsoleError(404, "no such console endpoint", "tidak ada endpoint konsol ini");
}

void StopConsole(NodeContext& ctx) {
  if (!ctx.console) return;
  std::thread t;
  {
    std::lock_guard lock(ctx.console->audit_mu);
    t = std::move(ctx.console->audit_thread);
  }
  if (t.joinable()) t.join();
}

}  // namespace jejak
