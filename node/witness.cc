// POST /add-checkpoint (C2SP tlog-witness), and the cosignatures a log keeps.
//
// The witness state of a log is its latest cosigned checkpoint
// (ledger/log/witness_state.h). The check of the old size and the update are one step under
// witness_mu, and the update is a synced write before the reply.
#include <fmt/format.h>

#include <chrono>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "ledger/log/merkle.h"
#include "ledger/log/witness_state.h"
#include "node/internal/context.h"
#include "node/log_status.h"
#include "node/witness_request.h"

namespace jejak {
namespace {

HttpResponse Reject(NodeContext& ctx, int status, std::string_view reason, std::string_view text) {
  ctx.metrics.Add("jejak_rejected_inputs_total", fmt::format("reason=\"{}\"", reason));
  return TextResponse(status, text);
}

// What this node holds of a log that a checkpoint of it must agree with: its
// replica's latest verified checkpoint, if it holds one.
struct ReplicaHead {
  LogInfo info;
  uint64_t size = 0;
  Hash root{};
  std::string note;
};
std::optional<ReplicaHead> HeldReplica(NodeContext& ctx, std::string_view origin) {
  auto info = FindLog(ctx.folder->store(), origin);
  if (!info.ok() || info->own) return std::nullopt;
  LogReader reader(ctx.folder->store(), *info);
  auto head = ReadLatestHead(reader);
  if (!head.ok()) return std::nullopt;
  return ReplicaHead{*info, head->checkpoint.size, head->checkpoint.root, head->text};
}

// Stores `e` for the replica (which freezes it) and counts it.
void KeepEvidence(NodeContext& ctx, const LogInfo& info, const EquivocationEvidence& e) {
  auto log_lock = ctx.LogLock(info.origin);
  std::lock_guard lock(*log_lock);
  auto frozen = HasEvidence(ctx.folder->store(), info.id);
  if (StoreEvidence(ctx.folder->store(), info.id, e).ok() && frozen.ok() && !*frozen) {
    ctx.metrics.Add("jejak_equivocations_total", OriginLabel(info.origin));
  }
}

// The evidence that the signed checkpoint `note` (saying `cp`) and the
// replica cannot both be true, if the replica reaches its size and disagrees.
std::optional<EquivocationEvidence> ConflictWithReplica(NodeContext& ctx, const ReplicaHead& held,
                                                        const NoteVerifierKey& key,
                                                        const Checkpoint& cp,
                                                        const std::string& note,
                                                        std::string_view found) {
  if (held.size < cp.size) return std::nullopt;
  LogReader reader(ctx.folder->store(), held.info);
  auto root = held.size == cp.size ? Result<Hash>(held.root) : reader.Root(cp.size);
  if (!root.ok() || *root == cp.root) return std::nullopt;
  Result<EquivocationEvidence> e = Internal("unset");
  if (held.size == cp.size) {
    e = MakeEvidence(key.ToString(), held.note, note, std::nullopt, {}, std::string(found));
  } else {
    auto proof = reader.ConsistencyProof(cp.size, held.size);
    if (!proof.ok()) return std::nullopt;
    e = MakeEvidence(key.ToString(), note, held.note, *root, *proof, std::string(found));
  }
  if (!e.ok()) return std::nullopt;
  return *e;
}

HttpResponse TlogSize(NodeContext& ctx, uint64_t size) {
  ctx.metrics.Add("jejak_rejected_inputs_total", "reason=\"old_size_mismatch\"");
  HttpResponse r;
  r.status = 409;
  r.content_type = std::string(kTlogSizeContentType);
  r.cache_control = "no-store";
  r.body = FormatTlogSize(size);
  return r;
}

uint64_t NowSeconds() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

Status StoreCosignature(Store& store, uint32_t log, uint64_t size, const NoteSignature& sig) {
  WriteBatch batch;
  batch.Put(Column::kCosignatures, KeyU32(log) + KeyU64(size) + sig.name, sig.Line());
  return store.Write(batch, /*sync=*/true);
}

Result<std::vector<std::string>> CosignatureLines(Store& store, uint32_t log, uint64_t size) {
  const std::string prefix = KeyU32(log) + KeyU64(size);
  auto it = store.NewIterator(Column::kCosignatures);
  std::vector<std::string> lines;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    lines.emplace_back(it->value());
  }
  RETURN_IF_ERROR(it->status());
  return lines;
}

// The checks in the order of the current tlog-witness text (specs/node-api.md
// names the revision), with this node's own knowledge of the log first: a
// checkpoint that contradicts the replica it verified, or what it cosigned, is
// evidence whatever old size the client sends.
HttpResponse HandleAddCheckpoint(NodeContext& ctx, const HttpRequest& request) {
  if (request.method != "POST") {
    HttpResponse r = TextResponse(405, "add-checkpoint takes POST");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  auto req = ParseAddCheckpointRequest(request.body);
  if (!req.ok()) return Reject(ctx, 400, "malformed", req.status().message());
  auto note = ParseNote(req->checkpoint);
  if (!note.ok()) return Reject(ctx, 400, "malformed", "checkpoint: " + note.status().message());
  auto cp = ParseCheckpointText(note->text);
  if (!cp.ok()) return Reject(ctx, 400, "malformed", "checkpoint: " + cp.status().message());
  if (cp->origin == ctx.folder->config().origin) {
    return Reject(ctx, 404, "unknown_origin", "this node does not witness its own log");
  }
  auto key = ctx.LogKey(cp->origin);
  if (!key.ok()) return Reject(ctx, 404, "unknown_origin", "unknown origin: not in the registry");
  NoteVerifierKey k = *key;
  if (!VerifyNote(*note, std::span<const NoteVerifierKey>(&k, 1)).ok()) {
    return Reject(ctx, 403, "bad_signature", "the checkpoint is not signed by the log's key");
  }
  if (req->old_size > cp->size) {
    return Reject(ctx, 400, "malformed", "old size is larger than the checkpoint's size");
  }

  std::lock_guard lock(ctx.witness_mu);
  const std::optional<ReplicaHead> replica = HeldReplica(ctx, cp->origin);
  if (replica) {
    auto frozen = HasEvidence(ctx.folder->store(), replica->info.id);
    if (!frozen.ok() || *frozen) {
      return Reject(ctx, 403, "frozen",
                    "this node holds equivocation evidence for the log and no longer cosigns it");
    }
    if (auto e = ConflictWithReplica(ctx, *replica, k, *cp, req->checkpoint,
                                     "add-checkpoint from a client of the witness")) {
      KeepEvidence(ctx, replica->info, *e);
      return Reject(ctx, 422, "equivocation",
                    "the checkpoint contradicts the log this node verified: the log equivocates "
                    "(the evidence is kept and the replica frozen)");
    }
  }
  auto state = LoadWitnessState(ctx.folder->store(), cp->origin);
  if (!state.ok()) return TextResponse(500, "cannot read the witness state");
  const WitnessState cosigned = state->value_or(WitnessState{0, EmptyTreeRoot(), ""});
  if (cosigned.size == cp->size && cosigned.size > 0 && cosigned.root != cp->root) {
    if (replica) {
      auto e = MakeEvidence(k.ToString(), cosigned.note, req->checkpoint, std::nullopt, {},
                            "add-checkpoint from a client of the witness");
      if (e.ok()) KeepEvidence(ctx, replica->info, *e);
    }
    return Reject(ctx, 422, "equivocation",
                  "a different root was cosigned at this size: the log equivocates");
  }
  // What this node knows of the log: the larger of what it cosigned and what
  // its replica verified. The client proves consistency from there.
  const bool replica_ahead = replica && replica->size > cosigned.size;
  const uint64_t known_size = replica_ahead ? replica->size : cosigned.size;
  const Hash known_root = replica_ahead ? replica->root : cosigned.root;
  if (req->old_size != known_size) return TlogSize(ctx, known_size);
  if (cp->size == 0 && cp->root != EmptyTreeRoot()) {
    return Reject(ctx, 422, "bad_consistency_proof",
                  "a checkpoint of size 0 must carry the root of the empty tree");
  }
  if (req->old_size == 0 && !req->proof.empty()) {
    return Reject(ctx, 422, "bad_consistency_proof", "a proof from size 0 must be empty");
  }
  if (req->old_size == cp->size && known_root != cp->root) {
    return Reject(ctx, 422, "equivocation",
                  "the checkpoint has the size this node knows with another root");
  }
  if (req->old_size > 0 &&
      !VerifyConsistency(req->old_size, cp->size, known_root, cp->root, req->proof).ok()) {
    return Reject(ctx, 422, "bad_consistency_proof",
                  "the consistency proof does not verify from the size this node knows");
  }
  const NoteSignature sig =
      Cosign(note->text, ctx.folder->config().origin, ctx.CosigningKey(), NowSeconds());
  // Kept with the cosignature, as the monitor retrieval route serves it.
  std::string served = req->checkpoint;
  served += sig.Line();
  if (!SaveWitnessState(ctx.folder->store(), cp->origin, {cp->size, cp->root, served}).ok()) {
    return TextResponse(500, "cannot store the witness state");
  }
  ctx.metrics.Add("jejak_cosignatures_made_total", OriginLabel(cp->origin));
  // The author's notification: a checkpoint this node has not seen, so
  // follow it now (a checkpoint offered again wakes nothing: a third party
  // replaying it cannot make this node visit the author at will).
  if (cp->size > known_size) ctx.WakeFor(cp->origin);
  return TextResponse(200, sig.Line());
}

HttpResponse HandleWitnessCheckpoint(NodeContext& ctx, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    return TextResponse(405, "the witness's checkpoints are read with GET");
  }
  std::string_view path = request.target;
  const std::optional<std::string_view> hash =
      WitnessCheckpointHash(path.substr(0, path.find('?')));
  if (!hash) {
    return TextResponse(404, "expected /witness/<lowercase hex SHA-256 of the origin>/checkpoint");
  }
  auto logs = ListWitnessStates(ctx.folder->store());
  if (!logs.ok()) return TextResponse(500, "cannot read the witness state");
  for (const auto& [origin, state] : *logs) {
    if (HexEncode(Sha256(AsBytes(origin))) != *hash) continue;
    HttpResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.cache_control = "no-cache";
    r.body = state.note;
    return r;
  }
  return TextResponse(404, "this witness never cosigned a checkpoint of that log");
}

std::optional<std::string_view> WitnessCheckpointHash(std::string_view path) {
  const std::string prefix = std::string(kWitnessMonitoringPrefix) + "/";
  if (!path.starts_with(prefix)) return std::nullopt;
  path.remove_prefix(prefix.size());
  const bool well_formed =
      path.size() == 64 + 11 && path.substr(64) == "/checkpoint" &&
      path.substr(0, 64).find_first_not_of("0123456789abcdef") == std::string_view::npos;
  if (!well_formed) return std::nullopt;
  return path.substr(0, 64);
}

bool CheckReplicaAgainstWitness(NodeContext& ctx, const std::string& origin) {
  std::lock_guard lock(ctx.witness_mu);
  auto state = LoadWitnessState(ctx.folder->store(), origin);
  if (!state.ok() || !*state) return false;
  const std::optional<ReplicaHead> replica = HeldReplica(ctx, origin);
  auto key = ctx.LogKey(origin);
  if (!replica || !key.ok()) return false;
  auto note = ParseNote((*state)->note);
  if (!note.ok()) return false;
  auto cp = ParseCheckpointText(note->text);
  if (!cp.ok()) return false;
  auto e = ConflictWithReplica(ctx, *replica, *key, *cp, (*state)->note,
                               "the checkpoint this node's witness cosigned, against a pull");
  if (!e) return false;
  KeepEvidence(ctx, replica->info, *e);
  return true;
}

}  // namespace jejak
