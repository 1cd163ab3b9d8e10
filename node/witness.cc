// POST /add-checkpoint (C2SP tlog-witness), and the cosignatures a log keeps.
//
// The witness state of a log is its latest cosigned checkpoint
// (ledger/witness_state.h). The check of the old size and the update are one step under witness_mu,
// and the update is a synced write before the reply.
#include <fmt/format.h>

#include <chrono>

#include "crypto/encoding.h"
#include "ledger/checkpoint.h"
#include "ledger/evidence.h"
#include "ledger/merkle.h"
#include "ledger/witness_state.h"
#include "node/internal/context.h"
#include "node/log_status.h"
#include "node/witness_request.h"

namespace jejak {
namespace {

HttpResponse Reject(NodeContext& ctx, int status, std::string_view reason, std::string_view text) {
  ctx.metrics.Add("jejak_rejected_inputs_total", fmt::format("reason=\"{}\"", reason));
  return TextResponse(status, text);
}

// Same size, different root, both signed: store the pair as evidence when
// this node holds a replica of the log (which freezes it).
void KeepEquivocation(NodeContext& ctx, const NoteVerifierKey& key, const WitnessState& held,
                      const std::string& note) {
  auto info = FindLog(ctx.folder->store(), key.name);
  if (!info.ok() || info->own) return;
  auto e = MakeEvidence(key.ToString(), held.note, note, std::nullopt, {},
                        "add-checkpoint from a client of the witness");
  if (!e.ok()) return;
  auto log_lock = ctx.LogLock(key.name);
  std::lock_guard lock(*log_lock);
  if (StoreEvidence(ctx.folder->store(), info->id, *e).ok()) {
    ctx.metrics.Add("jejak_equivocations_total", OriginLabel(key.name));
  }
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
  if (auto info = FindLog(ctx.folder->store(), cp->origin); info.ok()) {
    auto frozen = HasEvidence(ctx.folder->store(), info->id);
    if (!frozen.ok() || *frozen) {
      return Reject(ctx, 403, "frozen",
                    "this node holds equivocation evidence for the log and no longer cosigns it");
    }
  }

  std::lock_guard lock(ctx.witness_mu);
  auto state = LoadWitnessState(ctx.folder->store(), cp->origin);
  if (!state.ok()) return TextResponse(500, "cannot read the witness state");
  WitnessState held = state->value_or(WitnessState{});
  if (req->old_size != held.size) {
    ctx.metrics.Add("jejak_rejected_inputs_total", "reason=\"old_size_mismatch\"");
    HttpResponse r;
    r.status = 409;
    r.content_type = std::string(kTlogSizeContentType);
    r.cache_control = "no-store";
    r.body = FormatTlogSize(held.size);
    return r;
  }
  if (held.size == cp->size && held.size > 0 && held.root != cp->root) {
    KeepEquivocation(ctx, k, held, req->checkpoint);
    return Reject(ctx, 409, "equivocation",
                  "a different root was cosigned at this size: the log equivocates");
  }
  if (!VerifyConsistency(held.size, cp->size, held.root, cp->root, req->proof).ok()) {
    return Reject(ctx, 422, "bad_consistency_proof",
                  "the consistency proof does not verify from the size last cosigned");
  }
  WitnessState next{cp->size, cp->root, req->checkpoint};
  if (!SaveWitnessState(ctx.folder->store(), cp->origin, next).ok()) {
    return TextResponse(500, "cannot store the witness state");
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  NoteSignature sig =
      Cosign(note->text, ctx.folder->config().origin, *ctx.key, static_cast<uint64_t>(now));
  ctx.metrics.Add("jejak_cosignatures_made_total", OriginLabel(cp->origin));
  ctx.Wake();  // the author's notification: follow it now
  return TextResponse(200, sig.Line());
}

}  // namespace jejak
