#include "node/gossip.h"

#include <algorithm>
#include <numeric>

#include "crypto/sha256.h"

namespace jejak {

bool KindFollows(NodeKind kind, std::string_view region, const NodeRegistration& author) {
  switch (kind) {
    case NodeKind::kKemensos:
    case NodeKind::kAuditor:
      return true;
    case NodeKind::kKabupaten:
      return author.kind == NodeKind::kLembagaBayar;
    case NodeKind::kLembagaBayar:
      return author.kind == NodeKind::kKabupaten;
    case NodeKind::kProvinsi:
      return author.region.starts_with(region);
  }
  return false;
}

std::vector<GossipPeer> PlanGossip(const NodeConfig& me, const Governance* gov,
                                   const std::vector<std::string>& configured,
                                   std::string_view own_url) {
  std::vector<GossipPeer> out;
  std::vector<const NodeRegistration*> nodes;
  if (gov) nodes = gov->Nodes(gov->size());
  const std::string gov_origin = me.governance ? me.governance->name : std::string();
  const NodeRegistration* self = nullptr;
  for (const NodeRegistration* n : nodes) {
    if (n->origin == me.origin) self = n;
  }
  // Whether this node follows `author`'s log, and whether `n` holds it.
  auto i_follow = [&](const NodeRegistration& author) {
    return author.origin == gov_origin || KindFollows(me.kind, me.region, author);
  };
  auto holds = [&](const NodeRegistration& n, const NodeRegistration& author) {
    if (author.origin == n.origin) return false;
    if (author.origin == gov_origin) return true;
    return n.kind && KindFollows(*n.kind, n.region, author);
  };
  for (const NodeRegistration* n : nodes) {
    if (n->url.empty() || n->origin == me.origin || n->url == own_url) continue;
    GossipPeer p;
    p.url = n->url;
    if (i_follow(*n)) p.authors = n->origin;
    if (self != nullptr) {
      p.witness = n->kind && (me.origin == gov_origin || KindFollows(*n->kind, n->region, *self));
    } else if (me.origin == gov_origin) {
      p.witness = true;
    }
    for (const NodeRegistration* a : nodes) {
      if (a->origin != me.origin && i_follow(*a) && holds(*n, *a)) p.holds.push_back(a->origin);
    }
    if (p.authors.empty() && !p.witness && p.holds.empty()) continue;
    out.push_back(std::move(p));
  }
  for (const std::string& url : configured) {
    if (url == own_url) continue;
    if (std::any_of(out.begin(), out.end(), [&](const GossipPeer& p) { return p.url == url; })) {
      continue;
    }
    // A registered node whose roles left it out (it holds nothing this node
    // follows) is still visited when configured: as a node of unknown kind.
    GossipPeer p;
    p.url = url;
    p.configured = true;
    out.push_back(std::move(p));
  }
  return out;
}

GossipSampler::GossipSampler(const std::vector<GossipPeer>& peers, std::string_view seed,
                             size_t per_round)
    : per_round_(std::max<size_t>(1, per_round)) {
  for (size_t i = 0; i < peers.size(); ++i) {
    if (!peers[i].holds.empty()) order_.push_back(i);
  }
  // The order: by SHA-256(seed || url), a permutation each node draws apart.
  std::vector<std::pair<Hash, size_t>> keyed;
  for (size_t i : order_) {
    std::string material(seed);
    material += '\n';
    material += peers[i].url;
    keyed.emplace_back(Sha256(AsBytes(material)), i);
  }
  std::sort(keyed.begin(), keyed.end());
  for (size_t k = 0; k < keyed.size(); ++k) order_[k] = keyed[k].second;
}

std::vector<size_t> GossipSampler::Sample(uint64_t round) const {
  std::vector<size_t> out;
  const size_t h = order_.size();
  if (h == 0) return out;
  const size_t n = std::min(per_round_, h);
  const uint64_t start = (round % RoundsToCoverAll()) * per_round_;
  for (size_t j = 0; j < n; ++j) out.push_back(order_[(start + j) % h]);
  return out;
}

uint64_t GossipSampler::RoundsToCoverAll() const {
  return std::max<uint64_t>(1, (order_.size() + per_round_ - 1) / per_round_);
}

std::vector<std::string> HoldsWindow(const std::vector<std::string>& holds, uint64_t visit,
                                     size_t max) {
  if (max == 0 || holds.size() <= max) return holds;
  const uint64_t windows = (holds.size() + max - 1) / max;
  const size_t first = static_cast<size_t>(visit % windows) * max;
  const size_t last = std::min(holds.size(), first + max);
  return {holds.begin() + static_cast<std::ptrdiff_t>(first),
          holds.begin() + static_cast<std::ptrdiff_t>(last)};
}

std::chrono::milliseconds NextVisitDelay(std::chrono::milliseconds interval, int failures,
                                         int idle_visits, int max_idle, double jitter) {
  int64_t factor = 1;
  if (failures > 0) {
    factor = int64_t{1} << std::min(failures, 5);
  } else if (idle_visits > 0) {
    factor = std::min<int64_t>(int64_t{1} << std::min(idle_visits, 20), std::max(1, max_idle));
  }
  jitter = std::clamp(jitter, 0.0, 1.0);
  const double spread = 0.75 + 0.5 * jitter;
  return std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(interval.count() * factor) * spread));
}

}  // namespace jejak
