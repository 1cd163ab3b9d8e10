#include "ledger/log/tiles.h"

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"

namespace jejak {

std::string TileIndexPath(uint64_t index) {
  std::string out = fmt::format("{:03d}", index % 1000);
  for (index /= 1000; index > 0; index /= 1000) {
    out = fmt::format("x{:03d}/", index % 1000) + out;
  }
  return out;
}

std::string TilePath(const TileId& tile) {
  std::string p = fmt::format("tile/{}/{}", tile.level, TileIndexPath(tile.index));
  if (tile.width < kTileWidth) p += fmt::format(".p/{}", tile.width);
  return p;
}

std::string EntryBundlePath(uint64_t index, uint32_t width) {
  std::string p = "tile/entries/" + TileIndexPath(index);
  if (width < kTileWidth) p += fmt::format(".p/{}", width);
  return p;
}

Result<ParsedTilePath> ParseTilePath(std::string_view path) {
  const std::string_view original = path;
  auto bad = [&] {
    // Quoted only when printable: the path comes from a request.
    if (!ValidUtf8(original, {})) return InvalidArgument("the path is not a tile path");
    return InvalidArgument(fmt::format("'{}' is not a tile path", original));
  };
  if (path.substr(0, 5) != "tile/") return bad();
  path.remove_prefix(5);
  ParsedTilePath out;
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos) return bad();
  const std::string_view level = path.substr(0, slash);
  path.remove_prefix(slash + 1);
  if (level == "entries") {
    out.entries = true;
  } else {
    auto l = ParseDecimal(level);
    if (!l.ok() || *l > 63) return bad();
    out.tile.level = static_cast<int>(*l);
  }
  out.tile.width = kTileWidth;
  if (const size_t p = path.find(".p/"); p != std::string_view::npos) {
    auto w = ParseDecimal(path.substr(p + 3));
    if (!w.ok() || *w < 1 || *w > 255) return bad();
    out.tile.width = static_cast<uint32_t>(*w);
    path = path.substr(0, p);
  }
  // Digits of the index, three per path element; then require the canonical
  // spelling ("x001/x234/067"), which rules out extra zero elements. A uint64
  // takes at most 7 elements ("x018/x446/x744/x073/x709/x551/615", 33 bytes);
  // level-0 tile indexes of large trees take 6.
  if (path.size() > 33) return bad();
  uint64_t index = 0;
  for (char c : path) {
    if (c == 'x' || c == '/') continue;
    if (c < '0' || c > '9') return bad();
    if (index > (UINT64_MAX - 9) / 10) return bad();
    index = index * 10 + static_cast<uint64_t>(c - '0');
  }
  if (TileIndexPath(index) != path) return bad();
  out.tile.index = index;
  return out;
}

LevelShape TileLevelShape(uint64_t size, int level) {
  const int shift = kTileHeight * level;
  if (shift >= 64) return {};
  const uint64_t hashes = size >> shift;  // hashes at this level
  return {hashes / kTileWidth, static_cast<uint32_t>(hashes % kTileWidth)};
}

int TileLevels(uint64_t size) {
  int levels = 0;
  while (levels * kTileHeight < 64 && (size >> (kTileHeight * levels)) > 0) ++levels;
  return levels;
}

Hash PerfectRoot(std::span<const Hash> hashes) {
  if (hashes.size() == 1) return hashes[0];
  const size_t half = hashes.size() / 2;
  return NodeHash(PerfectRoot(hashes.first(half)), PerfectRoot(hashes.subspan(half)));
}

TileId SubtreeTile(int level, uint64_t index) {
  const int tile_level = level / kTileHeight;
  const int r = level % kTileHeight;
  // The subtree covers tile-level entries [index << r, (index + 1) << r).
  const uint64_t first = index << r;
  const uint64_t end = (index + 1) << r;
  TileId t;
  t.level = tile_level;
  t.index = first / kTileWidth;
  t.width = static_cast<uint32_t>(end - t.index * kTileWidth);
  return t;
}

