// jejak backup NODE --out DIR [--keep N]
// jejak restore DIR --to NODE [--backup ID] ; jejak restore DIR --list
#include <CLI/CLI.hpp>
#include <chrono>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/encoding.h"
#include "ledger/log/store_backup.h"
#include "ledger/pkh/node_backup.h"
#include "node/admin_socket.h"
#include "node/serve_config.h"

namespace jejak::cli {
namespace {

struct BackupCmdOptions {
  std::string dir, out;
  uint32_t keep = 7;
};

std::string Megabytes(uint64_t bytes) { return fmt::format("{:.1f} MB", bytes / 1e6); }

void PrintLogs(const std::vector<VerifiedLog>& logs) {
  for (const auto& l : logs) {
    fmt::print("  {} {}: intact, size {}, root {}\n", l.log.own ? "own" : "replica", l.log.origin,
               l.report.size, Base64Encode(l.report.root));
  }
}

// A store as of one instant: a snapshot the running node makes (it holds
// the store's lock), or the store itself under its lock while no node runs.
struct StoreCopy {
  std::string dir;
  std::string snapshot;  // to release, if the node made one
  std::unique_ptr<StoreLock> lock;
};

Result<StoreCopy> TakeStoreCopy(const std::string& node_dir) {
  StoreCopy copy;
  auto snapshot = AdminRequest(node_dir, "snapshot");
  if (snapshot.ok()) {
    copy.snapshot = *snapshot;
    copy.dir = node_dir + "/" + kSnapshotFolder + "/" + copy.snapshot;
    return copy;
  }
  if (snapshot.status().code() != StatusCode::kUnavailable) return snapshot.status();
  auto lock = StoreLock::Take(node_dir + "/db");
  if (!lock.ok() && lock.status().code() == StatusCode::kUnavailable) {
    return Unavailable(fmt::format(
        "{}: a process holds the store but no node answers on {}/{} (is it an older jejak?): "
        "stop it, or back it up through a node that answers",
        node_dir, node_dir, kAdminSocketName));
  }
  if (!lock.ok()) return lock.status();
  copy.lock = std::move(lock).value();
  copy.dir = node_dir + "/db";
  return copy;
}

int RunBackup(const BackupCmdOptions& o) {
  auto config = ReadNodeConfig(o.dir);
  if (!config.ok()) return ReportError(config.status());
  const auto start = std::chrono::steady_clock::now();
  auto copy = TakeStoreCopy(o.dir);
  if (!copy.ok()) return ReportError(copy.status().WithContext("nothing was backed up"));
  auto report = BackupNode(o.dir, copy->dir, o.out, o.keep);
  if (!copy->snapshot.empty()) {
    if (auto r = AdminRequest(o.dir, "release " + copy->snapshot); !r.ok()) {
      WarnIfAny("the node's snapshot stays until its next start: " + r.status().message());
    }
  }
  if (!report.ok()) return ReportError(report.status().WithContext("backup failed"));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const StoreBackupInfo& b = report->store.backup;
  fmt::print(
      "backup {} of {} in {} ({}, {:.1f} s): the store verified before it was copied and "
      "checked after\n",
      b.id, config->origin, o.out, copy->snapshot.empty() ? "node stopped" : "node running",
      seconds);
  PrintLogs(report->logs);
  fmt::print(
      "  copied {} (this backup holds {} in {} files; {} backups kept), with node.json "
      "and the sealed keys\n",
      Megabytes(report->store.added_bytes), Megabytes(b.bytes), b.files, report->store.kept);
  return kExitOk;
}

struct RestoreCmdOptions {
  std::string from, to;
  uint32_t backup = 0;
  bool list = false;
};

int RunList(const std::string& from) {
  auto backups = ListStoreBackups(from + "/store");
  if (!backups.ok()) return ReportError(backups.status());
  fmt::print("{:>6}  {:<20}  {:>12}  {:>6}\n", "backup", "taken (UTC)", "size", "files");
  for (const auto& b : *backups) {
    const auto t = static_cast<time_t>(b.taken_s);
    char when[32] = "?";
    std::tm tm{};
    if (gmtime_r(&t, &tm) != nullptr) std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    fmt::print("{:>6}  {:<20}  {:>12}  {:>6}\n", b.id, when, Megabytes(b.bytes), b.files);
  }
  return kExitOk;
}

int RunRestore(const RestoreCmdOptions& o) {
  if (o.list) return RunList(o.from);
  if (o.to.empty())
    return ReportError(InvalidArgument("give --to NODE, the folder to restore into"));
  auto identity = ReadNodeConfig(o.from);
  if (!identity.ok()) return ReportError(identity.status());
  auto serve = ReadServeConfig(o.from);
  if (!serve.ok()) return ReportError(serve.status().WithContext("the backup's configuration"));
  // A node with peers may have signed more after the backup: it is held
  // until they confirm it is not behind. A node alone has nobody to ask.
  const bool hold = identity->governance.has_value() || !serve->peers.empty();
  auto report = RestoreNode(o.from, o.backup, o.to, hold);
  if (!report.ok()) return ReportError(report.status().WithContext("nothing was restored"));
  fmt::print("restored {} from backup {} of {} into {}; every log verified\n",
             report->config.origin, report->backup.id, o.from, o.to);
  PrintLogs(report->logs);
  if (report->held) {
    fmt::print(
        "its own log is on hold: it appends and signs nothing until it has caught up with what "
        "it signed after this backup. `jejak serve {}` catches up from its peers at start; or "
        "run `jejak recover {}` (--from URL ...)\n",
        o.to, o.to);
  } else {
    WarnIfAny(
        "this node has no peers to ask whether it signed more after this backup: make sure the "
        "backup is its latest before it appends again");
  }
  return kExitOk;
}

}  // namespace

void AddBackupCommands(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<BackupCmdOptions>();
  auto* cmd = app.add_subcommand(
      "backup",
      "Back up a node (running or not) into a folder: its store as of one instant, verified, "
      "copied incrementally, and its node.json, sealed keys and config");
  cmd->add_option("NODE", o->dir, "Node folder")->required();
  cmd->add_option("--out", o->out, "Backup folder (one per node; later backups add what changed)")
      ->required();
  cmd->add_option("--keep", o->keep, "How many backups the folder keeps, newest first")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  cmd->callback([o, exit_code] { *exit_code = RunBackup(*o); });

  auto r = std::make_shared<RestoreCmdOptions>();
  auto* rs = app.add_subcommand(
      "restore", "Restore a node from a backup folder into a new node folder, and verify it");
  rs->add_option("DIR", r->from, "Backup folder (jejak backup --out)")->required();
  rs->add_option("--to", r->to, "The node folder to make (must not exist)");
  rs->add_option("--backup", r->backup, "Which backup (default: the newest; see --list)");
  rs->add_flag("--list", r->list, "List the backups the folder holds");
  rs->callback([r, exit_code] { *exit_code = RunRestore(*r); });
}

}  // namespace jejak::cli
