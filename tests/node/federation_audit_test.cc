// A PKH stage run through the nodes of a federation built by tools/federation
// (kemensos, provinsi 73, kabupaten 7301, two lembaga bayar and an auditor,
// each a `jejak serve` process over TLS), then audited by the auditor from its
// own replicas, beside its running node: the audit of issue 5 on the
// federation of issue 4.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "node/ba_drafts.h"
#include "tests/node/federation.h"
#include "tests/node/raw_http.h"

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

  // Drafts berita acara `number` of `date` from CSV text through kab-7301's
  // node (signed by its operator), written to NAME.csv and NAME.json: the
  // id it stays pending under ("" when the draft or its id is missing).
  std::string DraftOnKabupaten(const std::string& name, const std::string& csv,
                               const std::string& number, const std::string& date) {
    EXPECT_TRUE(testing::WriteBinary(F(name + ".csv"), csv));
    auto d = J({"ba", "draft", F(name + ".csv"), "--stage", "2026-T1", "--date", date, "--number",
                number, "--out", F(name + ".json"), "--key", F("kab-7301-operator.key")},
               "kab-7301");
    EXPECT_EQ(d.code, 0) << d.err;
    const size_t at = d.out.find("pending on the node as draft ");
    EXPECT_NE(at, std::string::npos) << d.out;
    return at == std::string::npos ? "" : d.out.substr(at + 29, 16);
  }

  // Adds console accounts {name, role} (password "console password") to
  // node `name`'s folder and starts it again with its console, on plain
  // HTTP on loopback, its replicas as they are: the console's port.
  uint16_t RestartWithConsole(const std::string& node,
                              std::initializer_list<std::pair<const char*, const char*>> accounts) {
    EXPECT_TRUE(testing::WriteBinary(F("pw"), "console password\n"));
    for (const auto& [name, role] : accounts) {
      auto add = J({"console", "user", "add", F(node), "--name", name, "--role", role,
                    "--password-file", F("pw")});
      EXPECT_EQ(add.code, 0) << add.err;
    }
    StopStarted(Node(node), SIGTERM);
    return Restart(Node(node), {"--insecure-http", "--console"}).port();
  }
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

  // The same audit from the auditor's web console (restarted on plain HTTP
  // on loopback with --console, its replicas as they are): an account
  // without the auditor role may not start it; an auditor's run reports the
  // same findings; the berita acara shows its threshold met; the family's
  // trail holds its records.
  const uint16_t port = RestartWithConsole("auditor", {{"ani", "auditor"}, {"budi", "viewer"}});
  const std::string start = R"({"stage":"2026-T1","as_of":"2026-04-01"})";
  auto viewer = testing::ConsoleSignIn(port, "budi", "console password");
  ASSERT_FALSE(viewer.cookie.empty());
  // The overview says when each log's latest checkpoint was last cosigned:
  // the replicas the auditor holds carry their witnesses' cosignatures.
  auto overview =
      testing::Exchange(port, "GET", "/jejak/v1/console/overview", {viewer.cookie}).Json();
  for (const auto& log : overview["logs"]) {
    if (log["cosignatures"].get<uint64_t>() > 0) {
      EXPECT_TRUE(log["checkpoint_time"].is_number_unsigned()) << log.dump();
    }
  }
  auto refused = testing::Exchange(port, "POST", "/jejak/v1/console/audits",
                                   {viewer.cookie, "X-Jejak-Csrf: " + viewer.csrf}, start);
  EXPECT_EQ(refused.status, 403) << refused.body;
  auto ani = testing::ConsoleSignIn(port, "ani", "console password");
  ASSERT_FALSE(ani.cookie.empty());
  auto started = testing::Exchange(port, "POST", "/jejak/v1/console/audits",
                                   {ani.cookie, "X-Jejak-Csrf: " + ani.csrf}, start);
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string id = started.Json()["id"];
  nlohmann::json runs;
  for (int i = 0; i < 600; ++i) {
    runs = testing::Exchange(port, "GET", "/jejak/v1/console/audits", {ani.cookie}).Json();
    if (runs["running"].is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(runs["running"].is_null());
  ASSERT_EQ(runs["runs"][0]["id"], id);
  EXPECT_EQ(runs["runs"][0]["state"], "done") << runs.dump();
  EXPECT_EQ(runs["runs"][0]["by"], "ani");
  auto findings =
      testing::Exchange(port, "GET", "/jejak/v1/console/audits/" + id + "/findings?proofs=1",
                        {ani.cookie})
          .Json();
  ASSERT_EQ(findings["total"], 1);
  EXPECT_EQ(findings["findings"][0]["type"], "PAID_NOT_APPROVED");
  EXPECT_EQ(findings["findings"][0]["txn_ref"], "A-3");
  // The same leaves and proofs; the tlog-proofs' checkpoints may carry
  // cosignatures gathered since the CLI's audit.
  auto without_notes = [](nlohmann::json findings) {
    for (auto& f : findings) {
      f.erase("n");
      f.erase("at_risk");
      f.erase("detail_id");
      for (auto& l : f["leaves"]) {
        EXPECT_TRUE(l["tlog_proof"].get<std::string>().starts_with("c2sp.org/tlog-proof@v1\n"));
        l.erase("tlog_proof");
      }
    }
    return findings;
  };
  EXPECT_EQ(without_notes(findings["findings"]), without_notes(j["findings"]));
  auto summary = testing::Exchange(port, "GET", "/jejak/v1/console/audits/" + id, {ani.cookie});
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_EQ(summary.Json()["report"]["summary"], j["summary"]);
  EXPECT_EQ(summary.Json()["report"]["at_risk"], 600000);
  auto exported = testing::Exchange(
      port, "GET", "/jejak/v1/console/audits/" + id + "/export?format=json", {ani.cookie});
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(without_notes(exported.Json()["findings"]), without_notes(j["findings"]));
  for (const char* format : {"csv", "xlsx", "pdf&lang=id", "pdf&lang=en"}) {
    auto doc = testing::Exchange(
        port, "GET", "/jejak/v1/console/audits/" + id + "/export?format=" + format, {ani.cookie});
    EXPECT_EQ(doc.status, 200) << format;
    EXPECT_FALSE(doc.body.empty()) << format;
  }

  // A second run of the same stage: nothing added, nothing gone.
  auto second = testing::Exchange(port, "POST", "/jejak/v1/console/audits",
                                  {ani.cookie, "X-Jejak-Csrf: " + ani.csrf}, start);
  ASSERT_EQ(second.status, 202) << second.body;
  const std::string id2 = second.Json()["id"];
  for (int i = 0; i < 600; ++i) {
    runs = testing::Exchange(port, "GET", "/jejak/v1/console/audits", {ani.cookie}).Json();
    if (runs["running"].is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto compared = testing::Exchange(
      port, "GET", "/jejak/v1/console/audits/" + id2 + "/compare?with=" + id, {ani.cookie});
  ASSERT_EQ(compared.status, 200) << compared.body;
  EXPECT_EQ(compared.Json()["added"], 0);
  EXPECT_EQ(compared.Json()["removed"], 0);
  EXPECT_EQ(compared.Json()["unchanged"], 1);

  auto list = testing::Exchange(port, "GET", "/jejak/v1/console/berita-acara", {ani.cookie}).Json();
  ASSERT_EQ(list["total"], 1) << list.dump();
  const auto& ba = list["berita_acara"][0];
  EXPECT_EQ(ba["number"], "800/1/T");
  EXPECT_EQ(ba["rows"], 2);
  EXPECT_EQ(ba["verdict"]["authorized"], true);
  EXPECT_EQ(ba["verdict"]["threshold"], 2);
  auto one =
      testing::Exchange(port, "GET",
                        "/jejak/v1/console/berita-acara/one?origin=jejak.pkh/kab/7301&leaf=" +
                            std::to_string(ba["leaf"].get<uint64_t>()),
                        {ani.cookie})
          .Json();
  EXPECT_EQ(one["total_amount"], 2825000);
  EXPECT_EQ(one["signers"].size(), 2u);
  EXPECT_EQ(one["signers"][0]["roles"], "approver");
  auto pdf =
      testing::Exchange(port, "GET",
                        "/jejak/v1/console/berita-acara/pdf?origin=jejak.pkh/kab/7301&leaf=" +
                            std::to_string(ba["leaf"].get<uint64_t>()),
                        {ani.cookie});
  EXPECT_EQ(pdf.status, 200);
  EXPECT_TRUE(pdf.body.starts_with("%PDF"));

  const std::string kpm = findings["findings"][0]["kpm"];
  auto trail =
      testing::Exchange(port, "GET", "/jejak/v1/console/trail?pseudonym=" + kpm, {ani.cookie});
  ASSERT_EQ(trail.status, 200) << trail.body;
  EXPECT_EQ(trail.Json()["pseudonym"], kpm);
  EXPECT_EQ(trail.Json()["records"].size(), 1u);  // the receipt of a family never approved
  // By identifier: the auditor's node holds the program key; a viewer may not.
  auto by_id =
      testing::Exchange(port, "POST", "/jejak/v1/console/trail",
                        {ani.cookie, "X-Jejak-Csrf: " + ani.csrf}, R"({"id_kpm":"TEST-KPM-9"})");
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_EQ(by_id.Json()["pseudonym"], kpm);
  EXPECT_EQ(testing::Exchange(port, "POST", "/jejak/v1/console/trail",
                              {viewer.cookie, "X-Jejak-Csrf: " + viewer.csrf},
                              R"({"id_kpm":"TEST-KPM-9"})")
                .status,
            403);
  // No identifier in the node's log.
  EXPECT_EQ(testing::ReadBinary(F("auditor.serve.err")).find("TEST-KPM"), std::string::npos);
}

}  // namespace
}  // namespace jejak

namespace jejak {
namespace {

// A berita acara drafted through kab-7301's node stays pending there; the
// approvers sign it through the node, one with `ba sign --node --draft`, and
// the other's signature equals what `ba sign FILE` makes; it is appended once
// the threshold is met, and is pending no more.
TEST_F(FederatedStage, APendingDraftIsSignedThroughTheNodeAndSubmittedOnceTheThresholdIsMet) {
  const std::string id = DraftOnKabupaten("ba", kBa, "800/2/T", "2026-02-20");
  ASSERT_TRUE(ValidDraftId(id)) << id;

  auto sign = [&](const std::string& key) {
    return J({"ba", "sign", "--draft", id, "--key", F(key)}, "kab-7301");
  };
  auto submit = [&] {
    return J({"ba", "submit", "--draft", id, "--key", F("kab-7301-operator.key")}, "kab-7301");
  };
  // The operator holds no approver role: its signature is refused.
  auto refused = sign("kab-7301-operator.key");
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr("does not hold the approver role for region 7301"));
  auto one = sign("kab-7301-approver-1.key");
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_THAT(one.out, HasSubstr("1 of 2 approvers"));
  EXPECT_EQ(sign("kab-7301-approver-1.key").code, 2);  // once per key
  auto early = submit();
  EXPECT_EQ(early.code, 2);
  EXPECT_THAT(early.err, HasSubstr("needs 2"));
  auto two = sign("kab-7301-approver-2.key");
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_THAT(two.out, HasSubstr("2 of 2 approvers: an operator may submit it"));

  // The same signatures as `ba sign` makes on the drafted file.
  for (const char* k : {"kab-7301-approver-1.key", "kab-7301-approver-2.key"}) {
    ASSERT_EQ(J({"ba", "sign", F("ba.json"), "--key", F(k)}).code, 0);
  }
  const auto file = nlohmann::json::parse(testing::ReadBinary(F("ba.json")));
  const auto kept =
      nlohmann::json::parse(testing::ReadBinary(F("kab-7301/ba-drafts/" + id + ".json")));
  const auto pending = nlohmann::json::parse(kept["berita_acara"].get<std::string>());
  EXPECT_EQ(pending["signatures"], file["signatures"]);

  auto done = submit();
  ASSERT_EQ(done.code, 0) << done.err;
  EXPECT_THAT(done.out, HasSubstr("appended draft " + id));
  EXPECT_FALSE(std::filesystem::exists(F("kab-7301/ba-drafts/" + id + ".json")));
  auto again = submit();
  EXPECT_EQ(again.code, 2);
  EXPECT_THAT(again.err, HasSubstr("no such pending draft"));
  // The file itself, signed by the same approvers, is now a second copy of
  // what the log holds.
  auto twice = J({"ba", "submit", F("ba.json")}, "kab-7301");
  EXPECT_EQ(twice.code, 2);

  // A draft whose document is submitted as a file is pending no more.
  const std::string id3 = DraftOnKabupaten(
      "ba3", "id_kpm,lembaga_bayar,amount\nTEST-KPM-3,BANK-A,750000\n", "800/3/T", "2026-02-21");
  ASSERT_TRUE(ValidDraftId(id3)) << id3;
  ASSERT_TRUE(std::filesystem::exists(F("kab-7301/ba-drafts/" + id3 + ".json")));
  for (const char* k : {"kab-7301-approver-1.key", "kab-7301-approver-2.key"}) {
    ASSERT_EQ(J({"ba", "sign", F("ba3.json"), "--key", F(k)}).code, 0);
  }
  auto by_file = J({"ba", "submit", F("ba3.json")}, "kab-7301");
  ASSERT_EQ(by_file.code, 0) << by_file.err;
  EXPECT_FALSE(std::filesystem::exists(F("kab-7301/ba-drafts/" + id3 + ".json")));

  // In kab-7301's console (restarted on plain HTTP on loopback with
  // --console): the pending draft listed; an approver's account may not
  // withdraw it, an operator's may.
  const std::string id4 = DraftOnKabupaten(
      "ba4", "id_kpm,lembaga_bayar,amount\nTEST-KPM-4,BANK-A,375000\n", "800/4/T", "2026-02-22");
  ASSERT_TRUE(ValidDraftId(id4)) << id4;
  const uint16_t port = RestartWithConsole("kab-7301", {{"ops", "operator"}, {"appr", "approver"}});
  auto ops = testing::ConsoleSignIn(port, "ops", "console password");
  auto appr = testing::ConsoleSignIn(port, "appr", "console password");
  ASSERT_FALSE(ops.cookie.empty());
  ASSERT_FALSE(appr.cookie.empty());
  auto listed = testing::Exchange(port, "GET", "/jejak/v1/console/drafts", {appr.cookie}).Json();
  ASSERT_EQ(listed["drafts"].size(), 1u) << listed.dump();
  EXPECT_EQ(listed["drafts"][0]["id"], id4);
  EXPECT_EQ(listed["drafts"][0]["threshold"], 2);
  EXPECT_EQ(listed["may_sign"], true);
  EXPECT_EQ(listed["may_submit"], false);
  auto detail =
      testing::Exchange(port, "GET", "/jejak/v1/console/drafts/" + id4, {appr.cookie}).Json();
  EXPECT_EQ(detail["records"].size(), 1u);
  EXPECT_FALSE(detail["signing_bytes"].get<std::string>().empty());
  const std::string withdraw = "/jejak/v1/console/drafts/" + id4 + "/withdraw";
  EXPECT_EQ(
      testing::Exchange(port, "POST", withdraw, {appr.cookie, "X-Jejak-Csrf: " + appr.csrf}).status,
      403);
  EXPECT_EQ(testing::Exchange(port, "POST", withdraw, {ops.cookie}).status, 403);  // no CSRF token
  EXPECT_EQ(
      testing::Exchange(port, "POST", withdraw, {ops.cookie, "X-Jejak-Csrf: " + ops.csrf}).status,
      200);
  EXPECT_FALSE(std::filesystem::exists(F("kab-7301/ba-drafts/" + id4 + ".json")));
  EXPECT_TRUE(testing::Exchange(port, "GET", "/jejak/v1/console/drafts", {ops.cookie})
                  .Json()["drafts"]
                  .empty());
  EXPECT_NE(testing::ReadBinary(F("kab-7301.serve.err")).find("console: ops withdrew draft " + id4),
            std::string::npos);
}

}  // namespace
}  // namespace jejak
