#include "ledger/log/log.h"
#include "ledger/log/recovery.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "ledger/log/entry.h"
#include "ledger/log/merkle.h"

namespace jejak {

namespace store_keys {

std::string Leaf(uint32_t log, uint64_t index) { return KeyU32(log) + KeyU64(index); }

std::string Tile(uint32_t log, int level, uint64_t index) {
  return KeyU32(log) + std::string(1, static_cast<char>(level)) + KeyU64(index);
}

std::string Checkpoint(uint32_t log, uint64_t size) { return KeyU32(log) + KeyU64(size); }

std::string LogSize(uint32_t log) { return fmt::format("log/{:010d}/size", log); }

}  // namespace store_keys

namespace {

constexpr std::string_view kNextLogId = "next-log-id";
// Staged chunks are written once this much is pending: bounds an append's memory.
constexpr size_t kStagingChunkBytes = 32 << 20;
// No append reserves more leaves than this (a statement and its records).
constexpr uint64_t kMaxStatementLeaves = uint64_t{1} << 32;

std::string OriginKey(std::string_view origin) { return "origin/" + std::string(origin); }
std::string InfoKey(uint32_t id) { return fmt::format("log/{:010d}/info", id); }

std::string EncodeInfo(const LogInfo& info) {
  return fmt::format("{}\n{}\n{}\n", info.origin, info.key.ToString(),
                     info.own ? "own" : "replica");
}

Result<LogInfo> DecodeInfo(uint32_t id, std::string_view v) {
  LogInfo info;
  info.id = id;
  const size_t a = v.find('\n');
  const size_t b = a == std::string_view::npos ? a : v.find('\n', a + 1);
  if (b == std::string_view::npos) return Corruption(fmt::format("log {} info is malformed", id));
  info.origin = std::string(v.substr(0, a));
  auto key = ParseVerifierKey(v.substr(a + 1, b - a - 1));
  if (!key.ok()) return Corruption(fmt::format("log {} key: {}", id, key.status().message()));
  info.key = *key;
  info.own = v.substr(b + 1) == "own\n";
  return info;
}

Result<uint64_t> ReadU64(Store& store, Column c, const std::string& key, std::string_view what) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(c, key));
  if (!v) return NotFound(std::string(what) + " is missing");
  if (v->size() != 8) return Corruption(std::string(what) + " is malformed");
  return GetBigEndian64(reinterpret_cast<const uint8_t*>(v->data()));
}

