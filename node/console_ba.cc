// The console's berita acara (specs/node-api.md "Console"): the pkh.approval
// statements of the kabupaten logs this node holds, each with its number,
// date, stage, rows, signers and their roles, and whether it has the
// authority it needs (the threshold of approvers at the governance size it
// records: CheckLogStatement, the audit's own rule); one opens to its totals
// per lembaga bayar, its rows and its PDF (documents/berita_acara_pdf.h).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/files.h"
#include "documents/berita_acara_pdf.h"
#include "ledger/log/log_source.h"
#include "ledger/log/proof_json.h"
#include "ledger/pkh/berita_acara_log.h"
#include "ledger/pkh/join_rows.h"
#include "ledger/pkh/statement_rules.h"
#include "node/internal/console.h"
#include "node/internal/context.h"
#include "node/log_status.h"

namespace jejak {
namespace {

constexpr size_t kMaxListed = 500;
constexpr size_t kMaxRowsPage = 1000;
struct HeldBa {
  std::string origin, region, office;
  uint64_t leaf = 0;
  Statement statement;
};

// Every pkh.approval statement of the kabupaten logs held: the node's index
// of statements names them (it keeps every statement of every log it holds,
// by log and leaf), and each is read from its leaf for its header.
Result<std::vector<HeldBa>> ListHeld(NodeContext& ctx, const Governance& gov) {
  Store& store = ctx.folder->store();
  std::vector<LogInfo> logs;
  ASSIGN_OR_RETURN(logs, ListLogs(store));
  std::map<uint32_t, std::pair<const LogInfo*, const NodeRegistration*>> kabupaten;
  for (const LogInfo& info : logs) {
    const NodeRegistration* reg = gov.NodeByOrigin(info.origin, gov.size());
    if (reg != nullptr && reg->kind == NodeKind::kKabupaten) kabupaten[info.id] = {&info, reg};
  }
  std::vector<std::pair<uint32_t, uint64_t>> approvals;
  RETURN_IF_ERROR(ForEachStatementVerdict(store, [&](const StatementVerdict& v) {
    if (v.type == "pkh.approval" && kabupaten.count(v.log)) approvals.emplace_back(v.log, v.leaf);
    return Status::Ok();
  }));
  std::vector<HeldBa> out;
  for (const auto& [log, leaf] : approvals) {
    const auto& [info, reg] = kabupaten.at(log);
    LogReader reader(store, *info);
    ASSIGN_OR_RETURN(Bytes bytes, reader.Leaf(leaf));
    auto statement = DecodeStatementEntry(bytes);
    if (!statement.ok()) {
      return Corruption(fmt::format("{} leaf {}: the index names a statement the leaf is not",
                                    info->origin, leaf));
    }
    out.push_back(HeldBa{info->origin, reg->region, reg->name, leaf, std::move(*statement)});
  }
  return out;
}

nlohmann::json Verdict(const Governance& gov, const HeldBa& b) {
  const Status s = CheckLogStatement(gov, LogRole{b.origin}, b.statement);
  const uint64_t g = std::min(b.statement.header.governance_size, gov.size());
  return {{"authorized", s.ok()},
          {"reason", s.ok() ? "" : s.message()},
          {"threshold", gov.ApprovalThreshold(b.region, g)},
          {"signatures", b.statement.signatures.size()}};
}

nlohmann::json Signers(const BeritaAcara& ba, const Governance& gov) {
  const std::vector<std::string> roles = BeritaAcaraSignerRoles(ba, gov);
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < ba.signatures.size(); ++i) {
    out.push_back({{"key_name", ba.signatures[i].key_name},
                   {"public_key", Base64Encode(ba.signatures[i].public_key)},
                   {"signature", Base64Encode(ba.signatures[i].signature)},
                   {"roles", i < roles.size() ? roles[i] : ""}});
  }
  return out;
}

HttpResponse List(NodeContext& ctx, const Governance& gov, const HttpRequest& request) {
  const auto offset = QueryNumber(request, "offset", 0);
  const auto limit = QueryNumber(request, "limit", 100);
  if (!offset || !limit || *limit == 0 || *limit > kMaxListed) {
    return ConsoleError(400, fmt::format("offset is a number, limit 1-{}", kMaxListed),
                        fmt::format("offset berupa angka, limit 1-{}", kMaxListed));
  }
  auto held = ListHeld(ctx, gov);
  if (!held.ok()) {
    return ConsoleError(500, held.status().message(), held.status().message());
  }
  // Newest first: by date, then log and leaf.
  std::sort(held->begin(), held->end(), [](const HeldBa& a, const HeldBa& b) {
    const auto& x = a.statement.header;
    const auto& y = b.statement.header;
    return std::tie(y.document_date, a.origin, a.leaf) <
           std::tie(x.document_date, b.origin, b.leaf);
  });
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = *offset; i < held->size() && list.size() < *limit; ++i) {
    const HeldBa& b = (*held)[i];
    const StatementHeader& h = b.statement.header;
    list.push_back({{"origin", b.origin},
                    {"kabupaten", b.region},
                    {"office", b.office},
                    {"leaf", b.leaf},
                    {"number", h.document_number},
                    {"date", h.document_date},
                    {"stage", h.stage},
                    {"rows", h.record_count},
                    {"governance_size", h.governance_size},
                    {"verdict", Verdict(gov, b)}});
  }
  return ConsoleJson(200, {{"total", held->size()}, {"offset", *offset}, {"berita_acara", list}});
}

