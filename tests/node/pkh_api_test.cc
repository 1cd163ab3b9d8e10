// The PKH commands against a running node (`--node URL`): imports of updates
// and receipts, berita acara drafts and submissions, checkpoint and proofs,
// each through a real `jejak serve` process over TLS; and the node's refusals:
// unsigned or unauthorized uploads, a file changed between the two steps of
// an import, bad rows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "ledger/entry.h"
#include "ledger/statement_log.h"
#include "node/remote.h"
#include "node/request_auth.h"
#include "tests/node/node_processes.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

constexpr char kUpdates[] =
    "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
    "disabilitas_berat,lansia,evidence_sha256\n"
    "U-1,TEST-KPM-1,2026-01-10,active,1,0,2,0,0,0,0,\n"
    "U-2,TEST-KPM-2,2026-01-12,active,0,1,1,0,0,0,0,\n";
constexpr char kReceipts[] =
    "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n"
    "T-1,TEST-KPM-1,7306,2026-T1,1200000,paid,2026-03-05,kks\n"
    "T-2,TEST-KPM-2,7306,2026-T1,975000,failed,2026-03-06,rekening\n";
constexpr char kBa[] =
    "id_kpm,lembaga_bayar,amount\n"
    "TEST-KPM-1,BANK,1200000\n"
    "TEST-KPM-2,BANK,975000\n";

class PkhApi : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = testing::MakeTempFolder("pkh-api");
    ASSERT_EQ(J({"program-key", "new", "--out", s_ + "/program.key"}).code, 0);
    ASSERT_EQ(J({"init", s_ + "/gov", "--kind", "kemensos", "--name", "K", "--region", "00"}).code,
              0);
    const std::string gov_key = Trim(J({"key", "show", s_ + "/gov"}).out);
    for (const auto& [name, kind, region] :
         {std::tuple{"kab", "kabupaten", "7306"}, std::tuple{"bank", "lembaga-bayar", "00"}}) {
      ASSERT_EQ(J({"init", s_ + "/" + name, "--kind", kind, "--name", name, "--region", region,
                   "--governance", gov_key, "--program-key", s_ + "/program.key"})
                    .code,
                0);
      ASSERT_EQ(J({"registry", "add-node", s_ + "/gov", "--name", name, "--kind", kind, "--region",
                   region, "--key", Trim(J({"key", "show", s_ + "/" + name}).out)})
                    .code,
                0);
    }
    for (const auto& [key, role] : {std::pair{"operator", "operator"},
                                    {"approver1", "approver"},
                                    {"approver2", "approver"},
                                    {"payer", "payer"}}) {
      ASSERT_EQ(J({"key", "new", "--out", K(key), "--name", std::string("t/") + key}).code, 0);
      std::vector<std::string> args = {"registry", "grant", s_ + "/gov", "--key", K(key),
                                       "--role",   role,    "--scope",   "7306"};
      if (std::string_view(role) == "payer") {
        const std::string bank = Trim(J({"key", "show", s_ + "/bank"}).out);
        args.insert(args.end(), {"--institution", bank.substr(0, bank.find('+'))});
      }
      ASSERT_EQ(J(args).code, 0);
    }
    ASSERT_EQ(J({"key", "new", "--out", K("stranger"), "--name", "t/stranger"}).code, 0);
    ASSERT_EQ(J({"stage", "open", s_ + "/gov", "--stage", "2026-T1", "--from", "2026-03-01", "--to",
                 "2026-03-14"})
                  .code,
              0);
    ASSERT_EQ(J({"export", s_ + "/gov", "--out", s_ + "/gov-tiles"}).code, 0);
    for (const char* n : {"kab", "bank"}) {
      ASSERT_EQ(J({"pull", s_ + "/" + n, "--from", s_ + "/gov-tiles"}).code, 0);
    }
    kab_key_ = Trim(J({"key", "show", s_ + "/kab"}).out);
    bank_key_ = Trim(J({"key", "show", s_ + "/bank"}).out);
    kab_ = std::make_unique<ServeProcess>(s_ + "/kab", std::vector<std::string>{});
    ASSERT_TRUE(kab_->Start()) << kab_->log();
    bank_ = std::make_unique<ServeProcess>(s_ + "/bank", std::vector<std::string>{});
    ASSERT_TRUE(bank_->Start()) << bank_->log();
    ASSERT_TRUE(testing::WriteBinary(s_ + "/updates.csv", kUpdates));
    ASSERT_TRUE(testing::WriteBinary(s_ + "/receipts.csv", kReceipts));
    ASSERT_TRUE(testing::WriteBinary(s_ + "/ba.csv", kBa));
  }
  void TearDown() override {
    kab_.reset();
    bank_.reset();
    testing::RemoveFolder(s_);
  }

  testing::Outcome J(const std::vector<std::string>& args) { return RunJejak(args, s_); }
  std::string K(const std::string& name) { return s_ + "/" + name + ".key"; }
  // `jejak args... --node KAB-URL --node-key KEY`.
  testing::Outcome AtKab(std::vector<std::string> args) {
    args.insert(args.end(), {"--node", kab_->url(), "--node-key", kab_key_});
    return J(args);
  }
  std::unique_ptr<HttpClient> Client(const std::string& url, const std::string& key) {
    auto k = ParseVerifierKey(key);
    EXPECT_TRUE(k.ok());
    auto c = ConnectTo(url, {k->key});
    EXPECT_TRUE(c.ok()) << c.status().message();
    return std::move(c).value();
  }
  uint64_t OwnSize(const std::string& url, const std::string& key) {
    auto client = Client(url, key);
    auto s = FetchStatus(*client);
    EXPECT_TRUE(s.ok());
    for (const auto& l : s->logs) {
      if (l.own) return l.size;
    }
    return ~uint64_t{0};
  }
  double Metric(const std::string& url, const std::string& key, const std::string& series) {
    auto client = Client(url, key);
    auto r = client->Get("/metrics");
    EXPECT_TRUE(r.ok());
    return testing::MetricIn(r->body, series);
  }

  std::string s_, kab_key_, bank_key_;
  std::unique_ptr<ServeProcess> kab_, bank_;
};