Result<std::vector<Hash>> DecodeTile(std::string_view bytes, int level, uint64_t index) {
  if (bytes.empty() || bytes.size() % 32 != 0 || bytes.size() > kFullTileBytes) {
    return Corruption(
        fmt::format("tile {}/{} is {} bytes, not 1 to 256 hashes", level, index, bytes.size()));
  }
  std::vector<Hash> out(bytes.size() / 32);
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace

Result<LogInfo> RegisterLog(Store& store, const NoteVerifierKey& key, bool own) {
  PendingLog pending;
  ASSIGN_OR_RETURN(pending, PrepareLogRegistration(store, key, own));
  RETURN_IF_ERROR(store.Write(pending.batch, /*sync=*/true));
  return pending.info;
}

Result<PendingLog> PrepareLogRegistration(Store& store, const NoteVerifierKey& key, bool own) {
  std::optional<std::string> existing;
  ASSIGN_OR_RETURN(existing, store.Get(Column::kMeta, OriginKey(key.name)));
  if (existing) return AlreadyExists(fmt::format("log '{}' is already in this store", key.name));
  std::optional<std::string> next;
  ASSIGN_OR_RETURN(next, store.Get(Column::kMeta, std::string(kNextLogId)));
  LogInfo info;
  info.id = next ? GetBigEndian32(reinterpret_cast<const uint8_t*>(next->data())) : 1;
  info.origin = key.name;
  info.key = key;
  info.own = own;
  PendingLog pending;
  pending.info = info;
  WriteBatch& b = pending.batch;
  b.Put(Column::kMeta, OriginKey(key.name), KeyU32(info.id));
  b.Put(Column::kMeta, InfoKey(info.id), EncodeInfo(info));
  b.Put(Column::kMeta, store_keys::LogSize(info.id), KeyU64(0));
  b.Put(Column::kMeta, kNextLogId, KeyU32(info.id + 1));
  return pending;
}

Result<LogInfo> FindLog(Store& store, std::string_view origin) {
  std::optional<std::string> id;
  ASSIGN_OR_RETURN(id, store.Get(Column::kMeta, OriginKey(origin)));
  if (!id) return NotFound(fmt::format("no log '{}' in this store", origin));
  if (id->size() != 4) return Corruption(fmt::format("log id of '{}' is malformed", origin));
  const uint32_t log = GetBigEndian32(reinterpret_cast<const uint8_t*>(id->data()));
  std::optional<std::string> info;
  ASSIGN_OR_RETURN(info, store.Get(Column::kMeta, InfoKey(log)));
  if (!info) return Corruption(fmt::format("log '{}' has no info record", origin));
  return DecodeInfo(log, *info);
}

Result<std::vector<LogInfo>> ListLogs(Store& store) {
  std::vector<LogInfo> out;
  auto it = store.NewShortIterator(Column::kMeta);
  for (it->Seek("log/"); it->Valid() && it->key().substr(0, 4) == "log/"; it->Next()) {
    const std::string_view k = it->key();
    if (k.size() != 19 || k.substr(14) != "/info") continue;
    // "log/<10 digits>/info": ids are zero-padded so that they sort.
    const std::string_view digits = k.substr(4, 10);
    if (digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return Corruption(fmt::format("malformed meta key '{}'", k));
    }
    const uint64_t id = std::stoull(std::string(digits));
    LogInfo info;
    ASSIGN_OR_RETURN(info, DecodeInfo(static_cast<uint32_t>(id), it->value()));
    out.push_back(std::move(info));
  }
  RETURN_IF_ERROR(it->status());
  return out;
}

Result<uint64_t> LogReader::Size() {
  return ReadU64(store_, Column::kMeta, store_keys::LogSize(info_.id),
                 fmt::format("size of log '{}'", info_.origin));
}

Result<Bytes> LogReader::Leaf(uint64_t index) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store_.Get(Column::kLeaves, store_keys::Leaf(info_.id, index)));
  if (!v) return NotFound(fmt::format("leaf {} is not in log '{}'", index, info_.origin));
  return Bytes(v->begin(), v->end());
}

Status LogReader::ForEachLeaf(uint64_t begin, uint64_t end,
                              const std::function<Status(uint64_t, ByteSpan)>& f) {
  if (begin >= end) return Status::Ok();
  // A tile's worth of leaves (an entry bundle served to a peer) is read
  // without the long scan's read-ahead.
  auto it = end - begin <= kTileWidth ? store_.NewShortIterator(Column::kLeaves)
                                      : store_.NewIterator(Column::kLeaves);
  it->Seek(store_keys::Leaf(info_.id, begin));
  for (uint64_t i = begin; i < end; ++i, it->Next()) {
    if (!it->Valid() || it->key() != store_keys::Leaf(info_.id, i)) {
      RETURN_IF_ERROR(it->status());
      return Corruption(fmt::format("leaf {}: missing from the store", i));
    }
    RETURN_IF_ERROR(f(i, AsBytes(it->value())));
  }
  return it->status();
}

Result<std::optional<std::string>> LogReader::ReadTileBytes(int level, uint64_t index) {
  return store_.Get(Column::kTiles, store_keys::Tile(info_.id, level, index));
}

