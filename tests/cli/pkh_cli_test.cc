// The PKH commands end to end through the real `jejak` binary: program keys,
// nodes that trust a governance log, the governance commands, export and
// pull, imports, pseudonyms, and the privacy promise: no identifier from an
// import file reaches a node's store, an export, or anything jejak prints.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
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
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "crypto/pseudonym.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/node_folder.h"
#include "ledger/pkh/records.h"
#include "tests/test_support.h"

extern char** environ;

namespace jejak {
namespace {

namespace fs = std::filesystem;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::WriteBinary;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kPassphrase[] = "pkh cli passphrase";

using Outcome = ::jejak::testing::ProcessOutcome;

std::string Describe(const Outcome& r) {
  return fmt::format("exit {}\n--- stdout\n{}--- stderr\n{}", r.code, r.out, r.err);
}

// Runs `jejak args...` in a new session (nothing can prompt), with `input` on
// standard input and an environment cleared of JEJAK_* variables but for
// JEJAK_PASSPHRASE (unless `with_passphrase` is false).
Outcome Jejak(const std::vector<std::string>& args, const std::string& scratch,
              const std::string& input = "", bool with_passphrase = true) {
  std::map<std::string, std::string> env;
  if (with_passphrase) env["JEJAK_PASSPHRASE"] = kPassphrase;
  return ::jejak::testing::RunProcess(JEJAK_BINARY, args, env, scratch, input);
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

// An error report: exit 2 and exactly one line on stderr, "jejak: ...".
void ExpectOneLineError(const Outcome& r, std::string_view part) {
  EXPECT_EQ(r.code, 2) << Describe(r);
  EXPECT_THAT(r.err, StartsWith("jejak: ")) << Describe(r);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr(std::string(part))) << Describe(r);
  EXPECT_EQ(r.out, "") << Describe(r);
}

// The committed size of a node's own log (the folder must not be in use).
uint64_t OwnLogSize(const std::string& dir) {
  auto node = NodeFolder::Open(dir, StoreMode::kReadOnly);
  EXPECT_TRUE(node.ok()) << node.status().ToString();
  if (!node.ok()) return UINT64_MAX;
  LogReader reader((*node)->store(), (*node)->own_log());
  auto size = reader.Size();
  EXPECT_TRUE(size.ok()) << size.status().ToString();
  return size.ok() ? *size : UINT64_MAX;
}

constexpr char kIndexCsv[] =
    "component,amount_per_stage,max_members\n"
    "ibu_hamil,750000,2\nanak_usia_dini,750000,2\nsd,225000,4\nsmp,375000,4\nsma,500000,4\n"
    "disabilitas_berat,600000,4\nlansia,600000,4\n";

constexpr char kUpdatesHeader[] =
    "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
    "disabilitas_berat,lansia,evidence_sha256\n";
constexpr char kReceiptsHeader[] = "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n";

// The world of DOMAIN.md, built once through the CLI: a kemensos node, the
// kabupaten 7306 and BRI, both registered and holding the governance log, the
// program key, role keys granted (operator, two approvers, payer for 7306),
// stage 2026-T1 and the 2026 index. Each test works on its own copy.
// The size of the governance log a node holds (its replica's size).
uint64_t GovernanceSizeHeldBy(NodeFolder& node) {
  auto gov = FindLog(node.store(), "jejak.pkh/kemensos");
  if (!gov.ok()) return 0;
  LogReader reader(node.store(), *gov);
  auto size = reader.Size();
  return size.ok() ? *size : 0;
}

class PkhCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new std::string(MakeTempFolder("pkh-cli-world"));
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
    ok({"init", w + "/bank", "--kind", "lembaga-bayar", "--name", "BRI", "--region", "00",
        "--governance", gov_key, "--program-key", w + "/program.key"});
    for (const char* k : {"operator", "approver-a", "approver-b", "payer", "stranger"}) {
      ok({"key", "new", "--out", w + "/" + k + ".key", "--name", std::string("test/") + k});
    }
    ok({"registry", "add-node", w + "/kemensos", "--name", "Dinsos Gowa", "--kind", "kabupaten",
        "--region", "7306", "--key", FirstLine(ok({"key", "show", w + "/kab"}).out)});
    ok({"registry", "add-node", w + "/kemensos", "--name", "BRI", "--kind", "lembaga-bayar",
        "--region", "00", "--key", FirstLine(ok({"key", "show", w + "/bank"}).out)});
    for (const auto& [k, role] :
         std::vector<std::pair<std::string, std::string>>{{"operator", "operator"},
                                                          {"approver-a", "approver"},
                                                          {"approver-b", "approver"},
                                                          {"payer", "payer"}}) {
      std::vector<std::string> args = {
          "registry", "grant", w + "/kemensos", "--key", w + "/" + k + ".key",
          "--role",   role,    "--scope",       "7306"};
      if (role == "payer") {
        const std::string bank_key = FirstLine(ok({"key", "show", w + "/bank"}).out);
        args.insert(args.end(), {"--institution", bank_key.substr(0, bank_key.find('+'))});
      }
      ok(args);
    }
    ok({"stage", "open", w + "/kemensos", "--stage", "2026-T1", "--from", "2026-03-01", "--to",
        "2026-03-14"});
    EXPECT_TRUE(WriteBinary(w + "/index.csv", kIndexCsv));
    ok({"index", "set", w + "/kemensos", "--year", "2026", "--max-components", "4",
        w + "/index.csv"});
    ok({"export", w + "/kemensos", "--out", w + "/gov-tiles"});
    ok({"pull", w + "/kab", "--from", w + "/gov-tiles"});
    ok({"pull", w + "/bank", "--from", w + "/gov-tiles"});
  }
  static void TearDownTestSuite() {
    if (world_ != nullptr) RemoveFolder(*world_);
    delete world_;
    world_ = nullptr;
  }

