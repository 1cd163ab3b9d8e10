// Replication (`jejak pull`): copying logs that `jejak export` wrote into a
// node's store as replicas. The governance log is checked against the trust
// anchor, every other log against the key the registry names; every leaf, the
// tree, every statement's signatures and records root, and consistency with
// the replica held are checked before anything is stored. Statements whose
// signers lack authority are stored (they are the evidence) and reported;
// anything else wrong stores nothing and says what and where.
#include "ledger/pkh/pull.h"

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/join_rows.h"
#include "tests/ledger/pkh/pkh_fixture.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;
using ::jejak::testing::HasStatus;
using ::jejak::testing::IsOk;
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::kKabRegion;
using ::jejak::testing::PkhTestNode;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::StoreDigest;
using ::jejak::testing::WriteBinary;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class Replication : public ::jejak::testing::PkhFixture {
 protected:
  // Imports `rows` data updates (ids U-<first>..) on the kabupaten node.
  void ImportUpdatesOnKab(int first, int rows) {
    std::string csv = UpdatesHeader();
    for (int i = first; i < first + rows; ++i) {
      csv += UpdateRow(fmt::format("U-{}", i), fmt::format("KPM-{}", i)) + "\n";
    }
    auto r = ImportUpdates(*kab_.pkh, WriteFile(fmt::format("u{}.csv", first), csv), operator_,
                           program_key_);
    ASSERT_TRUE(IsOk(r));
    ASSERT_EQ(r->appended, static_cast<uint64_t>(rows));
  }

  // The replica of `origin` held by `node`, and its size (NotFound if none).
  static Result<uint64_t> ReplicaSize(PkhTestNode& node, const std::string& origin) {
    LogInfo info;
    ASSIGN_OR_RETURN(info, FindLog(node.store(), origin));
    EXPECT_FALSE(info.own);
    LogReader reader(node.store(), info);
    return reader.Size();
  }

  // Leaves [0, n) of a log in a store.
  static std::vector<Bytes> AllLeaves(Store& store, const LogInfo& info) {
    LogReader reader(store, info);
    auto n = reader.Size();
    EXPECT_TRUE(IsOk(n));
    std::vector<Bytes> out;
    EXPECT_TRUE(IsOk(reader.ForEachLeaf(0, n.ok() ? *n : 0, [&](uint64_t, ByteSpan leaf) {
      out.emplace_back(leaf.begin(), leaf.end());
      return Status::Ok();
    })));
    return out;
  }

  // Flips one byte in the middle of leaf `index` inside the entry bundle
  // `bundle` of a tiles folder (the bundle holds leaves from `first`).
  static void TamperBundle(const std::string& bundle, uint64_t first, uint64_t index) {
    std::string data = ReadBinary(bundle);
    ASSERT_FALSE(data.empty()) << bundle;
    size_t pos = 0;
    for (uint64_t i = first;; ++i) {
      ASSERT_LE(pos + 2, data.size());
      const size_t len = static_cast<uint8_t>(data[pos]) << 8 | static_cast<uint8_t>(data[pos + 1]);
      if (i == index) {
        data[pos + 2 + len / 2] ^= 0x20;
        break;
      }
      pos += 2 + len;
    }
    ASSERT_TRUE(WriteBinary(bundle, data));
  }

  // Appends `statement` and its record leaves to the kabupaten's own log as a
  // hostile author could: without judging, and without even the checks
  // AppendStatement makes. Signs a checkpoint over them with the node key.
  void AppendRaw(const Statement& statement, const std::vector<Bytes>& records) {
    auto st = EncodeStatementEntry(statement);
    ASSERT_TRUE(IsOk(st));
    std::vector<Bytes> leaves = {*st};
    leaves.insert(leaves.end(), records.begin(), records.end());
    std::vector<ByteSpan> spans(leaves.begin(), leaves.end());
    std::vector<Hash> hashes;
    for (const Bytes& l : leaves) hashes.push_back(LeafHash(l));
    ASSERT_TRUE(IsOk(kab_.pkh->writer().Append(spans, hashes)));
    ASSERT_TRUE(IsOk(kab_.pkh->writer().SignAndStoreCheckpoint()));
  }

  std::vector<Bytes> UpdateLeaves(std::initializer_list<const char*> update_ids) {
    std::vector<Bytes> out;
    for (const char* id : update_ids) {
      KpmUpdate u;
      u.update_id = id;
      u.kpm = Kpm(id);
      u.effective_date = "2026-01-10";
      auto leaf = EncodePkhRecord(u);
      EXPECT_TRUE(IsOk(leaf));
      out.push_back(*leaf);
    }
    return out;
  }

  std::string kab_origin() const { return kab_.folder->config().origin; }
  std::string gov_origin() const { return kemensos_.folder->config().origin; }
};

