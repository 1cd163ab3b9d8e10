// C2SP tlog-tiles: paths, level shapes, subtrees within tiles, and the tiles
// TileBuilder emits compared with tiles computed from the definition.
#include "ledger/log/tiles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;

// ---- A naive reference: MTH over leaf hashes (RFC 6962 §2.1) ----

Hash RefNode(const Hash& l, const Hash& r) {
  Bytes b = {0x01};
  b.insert(b.end(), l.begin(), l.end());
  b.insert(b.end(), r.begin(), r.end());
  return Sha256(b);
}

Hash RefMth(std::span<const Hash> d) {
  if (d.empty()) return Sha256({});
  if (d.size() == 1) return d[0];
  size_t k = 1;
  while (k * 2 < d.size()) k *= 2;
  return RefNode(RefMth(d.first(k)), RefMth(d.subspan(k)));
}

std::vector<Hash> RandomLeafHashes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Hash> out(n);
  for (auto& h : out) {
    for (auto& b : h) b = static_cast<uint8_t>(rng());
  }
  return out;
}

// The hashes of every tile level for a set of leaves, from the definition:
// entry e of level l is MTH(D[e * 256^l : (e + 1) * 256^l]).
class NaiveTiles {
 public:
  explicit NaiveTiles(std::vector<Hash> leaves) : leaves_(std::move(leaves)) {
    entries_.push_back(leaves_);
    for (uint64_t span = kTileWidth; span <= leaves_.size(); span *= kTileWidth) {
      std::vector<Hash> level;
      for (uint64_t e = 0; (e + 1) * span <= leaves_.size(); ++e) {
        level.push_back(RefMth(std::span(leaves_).subspan(e * span, span)));
      }
      entries_.push_back(std::move(level));
    }
  }

  const std::vector<Hash>& leaves() const { return leaves_; }
  const std::vector<Hash>& Level(int l) const { return entries_.at(l); }

  // Every tile of a tree of `size` leaves: (level, index) -> hashes.
  std::map<std::pair<int, uint64_t>, std::vector<Hash>> TilesOf(uint64_t size) const {
    std::map<std::pair<int, uint64_t>, std::vector<Hash>> out;
    for (int l = 0; l < static_cast<int>(entries_.size()); ++l) {
      uint64_t count = size;
      for (int i = 0; i < l; ++i) count /= kTileWidth;
      for (uint64_t n = 0; n * kTileWidth < count; ++n) {
        const uint64_t end = std::min(count, (n + 1) * kTileWidth);
        out[{l, n}] =
            std::vector<Hash>(entries_[l].begin() + n * kTileWidth, entries_[l].begin() + end);
      }
    }
    return out;
  }

 private:
  std::vector<Hash> leaves_;
  std::vector<std::vector<Hash>> entries_;
};

using TileMap = std::map<std::pair<int, uint64_t>, std::vector<Hash>>;

// Keeps the latest version of each tile id, checking each tile's own shape.
void Collect(std::vector<TileBuilder::Tile> tiles, TileMap& into) {
  for (auto& t : tiles) {
    ASSERT_EQ(t.id.width, t.hashes.size()) << TilePath(t.id);
    ASSERT_GE(t.id.width, 1u) << TilePath(t.id);
    ASSERT_LE(t.id.width, kTileWidth) << TilePath(t.id);
    into[{t.id.level, t.id.index}] = std::move(t.hashes);
  }
}

std::string Describe(const TileMap& m) {
  std::string s;
  for (const auto& [k, v] : m) {
    s += TilePath({k.first, k.second, static_cast<uint32_t>(v.size())}) + " ";
  }
  return s;
}

void ExpectSameTiles(const TileMap& got, const TileMap& want, uint64_t size) {
  ASSERT_EQ(Describe(got), Describe(want)) << "size " << size;
  for (const auto& [k, v] : want) {
    EXPECT_TRUE(got.at(k) == v) << "tile " << k.first << "/" << k.second << " at size " << size;
  }
}

