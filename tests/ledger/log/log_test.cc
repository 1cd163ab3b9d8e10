// Logs in a store: registering, appending statements, checkpoints, proofs,
// and a writer reopened as if never closed.
#include "tests/ledger/log/log_fixture.h"

namespace jejak::log_test {
namespace {

TEST_F(LogTest, RegisterFindAndListLogs) {
  const SigningKey replica_key = KeyFromByte(0x03);
  const NoteVerifierKey replica =
      NoteVerifierKey::ForEd25519("jejak.test/bank/bri", replica_key.public_key());
  auto own = RegisterLog(*store_, LogVerifier(), /*own=*/true);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  auto other = RegisterLog(*store_, replica, /*own=*/false);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(own->id, 1u);
  EXPECT_EQ(other->id, 2u);
  EXPECT_EQ(own->origin, kOrigin);
  EXPECT_TRUE(own->own);
  EXPECT_FALSE(other->own);

  auto again = RegisterLog(*store_, LogVerifier(), /*own=*/false);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr(kOrigin));

  auto missing = FindLog(*store_, "jejak.test/nowhere");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("jejak.test/nowhere"));

  // The registry survives reopening the store.
  store_.reset();
  OpenStore(StoreMode::kReadWrite);
  auto found = FindLog(*store_, "jejak.test/bank/bri");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, 2u);
  EXPECT_FALSE(found->own);
  EXPECT_EQ(found->key.ToString(), replica.ToString());
  auto logs = ListLogs(*store_);
  ASSERT_TRUE(logs.ok()) << logs.status().ToString();
  ASSERT_EQ(logs->size(), 2u);
  EXPECT_EQ((*logs)[0].origin, kOrigin);
  EXPECT_EQ((*logs)[0].key.ToString(), LogVerifier().ToString());
  EXPECT_TRUE((*logs)[0].own);
  EXPECT_EQ((*logs)[1].origin, "jejak.test/bank/bri");
  EXPECT_FALSE((*logs)[1].own);

  // A new log is empty and unsigned until its writer opens with the key.
  LogReader reader(*store_, *found);
  EXPECT_EQ(reader.Size().value(), 0u);
  EXPECT_EQ(reader.LatestCheckpoint().status().code(), StatusCode::kNotFound);
}

TEST_F(LogTest, OpeningWriterSignsEmptyTreeAndRefusesOtherKey) {
  const LogInfo info = Register(*store_);
  const SigningKey stranger = KeyFromByte(0x7f);
  auto wrong = LogWriter::Open(*store_, info, &stranger);
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(wrong.status().message(), HasSubstr(kOrigin));

  auto w = OpenWriter(*store_, info);
  ASSERT_NE(w, nullptr);
  LogReader reader(*store_, info);
  auto note = reader.LatestCheckpoint();
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  auto cp = OpenCheckpoint(*note, LogVerifier());
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->checkpoint.size, 0u);
  EXPECT_EQ(cp->checkpoint.root, EmptyTreeRoot());
  EXPECT_EQ(w->root(), EmptyTreeRoot());
}

