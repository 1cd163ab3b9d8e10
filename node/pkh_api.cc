// The PKH commands through a running node (specs/node-api.md, "PKH API"):
// imports of updates and receipts, berita acara drafts and submissions, and
// proofs, so that `jejak import|ba|prove --node URL` work while the node
// serves. The node holds the program key and the index; the official's role
// key never leaves the client.
//
//   POST /jejak/v1/import/KIND?phase=prepare   signed request, CSV body; KIND is updates,
//        receipts, bnba (with &list=ID&year=YYYY), verifications, complaints or
//        complaint-responses
//        -> {"rows","new","already_present","size","statement"}  (the unsigned statement, base64)
//   POST /jejak/v1/import/KIND?phase=commit    the same file, signed request,
//        the body: the statement signed by the client (one entry-bundle entry), then the file
//        -> {"rows","appended","already_present","index","size","checkpoint"}
//   POST /jejak/v1/ba/draft?stage=S&date=D&number=N          signed request, CSV body
//        -> {"berita_acara": file text, "warnings": [...]}
//   POST /jejak/v1/ba/submit                                 the berita acara file
//        -> {"index","records","size","checkpoint"}
//   GET  /jejak/v1/proof/inclusion?index=I[&size=N][&origin=O]
//   GET  /jejak/v1/proof/consistency?old=M[&new=N][&origin=O]
#include <fmt/format.h>

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/json_text.h"
#include "ledger/log/proof_json.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/import.h"
#include "node/event_log.h"
#include "node/http_source.h"
#include "node/internal/context.h"
#include "node/log_status.h"
#include "node/request_auth.h"

