// How `jejak serve NODE` runs when given no flags: NODE/config.json
// (specs/node-config.md), written by `jejak config set` and read at start and
// on SIGHUP. Every value is checked when it is set and again when it is read,
// so a file edited by hand with a bad value is refused, naming the key and
// the reason, before the node starts (or, on a reload, while it keeps running
// as it was). Thread-safe (no state).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/status.h"

namespace jejak {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
std::string_view LogLevelName(LogLevel level);  // "debug", "info", "warn", "error"

inline constexpr uint32_t kDefaultWitnesses = 2;
inline constexpr uint32_t kMaxWitnesses = 100;

struct ServeConfig {
  std::string listen;              // "HOST:PORT"; empty: not set (serve then needs --listen)
  std::vector<std::string> peers;  // node URLs, each once
  uint32_t poll_ms = 2000;
  bool insecure_http = false;  // plain HTTP; only with a loopback listen address
  bool console = false;        // the web console (/console/; node/console.cc)
  LogLevel log_level = LogLevel::kInfo;
  // The witness policy: how many cosignatures a checkpoint should gather,
  // by the kind of node whose log it is ("kemensos", ..., or "default" for
  // the others). `jejak status` marks the checkpoints below it.
  std::map<std::string, uint32_t> witness_policy = {{"default", kDefaultWitnesses}};
};

inline constexpr char kServeConfigFile[] = "config.json";
inline constexpr uint32_t kMinPollMs = 50;
inline constexpr uint32_t kMaxPollMs = 3'600'000;
inline constexpr size_t kMaxPeers = 1000;

// "HOST:PORT" (port 0: any free port). InvalidArgument "<name> '<value>': ..."
// saying what is wrong; `name` is the option or key ("--listen", "listen").
Result<std::pair<std::string, uint16_t>> ParseListen(std::string_view listen,
                                                     std::string_view name = "--listen");
// A peer's URL: https://HOST:PORT (http:// only to a loopback host), no path,
// no user part, nothing a log line or a request line could not carry.
Status ValidatePeerUrl(std::string_view url, std::string_view name = "--peer");
Result<LogLevel> ParseLogLevel(std::string_view text, std::string_view name = "--log-level");
// "on"/"off" (also "true"/"false", "yes"/"no").
Result<bool> ParseOnOff(std::string_view text, std::string_view name);

// "KIND=N": a kind of node ("kemensos", "provinsi", "kabupaten",
// "lembaga-bayar", "auditor") or "default", and 0..kMaxWitnesses.
Result<std::pair<std::string, uint32_t>> ParseWitnessPolicy(std::string_view text,
                                                            std::string_view name);
// The cosignatures the policy asks of a log whose author is of `kind`
// (unknown: the default).
uint32_t WitnessesWanted(const std::map<std::string, uint32_t>& policy,
                         std::optional<std::string_view> kind);

// The checks of each value and between them (insecure_http needs a loopback
// listen address; no peer twice). Messages name the key with `prefix`
// ("--" for the command line, "" for the file).
Status ValidateServeConfig(const ServeConfig& config, std::string_view prefix = "--");

// NODE/config.json, or the defaults when the node has none. NotFound when
// NODE is not a node folder; InvalidArgument "<file>: <key>: <reason>" for a
// file that does not parse, holds an unknown key or a bad value.
Result<ServeConfig> ReadServeConfig(const std::string& node_dir);
// Checks `config` and replaces NODE/config.json with it, crash-safely (a
// reader sees the old file or the new one).
Status WriteServeConfig(const std::string& node_dir, const ServeConfig& config);
// The file's text (deterministic; keys in a fixed order).
std::string ServeConfigJson(const ServeConfig& config);

}  // namespace jejak