TEST_F(PkhApi, ImportsThroughTheNodeAreDurableIdempotentAndPseudonymous) {
  auto first = AtKab({"import", "updates", s_ + "/updates.csv", "--key", K("operator")});
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(first.out, "imported 2 updates as one statement at leaf 0; checkpoint size 3\n");
  auto again = AtKab({"import", "updates", s_ + "/updates.csv", "--key", K("operator"), "--json"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out,
            "{\"rows\":2,\"appended\":0,\"already_present\":2,\"index\":null,\"size\":3}\n");
  auto receipts = J({"import", "receipts", s_ + "/receipts.csv", "--key", K("payer"), "--node",
                     bank_->url(), "--node-key", bank_key_});
  ASSERT_EQ(receipts.code, 0) << receipts.err;
  EXPECT_EQ(receipts.out, "imported 2 receipts as one statement at leaf 0; checkpoint size 3\n");

  // The same leaves as a folder import would write: the stopped node verifies,
  // and holds the pseudonyms `jejak pseudonym` gives, never the identifiers.
  kab_->Stop(SIGTERM);
  EXPECT_EQ(J({"verify", s_ + "/kab"}).code, 0);
  const std::string pseudonym = Trim(J({"pseudonym", s_ + "/kab", "TEST-KPM-1"}).out);
  ASSERT_FALSE(pseudonym.empty());
  auto shown = J({"export", s_ + "/kab", "--out", s_ + "/kab-tiles"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  const std::string bundle = testing::ReadBinary(s_ + "/kab-tiles/tile/entries/000.p/3");
  ASSERT_FALSE(bundle.empty());
  EXPECT_EQ(bundle.find("TEST-KPM"), std::string::npos);
}

TEST_F(PkhApi, ABadRowIsRefusedByFileLineAndColumnAndNothingIsAppended) {
  ASSERT_TRUE(testing::WriteBinary(
      s_ + "/bad.csv",
      std::string(kUpdates) + "U-3,TEST-KPM-3,2026-13-01,active,0,0,0,0,0,0,0,\n"));
  auto r = AtKab({"import", "updates", s_ + "/bad.csv", "--key", K("operator")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("(HTTP 400): " + s_ + "/bad.csv line 4 column 3 (effective_date)"));
  EXPECT_THAT(r.err, HasSubstr("nothing was appended"));
  EXPECT_EQ(r.err.find("TEST-KPM"), std::string::npos);
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), 0u);
}

TEST_F(PkhApi, AKeyWithoutTheRoleIsRefused) {
  auto r = AtKab({"import", "updates", s_ + "/updates.csv", "--key", K("stranger")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("(HTTP 403): the key does not hold the operator role for region "
                               "7306"));
  auto d = AtKab({"ba", "draft", s_ + "/ba.csv", "--stage", "2026-T1", "--date", "2026-02-20",
                  "--number", "800/1/T", "--out", s_ + "/ba.json", "--key", K("stranger")});
  EXPECT_EQ(d.code, 2);
  EXPECT_THAT(d.err, HasSubstr("neither the operator nor the approver role for region 7306"));
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), 0u);
  EXPECT_GE(Metric(kab_->url(), kab_key_, "jejak_rejected_inputs_total{reason=\"unauthorized\"}"),
            2);
}

TEST_F(PkhApi, AnUnsignedOrReplayedUploadIsRefusedSoTheNodeIsNoPseudonymOracle) {
  auto client = Client(kab_->url(), kab_key_);
  const std::string path = "/jejak/v1/ba/draft?stage=2026-T1&date=2026-02-20&number=1";
  auto unsigned_draft = client->Post(path, kBa, "text/csv");
  ASSERT_TRUE(unsigned_draft.ok());
  EXPECT_EQ(unsigned_draft->status, 403);
  EXPECT_THAT(unsigned_draft->body, HasSubstr("must be signed by a role key"));
  EXPECT_EQ(unsigned_draft->body.find("TEST-KPM"), std::string::npos);

  auto key = UnlockKeyFile(K("operator"), testing::kNodePassphrase);
  ASSERT_TRUE(key.ok());
  // Signed for another body: the signature does not cover this one.
  auto other = client->Post(path, kBa, "text/csv",
                            SignRequest("POST", path, "other body", *key, NowMillis()));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 403);
  EXPECT_THAT(other->body, HasSubstr("does not verify"));
  // Signed an hour ago.
  auto stale = client->Post(path, kBa, "text/csv",
                            SignRequest("POST", path, kBa, *key, NowMillis() - 3'600'000));
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->status, 403);
  EXPECT_THAT(stale->body, HasSubstr("from this node's clock"));
  auto good =
      client->Post(path, kBa, "text/csv", SignRequest("POST", path, kBa, *key, NowMillis()));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->status, 200) << good->body;
}

