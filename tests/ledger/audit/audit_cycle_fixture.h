// The fixture of the tests of the rest of the cycle (AuditCycle): the audit
// world with a targeting key granted and helpers that import target lists,
// verifications, complaints and responses into the kabupaten's log.
#pragma once

#include "tests/ledger/audit/audit_fixture.h"

#include "ledger/pkh/governance_statements.h"

namespace jejak::audit_test {

constexpr uint8_t kTargetingKeyByte = 0x51;
constexpr uint8_t kOtherTargetingKeyByte = 0x52;

class AuditCycle : public Audit {
 protected:
  AuditCycle()
      : targeting_(testing::KeyFromByte(kTargetingKeyByte)),
        other_targeting_(testing::KeyFromByte(kOtherTargetingKeyByte)) {}

  void SetUp() override {
    Audit::SetUp();
    ASSERT_TRUE(IsOk(
        Gov(kTypeGovGrant,
            {KeyGrant{targeting_.public_key(), "kemensos/targeting-73", Role::kTargeting, {"73"}},
             KeyGrant{other_targeting_.public_key(),
                      "kemensos/targeting-7404",
                      Role::kTargeting,
                      {"7404"}}})));
    ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  }

  // A gov.policy for the kabupaten, delivered to it.
  void Policy(const PolicyOptions& options) {
    auto policy = MakeApprovalPolicy(options, kKabRegion);
    ASSERT_TRUE(IsOk(policy));
    ASSERT_TRUE(IsOk(Gov(kTypeGovPolicy, {*policy})));
    ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  }

  Result<ImportReport> Import(ImportFile kind, const std::string& csv, const SigningKey& key,
                              const BnbaList* list = nullptr) {
    const std::string file = WriteFile(fmt::format("c{}.csv", files_++), csv);
    ImportSigning signing;
    signing.key = &key;
    return ImportFileOf(*kab_.pkh, kind, file, list, signing, program_key_);
  }
  void List(const std::string& list_id, uint16_t year, std::initializer_list<std::string> ids) {
    std::string csv = "id_kpm,kabupaten\n";
    for (const std::string& id : ids) csv += id + "," + kKabRegion + "\n";
    const BnbaList list{list_id, year};
    ASSERT_TRUE(IsOk(Import(ImportFile::kBnba, csv, targeting_, &list)));
  }
  // Rows "verification_id,id_kpm,month,commitment,result,verified_on,facility_code".
  void Verifications(std::initializer_list<std::string> rows) {
    std::string csv = "verification_id,id_kpm,month,commitment,result,verified_on,facility_code\n";
    for (const std::string& r : rows) csv += r + "\n";
    ASSERT_TRUE(IsOk(Import(ImportFile::kVerifications, csv, operator_)));
  }
  // Rows "complaint_id,id_kpm,stage,category,channel,received_at,evidence_sha256".
  void Complaints(std::initializer_list<std::string> rows) {
    std::string csv = "complaint_id,id_kpm,stage,category,channel,received_at,evidence_sha256\n";
    for (const std::string& r : rows) csv += r + "\n";
    ASSERT_TRUE(IsOk(Import(ImportFile::kComplaints, csv, operator_)));
  }
  // Rows "response_id,complaint_id,responded_at,action".
  void Responses(std::initializer_list<std::string> rows) {
    std::string csv = "response_id,complaint_id,responded_at,action\n";
    for (const std::string& r : rows) csv += r + "\n";
    ASSERT_TRUE(IsOk(Import(ImportFile::kComplaintResponses, csv, operator_)));
  }
  // Three not_met months (of 2025-11, 2025-12, 2026-01) for `id`, p2k2.
  std::string Check(const std::string& vid, const std::string& id, const std::string& month,
                    const std::string& result, const std::string& commitment = "p2k2") {
    return fmt::format("{},{},{},{},{},{}-15,", vid, id, month, commitment, result, month);
  }

  // A target list statement appended past PkhNode's judging, signed by `key`.
  void SmuggleList(const std::string& list_id, const std::vector<std::string>& ids,
                   const SigningKey& key) {
    StatementHeader h = kab_.pkh->NewHeader(kTypeBnba);
    h.document_number = list_id;
    h.document_year = 2026;
    h.regions = {kKabRegion};
    std::vector<Bytes> leaves;
    for (const std::string& id : ids) {
      auto leaf = EncodePkhRecord(BnbaEntry{Kpm(id), kKabRegion});
      ASSERT_TRUE(IsOk(leaf));
      leaves.push_back(*leaf);
    }
    PreparedStatement p = PrepareStatement(h, leaves);
    SignStatement(p.statement, key);
    ASSERT_TRUE(IsOk(AppendStatement(kab_.pkh->writer(), p)));
  }

  std::vector<std::string> Of(const AuditReport& r, FindingType type) {
    std::vector<std::string> out;
    for (const std::string& n : Names(r)) {
      if (n.starts_with(std::string(FindingTypeName(type)) + " ") || n == FindingTypeName(type)) {
        out.push_back(n);
      }
    }
    return out;
  }

  SigningKey targeting_, other_targeting_;
};

}  // namespace jejak::audit_test
