// Logs under failure: a failed commit or checkpoint leaves the log and the
// store as they were (or a committed, unsigned tail that reopening signs),
// and bad statements are refused before anything is written.
#include "tests/ledger/log/log_fixture.h"

namespace jejak::log_test {
namespace {

TEST_F(LogTest, FailedCommitLeavesLogAndStoreUnchangedAndNextAppendTakesSameIndex) {
  const LogInfo info = Register(*store_);
  FaultInjectingStore faulty(*store_);
  auto w = OpenWriter(faulty, info);
  ASSERT_NE(w, nullptr);
  for (size_t k = 0; k < 3; ++k) ASSERT_TRUE(AppendStatement(*w, MakeStatement(k, 100)).ok());
  const uint64_t size = w->size();
  const Hash root = w->root();
  const StoreSnapshot before = Snapshot(*store_);

  // The statement's batch (write 1) fails: nothing of it reaches the store.
  WriteBatch extra;
  extra.Put(Column::kIndex, "test/extra", "v");
  faulty.FailWrite(1);
  auto failed = AppendStatement(*w, MakeStatement(3, 80), &extra);
  EXPECT_EQ(failed.status().code(), StatusCode::kIOError);
  EXPECT_THAT(failed.status().message(), HasSubstr(kInjectedFault));
  EXPECT_EQ(faulty.faults(), 1u);
  EXPECT_EQ(w->size(), size);
  EXPECT_EQ(w->root(), root);
  LogReader reader(*store_, info);
  EXPECT_EQ(reader.Size().value(), size);
  EXPECT_EQ(Snapshot(*store_), before);

  // The same statement then lands at the same index, extra writes included.
  auto ok = AppendStatement(*w, MakeStatement(3, 80), &extra);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->index, size);
  EXPECT_EQ(ok->size, size + 81);
  EXPECT_EQ(store_->Get(Column::kIndex, "test/extra").value(), std::optional<std::string>("v"));

  // Same outcome as a log that never saw the fault.
  const std::string ref_path = dir_ + "/ref";
  std::unique_ptr<Store> ref_store = OpenRocksStore(ref_path, StoreMode::kCreate).value();
  auto ref = OpenWriter(*ref_store, Register(*ref_store));
  ASSERT_NE(ref, nullptr);
  for (size_t k = 0; k < 3; ++k) ASSERT_TRUE(AppendStatement(*ref, MakeStatement(k, 100)).ok());
  ASSERT_TRUE(AppendStatement(*ref, MakeStatement(3, 80)).ok());
  EXPECT_EQ(w->root(), ref->root());
  EXPECT_EQ(reader.LatestCheckpoint().value(),
            LogReader(*ref_store, ref->info()).LatestCheckpoint().value());
  const VerifyResult v = Verify(*store_, info);
  EXPECT_TRUE(v.status.ok()) << v.status.ToString();
}

TEST_F(LogTest, FailedRawAppendKeepsWriterSize) {
  const LogInfo info = Register(*store_);
  FaultInjectingStore faulty(*store_);
  auto w = OpenWriter(faulty, info);
  ASSERT_NE(w, nullptr);
  const PreparedStatement p = MakeStatement(0, 2);
  std::vector<Bytes> leaves = {EncodeStatementEntry(p.statement).value()};
  leaves.insert(leaves.end(), p.record_leaves().begin(), p.record_leaves().end());
  std::vector<Hash> hashes;
  for (const Bytes& l : leaves) hashes.push_back(LeafHash(l));

  faulty.FailWrite(1);
  auto failed = w->Append(Spans(leaves), hashes);
  EXPECT_EQ(failed.status().code(), StatusCode::kIOError);
  EXPECT_EQ(w->size(), 0u);
  auto again = w->Append(Spans(leaves), hashes);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(w->size(), 3u);
  EXPECT_EQ(w->root(), RootOfLeafHashes(hashes));

  // Malformed calls are refused before anything is written.
  const uint64_t writes = faulty.writes();
  auto empty = w->Append({}, {});
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto mismatched = w->Append(Spans(leaves), std::span<const Hash>(hashes).first(2));
  EXPECT_EQ(mismatched.status().code(), StatusCode::kInvalidArgument);
  std::vector<Bytes> huge = {Bytes(kMaxEntryBytes + 1, 0)};
  std::vector<Hash> huge_hash = {LeafHash(huge[0])};
  auto too_big = w->Append(Spans(huge), huge_hash);
  EXPECT_EQ(too_big.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(too_big.status().message(), HasSubstr("leaf 3"));
  EXPECT_EQ(faulty.writes(), writes);
  EXPECT_EQ(w->size(), 3u);
}

// The statement's batch is durable but storing its checkpoint fails: the
// statement is in the log (it cannot be taken back), the error is reported,
// and the unsigned tail is signed by the next append or the next writer.
TEST_F(LogTest, FailedCheckpointWriteLeavesCommittedUnsignedTail) {
  const LogInfo info = Register(*store_);
  FaultInjectingStore faulty(*store_);
  auto w = OpenWriter(faulty, info);
  ASSERT_NE(w, nullptr);
  ASSERT_TRUE(AppendStatement(*w, MakeStatement(0, 4)).ok());
  LogReader reader(*store_, info);
  const std::string signed_before = reader.LatestCheckpoint().value();

  faulty.FailWrite(2);  // write 1 commits the leaves, write 2 stores the checkpoint
  auto failed = AppendStatement(*w, MakeStatement(1, 4));
  EXPECT_EQ(failed.status().code(), StatusCode::kIOError);
  EXPECT_THAT(failed.status().message(), HasSubstr(kInjectedFault));
  EXPECT_EQ(w->size(), 10u);
  EXPECT_EQ(reader.Size().value(), 10u);
  EXPECT_EQ(reader.LatestCheckpoint().value(), signed_before);
  const VerifyResult tail = Verify(*store_, info);
  ASSERT_TRUE(tail.status.ok()) << tail.status.ToString();
  EXPECT_EQ(tail.report.size, 5u);
  EXPECT_EQ(tail.report.leaves, 10u);

  // The next append on the same writer signs past the tail.
  auto next = AppendStatement(*w, MakeStatement(2, 4));
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->index, 10u);
  EXPECT_EQ(next->checkpoint.checkpoint.size, 15u);

  // Once more, and this time a new writer signs the tail.
  faulty.FailWrite(2);
  EXPECT_EQ(AppendStatement(*w, MakeStatement(3, 4)).status().code(), StatusCode::kIOError);
  EXPECT_EQ(reader.Size().value(), 20u);
  w.reset();
  auto reopened = OpenWriter(*store_, info);
  ASSERT_NE(reopened, nullptr);
  auto cp = OpenCheckpoint(reader.LatestCheckpoint().value(), LogVerifier());
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->checkpoint.size, 20u);
  EXPECT_EQ(cp->checkpoint.root, reopened->root());
  const VerifyResult v = Verify(*store_, info);
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_EQ(v.report.size, 20u);
  EXPECT_EQ(v.report.statements, 4u);
}

