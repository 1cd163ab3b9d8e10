// The indexer (ledger/pkh/indexer.h), driven directly: a catch-up indexes
// exactly the leaves past the watermark, once; a second one finds nothing to
// do; a statement whose signer lacks authority is indexed as a violation and
// its records left out of the join.
#include "ledger/pkh/indexer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ledger/log/statement_log.h"
#include "ledger/log/text_records.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/join_rows.h"
#include "ledger/pkh/node.h"
#include "tests/ledger/pkh/pkh_fixture.h"

namespace jejak {
namespace {

using ::jejak::testing::IsOk;
using ::jejak::testing::PkhTestNode;
using ::testing::HasSubstr;

class IndexerTest : public ::jejak::testing::PkhFixture {
 protected:
  Result<IndexReport> CatchUpKab() {
    ASSIGN_OR_RETURN(Governance gov, LoadNodeGovernance(*kab_.folder));
    return CatchUpIndex(kab_.store(), kab_.folder->own_log(), &gov, nullptr);
  }
  uint64_t OwnSize(PkhTestNode& node) { return node.pkh->writer().size(); }
};

TEST_F(IndexerTest, ACatchUpIndexesTheNewLeavesOnceAndThenNothing) {
  ASSERT_TRUE(IsOk(ImportUpdates(
      *kab_.pkh,
      WriteFile("u.csv", UpdatesCsv({UpdateRow("U-1", "KPM-A"), UpdateRow("U-2", "KPM-B")})),
      operator_, program_key_)));
  // The node indexes what it appends; the index is at the log's size.
  auto indexed = IndexedSize(kab_.store(), kab_.folder->own_log());
  ASSERT_TRUE(IsOk(indexed));
  EXPECT_EQ(*indexed, OwnSize(kab_));
  auto again = CatchUpKab();
  ASSERT_TRUE(IsOk(again));
  EXPECT_EQ(again->leaves, 0u);
  EXPECT_EQ(again->statements, 0u);
  auto found = FindUpdateId(kab_.store(), kab_.folder->own_log().id, "U-2");
  ASSERT_TRUE(IsOk(found));
  EXPECT_EQ(*found, std::optional<uint64_t>(OwnSize(kab_) - 1));
}

TEST_F(IndexerTest, ALogAppendedBehindTheIndexIsCaughtUpFromItsWatermark) {
  const uint64_t before = OwnSize(kab_);
  // Two statements appended by the engine alone, as a replica's leaves
  // arrive: the index does not know them yet.
  for (const char* lines : {"first\nsecond\n", "third\n"}) {
    auto leaves = TextRecordLeaves(lines, "notes");
    ASSERT_TRUE(IsOk(leaves));
    PreparedStatement p = PrepareStatement(kab_.pkh->NewHeader("generic.note"), *leaves);
    SignStatement(p.statement, operator_);
    ASSERT_TRUE(IsOk(AppendStatement(kab_.pkh->writer(), p)));
  }
  auto indexed = IndexedSize(kab_.store(), kab_.folder->own_log());
  ASSERT_TRUE(IsOk(indexed));
  EXPECT_EQ(*indexed, before);
  auto report = CatchUpKab();
  ASSERT_TRUE(IsOk(report));
  EXPECT_EQ(report->leaves, 5u);
  EXPECT_EQ(report->statements, 2u);
  EXPECT_EQ(report->violations, 0u);
  indexed = IndexedSize(kab_.store(), kab_.folder->own_log());
  ASSERT_TRUE(IsOk(indexed));
  EXPECT_EQ(*indexed, OwnSize(kab_));
  // Each statement has its verdict, authorized.
  int verdicts = 0;
  ASSERT_TRUE(IsOk(ForEachStatementVerdict(kab_.store(), [&](const StatementVerdict& v) {
    if (v.log == kab_.folder->own_log().id && v.leaf >= before) {
      ++verdicts;
      EXPECT_EQ(v.type, "generic.note");
      EXPECT_TRUE(v.violation.empty()) << v.violation;
    }
    return Status::Ok();
  })));
  EXPECT_EQ(verdicts, 2);
}

TEST_F(IndexerTest, AStatementByAKeyWithoutAuthorityIsIndexedAsAViolation) {
  const uint64_t before = OwnSize(kab_);
  auto leaves = TextRecordLeaves("a note\n", "notes");
  ASSERT_TRUE(IsOk(leaves));
  PreparedStatement p = PrepareStatement(kab_.pkh->NewHeader("generic.note"), *leaves);
  SignStatement(p.statement, stranger_);
  ASSERT_TRUE(IsOk(AppendStatement(kab_.pkh->writer(), p)));
  auto report = CatchUpKab();
  ASSERT_TRUE(IsOk(report));
  EXPECT_EQ(report->statements, 1u);
  EXPECT_EQ(report->violations, 1u);
  ASSERT_EQ(report->first_violations.size(), 1u);
  EXPECT_THAT(report->first_violations[0], HasSubstr(fmt::format("leaf {}: signature 1", before)));
  EXPECT_THAT(report->first_violations[0], HasSubstr("holds no role for region 7306"));
}

}  // namespace
}  // namespace jejak
