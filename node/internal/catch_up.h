// A node that may be behind its own log (ledger/log/recovery.h): `jejak serve`
// catches up at its start, before the own log is opened for signing, and the
// follower puts the log on hold when a peer shows it is behind (node/
// recovery.h). Internal to node/.
#pragma once

#include "crypto/status.h"
#include "node/http.h"
#include "node/internal/context.h"

namespace jejak {

// Without a hold: Ok at once (no peer is asked). With one (a restored
// backup, an unfinished recovery, a node found behind): asks the peers,
// catches up and releases it. FailedPrecondition, saying why and what to do,
// when the node is still held after that: behind and the peers that hold its
// latest leaves do not answer, or none answers to confirm a restored backup,
// or its peers hold two histories of its log (the evidence is written).
Status CatchUpAtStart(NodeContext& ctx);

// Called when a peer's witness says it cosigned more of the own log than the
// node holds: reads that checkpoint from the peer (GET /witness/...), and if
// the node's own key signed it, puts the own log on hold (no append or
// checkpoint until the next start catches up) and says so. A peer that
// claims it without such a checkpoint changes nothing.
void HoldIfBehind(NodeContext& ctx, HttpClient& peer);

}  // namespace jejak
