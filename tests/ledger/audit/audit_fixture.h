// The fixture of the audit tests (Audit): a PKH world with an auditor node
// that pulls every log, and helpers to plant rows and read findings.
#pragma once

#include "ledger/audit/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/witness_state.h"
#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/import.h"
#include "tests/ledger/pkh/pkh_fixture.h"

namespace jejak::audit_test {

using ::testing::ElementsAre;
using testing::HasStatus;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::IsOk;
using testing::kKabRegion;
using testing::kStage;
using testing::PkhTestNode;
using ::testing::UnorderedElementsAre;

inline constexpr char kBaDate[] = "2026-02-20";
inline constexpr char kAsOf[] = "2026-04-01";
// A family of 1 pregnant mother, 2 SD, 1 SMP, 1 SMA children: the four largest
// member amounts are 750,000 + 500,000 + 375,000 + 225,000.
inline constexpr char kMembers[] = "1,0,2,1,1,0,0";
inline constexpr char kEntitled[] = "1850000";

class Audit : public testing::PkhFixture {
 protected:
  // --- The kabupaten's and the bank's records, through the real imports ---

  void Updates(std::initializer_list<std::string> rows) {
    const std::string file = WriteFile(fmt::format("u{}.csv", files_++), UpdatesCsv(rows));
    ASSERT_TRUE(IsOk(ImportUpdates(*kab_.pkh, file, operator_, program_key_)));
  }
  void Receipts(std::initializer_list<std::string> rows) {
    const std::string file = WriteFile(fmt::format("r{}.csv", files_++), ReceiptsCsv(rows));
    ASSERT_TRUE(IsOk(ImportReceipts(*bank_.pkh, file, payer_, program_key_)));
  }
  // A berita acara of (id, amount) rows, drafted, signed by both approvers
  // and submitted.
  void Approve(std::initializer_list<std::pair<std::string, std::string>> rows,
               std::string_view date = kBaDate) {
    std::string csv = "id_kpm,lembaga_bayar,amount\n";
    for (const auto& [id, amount] : rows) csv += id + ",BRI," + amount + "\n";
    const std::string file = WriteFile(fmt::format("ba{}.csv", files_++), csv);
    auto draft = DraftBeritaAcara(*kab_.pkh, file, kStage, date,
                                  fmt::format("800/{}/DINSOS", files_), program_key_);
    ASSERT_TRUE(IsOk(draft));
    ASSERT_TRUE(IsOk(SignBeritaAcara(draft->ba, approver_a_, "approver-a")));
    ASSERT_TRUE(IsOk(SignBeritaAcara(draft->ba, approver_b_, "approver-b")));
    ASSERT_TRUE(IsOk(SubmitBeritaAcara(*kab_.pkh, draft->ba)));
  }
  // A family active since 2026-01-10 with kMembers.
  void Family(const std::string& id) {
    Updates({UpdateRow("U-" + id, id, "2026-01-10", "active", kMembers)});
  }

  // A berita acara appended to the kabupaten's own log as a hostile author
  // could, past PkhNode's judging: signed by `signers` only.
  void SmuggleApproval(const std::vector<std::string>& ids,
                       std::initializer_list<const SigningKey*> signers) {
    BeritaAcara ba;
    ba.origin = kab_.origin();
    ba.kabupaten = kKabRegion;
    ba.stage = kStage;
    ba.number = fmt::format("800/{}/SMUGGLED", files_++);
    ba.date = kBaDate;
    ba.governance_size = kab_.pkh->gov().size();
    ba.timestamp_ms = 1;
    for (const std::string& id : ids) ba.rows.push_back({Kpm(id), "BRI", 1'850'000});
    auto leaves = BeritaAcaraRecordLeaves(ba);
    ASSERT_TRUE(IsOk(leaves));
    PreparedStatement p = PrepareStatement(BeritaAcaraHeader(ba), *leaves);
    for (const SigningKey* k : signers) SignStatement(p.statement, *k);
    ASSERT_TRUE(IsOk(AppendStatement(kab_.pkh->writer(), p)));
  }

  // --- The auditor: pulls every log, then audits ---

  PkhTestNode& Auditor() {
    if (auditor_ == nullptr) {
      auto added = AddNode("auditor", Init(NodeKind::kAuditor, "BPK", "00"));
      EXPECT_TRUE(IsOk(added));
      auditor_ = *added;
    }
    return *auditor_;
  }
  // Delivers the current logs of kemensos, the kabupaten and (unless
  // `without_bank`) the bank to the auditor.
  void Deliver(bool without_bank = false) {
    PkhTestNode& a = Auditor();
    ASSERT_TRUE(IsOk(DeliverGovernance(a)));
    ASSERT_TRUE(IsOk(Export(kab_, path("kab-tiles"))));
    ASSERT_TRUE(IsOk(Pull(a, path("kab-tiles"))));
    if (without_bank) return;
    ASSERT_TRUE(IsOk(Export(bank_, path("bank-tiles"))));
    ASSERT_TRUE(IsOk(Pull(a, path("bank-tiles"))));
  }
  AuditReport Run(AuditOptions o = {}) {
    if (o.stage.empty()) o.stage = kStage;
    if (o.as_of.empty()) o.as_of = kAsOf;
    auto r = RunAudit(*Auditor().folder, o);
    EXPECT_TRUE(IsOk(r));
    return r.ok() ? *r : AuditReport{};
  }
  AuditReport DeliverAndRun(AuditOptions o = {}) {
    Deliver();
    return Run(std::move(o));
  }

  // "TYPE id [txn]" for each finding, with ids of the families named so far.
  std::vector<std::string> Names(const AuditReport& r) {
    std::vector<std::string> out;
    for (const Finding& f : r.findings) {
      std::string s(FindingTypeName(f.type));
      if (f.kpm) {
        auto it = ids_.find(*f.kpm);
        s += " " + (it == ids_.end() ? PseudonymHex(*f.kpm) : it->second);
      }
      if (!f.txn_ref.empty()) s += " " + f.txn_ref;
      out.push_back(s);
    }
    return out;
  }
  // Registers ids for Names().
  void Known(std::initializer_list<std::string> ids) {
    for (const std::string& id : ids) ids_[Kpm(id)] = id;
  }

  const Finding* Find(const AuditReport& r, FindingType type) {
    for (const Finding& f : r.findings) {
      if (f.type == type) return &f;
    }
    return nullptr;
  }

  PkhTestNode* auditor_ = nullptr;
  int files_ = 0;
  std::map<Pseudonym, std::string> ids_;
};

}  // namespace jejak::audit_test
