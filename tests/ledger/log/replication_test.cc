// The engine's replication (ledger/log/replication.h), with no domain: what a
// store trusts of a log comes from an injected resolver, and each statement
// may be judged by an injected check. A pull stores everything or nothing;
// a source that signed another history leaves evidence and a frozen replica.
#include "ledger/log/replication.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ledger/log/evidence.h"
#include "ledger/log/log.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/text_records.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

using ::jejak::testing::IsOk;
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "jejak.test/author";

// A store holding one own log, signed by `key`.
struct Author {
  std::unique_ptr<Store> store;
  LogInfo info;
  std::unique_ptr<LogWriter> writer;

  Status Open(const std::string& dir, const SigningKey& key) {
    ASSIGN_OR_RETURN(store, OpenRocksStore(dir, StoreMode::kCreate));
    ASSIGN_OR_RETURN(info,
                     RegisterLog(*store, NoteVerifierKey::ForEd25519(kOrigin, key.public_key()),
                                 /*own=*/true));
    ASSIGN_OR_RETURN(writer, LogWriter::Open(*store, info, &key));
    return Status::Ok();
  }
  // One statement of `lines`, signed by `signer`.
  Status Append(std::string_view lines, const SigningKey& signer, std::string type = "test.note") {
    ASSIGN_OR_RETURN(std::vector<Bytes> leaves, TextRecordLeaves(lines, "lines"));
    StatementHeader h;
    h.origin = kOrigin;
    h.type = std::move(type);
    h.timestamp_ms = 1'770'000'000'000 + writer->size();
    PreparedStatement p = PrepareStatement(std::move(h), std::move(leaves));
    SignStatement(p.statement, signer);
    return AppendStatement(*writer, p).status();
  }
};

class ReplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempFolder("replication-test");
    ASSERT_TRUE(IsOk(author_.Open(dir_ + "/author", key_)));
    auto store = OpenRocksStore(dir_ + "/replica", StoreMode::kCreate);
    ASSERT_TRUE(IsOk(store));
    replica_ = std::move(store).value();
  }
  void TearDown() override {
    author_.writer.reset();
    author_.store.reset();
    replica_.reset();
    RemoveFolder(dir_);
  }

  ReplicateOptions Trusting(StatementCheck check = nullptr) {
    ReplicateOptions o;
    o.own_origin = "jejak.test/replica";
    o.trust = [this, check](const std::string& origin) -> Result<ReplicaTrust> {
      if (origin != kOrigin) return PermissionDenied("unknown origin " + origin);
      return ReplicaTrust{author_.info.key, check};
    };
    return o;
  }

  Result<ReplicaReport> Pull(const ReplicateOptions& o) {
    StoreLogSource source(*author_.store, author_.info, "the author");
    return ReplicateLog(*replica_, source, o);
  }

  uint64_t ReplicaSize() {
    auto info = FindLog(*replica_, kOrigin);
    if (!info.ok()) return 0;
    auto size = LogReader(*replica_, *info).Size();
    return size.ok() ? *size : 0;
  }

  std::string dir_;
  SigningKey key_ = KeyFromByte(0x61);
  Author author_;
  std::unique_ptr<Store> replica_;
};

TEST_F(ReplicationTest, PullsWhatTheSourceSignedAndThenOnlyWhatIsNew) {
  ASSERT_TRUE(IsOk(author_.Append("a\nb\nc\n", key_)));
  auto first = Pull(Trusting());
  ASSERT_TRUE(IsOk(first));
  EXPECT_TRUE(first->new_log);
  EXPECT_EQ(first->old_size, 0u);
  EXPECT_EQ(first->new_size, 4u);
  EXPECT_EQ(first->log.origin, kOrigin);
  EXPECT_FALSE(first->log.own);

  ASSERT_TRUE(IsOk(author_.Append("d\n", key_)));
  auto second = Pull(Trusting());
  ASSERT_TRUE(IsOk(second));
  EXPECT_FALSE(second->new_log);
  EXPECT_EQ(second->old_size, 4u);
  EXPECT_EQ(second->new_size, 6u);
  auto root = LogReader(*replica_, second->log).Root(6);
  auto author_root = LogReader(*author_.store, author_.info).Root(6);
  ASSERT_TRUE(IsOk(root));
  ASSERT_TRUE(IsOk(author_root));
  EXPECT_EQ(*root, *author_root);

  auto again = Pull(Trusting());
  ASSERT_TRUE(IsOk(again));
  EXPECT_EQ(again->new_size, 6u);
}

