// C2SP tlog-proofs end to end through the real `jejak` binary: `prove
// inclusion --format tlog-proof` from a node's own log and from a replica,
// `proof verify` with a log key or a governance folder, with witnesses, and
// its refusals; `audit --proofs --proofs-dir`.
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/cosignature.h"
#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "crypto/pseudonym.h"
#include "ledger/log/tlog_proof.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::WriteBinary;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kPassphrase[] = "tlog proof cli passphrase";
constexpr char kKab[] = "jejak.pkh/kab/7306";

using Outcome = ::jejak::testing::ProcessOutcome;

std::string Describe(const Outcome& r) {
  return fmt::format("exit {}\n--- stdout\n{}--- stderr\n{}", r.code, r.out, r.err);
}

Outcome Jejak(const std::vector<std::string>& args, const std::string& scratch) {
  return ::jejak::testing::RunProcess(JEJAK_BINARY, args, {{"JEJAK_PASSPHRASE", kPassphrase}},
                                      scratch, "");
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

constexpr char kIndexCsv[] =
    "component,amount_per_stage,max_members\n"
    "ibu_hamil,750000,2\nanak_usia_dini,750000,2\nsd,225000,4\nsmp,375000,4\nsma,500000,4\n"
    "disabilitas_berat,600000,4\nlansia,600000,4\n";
constexpr char kUpdates[] =
    "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
    "disabilitas_berat,lansia,evidence_sha256\n"
    "U-1,TEST-KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n"
    "U-2,TEST-KPM-2,2026-01-10,active,1,0,2,1,1,0,0,\n";
constexpr char kBaCsv[] =
    "id_kpm,lembaga_bayar,amount\nTEST-KPM-1,BRI,1850000\n"
    "TEST-KPM-2,BRI,1850000\n";

// Built once: a kemensos node, kabupaten 7306 (registered with its witness
// key) with two updates and a berita acara of two families, and an auditor
// holding replicas of both logs. Leaves of the kabupaten's log: 0 the
// updates statement, 1-2 its records, 3 the berita acara's statement, 4-5
// its approvals.
class TlogProofCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new std::string(MakeTempFolder("tlog-proof-cli-world"));
    const std::string& w = *world_;
    auto ok = [&](const std::vector<std::string>& args) {
      Outcome r = Jejak(args, w);
      EXPECT_EQ(r.code, 0) << fmt::format("jejak {}\n", fmt::join(args, " ")) << Describe(r);
      return r;
    };
    ok({"program-key", "new", "--out", w + "/program.key"});
    ok({"init", w + "/kemensos", "--kind", "kemensos", "--name", "Kemensos", "--region", "00"});
    const std::string gov_key = FirstLine(ok({"key", "show", w + "/kemensos"}).out);
    ok({"init", w + "/kab", "--kind", "kabupaten", "--name", "Dinsos Gowa", "--region", "7306",
        "--governance", gov_key, "--program-key", w + "/program.key"});
    for (const char* k : {"operator", "approver-a", "approver-b"}) {
      ok({"key", "new", "--out", w + "/" + k + ".key", "--name", std::string("test/") + k});
    }
    ok({"registry", "add-node", w + "/kemensos", "--name", "Dinsos Gowa", "--kind", "kabupaten",
        "--region", "7306", "--key", FirstLine(ok({"key", "show", w + "/kab"}).out),
        "--witness-key", FirstLine(ok({"key", "show", w + "/kab", "--witness"}).out)});
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
    EXPECT_TRUE(WriteBinary(w + "/updates.csv", kUpdates));
    ok({"import", "updates", w + "/kab", w + "/updates.csv", "--key", w + "/operator.key"});
    EXPECT_TRUE(WriteBinary(w + "/ba.csv", kBaCsv));
    ok({"ba", "draft", w + "/kab", "--stage", "2026-T1", "--date", "2026-02-20", "--number",
        "800/1/T", w + "/ba.csv", "--out", w + "/BA.json"});
    ok({"ba", "sign", w + "/BA.json", "--key", w + "/approver-a.key"});
    ok({"ba", "sign", w + "/BA.json", "--key", w + "/approver-b.key"});
    ok({"ba", "submit", w + "/kab", w + "/BA.json"});
    ok({"init", w + "/auditor", "--kind", "auditor", "--name", "BPK", "--region", "00",
        "--governance", gov_key});
    ok({"export", w + "/kab", "--out", w + "/kab-tiles"});
    ok({"pull", w + "/auditor", "--from", w + "/gov-tiles"});
    ok({"pull", w + "/auditor", "--from", w + "/kab-tiles"});
  }
  static void TearDownTestSuite() {
    if (world_ != nullptr) RemoveFolder(*world_);
    delete world_;
    world_ = nullptr;
  }
  void SetUp() override { s_ = MakeTempFolder("tlog-proof-cli"); }
  void TearDown() override { RemoveFolder(s_); }

  static std::string W(const std::string& name) { return *world_ + "/" + name; }
  Outcome J(const std::vector<std::string>& args) { return Jejak(args, s_); }
  Outcome Ok(const std::vector<std::string>& args) {
    Outcome r = J(args);
    EXPECT_EQ(r.code, 0) << fmt::format("jejak {}\n", fmt::join(args, " ")) << Describe(r);
    return r;
  }
  std::string KeyOf(const std::string& node) { return FirstLine(Ok({"key", "show", W(node)}).out); }
  std::string Write(const std::string& name, const std::string& text) {
    EXPECT_TRUE(WriteBinary(s_ + "/" + name, text));
    return s_ + "/" + name;
  }
  std::string ProofOf(uint64_t index) {
    return Ok({"prove", "inclusion", W("kab"), "--index", std::to_string(index), "--format",
               "tlog-proof"})
        .out;
  }
  // `proof verify` that must fail: exit 1, one line naming the reason.
  void ExpectRefused(const std::vector<std::string>& args, const std::string& reason) {
    Outcome r = J(args);
    EXPECT_EQ(r.code, 1) << Describe(r);
    EXPECT_EQ(r.out, "") << Describe(r);
    EXPECT_THAT(r.err, StartsWith("jejak: the proof does not verify: ")) << Describe(r);
    EXPECT_THAT(r.err, HasSubstr(reason)) << Describe(r);
  }

  static std::string* world_;
  std::string s_;
};

