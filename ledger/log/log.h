// A log inside a store: the registry of logs (a node's own and its replicas),
// reading leaves, tiles, checkpoints and proofs, and appending with crash-safe
// commits. Key layout: specs/store-layout.md.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "crypto/note.h"
#include "crypto/sha256.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/store.h"
#include "ledger/log/tiles.h"

namespace jejak {

struct LogInfo {
  uint32_t id = 0;
  std::string origin;
  NoteVerifierKey key;  // verifies the log's checkpoints; its name is the origin
  bool own = false;     // authored by this node (else a replica)
};

// Registers a log in `store` (durably). AlreadyExists if the origin is known.
Result<LogInfo> RegisterLog(Store& store, const NoteVerifierKey& key, bool own);

// A registration not yet written: `batch` registers the log when applied,
// typically together with the log's first commit, so that a failed first
// replication leaves no trace. Until then the id is only reserved in memory.
struct PendingLog {
  LogInfo info;
  WriteBatch batch;
};
Result<PendingLog> PrepareLogRegistration(Store& store, const NoteVerifierKey& key, bool own);
// The log with `origin`, or NotFound.
Result<LogInfo> FindLog(Store& store, std::string_view origin);
// Every registered log, in registration order.
Result<std::vector<LogInfo>> ListLogs(Store& store);

// Read access to one log. Holds no state besides a small tile cache; cheap to
// create. Not thread-safe (the cache); use one per thread.
class LogReader {
 public:
  LogReader(Store& store, LogInfo info) : store_(store), info_(std::move(info)) {}
  const LogInfo& info() const { return info_; }

  // Number of committed leaves (may exceed the latest checkpoint's size after
  // a crash between commit and signing; the next writer signs the tail).
  Result<uint64_t> Size();
  Result<Bytes> Leaf(uint64_t index);
  // Calls f(index, bytes) for leaves [begin, end) in order; stops at f's first
  // error. Corruption if a leaf is missing.
  Status ForEachLeaf(uint64_t begin, uint64_t end,
                     const std::function<Status(uint64_t, ByteSpan)>& f);

  // The stored hashes of tile (level, index): the full tile or the widest
  // partial stored. NotFound if absent.
  Result<std::vector<Hash>> ReadTile(int level, uint64_t index);
  // The raw stored bytes of a tile (verification compares these).
  Result<std::optional<std::string>> ReadTileBytes(int level, uint64_t index);

  // Proof material, read from O(log n) tiles. `size` must not exceed Size().
  Result<Hash> Root(uint64_t size);
  Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size);
  Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size);

  // The latest stored checkpoint note, NotFound if none.
  Result<std::string> LatestCheckpoint();
  // Calls f(size, note) for every stored checkpoint in size order.
  Status ForEachCheckpoint(const std::function<Status(uint64_t, std::string_view)>& f);

 private:
  Result<Hash> SubtreeHash(int level, uint64_t index);

  Store& store_;
  LogInfo info_;
  std::map<std::pair<int, uint64_t>, std::vector<Hash>> tile_cache_;
};

class AppendTransaction;

// The appending side of one log. One writer per log per process; not
// thread-safe. Every commit ends in one synced WriteBatch holding the tiles
// and the new size: after a crash the log is either before or after it, never
// between.
class LogWriter {
 public:
  // `signer` signs checkpoints of the node's own log; null for replicas. For
  // an own log whose committed size is beyond its latest checkpoint (a crash
  // between commit and signing), Open signs that checkpoint.
  static Result<std::unique_ptr<LogWriter>> Open(Store& store, LogInfo info,
                                                 const SigningKey* signer);
  // A writer for a replica whose registration is pending (size 0): its first
  // commit must carry the PendingLog's batch.
  static Result<std::unique_ptr<LogWriter>> OpenPending(Store& store, LogInfo info);

  const LogInfo& info() const { return info_; }
  Store& store() const { return store_; }
  uint64_t size() const { return tiles_.size(); }
  Hash root() const { return tiles_.Root(); }
  // The right-edge tiles (what TileBuilder::Resume takes).
  std::vector<std::vector<Hash>> RightEdge() const;

