// The follower (specs/node-api.md, "Following"; node/gossip.h decides whom
// and when): it polls the authors of the logs this node follows for their
// latest checkpoints (GET /jejak/v1/logs?origin=..., conditional: a 304 when
// nothing changed), at once when an author's notification reaches the
// witness and otherwise as a slow backstop; each poll interval it asks a
// rotating sample of the other holders of those logs for theirs (the gossip
// that catches an author showing two histories); it pulls every followed log
// whose checkpoint differs from the replica's (PullLog: the verification of
// `jejak pull`, which also stores equivocation evidence), and offers the own
// log's checkpoint to the witnesses of the nodes that follow it as it grows
// (POST /add-checkpoint: their notification), keeping the cosignatures.
#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "ledger/pkh/pull.h"
#include "node/event_log.h"
#include "node/gossip.h"
#include "node/http_source.h"
#include "node/internal/catch_up.h"
#include "node/internal/context.h"
#include "node/remote.h"
#include "node/witness_request.h"

namespace jejak {
namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(10);

// One line per event (node/event_log.h): what went as it should, and what
// did not.
void Say(const std::string& line) { EventInfo(line); }
void Warn(const std::string& line) { EventWarning(line); }

// Workers visiting peers at once.
constexpr int kFollowerWorkers = 4;

std::string Reason(const Status& s) {
  switch (s.code()) {
    case StatusCode::kPermissionDenied:
      return "bad_signature";
    case StatusCode::kCorruption:
      return "corrupt_data";
    case StatusCode::kFailedPrecondition:
      return "inconsistent";
    case StatusCode::kUnavailable:
      return "unavailable";
    default:
      return "other";
  }
}

// Whether this node follows `origin`'s log (node/gossip.h KindFollows,
// given the author's registration; the governance log always).
bool Follows(const NodeContext& ctx, const Governance* gov, const std::string& origin) {
  const NodeConfig& me = ctx.folder->config();
  if (me.governance && origin == me.governance->name) return true;
  if (me.kind == NodeKind::kKemensos || me.kind == NodeKind::kAuditor) return true;
  if (gov == nullptr) return false;
  const NodeRegistration* author = gov->NodeByOrigin(origin, gov->size());
  return author != nullptr && KindFollows(me.kind, me.region, *author);
}

// The most a polled peer's wait grows to while idle, in poll intervals: the
// backstop behind the authors' notifications.
constexpr int kMaxIdleIntervals = 16;
// Holders sampled each gossip round of two poll intervals (node/gossip.h
// GossipSampler): at 600 nodes a holder comes round again only after its
// kept-alive connection has closed, so each sample costs a TLS handshake at
// both ends; one a poll interval on average keeps an idle node's cost flat.
constexpr size_t kSamplePerRound = 2;
constexpr int kIntervalsPerRound = 2;

// What the follower keeps of a peer. `plan`, `due`, `busy`, `woken`,
// `sample_due`, `failures` and `idle` are guarded by the context's wake_mu;
// the rest belongs to the worker visiting it.
struct PeerState {
  GossipPeer plan;
  std::unique_ptr<HttpClient> client;
  std::optional<PublicKey> pinned;       // the registered key the client is pinned to, if any
  std::optional<uint64_t> witness_size;  // the size its witness last cosigned of our log
  std::string etag;                      // of the last list it served for `asked`
  std::vector<std::string> asked;        // the origins of that request
  uint64_t sample_visits = 0;            // sampled visits so far (the window of its holds)
  int failures = 0;                      // consecutive; the next visit waits 2^failures intervals
  int idle = 0;                          // consecutive visits that brought nothing new
  std::chrono::steady_clock::time_point due = std::chrono::steady_clock::time_point::max();
  bool busy = false;        // a worker is visiting it
  bool woken = false;       // woken while busy: due again as soon as the visit ends
  bool sample_due = false;  // drawn into this round's sample: compare its holds
  // Its witness has not cosigned the own log's latest checkpoint (it did
  // not know the log yet, or failed): offered again after a while.
  bool offer_pending = false;
  bool polled() const { return !plan.authors.empty() || plan.configured; }
  bool offers() const { return plan.witness || plan.configured; }
};

// One visit to one peer: its list of logs, the pulls, the offer of our
// checkpoint to its witness. Runs on a worker, beside visits to other peers.
class PeerVisit {
 public:
  explicit PeerVisit(NodeContext& ctx) : ctx_(ctx) {}

