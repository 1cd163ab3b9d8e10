// The submit API: local clients and host-to-host systems append signed
// statements to the node's own log while it serves.
//
//   GET  /jejak/v1/statement-header?type=T   the header fields the node fills
//        -> {"origin","region","governance_size","timestamp_ms"}
//   POST /jejak/v1/statements                an entry bundle: the signed
//        statement leaf, then its record leaves
//        -> {"index","records","size","checkpoint"} once durable and checkpointed
//
// The node checks what an append on the folder checks: the statement is for
// this log, its record count and root match the records, its signatures
// verify, and (under governance) the signers hold the authority.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "ledger/log/entry.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/text_records.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/records.h"
#include "node/event_log.h"
#include "node/internal/context.h"

namespace jejak {

HttpResponse JsonAnswer(int status, const nlohmann::json& j) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.cache_control = "no-store";
  r.body = j.dump() + "\n";
  return r;
}

HttpResponse RefuseInput(NodeContext& ctx, int status, std::string_view reason, const Status& s) {
  ctx.metrics.Add("jejak_rejected_inputs_total", fmt::format("reason=\"{}\"", reason));
  // The reason only: a refusal's message may quote what was sent.
  EventInfo(fmt::format("refused an input ({}): HTTP {}", reason, status));
  return TextResponse(status, s.message());
}

HttpResponse AppendedDespite(NodeContext& ctx, uint64_t before, uint64_t after, uint64_t records,
                             const Status& error) {
  ctx.metrics.Add("jejak_appends_total", {}, static_cast<double>(after - before));
  EventWarning(
      fmt::format("appended at leaf {} (size {}), but then: {}", before, after, error.message()));
  ctx.WakeOwn();
  return JsonAnswer(
      200, {{"index", before},
            {"records", records},
            {"size", after},
            {"checkpoint", nullptr},
            {"warning", fmt::format("the statement was appended at leaf {}, but then: {}; the "
                                    "index and the checkpoint catch up at the next append or "
                                    "restart",
                                    before, error.message())}});
}

int HttpStatusOf(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kCorruption:
      return 400;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kResourceExhausted:
      return 507;  // Insufficient Storage
    default:
      return 500;
  }
}

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;  // "%" or "%X" at the end
    const int hi = HexDigit(s[i + 1]);
    const int lo = HexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

}  // namespace

std::optional<std::string> QueryValue(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return PercentDecode(pair.substr(name.size() + 1));
    }
    if (pair.size() == query.size()) break;
    query.remove_prefix(pair.size() + 1);
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> QueryValues(std::string_view target,
                                                    std::string_view name) {
  std::vector<std::string> out;
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      auto value = PercentDecode(pair.substr(name.size() + 1));
      if (!value) return std::nullopt;
      out.push_back(std::move(*value));
    }
    if (pair.size() == query.size()) break;
    query.remove_prefix(pair.size() + 1);
  }
  return out;
}

HttpResponse HandleStatementHeader(NodeContext& ctx, const HttpRequest& request) {
  const std::string type = QueryValue(request.target, "type").value_or("");
  if (Status s = ValidateStatementType(type); !s.ok()) return RefuseInput(ctx, 400, "malformed", s);
  // Read without the own log's write lock: a header never waits for an
  // import in progress (PkhNode::NewHeader reads what was published).
  StatementHeader h;
  if (ctx.pkh) {
    h = ctx.pkh->NewHeader(type);
  } else {
    h.origin = ctx.folder->config().origin;
    h.region = ctx.folder->config().region;
    h.timestamp_ms = NowMillis();
  }
  return JsonAnswer(200, {{"origin", h.origin},
                          {"region", h.region},
                          {"governance_size", h.governance_size},
                          {"timestamp_ms", h.timestamp_ms}});
}

HttpResponse HandleSubmit(NodeContext& ctx, const HttpRequest& request) {
  if (request.method != "POST") return TextResponse(405, "statements are submitted with POST");
  // The bundle: a statement leaf, then its records.
  std::vector<Bytes> leaves;
  Status decoded =
      DecodeEntryBundleAll(request.body, "the submitted bundle", [&](uint64_t, ByteSpan leaf) {
        leaves.emplace_back(leaf.begin(), leaf.end());
        return Status::Ok();
      });
  if (!decoded.ok()) return RefuseInput(ctx, 400, "malformed", decoded);
  if (leaves.empty()) return RefuseInput(ctx, 400, "malformed", InvalidArgument("empty bundle"));
  auto statement = DecodeStatementEntry(leaves.front());
  if (!statement.ok()) {
    return RefuseInput(ctx, 400, "malformed", statement.status().WithContext("entry 0"));
  }
  std::vector<Bytes> records(std::make_move_iterator(leaves.begin() + 1),
                             std::make_move_iterator(leaves.end()));
  std::vector<PkhRecord> pkh_records;
  for (size_t i = 0; i < records.size(); ++i) {
    auto r = DecodePkhRecord(records[i]);
    if (!r.ok()) {
      return RefuseInput(ctx, 400, "malformed",
                         r.status().WithContext(fmt::format("record {}", i)));
    }
    if (*r) pkh_records.push_back(std::move(**r));
  }
  if (!pkh_records.empty() && pkh_records.size() != records.size()) {
    return RefuseInput(ctx, 400, "malformed",
                       InvalidArgument("a statement mixes PKH records with other records"));
  }
  const size_t record_count = records.size();
  PreparedStatement prepared = PrepareStatement(statement->header, std::move(records));
  if (prepared.statement.header != statement->header) {
    return RefuseInput(
        ctx, 400, "malformed",
        InvalidArgument("the statement's record count or records root does not match "
                        "the records sent"));
  }
  prepared.statement = std::move(*statement);
  Result<AppendedStatement> appended = Internal("unset");
  uint64_t before = 0, after = 0;
  {
    std::lock_guard lock(ctx.write_mu);
    LogWriter& writer = ctx.pkh ? ctx.pkh->writer() : *ctx.own_writer;
    before = writer.size();
    appended = ctx.pkh ? ctx.pkh->Append(prepared, pkh_records)
                       : AppendStatement(*ctx.own_writer, prepared);
    after = writer.size();
  }
  if (!appended.ok() && after > before) {
    return AppendedDespite(ctx, before, after, record_count, appended.status());
  }
  if (!appended.ok()) {
    const int status = HttpStatusOf(appended.status());
    if (status == 500 || status == 507) {
      return TextResponse(status, "the append failed: " + appended.status().message());
    }
    return RefuseInput(ctx, status, status == 403 ? "unauthorized" : "refused_statement",
                       appended.status());
  }
  ctx.metrics.Add("jejak_appends_total", {}, static_cast<double>(1 + record_count));
  EventInfo(fmt::format("appended a statement at leaf {} with {} records; size {}", appended->index,
                        record_count, appended->size));
  // A kemensos node's own log is the governance log: what it registers takes
  // effect at once (the keys it trusts, the peers it visits), as after a
  // pull of the governance log on any other node.
  const NodeConfig& me = ctx.folder->config();
  if (me.governance && me.origin == me.governance->name) {
    if (Status s = ctx.RefreshRegistry(); !s.ok()) EventWarning("registry: " + s.message());
  }
  ctx.WakeOwn();  // offer the new checkpoint to the witnesses now
  return JsonAnswer(200, {{"index", appended->index},
                          {"records", record_count},
                          {"size", appended->size},
                          {"checkpoint", appended->checkpoint.Serialize()}});
}

}  // namespace jejak