struct Found {
  LogInfo info;
  std::string note;  // the latest checkpoint
  uint64_t size = 0;
  HeldBa held;
  LoggedBeritaAcara logged;
};

Result<Found> FindOne(NodeContext& ctx, const Governance& gov, const HttpRequest& request) {
  const std::string origin = QueryValue(request.target, "origin").value_or("");
  const auto leaf = QueryNumber(request, "leaf", UINT64_MAX);
  if (origin.empty() || !leaf || *leaf == UINT64_MAX) {
    return InvalidArgument("origin= and leaf= name a berita acara");
  }
  std::vector<LogInfo> logs;
  ASSIGN_OR_RETURN(logs, ListLogs(ctx.folder->store()));
  auto it =
      std::find_if(logs.begin(), logs.end(), [&](const LogInfo& l) { return l.origin == origin; });
  const NodeRegistration* reg = gov.NodeByOrigin(origin, gov.size());
  if (it == logs.end() || reg == nullptr || reg->kind != NodeKind::kKabupaten) {
    return NotFound("this node holds no such kabupaten log");
  }
  Found f;
  f.info = *it;
  LogReader reader(ctx.folder->store(), f.info);
  ASSIGN_OR_RETURN(LatestHead head, ReadLatestHead(reader));
  f.note = head.text;
  f.size = head.checkpoint.size;
  if (*leaf >= f.size) return NotFound("no such leaf under the latest checkpoint");
  ASSIGN_OR_RETURN(Bytes bytes, reader.Leaf(*leaf));
  auto statement = DecodeStatementEntry(bytes);
  if (!statement.ok() || statement->header.type != "pkh.approval") {
    return NotFound("the leaf is not a berita acara's statement");
  }
  f.held = HeldBa{origin, reg->region, reg->name, *leaf, *statement};
  StoreLogSource source(ctx.folder->store(), f.info, origin);
  ASSIGN_OR_RETURN(f.logged,
                   FindLoggedBeritaAcara(source, f.size, statement->header.document_number, &gov));
  if (f.logged.index != *leaf) {
    // Two statements with one number: the first is the one `ba print`
    // shows; this one is shown as itself only in the list.
    return NotFound("an earlier berita acara of this log has the same number");
  }
  return f;
}