TEST_F(Replication, TheGovernanceLogIsPulledAgainstTheTrustAnchor) {
  // The fixture delivered it to kab_ and bank_; a new node's first pull:
  auto added = AddNode("auditor", Init(NodeKind::kAuditor, "BPK", "00"));
  ASSERT_TRUE(IsOk(added));
  PkhTestNode& auditor = **added;
  const auto [gov_size, gov_root] = kemensos_.OwnLogState();
  auto r = DeliverGovernance(auditor);
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->origin, "jejak.pkh/kemensos");
  EXPECT_TRUE(r->new_log);
  EXPECT_FALSE(r->source_behind);
  EXPECT_EQ(r->old_size, 0u);
  EXPECT_EQ(r->new_size, gov_size);
  EXPECT_EQ(r->source_size, gov_size);
  EXPECT_EQ(r->index.statements, 4u);  // node, grant, stage, index
  EXPECT_EQ(r->index.violations, 0u);

  auto info = FindLog(auditor.store(), gov_origin());
  ASSERT_TRUE(IsOk(info));
  EXPECT_FALSE(info->own);
  EXPECT_EQ(info->key.ToString(), kemensos_.folder->config().key.ToString());
  LogInfo own = kemensos_.folder->own_log();
  EXPECT_EQ(AllLeaves(auditor.store(), *info), AllLeaves(kemensos_.store(), own));
  LogReader replica(auditor.store(), *info), source(kemensos_.store(), own);
  auto root = replica.Root(gov_size);
  ASSERT_TRUE(IsOk(root));
  EXPECT_EQ(*root, gov_root);
  EXPECT_EQ(replica.LatestCheckpoint().value(), source.LatestCheckpoint().value());

  // The node now judges by it.
  EXPECT_EQ(auditor.pkh->gov().size(), gov_size);
  EXPECT_NE(auditor.pkh->gov().NodeByOrigin(kab_origin(), gov_size), nullptr);
  EXPECT_NE(auditor.pkh->gov().Stage("2026-T1", gov_size), nullptr);

  // Pulling again finds nothing new.
  const Hash before = StoreDigest(auditor.store());
  auto again = DeliverGovernance(auditor);
  ASSERT_TRUE(IsOk(again));
  EXPECT_FALSE(again->new_log);
  EXPECT_FALSE(again->source_behind);
  EXPECT_EQ(again->old_size, gov_size);
  EXPECT_EQ(again->new_size, gov_size);
  EXPECT_EQ(again->index.leaves, 0u);
  EXPECT_EQ(StoreDigest(auditor.store()), before);
}

TEST_F(Replication, AKabupatenLogIsPulledAgainstTheKeyTheRegistryNames) {
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  auto r = Pull(bank_, path("kab-tiles"));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->origin, "jejak.pkh/kab/7306");
  EXPECT_TRUE(r->new_log);
  EXPECT_EQ(r->old_size, 0u);
  EXPECT_EQ(r->new_size, 4u);
  EXPECT_EQ(r->index.leaves, 4u);
  EXPECT_EQ(r->index.statements, 1u);
  EXPECT_EQ(r->index.violations, 0u);

  auto info = FindLog(bank_.store(), kab_origin());
  ASSERT_TRUE(IsOk(info));
  EXPECT_EQ(info->key.ToString(), kab_.folder->config().key.ToString());
  EXPECT_EQ(AllLeaves(bank_.store(), *info), AllLeaves(kab_.store(), kab_.folder->own_log()));
  // Indexed as a replica: the audit sees its records.
  auto leaf = FindUpdateId(bank_.store(), info->id, "U-2");
  ASSERT_TRUE(IsOk(leaf));
  EXPECT_EQ(*leaf, std::optional<uint64_t>(2));
}