std::string* TlogProofCli::world_ = nullptr;

TEST_F(TlogProofCli, ARecordProofRoundTripsAndVerifiesWithTheLogKey) {
  const std::string text = ProofOf(4);
  auto parsed = ParseTlogProof(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << text;
  EXPECT_EQ(FormatTlogProof(*parsed), text);
  EXPECT_EQ(parsed->index, 4u);
  EXPECT_THAT(text, StartsWith("c2sp.org/tlog-proof@v1\nextra "));
  EXPECT_THAT(text, HasSubstr("\n\njejak.pkh/kab/7306\n6\n"));
  // --out writes the same bytes.
  Outcome out = Ok({"prove", "inclusion", W("kab"), "--index", "4", "--format", "tlog-proof",
                    "--out", s_ + "/leaf.tlog-proof"});
  EXPECT_EQ(out.out, "");
  EXPECT_EQ(ReadBinary(s_ + "/leaf.tlog-proof"), text);

  auto pk = ParseProgramKeyFile(ReadBinary(W("program.key")));
  ASSERT_TRUE(pk.ok()) << pk.status().ToString();
  Outcome v = Ok({"proof", "verify", s_ + "/leaf.tlog-proof", "--key", KeyOf("kab")});
  EXPECT_THAT(v.out, StartsWith("verified: leaf 4 of 'jejak.pkh/kab/7306'\n"));
  EXPECT_THAT(v.out, HasSubstr("checkpoint: size 6, root "));
  EXPECT_THAT(v.out, HasSubstr("witnesses: 0 verified, 0 required\n"));
  EXPECT_THAT(v.out, HasSubstr("entry: record\ntype: pkh.approval\npseudonym: " +
                               HexEncode(KpmPseudonym(*pk, "TEST-KPM-1")) + "\n"));
  EXPECT_THAT(v.out, HasSubstr("lembaga bayar: BRI\namount: 1850000 (Rp 1,850,000)\n"));
  EXPECT_THAT(v.out + v.err, Not(HasSubstr("TEST-KPM")));
  // Standard input works as a file.
  Outcome piped = ::jejak::testing::RunProcess(
      JEJAK_BINARY, {"proof", "verify", "-", "--key", KeyOf("kab")}, {}, s_, text);
  EXPECT_EQ(piped.code, 0) << Describe(piped);
  EXPECT_EQ(piped.out, v.out);
}

TEST_F(TlogProofCli, AStatementProofShowsTheBeritaAcaraAndItsSigners) {
  Write("ba.tlog-proof", ProofOf(3));
  Outcome by_key = Ok({"proof", "verify", s_ + "/ba.tlog-proof", "--key", KeyOf("kab")});
  EXPECT_THAT(by_key.out, HasSubstr("entry: statement\ntype: pkh.approval\nlog: " +
                                    std::string(kKab) + "\nstage: 2026-T1\nregion: 7306\n"));
  EXPECT_THAT(by_key.out, HasSubstr("document number: 800/1/T\ndocument date: 2026-02-20\n"));
  EXPECT_THAT(by_key.out, HasSubstr("records: 2\n"));
  EXPECT_THAT(by_key.out, HasSubstr("signer: signature 1 (key "));
  // With the registry, the log key comes from it and signers have names.
  Outcome by_gov = Ok({"proof", "verify", s_ + "/ba.tlog-proof", "--governance", W("auditor")});
  EXPECT_THAT(by_gov.out, HasSubstr("log key: " + KeyOf("kab") + "\n"));
  EXPECT_THAT(by_gov.out, HasSubstr("signer: signature 1 (key test/approver-a) "));
  EXPECT_THAT(by_gov.out, HasSubstr("signer: signature 2 (key test/approver-b) "));
}

TEST_F(TlogProofCli, VerifyRefusesAChangedHashLine) {
  std::string text = ProofOf(4);
  const size_t hash_line = text.find('\n', text.find("index 4")) + 1;
  text[hash_line] = text[hash_line] == 'A' ? 'B' : 'A';
  Write("bad.tlog-proof", text);
  ExpectRefused({"proof", "verify", s_ + "/bad.tlog-proof", "--key", KeyOf("kab")},
                "leaf 4 (SHA-256 of the extra data) is not in the checkpoint's tree of size 6");
}

TEST_F(TlogProofCli, VerifyRefusesAChangedExtraByte) {
  auto proof = ParseTlogProof(ProofOf(4));
  ASSERT_TRUE(proof.ok());
  (*proof->extra)[proof->extra->size() - 3] ^= 0x01;
  Write("bad.tlog-proof", FormatTlogProof(*proof));
  ExpectRefused({"proof", "verify", s_ + "/bad.tlog-proof", "--key", KeyOf("kab")},
                "leaf 4 (SHA-256 of the extra data) is not in the checkpoint's tree of size 6");
}

TEST_F(TlogProofCli, VerifyRefusesACheckpointOfAnotherLog) {
  Write("leaf.tlog-proof", ProofOf(4));
  ExpectRefused({"proof", "verify", s_ + "/leaf.tlog-proof", "--key", KeyOf("kemensos")},
                "the checkpoint is of log 'jejak.pkh/kab/7306', not of 'jejak.pkh/kemensos' "
                "(the log key's)");
  // A log key under the right name but another key: the signature fails.
  const SigningKey other = KeyFromByte(42);
  ExpectRefused({"proof", "verify", s_ + "/leaf.tlog-proof", "--key",
                 NoteVerifierKey::ForEd25519(kKab, other.public_key()).ToString()},
                "the checkpoint's signature");
  // A registry that does not know the log: the kabupaten's own folder holds
  // the governance log too, but an unregistered origin is refused.
  Outcome gov_proof = Ok({"prove", "inclusion", W("kemensos"), "--index", "0", "--format",
                          "tlog-proof", "--out", s_ + "/gov.tlog-proof"});
  Ok({"proof", "verify", s_ + "/gov.tlog-proof", "--governance", W("auditor")});
  ExpectRefused({"proof", "verify", s_ + "/gov.tlog-proof", "--key", KeyOf("kab")},
                "the checkpoint is of log 'jejak.pkh/kemensos', not of 'jejak.pkh/kab/7306'");
}

TEST_F(TlogProofCli, VerifyCountsWitnessCosignatures) {
  const std::string text = ProofOf(4);
  Write("leaf.tlog-proof", text);
  const SigningKey witness = KeyFromByte(7);
  const Cosigner cosigner{"test.witness/one", witness.public_key()};
  const std::string witness_key = CosignerVerifierKey(cosigner);
  ExpectRefused({"proof", "verify", s_ + "/leaf.tlog-proof", "--key", KeyOf("kab"), "--witness",
                 witness_key, "--min-witnesses", "1"},
                "1 witness cosignatures are required, 0 verified");
  // The witness cosigns the checkpoint: a line added to the note.
  auto proof = ParseTlogProof(text);
  ASSERT_TRUE(proof.ok());
  auto note = ParseNote(proof->checkpoint);
  ASSERT_TRUE(note.ok());
  note->signatures.push_back(Cosign(note->text, cosigner.name, witness, 1767225600));
  proof->checkpoint = note->Serialize();
  Write("witnessed.tlog-proof", FormatTlogProof(*proof));
  Write("witness.vkey", witness_key + "\n");
  Outcome v = Ok({"proof", "verify", s_ + "/witnessed.tlog-proof", "--key", KeyOf("kab"),
                  "--witness", s_ + "/witness.vkey", "--min-witnesses", "1"});
  EXPECT_THAT(v.out, HasSubstr("witnesses: 1 verified, 1 required\n"
                               "witness: 'test.witness/one' at 2026-01-01T07:00:00+07:00\n"));
  // Two are asked for: one distinct witness is not enough.
  ExpectRefused({"proof", "verify", s_ + "/witnessed.tlog-proof", "--key", KeyOf("kab"),
                 "--witness", witness_key, "--witness", witness_key, "--min-witnesses", "2"},
                "2 witness cosignatures are required, 1 verified (test.witness/one)");
  // Without witness keys, --min-witnesses is a usage error.
  Outcome usage = J({"proof", "verify", s_ + "/witnessed.tlog-proof", "--key", KeyOf("kab"),
                     "--min-witnesses", "1"});
  EXPECT_EQ(usage.code, 2) << Describe(usage);
  EXPECT_THAT(usage.err, HasSubstr("--min-witnesses needs witness keys"));
}

TEST_F(TlogProofCli, AProofFromAReplicaVerifiesWithTheAuthorsKey) {
  Outcome replica = Ok({"prove", "inclusion", W("auditor"), "--log", kKab, "--index", "5",
                        "--format", "tlog-proof", "--out", s_ + "/replica.tlog-proof"});
  EXPECT_THAT(replica.err, HasSubstr("wrote the inclusion proof of leaf 5 to "));
  EXPECT_EQ(ReadBinary(s_ + "/replica.tlog-proof"), ProofOf(5));
  Outcome v = Ok({"proof", "verify", s_ + "/replica.tlog-proof", "--key", KeyOf("kab")});
  EXPECT_THAT(v.out, StartsWith("verified: leaf 5 of 'jejak.pkh/kab/7306'\n"));
  Ok({"proof", "verify", s_ + "/replica.tlog-proof", "--governance", W("auditor")});
  // The JSON proof of a replica too.
  Outcome json = Ok({"prove", "inclusion", W("auditor"), "--log", kKab, "--index", "5"});
  EXPECT_EQ(json.out, Ok({"prove", "inclusion", W("kab"), "--index", "5"}).out);
}

TEST_F(TlogProofCli, ProveRefusesWhatCannotBeAProof) {
  Outcome size =
      J({"prove", "inclusion", W("kab"), "--index", "1", "--size", "3", "--format", "tlog-proof"});
  EXPECT_EQ(size.code, 2);
  EXPECT_THAT(size.err, HasSubstr("--size does not go with --format tlog-proof"));
  Outcome beyond = J({"prove", "inclusion", W("kab"), "--index", "6", "--format", "tlog-proof"});
  EXPECT_EQ(beyond.code, 2);
  EXPECT_THAT(beyond.err, HasSubstr("index 6 is not below the size 6 of the latest checkpoint"));
  Outcome format = J({"prove", "inclusion", W("kab"), "--index", "1", "--format", "pdf"});
  EXPECT_EQ(format.code, 2);
  EXPECT_THAT(format.err, HasSubstr("--format is json (default) or tlog-proof"));
  Outcome log = J({"prove", "inclusion", W("kab"), "--index", "1", "--log", "jejak.pkh/kab/9999"});
  EXPECT_EQ(log.code, 2);
  EXPECT_THAT(log.err, HasSubstr("holds no log 'jejak.pkh/kab/9999'"));
  Write("junk.tlog-proof", "c2sp.org/tlog-proof@v1\nindex x\n");
  ExpectRefused({"proof", "verify", s_ + "/junk.tlog-proof", "--key", KeyOf("kab")},
                "tlog-proof line 2: the index is not a decimal");
  Outcome both = J({"proof", "verify", s_ + "/junk.tlog-proof"});
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("give either --key LOGKEY or --governance GOVDIR"));
}

