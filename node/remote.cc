#include "node/remote.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/json_text.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/records.h"
#include "node/http_source.h"
#include "node/request_auth.h"
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
                                              const SigningKey* own,
                                              std::chrono::milliseconds timeout) {
  Url parsed;
  ASSIGN_OR_RETURN(parsed, ParseUrl(url));
  HttpClientOptions options;
  options.timeout = timeout;
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
  const std::string at = fmt::format("{}/jejak/v1/logs", where);
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonDocument(text, at, JsonLimits{kMaxLogListBytes, 4},
                                                       StatusCode::kCorruption));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, at, "", StatusCode::kCorruption));
  RemoteStatus out;
  ASSIGN_OR_RETURN(out.node, f.StrOr("node", ""));
  const nlohmann::json* logs;
  ASSIGN_OR_RETURN(logs, f.Array("logs"));
  for (size_t i = 0; i < logs->size(); ++i) {
    ASSIGN_OR_RETURN(JsonFields e, JsonFields::Of((*logs)[i], at, fmt::format("logs[{}]", i),
                                                  StatusCode::kCorruption));
    LogStatus l;
    ASSIGN_OR_RETURN(l.origin, e.Str("origin"));
    ASSIGN_OR_RETURN(l.size, e.U64("size"));
    ASSIGN_OR_RETURN(l.root, e.Str("root"));
    ASSIGN_OR_RETURN(l.url, e.StrOr("url", ""));
    ASSIGN_OR_RETURN(l.own, e.BoolOr("own", false));
    ASSIGN_OR_RETURN(l.frozen, e.BoolOr("frozen", false));
    ASSIGN_OR_RETURN(l.cosignatures, e.U64Or("cosignatures", 0));
    ASSIGN_OR_RETURN(l.lag, e.OptionalU64("lag"));
    ASSIGN_OR_RETURN(l.lag_seconds, e.NumberOr("lag_seconds", 0.0));
    ASSIGN_OR_RETURN(l.witnesses_wanted, e.OptionalU64("witnesses_wanted"));
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

std::string LogListPath(const std::vector<std::string>& origins) {
  std::string path = "/jejak/v1/logs";
  for (size_t i = 0; i < origins.size(); ++i) {
    path += (i == 0 ? "?origin=" : "&origin=") + PercentEncode(origins[i]);
  }
  return path;
}

Result<std::optional<RemoteStatus>> FetchStatusIfChanged(HttpClient& client,
                                                         const std::vector<std::string>& origins,
                                                         std::string& etag) {
  HttpResult r;
  ASSIGN_OR_RETURN(r, client.GetIfNoneMatch(LogListPath(origins), etag));
  if (r.status == 304) return std::optional<RemoteStatus>();
  if (r.status != 200) {
    return Unavailable(
        fmt::format("{}/jejak/v1/logs: HTTP {}", client.base().ToString(), r.status));
  }
  if (r.body.size() > kMaxLogListBytes) {
    return Corruption(fmt::format("{}/jejak/v1/logs: larger than {} bytes",
                                  client.base().ToString(), kMaxLogListBytes));
  }
  RemoteStatus status;
  ASSIGN_OR_RETURN(status, ParseLogList(r.body, client.base().ToString()));
  etag = r.etag;
  return std::optional<RemoteStatus>(std::move(status));
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
                                            const PullOptions& options,
                                            std::chrono::milliseconds timeout) {
  Url parsed;
  ASSIGN_OR_RETURN(parsed, ParseUrl(url));
  std::set<PublicKey> trusted;
  ASSIGN_OR_RETURN(trusted, TrustedNodeKeys(folder));
  if (options.key) trusted.insert(options.key->key);
  std::vector<RemotePull> out;
  std::unique_ptr<HttpClient> client;
  ASSIGN_OR_RETURN(client, ConnectTo(url, trusted, nullptr, timeout));
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

Status RefusalStatus(const HttpResult& r, std::string_view what) {
  std::string text = r.body.substr(0, 500);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const std::string m = fmt::format("{}: the node refused it (HTTP {}): {}", what, r.status, text);
  switch (r.status) {
    case 400:
      return InvalidArgument(m);
    case 403:
      return PermissionDenied(m);
    case 404:
      return NotFound(m);
    case 409:
      return FailedPrecondition(m);
    default:
      return Unavailable(m);
  }
}

namespace {

// A JSON object answer of a 200, or the refusal.
Result<nlohmann::json> JsonOf(HttpClient& client, const Result<HttpResult>& r,
                              std::string_view what, std::string_view path) {
  if (!r.ok()) return r.status();
  if (r->status != 200) return RefusalStatus(*r, what);
  const std::string at = client.base().ToString() + std::string(path);
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonDocument(r->body, at, JsonLimits{64 << 20, 3},
                                                       StatusCode::kCorruption));
  RETURN_IF_ERROR(JsonFields::Of(j, at, "", StatusCode::kCorruption).status());
  return j;
}

JsonFields AnswerFields(HttpClient& client, const nlohmann::json& j, std::string_view path) {
  // JsonOf checked that it is an object.
  return *JsonFields::Of(j, client.base().ToString() + std::string(path), "",
                         StatusCode::kCorruption);
}

Result<Submitted> SubmittedOf(HttpClient& client, const nlohmann::json& j, std::string_view path) {
  const JsonFields f = AnswerFields(client, j, path);
  Submitted out;
  ASSIGN_OR_RETURN(out.index, f.U64("index"));
  ASSIGN_OR_RETURN(out.size, f.U64("size"));
  ASSIGN_OR_RETURN(out.records, f.U64Or("records", 0));
  ASSIGN_OR_RETURN(out.checkpoint, f.StrOr("checkpoint", ""));
  ASSIGN_OR_RETURN(out.warning, f.StrOr("warning", ""));
  return out;
}

}  // namespace

Result<Submitted> SubmitStatement(HttpClient& client, std::string_view type, std::string_view stage,
                                  std::vector<Bytes> record_leaves, const SigningKey& signer) {
  HttpResult r;
  ASSIGN_OR_RETURN(r, client.Get("/jejak/v1/statement-header?type=" + std::string(type)));
  if (r.status != 200) return RefusalStatus(r, "statement header");
  const std::string header_at = client.base().ToString() + "/jejak/v1/statement-header";
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonDocument(r.body, header_at, JsonLimits{1 << 16, 2},
                                                       StatusCode::kCorruption));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, header_at, "", StatusCode::kCorruption));
  StatementHeader h;
  ASSIGN_OR_RETURN(h.origin, f.Str("origin"));
  ASSIGN_OR_RETURN(h.region, f.StrOr("region", ""));
  ASSIGN_OR_RETURN(h.governance_size, f.U64("governance_size"));
  ASSIGN_OR_RETURN(h.timestamp_ms, f.I64("timestamp_ms"));
  h.type = std::string(type);
  h.stage = std::string(stage);
  PreparedStatement p = PrepareStatement(std::move(h), std::move(record_leaves));
  SignStatement(p.statement, signer);
  Bytes statement_leaf;
  ASSIGN_OR_RETURN(statement_leaf, EncodeStatementEntry(p.statement));
  std::string bundle;
  AppendBundleEntry(bundle, statement_leaf);
  for (const auto& leaf : p.record_leaves()) AppendBundleEntry(bundle, leaf);
  // Signed as a request too, by the statement's signer: a statement over 1
  // MiB travels as an upload, which only a key holding a role here may send.
  ASSIGN_OR_RETURN(r, client.Post("/jejak/v1/statements", bundle, "application/octet-stream",
                                  SignRequest("POST", client.base().prefix + "/jejak/v1/statements",
                                              bundle, signer, NowMillis())));
  if (r.status != 200) return RefusalStatus(r, "the statement");
  ASSIGN_OR_RETURN(nlohmann::json answer,
                   JsonOf(client, r, "the statement", "/jejak/v1/statements"));
  return SubmittedOf(client, answer, "/jejak/v1/statements");
}

