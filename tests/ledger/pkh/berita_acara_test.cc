// The berita acara workflow (DOMAIN.md step 2) on a real kemensos node and a
// real kabupaten node: drafting from CSV, signing, the JSON file, and
// submitting as one pkh.approval statement judged against the governance log.
#include "ledger/pkh/berita_acara.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/pseudonym.h"
#include "ledger/log/log.h"
#include "ledger/log/merkle.h"
#include "ledger/pkh/governance_statements.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/node_folder.h"
#include "ledger/pkh/values.h"
#include "tests/ledger/pkh/pkh_world_core.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

using ::jejak::testing::HasStatus;
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::WriteBinary;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassphrase[] = "berita acara test";
constexpr char kNumber[] = "800/2128/DINSOS.B/XI/2023";
constexpr char kDate[] = "2026-02-20";
constexpr char kRegion[] = "7306";

// KPM identifiers (never to appear in a file or a message).
constexpr char kFamily1850[] = "KPM-TEST-1850";  // the DOMAIN.md example: 1,850,000
constexpr char kDeceased[] = "KPM-TEST-DECEASED";
constexpr char kPregnant[] = "KPM-TEST-PREGNANT";  // 750,000
constexpr char kNoUpdate[] = "KPM-TEST-NO-UPDATE";
constexpr char kToddler[] = "KPM-TEST-TODDLER";  // 750,000

class BeritaAcaraTest : public ::testing::Test {
 protected:
  BeritaAcaraTest()
      : operator_(KeyFromByte(4)),
        appr_a_(KeyFromByte(6)),
        appr_b_(KeyFromByte(7)),
        appr_c_(KeyFromByte(8)),
        stranger_(KeyFromByte(11)),
        program_key_(KeyFromByte(20).seed()) {}

  void SetUp() override {
    tmp_ = MakeTempFolder("ba");
    const KdfParams fast{1, 8192};
    NodeInitOptions k;
    k.kind = NodeKind::kKemensos;
    k.name = "Kemensos";
    k.region = "00";
    k.passphrase = kPassphrase;
    k.kdf = fast;
    ASSERT_TRUE(NodeFolder::Create(tmp_ + "/kemensos", k).ok());
    kem_folder_ = Open(tmp_ + "/kemensos");
    auto kem_key = kem_folder_->UnlockKey(kPassphrase);
    ASSERT_TRUE(kem_key.ok()) << kem_key.status().ToString();
    root_ = std::make_unique<SigningKey>(std::move(kem_key).value());
    auto kem = PkhNode::Open(*kem_folder_, *root_);
    ASSERT_TRUE(kem.ok()) << kem.status().ToString();
    kem_ = std::move(kem).value();

    NodeInitOptions b;
    b.kind = NodeKind::kKabupaten;
    b.name = "Dinsos Kabupaten Gowa";
    b.region = kRegion;
    b.passphrase = kPassphrase;
    b.kdf = fast;
    b.governance = kem_folder_->config().key;
    b.program_key = program_key_;
    ASSERT_TRUE(NodeFolder::Create(tmp_ + "/kab", b).ok());
    kab_folder_ = Open(tmp_ + "/kab");
    auto kab_key = kab_folder_->UnlockKey(kPassphrase);
    ASSERT_TRUE(kab_key.ok());
    kab_key_ = std::make_unique<SigningKey>(std::move(kab_key).value());

    Gov(kTypeGovNode,
        {NodeRegistration{kab_folder_->config().origin, "Dinsos Gowa", NodeKind::kKabupaten,
                          kRegion, kab_folder_->config().key.ToString(),
                          "https://7306.jejak.example"}});
    Gov(kTypeGovGrant,
        {KeyGrant{operator_.public_key(), "kab-7306/operator", Role::kOperator, {kRegion}},
         KeyGrant{appr_a_.public_key(), "kab-7306/approver-a", Role::kApprover, {kRegion}},
         KeyGrant{appr_b_.public_key(), "kab-7306/approver-b", Role::kApprover, {kRegion}},
         KeyGrant{appr_c_.public_key(), "kab-7306/approver-c", Role::kApprover, {kRegion}}});
    Gov(kTypeGovStage, {StageWindow{"2026-T1", "2026-03-01", "2026-03-31"},
                        StageWindow{"2026-T2", "2026-06-01", "2026-06-30"},
                        StageWindow{"2027-T1", "2027-03-01", "2027-03-31"}});
    Gov(kTypeGovIndex, {testing::DomainBenefitIndex(2026)});
    SyncGovernance();
    auto kab = PkhNode::Open(*kab_folder_, *kab_key_);
    ASSERT_TRUE(kab.ok()) << kab.status().ToString();
    kab_ = std::move(kab).value();

    ASSERT_TRUE(WriteBinary(
        tmp_ + "/updates.csv",
        std::string("update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
                    "disabilitas_berat,lansia,evidence_sha256\n") +
            "u1," + kFamily1850 + ",2026-01-10,active,1,0,2,1,1,0,0,\n" +  //
            "u2," + kDeceased + ",2026-01-10,deceased,0,0,1,0,0,0,0,\n" +  //
            "u3," + kPregnant + ",2026-01-10,active,1,0,0,0,0,0,0,\n" +    //
            "u5," + kToddler + ",2026-01-10,active,0,1,0,0,0,0,0,\n"));
    auto imported = ImportUpdates(*kab_, tmp_ + "/updates.csv", operator_, program_key_);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
    ASSERT_EQ(kab_->writer().size(), 5u);  // statement + 4 updates
  }

