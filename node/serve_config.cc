#include "node/serve_config.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/files.h"
#include "crypto/json_text.h"
#include "ledger/pkh/records.h"
#include "node/http.h"

namespace jejak {
namespace {

constexpr int kConfigFormat = 1;
constexpr size_t kMaxValueBytes = 512;

// Values are echoed in messages only once they are known to be short,
// printable ASCII without spaces: a hand-edited file may hold anything.
Status CheckPrintable(std::string_view value, std::string_view name) {
  if (value.size() > kMaxValueBytes) {
    return InvalidArgument(fmt::format("{}: longer than {} characters", name, kMaxValueBytes));
  }
  for (char c : value) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f) {
      return InvalidArgument(
          fmt::format("{}: holds a space, a control or a non-ASCII character", name));
    }
  }
  return Status::Ok();
}

// A host name or address: letters, digits, '.', '-', ':' (IPv6), '_'.
bool PlainHost(std::string_view host) {
  return !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':' || c == '_';
  });
}

std::string Key(std::string_view prefix, std::string_view key) {
  // The file's keys use '_' where the options use '-'.
  std::string k(key);
  if (prefix.empty()) std::replace(k.begin(), k.end(), '-', '_');
  return std::string(prefix) + k;
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

Result<std::pair<std::string, uint16_t>> ParseListen(std::string_view listen,
                                                     std::string_view name) {
  RETURN_IF_ERROR(CheckPrintable(listen, name));
  const size_t colon = listen.rfind(':');
  const std::string_view host = colon == std::string_view::npos ? "" : listen.substr(0, colon);
  const std::string_view port = colon == std::string_view::npos ? "" : listen.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  const bool port_ok = !port.empty() && ec == std::errc() && end == port.data() + port.size() &&
                       value <= 65535 && (port.size() == 1 || port[0] != '0');
  if (!PlainHost(host) || !port_ok) {
    return InvalidArgument(fmt::format(
        "{} '{}': must be HOST:PORT (an address or host name, and a port 0-65535; 0: any free "
        "port)",
        name, listen));
  }
  return std::make_pair(std::string(host), static_cast<uint16_t>(value));
}

Status ValidatePeerUrl(std::string_view url, std::string_view name) {
  RETURN_IF_ERROR(CheckPrintable(url, name));
  auto parsed = ParseUrl(url);
  if (!parsed.ok()) return InvalidArgument(fmt::format("{}: {}", name, parsed.status().message()));
  if (!parsed->prefix.empty()) {
    return InvalidArgument(fmt::format(
        "{} '{}': a peer is a node's address, https://HOST:PORT, without a path", name, url));
  }
  if (!PlainHost(parsed->host)) {
    return InvalidArgument(
        fmt::format("{} '{}': the host is not a plain name or address", name, url));
  }
  if (!parsed->tls && !IsLoopbackHost(parsed->host)) {
    return InvalidArgument(
        fmt::format("{} '{}': plain http:// is allowed only to a loopback address", name, url));
  }
  return Status::Ok();
}

Result<LogLevel> ParseLogLevel(std::string_view text, std::string_view name) {
  for (LogLevel l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LogLevelName(l)) return l;
  }
  RETURN_IF_ERROR(CheckPrintable(text, name));
  return InvalidArgument(
      fmt::format("{} '{}': must be one of debug, info, warn, error", name, text));
}

Result<bool> ParseOnOff(std::string_view text, std::string_view name) {
  if (text == "on" || text == "true" || text == "yes") return true;
  if (text == "off" || text == "false" || text == "no") return false;
  RETURN_IF_ERROR(CheckPrintable(text, name));
  return InvalidArgument(fmt::format("{} '{}': must be on or off", name, text));
}

Result<std::pair<std::string, uint32_t>> ParseWitnessPolicy(std::string_view text,
                                                            std::string_view name) {
  const size_t eq = text.find('=');
  const std::string_view kind = text.substr(0, eq);
  if (eq == std::string_view::npos || (kind != "default" && !ParseNodeKind(kind).ok())) {
    return InvalidArgument(fmt::format(
        "{}: must be KIND=N, KIND one of default, kemensos, provinsi, kabupaten, lembaga-bayar, "
        "auditor",
        name));
  }
  const std::string_view n = text.substr(eq + 1);
  uint32_t value = 0;
  if (n.empty() || n.size() > 3 ||
      !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      (value = static_cast<uint32_t>(std::stoul(std::string(n)))) > kMaxWitnesses) {
    return InvalidArgument(fmt::format("{} {}: the number of cosignatures must be 0 to {}", name,
                                       kind, kMaxWitnesses));
  }
  return std::pair<std::string, uint32_t>(std::string(kind), value);
}

uint32_t WitnessesWanted(const std::map<std::string, uint32_t>& policy,
                         std::optional<std::string_view> kind) {
  if (kind) {
    auto it = policy.find(std::string(*kind));
    if (it != policy.end()) return it->second;
  }
  auto it = policy.find("default");
  return it == policy.end() ? kDefaultWitnesses : it->second;
}

