// Key-ordered buffers of key-value pairs, for writing derived indexes to a
// store: RocksDB's memtable takes ordered keys several times faster than
// random ones, and a large sorted run can be bulk-loaded as one table file
// (Store::BulkLoad). Engine-level: keys and values are opaque bytes.
//
// Not thread-safe; SortedEntries::Sort sorts its runs on threads of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/log/store.h"

namespace jejak {

// Key-value pairs packed into one arena (no allocation per entry), sorted by
// key on demand. Meant for keys that share a long prefix ("R2026-T1\0..."):
// each entry keeps the 8 bytes after the prefix common to all, and most
// comparisons end there.
class SortedRun {
 public:
  void Add(std::string_view key, std::string_view value);
  size_t bytes() const { return arena_.size() + index_.size() * sizeof(Ref); }
  size_t size() const { return index_.size(); }
  // Sorts by key; of equal keys the one added last stays (as a batch would).
  void Sort();
  // The i-th pair in order (after Sort); false past the end.
  bool At(size_t i, std::string_view& key, std::string_view& value) const;
  void Clear();

 private:
  struct Ref {
    size_t offset;
    uint32_t key_size, value_size;
    uint64_t head;  // 8 key bytes after the common prefix, big-endian
  };
  std::string_view Key(const Ref& r) const {
    return std::string_view(arena_).substr(r.offset, r.key_size);
  }
  std::string arena_;
  std::vector<Ref> index_;
};

// Pairs of several key kinds, one SortedRun per kind (the first key byte);
// the runs in kind order, each sorted, are the pairs in key order.
class SortedEntries {
 public:
  void Add(std::string_view key, std::string_view value) {
    runs_[static_cast<uint8_t>(key.empty() ? 0 : key[0])].Add(key, value);
  }
  size_t bytes() const;
  size_t size() const;
  // Sorts the runs, each on a thread of its own.
  void Sort();
  // Calls f for every pair in key order (after Sort); stops at its error.
  Status ForEach(const std::function<Status(std::string_view, std::string_view)>& f) const;
  // One pull-style source per run, in key order, for Store::BulkLoad. They
  // refer to this object: use them before it changes.
  std::vector<Store::SortedPairs> Sources() const;
  void Clear() { runs_.clear(); }

 private:
  std::map<uint8_t, SortedRun> runs_;
};

}  // namespace jejak