  void SetUp() override {
    d_ = MakeTempFolder("pkh-cli");
    fs::copy(*world_, d_, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  void TearDown() override { RemoveFolder(d_); }

  std::string kem() const { return d_ + "/kemensos"; }
  std::string kab() const { return d_ + "/kab"; }
  std::string bank() const { return d_ + "/bank"; }
  std::string key(const char* name) const { return d_ + "/" + name + ".key"; }
  std::string Write(const std::string& name, const std::string& content) const {
    EXPECT_TRUE(WriteBinary(d_ + "/" + name, content));
    return d_ + "/" + name;
  }
  ProgramKey program_key() const {
    auto k = ParseProgramKeyFile(ReadBinary(d_ + "/program.key"));
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : ProgramKey{};
  }

  Outcome J(const std::vector<std::string>& args, const std::string& input = "") {
    Outcome r = Jejak(args, d_, input);
    outputs_.push_back(r.out);
    outputs_.push_back(r.err);
    return r;
  }
  Outcome Ok(const std::vector<std::string>& args, const std::string& input = "") {
    Outcome r = J(args, input);
    EXPECT_EQ(r.code, 0) << fmt::format("jejak {}\n", fmt::join(args, " ")) << Describe(r);
    return r;
  }

  static std::string* world_;
  std::string d_;
  std::vector<std::string> outputs_;  // everything the commands printed
};

std::string* PkhCliTest::world_ = nullptr;

TEST_F(PkhCliTest, ProgramKeyNewWritesASecretKeyFileAndNeverOverwritesOne) {
  const std::string file = d_ + "/new-program.key";
  Outcome r = Ok({"program-key", "new", "--out", file});
  EXPECT_EQ(r.out, "wrote a new program key to " + file +
                       " (keep it secret: it re-identifies families)\n");
  const std::string content = ReadBinary(file);
  EXPECT_THAT(content, MatchesRegex("[0-9a-f]{64}\n"));
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(ParseProgramKeyFile(content).ok());

  // Never overwritten: the key is the only way to re-identify families.
  ExpectOneLineError(J({"program-key", "new", "--out", file}),
                     file + " already exists; not overwriting it");
  EXPECT_EQ(ReadBinary(file), content);
  // Two keys are different.
  Ok({"program-key", "new", "--out", d_ + "/other.key"});
  EXPECT_NE(ReadBinary(d_ + "/other.key"), content);
}

TEST_F(PkhCliTest, InitWithGovernanceAndProgramKey) {
  const std::string gov_key = FirstLine(Ok({"key", "show", kem()}).out);
  Outcome r = Ok({"init", d_ + "/kab2", "--kind", "kabupaten", "--name", "Dinsos Maros", "--region",
                  "7309", "--governance", gov_key, "--program-key", d_ + "/program.key"});
  EXPECT_THAT(r.out, HasSubstr("origin:   jejak.pkh/kab/7309\n"));
  EXPECT_THAT(r.out, HasSubstr("trusts the governance log jejak.pkh/kemensos\n"));
  auto config = ReadNodeConfig(d_ + "/kab2");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_TRUE(config->governance.has_value());
  EXPECT_EQ(config->governance->ToString(), gov_key);
  EXPECT_TRUE(config->has_program_key);
  // The program key is kept sealed: the folder does not hold it in clear.
  const std::string hex = FirstLine(ReadBinary(d_ + "/program.key"));
  for (const auto& e : fs::recursive_directory_iterator(d_ + "/kab2")) {
    if (e.is_regular_file()) {
      EXPECT_THAT(ReadBinary(e.path().string()), Not(HasSubstr(hex))) << e.path();
    }
  }

  Outcome standalone =
      Ok({"init", d_ + "/solo", "--kind", "kabupaten", "--name", "Solo", "--region", "7309"});
  EXPECT_THAT(standalone.out,
              HasSubstr("standalone log (no --governance): PKH imports are refused here\n"));

  ExpectOneLineError(J({"init", d_ + "/kem2", "--kind", "kemensos", "--name", "K", "--region", "00",
                        "--governance", gov_key}),
                     "--governance is for the other nodes: the kemensos node's own key is the "
                     "anchor");
  ExpectOneLineError(J({"init", d_ + "/bad1", "--kind", "kabupaten", "--name", "K", "--region",
                        "7309", "--governance", "not-a-key"}),
                     "--governance: verifier key must be <name>+<hex key ID>+<base64 key>");
  Write("bad-program.key", "0123\n");
  ExpectOneLineError(J({"init", d_ + "/bad2", "--kind", "kabupaten", "--name", "K", "--region",
                        "7309", "--governance", gov_key, "--program-key", d_ + "/bad-program.key"}),
                     d_ + "/bad-program.key: a program key file holds 64 hex digits and a newline");
  EXPECT_FALSE(fs::exists(d_ + "/kem2"));
  EXPECT_FALSE(fs::exists(d_ + "/bad1"));
  EXPECT_FALSE(fs::exists(d_ + "/bad2"));
}

TEST_F(PkhCliTest, GovernanceCommandsAndTheirErrors) {
  uint64_t size = OwnLogSize(kem());
  auto appended = [&](const Outcome& r, std::string_view type, uint64_t records) {
    EXPECT_EQ(r.out, fmt::format("{} statement at leaf {}; governance log size {}\n", type, size,
                                 size + 1 + records))
        << Describe(r);
    size += 1 + records;
  };
  // Each refused command leaves the governance log as it was.
  auto refused = [&](const std::vector<std::string>& args, std::string_view part) {
    SCOPED_TRACE(fmt::format("jejak {}", fmt::join(args, " ")));
    ExpectOneLineError(J(args), part);
    EXPECT_EQ(OwnLogSize(kem()), size);
  };

  refused(
      {"registry", "grant", kem(), "--key", key("stranger"), "--role", "boss", "--scope", "7306"},
      "--role: unknown role; expected one of registrar, operator, approver, payer, auditor");
  refused({"registry", "grant", kem(), "--key", key("stranger"), "--role", "approver", "--scope",
           "73x"},
          "each --scope code (or *) must be a region code: 2 digits for a province (73), 4 for a "
          "kabupaten");
  refused({"registry", "grant", kem(), "--key", d_ + "/no-such.key", "--role", "approver",
           "--scope", "7306"},
          "--key must be a verifier key (name+id+key), a base64 public key, or a key file");
  // A key without the registrar role may not sign governance statements.
  refused({"registry", "grant", kem(), "--key", key("stranger"), "--role", "approver", "--scope",
           "7306", "--signer", key("operator")},
          fmt::format("holds no registrar role at governance size {}", size));

  // A registrar for province 73 grants within its scope, and only there.
  appended(Ok({"registry", "grant", kem(), "--key", key("stranger"), "--role", "registrar",
               "--scope", "73"}),
           "gov.grant", 1);
  appended(Ok({"registry", "grant", kem(), "--key", d_ + "/approver-a.key", "--role", "approver",
               "--scope", "7309", "--signer", key("stranger")}),
           "gov.grant", 1);
  refused({"registry", "grant", kem(), "--key", key("approver-a"), "--role", "approver", "--scope",
           "7471", "--signer", key("stranger")},
          "grants scope 7471 outside its own (73)");
  refused({"stage", "open", kem(), "--stage", "2026-T2", "--from", "2026-06-01", "--to",
           "2026-06-14", "--signer", key("stranger")},
          "only the root registrar opens stages and sets the benefit index");
  appended(Ok({"registry", "revoke", kem(), "--key", key("approver-a")}), "gov.revoke", 1);

  refused({"registry", "add-node", kem(), "--name", "X", "--kind", "kabupaten", "--region", "7x",
           "--key", FirstLine(Ok({"key", "show", kab()}).out)},
          "--region must be a kabupaten code of 4 digits");
  refused({"registry", "add-node", kem(), "--name", "X", "--kind", "desa", "--region", "7306",
           "--key", FirstLine(Ok({"key", "show", kab()}).out)},
          "node kind 'desa' is not one of kemensos, provinsi, kabupaten, lembaga-bayar, auditor");
  refused(
      {"stage", "open", kem(), "--stage", "2026-T2", "--from", "2026-06-14", "--to", "2026-06-01"},
      "--to is before --from");
  refused(
      {"stage", "open", kem(), "--stage", "2026-Q2", "--from", "2026-06-01", "--to", "2026-06-14"},
      "--stage: expected a stage id as YYYY-Tn with n from 1 to 9 (e.g. 2026-T1)");
  appended(Ok({"stage", "open", kem(), "--stage", "2026-T2", "--from", "2026-06-01", "--to",
               "2026-06-14"}),
           "gov.stage", 1);

  std::string index_rows = kIndexCsv;
  index_rows.replace(index_rows.find("sd,225000"), 9, "sd,-1");
  const std::string bad_index = Write("bad-index.csv", index_rows);
  refused({"index", "set", kem(), "--year", "2027", "--max-components", "4", bad_index},
          bad_index + " line 4 column 2 (amount_per_stage): negative amount");
  refused({"index", "set", kem(), "--year", "2027", "--max-components", "0", d_ + "/index.csv"},
          "--max-components must be between 1 and 99");
  appended(
      Ok({"index", "set", kem(), "--year", "2027", "--max-components", "4", d_ + "/index.csv"}),
      "gov.index", 1);

  refused({"policy", "set", kem(), "--approval-threshold", "0"},
          "--approval-threshold must be between 1 and 20");
  refused({"policy", "set", kem(), "--approval-threshold", "3", "--scope", "Gowa"},
          "--scope must be a region code: 2 digits for a province (73), 4 for a kabupaten");
  appended(Ok({"policy", "set", kem(), "--approval-threshold", "3", "--scope", "7306"}),
           "gov.policy", 1);

  // Governance statements belong on the kemensos node only.
  const uint64_t kab_size = OwnLogSize(kab());
  ExpectOneLineError(J({"stage", "open", kab(), "--stage", "2026-T3", "--from", "2026-09-01",
                        "--to", "2026-09-14"}),
                     "governance statements are appended on the kemensos node");
  EXPECT_EQ(OwnLogSize(kab()), kab_size);
}

TEST_F(PkhCliTest, ExportAndPull) {
  const uint64_t held = OwnLogSize(kem());
  const std::string tiles = d_ + "/gov-tiles";
  // Up to date from the world's pull.
  EXPECT_EQ(Ok({"pull", kab(), "--from", tiles}).out,
            fmt::format("jejak.pkh/kemensos: already up to date at size {}\n", held));

  Ok({"export", kem(), "--out", d_ + "/gov-old"});
  Ok({"stage", "open", kem(), "--stage", "2026-T2", "--from", "2026-06-01", "--to", "2026-06-14"});
  EXPECT_EQ(Ok({"export", kem(), "--out", tiles}).out,
            fmt::format("exported jejak.pkh/kemensos to {}: size {} -> {}, 2 files written\n",
                        tiles, held, held + 2));
  EXPECT_EQ(
      Ok({"pull", kab(), "--from", tiles}).out,
      fmt::format("pulled jejak.pkh/kemensos from {}: size {} -> {}\n", tiles, held, held + 2));
  EXPECT_EQ(Ok({"pull", kab(), "--from", d_ + "/gov-old"}).out,
            fmt::format("jejak.pkh/kemensos: {} holds size {}, behind this node's {}; nothing "
                        "to pull\n",
                        d_ + "/gov-old", held, held + 2));

  // A kabupaten log arrives at the bank as a new replica.
  Write("u.csv", std::string(kUpdatesHeader) + "U-1,KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n");
  Ok({"import", "updates", kab(), d_ + "/u.csv", "--key", key("operator")});
  Ok({"export", kab(), "--out", d_ + "/kab-tiles"});
  // Its statement is judged at the governance size the kabupaten held: the
  // bank must pull the governance log first.
  ExpectOneLineError(J({"pull", bank(), "--from", d_ + "/kab-tiles"}),
                     fmt::format("tiles {} refused, nothing stored: leaf 0: the statement is "
                                 "judged at governance size {}, but this node holds the "
                                 "governance log only to size {}: pull the governance log first",
                                 d_ + "/kab-tiles", held + 2, held));
  Ok({"pull", bank(), "--from", tiles});
  EXPECT_EQ(Ok({"pull", bank(), "--from", d_ + "/kab-tiles"}).out,
            fmt::format("pulled jejak.pkh/kab/7306 from {}: size 0 -> 2 (new replica)\n",
                        d_ + "/kab-tiles"));

  // A replica exports as its author's log did (sneaker-net onwards), and the
  // export of an origin the node does not hold is refused.
  EXPECT_EQ(Ok({"export", bank(), "--log", "jejak.pkh/kab/7306", "--out", d_ + "/relay"}).out,
            fmt::format("exported jejak.pkh/kab/7306 to {}: size 0 -> 2, 2 files written\n",
                        d_ + "/relay"));
  EXPECT_EQ(ReadBinary(d_ + "/relay/tile/entries/000.p/2"),
            ReadBinary(d_ + "/kab-tiles/tile/entries/000.p/2"));
  EXPECT_EQ(
      Ok({"verify", "--tiles", d_ + "/relay", "--key", FirstLine(Ok({"key", "show", kab()}).out)})
          .code,
      0);
  ExpectOneLineError(J({"export", bank(), "--log", "jejak.pkh/kab/9999", "--out", d_ + "/x"}),
                     "holds no log jejak.pkh/kab/9999");

  // A tampered export is refused in one line, naming the leaf.
  Ok({"pull", kem(), "--from", d_ + "/kab-tiles"});  // kemensos holds it too, untampered
  const std::string bundle = d_ + "/kab-tiles/tile/entries/000.p/2";
  std::string data = ReadBinary(bundle);
  ASSERT_GT(data.size(), 100u);
  data[data.size() - 10] ^= 0x01;  // inside leaf 1
  ASSERT_TRUE(WriteBinary(bundle, data));
  Ok({"init", d_ + "/auditor", "--kind", "auditor", "--name", "BPK", "--region", "00",
      "--governance", FirstLine(Ok({"key", "show", kem()}).out)});
  Ok({"pull", d_ + "/auditor", "--from", tiles});
  ExpectOneLineError(J({"pull", d_ + "/auditor", "--from", d_ + "/kab-tiles"}),
                     fmt::format("tiles {} refused, nothing stored: leaf 1: its hash does not "
                                 "match tile/0/000 (the entry or the tile was altered)",
                                 d_ + "/kab-tiles"));
  // A node that has not pulled the governance log cannot judge a kabupaten log.
  Ok({"init", d_ + "/auditor2", "--kind", "auditor", "--name", "BPK", "--region", "00",
      "--governance", FirstLine(Ok({"key", "show", kem()}).out)});
  Ok({"export", kab(), "--out", d_ + "/kab-tiles-2"});
  ExpectOneLineError(J({"pull", d_ + "/auditor2", "--from", d_ + "/kab-tiles-2"}),
                     "log 'jejak.pkh/kab/7306' is not registered in the governance log this node "
                     "holds (size 0); pull the governance log first");
}

TEST_F(PkhCliTest, AppendRefusesPkhTypesOnAGovernedNode) {
  Write("note.txt", "not an operator\n");
  ExpectOneLineError(
      J({"append", kab(), d_ + "/note.txt", "--type", "pkh.update", "--key", key("stranger")}),
      "pkh.update statements are written by the import, ba and registry commands, not by append");
  // Other types are judged: a key with no role for the region is refused.
  ExpectOneLineError(
      J({"append", kab(), d_ + "/note.txt", "--type", "generic.note", "--key", key("stranger")}),
      "holds no role for region 7306");
}

TEST_F(PkhCliTest, APullWarnsOfStatementsWhoseSignersLackAuthority) {
  // A hostile kabupaten bypasses its own checks (the library's raw append)
  // and logs a pkh.update signed by a key without the operator role; the
  // bank stores it as evidence and the pull says so.
  {
    auto node = NodeFolder::Open(kab(), StoreMode::kReadWrite);
    ASSERT_TRUE(node.ok()) << node.status().ToString();
    auto node_key = (*node)->UnlockKey(kPassphrase);
    ASSERT_TRUE(node_key.ok());
    auto stranger = UnlockKeyFile(key("stranger"), kPassphrase);
    ASSERT_TRUE(stranger.ok());
    auto writer = LogWriter::Open((*node)->store(), (*node)->own_log(), &*node_key);
    ASSERT_TRUE(writer.ok());
    StatementHeader h;
    h.origin = "jejak.pkh/kab/7306";
    h.type = "pkh.update";
    h.region = "7306";
    h.governance_size = GovernanceSizeHeldBy(**node);
    KpmUpdate u;
    u.update_id = "U-HOSTILE";
    u.effective_date = "2026-01-01";
    PreparedStatement p = PrepareStatement(h, {EncodePkhRecord(u).value()});
    SignStatement(p.statement, *stranger);
    ASSERT_TRUE(AppendStatement(**writer, p).ok());
  }
  Ok({"export", kab(), "--out", d_ + "/kab-tiles"});
  Outcome r = Ok({"pull", bank(), "--from", d_ + "/kab-tiles"});
  EXPECT_EQ(r.out, fmt::format("pulled jejak.pkh/kab/7306 from {}: size 0 -> 2 (new replica)\n",
                               d_ + "/kab-tiles"));
  EXPECT_THAT(r.err, StartsWith("warning: 1 statement or record is not authorized in "
                                "jejak.pkh/kab/7306 (stored as evidence; the audit reports "
                                "them):\n  leaf 0: signature 1 (key "));
  EXPECT_THAT(r.err, HasSubstr("lacks the operator role for region 7306"));
}

TEST_F(PkhCliTest, ImportUpdatesAndReceipts) {
  const std::string u1 = Write("u1.csv", std::string(kUpdatesHeader) +
                                             "U-1,KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n"
                                             "U-2,KPM-2,2026-01-10,deceased,0,0,1,0,0,0,0,\n"
                                             "U-3,KPM-3,2026-01-10,active,1,0,0,0,0,0,0,\n");
  EXPECT_EQ(Ok({"import", "updates", kab(), u1, "--key", key("operator")}).out,
            "imported 3 updates as one statement at leaf 0; checkpoint size 4\n");
  EXPECT_EQ(Ok({"import", "updates", kab(), u1, "--key", key("operator")}).out,
            "nothing new: all 3 rows were already present\n");
  const std::string u2 = Write("u2.csv", std::string(kUpdatesHeader) +
                                             "U-3,KPM-3,2026-01-10,active,1,0,0,0,0,0,0,\n"
                                             "U-4,KPM-4,2026-01-11,moved,0,0,0,0,0,0,0,\n"
                                             "U-1,KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n");
  EXPECT_EQ(Ok({"import", "updates", kab(), u2, "--key", key("operator")}).out,
            "imported 1 update as one statement at leaf 4; checkpoint size 6 (2 rows already "
            "present)\n");
  EXPECT_EQ(OwnLogSize(kab()), 6u);

  // Receipts, from standard input, as JSON.
  const std::string receipts =
      std::string(kReceiptsHeader) +
      "BRI-1,KPM-1,7306,2026-T1,1850000,paid,2026-03-05T10:15:00+07:00,kks\n"
      "BRI-2,KPM-3,7306,2026-T1,750000,failed,2026-03-06,rekening\n";
  EXPECT_EQ(Ok({"import", "receipts", bank(), "-", "--key", key("payer"), "--json"}, receipts).out,
            "{\"rows\":2,\"appended\":2,\"already_present\":0,\"index\":0,\"size\":3}\n");
  EXPECT_EQ(Ok({"import", "receipts", bank(), "-", "--key", key("payer"), "--json"}, receipts).out,
            "{\"rows\":2,\"appended\":0,\"already_present\":2,\"index\":null,\"size\":3}\n");

  // A bad row: one line naming file, line and column; nothing appended.
  const std::string bad = Write("bad.csv", std::string(kReceiptsHeader) +
                                               "BRI-3,KPM-4,7306,2026-T1,975000,paid,2026-03-05,"
                                               "kks\n"
                                               "BRI-4,KPM-5,7306,2026-T1,-975000,paid,2026-03-05,"
                                               "kks\n");
  ExpectOneLineError(J({"import", "receipts", bank(), bad, "--key", key("payer")}),
                     "jejak: nothing was appended: " + bad +
                         " line 3 column 5 (amount): negative amount; expected a whole number of "
                         "rupiah, digits only\n");
  ExpectOneLineError(
      J({"import", "receipts", bank(), "-", "--key", key("payer")},
        std::string(kReceiptsHeader) + "BRI-5,KPM-5,7306,2026-T9,975000,paid,2026-03-05,kks\n"),
      "nothing was appended: standard input line 2 column 4 (stage): unknown stage 2026-T9");
  EXPECT_EQ(OwnLogSize(bank()), 3u);

  // The wrong key for the node's role.
  ExpectOneLineError(J({"import", "updates", kab(), u1, "--key", key("payer")}),
                     "the key does not hold the operator role for region 7306");
  EXPECT_EQ(OwnLogSize(kab()), 6u);
}

TEST_F(PkhCliTest, PseudonymOfIdentifiersFromArgumentsAndStandardInput) {
  const ProgramKey pk = program_key();
  Outcome r = Ok({"pseudonym", kab(), "3171000000000001", "KPM-TEST-000002"});
  EXPECT_EQ(r.out, HexEncode(KpmPseudonym(pk, "3171000000000001")) + "\n" +
                       HexEncode(KpmPseudonym(pk, "KPM-TEST-000002")) + "\n");
  Outcome in = Ok({"pseudonym", bank(), "-"}, "3171000000000001\r\n\nKPM-TEST-000002\n");
  EXPECT_EQ(in.out, r.out);
  // Without the program key, nothing to compute it with.
  ExpectOneLineError(J({"pseudonym", kem(), "3171000000000001"}),
                     kem() + " has no program key: create the node with --program-key FILE");
}

TEST_F(PkhCliTest, AStandaloneNodeRefusesImports) {
  Ok({"init", d_ + "/solo", "--kind", "kabupaten", "--name", "Solo", "--region", "7306",
      "--program-key", d_ + "/program.key"});
  const std::string u =
      Write("u.csv", std::string(kUpdatesHeader) + "U-1,KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n");
  Outcome r = J({"import", "updates", d_ + "/solo", u, "--key", key("operator")});
  ExpectOneLineError(r, d_ + "/solo is a standalone log (created without --governance); PKH "
                             "records need a node that trusts a governance log");
  EXPECT_EQ(OwnLogSize(d_ + "/solo"), 0u);
}

// --- The privacy test ---

// Every occurrence of any of `needles` in `haystack`, as "needle at offset".
std::vector<std::string> Find(std::string_view haystack, const std::vector<std::string>& needles,
                              std::string_view where) {
  std::vector<std::string> found;
  for (const std::string& n : needles) {
    if (const size_t at = haystack.find(n); at != std::string_view::npos) {
      found.push_back(fmt::format("{} in {} at {}", n, where, at));
    }
  }
  return found;
}

TEST_F(PkhCliTest, NoIdentifierFromAnImportFileLeavesTheMachine) {
  // Distinctive identifiers (NIK-like, and free text of the length of a
  // name), each of which would be found wherever it was written.
  std::vector<std::string> ids;
  for (int i = 1; i <= 6; ++i) ids.push_back(fmt::format("3306NIKRAHASIA{:02d}", i));
  ids.push_back("SITI-NURHALIZA-BINTI-RAHASIA-JL-MAWAR-07");

  std::string updates = kUpdatesHeader, receipts = kReceiptsHeader;
  for (size_t i = 0; i < ids.size(); ++i) {
    updates += fmt::format("U-{},{},2026-01-10,active,1,0,2,1,1,0,0,\n", i, ids[i]);
    receipts +=
        fmt::format("BRI-{},{},7306,2026-T1,1850000,paid,2026-03-0{},kks\n", i, ids[i], 1 + i % 9);
  }
  const std::string u = Write("updates.csv", updates), r = Write("receipts.csv", receipts);
  Ok({"import", "updates", kab(), u, "--key", key("operator")});
  Ok({"import", "receipts", bank(), r, "--key", key("payer")});
  Ok({"import", "updates", kab(), u, "--key", key("operator")});  // all present
  // Refused rows must not echo the identifier either: a bad value beside it,
  // the identifier too long, and a repeated key.
  for (const std::string& bad_row :
       {fmt::format("BRI-90,{},7306,2026-T1,1850000,lunas,2026-03-05,kks\n", ids[0]),
        fmt::format("BRI-91,{}{},7306,2026-T1,1850000,paid,2026-03-05,kks\n", ids[6], ids[6]),
        fmt::format("BRI-1,{},7306,2026-T1,1,paid,2026-03-05,kks\n", ids[1]),
        fmt::format("BRI-92,{},7371,2026-T1,1850000,paid,2026-03-05,kks\n", ids[2])}) {
    const std::string bad = Write("bad.csv", std::string(kReceiptsHeader) + bad_row);
    EXPECT_EQ(J({"import", "receipts", bank(), bad, "--key", key("payer")}).code, 2);
  }
  EXPECT_EQ(J({"import", "updates", kab(), "-", "--key", key("operator")},
              std::string(kUpdatesHeader) +
                  fmt::format("U-99,{},2026-02-30,active,0,0,0,0,0,0,0,\n", ids[3]))
                .code,
            2);
  Ok({"pseudonym", kab(), ids[0], ids[1]});
  Ok({"pseudonym", kab(), "-"}, ids[2] + "\n" + ids[3] + "\n");
  // The logs travel: exported, and pulled into other stores.
  Ok({"export", kab(), "--out", d_ + "/kab-tiles"});
  Ok({"export", bank(), "--out", d_ + "/bank-tiles"});
  Ok({"pull", kem(), "--from", d_ + "/kab-tiles"});
  Ok({"pull", kem(), "--from", d_ + "/bank-tiles"});
  Ok({"pull", bank(), "--from", d_ + "/kab-tiles"});
  Ok({"verify", kab()});
  Ok({"verify", kem()});
  Ok({"prove", "inclusion", kab(), "--index", "1"});

  std::vector<std::string> found;
  // 1. Every byte of every file under the node folders and the exports.
  //    Not enough alone: RocksDB compresses data blocks (LZ4) in its table
  //    files, so an identifier stored in a leaf or an index entry could be
  //    there in a form no byte search matches. Hence 2 and 3.
  uint64_t files = 0;
  for (const char* dir : {"kab", "bank", "kemensos", "kab-tiles", "bank-tiles"}) {
    for (const auto& e : fs::recursive_directory_iterator(d_ + "/" + dir)) {
      if (!e.is_regular_file()) continue;
      ++files;
      auto f = Find(ReadBinary(e.path().string()), ids, e.path().string());
      found.insert(found.end(), f.begin(), f.end());
    }
  }
  EXPECT_GT(files, 20u);
  // 2. Every key and value of every column of every store, as the store
  //    returns them (decompressed): leaves, tiles, checkpoints, the index.
  //    And every leaf of every log decoded: records name families only by
  //    their pseudonyms.
  const ProgramKey pk = program_key();
  std::vector<Pseudonym> pseudonyms;
  for (const std::string& id : ids) pseudonyms.push_back(KpmPseudonym(pk, id));
  uint64_t values = 0, records = 0;
  for (const char* dir : {"kab", "bank", "kemensos"}) {
    auto node = NodeFolder::Open(d_ + "/" + dir, StoreMode::kReadOnly);
    ASSERT_TRUE(node.ok()) << node.status().ToString();
    Store& store = (*node)->store();
    for (int c = 0; c < kColumnCount; ++c) {
      auto it = store.NewIterator(static_cast<Column>(c));
      for (it->Seek(""); it->Valid(); it->Next(), ++values) {
        const std::string where = fmt::format("{} column {}", dir, ColumnName(Column(c)));
        auto k = Find(it->key(), ids, where + " (key)");
        auto v = Find(it->value(), ids, where + " (value)");
        found.insert(found.end(), k.begin(), k.end());
        found.insert(found.end(), v.begin(), v.end());
      }
      ASSERT_TRUE(it->status().ok()) << it->status().ToString();
    }
    auto logs = ListLogs(store);
    ASSERT_TRUE(logs.ok()) << logs.status().ToString();
    for (const LogInfo& info : *logs) {
      LogReader reader(store, info);
      auto n = reader.Size();
      ASSERT_TRUE(n.ok());
      ASSERT_TRUE(reader
                      .ForEachLeaf(0, *n,
                                   [&](uint64_t, ByteSpan leaf) -> Status {
                                     auto rec = DecodePkhRecord(leaf);
                                     if (!rec.ok() || !*rec) return Status::Ok();
                                     Pseudonym kpm{};
                                     if (auto* x = std::get_if<KpmUpdate>(&**rec)) kpm = x->kpm;
                                     if (auto* x = std::get_if<Receipt>(&**rec)) kpm = x->kpm;
                                     if (kpm == Pseudonym{}) return Status::Ok();  // governance
                                     EXPECT_NE(std::find(pseudonyms.begin(), pseudonyms.end(), kpm),
                                               pseudonyms.end());
                                     ++records;
                                     return Status::Ok();
                                   })
                      .ok());
    }
  }
  // kab and bank: 7 + 7 records of their own; bank and kemensos replicas.
  EXPECT_EQ(records, 7u * 5);
  EXPECT_GT(values, 100u);
  // 3. The exported entry bundles hold the leaves uncompressed.
  for (const char* dir : {"kab-tiles", "bank-tiles"}) {
    for (const auto& e : fs::recursive_directory_iterator(d_ + "/" + dir + "/tile/entries")) {
      if (!e.is_regular_file()) continue;
      const std::string bundle = ReadBinary(e.path().string());
      // Logs here are under 256 leaves: one bundle, "000" (full) or "000.p/W".
      const bool partial = e.path().parent_path().filename() == "000.p";
      const uint32_t width =
          partial ? static_cast<uint32_t>(std::stoul(e.path().filename().string())) : 256;
      ASSERT_TRUE(
          DecodeEntryBundle(bundle, width, 0, e.path().string(), [&](uint64_t i, ByteSpan leaf) {
            auto f = Find(AsChars(leaf), ids, fmt::format("{} leaf {}", e.path().string(), i));
            found.insert(found.end(), f.begin(), f.end());
            return Status::Ok();
          }).ok());
    }
  }
  // 4. Everything any command printed.
  for (const std::string& text : outputs_) {
    auto f = Find(text, ids, "output");
    found.insert(found.end(), f.begin(), f.end());
  }
  EXPECT_THAT(found, ::testing::IsEmpty());

  // The searches do see what is there: the import files hold the
  // identifiers, and the decoded store holds the transaction references.
  EXPECT_EQ(Find(ReadBinary(u), ids, "updates.csv").size(), ids.size());
  auto node = NodeFolder::Open(bank(), StoreMode::kReadOnly);
  ASSERT_TRUE(node.ok());
  bool seen_txn_ref = false;
  auto it = (*node)->store().NewIterator(Column::kIndex);
  for (it->Seek(""); it->Valid(); it->Next())
    seen_txn_ref |= it->key().find("BRI-5") != std::string_view::npos;
  EXPECT_TRUE(seen_txn_ref);
}

TEST_F(PkhCliTest, AuditAStageFromAnAuditorNode) {
  // KPM-1 paid right; KPM-2 underpaid; KPM-3 approved, never paid; KPM-9 paid
  // without approval.
  Ok({"import", "updates", kab(),
      Write("u.csv", std::string(kUpdatesHeader) + "U-1,KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n"
                                                   "U-2,KPM-2,2026-01-10,active,1,0,2,1,1,0,0,\n"
                                                   "U-3,KPM-3,2026-01-10,active,1,0,2,1,1,0,0,\n"),
      "--key", key("operator")});
  const std::string ba_csv = Write("ba.csv",
                                   "id_kpm,lembaga_bayar,amount\n"
                                   "KPM-1,BRI,1850000\nKPM-2,BRI,1850000\nKPM-3,BRI,1850000\n");
  Ok({"ba", "draft", kab(), "--stage", "2026-T1", "--date", "2026-02-20", "--number", "800/1/T",
      ba_csv, "--out", d_ + "/BA.json"});
  Ok({"ba", "sign", d_ + "/BA.json", "--key", key("approver-a")});
  Ok({"ba", "sign", d_ + "/BA.json", "--key", key("approver-b")});
  Ok({"ba", "submit", kab(), d_ + "/BA.json"});
  Ok({"import", "receipts", bank(),
      Write("r.csv", std::string(kReceiptsHeader) +
                         "BRI-1,KPM-1,7306,2026-T1,1850000,paid,2026-03-05,kks\n"
                         "BRI-2,KPM-2,7306,2026-T1,1350000,paid,2026-03-05,kks\n"
                         "BRI-9,KPM-9,7306,2026-T1,600000,paid,2026-03-05,kks\n"),
      "--key", key("payer")});
  const std::string gov_key = FirstLine(Ok({"key", "show", kem()}).out);
  const std::string auditor = d_ + "/auditor";
  Ok({"init", auditor, "--kind", "auditor", "--name", "BPK", "--region", "00", "--governance",
      gov_key});
  // Before any pull: no governance log.
  ExpectOneLineError(J({"audit", auditor, "--stage", "2026-T1"}),
                     "holds no governance log (jejak.pkh/kemensos): pull it first");
  for (const std::string& node : {kem(), kab(), bank()}) {
    Ok({"export", node, "--out", node + "-tiles"});
    Ok({"pull", auditor, "--from", node + "-tiles"});
  }

  Outcome json = Ok({"audit", auditor, "--stage", "2026-T1", "--as-of", "2026-04-01", "--format",
                     "json", "--proofs"});
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["stage"], "2026-T1");
  EXPECT_EQ(j["as_of"], "2026-04-01");
  EXPECT_EQ(j["logs"].size(), 4u);
  EXPECT_EQ(j["summary"]["PAID_NOT_APPROVED"], 1);
  EXPECT_EQ(j["summary"]["AMOUNT_MISMATCH"], 1);
  EXPECT_EQ(j["summary"]["UNPAID_AFTER_WINDOW"], 1);
  EXPECT_EQ(j["totals"]["findings"], 3);
  EXPECT_EQ(j["totals"]["approved_amount"], 5550000);
  EXPECT_EQ(j["totals"]["paid_amount"], 3800000);
  const ProgramKey pk = program_key();
  std::map<std::string, std::string> kpm_of;
  for (const auto& f : j["findings"]) {
    kpm_of[f["type"]] = f["kpm"];
    EXPECT_FALSE(f["leaves"][0]["proof"].is_null());
  }
  EXPECT_EQ(kpm_of["AMOUNT_MISMATCH"], HexEncode(KpmPseudonym(pk, "KPM-2")));
  EXPECT_EQ(kpm_of["PAID_NOT_APPROVED"], HexEncode(KpmPseudonym(pk, "KPM-9")));
  EXPECT_EQ(kpm_of["UNPAID_AFTER_WINDOW"], HexEncode(KpmPseudonym(pk, "KPM-3")));
  // The same report again, byte for byte.
  EXPECT_EQ(Ok({"audit", auditor, "--stage", "2026-T1", "--as-of", "2026-04-01", "--format", "json",
                "--proofs"})
                .out,
            json.out);

  // A copy of the auditor's folder that cannot be written (an archive, another
  // user's folder) is audited as it stands, the same bytes; as root, the
  // audit runs as nobody for the permissions to hold.
  const std::string archive = d_ + "/archive";
  std::filesystem::copy(auditor, archive, std::filesystem::copy_options::recursive);
  ASSERT_EQ(std::system(("chmod -R a-w,a+rX " + archive + " && chmod a+rx " + d_).c_str()), 0);
  std::vector<std::string> args = {"audit",      archive,    "--stage", "2026-T1", "--as-of",
                                   "2026-04-01", "--format", "json",    "--proofs"};
  std::string binary = JEJAK_BINARY;
  if (::geteuid() == 0) {
    args.insert(args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", JEJAK_BINARY});
    binary = "/usr/bin/setpriv";
  }
  const Outcome read_only = testing::RunProcess(binary, args, {}, d_);
  EXPECT_EQ(read_only.code, 0) << read_only.err;
  EXPECT_EQ(read_only.out, json.out);
  std::system(("chmod -R u+w " + archive).c_str());

  // CSV into a file; a text report for people; a scope without findings.
  Outcome to_file = Ok({"audit", auditor, "--stage", "2026-T1", "--as-of", "2026-04-01", "--format",
                        "csv", "--out", d_ + "/audit.csv"});
  EXPECT_EQ(to_file.out, "");
  EXPECT_THAT(to_file.err, HasSubstr("written to " + d_ + "/audit.csv: 3 findings"));
  const std::string csv = ReadBinary(d_ + "/audit.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
  EXPECT_THAT(csv, HasSubstr("AMOUNT_MISMATCH,2026-T1,7306,"));
  Outcome text = Ok({"audit", auditor, "--stage", "2026-T1", "--as-of", "2026-04-01"});
  EXPECT_THAT(text.out, HasSubstr("FINDINGS IN KABUPATEN 7306"));
  EXPECT_THAT(text.out, HasSubstr("AMOUNT_MISMATCH (1)"));
  Outcome other = Ok({"audit", auditor, "--stage", "2026-T1", "--as-of", "2026-04-01",
                      "--kabupaten", "7307,74", "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(other.out)["findings"].size(), 0u);

  // --reveal with the program key and the berita acara's own CSV: the
  // identifiers appear in that report only.
  Outcome revealed =
      Ok({"audit", auditor, "--stage", "2026-T1", "--as-of", "2026-04-01", "--format", "csv",
          "--reveal", ba_csv, "--program-key", d_ + "/program.key"});
  EXPECT_THAT(revealed.out, HasSubstr(",KPM-2,BRI-2,"));
  EXPECT_THAT(revealed.out, HasSubstr(",KPM-3,,"));
  EXPECT_THAT(revealed.out, Not(HasSubstr("KPM-9")));  // not in the list given
  EXPECT_THAT(json.out + csv + text.out, Not(HasSubstr("KPM-")));

  // Usage errors: one line each.
  ExpectOneLineError(J({"audit", auditor, "--stage", "2026-T1", "--as-of", ""}),
                     "--as-of must be a date YYYY-MM-DD or a date-time");
  ExpectOneLineError(J({"audit", auditor, "--stage", "2026-T1", "--format", "xml"}),
                     "--format is one of text, csv, json");
  ExpectOneLineError(J({"audit", auditor, "--stage", "2026-T1", "--reveal", ba_csv}),
                     "--reveal and --program-key go together");
  ExpectOneLineError(
      J({"audit", auditor, "--stage", "2026-T1", "--reveal", d_ + "/index.csv", "--program-key",
         d_ + "/program.key"}),
      "--reveal: " + d_ + "/index.csv line 1: missing column id_kpm; expected at least id_kpm");
  ExpectOneLineError(J({"audit", auditor, "--stage", "2026-T1", "--as-of", "1 April"}), "--as-of");
  ExpectOneLineError(J({"audit", auditor, "--stage", "2027-T1"}), "never opened stage 2027-T1");
}

TEST_F(PkhCliTest, EquivocationEvidenceIsKeptPrintedAndCheckable) {
  const std::string u1 =
      Write("u1.csv", std::string(kUpdatesHeader) + "U-1,KPM-1,2026-01-10,active,1,0,2,1,1,0,0,\n");
  Ok({"import", "updates", kab(), u1, "--key", key("operator")});
  // The kabupaten's folder copied: one key, two histories of the same size.
  fs::copy(kab(), d_ + "/kab-fork", fs::copy_options::recursive);
  Ok({"import", "updates", kab(),
      Write("u2.csv", std::string(kUpdatesHeader) + "U-2,KPM-2,2026-01-10,active,1,0,0,0,0,0,0,\n"),
      "--key", key("operator")});
  Ok({"import", "updates", d_ + "/kab-fork",
      Write("u3.csv", std::string(kUpdatesHeader) + "U-3,KPM-3,2026-01-10,active,0,0,1,0,0,0,0,\n"),
      "--key", key("operator")});
  const std::string auditor = d_ + "/auditor";
  Ok({"init", auditor, "--kind", "auditor", "--name", "BPK", "--region", "00", "--governance",
      FirstLine(Ok({"key", "show", kem()}).out)});
  for (const std::string& node : {kem(), kab(), d_ + "/kab-fork"}) {
    Ok({"export", node, "--out", node + "-tiles"});
  }
  Ok({"pull", auditor, "--from", kem() + "-tiles"});
  Ok({"pull", auditor, "--from", kab() + "-tiles"});
  ExpectOneLineError(J({"pull", auditor, "--from", d_ + "/kab-fork-tiles"}),
                     "equivocation. Evidence stored (jejak evidence); the replica is frozen");
  ExpectOneLineError(J({"pull", auditor, "--from", kab() + "-tiles"}), "is frozen");

  Outcome printed = Ok({"evidence", auditor});
  const auto j = nlohmann::json::parse(printed.out);
  EXPECT_EQ(j["format"], "jejak-equivocation-v1");
  EXPECT_EQ(j["origin"], "jejak.pkh/kab/7306");
  const std::string file = Write("evidence.json", printed.out);
  const std::string kab_key = FirstLine(Ok({"key", "show", kab()}).out);
  EXPECT_THAT(Ok({"evidence", "--check", file, "--key", kab_key}).out,
              HasSubstr("evidence verifies: jejak.pkh/kab/7306 signed two checkpoints"));
  // Another key, or a changed checkpoint, does not verify.
  Outcome wrong_key =
      J({"evidence", "--check", file, "--key", FirstLine(Ok({"key", "show", bank()}).out)});
  EXPECT_EQ(wrong_key.code, 1) << Describe(wrong_key);
  EXPECT_THAT(wrong_key.err, HasSubstr("not the key given"));
  nlohmann::json changed = j;
  std::string note = changed["checkpoint_b"];
  note[note.find('\n') + 1] = note[note.find('\n') + 1] == '9' ? '8' : '9';  // the size line
  changed["checkpoint_b"] = note;
  Outcome bad = J({"evidence", "--check", Write("bad.json", changed.dump())});
  EXPECT_EQ(bad.code, 1) << Describe(bad);
  EXPECT_THAT(bad.err, HasSubstr("does NOT prove equivocation"));

  auto report = nlohmann::json::parse(
      Ok({"audit", auditor, "--stage", "2026-T1", "--as-of", "2026-04-01", "--format", "json"})
          .out);
  EXPECT_EQ(report["summary"]["EQUIVOCATION"], 1);
  EXPECT_EQ(report["findings"][0]["type"], "EQUIVOCATION");
  EXPECT_EQ(report["findings"][0]["kabupaten"], "7306");
}

}  // namespace
}  // namespace jejak