TEST_F(ReplicationTest, TheResolverDecidesWhoIsTrustedAndNothingIsStoredOtherwise) {
  ASSERT_TRUE(IsOk(author_.Append("a\n", key_)));
  ReplicateOptions o = Trusting();
  o.trust = [](const std::string& origin) -> Result<ReplicaTrust> {
    return PermissionDenied("not registered: " + origin);
  };
  EXPECT_THAT(Pull(o),
              StatusIs(StatusCode::kPermissionDenied, "not registered: jejak.test/author"));
  EXPECT_THAT(FindLog(*replica_, kOrigin), StatusIs(StatusCode::kNotFound));

  // Trusting another key for the origin: the checkpoint's signature fails.
  o.trust = [](const std::string& origin) -> Result<ReplicaTrust> {
    return ReplicaTrust{NoteVerifierKey::ForEd25519(origin, KeyFromByte(0x62).public_key()),
                        nullptr};
  };
  EXPECT_THAT(Pull(o), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(FindLog(*replica_, kOrigin), StatusIs(StatusCode::kNotFound));
}

TEST_F(ReplicationTest, TheInjectedStatementCheckRefusesAPullAndNothingIsStored) {
  ASSERT_TRUE(IsOk(author_.Append("a\n", key_)));
  ASSERT_TRUE(IsOk(Pull(Trusting())));
  ASSERT_TRUE(IsOk(author_.Append("b\n", key_, "test.forbidden")));
  auto refused = Pull(Trusting([](uint64_t, const Statement& st) -> Status {
    if (st.header.type == "test.forbidden") return PermissionDenied("forbidden here");
    return Status::Ok();
  }));
  EXPECT_THAT(refused, StatusIs(StatusCode::kPermissionDenied, "leaf 2: forbidden here"));
  EXPECT_THAT(refused,
              StatusIs(StatusCode::kPermissionDenied, "the author refused, nothing stored"));
  EXPECT_EQ(ReplicaSize(), 2u);
}

TEST_F(ReplicationTest, TheStoresOwnLogIsNeverAReplica) {
  ASSERT_TRUE(IsOk(author_.Append("a\n", key_)));
  ReplicateOptions o = Trusting();
  o.own_origin = kOrigin;
  EXPECT_THAT(Pull(o), StatusIs(StatusCode::kFailedPrecondition, "holds this node's own log"));
}

TEST_F(ReplicationTest, ASecondHistoryAtTheHeldSizeLeavesEvidenceAndAFrozenReplica) {
  ASSERT_TRUE(IsOk(author_.Append("a\nb\n", key_)));
  ASSERT_TRUE(IsOk(Pull(Trusting())));
  // The author, with the same key, signs another history of the same size.
  Author fork;
  ASSERT_TRUE(IsOk(fork.Open(dir_ + "/fork", key_)));
  ASSERT_TRUE(IsOk(fork.Append("a\nX\n", key_)));
  StoreLogSource forked(*fork.store, fork.info, "the fork");
  auto r = ReplicateLog(*replica_, forked, Trusting());
  EXPECT_THAT(r, StatusIs(StatusCode::kFailedPrecondition,
                          "the fork offers a checkpoint of size 3 that conflicts with the replica "
                          "held, both signed by jejak.test/author: equivocation"));
  auto evidence = ListEvidence(*replica_);
  ASSERT_TRUE(IsOk(evidence));
  ASSERT_EQ(evidence->size(), 1u);
  EXPECT_TRUE(IsOk(CheckEvidence(evidence->front().second)));
  // Frozen: even the honest source is refused now.
  EXPECT_THAT(Pull(Trusting()), StatusIs(StatusCode::kFailedPrecondition, "is frozen"));
  EXPECT_EQ(ReplicaSize(), 3u);
}

TEST_F(ReplicationTest, ALongerHistoryThatDoesNotExtendTheReplicaLeavesEvidence) {
  ASSERT_TRUE(IsOk(author_.Append("a\nb\n", key_)));
  ASSERT_TRUE(IsOk(Pull(Trusting())));
  Author fork;
  ASSERT_TRUE(IsOk(fork.Open(dir_ + "/fork", key_)));
  ASSERT_TRUE(IsOk(fork.Append("a\nX\n", key_)));
  ASSERT_TRUE(IsOk(fork.Append("c\n", key_)));
  StoreLogSource forked(*fork.store, fork.info, "the fork");
  auto r = ReplicateLog(*replica_, forked, Trusting());
  EXPECT_THAT(r, StatusIs(StatusCode::kFailedPrecondition,
                          "whose tree does not extend the replica held (size 3)"));
  auto evidence = ListEvidence(*replica_);
  ASSERT_TRUE(IsOk(evidence));
  ASSERT_EQ(evidence->size(), 1u);
  EXPECT_TRUE(IsOk(CheckEvidence(evidence->front().second)));
  EXPECT_THAT(evidence->front().second.found, HasSubstr("the fork"));
}

}  // namespace
}  // namespace jejak
