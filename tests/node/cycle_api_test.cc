// The rest of the cycle from the CLI (DOMAIN.md, "The rest of the cycle"):
// a Kemensos targeting key signs a target list that the kabupaten node
// appends, through the running node (the key never leaves the client) and
// through the folder; verifications, complaints and responses by the
// operator; the node's refusals; and the audit of what was imported.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/node/node_processes.h"
#include "tests/node/pkh_world.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using testing::PkhApi;
using testing::ServeProcess;
using testing::WriteBinary;

constexpr char kBnba[] =
    "id_kpm,kabupaten\n"
    "TEST-KPM-1,7306\n"
    "TEST-KPM-2,7306\n";
constexpr char kVerifications[] =
    "verification_id,id_kpm,month,commitment,result,verified_on,facility_code\n"
    "V-1,TEST-KPM-1,2026-01,kesehatan,met,2026-01-20,P7306010101\n"
    "V-2,TEST-KPM-2,2026-01,p2k2,not_met,2026-01-30,\n";
constexpr char kComplaints[] =
    "complaint_id,id_kpm,stage,category,channel,received_at,evidence_sha256\n"
    "ADU-1,TEST-KPM-1,2026-T1,tidak_menerima,loket,2026-03-10T09:00:00+07:00,\n"
    "ADU-2,,2026-T1,layanan,whatsapp,2026-03-11T14:30:00+08:00,\n";
constexpr char kResponses[] =
    "response_id,complaint_id,responded_at,action\n"
    "JWB-1,ADU-1,2026-03-11T10:00:00+07:00,answered\n"
    "JWB-2,ADU-2,2026-03-12T09:00:00+08:00,forwarded\n";

class CycleApi : public PkhApi {
 protected:
  void SetUp() override {
    PkhApi::SetUp();
    ASSERT_EQ(J({"key", "new", "--out", K("targeting"), "--name", "kemensos/targeting"}).code, 0);
    auto grant = J({"registry", "grant", s_ + "/gov", "--key", K("targeting"), "--role",
                    "targeting", "--scope", "73"});
    ASSERT_EQ(grant.code, 0) << grant.err;
    auto policy = J({"policy", "set", s_ + "/gov", "--scope", "7306", "--require-bnba", "on",
                     "--complaint-response-hours", "48"});
    ASSERT_EQ(policy.code, 0) << policy.err;
    // The kabupaten node learns the new grant and policy.
    kab_->Stop(SIGTERM);
    ASSERT_EQ(J({"export", s_ + "/gov", "--out", s_ + "/gov-tiles"}).code, 0);
    ASSERT_EQ(J({"pull", s_ + "/kab", "--from", s_ + "/gov-tiles"}).code, 0);
    kab_ = std::make_unique<ServeProcess>(s_ + "/kab", std::vector<std::string>{});
    ASSERT_TRUE(kab_->Start()) << kab_->log();
    for (const auto& [name, text] : {std::pair{"bnba.csv", kBnba},
                                     {"verifications.csv", kVerifications},
                                     {"complaints.csv", kComplaints},
                                     {"responses.csv", kResponses}}) {
      ASSERT_TRUE(WriteBinary(s_ + "/" + name, text));
    }
  }
};

TEST_F(CycleApi, ATargetListIsSignedByTheTargetingKeyAndAppendedByTheKabupatenNode) {
  auto r = AtKab({"import", "bnba", s_ + "/bnba.csv", "--key", K("targeting"), "--year", "2026",
                  "--list", "BNBA/2026/7306"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "imported 2 target list rows as one statement at leaf 0; checkpoint size 3\n");
  auto again = AtKab({"import", "bnba", s_ + "/bnba.csv", "--key", K("targeting"), "--year", "2026",
                      "--list", "BNBA/2026/7306"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, "nothing new: all 2 rows were already present\n");
  // The same list id under another year; an operator's key; a bad list id.
  auto year = AtKab({"import", "bnba", s_ + "/bnba.csv", "--key", K("targeting"), "--year", "2025",
                     "--list", "BNBA/2026/7306"});
  EXPECT_EQ(year.code, 2);
  EXPECT_THAT(year.err, HasSubstr("one year only"));
  auto op = AtKab({"import", "bnba", s_ + "/bnba.csv", "--key", K("operator"), "--year", "2026",
                   "--list", "BNBA-OP"});
  EXPECT_EQ(op.code, 2);
  EXPECT_THAT(op.err, HasSubstr("HTTP 403"));
  auto bad = AtKab({"import", "bnba", s_ + "/bnba.csv", "--key", K("targeting"), "--year", "2026",
                    "--list", "BNBA&phase=commit"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--list must be 1-64 of"));
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), 3u);
}

TEST_F(CycleApi, VerificationsComplaintsAndResponsesThroughTheNodeAndTheFolder) {
  for (const auto& [kind, file, out] :
       {std::tuple{"verifications", "verifications.csv", "imported 2 verifications"},
        std::tuple{"complaints", "complaints.csv", "imported 2 complaints"},
        std::tuple{"complaint-responses", "responses.csv", "imported 2 complaint responses"}}) {
    auto r = AtKab({"import", kind, s_ + "/" + file, "--key", K("operator")});
    ASSERT_EQ(r.code, 0) << kind << ": " << r.err;
    EXPECT_THAT(r.out, HasSubstr(out));
  }
  // A response to a complaint the log does not hold: named by line and
  // column, nothing appended.
  ASSERT_TRUE(WriteBinary(s_ + "/orphan.csv",
                          "response_id,complaint_id,responded_at,action\n"
                          "JWB-9,ADU-404,2026-03-11T10:00:00+07:00,answered\n"));
  const uint64_t size = OwnSize(kab_->url(), kab_key_);
  auto orphan =
      AtKab({"import", "complaint-responses", s_ + "/orphan.csv", "--key", K("operator")});
  EXPECT_EQ(orphan.code, 2);
  EXPECT_THAT(orphan.err, HasSubstr("orphan.csv line 2 column 2 (complaint_id)"));
  EXPECT_THAT(orphan.err, HasSubstr("nothing was appended"));
  EXPECT_EQ(OwnSize(kab_->url(), kab_key_), size);

  // Through the folder once the node is stopped; then the audit of the stage.
  kab_->Stop(SIGTERM);
  ASSERT_TRUE(WriteBinary(s_ + "/late.csv",
                          "response_id,complaint_id,responded_at,action\n"
                          "JWB-3,ADU-2,2026-03-20T09:00:00+08:00,answered\n"));
  auto folder =
      J({"import", "complaint-responses", s_ + "/kab", s_ + "/late.csv", "--key", K("operator")});
  ASSERT_EQ(folder.code, 0) << folder.err;
  EXPECT_THAT(folder.out, HasSubstr("imported 1 complaint response as one statement"));
  auto audit =
      J({"audit", s_ + "/kab", "--stage", "2026-T1", "--as-of", "2026-04-01", "--format", "csv"});
  ASSERT_EQ(audit.code, 0) << audit.err;
  // ADU-2 was forwarded in time and answered after its 48 hours.
  EXPECT_THAT(audit.out, HasSubstr("COMPLAINT_UNANSWERED,2026-T1,7306,,,ADU-2,"));
  EXPECT_EQ(audit.out.find("ADU-1"), std::string::npos);
  auto text = J({"audit", s_ + "/kab", "--stage", "2026-T1", "--as-of", "2026-04-01"});
  EXPECT_THAT(text.out, HasSubstr("COMPLAINTS OF THE STAGE"));
}

}  // namespace
}  // namespace jejak
