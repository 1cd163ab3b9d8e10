// The world of the PKH command-line tests (PkhCliWorld), built once per
// suite through the real `jejak` binary, and a node served from a folder
// (ServedNode). Shared by documents_cli_test and trail_cli_test.
#pragma once

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace jejak::cli_test {

namespace fs = std::filesystem;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::WriteBinary;

using Outcome = ::jejak::testing::ProcessOutcome;

inline constexpr char kPassphrase[] = "pkh cli passphrase";

inline std::string Describe(const Outcome& r) {
  return fmt::format("exit {}\n--- stdout\n{}--- stderr\n{}", r.code, r.out, r.err);
}

inline Outcome RunTool(const std::string& binary, const std::vector<std::string>& args,
                       const std::string& scratch) {
  return ::jejak::testing::RunProcess(binary, args, {{"JEJAK_PASSPHRASE", kPassphrase}}, scratch);
}

inline std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

inline constexpr char kIndexCsv[] =
    "component,amount_per_stage,max_members\n"
    "ibu_hamil,750000,2\nanak_usia_dini,750000,2\nsd,225000,4\nsmp,375000,4\nsma,500000,4\n"
    "disabilitas_berat,600000,4\nlansia,600000,4\n";
inline constexpr char kUpdates[] =
    "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
    "disabilitas_berat,lansia,evidence_sha256\n"
    "U-1,TEST-KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n"
    "U-2,TEST-KPM-2,2026-01-10,active,1,0,2,1,1,0,0,\n"
    "U-3,TEST-KPM-3,2026-01-10,active,1,0,0,0,0,0,0,\n";
inline constexpr char kBaCsv[] =
    "id_kpm,lembaga_bayar,amount\nTEST-KPM-1,BRI,1850000\n"
    "TEST-KPM-2,BRI,1850000\nTEST-KPM-3,POS,750000\n";

inline constexpr char kReceipts[] =
    "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n"
    "BRI-1,TEST-KPM-1,7306,2026-T1,1850000,paid,2026-03-05T10:15:00+07:00,kks\n"
    "BRI-2,TEST-KPM-2,7306,2026-T1,1850000,failed,2026-03-06,rekening\n";

// Built once: a kemensos node, a lembaga bayar (BRI) with two receipts, an
// auditor holding every log, and kabupaten 7306 with a berita acara of
// three families (two paid by BRI, one by POS) signed by two approvers and
// submitted: leaf 4 of the kabupaten's log is its statement.
class PkhCliWorld : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new std::string(MakeTempFolder("pkh-cli-world"));
    const std::string& w = *world_;
    auto ok = [&](const std::vector<std::string>& args) {
      Outcome r = RunTool(JEJAK_BINARY, args, w);
      EXPECT_EQ(r.code, 0) << fmt::format("jejak {}\n", fmt::join(args, " ")) << Describe(r);
      return r;
    };
    ok({"program-key", "new", "--out", w + "/program.key"});
    ok({"init", w + "/kemensos", "--kind", "kemensos", "--name", "Kemensos", "--region", "00"});
    const std::string gov_key = FirstLine(ok({"key", "show", w + "/kemensos"}).out);
    ok({"init", w + "/kab", "--kind", "kabupaten", "--name", "Dinas Sosial Kabupaten Gowa",
        "--region", "7306", "--governance", gov_key, "--program-key", w + "/program.key"});
    ok({"init", w + "/bank", "--kind", "lembaga-bayar", "--name", "Bank Rakyat Indonesia",
        "--region", "00", "--governance", gov_key, "--program-key", w + "/program.key"});
    for (const char* k : {"operator", "approver-a", "approver-b", "payer"}) {
      ok({"key", "new", "--out", w + "/" + k + ".key", "--name", std::string("dinsos/") + k});
    }
    const std::string bank_key = FirstLine(ok({"key", "show", w + "/bank"}).out);
    ok({"registry", "add-node", w + "/kemensos", "--name", "Bank Rakyat Indonesia", "--kind",
        "lembaga-bayar", "--region", "00", "--key", bank_key});
    ok({"registry", "grant", w + "/kemensos", "--key", w + "/payer.key", "--role", "payer",
        "--scope", "7306", "--institution", bank_key.substr(0, bank_key.find('+'))});
    ok({"registry", "add-node", w + "/kemensos", "--name", "Dinas Sosial Kabupaten Gowa", "--kind",
        "kabupaten", "--region", "7306", "--key", FirstLine(ok({"key", "show", w + "/kab"}).out)});
    ok({"registry", "grant", w + "/kemensos", "--key", w + "/operator.key", "--role", "operator",
        "--scope", "7306"});
    for (const char* k : {"approver-a", "approver-b"}) {
      ok({"registry", "grant", w + "/kemensos", "--key", w + "/" + k + ".key", "--role", "approver",
          "--scope", "7306"});
    }
    ok({"stage", "open", w + "/kemensos", "--stage", "2026-T1", "--from", "2026-03-01", "--to",
        "2026-03-14"});
    EXPECT_TRUE(WriteBinary(w + "/index.csv", kIndexCsv));
    ok({"index", "set", w + "/kemensos", "--year", "2026", "--max-components", "4",
        w + "/index.csv"});
    ok({"export", w + "/kemensos", "--out", w + "/gov-tiles"});
    ok({"pull", w + "/kab", "--from", w + "/gov-tiles"});
    ok({"pull", w + "/bank", "--from", w + "/gov-tiles"});
    EXPECT_TRUE(WriteBinary(w + "/updates.csv", kUpdates));
    ok({"import", "updates", w + "/kab", w + "/updates.csv", "--key", w + "/operator.key"});
    EXPECT_TRUE(WriteBinary(w + "/ba.csv", kBaCsv));
    ok({"ba", "draft", w + "/kab", "--stage", "2026-T1", "--date", "2026-02-20", "--number",
        "800/12/DINSOS/II/2026", w + "/ba.csv", "--out", w + "/BA.json"});
    ok({"ba", "sign", w + "/BA.json", "--key", w + "/approver-a.key"});
    ok({"ba", "sign", w + "/BA.json", "--key", w + "/approver-b.key"});
    ok({"ba", "submit", w + "/kab", w + "/BA.json"});
    EXPECT_TRUE(WriteBinary(w + "/receipts.csv", kReceipts));
    ok({"import", "receipts", w + "/bank", w + "/receipts.csv", "--key", w + "/payer.key"});
    ok({"init", w + "/auditor", "--kind", "auditor", "--name", "BPK", "--region", "00",
        "--governance", gov_key});
    ok({"export", w + "/kemensos", "--out", w + "/gov-tiles"});
    ok({"export", w + "/kab", "--out", w + "/kab-tiles"});
    ok({"export", w + "/bank", "--out", w + "/bank-tiles"});
    for (const char* tiles : {"/gov-tiles", "/kab-tiles", "/bank-tiles"}) {
      ok({"pull", w + "/auditor", "--from", w + tiles});
    }
  }
  static void TearDownTestSuite() {
    if (world_ != nullptr) RemoveFolder(*world_);
    delete world_;
    world_ = nullptr;
  }
  void SetUp() override { s_ = MakeTempFolder("pkh-cli"); }
  void TearDown() override { RemoveFolder(s_); }

  static std::string W(const std::string& name) { return *world_ + "/" + name; }
  Outcome J(const std::vector<std::string>& args) { return RunTool(JEJAK_BINARY, args, s_); }
  Outcome Ok(const std::vector<std::string>& args) {
    Outcome r = J(args);
    EXPECT_EQ(r.code, 0) << fmt::format("jejak {}\n", fmt::join(args, " ")) << Describe(r);
    return r;
  }
  std::string KabKey() { return FirstLine(Ok({"key", "show", W("kab")}).out); }
  // A file in the test's scratch folder; its path.
  std::string Write(const std::string& name, const std::string& text) {
    EXPECT_TRUE(WriteBinary(s_ + "/" + name, text));
    return s_ + "/" + name;
  }
  static inline std::string* world_ = nullptr;
  std::string s_;
};

// `jejak serve NODE --insecure-http` on a free loopback port, until the
// fixture ends it; url() is where it listens.
class ServedNode {
 public:
  ServedNode(const std::string& node, const std::string& scratch)
      : out_(scratch + "/serve-" + fs::path(node).filename().string() + ".out") {
    pid_ = ::jejak::testing::SpawnProcess(
        JEJAK_BINARY, {"serve", node, "--listen", "127.0.0.1:0", "--insecure-http"},
        {{"JEJAK_PASSPHRASE", kPassphrase}}, "/dev/null", out_, out_ + ".err");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = ReadBinary(out_);
      if (const size_t at = text.find(" at http://"); at != std::string::npos) {
        url_ = FirstLine(text.substr(at + 4));
        if (!url_.empty() && text.find('\n', at) != std::string::npos) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~ServedNode() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  const std::string& url() const { return url_; }

 private:
  std::string out_, url_;
  pid_t pid_ = -1;
};

}  // namespace jejak::cli_test
