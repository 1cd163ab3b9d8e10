#include "node/recovery.h"

#include <unistd.h>

#include <filesystem>
#include <future>
#include <map>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "crypto/files.h"
#include "crypto/sha256.h"
#include "ledger/log/statement_log.h"
#include "ledger/pkh/pull.h"
#include "node/http_source.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;

// What one peer holds of the node's log.
struct PeerView {
  std::string url;
  std::unique_ptr<HttpClient> client;
  bool answered = false;
  std::optional<std::string> replica, witness;  // checkpoint notes as served
  std::string error;
};

// A note from GET `path`: the body on 200, nothing on 404 (it holds none),
// an error otherwise.
Result<std::optional<std::string>> NoteAt(HttpClient& client, const std::string& path) {
  HttpResult r;
  ASSIGN_OR_RETURN(r, client.Get(path));
  if (r.status == 404) return std::optional<std::string>();
  if (r.status != 200) return Unavailable(fmt::format("GET {}: HTTP {}", path, r.status));
  return std::optional<std::string>(std::move(r.body));
}

void Survey(PeerView& peer, const std::string& origin, const RecoveryOptions& o) {
  auto client = o.connect(peer.url);
  if (!client.ok()) {
    peer.error = client.status().message();
    return;
  }
  peer.client = std::move(client).value();
  auto replica = NoteAt(*peer.client, LogPath(origin) + "/checkpoint");
  if (!replica.ok()) {
    peer.error = replica.status().message();
    return;
  }
  peer.answered = true;
  peer.replica = std::move(*replica);
  const std::string witness_path = "/witness/" + HexEncode(Sha256(AsBytes(origin))) + "/checkpoint";
  if (auto w = NoteAt(*peer.client, witness_path); w.ok()) peer.witness = std::move(*w);
}

// Pulls the governance log from the first peer that serves it and verifies.
void PullGovernance(NodeFolder& folder, const RecoveryOptions& o, RecoveryOutcome& out) {
  const std::string& origin = folder.config().governance->name;
  for (const auto& url : o.peers) {
    auto client = o.connect(url);
    if (!client.ok()) continue;
    HttpLogSource source(**client, LogPath(origin));
    auto report = PullLog(folder, source);
    if (!report.ok()) {
      out.refused.push_back(fmt::format("{}: governance log: {}", url, report.status().message()));
      continue;
    }
    if (report->new_size > report->old_size) {
      if (o.say)
        o.say(fmt::format("governance log {} at size {} from {}", origin, report->new_size, url));
      if (o.on_governance) o.on_governance();
    }
    return;
  }
}

Status WriteEvidence(NodeFolder& folder, RecoveryOutcome& out) {
  out.evidence_file = folder.dir() + "/" + kRecoveryEvidenceFile;
  return WriteFileAtomic(out.evidence_file, EvidenceJson(out.conflict->evidence));
}

}  // namespace

