// Bulk loads into the RocksDB store: many table files whose keys span the
// whole column, loaded while background compaction is held (the auditor's
// first pull of a national stage), are compacted once at the end and read
// back whole and in order.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "ledger/log/rocks_store.h"
#include "ledger/log/store.h"
#include "tests/ledger/log/raw_store.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

using testing::MakeTempFolder;
using testing::RemoveFolder;

constexpr int kLoads = 30;           // above the 20 files left to the background compaction
constexpr int kKeysPerLoad = 20000;  // enough that a compaction takes a while

// Load `load`'s keys: k-00000-<load> .. k-<kKeysPerLoad-1>-<load>, so that
// every load spans the whole range and overlaps every other.
Status LoadOne(Store& store, int load) {
  std::vector<std::string> keys;
  for (int i = 0; i < kKeysPerLoad; ++i) keys.push_back(fmt::format("k-{:05}-{:03}", i, load));
  size_t next = 0;
  std::string value = fmt::format("v{}", load);
  return store.BulkLoad(Column::kIndex, [&](std::string_view& k, std::string_view& v) {
    if (next == keys.size()) return false;
    k = keys[next++];
    v = value;
    return true;
  });
}

// The table files of the index column of the store at `path`, at level 0 and
// in all, read with RocksDB itself (beside a writer, if one has it open).
struct TableFiles {
  uint64_t level0 = 0, all = 0;
};
TableFiles IndexFiles(const std::string& path) {
  const std::vector<rocksdb::ColumnFamilyDescriptor> cfs = testing::StoreColumnFamilies();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, cfs, &handles, &raw);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return {~uint64_t{0}, ~uint64_t{0}};
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyMetaData meta;
  db->GetColumnFamilyMetaData(handles[1 + static_cast<int>(Column::kIndex)], &meta);
  TableFiles files;
  for (const auto& level : meta.levels) {
    if (level.level == 0) files.level0 = level.files.size();
    files.all += level.files.size();
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return files;
}

class BulkLoadTest : public ::testing::Test {
 protected:
  void TearDown() override { RemoveFolder(dir_); }
  std::string dir_ = MakeTempFolder("bulk-load");
  std::string path_ = dir_ + "/store";
};

TEST_F(BulkLoadTest, LoadsHeldFromCompactionAreCompactedOnceAtTheEndAndReadBackInOrder) {
  {
    auto store = OpenRocksStore(path_, StoreMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->BeginBulkLoads(Column::kIndex).ok());
    for (int load = 0; load < kLoads; ++load) ASSERT_TRUE(LoadOne(**store, load).ok()) << load;
    // Held: every load is a table file of its own (each goes to the deepest
    // level holding nothing it overlaps: the first six below level 0).
    const TableFiles held = IndexFiles(path_);
    EXPECT_EQ(held.all, uint64_t{kLoads}) << "the loads were compacted while held";
    EXPECT_GT(held.level0, 20u);
    ASSERT_TRUE((*store)->EndBulkLoads(Column::kIndex).ok());
    // Compacted before EndBulkLoads returns, not left to a background
    // compaction that the end of the process would cut short.
    EXPECT_EQ(IndexFiles(path_).level0, 0u) << "the loads' files were not compacted at the end";
  }

  auto store = OpenRocksStore(path_, StoreMode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto it = (*store)->NewIterator(Column::kIndex);
  it->Seek("");
  int seen = 0;
  for (int i = 0; i < kKeysPerLoad; ++i) {
    for (int load = 0; load < kLoads; ++load, ++seen, it->Next()) {
      ASSERT_TRUE(it->Valid()) << "key " << seen << " is missing";
      ASSERT_EQ(it->key(), fmt::format("k-{:05}-{:03}", i, load));
      ASSERT_EQ(it->value(), fmt::format("v{}", load));
    }
  }
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

TEST_F(BulkLoadTest, AStoreOpenedReadOnlyRefusesToHoldCompactions) {
  { ASSERT_TRUE(OpenRocksStore(path_, StoreMode::kCreate).ok()); }
  auto store = OpenRocksStore(path_, StoreMode::kReadOnly);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->BeginBulkLoads(Column::kIndex).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ((*store)->EndBulkLoads(Column::kIndex).code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace jejak