Result<std::vector<Hash>> LogReader::ReadTile(int level, uint64_t index) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, ReadTileBytes(level, index));
  if (!v)
    return NotFound(fmt::format("tile {}/{} of log '{}' is missing", level, index, info_.origin));
  return DecodeTile(*v, level, index);
}

Result<Hash> LogReader::SubtreeHash(int level, uint64_t index) {
  const TileId t = SubtreeTile(level, index);
  auto key = std::make_pair(t.level, t.index);
  auto it = tile_cache_.find(key);
  if (it == tile_cache_.end()) {
    std::vector<Hash> tile;
    ASSIGN_OR_RETURN(tile, ReadTile(t.level, t.index));
    if (tile_cache_.size() > 4096) tile_cache_.clear();
    it = tile_cache_.emplace(key, std::move(tile)).first;
  }
  auto h = SubtreeFromTile(level, index, it->second);
  if (!h.ok()) return Corruption(h.status().message());
  return h;
}

Result<Hash> LogReader::Root(uint64_t size) {
  uint64_t have;
  ASSIGN_OR_RETURN(have, Size());
  if (size > have)
    return InvalidArgument(fmt::format("size {} is beyond the log's {} leaves", size, have));
  tile_cache_.clear();  // partial tiles may have grown since they were cached
  return TreeRootFrom(size, [this](int l, uint64_t i) { return SubtreeHash(l, i); });
}

Result<std::vector<Hash>> LogReader::InclusionProof(uint64_t index, uint64_t size) {
  uint64_t have;
  ASSIGN_OR_RETURN(have, Size());
  if (size > have)
    return InvalidArgument(fmt::format("size {} is beyond the log's {} leaves", size, have));
  tile_cache_.clear();
  return InclusionProofFrom(index, size, [this](int l, uint64_t i) { return SubtreeHash(l, i); });
}

Result<std::vector<Hash>> LogReader::ConsistencyProof(uint64_t old_size, uint64_t new_size) {
  uint64_t have;
  ASSIGN_OR_RETURN(have, Size());
  if (new_size > have) {
    return InvalidArgument(fmt::format("size {} is beyond the log's {} leaves", new_size, have));
  }
  tile_cache_.clear();
  return ConsistencyProofFrom(old_size, new_size,
                              [this](int l, uint64_t i) { return SubtreeHash(l, i); });
}

Result<std::string> LogReader::LatestCheckpoint() {
  auto it = store_.NewShortIterator(Column::kCheckpoints);
  it->SeekForPrev(store_keys::Checkpoint(info_.id, UINT64_MAX));
  if (!it->Valid() || it->key().substr(0, 4) != KeyU32(info_.id)) {
    RETURN_IF_ERROR(it->status());
    return NotFound(fmt::format("log '{}' has no checkpoint yet", info_.origin));
  }
  return std::string(it->value());
}

Status LogReader::ForEachCheckpoint(const std::function<Status(uint64_t, std::string_view)>& f) {
  auto it = store_.NewIterator(Column::kCheckpoints);
  const std::string prefix = KeyU32(info_.id);
  for (it->Seek(prefix); it->Valid() && it->key().substr(0, 4) == prefix; it->Next()) {
    if (it->key().size() != 12) return Corruption("malformed checkpoint key");
    const uint64_t size = GetBigEndian64(reinterpret_cast<const uint8_t*>(it->key().data() + 4));
    RETURN_IF_ERROR(f(size, it->value()));
  }
  return it->status();
}

