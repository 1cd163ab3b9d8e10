// jejak_follower_load: 600 followers against one kemensos node and one
// auditor node (tools/bench/run followers).
//
// Three real `jejak serve` processes over TLS on 127.0.0.1 (kemensos, an
// auditor and kabupaten 7301, the auditor and the kabupaten following
// kemensos), then N followers, each with its own key registered in the
// governance log (one gov.node statement through kemensos's submit API),
// each holding its own TLS connection to each of the two nodes and asking
// both every interval (2 s by default, the worst case: an idle follower of
// a real federation backs off to 32 s) for the checkpoints it follows, as a
// follower does (GET /jejak/v1/logs?origin=..., If-None-Match). Two phases:
// idle, then while statements of 1,000 records flow into the kabupaten's
// log (which both nodes replicate). For each phase and node: CPU (% of one
// core), resident memory, open connections (its own metrics), requests and
// bytes served per second, the share answered 304; and what a person sees
// meanwhile: the slowest /healthz (from an anonymous client) and the slowest
// submission to kemensos (a gov.node statement registering one more node).
// Beside them, the ceilings measured in the same run: one core, and the rate
// one kept-alive connection gets from the idle kemensos node.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "crypto/key_file.h"
#include "crypto/note.h"
#include "crypto/sha256.h"
#include "ledger/log/text_records.h"
#include "ledger/pkh/records.h"
#include "node/http.h"
#include "node/remote.h"
#include "node/tls.h"

namespace jejak::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kPassphrase[] = "bench-only-passphrase";
constexpr char kGov[] = "jejak.pkh/kemensos";
constexpr char kKab[] = "jejak.pkh/kab/7301";

// The nodes started, stopped on the way out whatever happens.
std::vector<pid_t> g_started;

