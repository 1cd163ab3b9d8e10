// jejak pull DIR --from (FOLDER | URL) [--key VERIFIERKEY] [--timeout SECONDS]
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/pull.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

struct PullCmdOptions {
  std::string dir, from, key;
  unsigned timeout_s = 30;
};

// Prints what one pull did; false if it failed (the error is printed).
bool PrintPull(const std::string& from, const Result<PullReport>& report) {
  if (!report.ok()) {
    fmt::print(stderr, "jejak: {}\n", report.status().message());
    return false;
  }
  if (report->source_behind) {
    fmt::print("{}: {} holds size {}, behind this node's {}; nothing to pull\n", report->origin,
               from, report->source_size, report->old_size);
  } else if (report->new_size == report->old_size) {
    fmt::print("{}: already up to date at size {}\n", report->origin, report->new_size);
  } else {
    fmt::print("pulled {} from {}: size {} -> {}{}\n", report->origin, from, report->old_size,
               report->new_size, report->new_log ? " (new replica)" : "");
  }
  if (report->index.violations > 0) {
    fmt::print(stderr,
               "warning: {} {} not authorized in {} (stored as evidence; the audit reports "
               "them):\n",
               Count(report->index.violations, "statement or record", "statements or records"),
               report->index.violations == 1 ? "is" : "are", report->origin);
    for (const auto& v : report->index.first_violations) fmt::print(stderr, "  {}\n", v);
  }
  return true;
}

int RunPull(const PullCmdOptions& o) {
  PullOptions options;
  if (!o.key.empty()) {
    auto k = ParseVerifierKey(o.key);
    if (!k.ok()) return ReportError(k.status().WithContext("--key"));
    options.key = *k;
  }
  auto node = NodeFolder::Open(o.dir, StoreMode::kReadWrite);
  if (!node.ok()) return ReportError(node.status());
  Progress progress("verifying " + o.from);
  options.progress = [&](uint64_t d, uint64_t t) { progress.Update(d, t); };
  if (o.from.starts_with("https://") || o.from.starts_with("http://")) {
    auto pulls = PullFromUrl(**node, o.from, options, std::chrono::seconds(o.timeout_s));
    if (!pulls.ok()) return ReportError(pulls.status());
    bool all_ok = true;
    for (const auto& p : *pulls) all_ok = PrintPull(o.from, p.report) && all_ok;
    if (pulls->empty()) fmt::print("{} offers no log to pull\n", o.from);
    return all_ok ? kExitOk : kExitError;
  }
  TileFolderSource source(o.from);
  auto report = PullLog(**node, source, options);
  if (!report.ok()) return ReportError(report.status());
  PrintPull(o.from, report);
  return kExitOk;
}

}  // namespace

void AddPullCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<PullCmdOptions>();
  auto* cmd = app.add_subcommand(
      "pull",
      "Copy a log into this node as a verified replica: from a folder written by `jejak "
      "export`, or from a node's URL (every log it serves, or one log's URL prefix)");
  cmd->add_option("DIR", o->dir, "Node folder")->required();
  cmd->add_option("--from", o->from,
                  "Tiles folder (jejak export --out), a node's URL, or a log's URL")
      ->required();
  cmd->add_option("--key", o->key,
                  "Verifier key of the log (default: the governance registry's, or the trust "
                  "anchor for the governance log)");
  cmd->add_option("--timeout", o->timeout_s,
                  "Seconds to wait for a peer to connect and to answer each request (a URL)")
      ->check(CLI::Range(1, 3600));
  cmd->callback([o, exit_code] { *exit_code = RunPull(*o); });
}

}  // namespace jejak::cli
