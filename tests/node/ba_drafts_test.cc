// Pending berita acara drafts (node/ba_drafts.h): kept, listed, signed only
// by signatures that verify over the draft, bounded, expiring, withdrawn.
#include "node/ba_drafts.h"

#include <gtest/gtest.h>

#include "ledger/log/entry.h"
#include "ledger/log/merkle.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

BeritaAcara TestBa(std::string number, uint64_t first_amount = 750'000) {
  BeritaAcara ba;
  ba.origin = "jejak.pkh/kab/7301";
  ba.kabupaten = "7301";
  ba.stage = "2026-T1";
  ba.number = std::move(number);
  ba.date = "2026-02-20";
  ba.governance_size = 18;
  ba.timestamp_ms = 1'790'000'000'000;
  ba.rows = {{Pseudonym{1}, "BANK-A", first_amount}, {Pseudonym{2}, "BANK-B", 225'000}};
  ba.total_amount = first_amount + 225'000;
  auto leaves = BeritaAcaraRecordLeaves(ba);
  std::vector<Hash> hashes;
  for (const Bytes& l : *leaves) hashes.push_back(LeafHash(l));
  ba.records_root = RootOfLeafHashes(hashes);
  return ba;
}

TEST(PendingDrafts, KeptSignedExpiredAndWithdrawn) {
  const std::string dir = testing::MakeTempFolder("ba-drafts");
  PendingDrafts drafts(dir);
  const int64_t now = 1'796'600'000;
  auto kept = drafts.Keep(TestBa("800/1/T"), {"line 3: a warning"}, "kab-7301/operator", now);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_TRUE(ValidDraftId(kept->id));
  EXPECT_EQ(kept->expires, now + kDraftLifetime);
  auto got = drafts.Get(kept->id, now + 1);
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->ba, kept->ba);
  EXPECT_EQ(got->warnings, std::vector<std::string>{"line 3: a warning"});

  // A signature over this draft's header is added; one over another draft's
  // (other rows) is refused, and so is a second by the same key.
  const SigningKey a = testing::KeyFromByte(7), b = testing::KeyFromByte(8);
  const Bytes header = StatementSigningBytes(BeritaAcaraHeader(kept->ba));
  auto one = drafts.AddSignature(kept->id, a.public_key(), a.Sign(header), "approver-1", now);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->ba.signatures.size(), 1u);
  const BeritaAcara other = TestBa("800/1/T", 850'000);  // a row altered, its root with it
  const Bytes other_header = StatementSigningBytes(BeritaAcaraHeader(other));
  EXPECT_EQ(drafts.AddSignature(kept->id, b.public_key(), b.Sign(other_header), "approver-2", now)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(drafts.AddSignature(kept->id, a.public_key(), a.Sign(header), "approver-1", now)
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(drafts.Get(kept->id, now)->ba.signatures.size(), 1u);

  // Expired: gone from the list and the file removed.
  EXPECT_EQ(drafts.Get(kept->id, now + kDraftLifetime).status().code(), StatusCode::kNotFound);
  auto listed = drafts.List(now + kDraftLifetime);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(drafts.Remove(kept->id).code(), StatusCode::kNotFound);

  // Withdrawn.
  auto second = drafts.Keep(TestBa("800/2/T"), {}, "kab-7301/operator", now);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(drafts.Remove(second->id).ok());
  EXPECT_EQ(drafts.Get(second->id, now).status().code(), StatusCode::kNotFound);
  // Ids that are not draft ids name no file.
  EXPECT_EQ(drafts.Get("../../node.key", now).status().code(), StatusCode::kNotFound);
}

TEST(PendingDrafts, AtMostSoManyArePending) {
  const std::string dir = testing::MakeTempFolder("ba-drafts-bound");
  PendingDrafts drafts(dir);
  const int64_t now = 1'796'600'000;
  for (size_t i = 0; i < kMaxPendingDrafts; ++i) {
    ASSERT_TRUE(drafts.Keep(TestBa("800/" + std::to_string(i)), {}, "op", now).ok()) << i;
  }
  auto over = drafts.Keep(TestBa("800/x"), {}, "op", now);
  EXPECT_EQ(over.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(over.status().message().find("submit or withdraw one first"), std::string::npos);
  // Once they expire there is room again.
  EXPECT_TRUE(drafts.Keep(TestBa("800/y"), {}, "op", now + kDraftLifetime).ok());
}

}  // namespace
}  // namespace jejak