namespace {

// A signed upload to `path` (relative to the client's base URL).
// Preparing and drafting change nothing on the node: they may be sent again.
Result<HttpResult> PostUpload(HttpClient& client, const std::string& path, const std::string& body,
                              std::string_view file_name, const SigningKey& signer,
                              HttpClient::Idempotence idempotence, HttpHeaders extra = {}) {
  HttpHeaders headers = SignRequest("POST", client.base().prefix + path, body, signer, NowMillis());
  headers.emplace_back("X-Jejak-File", std::string(file_name));
  for (auto& h : extra) headers.push_back(std::move(h));
  return client.Post(path, body, "text/csv; charset=utf-8", headers, idempotence);
}

}  // namespace

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Result<RemoteImport> ImportThroughNode(HttpClient& client, ImportFile kind, const BnbaList* list,
                                       const std::string& csv, std::string_view file_name,
                                       const SigningKey& signer) {
  if (kind == ImportFile::kBnba && list == nullptr) {
    return InvalidArgument("a target list needs its --list and --year");
  }
  const std::string base = fmt::format("/jejak/v1/import/{}", ImportFileName(kind));
  const std::string_view type = ImportStatementType(kind);
  // The list id is checked by the node, and in the statement below; in the
  // query it is percent-encoded.
  std::string query;
  if (kind == ImportFile::kBnba) {
    query = fmt::format("&list={}&year={}", PercentEncode(list->list_id), list->year);
  }
  const std::string prepare = base + "?phase=prepare" + query;
  nlohmann::json j;
  {
    auto prepared = JsonOf(
        client, PostUpload(client, prepare, csv, file_name, signer, HttpClient::Idempotence::kYes),
        "the import", prepare);
    if (!prepared.ok()) return prepared.status().WithContext("nothing was appended");
    j = std::move(*prepared);
  }
  RemoteImport out;
  {
    const JsonFields f = AnswerFields(client, j, prepare);
    ASSIGN_OR_RETURN(out.rows, f.U64Or("rows", 0));
    ASSIGN_OR_RETURN(out.already_present, f.U64Or("already_present", 0));
    ASSIGN_OR_RETURN(out.size, f.U64Or("size", 0));
  }
  const JsonFields prepared = AnswerFields(client, j, prepare);
  if (prepared.Has("warnings")) {
    const nlohmann::json* warnings;
    ASSIGN_OR_RETURN(warnings, prepared.Array("warnings"));
    for (const auto& w : *warnings) {
      if (!w.is_string()) return prepared.Error("warnings", "expected an array of strings");
      out.warnings.push_back(w.get<std::string>());
    }
  }
  ASSIGN_OR_RETURN(std::string statement, prepared.StrOr("statement", ""));
  if (statement.empty()) return out;  // nothing new
  ASSIGN_OR_RETURN(uint64_t fresh, prepared.U64("new"));
  // The lines the node counts as new must add up to what it asks to sign.
  if (prepared.Has("new_lines")) {
    const nlohmann::json* lines;
    ASSIGN_OR_RETURN(lines, prepared.Array("new_lines"));
    uint64_t counted = 0;
    for (const auto& range : *lines) {
      if (!range.is_array() || range.size() != 2 || !range[0].is_number_unsigned() ||
          !range[1].is_number_unsigned() || range[1].get<uint64_t>() < range[0].get<uint64_t>()) {
        return prepared.Error("new_lines", "expected [first, last] line ranges")
            .WithContext("nothing was appended");
      }
      counted += range[1].get<uint64_t>() - range[0].get<uint64_t>() + 1;
    }
    if (counted != fresh) {
      return prepared.Error("new_lines", "the ranges do not add up to the new rows")
          .WithContext("nothing was appended");
    }
  }
  const std::string commit = base + "?phase=commit" + query;
  auto bad = [&](std::string_view what) {
    return Corruption(fmt::format("{}{}: {}", client.base().ToString(), prepare, what));
  };
  auto leaf = Base64Decode(statement);
  if (!leaf.ok()) return bad("statement is not base64").WithContext("nothing was appended");
  auto st = DecodeStatementEntry(*leaf);
  if (!st.ok()) {
    return bad("statement: " + st.status().message()).WithContext("nothing was appended");
  }
  // What this signer is asked to sign: a statement of this kind, of the rows
  // the node says are new, signed by nobody yet.
  if (st->header.type != type || st->header.record_count != fresh || st->header.record_count == 0 ||
      !st->signatures.empty()) {
    return bad(fmt::format("the statement to sign is not a {} of the {} new rows", type, fresh))
        .WithContext("nothing was appended");
  }
  if (kind == ImportFile::kBnba &&
      (st->header.document_number != list->list_id || st->header.document_year != list->year)) {
    return bad("the statement to sign is not of the target list and year given")
        .WithContext("nothing was appended");
  }
  SignStatement(*st, signer);
  Bytes signed_leaf;
  ASSIGN_OR_RETURN(signed_leaf, EncodeStatementEntry(*st));
  // The signed statement travels in the body, before the file (a header
  // would not hold the regions of a national file).
  std::string body;
  AppendBundleEntry(body, signed_leaf);
  body += csv;
  Result<HttpResult> sent =
      PostUpload(client, commit, body, file_name, signer, HttpClient::Idempotence::kNo);
  if (!sent.ok()) {
    // Sent, and no answer: only the node knows whether it appended.
    return sent.status().WithContext(
        "the node may have appended the statement: `jejak status --node ...` shows its log");
  }
  {
    auto committed = JsonOf(client, sent, "the import", commit);
    if (!committed.ok()) return committed.status().WithContext("nothing was appended");
    j = std::move(*committed);
  }
  const JsonFields f = AnswerFields(client, j, commit);
  ASSIGN_OR_RETURN(out.rows, f.U64Or("rows", 0));
  ASSIGN_OR_RETURN(out.already_present, f.U64Or("already_present", 0));
  ASSIGN_OR_RETURN(out.appended, f.U64Or("appended", 0));
  ASSIGN_OR_RETURN(out.size, f.U64Or("size", 0));
  if (f.Has("index")) {
    ASSIGN_OR_RETURN(out.statement, SubmittedOf(client, j, commit));
  }
  return out;
}

