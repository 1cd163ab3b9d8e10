// jejak serve DIR [--listen HOST:PORT] [--peer URL ...] [--insecure-http] [--console]
//   [--poll-ms N] [--log-level LEVEL]: config.json (jejak config) with the flags given overriding
//   it
// jejak status (DIR | --node URL) [--json]
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "cli/common.h"
#include "crypto/encoding.h"
#include "crypto/passphrase.h"
#include "ledger/pkh/node.h"
#include "node/event_log.h"
#include "node/http.h"
#include "node/log_status.h"
#include "node/remote.h"
#include "node/serve_config.h"
#include "node/service.h"

namespace jejak::cli {
namespace {

struct ServeCmdOptions {
  std::string dir, listen, passphrase_file;
  std::vector<std::string> peers;
  bool insecure_http = false, console = false;
  int poll_ms = 2000;
  std::string log_level;
  // Which options the command line gave: those override config.json.
  bool listen_given = false, peers_given = false, poll_given = false;
};

// The systemd credential holding the node key's passphrase (LoadCredential=
// in jejak@.service): read from $CREDENTIALS_DIRECTORY when no
// --passphrase-file is given, so the passphrase is never in the environment.
constexpr char kPassphraseCredential[] = "passphrase";

Result<std::string> ServePassphrase(const std::string& file) {
  PassphraseSource src;
  src.file = file;
  src.prompt = "Passphrase for node key";
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (src.file.empty() && credentials != nullptr && *credentials != '\0') {
    src.file = std::string(credentials) + "/" + kPassphraseCredential;
    if (!std::filesystem::exists(src.file)) {
      return InvalidArgument(fmt::format(
          "$CREDENTIALS_DIRECTORY holds no credential '{}' (LoadCredential={}:FILE in the unit)",
          kPassphraseCredential, kPassphraseCredential));
    }
  }
  return ObtainPassphrase(src);
}

// The options of this run: config.json, overridden by the command line.
Result<ServeConfig> EffectiveConfig(const ServeCmdOptions& o) {
  ServeConfig c;
  ASSIGN_OR_RETURN(c, ReadServeConfig(o.dir));
  if (o.listen_given) c.listen = o.listen;
  if (o.peers_given) c.peers = o.peers;
  if (o.poll_given) c.poll_ms = static_cast<uint32_t>(std::clamp<int>(o.poll_ms, 0, INT32_MAX));
  if (o.insecure_http) c.insecure_http = true;
  if (o.console) c.console = true;
  if (!o.log_level.empty()) {
    ASSIGN_OR_RETURN(c.log_level, ParseLogLevel(o.log_level));
  }
  if (c.listen.empty()) {
    return InvalidArgument(
        fmt::format("no address to listen on: give --listen HOST:PORT, or keep one in the node's "
                    "configuration (jejak config set {} --listen HOST:PORT)",
                    o.dir));
  }
  RETURN_IF_ERROR(ValidateServeConfig(c, "--"));
  return c;
}

// SIGHUP: config.json again. The peers (unless --peer gave them) and the log
// level change at once; a bad file changes nothing.
void Reload(const ServeCmdOptions& o, NodeService& service, const ServeConfig& running) {
  auto fresh = ReadServeConfig(o.dir);
  if (!fresh.ok()) {
    EventError("reload refused, nothing changed: " + fresh.status().message());
    return;
  }
  SetEventLogLevel(o.log_level.empty() ? fresh->log_level : running.log_level);
  if (o.peers_given) {
    EventWarning("reload: the peers were given with --peer and stay; config.json's are not used");
  } else if (Status s = service.SetPeers(fresh->peers); !s.ok()) {
    EventError("reload: " + s.message());
  } else {
    EventInfo(fmt::format("reloaded {}: {} configured peers, {} visited in all", kServeConfigFile,
                          fresh->peers.size(), service.peers().size()));
  }
  if (!o.listen_given && fresh->listen != running.listen) {
    EventWarning(fmt::format("reload: listen {} takes effect at the next start (now {})",
                             fresh->listen, running.listen));
  }
}

int RunServe(const ServeCmdOptions& o) {
  auto config = EffectiveConfig(o);
  if (!config.ok()) return ReportError(config.status());
  SetEventLogLevel(config->log_level);
  auto listen = ParseListen(config->listen);
  if (!listen.ok()) return ReportError(listen.status());
  ServeOptions options;
  options.dir = o.dir;
  options.host = listen->first;
  options.port = listen->second;
  options.insecure_http = config->insecure_http;
  options.peers = config->peers;
  options.poll_interval = std::chrono::milliseconds(config->poll_ms);
  options.witness_policy = config->witness_policy;
  options.console = config->console;
  auto passphrase = ServePassphrase(o.passphrase_file);
  if (!passphrase.ok()) return ReportError(passphrase.status());
  options.passphrase = *passphrase;

  // SIGINT and SIGTERM end the node cleanly, SIGHUP reloads its
  // configuration; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = NodeService::Start(options);
  if (!service.ok()) return ReportError(service.status());
  if (config->insecure_http) {
    EventWarning(
        "--insecure-http: plain HTTP without TLS or peer authentication, for local testing only");
  }
  EventInfo(fmt::format("serving {} at {}, {} peers", o.dir, (*service)->url(),
                        (*service)->peers().size()));
  fmt::print("serving {} at {}\n", o.dir, (*service)->url());
  if (options.console) {
    EventInfo(fmt::format("web console at {}/console/", (*service)->url()));
    fmt::print("console at {}/console/\n", (*service)->url());
  }
  std::fflush(stdout);
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      Reload(o, **service, *config);
      continue;
    }
    EventInfo(fmt::format("stopping ({})", sig == SIGINT ? "SIGINT" : "SIGTERM"));
    break;
  }
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
  fmt::print("{:<32} {:>10} {:>6} {:>5} {:>8}  {}\n", "log", "size", "cosig", "want", "lag",
             "root");
  size_t below = 0;
  for (const auto& s : logs) {
    std::string lag = s.own ? "own" : s.lag ? std::to_string(*s.lag) : "?";
    std::string want = s.witnesses_wanted ? std::to_string(*s.witnesses_wanted) : "?";
    // A checkpoint below the witness policy: fewer witnesses vouch for it
    // than the node asks (none before the first checkpoint).
    const bool short_of = s.witnesses_wanted && s.size > 0 && s.cosignatures < *s.witnesses_wanted;
    below += short_of ? 1 : 0;
    fmt::print("{:<32} {:>10} {:>6} {:>5} {:>8}  {}{}{}\n", s.origin, s.size, s.cosignatures, want,
               lag, s.root.empty() ? "-" : s.root, short_of ? "  BELOW WITNESS POLICY" : "",
               s.frozen ? "  FROZEN (equivocation evidence)" : "");
    if (!s.url.empty()) fmt::print("  {}\n", s.url);
  }
  if (below > 0) {
    fmt::print("{} of {} checkpoints have fewer cosignatures than the witness policy asks\n", below,
               logs.size());
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
  auto config = ReadServeConfig(o.dir);
  if (!config.ok()) return ReportError(config.status());
  std::optional<Governance> gov;
  if ((*folder)->config().governance) {
    auto loaded = LoadNodeGovernance(**folder);
    if (loaded.ok()) gov.emplace(std::move(*loaded));
  }
  ApplyWitnessPolicy(*logs, config->witness_policy, (*folder)->config(), gov ? &*gov : nullptr);
  return PrintStatus((*folder)->config().origin, *logs, o.json);
}

}  // namespace