// Appends leaves [from, to) and takes changes at random moments.
void AppendRange(TileBuilder& b, const std::vector<Hash>& leaves, uint64_t from, uint64_t to,
                 std::mt19937_64& rng, TileMap& tiles) {
  uint64_t next_take = from + rng() % 700;
  MerkleFrontier check;
  for (uint64_t i = from; i < to; ++i) {
    b.Append(leaves[i]);
    ASSERT_EQ(b.size(), i + 1);
    if (i + 1 == next_take) {
      Collect(b.TakeChanges(), tiles);
      next_take += 1 + rng() % 700;
    }
  }
  Collect(b.TakeChanges(), tiles);
}

// ---- Paths ----

TEST(TilePathTest, IndexPathsUseThreeDigitElements) {
  EXPECT_EQ(TileIndexPath(0), "000");
  EXPECT_EQ(TileIndexPath(7), "007");
  EXPECT_EQ(TileIndexPath(67), "067");
  EXPECT_EQ(TileIndexPath(999), "999");
  EXPECT_EQ(TileIndexPath(1000), "x001/000");
  EXPECT_EQ(TileIndexPath(1001), "x001/001");
  EXPECT_EQ(TileIndexPath(999999), "x999/999");
  EXPECT_EQ(TileIndexPath(1000000), "x001/x000/000");
  EXPECT_EQ(TileIndexPath(1234067), "x001/x234/067");
  EXPECT_EQ(TileIndexPath(UINT64_MAX), "x018/x446/x744/x073/x709/x551/615");
}