TEST_F(LogTest, RefusesBadStatementsWithoutWriting) {
  const LogInfo info = Register(*store_);
  FaultInjectingStore counting(*store_);
  auto w = OpenWriter(counting, info);
  ASSERT_NE(w, nullptr);
  ASSERT_TRUE(AppendStatement(*w, MakeStatement(0, 2)).ok());
  const uint64_t writes = counting.writes();
  const StoreSnapshot before = Snapshot(*store_);

  {
    auto r = AppendStatement(*w, MakeStatement(1, 2, "jejak.test/kab/9999"));
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("jejak.test/kab/9999"));
    EXPECT_THAT(r.status().message(), HasSubstr(kOrigin));
  }
  {
    PreparedStatement p = MakeStatement(1, 3);
    p.statement.header.records_root[5] ^= 0x40;
    p.statement.signatures.clear();
    SignStatement(p.statement, role_key_);  // validly signed, but the root is wrong
    auto r = AppendStatement(*w, p);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("records root"));
  }
  {
    PreparedStatement p = MakeStatement(1, 3);
    p.statement.header.record_count = 2;
    p.statement.signatures.clear();
    SignStatement(p.statement, role_key_);
    auto r = AppendStatement(*w, p);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("record count"));
  }
  {
    // The records root in the header no longer the prepared one (records are
    // fixed at preparation, so only the header can drift).
    PreparedStatement p = MakeStatement(1, 3);
    p.statement.header.records_root[0] ^= 0x01;
    p.statement.signatures.clear();
    SignStatement(p.statement, role_key_);
    auto r = AppendStatement(*w, p);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr("records root"));
  }
  {
    PreparedStatement p = MakeStatement(1, 3);
    p.statement.signatures[0].signature[10] ^= 0x01;
    auto r = AppendStatement(*w, p);
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
    EXPECT_THAT(r.status().message(), HasSubstr("signature 1"));
  }
  {
    // A second signer whose signature is over another header.
    PreparedStatement p = MakeStatement(1, 3);
    PreparedStatement other = MakeStatement(2, 3);
    p.statement.signatures.push_back(other.statement.signatures[0]);
    auto r = AppendStatement(*w, p);
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
    EXPECT_THAT(r.status().message(), HasSubstr("signature 2"));
  }
  {
    PreparedStatement p = MakeStatement(1, 3);
    p.statement.signatures.clear();
    auto r = AppendStatement(*w, p);
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
    EXPECT_THAT(r.status().message(), HasSubstr("no signatures"));
  }
  EXPECT_EQ(counting.writes(), writes);
  EXPECT_EQ(w->size(), 3u);
  EXPECT_EQ(Snapshot(*store_), before);

  auto ok = AppendStatement(*w, MakeStatement(1, 3));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->index, 3u);
}