  // `sample`: compare a window of the logs it holds (it was drawn into the
  // round's sample). Whether the visit brought anything new goes to `news`.
  Status Visit(const std::string& url, PeerState& peer, bool sample, bool& news) {
    // Each peer URL the registry lists is pinned to the key it gives that
    // node: another registered node's certificate at that URL is refused.
    const std::optional<PublicKey> pinned = ctx_.RegisteredKeyAt(url);
    if (!peer.client || pinned != peer.pinned) {
      Url parsed;
      ASSIGN_OR_RETURN(parsed, ParseUrl(url));
      HttpClientOptions o;
      ASSIGN_OR_RETURN(o.tls, ctx_.ClientTlsPinnedTo(pinned));
      o.timeout = kRequestTimeout;
      ASSIGN_OR_RETURN(peer.client, HttpClient::Create(parsed, std::move(o)));
      peer.pinned = pinned;
    }
    // What to ask it for: the log it authors, a window of what it holds
    // when sampled, everything when its kind is unknown.
    std::vector<std::string> origins;
    if (!peer.plan.authors.empty()) origins.push_back(peer.plan.authors);
    if (sample) {
      for (auto& o : HoldsWindow(peer.plan.holds, peer.sample_visits++,
                                 kMaxLogListOrigins - origins.size())) {
        if (std::find(origins.begin(), origins.end(), o) == origins.end()) {
          origins.push_back(std::move(o));
        }
      }
    }
    if (!origins.empty() || peer.plan.configured) {
      RETURN_IF_ERROR(FollowLogs(*peer.client, peer, origins, news));
    }
    if (!peer.offers()) return Status::Ok();
    return OfferCheckpoint(*peer.client, peer, news);
  }

 private:
  // Gossip: the peer's latest checkpoints of `origins` (its whole list when
  // empty); pulls what differs.
  Status FollowLogs(HttpClient& client, PeerState& peer, const std::vector<std::string>& origins,
                    bool& news) {
    if (origins != peer.asked) {
      peer.asked = origins;
      peer.etag.clear();
    }
    Result<std::optional<RemoteStatus>> fetched = FetchStatusIfChanged(client, origins, peer.etag);
    if (!fetched.ok()) {
      // A list that does not parse is a refused input like a bad tile, and
      // counted as one (an unreachable peer is not).
      if (fetched.status().code() == StatusCode::kCorruption) {
        ctx_.metrics.Add("jejak_rejected_inputs_total",
                         fmt::format("reason=\"{}\"", Reason(fetched.status())));
      }
      peer.etag.clear();
      return fetched.status();
    }
    if (!fetched->has_value()) return Status::Ok();  // 304: nothing changed
    news = true;
    RemoteStatus status = std::move(**fetched);
    for (const auto& o : PullOrder(std::move(status.logs), ctx_.folder->config())) {
      // A peer answers only what was asked (or, unknown, its whole list).
      if (!origins.empty() &&
          std::find(origins.begin(), origins.end(), o.origin) == origins.end()) {
        continue;
      }
      auto gov = ctx_.Registry();  // again for each: a governance pull refreshes it
      if (!Follows(ctx_, gov.get(), o.origin)) continue;
      auto held = Held(o.origin);
      NoteHead(o.origin, o.size, held ? held->size : 0);
      if (held && held->size == o.size && held->root == o.root) {
        if (o.cosignatures > held->cosignatures) KeepReplicaCosignatures(client, o.origin);
        continue;
      }
      // A peer behind us has nothing to give, unless the root it offers is
      // not the replica's at that size: then it holds another history, and
      // the pull records the evidence (a check of our own tree, no request).
      if (held && held->size > o.size && !RootDiffersAt(o.origin, o.size, o.root)) continue;
      // A frozen replica refuses every pull: fetching the peer's checkpoint
      // again each round only counted a new "inconsistent" input per poll.
      if (held && Frozen(o.origin)) continue;
      // A peer that times out or cannot be reached is failing: it is backed
      // off, and its other logs wait for the next visit.
      if (Status s = Pull(client, o.origin); s.code() == StatusCode::kUnavailable) {
        // The list is asked for again in full next time: what it offered
        // was not all taken.
        peer.etag.clear();
        return s;
      }
    }
    return Status::Ok();
  }