TEST_F(Replication, ALaterPullAddsOnlyWhatIsNew) {
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  ASSERT_TRUE(IsOk(Pull(bank_, path("kab-tiles"))));
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(10, 2));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  auto r = Pull(bank_, path("kab-tiles"));
  ASSERT_TRUE(IsOk(r));
  EXPECT_FALSE(r->new_log);
  EXPECT_EQ(r->old_size, 4u);
  EXPECT_EQ(r->new_size, 7u);
  EXPECT_EQ(r->source_size, 7u);
  EXPECT_EQ(r->index.leaves, 3u);
  EXPECT_EQ(r->index.statements, 1u);
  auto info = FindLog(bank_.store(), kab_origin());
  ASSERT_TRUE(IsOk(info));
  EXPECT_EQ(AllLeaves(bank_.store(), *info), AllLeaves(kab_.store(), kab_.folder->own_log()));

  // The governance log too: one more statement arrives alone.
  const uint64_t gov_before = kemensos_.OwnLogState().first;
  ASSERT_TRUE(IsOk(Gov(kTypeGovStage, {StageWindow{"2026-T2", "2026-06-01", "2026-06-14"}})));
  auto g = DeliverGovernance(bank_);
  ASSERT_TRUE(IsOk(g));
  EXPECT_EQ(g->old_size, gov_before);
  EXPECT_EQ(g->new_size, gov_before + 2);
  EXPECT_EQ(g->index.statements, 1u);
  EXPECT_NE(bank_.pkh->gov().Stage("2026-T2", bank_.pkh->gov().size()), nullptr);
}

TEST_F(Replication, ASourceBehindTheReplicaChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-old"))));
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(10, 2));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-new"))));
  ASSERT_TRUE(IsOk(Pull(bank_, path("kab-new"))));
  const Hash before = StoreDigest(bank_.store());
  auto r = Pull(bank_, path("kab-old"));
  ASSERT_TRUE(IsOk(r));
  EXPECT_TRUE(r->source_behind);
  EXPECT_FALSE(r->new_log);
  EXPECT_EQ(r->source_size, 4u);
  EXPECT_EQ(r->old_size, 7u);
  EXPECT_EQ(r->new_size, 7u);
  EXPECT_EQ(StoreDigest(bank_.store()), before);
}

// A live author appends between the pull's two reads of its checkpoint (the
// first to judge it, then VerifyLog's): the leaves verified against the newer
// one are stored with it, never under the older one.
class AppendingSource final : public LogSource {
 public:
  AppendingSource(std::string older_checkpoint, std::string newer_tiles)
      : older_(std::move(older_checkpoint)), newer_(std::move(newer_tiles)) {}
  std::string Describe() const override { return newer_.Describe(); }
  Result<std::string> ReadCheckpoint() override {
    return reads_++ == 0 ? Result<std::string>(older_) : newer_.ReadCheckpoint();
  }
  Result<uint64_t> LeafCount(uint64_t size) override { return newer_.LeafCount(size); }
  Status ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) override {
    return newer_.ReadLeaves(begin, end, f);
  }
  Result<std::optional<std::string>> ReadTile(const TileId& tile) override {
    return newer_.ReadTile(tile);
  }
  Status ForEachOlderCheckpoint(
      const std::function<Status(uint64_t, std::string_view)>& f) override {
    return newer_.ForEachOlderCheckpoint(f);
  }

 private:
  std::string older_;
  TileFolderSource newer_;
  int reads_ = 0;
};

