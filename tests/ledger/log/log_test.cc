// The log over a real RocksDB store: the registry, statement appends, roots and
// proofs read back from tiles, reopening, failed commits (through the
// fault-injecting store), refused statements and the unsigned tail a crash
// between commit and signing leaves.
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/status.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/log/log_source.h"
#include "ledger/log/merkle.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/verify.h"
#include "tests/ledger/log/fault_injecting_store.h"
#include "tests/test_support.h"

namespace jejak {
namespace {
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::RemoveFolder;

using testing::FaultInjectingStore;
using ::testing::HasSubstr;
using testing::kInjectedFault;

constexpr char kOrigin[] = "jejak.test/kab/7404";

std::vector<ByteSpan> Spans(const std::vector<Bytes>& leaves) {
  return std::vector<ByteSpan>(leaves.begin(), leaves.end());
}

// Every key and value of every column: equal snapshots mean an untouched store.
using StoreSnapshot = std::map<std::pair<int, std::string>, std::string>;

StoreSnapshot Snapshot(Store& store) {
  StoreSnapshot out;
  for (int c = 0; c < kColumnCount; ++c) {
    auto it = store.NewIterator(static_cast<Column>(c));
    for (it->Seek(""); it->Valid(); it->Next()) {
      out[{c, std::string(it->key())}] = std::string(it->value());
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  }
  return out;
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempFolder("log-test");
    OpenStore(StoreMode::kCreate);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string db_path() const { return dir_ + "/db"; }

  void OpenStore(StoreMode mode, const std::string& path = "") {
    auto s = OpenRocksStore(path.empty() ? db_path() : path, mode);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  NoteVerifierKey LogVerifier() const {
    return NoteVerifierKey::ForEd25519(kOrigin, log_key_.public_key());
  }

  LogInfo Register(Store& store) {
    auto info = RegisterLog(store, LogVerifier(), /*own=*/true);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return info.ok() ? *info : LogInfo{};
  }

  std::unique_ptr<LogWriter> OpenWriter(Store& store, const LogInfo& info) {
    auto w = LogWriter::Open(store, info, &log_key_);
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? std::move(w).value() : nullptr;
  }

  // Statement `k` of the test logs: deterministic, `records` text records.
  PreparedStatement MakeStatement(uint64_t k, size_t records,
                                  const std::string& origin = kOrigin) const {
    StatementHeader h;
    h.origin = origin;
    h.type = "test.note";
    h.stage = "2026-T1";
    h.region = "7404";
    h.timestamp_ms = 1'760'000'000'000 + static_cast<int64_t>(k);
    std::vector<Bytes> leaves;
    for (size_t j = 0; j < records; ++j) {
      leaves.push_back(EncodeTextRecordEntry(fmt::format("s{} r{}", k, j)).value());
    }
    PreparedStatement p = PrepareStatement(std::move(h), std::move(leaves));
    SignStatement(p.statement, role_key_);
    return p;
  }

  // The leaf hashes of leaves [0, size), read back from the store.
  std::vector<Hash> StoredLeafHashes(LogReader& reader, uint64_t size) {
    std::vector<Hash> out;
    Status s = reader.ForEachLeaf(0, size, [&](uint64_t, ByteSpan leaf) {
      out.push_back(LeafHash(leaf));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  VerifyResult Verify(Store& store, const LogInfo& info) {
    StoreLogSource source(store, info, "store " + db_path());
    VerifyOptions options;
    options.log_key = LogVerifier();
    return VerifyLog(source, options);
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  SigningKey log_key_ = KeyFromByte(0x01);
  SigningKey role_key_ = KeyFromByte(0x02);
};

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
}  // namespace jejak