TEST_F(PkhApi, AFileChangedBetweenPrepareAndCommitIsRefused) {
  auto client = Client(kab_->url(), kab_key_);
  auto key = UnlockKeyFile(K("operator"), testing::kNodePassphrase);
  ASSERT_TRUE(key.ok());
  const std::string prepare = "/jejak/v1/import/updates?phase=prepare";
  auto prepared = client->Post(prepare, kUpdates, "text/csv",
                               SignRequest("POST", prepare, kUpdates, *key, NowMillis()));
  ASSERT_TRUE(prepared.ok());
  ASSERT_EQ(prepared->status, 200) << prepared->body;
  auto j = nlohmann::json::parse(prepared->body);
  EXPECT_EQ(j["rows"], 2);
  EXPECT_EQ(j["new"], 2);
  auto leaf = Base64Decode(j["statement"].get<std::string>());
  ASSERT_TRUE(leaf.ok());
  auto st = DecodeStatementEntry(*leaf);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->header.type, "pkh.update");
  EXPECT_EQ(st->header.record_count, 2u);
  EXPECT_TRUE(st->signatures.empty());
  SignStatement(*st, *key);
  auto signed_leaf = EncodeStatementEntry(*st);
  ASSERT_TRUE(signed_leaf.ok());

  const std::string commit = "/jejak/v1/import/updates?phase=commit";
  const std::string changed =
      std::string(kUpdates) + "U-3,TEST-KPM-3,2026-01-15,active,0,0,1,0,0,0,0,\n";
  HttpHeaders h = SignRequest("POST", commit, changed, *key, NowMillis());
  h.emplace_back("X-Jejak-Statement", Base64Encode(*signed_leaf));
  auto refused = client->Post(commit, changed, "text/csv", h);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 409);
  EXPECT_THAT(refused->body, HasSubstr("no longer derives the statement that was signed (the file "
                                       "or the log changed since it was prepared: 3 new rows now, "
                                       "2 signed)"));
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), 0u);

  h = SignRequest("POST", commit, kUpdates, *key, NowMillis());
  h.emplace_back("X-Jejak-Statement", Base64Encode(*signed_leaf));
  auto committed = client->Post(commit, kUpdates, "text/csv", h);
  ASSERT_TRUE(committed.ok());
  EXPECT_EQ(committed->status, 200) << committed->body;
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), 3u);
}