TEST_F(Replication, ASourceThatAppendsDuringThePullIsStoredWithTheCheckpointItsLeavesMatch) {
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-old"))));
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(10, 2));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-new"))));
  AppendingSource source(ReadBinary(path("kab-old") + "/checkpoint"), path("kab-new"));
  auto r = PullLog(*bank_.folder, source);
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->new_size, 7u);
  EXPECT_EQ(r->source_size, 7u);
  auto info = FindLog(bank_.store(), kab_origin());
  ASSERT_TRUE(IsOk(info));
  LogReader replica(bank_.store(), *info);
  EXPECT_EQ(replica.Size().value(), 7u);
  EXPECT_EQ(replica.LatestCheckpoint().value(), ReadBinary(path("kab-new") + "/checkpoint"));
}

TEST_F(Replication, ATamperedEntryIsRefusedNamingItsLeafAndNothingIsStored) {
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));
  const std::string tiles = path("kab-tiles");
  ASSERT_TRUE(IsOk(Export(kab_, tiles)));
  ASSERT_NO_FATAL_FAILURE(TamperBundle(tiles + "/tile/entries/000.p/4", 0, 2));
  const Hash before = StoreDigest(bank_.store());
  auto r = Pull(bank_, tiles);
  EXPECT_TRUE(HasStatus(r, StatusCode::kCorruption,
                        "tiles " + tiles +
                            " refused, nothing stored: leaf 2: its hash does not match tile/0/000 "
                            "(the entry or the tile was altered)"));
  EXPECT_EQ(ReplicaSize(bank_, kab_origin()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StoreDigest(bank_.store()), before);
}

TEST_F(Replication, ATamperedEntryInALaterPullLeavesTheReplicaAsItWas) {
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));
  const std::string tiles = path("kab-tiles");
  ASSERT_TRUE(IsOk(Export(kab_, tiles)));
  ASSERT_TRUE(IsOk(Pull(bank_, tiles)));
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(10, 3));
  ASSERT_TRUE(IsOk(Export(kab_, tiles)));
  ASSERT_NO_FATAL_FAILURE(TamperBundle(tiles + "/tile/entries/000.p/8", 0, 6));
  const Hash before = StoreDigest(bank_.store());
  auto r = Pull(bank_, tiles);
  EXPECT_TRUE(HasStatus(r, StatusCode::kCorruption,
                        "refused, nothing stored: leaf 6: its hash does not match tile/0/000 (the "
                        "entry or the tile was altered)"));
  auto size = ReplicaSize(bank_, kab_origin());
  ASSERT_TRUE(IsOk(size));
  EXPECT_EQ(*size, 4u);
  EXPECT_EQ(StoreDigest(bank_.store()), before);
}

TEST_F(Replication, ACheckpointSignedByAnotherKeyIsRefused) {
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));
  const std::string tiles = path("kab-tiles");
  ASSERT_TRUE(IsOk(Export(kab_, tiles)));
  // The same checkpoint text, signed under the log's name by another key.
  auto note = ParseNote(ReadBinary(tiles + "/checkpoint"));
  ASSERT_TRUE(IsOk(note));
  note->signatures = {SignNoteText(note->text, kab_origin(), stranger_)};
  ASSERT_TRUE(WriteBinary(tiles + "/checkpoint", note->Serialize()));
  const Hash before = StoreDigest(bank_.store());
  EXPECT_TRUE(HasStatus(Pull(bank_, tiles), StatusCode::kPermissionDenied,
                        "checkpoint: note is not signed by any known key"));
  EXPECT_EQ(ReplicaSize(bank_, kab_origin()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StoreDigest(bank_.store()), before);

  // The governance log is checked against the trust anchor, not the registry.
  const std::string gov_tiles = path("gov-forged");
  ASSERT_TRUE(IsOk(Export(kemensos_, gov_tiles)));
  auto gov_note = ParseNote(ReadBinary(gov_tiles + "/checkpoint"));
  ASSERT_TRUE(IsOk(gov_note));
  gov_note->signatures = {SignNoteText(gov_note->text, gov_origin(), stranger_)};
  ASSERT_TRUE(WriteBinary(gov_tiles + "/checkpoint", gov_note->Serialize()));
  EXPECT_TRUE(HasStatus(Pull(bank_, gov_tiles), StatusCode::kPermissionDenied,
                        "checkpoint: note is not signed by any known key"));
  EXPECT_EQ(StoreDigest(bank_.store()), before);
}

