// jejak verify DIR ; jejak verify --tiles OUT --key VERIFIERKEY
#include <CLI/CLI.hpp>
#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/log/tile_folder.h"
#include "ledger/log/verify.h"

namespace jejak::cli {
namespace {

struct VerifyCmdOptions {
  std::string dir, tiles, key, log;
};

// Prints the outcome of one log; returns whether it is intact.
bool Report(const std::string& origin, const VerifyResult& r) {
  if (!r.status.ok()) {
    std::string msg = r.status.message();
    fmt::print(stderr, "jejak: {} is DAMAGED: {}\n", origin, msg);
    return false;
  }
  const VerifyReport& v = r.report;
  fmt::print("{}: intact: {} ({}, {}), {}, {} checked\n", origin, Count(v.leaves, "leaf", "leaves"),
             Count(v.statements, "statement"), Count(v.records, "record"),
             Count(v.checkpoints, "checkpoint"), Count(v.tiles, "tile"));
  fmt::print("  size {} root {}\n", v.size, Base64Encode(v.root));
  if (v.leaves > v.size) {
    fmt::print(
        "  {} leaves after the latest checkpoint are committed but not yet signed "
        "(the next write signs them)\n",
        v.leaves - v.size);
  }
  return true;
}

int RunVerify(const VerifyCmdOptions& o) {
  std::optional<NoteVerifierKey> pinned;
  if (!o.key.empty()) {
    auto k = ParseVerifierKey(o.key);
    if (!k.ok()) return ReportError(k.status().WithContext("--key"));
    pinned = *k;
  }
  if (!o.tiles.empty()) {
    if (!pinned) return ReportError(InvalidArgument("--tiles needs --key VERIFIERKEY"));
    // A wrong path is a usage error (exit 2), not a damaged log (exit 1).
    std::error_code ec;
    if (!std::filesystem::is_regular_file(o.tiles + "/checkpoint", ec)) {
      return ReportError(
          NotFound(fmt::format("{} is not a tiles folder (it has no checkpoint file)", o.tiles)));
    }
    TileFolderSource source(o.tiles);
    Progress progress("verifying " + o.tiles);
    VerifyOptions options;
    options.log_key = *pinned;
    options.progress = [&](uint64_t d, uint64_t t) { progress.Update(d, t); };
    return Report(pinned->name, VerifyLog(source, options)) ? kExitOk : kExitCheckFailed;
  }
  if (o.dir.empty())
    return ReportError(InvalidArgument("give a node folder, or --tiles OUT --key KEY"));
  auto node = NodeFolder::Open(o.dir, StoreMode::kReadOnly);
  if (!node.ok()) return ReportError(node.status());
  auto logs = ListLogs((*node)->store());
  if (!logs.ok()) return ReportError(logs.status());
  bool all_ok = true, any = false;
  for (const LogInfo& log : *logs) {
    if (!o.log.empty() && log.origin != o.log) continue;
    any = true;
    if (pinned && log.own && pinned->ToString() != log.key.ToString()) {
      return ReportError(PermissionDenied(
          fmt::format("the node's key is {}, not the --key given", log.key.ToString())));
    }
    StoreLogSource source((*node)->store(), log, "store " + o.dir);
    Progress progress("verifying " + log.origin);
    VerifyOptions options;
    options.log_key = log.key;
    options.progress = [&](uint64_t d, uint64_t t) { progress.Update(d, t); };
    VerifyResult r = VerifyLog(source, options);
    all_ok = Report(log.origin, r) && all_ok;
  }
  if (!any) return ReportError(NotFound(fmt::format("no log '{}' in {}", o.log, o.dir)));
  return all_ok ? kExitOk : kExitCheckFailed;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<VerifyCmdOptions>();
  auto* cmd = app.add_subcommand(
      "verify", "Recompute and check every leaf, tile, statement and checkpoint of a log");
  cmd->add_option("DIR", o->dir, "Node folder (checks every log it holds)");
  cmd->add_option("--tiles", o->tiles, "A tiles folder written by jejak export, instead of DIR");
  cmd->add_option("--key", o->key, "Verifier key of the log (required with --tiles)");
  cmd->add_option("--log", o->log, "Only the log with this origin");
  cmd->callback([o, exit_code] { *exit_code = RunVerify(*o); });
}

}  // namespace jejak::cli
