// Tampering with an exported tiles folder, and what a second export writes.
#include "tests/ledger/log/tamper_fixture.h"

namespace jejak::tamper_test {
namespace {

// --- The same, on an exported tiles folder. ---

TEST_F(TamperTest, ExportedFolderVerifies) {
  auto r = Export(db(), out());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->old_size, 0u);
  EXPECT_EQ(r->new_size, kLogSize);
  // Tiles 0/000, 0/001, 0/002.p/179, 1/000.p/2 and three entry bundles.
  EXPECT_EQ(r->files, 7u);
  for (const char* f :
       {"checkpoint", "tile/0/000", "tile/0/001", "tile/0/002.p/179", "tile/1/000.p/2",
        "tile/entries/000", "tile/entries/001", "tile/entries/002.p/179"}) {
    EXPECT_TRUE(fs::exists(out() + "/" + f)) << f;
  }
  const VerifyResult v = VerifyTiles();
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_EQ(v.report.leaves, kLogSize);
  EXPECT_EQ(v.report.statements, kRecordCounts.size());
  // A key of another log does not open it.
  const VerifyResult other =
      VerifyTiles(NoteVerifierKey::ForEd25519(kOrigin, KeyFromByte(0x66).public_key()));
  EXPECT_EQ(other.status.code(), StatusCode::kPermissionDenied);
}

TEST_F(TamperTest, FolderEntryBundleByteChangedNamesTheLeaf) {
  ASSERT_TRUE(Export(db(), out()).ok());
  const uint64_t index = 300;
  const std::string path = out() + "/tile/entries/001";
  std::string bundle = ReadBinary(path);
  // Walk the length prefixes to leaf 300, then change a byte of its body.
  size_t pos = 0;
  for (uint64_t i = 256; i < index; ++i) {
    pos += 2 + (static_cast<uint8_t>(bundle[pos]) << 8 | static_cast<uint8_t>(bundle[pos + 1]));
  }
  const size_t len = static_cast<uint8_t>(bundle[pos]) << 8 | static_cast<uint8_t>(bundle[pos + 1]);
  bundle[pos + 2 + len / 2] ^= 0x04;
  ASSERT_TRUE(WriteBinary(path, bundle));
  const VerifyResult v = VerifyTiles();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  ASSERT_TRUE(v.bad_leaf.has_value()) << v.status.ToString();
  EXPECT_EQ(*v.bad_leaf, index);
  EXPECT_THAT(v.status.message(), HasSubstr("leaf 300:"));
}

TEST_F(TamperTest, FolderTruncatedEntryBundleNamesTheLeaf) {
  ASSERT_TRUE(Export(db(), out()).ok());
  const std::string path = out() + "/tile/entries/002.p/179";
  std::string bundle = ReadBinary(path);
  ASSERT_TRUE(WriteBinary(path, bundle.substr(0, bundle.size() - 3)));
  const VerifyResult v = VerifyTiles();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("leaf 690: cut short in tile/entries/002.p/179"));
}

TEST_F(TamperTest, FolderTruncatedTileNamesThePath) {
  ASSERT_TRUE(Export(db(), out()).ok());
  const std::string path = out() + "/tile/0/001";
  ASSERT_TRUE(WriteBinary(path, ReadBinary(path).substr(0, 4000)));
  const VerifyResult v = VerifyTiles();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("tile/0/001 is 4000 bytes, expected 8192 (truncated)"));
}

TEST_F(TamperTest, FolderTruncatedPartialTileNamesThePath) {
  ASSERT_TRUE(Export(db(), out()).ok());
  const std::string path = out() + "/tile/1/000.p/2";
  ASSERT_TRUE(WriteBinary(path, ReadBinary(path).substr(0, 63)));
  const VerifyResult v = VerifyTiles();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("tile/1/000.p/2 is 63 bytes, expected 64"));
}

TEST_F(TamperTest, FolderMissingTileNamesThePath) {
  ASSERT_TRUE(Export(db(), out()).ok());
  fs::remove(out() + "/tile/0/002.p/179");
  const VerifyResult v = VerifyTiles();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("tile/0/002.p/179 is missing"));
}

