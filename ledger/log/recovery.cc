#include "ledger/log/recovery.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/json_text.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/replication.h"
#include "ledger/log/verify.h"

namespace jejak {
namespace {

constexpr char kHoldKey[] = "own-log-hold";

// The note with the node's own signature only: what the node signed, as it
// stores its checkpoints (cosignatures are kept apart).
Result<std::string> OwnSignatureOnly(const std::string& note_text, const NoteVerifierKey& key) {
  Note note;
  ASSIGN_OR_RETURN(note, ParseNote(note_text));
  Note own{note.text, {}};
  for (const auto& sig : note.signatures) {
    if (sig.name == key.name && sig.key_id == key.key_id) own.signatures.push_back(sig);
  }
  return own.Serialize();
}

RecoveryConflict Conflict(EquivocationEvidence e, std::string message) {
  return RecoveryConflict{std::move(e), std::move(message)};
}

}  // namespace

Result<std::optional<OwnLogHold>> LoadOwnLogHold(Store& store) {
  std::optional<std::string> value;
  ASSIGN_OR_RETURN(value, store.Get(Column::kMeta, kHoldKey));
  if (!value) return std::optional<OwnLogHold>();
  ASSIGN_OR_RETURN(nlohmann::json j,
                   ParseJsonDocument(*value, "the own log's hold", JsonLimits{1 << 20, 2},
                                     StatusCode::kCorruption));
  ASSIGN_OR_RETURN(JsonFields f,
                   JsonFields::Of(j, "the own log's hold", "", StatusCode::kCorruption));
  OwnLogHold h;
  ASSIGN_OR_RETURN(h.reason, f.Str("reason"));
  ASSIGN_OR_RETURN(h.since_ms, f.I64("since_ms"));
  ASSIGN_OR_RETURN(h.target_size, f.U64Or("target_size", 0));
  ASSIGN_OR_RETURN(h.target_checkpoint, f.StrOr("target_checkpoint", ""));
  return std::optional<OwnLogHold>(std::move(h));
}

Status SaveOwnLogHold(Store& store, const OwnLogHold& hold) {
  nlohmann::ordered_json j;
  j["reason"] = hold.reason;
  j["since_ms"] = hold.since_ms;
  j["target_size"] = hold.target_size;
  j["target_checkpoint"] = hold.target_checkpoint;
  WriteBatch b;
  b.Put(Column::kMeta, kHoldKey, j.dump());
  return store.Write(b, /*sync=*/true);
}

void ReleaseOwnLogHold(WriteBatch& batch) { batch.Delete(Column::kMeta, kHoldKey); }

Status ReleaseOwnLogHold(Store& store) {
  WriteBatch b;
  ReleaseOwnLogHold(b);
  return store.Write(b, /*sync=*/true);
}

Status RefuseIfOwnLogHeld(Store& store) {
  std::optional<OwnLogHold> hold;
  ASSIGN_OR_RETURN(hold, LoadOwnLogHold(store));
  if (!hold) return Status::Ok();
  const std::string target =
      hold->target_size > 0 ? fmt::format("; it signed size {} before", hold->target_size) : "";
  return FailedPrecondition(fmt::format(
      "this node appends and signs nothing until it has caught up with the checkpoints it "
      "signed before ({}{}): run jejak recover NODE (or start jejak serve NODE, which catches "
      "up from its peers)",
      hold->reason, target));
}

SightingReview ReviewSightings(const std::vector<OwnCheckpointSighting>& sightings,
                               const NoteVerifierKey& key) {
  SightingReview review;
  for (const auto& s : sightings) {
    auto cp = OpenCheckpoint(s.note, key);
    if (!cp.ok()) {
      review.refused.push_back(fmt::format("{}: {}", s.where, cp.status().message()));
      continue;
    }
    auto own = OwnSignatureOnly(s.note, key);
    if (!own.ok()) {
      review.refused.push_back(fmt::format("{}: {}", s.where, own.status().message()));
      continue;
    }
    review.verified.push_back({cp->checkpoint.size, cp->checkpoint.root, *own, s.where});
  }
  std::stable_sort(review.verified.begin(), review.verified.end(),
                   [](const auto& a, const auto& b) { return a.size > b.size; });
  return review;
}

std::optional<RecoveryConflict> FindConflictAmong(const SightingReview& review,
                                                  const NoteVerifierKey& key) {
  for (size_t i = 0; i < review.verified.size(); ++i) {
    for (size_t j = i + 1; j < review.verified.size(); ++j) {
      const auto& a = review.verified[i];
      const auto& b = review.verified[j];
      if (a.size != b.size || a.root == b.root) continue;
      auto e = MakeEvidence(key.ToString(), a.note, b.note, std::nullopt, {},
                            fmt::format("{} and {}", a.where, b.where));
      if (!e.ok()) continue;
      return Conflict(std::move(*e),
                      fmt::format("{} and {} hold two different checkpoints of size {}, both "
                                  "signed by this node's key",
                                  a.where, b.where, a.size));
    }
  }
  return std::nullopt;
}

Result<std::optional<RecoveryConflict>> FindConflict(Store& store, const LogInfo& own,
                                                     const SightingReview& review) {
  LogReader reader(store, own);
  auto latest = reader.LatestCheckpoint();
  if (!latest.ok() && latest.status().code() == StatusCode::kNotFound) {
    return std::optional<RecoveryConflict>();
  }
  RETURN_IF_ERROR(latest.status());
  SignedCheckpoint held;
  ASSIGN_OR_RETURN(held, OpenCheckpoint(*latest, own.key));
  for (const auto& s : review.verified) {
    if (s.size > held.checkpoint.size) continue;
    Hash root;
    ASSIGN_OR_RETURN(root, reader.Root(s.size));
    if (root == s.root) continue;
    std::optional<Hash> root_at;
    std::vector<Hash> proof;
    if (s.size < held.checkpoint.size) {
      root_at = root;
      ASSIGN_OR_RETURN(proof, reader.ConsistencyProof(s.size, held.checkpoint.size));
    }
    auto e = MakeEvidence(own.key.ToString(), s.note, *latest, root_at, std::move(proof),
                          s.where + " against the log held");
    if (!e.ok()) return e.status().WithContext("building the evidence");
    return std::optional<RecoveryConflict>(
        Conflict(std::move(*e),
                 fmt::format("{} holds a checkpoint of size {} that the log held here (size {}) "
                             "contradicts, both signed by this node's key",
                             s.where, s.size, held.checkpoint.size)));
  }
  return std::optional<RecoveryConflict>();
}

Result<Continuation> ContinueOwnLog(Store& store, const LogInfo& own, LogSource& source) {
  std::string note;
  ASSIGN_OR_RETURN(note, source.ReadCheckpoint());
  SignedCheckpoint cp;
  auto opened = OpenCheckpoint(note, own.key);
  if (!opened.ok()) return opened.status().WithContext(source.Describe() + " checkpoint");
  cp = std::move(opened).value();
  std::unique_ptr<LogWriter> writer;
  ASSIGN_OR_RETURN(writer, LogWriter::Open(store, own, /*signer=*/nullptr));
  Continuation out;
  out.old_size = out.new_size = writer->size();

  std::string own_note;
  ASSIGN_OR_RETURN(own_note, OwnSignatureOnly(note, own.key));
  if (cp.checkpoint.size <= writer->size()) {
    // Nothing to copy; it must agree with what is held.
    LogReader reader(store, own);
    Hash root;
    ASSIGN_OR_RETURN(root, reader.Root(cp.checkpoint.size));
    if (root == cp.checkpoint.root) {
      // A store copied between a commit and its checkpoint holds leaves
      // not signed yet: this is the checkpoint the node signed of them.
      std::optional<std::string> stored;
      const std::string key = store_keys::Checkpoint(own.id, cp.checkpoint.size);
      ASSIGN_OR_RETURN(stored, store.Get(Column::kCheckpoints, key));
      if (!stored) {
        WriteBatch b;
        b.Put(Column::kCheckpoints, key, own_note);
        RETURN_IF_ERROR(store.Write(b, /*sync=*/true));
      }
      return out;
    }
    SightingReview one;
    one.verified.push_back({cp.checkpoint.size, cp.checkpoint.root, own_note, source.Describe()});
    ASSIGN_OR_RETURN(out.conflict, FindConflict(store, own, one));
    if (!out.conflict) {
      return FailedPrecondition(fmt::format(
          "{} holds a checkpoint of size {} that the leaves held here beyond their latest "
          "checkpoint contradict",
          source.Describe(), cp.checkpoint.size));
    }
    return out;
  }

  VerifyOptions vo;
  vo.log_key = own.key;
  if (writer->size() > 0) vo.from = VerifiedPrefix{writer->size(), writer->RightEdge()};
  auto txn = writer->Begin();
  vo.on_leaf = [&](uint64_t i, ByteSpan leaf, const Hash& h) -> Status {
    RETURN_IF_ERROR(txn->Put(i, leaf));
    return txn->AddHash(h);
  };
  VerifyResult v = VerifyLog(source, vo);
  if (!v.status.ok()) {
    // A longer signed history that does not begin with the held one: the
    // source's tiles show it, and with the held checkpoint that is evidence.
    if (out.old_size > 0 && v.status.code() != StatusCode::kUnavailable) {
      auto other = SourceConsistency(source, out.old_size, cp.checkpoint.size);
      LogReader reader(store, own);
      auto held = reader.LatestCheckpoint();
      if (other.ok() && held.ok()) {
        auto e = MakeEvidence(own.key.ToString(), *held, own_note, other->first,
                              std::move(other->second), source.Describe());
        if (e.ok()) {
          out.conflict = Conflict(
              std::move(*e), fmt::format("{} holds a checkpoint of size {} whose tree does not "
                                         "extend the log held here (size {}), both signed by "
                                         "this node's key",
                                         source.Describe(), cp.checkpoint.size, out.old_size));
          return out;
        }
      }
    }
    return Status(v.status.code(), fmt::format("{} refused, nothing stored: {}", source.Describe(),
                                               v.status.message()));
  }
  if (v.report.checkpoint != note) {
    // The source's checkpoint moved while it was read: only the node signs
    // its log, so a second signer of this key is at work. Keep nothing.
    return FailedPrecondition(fmt::format(
        "{} served two checkpoints of this node's log while it was read: is another copy of this "
        "node running?",
        source.Describe()));
  }
  WriteBatch extra;
  extra.Put(Column::kCheckpoints, store_keys::Checkpoint(own.id, cp.checkpoint.size), own_note);
  ASSIGN_OR_RETURN(out.new_size, txn->Commit(&extra));
  return out;
}

}  // namespace jejak
