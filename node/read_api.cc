// GET endpoints: every held log as C2SP tlog-tiles under /<origin>/, the list
// of logs, health and metrics.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "ledger/log/log.h"
#include "ledger/log/tile_folder.h"
#include "node/gzip.h"
#include "node/http_source.h"
#include "node/internal/context.h"
#include "node/remote.h"
#include "node/serve_config.h"

namespace jejak {
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

HttpResponse Binary(std::string body) {
  HttpResponse r;
  r.content_type = "application/octet-stream";
  r.cache_control = std::string(kImmutable);
  r.body = std::move(body);
  return r;
}

HttpResponse ServeCheckpoint(NodeContext& ctx, LogReader& reader) {
  auto latest = ReadLatestHead(reader);
  if (!latest.ok()) return TextResponse(404, "no checkpoint yet");
  auto lines = CosignatureLines(ctx.folder->store(), reader.info().id, latest->checkpoint.size);
  if (!lines.ok()) return TextResponse(500, "cannot read cosignatures");
  HttpResponse r;
  r.body = latest->text;
  for (const auto& line : *lines) r.body += line;
  r.cache_control = "no-cache";
  r.etag = EtagOf(r.body);
  return r;
}

HttpResponse ServeTile(NodeContext& ctx, LogReader& reader, const ParsedTilePath& p, uint64_t size,
                       bool gzip) {
  const TileId& t = p.tile;
  const LevelShape shape = TileLevelShape(size, p.entries ? 0 : t.level);
  const bool exists =
      t.index < shape.full || (t.index == shape.full && t.width <= shape.partial_width);
  if (!exists) return TextResponse(404, "no such tile at the latest checkpoint");
  if (p.entries) {
    const uint64_t first = t.index * kTileWidth;
    bool read_ok = true;
    auto read_bundle = [&] {
      std::string bundle;
      read_ok = reader
                    .ForEachLeaf(first, first + t.width,
                                 [&](uint64_t, ByteSpan leaf) {
                                   AppendBundleEntry(bundle, leaf);
                                   return Status::Ok();
                                 })
                    .ok();
      return bundle;
    };
    // tlog-tiles: bundles SHOULD be compressed at the HTTP layer. A full one
    // is compressed once and kept; a partial one grows, and goes as it is.
    if (gzip && t.width == kTileWidth) {
      auto compressed = ctx.compressed_bundles.Get(reader.info().id, t.index, [&] {
        std::string bundle = read_bundle();
        return read_ok ? GzipCompress(bundle, 1) : std::string();
      });
      if (!read_ok || compressed->empty()) return TextResponse(500, "cannot read entries");
      HttpResponse r = Binary(*compressed);
      r.headers.emplace_back("Content-Encoding", "gzip");
      r.headers.emplace_back("Vary", "Accept-Encoding");
      return r;
    }
    std::string bundle = read_bundle();
    if (!read_ok) return TextResponse(500, "cannot read entries");
    return Binary(std::move(bundle));
  }
  auto bytes = reader.ReadTileBytes(t.level, t.index);
  if (!bytes.ok()) return TextResponse(500, "cannot read tile");
  const size_t want = size_t{t.width} * 32;
  if (!bytes->has_value() || (*bytes)->size() < want) return TextResponse(404, "no such tile");
  (*bytes)->resize(want);
  return Binary(std::move(**bytes));
}

HttpResponse ServeLog(NodeContext& ctx, const LogInfo& info, std::string_view rest, bool gzip) {
  LogReader reader(ctx.folder->store(), info);
  if (rest == "checkpoint") return ServeCheckpoint(ctx, reader);
  auto parsed = ParseTilePath(rest);
  if (!parsed.ok()) return TextResponse(404, "not a tile path");
  auto latest = ReadLatestHead(reader);
  if (!latest.ok()) return TextResponse(404, "no checkpoint yet");
  return ServeTile(ctx, reader, *parsed, latest->checkpoint.size, gzip);
}

}  // namespace