  void TearDown() override {
    kab_.reset();
    kem_.reset();
    kab_folder_.reset();
    kem_folder_.reset();
    RemoveFolder(tmp_);
  }

  static std::unique_ptr<NodeFolder> Open(const std::string& dir) {
    auto f = NodeFolder::Open(dir, StoreMode::kReadWrite);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? std::move(f).value() : nullptr;
  }

  void Gov(std::string_view type, std::vector<PkhRecord> records) {
    auto a = AppendGovernanceStatement(*kem_, type, std::move(records), *root_);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
  }

  // Copies the kemensos log's new leaves into the kabupaten's replica, as a
  // pull would (replication is tested on its own).
  void SyncGovernance() {
    Store& dst = kab_folder_->store();
    LogReader src(kem_folder_->store(), kem_folder_->own_log());
    auto n = src.Size();
    ASSERT_TRUE(n.ok());
    auto info = FindLog(dst, kem_folder_->config().origin);
    if (!info.ok()) info = RegisterLog(dst, kem_folder_->config().key, /*own=*/false);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    auto writer = LogWriter::Open(dst, *info, nullptr);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    std::vector<Bytes> leaves;
    std::vector<Hash> hashes;
    for (uint64_t i = (*writer)->size(); i < *n; ++i) {
      auto leaf = src.Leaf(i);
      ASSERT_TRUE(leaf.ok());
      hashes.push_back(LeafHash(*leaf));
      leaves.push_back(std::move(leaf).value());
    }
    std::vector<ByteSpan> spans(leaves.begin(), leaves.end());
    ASSERT_TRUE((*writer)->Append(spans, hashes).ok());
    auto note = src.LatestCheckpoint();
    ASSERT_TRUE(note.ok());
    ASSERT_TRUE((*writer)->StoreCheckpoint(*n, *note).ok());
    if (kab_) {
      ASSERT_TRUE(kab_->ReloadGovernance().ok());
    }
  }

  std::string Csv(const std::string& name, const std::string& rows) {
    const std::string path = tmp_ + "/" + name;
    EXPECT_TRUE(WriteBinary(path, "id_kpm,lembaga_bayar,amount\n" + rows));
    return path;
  }

  // Three active families at their entitlements: no warnings.
  std::string GoodCsv() {
    return Csv("good.csv", std::string(kFamily1850) + ",BRI,1850000\n" + kPregnant +
                               ",BNI,750000\n" + kToddler + ",POS,750000\n");
  }

  Result<BeritaAcaraDraft> Draft(const std::string& csv, std::string_view stage = "2026-T1",
                                 std::string_view date = kDate, std::string_view number = kNumber) {
    return DraftBeritaAcara(*kab_, csv, stage, date, number, program_key_);
  }

  BeritaAcara SignedBy(const std::string& csv, std::vector<const SigningKey*> keys,
                       std::string_view stage = "2026-T1") {
    auto d = Draft(csv, stage);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    if (!d.ok()) return {};
    int n = 0;
    for (const SigningKey* k : keys) {
      EXPECT_TRUE(SignBeritaAcara(d->ba, *k, "signer-" + std::to_string(++n)).ok());
    }
    return d->ba;
  }

  Pseudonym Kpm(std::string_view id) const { return KpmPseudonym(program_key_, id); }

