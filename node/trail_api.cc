// GET /jejak/v1/trail?pseudonym=P[&stage=S][&as_of=D][&proofs=1]: a family's
// trail on this node (ledger/audit/trail.h), as JSON (specs/trail.md), for
// `jejak trail --node URL`. The family is named by its pseudonym only: the
// identifier, and the program key that maps it, stay with the client.
//
// Anyone who may read the node's logs may ask (the trail says what the logs
// a reader can fetch already say). A trail runs the audit rules for one
// family in each stage, so one is built at a time; another is answered 503.
#include <ctime>
#include <mutex>

#include <fmt/format.h>

#include "ledger/audit/trail.h"
#include "ledger/pkh/values.h"
#include "node/internal/context.h"
#include "node/log_status.h"

namespace jejak {

HttpResponse HandleTrail(NodeContext& ctx, const HttpRequest& request) {
  if (!ctx.pkh) {
    return TextResponse(409, "this node is not under governance: it holds no PKH records");
  }
  TrailOptions o;
  const auto pseudonym = QueryValue(request.target, "pseudonym");
  if (!pseudonym) return TextResponse(400, "pseudonym=P (32 lowercase hex digits) is required");
  auto kpm = ParsePseudonymHex(*pseudonym, "pseudonym");
  if (!kpm.ok()) return TextResponse(400, kpm.status().message());
  o.kpm = *kpm;
  o.stage = QueryValue(request.target, "stage").value_or("");
  o.as_of = QueryValue(request.target, "as_of")
                .value_or(FormatWib(static_cast<int64_t>(std::time(nullptr))));
  const std::string proofs = QueryValue(request.target, "proofs").value_or("0");
  if (proofs != "0" && proofs != "1") return TextResponse(400, "proofs is 0 or 1");
  o.proofs = proofs == "1";
  return TrailAnswer(ctx, std::move(o));
}

HttpResponse TrailAnswer(NodeContext& ctx, TrailOptions o) {
  // The node indexes what it stores as it stores it: nothing to catch up,
  // and the trail must not write beside the writers.
  o.catch_up = false;
  Store& store = ctx.folder->store();
  o.cosignatures = [&store](uint32_t log, uint64_t size) {
    return CosignatureLines(store, log, size);
  };

  static std::mutex one_at_a_time;
  std::unique_lock lock(one_at_a_time, std::try_to_lock);
  if (!lock.owns_lock()) {
    HttpResponse r = TextResponse(503, "this node is building another trail: ask again shortly");
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  auto trail = BuildTrail(*ctx.folder, o);
  if (!trail.ok()) {
    // 503 for an index a moment behind its log (a pull being stored).
    const StatusCode code = trail.status().code();
    const int status = code == StatusCode::kUnavailable  ? 503
                       : code == StatusCode::kCorruption ? 500  // this node's store, not the ask
                                                         : HttpStatusOf(trail.status());
    HttpResponse r = TextResponse(status, trail.status().message());
    if (r.status == 503) r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  HttpResponse r;
  r.content_type = "application/json";
  r.cache_control = "no-store";
  r.body = TrailJson(*trail);
  return r;
}

}  // namespace jejak
