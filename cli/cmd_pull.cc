// jejak pull DIR --from FOLDER [--key VERIFIERKEY]
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/replication.h"
#include "ledger/tile_folder.h"

namespace jejak::cli {
namespace {

struct PullCmdOptions {
  std::string dir, from, key;
};

int RunPull(const PullCmdOptions& o) {
  PullOptions options;
  if (!o.key.empty()) {
    auto k = ParseVerifierKey(o.key);
    if (!k.ok()) return ReportError(k.status().WithContext("--key"));
    options.key = *k;
  }
  auto node = NodeFolder::Open(o.dir, StoreMode::kReadWrite);
  if (!node.ok()) return ReportError(node.status());
  TileFolderSource source(o.from);
  Progress progress("verifying " + o.from);
  options.progress = [&](uint64_t d, uint64_t t) { progress.Update(d, t); };
  auto report = PullLog(**node, source, options);
  if (!report.ok()) return ReportError(report.status());
  if (report->source_behind) {
    fmt::print("{}: {} holds size {}, behind this node's {}; nothing to pull\n", report->origin,
               o.from, report->source_size, report->old_size);
  } else if (report->new_size == report->old_size) {
    fmt::print("{}: already up to date at size {}\n", report->origin, report->new_size);
  } else {
    fmt::print("pulled {} from {}: size {} -> {}{}\n", report->origin, o.from, report->old_size,
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
  return kExitOk;
}

}  // namespace

void AddPullCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<PullCmdOptions>();
  auto* cmd = app.add_subcommand(
      "pull", "Copy a log exported with `jejak export` into this node as a verified replica");
  cmd->add_option("DIR", o->dir, "Node folder")->required();
  cmd->add_option("--from", o->from, "Tiles folder (jejak export --out)")->required();
  cmd->add_option("--key", o->key,
                  "Verifier key of the log (default: the governance registry's, or the trust "
                  "anchor for the governance log)");
  cmd->callback([o, exit_code] { *exit_code = RunPull(*o); });
}

}  // namespace jejak::cli