TEST_F(LogTest, StatementWithNoRecords) {
  const LogInfo info = Register(*store_);
  auto w = OpenWriter(*store_, info);
  ASSERT_NE(w, nullptr);
  const PreparedStatement p = MakeStatement(0, 0);
  EXPECT_EQ(p.statement.header.record_count, 0u);
  EXPECT_EQ(p.statement.header.records_root, EmptyTreeRoot());
  auto a = AppendStatement(*w, p);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->index, 0u);
  EXPECT_EQ(a->size, 1u);
  auto b = AppendStatement(*w, MakeStatement(1, 0));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->index, 1u);
  EXPECT_EQ(b->size, 2u);
  LogReader reader(*store_, info);
  auto st = DecodeStatementEntry(reader.Leaf(1).value());
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->header, MakeStatement(1, 0).statement.header);
  const VerifyResult v = Verify(*store_, info);
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_EQ(v.report.statements, 2u);
  EXPECT_EQ(v.report.records, 0u);
}

// A crash after the leaves' batch and before the checkpoint: the next writer
// opened with the key signs a checkpoint covering the tail; one opened
// without it (a reader-only process) signs nothing.
TEST_F(LogTest, ReopeningSignsTheUnsignedTail) {
  const LogInfo info = Register(*store_);
  auto w = OpenWriter(*store_, info);
  ASSERT_NE(w, nullptr);
  ASSERT_TRUE(AppendStatement(*w, MakeStatement(0, 10)).ok());
  for (size_t k = 1; k <= 2; ++k) {
    const PreparedStatement p = MakeStatement(k, 200);
    std::vector<Bytes> leaves = {EncodeStatementEntry(p.statement).value()};
    leaves.insert(leaves.end(), p.record_leaves().begin(), p.record_leaves().end());
    std::vector<Hash> hashes;
    for (const Bytes& l : leaves) hashes.push_back(LeafHash(l));
    ASSERT_TRUE(w->Append(Spans(leaves), hashes).ok());
  }
  const uint64_t size = w->size();
  const Hash root = w->root();
  ASSERT_EQ(size, 11u + 2 * 201);
  w.reset();
  store_.reset();

  OpenStore(StoreMode::kReadWrite);
  LogReader reader(*store_, info);
  auto before = OpenCheckpoint(reader.LatestCheckpoint().value(), LogVerifier());
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->checkpoint.size, 11u);
  const VerifyResult tail = Verify(*store_, info);
  ASSERT_TRUE(tail.status.ok()) << tail.status.ToString();
  EXPECT_EQ(tail.report.size, 11u);
  EXPECT_EQ(tail.report.leaves, size);

  auto replica_style = LogWriter::Open(*store_, info, nullptr);
  ASSERT_TRUE(replica_style.ok()) << replica_style.status().ToString();
  EXPECT_EQ((*replica_style)->size(), size);
  EXPECT_EQ(OpenCheckpoint(reader.LatestCheckpoint().value(), LogVerifier())->checkpoint.size, 11u);
  auto unsigned_cp = (*replica_style)->SignAndStoreCheckpoint();
  EXPECT_EQ(unsigned_cp.status().code(), StatusCode::kFailedPrecondition);

  auto reopened = OpenWriter(*store_, info);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->root(), root);
  auto after = OpenCheckpoint(reader.LatestCheckpoint().value(), LogVerifier());
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->checkpoint.size, size);
  EXPECT_EQ(after->checkpoint.root, root);
  const VerifyResult v = Verify(*store_, info);
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_EQ(v.report.size, size);
  EXPECT_EQ(v.report.leaves, size);
  EXPECT_EQ(v.report.statements, 3u);
  EXPECT_EQ(v.report.checkpoints, 3u);  // sizes 0, 11 and the tail's
}

}  // namespace
}  // namespace jejak::log_test