  std::string tmp_;
  SigningKey operator_, appr_a_, appr_b_, appr_c_, stranger_;
  ProgramKey program_key_;
  std::unique_ptr<SigningKey> root_, kab_key_;
  std::unique_ptr<NodeFolder> kem_folder_, kab_folder_;
  std::unique_ptr<PkhNode> kem_, kab_;
};

TEST_F(BeritaAcaraTest, DraftSignSubmitRoundTrip) {
  auto draft = Draft(GoodCsv());
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_TRUE(draft->warnings.empty()) << draft->warnings[0].ToString();
  BeritaAcara& ba = draft->ba;
  EXPECT_EQ(ba.origin, "jejak.pkh/kab/7306");
  EXPECT_EQ(ba.kabupaten, kRegion);
  EXPECT_EQ(ba.stage, "2026-T1");
  EXPECT_EQ(ba.number, kNumber);
  EXPECT_EQ(ba.date, kDate);
  EXPECT_EQ(ba.governance_size, kem_->writer().size());
  ASSERT_EQ(ba.rows.size(), 3u);
  EXPECT_EQ(ba.rows[0], (BeritaAcaraRow{Kpm(kFamily1850), "BRI", 1'850'000}));
  EXPECT_EQ(ba.rows[2], (BeritaAcaraRow{Kpm(kToddler), "POS", 750'000}));
  EXPECT_EQ(ba.total_amount, 3'350'000u);
  EXPECT_EQ(FormatRupiah(ba.total_amount), "Rp 3,350,000");
  const Hash drafted_root = ba.records_root;

  const std::string path = tmp_ + "/BA.json";
  ASSERT_TRUE(WriteBeritaAcara(path, ba, /*no_clobber=*/true).ok());
  EXPECT_TRUE(
      HasStatus(WriteBeritaAcara(path, ba, /*no_clobber=*/true), StatusCode::kAlreadyExists, ""));
  for (const SigningKey* k : {&appr_a_, &appr_b_}) {
    auto loaded = ReadBeritaAcara(path);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    ASSERT_TRUE(SignBeritaAcara(*loaded, *k, k == &appr_a_ ? "approver-a" : "approver-b").ok());
    ASSERT_TRUE(WriteBeritaAcara(path, *loaded).ok());
  }
  auto signed_ba = ReadBeritaAcara(path);
  ASSERT_TRUE(signed_ba.ok()) << signed_ba.status().ToString();
  ASSERT_EQ(signed_ba->signatures.size(), 2u);
  EXPECT_EQ(signed_ba->signatures[1].key_name, "approver-b");
  EXPECT_EQ(signed_ba->rows, ba.rows);

  auto appended = SubmitBeritaAcara(*kab_, *signed_ba);
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_EQ(appended->index, 5u);
  EXPECT_EQ(appended->size, 9u);

  LogReader reader(kab_folder_->store(), kab_folder_->own_log());
  auto leaf = reader.Leaf(5);
  ASSERT_TRUE(leaf.ok());
  auto st = DecodeStatementEntry(*leaf);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->header, BeritaAcaraHeader(*signed_ba));
  EXPECT_EQ(st->header.records_root, drafted_root);
  EXPECT_EQ(st->header.type, "pkh.approval");
  EXPECT_EQ(st->header.document_number, kNumber);
  EXPECT_EQ(st->header.regions, std::vector<std::string>{kRegion});
  EXPECT_EQ(st->signatures.size(), 2u);
  auto found =
      FindApproval(kab_folder_->store(), kab_folder_->own_log().id, "2026-T1", Kpm(kToddler));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::optional<uint64_t>(8));
}

TEST_F(BeritaAcaraTest, NeedsTheThresholdOfDistinctApprovers) {
  BeritaAcara ba = SignedBy(GoodCsv(), {&appr_a_});
  EXPECT_TRUE(HasStatus(SubmitBeritaAcara(*kab_, ba).status(), StatusCode::kPermissionDenied,
                        "signed by 1 distinct approvers; region 7306 needs 2"));
  EXPECT_EQ(kab_->writer().size(), 5u);
  EXPECT_TRUE(HasStatus(SignBeritaAcara(ba, appr_a_, "again"), StatusCode::kAlreadyExists,
                        "already signed by this key (signer-1"));
  ASSERT_EQ(ba.signatures.size(), 1u);
  ASSERT_TRUE(SignBeritaAcara(ba, appr_b_, "approver-b").ok());
  auto appended = SubmitBeritaAcara(*kab_, ba);
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  EXPECT_EQ(appended->index, 5u);
}

TEST_F(BeritaAcaraTest, RefusesAnApproverRevokedSinceTheDraft) {
  BeritaAcara ba = SignedBy(GoodCsv(), {&appr_a_, &appr_b_});
  Gov(kTypeGovRevoke, {KeyRevocation{appr_b_.public_key()}});
  SyncGovernance();
  Status s = SubmitBeritaAcara(*kab_, ba).status();
  EXPECT_TRUE(HasStatus(s, StatusCode::kPermissionDenied, "no longer authorized")) << s.message();
  EXPECT_THAT(s.message(), HasSubstr("revoked"));
  EXPECT_EQ(kab_->writer().size(), 5u);
  // Another approver does not help: every signer must hold the role now.
  ASSERT_TRUE(SignBeritaAcara(ba, appr_c_, "approver-c").ok());
  EXPECT_TRUE(HasStatus(SubmitBeritaAcara(*kab_, ba).status(), StatusCode::kPermissionDenied,
                        "no longer authorized"));
}

TEST_F(BeritaAcaraTest, RefusesSignersWithoutTheApproverRole) {
  BeritaAcara ba = SignedBy(GoodCsv(), {&appr_a_, &operator_});
  EXPECT_TRUE(HasStatus(SubmitBeritaAcara(*kab_, ba).status(), StatusCode::kPermissionDenied,
                        "signature 2 (key kab-7306/operator)"));
  BeritaAcara strangers = SignedBy(GoodCsv(), {&appr_a_, &stranger_});
  EXPECT_TRUE(HasStatus(SubmitBeritaAcara(*kab_, strangers).status(), StatusCode::kPermissionDenied,
                        "lacks the approver role for region 7306"));
  BeritaAcara unsigned_ba = SignedBy(GoodCsv(), {});
  EXPECT_TRUE(HasStatus(SubmitBeritaAcara(*kab_, unsigned_ba).status(),
                        StatusCode::kPermissionDenied, "is not signed: each approver signs it"));
  EXPECT_EQ(kab_->writer().size(), 5u);
}

TEST_F(BeritaAcaraTest, RefusesAChangedFileAtLoad) {
  BeritaAcara ba = SignedBy(GoodCsv(), {&appr_a_});
  const std::string path = tmp_ + "/BA.json";
  ASSERT_TRUE(WriteBeritaAcara(path, ba).ok());
  const std::string text = ReadBinary(path);
  ASSERT_THAT(text, HasSubstr("\"amount\":750000}"));
  auto replace = [&](std::string s, std::string_view from, std::string_view to) {
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  // An amount raised, the total left: the total no longer adds up.
  std::string amount = replace(text, "\"amount\":750000}", "\"amount\":950000}");
  EXPECT_TRUE(
      HasStatus(DecodeBeritaAcara(amount, "BA.json").status(), StatusCode::kCorruption,
                "BA.json: total_amount says Rp 3,350,000 but the records add up to Rp 3,550,000"));
  // The total raised too: the records root no longer matches.
  amount = replace(amount, "\"total_amount\": 3350000", "\"total_amount\": 3550000");
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(amount, "BA.json").status(), StatusCode::kCorruption,
                        "BA.json: records_root does not match the records"));
  // The root recomputed as well: the signature no longer verifies.
  BeritaAcara forged = ba;
  forged.rows[1].amount = 950'000;
  forged.total_amount = 3'550'000;
  auto leaves = BeritaAcaraRecordLeaves(forged);
  ASSERT_TRUE(leaves.ok());
  std::vector<Hash> hashes;
  for (const Bytes& l : *leaves) hashes.push_back(LeafHash(l));
  forged.records_root = RootOfLeafHashes(hashes);
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(EncodeBeritaAcara(forged), "BA.json").status(),
                        StatusCode::kPermissionDenied,
                        "BA.json: signatures[0] (signer-1, " + Base64Encode(appr_a_.public_key()) +
                            ") does not verify"));
  // A row dropped.
  BeritaAcara shorter = ba;
  shorter.rows.pop_back();
  std::string dropped = EncodeBeritaAcara(shorter);
  dropped = replace(dropped, "\"rows\": 2", "\"rows\": 3");
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(dropped, "BA.json").status(), StatusCode::kCorruption,
                        "BA.json: rows says 3 but the file holds 2 records"));
  // The unchanged text still loads.
  auto same = DecodeBeritaAcara(text, "BA.json");
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  EXPECT_EQ(*same, ba);
}