  // Records that a peer offers `origin` at `size` while this node holds `have`.
  void NoteHead(const std::string& origin, uint64_t size, uint64_t have) {
    std::lock_guard lock(ctx_.heads_mu);
    auto& h = ctx_.heads[origin];
    if (size > h.size) {
      if (h.size <= have) h.since = std::chrono::steady_clock::now();
      h.size = size;
    }
  }

  // The replica's latest checkpoint: size, base64 root, cosignatures (as
  // the status counts them).
  struct HeldHead {
    uint64_t size = 0;
    std::string root;  // base64
    uint64_t cosignatures = 0;
  };
  std::optional<HeldHead> Held(const std::string& origin) {
    auto info = FindLog(ctx_.folder->store(), origin);
    if (!info.ok()) return std::nullopt;
    LogReader reader(ctx_.folder->store(), *info);
    auto head = ReadLatestHead(reader);
    if (!head.ok()) return std::nullopt;
    auto kept = CosignatureLines(ctx_.folder->store(), info->id, head->checkpoint.size);
    const size_t in_note = head->note.signatures.size();
    return HeldHead{head->checkpoint.size, Base64Encode(head->checkpoint.root),
                    (kept.ok() ? kept->size() : 0) + (in_note > 1 ? in_note - 1 : 0)};
  }

  // The replica is at the peer's checkpoint, which shows more cosignatures:
  // the author gathered more since this node pulled. Keeps those that verify
  // against the registry and are not already in the stored note, so that the
  // replica serves the checkpoint with every witness its author has.
  void KeepReplicaCosignatures(HttpClient& client, const std::string& origin) {
    auto info = FindLog(ctx_.folder->store(), origin);
    if (!info.ok() || info->own) return;
    LogReader reader(ctx_.folder->store(), *info);
    auto head = ReadLatestHead(reader);
    if (!head.ok()) return;
    auto r = client.Get(LogPath(origin) + "/checkpoint");
    if (!r.ok() || r->status != 200) return;
    auto note = ParseNote(r->body);
    // The same signed checkpoint, or nothing to take from it.
    if (!note.ok() || note->text != head->note.text) return;
    for (const auto& sig : note->signatures) {
      if (head->text.find(sig.Line()) != std::string::npos) continue;
      auto cosigner = ctx_.CosignerOf(sig);
      if (!cosigner || cosigner->name == origin) continue;
      if (!VerifyCosignature(note->text, sig, *cosigner).ok()) {
        ctx_.metrics.Add("jejak_rejected_inputs_total", "reason=\"bad_cosignature\"");
        continue;
      }
      auto log_lock = ctx_.LogLock(origin);
      std::lock_guard lock(*log_lock);
      if (!StoreCosignature(ctx_.folder->store(), info->id, head->checkpoint.size, sig).ok())
        return;
    }
  }

  // Whether the replica of `origin` has another root than `root` (base64)
  // at `size`. False when that cannot be read.
  bool RootDiffersAt(const std::string& origin, uint64_t size, const std::string& root) {
    auto info = FindLog(ctx_.folder->store(), origin);
    if (!info.ok()) return false;
    LogReader reader(ctx_.folder->store(), *info);
    auto mine = reader.Root(size);
    return mine.ok() && Base64Encode(*mine) != root;
  }

  // Whether the replica of `origin` is frozen by equivocation evidence.
  bool Frozen(const std::string& origin) {
    auto info = FindLog(ctx_.folder->store(), origin);
    if (!info.ok()) return false;
    auto frozen = HasEvidence(ctx_.folder->store(), info->id);
    return frozen.ok() && *frozen;
  }