Result<std::unique_ptr<LogWriter>> LogWriter::Open(Store& store, LogInfo info,
                                                   const SigningKey* signer) {
  if (signer != nullptr && signer->public_key() != info.key.key) {
    return InvalidArgument(fmt::format("the key given does not sign log '{}'", info.origin));
  }
  // A node that may be behind what it signed before signs nothing
  // (ledger/log/recovery.h): every append to the own log opens a signing writer.
  if (signer != nullptr) RETURN_IF_ERROR(RefuseIfOwnLogHeld(store));
  auto w = std::unique_ptr<LogWriter>(new LogWriter(store, info, signer));
  LogReader reader(store, info);
  uint64_t size;
  ASSIGN_OR_RETURN(size, reader.Size());
  std::vector<std::vector<Hash>> edge(TileLevels(size));
  for (int l = 0; l < static_cast<int>(edge.size()); ++l) {
    const LevelShape shape = TileLevelShape(size, l);
    if (shape.partial_width == 0) continue;
    auto tile = reader.ReadTile(l, shape.full);
    if (!tile.ok()) return Corruption("reopening log: " + tile.status().message());
    edge[l] = std::move(tile).value();
  }
  auto tiles = TileBuilder::Resume(size, std::move(edge));
  if (!tiles.ok()) return Corruption("reopening log: " + tiles.status().message());
  w->tiles_ = std::move(tiles).value();
  if (!store.read_only()) RETURN_IF_ERROR(w->RemoveUncommittedTail());
  if (signer != nullptr) {
    auto latest = reader.LatestCheckpoint();
    uint64_t signed_size = 0;
    bool have = false;
    if (latest.ok()) {
      auto cp = OpenCheckpoint(*latest, info.key);
      if (!cp.ok()) return Corruption("latest checkpoint: " + cp.status().message());
      signed_size = cp->checkpoint.size;
      have = true;
    } else if (latest.status().code() != StatusCode::kNotFound) {
      return latest.status();
    }
    if (signed_size > size) {
      return Corruption(fmt::format("latest checkpoint is for size {} but the log has {} leaves",
                                    signed_size, size));
    }
    if (!have || signed_size < size) {
      auto cp = w->SignAndStoreCheckpoint();
      if (!cp.ok()) return cp.status();
    }
  }
  return w;
}

Result<std::unique_ptr<LogWriter>> LogWriter::OpenPending(Store& store, LogInfo info) {
  auto w = std::unique_ptr<LogWriter>(new LogWriter(store, std::move(info), nullptr));
  // Leftovers of an earlier attempt under the same reserved id go first.
  if (!store.read_only()) RETURN_IF_ERROR(w->RemoveUncommittedTail());
  return w;
}

std::vector<std::vector<Hash>> LogWriter::RightEdge() const {
  std::vector<std::vector<Hash>> edge(TileLevels(size()));
  for (int l = 0; l < static_cast<int>(edge.size()); ++l) {
    auto p = tiles_.Partial(l);
    edge[l].assign(p.begin(), p.end());
  }
  return edge;
}

Result<uint64_t> LogWriter::Append(std::span<const ByteSpan> leaves,
                                   std::span<const Hash> leaf_hashes, const WriteBatch* extra) {
  if (leaves.size() != leaf_hashes.size()) return InvalidArgument("one leaf hash per leaf");
  if (leaves.empty()) return InvalidArgument("nothing to append");
  const uint64_t first = size();
  AppendTransaction txn(*this);
  for (size_t i = 0; i < leaves.size(); ++i) {
    RETURN_IF_ERROR(txn.Put(first + i, leaves[i]));
    RETURN_IF_ERROR(txn.AddHash(leaf_hashes[i]));
  }
  RETURN_IF_ERROR(txn.Commit(extra).status());
  return first;
}

std::unique_ptr<AppendTransaction> LogWriter::Begin() {
  return std::make_unique<AppendTransaction>(*this);
}

