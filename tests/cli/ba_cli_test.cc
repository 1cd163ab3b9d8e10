// `jejak ba` end to end through the real binary: a kemensos node and a
// kabupaten node set up with the CLI (registry, stage, index, export, pull,
// import), then a berita acara drafted, signed by two approvers, shown and
// submitted, exactly as the commands are written in the issue.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/pkh/node_folder.h"
#include "tests/test_support.h"

extern char** environ;

namespace jejak {
namespace {

using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::WriteBinary;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kPassphrase[] = "ba cli test passphrase";
constexpr char kNumber[] = "800/2128/DINSOS.B/XI/2023";

using Outcome = ::jejak::testing::ProcessOutcome;

std::string Describe(const Outcome& r) {
  return fmt::format("exit {}\n--- stdout\n{}--- stderr\n{}", r.code, r.out, r.err);
}

// Runs `jejak args...` in a new session with JEJAK_PASSPHRASE set and no
// other JEJAK_* variable (as tests/cli/cli_test.cc does).
Outcome Jejak(const std::vector<std::string>& args, const std::string& scratch) {
  return ::jejak::testing::RunProcess(JEJAK_BINARY, args, {{"JEJAK_PASSPHRASE", kPassphrase}},
                                      scratch);
}

void ExpectOneLineError(const Outcome& r, std::string_view part) {
  EXPECT_EQ(r.code, 2) << Describe(r);
  EXPECT_THAT(r.err, StartsWith("jejak: ")) << Describe(r);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr(std::string(part))) << Describe(r);
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

class BaCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    d_ = MakeTempFolder("ba-cli");
    Ok({"program-key", "new", "--out", d_ + "/program.key"});
    Ok({"init", kem(), "--kind", "kemensos", "--name", "Kemensos", "--region", "00"});
    const std::string kem_key = FirstLine(Ok({"key", "show", kem()}).out);
    Ok({"init", kab(), "--kind", "kabupaten", "--name", "Dinsos Gowa", "--region", "7306",
        "--governance", kem_key, "--program-key", d_ + "/program.key"});
    const std::string kab_key = FirstLine(Ok({"key", "show", kab()}).out);
    for (const char* k : {"operator", "approver-a", "approver-b"}) {
      Ok({"key", "new", "--out", d_ + "/" + k + ".key", "--name", std::string("kab-7306/") + k});
    }
    Ok({"registry", "add-node", kem(), "--name", "Dinsos Gowa", "--kind", "kabupaten", "--region",
        "7306", "--key", kab_key});
    Ok({"registry", "grant", kem(), "--key", d_ + "/operator.key", "--role", "operator", "--scope",
        "7306"});
    for (const char* k : {"approver-a", "approver-b"}) {
      Ok({"registry", "grant", kem(), "--key", d_ + "/" + k + ".key", "--role", "approver",
          "--scope", "7306"});
    }
    Ok({"stage", "open", kem(), "--stage", "2026-T1", "--from", "2026-03-01", "--to",
        "2026-03-31"});
    ASSERT_TRUE(WriteBinary(d_ + "/index.csv",
                            "component,amount_per_stage,max_members\n"
                            "ibu_hamil,750000,2\nanak_usia_dini,750000,2\nsd,225000,4\n"
                            "smp,375000,4\nsma,500000,4\ndisabilitas_berat,600000,4\n"
                            "lansia,600000,4\n"));
    Ok({"index", "set", kem(), "--year", "2026", "--max-components", "4", d_ + "/index.csv"});
    Ok({"export", kem(), "--out", d_ + "/gov-tiles"});
    Ok({"pull", kab(), "--from", d_ + "/gov-tiles"});
    ASSERT_TRUE(WriteBinary(d_ + "/updates.csv",
                            "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,"
                            "smp,sma,disabilitas_berat,lansia,evidence_sha256\n"
                            "u1,KPM-TEST-0001,2026-01-10,active,1,0,2,1,1,0,0,\n"
                            "u2,KPM-TEST-0002,2026-01-10,deceased,0,0,1,0,0,0,0,\n"
                            "u3,KPM-TEST-0003,2026-01-10,active,1,0,0,0,0,0,0,\n"));
    Ok({"import", "updates", kab(), d_ + "/updates.csv", "--key", d_ + "/operator.key"});
  }
  void TearDown() override { RemoveFolder(d_); }

  std::string kem() const { return d_ + "/kemensos"; }
  std::string kab() const { return d_ + "/kab"; }
  Outcome J(const std::vector<std::string>& args) { return Jejak(args, d_); }
  Outcome Ok(const std::vector<std::string>& args) {
    Outcome r = J(args);
    EXPECT_EQ(r.code, 0) << fmt::format("jejak {}\n", fmt::join(args, " ")) << Describe(r);
    return r;
  }

  std::string d_;
};