TEST_F(Replication, ALogUnderARegisteredOriginButAnotherKeyIsRefused) {
  // A second node claiming the kabupaten's origin with a key of its own.
  auto impostor = AddNode("impostor", Init(NodeKind::kKabupaten, "Dinsos Gowa (palsu)", kKabRegion,
                                           "jejak.pkh/kab/7306"));
  ASSERT_TRUE(IsOk(impostor));
  ASSERT_EQ((*impostor)->origin(), kab_origin());
  ASSERT_TRUE(IsOk(Export(**impostor, path("impostor-tiles"))));
  const Hash before = StoreDigest(bank_.store());
  EXPECT_TRUE(HasStatus(Pull(bank_, path("impostor-tiles")), StatusCode::kPermissionDenied,
                        "checkpoint: note is not signed by any known key"));
  EXPECT_EQ(ReplicaSize(bank_, kab_origin()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StoreDigest(bank_.store()), before);
}

TEST_F(Replication, AnUnregisteredOriginIsRefused) {
  auto makassar = AddNode("kab-7371", Init(NodeKind::kKabupaten, "Dinsos Kota Makassar", "7371"));
  ASSERT_TRUE(IsOk(makassar));
  ASSERT_TRUE(IsOk(Export(**makassar, path("makassar-tiles"))));
  const Hash before = StoreDigest(bank_.store());
  const uint64_t g = bank_.pkh->gov().size();
  EXPECT_TRUE(HasStatus(Pull(bank_, path("makassar-tiles")), StatusCode::kPermissionDenied,
                        fmt::format("log 'jejak.pkh/kab/7371' is not registered in the governance "
                                    "log this node holds (size {}); pull the governance log first",
                                    g)));
  EXPECT_EQ(ReplicaSize(bank_, "jejak.pkh/kab/7371").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StoreDigest(bank_.store()), before);
}

TEST_F(Replication, ARewrittenHistoryOfAnySizeIsKeptAsEquivocationEvidence) {
  // A copy of the kabupaten node (same key, same origin) that goes on to
  // sign a different history: an equivocating author.
  kab_.Close();
  fs::copy(kab_.dir, path("kab-fork"), fs::copy_options::recursive);
  ASSERT_TRUE(IsOk(kab_.Open()));
  PkhTestNode fork;
  fork.dir = path("kab-fork");
  ASSERT_TRUE(IsOk(fork.Open()));

  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));  // size 4
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  ASSERT_TRUE(IsOk(Pull(bank_, path("kab-tiles"))));
  for (int n = 1; n <= 3; ++n) {  // the fork at sizes 2, 4 and 6
    auto r = ImportUpdates(
        *fork.pkh,
        WriteFile(fmt::format("fork{}.csv", n),
                  UpdatesCsv({UpdateRow(fmt::format("F-{}", n), fmt::format("KPM-F{}", n))})),
        operator_, program_key_);
    ASSERT_TRUE(IsOk(r));
    ASSERT_TRUE(IsOk(Export(fork, path(fmt::format("fork-{}", 2 * n)))));
  }

  // Each fork is signed by the author's key: equivocation, whatever its
  // size. The first one met is kept as evidence and freezes the replica.
  EXPECT_TRUE(HasStatus(Pull(bank_, path("fork-6")), StatusCode::kFailedPrecondition,
                        "offers a checkpoint of size 6 whose tree does not extend the replica "
                        "held (size 4), both signed by " +
                            kab_origin() + ": equivocation"));
  auto evidence = ListEvidence(bank_.store());
  ASSERT_TRUE(IsOk(evidence));
  ASSERT_EQ(evidence->size(), 1u);
  EXPECT_TRUE(IsOk(CheckEvidence((*evidence)[0].second)));
  EXPECT_TRUE((*evidence)[0].second.b_root_at_a.has_value());
  for (const char* fork : {"fork-4", "fork-2"}) {
    EXPECT_TRUE(HasStatus(Pull(bank_, path(fork)), StatusCode::kFailedPrecondition, "is frozen"));
  }
  auto size = ReplicaSize(bank_, kab_origin());
  ASSERT_TRUE(IsOk(size));
  EXPECT_EQ(*size, 4u);
}

