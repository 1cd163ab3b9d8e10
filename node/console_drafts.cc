// The console's berita acara drafts (specs/node-api.md "Console"): the
// drafts pending on this kabupaten node, what an approver needs to review and
// sign one in the browser — the exact bytes a signature covers and every
// record leaf, so that the page shows the rows it hashes and checks their
// root against the header before signing — and the approver's signature,
// added once it verifies and its key holds the approver role. An operator
// submits a draft whose threshold is met, or withdraws it.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "ledger/log/entry.h"
#include "ledger/pkh/berita_acara.h"
#include "node/event_log.h"
#include "node/internal/console.h"
#include "node/internal/context.h"

namespace jejak {
namespace {

HttpResponse List(NodeContext& ctx, const ConsoleSession& session) {
  auto drafts = ctx.drafts->List(ConsoleNow());
  if (!drafts.ok()) return ConsoleRefusal(drafts.status());
  nlohmann::json list = nlohmann::json::array();
  for (const PendingDraft& d : *drafts) list.push_back(DraftJson(ctx, d));
  return ConsoleJson(200, {{"drafts", list},
                           {"may_sign", ConsoleRoleMay(session.role, ConsoleRole::kApprover)},
                           {"may_submit", ConsoleRoleMay(session.role, ConsoleRole::kOperator)}});
}

HttpResponse One(NodeContext& ctx, std::string_view id) {
  auto d = ctx.drafts->Get(id, ConsoleNow());
  if (!d.ok()) return ConsoleRefusal(d.status());
  auto leaves = BeritaAcaraRecordLeaves(d->ba);
  if (!leaves.ok()) return ConsoleRefusal(leaves.status());
  nlohmann::json j = DraftJson(ctx, *d);
  j["signing_bytes"] = Base64Encode(StatementSigningBytes(BeritaAcaraHeader(d->ba)));
  j["records_root"] = Base64Encode(d->ba.records_root);
  nlohmann::json records = nlohmann::json::array();
  for (const Bytes& leaf : *leaves) records.push_back(Base64Encode(leaf));
  j["records"] = std::move(records);
  return ConsoleJson(200, j);
}

}  // namespace

HttpResponse HandleConsoleDrafts(NodeContext& ctx, const HttpRequest& request,
                                 const ConsoleSession& session, std::string_view rest) {
  if (!ctx.drafts) {
    return ConsoleError(409, "this node keeps no berita acara drafts (not under governance)",
                        "node ini tidak menyimpan draf berita acara");
  }
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (rest.empty()) {
    if (!read) return ConsoleError(405, "only GET here", "hanya GET");
    return List(ctx, session);
  }
  rest.remove_prefix(1);  // "/"
  const size_t slash = rest.find('/');
  const std::string_view id = rest.substr(0, slash);
  const std::string_view action =
      slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (!ValidDraftId(id)) return ConsoleError(404, "no such draft", "draf tidak ada");
  if (action.empty()) {
    if (!read) return ConsoleError(405, "only GET here", "hanya GET");
    return One(ctx, id);
  }
  if (request.method != "POST") return ConsoleError(405, "only POST here", "hanya POST");
  if (action == "signatures") {
    if (!ConsoleRoleMay(session.role, ConsoleRole::kApprover)) {
      return ConsoleError(403, "only an approver's account may add a signature",
                          "hanya akun penyetuju yang dapat menambahkan tanda tangan");
    }
    auto sig = ParseDraftSignature(request.body);
    if (!sig.ok()) return ConsoleRefusal(sig.status());
    auto d = AddDraftSignature(ctx, id, sig->first, sig->second);
    if (!d.ok()) {
      ctx.metrics.Add("jejak_rejected_inputs_total", "reason=\"console_signature\"");
      EventWarning(fmt::format("console: {} sent a signature refused for draft {}: {}",
                               session.name, id, d.status().message()));
      return ConsoleRefusal(d.status());
    }
    EventInfo(fmt::format("console: {} added a signature by {} to draft {}", session.name,
                          KeyNameOf(ctx, sig->first), id));
    return ConsoleJson(200, DraftJson(ctx, *d));
  }
  if (!ConsoleRoleMay(session.role, ConsoleRole::kOperator)) {
    return ConsoleError(403, "only an operator's account may submit or withdraw a draft",
                        "hanya akun operator yang dapat mengajukan atau menarik draf");
  }
  if (action == "submit") {
    EventInfo(fmt::format("console: {} submits draft {}", session.name, id));
    return ConsoleAnswer(SubmitPendingDraft(ctx, id));
  }
  if (action == "withdraw") {
    if (Status s = ctx.drafts->Remove(id); !s.ok()) return ConsoleRefusal(s);
    EventInfo(fmt::format("console: {} withdrew draft {}", session.name, id));
    return ConsoleJson(200, {{"withdrawn", id}});
  }
  return ConsoleError(404, "no such draft action", "tindakan draf tidak ada");
}

}  // namespace jejak
