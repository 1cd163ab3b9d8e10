// PkhFixture: a GoogleTest suite over the small PKH world of
// tests/ledger/pkh/pkh_world_core.h, built afresh for each test and removed after
// it.
//
// Use it by deriving a test suite from PkhFixture:
//
//   class MyTest : public ::jejak::testing::PkhFixture {};
//   TEST_F(MyTest, Something) {
//     auto r = ImportUpdates(*kab_.pkh, WriteFile("u.csv", UpdatesCsv({UpdateRow("u1", "K1")})),
//                            operator_, program_key_);
//   }
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "tests/ledger/pkh/pkh_world_core.h"

namespace jejak::testing {

// A digest of every key and value of every column of `store`: equal digests
// mean the store holds exactly the same data (whatever RocksDB's files hold).
inline Hash StoreDigest(Store& store) {
  Sha256Stream h;
  for (int c = 0; c < kColumnCount; ++c) {
    auto it = store.NewIterator(static_cast<Column>(c));
    for (it->Seek(""); it->Valid(); it->Next()) {
      const std::string framed =
          fmt::format("{}:{}:{}:{}:", c, it->key().size(), it->value().size(), it->key());
      h.Update(AsBytes(framed));
      h.Update(AsBytes(it->value()));
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  }
  return h.Finish();
}

class PkhFixture : public ::testing::Test, public PkhWorld {
 protected:
  void SetUp() override { ASSERT_TRUE(IsOk(BuildWorld())); }
  void TearDown() override { Destroy(); }

  // Writes tmp_/name and returns its path.
  std::string WriteFile(std::string_view name, std::string_view content) const {
    const std::string p = path(name);
    EXPECT_TRUE(WriteBinary(p, content)) << p;
    return p;
  }
};

}  // namespace jejak::testing