TEST_F(LogTest, AppendsStatementsWithIndexesSizesRootsAndCheckpoints) {
  const LogInfo info = Register(*store_);
  auto w = OpenWriter(*store_, info);
  ASSERT_NE(w, nullptr);
  LogReader reader(*store_, info);
  // Sizes cross the level-0 tile boundaries at 256 and 512.
  const std::vector<size_t> record_counts = {3, 0, 1, 250, 5, 255, 2, 40};
  uint64_t expected_index = 0;
  std::vector<Bytes> all_leaves;
  for (size_t k = 0; k < record_counts.size(); ++k) {
    SCOPED_TRACE(fmt::format("statement {}", k));
    const PreparedStatement p = MakeStatement(k, record_counts[k]);
    auto a = AppendStatement(*w, p);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->index, expected_index);
    EXPECT_EQ(a->size, expected_index + 1 + record_counts[k]);
    EXPECT_EQ(w->size(), a->size);
    EXPECT_EQ(reader.Size().value(), a->size);
    all_leaves.push_back(EncodeStatementEntry(p.statement).value());
    all_leaves.insert(all_leaves.end(), p.record_leaves().begin(), p.record_leaves().end());
    expected_index = a->size;

    // Checkpoint, writer, tiles and leaves all agree on the root.
    std::vector<Hash> hashes = StoredLeafHashes(reader, a->size);
    MerkleFrontier frontier;
    for (const Hash& h : hashes) frontier.Append(h);
    EXPECT_EQ(a->checkpoint.checkpoint.size, a->size);
    EXPECT_EQ(a->checkpoint.checkpoint.origin, kOrigin);
    EXPECT_EQ(a->checkpoint.checkpoint.root, frontier.Root());
    EXPECT_EQ(w->root(), frontier.Root());
    EXPECT_EQ(reader.Root(a->size).value(), frontier.Root());
    auto latest = reader.LatestCheckpoint();
    ASSERT_TRUE(latest.ok()) << latest.status().ToString();
    EXPECT_EQ(*latest, a->checkpoint.Serialize());
    auto opened = OpenCheckpoint(*latest, LogVerifier());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(opened->checkpoint.root, frontier.Root());
  }
  ASSERT_EQ(all_leaves.size(), w->size());
  for (uint64_t i = 0; i < all_leaves.size(); ++i) {
    auto leaf = reader.Leaf(i);
    ASSERT_TRUE(leaf.ok()) << leaf.status().ToString();
    ASSERT_EQ(*leaf, all_leaves[i]) << "leaf " << i;
  }
  auto past = reader.Leaf(all_leaves.size());
  EXPECT_EQ(past.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(past.status().message(), HasSubstr(fmt::format("leaf {}", all_leaves.size())));

  // The root of every earlier size, read from tiles, is the root of its prefix.
  std::vector<Hash> hashes = StoredLeafHashes(reader, w->size());
  MerkleFrontier prefix;
  for (uint64_t n = 0; n <= hashes.size(); ++n) {
    auto r = reader.Root(n);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(*r, prefix.Root()) << "size " << n;
    if (n < hashes.size()) prefix.Append(hashes[n]);
  }
  auto beyond = reader.Root(w->size() + 1);
  EXPECT_EQ(beyond.status().code(), StatusCode::kInvalidArgument);

  // One checkpoint per append plus the empty tree's; the whole log verifies.
  const VerifyResult v = Verify(*store_, info);
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_EQ(v.report.size, w->size());
  EXPECT_EQ(v.report.leaves, w->size());
  EXPECT_EQ(v.report.statements, record_counts.size());
  EXPECT_EQ(v.report.records, w->size() - record_counts.size());
  EXPECT_EQ(v.report.checkpoints, record_counts.size() + 1);
  EXPECT_EQ(v.report.root, w->root());
}

