#include "node/remote.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ledger/pkh_node.h"
#include "ledger/statement_log.h"
#include "ledger/tile_folder.h"
#include "node/http_source.h"
#include "node/tls.h"

namespace jejak {

std::set<PublicKey> TrustedNodeKeys(const NodeConfig& config, const Governance* gov) {
  std::set<PublicKey> keys{config.key.key};
  if (config.governance) keys.insert(config.governance->key);
  if (gov != nullptr) {
    for (const NodeRegistration* n : gov->Nodes(gov->size())) {
      if (auto k = ParseVerifierKey(n->verifier_key); k.ok()) keys.insert(k->key);
    }
  }
  return keys;
}

Result<std::set<PublicKey>> TrustedNodeKeys(NodeFolder& folder) {
  if (!folder.config().governance) return TrustedNodeKeys(folder.config(), nullptr);
  auto gov = LoadNodeGovernance(folder);
  if (!gov.ok()) {
    if (gov.status().code() == StatusCode::kNotFound) {
      return TrustedNodeKeys(folder.config(), nullptr);
    }
    return gov.status();
  }
  return TrustedNodeKeys(folder.config(), &*gov);
}

Result<std::unique_ptr<HttpClient>> ConnectTo(std::string_view url, std::set<PublicKey> trusted,
                                              const SigningKey* own) {
  Url parsed;
  ASSIGN_OR_RETURN(parsed, ParseUrl(url));
  HttpClientOptions options;
  if (parsed.tls) {
    auto check = [keys = std::move(trusted)](const PublicKey& k) { return keys.count(k) > 0; };
    ASSIGN_OR_RETURN(options.tls, MakeClientTlsContext(own, "jejak-client", check));
  } else if (!IsLoopbackHost(parsed.host)) {
    return InvalidArgument("plain http:// is allowed to a loopback address only, not to " +
                           parsed.host + "; use https://");
  }
  return HttpClient::Create(parsed, std::move(options));
}

Result<RemoteStatus> ParseLogList(std::string_view text, std::string_view where) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto bad = [&](std::string_view what) {
    return Corruption(fmt::format("{}/jejak/v1/logs: {}", where, what));
  };
  if (!j.is_object() || !j.contains("logs") || !j["logs"].is_array()) return bad("not a log list");
  RemoteStatus out;
  if (j.contains("node") && j["node"].is_string()) out.node = j["node"];
  for (const auto& e : j["logs"]) {
    if (!e.is_object() || !e.value("origin", nlohmann::json()).is_string() ||
        !e.value("size", nlohmann::json()).is_number_unsigned() ||
        !e.value("root", nlohmann::json()).is_string()) {
      return bad("malformed log entry");
    }
    LogStatus l;
    l.origin = e["origin"];
    l.size = e["size"];
    l.root = e["root"];
    l.url = e.value("url", "");
    l.own = e.value("own", false);
    l.frozen = e.value("frozen", false);
    l.cosignatures = e.value("cosignatures", uint64_t{0});
    if (e.contains("lag") && e["lag"].is_number_unsigned()) l.lag = e["lag"].get<uint64_t>();
    l.lag_seconds = e.value("lag_seconds", 0.0);
    out.logs.push_back(std::move(l));
  }
  return out;
}

Result<RemoteStatus> FetchStatus(HttpClient& client) {
  HttpResult r;
  ASSIGN_OR_RETURN(r, client.Get("/jejak/v1/logs"));
  if (r.status != 200) {
    return Unavailable(
        fmt::format("{}/jejak/v1/logs: HTTP {}", client.base().ToString(), r.status));
  }
  if (r.body.size() > kMaxLogListBytes) {
    return Corruption(fmt::format("{}/jejak/v1/logs: larger than {} bytes",
                                  client.base().ToString(), kMaxLogListBytes));
  }
  return ParseLogList(r.body, client.base().ToString());
}