Result<Hash> SubtreeFromTile(int level, uint64_t index, std::span<const Hash> tile_hashes) {
  const TileId t = SubtreeTile(level, index);
  if (tile_hashes.size() < t.width) {
    return InvalidArgument(fmt::format("tile {}/{} has {} hashes, subtree needs {}", t.level,
                                       t.index, tile_hashes.size(), t.width));
  }
  const int r = level % kTileHeight;
  const uint64_t first = (index << r) - t.index * kTileWidth;
  return PerfectRoot(tile_hashes.subspan(first, uint64_t{1} << r));
}

Result<TileBuilder> TileBuilder::Resume(uint64_t size, std::vector<std::vector<Hash>> right_edge) {
  TileBuilder b;
  b.size_ = size;
  const int levels = TileLevels(size);
  b.partial_.resize(levels);
  b.dirty_.assign(levels, false);
  for (int l = 0; l < levels; ++l) {
    const uint32_t w = TileLevelShape(size, l).partial_width;
    if (w == 0) continue;
    if (static_cast<int>(right_edge.size()) <= l || right_edge[l].size() < w) {
      return InvalidArgument(fmt::format("right-edge tile at level {} needs {} hashes", l, w));
    }
    b.partial_[l].assign(right_edge[l].begin(), right_edge[l].begin() + w);
  }
  return b;
}

void TileBuilder::Push(int level, const Hash& h) {
  if (static_cast<int>(partial_.size()) <= level) {
    partial_.resize(level + 1);
    dirty_.resize(level + 1, false);
  }
  auto& p = partial_[level];
  p.push_back(h);
  dirty_[level] = true;
  if (p.size() == kTileWidth) {
    const uint64_t index = (size_ >> (kTileHeight * level)) / kTileWidth;
    // size_ already counts the new leaf; the tile index is that of the last
    // complete tile at this level.
    const Hash root = PerfectRoot(p);
    completed_.push_back(
        {TileId{level, index - 1, static_cast<uint32_t>(kTileWidth)}, std::move(p)});
    p.clear();
    p.reserve(kTileWidth);
    Push(level + 1, root);
  }
}

void TileBuilder::Append(const Hash& leaf_hash) {
  ++size_;
  Push(0, leaf_hash);
}

Hash TileBuilder::Root() const {
  if (size_ == 0) return EmptyTreeRoot();
  // The complete subtrees of the size's binary decomposition, largest first;
  // each lies in the current partial tile of its tile level, so this cannot fail.
  std::vector<Hash> parts;
  for (int bit = 63; bit >= 0; --bit) {
    if (!((size_ >> bit) & 1)) continue;
    parts.push_back(*SubtreeFromTile(bit, (size_ >> bit) - 1, Partial(bit / kTileHeight)));
  }
  Hash r = parts.back();
  for (size_t i = parts.size() - 1; i-- > 0;) r = NodeHash(parts[i], r);
  return r;
}

std::span<const Hash> TileBuilder::Partial(int level) const {
  if (level >= static_cast<int>(partial_.size())) return {};
  return partial_[level];
}

std::vector<TileBuilder::Tile> TileBuilder::TakeCompleted() {
  std::vector<Tile> out = std::move(completed_);
  completed_.clear();
  return out;
}

std::vector<TileBuilder::Tile> TileBuilder::TakeChanges() {
  std::vector<Tile> out = TakeCompleted();
  for (size_t l = 0; l < partial_.size(); ++l) {
    if (!dirty_[l]) continue;
    dirty_[l] = false;
    if (partial_[l].empty()) continue;
    const uint64_t index = (size_ >> (kTileHeight * l)) / kTileWidth;
    out.push_back({TileId{static_cast<int>(l), index, static_cast<uint32_t>(partial_[l].size())},
                   partial_[l]});
  }
  return out;
}

}  // namespace jejak