[[noreturn]] void Die(const std::string& what) {
  fmt::print(stderr, "jejak_follower_load: {}\n", what);
  for (pid_t pid : g_started) {
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
  }
  std::exit(1);
}

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Runs the jejak CLI; its standard output. Dies on failure.
std::string Jejak(const std::string& jejak, const std::string& args) {
  const std::string cmd = jejak + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) Die("cannot run " + cmd);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (pclose(p) != 0) Die("`jejak " + args + "` failed: " + out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

struct Node {
  std::string name, dir, url, key;  // key: the verifier key text
  pid_t pid = -1;
};

// `jejak serve` on `port`; waits for its "serving" line.
void Start(const std::string& jejak, Node& n, uint16_t port, const std::string& peer) {
  const std::string out = n.dir + ".out";
  const pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    const std::string listen = fmt::format("127.0.0.1:{}", port);
    if (peer.empty()) {
      execl(jejak.c_str(), jejak.c_str(), "serve", n.dir.c_str(), "--listen", listen.c_str(),
            static_cast<char*>(nullptr));
    } else {
      execl(jejak.c_str(), jejak.c_str(), "serve", n.dir.c_str(), "--listen", listen.c_str(),
            "--peer", peer.c_str(), static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  n.pid = pid;
  g_started.push_back(pid);
  n.url = fmt::format("https://127.0.0.1:{}", port);
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("serving ") != std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  Die(n.name + " did not start (see " + out + ")");
}

double CpuSecondsOf(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(f);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long RssMiB(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

std::optional<PublicKey> KeyOf(const std::string& verifier_key) {
  auto k = ParseVerifierKey(verifier_key);
  if (!k.ok()) return std::nullopt;
  return k->key;
}

std::unique_ptr<HttpClient> ClientTo(const Node& n, const SigningKey* own,
                                     const std::string& name) {
  const PublicKey server = *KeyOf(n.key);
  auto tls = MakeClientTlsContext(own, name, [server](const PublicKey& k) { return k == server; });
  if (!tls.ok()) Die(tls.status().message());
  HttpClientOptions o;
  o.tls = *tls;
  o.timeout = std::chrono::seconds(30);
  auto url = ParseUrl(n.url);
  auto client = HttpClient::Create(*url, o);
  if (!client.ok()) Die(client.status().message());
  return std::move(*client);
}

double Metric(HttpClient& c, const std::string& series) {
  auto r = c.Get("/metrics");
  if (!r.ok() || r->status != 200) return -1;
  std::istringstream lines(r->body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return 0;
}

struct Follower {
  explicit Follower(SigningKey k) : key(std::move(k)) {}
  SigningKey key;
  std::string origin;
  std::unique_ptr<HttpClient> kemensos, auditor;
  std::string etag_k, etag_a;
};

struct Counters {
  std::atomic<uint64_t> requests[2] = {0, 0}, not_modified[2] = {0, 0}, bytes[2] = {0, 0},
                        errors{0};
};

}  // namespace
}  // namespace jejak::bench

int main(int argc, char** argv) {
  using namespace jejak;
  using namespace jejak::bench;
  std::string jejak_bin, dir = "/tmp/jejak-follower-load";
  size_t followers = 600;
  int interval_ms = 2000, seconds = 30, port = 19400;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--jejak")
      jejak_bin = v;
    else if (a == "--dir")
      dir = v;
    else if (a == "--followers")
      followers = std::stoul(v);
    else if (a == "--interval-ms")
      interval_ms = std::stoi(v);
    else if (a == "--seconds")
      seconds = std::stoi(v);
    else if (a == "--port")
      port = std::stoi(v);
    else
      Die("usage: jejak_follower_load --jejak BIN [--followers N] [--interval-ms MS] "
          "[--seconds S] [--dir DIR] [--port P]");
  }
  if (jejak_bin.empty()) Die("--jejak BIN is required");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  setenv("JEJAK_PASSPHRASE", kPassphrase, 1);
  const std::string& J = jejak_bin;

  // The three nodes, registered with their URLs and witness keys.
  Node kem{"kemensos", dir + "/kemensos"}, aud{"auditor", dir + "/auditor"},
      kab{"kab-7301", dir + "/kab"};
  Jejak(J, fmt::format("init {} --kind kemensos --name Kemensos --region 00", kem.dir));
  kem.key = Jejak(J, "key show " + kem.dir);
  Jejak(J, fmt::format("init {} --kind auditor --name Auditor --region 00 --governance '{}'",
                       aud.dir, kem.key));
  Jejak(J, fmt::format("init {} --kind kabupaten --name Kab --region 7301 --governance '{}'",
                       kab.dir, kem.key));
  aud.key = Jejak(J, "key show " + aud.dir);
  kab.key = Jejak(J, "key show " + kab.dir);
  const uint16_t ports[3] = {static_cast<uint16_t>(port), static_cast<uint16_t>(port + 1),
                             static_cast<uint16_t>(port + 2)};
  for (auto [n, kind, region, p] :
       {std::tuple{&kem, "kemensos", "00", ports[0]}, std::tuple{&aud, "auditor", "00", ports[1]},
        std::tuple{&kab, "kabupaten", "7301", ports[2]}}) {
    Jejak(J, fmt::format("registry add-node {} --name {} --kind {} --region {} --key '{}' "
                         "--url https://127.0.0.1:{} --witness-key '{}'",
                         kem.dir, n->name, kind, region, n->key, p,
                         Jejak(J, "key show " + n->dir + " --witness")));
  }
  Jejak(J, fmt::format("key new --out {}/operator.key --name kab-7301/operator", dir));
  Jejak(J, fmt::format("registry grant {} --key {}/operator.key --role operator --scope 7301",
                       kem.dir, dir));
  Start(J, kem, ports[0], "");
  Start(J, aud, ports[1], fmt::format("https://127.0.0.1:{}", ports[0]));
  Start(J, kab, ports[2], fmt::format("https://127.0.0.1:{}", ports[0]));

  // The followers: keys from seeds, registered in one statement.
  auto root = UnlockKeyFile(kem.dir + "/node.key", kPassphrase);
  if (!root.ok()) Die("kemensos key: " + root.status().message());
  auto operator_key = UnlockKeyFile(dir + "/operator.key", kPassphrase);
  if (!operator_key.ok()) Die("operator key: " + operator_key.status().message());
  std::vector<Follower> fs;
  std::vector<Bytes> registrations;
  for (size_t i = 0; i < followers; ++i) {
    Seed seed{};
    const Hash h = Sha256(AsBytes(fmt::format("follower {}", i)));
    std::copy(h.begin(), h.end(), seed.begin());
    fs.emplace_back(SigningKey::FromSeed(seed));
    const std::string region = fmt::format("{:02d}{:02d}", 11 + i / 99, i % 99 + 1);
    fs[i].origin = "jejak.pkh/kab/" + region;
    NodeRegistration r;
    r.origin = fs[i].origin;
    r.name = "Follower " + region;
    r.kind = NodeKind::kKabupaten;
    r.region = region;
    r.verifier_key = NoteVerifierKey::ForEd25519(r.origin, fs[i].key.public_key()).ToString();
    auto leaf = EncodePkhRecord(r);
    if (!leaf.ok()) Die(leaf.status().message());
    registrations.push_back(std::move(*leaf));
  }
  auto admin = ClientTo(kem, &*root, kGov);
  auto registered = SubmitStatement(*admin, kTypeGovNode, "", std::move(registrations), *root);
  if (!registered.ok()) Die("registering the followers: " + registered.status().message());
  // The auditor follows the governance log: wait until it trusts them.
  auto aud_admin = ClientTo(aud, &*root, kGov);
  for (auto deadline = Clock::now() + std::chrono::seconds(60);;) {
    std::string etag;
    auto list = FetchStatusIfChanged(*aud_admin, {kGov}, etag);
    if (list.ok() && *list && !(*list)->logs.empty() && (*list)->logs[0].size >= registered->size) {
      break;
    }
    if (Clock::now() > deadline) Die("the auditor did not replicate the registrations");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto& f : fs) {
    f.kemensos = ClientTo(kem, &f.key, f.origin);
    f.auditor = ClientTo(aud, &f.key, f.origin);
  }

  // The ceiling: one kept-alive connection's rate from the idle kemensos.
  double ceiling = 0;
  {
    auto c = ClientTo(kem, &fs[0].key, fs[0].origin);
    std::string etag;
    uint64_t n = 0;
    const auto start = Clock::now();
    while (Seconds(start, Clock::now()) < 2.0) {
      auto r = FetchStatusIfChanged(*c, {kGov}, etag);
      if (!r.ok()) Die("ceiling request failed: " + r.status().message());
      ++n;
    }
    ceiling = static_cast<double>(n) / Seconds(start, Clock::now());
  }

  // The load: threads each polling a slice of the followers, every
  // interval with jitter, each follower on its own two connections.
  std::atomic<bool> stop{false};
  Counters counters;
  const int threads = 24;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      std::vector<Clock::time_point> due;
      std::vector<size_t> mine;
      for (size_t i = static_cast<size_t>(t); i < fs.size(); i += threads) {
        mine.push_back(i);
        due.push_back(Clock::now() + std::chrono::milliseconds(rng() % interval_ms));
      }
      while (!stop) {
        size_t next = 0;
        for (size_t k = 1; k < due.size(); ++k) {
          if (due[k] < due[next]) next = k;
        }
        if (due.empty()) return;
        std::this_thread::sleep_until(due[next]);
        if (stop) return;
        Follower& f = fs[mine[next]];
        for (int node = 0; node < 2; ++node) {
          HttpClient& c = node == 0 ? *f.kemensos : *f.auditor;
          std::string& etag = node == 0 ? f.etag_k : f.etag_a;
          std::vector<std::string> origins = {kGov};
          if (node == 1) origins.push_back(kKab);
          auto r = c.GetIfNoneMatch(LogListPath(origins), etag);
          if (!r.ok() || (r->status != 200 && r->status != 304)) {
            counters.errors++;
            continue;
          }
          counters.requests[node]++;
          counters.bytes[node] += r->body.size();
          if (r->status == 304) counters.not_modified[node]++;
          if (r->status == 200) etag = r->etag;
        }
        const int jitter = interval_ms / 4;
        due[next] =
            Clock::now() + std::chrono::milliseconds(interval_ms - jitter +
                                                     static_cast<int>(rng() % (2 * jitter + 1)));
      }
    });
  }

  fmt::print(
      "{} followers (each its own key and two TLS connections) polling kemensos and an "
      "auditor every {} ms\n",
      followers, interval_ms);
  fmt::print(
      "ceilings: one core = 100 %; one kept-alive connection to the idle kemensos: {:.0f} "
      "requests/s\n",
      ceiling);
  fmt::print("{:<8} {:<9} {:>7} {:>7} {:>7} {:>8} {:>9} {:>6} {:>11} {:>11}\n", "phase", "node",
             "%cpu", "RSS MiB", "conns", "req/s", "KiB/s", "304 %", "healthz max", "submit max");
  auto anon = ClientTo(kem, nullptr, "anonymous");
  auto probe_admin = ClientTo(kem, &*root, kGov);
  auto kab_client = ClientTo(kab, nullptr, "bench");
  size_t extra = 0;
  for (const char* phase : {"idle", "flowing"}) {
    std::atomic<bool> phase_done{false};
    std::thread writer;
    uint64_t appended = 0;
    if (std::string(phase) == "flowing") {
      writer = std::thread([&] {
        uint64_t s = 0;
        while (!phase_done) {
          std::vector<Bytes> records;
          for (int r = 0; r < 1000; ++r) {
            records.push_back(*EncodeTextRecordEntry(fmt::format("receipt {} {}", s, r)));
          }
          auto sent = SubmitStatement(*kab_client, "generic.note", "", records, *operator_key);
          // Prepared at a governance size that moved meanwhile: again.
          if (!sent.ok() && sent.status().code() == StatusCode::kFailedPrecondition) continue;
          if (!sent.ok()) Die("append at the kabupaten: " + sent.status().message());
          appended += 1001;
          ++s;
        }
      });
    }
    // Settle, then measure over the window.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const double cpu0[2] = {CpuSecondsOf(kem.pid), CpuSecondsOf(aud.pid)};
    uint64_t req0[2], nm0[2], bytes0[2];
    for (int k = 0; k < 2; ++k) {
      req0[k] = counters.requests[k];
      nm0[k] = counters.not_modified[k];
      bytes0[k] = counters.bytes[k];
    }
    const auto start = Clock::now();
    double healthz_max = 0, submit_max = 0;
    while (Seconds(start, Clock::now()) < seconds) {
      const auto t0 = Clock::now();
      auto h = anon->Get("/healthz");
      if (!h.ok() || h->status != 200) Die("/healthz failed under load");
      healthz_max = std::max(healthz_max, Seconds(t0, Clock::now()));
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    const double window = Seconds(start, Clock::now());
    double cpu_window[2];
    uint64_t req_window[2], nm_window[2], bytes_window[2];
    for (int k = 0; k < 2; ++k) {
      cpu_window[k] = CpuSecondsOf(k == 0 ? kem.pid : aud.pid) - cpu0[k];
      req_window[k] = counters.requests[k] - req0[k];
      nm_window[k] = counters.not_modified[k] - nm0[k];
      bytes_window[k] = counters.bytes[k] - bytes0[k];
    }
    // After the window (so that the idle phase stays idle), while the
    // followers go on: three submissions to kemensos, each registering one
    // more node.
    for (int probe = 0; probe < 3; ++probe) {
      Seed seed{};
      seed.fill(static_cast<uint8_t>(++extra));
      const SigningKey k = SigningKey::FromSeed(seed);
      NodeRegistration r;
      r.region = fmt::format("95{:02d}", extra);
      r.origin = "jejak.pkh/kab/" + r.region;
      r.name = "Probe " + r.region;
      r.kind = NodeKind::kKabupaten;
      r.verifier_key = NoteVerifierKey::ForEd25519(r.origin, k.public_key()).ToString();
      const auto t0 = Clock::now();
      auto sent = SubmitStatement(*probe_admin, kTypeGovNode, "", {*EncodePkhRecord(r)}, *root);
      if (!sent.ok()) Die("submission under load: " + sent.status().message());
      submit_max = std::max(submit_max, Seconds(t0, Clock::now()));
    }
    const Node* nodes[2] = {&kem, &aud};
    for (int k = 0; k < 2; ++k) {
      const double cpu = cpu_window[k] / window * 100;
      auto m = ClientTo(*nodes[k], nullptr, "metrics");
      const double conns = Metric(*m, "jejak_http_connections{class=\"peer\"}") +
                           Metric(*m, "jejak_http_connections{class=\"anonymous\"}");
      const double req = static_cast<double>(req_window[k]);
      const double nm = static_cast<double>(nm_window[k]);
      fmt::print(
          "{:<8} {:<9} {:>7.2f} {:>7} {:>7.0f} {:>8.1f} {:>9.1f} {:>6.1f} {:>10.3f}s {:>10}\n",
          phase, nodes[k]->name, cpu, RssMiB(nodes[k]->pid), conns, req / window,
          static_cast<double>(bytes_window[k]) / 1024 / window, req > 0 ? nm / req * 100 : 0,
          k == 0 ? healthz_max : 0.0,
          k == 0 ? fmt::format("{:.3f}s", submit_max) : std::string("-"));
    }
    phase_done = true;
    if (writer.joinable()) {
      writer.join();
      fmt::print(
          "         (the kabupaten appended {} entries in 1,000-record statements meanwhile)\n",
          appended);
    }
  }
  stop = true;
  for (auto& t : pool) t.join();
  fmt::print("errors: {} of {} requests\n", counters.errors.load(),
             counters.requests[0] + counters.requests[1] + counters.errors);
  for (Node* n : {&kab, &aud, &kem}) {
    kill(n->pid, SIGTERM);
    waitpid(n->pid, nullptr, 0);
  }
  return counters.errors == 0 ? 0 : 1;
}