TEST_F(BeritaAcaraTest, RefusesMalformedFiles) {
  BeritaAcara ba = SignedBy(GoodCsv(), {});
  const std::string text = EncodeBeritaAcara(ba);
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara("{\n  \"format\": 1,\n  x\n}", "BA.json").status(),
                        StatusCode::kInvalidArgument, "BA.json line 3 column 3: not valid JSON"));
  std::string bad_amount = text;
  bad_amount.replace(bad_amount.find("\"amount\":750000"), 15, "\"amount\":-5");
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(bad_amount, "BA.json").status(),
                        StatusCode::kInvalidArgument,
                        "BA.json: records[1].amount: expected a whole number"));
  std::string extra = text;
  extra.replace(extra.find("\"lembaga_bayar\":\"BNI\""), 21,
                "\"lembaga_bayar\":\"BNI\",\"nik\":\"x\"");
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(extra, "BA.json").status(), StatusCode::kInvalidArgument,
                        "BA.json: records[1]: unknown field 'nik' (not in jejak-berita-acara-v1)"));
  std::string no_stage = text;
  no_stage.replace(no_stage.find("\"stage\": \"2026-T1\""), 18, "\"stage\": \"T1\"");
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(no_stage, "BA.json").status(),
                        StatusCode::kInvalidArgument, "BA.json: stage: "));
  EXPECT_TRUE(
      HasStatus(ReadBeritaAcara(tmp_ + "/missing.json").status(), StatusCode::kNotFound, ""));
}

