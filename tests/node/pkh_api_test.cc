// The PKH commands against a running node (`--node URL`): imports of updates
// and receipts, berita acara drafts and submissions, checkpoint and proofs,
// each through a real `jejak serve` process over TLS; and the node's refusals:
// unsigned or unauthorized uploads, a file changed between the two steps of
// an import, bad rows.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "ledger/log/entry.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "node/remote.h"
#include "node/request_auth.h"
#include "tests/node/node_processes.h"
#include "tests/node/pkh_world.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using testing::kBa;
using testing::kReceipts;
using testing::kUpdates;
using testing::PkhApi;
using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

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
  std::string with_statement;
  AppendBundleEntry(with_statement, *signed_leaf);
  const std::string changed_body = with_statement + changed;
  HttpHeaders h = SignRequest("POST", commit, changed_body, *key, NowMillis());
  auto refused = client->Post(commit, changed_body, "text/csv", h);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 409);
  EXPECT_THAT(refused->body, HasSubstr("no longer derives the statement that was signed (the file "
                                       "or the log changed since it was prepared: 3 new rows now, "
                                       "2 signed)"));
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), 0u);

  const std::string body = with_statement + kUpdates;
  h = SignRequest("POST", commit, body, *key, NowMillis());
  auto committed = client->Post(commit, body, "text/csv", h);
  ASSERT_TRUE(committed.ok());
  EXPECT_EQ(committed->status, 200) << committed->body;
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), 3u);

  // Prepared again with a row more, after an empty line: the answer names
  // the one new row by its line, so that a signer can recompute the root.
  const std::string grown =
      std::string(kUpdates) + "\nU-3,TEST-KPM-3,2026-01-15,active,0,0,1,0,0,0,0,\n";
  auto again = client->Post(prepare, grown, "text/csv",
                            SignRequest("POST", prepare, grown, *key, NowMillis()));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->status, 200) << again->body;
  j = nlohmann::json::parse(again->body);
  EXPECT_EQ(j["new"], 1);
  EXPECT_EQ(j["already_present"], 2);
  EXPECT_EQ(j["new_lines"], nlohmann::json::parse("[[5,5]]"));
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
  EXPECT_THAT(beyond.err, HasSubstr("(HTTP 400): index 3 is not below the tree size 3"));
  auto header = Client(kab_->url(), kab_key_)->Get("/jejak/v1/statement-header?type=%00%ff");
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->status, 400);
  EXPECT_EQ(header->body.find('\0'), std::string::npos);
  EXPECT_EQ(header->body.find('\xff'), std::string::npos);
  // An origin that is not one is never echoed back (here a NUL and a byte of
  // no encoding).
  auto odd = Client(kab_->url(), kab_key_)->Get("/jejak/v1/proof/inclusion?index=0&origin=%00%ff");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->status, 404);
  EXPECT_EQ(odd->body, "this node holds no such log\n");
  auto both = J({"checkpoint", s_ + "/kab", "--node", kab_->url()});
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("give either a node folder or --node URL"));
}

// --format tlog-proof through the node: the same text as from the folder
// (the node keeps no cosignatures here: it has no peers), which `proof
// verify` accepts with the node's key; a size is refused.
TEST_F(PkhApi, TlogProofThroughTheNodeMatchesTheFolderAndVerifies) {
  ASSERT_EQ(AtKab({"import", "updates", s_ + "/updates.csv", "--key", K("operator")}).code, 0);
  auto remote = AtKab({"prove", "inclusion", "--index", "1", "--format", "tlog-proof"});
  ASSERT_EQ(remote.code, 0) << remote.err;
  EXPECT_TRUE(remote.out.starts_with("c2sp.org/tlog-proof@v1\nextra ")) << remote.out;
  EXPECT_EQ(remote.out,
            J({"prove", "inclusion", s_ + "/kab", "--index", "1", "--format", "tlog-proof"}).out);
  const std::string origin = kab_key_.substr(0, kab_key_.find('+'));
  auto own = AtKab({"prove", "inclusion", "--index", "1", "--format", "tlog-proof", "--log", origin,
                    "--out", s_ + "/leaf.tlog-proof"});
  ASSERT_EQ(own.code, 0) << own.err;
  auto verified = J({"proof", "verify", s_ + "/leaf.tlog-proof", "--key", kab_key_});
  EXPECT_EQ(verified.code, 0) << verified.err;
  EXPECT_THAT(verified.out, HasSubstr("type: pkh.update\n"));
  auto sized = Client(kab_->url(), kab_key_)
                   ->Get("/jejak/v1/proof/inclusion?index=1&size=2&format=tlog-proof");
  ASSERT_TRUE(sized.ok());
  EXPECT_EQ(sized->status, 400);
  EXPECT_THAT(sized->body, HasSubstr("a tlog-proof is against the latest checkpoint (size 3)"));
  auto odd = Client(kab_->url(), kab_key_)->Get("/jejak/v1/proof/inclusion?index=1&format=pdf");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->status, 400);
}