  // Appends `leaves` (whose leaf hashes the caller computed) and the extra
  // writes in one synced batch; returns the index of the first leaf. On error
  // nothing is written and the writer keeps its previous size.
  Result<uint64_t> Append(std::span<const ByteSpan> leaves, std::span<const Hash> leaf_hashes,
                          const WriteBatch* extra = nullptr);

  // Begins an append of any size (see AppendTransaction). At most one at a
  // time; the writer must outlive it.
  std::unique_ptr<AppendTransaction> Begin();

  // Own log: signs the checkpoint of the current size and stores it durably.
  Result<SignedCheckpoint> SignAndStoreCheckpoint();
  // Replica: stores a checkpoint its author signed. The caller has verified
  // its signature, size == size() and root == root().
  Status StoreCheckpoint(uint64_t size, std::string_view note);

 private:
  LogWriter(Store& store, LogInfo info, const SigningKey* signer)
      : store_(store), info_(std::move(info)), signer_(signer) {}

  friend class AppendTransaction;
  // Removes what an abandoned or interrupted append left beyond the committed
  // size (leaves, and tiles wider than the tree), so the store holds exactly
  // the log. Readers never look there; this keeps `ldb` inspection honest.
  Status RemoveUncommittedTail();

  Store& store_;
  LogInfo info_;
  const SigningKey* signer_;
  TileBuilder tiles_;
};

// An append of any number of leaves with bounded memory. Leaves may be put in
// any order at indexes from the log's size on, and their hashes are added in
// index order. A small append is one synced batch at Commit. A large one is
// written in chunks as it accumulates — beyond the committed size, where no
// reader looks: leaves bulk-loaded as table files, full tiles without the
// store's write-ahead log — and Commit makes them durable before it writes
// the rest, the tiles and the new size in one synced batch. An uncommitted
// transaction leaves the log as it was: what its chunks wrote is removed, and
// its space given back, when it is destroyed (or, after a crash, when a
// writer next opens the log). Not thread-safe.
class AppendTransaction {
 public:
  explicit AppendTransaction(LogWriter& writer);
  ~AppendTransaction();

  uint64_t first_index() const { return first_; }
  // Index of the next hash AddHash expects.
  uint64_t next_index() const { return tiles_.size(); }
  // Root of the log with the hashes added so far.
  Hash root() const { return tiles_.Root(); }

  // Writes leaf `index` (>= first_index(), each index once). InvalidArgument
  // for a misplaced index or an oversized leaf; store errors otherwise.
  Status Put(uint64_t index, ByteSpan leaf);
  Status AddHash(const Hash& leaf_hash);
  // Commits every leaf in [first_index(), next_index()) — all must have been
  // Put — with `extra` in one synced batch; returns the new size. The writer
  // moves to the new size. FailedPrecondition if a leaf is missing.
  Result<uint64_t> Commit(const WriteBatch* extra = nullptr);

 private:
  Status FlushIfLarge();
  // Waits for the chunk being written in the background, if any.
  Status WaitForChunk();

  // Leaves put at consecutive indexes: a large append bulk-loads them as
  // table files (no memtable, no log, no compaction: their keys only grow).
  struct LeafRun {
    bool started = false;
    uint64_t first = 0;
    std::string bytes;
    std::vector<std::pair<size_t, size_t>> spans;  // (offset, size) in bytes
    uint64_t next() const { return first + spans.size(); }
  };
  static Status LoadRun(Store& store, uint32_t log, const LeafRun& run);

  LogWriter& writer_;
  std::future<Status> chunk_in_flight_;  // staged chunks are written while the next fills
  bool flushed_ = false;                 // some chunk already went to the store
  bool committed_ = false;
  bool staged_unlogged_ = false;  // ... and some of it without the store's log
  uint64_t first_;
  TileBuilder tiles_;
  LeafRun run_;
  WriteBatch pending_;     // tiles, and leaves put out of order
  std::vector<bool> put_;  // by index - first_
};

// Store keys, shared by the reader, writer and tools (see specs/store-layout.md).
namespace store_keys {
std::string Leaf(uint32_t log, uint64_t index);
std::string Tile(uint32_t log, int level, uint64_t index);
std::string Checkpoint(uint32_t log, uint64_t size);
std::string LogSize(uint32_t log);
}  // namespace store_keys

}  // namespace jejak
