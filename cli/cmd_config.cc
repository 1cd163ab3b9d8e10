// jejak config show NODE [--json]
// jejak config set NODE [--listen HOST:PORT] [--peer URL ...] [--add-peer URL ...]
//   [--remove-peer URL ...] [--clear-peers] [--poll-ms N] [--insecure-http on|off]
//   [--console on|off] [--log-level LEVEL] [--witness-policy KIND=N ...]
#include <CLI/CLI.hpp>
#include <algorithm>

#include <fmt/format.h>

#include "cli/common.h"
#include "node/serve_config.h"

namespace jejak::cli {
namespace {

struct ConfigCmdOptions {
  std::string dir;
  bool json = false;
  std::optional<std::string> listen, insecure_http, console, log_level;
  std::optional<uint32_t> poll_ms;
  std::vector<std::string> peers, add_peers, remove_peers, witness_policy;
  bool set_peers = false, clear_peers = false;
};

int Show(const ServeConfig& c, bool json) {
  if (json) {
    fmt::print("{}", ServeConfigJson(c));
    return kExitOk;
  }
  fmt::print("{:<14} {}\n", "listen", c.listen.empty() ? "(not set)" : c.listen);
  if (c.peers.empty()) fmt::print("{:<14} (none besides the registry's)\n", "peers");
  for (size_t i = 0; i < c.peers.size(); ++i) {
    fmt::print("{:<14} {}\n", i == 0 ? "peers" : "", c.peers[i]);
  }
  fmt::print("{:<14} {}\n", "poll-ms", c.poll_ms);
  fmt::print("{:<14} {}\n", "insecure-http", c.insecure_http ? "on" : "off");
  fmt::print("{:<14} {}\n", "console", c.console ? "on" : "off");
  fmt::print("{:<14} {}\n", "log-level", LogLevelName(c.log_level));
  std::string policy;
  for (const auto& [kind, n] : c.witness_policy) {
    policy += fmt::format("{}{}={}", policy.empty() ? "" : " ", kind, n);
  }
  fmt::print("{:<14} {}\n", "witness-policy", policy);
  return kExitOk;
}

int RunShow(const ConfigCmdOptions& o) {
  auto config = ReadServeConfig(o.dir);
  if (!config.ok()) return ReportError(config.status());
  return Show(*config, o.json);
}

Status Apply(const ConfigCmdOptions& o, ServeConfig& c) {
  if (o.listen) {
    RETURN_IF_ERROR(ParseListen(*o.listen, "--listen").status());
    c.listen = *o.listen;
  }
  if (o.clear_peers || o.set_peers) c.peers.clear();
  for (const auto& p : o.peers) {
    RETURN_IF_ERROR(ValidatePeerUrl(p, "--peer"));
    if (std::find(c.peers.begin(), c.peers.end(), p) != c.peers.end()) {
      return InvalidArgument(fmt::format("--peer '{}': given twice", p));
    }
    c.peers.push_back(p);
  }
  for (const auto& p : o.add_peers) {
    RETURN_IF_ERROR(ValidatePeerUrl(p, "--add-peer"));
    if (std::find(c.peers.begin(), c.peers.end(), p) == c.peers.end()) c.peers.push_back(p);
  }
  for (const auto& p : o.remove_peers) {
    auto it = std::find(c.peers.begin(), c.peers.end(), p);
    if (it == c.peers.end()) {
      RETURN_IF_ERROR(ValidatePeerUrl(p, "--remove-peer"));
      return NotFound(fmt::format("--remove-peer '{}': not a configured peer", p));
    }
    c.peers.erase(it);
  }
  if (o.poll_ms) c.poll_ms = *o.poll_ms;
  if (o.insecure_http) {
    ASSIGN_OR_RETURN(c.insecure_http, ParseOnOff(*o.insecure_http, "--insecure-http"));
  }
  if (o.console) {
    ASSIGN_OR_RETURN(c.console, ParseOnOff(*o.console, "--console"));
  }
  if (o.log_level) {
    ASSIGN_OR_RETURN(c.log_level, ParseLogLevel(*o.log_level, "--log-level"));
  }
  for (const auto& w : o.witness_policy) {
    std::pair<std::string, uint32_t> kind_n;
    ASSIGN_OR_RETURN(kind_n, ParseWitnessPolicy(w, "--witness-policy"));
    c.witness_policy[kind_n.first] = kind_n.second;
  }
  return ValidateServeConfig(c, "--");
}

int RunSet(const ConfigCmdOptions& o) {
  auto config = ReadServeConfig(o.dir);
  if (!config.ok()) return ReportError(config.status());
  if (Status s = Apply(o, *config); !s.ok()) {
    return ReportError(s.WithContext("nothing was changed"));
  }
  if (Status s = WriteServeConfig(o.dir, *config); !s.ok()) return ReportError(s);
  Show(*config, false);
  fmt::print(stderr,
             "saved {}/{}; a running node takes new peers and the log level on SIGHUP "
             "(systemctl reload), the rest at its next start\n",
             o.dir, kServeConfigFile);
  return kExitOk;
}

}  // namespace

void AddConfigCommand(CLI::App& app, int* exit_code) {
  auto* cmd =
      app.add_subcommand("config", "Show or change how `jejak serve NODE` runs (NODE/config.json)");
  cmd->require_subcommand(1);

  auto s = std::make_shared<ConfigCmdOptions>();
  auto* show = cmd->add_subcommand("show", "Print the node's serve configuration");
  show->add_option("NODE", s->dir, "Node folder")->required();
  show->add_flag("--json", s->json, "As the file's JSON");
  show->callback([s, exit_code] { *exit_code = RunShow(*s); });

  auto o = std::make_shared<ConfigCmdOptions>();
  auto* set = cmd->add_subcommand(
      "set", "Change the serve configuration: each value is checked before anything is saved");
  set->add_option("NODE", o->dir, "Node folder")->required();
  set->add_option("--listen", o->listen, "HOST:PORT to listen on (port 0: any free port)");
  auto* peer = set->add_option("--peer", o->peers,
                               "A peer's URL, https://HOST:PORT (repeatable: replaces the list)");
  set->add_option("--add-peer", o->add_peers, "Add a peer's URL (repeatable)");
  set->add_option("--remove-peer", o->remove_peers, "Remove a peer's URL (repeatable)");
  set->add_flag("--clear-peers", o->clear_peers, "Remove every configured peer");
  set->add_option("--poll-ms", o->poll_ms, "Milliseconds between polls of the peers (50-3600000)");
  set->add_option("--insecure-http", o->insecure_http,
                  "on: plain HTTP without TLS, loopback listen address only (local tests)");
  set->add_option("--console", o->console,
                  "on|off: the web console at /console/ (accounts: jejak console user add)");
  set->add_option("--log-level", o->log_level, "debug, info, warn or error");
  set->add_option(
      "--witness-policy", o->witness_policy,
      "KIND=N: cosignatures a checkpoint of a KIND node's log should gather "
      "(KIND: default, kemensos, provinsi, kabupaten, lembaga-bayar, auditor; repeatable)");
  set->callback([o, peer, exit_code] {
    o->set_peers = peer->count() > 0;
    *exit_code = RunSet(*o);
  });
}

}  // namespace jejak::cli
