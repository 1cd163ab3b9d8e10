// The audit benchmark: times `jejak audit NODE --stage S --format json` (a
// child process, as a user runs it) on a node loaded by tools/gen/load, and
// prints its rates beside this machine's ceilings measured in the same run on
// the same store: a bare scan of the stage's join rows (RocksDB iteration, no
// decoding, one thread) and SHA-256 of leaves (what re-verification costs).
// Then the same audit with --no-verify: the join alone, against the bare
// scan; and the most a re-verified audit could reach on this machine's cores
// (the scan and the hashing of every leaf and inner node, shared out
// perfectly), so that the join's figure and the hashing's bound are seen apart.
//
//   jejak_audit_bench --node DIR --stage S --as-of D --jejak PATH [--out FILE]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/files.h"
#include "ledger/log/log.h"
#include "ledger/log/merkle.h"
#include "ledger/pkh/node_folder.h"

namespace jejak {
namespace {

using Clock = std::chrono::steady_clock;
volatile uint64_t g_sink;  // keeps the hashing of the ceiling from being optimized away
double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

[[noreturn]] void Die(const std::string& what) {
  fmt::print(stderr, "bench: {}\n", what);
  std::exit(1);
}

struct Scan {
  uint64_t rows = 0, bytes = 0;
  double seconds = 0;
};

// A bare iteration over the keys with `prefix` in the index column.
Scan ScanPrefix(Store& store, const std::string& prefix) {
  Scan s;
  const auto start = Clock::now();
  auto it = store.NewIterator(Column::kIndex);
  for (it->Seek(prefix); it->Valid() && it->key().substr(0, prefix.size()) == prefix; it->Next()) {
    ++s.rows;
    s.bytes += it->key().size() + it->value().size();
  }
  if (!it->status().ok()) Die(it->status().ToString());
  s.seconds = Seconds(start, Clock::now());
  return s;
}

struct AuditRun {
  double seconds = 0, cpu = 0;
  long peak_mib = 0;
  uint64_t families = 0, findings = 0;
};

// `jejak audit ... --format json --out OUT [extra]`, as a child process.
AuditRun RunAudit(const std::string& jejak, const std::string& node, const std::string& stage,
                  const std::string& as_of, const std::string& out,
                  const std::vector<std::string>& extra) {
  std::vector<std::string> args = {jejak, "audit",    node,   "--stage", stage, "--as-of",
                                   as_of, "--format", "json", "--out",   out};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::fflush(stdout);  // what was printed before comes before the child's words
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  struct rusage ru {};
  if (wait4(pid, &status, 0, &ru) != pid) Die("wait4 failed");
  AuditRun run;
  run.seconds = Seconds(start, Clock::now());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    Die(fmt::format("jejak audit failed (status {})", status));
  }
  auto text = ReadFile(out);
  if (!text.ok()) Die(text.status().ToString());
  const auto j = nlohmann::json::parse(*text);
  run.families = j["totals"]["approved"].get<uint64_t>();
  run.findings = j["findings"].size();
  run.cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  run.peak_mib = ru.ru_maxrss / 1024;
  return run;
}

int Main(int argc, char** argv) {
  std::string node, stage, as_of, jejak, out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--node")
      node = argv[i + 1];
    else if (a == "--stage")
      stage = argv[i + 1];
    else if (a == "--as-of")
      as_of = argv[i + 1];
    else if (a == "--jejak")
      jejak = argv[i + 1];
    else if (a == "--out")
      out = argv[i + 1];
    else
      Die("unknown argument " + a);
  }
  if (node.empty() || stage.empty() || as_of.empty() || jejak.empty()) {
    Die("usage: jejak_audit_bench --node DIR --stage S --as-of D --jejak PATH [--out FILE]");
  }
  if (out.empty()) out = node + "/../audit.json";