TEST_F(Replication, AStatementJudgedAtAGovernanceSizeNotHeldYetIsUnavailable) {
  // The kabupaten holds a newer governance log than the bank.
  const SigningKey approver_c = KeyFromByte(0x52);
  ASSERT_TRUE(IsOk(Gov(
      kTypeGovGrant,
      {KeyGrant{approver_c.public_key(), "kab-7306/approver-c", Role::kApprover, {kKabRegion}}})));
  ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 3));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  const uint64_t kab_gov = kab_.pkh->gov().size(), bank_gov = bank_.pkh->gov().size();
  ASSERT_GT(kab_gov, bank_gov);

  const Hash before = StoreDigest(bank_.store());
  EXPECT_TRUE(HasStatus(
      Pull(bank_, path("kab-tiles")), StatusCode::kUnavailable,
      fmt::format("refused, nothing stored: leaf 0: the statement is judged at governance size "
                  "{}, but this node holds the governance log only to size {}: pull the "
                  "governance log first",
                  kab_gov, bank_gov)));
  EXPECT_EQ(ReplicaSize(bank_, kab_origin()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StoreDigest(bank_.store()), before);

  // After pulling the governance log, the same source is accepted.
  ASSERT_TRUE(IsOk(DeliverGovernance(bank_)));
  auto r = Pull(bank_, path("kab-tiles"));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->new_size, 4u);
  EXPECT_EQ(r->index.violations, 0u);
}

TEST_F(Replication, AnUnauthorizedStatementIsStoredAsEvidenceAndReported) {
  ASSERT_NO_FATAL_FAILURE(ImportUpdatesOnKab(1, 1));  // leaves 0..1, authorized
  // A pkh.update signed by a key without the operator role, appended to the
  // kabupaten's own log past PkhNode's judging (a hostile author).
  PreparedStatement p =
      PrepareStatement(kab_.pkh->NewHeader(kTypeUpdate), UpdateLeaves({"X-1", "X-2"}));
  SignStatement(p.statement, stranger_);
  ASSERT_TRUE(IsOk(AppendStatement(kab_.pkh->writer(), p)));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));

  auto r = Pull(bank_, path("kab-tiles"));
  ASSERT_TRUE(IsOk(r));
  EXPECT_EQ(r->new_size, 5u);
  EXPECT_EQ(r->index.statements, 2u);
  EXPECT_EQ(r->index.violations, 1u);
  const uint64_t g = bank_.pkh->gov().size();
  const std::string lack =
      fmt::format("lacks the operator role for region 7306 at governance size {}", g);
  ASSERT_EQ(r->index.first_violations.size(), 1u);
  EXPECT_THAT(r->index.first_violations[0], StartsWith("leaf 2: signature 1 ("));
  EXPECT_THAT(r->index.first_violations[0], HasSubstr(lack));

  // Stored: the replica holds every leaf, the evidence.
  auto info = FindLog(bank_.store(), kab_origin());
  ASSERT_TRUE(IsOk(info));
  EXPECT_EQ(AllLeaves(bank_.store(), *info), AllLeaves(kab_.store(), kab_.folder->own_log()));
  // The index keeps the verdict of each statement.
  std::vector<StatementVerdict> verdicts;
  ASSERT_TRUE(IsOk(ForEachStatementVerdict(bank_.store(), [&](const StatementVerdict& v) {
    if (v.log == info->id) verdicts.push_back(v);
    return Status::Ok();
  })));
  ASSERT_EQ(verdicts.size(), 2u);
  EXPECT_EQ(verdicts[0].leaf, 0u);
  EXPECT_EQ(verdicts[0].violation, "");
  EXPECT_EQ(verdicts[1].leaf, 2u);
  EXPECT_EQ(verdicts[1].type, kTypeUpdate);
  EXPECT_EQ(verdicts[1].records, 2u);
  EXPECT_THAT(verdicts[1].violation, HasSubstr(lack));
  // Its records are not taken as updates by the audit.
  auto authorized = FindUpdateId(bank_.store(), info->id, "U-1");
  ASSERT_TRUE(IsOk(authorized));
  EXPECT_EQ(*authorized, std::optional<uint64_t>(1));
  auto unauthorized = FindUpdateId(bank_.store(), info->id, "X-1");
  ASSERT_TRUE(IsOk(unauthorized));
  EXPECT_EQ(*unauthorized, std::nullopt);
}

