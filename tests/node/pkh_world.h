// A small PKH world run by real processes, for the tests of the commands
// through a node: kemensos (governance), the kabupaten 7306 node and the
// lembaga bayar node BANK, each initialized and registered with the CLI, role
// keys granted (operator, approver1, approver2 for 7306; payer for 7306 at
// BANK), stage 2026-T1 opened; kab and bank serve over TLS.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "crypto/note.h"
#include "node/remote.h"
#include "tests/node/node_processes.h"

namespace jejak::testing {

inline constexpr char kUpdates[] =
    "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
    "disabilitas_berat,lansia,evidence_sha256\n"
    "U-1,TEST-KPM-1,2026-01-10,active,1,0,2,0,0,0,0,\n"
    "U-2,TEST-KPM-2,2026-01-12,active,0,1,1,0,0,0,0,\n";
inline constexpr char kReceipts[] =
    "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n"
    "T-1,TEST-KPM-1,7306,2026-T1,1200000,paid,2026-03-05,kks\n"
    "T-2,TEST-KPM-2,7306,2026-T1,975000,failed,2026-03-06,rekening\n";
inline constexpr char kBa[] =
    "id_kpm,lembaga_bayar,amount\n"
    "TEST-KPM-1,BANK,1200000\n"
    "TEST-KPM-2,BANK,975000\n";

class PkhApi : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = MakeTempFolder("pkh-api");
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
    ASSERT_TRUE(WriteBinary(s_ + "/updates.csv", kUpdates));
    ASSERT_TRUE(WriteBinary(s_ + "/receipts.csv", kReceipts));
    ASSERT_TRUE(WriteBinary(s_ + "/ba.csv", kBa));
  }
  void TearDown() override {
    kab_.reset();
    bank_.reset();
    RemoveFolder(s_);
  }

  Outcome J(const std::vector<std::string>& args) { return RunJejak(args, s_); }
  std::string K(const std::string& name) { return s_ + "/" + name + ".key"; }
  // `jejak args... --node KAB-URL --node-key KEY`.
  Outcome AtKab(std::vector<std::string> args) {
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
    return MetricIn(r->body, series);
  }

  std::string s_, kab_key_, bank_key_;
  std::unique_ptr<ServeProcess> kab_, bank_;
};

}  // namespace jejak::testing
