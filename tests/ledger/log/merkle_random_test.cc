// Random trees of up to 100,000 leaves against the naive RFC 6962 reference,
// and proofs over huge tree sizes.
#include "tests/ledger/log/merkle_reference.h"

namespace jejak::merkle_test {
namespace {

// ---- Random trees against the reference ----

class MerkleRandomTest : public ::testing::Test {
 protected:
  static constexpr size_t kLeaves = 100000;

  static void SetUpTestSuite() {
    std::mt19937_64 rng(20240601);
    std::vector<Hash> leaf_hashes;
    leaf_hashes.reserve(kLeaves);
    for (size_t i = 0; i < kLeaves; ++i) {
      Bytes leaf(rng() % 48);
      for (auto& b : leaf) b = static_cast<uint8_t>(rng());
      leaf_hashes.push_back(RefLeaf(leaf));
    }
    table_ = new SubtreeTable(std::move(leaf_hashes));
  }
  static void TearDownTestSuite() { delete table_; }

  static Leaves Prefix(uint64_t n) { return std::span(table_->leaves()).first(n); }
  static const SubtreeTable& T() { return *table_; }

  // Sizes worth checking: all small ones, powers of two and their neighbours,
  // a few random ones, and the whole tree.
  static std::vector<uint64_t> InterestingSizes(std::mt19937_64& rng) {
    std::vector<uint64_t> s;
    for (uint64_t n = 1; n <= 300; ++n) s.push_back(n);
    for (uint64_t p = 512; p < kLeaves; p *= 2) {
      for (uint64_t n : {p - 1, p, p + 1}) s.push_back(n);
    }
    for (int i = 0; i < 12; ++i) s.push_back(1 + rng() % kLeaves);
    s.push_back(kLeaves - 1);
    s.push_back(kLeaves);
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    return s;
  }

  static inline SubtreeTable* table_ = nullptr;
};

TEST_F(MerkleRandomTest, RootsMatchTheReferenceAtManySizes) {
  std::mt19937_64 rng(1);
  const std::vector<uint64_t> sizes = InterestingSizes(rng);
  MerkleFrontier f;
  size_t next = 0;
  for (uint64_t n = 1; n <= kLeaves && next < sizes.size(); ++n) {
    f.Append(T().leaves()[n - 1]);
    if (n != sizes[next]) continue;
    ++next;
    const Hash want = RefMth(Prefix(n));
    ASSERT_EQ(B64(f.Root()), B64(want)) << "frontier, size " << n;
    auto r = TreeRootFrom(n, T().For(n));
    ASSERT_TRUE(r.ok()) << "size " << n << ": " << r.status().message();
    ASSERT_EQ(B64(*r), B64(want)) << "TreeRootFrom, size " << n;
  }
  EXPECT_EQ(next, sizes.size());
  EXPECT_EQ(B64(RootOfLeafHashes(T().leaves())), B64(f.Root()));
}

TEST_F(MerkleRandomTest, InclusionProofsMatchTheReferenceAndVerify) {
  std::mt19937_64 rng(2);
  std::vector<std::pair<uint64_t, uint64_t>> pairs;  // (index, size)
  for (int i = 0; i < 300; ++i) {
    const uint64_t size = 1 + rng() % 600;
    pairs.emplace_back(rng() % size, size);
  }
  for (int i = 0; i < 12; ++i) {
    const uint64_t size = 1 + rng() % kLeaves;
    pairs.emplace_back(rng() % size, size);
  }
  pairs.emplace_back(0, kLeaves);
  pairs.emplace_back(kLeaves - 1, kLeaves);
  pairs.emplace_back(65535, 65537);
  pairs.emplace_back(65536, 65537);
  for (const auto& [index, size] : pairs) {
    int calls = 0;
    auto p = InclusionProofFrom(index, size, T().For(size, &calls));
    ASSERT_TRUE(p.ok()) << index << "/" << size << ": " << p.status().message();
    ASSERT_EQ(B64s(*p), B64s(RefPath(index, Prefix(size)))) << index << "/" << size;
    // O(log n) lookups, not O(n).
    EXPECT_LE(calls, 2 * std::bit_width(size) + 1) << index << "/" << size;
    const Hash root = RefMth(Prefix(size));
    const Status ok = VerifyInclusion(index, size, T().leaves()[index], *p, root);
    ASSERT_TRUE(ok.ok()) << index << "/" << size << ": " << ok.message();
    if (!p->empty()) {
      auto bad = *p;
      const size_t i = rng() % bad.size();
      bad[i] = FlipBit(bad[i], static_cast<int>(rng() % 256));
      const Status s = VerifyInclusion(index, size, T().leaves()[index], bad, root);
      EXPECT_THAT(s.message(), HasSubstr("does not lead to the root")) << index << "/" << size;
    }
  }
}

TEST_F(MerkleRandomTest, ConsistencyProofsMatchTheReferenceAndVerify) {
  std::mt19937_64 rng(3);
  std::vector<std::pair<uint64_t, uint64_t>> pairs;  // (old, new)
  for (int i = 0; i < 300; ++i) {
    const uint64_t n = 1 + rng() % 600;
    pairs.emplace_back(1 + rng() % n, n);
  }
  for (int i = 0; i < 12; ++i) {
    const uint64_t n = 1 + rng() % kLeaves;
    pairs.emplace_back(1 + rng() % n, n);
  }
  pairs.emplace_back(1, kLeaves);
  pairs.emplace_back(kLeaves - 1, kLeaves);
  pairs.emplace_back(65536, kLeaves);
  pairs.emplace_back(65535, 65536);
  for (const auto& [m, n] : pairs) {
    int calls = 0;
    auto p = ConsistencyProofFrom(m, n, T().For(n, &calls));
    ASSERT_TRUE(p.ok()) << m << "->" << n << ": " << p.status().message();
    ASSERT_EQ(B64s(*p), B64s(RefProof(m, Prefix(n)))) << m << "->" << n;
    EXPECT_LE(calls, 3 * std::bit_width(n) + 2) << m << "->" << n;
    const Hash old_root = RefMth(Prefix(m)), new_root = RefMth(Prefix(n));
    const Status ok = VerifyConsistency(m, n, old_root, new_root, *p);
    ASSERT_TRUE(ok.ok()) << m << "->" << n << ": " << ok.message();
    if (!p->empty()) {
      auto bad = *p;
      const size_t i = rng() % bad.size();
      bad[i] = FlipBit(bad[i], static_cast<int>(rng() % 256));
      const Status s = VerifyConsistency(m, n, old_root, new_root, bad);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << m << "->" << n;
      EXPECT_THAT(s.message(), HasSubstr("does not lead to the")) << m << "->" << n;
    }
    if (m > 1 && m < n) {  // a proof from another old tree does not fit
      auto other = ConsistencyProofFrom(m - 1, n, T().For(n));
      ASSERT_TRUE(other.ok());
      const Status s = VerifyConsistency(m, n, old_root, new_root, *other);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << m << "->" << n;
    }
  }
}

// ---- Huge trees ----

// A tree whose leaves are all the same: the hash of every complete subtree at a
// level is the same, so subtree lookups are O(1) at any size and proofs over
// sizes near 2^64 can be generated and checked.
class UniformTree {
 public:
  UniformTree() {
    level_hash_.push_back(LeafHash(AsBytes("same leaf")));
    for (int l = 1; l < 64; ++l)
      level_hash_.push_back(RefNode(level_hash_.back(), level_hash_.back()));
  }
  SubtreeHashFn Fn() const {
    return [this](int level, uint64_t) -> Result<Hash> { return level_hash_.at(level); };
  }
  const Hash& leaf() const { return level_hash_[0]; }

