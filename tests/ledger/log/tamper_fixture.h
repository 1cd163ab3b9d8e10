// The fixture of the tamper tests (TamperTest): a log of a few statements in
// a store and as an exported tiles folder, and raw access to change bytes
// behind the store's back (RawDb).
#pragma once

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
#include "tests/ledger/log/raw_store.h"
#include "tests/test_support.h"

namespace jejak::tamper_test {

using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::WriteBinary;

namespace fs = std::filesystem;
using ::testing::HasSubstr;

inline constexpr char kOrigin[] = "jejak.test/tamper";
// Statement sizes: 691 leaves in all, so level 0 has tiles 0 and 1 full and
// tile 2 partial (179 wide), and level 1 a partial tile of width 2.
inline const std::vector<size_t> kRecordCounts = {5, 0, 120, 200, 3, 255, 60, 40};
inline constexpr uint64_t kLogSize = 691;

inline const SigningKey& LogKey() {
  static const SigningKey* key = new SigningKey(KeyFromByte(0x31));
  return *key;
}

inline NoteVerifierKey LogVerifier() {
  return NoteVerifierKey::ForEd25519(kOrigin, LogKey().public_key());
}

inline PreparedStatement MakeStatement(uint64_t k, size_t records) {
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
inline std::map<std::string, std::string> FolderContents(const std::string& dir) {
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
    const std::vector<rocksdb::ColumnFamilyDescriptor> cfs = testing::StoreColumnFamilies();
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

  VerifyResult VerifyStore(bool hashes_only = false) {
    auto store = OpenRocksStore(db(), StoreMode::kReadWrite);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return {};
    auto info = FindLog(**store, kOrigin);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    StoreLogSource source(**store, *info, "store " + db());
    VerifyOptions options;
    options.log_key = LogVerifier();
    options.hashes_only = hashes_only;
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

inline std::string* TamperTest::pristine_ = nullptr;
inline std::vector<uint64_t>* TamperTest::statement_index_ = nullptr;

}  // namespace jejak::tamper_test
