// The governance history the governance and statement-rule tests start from
// (GovernanceTest), and helpers to build registrations, grants and
// statements.
#pragma once

#include "ledger/pkh/governance.h"
#include "ledger/pkh/statement_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/note.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/log/merkle.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "ledger/pkh/records.h"
#include "tests/test_support.h"

namespace jejak::governance_test {

using ::jejak::testing::HasStatus;
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::RemoveFolder;
using ::testing::HasSubstr;

inline constexpr char kGovOrigin[] = "jejak.pkh/kemensos";
inline constexpr char kKab7306[] = "jejak.pkh/kab/7306";
inline constexpr char kKab7371[] = "jejak.pkh/kab/7371";
inline constexpr char kKab7404[] = "jejak.pkh/kab/7404";
inline constexpr char kBri[] = "jejak.pkh/bayar/bri";
inline constexpr char kStage[] = "2026-T1";
inline constexpr int64_t kTimestamp = 1'770'000'000'000;

using Signers = std::vector<const SigningKey*>;

inline ::testing::AssertionResult Denied(const Status& s, std::string_view part) {
  return HasStatus(s, StatusCode::kPermissionDenied, part);
}

// "key <base64>": how messages name a key that holds no named grant.
inline std::string UnnamedKey(const SigningKey& key) {
  return "key " + Base64Encode(key.public_key());
}

inline NodeRegistration Node(const std::string& origin, const std::string& kind,
                             const std::string& region, uint8_t key_byte,
                             const std::string& url = "") {
  return NodeRegistration{
      origin,
      "Node " + region,
      *ParseNodeKind(kind),
      region,
      NoteVerifierKey::ForEd25519(origin, KeyFromByte(key_byte).public_key()).ToString(),
      url.empty() ? "https://" + region + ".jejak.example" : url};
}

inline KeyGrant Grant(const SigningKey& key, std::string name, Role role,
                      std::vector<std::string> scope, std::string institution = "") {
  return KeyGrant{key.public_key(), std::move(name), role, std::move(scope),
                  std::move(institution)};
}

inline KeyRevocation Revoke(const SigningKey& key) { return KeyRevocation{key.public_key()}; }

inline StageWindow Window(std::string stage, std::string from, std::string to) {
  return StageWindow{std::move(stage), std::move(from), std::move(to)};
}

inline ApprovalPolicy Policy(uint16_t threshold, std::string scope) {
  return ApprovalPolicy{threshold, std::move(scope)};
}

// A valid index whose SD amount tells two versions apart.
inline BenefitIndex IndexFor(uint16_t year, uint64_t sd_amount) {
  BenefitIndex index;
  index.year = year;
  index.max_components = 4;
  index.rates[static_cast<size_t>(Component::kIbuHamil)] = {true, 750'000, 2};
  index.rates[static_cast<size_t>(Component::kSd)] = {true, sd_amount, 4};
  return index;
}

inline std::vector<Bytes> RecordLeaves(const std::vector<PkhRecord>& records) {
  std::vector<Bytes> leaves;
  for (const PkhRecord& r : records) {
    auto leaf = EncodePkhRecord(r);
    EXPECT_TRUE(leaf.ok()) << leaf.status().ToString();
    leaves.push_back(leaf.ok() ? *leaf : Bytes{});
  }
  return leaves;
}

inline Statement Signed(StatementHeader header, const Signers& signers) {
  Statement st;
  st.header = std::move(header);
  for (const SigningKey* k : signers) SignStatement(st, *k);
  return st;
}

// A governance statement as the Kemensos log holds it: record count and
// records root computed from the record leaves.
inline Statement GovStatement(std::string_view type, uint64_t g,
                              const std::vector<PkhRecord>& records, const Signers& signers) {
  StatementHeader h;
  h.origin = kGovOrigin;
  h.type = std::string(type);
  h.timestamp_ms = kTimestamp;
  h.governance_size = g;
  std::vector<Hash> hashes;
  for (const Bytes& leaf : RecordLeaves(records)) hashes.push_back(LeafHash(leaf));
  h.record_count = records.size();
  h.records_root = RootOfLeafHashes(hashes);
  return Signed(std::move(h), signers);
}

inline StatementHeader LogHeader(const std::string& origin, std::string_view type, uint64_t g) {
  StatementHeader h;
  h.origin = origin;
  h.type = std::string(type);
  h.timestamp_ms = kTimestamp;
  h.governance_size = g;
  return h;
}

// Keys of the governance history every test starts from.
class GovernanceTest : public ::testing::Test {
 protected:
  // Sizes of the baseline history: nodes [0,4), grants [4,13), stage
  // [13,15), the registrar's registration of kabupaten 7306 [15,17).
  static constexpr uint64_t kAfterNodes = 4;
  static constexpr uint64_t kAfterGrants = 13;
  static constexpr uint64_t kAfterStage = 15;
  static constexpr uint64_t kBaseline = 17;

  GovernanceTest()
      : root_(KeyFromByte(1)),
        reg73_(KeyFromByte(2)),
        reg74_(KeyFromByte(3)),
        op7306_(KeyFromByte(4)),
        op7404_(KeyFromByte(5)),
        appr_a_(KeyFromByte(6)),
        appr_b_(KeyFromByte(7)),
        appr_c_(KeyFromByte(8)),
        payer7306_(KeyFromByte(9)),
        payer73_(KeyFromByte(10)),
        stranger_(KeyFromByte(11)),
        new_key_(KeyFromByte(12)),
        gov_(kGovOrigin, root_.public_key()) {}

  void SetUp() override {
    ASSERT_TRUE(
        Gov(kTypeGovNode,
            {Node(kKab7404, "kabupaten", "7404", 0x41), Node(kKab7371, "kabupaten", "7371", 0x42),
             Node(kBri, "lembaga-bayar", "73", 0x43)},
            {&root_})
            .ok());
    ASSERT_EQ(gov_.size(), kAfterNodes);
    ASSERT_TRUE(Gov(kTypeGovGrant,
                    {Grant(reg73_, "reg-73", Role::kRegistrar, {"73"}),
                     Grant(op7306_, "op-7306", Role::kOperator, {"7306"}),
                     Grant(op7404_, "op-7404", Role::kOperator, {"7404"}),
                     Grant(appr_a_, "appr-a", Role::kApprover, {"7306"}),
                     Grant(appr_b_, "appr-b", Role::kApprover, {"7306"}),
                     Grant(appr_c_, "appr-c", Role::kApprover, {"7306"}),
                     Grant(payer7306_, "payer-7306", Role::kPayer, {"7306"}, kBri),
                     Grant(payer73_, "payer-73", Role::kPayer, {"73"}, kBri)},
                    {&root_})
                    .ok());
    ASSERT_EQ(gov_.size(), kAfterGrants);
    ASSERT_TRUE(Gov(kTypeGovStage, {Window(kStage, "2026-02-01", "2026-03-31")}, {&root_}).ok());
    ASSERT_EQ(gov_.size(), kAfterStage);
    baseline_registration_ =
        Gov(kTypeGovNode, {Node(kKab7306, "kabupaten", "7306", 0x44)}, {&reg73_});
    ASSERT_TRUE(baseline_registration_.ok()) << baseline_registration_.ToString();
    ASSERT_EQ(gov_.size(), kBaseline);
  }

  // Applies a governance statement at the next index, recording governance
  // size `g` (default: the index itself), and returns its verdict.
  Status Gov(std::string_view type, const std::vector<PkhRecord>& records, const Signers& signers,
             std::optional<uint64_t> g = std::nullopt) {
    const uint64_t index = gov_.size();
    Statement st = GovStatement(type, g.value_or(index), records, signers);
    Status verdict = Internal("no verdict");
    Status applied = gov_.Apply(index, st, records, &verdict);
    EXPECT_TRUE(applied.ok()) << applied.ToString();
    EXPECT_EQ(gov_.size(), index + 1 + records.size());
    return verdict;
  }

  Status Judge(const std::string& origin, const Statement& st) const {
    return CheckLogStatement(gov_, LogRole{origin}, st);
  }

  static Statement Update(uint64_t g, const Signers& signers,
                          const std::string& origin = kKab7306) {
    StatementHeader h = LogHeader(origin, kTypeUpdate, g);
    h.region = "7306";
    return Signed(std::move(h), signers);
  }

  static StatementHeader BeritaAcaraHeader(uint64_t g, std::string stage = kStage) {
    StatementHeader h = LogHeader(kKab7306, kTypeApproval, g);
    h.region = "7306";
    h.stage = std::move(stage);
    h.document_number = "400.9/BA-PKH/7306/2026/001";
    h.document_date = "2026-02-10";
    return h;
  }

  static Statement BeritaAcara(uint64_t g, const Signers& signers, std::string stage = kStage) {
    return Signed(BeritaAcaraHeader(g, std::move(stage)), signers);
  }

  static Statement Receipts(uint64_t g, std::vector<std::string> regions, const Signers& signers,
                            const std::string& origin = kBri) {
    StatementHeader h = LogHeader(origin, kTypeReceipt, g);
    h.stage = kStage;
    h.regions = std::move(regions);
    return Signed(std::move(h), signers);
  }

  SigningKey root_, reg73_, reg74_, op7306_, op7404_, appr_a_, appr_b_, appr_c_, payer7306_,
      payer73_, stranger_, new_key_;
  Governance gov_;
  Status baseline_registration_;
};

}  // namespace jejak::governance_test