// A repeated key would let the last value win unseen (a second "stage", a
// second "amount" after the one an approver read).
TEST_F(BeritaAcaraTest, RefusesARepeatedKeyAndANestingDeeperThanTheFormat) {
  const std::string text = EncodeBeritaAcara(SignedBy(GoodCsv(), {&appr_a_, &appr_b_}));
  ASSERT_TRUE(DecodeBeritaAcara(text, "BA.json").ok());
  std::string stage = text;
  stage.replace(stage.find("\"stage\": \"2026-T1\""), 18,
                "\"stage\": \"2026-T1\", \"stage\": \"2026-T2\"");
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(stage, "BA.json").status(), StatusCode::kInvalidArgument,
                        "BA.json: an object repeats the key 'stage'"));
  std::string amount = text;
  amount.replace(amount.find("\"amount\":750000"), 15, "\"amount\":750000,\"amount\":1");
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(amount, "BA.json").status(), StatusCode::kInvalidArgument,
                        "BA.json: an object repeats the key 'amount'"));
  EXPECT_TRUE(HasStatus(DecodeBeritaAcara(std::string(1 << 20, '['), "BA.json").status(),
                        StatusCode::kInvalidArgument, "BA.json: nested deeper than 4 levels"));
}

TEST_F(BeritaAcaraTest, RefusesAKpmRepeatedInTheFileNamingBothLines) {
  const std::string csv = Csv("dup.csv", std::string(kFamily1850) + ",BRI,1850000\n" + kPregnant +
                                             ",BNI,750000\n\n" + kFamily1850 + ",BRI,1850000\n");
  Status s = Draft(csv).status();
  EXPECT_TRUE(HasStatus(s, StatusCode::kInvalidArgument,
                        tmp_ + "/dup.csv: line 5 repeats the KPM of line 2"));
  EXPECT_THAT(s.message(), Not(HasSubstr(kFamily1850)));
}