  // Pulls one log from the peer; the error of a refused pull, which is
  // counted and said here.
  Status Pull(HttpClient& client, const std::string& origin) {
    HttpLogSource source(client, LogPath(origin));
    bool was_frozen = false;
    Result<PullReport> report = [&] {
      auto log_lock = ctx_.LogLock(origin);
      std::lock_guard per_log(*log_lock);
      std::unique_lock registering(ctx_.register_mu, std::defer_lock);
      if (!FindLog(ctx_.folder->store(), origin).ok()) registering.lock();
      was_frozen = Frozen(origin);
      return PullLog(*ctx_.folder, source);
    }();
    if (!report.ok()) {
      ctx_.metrics.Add("jejak_rejected_inputs_total",
                       fmt::format("reason=\"{}\"", Reason(report.status())));
      // PullLog stores the evidence of an equivocation it meets; count it as
      // the witness counts the evidence it keeps (it was counted nowhere).
      if (!was_frozen && Frozen(origin)) {
        ctx_.metrics.Add("jejak_equivocations_total", OriginLabel(origin));
      }
      Warn(fmt::format("pull {} from {}: {}", origin, client.base().ToString(),
                       report.status().message()));
      return report.status();
    }
    if (report->source_behind) {
      // Pulled because its list offered at least the held size, the peer
      // served an older checkpoint: nothing is rewound, but it is counted.
      ctx_.metrics.Add("jejak_rejected_inputs_total", "reason=\"rewinding_checkpoint\"");
      Warn(fmt::format("pull {} from {}: its checkpoint (size {}) is behind the replica (size {})",
                       origin, client.base().ToString(), report->source_size, report->old_size));
      return Status::Ok();
    }
    if (report->new_size > report->old_size) {
      ctx_.metrics.Add("jejak_replicated_entries_total", OriginLabel(origin),
                       static_cast<double>(report->new_size - report->old_size));
      Say(fmt::format("replicated {} to size {} from {}", origin, report->new_size,
                      client.base().ToString()));
      // The author may have offered this node's witness another history than
      // the one it serves: what was cosigned must be in what was pulled.
      if (CheckReplicaAgainstWitness(ctx_, origin)) {
        EventError(
            fmt::format("{}: the replica contradicts the checkpoint this node's witness "
                        "cosigned; the evidence is kept and the replica frozen",
                        origin));
      }
    }
    const NodeConfig& me = ctx_.folder->config();
    if (me.governance && origin == me.governance->name) {
      if (Status s = ctx_.RefreshRegistry(); !s.ok()) Warn("registry: " + s.message());
      if (ctx_.pkh) {
        std::lock_guard lock(ctx_.write_mu);
        if (Status s = ctx_.pkh->ReloadGovernance(); !s.ok()) Warn("governance: " + s.message());
      }
    }
    return Status::Ok();
  }

  // Offers the own log's latest checkpoint to the peer's witness.
  Status OfferCheckpoint(HttpClient& client, PeerState& peer, bool& news) {
    LogReader reader(ctx_.folder->store(), ctx_.folder->own_log());
    LatestHead head;
    ASSIGN_OR_RETURN(head, ReadLatestHead(reader));
    const Checkpoint& cp = head.checkpoint;
    peer.offer_pending = cp.size > 0 && peer.witness_size != cp.size;
    if (!peer.offer_pending) return Status::Ok();
    for (int attempt = 0; attempt < 2; ++attempt) {
      AddCheckpointRequest req;
      req.old_size = peer.witness_size.value_or(0);
      if (req.old_size > cp.size) {
        HoldIfBehind(ctx_, client);
        return FailedPrecondition(fmt::format(
            "its witness cosigned size {} of our log, beyond our size {}", req.old_size, cp.size));
      }
      if (req.old_size > 0 && req.old_size < cp.size) {
        ASSIGN_OR_RETURN(req.proof, reader.ConsistencyProof(req.old_size, cp.size));
      }
      req.checkpoint = head.text;
      HttpResult r;
      // Offering the same checkpoint twice is harmless (the witness answers
      // 409 with its size, or cosigns it again).
      ASSIGN_OR_RETURN(r,
                       client.Post("/add-checkpoint", FormatAddCheckpointRequest(req),
                                   "text/plain; charset=utf-8", {}, HttpClient::Idempotence::kYes));
      if (r.status == 409 && r.content_type.starts_with(kTlogSizeContentType)) {
        // The size the witness knows: what it cosigned, or the size of its
        // verified replica of our log (which it has not cosigned). Either
        // way ask again from there; at our own size that is with an empty
        // proof, and it cosigns what it holds.
        ASSIGN_OR_RETURN(peer.witness_size, ParseTlogSize(r.body));
        continue;
      }
      if (r.status == 404) return Status::Ok();  // a witness that does not know us (yet)
      if (r.status != 200) {
        return Unavailable(fmt::format("add-checkpoint: HTTP {}: {}", r.status, r.body));
      }
      peer.witness_size = cp.size;
      peer.offer_pending = false;
      news = true;
      return KeepCosignatures(head.note, cp.size, r.body);
    }
    return Status::Ok();
  }