void AddServeCommands(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ServeCmdOptions>();
  auto* cmd = app.add_subcommand(
      "serve",
      "Run the node: serve its logs, witness and follow its peers (SIGTERM or Ctrl-C stops it, "
      "SIGHUP reloads its peers from config.json)");
  cmd->add_option("DIR", o->dir, "Node folder")->required();
  auto* listen = cmd->add_option(
      "--listen", o->listen,
      "HOST:PORT to listen on (port 0: any free port); default: the node's config.json");
  auto* peer = cmd->add_option(
      "--peer", o->peers,
      "A peer's URL (repeatable; replaces config.json's peers; the registry's URLs are added)");
  cmd->add_flag("--insecure-http", o->insecure_http,
                "Plain HTTP without TLS, on a loopback address only: local testing");
  cmd->add_flag("--console", o->console,
                "Serve the web console at /console/ (accounts: jejak console user add)");
  auto* poll = cmd->add_option("--poll-ms", o->poll_ms,
                               "Milliseconds between polls of the peers (50-3600000)")
                   ->capture_default_str();
  cmd->add_option("--log-level", o->log_level,
                  "debug, info, warn or error (default: config.json's)");
  AddPassphraseOption(cmd, &o->passphrase_file);
  cmd->callback([o, listen, peer, poll, exit_code] {
    o->listen_given = listen->count() > 0;
    o->peers_given = peer->count() > 0;
    o->poll_given = poll->count() > 0;
    *exit_code = RunServe(*o);
  });

  auto s = std::make_shared<StatusCmdOptions>();
  auto* st =
      app.add_subcommand("status", "List every log a node holds: size, root, cosignatures, lag");
  st->add_option("DIR", s->dir, "Node folder");
  AddNodeOptions(st, &s->node, &s->node_key);
  st->add_flag("--json", s->json, "As JSON");
  st->callback([s, exit_code] { *exit_code = RunStatus(*s); });
}

}  // namespace jejak::cli
