// KeptStores (ledger/pkh/node_folder.h): `jejak batch` keeps a node's store
// open from one command to the next.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "ledger/log/rocks_store.h"
#include "ledger/pkh/node_folder.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::StatusIs;

class KeptStoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = MakeTempFolder("kept-stores");
    NodeInitOptions o;
    o.kind = NodeKind::kAuditor;
    o.name = "Auditor";
    o.region = "00";
    o.passphrase = "test-only";
    o.kdf = KdfParams{1, 8192};
    for (const char* name : {"a", "b", "c", "d", "e"}) {
      ASSERT_TRUE(NodeFolder::Create(tmp_ + "/" + name, o).ok());
    }
  }
  void TearDown() override { RemoveFolder(tmp_); }

  std::unique_ptr<NodeFolder> Open(const std::string& name, StoreMode mode) {
    auto f = NodeFolder::Open(tmp_ + "/" + name, mode);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? std::move(f).value() : nullptr;
  }
  static Status Put(NodeFolder& f, const std::string& value) {
    WriteBatch b;
    b.Put(Column::kMeta, "test/kept", value);
    return f.store().Write(b, /*sync=*/true);
  }
  static std::optional<std::string> GetValue(NodeFolder& f) {
    auto v = f.store().Get(Column::kMeta, "test/kept");
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : std::nullopt;
  }
  // Whether another opener could take the store's lock now (so: whether
  // this process holds it open).
  bool Locked(const std::string& name) {
    auto s = OpenRocksStore(tmp_ + "/" + name + "/db", StoreMode::kReadWrite);
    return !s.ok();
  }

  std::string tmp_;
};

TEST_F(KeptStoresTest, WithoutThemEachNodeFolderOpensAndClosesItsStore) {
  {
    auto first = Open("a", StoreMode::kReadWrite);
    ASSERT_NE(first, nullptr);
    EXPECT_FALSE(NodeFolder::Open(tmp_ + "/a", StoreMode::kReadWrite).ok());  // its lock
  }
  EXPECT_FALSE(Locked("a"));
}

TEST_F(KeptStoresTest, AStoreOpenedForWritingStaysOpenForTheNextOpens) {
  KeptStores kept;
  {
    auto w = Open("a", StoreMode::kReadWrite);
    ASSERT_NE(w, nullptr);
    ASSERT_TRUE(Put(*w, "one").ok());
  }
  EXPECT_TRUE(Locked("a"));  // kept after its folder closed
  {
    auto again = Open("a", StoreMode::kReadWrite);  // the same store: no lock conflict
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(GetValue(*again), "one");
    ASSERT_TRUE(Put(*again, "two").ok());
    auto reader = Open("a", StoreMode::kReadOnly);  // at once, beside the writer
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(GetValue(*reader), "two");
    EXPECT_TRUE(reader->store().read_only());
    EXPECT_FALSE(again->store().read_only());
    EXPECT_THAT(Put(*reader, "three"), StatusIs(StatusCode::kFailedPrecondition, "read-only"));
    EXPECT_EQ(GetValue(*again), "two");
  }
  // The same folder by another path is the same store.
  {
    auto other_path = NodeFolder::Open(tmp_ + "/./a/../a", StoreMode::kReadWrite);
    ASSERT_TRUE(other_path.ok()) << other_path.status().ToString();
    EXPECT_EQ(GetValue(**other_path), "two");
  }
  CloseKeptStores();
  EXPECT_FALSE(Locked("a"));
  auto after = Open("a", StoreMode::kReadOnly);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(GetValue(*after), "two");  // durable
}

TEST_F(KeptStoresTest, AReadOnlyOpenOfAStoreNotKeptIsNotKept) {
  KeptStores kept;
  {
    auto r = Open("b", StoreMode::kReadOnly);
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(r->store().read_only());
  }
  EXPECT_FALSE(Locked("b"));
  {
    auto w = Open("a", StoreMode::kReadWrite);
    ASSERT_NE(w, nullptr);
  }
  EXPECT_TRUE(Locked("a"));
  EXPECT_FALSE(Locked("b"));  // one node's kept store is not another's
}

TEST_F(KeptStoresTest, AtMostFourAreKeptAndTheOneOpenedLeastRecentlyClosesFirst) {
  KeptStores kept;
  for (const char* name : {"a", "b", "c", "d"}) {
    ASSERT_NE(Open(name, StoreMode::kReadWrite), nullptr);
  }
  for (const char* name : {"a", "b", "c", "d"}) EXPECT_TRUE(Locked(name)) << name;
  ASSERT_NE(Open("a", StoreMode::kReadOnly), nullptr);  // a is now the latest used
  ASSERT_NE(Open("e", StoreMode::kReadWrite), nullptr);
  EXPECT_FALSE(Locked("b"));  // closed to keep e
  for (const char* name : {"a", "c", "d", "e"}) EXPECT_TRUE(Locked(name)) << name;
  // Opened again, b is kept again, in place of c.
  auto b = Open("b", StoreMode::kReadWrite);
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(Locked("c"));
  EXPECT_TRUE(Locked("b"));
}

TEST_F(KeptStoresTest, TheirEndClosesEveryKeptStoreEvenWhileAViewIsOpen) {
  std::unique_ptr<NodeFolder> still_open;
  {
    KeptStores kept;
    auto w = Open("a", StoreMode::kReadWrite);
    ASSERT_NE(w, nullptr);
    ASSERT_TRUE(Put(*w, "one").ok());
    still_open = Open("a", StoreMode::kReadOnly);
    ASSERT_NE(still_open, nullptr);
  }
  // The last view holds the store until it closes; then nothing does.
  EXPECT_EQ(GetValue(*still_open), "one");
  still_open.reset();
  EXPECT_FALSE(Locked("a"));
  // No longer kept: each folder opens its own store again.
  auto w = Open("a", StoreMode::kReadWrite);
  ASSERT_NE(w, nullptr);
  EXPECT_FALSE(NodeFolder::Open(tmp_ + "/a", StoreMode::kReadWrite).ok());
}

}  // namespace
}  // namespace jejak