Result<RemoteDraft> DraftThroughNode(HttpClient& client, const std::string& csv,
                                     std::string_view file_name, std::string_view stage,
                                     std::string_view date, std::string_view number,
                                     const SigningKey& signer) {
  const std::string path =
      fmt::format("/jejak/v1/ba/draft?stage={}&date={}&number={}", PercentEncode(stage),
                  PercentEncode(date), PercentEncode(number));
  nlohmann::json j;
  ASSIGN_OR_RETURN(
      j, JsonOf(client,
                // Not sent twice: the node keeps each draft it makes.
                PostUpload(client, path, csv, file_name, signer, HttpClient::Idempotence::kNo),
                "the draft", path));
  const JsonFields f = AnswerFields(client, j, "/jejak/v1/ba/draft");
  RemoteDraft out;
  ASSIGN_OR_RETURN(out.berita_acara, f.Str("berita_acara"));
  ASSIGN_OR_RETURN(out.draft_id, f.StrOr("draft_id", ""));
  uint64_t expires = 0;
  ASSIGN_OR_RETURN(expires, f.U64Or("expires", 0));
  out.expires = static_cast<int64_t>(expires);
  if (f.Has("warnings")) {
    const nlohmann::json* warnings;
    ASSIGN_OR_RETURN(warnings, f.Array("warnings"));
    for (const auto& w : *warnings) {
      if (!w.is_string()) return f.Error("warnings", "expected an array of strings");
      out.warnings.push_back(w.get<std::string>());
    }
  }
  return out;
}

