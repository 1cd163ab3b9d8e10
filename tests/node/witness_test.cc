// The witness API (C2SP tlog-witness add-checkpoint) of a real `jejak serve`
// process: every status code, the cosignature, and the 409 race.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>

#include "crypto/cosignature.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/log.h"
#include "ledger/log/merkle.h"
#include "ledger/pkh/node_folder.h"
#include "node/http.h"
#include "node/witness_request.h"
#include "tests/node/node_processes.h"

namespace jejak {
namespace {

using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

class WitnessApi : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = testing::MakeTempFolder("witness");
    gov_ = scratch_ + "/gov";
    kab_ = scratch_ + "/kab";
    ASSERT_EQ(
        RunJejak({"init", gov_, "--kind", "kemensos", "--name", "K", "--region", "00"}, scratch_)
            .code,
        0);
    const std::string gov_key = Trim(RunJejak({"key", "show", gov_}, scratch_).out);
    ASSERT_EQ(RunJejak({"init", kab_, "--kind", "kabupaten", "--name", "Kab", "--region", "7306",
                        "--governance", gov_key},
                       scratch_)
                  .code,
              0);
    kab_key_ = Trim(RunJejak({"key", "show", kab_}, scratch_).out);
    // Governance checkpoints at sizes 2, 4 and 6.
    ASSERT_EQ(RunJejak({"registry", "add-node", gov_, "--name", "Kab", "--kind", "kabupaten",
                        "--region", "7306", "--key", kab_key_},
                       scratch_)
                  .code,
              0);
    // A fork of the governance folder: the same key signs another size 4.
    std::filesystem::copy(gov_, gov_ + "-fork", std::filesystem::copy_options::recursive);
    ASSERT_EQ(RunJejak({"stage", "open", gov_ + "-fork", "--stage", "2026-T9", "--from",
                        "2026-09-01", "--to", "2026-09-14"},
                       scratch_)
                  .code,
              0);
    {
      auto fork = NodeFolder::Open(gov_ + "-fork", StoreMode::kReadOnly);
      ASSERT_TRUE(fork.ok()) << fork.status().message();
      LogReader reader((*fork)->store(), (*fork)->own_log());
      auto latest = reader.LatestCheckpoint();
      ASSERT_TRUE(latest.ok());
      fork_note4_ = *latest;
    }
    for (const char* stage : {"2026-T1", "2026-T2"}) {
      ASSERT_EQ(RunJejak({"stage", "open", gov_, "--stage", stage, "--from", "2026-03-01", "--to",
                          "2026-03-14"},
                         scratch_)
                    .code,
                0);
    }
    auto folder = NodeFolder::Open(gov_, StoreMode::kReadOnly);
    ASSERT_TRUE(folder.ok()) << folder.status().message();
    LogReader reader((*folder)->store(), (*folder)->own_log());
    ASSERT_TRUE(reader
                    .ForEachCheckpoint([&](uint64_t size, std::string_view note) {
                      notes_[size] = std::string(note);
                      return Status::Ok();
                    })
                    .ok());
    for (uint64_t old_size : {2, 4}) {
      auto proof = reader.ConsistencyProof(old_size, 6);
      ASSERT_TRUE(proof.ok());
      proofs_[old_size] = *proof;
    }
    proofs_[24] = *reader.ConsistencyProof(2, 4);
    ASSERT_TRUE(notes_.count(6)) << "governance checkpoints: " << notes_.size();
    witness_ = std::make_unique<ServeProcess>(kab_, std::vector<std::string>{"--insecure-http"});
    ASSERT_TRUE(witness_->Start()) << witness_->log();
    client_ = Client();
  }
  void TearDown() override {
    witness_.reset();
    testing::RemoveFolder(scratch_);
  }

  std::unique_ptr<HttpClient> Client() {
    auto url = ParseUrl(witness_->url());
    EXPECT_TRUE(url.ok());
    auto client = HttpClient::Create(*url, {});
    EXPECT_TRUE(client.ok());
    return std::move(client).value();
  }

  HttpResult Add(HttpClient& client, uint64_t old_size, const std::vector<Hash>& proof,
                 const std::string& note) {
    AddCheckpointRequest req{old_size, proof, note};
    auto r = client.Post("/add-checkpoint", FormatAddCheckpointRequest(req), "text/plain");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : HttpResult{};
  }

