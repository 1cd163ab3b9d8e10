// Tampering with a store: verification names the first bad leaf, tile or
// checkpoint.
#include "tests/ledger/log/tamper_fixture.h"

namespace jejak::tamper_test {
namespace {

TEST_F(TamperTest, PristineLogVerifies) {
  const VerifyResult hashes = VerifyStore(/*hashes_only=*/true);
  ASSERT_TRUE(hashes.status.ok()) << hashes.status.ToString();
  EXPECT_EQ(hashes.report.leaves, kLogSize);
  EXPECT_EQ(hashes.report.statements, 0u);  // not decoded
  const VerifyResult v = VerifyStore();
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_FALSE(v.bad_leaf.has_value());
  EXPECT_EQ(v.report.size, kLogSize);
  EXPECT_EQ(v.report.leaves, kLogSize);
  EXPECT_EQ(v.report.statements, kRecordCounts.size());
  EXPECT_EQ(v.report.checkpoints, kRecordCounts.size() + 1);
  // Level 0: tiles 0, 1 and the partial 2; level 1: its partial tile.
  EXPECT_EQ(v.report.tiles, 4u);
}

TEST_F(TamperTest, StoreLeafByteChangedIsNamed) {
  const uint64_t index = 300;  // a record of statement 3, in level-0 tile 1
  ASSERT_GT(index, StatementAt(3));
  ASSERT_LT(index, StatementAt(4));
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    std::string leaf = raw.Get(Column::kLeaves, store_keys::Leaf(1, index));
    ASSERT_FALSE(leaf.empty());
    leaf[leaf.size() / 2] ^= 0x20;
    raw.Put(Column::kLeaves, store_keys::Leaf(1, index), leaf);
  }
  for (bool hashes_only : {false, true}) {
    const VerifyResult v = VerifyStore(hashes_only);
    EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
    ASSERT_TRUE(v.bad_leaf.has_value()) << v.status.ToString();
    EXPECT_EQ(*v.bad_leaf, index);
    EXPECT_THAT(v.status.message(), HasSubstr("leaf 300:"));
    EXPECT_THAT(v.status.message(), HasSubstr("tile/0/001"));
  }
}

TEST_F(TamperTest, StoreStatementLeafByteChangedIsNamed) {
  const uint64_t index = StatementAt(5);
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    std::string leaf = raw.Get(Column::kLeaves, store_keys::Leaf(1, index));
    leaf[leaf.size() - 20] ^= 0x01;
    raw.Put(Column::kLeaves, store_keys::Leaf(1, index), leaf);
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  ASSERT_TRUE(v.bad_leaf.has_value()) << v.status.ToString();
  EXPECT_EQ(*v.bad_leaf, index);
  EXPECT_THAT(v.status.message(), HasSubstr(fmt::format("leaf {}:", index)));
}

TEST_F(TamperTest, StoreMissingLeafIsNamed) {
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    raw.Delete(Column::kLeaves, store_keys::Leaf(1, 500));
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("leaf 500: missing"));
}

TEST_F(TamperTest, StoreTruncatedTileIsNamed) {
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    const std::string key = store_keys::Tile(1, 0, 1);
    std::string tile = raw.Get(Column::kTiles, key);
    ASSERT_EQ(tile.size(), kFullTileBytes);
    raw.Put(Column::kTiles, key, tile.substr(0, tile.size() - 1));
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("tile/0/001 is 8191 bytes, expected 8192 (truncated)"));
}

TEST_F(TamperTest, StoreTruncatedUpperPartialTileIsNamed) {
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    const std::string key = store_keys::Tile(1, 1, 0);
    std::string tile = raw.Get(Column::kTiles, key);
    ASSERT_EQ(tile.size(), 64u);  // the roots of level-0 tiles 0 and 1
    raw.Put(Column::kTiles, key, tile.substr(0, 32));
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("tile/1/000.p/2 is 32 bytes, expected 64"));
}

TEST_F(TamperTest, StoreChangedUpperTileHashIsNamed) {
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    const std::string key = store_keys::Tile(1, 1, 0);
    std::string tile = raw.Get(Column::kTiles, key);
    tile[40] ^= 0x01;  // hash 1: the root of level-0 tile 1
    raw.Put(Column::kTiles, key, tile);
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("tile/1/000.p/2: hash 1 does not match"));
  EXPECT_THAT(v.status.message(), HasSubstr("leaves 256..511"));
}