namespace {

std::string DraftPath(std::string_view id, std::string_view action) {
  return fmt::format("/jejak/v1/ba/drafts/{}/{}", PercentEncode(id), action);
}

// A request with no body on a pending draft, signed by `signer`: its answer.
Result<nlohmann::json> SignedDraftRequest(HttpClient& client, const std::string& path,
                                          const SigningKey& signer,
                                          HttpClient::Idempotence idempotence) {
  HttpHeaders headers = SignRequest("POST", client.base().prefix + path, "", signer, NowMillis());
  return JsonOf(client, client.Post(path, "", "application/json", headers, idempotence),
                "the draft", path);
}

}  // namespace

Result<std::string> ReadDraftThroughNode(HttpClient& client, std::string_view draft_id,
                                         const SigningKey& signer) {
  const std::string path = DraftPath(draft_id, "read");
  nlohmann::json j;
  ASSIGN_OR_RETURN(j, SignedDraftRequest(client, path, signer, HttpClient::Idempotence::kYes));
  return AnswerFields(client, j, path).Str("berita_acara");
}

Result<DraftStanding> SignDraftThroughNode(HttpClient& client, std::string_view draft_id,
                                           const PublicKey& key, const Signature& signature) {
  const std::string path = DraftPath(draft_id, "signatures");
  const std::string body =
      nlohmann::json({{"public_key", Base64Encode(key)}, {"signature", Base64Encode(signature)}})
          .dump();
  nlohmann::json j;
  ASSIGN_OR_RETURN(
      j, JsonOf(client, client.Post(path, body, "application/json"), "the signature", path));
  const JsonFields f = AnswerFields(client, j, path);
  DraftStanding out;
  ASSIGN_OR_RETURN(out.approvers, f.U64("approvers"));
  ASSIGN_OR_RETURN(out.threshold, f.U64("threshold"));
  return out;
}