  // Ceilings on this store, this machine, now. The page cache is warm for
  // both the ceiling and the audit (the scan runs first).
  // Every index prefix the join reads (ledger/pkh/join_rows.cc), by what it holds.
  const std::string staged = stage + std::string(1, '\0');
  struct Part {
    const char* what;
    std::string prefix;
    Scan scan;
  };
  std::vector<Part> parts = {{"approvals", "A" + staged, {}},
                             {"receipts", "R" + staged, {}},
                             {"updates", "U", {}},
                             {"target list entries", "B", {}},
                             {"verifications", "W", {}},
                             {"complaints", "C" + staged, {}}};
  uint64_t leaves = 0;
  {
    auto folder = NodeFolder::Open(node, StoreMode::kReadOnly);
    if (!folder.ok()) Die(folder.status().ToString());
    Store& store = (*folder)->store();
    for (Part& p : parts) p.scan = ScanPrefix(store, p.prefix);
    auto logs = ListLogs(store);
    if (!logs.ok()) Die(logs.status().ToString());
    for (const LogInfo& l : *logs) {
      LogReader reader(store, l);
      auto size = reader.Size();
      if (size.ok()) leaves += *size;
    }
  }
  uint64_t join_rows = 0;
  double scan_seconds = 0;
  std::string counts;
  for (const Part& p : parts) {
    join_rows += p.scan.rows;
    scan_seconds += p.scan.seconds;
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", p.scan.rows, p.what);
  }
  const double scan_rate = static_cast<double>(join_rows) / scan_seconds;
  std::string leaf(160, 'x');
  uint64_t sink = 0, hashed = 0;
  const auto sha_start = Clock::now();
  while (Seconds(sha_start, Clock::now()) < 1.0) {
    for (int k = 0; k < 10000; ++k, ++hashed) {
      leaf[0] = static_cast<char>(sink);
      sink += LeafHash(AsBytes(leaf))[0];
    }
  }
  const double sha_rate = static_cast<double>(hashed) / Seconds(sha_start, Clock::now());

  fmt::print("jejak audit benchmark: {}\n", node);
  fmt::print("store: {} of the join; {} leaves in all logs\n", counts, leaves);
  fmt::print("ceilings: bare scan of the join rows (1 thread)  {:>12.0f} rows/s ({:.1f} s)\n",
             scan_rate, scan_seconds);
  fmt::print("          SHA-256 leaf hashes (1 thread)         {:>12.0f} /s\n", sha_rate);

  // The audit, as a user runs it.
  const AuditRun full = RunAudit(jejak, node, stage, as_of, out, {});
  fmt::print("jejak audit --format json: {} families approved, {} findings\n", full.families,
             full.findings);
  fmt::print("  wall {:.1f} s (target < 60 s), CPU {:.1f} s, peak memory {} MiB (target < 2048)\n",
             full.seconds, full.cpu, full.peak_mib);
  fmt::print(
      "  {:.0f} join rows/s = {:.2f} of the bare scan; {:.0f} leaves re-verified/s = "
      "{:.2f} of SHA-256\n",
      static_cast<double>(join_rows) / full.seconds,
      static_cast<double>(join_rows) / full.seconds / scan_rate,
      static_cast<double>(leaves) / full.seconds,
      static_cast<double>(leaves) / full.seconds / sha_rate);
  fmt::print("  report: {}\n", out);

  // The join alone.
  const AuditRun join = RunAudit(jejak, node, stage, as_of, out + ".no-verify", {"--no-verify"});
  if (join.findings > full.findings) Die("the audit without re-verification found more");
  fmt::print("jejak audit --no-verify (the join alone): {} findings\n", join.findings);
  fmt::print(
      "  wall {:.1f} s, CPU {:.1f} s, peak memory {} MiB; {:.0f} join rows/s = {:.2f} of the bare "
      "scan\n",
      join.seconds, join.cpu, join.peak_mib, static_cast<double>(join_rows) / join.seconds,
      static_cast<double>(join_rows) / join.seconds / scan_rate);
  // Re-verifying hashes every leaf and every inner node (one fewer than the
  // leaves) at least once. With the scan, on every core, shared out perfectly:
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const double hashes = 2.0 * static_cast<double>(leaves);
  const double hashing = hashes / sha_rate;
  const double floor = (scan_seconds + hashing) / cores;
  fmt::print(
      "  bound of a re-verified audit on {} cores: the scan ({:.1f} s) and {:.0f} M hashes "
      "({:.1f} s) in {:.1f} s at best = {:.2f} of the bare scan\n",
      cores, scan_seconds, hashes / 1e6, hashing, floor, scan_seconds / floor);
  g_sink = sink;
  return 0;
}

}  // namespace
}  // namespace jejak

int main(int argc, char** argv) { return jejak::Main(argc, argv); }