TEST_F(TlogProofCli, AuditCarriesATlogProofForEveryCitedLeaf) {
  const std::string dir = s_ + "/proofs";
  Outcome audit = Ok({"audit", W("auditor"), "--stage", "2026-T1", "--as-of", "2026-04-01",
                      "--format", "json", "--proofs-dir", dir});
  auto j = nlohmann::json::parse(audit.out);
  ASSERT_EQ(j["summary"]["UNPAID_AFTER_WINDOW"], 2) << audit.out;
  size_t cited = 0;
  for (const auto& f : j["findings"]) {
    for (const auto& l : f["leaves"]) {
      ++cited;
      ASSERT_TRUE(l.contains("tlog_proof")) << l.dump();
      const std::string name =
          TlogProofFileName(l["log"].get<std::string>(), l["leaf_index"].get<uint64_t>());
      EXPECT_EQ(ReadBinary(dir + "/" + name), l["tlog_proof"].get<std::string>());
      Outcome v = Ok({"proof", "verify", dir + "/" + name, "--governance", W("auditor")});
      EXPECT_THAT(
          v.out, HasSubstr(fmt::format("verified: leaf {} of '{}'", l["leaf_index"].get<uint64_t>(),
                                       l["log"].get<std::string>())));
    }
  }
  EXPECT_GT(cited, 0u);
  EXPECT_THAT(audit.err, HasSubstr("tlog-proof"));
  EXPECT_THAT(audit.err, HasSubstr("written to " + dir));
}

}  // namespace
}  // namespace jejak
