// Tampering: a log of several tiles is altered behind the ledger's back —
// through RocksDB's own API in a copy of the store, or in the files of an
// exported tiles folder — and verification must say exactly what and where.
// Also: incremental export, and export into a folder that is not this log's.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/files.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/log/log_source.h"
#include "ledger/log/merkle.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/log/tiles.h"
#include "ledger/log/verify.h"
#include "tests/test_support.h"

namespace jejak {
namespace {
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::WriteBinary;

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "jejak.test/tamper";
// Statement sizes: 691 leaves in all, so level 0 has tiles 0 and 1 full and
// tile 2 partial (179 wide), and level 1 a partial tile of width 2.
const std::vector<size_t> kRecordCounts = {5, 0, 120, 200, 3, 255, 60, 40};
constexpr uint64_t kLogSize = 691;

const SigningKey& LogKey() {
  static const SigningKey* key = new SigningKey(KeyFromByte(0x31));
  return *key;
}

NoteVerifierKey LogVerifier() {
  return NoteVerifierKey::ForEd25519(kOrigin, LogKey().public_key());
}

PreparedStatement MakeStatement(uint64_t k, size_t records) {
  StatementHeader h;
  h.origin = kOrigin;
  h.type = "tamper.test";
  h.region = "7404";
  h.timestamp_ms = 1'770'000'000'000 + static_cast<int64_t>(k);
  std::vector<Bytes> leaves;
  for (size_t j = 0; j < records; ++j) {
    leaves.push_back(EncodeTextRecordEntry(fmt::format("statement {} record {}", k, j)).value());
  }
  PreparedStatement p = PrepareStatement(std::move(h), std::move(leaves));
  SignStatement(p.statement, KeyFromByte(0x32));
  return p;
}

// Every file under `dir` (relative path -> contents).
std::map<std::string, std::string> FolderContents(const std::string& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) {
      out[fs::relative(e.path(), dir).string()] = ReadBinary(e.path().string());
    }
  }
  return out;
}

// A RocksDB opened with its own API, as an intruder (or `ldb`) would.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    cfs.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    for (int i = 0; i < kColumnCount; ++i) {
      cfs.emplace_back(std::string(ColumnName(static_cast<Column>(i))),
                       rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* raw = nullptr;
    status_ = rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles_, &raw);
    db_.reset(raw);
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  }
  bool ok() const { return status_.ok(); }
  std::string error() const { return status_.ToString(); }

  std::string Get(Column c, const std::string& key) {
    std::string v;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(c), key, &v);
    EXPECT_TRUE(s.ok()) << ColumnName(c) << ": " << s.ToString();
    return v;
  }
  void Put(Column c, const std::string& key, const std::string& value) {
    rocksdb::WriteOptions o;
    o.sync = true;
    rocksdb::Status s = db_->Put(o, Handle(c), key, value);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  void Delete(Column c, const std::string& key) {
    rocksdb::WriteOptions o;
    o.sync = true;
    rocksdb::Status s = db_->Delete(o, Handle(c), key);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

 private:
  rocksdb::ColumnFamilyHandle* Handle(Column c) { return handles_[1 + static_cast<size_t>(c)]; }
  rocksdb::Status status_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

class TamperTest : public ::testing::Test {
 protected:
  // The pristine log is built once; each test works on a copy of it.
  static void SetUpTestSuite() {
    pristine_ = new std::string(MakeTempFolder("tamper-pristine"));
    statement_index_ = new std::vector<uint64_t>();
    auto store = OpenRocksStore(*pristine_ + "/db", StoreMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto info = RegisterLog(**store, LogVerifier(), /*own=*/true);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    ASSERT_EQ(info->id, 1u);
    auto w = LogWriter::Open(**store, *info, &LogKey());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    for (size_t k = 0; k < kRecordCounts.size(); ++k) {
      auto a = AppendStatement(**w, MakeStatement(k, kRecordCounts[k]));
      ASSERT_TRUE(a.ok()) << a.status().ToString();
      statement_index_->push_back(a->index);
    }
    ASSERT_EQ((*w)->size(), kLogSize);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (pristine_ != nullptr) fs::remove_all(*pristine_, ec);
    delete pristine_;
    delete statement_index_;
    pristine_ = nullptr;
    statement_index_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(pristine_, nullptr);
    dir_ = MakeTempFolder("tamper-test");
    fs::copy(*pristine_ + "/db", db(), fs::copy_options::recursive);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string db() const { return dir_ + "/db"; }
  std::string out() const { return dir_ + "/tiles"; }
  static uint64_t StatementAt(size_t k) { return (*statement_index_)[k]; }

  VerifyResult VerifyStore() {
    auto store = OpenRocksStore(db(), StoreMode::kReadWrite);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return {};
    auto info = FindLog(**store, kOrigin);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    StoreLogSource source(**store, *info, "store " + db());
    VerifyOptions options;
    options.log_key = LogVerifier();
    return VerifyLog(source, options);
  }

  VerifyResult VerifyTiles(const NoteVerifierKey& key = LogVerifier()) {
    TileFolderSource source(out());
    VerifyOptions options;
    options.log_key = key;
    return VerifyLog(source, options);
  }

  Result<ExportReport> Export(const std::string& db_path, const std::string& out_dir) {
    auto store = OpenRocksStore(db_path, StoreMode::kReadWrite);
    if (!store.ok()) return store.status();
    auto info = FindLog(**store, kOrigin);
    if (!info.ok()) return info.status();
    LogReader reader(**store, *info);
    return ExportTiles(reader, out_dir);
  }

  // Replaces the hash of leaf `index` in its level-0 tile, so that only what
  // the leaf says is wrong, not its hash.
  static void FixTileHash(RawDb& raw, uint64_t index, const Bytes& leaf) {
    const std::string key = store_keys::Tile(1, 0, index / kTileWidth);
    std::string tile = raw.Get(Column::kTiles, key);
    ASSERT_GE(tile.size(), (index % kTileWidth + 1) * 32);
    const Hash h = LeafHash(leaf);
    tile.replace((index % kTileWidth) * 32, 32, reinterpret_cast<const char*>(h.data()), 32);
    raw.Put(Column::kTiles, key, tile);
  }

  std::string dir_;
  static std::string* pristine_;
  static std::vector<uint64_t>* statement_index_;
};

std::string* TamperTest::pristine_ = nullptr;
std::vector<uint64_t>* TamperTest::statement_index_ = nullptr;

TEST_F(TamperTest, PristineLogVerifies) {
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
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  ASSERT_TRUE(v.bad_leaf.has_value()) << v.status.ToString();
  EXPECT_EQ(*v.bad_leaf, index);
  EXPECT_THAT(v.status.message(), HasSubstr("leaf 300:"));
  EXPECT_THAT(v.status.message(), HasSubstr("tile/0/001"));
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
  const VerifyResult v = VerifyStore();
  EXPECT_EQ(v.status.code(), StatusCode::kCorruption);
  ASSERT_TRUE(v.bad_leaf.has_value()) << v.status.ToString();
  EXPECT_EQ(*v.bad_leaf, statement);
  EXPECT_THAT(
      v.status.message(),
      HasSubstr(fmt::format("leaf {}: the statement's records root does not match", statement)));
}

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
}  // namespace jejak