std::shared_ptr<const std::string> CompressedBundles::Get(
    uint32_t log, uint64_t index, const std::function<std::string()>& bundle) {
  const auto key = std::make_pair(log, index);
  {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      it->second.used = ++tick_;
      return it->second.body;
    }
  }
  // Compressed outside the lock: two first requests may both compress.
  auto body = std::make_shared<const std::string>(bundle());
  if (body->empty()) return body;
  std::lock_guard lock(mu_);
  auto [it, fresh] = entries_.try_emplace(key, Entry{body, ++tick_});
  if (!fresh) return it->second.body;
  bytes_ += body->size();
  while (bytes_ > max_bytes_ && entries_.size() > 1) {
    auto oldest = std::min_element(
        entries_.begin(), entries_.end(),
        [](const auto& a, const auto& b) { return a.second.used < b.second.used; });
    bytes_ -= oldest->second.body->size();
    entries_.erase(oldest);
  }
  return body;
}

Result<LatestHead> ReadLatestHead(LogReader& reader) {
  LatestHead head;
  ASSIGN_OR_RETURN(head.text, reader.LatestCheckpoint());
  ASSIGN_OR_RETURN(head.note, ParseNote(head.text));
  ASSIGN_OR_RETURN(head.checkpoint, ParseCheckpointText(head.note.text));
  return head;
}

namespace {

// The latest timestamp among the cosignatures on a checkpoint: those its
// note carries and those kept beside it, read together as BuildTlogProof
// reads them.
std::optional<uint64_t> LatestCosignatureTime(const LatestHead& head,
                                              const std::vector<std::string>& kept) {
  std::string text = head.text;
  for (const auto& line : kept) text += line;
  const auto note = ParseNote(text);
  std::optional<uint64_t> latest;
  for (const auto& sig : note.ok() ? note->signatures : head.note.signatures) {
    const auto t = CosignatureTimestamp(sig);
    if (t && (!latest || *t > *latest)) latest = t;
  }
  return latest;
}

}  // namespace

Result<std::vector<LogStatus>> ListLogStatus(Store& store, std::string_view url_base,
                                             const std::vector<std::string>* only,
                                             bool witnessed_times) {
  std::vector<LogInfo> logs;
  ASSIGN_OR_RETURN(logs, ListLogs(store));
  std::vector<LogStatus> out;
  for (const auto& info : logs) {
    if (only && std::find(only->begin(), only->end(), info.origin) == only->end()) continue;
    LogReader reader(store, info);
    LogStatus s;
    s.origin = info.origin;
    s.own = info.own;
    if (!url_base.empty()) s.url = std::string(url_base) + LogPath(info.origin);
    auto latest = ReadLatestHead(reader);
    if (latest.ok()) {
      const Checkpoint& cp = latest->checkpoint;
      s.size = cp.size;
      s.root = Base64Encode(cp.root);
      std::vector<std::string> lines;
      ASSIGN_OR_RETURN(lines, CosignatureLines(store, info.id, cp.size));
      // A replica's checkpoint carries the cosignatures its author served.
      const size_t signatures = latest->note.signatures.size();
      s.cosignatures = lines.size() + (signatures > 1 ? signatures - 1 : 0);
      if (witnessed_times) s.witnessed_at = LatestCosignatureTime(*latest, lines);
    }
    ASSIGN_OR_RETURN(s.frozen, HasEvidence(store, info.id));
    out.push_back(std::move(s));
  }
  return out;
}

void ApplyWitnessPolicy(std::vector<LogStatus>& logs, const std::map<std::string, uint32_t>& policy,
                        const NodeConfig& me, const Governance* gov) {
  for (auto& s : logs) {
    std::optional<std::string_view> kind;
    if (s.origin == me.origin) {
      kind = NodeKindName(me.kind);
    } else if (const NodeRegistration* n = gov ? gov->NodeByOrigin(s.origin, gov->size()) : nullptr;
               n && n->kind) {
      kind = NodeKindName(*n->kind);
    }
    s.witnesses_wanted = WitnessesWanted(policy, kind);
  }
}

