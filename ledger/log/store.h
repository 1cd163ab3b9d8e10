// The key-value store under a node: an interface with a RocksDB implementation
// (rocks_store.h) and a fault-injecting one for tests. Key layout:
// specs/store-layout.md.
//
// Thread safety: Get/NewIterator/Write may be called from several threads.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace jejak {

// Column families. The names (ColumnName) are part of the on-disk format.
enum class Column : uint8_t {
  kMeta = 0,      // log registry and per-log heads
  kLeaves,        // entry bytes by (log, index)
  kTiles,         // tile hashes by (log, level, index)
  kCheckpoints,   // signed checkpoints by (log, size)
  kCosignatures,  // witness cosignatures by (log, size, witness)
  kIndex,         // secondary indexes of the record layers
  kEvidence,      // equivocation and other evidence
};
inline constexpr int kColumnCount = 7;
std::string_view ColumnName(Column c);

// A set of writes applied atomically. Cheap to append to: one growing buffer.
class WriteBatch {
 public:
  void Put(Column c, std::string_view key, std::string_view value);
  void Delete(Column c, std::string_view key);
  // Deletes every key in [begin, end).
  void DeleteRange(Column c, std::string_view begin, std::string_view end);
  bool empty() const { return count_ == 0; }
  size_t count() const { return count_; }
  size_t ByteSize() const { return rep_.size(); }
  void Append(const WriteBatch& other);
  void Clear();

  // Calls f(kind, column, key, value) for each operation in order; kind is
  // 'P' (put), 'D' (delete, empty value) or 'R' (delete range: key is the
  // first key, value the end).
  template <typename F>
  void ForEach(F&& f) const;

 private:
  std::string rep_;
  size_t count_ = 0;
};

// Iterates one column in key order. Not thread-safe; sees a consistent view.
class StoreIterator {
 public:
  virtual ~StoreIterator() = default;
  virtual void Seek(std::string_view key) = 0;
  virtual void SeekForPrev(std::string_view key) = 0;
  virtual void Next() = 0;
  virtual bool Valid() const = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  // Ok, or the I/O or corruption error that ended the iteration.
  virtual Status status() const = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // The value, std::nullopt when absent, or an I/O or corruption error.
  virtual Result<std::optional<std::string>> Get(Column c, std::string_view key) = 0;
  // For a long scan: reads ahead in large blocks.
  virtual std::unique_ptr<StoreIterator> NewIterator(Column c) = 0;
  // For a few hundred keys (a tile's leaves): reads no more than it visits,
  // where a long scan's read-ahead would read megabytes to serve kilobytes.
  virtual std::unique_ptr<StoreIterator> NewShortIterator(Column c) { return NewIterator(c); }
  // Applies the batch atomically; with `sync`, durable on return.
  virtual Status Write(const WriteBatch& batch, bool sync) = 0;
  // Applies the batch atomically without the write-ahead log: fast, but lost
  // in a crash unless Persist() runs after it. For staging that a later
  // synced write publishes.
  virtual Status WriteUnlogged(const WriteBatch& batch) = 0;
  // Makes every write so far to `columns` durable (RocksDB: flushes their
  // memtables to table files and waits).
  virtual Status Persist(std::initializer_list<Column> columns) = 0;
  // Adds many puts to one column at once, durable on return: each source
  // yields its pairs in strictly increasing key order (false when done), and
  // every key of a source is below every key of the sources after it. Stores
  // may build a table file per source, concurrently, and link them in whole
  // (RocksDB ingestion), which costs far less than writing the pairs one by
  // one. Atomic: all pairs of all sources or none.
  using SortedPairs = std::function<bool(std::string_view& key, std::string_view& value)>;
  virtual Status BulkLoad(Column c, const std::vector<SortedPairs>& sources) = 0;
  Status BulkLoad(Column c, const SortedPairs& next) {
    return BulkLoad(c, std::vector<SortedPairs>{next});
  }
  // A long run of bulk loads into `c` (a replica store's first pull of many
  // logs): until EndBulkLoads, `c` is not compacted in the background, since
  // loads whose keys span the whole column would each make the compaction
  // rewrite it again. EndBulkLoads compacts `c` once if the loads left more
  // table files than reads should merge. A process that ends in between
  // loses nothing: the next open compacts in the background as usual.
  virtual Status BeginBulkLoads(Column c) {
    (void)c;
    return Status::Ok();
  }
  virtual Status EndBulkLoads(Column c) {
    (void)c;
    return Status::Ok();
  }
  // Gives back the disk space of keys in [begin, end) of `c` that were
  // deleted (a range delete of an abandoned append): drops the table files
  // that hold nothing else and compacts the range. Best effort: an error
  // leaves the data deleted but the space in use.
  virtual Status Reclaim(Column c, std::string_view begin, std::string_view end) {
    (void)c, (void)begin, (void)end;
    return Status::Ok();
  }
  // Writes a consistent copy of the whole store, as of one instant, into the
  // new folder `dir` (on the same file system, files that never change are
  // hard links: RocksDB's checkpoint), while writes go on. AlreadyExists if
  // `dir` exists; FailedPrecondition for stores that cannot.
  virtual Status Snapshot(const std::string& dir) {
    (void)dir;
    return FailedPrecondition("this store cannot make a snapshot");
  }
  // True for stores opened read-only.
  virtual bool read_only() const = 0;
};

// Big-endian key pieces, so that keys sort numerically.
std::string KeyU32(uint32_t v);
std::string KeyU64(uint64_t v);

template <typename F>
void WriteBatch::ForEach(F&& f) const {
  size_t pos = 0;
  auto read_len = [&]() {
    uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n = n << 8 | static_cast<uint8_t>(rep_[pos++]);
    return n;
  };
  while (pos < rep_.size()) {
    const char kind = rep_[pos++];
    const auto column = static_cast<Column>(rep_[pos++]);
    const uint32_t klen = read_len();
    std::string_view key(rep_.data() + pos, klen);
    pos += klen;
    const uint32_t vlen = read_len();
    std::string_view value(rep_.data() + pos, vlen);
    pos += vlen;
    f(kind, column, key, value);
  }
}

}  // namespace jejak
