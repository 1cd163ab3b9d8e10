#include "ledger/replication.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "ledger/checkpoint.h"
#include "ledger/evidence.h"
#include "ledger/merkle.h"
#include "ledger/pkh_node.h"
#include "ledger/tiles.h"
#include "ledger/verify.h"

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

// The key the log must be signed with: pinned, the anchor, or the registry's.
Result<NoteVerifierKey> LogKey(NodeFolder& folder, const std::string& origin,
                               const PullOptions& options, std::optional<Governance>& gov) {
  if (options.key) {
    if (options.key->name != origin) {
      return PermissionDenied(
          fmt::format("the source holds log '{}', not '{}' of --key", origin, options.key->name));
    }
    return *options.key;
  }
  NoteVerifierKey anchor;
  ASSIGN_OR_RETURN(anchor, folder.RequireGovernance());
  if (origin == anchor.name) return anchor;
  ASSIGN_OR_RETURN(gov, LoadNodeGovernance(folder));
  const NodeRegistration* node = gov->NodeByOrigin(origin, gov->size());
  if (node == nullptr) {
    return PermissionDenied(fmt::format(
        "log '{}' is not registered in the governance log this node holds (size {}); pull the "
        "governance log first",
        origin, gov->size()));
  }
  auto key = ParseVerifierKey(node->verifier_key);
  if (!key.ok()) return Corruption("registered key of " + origin + ": " + key.status().message());
  return *key;
}

}  // namespace

