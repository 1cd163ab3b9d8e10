// jejak audit DIR --stage S [--as-of D] [--kabupaten R1,R2] [--format text|csv|json]
//                  [--out FILE] [--proofs] [--proofs-dir DIR] [--lang id|en]
//                  (--format xlsx needs --out: documents/audit_xlsx.h)
//                  [--reveal IDS.csv --program-key FILE]
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/files.h"
#include "documents/audit_pdf.h"
#include "documents/audit_xlsx.h"
#include "ledger/audit/audit.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/lang.h"
#include "ledger/pkh/values.h"
#include "node/log_status.h"

namespace jejak::cli {
namespace {

struct AuditCmdOptions {
  std::string dir, stage, format = "text", out, reveal, program_key, lang;
  std::optional<std::string> as_of;  // absent: now
  std::vector<std::string> kabupaten;
  std::string proofs_dir;  // one .tlog-proof per cited leaf
  bool proofs = false, no_verify = false;
};

// Now, in WIB: the audit moment, and by its calendar date the audit date
// (DOMAIN.md, "Precisely").
std::string NowWib() { return FormatWib(static_cast<int64_t>(std::time(nullptr))); }

// Writes the tlog-proof of every cited leaf to `dir` (created if absent), one
// file per leaf, named by TlogProofFileName. Returns how many.
Result<uint64_t> WriteProofFiles(const AuditReport& report, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IOError(fmt::format("cannot create {}: {}", dir, ec.message()));
  std::set<std::string> written;
  for (const Finding& f : report.findings) {
    for (const LeafRef& l : f.leaves) {
      if (l.tlog_proof.empty()) continue;
      const std::string name = TlogProofFileName(l.log, l.leaf);
      if (!written.insert(name).second) continue;
      RETURN_IF_ERROR(WriteFileAtomic(dir + "/" + name, l.tlog_proof, 0644));
    }
  }
  return written.size();
}

// The report in its format, on standard output or to --out.
Status WriteReport(const AuditCmdOptions& o, const AuditReport& report, const RevealMap* r,
                   Lang lang) {
  if (o.format == "xlsx") {
    RETURN_IF_ERROR(WriteAuditXlsx(report, r, lang, o.out).WithContext("--out"));
  } else if (o.format == "pdf") {
    auto pages = WriteAuditPdf(report, r, lang, o.out);
    if (!pages.ok()) return pages.status().WithContext("--out");
  } else {
    const std::string text = o.format == "json"  ? AuditJson(report, r)
                             : o.format == "csv" ? AuditCsv(report, r)
                                                 : AuditText(report, r, lang);
    if (o.out.empty() || o.out == "-") {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
      return Status::Ok();
    }
    RETURN_IF_ERROR(WriteFileAtomic(o.out, text, 0600).WithContext("--out"));
  }
  fmt::print(stderr, "jejak: audit of {} written to {}: {}\n", o.stage, o.out,
             Count(report.findings.size(), "finding"));
  return Status::Ok();
}

int RunAudit(const AuditCmdOptions& o) {
  if (o.format != "text" && o.format != "csv" && o.format != "json" && o.format != "xlsx" &&
      o.format != "pdf") {
    return ReportError(InvalidArgument("--format is one of text, csv, json, xlsx, pdf"));
  }
  if ((o.format == "xlsx" || o.format == "pdf") && (o.out.empty() || o.out == "-")) {
    return ReportError(
        InvalidArgument(fmt::format("--format {} needs --out FILE.{}", o.format, o.format)));
  }
  Lang lang = DefaultLang(std::getenv("LANG"));
  if (!o.lang.empty()) {
    auto parsed = ParseLang(o.lang);
    if (!parsed.ok()) return ReportError(parsed.status());
    lang = *parsed;
  }
  if (o.reveal.empty() != o.program_key.empty()) {
    return ReportError(InvalidArgument("--reveal and --program-key go together"));
  }
  if (o.as_of && o.as_of->empty()) {
    return ReportError(
        InvalidArgument("--as-of must be a date YYYY-MM-DD or a date-time "
                        "YYYY-MM-DDTHH:MM:SS+07:00, not empty (leave it out for now)"));
  }
  std::optional<RevealMap> reveal;
  if (!o.reveal.empty()) {
    auto key = ReadProgramKey(o.program_key);
    if (!key.ok()) return ReportError(key.status());
    auto map = ReadReveal(o.reveal, *key);
    if (!map.ok()) return ReportError(map.status().WithContext("--reveal"));
    reveal = std::move(*map);
  }
  auto node = OpenFolderToAudit(o.dir);
  if (!node.ok()) return ReportError(node.status());

  AuditOptions options;
  options.stage = o.stage;
  options.as_of = o.as_of ? *o.as_of : NowWib();
  options.kabupaten = o.kabupaten;
  options.proofs = o.proofs || !o.proofs_dir.empty();
  Store& store = (*node)->store();
  options.cosignatures = [&store](uint32_t log, uint64_t size) {
    return CosignatureLines(store, log, size);
  };
  options.verify_logs = !o.no_verify;
  Progress progress("auditing " + o.stage + ", steps");
  options.progress = [&](uint64_t d, uint64_t t) { progress.Update(d / 2, t / 2); };
  auto report = RunAudit(**node, options);
  if (!report.ok()) return ReportError(report.status());

  const RevealMap* r = reveal ? &*reveal : nullptr;
  if (Status s = WriteReport(o, *report, r, lang); !s.ok()) return ReportError(s);
  if (!o.proofs_dir.empty()) {
    auto written = WriteProofFiles(*report, o.proofs_dir);
    if (!written.ok()) return ReportError(written.status().WithContext("--proofs-dir"));
    fmt::print(stderr, "jejak: {} written to {}\n", Count(*written, "tlog-proof"), o.proofs_dir);
  }
  for (const std::string& m : report->missing) fmt::print(stderr, "jejak: missing: {}\n", m);
  return kExitOk;
}

}  // namespace

void AddAuditCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<AuditCmdOptions>();
  auto* cmd = app.add_subcommand(
      "audit", "Reconcile a stage across the logs this node holds, with proof for every finding");
  cmd->add_option("DIR", o->dir, "Node folder holding the governance, kabupaten and bank logs")
      ->required();
  cmd->add_option("--stage", o->stage, "Stage to audit (2026-T1)")->required();
  cmd->add_option("--as-of", o->as_of,
                  "Audit date YYYY-MM-DD (the end of that day in WIB) or moment "
                  "YYYY-MM-DDTHH:MM:SS+07:00 (default: now)");
  cmd->add_option("--kabupaten", o->kabupaten, "Only these region codes (\"73\" covers 7306)")
      ->delimiter(',');
  cmd->add_option("--format", o->format,
                  "text (default), csv, json, xlsx (working papers) or pdf (Laporan Hasil "
                  "Audit); xlsx and pdf need --out");
  cmd->add_option(
      "--lang", o->lang,
      "Language of text, xlsx and pdf: id or en (default: id when LANG is id_*, else en)");
  cmd->add_option("--out", o->out, "Write the report to FILE (replaced atomically)");
  cmd->add_flag("--proofs", o->proofs,
                "Add the inclusion proof of every leaf a finding rests on (JSON, and as a "
                "tlog-proof)");
  cmd->add_option("--proofs-dir", o->proofs_dir,
                  "Write the tlog-proof of every cited leaf to DIR (implies --proofs)");
  cmd->add_flag("--no-verify", o->no_verify,
                "Skip re-verifying every held log (LOG_INTEGRITY is then not judged)");
  cmd->add_option("--reveal", o->reveal,
                  "CSV with an id_kpm column: show the identifier beside each pseudonym");
  cmd->add_option("--program-key", o->program_key, "Program key file, for --reveal");
  cmd->callback([o, exit_code] { *exit_code = RunAudit(*o); });
}

}  // namespace jejak::cli