TEST_F(BeritaAcaraTest, AKpmIsApprovedOncePerStageAndKabupaten) {
  ASSERT_TRUE(SubmitBeritaAcara(*kab_, SignedBy(GoodCsv(), {&appr_a_, &appr_b_})).ok());
  // Leaves: BA at 5, its records 6, 7, 8 (kFamily1850, kPregnant, kToddler).
  const std::string again =
      Csv("again.csv", std::string(kDeceased) + ",BRI,225000\n" + kToddler + ",POS,750000\n");
  Status s = Draft(again).status();
  EXPECT_TRUE(HasStatus(s, StatusCode::kAlreadyExists,
                        "already approved for stage 2026-T1 in this kabupaten by an earlier berita "
                        "acara: line 3 (leaf 8)"));
  EXPECT_THAT(s.message(), Not(HasSubstr(kToddler)));
  auto other_stage = Draft(again, "2026-T2");
  ASSERT_TRUE(other_stage.ok()) << other_stage.status().ToString();

  // Two drafts of one stage; the second is refused at submit.
  const std::string first = Csv("first.csv", std::string(kNoUpdate) + ",BRI,100\n");
  const std::string second =
      Csv("second.csv", std::string(kDeceased) + ",BRI,100\n" + kNoUpdate + ",BRI,100\n");
  BeritaAcara b1 = SignedBy(first, {&appr_a_, &appr_c_}, "2026-T2");
  BeritaAcara b2 = SignedBy(second, {&appr_a_, &appr_c_}, "2026-T2");
  auto a1 = SubmitBeritaAcara(*kab_, b1);
  ASSERT_TRUE(a1.ok()) << a1.status().ToString();
  EXPECT_TRUE(
      HasStatus(SubmitBeritaAcara(*kab_, b2).status(), StatusCode::kAlreadyExists,
                "already approved for stage 2026-T2 in this kabupaten since the draft: row 2 "
                "(leaf " +
                    std::to_string(a1->index + 1) + ")"));
}

TEST_F(BeritaAcaraTest, WarnsButDraftsWhatTheAuditWillReport) {
  const std::string csv =
      Csv("warn.csv", std::string(kFamily1850) + ",BRI,1000000\n" + kDeceased + ",BRI,225000\n" +
                          kNoUpdate + ",MANDIRI,500000\n" + kPregnant + ",BSI,750000\n");
  auto d = Draft(csv);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->warnings.size(), 3u);
  EXPECT_EQ(d->warnings[0].ToString(),
            "line 2: amount Rp 1,000,000 differs from the entitlement Rp 1,850,000 under the 2026 "
            "benefit index (the audit reports ENTITLEMENT_MISMATCH)");
  EXPECT_EQ(d->warnings[1].ToString(),
            "line 3: the KPM's status on 2026-02-20 is deceased, not active (the audit reports "
            "APPROVED_INELIGIBLE)");
  EXPECT_EQ(d->warnings[2].ToString(),
            "line 4: the KPM has no data update on or before 2026-02-20 (the audit reports "
            "APPROVED_INELIGIBLE)");
  EXPECT_EQ(d->ba.rows.size(), 4u);
  EXPECT_EQ(d->ba.rows[2].lembaga_bayar, "MANDIRI");
  // Before the updates take effect, no family has a status yet.
  auto early = Draft(csv, "2026-T1", "2026-01-09");
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->warnings.size(), 4u);
  // And it is recorded: the ledger records, the audit judges.
  BeritaAcara ba = d->ba;
  ASSERT_TRUE(SignBeritaAcara(ba, appr_a_, "approver-a").ok());
  ASSERT_TRUE(SignBeritaAcara(ba, appr_b_, "approver-b").ok());
  EXPECT_TRUE(SubmitBeritaAcara(*kab_, ba).ok());
}

TEST_F(BeritaAcaraTest, WarnsOnceWhenTheYearHasNoIndex) {
  auto d = Draft(GoodCsv(), "2027-T1", "2027-02-20");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->warnings.size(), 1u);
  EXPECT_EQ(d->warnings[0].line, 0u);
  EXPECT_THAT(d->warnings[0].ToString(), HasSubstr("no benefit index for 2027 at size " +
                                                   std::to_string(d->ba.governance_size)));
}

