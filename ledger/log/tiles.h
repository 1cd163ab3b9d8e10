// C2SP tlog-tiles: tile coordinates, paths, and incremental tile building.
//
// A tile at level L, index N holds up to 256 hashes; at level 0 they are leaf
// hashes, above each is the root of one full tile of the level below. The
// rightmost tile of each level is partial. Pure code: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace jejak {

inline constexpr int kTileHeight = 8;
inline constexpr uint64_t kTileWidth = 256;
inline constexpr size_t kFullTileBytes = kTileWidth * 32;
// Levels a 64-bit tree size can reach (8 bits per level).
inline constexpr int kMaxTileLevels = 8;

struct TileId {
  int level = 0;       // 0..63
  uint64_t index = 0;  // position within the level
  uint32_t width = 0;  // 1..256; 256 is a full tile
  bool operator==(const TileId&) const = default;
};

// "x001/x234/067" for 1234067 (tlog-tiles index encoding).
std::string TileIndexPath(uint64_t index);
// "tile/<L>/<N>[.p/<W>]".
std::string TilePath(const TileId& tile);
// "tile/entries/<N>[.p/<W>]".
std::string EntryBundlePath(uint64_t index, uint32_t width);

// Parses "tile/<L>/<N>[.p/<W>]" or "tile/entries/<N>[.p/<W>]" (without a
// leading slash). `entries` tells which. InvalidArgument on anything else.
struct ParsedTilePath {
  bool entries = false;
  TileId tile;
};
Result<ParsedTilePath> ParseTilePath(std::string_view path);

// The tiles a tree of `size` leaves consists of at `level`: `full` full tiles
// and, if non-zero, one partial tile of width `partial_width` after them.
struct LevelShape {
  uint64_t full = 0;
  uint32_t partial_width = 0;
};
LevelShape TileLevelShape(uint64_t size, int level);
// Number of levels that hold at least one hash for a tree of `size`.
int TileLevels(uint64_t size);

// The hash of a perfect subtree over `hashes` (a power-of-two count, >= 1).
Hash PerfectRoot(std::span<const Hash> hashes);

// The tile that holds the complete subtree (level, index) of the tree, with the
// width that tile must have at least.
TileId SubtreeTile(int level, uint64_t index);
// The hash of the complete subtree (level, index), given the hashes of the tile
// SubtreeTile(level, index) names. InvalidArgument if the tile is too narrow.
Result<Hash> SubtreeFromTile(int level, uint64_t index, std::span<const Hash> tile_hashes);

// Builds tiles as leaf hashes are appended, keeping only the right edge (one
// partial tile per level) in memory. Not thread-safe.
class TileBuilder {
 public:
  TileBuilder() = default;
  // Resumes at `size` from the right-edge tiles: `right_edge[L]` must hold the
  // first TileLevelShape(size, L).partial_width hashes of that level's partial
  // tile (extra hashes are ignored). InvalidArgument when one is too short.
  static Result<TileBuilder> Resume(uint64_t size, std::vector<std::vector<Hash>> right_edge);

  void Append(const Hash& leaf_hash);
  uint64_t size() const { return size_; }
  Hash Root() const;

  // A changed tile: a tile that became full since the last TakeChanges(), or
  // the current partial tile of a level that changed.
  struct Tile {
    TileId id;
    std::vector<Hash> hashes;
  };
  // Tiles changed since the last call: the tiles that became full, in the order
  // they did, then the partial tile of each level that changed, lowest first.
  std::vector<Tile> TakeChanges();
  // Only the tiles that became full since the last call (cheap per leaf).
  std::vector<Tile> TakeCompleted();

  // The current partial tile of `level` (possibly empty).
  std::span<const Hash> Partial(int level) const;

 private:
  void Push(int level, const Hash& h);

  uint64_t size_ = 0;
  std::vector<std::vector<Hash>> partial_;  // per level
  std::vector<Tile> completed_;
  std::vector<bool> dirty_;  // per level: partial changed since TakeChanges
};

}  // namespace jejak
