// Authority through a running node, tried as an outsider would with a plain
// HTTP client and a node's public tiles: a statement sent again, an old
// governance statement replayed, a receipt signed at an older governance
// size, a payer of one bank writing another bank's log. Each is refused with
// nothing appended (specs/pkh-records.md, "Appending to the own log").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "ledger/log/entry.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/log/tiles.h"
#include "ledger/pkh/records.h"
#include "node/http_source.h"
#include "tests/node/pkh_world.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using testing::kBa;
using testing::kReceipts;
using testing::ServeProcess;
using testing::Trim;

class AuthorityThroughANode : public testing::PkhApi {
 protected:
  std::string OriginOf(const std::string& key) { return key.substr(0, key.find('+')); }

  // The bundle of the statement at `index` of the node's own log and its
  // records, taken from the tiles it serves to anyone.
  std::string StatementBundle(const std::string& url, const std::string& key, uint64_t index) {
    const uint64_t size = OwnSize(url, key);
    auto client = Client(url, key);
    auto r =
        client->Get(LogPath(OriginOf(key)) + "/" + EntryBundlePath(0, static_cast<uint32_t>(size)));
    EXPECT_TRUE(r.ok() && r->status == 200);
    std::vector<Bytes> leaves;
    EXPECT_TRUE(DecodeEntryBundleAll(r->body, "bundle", [&](uint64_t, ByteSpan leaf) {
                  leaves.emplace_back(leaf.begin(), leaf.end());
                  return Status::Ok();
                }).ok());
    auto st = DecodeStatementEntry(leaves.at(index));
    EXPECT_TRUE(st.ok());
    std::string bundle;
    for (uint64_t i = index; i <= index + st->header.record_count; ++i) {
      AppendBundleEntry(bundle, leaves.at(i));
    }
    return bundle;
  }

  HttpResult Post(const std::string& url, const std::string& key, const std::string& bundle) {
    auto r = Client(url, key)->Post("/jejak/v1/statements", bundle, "application/octet-stream");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : HttpResult{};
  }

  uint64_t SubmitBa() {
    const std::string ba = s_ + "/ba.json";
    EXPECT_EQ(AtKab({"ba", "draft", s_ + "/ba.csv", "--stage", "2026-T1", "--date", "2026-02-20",
                     "--number", "800/1/T", "--out", ba, "--key", K("operator")})
                  .code,
              0);
    for (const char* a : {"approver1", "approver2"}) {
      EXPECT_EQ(J({"ba", "sign", ba, "--key", K(a)}).code, 0);
    }
    auto r = AtKab({"ba", "submit", ba});
    EXPECT_EQ(r.code, 0) << r.err;
    return 0;
  }
};

TEST_F(AuthorityThroughANode, AReceiptOrBeritaAcaraSentAgainByAnyoneIsRefused) {
  ASSERT_EQ(J({"import", "receipts", s_ + "/receipts.csv", "--key", K("payer"), "--node",
               bank_->url(), "--node-key", bank_key_})
                .code,
            0);
  const uint64_t bank_size = OwnSize(bank_->url(), bank_key_);
  HttpResult r = Post(bank_->url(), bank_key_, StatementBundle(bank_->url(), bank_key_, 0));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_THAT(r.body, HasSubstr("this statement is already in the log (the statement at leaf 0)"));
  EXPECT_EQ(OwnSize(bank_->url(), bank_key_), bank_size);

  SubmitBa();
  const uint64_t kab_size = OwnSize(kab_->url(), kab_key_);
  r = Post(kab_->url(), kab_key_, StatementBundle(kab_->url(), kab_key_, 0));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_THAT(r.body, HasSubstr("this statement is already in the log"));
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), kab_size);
  EXPECT_GE(
      Metric(bank_->url(), bank_key_, "jejak_rejected_inputs_total{reason=\"refused_statement\"}"),
      1);
}

TEST_F(AuthorityThroughANode, AnOldGovernanceGrantReplayedAfterItsRevocationIsRefused) {
  ASSERT_EQ(J({"registry", "grant", s_ + "/gov", "--key", K("stranger"), "--role", "operator",
               "--scope", "7306"})
                .code,
            0);
  const std::string gov_key = Trim(J({"key", "show", s_ + "/gov"}).out);
  ServeProcess gov(s_ + "/gov", {});
  ASSERT_TRUE(gov.Start()) << gov.log();
  const uint64_t grant_at = OwnSize(gov.url(), gov_key) - 2;
  const std::string grant = StatementBundle(gov.url(), gov_key, grant_at);
  gov.Stop(SIGTERM);
  ASSERT_EQ(J({"registry", "revoke", s_ + "/gov", "--key", K("stranger")}).code, 0);
  ASSERT_TRUE(gov.Start()) << gov.log();
  const uint64_t size = OwnSize(gov.url(), gov_key);
  HttpResult r = Post(gov.url(), gov_key, grant);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_THAT(r.body, HasSubstr("this statement is already in the log"));
  EXPECT_EQ(OwnSize(gov.url(), gov_key), size);
}

