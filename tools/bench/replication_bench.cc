// The replication benchmark: a 1,000,000-record log (statements of 10,000
// records of ~250 bytes, as the log benchmark appends them) served by a real
// `jejak serve` process over TLS on 127.0.0.1, replicated into a fresh node by
// PullFromUrl (what `jejak pull DIR --from https://...` runs: HttpLogSource
// and PullLog, every leaf, tile, statement, signature and checkpoint
// verified and stored). In the same run, this machine's ceilings: the same
// PullLog from the author's store (verification and storage, no network),
// SHA-256 leaf hashes, and TLS loopback transfer through our HttpClient and
// HttpServer; with the ratios. The replica's root must equal the author's.
//
//   jejak_replication_bench [--records N] [--dir PATH] [--jejak PATH]
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/node_folder.h"
#include "ledger/pkh/pull.h"
#include "node/http.h"
#include "node/http_source.h"
#include "node/remote.h"
#include "node/tls.h"
#include "tools/bench/bench_common.h"

namespace jejak {
namespace {

using bench::Clock;
using bench::RecordText;
using bench::Seconds;
using bench::Sha256Ceiling;
constexpr char kPassphrase[] = "bench-only-passphrase";
constexpr uint64_t kPerStatement = 10'000;

pid_t g_serve_pid = 0;  // the `jejak serve` child, stopped on the way out

[[noreturn]] void Die(const std::string& what) {
  fmt::print(stderr, "bench: {}\n", what);
  if (g_serve_pid > 0) kill(g_serve_pid, SIGTERM);
  std::exit(1);
}
[[noreturn]] void Die(const Status& s, const char* what) {
  Die(fmt::format("{}: {}", what, s.message()));
}

// A standalone node (no governance): its log is pulled with its key pinned,
// as `jejak pull --key` does.
std::unique_ptr<NodeFolder> CreateNode(const std::string& dir, const std::string& name) {
  NodeInitOptions o;
  o.kind = NodeKind::kAuditor;
  o.name = name;
  o.region = "00";
  o.passphrase = kPassphrase;
  if (Status s = NodeFolder::Create(dir, o); !s.ok()) Die(s, "init");
  auto folder = NodeFolder::Open(dir, StoreMode::kReadWrite);
  if (!folder.ok()) Die(folder.status(), "open node");
  return std::move(folder).value();
}

// The author's log: `records` records in statements of kPerStatement, each
// statement durable and checkpointed.
void AppendRecords(NodeFolder& author, uint64_t records) {
  auto node_key = author.UnlockKey(kPassphrase);
  if (!node_key.ok()) Die(node_key.status(), "unlock");
  const SigningKey role_key = SigningKey::Generate();
  auto writer = LogWriter::Open(author.store(), author.own_log(), &*node_key);
  if (!writer.ok()) Die(writer.status(), "open writer");
  if (Status s = bench::AppendRecordStatements(**writer, author.config().origin, role_key, records,
                                               kPerStatement);
      !s.ok()) {
    Die(s, "append");
  }
}

// What a pull carries over the wire, payload only: every entry bundle (a
// 2-byte length before each leaf) and every level-0 tile.
uint64_t PayloadBytes(NodeFolder& node, uint64_t size) {
  LogReader reader(node.store(), node.own_log());
  uint64_t bytes = 0;
  Status s = reader.ForEachLeaf(0, size, [&](uint64_t, ByteSpan leaf) {
    bytes += leaf.size() + 2 + 32;
    return Status::Ok();
  });
  if (!s.ok()) Die(s, "read leaves");
  return bytes;
}

struct Pulled {
  double seconds = 0;
  Hash root{};
  uint64_t size = 0;
  uint64_t records = 0;
};

Hash RootOf(NodeFolder& node, const std::string& origin, uint64_t size) {
  auto info = FindLog(node.store(), origin);
  if (!info.ok()) Die(info.status(), "replica");
  LogReader reader(node.store(), *info);
  auto root = reader.Root(size);
  if (!root.ok()) Die(root.status(), "replica root");
  return *root;
}

// The ceiling without network: PullLog from the author's store.
Pulled PullFromStore(const std::string& author_dir, const std::string& replica_dir,
                     const NoteVerifierKey& key) {
  auto author = NodeFolder::Open(author_dir, StoreMode::kReadOnly);
  if (!author.ok()) Die(author.status(), "open author");
  auto replica = CreateNode(replica_dir, "bench-local-replica");
  StoreLogSource source((*author)->store(), (*author)->own_log(), "store " + author_dir);
  PullOptions options;
  options.key = key;
  const auto start = Clock::now();
  auto report = PullLog(*replica, source, options);
  Pulled p;
  p.seconds = Seconds(start, Clock::now());
  if (!report.ok()) Die(report.status(), "pull from the store");
  p.size = report->new_size;
  p.root = RootOf(*replica, report->origin, p.size);
  return p;
}

// `jejak serve DIR --listen 127.0.0.1:0` as a child process; returns its pid
// and the URL it printed.
std::pair<pid_t, std::string> StartServe(const std::string& jejak, const std::string& dir) {
  int out[2];
  if (pipe(out) != 0) Die("pipe failed");
  // Everything that allocates happens before fork: the child only execs.
  const std::string err_path = dir + "/../serve.err";
  setenv("JEJAK_PASSPHRASE", kPassphrase, 1);
  const pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err >= 0) dup2(err, STDERR_FILENO);
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(jejak.c_str(), jejak.c_str(), "serve", dir.c_str(), "--listen", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  const size_t at = line.rfind(" at ");
  if (!line.starts_with("serving ") || at == std::string::npos) {
    kill(pid, SIGTERM);
    Die("jejak serve did not start: '" + line + "' (its errors: " + err_path + ")");
  }
  return {pid, line.substr(at + 4)};
}

// Peak resident memory of a running process (VmHWM), in MiB.
long PeakRssMiB(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

double CpuSeconds(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
double CpuSeconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return CpuSeconds(u);
}

// Lets PeakRssMiB(getpid()) measure from here on.
void ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

// The timed run: PullFromUrl, as `jejak pull DIR --from URL --key KEY`.
Pulled PullOverTls(const std::string& url, const std::string& replica_dir,
                   const NoteVerifierKey& key) {
  auto replica = CreateNode(replica_dir, "bench-replica");
  PullOptions options;
  options.key = key;
  const auto start = Clock::now();
  auto pulls = PullFromUrl(*replica, url, options);
  Pulled p;
  p.seconds = Seconds(start, Clock::now());
  if (!pulls.ok()) Die(pulls.status(), "pull over TLS");
  if (pulls->size() != 1) Die(fmt::format("{} logs pulled, expected 1", pulls->size()));
  const auto& report = pulls->front().report;
  if (!report.ok()) Die(report.status(), "pull over TLS");
  p.size = report->new_size;
  p.root = RootOf(*replica, report->origin, p.size);
  return p;
}

// TLS loopback transfer through HttpServer and HttpClient: `connections`
// clients, each fetching a `body_bytes` body from memory for ~1 s. Bytes/s.
double TlsCeiling(size_t body_bytes, int connections) {
  const SigningKey server_key = SigningKey::Generate();
  auto server_tls = MakeServerTlsContext(server_key, "bench-server", nullptr);
  if (!server_tls.ok()) Die(server_tls.status(), "server TLS");
  HttpServerOptions so;
  so.tls = *server_tls;
  const std::string body(body_bytes, 'x');
  auto server = HttpServer::Start(so, [&](const HttpRequest&) {
    HttpResponse r;
    r.content_type = "application/octet-stream";
    r.body = body;
    return r;
  });
  if (!server.ok()) Die(server.status(), "TLS server");
  const PublicKey pinned = server_key.public_key();
  auto client_tls = MakeClientTlsContext(nullptr, "bench-client",
                                         [pinned](const PublicKey& k) { return k == pinned; });
  if (!client_tls.ok()) Die(client_tls.status(), "client TLS");
  Url url{.tls = true, .host = "127.0.0.1", .port = (*server)->port(), .prefix = ""};
  std::vector<uint64_t> fetched(connections, 0);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      HttpClientOptions co;
      co.tls = *client_tls;
      auto client = HttpClient::Create(url, co);
      if (!client.ok()) Die(client.status(), "TLS client");
      while (Seconds(start, Clock::now()) < 1.0) {
        auto r = (*client)->Get("/bundle");
        if (!r.ok() || r->status != 200 || r->body.size() != body_bytes) Die("TLS transfer failed");
        fetched[c] += r->body.size();
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = Seconds(start, Clock::now());
  uint64_t bytes = 0;
  for (uint64_t b : fetched) bytes += b;
  return static_cast<double>(bytes) / seconds;
}

int Main(int argc, char** argv) {
  uint64_t records = 1'000'000;
  std::string dir, jejak;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--records") {
      records = std::stoull(argv[i + 1]);
    } else if (a == "--dir") {
      dir = argv[i + 1];
    } else if (a == "--jejak") {
      jejak = argv[i + 1];
    } else {
      fmt::print(stderr, "usage: {} [--records N] [--dir PATH] [--jejak PATH]\n", argv[0]);
      return 2;
    }
  }
  if (jejak.empty()) {
    // The build tree's jejak, beside this program's folder.
    jejak = (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "../../cli/jejak")
                .lexically_normal();
  }
  if (!std::filesystem::exists(jejak)) Die("no jejak program at " + jejak + "; give --jejak");
  const bool own_dir = dir.empty();
  if (own_dir) {
    dir = std::filesystem::temp_directory_path() / fmt::format("jejak-repl-bench-{}", getpid());
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string author_dir = dir + "/author";

  fmt::print(
      "jejak replication benchmark: {} records of ~250 bytes, {} per statement, over TLS on "
      "loopback\n",
      records, kPerStatement);
  auto setup_start = Clock::now();
  NoteVerifierKey key;
  uint64_t size = 0, payload = 0;
  Hash author_root{};
  {
    auto author = CreateNode(author_dir, "bench-author");
    AppendRecords(*author, records);
    key = author->config().key;
    LogReader reader(author->store(), author->own_log());
    auto n = reader.Size();
    if (!n.ok()) Die(n.status(), "size");
    size = *n;
    auto root = reader.Root(size);
    if (!root.ok()) Die(root.status(), "root");
    author_root = *root;
    payload = PayloadBytes(*author, size);
  }
  fmt::print(
      "author log: {} leaves, {:.0f} MB of entry bundles and level-0 tiles (built in {:.1f} s)\n",
      size, static_cast<double>(payload) / 1e6, Seconds(setup_start, Clock::now()));
  const double wire_bytes_per_leaf = static_cast<double>(payload) / static_cast<double>(size);

  const double sha = Sha256Ceiling();
  const size_t bundle_bytes = static_cast<size_t>(wire_bytes_per_leaf * 256);
  const double tls1 = TlsCeiling(bundle_bytes, 1);
  const double tls4 = TlsCeiling(bundle_bytes, 4);
  const Pulled local = PullFromStore(author_dir, dir + "/local-replica", key);
  if (local.root != author_root) Die("the local replica's root differs from the author's");
  std::filesystem::remove_all(dir + "/local-replica");

  auto [serve_pid, url] = StartServe(jejak, author_dir);
  g_serve_pid = serve_pid;
  ResetPeakRss();
  const double cpu_before = CpuSeconds(RUSAGE_SELF);
  const Pulled net = PullOverTls(url, dir + "/replica", key);
  const double pull_cpu = CpuSeconds(RUSAGE_SELF) - cpu_before;
  const long client_peak = PeakRssMiB(getpid());
  const long serve_peak = PeakRssMiB(serve_pid);
  kill(serve_pid, SIGTERM);
  int status = 0;
  rusage serve_usage{};
  wait4(serve_pid, &status, 0, &serve_usage);
  g_serve_pid = 0;
  if (net.size != size || net.root != author_root) {
    Die("the replica's root differs from the author's");
  }

  const double leaves_per_record = static_cast<double>(size) / static_cast<double>(records);
  auto per_record = [&](double leaves_per_s) { return leaves_per_s / leaves_per_record; };
  const double local_rate = per_record(static_cast<double>(size) / local.seconds);
  const double net_rate = per_record(static_cast<double>(size) / net.seconds);
  const double tls1_rate = per_record(tls1 / wire_bytes_per_leaf);
  const double tls4_rate = per_record(tls4 / wire_bytes_per_leaf);
  fmt::print("ceilings:  SHA-256 leaf hashes                          {:>10.0f} /s\n", sha);
  fmt::print(
      "           TLS loopback transfer, 1 connection          {:>10.0f} records/s  ({:.0f} MB/s "
      "of "
      "{} KB bodies)\n",
      tls1_rate, tls1 / 1e6, bundle_bytes / 1000);
  fmt::print(
      "           TLS loopback transfer, 4 connections         {:>10.0f} records/s  ({:.0f} "
      "MB/s)\n",
      tls4_rate, tls4 / 1e6);
  fmt::print(
      "           PullLog from the author's store (no network) {:>10.0f} records/s  ({:.1f} s)\n",
      local_rate, local.seconds);
  fmt::print(
      "replication over TLS (jejak serve -> PullFromUrl)      {:>10.0f} records/s  ({:.1f} s, "
      "target >= 200000)\n",
      net_rate, net.seconds);
  fmt::print(
      "  = {:.2f} of the store-source pull, {:.2f} of TLS transfer on 1 connection, {:.2f} on 4, "
      "{:.3f} of SHA-256\n",
      net_rate / local_rate, net_rate / tls1_rate, net_rate / tls4_rate, net_rate / sha);
  fmt::print("replica root equals the author's at size {}\n", size);
  fmt::print("CPU: pulling process {:.1f} s, jejak serve {:.1f} s (setup included) over {:.1f} s\n",
             pull_cpu, CpuSeconds(serve_usage), net.seconds);
  fmt::print("peak memory: pulling process {} MiB, jejak serve {} MiB\n", client_peak, serve_peak);
  if (own_dir && !std::getenv("JEJAK_BENCH_KEEP")) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace jejak

int main(int argc, char** argv) { return jejak::Main(argc, argv); }