HttpResponse One(NodeContext& ctx, const Governance& gov, const HttpRequest& request) {
  auto found = FindOne(ctx, gov, request);
  if (!found.ok()) {
    return ConsoleRefusal(found.status());
  }
  const auto offset = QueryNumber(request, "rows_offset", 0);
  const auto limit = QueryNumber(request, "rows_limit", 100);
  if (!offset || !limit || *limit > kMaxRowsPage) {
    return ConsoleError(400, fmt::format("rows_offset is a number, rows_limit 0-{}", kMaxRowsPage),
                        fmt::format("rows_offset berupa angka, rows_limit 0-{}", kMaxRowsPage));
  }
  const BeritaAcara& ba = found->logged.ba;
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = *offset; i < ba.rows.size() && rows.size() < *limit; ++i) {
    const BeritaAcaraRow& row = ba.rows[i];
    rows.push_back({{"n", i},
                    {"kpm", HexEncode(row.kpm)},
                    {"lembaga_bayar", row.lembaga_bayar},
                    {"amount", row.amount}});
  }
  return ConsoleJson(200, {{"origin", found->held.origin},
                           {"kabupaten", ba.kabupaten},
                           {"office", found->held.office},
                           {"leaf", found->held.leaf},
                           {"number", ba.number},
                           {"date", ba.date},
                           {"stage", ba.stage},
                           {"governance_size", ba.governance_size},
                           {"rows_total", ba.rows.size()},
                           {"total_amount", ba.total_amount},
                           {"by_lembaga_bayar", LembagaTotalsJson(ba)},
                           {"signers", Signers(ba, gov)},
                           {"verdict", Verdict(gov, found->held)},
                           {"rows_offset", *offset},
                           {"rows", rows}});
}

HttpResponse Pdf(NodeContext& ctx, const Governance& gov, const HttpRequest& request) {
  auto found = FindOne(ctx, gov, request);
  if (!found.ok()) {
    return ConsoleRefusal(found.status());
  }
  const std::string lang = QueryValue(request.target, "lang").value_or("id");
  if (lang != "id" && lang != "en") return ConsoleError(400, "lang is id or en", "lang id atau en");
  LogReader reader(ctx.folder->store(), found->info);
  auto cosignatures = CosignatureLines(ctx.folder->store(), found->info.id, found->size);
  if (!cosignatures.ok())
    return ConsoleError(500, "cannot read cosignatures", "gagal membaca kosignatur");
  auto proof = BuildTlogProof(reader, found->note, *cosignatures, found->logged.index);
  if (!proof.ok()) return ConsoleError(500, proof.status().message(), proof.status().message());
  BeritaAcaraPrint doc;
  doc.roles = BeritaAcaraSignerRoles(found->logged.ba, gov);
  doc.office = found->held.office;
  doc.ba = found->logged.ba;
  doc.leaf_index = found->logged.index;
  doc.tlog_proof = FormatTlogProof(*proof);
  BeritaAcaraPdfOptions options;
  options.lang = lang == "id" ? Lang::kId : Lang::kEn;
  // The PDF writer writes a file: a private one in the node folder, read
  // back and removed.
  const std::string dir = ctx.folder->dir() + "/console-tmp";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string path = fmt::format("{}/ba-{}.pdf", dir, RandomToken().substr(0, 16));
  auto printed = WriteBeritaAcaraPdf(doc, options, path);
  auto data =
      printed.ok() ? ReadFile(path, size_t{256} << 20) : Result<std::string>(printed.status());
  std::filesystem::remove(path, ec);
  if (!data.ok()) return ConsoleError(500, data.status().message(), data.status().message());
  HttpResponse r;
  r.content_type = "application/pdf";
  r.cache_control = "no-store";
  r.body = std::move(*data);
  std::string name = found->logged.ba.number;
  std::replace_if(
      name.begin(), name.end(),
      [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '-'; }, '-');
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("attachment; filename=\"BA-{}-{}.pdf\"", name, lang));
  AddSecurityHeaders(r);
  return r;
}

}  // namespace

HttpResponse HandleConsoleBeritaAcara(NodeContext& ctx, const HttpRequest& request,
                                      std::string_view rest) {
  if (request.method != "GET" && request.method != "HEAD") {
    return ConsoleError(405, "only GET here", "hanya GET");
  }
  auto gov = ctx.Registry();
  if (!gov) {
    return ConsoleError(409, "this node holds no governance log yet",
                        "node ini belum memegang log tata kelola");
  }
  if (rest.empty()) return List(ctx, *gov, request);
  if (rest == "/one") return One(ctx, *gov, request);
  if (rest == "/pdf") return Pdf(ctx, *gov, request);
  return ConsoleError(404, "no such console endpoint", "tidak ada endpoint konsol ini");
}

}  // namespace jejak