TEST(TilePathTest, TileAndEntryBundlePaths) {
  EXPECT_EQ(TilePath({0, 1234067, 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath({0, 0, 1}), "tile/0/000.p/1");
  EXPECT_EQ(TilePath({1, 0, 17}), "tile/1/000.p/17");
  EXPECT_EQ(TilePath({2, 1000, 255}), "tile/2/x001/000.p/255");
  EXPECT_EQ(TilePath({63, 5, 256}), "tile/63/005");
  EXPECT_EQ(EntryBundlePath(1234067, 256), "tile/entries/x001/x234/067");
  EXPECT_EQ(EntryBundlePath(273, 112), "tile/entries/273.p/112");
  EXPECT_EQ(EntryBundlePath(0, 1), "tile/entries/000.p/1");
}

TEST(TilePathTest, ParseRoundTripsTilesAndBundles) {
  const uint64_t max_level0_index = (UINT64_MAX >> 8);  // the last tile of a 2^64 - 1 tree
  std::vector<TileId> ids = {{0, 0, 1},
                             {0, 0, 256},
                             {0, 1234067, 256},
                             {1, 999, 17},
                             {2, 1000, 255},
                             {63, 0, 1},
                             {0, 999999999999999, 256},
                             {0, 1000000000000000, 7},
                             {0, max_level0_index, 255},
                             {1, UINT64_MAX >> 16, 255}};
  for (const TileId& id : ids) {
    const std::string path = TilePath(id);
    auto parsed = ParseTilePath(path);
    ASSERT_TRUE(parsed.ok()) << path << ": " << parsed.status().message();
    EXPECT_FALSE(parsed->entries) << path;
    EXPECT_EQ(parsed->tile, id) << path;

    const std::string bundle = EntryBundlePath(id.index, id.width);
    auto pb = ParseTilePath(bundle);
    ASSERT_TRUE(pb.ok()) << bundle << ": " << pb.status().message();
    EXPECT_TRUE(pb->entries) << bundle;
    EXPECT_EQ(pb->tile.index, id.index) << bundle;
    EXPECT_EQ(pb->tile.width, id.width) << bundle;
  }
}

TEST(TilePathTest, ParseRejectsNonCanonicalAndJunkPaths) {
  for (const char* p : {
           "tile/0/x000/067",      // leading zero element
           "tile/0/x000/000",      // zero spelled long
           "tile/0/67",            // not three digits
           "tile/0/0067",          // four digits
           "tile/0/x1/000",        // short element
           "tile/0/x001x234/067",  // missing separator
           "tile/0/x001/x234",     // last element carries an x
           "tile/0/001/234",       // inner element without x
           "tile/0/x001/000/",     // trailing slash
           "tile/0/000.p/0",       // width 0
           "tile/0/000.p/256",     // width 256 is a full tile, written without .p
           "tile/0/000.p/007",     // width with a leading zero
           "tile/0/000.p/",        // no width
           "tile/0/000.p/1/",      // junk after the width
           "tile/0/000.p/5.p/5",   // two widths
           "tile/entries/000.p/256",
           "tile/entries/x000/001",
           "tile/64/000",  // level 64
           "tile/01/000",  // level with a leading zero
           "tile/-1/000",
           "tile//000",
           "tile/0/",
           "tile/0",
           "tile/",
           "tiles/0/000",
           "/tile/0/000",
           "tile/0/abc",
           "tile/0/00a",
           "tile/x/000",
           "tile/0/x018/x446/x744/x073/x709/x551/616",  // beyond 2^64 - 1
           "",
       }) {
    auto r = ParseTilePath(p);
    ASSERT_FALSE(r.ok()) << "accepted '" << p << "'";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << p;
    EXPECT_THAT(r.status().message(), HasSubstr("'" + std::string(p) + "' is not a tile path"));
  }
}

// ---- Level shapes ----

TEST(TileLevelShapeTest, SpecExampleOf70000Leaves) {
  const LevelShape l0 = TileLevelShape(70000, 0);
  EXPECT_EQ(l0.full, 273u);
  EXPECT_EQ(l0.partial_width, 112u);
  const LevelShape l1 = TileLevelShape(70000, 1);
  EXPECT_EQ(l1.full, 1u);
  EXPECT_EQ(l1.partial_width, 17u);
  const LevelShape l2 = TileLevelShape(70000, 2);
  EXPECT_EQ(l2.full, 0u);
  EXPECT_EQ(l2.partial_width, 1u);
  const LevelShape l3 = TileLevelShape(70000, 3);
  EXPECT_EQ(l3.full, 0u);
  EXPECT_EQ(l3.partial_width, 0u);
  EXPECT_EQ(TileLevels(70000), 3);
}

TEST(TileLevelShapeTest, ExactlyOneFullTile) {
  EXPECT_EQ(TileLevelShape(256, 0).full, 1u);
  EXPECT_EQ(TileLevelShape(256, 0).partial_width, 0u);
  EXPECT_EQ(TileLevelShape(256, 1).full, 0u);
  EXPECT_EQ(TileLevelShape(256, 1).partial_width, 1u);
  EXPECT_EQ(TileLevels(256), 2);
}

TEST(TileLevelShapeTest, SmallAndExtremeSizes) {
  EXPECT_EQ(TileLevels(0), 0);
  EXPECT_EQ(TileLevelShape(0, 0).full, 0u);
  EXPECT_EQ(TileLevelShape(0, 0).partial_width, 0u);
  EXPECT_EQ(TileLevels(1), 1);
  EXPECT_EQ(TileLevelShape(1, 0).partial_width, 1u);
  EXPECT_EQ(TileLevels(255), 1);
  EXPECT_EQ(TileLevels(65535), 2);
  EXPECT_EQ(TileLevels(65536), 3);
  EXPECT_EQ(TileLevelShape(65536, 1).full, 1u);
  EXPECT_EQ(TileLevelShape(65536, 1).partial_width, 0u);
  EXPECT_EQ(TileLevelShape(65536, 2).partial_width, 1u);
  EXPECT_EQ(TileLevels(UINT64_MAX), 8);
  EXPECT_EQ(TileLevelShape(UINT64_MAX, 0).full, UINT64_MAX >> 8);
  EXPECT_EQ(TileLevelShape(UINT64_MAX, 0).partial_width, 255u);
  EXPECT_EQ(TileLevelShape(UINT64_MAX, 7).full, 0u);
  EXPECT_EQ(TileLevelShape(UINT64_MAX, 7).partial_width, 255u);
  EXPECT_EQ(TileLevelShape(UINT64_MAX, 8).full, 0u);
  EXPECT_EQ(TileLevelShape(UINT64_MAX, 8).partial_width, 0u);
}

// ---- Subtrees within tiles ----

TEST(SubtreeTileTest, NamesTheTileAndTheWidthItNeeds) {
  EXPECT_EQ(SubtreeTile(0, 5), (TileId{0, 0, 6}));
  EXPECT_EQ(SubtreeTile(0, 255), (TileId{0, 0, 256}));
  EXPECT_EQ(SubtreeTile(0, 256), (TileId{0, 1, 1}));
  EXPECT_EQ(SubtreeTile(3, 2), (TileId{0, 0, 24}));    // leaves [16, 24)
  EXPECT_EQ(SubtreeTile(7, 1), (TileId{0, 0, 256}));   // leaves [128, 256)
  EXPECT_EQ(SubtreeTile(7, 2), (TileId{0, 1, 128}));   // leaves [256, 384)
  EXPECT_EQ(SubtreeTile(8, 3), (TileId{1, 0, 4}));     // level-1 entry 3
  EXPECT_EQ(SubtreeTile(10, 70), (TileId{1, 1, 28}));  // level-1 entries [280, 284)
  EXPECT_EQ(SubtreeTile(16, 0), (TileId{2, 0, 1}));
  EXPECT_EQ(SubtreeTile(15, 1), (TileId{1, 0, 256}));
}

TEST(SubtreeTileTest, SubtreeHashesFromTilesMatchTheDefinition) {
  const NaiveTiles naive(RandomLeafHashes(70000, 11));
  const auto tiles = naive.TilesOf(70000);
  struct Case {
    int level;
    uint64_t index;
  };
  for (const Case& c : {Case{0, 0}, Case{0, 69999}, Case{1, 3}, Case{3, 2}, Case{7, 1},
                        Case{7, 272}, Case{8, 0}, Case{8, 272}, Case{9, 100}, Case{10, 66},
                        Case{15, 0}, Case{16, 0}, Case{12, 16}, Case{4, 4374}}) {
    const TileId t = SubtreeTile(c.level, c.index);
    const auto& hashes = tiles.at({t.level, t.index});
    auto h = SubtreeFromTile(c.level, c.index, hashes);
    ASSERT_TRUE(h.ok()) << c.level << "/" << c.index << ": " << h.status().message();
    const uint64_t span = uint64_t{1} << c.level;
    const Hash want = RefMth(std::span(naive.leaves()).subspan(c.index * span, span));
    EXPECT_EQ(HexEncode(*h), HexEncode(want)) << c.level << "/" << c.index;
    // A full tile's extra hashes beyond the needed width do not matter.
    EXPECT_GE(hashes.size(), t.width);
  }
}

TEST(SubtreeTileTest, TooNarrowTileIsInvalidArgument) {
  const std::vector<Hash> five(5);
  auto h = SubtreeFromTile(0, 5, five);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(h.status().message(), HasSubstr("tile 0/0 has 5 hashes, subtree needs 6"));
  auto g = SubtreeFromTile(10, 70, std::vector<Hash>(27));
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("tile 1/1 has 27 hashes, subtree needs 28"));
}

TEST(PerfectRootTest, MatchesMthOfPowerOfTwoCounts) {
  const auto leaves = RandomLeafHashes(256, 12);
  for (size_t n = 1; n <= 256; n *= 2) {
    EXPECT_EQ(PerfectRoot(std::span(leaves).first(n)), RefMth(std::span(leaves).first(n))) << n;
  }
}

// ---- TileBuilder against the definition ----

class TileBuilderTest : public ::testing::Test {
 protected:
  static constexpr size_t kLeaves = 70000;
  static void SetUpTestSuite() { naive_ = new NaiveTiles(RandomLeafHashes(kLeaves, 13)); }
  static void TearDownTestSuite() { delete naive_; }
  static const NaiveTiles& N() { return *naive_; }
  static Hash RootOf(uint64_t size) { return RefMth(std::span(N().leaves()).first(size)); }
  static inline NaiveTiles* naive_ = nullptr;
};

TEST_F(TileBuilderTest, EmptyBuilder) {
  TileBuilder b;
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.Root(), EmptyTreeRoot());
  EXPECT_TRUE(b.TakeChanges().empty());
  EXPECT_TRUE(b.Partial(0).empty());
}