TEST_F(LogTest, InclusionAndConsistencyProofsVerifyAgainstCheckpoints) {
  const LogInfo info = Register(*store_);
  auto w = OpenWriter(*store_, info);
  ASSERT_NE(w, nullptr);
  std::vector<Checkpoint> checkpoints;
  const std::vector<size_t> record_counts = {0, 6, 120, 200, 1, 300, 17};
  for (size_t k = 0; k < record_counts.size(); ++k) {
    auto a = AppendStatement(*w, MakeStatement(k, record_counts[k]));
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    checkpoints.push_back(a->checkpoint.checkpoint);
  }
  LogReader reader(*store_, info);
  const std::vector<Hash> hashes = StoredLeafHashes(reader, w->size());

  for (const Checkpoint& cp : checkpoints) {
    SCOPED_TRACE(fmt::format("checkpoint size {}", cp.size));
    for (uint64_t i = 0; i < cp.size; ++i) {
      auto proof = reader.InclusionProof(i, cp.size);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      Status s = VerifyInclusion(i, cp.size, hashes[i], *proof, cp.root);
      ASSERT_TRUE(s.ok()) << "leaf " << i << ": " << s.ToString();
    }
    // The proof of one leaf does not prove its neighbour.
    if (cp.size > 1) {
      auto proof = reader.InclusionProof(0, cp.size);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(VerifyInclusion(0, cp.size, hashes[1], *proof, cp.root).code(),
                StatusCode::kPermissionDenied);
    }
    for (const Checkpoint& old : checkpoints) {
      if (old.size > cp.size) continue;
      auto proof = reader.ConsistencyProof(old.size, cp.size);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      Status s = VerifyConsistency(old.size, cp.size, old.root, cp.root, *proof);
      EXPECT_TRUE(s.ok()) << old.size << " -> " << cp.size << ": " << s.ToString();
      if (old.size < cp.size) {
        Hash wrong = old.root;
        wrong[0] ^= 1;
        EXPECT_EQ(VerifyConsistency(old.size, cp.size, wrong, cp.root, *proof).code(),
                  StatusCode::kPermissionDenied);
      }
    }
  }
  auto beyond = reader.InclusionProof(0, w->size() + 1);
  EXPECT_EQ(beyond.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(beyond.status().message(), HasSubstr(fmt::format("{}", w->size() + 1)));
  auto bad_index = reader.InclusionProof(w->size(), w->size());
  EXPECT_EQ(bad_index.status().code(), StatusCode::kInvalidArgument);
  auto cons_beyond = reader.ConsistencyProof(1, w->size() + 1);
  EXPECT_EQ(cons_beyond.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LogTest, ReopenedWriterContinuesExactlyAsIfNeverClosed) {
  // Reference: one writer, never closed.
  const std::string ref_path = dir_ + "/ref";
  std::unique_ptr<Store> ref_store = OpenRocksStore(ref_path, StoreMode::kCreate).value();
  const LogInfo ref_info = Register(*ref_store);
  auto ref = OpenWriter(*ref_store, ref_info);
  ASSERT_NE(ref, nullptr);

  const LogInfo info = Register(*store_);
  auto w = OpenWriter(*store_, info);
  ASSERT_NE(w, nullptr);
  // 1+255 = 256 leaves: the first reopen happens exactly at a tile boundary,
  // the later ones inside partial tiles.
  const std::vector<size_t> record_counts = {255, 3, 0, 300, 9, 1};
  for (size_t k = 0; k < record_counts.size(); ++k) {
    SCOPED_TRACE(fmt::format("statement {}", k));
    const PreparedStatement p = MakeStatement(k, record_counts[k]);
    auto want = AppendStatement(*ref, p);
    ASSERT_TRUE(want.ok()) << want.status().ToString();
    auto got = AppendStatement(*w, p);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->index, want->index);
    EXPECT_EQ(got->size, want->size);
    EXPECT_EQ(got->checkpoint.Serialize(), want->checkpoint.Serialize());

    // Close the writer and the whole store, then reopen both.
    w.reset();
    store_.reset();
    OpenStore(StoreMode::kReadWrite);
    auto found = FindLog(*store_, kOrigin);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    w = OpenWriter(*store_, *found);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->size(), ref->size());
    EXPECT_EQ(w->root(), ref->root());
    EXPECT_EQ(w->RightEdge(), ref->RightEdge());
    // Reopening a fully signed log signs nothing new.
    LogReader reader(*store_, *found);
    EXPECT_EQ(reader.LatestCheckpoint().value(), want->checkpoint.Serialize());
  }
  EXPECT_EQ(Snapshot(*store_), Snapshot(*ref_store));
}

TEST_F(LogTest, ReplicaStoresCheckpointsItIsGiven) {
  // The author's log, then a replica of it in a second store.
  const LogInfo info = Register(*store_);
  auto author = OpenWriter(*store_, info);
  ASSERT_NE(author, nullptr);
  auto a = AppendStatement(*author, MakeStatement(0, 5));
  ASSERT_TRUE(a.ok());

  std::unique_ptr<Store> replica_store =
      OpenRocksStore(dir_ + "/replica", StoreMode::kCreate).value();
  auto rinfo = RegisterLog(*replica_store, LogVerifier(), /*own=*/false);
  ASSERT_TRUE(rinfo.ok());
  auto r = LogWriter::Open(*replica_store, *rinfo, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  LogReader reader(*store_, info);
  std::vector<Bytes> leaves;
  std::vector<Hash> hashes;
  ASSERT_TRUE(reader
                  .ForEachLeaf(0, a->size,
                               [&](uint64_t, ByteSpan l) {
                                 leaves.emplace_back(l.begin(), l.end());
                                 hashes.push_back(LeafHash(l));
                                 return Status::Ok();
                               })
                  .ok());
  ASSERT_TRUE((*r)->Append(Spans(leaves), hashes).ok());
  EXPECT_EQ((*r)->root(), a->checkpoint.checkpoint.root);
  ASSERT_TRUE((*r)->StoreCheckpoint(a->size, a->checkpoint.Serialize()).ok());
  StoreLogSource source(*replica_store, *rinfo, "replica");
  VerifyOptions options;
  options.log_key = LogVerifier();
  const VerifyResult v = VerifyLog(source, options);
  ASSERT_TRUE(v.status.ok()) << v.status.ToString();
  EXPECT_EQ(v.report.size, a->size);
  EXPECT_EQ(v.report.checkpoints, 1u);
}

}  // namespace
}  // namespace jejak::log_test
