// jejak serve DIR --listen HOST:PORT [--peer URL ...] [--insecure-http]
// jejak status (DIR | --node URL) [--json]
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <csignal>

#include "cli/common.h"
#include "crypto/encoding.h"
#include "crypto/passphrase.h"
#include "node/http.h"
#include "node/log_status.h"
#include "node/remote.h"
#include "node/service.h"

namespace jejak::cli {
namespace {

struct ServeCmdOptions {
  std::string dir, listen, passphrase_file;
  std::vector<std::string> peers;
  bool insecure_http = false;
  int poll_ms = 2000;
};

// "HOST:PORT" (port 0: any free port).
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  auto port = colon == std::string::npos ? Result<uint64_t>(InvalidArgument(""))
                                         : ParseDecimal(listen.substr(colon + 1));
  if (colon == 0 || !port.ok() || *port > 65535) {
    return InvalidArgument("--listen '" + listen + "' must be HOST:PORT");
  }
  return std::make_pair(listen.substr(0, colon), static_cast<uint16_t>(*port));
}

int RunServe(const ServeCmdOptions& o) {
  auto listen = ParseListen(o.listen);
  if (!listen.ok()) return ReportError(listen.status());
  ServeOptions options;
  options.dir = o.dir;
  options.host = listen->first;
  options.port = listen->second;
  options.insecure_http = o.insecure_http;
  options.peers = o.peers;
  options.poll_interval = std::chrono::milliseconds(std::max(50, o.poll_ms));
  for (const auto& p : o.peers) {
    auto url = ParseUrl(p);
    if (!url.ok()) return ReportError(url.status().WithContext("--peer"));
    if (!url->tls && !IsLoopbackHost(url->host)) {
      return ReportError(InvalidArgument("--peer " + p + ": plain http:// only on loopback"));
    }
  }
  PassphraseSource src;
  src.file = o.passphrase_file;
  src.prompt = "Passphrase for node key";
  auto passphrase = ObtainPassphrase(src);
  if (!passphrase.ok()) return ReportError(passphrase.status());
  options.passphrase = *passphrase;

  // SIGINT and SIGTERM end the node cleanly; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = NodeService::Start(options);
  if (!service.ok()) return ReportError(service.status());
  if (o.insecure_http) {
    fmt::print(stderr,
               "jejak serve: WARNING: --insecure-http: plain HTTP without TLS or peer "
               "authentication, for local testing only\n");
  }
  fmt::print("serving {} at {}\n", o.dir, (*service)->url());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  fmt::print(stderr, "jejak serve: stopping ({})\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  (*service)->Stop();
  return kExitOk;
}

struct StatusCmdOptions {
  std::string dir, node, node_key;
  bool json = false;
};

int PrintStatus(const std::string& node, const std::vector<LogStatus>& logs, bool json) {
  if (json) {
    fmt::print("{}", LogStatusJson(node, logs));
    return kExitOk;
  }
  fmt::print("{:<32} {:>10} {:>6} {:>8}  {}\n", "log", "size", "cosig", "lag", "root");
  for (const auto& s : logs) {
    std::string lag = s.own ? "own" : s.lag ? std::to_string(*s.lag) : "?";
    fmt::print("{:<32} {:>10} {:>6} {:>8}  {}{}\n", s.origin, s.size, s.cosignatures, lag,
               s.root.empty() ? "-" : s.root, s.frozen ? "  FROZEN (equivocation evidence)" : "");
    if (!s.url.empty()) fmt::print("  {}\n", s.url);
  }
  return kExitOk;
}

int RunStatus(const StatusCmdOptions& o) {
  if (o.dir.empty() == o.node.empty()) {
    return ReportError(InvalidArgument("give either a node folder or --node URL"));
  }
  if (!o.node.empty()) {
    auto client = ConnectToNode(o.node, o.node_key);
    if (!client.ok()) return ReportError(client.status());
    auto status = FetchStatus(**client);
    if (!status.ok()) return ReportError(status.status());
    return PrintStatus(status->node, status->logs, o.json);
  }
  auto folder = NodeFolder::Open(o.dir, StoreMode::kReadOnly);
  if (!folder.ok()) return ReportError(folder.status());
  auto logs = ListLogStatus((*folder)->store(), "");
  if (!logs.ok()) return ReportError(logs.status());
  return PrintStatus((*folder)->config().origin, *logs, o.json);
}

}  // namespace

void AddServeCommands(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ServeCmdOptions>();
  auto* cmd = app.add_subcommand(
      "serve", "Run the node: serve its logs, witness and follow its peers (Ctrl-C stops it)");
  cmd->add_option("DIR", o->dir, "Node folder")->required();
  cmd->add_option("--listen", o->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->required();
  cmd->add_option("--peer", o->peers, "A peer's URL (repeatable; the registry's URLs are added)");
  cmd->add_flag("--insecure-http", o->insecure_http,
                "Plain HTTP without TLS, on a loopback address only: local testing");
  cmd->add_option("--poll-ms", o->poll_ms, "Milliseconds between polls of the peers")
      ->capture_default_str();
  AddPassphraseOption(cmd, &o->passphrase_file);
  cmd->callback([o, exit_code] { *exit_code = RunServe(*o); });

  auto s = std::make_shared<StatusCmdOptions>();
  auto* st =
      app.add_subcommand("status", "List every log a node holds: size, root, cosignatures, lag");
  st->add_option("DIR", s->dir, "Node folder");
  AddNodeOptions(st, &s->node, &s->node_key);
  st->add_flag("--json", s->json, "As JSON");
  st->callback([s, exit_code] { *exit_code = RunStatus(*s); });
}

}  // namespace jejak::cli
