// jejak pull DIR --from (FOLDER | URL) [--from ...] [--key VERIFIERKEY ...] [--timeout SECONDS]
//
// Several --from are pulled in order by one process: the store is opened
// (and flushed at the end) once, which at national scale is most of a small
// pull's cost (0.6-0.9 s on the auditor's 12 GB store); each folder's log is
// indexed while the next is pulled, and the index is compacted once, at the
// end (ledger/pkh/pull.h).
#include <cstdio>
#include <future>

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/pull.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

struct PullCmdOptions {
  std::string dir;
  std::vector<std::string> from, keys;
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
  std::fflush(stdout);  // a line per log as it lands, also into a pipe
  return true;
}

// The pulls of one command, in order. A folder's log is indexed on a thread
// of its own while the next source is verified and stored (the two touch
// different logs); its line is printed before anything about the next one.
// The governance log is indexed at once: the next pulls are judged by it.
class Pulls {
 public:
  Pulls(NodeFolder& node, unsigned timeout_s) : node_(node), timeout_s_(timeout_s) {}
  ~Pulls() { Finish(); }

  void Pull(const std::string& from, const PullOptions& base) {
    PullOptions options = base;
    Progress progress("verifying " + from);
    options.progress = [&](uint64_t d, uint64_t t) { progress.Update(d, t); };
    if (from.starts_with("https://") || from.starts_with("http://")) {
      Finish();
      auto pulls = PullFromUrl(node_, from, options, std::chrono::seconds(timeout_s_));
      if (!pulls.ok()) return Fail(pulls.status());
      for (const auto& p : *pulls) failed_ += PrintPull(from, p.report) ? 0 : 1;
      if (pulls->empty()) fmt::print("{} offers no log to pull\n", from);
      return;
    }
    TileFolderSource source(from);
    auto pulled = ReplicateForPull(node_, source, options);
    Finish();
    if (!pulled.ok()) return Fail(pulled.status());
    if (pulled->governance) {
      failed_ += PrintPull(from, IndexPull(node_, std::move(*pulled))) ? 0 : 1;
      return;
    }
    indexing_ = std::async(std::launch::async, [this, p = std::move(*pulled)]() mutable {
      return IndexPull(node_, std::move(p));
    });
    indexing_from_ = from;
  }

  // Waits for the index being built and prints its line.
  void Finish() {
    if (!indexing_.valid()) return;
    failed_ += PrintPull(indexing_from_, indexing_.get()) ? 0 : 1;
  }

  size_t failed() const { return failed_; }

 private:
  void Fail(const Status& s) {
    ReportError(s);
    ++failed_;
  }

  NodeFolder& node_;
  unsigned timeout_s_;
  std::future<Result<PullReport>> indexing_;
  std::string indexing_from_;
  size_t failed_ = 0;
};

int RunPull(const PullCmdOptions& o) {
  if (!o.keys.empty() && o.keys.size() != o.from.size()) {
    return ReportError(InvalidArgument(
        fmt::format("give one --key for each --from, in the same order ({} --from, {} --key)",
                    o.from.size(), o.keys.size())));
  }
  std::vector<PullOptions> options(o.from.size());
  for (size_t i = 0; i < o.keys.size(); ++i) {
    auto k = ParseVerifierKey(o.keys[i]);
    if (!k.ok()) return ReportError(k.status().WithContext(fmt::format("--key {}", i + 1)));
    options[i].key = *k;
  }
  auto node = NodeFolder::Open(o.dir, StoreMode::kReadWrite);
  if (!node.ok()) return ReportError(node.status());
  // Every source is tried; the exit status says whether one failed. The
  // index is compacted once at the end, not after every log.
  if (Status s = BeginPulls(**node); !s.ok()) return ReportError(s);
  size_t failed = 0;
  {
    Pulls pulls(**node, o.timeout_s);
    for (size_t i = 0; i < o.from.size(); ++i) pulls.Pull(o.from[i], options[i]);
    pulls.Finish();
    failed = pulls.failed();
  }
  if (Status s = EndPulls(**node); !s.ok()) return ReportError(s);
  if (failed > 0 && o.from.size() > 1) {
    fmt::print(stderr, "jejak: {} of {} sources failed (above)\n", failed, o.from.size());
  }
  return failed == 0 ? kExitOk : kExitError;
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
                  "Tiles folder (jejak export --out), a node's URL, or a log's URL; repeatable: "
                  "pulled in order by one process")
      ->required();
  cmd->add_option("--key", o->keys,
                  "Verifier key of the log (default: the governance registry's, or the trust "
                  "anchor for the governance log); with several --from, one for each, in order");
  cmd->add_option("--timeout", o->timeout_s,
                  "Seconds to wait for a peer to connect and to answer each request (a URL)")
      ->check(CLI::Range(1, 3600));
  cmd->callback([o, exit_code] { *exit_code = RunPull(*o); });
}

}  // namespace jejak::cli