Result<Submitted> SubmitDraftThroughNode(HttpClient& client, std::string_view draft_id,
                                         const SigningKey& signer) {
  const std::string path = DraftPath(draft_id, "submit");
  nlohmann::json j;
  ASSIGN_OR_RETURN(j, SignedDraftRequest(client, path, signer, HttpClient::Idempotence::kNo));
  return SubmittedOf(client, j, path);
}

Result<Submitted> SubmitBaThroughNode(HttpClient& client, const std::string& berita_acara,
                                      const SigningKey* signer) {
  const std::string path = "/jejak/v1/ba/submit";
  HttpHeaders headers;
  if (signer != nullptr) {
    headers = SignRequest("POST", client.base().prefix + path, berita_acara, *signer, NowMillis());
  }
  nlohmann::json j;
  ASSIGN_OR_RETURN(j, JsonOf(client, client.Post(path, berita_acara, "application/json", headers),
                             "the berita acara", path));
  return SubmittedOf(client, j, path);
}

Result<std::string> ProofThroughNode(HttpClient& client, const std::string& path_and_query) {
  HttpResult r;
  ASSIGN_OR_RETURN(r, client.Get(path_and_query));
  if (r.status != 200) return RefusalStatus(r, "the proof");
  return r.body;
}

Result<std::string> OwnCheckpoint(HttpClient& client) {
  RemoteStatus status;
  ASSIGN_OR_RETURN(status, FetchStatus(client));
  for (const auto& l : status.logs) {
    if (!l.own) continue;
    HttpResult r;
    ASSIGN_OR_RETURN(r, client.Get(LogPath(l.origin) + "/checkpoint"));
    if (r.status != 200) return RefusalStatus(r, "the checkpoint");
    return r.body;
  }
  return NotFound(client.base().ToString() + " lists no log of its own");
}

}  // namespace jejak