TEST_F(TamperTest, FolderCheckpointSignedByAnotherKeyIsRefused) {
  ASSERT_TRUE(Export(db(), out()).ok());
  auto real = OpenCheckpoint(ReadBinary(out() + "/checkpoint"), LogVerifier());
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  ASSERT_TRUE(WriteBinary(out() + "/checkpoint",
                          SignCheckpoint(real->checkpoint, KeyFromByte(0x66)).Serialize()));
  const VerifyResult v = VerifyTiles();
  EXPECT_EQ(v.status.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(v.status.message(), HasSubstr("tiles " + out()));
  EXPECT_THAT(v.status.message(), HasSubstr("checkpoint"));
}

TEST_F(TamperTest, FolderCheckpointWithAnotherRootIsRefused) {
  ASSERT_TRUE(Export(db(), out()).ok());
  Checkpoint c{kOrigin, kLogSize, Sha256(AsBytes("another history")), {}};
  ASSERT_TRUE(WriteBinary(out() + "/checkpoint", SignCheckpoint(c, LogKey()).Serialize()));
  const VerifyResult v = VerifyTiles();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(v.status.message(), HasSubstr("checkpoint of size 691: its root does not match"));
}

TEST_F(TamperTest, SecondExportAddsOnlyWhatIsNew) {
  auto first = Export(db(), out());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const auto before = FolderContents(out());

  // 4 more statements: 691 -> 691 + 4 + 4 * 30 = 815 leaves, so tile 0/002
  // fills up and 0/003 starts; level 1 goes from width 2 to 3.
  {
    auto store = OpenRocksStore(db(), StoreMode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto info = FindLog(**store, kOrigin);
    ASSERT_TRUE(info.ok());
    auto w = LogWriter::Open(**store, *info, &LogKey());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    for (size_t k = 100; k < 104; ++k) ASSERT_TRUE(AppendStatement(**w, MakeStatement(k, 30)).ok());
    ASSERT_EQ((*w)->size(), 815u);
  }
  auto second = Export(db(), out());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->old_size, kLogSize);
  EXPECT_EQ(second->new_size, 815u);
  EXPECT_EQ(second->files, 5u);
  const auto after = FolderContents(out());
  // Every old file except the checkpoint is untouched (old partials are kept).
  for (const auto& [path, data] : before) {
    if (path == "checkpoint") continue;
    ASSERT_TRUE(after.count(path)) << path << " disappeared";
    EXPECT_EQ(after.at(path), data) << path << " was rewritten";
  }
  std::vector<std::string> added;
  for (const auto& [path, data] : after) {
    if (!before.count(path)) added.push_back(path);
  }
  EXPECT_THAT(added,
              ::testing::UnorderedElementsAre("tile/0/002", "tile/0/003.p/47", "tile/1/000.p/3",
                                              "tile/entries/002", "tile/entries/003.p/47"));
  EXPECT_NE(after.at("checkpoint"), before.at("checkpoint"));
  const VerifyResult v = VerifyTiles();
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_EQ(v.report.size, 815u);

  // Nothing new: nothing written.
  auto third = Export(db(), out());
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_EQ(third->old_size, 815u);
  EXPECT_EQ(third->files, 0u);
  EXPECT_EQ(FolderContents(out()), after);
}

// Leaves committed after the latest checkpoint (a crash before signing) are
// not exported: the folder holds exactly what the checkpoint covers, with
// partial tiles cut to its width although the store's have grown.
TEST_F(TamperTest, ExportWithUnsignedTailExportsTheCheckpoint) {
  {
    auto store = OpenRocksStore(db(), StoreMode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto info = FindLog(**store, kOrigin);
    ASSERT_TRUE(info.ok());
    auto w = LogWriter::Open(**store, *info, nullptr);  // no key: nothing gets signed
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    const PreparedStatement p = MakeStatement(200, 100);  // 691 -> 792: tile 0/002 fills
    std::vector<Bytes> leaves = {EncodeStatementEntry(p.statement).value()};
    leaves.insert(leaves.end(), p.record_leaves().begin(), p.record_leaves().end());
    std::vector<ByteSpan> spans(leaves.begin(), leaves.end());
    std::vector<Hash> hashes;
    for (const Bytes& l : leaves) hashes.push_back(LeafHash(l));
    ASSERT_TRUE((*w)->Append(spans, hashes).ok());
    ASSERT_EQ((*w)->size(), 792u);
  }
  auto r = Export(db(), out());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->new_size, kLogSize);
  EXPECT_EQ(ReadBinary(out() + "/tile/0/002.p/179").size(), 179u * 32);
  EXPECT_FALSE(fs::exists(out() + "/tile/0/002"));
  const VerifyResult v = VerifyTiles();
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_EQ(v.report.size, kLogSize);
  EXPECT_EQ(v.report.leaves, kLogSize);
  // The store itself verifies too, tail included.
  const VerifyResult s = VerifyStore();
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_EQ(s.report.size, kLogSize);
  EXPECT_EQ(s.report.leaves, 792u);
}

TEST_F(TamperTest, ExportRefusesFolderOfAnotherLog) {
  // Another log, with its own key, exported first.
  const std::string other_db = dir_ + "/other-db";
  {
    const SigningKey other_key = KeyFromByte(0x55);
    auto store = OpenRocksStore(other_db, StoreMode::kCreate);
    ASSERT_TRUE(store.ok());
    auto info = RegisterLog(**store, NoteVerifierKey::ForEd25519(kOrigin, other_key.public_key()),
                            /*own=*/true);
    ASSERT_TRUE(info.ok());
    auto w = LogWriter::Open(**store, *info, &other_key);
    ASSERT_TRUE(w.ok());
    StatementHeader h;
    h.origin = kOrigin;
    h.type = "other";
    PreparedStatement p = PrepareStatement(h, {EncodeTextRecordEntry("x").value()});
    SignStatement(p.statement, other_key);
    ASSERT_TRUE(AppendStatement(**w, p).ok());
    LogReader reader(**store, *info);
    ASSERT_TRUE(ExportTiles(reader, out()).ok());
  }
  const auto before = FolderContents(out());
  ASSERT_FALSE(before.empty());
  auto r = Export(db(), out());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr(out()));
  EXPECT_THAT(r.status().message(), HasSubstr("not this log's"));
  EXPECT_EQ(FolderContents(out()), before);
}

TEST_F(TamperTest, ExportRefusesFolderAheadOfTheLog) {
  // The folder holds this log at 691; a copy of the store from before the
  // last statement cannot export into it.
  ASSERT_TRUE(Export(db(), out()).ok());
  const auto before = FolderContents(out());
  const std::string older_db = dir_ + "/older-db";
  fs::copy(db(), older_db, fs::copy_options::recursive);
  {
    RawDb raw(older_db);
    ASSERT_TRUE(raw.ok()) << raw.error();
    raw.Delete(Column::kCheckpoints, store_keys::Checkpoint(1, kLogSize));
  }
  auto r = Export(older_db, out());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("ahead of this log (size 691 > 650)"));
  EXPECT_EQ(FolderContents(out()), before);
}

}  // namespace
}  // namespace jejak::tamper_test