Result<std::vector<LogStatus>> CollectLogStatus(NodeContext& ctx, bool witnessed_times) {
  std::vector<LogStatus> out;
  ASSIGN_OR_RETURN(out, ListLogStatus(ctx.folder->store(), ctx.url, nullptr, witnessed_times));
  {
    auto gov = ctx.Registry();
    ApplyWitnessPolicy(out,
                       ctx.options.witness_policy.empty()
                           ? std::map<std::string, uint32_t>{{"default", kDefaultWitnesses}}
                           : ctx.options.witness_policy,
                       ctx.folder->config(), gov.get());
  }
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(ctx.heads_mu);
  for (auto& s : out) {
    if (s.own) continue;
    s.lag = 0;
    auto h = ctx.heads.find(s.origin);
    if (h != ctx.heads.end() && h->second.size > s.size) {
      s.lag = h->second.size - s.size;
      s.lag_seconds = std::chrono::duration<double>(now - h->second.since).count();
    }
  }
  return out;
}

std::string LogStatusJson(std::string_view node_origin, const std::vector<LogStatus>& logs) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : logs) {
    nlohmann::json e = {{"origin", s.origin}, {"own", s.own},   {"url", s.url},
                        {"size", s.size},     {"root", s.root}, {"cosignatures", s.cosignatures},
                        {"frozen", s.frozen}};
    if (s.witnesses_wanted) e["witnesses_wanted"] = *s.witnesses_wanted;
    if (s.own) {
      e["lag"] = 0;
    } else if (s.lag) {
      e["lag"] = *s.lag;
      e["lag_seconds"] = s.lag_seconds;
    } else {
      e["lag"] = nullptr;
    }
    list.push_back(std::move(e));
  }
  return nlohmann::json({{"node", node_origin}, {"logs", list}}).dump() + "\n";
}

HttpResponse HandleRead(NodeContext& ctx, const HttpRequest& request) {
  std::string_view target = request.target;
  target = target.substr(0, target.find('?'));
  if (target == "/healthz") return TextResponse(200, "ok");
  if (target == "/metrics") {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.cache_control = "no-store";
    if (const HttpServer* server = ctx.server.load()) {
      const HttpServerStats stats = server->stats();
      ctx.metrics.Set("jejak_http_connections", "class=\"peer\"",
                      static_cast<double>(stats.peer_connections));
      ctx.metrics.Set("jejak_http_connections", "class=\"anonymous\"",
                      static_cast<double>(stats.anonymous_connections));
      ctx.metrics.Set("jejak_http_refused_connections_total", "",
                      static_cast<double>(stats.refused_connections));
    }
    r.body = ctx.metrics.Render();
    return r;
  }
  if (target == "/jejak/v1/logs") {
    // ?origin=O (repeated): only those logs, and without the lag (which
    // changes with time): a follower's gossip, whose answer stays the same
    // until a checkpoint or cosignature changes, so that it is a 304.
    auto origins = QueryValues(request.target, "origin");
    if (!origins) return TextResponse(400, "an origin= value that is not validly percent-encoded");
    if (origins->size() > kMaxLogListOrigins) {
      return TextResponse(400, fmt::format("at most {} origin= values", kMaxLogListOrigins));
    }
    Result<std::vector<LogStatus>> logs =
        origins->empty() ? CollectLogStatus(ctx)
                         : ListLogStatus(ctx.folder->store(), ctx.url, &*origins);
    if (!logs.ok()) return TextResponse(500, "cannot list logs");
    HttpResponse r;
    r.content_type = "application/json";
    r.cache_control = "no-cache";
    r.body = LogStatusJson(ctx.folder->config().origin, *logs);
    r.etag = EtagOf(r.body);
    return r;
  }
  auto logs = ListLogs(ctx.folder->store());
  if (!logs.ok()) return TextResponse(500, "cannot list logs");
  const std::optional<LogRoute> route = RouteToLog(target, *logs);
  if (!route) return TextResponse(404, "no such log on this node");
  return ServeLog(ctx, *route->log, route->rest, request.accepts_gzip);
}

std::optional<LogRoute> RouteToLog(std::string_view path, const std::vector<LogInfo>& logs) {
  // /<origin>/checkpoint, /<origin>/tile/...: the longest origin that fits.
  const LogInfo* best = nullptr;
  for (const auto& info : logs) {
    const std::string prefix = LogPath(info.origin) + "/";
    if (path.starts_with(prefix) && (!best || info.origin.size() > best->origin.size())) {
      best = &info;
    }
  }
  if (best == nullptr) return std::nullopt;
  return LogRoute{best, path.substr(LogPath(best->origin).size() + 1)};
}

}  // namespace jejak
