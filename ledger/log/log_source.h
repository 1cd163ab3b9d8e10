// Where a log is read from for verification and replication: a node's store,
// a folder written by `jejak export`, and (node/) a peer over HTTPS. One
// verifier runs over all of them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "crypto/encoding.h"
#include "crypto/status.h"
#include "ledger/log/log.h"
#include "ledger/log/tiles.h"

namespace jejak {

using LeafFn = std::function<Status(uint64_t index, ByteSpan leaf)>;

class LogSource {
 public:
  virtual ~LogSource() = default;
  // For messages: "store /srv/node", "tiles /media/usb/kab-7404".
  virtual std::string Describe() const = 0;
  // The latest signed checkpoint note, unverified.
  virtual Result<std::string> ReadCheckpoint() = 0;
  // Number of leaves the source holds; at least the checkpoint's size.
  virtual Result<uint64_t> LeafCount(uint64_t checkpoint_size) = 0;
  // Streams leaves [begin, end) in order; Corruption naming a missing leaf.
  virtual Status ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) = 0;
  // The stored bytes of `tile`, std::nullopt if absent. A store keeps one
  // version of each tile (full, or partial at the log's current width), so it
  // ignores tile.width; a folder holds a file per width.
  virtual Result<std::optional<std::string>> ReadTile(const TileId& tile) = 0;
  // Every earlier checkpoint the source keeps, besides the latest (stores keep
  // them all; tile folders only the latest).
  virtual Status ForEachOlderCheckpoint(
      const std::function<Status(uint64_t size, std::string_view note)>& f) = 0;
  // True when a right-edge tile may hold more hashes than the tree (a store
  // with an append in flight); only the tree's part is then compared.
  virtual bool tiles_may_be_wider() const { return false; }
};

// A log in a node's store.
class StoreLogSource final : public LogSource {
 public:
  StoreLogSource(Store& store, LogInfo info, std::string where)
      : reader_(store, std::move(info)), where_(std::move(where)) {}
  std::string Describe() const override { return where_; }
  Result<std::string> ReadCheckpoint() override { return reader_.LatestCheckpoint(); }
  Result<uint64_t> LeafCount(uint64_t) override { return reader_.Size(); }
  Status ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) override {
    return reader_.ForEachLeaf(begin, end, f);
  }
  Result<std::optional<std::string>> ReadTile(const TileId& tile) override {
    return reader_.ReadTileBytes(tile.level, tile.index);
  }
  Status ForEachOlderCheckpoint(
      const std::function<Status(uint64_t, std::string_view)>& f) override {
    return reader_.ForEachCheckpoint(f);
  }
  bool tiles_may_be_wider() const override { return true; }

 private:
  LogReader reader_;
  std::string where_;
};

}  // namespace jejak