  std::string scratch_, gov_, kab_, kab_key_, fork_note4_;
  std::map<uint64_t, std::string> notes_;
  std::map<uint64_t, std::vector<Hash>> proofs_;
  std::unique_ptr<ServeProcess> witness_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(WitnessApi, CosignsAndFollowsTheLogWithConsistencyProofs) {
  HttpResult r = Add(*client_, 0, {}, notes_[2]);
  ASSERT_EQ(r.status, 200) << r.body;
  // The answer is one cosignature line by the witness's node key (type 0x04).
  auto note = ParseNote(notes_[2]);
  ASSERT_TRUE(note.ok());
  auto with = ParseNote(note->text + "\n" + r.body);
  ASSERT_TRUE(with.ok()) << with.status().message();
  ASSERT_EQ(with->signatures.size(), 1u);
  auto kab = ParseVerifierKey(kab_key_);
  ASSERT_TRUE(kab.ok());
  auto ts = VerifyCosignature(note->text, with->signatures[0], {kab->name, kab->key});
  ASSERT_TRUE(ts.ok()) << ts.status().message();
  EXPECT_GT(*ts, 1'700'000'000u);

  r = Add(*client_, 2, proofs_[2], notes_[6]);
  EXPECT_EQ(r.status, 200) << r.body;
  // The same checkpoint again, from its own size: cosigned again.
  r = Add(*client_, 6, {}, notes_[6]);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(WitnessApi, AStaleOldSizeIs409WithTheSize) {
  ASSERT_EQ(Add(*client_, 0, {}, notes_[4]).status, 200);
  HttpResult r = Add(*client_, 0, {}, notes_[6]);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.content_type, "text/x.tlog.size");
  EXPECT_EQ(r.body, "4\n");
}

TEST_F(WitnessApi, ABadConsistencyProofIs422AndChangesNothing) {
  ASSERT_EQ(Add(*client_, 0, {}, notes_[2]).status, 200);
  std::vector<Hash> bad = proofs_[2];
  ASSERT_FALSE(bad.empty());
  bad[0][0] ^= 1;
  EXPECT_EQ(Add(*client_, 2, bad, notes_[6]).status, 422);
  EXPECT_EQ(Add(*client_, 2, proofs_[4], notes_[6]).status, 422);  // a proof from 4, not 2
  EXPECT_EQ(Add(*client_, 2, proofs_[2], notes_[6]).status, 200);  // the state stayed at 2
}

TEST_F(WitnessApi, AnUnknownOriginIs404) {
  SigningKey other = testing::KeyFromByte(9);
  Checkpoint cp{"example.com/unknown-log", 1, Hash{}, {}};
  const std::string note = SignCheckpoint(cp, other).Serialize();
  EXPECT_EQ(Add(*client_, 0, {}, note).status, 404);
}

TEST_F(WitnessApi, ACheckpointNotSignedByTheLogKeyIs403) {
  // Signed by another key under the governance log's name.
  auto note = ParseNote(notes_[2]);
  ASSERT_TRUE(note.ok());
  auto cp = ParseCheckpointText(note->text);
  ASSERT_TRUE(cp.ok());
  SigningKey other = testing::KeyFromByte(7);
  EXPECT_EQ(Add(*client_, 0, {}, SignCheckpoint(*cp, other).Serialize()).status, 403);
}

TEST_F(WitnessApi, MalformedRequestsAre400) {
  auto r = client_->Post("/add-checkpoint", "old 01\n\n" + notes_[2], "text/plain");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("line 1"), std::string::npos);
  EXPECT_EQ(Add(*client_, 4, {}, notes_[2]).status, 400);  // old size beyond the checkpoint
  r = client_->Get("/add-checkpoint");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 405);
}

// The current tlog-witness text answers a second root at the size last
// cosigned with 422 (v1.0.0 said 409).
TEST_F(WitnessApi, ASecondRootAtTheCosignedSizeIs422) {
  ASSERT_EQ(Add(*client_, 0, {}, notes_[4]).status, 200);
  ASSERT_NE(fork_note4_, notes_[4]);
  HttpResult r = Add(*client_, 4, {}, fork_note4_);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("equivocates"), std::string::npos) << r.body;
  EXPECT_EQ(Add(*client_, 4, {}, notes_[4]).status, 200);  // the cosigned one still is
}

// tlog-witness: a log the witness never cosigned may start from the empty
// tree; a size-0 checkpoint must carry the empty tree's root, and a proof
// from size 0 must be empty.
TEST_F(WitnessApi, TheEmptyTreeIsCosignedAndAProofFromZeroIs422) {
  auto gov = NodeFolder::Open(gov_, StoreMode::kReadOnly);
  ASSERT_TRUE(gov.ok());
  auto key = (*gov)->UnlockKey(testing::kNodePassphrase);
  ASSERT_TRUE(key.ok()) << key.status().message();
  const std::string origin = (*gov)->config().origin;
  gov->reset();
  const std::string empty = SignCheckpoint({origin, 0, EmptyTreeRoot(), {}}, *key).Serialize();
  Hash other{};
  other[0] = 1;
  const std::string bad_empty = SignCheckpoint({origin, 0, other, {}}, *key).Serialize();
  EXPECT_EQ(Add(*client_, 0, {}, bad_empty).status, 422);
  HttpResult r = Add(*client_, 0, {}, empty);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Add(*client_, 0, proofs_[2], notes_[6]).status, 422);
  EXPECT_EQ(Add(*client_, 0, {}, notes_[6]).status, 200);
}