TEST_F(AuthorityThroughANode, AReceiptSignedAtAnOlderGovernanceSizeIsRefused) {
  auto client = Client(bank_->url(), bank_key_);
  auto header = client->Get("/jejak/v1/statement-header?type=pkh.receipt");
  ASSERT_TRUE(header.ok() && header->status == 200);
  const uint64_t g = nlohmann::json::parse(header->body)["governance_size"];
  auto payer = UnlockKeyFile(K("payer"), testing::kNodePassphrase);
  ASSERT_TRUE(payer.ok());
  auto make = [&](uint64_t recorded) {
    StatementHeader h;
    h.origin = OriginOf(bank_key_);
    h.type = std::string(kTypeReceipt);
    h.region = "00";
    h.stage = "2026-T1";
    h.regions = {"7306"};
    h.timestamp_ms = NowMillis();
    h.governance_size = recorded;
    Receipt rec{"T-9",        {},           "7306", "2026-T1", 1'000'000, ReceiptStatus::kPaid,
                "2026-03-20", Channel::kKks};
    PreparedStatement p = PrepareStatement(h, {*EncodePkhRecord(rec)});
    SignStatement(p.statement, *payer);
    std::string bundle;
    AppendBundleEntry(bundle, *EncodeStatementEntry(p.statement));
    AppendBundleEntry(bundle, p.record_leaves()[0]);
    return bundle;
  };
  HttpResult r = Post(bank_->url(), bank_key_, make(g - 2));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_THAT(r.body, HasSubstr(fmt::format("prepared at governance size {}; this node judges at "
                                            "{} now: prepare and sign it again",
                                            g - 2, g)));
  r = Post(bank_->url(), bank_key_, make(g + 7));  // a size the node does not hold: 409, not 500
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_THAT(r.body, HasSubstr("holds the governance log only to size"));
  EXPECT_EQ(OwnSize(bank_->url(), bank_key_), 0u);
}

TEST_F(AuthorityThroughANode, APayerOfOneBankCannotWriteAnotherBanksLog) {
  ASSERT_EQ(J({"init", s_ + "/bank-b", "--kind", "lembaga-bayar", "--name", "BANK B", "--region",
               "00", "--governance", Trim(J({"key", "show", s_ + "/gov"}).out), "--program-key",
               s_ + "/program.key"})
                .code,
            0);
  const std::string b_key = Trim(J({"key", "show", s_ + "/bank-b"}).out);
  ASSERT_EQ(J({"registry", "add-node", s_ + "/gov", "--name", "BANK B", "--kind", "lembaga-bayar",
               "--region", "00", "--key", b_key})
                .code,
            0);
  ASSERT_EQ(J({"export", s_ + "/gov", "--out", s_ + "/gov-tiles"}).code, 0);
  ASSERT_EQ(J({"pull", s_ + "/bank-b", "--from", s_ + "/gov-tiles"}).code, 0);
  ServeProcess bank_b(s_ + "/bank-b", {});
  ASSERT_TRUE(bank_b.Start()) << bank_b.log();
  auto r = J({"import", "receipts", s_ + "/receipts.csv", "--key", K("payer"), "--node",
              bank_b.url(), "--node-key", b_key});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("(HTTP 403): the key holds the payer role at governance size"));
  EXPECT_THAT(r.err,
              HasSubstr("but no grant of it names this lembaga bayar (" + OriginOf(b_key) + ")"));
  EXPECT_EQ(OwnSize(bank_b.url(), b_key), 0u);
}

// statement-header is a read: it never waits for the own log's writer. A
// client asking it during a long import, with a timeout shorter than either
// phase of the import holds the writer, gets every answer.
TEST_F(AuthorityThroughANode, TheStatementHeaderIsAnsweredDuringALongImport) {
  std::string csv = "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n";
  for (int i = 0; i < 600'000; ++i) {
    csv += fmt::format("T-{},TEST-KPM-{},7306,2026-T1,1000000,paid,2026-03-05,kks\n", i, i);
  }
  ASSERT_TRUE(testing::WriteBinary(s_ + "/big.csv", csv));
  std::atomic<bool> done{false};
  std::thread import([&] {
    auto r = J({"import", "receipts", s_ + "/big.csv", "--key", K("payer"), "--node", bank_->url(),
                "--node-key", bank_key_});
    EXPECT_EQ(r.code, 0) << r.err;
    done = true;
  });
  auto key = ParseVerifierKey(bank_key_);
  ASSERT_TRUE(key.ok());
  auto client = ConnectTo(bank_->url(), {key->key}, nullptr, std::chrono::milliseconds(1500));
  ASSERT_TRUE(client.ok());
  int answered = 0, waited_out = 0;
  while (!done) {
    auto r = (*client)->Get("/jejak/v1/statement-header?type=pkh.receipt");
    if (r.ok() && r->status == 200) {
      ++answered;
    } else {
      ++waited_out;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  import.join();
  EXPECT_EQ(waited_out, 0);
  EXPECT_GT(answered, 0);
}

}  // namespace
}  // namespace jejak