Result<RecoveryOutcome> CatchUpOwnLog(NodeFolder& folder, const RecoveryOptions& o) {
  const NodeConfig& me = folder.config();
  Store& store = folder.store();
  const LogInfo own = folder.own_log();
  RecoveryOutcome out;
  {
    LogReader reader(store, own);
    ASSIGN_OR_RETURN(out.old_size, reader.Size());
  }
  out.new_size = out.old_size;
  if (o.pull_governance && me.governance && me.governance->name != me.origin) {
    PullGovernance(folder, o, out);
  }

  // Every peer at once: a peer that does not answer costs its timeout once.
  std::vector<PeerView> peers(o.peers.size());
  {
    std::vector<std::future<void>> asked;
    for (size_t i = 0; i < peers.size(); ++i) {
      peers[i].url = o.peers[i];
      asked.push_back(std::async(std::launch::async, [&, i] { Survey(peers[i], me.origin, o); }));
    }
    for (auto& a : asked) a.get();
  }
  std::vector<OwnCheckpointSighting> sightings;
  std::map<std::string, PeerView*> replica_at;  // sighting's `where` -> peer
  for (auto& p : peers) {
    if (!p.answered) {
      out.refused.push_back(fmt::format("{}: {}", p.url, p.error));
      continue;
    }
    ++out.answered;
    if (p.replica) {
      sightings.push_back({*p.replica, p.url + " (replica)"});
      replica_at[sightings.back().where] = &p;
    }
    if (p.witness) sightings.push_back({*p.witness, p.url + " (witness)"});
  }
  SightingReview review = ReviewSightings(sightings, own.key);
  out.refused.insert(out.refused.end(), review.refused.begin(), review.refused.end());
  if (!review.verified.empty()) {
    out.target = review.verified.front().size;
    out.target_where = review.verified.front().where;
  }
  out.conflict = FindConflictAmong(review, own.key);

  // The leaves, from the largest replica down: a peer that fails or lies is
  // passed over for the next.
  for (const auto& seen : review.verified) {
    if (out.conflict || seen.size <= out.new_size) break;
    auto at = replica_at.find(seen.where);
    if (at == replica_at.end()) continue;  // a witness: it holds no leaves
    HttpLogSource source(*at->second->client, LogPath(me.origin));
    auto c = ContinueOwnLog(store, own, source);
    if (!c.ok()) {
      out.refused.push_back(fmt::format("{}: {}", seen.where, c.status().message()));
      continue;
    }
    if (c->conflict) {
      out.conflict = std::move(c->conflict);
      break;
    }
    if (o.say && c->new_size > c->old_size) {
      o.say(fmt::format("own log {}: leaves {} to {} copied and verified from {}", me.origin,
                        c->old_size, c->new_size - 1, seen.where));
    }
    out.new_size = c->new_size;
  }
  if (!out.conflict) {
    ASSIGN_OR_RETURN(out.conflict, FindConflict(store, own, review));
  }

  std::optional<OwnLogHold> hold;
  ASSIGN_OR_RETURN(hold, LoadOwnLogHold(store));
  if (out.conflict) {
    RETURN_IF_ERROR(WriteEvidence(folder, out));
    OwnLogHold h;
    h.since_ms = NowMillis();
    h.reason = "its peers hold two histories of its log, both signed by its key (evidence in " +
               out.evidence_file + ")";
    h.target_size = out.target;
    RETURN_IF_ERROR(SaveOwnLogHold(store, h));
    out.held = true;
    return out;
  }
  if (out.answered == 0) {
    out.held = hold.has_value();
    return out;
  }
  if (out.new_size < out.target) {
    OwnLogHold h;
    h.since_ms = NowMillis();
    h.reason = fmt::format(
        "behind its own log: {} holds or cosigned size {}, this store holds {} and no peer "
        "answering now serves the leaves between",
        out.target_where, out.target, out.new_size);
    h.target_size = out.target;
    h.target_checkpoint = review.verified.front().note;
    RETURN_IF_ERROR(SaveOwnLogHold(store, h));
    out.held = true;
    return out;
  }
  if (hold) RETURN_IF_ERROR(ReleaseOwnLogHold(store));
  return out;
}

Status CreateStoreForRecovery(const std::string& node_dir) {
  NodeConfig config;
  ASSIGN_OR_RETURN(config, ReadNodeConfig(node_dir));
  const std::string db = node_dir + "/db";
  std::error_code ec;
  if (fs::exists(db + "/CURRENT", ec)) {
    return AlreadyExists(fmt::format("{} has a store", node_dir));
  }
  const std::string tmp = db + ".recover-" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  auto build = [&]() -> Status {
    std::unique_ptr<Store> store;
    ASSIGN_OR_RETURN(store, OpenRocksStore(tmp, StoreMode::kCreate));
    // On hold from the first instant: a crash before the catch-up ends
    // leaves a store that signs nothing.
    OwnLogHold h;
    h.since_ms = NowMillis();
    h.reason = "its store is being rebuilt from its peers (jejak recover)";
    RETURN_IF_ERROR(SaveOwnLogHold(*store, h));
    return RegisterLog(*store, config.key, /*own=*/true).status();
  };
  Status s = build();
  if (s.ok() && fs::exists(db, ec)) {
    // A db/ folder without a store in it: kept aside, never deleted.
    const std::string aside = fmt::format("{}.unreadable-{}", db, NowMillis());
    if (::rename(db.c_str(), aside.c_str()) != 0) {
      s = IOError(fmt::format("{}: cannot move it aside: {}", db, ErrnoText(errno)));
    }
  }
  if (s.ok() && ::rename(tmp.c_str(), db.c_str()) != 0) {
    s = IOError(fmt::format("{}: cannot put the new store in place: {}", db, ErrnoText(errno)));
  }
  if (!s.ok()) {
    fs::remove_all(tmp, ec);
    return s;
  }
  return SyncDirectory(node_dir);
}

}  // namespace jejak