  Status KeepCosignatures(const Note& note, uint64_t size, const std::string& body) {
    auto parsed = ParseNote(note.text + "\n" + body);
    if (!parsed.ok()) return Corruption("add-checkpoint answer: " + parsed.status().message());
    for (const auto& sig : parsed->signatures) {
      auto cosigner = ctx_.CosignerOf(sig);
      if (!cosigner) continue;
      if (!VerifyCosignature(note.text, sig, *cosigner).ok()) {
        ctx_.metrics.Add("jejak_rejected_inputs_total", "reason=\"bad_cosignature\"");
        continue;
      }
      std::lock_guard lock(ctx_.write_mu);
      RETURN_IF_ERROR(StoreCosignature(ctx_.folder->store(), ctx_.folder->own_log().id, size, sig));
      ctx_.metrics.Add("jejak_cosignatures_received_total");
    }
    return Status::Ok();
  }

  NodeContext& ctx_;
};

}  // namespace

struct Follower::Peers {
  std::map<std::string, PeerState> by_url;
  // What the plan was made from: the registry and the configured peers.
  std::shared_ptr<const Governance> planned_gov;
  std::vector<std::string> planned_urls;
  bool planned = false;
  std::optional<GossipSampler> sampler;
  std::vector<std::string> sample_urls;  // the URLs of the sampler's plan, by index
  uint64_t round = 0;
  std::chrono::steady_clock::time_point next_round{};
  std::mt19937_64 jitter{std::random_device{}()};
  double Jitter() { return std::uniform_real_distribution<double>(0.0, 1.0)(jitter); }
};

Follower::Follower(NodeContext& ctx) : ctx_(ctx), peers_(std::make_unique<Peers>()) {
  for (int i = 0; i < kFollowerWorkers; ++i) workers_.emplace_back([this] { Work(); });
}

Follower::~Follower() { Stop(); }

void Follower::Stop() {
  {
    std::lock_guard lock(ctx_.wake_mu);
    ctx_.stopping = true;
  }
  ctx_.wake_cv.notify_all();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
}