TEST_F(TileBuilderTest, TilesEqualTheDefinitionAtManySizes) {
  std::mt19937_64 rng(14);
  std::vector<uint64_t> sizes = {1, 2, 255, 256, 257, 511, 512, 65535, 65536, 65537, 70000};
  for (int i = 0; i < 6; ++i) sizes.push_back(1 + rng() % kLeaves);
  for (uint64_t size : sizes) {
    TileBuilder b;
    TileMap tiles;
    AppendRange(b, N().leaves(), 0, size, rng, tiles);
    ExpectSameTiles(tiles, N().TilesOf(size), size);
    EXPECT_EQ(HexEncode(b.Root()), HexEncode(RootOf(size))) << "size " << size;
    for (int l = 0; l < TileLevels(size) + 1; ++l) {
      const LevelShape shape = TileLevelShape(size, l);
      ASSERT_EQ(b.Partial(l).size(), shape.partial_width) << "size " << size << " level " << l;
      if (shape.partial_width > 0) {
        EXPECT_TRUE(std::vector<Hash>(b.Partial(l).begin(), b.Partial(l).end()) ==
                    tiles.at({l, shape.full}))
            << "size " << size << " level " << l;
      }
    }
  }
}

TEST_F(TileBuilderTest, RootMatchesAFrontierAfterEveryAppend) {
  TileBuilder b;
  MerkleFrontier f;
  for (uint64_t i = 0; i < 1200; ++i) {
    b.Append(N().leaves()[i]);
    f.Append(N().leaves()[i]);
    ASSERT_EQ(HexEncode(b.Root()), HexEncode(f.Root())) << "size " << i + 1;
  }
  for (uint64_t size : {uint64_t{4097}, uint64_t{65536}, uint64_t{65537}, uint64_t{70000}}) {
    TileBuilder c;
    for (uint64_t i = 0; i < size; ++i) c.Append(N().leaves()[i]);
    EXPECT_EQ(HexEncode(c.Root()), HexEncode(RootOf(size))) << "size " << size;
  }
}

