// A PKH stage run through the nodes of a federation built by tools/federation
// (kemensos, provinsi 73, kabupaten 7301, two lembaga bayar and an auditor,
// each a `jejak serve` process over TLS), then audited by the auditor from its
// own replicas, beside its running node: the audit of issue 5 on the
// federation of issue 4.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/node/federation.h"

namespace jejak {
namespace {

using testing::FederationFixture;
using ::testing::HasSubstr;

constexpr char kUpdates[] =
    "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
    "disabilitas_berat,lansia,evidence_sha256\n"
    "U-1,TEST-KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n"
    "U-2,TEST-KPM-2,2026-01-12,active,0,1,1,0,0,0,0,\n";
constexpr char kBa[] =
    "id_kpm,lembaga_bayar,amount\n"
    "TEST-KPM-1,BANK-A,1850000\n"
    "TEST-KPM-2,BANK-A,975000\n";
// TEST-KPM-9 was never approved: the one planted anomaly.
constexpr char kReceipts[] =
    "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n"
    "A-1,TEST-KPM-1,7301,2026-T1,1850000,paid,2026-03-05,kks\n"
    "A-2,TEST-KPM-2,7301,2026-T1,975000,paid,2026-03-06,rekening\n"
    "A-3,TEST-KPM-9,7301,2026-T1,600000,paid,2026-03-08,kks\n";

class FederatedStage : public FederationFixture {
 protected:
  void SetUp() override { Up("1", 6); }

  testing::Outcome J(std::vector<std::string> args, const std::string& node = "") {
    if (!node.empty())
      args.insert(args.end(), {"--node", Node(node).url, "--node-key", Node(node).key});
    return testing::RunProcess(JEJAK_BINARY, args, {{"JEJAK_PASSPHRASE", passphrase_}}, scratch_);
  }
  std::string F(const std::string& name) { return dir_ + "/" + name; }
};

TEST_F(FederatedStage, TheAuditorAuditsAStageRunThroughTheNodesBesideItsRunningNode) {
  ASSERT_TRUE(testing::WriteBinary(F("updates.csv"), kUpdates));
  ASSERT_TRUE(testing::WriteBinary(F("ba.csv"), kBa));
  ASSERT_TRUE(testing::WriteBinary(F("receipts.csv"), kReceipts));
  auto u =
      J({"import", "updates", F("updates.csv"), "--key", F("kab-7301-operator.key")}, "kab-7301");
  ASSERT_EQ(u.code, 0) << u.err;
  auto d = J({"ba", "draft", F("ba.csv"), "--stage", "2026-T1", "--date", "2026-02-20", "--number",
              "800/1/T", "--out", F("ba.json"), "--key", F("kab-7301-operator.key")},
             "kab-7301");
  ASSERT_EQ(d.code, 0) << d.err;
  for (const char* k : {"kab-7301-approver-1.key", "kab-7301-approver-2.key"}) {
    ASSERT_EQ(J({"ba", "sign", F("ba.json"), "--key", F(k)}).code, 0);
  }
  auto s = J({"ba", "submit", F("ba.json")}, "kab-7301");
  ASSERT_EQ(s.code, 0) << s.err;
  auto r = J({"import", "receipts", F("receipts.csv"), "--key", F("bank-a-payer.key")}, "bank-a");
  ASSERT_EQ(r.code, 0) << r.err;

  // Every log reaches the auditor at its author's checkpoint.
  for (const auto& [author, origin] : {std::pair{"kab-7301", "jejak.pkh/kab/7301"},
                                       std::pair{"bank-a", "jejak.pkh/bank/bank-a"}}) {
    auto own = LogOf(Node(author), origin);
    ASSERT_TRUE(own.has_value());
    ASSERT_GE(WaitForConvergence(origin, own->size, own->root, std::chrono::seconds(60)), 2)
        << origin;
  }

  auto audit = J({"audit", F("auditor"), "--stage", "2026-T1", "--as-of", "2026-04-01", "--format",
                  "json", "--proofs"});
  ASSERT_EQ(audit.code, 0) << audit.err;
  auto j = nlohmann::json::parse(audit.out);
  EXPECT_THAT(j["missing"], ::testing::IsEmpty()) << j["missing"].dump();
  for (const auto& [type, count] : j["summary"].items()) {
    EXPECT_EQ(count, type == "PAID_NOT_APPROVED" ? 1 : 0) << type;
  }
  ASSERT_EQ(j["findings"].size(), 1u);
  const auto& f = j["findings"][0];
  EXPECT_EQ(f["type"], "PAID_NOT_APPROVED");
  EXPECT_EQ(f["txn_ref"], "A-3");
  EXPECT_EQ(f["kabupaten"], "7301");
  EXPECT_THAT(f.dump(), HasSubstr("jejak.pkh/bank/bank-a"));
  EXPECT_EQ(audit.out.find("TEST-KPM"), std::string::npos);
}

}  // namespace
}  // namespace jejak