namespace jejak {
namespace {

// Where an uploaded file is named in messages: the client's file name if it
// sent a plain one, else "the uploaded file".
std::string UploadName(const HttpRequest& request) {
  const std::string_view name = request.JejakHeader("file");
  const bool plain = !name.empty() && name.size() <= 128 &&
                     name.find_first_not_of(
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789._-/ ") == std::string_view::npos;
  return plain ? std::string(name) : "the uploaded file";
}

HttpResponse Refused(NodeContext& ctx, const Status& s) {
  const int status = HttpStatusOf(s);
  // The node's own trouble (a full disk, a bug), not a refused input.
  if (status == 500 || status == 507) return TextResponse(status, s.message());
  const std::string_view reason = status == 403   ? "unauthorized"
                                  : status == 400 ? "malformed"
                                                  : "refused_statement";
  return RefuseInput(ctx, status, reason, s);
}

// What every PKH endpoint needs: a node under governance with a program key
// for uploads. 409 otherwise.
std::optional<HttpResponse> NeedsPkh(NodeContext& ctx, bool program_key) {
  if (!ctx.pkh) {
    return RefuseInput(ctx, 409, "refused_statement",
                       FailedPrecondition("this node is not under governance: no PKH records"));
  }
  if (program_key && !ctx.program_key) {
    return RefuseInput(ctx, 409, "refused_statement",
                       FailedPrecondition("this node holds no program key (jejak init "
                                          "--program-key): it cannot pseudonymize files"));
  }
  return std::nullopt;
}

// The role key that signed an upload; 403 for an unsigned or badly signed one.
Result<PublicKey> Uploader(const HttpRequest& request) {
  if (request.method != "POST") return InvalidArgument("uploads are sent with POST");
  return VerifyRequest(request, NowMillis());
}

nlohmann::json AppendedJson(const AppendedStatement& a, uint64_t records) {
  return {{"index", a.index},
          {"records", records},
          {"size", a.size},
          {"checkpoint", a.checkpoint.Serialize()}};
}

}  // namespace

std::optional<HttpResponse> CheckUploadHeader(NodeContext& ctx, const HttpRequest& header) {
  auto signer = RequestSigner(header, NowMillis());
  if (!signer.ok()) {
    return RefuseInput(ctx, 403, "unauthorized",
                       signer.status().WithContext("an upload larger than 1 MiB"));
  }
  if (*signer == ctx.key->public_key()) return std::nullopt;
  const NodeConfig& me = ctx.folder->config();
  if (auto gov = ctx.Registry()) {
    for (const KeyGrant* grant : gov->ActiveGrants(*signer, gov->size())) {
      const bool here = grant->role == Role::kPayer ? grant->institution == me.origin
                                                    : ScopeCovers(grant->scope, me.region);
      if (here) return std::nullopt;
    }
  }
  return RefuseInput(ctx, 403, "unauthorized",
                     PermissionDenied("an upload larger than 1 MiB must be signed by a key "
                                      "holding a role at this node"));
}

HttpResponse HandleImport(NodeContext& ctx, const HttpRequest& request, ImportFile kind) {
  if (auto refused = NeedsPkh(ctx, true)) return *refused;
  auto uploader = Uploader(request);
  if (!uploader.ok()) return Refused(ctx, uploader.status());
  BnbaList list;
  if (kind == ImportFile::kBnba) {
    const auto id = QueryValue(request.target, "list");
    const auto year = QueryValue(request.target, "year");
    if (!id || !year) return Refused(ctx, InvalidArgument("a target list needs list and year"));
    auto y = ParseDecimal(*year);
    if (!y.ok() || *y < 1900 || *y > 2999) {
      return Refused(ctx, InvalidArgument("year must be a programme year such as 2026"));
    }
    list.list_id = *id;
    list.year = static_cast<uint16_t>(*y);
  }
  const std::string phase = QueryValue(request.target, "phase").value_or("");
  ImportSigning signing;
  Statement presigned;
  size_t csv_offset = 0;  // where the CSV starts in the body
  if (phase == "prepare") {
    signing.prepare_for = *uploader;
  } else if (phase == "commit") {
    // The body: the signed statement as one entry of an entry bundle (a
    // big-endian 16-bit length, then its bytes), then the CSV file.
    const std::string_view body = request.body;
    if (body.size() < 2) {
      return Refused(ctx, InvalidArgument("a commit's body starts with the signed statement"));
    }
    const size_t n = static_cast<uint8_t>(body[0]) << 8 | static_cast<uint8_t>(body[1]);
    if (n == 0 || body.size() < 2 + n) {
      return Refused(ctx, InvalidArgument("the signed statement at the start of the commit's body "
                                          "is cut short"));
    }
    auto st = DecodeStatementEntry(AsBytes(body.substr(2, n)));
    if (!st.ok()) return Refused(ctx, st.status().WithContext("the signed statement"));
    csv_offset = 2 + n;
    presigned = std::move(*st);
    if (Status s = VerifyStatementSignatures(presigned); !s.ok()) return Refused(ctx, s);
    if (presigned.signatures.size() != 1 || presigned.signatures[0].public_key != *uploader) {
      return Refused(ctx, PermissionDenied("the statement must be signed by the key that signs "
                                           "the request, and by it alone"));
    }
    signing.presigned = &presigned;
  } else {
    return Refused(ctx, InvalidArgument("phase must be prepare or commit"));
  }
  CsvSource file = CsvSource::Received(request.body.substr(csv_offset), UploadName(request));
  Result<ImportReport> report = Internal("unset");
  uint64_t before = 0, size = 0;  // the own log's, before and after the import
  {
    std::lock_guard lock(ctx.write_mu);
    before = ctx.pkh->writer().size();
    report = ImportFileOf(*ctx.pkh, kind, std::move(file), &list, signing, *ctx.program_key);
    size = ctx.pkh->writer().size();
  }
  if (!report.ok() && size > before) {
    return AppendedDespite(ctx, before, size, size - before - 1, report.status());
  }
  if (!report.ok()) return Refused(ctx, report.status());
  nlohmann::json out = {
      {"rows", report->rows}, {"already_present", report->already_present}, {"size", size}};
  nlohmann::json warnings = report->warnings;
  if (report->more_warnings > 0) {
    warnings.push_back(fmt::format("and {} more rows like these", report->more_warnings));
  }
  out["warnings"] = std::move(warnings);
  if (signing.prepare_for) {
    out["new"] = report->appended;
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& [first, last] : report->new_lines) lines.push_back({first, last});
    out["new_lines"] = std::move(lines);
    out["statement"] = nullptr;
    if (report->prepared) {
      auto leaf = EncodeStatementEntry(Statement{*report->prepared, {}});
      if (!leaf.ok()) return Refused(ctx, leaf.status());
      out["statement"] = Base64Encode(*leaf);
    }
    return JsonAnswer(200, out);
  }
  out["appended"] = report->appended;
  if (report->statement) {
    out.update(AppendedJson(*report->statement, report->appended));
    ctx.metrics.Add("jejak_appends_total", {}, static_cast<double>(1 + report->appended));
    EventInfo(fmt::format("imported {} rows of {}: {} appended; size {}", report->rows,
                          ImportFileName(kind), report->appended, size));
    ctx.WakeOwn();
  }
  return JsonAnswer(200, out);
}

namespace {

// Who may draft a berita acara, read a pending draft or submit it: a key
// holding the operator or the approver role for the kabupaten.
Status HoldsDraftingRole(const Governance& gov, const PublicKey& key, std::string_view region) {
  if (gov.Holds(key, Role::kOperator, region, gov.size()) ||
      gov.Holds(key, Role::kApprover, region, gov.size())) {
    return Status::Ok();
  }
  return PermissionDenied(fmt::format(
      "the request's key holds neither the operator nor the approver role for region {} at "
      "governance size {}",
      region, gov.size()));
}

}  // namespace

HttpResponse HandleBaDraft(NodeContext& ctx, const HttpRequest& request) {
  if (auto refused = NeedsPkh(ctx, true)) return *refused;
  auto uploader = Uploader(request);
  if (!uploader.ok()) return Refused(ctx, uploader.status());
  const auto stage = QueryValue(request.target, "stage");
  const auto date = QueryValue(request.target, "date");
  const auto number = QueryValue(request.target, "number");
  if (!stage || !date || !number) {
    return Refused(ctx, InvalidArgument("a draft needs stage, date and number"));
  }
  Result<BeritaAcaraDraft> draft = Internal("unset");
  {
    std::lock_guard lock(ctx.write_mu);
    if (Status s = HoldsDraftingRole(ctx.pkh->gov(), *uploader, ctx.pkh->region()); !s.ok()) {
      return Refused(ctx, s);
    }
    draft = DraftBeritaAcara(*ctx.pkh, CsvSource::Received(request.body, UploadName(request)),
                             *stage, *date, *number, *ctx.program_key);
  }
  if (!draft.ok()) return Refused(ctx, draft.status());
  std::vector<std::string> warnings;
  for (const auto& w : draft->warnings) warnings.push_back(w.ToString());
  // Kept on the node, pending, so that approvers at other desks sign this
  // very document (the console, `jejak ba sign --node --draft`).
  auto kept = ctx.drafts->Keep(draft->ba, warnings, KeyNameOf(ctx, *uploader),
                               static_cast<int64_t>(std::time(nullptr)));
  if (!kept.ok()) return Refused(ctx, kept.status());
  EventInfo(fmt::format("kept berita acara draft {} ({} rows) for its approvers", kept->id,
                        draft->ba.rows.size()));
  return JsonAnswer(200, {{"berita_acara", EncodeBeritaAcara(draft->ba)},
                          {"warnings", warnings},
                          {"draft_id", kept->id},
                          {"expires", kept->expires}});
}

std::string KeyNameOf(NodeContext& ctx, const PublicKey& key) {
  auto gov = ctx.Registry();
  if (gov) {
    for (const KeyGrant* g : gov->ActiveGrants(key, gov->size())) {
      if (!g->key_name.empty()) return g->key_name;
    }
  }
  return Base64Encode(key);
}

nlohmann::json LembagaTotalsJson(const BeritaAcara& ba) {
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_lembaga;  // rows, amount
  for (const BeritaAcaraRow& row : ba.rows) {
    auto& t = by_lembaga[row.lembaga_bayar];
    t.first++;
    t.second += row.amount;
  }
  nlohmann::json totals = nlohmann::json::array();
  for (const auto& [lembaga, t] : by_lembaga) {
    totals.push_back({{"lembaga_bayar", lembaga}, {"rows", t.first}, {"amount", t.second}});
  }
  return totals;
}

nlohmann::json DraftJson(NodeContext& ctx, const PendingDraft& d) {
  auto gov = ctx.Registry();
  const std::string& region = ctx.pkh->region();
  const uint64_t g = gov ? gov->size() : 0;
  nlohmann::json signers = nlohmann::json::array();
  uint64_t approvers = 0;
  for (const BeritaAcaraSignature& s : d.ba.signatures) {
    const bool approver = gov && gov->Holds(s.public_key, Role::kApprover, region, g);
    approvers += approver ? 1 : 0;
    signers.push_back({{"key_name", s.key_name},
                       {"public_key", Base64Encode(s.public_key)},
                       {"signature", Base64Encode(s.signature)},
                       {"approver", approver}});
  }
  const uint64_t threshold = gov ? gov->ApprovalThreshold(region, g) : 0;
  return {{"id", d.id},
          {"created", d.created},
          {"expires", d.expires},
          {"created_by", d.created_by},
          {"number", d.ba.number},
          {"date", d.ba.date},
          {"stage", d.ba.stage},
          {"kabupaten", d.ba.kabupaten},
          {"origin", d.ba.origin},
          {"governance_size", d.ba.governance_size},
          {"rows", d.ba.rows.size()},
          {"total_amount", d.ba.total_amount},
          {"by_lembaga_bayar", LembagaTotalsJson(d.ba)},
          {"warnings", d.warnings},
          {"signers", signers},
          {"approvers", approvers},
          {"threshold", threshold},
          {"threshold_met", threshold > 0 && approvers >= threshold}};
}

void DropPendingCopies(NodeContext& ctx, const BeritaAcara& ba) {
  if (!ctx.drafts) return;
  auto drafts = ctx.drafts->List(static_cast<int64_t>(std::time(nullptr)));
  if (!drafts.ok()) return;
  for (const PendingDraft& d : *drafts) {
    if (d.ba.number != ba.number || d.ba.records_root != ba.records_root) continue;
    if (Status s = ctx.drafts->Remove(d.id); s.ok()) {
      EventInfo(
          fmt::format("draft {} is in the log (submitted as a file): no longer pending", d.id));
    }
  }
}

Result<PendingDraft> AddDraftSignature(NodeContext& ctx, std::string_view id, const PublicKey& key,
                                       const Signature& signature) {
  if (!ctx.drafts) return FailedPrecondition("this node keeps no berita acara drafts");
  auto gov = ctx.Registry();
  const std::string& region = ctx.pkh->region();
  if (!gov || !gov->Holds(key, Role::kApprover, region, gov->size())) {
    return PermissionDenied(
        fmt::format("key {} does not hold the approver role for region {} at governance size {}",
                    Base64Encode(key), region, gov ? gov->size() : 0));
  }
  return ctx.drafts->AddSignature(id, key, signature, KeyNameOf(ctx, key),
                                  static_cast<int64_t>(std::time(nullptr)));
}

HttpResponse AppendBeritaAcara(NodeContext& ctx, const BeritaAcara& ba, std::string_view what) {
  Result<AppendedStatement> appended = Internal("unset");
  uint64_t before = 0, after = 0;
  {
    std::lock_guard lock(ctx.write_mu);
    before = ctx.pkh->writer().size();
    appended = SubmitBeritaAcara(*ctx.pkh, ba);
    after = ctx.pkh->writer().size();
  }
  // In the log, whatever a later step said: its drafts are pending no more.
  if (after > before) DropPendingCopies(ctx, ba);
  if (!appended.ok() && after > before) {
    return AppendedDespite(ctx, before, after, ba.rows.size(), appended.status());
  }
  if (!appended.ok()) return Refused(ctx, appended.status());
  ctx.metrics.Add("jejak_appends_total", {}, static_cast<double>(1 + ba.rows.size()));
  EventInfo(fmt::format("appended {} at leaf {} with {} rows; size {}", what, appended->index,
                        ba.rows.size(), appended->size));
  ctx.WakeOwn();
  return JsonAnswer(200, AppendedJson(*appended, ba.rows.size()));
}

HttpResponse SubmitPendingDraft(NodeContext& ctx, std::string_view id) {
  if (!ctx.drafts) {
    return Refused(ctx, FailedPrecondition("this node keeps no berita acara drafts"));
  }
  auto d = ctx.drafts->Get(id, static_cast<int64_t>(std::time(nullptr)));
  if (!d.ok()) return Refused(ctx, d.status());
  return AppendBeritaAcara(ctx, d->ba, fmt::format("draft {} as a berita acara", id));
}

Result<std::pair<PublicKey, Signature>> ParseDraftSignature(std::string_view body) {
  ASSIGN_OR_RETURN(nlohmann::json doc,
                   ParseJsonDocument(body, "the signature", JsonLimits{4096, 2}));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(doc, "the signature"));
  std::string key_b64, sig_b64;
  ASSIGN_OR_RETURN(key_b64, f.Str("public_key"));
  ASSIGN_OR_RETURN(sig_b64, f.Str("signature"));
  auto key = Base64Decode(key_b64);
  auto sig = Base64Decode(sig_b64);
  if (!key.ok() || key->size() != 32 || !sig.ok() || sig->size() != 64) {
    return InvalidArgument("public_key is 32 bytes and signature 64, in base64");
  }
  std::pair<PublicKey, Signature> out{};
  std::copy(key->begin(), key->end(), out.first.begin());
  std::copy(sig->begin(), sig->end(), out.second.begin());
  return out;
}