Result<PullReport> PullLog(NodeFolder& folder, LogSource& source, const PullOptions& options) {
  Store& store = folder.store();
  std::string note;
  ASSIGN_OR_RETURN(note, source.ReadCheckpoint());
  PullReport report;
  auto claimed = ClaimedOrigin(note);
  if (!claimed.ok()) return claimed.status().WithContext(source.Describe() + " checkpoint");
  report.origin = std::move(claimed).value();
  if (report.origin == folder.config().origin) {
    return FailedPrecondition(fmt::format("{} holds this node's own log", source.Describe()));
  }
  std::optional<Governance> gov;
  NoteVerifierKey key;
  ASSIGN_OR_RETURN(key, LogKey(folder, report.origin, options, gov));
  const bool is_governance =
      folder.config().governance && folder.config().governance->name == report.origin;

  // The replica held, or a registration to make with the first commit.
  std::unique_ptr<LogWriter> writer;
  std::optional<PendingLog> pending;
  auto existing = FindLog(store, report.origin);
  if (existing.ok()) {
    if (existing->own) return FailedPrecondition("that is this node's own log");
    if (existing->key.ToString() != key.ToString()) {
      return FailedPrecondition(fmt::format(
          "the key registered for {} is now {}, but the replica held was verified under {}",
          report.origin, key.ToString(), existing->key.ToString()));
    }
    bool frozen = false;
    ASSIGN_OR_RETURN(frozen, HasEvidence(store, existing->id));
    if (frozen) {
      return FailedPrecondition(fmt::format(
          "the replica of {} is frozen: this node holds evidence that its author signed two "
          "conflicting histories (jejak evidence)",
          report.origin));
    }
    ASSIGN_OR_RETURN(writer, LogWriter::Open(store, *existing, nullptr));
  } else if (existing.status().code() == StatusCode::kNotFound) {
    ASSIGN_OR_RETURN(pending, PrepareLogRegistration(store, key, /*own=*/false));
    ASSIGN_OR_RETURN(writer, LogWriter::OpenPending(store, pending->info));
    report.new_log = true;
  } else {
    return existing.status();
  }
  report.old_size = writer->size();

  // A source behind the replica: nothing to copy, but it must agree.
  SignedCheckpoint cp;
  ASSIGN_OR_RETURN(cp, OpenCheckpoint(note, key));
  report.source_size = cp.checkpoint.size;
  if (cp.checkpoint.size <= writer->size() && writer->size() > 0) {
    LogReader reader(store, writer->info());
    Hash root;
    ASSIGN_OR_RETURN(root, reader.Root(cp.checkpoint.size));
    if (root != cp.checkpoint.root) {
      // Both checkpoints are signed by the author: equivocation. Keep the
      // proof of it and freeze the replica at what was verified.
      std::string held;
      ASSIGN_OR_RETURN(held, reader.LatestCheckpoint());
      std::vector<Hash> proof;
      std::optional<Hash> held_root_at;
      if (cp.checkpoint.size < writer->size()) {
        ASSIGN_OR_RETURN(proof, reader.ConsistencyProof(cp.checkpoint.size, writer->size()));
        held_root_at = root;
      }
      auto evidence = MakeEvidence(key.ToString(), note, held, held_root_at, std::move(proof),
                                   source.Describe());
      if (!evidence.ok()) return evidence.status().WithContext("building equivocation evidence");
      RETURN_IF_ERROR(StoreEvidence(store, writer->info().id, *evidence));
      return FailedPrecondition(fmt::format(
          "{} offers a checkpoint of size {} that conflicts with the replica held, both signed "
          "by {}: equivocation. Evidence stored (jejak evidence); the replica is frozen",
          source.Describe(), cp.checkpoint.size, report.origin));
    }
    if (cp.checkpoint.size < writer->size()) {
      report.new_size = report.old_size;
      report.source_behind = true;
      return report;
    }
  }

  VerifyOptions vo;
  vo.log_key = key;
  vo.progress = options.progress;
  if (writer->size() > 0) vo.from = VerifiedPrefix{writer->size(), writer->RightEdge()};
  if (!is_governance && gov) {
    const uint64_t held = gov->size();
    vo.statement_check = [held](uint64_t, const Statement& st) -> Status {
      if (st.header.governance_size > held) {
        return Unavailable(fmt::format(
            "the statement is judged at governance size {}, but this node holds the governance "
            "log only to size {}: pull the governance log first",
            st.header.governance_size, held));
      }
      return Status::Ok();
    };
  }
  auto txn = writer->Begin();
  vo.on_leaf = [&](uint64_t i, ByteSpan leaf, const Hash& h) -> Status {
    RETURN_IF_ERROR(txn->Put(i, leaf));
    return txn->AddHash(h);
  };
  VerifyResult v = VerifyLog(source, vo);
  if (!v.status.ok()) {
    // A longer history that does not extend the replica: if the source's
    // tiles prove its signed tree begins otherwise, that is equivocation. A
    // source that could not be read (a timeout) proves nothing, and asking
    // its tiles again would only wait out a hanging peer a second time.
    if (report.old_size > 0 && cp.checkpoint.size > report.old_size &&
        v.status.code() != StatusCode::kUnavailable) {
      auto conflict = SourceConsistency(source, report.old_size, cp.checkpoint.size);
      if (conflict.ok()) {
        LogReader reader(store, writer->info());
        std::string held;
        ASSIGN_OR_RETURN(held, reader.LatestCheckpoint());
        auto evidence = MakeEvidence(key.ToString(), held, note, conflict->first,
                                     std::move(conflict->second), source.Describe());
        if (evidence.ok()) {
          RETURN_IF_ERROR(StoreEvidence(store, writer->info().id, *evidence));
          return FailedPrecondition(fmt::format(
              "{} offers a checkpoint of size {} whose tree does not extend the replica held "
              "(size {}), both signed by {}: equivocation. Evidence stored (jejak evidence); "
              "the replica is frozen",
              source.Describe(), cp.checkpoint.size, report.old_size, report.origin));
        }
      }
    }
    return Status(v.status.code(), fmt::format("{} refused, nothing stored: {}", source.Describe(),
                                               v.status.message()));
  }
  // VerifyLog reads the source's checkpoint again. A live author that
  // appended in between is verified, and its leaves put, up to that newer
  // checkpoint (signed, and consistent with the held prefix): store it with
  // them, not the first one, or the replica would hold leaves beyond its
  // checkpoint and report a size smaller than it holds.
  if (v.report.checkpoint != note) {
    note = v.report.checkpoint;
    ASSIGN_OR_RETURN(cp, OpenCheckpoint(note, key));
    report.source_size = cp.checkpoint.size;
  }
  WriteBatch extra;
  if (pending) extra.Append(pending->batch);
  extra.Put(Column::kCheckpoints, store_keys::Checkpoint(writer->info().id, cp.checkpoint.size),
            note);
  if (cp.checkpoint.size > report.old_size) {
    RETURN_IF_ERROR(txn->Commit(&extra).status());
  } else {
    RETURN_IF_ERROR(store.Write(extra, /*sync=*/true));  // same size: record the checkpoint
  }
  report.new_size = cp.checkpoint.size;

  // Index what arrived; the governance log reloads the state others are judged by.
  const LogInfo info = writer->info();
  if (is_governance) {
    ASSIGN_OR_RETURN(report.index, CatchUpIndex(store, info, nullptr, &key.key));
  } else if (gov) {
    ASSIGN_OR_RETURN(report.index, CatchUpIndex(store, info, &*gov, nullptr));
  }
  return report;
}

}  // namespace jejak