TEST_F(TamperTest, StoreCheckpointSignedByAnotherKeyIsRefused) {
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    const std::string key = store_keys::Checkpoint(1, kLogSize);
    auto real = OpenCheckpoint(raw.Get(Column::kCheckpoints, key), LogVerifier());
    ASSERT_TRUE(real.ok()) << real.status().ToString();
    // Same origin, same size and root, but not the log's key.
    const SignedCheckpoint forged = SignCheckpoint(real->checkpoint, KeyFromByte(0x66));
    raw.Put(Column::kCheckpoints, key, forged.Serialize());
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(v.status.message(), HasSubstr("checkpoint"));
  EXPECT_THAT(v.status.message(), HasSubstr("not signed by any known key"));
  EXPECT_FALSE(v.bad_leaf.has_value());
}

TEST_F(TamperTest, StoreCheckpointWithAnotherRootIsRefused) {
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    // Validly signed by the log's key (a key holder rewriting history).
    Checkpoint c{kOrigin, kLogSize, Sha256(AsBytes("another history")), {}};
    raw.Put(Column::kCheckpoints, store_keys::Checkpoint(1, kLogSize),
            SignCheckpoint(c, LogKey()).Serialize());
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(),
              HasSubstr("checkpoint of size 691: its root does not match the tree"));
}

TEST_F(TamperTest, StoreOlderCheckpointWithAnotherRootIsRefused) {
  const uint64_t old_size = StatementAt(3);  // the checkpoint after statement 2
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    Checkpoint c{kOrigin, old_size, Sha256(AsBytes("another history")), {}};
    raw.Put(Column::kCheckpoints, store_keys::Checkpoint(1, old_size),
            SignCheckpoint(c, LogKey()).Serialize());
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(),
              HasSubstr(fmt::format("checkpoint of size {}: its root does not match", old_size)));
}

TEST_F(TamperTest, StoreCheckpointBeyondTheLeavesIsRefused) {
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    Checkpoint c{kOrigin, kLogSize + 10, Sha256(AsBytes("more")), {}};
    raw.Put(Column::kCheckpoints, store_keys::Checkpoint(1, kLogSize + 10),
            SignCheckpoint(c, LogKey()).Serialize());
  }
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("checkpoint covers 701 leaves"));
  EXPECT_THAT(v.status.message(), HasSubstr("holds only 691"));
}

TEST_F(TamperTest, StoreStatementSignatureChangedIsNamed) {
  const uint64_t index = StatementAt(4);  // in level-0 tile 1
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    const std::string old = raw.Get(Column::kLeaves, store_keys::Leaf(1, index));
    auto st = DecodeStatementEntry(AsBytes(old));
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    st->signatures[0].signature[7] ^= 0x10;
    const Bytes leaf = EncodeStatementEntry(*st).value();
    ASSERT_EQ(leaf.size(), old.size());
    raw.Put(Column::kLeaves, store_keys::Leaf(1, index), std::string(AsChars(leaf)));
    FixTileHash(raw, index, leaf);
  }
  // With the hashes only, the level-0 tile fixed still makes a tree whose
  // signed root (and tiles above) were not: the change is found, though not
  // named as a signature.
  const VerifyResult hashes = VerifyStore(/*hashes_only=*/true);
  EXPECT_EQ(hashes.status.code(), StatusCode::kCorruption) << hashes.status.ToString();
  EXPECT_THAT(hashes.status.message(), HasSubstr("its root does not match the tree"));
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(v.bad_leaf.has_value()) << v.status.ToString();
  EXPECT_EQ(*v.bad_leaf, index);
  EXPECT_THAT(v.status.message(), HasSubstr(fmt::format("leaf {}: statement signature 1", index)));
  EXPECT_THAT(v.status.message(), HasSubstr("does not verify"));
}

TEST_F(TamperTest, StoreRecordChangedWithTileFixedIsBlamedOnItsStatement) {
  const uint64_t statement = StatementAt(6);
  const uint64_t record = statement + 17;
  {
    RawDb raw(db());
    ASSERT_TRUE(raw.ok()) << raw.error();
    const Bytes leaf = EncodeTextRecordEntry("statement 6 record 17 (forged)").value();
    raw.Put(Column::kLeaves, store_keys::Leaf(1, record), std::string(AsChars(leaf)));
    FixTileHash(raw, record, leaf);
  }
  const VerifyResult hashes = VerifyStore(/*hashes_only=*/true);
  EXPECT_EQ(hashes.status.code(), StatusCode::kCorruption) << hashes.status.ToString();
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  ASSERT_TRUE(v.bad_leaf.has_value()) << v.status.ToString();
  EXPECT_EQ(*v.bad_leaf, statement);
  EXPECT_THAT(
      v.status.message(),
      HasSubstr(fmt::format("leaf {}: the statement's records root does not match", statement)));
}

}  // namespace
}  // namespace jejak::tamper_test
