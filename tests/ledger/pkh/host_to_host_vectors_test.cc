// The bytes a bank's host-to-host client must produce to import receipts
// through a node (specs/host-to-host.md), as fixed test vectors in
// tests/data/host-to-host-receipts.json: recomputed here and compared byte for
// byte, and checked against what the node itself prepares for the same file.
//
// JEJAK_WRITE_TEST_DATA=1 rewrites the file (review the diff: a change means
// the wire format changed).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/pseudonym.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/pkh/import.h"
#include "tests/ledger/pkh/pkh_fixture.h"

namespace jejak::testing {
namespace {

constexpr char kVectorFile[] = JEJAK_TEST_DATA_DIR "/host-to-host-receipts.json";

// The file a bank sends: two rows, as written.
constexpr char kCsv[] =
    "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n"
    "BRI-2026T1-000001,TEST-ID-000001,7306,2026-T1,1850000,paid,2026-03-05,kks\n"
    "BRI-2026T1-000002,TEST-ID-000002,7306,2026-T1,750000,failed,2026-03-06T09:30:00+08:00,"
    "rekening\n";

nlohmann::ordered_json ComputeVectors() {
  const SigningKey payer = KeyFromByte(kPayerKeyByte);
  const ProgramKey program_key(KeyFromByte(kProgramKeyByte).seed());
  const std::vector<Receipt> rows = {
      {"BRI-2026T1-000001", KpmPseudonym(program_key, "TEST-ID-000001"), "7306", "2026-T1",
       1'850'000, ReceiptStatus::kPaid, "2026-03-05", Channel::kKks},
      {"BRI-2026T1-000002", KpmPseudonym(program_key, "TEST-ID-000002"), "7306", "2026-T1", 750'000,
       ReceiptStatus::kFailed, "2026-03-06T09:30:00+08:00", Channel::kRekening}};
  nlohmann::ordered_json j;
  j["about"] =
      "Import of two receipts through a node (specs/host-to-host.md). Keys are test keys: the "
      "payer's Ed25519 seed is 32 bytes of 0x44, the program key 32 bytes of 0x46. Hex is "
      "lowercase; base64 is RFC 4648 with padding.";
  j["payer_public_key"] = Base64Encode(payer.public_key());
  j["csv"] = kCsv;
  std::vector<Bytes> leaves;
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  for (const Receipt& r : rows) {
    Bytes leaf = *EncodePkhRecord(r);
    records.push_back({{"line", records.size() + 2},
                       {"pseudonym", PseudonymHex(r.kpm)},
                       {"leaf", HexEncode(leaf)},
                       {"leaf_hash", HexEncode(LeafHash(leaf))}});
    leaves.push_back(std::move(leaf));
  }
  j["records"] = records;
  StatementHeader h;
  h.origin = "jejak.pkh/bank/bri";
  h.type = std::string(kTypeReceipt);
  h.stage = "2026-T1";
  h.region = "00";
  h.timestamp_ms = 1'772'700'000'000;
  h.governance_size = 12;
  h.regions = {"7306"};
  PreparedStatement p = PrepareStatement(h, leaves);
  j["records_root"] = HexEncode(p.records_root());
  j["unsigned_statement_entry"] = HexEncode(*EncodeStatementEntry(p.statement));
  const Bytes signing = StatementSigningBytes(p.statement.header);
  j["signed_bytes"] = HexEncode(signing);
  SignStatement(p.statement, payer);
  j["signature"] = HexEncode(p.statement.signatures[0].signature);
  const Bytes signed_entry = *EncodeStatementEntry(p.statement);
  j["signed_statement_entry"] = HexEncode(signed_entry);
  // The commit's body: the signed entry framed as one entry-bundle entry,
  // then the file byte for byte.
  std::string body;
  AppendBundleEntry(body, signed_entry);
  body += kCsv;
  j["commit_body"] = HexEncode(AsBytes(body));
  return j;
}

TEST(HostToHostVectors, TheFileHoldsTheBytesThisCodeMakes) {
  const nlohmann::ordered_json computed = ComputeVectors();
  if (std::getenv("JEJAK_WRITE_TEST_DATA") != nullptr) {
    std::ofstream(kVectorFile) << computed.dump(1) << "\n";
  }
  const std::string text = ReadBinary(kVectorFile);
  ASSERT_FALSE(text.empty()) << kVectorFile << " is missing (JEJAK_WRITE_TEST_DATA=1 writes it)";
  EXPECT_EQ(nlohmann::ordered_json::parse(text), computed);
}

// The vectors describe what the node does: preparing the same file gives the
// same records and records root.
class HostToHostAgainstTheNode : public PkhFixture {};

TEST_F(HostToHostAgainstTheNode, PreparingTheFileGivesTheVectorsRecords) {
  const nlohmann::ordered_json v = ComputeVectors();
  ImportSigning signing;
  signing.prepare_for = payer_.public_key();
  auto report =
      ImportReceipts(*bank_.pkh, CsvSource::Received(kCsv, "receipts.csv"), signing, program_key_);
  ASSERT_TRUE(IsOk(report));
  ASSERT_TRUE(report->prepared);
  EXPECT_EQ(HexEncode(report->prepared->records_root), v["records_root"]);
  EXPECT_EQ(report->prepared->regions, std::vector<std::string>{"7306"});
  EXPECT_EQ(report->prepared->stage, "2026-T1");
  EXPECT_EQ(report->new_lines, (std::vector<std::pair<uint64_t, uint64_t>>{{2, 3}}));
}

}  // namespace
}  // namespace jejak::testing
