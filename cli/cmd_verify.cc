// jejak verify DIR ; jejak verify --tiles OUT --key VERIFIERKEY
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/log/tile_folder.h"
#include "ledger/log/verify.h"

namespace jejak::cli {
namespace {

// Threads that verify a node's logs at once (each log on one thread).
constexpr size_t kMaxVerifyThreads = 8;

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
  Store& store = (*node)->store();
  auto all_logs = ListLogs(store);
  if (!all_logs.ok()) return ReportError(all_logs.status());
  std::vector<LogInfo> logs;
  uint64_t total = 0;
  for (const LogInfo& log : *all_logs) {
    if (!o.log.empty() && log.origin != o.log) continue;
    if (pinned && log.own && pinned->ToString() != log.key.ToString()) {
      return ReportError(PermissionDenied(
          fmt::format("the node's key is {}, not the --key given", log.key.ToString())));
    }
    auto size = LogReader(store, log).Size();
    if (!size.ok()) return ReportError(size.status().WithContext(log.origin));
    total += *size;
    logs.push_back(log);
  }
  if (logs.empty()) return ReportError(NotFound(fmt::format("no log '{}' in {}", o.log, o.dir)));
  // Each log is verified on one thread; several logs at once (a replica
  // store holds hundreds), reported in the store's order as each is done.
  std::vector<std::optional<VerifyResult>> results(logs.size());
  std::mutex mu;
  std::condition_variable ready;
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> done{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < logs.size(); i = next.fetch_add(1)) {
      StoreLogSource source(store, logs[i], "store " + o.dir);
      VerifyOptions options;
      options.log_key = logs[i].key;
      uint64_t last = 0;
      options.progress = [&](uint64_t d, uint64_t) {
        done.fetch_add(d - last, std::memory_order_relaxed);
        last = d;
      };
      VerifyResult r = VerifyLog(source, options);
      std::lock_guard lock(mu);
      results[i] = std::move(r);
      ready.notify_all();
    }
  };
  const size_t threads = std::min<size_t>(
      logs.size(), std::clamp<size_t>(std::thread::hardware_concurrency(), 1, kMaxVerifyThreads));
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) workers.emplace_back(work);
  Progress progress(logs.size() == 1 ? "verifying " + logs[0].origin
                                     : fmt::format("verifying {} logs", logs.size()));
  bool all_ok = true;
  for (size_t i = 0; i < logs.size(); ++i) {
    std::unique_lock lock(mu);
    while (!results[i]) {
      ready.wait_for(lock, std::chrono::milliseconds(200));
      progress.Update(std::min(done.load(), total), total);
    }
    VerifyResult r = std::move(*results[i]);
    results[i].reset();
    lock.unlock();
    progress.Clear();
    all_ok = Report(logs[i].origin, r) && all_ok;
  }
  for (std::thread& w : workers) w.join();
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
