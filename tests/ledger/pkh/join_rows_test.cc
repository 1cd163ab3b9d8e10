// The join rows of the PKH index (ledger/pkh/join_rows.h), read directly: a
// JoinCursor visits the rows of one kind and stage in pseudonym order within
// its range, two ranges split at any pseudonym visit every row once, and a
// malformed entry stops it with Corruption.
#include "ledger/pkh/join_rows.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ledger/pkh/import.h"
#include "tests/ledger/pkh/pkh_fixture.h"

namespace jejak {
namespace {

using ::jejak::testing::IsOk;
using ::jejak::testing::kKabRegion;
using ::jejak::testing::kStage;
using ::jejak::testing::StatusIs;

class JoinRowsTest : public ::jejak::testing::PkhFixture {
 protected:
  // Receipts of families KPM-J00..KPM-J<n-1>, one each, into the bank's log.
  void ImportReceiptsOf(int n) {
    std::string csv = ReceiptsHeader();
    for (int i = 0; i < n; ++i) {
      csv += ReceiptRow(fmt::format("BRI-J-{:04d}", i), fmt::format("KPM-J{:02d}", i),
                        fmt::format("{}", 100'000 + i)) +
             "\n";
    }
    ASSERT_TRUE(IsOk(ImportReceipts(*bank_.pkh, WriteFile("r.csv", csv), payer_, program_key_)));
  }

  // Every receipt row a cursor visits, in order.
  std::vector<::jejak::ReceiptRow> Visit(std::string_view stage, const Pseudonym& from,
                                         const std::optional<Pseudonym>& to) {
    std::vector<::jejak::ReceiptRow> rows;
    JoinCursor c(bank_.store(), JoinCursor::Kind::kReceipt, stage, from, to);
    for (; c.Valid(); c.Next()) {
      EXPECT_EQ(c.kpm(), c.receipt().kpm);
      rows.push_back(c.receipt());
    }
    EXPECT_TRUE(IsOk(c.status()));
    return rows;
  }
};

TEST_F(JoinRowsTest, ACursorVisitsTheRowsOfItsStageInPseudonymOrder) {
  ImportReceiptsOf(20);
  const std::vector<::jejak::ReceiptRow> rows = Visit(kStage, Pseudonym{}, std::nullopt);
  ASSERT_EQ(rows.size(), 20u);
  std::set<Pseudonym> seen;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(rows[i - 1].kpm, rows[i].kpm);
    }
    seen.insert(rows[i].kpm);
    EXPECT_EQ(rows[i].stage, kStage);
    EXPECT_EQ(rows[i].kabupaten, kKabRegion);
    EXPECT_EQ(rows[i].status, ReceiptStatus::kPaid);
    EXPECT_EQ(rows[i].paid_date, "2026-03-05");
    EXPECT_EQ(rows[i].log, bank_.folder->own_log().id);
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(seen.count(Kpm(fmt::format("KPM-J{:02d}", i))), 1u) << i;
  }
  // The row of one family carries what its line said, and its leaves.
  const Pseudonym k7 = Kpm("KPM-J07");
  auto it = std::find_if(rows.begin(), rows.end(),
                         [&](const ::jejak::ReceiptRow& r) { return r.kpm == k7; });
  ASSERT_NE(it, rows.end());
  EXPECT_EQ(it->amount, 100'007u);
  EXPECT_EQ(it->txn_ref, "BRI-J-0007");
  EXPECT_GT(it->leaf, it->statement);
  EXPECT_TRUE(Visit("2026-T2", Pseudonym{}, std::nullopt).empty());
}

TEST_F(JoinRowsTest, TwoRangesSplitAtAnyPseudonymVisitEveryRowOnce) {
  ImportReceiptsOf(20);
  const std::vector<::jejak::ReceiptRow> all = Visit(kStage, Pseudonym{}, std::nullopt);
  for (uint8_t first : {0x00, 0x01, 0x40, 0x80, 0xc0, 0xff}) {
    Pseudonym middle{};
    middle[0] = first;
    std::vector<::jejak::ReceiptRow> low = Visit(kStage, Pseudonym{}, middle);
    const std::vector<::jejak::ReceiptRow> high = Visit(kStage, middle, std::nullopt);
    for (const ::jejak::ReceiptRow& r : low) EXPECT_LT(r.kpm, middle);
    for (const ::jejak::ReceiptRow& r : high) EXPECT_GE(r.kpm, middle);
    low.insert(low.end(), high.begin(), high.end());
    ASSERT_EQ(low.size(), all.size()) << int{first};
    for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(low[i].kpm, all[i].kpm);
  }
}

TEST_F(JoinRowsTest, UpdatesAreVisitedByFamilyThenDate) {
  ASSERT_TRUE(
      IsOk(ImportUpdates(*kab_.pkh,
                         WriteFile("u.csv", UpdatesCsv({UpdateRow("U-1", "KPM-A", "2026-02-01"),
                                                        UpdateRow("U-2", "KPM-A", "2026-01-01"),
                                                        UpdateRow("U-3", "KPM-B", "2026-01-15")})),
                         operator_, program_key_)));
  JoinCursor c(kab_.store(), JoinCursor::Kind::kUpdate, "", Pseudonym{}, std::nullopt);
  std::vector<std::pair<Pseudonym, std::string>> seen;
  for (; c.Valid(); c.Next()) seen.emplace_back(c.update().kpm, c.update().effective_date);
  ASSERT_TRUE(IsOk(c.status()));
  ASSERT_EQ(seen.size(), 3u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_LT(seen[i - 1], seen[i]);
  // StatusOn reads the same rows: the greatest date on or before the day.
  auto on = StatusOn(kab_.store(), Kpm("KPM-A"), "2026-01-20");
  ASSERT_TRUE(IsOk(on));
  ASSERT_TRUE(on->has_value());
  EXPECT_EQ((*on)->effective_date, "2026-01-01");
  auto before = StatusOn(kab_.store(), Kpm("KPM-A"), "2025-12-31");
  ASSERT_TRUE(IsOk(before));
  EXPECT_FALSE(before->has_value());
}

TEST_F(JoinRowsTest, AMalformedEntryStopsTheCursorWithCorruption) {
  ImportReceiptsOf(3);
  // A receipt key too short to hold a pseudonym, log id and leaf.
  WriteBatch batch;
  batch.Put(Column::kIndex, std::string("R") + kStage + std::string(1, '\0') + "short", "x");
  ASSERT_TRUE(IsOk(bank_.store().Write(batch, /*sync=*/true)));
  JoinCursor c(bank_.store(), JoinCursor::Kind::kReceipt, kStage, Pseudonym{}, std::nullopt);
  size_t rows = 0;
  for (; c.Valid(); c.Next()) ++rows;
  EXPECT_EQ(rows, 0u);  // "short" sorts before every 16-byte pseudonym
  EXPECT_THAT(c.status(), StatusIs(StatusCode::kCorruption, "malformed receipt index entry"));
}

}  // namespace
}  // namespace jejak