HttpResponse HandleBaDraftAction(NodeContext& ctx, const HttpRequest& request, std::string_view id,
                                 std::string_view action) {
  if (auto refused = NeedsPkh(ctx, false)) return *refused;
  if (request.method != "POST") return TextResponse(405, "draft actions are sent with POST");
  if (action == "signatures") {
    // The signature itself says who signs: no request signature is asked.
    auto sig = ParseDraftSignature(request.body);
    if (!sig.ok()) return Refused(ctx, sig.status());
    auto d = AddDraftSignature(ctx, id, sig->first, sig->second);
    if (!d.ok()) return Refused(ctx, d.status());
    EventInfo(fmt::format("draft {}: a signature by {} added", id, KeyNameOf(ctx, sig->first)));
    return JsonAnswer(200, DraftJson(ctx, *d));
  }
  auto uploader = Uploader(request);
  if (!uploader.ok()) return Refused(ctx, uploader.status());
  if (auto gov = ctx.Registry(); !gov) {
    return Refused(ctx, FailedPrecondition("this node holds no governance log yet"));
  } else if (Status s = HoldsDraftingRole(*gov, *uploader, ctx.pkh->region()); !s.ok()) {
    return Refused(ctx, s);
  }
  if (action == "read") {
    auto d = ctx.drafts->Get(id, static_cast<int64_t>(std::time(nullptr)));
    if (!d.ok()) return Refused(ctx, d.status());
    nlohmann::json j = DraftJson(ctx, *d);
    j["berita_acara"] = EncodeBeritaAcara(d->ba);
    return JsonAnswer(200, j);
  }
  if (action == "submit") return SubmitPendingDraft(ctx, id);
  return TextResponse(404, "no such draft action (read, signatures, submit)");
}