// A records file over 1 MiB goes through the node as an upload (signed by the
// statement's signer); an unsigned body over 1 MiB is refused before it is read.
TEST_F(PkhApi, ALargeRecordsFileIsAppendedAndAnUnsignedLargeBodyRefusedAtOnce) {
  std::string lines;
  for (int i = 0; i < 20'000; ++i)
    lines += fmt::format("note {:06d} {}\n", i, std::string(90, 'x'));
  ASSERT_GT(lines.size(), size_t{1} << 20);
  ASSERT_TRUE(testing::WriteBinary(s_ + "/notes.txt", lines));
  auto r = AtKab({"append", s_ + "/notes.txt", "--type", "generic.note", "--key", K("operator")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("with 20000 records"));

  auto client = Client(kab_->url(), kab_key_);
  auto unsigned_big =
      client->Post("/jejak/v1/statements", std::string(2 << 20, 'x'), "application/octet-stream");
  ASSERT_TRUE(unsigned_big.ok()) << unsigned_big.status().message();
  EXPECT_EQ(unsigned_big->status, 403);
  EXPECT_THAT(unsigned_big->body, HasSubstr("an upload larger than 1 MiB: this request must be "
                                            "signed by a role key"));
  auto stranger = UnlockKeyFile(K("stranger"), testing::kNodePassphrase);
  ASSERT_TRUE(stranger.ok());
  const std::string body(2 << 20, 'x');
  auto by_stranger = client->Post(
      "/jejak/v1/import/updates?phase=prepare", body, "text/csv",
      SignRequest("POST", "/jejak/v1/import/updates?phase=prepare", body, *stranger, NowMillis()));
  ASSERT_TRUE(by_stranger.ok());
  EXPECT_EQ(by_stranger->status, 403);
  EXPECT_THAT(by_stranger->body, HasSubstr("must be signed by a key holding a role at this node"));
}

// A national receipts file, one row in each of 514 kabupaten, by a payer
// scoped everywhere: its statement lists 514 regions, which travels in the
// commit's body (in a header it was 431).
TEST_F(PkhApi, ANationalReceiptsFileIsCommittedThroughTheNode) {
  ASSERT_EQ(J({"key", "new", "--out", K("national"), "--name", "t/national"}).code, 0);
  ASSERT_EQ(J({"registry", "grant", s_ + "/gov", "--key", K("national"), "--role", "payer",
               "--scope", "*", "--institution", bank_key_.substr(0, bank_key_.find('+'))})
                .code,
            0);
  ASSERT_EQ(J({"export", s_ + "/gov", "--out", s_ + "/gov-tiles"}).code, 0);
  bank_->Stop(SIGTERM);
  ASSERT_EQ(J({"pull", s_ + "/bank", "--from", s_ + "/gov-tiles"}).code, 0);
  ASSERT_TRUE(bank_->Start()) << bank_->log();
  std::string csv = "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n";
  int n = 0;
  for (int province = 11; province <= 96 && n < 514; ++province) {
    for (int kab = 1; kab <= 7 && n < 514; ++kab, ++n) {
      csv += fmt::format("N-{},TEST-KPM-N{},{}{:02},2026-T1,1000000,paid,2026-03-05,kks\n", n, n,
                         province, kab);
    }
  }
  ASSERT_EQ(n, 514);
  ASSERT_TRUE(testing::WriteBinary(s_ + "/national.csv", csv));
  auto r = J({"import", "receipts", s_ + "/national.csv", "--key", K("national"), "--node",
              bank_->url(), "--node-key", bank_key_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 514 receipts as one statement at leaf 0; checkpoint size 515\n");
}

}  // namespace
}  // namespace jejak
