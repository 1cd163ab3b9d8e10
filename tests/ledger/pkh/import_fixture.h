// The fixture of the import tests (PkhImport): a PKH world, imports into its
// kabupaten and bank nodes, and readers of what they appended.
#pragma once

#include "ledger/pkh/import.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/join_rows.h"
#include "tests/ledger/pkh/pkh_fixture.h"

extern char** environ;

namespace jejak::import_test {

using ::jejak::testing::HasStatus;
using ::jejak::testing::IsOk;
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::PkhTestNode;
using ::jejak::testing::StoreDigest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// The whole state of a node's store, to show that a refused import changed
// nothing: the own log's size and root, and a digest of every key and value.
struct StoreState {
  uint64_t size = 0;
  Hash root{};
  Hash digest{};
  bool operator==(const StoreState&) const = default;
};

inline StoreState StateOf(PkhTestNode& node) {
  auto [size, root] = node.OwnLogState();
  return {size, root, StoreDigest(node.store())};
}

class PkhImport : public ::jejak::testing::PkhFixture {
 protected:
  Result<ImportReport> Updates(const std::string& file, const SigningKey* key = nullptr) {
    return ImportUpdates(*kab_.pkh, file, key != nullptr ? *key : operator_, program_key_);
  }
  Result<ImportReport> Receipts(const std::string& file, const SigningKey* key = nullptr) {
    return ImportReceipts(*bank_.pkh, file, key != nullptr ? *key : payer_, program_key_);
  }

  // Leaves [begin, end) of `node`'s own log.
  std::vector<Bytes> Leaves(PkhTestNode& node, uint64_t begin, uint64_t end) {
    LogReader reader(node.store(), node.folder->own_log());
    std::vector<Bytes> out;
    EXPECT_TRUE(IsOk(reader.ForEachLeaf(begin, end, [&](uint64_t, ByteSpan leaf) {
      out.emplace_back(leaf.begin(), leaf.end());
      return Status::Ok();
    })));
    return out;
  }

  Statement StatementAt(PkhTestNode& node, uint64_t index) {
    auto leaves = Leaves(node, index, index + 1);
    if (leaves.size() != 1) return {};
    auto st = DecodeStatementEntry(leaves[0]);
    EXPECT_TRUE(IsOk(st));
    return st.ok() ? *st : Statement{};
  }

  template <typename T>
  std::vector<T> RecordsAt(PkhTestNode& node, uint64_t begin, uint64_t end) {
    std::vector<T> out;
    for (const Bytes& leaf : Leaves(node, begin, end)) {
      auto rec = DecodePkhRecord(leaf);
      EXPECT_TRUE(IsOk(rec));
      if (!rec.ok() || !*rec || !std::holds_alternative<T>(**rec)) {
        ADD_FAILURE() << "leaf is not a record of the expected kind";
        continue;
      }
      out.push_back(std::get<T>(**rec));
    }
    return out;
  }

  // The statement at `index` is signed exactly once, by `signer`, over a
  // header whose records root is the root of the `count` records after it.
  void ExpectSignedOnceOverItsRecords(PkhTestNode& node, uint64_t index, uint64_t count,
                                      const SigningKey& signer) {
    const Statement st = StatementAt(node, index);
    ASSERT_EQ(st.signatures.size(), 1u);
    EXPECT_EQ(st.signatures[0].public_key, signer.public_key());
    EXPECT_TRUE(IsOk(VerifyStatementSignatures(st)));
    EXPECT_EQ(st.header.record_count, count);
    std::vector<Hash> hashes;
    for (const Bytes& leaf : Leaves(node, index + 1, index + 1 + count)) {
      hashes.push_back(LeafHash(leaf));
    }
    ASSERT_EQ(hashes.size(), count);
    EXPECT_EQ(st.header.records_root, RootOfLeafHashes(hashes));
  }
};

}  // namespace jejak::import_test
