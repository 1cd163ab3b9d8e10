#include <fmt/format.h>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/recovery.h"
#include "ledger/log/statement_log.h"
#include "node/event_log.h"
#include "node/internal/catch_up.h"
#include "node/recovery.h"

namespace jejak {

// A peer that does not answer at start delays it by this much, once (all
// peers are asked at once).
constexpr auto kStartRequestTimeout = std::chrono::seconds(3);

Status CatchUpAtStart(NodeContext& ctx) {
  std::optional<OwnLogHold> hold;
  ASSIGN_OR_RETURN(hold, LoadOwnLogHold(ctx.folder->store()));
  if (!hold) return Status::Ok();
  EventWarning("own log on hold (" + hold->reason + "): asking its peers before it signs anything");
  RecoveryOptions o;
  {
    std::lock_guard lock(ctx.registry_mu);
    o.peers = ctx.peer_urls;
  }
  o.connect = [&ctx](const std::string& url) -> Result<std::unique_ptr<HttpClient>> {
    Url parsed;
    ASSIGN_OR_RETURN(parsed, ParseUrl(url));
    HttpClientOptions options;
    ASSIGN_OR_RETURN(options.tls, ctx.ClientTlsPinnedTo(ctx.RegisteredKeyAt(url)));
    options.timeout = kStartRequestTimeout;
    return HttpClient::Create(parsed, std::move(options));
  };
  o.on_governance = [&ctx] {
    if (Status s = ctx.RefreshRegistry(); !s.ok()) EventWarning("registry: " + s.message());
  };
  o.say = [](std::string_view line) { EventInfo(line); };
  if (o.peers.empty()) return RefuseIfOwnLogHeld(ctx.folder->store());
  auto out = CatchUpOwnLog(*ctx.folder, o);
  if (!out.ok()) return out.status().WithContext("catching up with its peers");
  for (const auto& r : out->refused) EventWarning("catch-up: " + r);
  if (out->conflict) {
    EventError("catch-up: " + out->conflict->message + "; evidence in " + out->evidence_file);
    return FailedPrecondition(fmt::format(
        "{}: this node's peers hold two histories of its log, both signed by its key: {}. It "
        "signs nothing more; the evidence is in {} (jejak evidence --check FILE)",
        ctx.folder->dir(), out->conflict->message, out->evidence_file));
  }
  if (out->new_size > out->old_size) {
    EventInfo(fmt::format("caught up with its peers: own log from size {} to {}", out->old_size,
                          out->new_size));
  }
  if (out->answered == 0) {
    EventError(
        fmt::format("none of its {} peers answered: the own log stays on hold", o.peers.size()));
  } else if (!out->held) {
    EventInfo(fmt::format("own log confirmed by {} peers at size {}: hold released", out->answered,
                          out->new_size));
  }
  return RefuseIfOwnLogHeld(ctx.folder->store());
}

void HoldIfBehind(NodeContext& ctx, HttpClient& peer) {
  const LogInfo& own = ctx.folder->own_log();
  auto r = peer.Get("/witness/" + HexEncode(Sha256(AsBytes(own.origin))) + "/checkpoint");
  if (!r.ok() || r->status != 200) return;
  auto cp = OpenCheckpoint(r->body, own.key);
  if (!cp.ok()) return;
  std::lock_guard lock(ctx.write_mu);
  LogReader reader(ctx.folder->store(), own);
  auto size = reader.Size();
  if (!size.ok() || cp->checkpoint.size <= *size) return;
  auto held = LoadOwnLogHold(ctx.folder->store());
  if (!held.ok() || *held) return;
  OwnLogHold h;
  h.since_ms = NowMillis();
  h.reason = fmt::format(
      "the witness of {} cosigned size {} of its log, signed by its key, and it holds {}",
      peer.base().ToString(), cp->checkpoint.size, *size);
  h.target_size = cp->checkpoint.size;
  h.target_checkpoint = r->body;
  if (Status s = SaveOwnLogHold(ctx.folder->store(), h); !s.ok()) {
    EventError("cannot put the own log on hold: " + s.message());
    return;
  }
  EventError("own log on hold: " + h.reason +
             " (restored from an old copy?): it appends and signs nothing more; restart it to "
             "catch up from its peers");
}

}  // namespace jejak
