// The audit benchmark: times `jejak audit NODE --stage S --format json` (a
// child process, as a user runs it) on a node loaded by tools/gen/load, and
// prints its rates beside this machine's ceilings measured in the same run on
// the same store: a bare scan of the stage's join rows (RocksDB iteration, no
// decoding, one thread) and SHA-256 of leaves (what re-verification costs).
//
//   jejak_audit_bench --node DIR --stage S --as-of D --jejak PATH [--out FILE]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
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
  Scan a, r, u;
  uint64_t leaves = 0;
  {
    auto folder = NodeFolder::Open(node, StoreMode::kReadOnly);
    if (!folder.ok()) Die(folder.status().ToString());
    Store& store = (*folder)->store();
    a = ScanPrefix(store, "A" + stage + std::string(1, '\0'));
    r = ScanPrefix(store, "R" + stage + std::string(1, '\0'));
    u = ScanPrefix(store, "U");
    auto logs = ListLogs(store);
    if (!logs.ok()) Die(logs.status().ToString());
    for (const LogInfo& l : *logs) {
      LogReader reader(store, l);
      auto size = reader.Size();
      if (size.ok()) leaves += *size;
    }
  }
  const uint64_t join_rows = a.rows + r.rows + u.rows;
  const double scan_seconds = a.seconds + r.seconds + u.seconds;
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
  fmt::print("store: {} approvals, {} receipts, {} updates of the join; {} leaves in all logs\n",
             a.rows, r.rows, u.rows, leaves);
  fmt::print("ceilings: bare scan of the join rows (1 thread)  {:>12.0f} rows/s ({:.1f} s)\n",
             scan_rate, scan_seconds);
  fmt::print("          SHA-256 leaf hashes (1 thread)         {:>12.0f} /s\n", sha_rate);

  // The audit, as a user runs it.
  std::vector<std::string> args = {jejak, "audit",    node,   "--stage", stage, "--as-of",
                                   as_of, "--format", "json", "--out",   out};
  std::vector<char*> argv2;
  for (auto& s : args) argv2.push_back(s.data());
  argv2.push_back(nullptr);
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    execv(argv2[0], argv2.data());
    _exit(127);
  }
  int status = 0;
  struct rusage ru {};
  if (wait4(pid, &status, 0, &ru) != pid) Die("wait4 failed");
  const double seconds = Seconds(start, Clock::now());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    Die(fmt::format("jejak audit failed (status {})", status));
  }
  auto text = ReadFile(out);
  if (!text.ok()) Die(text.status().ToString());
  const auto j = nlohmann::json::parse(*text);
  const uint64_t families = j["totals"]["approved"].get<uint64_t>();
  const uint64_t findings = j["findings"].size();
  const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  fmt::print("jejak audit --format json: {} families approved, {} findings\n", families, findings);
  fmt::print("  wall {:.1f} s (target < 60 s), CPU {:.1f} s, peak memory {} MiB (target < 2048)\n",
             seconds, cpu, ru.ru_maxrss / 1024);
  fmt::print(
      "  {:.0f} join rows/s = {:.2f} of the bare scan; {:.0f} leaves re-verified/s = "
      "{:.2f} of SHA-256\n",
      static_cast<double>(join_rows) / seconds,
      static_cast<double>(join_rows) / seconds / scan_rate, static_cast<double>(leaves) / seconds,
      static_cast<double>(leaves) / seconds / sha_rate);
  fmt::print("  report: {}\n", out);
  g_sink = sink;
  return 0;
}

}  // namespace
}  // namespace jejak

int main(int argc, char** argv) { return jejak::Main(argc, argv); }
