// `jejak trail` end to end through the real binary: a family's records in the
// auditor's replicas, named by identifier (with the program key) or by
// pseudonym, with proof files `jejak proof verify` accepts; the same trail
// through a running node, which is sent only the pseudonym; no identifier in
// any output without --reveal; refusals.
#include "tests/cli/pkh_cli_world.h"

#include "crypto/encoding.h"
#include "crypto/pseudonym.h"

namespace jejak::cli_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class TrailCli : public PkhCliWorld {
 protected:
  std::string PseudonymOf(const std::string& id) {
    auto key = ParseProgramKeyFile(ReadBinary(W("program.key")));
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return key.ok() ? HexEncode(KpmPseudonym(*key, id)) : "";
  }
  std::vector<std::string> Trail(std::vector<std::string> args) {
    std::vector<std::string> out = {"trail"};
    out.insert(out.end(), args.begin(), args.end());
    for (const char* a : {"--as-of", "2026-04-01"}) out.emplace_back(a);
    return out;
  }
};

TEST_F(TrailCli, AFamilyNamedByItsIdentifierShowsItsRecordsWithProofsThatVerify) {
  const std::string proofs = s_ + "/proofs";
  Outcome r = Ok(Trail({W("auditor"), "--kpm", "TEST-KPM-1", "--program-key", W("program.key"),
                        "--lang", "en", "--proofs-dir", proofs}));
  EXPECT_THAT(r.out, StartsWith("FAMILY TRAIL\nKPM (pseudonym): " + PseudonymOf("TEST-KPM-1")));
  for (const char* s : {"2026-01-10  data update", "2026-02-20  approval (berita acara)",
                        "2026-03-05T10:15:00+07:00  disbursement", "txn ref: BRI-1",
                        "document number: 800/12/DINSOS/II/2026", "amount: Rp 1,850,000",
                        "family status then: active", "log: jejak.pkh/kab/7306 #"}) {
    EXPECT_THAT(r.out, HasSubstr(s)) << r.out;
  }
  // The other families' records are not in it, nor any identifier.
  EXPECT_THAT(r.out, Not(HasSubstr("BRI-2")));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("TEST-KPM")));
  // One proof file per record, each verified offline with the registry.
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(proofs)) {
    ++files;
    EXPECT_THAT(r.out, HasSubstr("proof: " + entry.path().string()));
    Outcome v = Ok({"proof", "verify", entry.path().string(), "--governance", W("auditor")});
    EXPECT_THAT(v.out, StartsWith("verified: leaf "));
    EXPECT_THAT(v.out, HasSubstr("pseudonym: " + PseudonymOf("TEST-KPM-1")));
  }
  EXPECT_EQ(files, 3u);  // the update, the approval, the receipt

  // In Bahasa Indonesia.
  Outcome id = Ok(Trail({W("auditor"), "--pseudonym", PseudonymOf("TEST-KPM-1"), "--lang", "id"}));
  for (const char* s : {"JEJAK KPM", "pemutakhiran data", "penetapan (berita acara)", "penyaluran",
                        "jumlah: Rp 1.850.000", "status KPM pada tanggal itu: active", "TEMUAN"}) {
    EXPECT_THAT(id.out, HasSubstr(s)) << id.out;
  }
}

TEST_F(TrailCli, TheIdentifierIsShownOnlyWithTheSourceList) {
  Outcome r = Ok(Trail({W("auditor"), "--pseudonym", PseudonymOf("TEST-KPM-2"), "--reveal",
                        W("updates.csv"), "--program-key", W("program.key"), "--format", "json"}));
  EXPECT_THAT(r.out, HasSubstr("\"id_kpm\": \"TEST-KPM-2\""));
  EXPECT_THAT(r.out, Not(HasSubstr("TEST-KPM-1")));
  // A list without the family reveals nothing, and says so.
  Write("other.csv", "id_kpm\nTEST-KPM-3\n");
  Outcome none = Ok(Trail({W("auditor"), "--pseudonym", PseudonymOf("TEST-KPM-2"), "--reveal",
                           s_ + "/other.csv", "--program-key", W("program.key")}));
  EXPECT_THAT(none.out, Not(HasSubstr("id_kpm")));
  EXPECT_THAT(none.err, HasSubstr("--reveal: the list holds no identifier of this family"));
}

TEST_F(TrailCli, ARunningNodeGivesTheSameTrailAndIsSentOnlyThePseudonym) {
  const std::string hex = PseudonymOf("TEST-KPM-1");
  // From the folder first (its indexes are caught up), then while served.
  const std::string folder =
      Ok(Trail({W("auditor"), "--pseudonym", hex, "--format", "json", "--proofs-dir", s_ + "/a"}))
          .out;
  ServedNode node(W("auditor"), s_);
  ASSERT_FALSE(node.url().empty());
  Outcome served = Ok(Trail({"--node", node.url(), "--kpm", "TEST-KPM-1", "--program-key",
                             W("program.key"), "--format", "json", "--proofs-dir", s_ + "/b"}));
  std::string expected = folder;
  for (size_t at; (at = expected.find(s_ + "/a/")) != std::string::npos;) {
    expected.replace(at, s_.size() + 3, s_ + "/b/");
  }
  EXPECT_EQ(served.out, expected);
  // The node saw a pseudonym, never the identifier.
  EXPECT_THAT(ReadBinary(s_ + "/serve-auditor.out") + ReadBinary(s_ + "/serve-auditor.out.err"),
              Not(HasSubstr("TEST-KPM")));
  Outcome bad = J({"trail", "--node", node.url(), "--pseudonym", hex, "--stage", "2031-T9"});
  EXPECT_EQ(bad.code, 2) << Describe(bad);
  EXPECT_THAT(bad.err, HasSubstr("the node refused it (HTTP 409)"));
}

TEST_F(TrailCli, RefusalsNameWhatIsWrong) {
  auto refused = [&](const std::vector<std::string>& args, const std::string& what) {
    Outcome r = J(args);
    EXPECT_EQ(r.code, 2) << Describe(r);
    EXPECT_THAT(r.err, HasSubstr(what)) << Describe(r);
    EXPECT_EQ(r.out, "");
  };
  refused({"trail", W("auditor")}, "either --kpm ID (and --program-key) or --pseudonym P");
  refused({"trail", W("auditor"), "--kpm", "TEST-KPM-1"}, "--kpm needs --program-key FILE");
  refused({"trail", W("auditor"), "--pseudonym", "1234"},
          "--pseudonym must be a pseudonym of 32 lowercase hex digits");
  refused({"trail", "--pseudonym", PseudonymOf("TEST-KPM-1")},
          "give either a node folder or --node URL");
  refused({"trail", W("auditor"), "--pseudonym", PseudonymOf("TEST-KPM-1"), "--format", "pdf"},
          "--format is text (default) or json");
  refused({"trail", W("auditor"), "--pseudonym", PseudonymOf("TEST-KPM-1"), "--reveal", "x.csv"},
          "--reveal needs --program-key FILE");
  refused({"trail", W("auditor"), "--pseudonym", PseudonymOf("TEST-KPM-1"), "--stage", "T1"},
          "stage");
}

}  // namespace
}  // namespace jejak::cli_test