Status LogWriter::RemoveUncommittedTail() {
  const uint64_t n = size();
  WriteBatch batch;
  batch.DeleteRange(Column::kLeaves, store_keys::Leaf(info_.id, n),
                    store_keys::Leaf(info_.id, UINT64_MAX));
  for (int l = 0; l < kMaxTileLevels; ++l) {
    const LevelShape shape = TileLevelShape(n, l);
    const uint64_t keep = shape.full + (shape.partial_width ? 1 : 0);
    batch.DeleteRange(Column::kTiles, store_keys::Tile(info_.id, l, keep),
                      store_keys::Tile(info_.id, l, UINT64_MAX));
    if (shape.partial_width == 0) continue;
    // The right-edge tile may have been widened by an uncommitted append.
    auto tile = tiles_.Partial(l);
    batch.Put(Column::kTiles, store_keys::Tile(info_.id, l, shape.full),
              std::string_view(reinterpret_cast<const char*>(tile.data()), tile.size_bytes()));
  }
  return store_.Write(batch, /*sync=*/false);
}

AppendTransaction::AppendTransaction(LogWriter& writer)
    : writer_(writer), first_(writer.size()), tiles_(writer.tiles_) {}

Status AppendTransaction::Put(uint64_t index, ByteSpan leaf) {
  if (index < first_ || index - first_ > kMaxStatementLeaves) {
    return InvalidArgument(fmt::format("leaf index {} is outside this append", index));
  }
  if (leaf.size() > kMaxEntryBytes) {
    return InvalidArgument(
        fmt::format("leaf {} is {} bytes; at most {}", index, leaf.size(), kMaxEntryBytes));
  }
  const uint64_t slot = index - first_;
  if (slot >= put_.size()) put_.resize(slot + 1, false);
  if (put_[slot]) return InvalidArgument(fmt::format("leaf {} was put twice", index));
  put_[slot] = true;
  if (!run_.started) {
    run_.started = true;
    run_.first = index;
  }
  if (index == run_.next()) {
    run_.spans.emplace_back(run_.bytes.size(), leaf.size());
    run_.bytes.append(AsChars(leaf));
  } else {
    pending_.Put(Column::kLeaves, store_keys::Leaf(writer_.info_.id, index), AsChars(leaf));
  }
  return FlushIfLarge();
}

Status AppendTransaction::LoadRun(Store& store, uint32_t log, const LeafRun& run) {
  size_t i = 0;
  std::string key;
  return store.BulkLoad(Column::kLeaves, [&](std::string_view& k, std::string_view& v) {
    if (i == run.spans.size()) return false;
    key = store_keys::Leaf(log, run.first + i);
    k = key;
    v = std::string_view(run.bytes).substr(run.spans[i].first, run.spans[i].second);
    ++i;
    return true;
  });
}

Status AppendTransaction::AddHash(const Hash& leaf_hash) {
  tiles_.Append(leaf_hash);
  // Full tiles never change again; write them with the leaves.
  for (const auto& t : tiles_.TakeCompleted()) {
    pending_.Put(Column::kTiles, store_keys::Tile(writer_.info_.id, t.id.level, t.id.index),
                 std::string_view(reinterpret_cast<const char*>(t.hashes.data()),
                                  t.hashes.size() * sizeof(Hash)));
  }
  return FlushIfLarge();
}

AppendTransaction::~AppendTransaction() {
  (void)WaitForChunk();
  if (committed_ || !flushed_) return;
  // Abandoned after chunks went to the store (a refused import): remove
  // them now and give their space back, rather than leave hundreds of
  // megabytes of table files until later appends overwrite them.
  if (!writer_.RemoveUncommittedTail().ok()) return;
  const uint32_t log = writer_.info_.id;
  (void)writer_.store_.Reclaim(Column::kLeaves, store_keys::Leaf(log, first_),
                               store_keys::Leaf(log, UINT64_MAX));
  (void)writer_.store_.Reclaim(Column::kTiles, store_keys::Tile(log, 0, first_ / kTileWidth),
                               store_keys::Tile(log, 0, UINT64_MAX));
}

Status AppendTransaction::WaitForChunk() {
  if (!chunk_in_flight_.valid()) return Status::Ok();
  return chunk_in_flight_.get();
}