TEST_F(TileBuilderTest, ChangesListCompletedTilesThenPartialsLowestFirst) {
  TileBuilder b;
  for (uint64_t i = 0; i < 300; ++i) b.Append(N().leaves()[i]);
  const auto changes = b.TakeChanges();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].id, (TileId{0, 0, 256}));
  EXPECT_EQ(changes[1].id, (TileId{0, 1, 44}));
  EXPECT_EQ(changes[2].id, (TileId{1, 0, 1}));
  EXPECT_EQ(changes[2].hashes[0], RootOf(256));
  // Nothing changed since.
  EXPECT_TRUE(b.TakeChanges().empty());
  // One more leaf changes only the level-0 partial tile.
  b.Append(N().leaves()[300]);
  const auto one = b.TakeChanges();
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].id, (TileId{0, 1, 45}));
}

TEST_F(TileBuilderTest, TakeCompletedReturnsOnlyFullTilesInOrder) {
  TileBuilder b;
  for (uint64_t i = 0; i < 65536 + 300; ++i) b.Append(N().leaves()[i]);
  const auto done = b.TakeCompleted();
  ASSERT_EQ(done.size(), 256u + 1 + 1);
  // Level-0 tiles 0..255 in order, with level-1 tile 0 completed right after
  // level-0 tile 255, then level-0 tile 256.
  for (uint64_t n = 0; n < 256; ++n) EXPECT_EQ(done[n].id, (TileId{0, n, 256})) << n;
  EXPECT_EQ(done[256].id, (TileId{1, 0, 256}));
  EXPECT_EQ(done[257].id, (TileId{0, 256, 256}));
  EXPECT_TRUE(done[256].hashes == N().TilesOf(65536).at({1, 0}));
  EXPECT_TRUE(b.TakeCompleted().empty());
}