// The monitor retrieval route: GET /witness/<hex SHA-256 of the origin>/checkpoint.
TEST_F(WitnessApi, TheMonitoringRouteServesTheLatestCosignedCheckpoint) {
  auto note = ParseNote(notes_[4]);
  ASSERT_TRUE(note.ok());
  auto cp = ParseCheckpointText(note->text);
  ASSERT_TRUE(cp.ok());
  const std::string path = "/witness/" + HexEncode(Sha256(AsBytes(cp->origin))) + "/checkpoint";
  auto r = client_->Get(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  ASSERT_EQ(Add(*client_, 0, {}, notes_[4]).status, 200);
  r = client_->Get(path);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body;
  auto served = ParseNote(r->body);
  ASSERT_TRUE(served.ok()) << served.status().message();
  EXPECT_EQ(served->text, note->text);
  auto kab = ParseVerifierKey(kab_key_);
  ASSERT_TRUE(kab.ok());
  int cosignatures = 0;
  for (const auto& sig : served->signatures) {
    if (sig.name == kab->name) {
      EXPECT_TRUE(VerifyCosignature(note->text, sig, {kab->name, kab->key}).ok());
      ++cosignatures;
    }
  }
  EXPECT_EQ(cosignatures, 1);
  r = client_->Get("/witness/" + std::string(64, 'z') + "/checkpoint");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
}

// The witness compares an offered checkpoint with the replica its node
// verified, not only with what it cosigned: a fork of a history it holds but
// never cosigned is refused, its evidence kept, the replica frozen. Once its
// node is registered with a witness key, it cosigns with that key.
TEST_F(WitnessApi, AForkOfAVerifiedReplicaIsRefusedWithEvidenceAndTheReplicaFrozen) {
  witness_.reset();
  const std::string witness_key = Trim(RunJejak({"key", "show", kab_, "--witness"}, scratch_).out);
  ASSERT_NE(witness_key.find("+"), std::string::npos) << witness_key;
  ASSERT_EQ(RunJejak({"registry", "add-node", gov_, "--name", "Kab", "--kind", "kabupaten",
                      "--region", "7306", "--key", kab_key_, "--witness-key", witness_key},
                     scratch_)
                .code,
            0);
  ASSERT_EQ(RunJejak({"export", gov_, "--out", scratch_ + "/gov-tiles"}, scratch_).code, 0);
  ASSERT_EQ(RunJejak({"pull", kab_, "--from", scratch_ + "/gov-tiles"}, scratch_).code, 0);
  std::string head;
  {
    auto gov = NodeFolder::Open(gov_, StoreMode::kReadOnly);
    ASSERT_TRUE(gov.ok());
    LogReader reader((*gov)->store(), (*gov)->own_log());
    head = *reader.LatestCheckpoint();
  }
  witness_ = std::make_unique<ServeProcess>(kab_, std::vector<std::string>{"--insecure-http"});
  ASSERT_TRUE(witness_->Start()) << witness_->log();
  client_ = Client();

  // The honest head: the witness knows the replica's size, and cosigns from it.
  HttpResult r = Add(*client_, 0, {}, head);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body, "8\n");
  r = Add(*client_, 8, {}, head);
  ASSERT_EQ(r.status, 200) << r.body;
  auto note = ParseNote(head);
  auto with = ParseNote(note->text + "\n" + r.body);
  ASSERT_TRUE(with.ok());
  auto w = ParseVerifierKey(witness_key);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(VerifyCosignature(note->text, with->signatures[0], {w->name, w->key}).ok());

  // A fork at size 4, which the replica contradicts.
  r = Add(*client_, 0, {}, fork_note4_);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("contradicts the log this node verified"), std::string::npos) << r.body;
  EXPECT_EQ(Add(*client_, 8, {}, head).status, 403);  // frozen
  witness_.reset();
  const auto evidence = RunJejak({"evidence", kab_}, scratch_);
  EXPECT_EQ(evidence.code, 0) << evidence.err;
  EXPECT_NE(evidence.out.find("add-checkpoint from a client of the witness"), std::string::npos)
      << evidence.out;
}

TEST_F(WitnessApi, ACheckpointOfTheCosignedSizeByAnotherKeyIs403) {
  ASSERT_EQ(Add(*client_, 0, {}, notes_[4]).status, 200);
  auto note = ParseNote(notes_[4]);
  auto cp = ParseCheckpointText(note->text);
  ASSERT_TRUE(cp.ok());
  cp->root[0] ^= 1;
  EXPECT_EQ(Add(*client_, 4, {}, SignCheckpoint(*cp, testing::KeyFromByte(3)).Serialize()).status,
            403);
}

TEST_F(WitnessApi, ConcurrentRequestsFromTheSameSizeCosignOnlyOne) {
  ASSERT_EQ(Add(*client_, 0, {}, notes_[2]).status, 200);
  // Two requests race from size 2: one to 4, one to 6. Exactly one wins; the
  // other gets 409 with the winner's size, never a rollback.
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (uint64_t target : {4, 6}) {
    threads.emplace_back([&, target] {
      auto client = Client();
      const auto& proof = target == 4 ? proofs_[24] : proofs_[2];
      HttpResult r = Add(*client, 2, proof, notes_[target]);
      if (r.status == 200) ok++;
      if (r.status == 409) conflict++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 1);
}

}  // namespace
}  // namespace jejak