HttpResponse HandleBaSubmit(NodeContext& ctx, const HttpRequest& request) {
  if (auto refused = NeedsPkh(ctx, false)) return *refused;
  if (request.method != "POST") return TextResponse(405, "a berita acara is submitted with POST");
  auto ba = DecodeBeritaAcara(request.body, "the submitted berita acara");
  if (!ba.ok()) return Refused(ctx, ba.status());
  return AppendBeritaAcara(ctx, *ba, "a berita acara");
}

namespace {

// GET /jejak/v1/proof/inclusion?format=tlog-proof: the C2SP tlog-proof of a
// leaf against the latest checkpoint, with every cosignature kept beside it
// and the leaf's bytes as its extra data.
HttpResponse TlogProofAnswer(NodeContext& ctx, LogReader& reader, const LatestHead& head,
                             uint64_t index, std::optional<uint64_t> size) {
  if (size && *size != head.checkpoint.size) {
    return TextResponse(400, fmt::format("a tlog-proof is against the latest checkpoint (size {}); "
                                         "leave size out",
                                         head.checkpoint.size));
  }
  auto lines = CosignatureLines(ctx.folder->store(), reader.info().id, head.checkpoint.size);
  if (!lines.ok()) return TextResponse(500, "cannot read cosignatures");
  auto proof = BuildTlogProof(reader, head.text, *lines, index);
  if (!proof.ok()) return TextResponse(HttpStatusOf(proof.status()), proof.status().message());
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  r.cache_control = "no-store";
  r.body = FormatTlogProof(*proof);
  return r;
}

}  // namespace

