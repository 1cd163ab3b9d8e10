// RFC 6962 Merkle trees: the hashes, the shared vectors (made with Go's tlog)
// and the argument checks.
#include "tests/ledger/log/merkle_reference.h"

namespace jejak::merkle_test {
namespace {

// ---- Basic hashes ----

TEST(MerkleHashTest, LeafAndNodeHashesHaveTheRfc6962Prefixes) {
  const Bytes data = {1, 2, 3};
  EXPECT_EQ(LeafHash(data), RefLeaf(data));
  const Hash a = Sha256(AsBytes("a")), b = Sha256(AsBytes("b"));
  EXPECT_EQ(NodeHash(a, b), RefNode(a, b));
  EXPECT_NE(NodeHash(a, b), NodeHash(b, a));
  EXPECT_EQ(HexEncode(EmptyTreeRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // RFC 6962's empty leaf: SHA-256(0x00).
  EXPECT_EQ(HexEncode(LeafHash({})),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(MerkleHashTest, ReferenceImplementationsOfRfc6962GiveTheKnownRoots) {
  // The 8 leaves of the RFC 6962 reference implementations (testvectors/README.md).
  std::vector<Hash> leaves;
  for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                          "606162636465666768696a6b6c6d6e6f"}) {
    leaves.push_back(LeafHash(*HexDecode(hex)));
  }
  EXPECT_EQ(HexEncode(RootOfLeafHashes(leaves)),
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  EXPECT_EQ(HexEncode(RootOfLeafHashes(std::span(leaves).first(3))),
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77");
  EXPECT_EQ(RefMth(leaves), RootOfLeafHashes(leaves));
}

// ---- The shared vectors ----

class MerkleVectorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ifstream in(JEJAK_TESTVECTORS_DIR "/rfc6962.json");
    ASSERT_TRUE(in.good()) << "cannot open rfc6962.json";
    vectors_ = new nlohmann::json(nlohmann::json::parse(in));
    std::vector<Hash> leaf_hashes;
    for (const auto& l : vectors_->at("leaves_base64")) {
      auto b = Base64Decode(l.get<std::string>());
      ASSERT_TRUE(b.ok());
      leaf_hashes.push_back(RefLeaf(*b));
    }
    table_ = new SubtreeTable(std::move(leaf_hashes));
  }
  static void TearDownTestSuite() {
    delete vectors_;
    delete table_;
  }

  static Hash H(const nlohmann::json& b64) {
    auto h = Base64DecodeFixed<32>(b64.get<std::string>());
    EXPECT_TRUE(h.ok()) << b64;
    return h.ok() ? *h : Hash{};
  }
  static std::vector<Hash> Hs(const nlohmann::json& arr) {
    std::vector<Hash> out;
    for (const auto& x : arr) out.push_back(H(x));
    return out;
  }
  static Hash Root(uint64_t size) { return H(vectors_->at("roots_base64").at(size)); }
  static const nlohmann::json& V() { return *vectors_; }
  static const SubtreeTable& T() { return *table_; }

  static inline nlohmann::json* vectors_ = nullptr;
  static inline SubtreeTable* table_ = nullptr;
};

TEST_F(MerkleVectorsTest, VectorFileHasTheDocumentedShape) {
  EXPECT_EQ(V().at("leaves_base64").size(), 64u);
  EXPECT_EQ(V().at("roots_base64").size(), 65u);
  EXPECT_GT(V().at("inclusion").size(), 100u);
  EXPECT_GT(V().at("consistency").size(), 100u);
  EXPECT_EQ(Root(0), EmptyTreeRoot());
}

TEST_F(MerkleVectorsTest, FrontierRootMatchesEverySize) {
  MerkleFrontier f;
  EXPECT_EQ(f.size(), 0u);
  EXPECT_EQ(B64(f.Root()), B64(Root(0)));
  for (uint64_t n = 1; n <= 64; ++n) {
    f.Append(T().leaves()[n - 1]);
    EXPECT_EQ(f.size(), n);
    EXPECT_EQ(B64(f.Root()), B64(Root(n))) << "size " << n;
  }
}

TEST_F(MerkleVectorsTest, RootOfLeafHashesAndReferenceMatchEverySize) {
  for (uint64_t n = 0; n <= 64; ++n) {
    const auto prefix = std::span(T().leaves()).first(n);
    EXPECT_EQ(B64(RootOfLeafHashes(prefix)), B64(Root(n))) << "size " << n;
    EXPECT_EQ(B64(RefMth(prefix)), B64(Root(n))) << "reference, size " << n;
  }
}

TEST_F(MerkleVectorsTest, TreeRootFromMatchesEverySize) {
  for (uint64_t n = 0; n <= 64; ++n) {
    auto r = TreeRootFrom(n, T().For(n));
    ASSERT_TRUE(r.ok()) << "size " << n << ": " << r.status().message();
    EXPECT_EQ(B64(*r), B64(Root(n))) << "size " << n;
  }
}

TEST_F(MerkleVectorsTest, InclusionProofsAreGeneratedExactly) {
  for (const auto& v : V().at("inclusion")) {
    const uint64_t index = v.at("index"), size = v.at("size");
    EXPECT_EQ(B64(T().leaves()[index]), v.at("leaf_hash").get<std::string>()) << index;
    auto p = InclusionProofFrom(index, size, T().For(size));
    ASSERT_TRUE(p.ok()) << index << "/" << size << ": " << p.status().message();
    EXPECT_EQ(B64s(*p), B64s(Hs(v.at("proof")))) << "index " << index << " size " << size;
    EXPECT_EQ(B64s(RefPath(index, std::span(T().leaves()).first(size))), B64s(Hs(v.at("proof"))))
        << "reference, index " << index << " size " << size;
  }
}

TEST_F(MerkleVectorsTest, ConsistencyProofsAreGeneratedExactly) {
  for (const auto& v : V().at("consistency")) {
    const uint64_t m = v.at("old_size"), n = v.at("new_size");
    if (m == 0) continue;  // no PROOF(0, ...) in RFC 6962
    auto p = ConsistencyProofFrom(m, n, T().For(n));
    ASSERT_TRUE(p.ok()) << m << "->" << n << ": " << p.status().message();
    EXPECT_EQ(B64s(*p), B64s(Hs(v.at("proof")))) << m << " -> " << n;
    EXPECT_EQ(B64s(RefProof(m, std::span(T().leaves()).first(n))), B64s(Hs(v.at("proof"))))
        << "reference, " << m << " -> " << n;
  }
}

TEST_F(MerkleVectorsTest, EveryInclusionVectorVerifies) {
  for (const auto& v : V().at("inclusion")) {
    const uint64_t index = v.at("index"), size = v.at("size");
    const Status s =
        VerifyInclusion(index, size, H(v.at("leaf_hash")), Hs(v.at("proof")), Root(size));
    EXPECT_TRUE(s.ok()) << index << "/" << size << ": " << s.message();
  }
}

TEST_F(MerkleVectorsTest, AlteredInclusionProofsAreRejected) {
  const auto any_inclusion_failure =
      AnyOf(HasSubstr("does not lead to the root"), HasSubstr("inclusion proof is too short"),
            HasSubstr("inclusion proof is too long"), HasSubstr("is not below tree size"));
  for (const auto& v : V().at("inclusion")) {
    const uint64_t index = v.at("index"), size = v.at("size");
    const Hash leaf = H(v.at("leaf_hash")), root = Root(size);
    const std::vector<Hash> proof = Hs(v.at("proof"));
    const std::string where = std::to_string(index) + "/" + std::to_string(size);

    for (size_t i = 0; i < proof.size(); ++i) {  // one flipped proof hash
      auto bad = proof;
      bad[i] = FlipBit(bad[i], static_cast<int>(i * 37));
      const Status s = VerifyInclusion(index, size, leaf, bad, root);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where << " hash " << i;
      EXPECT_THAT(s.message(), HasSubstr("does not lead to the root")) << where;
    }
    {  // wrong leaf, wrong root
      const Status s1 = VerifyInclusion(index, size, FlipBit(leaf), proof, root);
      EXPECT_THAT(s1.message(), HasSubstr("does not lead to the root")) << where;
      const Status s2 = VerifyInclusion(index, size, leaf, proof, FlipBit(root, 255));
      EXPECT_THAT(s2.message(), HasSubstr("does not lead to the root")) << where;
    }
    for (uint64_t other = 0; other < size + 2; ++other) {  // every wrong index
      if (other == index) continue;
      const Status s = VerifyInclusion(other, size, leaf, proof, root);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where << " as index " << other;
      EXPECT_THAT(s.message(), any_inclusion_failure) << where << " as index " << other;
    }
    // Wrong sizes, each with its own root. (With the original root a wrong size
    // can verify when it gives the same path shape: the size is part of the claim.)
    for (uint64_t other : {size - 1, size + 1, size + 2}) {
      if (other == size || other > 64) continue;
      const Status s = VerifyInclusion(index, other, leaf, proof, Root(other));
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where << " as size " << other;
      EXPECT_THAT(s.message(), any_inclusion_failure) << where << " as size " << other;
    }
    if (!proof.empty()) {  // truncated at either end
      const Status back =
          VerifyInclusion(index, size, leaf, std::span(proof).first(proof.size() - 1), root);
      EXPECT_EQ(back.code(), StatusCode::kPermissionDenied) << where;
      EXPECT_THAT(back.message(), HasSubstr("inclusion proof is too short")) << where;
      const Status front = VerifyInclusion(index, size, leaf, std::span(proof).subspan(1), root);
      EXPECT_EQ(front.code(), StatusCode::kPermissionDenied) << where;
      EXPECT_THAT(front.message(), any_inclusion_failure) << where;
    }
    {  // one hash too many, at either end
      auto longer = proof;
      longer.push_back(root);
      const Status s = VerifyInclusion(index, size, leaf, longer, root);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where;
      EXPECT_THAT(s.message(), HasSubstr("inclusion proof is too long")) << where;
      auto prefixed = proof;
      prefixed.insert(prefixed.begin(), leaf);
      const Status t = VerifyInclusion(index, size, leaf, prefixed, root);
      EXPECT_EQ(t.code(), StatusCode::kPermissionDenied) << where;
      EXPECT_THAT(t.message(), any_inclusion_failure) << where;
    }
  }
}

TEST_F(MerkleVectorsTest, EveryConsistencyVectorVerifies) {
  for (const auto& v : V().at("consistency")) {
    const uint64_t m = v.at("old_size"), n = v.at("new_size");
    const Status s = VerifyConsistency(m, n, Root(m), Root(n), Hs(v.at("proof")));
    EXPECT_TRUE(s.ok()) << m << "->" << n << ": " << s.message();
  }
}

TEST_F(MerkleVectorsTest, AlteredConsistencyProofsAreRejected) {
  const auto any_consistency_failure =
      AnyOf(HasSubstr("does not lead to the old root"), HasSubstr("does not lead to the new root"),
            HasSubstr("consistency proof is too short"), HasSubstr("consistency proof is too long"),
            HasSubstr("consistency proof is empty"), HasSubstr("must be empty"),
            HasSubstr("different roots"), HasSubstr("old size is larger"));
  size_t checked = 0;
  for (const auto& v : V().at("consistency")) {
    const uint64_t m = v.at("old_size"), n = v.at("new_size");
    if (m == 0) continue;
    const std::vector<Hash> proof = Hs(v.at("proof"));
    const Hash old_root = Root(m), new_root = Root(n);
    const std::string where = std::to_string(m) + "->" + std::to_string(n);
    ++checked;

    for (size_t i = 0; i < proof.size(); ++i) {
      auto bad = proof;
      bad[i] = FlipBit(bad[i], static_cast<int>(i * 41 + 3));
      const Status s = VerifyConsistency(m, n, old_root, new_root, bad);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where << " hash " << i;
      EXPECT_THAT(s.message(), AnyOf(HasSubstr("does not lead to the old root"),
                                     HasSubstr("does not lead to the new root")))
          << where;
    }
    if (m == n) {
      EXPECT_TRUE(proof.empty()) << where;
      const Status s = VerifyConsistency(m, n, old_root, FlipBit(new_root), proof);
      EXPECT_THAT(s.message(), HasSubstr("equal sizes with different roots")) << where;
      const Status t = VerifyConsistency(m, n, old_root, new_root, std::vector<Hash>{old_root});
      EXPECT_THAT(t.message(), HasSubstr("consistency proof for equal sizes must be empty"));
      continue;
    }
    {
      const Status s = VerifyConsistency(m, n, FlipBit(old_root), new_root, proof);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where;
      EXPECT_THAT(s.message(), any_consistency_failure) << where;
      const Status t = VerifyConsistency(m, n, old_root, FlipBit(new_root), proof);
      EXPECT_THAT(t.message(), HasSubstr("does not lead to the new root")) << where;
      // Swapped sizes.
      const Status u = VerifyConsistency(n, m, new_root, old_root, proof);
      EXPECT_THAT(u.message(), HasSubstr("old size is larger than new size")) << where;
    }
    for (uint64_t other_m : {m - 1, m + 1}) {  // wrong old size, with its own root
      if (other_m == 0 || other_m >= n) continue;
      const Status s = VerifyConsistency(other_m, n, Root(other_m), new_root, proof);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where << " as old " << other_m;
      EXPECT_THAT(s.message(), any_consistency_failure) << where << " as old " << other_m;
    }
    for (uint64_t other_n : {n - 1, n + 1, n * 2}) {  // wrong new size, with its own root
      if (other_n <= m || other_n == n || other_n > 64) continue;
      const Status s = VerifyConsistency(m, other_n, old_root, Root(other_n), proof);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where << " as new " << other_n;
      EXPECT_THAT(s.message(), any_consistency_failure) << where << " as new " << other_n;
    }
    {  // truncated
      const Status s =
          VerifyConsistency(m, n, old_root, new_root, std::span(proof).first(proof.size() - 1));
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where;
      EXPECT_THAT(s.message(), AnyOf(HasSubstr("consistency proof is too short"),
                                     HasSubstr("consistency proof is empty")))
          << where;
      const Status t = VerifyConsistency(m, n, old_root, new_root, std::span(proof).subspan(1));
      EXPECT_EQ(t.code(), StatusCode::kPermissionDenied) << where;
      EXPECT_THAT(t.message(), any_consistency_failure) << where;
    }
    {  // one extra hash
      auto longer = proof;
      longer.push_back(new_root);
      const Status s = VerifyConsistency(m, n, old_root, new_root, longer);
      EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << where;
      EXPECT_THAT(s.message(), HasSubstr("consistency proof is too long")) << where;
    }
  }
  EXPECT_GT(checked, 100u);
}

TEST_F(MerkleVectorsTest, EmptyOldTreeIsConsistentWithEverything) {
  EXPECT_TRUE(VerifyConsistency(0, 0, Root(0), Root(0), {}).ok());
  EXPECT_TRUE(VerifyConsistency(0, 17, Root(0), Root(17), {}).ok());
  const Status s = VerifyConsistency(0, 17, Root(0), Root(17), std::vector<Hash>{Root(1)});
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(s.message(), HasSubstr("consistency proof from size 0 must be empty"));
}

// ---- Argument checks and lookups ----

TEST(MerkleProofArgumentsTest, InclusionNeedsIndexBelowSize) {
  const SubtreeTable t(std::vector<Hash>(5, LeafHash({})));
  auto p = InclusionProofFrom(5, 5, t.For(5));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("index 5 is not below tree size 5"));
  auto empty = InclusionProofFrom(0, 0, t.For(0));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);

  const Status v = VerifyInclusion(5, 5, LeafHash({}), {}, EmptyTreeRoot());
  EXPECT_EQ(v.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(v.message(), HasSubstr("index 5 is not below tree size 5"));
}

TEST(MerkleProofArgumentsTest, ConsistencyNeedsZeroBelowOldAtMostNew) {
  const SubtreeTable t(std::vector<Hash>(8, LeafHash({})));
  auto zero = ConsistencyProofFrom(0, 8, t.For(8));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(zero.status().message(), HasSubstr("got 0 and 8"));
  auto backwards = ConsistencyProofFrom(6, 5, t.For(6));
  ASSERT_FALSE(backwards.ok());
  EXPECT_EQ(backwards.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(backwards.status().message(), HasSubstr("got 6 and 5"));
  auto same = ConsistencyProofFrom(6, 6, t.For(6));
  ASSERT_TRUE(same.ok()) << same.status().message();
  EXPECT_TRUE(same->empty());
}

TEST(MerkleProofArgumentsTest, LookupErrorsArePassedThrough) {
  const SubtreeHashFn missing = [](int level, uint64_t index) -> Result<Hash> {
    return NotFound("tile for " + std::to_string(level) + "/" + std::to_string(index) +
                    " is missing");
  };
  auto root = TreeRootFrom(7, missing);
  ASSERT_FALSE(root.ok());
  EXPECT_EQ(root.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(root.status().message(), HasSubstr("is missing"));
  auto inc = InclusionProofFrom(3, 7, missing);
  ASSERT_FALSE(inc.ok());
  EXPECT_EQ(inc.status().code(), StatusCode::kNotFound);
  auto con = ConsistencyProofFrom(3, 7, missing);
  ASSERT_FALSE(con.ok());
  EXPECT_EQ(con.status().code(), StatusCode::kNotFound);
  // The empty tree needs no lookup.
  auto empty = TreeRootFrom(0, missing);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, EmptyTreeRoot());
}

}  // namespace
}  // namespace jejak::merkle_test