std::vector<LogStatus> PullOrder(std::vector<LogStatus> logs, const NodeConfig& me) {
  std::erase_if(
      logs, [&](const LogStatus& l) { return l.origin == me.origin || !ValidLogPath(l.origin); });
  std::stable_partition(logs.begin(), logs.end(), [&](const LogStatus& l) {
    return me.governance && l.origin == me.governance->name;
  });
  return logs;
}

Result<std::vector<RemotePull>> PullFromUrl(NodeFolder& folder, std::string_view url,
                                            const PullOptions& options) {
  Url parsed;
  ASSIGN_OR_RETURN(parsed, ParseUrl(url));
  std::set<PublicKey> trusted;
  ASSIGN_OR_RETURN(trusted, TrustedNodeKeys(folder));
  if (options.key) trusted.insert(options.key->key);
  std::vector<RemotePull> out;
  std::unique_ptr<HttpClient> client;
  ASSIGN_OR_RETURN(client, ConnectTo(url, trusted));
  if (!parsed.prefix.empty()) {
    HttpLogSource source(*client, "");
    auto report = PullLog(folder, source, options);
    std::string origin = report.ok() ? report->origin : parsed.prefix.substr(1);
    out.push_back({origin, std::move(report)});
    return out;
  }
  RemoteStatus status;
  ASSIGN_OR_RETURN(status, FetchStatus(*client));
  for (const auto& l : PullOrder(std::move(status.logs), folder.config())) {
    HttpLogSource source(*client, LogPath(l.origin));
    out.push_back({l.origin, PullLog(folder, source, options)});
  }
  return out;
}

namespace {

Status RefusalStatus(const HttpResult& r, std::string_view what) {
  std::string text = r.body.substr(0, 500);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const std::string m = fmt::format("{}: the node refused it (HTTP {}): {}", what, r.status, text);
  switch (r.status) {
    case 400:
      return InvalidArgument(m);
    case 403:
      return PermissionDenied(m);
    case 409:
      return FailedPrecondition(m);
    default:
      return Unavailable(m);
  }
}

}  // namespace

Result<Submitted> SubmitStatement(HttpClient& client, std::string_view type, std::string_view stage,
                                  std::vector<Bytes> record_leaves, const SigningKey& signer) {
  HttpResult r;
  ASSIGN_OR_RETURN(r, client.Get("/jejak/v1/statement-header?type=" + std::string(type)));
  if (r.status != 200) return RefusalStatus(r, "statement header");
  auto j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.value("origin", nlohmann::json()).is_string() ||
      !j.value("governance_size", nlohmann::json()).is_number_unsigned() ||
      !j.value("timestamp_ms", nlohmann::json()).is_number_integer()) {
    return Corruption(client.base().ToString() + "/jejak/v1/statement-header: malformed answer");
  }
  StatementHeader h;
  h.origin = j["origin"];
  h.region = j.value("region", "");
  h.governance_size = j["governance_size"];
  h.timestamp_ms = j["timestamp_ms"];
  h.type = std::string(type);
  h.stage = std::string(stage);
  PreparedStatement p = PrepareStatement(std::move(h), std::move(record_leaves));
  SignStatement(p.statement, signer);
  Bytes statement_leaf;
  ASSIGN_OR_RETURN(statement_leaf, EncodeStatementEntry(p.statement));
  std::string bundle;
  AppendBundleEntry(bundle, statement_leaf);
  for (const auto& leaf : p.record_leaves()) AppendBundleEntry(bundle, leaf);
  ASSIGN_OR_RETURN(r, client.Post("/jejak/v1/statements", bundle, "application/octet-stream"));
  if (r.status != 200) return RefusalStatus(r, "the statement");
  j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.value("index", nlohmann::json()).is_number_unsigned() ||
      !j.value("size", nlohmann::json()).is_number_unsigned()) {
    return Corruption(client.base().ToString() + "/jejak/v1/statements: malformed answer");
  }
  Submitted out;
  out.index = j["index"];
  out.size = j["size"];
  out.records = j.value("records", uint64_t{0});
  out.checkpoint = j.value("checkpoint", "");
  return out;
}

}  // namespace jejak