  // The root by the binary decomposition of `size`, computed independently.
  Hash Root(uint64_t size) const {
    std::vector<Hash> parts;
    for (int bit = 63; bit >= 0; --bit) {
      if ((size >> bit) & 1) parts.push_back(level_hash_[bit]);
    }
    Hash r = parts.back();
    for (size_t i = parts.size() - 1; i-- > 0;) r = RefNode(parts[i], r);
    return r;
  }

 private:
  std::vector<Hash> level_hash_;
};

TEST(MerkleHugeTreeTest, ProofsOverHugeSizesVerify) {
  const UniformTree t;
  const uint64_t kMax = UINT64_MAX;
  const std::vector<uint64_t> sizes = {uint64_t{1} << 32,
                                       (uint64_t{1} << 32) + 1,
                                       (uint64_t{1} << 40) + 12345,
                                       uint64_t{1} << 63,
                                       (uint64_t{1} << 63) + 1,
                                       kMax - 1,
                                       kMax};
  for (uint64_t size : sizes) {
    auto root = TreeRootFrom(size, t.Fn());
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(B64(*root), B64(t.Root(size))) << size;
    for (uint64_t index : {uint64_t{0}, size / 2, size / 3, size - 2, size - 1}) {
      auto p = InclusionProofFrom(index, size, t.Fn());
      ASSERT_TRUE(p.ok()) << index << "/" << size;
      EXPECT_LE(p->size(), 64u);
      const Status s = VerifyInclusion(index, size, t.leaf(), *p, *root);
      EXPECT_TRUE(s.ok()) << index << "/" << size << ": " << s.message();
    }
    for (uint64_t old_size : {uint64_t{1}, size / 2, size / 2 + 1, size - 1, size}) {
      auto p = ConsistencyProofFrom(old_size, size, t.Fn());
      ASSERT_TRUE(p.ok()) << old_size << "->" << size;
      const Status s = VerifyConsistency(old_size, size, t.Root(old_size), *root, *p);
      EXPECT_TRUE(s.ok()) << old_size << "->" << size << ": " << s.message();
    }
  }
}

TEST(MerkleHugeTreeTest, FrontierKeepsOneHashPerSetBit) {
  // The frontier's root after 2^k - 1 appends equals the uniform tree's.
  const UniformTree t;
  MerkleFrontier f;
  for (uint64_t n = 1; n <= 4097; ++n) {
    f.Append(t.leaf());
    if (std::has_single_bit(n) || std::has_single_bit(n + 1)) {
      EXPECT_EQ(B64(f.Root()), B64(t.Root(n))) << n;
    }
  }
}

}  // namespace
}  // namespace jejak::merkle_test