Status ValidateServeConfig(const ServeConfig& c, std::string_view prefix) {
  std::optional<std::pair<std::string, uint16_t>> listen;
  if (!c.listen.empty()) {
    ASSIGN_OR_RETURN(listen, ParseListen(c.listen, Key(prefix, "listen")));
  }
  if (c.peers.size() > kMaxPeers) {
    return InvalidArgument(fmt::format("{}: more than {} peers", Key(prefix, "peer"), kMaxPeers));
  }
  for (size_t i = 0; i < c.peers.size(); ++i) {
    RETURN_IF_ERROR(ValidatePeerUrl(c.peers[i], Key(prefix, "peer")));
    if (std::find(c.peers.begin(), c.peers.begin() + static_cast<ptrdiff_t>(i), c.peers[i]) !=
        c.peers.begin() + static_cast<ptrdiff_t>(i)) {
      return InvalidArgument(fmt::format("{} '{}': listed twice", Key(prefix, "peer"), c.peers[i]));
    }
  }
  if (c.poll_ms < kMinPollMs || c.poll_ms > kMaxPollMs) {
    return InvalidArgument(fmt::format("{} {}: must be between {} and {} milliseconds",
                                       Key(prefix, "poll-ms"), c.poll_ms, kMinPollMs, kMaxPollMs));
  }
  if (c.insecure_http && listen && !IsLoopbackHost(listen->first)) {
    return InvalidArgument(
        fmt::format("{}: plain HTTP without TLS is allowed only on a loopback address, not on {}",
                    Key(prefix, "insecure-http"), listen->first));
  }
  for (const auto& [kind, n] : c.witness_policy) {
    RETURN_IF_ERROR(
        ParseWitnessPolicy(fmt::format("{}={}", kind, n), Key(prefix, "witness-policy")).status());
  }
  return Status::Ok();
}

std::string ServeConfigJson(const ServeConfig& c) {
  nlohmann::ordered_json j;
  j["format"] = kConfigFormat;
  if (!c.listen.empty()) j["listen"] = c.listen;
  j["peers"] = c.peers;
  j["poll_ms"] = c.poll_ms;
  j["insecure_http"] = c.insecure_http;
  j["console"] = c.console ? "on" : "off";
  j["log_level"] = std::string(LogLevelName(c.log_level));
  j["witness_policy"] = nlohmann::ordered_json::object();
  for (const auto& [kind, n] : c.witness_policy) j["witness_policy"][kind] = n;
  return j.dump(2) + "\n";
}

Result<ServeConfig> ReadServeConfig(const std::string& node_dir) {
  const std::string path = node_dir + "/" + kServeConfigFile;
  auto text = ReadFile(path, size_t{1} << 20);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) {
    auto identity = ReadFile(node_dir + "/node.json", size_t{1} << 20);
    if (!identity.ok() && identity.status().code() == StatusCode::kNotFound) {
      return NotFound(fmt::format("{} is not a jejak node folder (no node.json)", node_dir));
    }
    return ServeConfig{};
  }
  if (!text.ok()) return text.status();
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonDocument(*text, path, JsonLimits{1 << 20, 2}));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, path));
  RETURN_IF_ERROR(f.Only({"format", "listen", "peers", "poll_ms", "insecure_http", "console",
                          "log_level", "witness_policy"},
                         "node configuration"));
  uint64_t format = 0;
  ASSIGN_OR_RETURN(format, f.U64("format"));
  if (format != kConfigFormat) {
    return f.Error("format", fmt::format("must be {}", kConfigFormat));
  }
  ServeConfig c;
  ASSIGN_OR_RETURN(c.listen, f.StrOr("listen", ""));
  if (f.Has("peers")) {
    const nlohmann::json* peers = nullptr;
    ASSIGN_OR_RETURN(peers, f.Array("peers"));
    if (peers->size() > kMaxPeers) return f.Error("peers", "holds too many peers");
    for (const auto& p : *peers) {
      if (!p.is_string()) return f.Error("peers", "must hold strings");
      c.peers.push_back(p.get<std::string>());
    }
  }
  uint64_t poll = 0;
  ASSIGN_OR_RETURN(poll, f.U64Or("poll_ms", c.poll_ms));
  c.poll_ms = static_cast<uint32_t>(std::min<uint64_t>(poll, uint64_t{kMaxPollMs} + 1));
  ASSIGN_OR_RETURN(c.insecure_http, f.BoolOr("insecure_http", false));
  std::string console, level;
  auto in_file = [&path](const Status& s) {
    return InvalidArgument(fmt::format("{}: {}", path, s.message()));
  };
  ASSIGN_OR_RETURN(console, f.StrOr("console", "off"));
  auto on = ParseOnOff(console, "console");
  if (!on.ok()) return in_file(on.status());
  c.console = *on;
  ASSIGN_OR_RETURN(level, f.StrOr("log_level", "info"));
  auto parsed_level = ParseLogLevel(level, "log_level");
  if (!parsed_level.ok()) return in_file(parsed_level.status());
  c.log_level = *parsed_level;
  if (f.Has("witness_policy")) {
    JsonFields policy = f;
    ASSIGN_OR_RETURN(policy, f.Object("witness_policy"));
    c.witness_policy.clear();
    for (const char* kind :
         {"default", "kemensos", "provinsi", "kabupaten", "lembaga-bayar", "auditor"}) {
      if (!policy.Has(kind)) continue;
      uint64_t n = 0;
      ASSIGN_OR_RETURN(n, policy.U64(kind, kMaxWitnesses));
      c.witness_policy[kind] = static_cast<uint32_t>(n);
    }
    RETURN_IF_ERROR(
        policy.Only({"default", "kemensos", "provinsi", "kabupaten", "lembaga-bayar", "auditor"},
                    "witness policy"));
    if (!c.witness_policy.count("default")) c.witness_policy["default"] = kDefaultWitnesses;
  }
  if (Status s = ValidateServeConfig(c, ""); !s.ok()) return in_file(s);
  return c;
}

Status WriteServeConfig(const std::string& node_dir, const ServeConfig& config) {
  RETURN_IF_ERROR(ValidateServeConfig(config));
  return WriteFileAtomic(node_dir + "/" + kServeConfigFile, ServeConfigJson(config), 0644);
}

}  // namespace jejak
