// Whom a node visits, and when (specs/node-api.md, "Following"): the authors
// of the logs it follows, a bounded rotating sample of the other nodes that
// hold them, and the witnesses of its own log. Pure: the follower
// (node/follower.cc) runs what these functions decide, and tests check them
// alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/pkh/governance.h"
#include "ledger/pkh/node_folder.h"

namespace jejak {

// Whether a node of `kind` in `region` follows the log of `author`
// (DESIGN.md §1): kemensos and auditor nodes every log; a kabupaten every
// lembaga bayar; a lembaga bayar every kabupaten; a provinsi every log of its
// region. The governance log, which every node follows, is not asked here.
bool KindFollows(NodeKind kind, std::string_view region, const NodeRegistration& author);

// One peer and what this node does with it.
struct GossipPeer {
  std::string url;
  // The origin of the log it authors, when this node follows that log: it
  // is polled for it (a slow backstop to its notifications).
  std::string authors;
  // Whether it follows this node's log: its witness is offered this node's
  // checkpoints as they grow (which notifies it).
  bool witness = false;
  // The logs this node follows that it holds as a replica (by its kind),
  // other than its own: what a sampled visit compares.
  std::vector<std::string> holds;
  // A --peer URL the registry does not list: its kind is unknown, so it is
  // polled for its whole list and offered this node's checkpoints.
  bool configured = false;
};

// Every peer worth visiting: the registry's nodes with a URL (not `me`, not
// `own_url`) that author a followed log, follow this node's log, or hold a
// followed log; then each configured URL. A configured URL the registry
// lists takes that node's roles. `gov` may be null (before the governance
// log is held): only the configured peers then.
std::vector<GossipPeer> PlanGossip(const NodeConfig& me, const Governance* gov,
                                   const std::vector<std::string>& configured,
                                   std::string_view own_url);

// The rotating sample: the holders (peers with a non-empty `holds`) in an
// order drawn from `seed` (the node's origin, so that nodes sample in
// different orders), `per_round` of them each round, so that every holder is
// visited once in every ceil(H / per_round) rounds.
class GossipSampler {
 public:
  GossipSampler(const std::vector<GossipPeer>& peers, std::string_view seed, size_t per_round);
  // The indices (into `peers`) of round `round`'s sample: min(per_round, H)
  // distinct holders.
  std::vector<size_t> Sample(uint64_t round) const;
  size_t holders() const { return order_.size(); }
  // Rounds within which every holder is visited: ceil(H / per_round).
  uint64_t RoundsToCoverAll() const;

 private:
  std::vector<size_t> order_;
  size_t per_round_;
};

// The logs to ask a sampled holder for on its `visit`-th sampled visit: all
// of `holds` when they fit in `max`, else the visit's window of `max` of
// them, the windows going round so that each log is asked every
// ceil(|holds| / max) visits.
std::vector<std::string> HoldsWindow(const std::vector<std::string>& holds, uint64_t visit,
                                     size_t max);

// When to visit a polled peer again. A peer that failed `failures` times in
// a row waits 2^failures intervals (at most 32); a healthy one waits one
// interval after a visit that brought something new and twice as long after
// each visit that brought nothing (`idle_visits`), up to `max_idle`
// intervals: the backstop of an idle federation. The wait is spread by
// `jitter` in [0, 1) to between 3/4 and 5/4 of itself, so that peers started
// together do not poll together.
std::chrono::milliseconds NextVisitDelay(std::chrono::milliseconds interval, int failures,
                                         int idle_visits, int max_idle, double jitter);

}  // namespace jejak
