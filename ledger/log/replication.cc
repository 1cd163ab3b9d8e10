#include "ledger/log/replication.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "ledger/log/merkle.h"
#include "ledger/log/tiles.h"

namespace jejak {

Result<std::pair<Hash, std::vector<Hash>>> SourceConsistency(LogSource& source, uint64_t old_size,
                                                             uint64_t size) {
  std::map<std::pair<int, uint64_t>, std::vector<Hash>> tiles;
  auto subtree = [&](int level, uint64_t index) -> Result<Hash> {
    TileId t = SubtreeTile(level, index);
    t.width = static_cast<uint32_t>(
        std::min<uint64_t>(kTileWidth, (size >> (kTileHeight * t.level)) - t.index * kTileWidth));
    auto it = tiles.find({t.level, t.index});
    if (it == tiles.end()) {
      std::optional<std::string> bytes;
      ASSIGN_OR_RETURN(bytes, source.ReadTile(t));
      if (!bytes || bytes->size() < size_t{t.width} * 32 || bytes->size() % 32 != 0) {
        return NotFound(TilePath(t) + " is missing or malformed");
      }
      std::vector<Hash> hashes(bytes->size() / 32);
      std::memcpy(hashes.data(), bytes->data(), bytes->size());
      it = tiles.emplace(std::make_pair(t.level, t.index), std::move(hashes)).first;
    }
    return SubtreeFromTile(level, index, it->second);
  };
  Hash root;
  ASSIGN_OR_RETURN(root, TreeRootFrom(old_size, subtree));
  std::vector<Hash> proof;
  ASSIGN_OR_RETURN(proof, ConsistencyProofFrom(old_size, size, subtree));
  return std::make_pair(root, std::move(proof));
}

namespace {

// The origin a source claims, read before anything is trusted.
Result<std::string> ClaimedOrigin(const std::string& note_text) {
  Note note;
  ASSIGN_OR_RETURN(note, ParseNote(note_text));
  Checkpoint cp;
  ASSIGN_OR_RETURN(cp, ParseCheckpointText(note.text));
  return cp.origin;
}

// The replica being pulled into: the one held, or a registration that the
// first commit makes.
struct Replica {
  std::unique_ptr<LogWriter> writer;
  std::optional<PendingLog> pending;
};

Result<Replica> OpenReplica(Store& store, const std::string& origin, const NoteVerifierKey& key) {
  Replica r;
  auto existing = FindLog(store, origin);
  if (existing.ok()) {
    if (existing->own) return FailedPrecondition("that is this node's own log");
    if (existing->key.ToString() != key.ToString()) {
      return FailedPrecondition(fmt::format(
          "the key registered for {} is now {}, but the replica held was verified under {}", origin,
          key.ToString(), existing->key.ToString()));
    }
    bool frozen = false;
    ASSIGN_OR_RETURN(frozen, HasEvidence(store, existing->id));
    if (frozen) {
      return FailedPrecondition(fmt::format(
          "the replica of {} is frozen: this node holds evidence that its author signed two "
          "conflicting histories (jejak evidence)",
          origin));
    }
    ASSIGN_OR_RETURN(r.writer, LogWriter::Open(store, *existing, nullptr));
  } else if (existing.status().code() == StatusCode::kNotFound) {
    ASSIGN_OR_RETURN(r.pending, PrepareLogRegistration(store, key, /*own=*/false));
    ASSIGN_OR_RETURN(r.writer, LogWriter::OpenPending(store, r.pending->info));
  } else {
    return existing.status();
  }
  return r;
}

// Keeps the proof that the author signed two conflicting checkpoints and
// freezes the replica; the pull then fails with FailedPrecondition saying
// what conflicts with what.
Status RecordEquivocation(Store& store, const LogInfo& replica, const EquivocationEvidence& e,
                          std::string_view conflict) {
  RETURN_IF_ERROR(StoreEvidence(store, replica.id, e));
  return FailedPrecondition(
      fmt::format("{} offers a checkpoint {}, both signed by {}: equivocation. Evidence stored "
                  "(jejak evidence); the replica is frozen",
                  e.found, conflict, e.origin));
}

// A source at or behind the replica: it must sign the root the replica holds
// at its size. Ok when it does (report.source_behind says whether anything
// is left to pull).
Status CheckHeldPrefix(Store& store, LogWriter& writer, const NoteVerifierKey& key,
                       const std::string& note, const Checkpoint& cp, const std::string& source,
                       ReplicaReport& report) {
  LogReader reader(store, writer.info());
  Hash root;
  ASSIGN_OR_RETURN(root, reader.Root(cp.size));
  if (root != cp.root) {
    std::string held;
    ASSIGN_OR_RETURN(held, reader.LatestCheckpoint());
    std::vector<Hash> proof;
    std::optional<Hash> held_root_at;
    if (cp.size < writer.size()) {
      ASSIGN_OR_RETURN(proof, reader.ConsistencyProof(cp.size, writer.size()));
      held_root_at = root;
    }
    auto evidence =
        MakeEvidence(key.ToString(), note, held, held_root_at, std::move(proof), source);
    if (!evidence.ok()) return evidence.status().WithContext("building equivocation evidence");
    return RecordEquivocation(
        store, writer.info(), *evidence,
        fmt::format("of size {} that conflicts with the replica held", cp.size));
  }
  report.source_behind = cp.size < writer.size();
  return Status::Ok();
}

// After a failed verification of a source that claims a longer history: if
// its tiles prove that its signed tree does not extend the replica, that is
// equivocation (evidence, freeze). Otherwise the verification's own error.
Status ExplainFailedPull(Store& store, LogWriter& writer, LogSource& source,
                         const NoteVerifierKey& key, const std::string& note, uint64_t source_size,
                         uint64_t held_size, const Status& failure) {
  // A source that could not be read (a timeout) proves nothing, and asking
  // its tiles again would only wait out a hanging peer a second time.
  if (held_size > 0 && source_size > held_size && failure.code() != StatusCode::kUnavailable) {
    auto conflict = SourceConsistency(source, held_size, source_size);
    if (conflict.ok()) {
      LogReader reader(store, writer.info());
      std::string held;
      ASSIGN_OR_RETURN(held, reader.LatestCheckpoint());
      auto evidence = MakeEvidence(key.ToString(), held, note, conflict->first,
                                   std::move(conflict->second), source.Describe());
      // Evidence that does not check (the tiles agree after all) proves
      // nothing: the verification's error stands.
      if (evidence.ok()) {
        return RecordEquivocation(
            store, writer.info(), *evidence,
            fmt::format("of size {} whose tree does not extend the replica held (size {})",
                        source_size, held_size));
      }
    }
  }
  return Status(failure.code(), fmt::format("{} refused, nothing stored: {}", source.Describe(),
                                            failure.message()));
}

}  // namespace

Result<ReplicaReport> ReplicateLog(Store& store, LogSource& source,
                                   const ReplicateOptions& options) {
  std::string note;
  ASSIGN_OR_RETURN(note, source.ReadCheckpoint());
  ReplicaReport report;
  auto claimed = ClaimedOrigin(note);
  if (!claimed.ok()) return claimed.status().WithContext(source.Describe() + " checkpoint");
  report.origin = std::move(claimed).value();
  if (report.origin == options.own_origin) {
    return FailedPrecondition(fmt::format("{} holds this node's own log", source.Describe()));
  }
  ReplicaTrust trust;
  ASSIGN_OR_RETURN(trust, options.trust(report.origin));
  Replica replica;
  ASSIGN_OR_RETURN(replica, OpenReplica(store, report.origin, trust.key));
  LogWriter& writer = *replica.writer;
  report.new_log = replica.pending.has_value();
  report.old_size = writer.size();

  SignedCheckpoint cp;
  ASSIGN_OR_RETURN(cp, OpenCheckpoint(note, trust.key));
  report.source_size = cp.checkpoint.size;
  if (cp.checkpoint.size <= writer.size() && writer.size() > 0) {
    RETURN_IF_ERROR(
        CheckHeldPrefix(store, writer, trust.key, note, cp.checkpoint, source.Describe(), report));
    if (report.source_behind) {
      report.new_size = report.old_size;
      report.log = writer.info();
      return report;
    }
  }

  VerifyOptions vo;
  vo.log_key = trust.key;
  vo.statement_check = trust.statement_check;
  vo.progress = options.progress;
  if (writer.size() > 0) vo.from = VerifiedPrefix{writer.size(), writer.RightEdge()};
  auto txn = writer.Begin();
  vo.on_leaf = [&](uint64_t i, ByteSpan leaf, const Hash& h) -> Status {
    RETURN_IF_ERROR(txn->Put(i, leaf));
    return txn->AddHash(h);
  };
  VerifyResult v = VerifyLog(source, vo);
  if (!v.status.ok()) {
    return ExplainFailedPull(store, writer, source, trust.key, note, cp.checkpoint.size,
                             report.old_size, v.status);
  }
  // VerifyLog reads the source's checkpoint again. A live author that
  // appended in between is verified, and its leaves put, up to that newer
  // checkpoint (signed, and consistent with the held prefix): store it with
  // them, not the first one, or the replica would hold leaves beyond its
  // checkpoint and report a size smaller than it holds.
  if (v.report.checkpoint != note) {
    note = v.report.checkpoint;
    ASSIGN_OR_RETURN(cp, OpenCheckpoint(note, trust.key));
    report.source_size = cp.checkpoint.size;
  }
  WriteBatch extra;
  if (replica.pending) extra.Append(replica.pending->batch);
  extra.Put(Column::kCheckpoints, store_keys::Checkpoint(writer.info().id, cp.checkpoint.size),
            note);
  if (cp.checkpoint.size > report.old_size) {
    RETURN_IF_ERROR(txn->Commit(&extra).status());
  } else {
    RETURN_IF_ERROR(store.Write(extra, /*sync=*/true));  // same size: record the checkpoint
  }
  report.new_size = cp.checkpoint.size;
  report.log = writer.info();
  return report;
}

}  // namespace jejak