TEST_F(BeritaAcaraTest, RefusesMalformedInputNamingFileLineAndColumn) {
  const std::string bad =
      Csv("bad.csv", std::string(kFamily1850) + ",BRI,1850000\n" + kPregnant + ",BNI,750.000\n");
  Status s = Draft(bad).status();
  EXPECT_TRUE(
      HasStatus(s, StatusCode::kInvalidArgument, tmp_ + "/bad.csv line 3 column 3 (amount): "));
  EXPECT_THAT(s.message(), Not(HasSubstr(kPregnant)));
  const std::string bank = Csv("bank.csv", std::string(kFamily1850) + ",Bank BRI,1850000\n");
  EXPECT_TRUE(HasStatus(Draft(bank).status(), StatusCode::kInvalidArgument,
                        "bank.csv line 2 column 2 (lembaga_bayar)"));
  const std::string long_id = Csv("long.csv", std::string(65, '7') + ",BRI,1\n");
  EXPECT_TRUE(
      HasStatus(Draft(long_id).status(), StatusCode::kInvalidArgument,
                "long.csv line 2 column 1 (id_kpm): expected a KPM identifier of 1 to 64 bytes"));
  EXPECT_TRUE(HasStatus(Draft(Csv("empty.csv", "")).status(), StatusCode::kInvalidArgument,
                        "empty.csv: no data rows"));
  EXPECT_TRUE(HasStatus(Draft(GoodCsv(), "2026-T3").status(), StatusCode::kInvalidArgument,
                        "stage 2026-T3 is not opened"));
  EXPECT_TRUE(
      HasStatus(Draft(GoodCsv(), "2026-Q1").status(), StatusCode::kInvalidArgument, "stage: "));
  EXPECT_TRUE(HasStatus(Draft(GoodCsv(), "2026-T1", "2026-02-30").status(),
                        StatusCode::kInvalidArgument, "date: "));
  EXPECT_TRUE(HasStatus(Draft(GoodCsv(), "2026-T1", kDate, "").status(),
                        StatusCode::kInvalidArgument, "number must be 1 to 128 bytes"));
  EXPECT_TRUE(HasStatus(Draft(GoodCsv(), "2026-T1", kDate, std::string(129, '8')).status(),
                        StatusCode::kInvalidArgument, "number must be 1 to 128 bytes"));
}

TEST_F(BeritaAcaraTest, TheFileHoldsNoIdentifier) {
  const std::string csv = Csv("all.csv", std::string(kFamily1850) + ",BRI,1850000\n" + kDeceased +
                                             ",BRI,225000\n" + kNoUpdate + ",BRI,1\n");
  BeritaAcara ba = SignedBy(csv, {&appr_a_, &appr_b_});
  const std::string path = tmp_ + "/BA.json";
  ASSERT_TRUE(WriteBeritaAcara(path, ba).ok());
  const std::string text = ReadBinary(path);
  for (const char* id : {kFamily1850, kDeceased, kNoUpdate}) {
    EXPECT_THAT(text, Not(HasSubstr(id)));
    EXPECT_THAT(text, HasSubstr(PseudonymHex(Kpm(id))));
  }
  EXPECT_THAT(text, HasSubstr("\"format\": \"jejak-berita-acara-v1\""));
}

TEST_F(BeritaAcaraTest, ShowsWhoSignedAndWhetherTheyStillMay) {
  BeritaAcara ba = SignedBy(GoodCsv(), {&appr_a_, &appr_b_});
  const std::string plain = ShowBeritaAcara(ba);
  EXPECT_THAT(plain, HasSubstr("berita acara 800/2128/DINSOS.B/XI/2023\n"));
  EXPECT_THAT(plain, HasSubstr("  total            Rp 3,350,000\n"));
  EXPECT_THAT(plain, HasSubstr("    2. signer-2 " + Base64Encode(appr_b_.public_key()) + "\n"));
  Gov(kTypeGovRevoke, {KeyRevocation{appr_b_.public_key()}});
  SyncGovernance();
  const std::string judged = ShowBeritaAcara(ba, &kab_->gov());
  EXPECT_THAT(judged, HasSubstr("    1. signer-1 " + Base64Encode(appr_a_.public_key()) +
                                ": approver for 7306 now\n"));
  EXPECT_THAT(judged, HasSubstr("NOT an approver for 7306 now (revoked)"));
  EXPECT_THAT(judged, HasSubstr("2 distinct approvers for 7306 at governance size " +
                                std::to_string(kab_->gov().size()) + "; 1 qualify: 1 more needed"));
}

TEST_F(BeritaAcaraTest, SubmitsOnlyToTheNodeItWasDraftedFor) {
  BeritaAcara ba = SignedBy(GoodCsv(), {&appr_a_, &appr_b_});
  ba.origin = "jejak.pkh/kab/7371";
  EXPECT_TRUE(HasStatus(SubmitBeritaAcara(*kab_, ba).status(), StatusCode::kFailedPrecondition,
                        "was drafted for log jejak.pkh/kab/7371"));
  EXPECT_TRUE(HasStatus(
      DraftBeritaAcara(*kem_, GoodCsv(), "2026-T1", kDate, kNumber, program_key_).status(),
      StatusCode::kFailedPrecondition, "drafted on a kabupaten node, not a kemensos"));
}

}  // namespace
}  // namespace jejak