HttpResponse HandleProof(NodeContext& ctx, const HttpRequest& request) {
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  const std::string origin =
      QueryValue(request.target, "origin").value_or(ctx.folder->config().origin);
  auto info = FindLog(ctx.folder->store(), origin);
  if (!info.ok()) {
    // Named only when it is an origin this node could hold: never raw bytes.
    return TextResponse(404, ValidLogPath(origin) ? "this node holds no log " + origin
                                                  : std::string("this node holds no such log"));
  }
  LogReader reader(ctx.folder->store(), *info);
  auto head = ReadLatestHead(reader);
  if (!head.ok()) return TextResponse(404, "no checkpoint yet");
  auto number = [&](std::string_view name) -> Result<std::optional<uint64_t>> {
    auto v = QueryValue(request.target, name);
    if (!v) return std::optional<uint64_t>();
    auto n = ParseDecimal(*v);
    if (!n.ok()) return InvalidArgument(fmt::format("{} must be a decimal number", name));
    return std::optional<uint64_t>(*n);
  };
  const auto format = QueryValue(request.target, "format").value_or("json");
  if (format != "json" && format != "tlog-proof") {
    return TextResponse(400, "format is json (the default) or tlog-proof");
  }
  Result<std::string> json = Internal("unset");
  if (path == "/jejak/v1/proof/inclusion") {
    auto index = number("index");
    auto size = number("size");
    if (!index.ok() || !size.ok() || !*index) {
      return TextResponse(400, "index (and optionally size) must be decimal numbers");
    }
    if (format == "tlog-proof") return TlogProofAnswer(ctx, reader, *head, **index, *size);
    json = InclusionProofJson(reader, head->checkpoint.size, **index, *size);
  } else if (path == "/jejak/v1/proof/consistency") {
    auto old_size = number("old");
    auto new_size = number("new");
    if (!old_size.ok() || !new_size.ok() || !*old_size) {
      return TextResponse(400, "old (and optionally new) must be decimal numbers");
    }
    json = ConsistencyProofJson(reader, head->checkpoint.size, **old_size, *new_size);
  } else {
    return TextResponse(404, "no such proof");
  }
  if (!json.ok()) return TextResponse(HttpStatusOf(json.status()), json.status().message());
  HttpResponse r;
  r.content_type = "application/json";
  r.cache_control = "no-store";
  r.body = std::move(*json);
  return r;
}

}  // namespace jejak