TEST_F(Replication, AStatementWithABadSignatureIsRefused) {
  PreparedStatement p = PrepareStatement(kab_.pkh->NewHeader(kTypeUpdate), UpdateLeaves({"X-1"}));
  SignStatement(p.statement, operator_);
  p.statement.signatures[0].signature[5] ^= 0x01;
  ASSERT_NO_FATAL_FAILURE(AppendRaw(p.statement, p.record_leaves()));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  const Hash before = StoreDigest(bank_.store());
  EXPECT_TRUE(HasStatus(Pull(bank_, path("kab-tiles")), StatusCode::kPermissionDenied,
                        "refused, nothing stored: leaf 0: statement signature 1"));
  EXPECT_EQ(ReplicaSize(bank_, kab_origin()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StoreDigest(bank_.store()), before);
}

TEST_F(Replication, AStatementWhoseRecordsRootDoesNotMatchIsRefused) {
  // Signed over the root of other records than the ones that follow it.
  PreparedStatement signed_for =
      PrepareStatement(kab_.pkh->NewHeader(kTypeUpdate), UpdateLeaves({"X-1", "X-2"}));
  SignStatement(signed_for.statement, operator_);
  ASSERT_NO_FATAL_FAILURE(AppendRaw(signed_for.statement, UpdateLeaves({"X-1", "X-3"})));
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  const Hash before = StoreDigest(bank_.store());
  EXPECT_TRUE(HasStatus(Pull(bank_, path("kab-tiles")), StatusCode::kCorruption,
                        "refused, nothing stored: leaf 0: the statement's records root does not "
                        "match its records (leaves 1..2)"));
  EXPECT_EQ(ReplicaSize(bank_, kab_origin()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(StoreDigest(bank_.store()), before);
}

TEST_F(Replication, ANodeDoesNotPullItsOwnLog) {
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  const Hash before = StoreDigest(kab_.store());
  EXPECT_TRUE(HasStatus(Pull(kab_, path("kab-tiles")), StatusCode::kFailedPrecondition,
                        "tiles " + path("kab-tiles") + " holds this node's own log"));
  EXPECT_EQ(StoreDigest(kab_.store()), before);
}

TEST_F(Replication, APinnedKeyMustNameTheLogOffered) {
  ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
  PullOptions o;
  o.key = bank_.folder->config().key;  // another log's key
  EXPECT_TRUE(HasStatus(Pull(kemensos_, path("kab-tiles"), o), StatusCode::kPermissionDenied,
                        "the source holds log 'jejak.pkh/kab/7306', not 'jejak.pkh/bank/bri' of "
                        "--key"));
  o.key = kab_.folder->config().key;
  auto r = Pull(kemensos_, path("kab-tiles"), o);
  ASSERT_TRUE(IsOk(r));
  EXPECT_TRUE(r->new_log);
}

}  // namespace
}  // namespace jejak