TEST_F(PkhApi, ABeritaAcaraIsDraftedAndSubmittedThroughTheNode) {
  auto no_key = AtKab({"ba", "draft", s_ + "/ba.csv", "--stage", "2026-T1", "--date", "2026-02-20",
                       "--number", "800/1/T", "--out", s_ + "/ba.json"});
  EXPECT_EQ(no_key.code, 2);
  EXPECT_THAT(no_key.err, HasSubstr("--node needs --key"));
  auto draft =
      AtKab({"ba", "draft", s_ + "/ba.csv", "--stage", "2026-T1", "--date", "2026-02-20",
             "--number", "800/1/DINSOS T", "--out", s_ + "/ba.json", "--key", K("operator")});
  ASSERT_EQ(draft.code, 0) << draft.err;
  EXPECT_THAT(draft.out, HasSubstr("berita acara 800/1/DINSOS T for 2026-T1: 2 rows, total Rp "
                                   "2,175,000"));
  // No update before the date for either family: the draft warns, as on the folder.
  EXPECT_THAT(draft.err, HasSubstr("warning:"));
  EXPECT_EQ(testing::ReadBinary(s_ + "/ba.json").find("TEST-KPM"), std::string::npos);
  ASSERT_EQ(J({"ba", "sign", s_ + "/ba.json", "--key", K("approver1")}).code, 0);
  auto one = AtKab({"ba", "submit", s_ + "/ba.json"});
  EXPECT_EQ(one.code, 2);
  EXPECT_THAT(one.err, HasSubstr("(HTTP 403)"));
  ASSERT_EQ(J({"ba", "sign", s_ + "/ba.json", "--key", K("approver2")}).code, 0);
  auto submitted = AtKab({"ba", "submit", s_ + "/ba.json", "--json"});
  ASSERT_EQ(submitted.code, 0) << submitted.err;
  EXPECT_EQ(submitted.out, "{\"index\":0,\"records\":2,\"size\":3}\n");
  auto twice = AtKab({"ba", "submit", s_ + "/ba.json"});
  EXPECT_EQ(twice.code, 2);
  EXPECT_THAT(twice.err,
              HasSubstr("(HTTP 409): berita acara 800/1/DINSOS T was already submitted"));
}

TEST_F(PkhApi, CheckpointAndProofsThroughTheNodeMatchTheFolder) {
  ASSERT_EQ(AtKab({"import", "updates", s_ + "/updates.csv", "--key", K("operator")}).code, 0);
  auto checkpoint = AtKab({"checkpoint"});
  ASSERT_EQ(checkpoint.code, 0) << checkpoint.err;
  // The node serves its checkpoint with the cosignatures it keeps; the signed
  // note itself is the folder's.
  EXPECT_TRUE(checkpoint.out.starts_with(J({"checkpoint", s_ + "/kab"}).out)) << checkpoint.out;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"prove", "inclusion", "--index", "1"},
        {"prove", "inclusion", "--index", "0", "--size", "2"},
        {"prove", "consistency", "--old", "1"}}) {
    auto remote = AtKab(args);
    ASSERT_EQ(remote.code, 0) << remote.err;
    std::vector<std::string> local = args;
    local.insert(local.begin() + 2, s_ + "/kab");
    EXPECT_EQ(remote.out, J(local).out);
  }
  auto beyond = AtKab({"prove", "inclusion", "--index", "3"});
  EXPECT_EQ(beyond.code, 2);
  EXPECT_THAT(beyond.err, HasSubstr("(HTTP 400): --index 3 is not below the tree size 3"));
  auto both = J({"checkpoint", s_ + "/kab", "--node", kab_->url()});
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("give either a node folder or --node URL"));
}

}  // namespace
}  // namespace jejak