TEST_F(BaCliTest, DraftSignShowSubmit) {
  ASSERT_TRUE(WriteBinary(d_ + "/ba.csv",
                          "id_kpm,lembaga_bayar,amount\nKPM-TEST-0001,BRI,1850000\n"
                          "KPM-TEST-0002,BNI,225000\nKPM-TEST-0003,POS,700000\n"));
  Outcome draft = J({"ba", "draft", kab(), "--stage", "2026-T1", "--date", "2026-02-20", "--number",
                     kNumber, d_ + "/ba.csv", "--out", d_ + "/BA.json"});
  ASSERT_EQ(draft.code, 0) << Describe(draft);
  const std::string prefix =
      "berita acara 800/2128/DINSOS.B/XI/2023 for 2026-T1: 3 rows, total Rp 2,775,000, records "
      "root ";
  ASSERT_THAT(FirstLine(draft.out), StartsWith(prefix));
  const std::string root = FirstLine(draft.out).substr(prefix.size());
  EXPECT_EQ(draft.err,
            "warning: line 3: the KPM's status on 2026-02-20 is deceased, not active (the audit "
            "reports APPROVED_INELIGIBLE)\n"
            "warning: line 4: amount Rp 700,000 differs from the entitlement Rp 750,000 under the "
            "2026 benefit index (the audit reports ENTITLEMENT_MISMATCH)\n");
  const std::string text = ReadBinary(d_ + "/BA.json");
  for (const char* id : {"KPM-TEST-0001", "KPM-TEST-0002", "KPM-TEST-0003"}) {
    EXPECT_THAT(text, Not(HasSubstr(id)));
  }

  Outcome s1 = J({"ba", "sign", d_ + "/BA.json", "--key", d_ + "/approver-a.key"});
  ASSERT_EQ(s1.code, 0) << Describe(s1);
  EXPECT_THAT(s1.out, HasSubstr("as kab-7306/approver-a ("));
  EXPECT_THAT(s1.out, HasSubstr("; 1 signature now"));
  ExpectOneLineError(J({"ba", "sign", d_ + "/BA.json", "--key", d_ + "/approver-a.key"}),
                     "already signed by this key (kab-7306/approver-a");
  ExpectOneLineError(J({"ba", "submit", kab(), d_ + "/BA.json"}),
                     "the berita acara was not appended: berita acara signed by 1 distinct "
                     "approvers; region 7306 needs 2");
  Ok({"ba", "sign", d_ + "/BA.json", "--key", d_ + "/approver-b.key"});

  Outcome show = J({"ba", "show", d_ + "/BA.json", "--node", kab()});
  ASSERT_EQ(show.code, 0) << Describe(show);
  EXPECT_THAT(show.out, StartsWith("berita acara 800/2128/DINSOS.B/XI/2023\n"));
  EXPECT_THAT(show.out, HasSubstr("  records root     " + root + "\n"));
  EXPECT_THAT(show.out, HasSubstr("    2. kab-7306/approver-b "));
  EXPECT_THAT(show.out, HasSubstr("; 2 qualify: ready to submit\n"));

  Outcome submit = J({"ba", "submit", kab(), d_ + "/BA.json"});
  ASSERT_EQ(submit.code, 0) << Describe(submit);
  EXPECT_EQ(submit.out,
            "appended berita acara 800/2128/DINSOS.B/XI/2023 at leaf 4 with 3 approvals; "
            "checkpoint size 8\n");
  ExpectOneLineError(J({"ba", "submit", kab(), d_ + "/BA.json"}),
                     "was already submitted: it is the statement at leaf 4");

  // The statement in the log carries the root the draft printed.
  auto folder = NodeFolder::Open(kab(), StoreMode::kReadOnly);
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  LogReader reader((*folder)->store(), (*folder)->own_log());
  auto leaf = reader.Leaf(4);
  ASSERT_TRUE(leaf.ok());
  auto st = DecodeStatementEntry(*leaf);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(Base64Encode(st->header.records_root), root);
  EXPECT_EQ(st->header.document_number, kNumber);
  EXPECT_EQ(st->signatures.size(), 2u);
}

TEST_F(BaCliTest, RefusesARepeatedKpmAndAChangedFile) {
  ASSERT_TRUE(WriteBinary(d_ + "/dup.csv",
                          "id_kpm,lembaga_bayar,amount\nKPM-TEST-0001,BRI,1850000\n"
                          "KPM-TEST-0003,BNI,750000\nKPM-TEST-0001,BRI,1850000\n"));
  Outcome dup = J({"ba", "draft", kab(), "--stage", "2026-T1", "--date", "2026-02-20", "--number",
                   kNumber, d_ + "/dup.csv", "--out", d_ + "/BA.json"});
  ExpectOneLineError(dup, "dup.csv: line 4 repeats the KPM of line 2");
  EXPECT_THAT(dup.err, Not(HasSubstr("KPM-TEST-0001")));
  EXPECT_FALSE(std::filesystem::exists(d_ + "/BA.json"));

  ASSERT_TRUE(
      WriteBinary(d_ + "/ba.csv", "id_kpm,lembaga_bayar,amount\nKPM-TEST-0003,BNI,750000\n"));
  Ok({"ba", "draft", kab(), "--stage", "2026-T1", "--date", "2026-02-20", "--number", kNumber,
      d_ + "/ba.csv", "--out", d_ + "/BA.json"});
  ExpectOneLineError(J({"ba", "draft", kab(), "--stage", "2026-T1", "--date", "2026-02-20",
                        "--number", kNumber, d_ + "/ba.csv", "--out", d_ + "/BA.json"}),
                     "BA.json exists (it may hold signatures): choose another --out");
  std::string text = ReadBinary(d_ + "/BA.json");
  text.replace(text.find("\"amount\":750000"), 15, "\"amount\":7500000");
  ASSERT_TRUE(WriteBinary(d_ + "/BA.json", text));
  ExpectOneLineError(J({"ba", "show", d_ + "/BA.json"}),
                     "BA.json: total_amount says Rp 750,000 but the records add up to Rp "
                     "7,500,000: the file was changed");
}

}  // namespace
}  // namespace jejak