Status AppendTransaction::FlushIfLarge() {
  if (pending_.ByteSize() + run_.bytes.size() < kStagingChunkBytes) return Status::Ok();
  RETURN_IF_ERROR(WaitForChunk());
  // One chunk at a time goes to the store on another thread while the caller
  // fills the next: parsing and encoding overlap the store's work.
  flushed_ = true;
  staged_unlogged_ |= !pending_.empty();
  LeafRun next;
  next.started = true;
  next.first = run_.next();
  chunk_in_flight_ = std::async(std::launch::async,
                                [&store = writer_.store_, log = writer_.info_.id,
                                 run = std::move(run_), batch = std::move(pending_)]() -> Status {
                                  RETURN_IF_ERROR(LoadRun(store, log, run));
                                  return batch.empty() ? Status::Ok() : store.WriteUnlogged(batch);
                                });
  run_ = std::move(next);
  pending_ = WriteBatch();
  return Status::Ok();
}

Result<uint64_t> AppendTransaction::Commit(const WriteBatch* extra) {
  RETURN_IF_ERROR(WaitForChunk());
  // A hold may come while the writer is open (a running node learns it is
  // behind): it stops the next append.
  if (writer_.signer_ != nullptr) RETURN_IF_ERROR(RefuseIfOwnLogHeld(writer_.store_));
  const uint64_t n = tiles_.size();
  if (n == first_) return InvalidArgument("nothing to append");
  if (put_.size() != n - first_ || std::find(put_.begin(), put_.end(), false) != put_.end()) {
    return FailedPrecondition("an append's leaves and hashes do not match");
  }
  if (!flushed_) {
    // Small: everything goes into the one commit batch.
    for (size_t i = 0; i < run_.spans.size(); ++i) {
      pending_.Put(Column::kLeaves, store_keys::Leaf(writer_.info_.id, run_.first + i),
                   std::string_view(run_.bytes).substr(run_.spans[i].first, run_.spans[i].second));
    }
  } else {
    // Large: the last run is bulk-loaded (durable on return); what went
    // without the log must reach table files before the commit batch.
    RETURN_IF_ERROR(LoadRun(writer_.store_, writer_.info_.id, run_));
    if (staged_unlogged_) {
      RETURN_IF_ERROR(writer_.store_.Persist({Column::kLeaves, Column::kTiles}));
    }
  }
  run_ = LeafRun();
  for (const auto& t : tiles_.TakeChanges()) {
    pending_.Put(Column::kTiles, store_keys::Tile(writer_.info_.id, t.id.level, t.id.index),
                 std::string_view(reinterpret_cast<const char*>(t.hashes.data()),
                                  t.hashes.size() * sizeof(Hash)));
  }
  // The caller's writes go first so that nothing in them (a pending log
  // registration says size 0) can undo the new size.
  if (extra != nullptr) pending_.Append(*extra);
  pending_.Put(Column::kMeta, store_keys::LogSize(writer_.info_.id), KeyU64(n));
  RETURN_IF_ERROR(writer_.store_.Write(pending_, /*sync=*/true));
  committed_ = true;
  pending_.Clear();
  writer_.tiles_ = tiles_;
  return n;
}

Result<SignedCheckpoint> LogWriter::SignAndStoreCheckpoint() {
  if (signer_ == nullptr) return FailedPrecondition("replicas are not signed by this node");
  RETURN_IF_ERROR(RefuseIfOwnLogHeld(store_));
  Checkpoint c;
  c.origin = info_.origin;
  c.size = size();
  c.root = root();
  SignedCheckpoint sc = SignCheckpoint(c, *signer_);
  RETURN_IF_ERROR(StoreCheckpoint(c.size, sc.Serialize()));
  return sc;
}

Status LogWriter::StoreCheckpoint(uint64_t size, std::string_view note) {
  WriteBatch batch;
  batch.Put(Column::kCheckpoints, store_keys::Checkpoint(info_.id, size), note);
  return store_.Write(batch, /*sync=*/true);
}

}  // namespace jejak