void Follower::Work() {
  using Clock = std::chrono::steady_clock;
  const auto interval = ctx_.options.poll_interval;
  std::unique_lock lock(ctx_.wake_mu);
  for (;;) {
    if (ctx_.stopping) return;
    auto& ps = *peers_;
    auto& peers = ps.by_url;
    const auto now = Clock::now();
    // The plan follows the registry (a governance pull may change it) and
    // the configured peers (a reload).
    std::shared_ptr<const Governance> gov;
    std::vector<std::string> configured;
    {
      std::lock_guard registry(ctx_.registry_mu);
      gov = ctx_.gov;
      configured = ctx_.configured_peers;
    }
    if (!ps.planned || gov != ps.planned_gov || configured != ps.planned_urls) {
      std::vector<GossipPeer> plan =
          PlanGossip(ctx_.folder->config(), gov.get(), configured, ctx_.url);
      std::set<std::string> urls;
      for (const auto& p : plan) {
        urls.insert(p.url);
        auto [it, added] = peers.try_emplace(p.url);
        PeerState& st = it->second;
        const bool was_polled = !added && st.polled();
        const bool was_offered = !added && st.offers();
        st.plan = p;
        // A new registry may make a failing peer reachable (its key now
        // pinned and trusted: a node's first visits fail until it holds the
        // governance log): its back-off starts again.
        const bool was_failing = st.failures > 0;
        st.failures = 0;
        // A new peer is visited soon, spread over one interval so that a
        // node's start does not poll every author at once.
        if (added || was_failing || (st.polled() && !was_polled) || (st.offers() && !was_offered)) {
          st.due = std::min(
              st.due, now + std::chrono::duration_cast<Clock::duration>(interval * ps.Jitter()));
        }
      }
      std::erase_if(peers, [&](const auto& p) { return !p.second.busy && !urls.count(p.first); });
      for (auto& [url, p] : peers) {
        if (!urls.count(url)) p.plan = GossipPeer{url, {}, false, {}, false};  // busy: ends soon
      }
      // The rotation over the holders (node/gossip.h).
      ps.sampler.emplace(plan, ctx_.folder->config().origin, kSamplePerRound);
      ps.sample_urls.clear();
      for (const auto& p : plan) ps.sample_urls.push_back(p.url);
      ps.planned_gov = gov;
      ps.planned_urls = configured;
      ps.planned = true;
    }
    // Each round, the next holders of the rotation are due for a sample.
    if (now >= ps.next_round) {
      for (size_t i : ps.sampler->Sample(ps.round)) {
        auto it = peers.find(ps.sample_urls[i]);
        if (it == peers.end() || it->second.failures > 0) continue;  // it misses its turn
        PeerState& p = it->second;
        p.sample_due = true;
        if (p.busy) {
          p.woken = true;
        } else {
          p.due = now;
        }
      }
      ++ps.round;
      ps.next_round = now + interval * kIntervalsPerRound;
    }
    // Woken peers go before every peer merely due (a backlog of polls must
    // not hold up a notification or an offer).
    auto make_due = [&](PeerState& p) {
      if (p.failures > 0) return;  // a failing peer keeps its back-off
      p.idle = 0;
      if (p.busy) {
        p.woken = true;
      } else {
        p.due = Clock::time_point{};
      }
    };
    if (ctx_.wake) {
      // A reload: every healthy peer is due now.
      ctx_.wake = false;
      for (auto& [url, p] : peers) make_due(p);
    }
    if (ctx_.wake_own) {
      // The own log grew: its witnesses are due (a failing one keeps its
      // back-off, or a busy node would visit a hostile peer at each append).
      ctx_.wake_own = false;
      for (auto& [url, p] : peers) {
        if (p.offers()) make_due(p);
      }
    }
    if (!ctx_.wake_origins.empty()) {
      // An author whose new checkpoint this node's witness just cosigned is
      // reachable and has something new: visited now even if it was failing
      // (it can cause this only by signing new checkpoints).
      for (auto& [url, p] : peers) {
        if (p.plan.authors.empty() || !ctx_.wake_origins.count(p.plan.authors)) continue;
        p.idle = 0;
        if (p.busy) {
          p.woken = true;
        } else {
          p.due = Clock::time_point{};
        }
      }
      ctx_.wake_origins.clear();
    }
    std::string url;
    PeerState* next = nullptr;
    for (auto& [u, p] : peers) {
      if (!p.busy && (next == nullptr || p.due < next->due)) {
        next = &p;
        url = u;
      }
    }
    if (next == nullptr || next->due > now) {
      auto until = ps.next_round;
      if (next && next->due < until) until = next->due;
      ctx_.wake_cv.wait_until(lock, until);
      continue;
    }
    next->busy = true;
    const bool sample = next->sample_due;
    next->sample_due = false;
    lock.unlock();
    // A bug met while visiting a peer backs that peer off like any failure.
    bool news = false;
    Status s = GuardBoundary(ctx_, "follower",
                             [&] { return PeerVisit(ctx_).Visit(url, *next, sample, news); });
    if (!s.ok()) Warn(fmt::format("peer {}: {}", url, s.message()));
    lock.lock();
    next->busy = false;
    next->failures = s.ok() ? 0 : std::min(next->failures + 1, 5);
    next->idle = news ? 0 : next->idle + 1;
    const auto after = Clock::now();
    if (next->woken) {
      next->due = Clock::time_point{};
    } else if (next->polled() || next->failures > 0 || next->offer_pending) {
      // A polled peer (an author) is polled again; a failing witness or
      // holder, or a witness yet to cosign, is retried after its back-off.
      next->due =
          after + std::chrono::duration_cast<Clock::duration>(NextVisitDelay(
                      interval, next->failures, next->idle, kMaxIdleIntervals, ps.Jitter()));
    } else {
      next->due = Clock::time_point::max();  // until sampled or woken
    }
    next->woken = false;
  }
}

}  // namespace jejak