TEST_F(TileBuilderTest, ResumeThenAppendEqualsNeverStopping) {
  std::mt19937_64 rng(15);
  std::vector<std::pair<uint64_t, uint64_t>> cases = {
      {0, 300}, {1, 2}, {255, 257}, {256, 70000}, {65535, 65537}, {65536, 70000}, {300, 301}};
  for (int i = 0; i < 5; ++i) {
    const uint64_t a = rng() % kLeaves, b = a + rng() % (kLeaves - a + 1);
    cases.emplace_back(a, b);
  }
  for (const auto& [stop, end] : cases) {
    TileMap tiles;
    TileBuilder first;
    AppendRange(first, N().leaves(), 0, stop, rng, tiles);
    std::vector<std::vector<Hash>> edge;
    for (int l = 0; l < TileLevels(stop); ++l) {
      edge.emplace_back(first.Partial(l).begin(), first.Partial(l).end());
    }
    auto resumed = TileBuilder::Resume(stop, edge);
    ASSERT_TRUE(resumed.ok()) << stop << ": " << resumed.status().message();
    EXPECT_EQ(resumed->size(), stop);
    EXPECT_EQ(HexEncode(resumed->Root()), HexEncode(first.Root())) << "resumed at " << stop;
    AppendRange(*resumed, N().leaves(), stop, end, rng, tiles);
    ExpectSameTiles(tiles, N().TilesOf(end), end);
    EXPECT_EQ(HexEncode(resumed->Root()), HexEncode(RootOf(end))) << stop << " -> " << end;

    TileBuilder never_stopped;
    TileMap straight;
    AppendRange(never_stopped, N().leaves(), 0, end, rng, straight);
    ExpectSameTiles(tiles, straight, end);
  }
}

TEST_F(TileBuilderTest, ResumeIgnoresExtraHashesAndRefusesShortEdges) {
  // Right-edge tiles read back from storage may be wider than needed.
  const uint64_t size = 70000;
  const auto tiles = N().TilesOf(size);
  std::vector<std::vector<Hash>> edge = {tiles.at({0, 273}), tiles.at({1, 1}), tiles.at({2, 0})};
  for (auto& e : edge) e.push_back(Hash{});
  auto b = TileBuilder::Resume(size, edge);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(HexEncode(b->Root()), HexEncode(RootOf(size)));
  EXPECT_EQ(b->Partial(0).size(), 112u);

  auto short0 =
      TileBuilder::Resume(size, {std::vector<Hash>(111), tiles.at({1, 1}), tiles.at({2, 0})});
  ASSERT_FALSE(short0.ok());
  EXPECT_EQ(short0.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(short0.status().message(), HasSubstr("right-edge tile at level 0 needs 112 hashes"));

  auto missing2 = TileBuilder::Resume(size, {tiles.at({0, 273}), tiles.at({1, 1})});
  ASSERT_FALSE(missing2.ok());
  EXPECT_THAT(missing2.status().message(), HasSubstr("right-edge tile at level 2 needs 1 hashes"));

  // Levels with no partial tile need nothing.
  auto full = TileBuilder::Resume(65536, {{}, {}, tiles.at({2, 0})});
  ASSERT_TRUE(full.ok()) << full.status().message();
  EXPECT_EQ(HexEncode(full->Root()), HexEncode(RootOf(65536)));
  auto empty = TileBuilder::Resume(0, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->Root(), EmptyTreeRoot());
}

}  // namespace
}  // namespace jejak
