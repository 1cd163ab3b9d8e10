// End to end through the real `jejak` binary: every command is run as a
// separate process with its own environment, and its exit code, standard
// output and standard error are checked.
#include <fcntl.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/note.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/store.h"
#include "ledger/pkh/node_folder.h"
#include "tests/ledger/log/raw_store.h"
#include "tests/test_support.h"

extern char** environ;

namespace jejak {
namespace {
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::WriteBinary;

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kPassphrase[] = "correct horse battery staple";

using Outcome = ::jejak::testing::ProcessOutcome;

// Runs `jejak args...` in a new session (no controlling terminal, so nothing
// can prompt), with `input` on its standard input and `env` added to an
// environment cleared of JEJAK_* variables.
Outcome Jejak(const std::vector<std::string>& args, const std::string& scratch,
              const std::map<std::string, std::string>& env = {{"JEJAK_PASSPHRASE", kPassphrase}},
              const std::string& input = "") {
  return ::jejak::testing::RunProcess(JEJAK_BINARY, args, env, scratch, input);
}

std::string Describe(const Outcome& r) {
  return fmt::format("exit {}\n--- stdout\n{}--- stderr\n{}", r.code, r.out, r.err);
}

// An error report: exactly one line on stderr, starting "jejak: ".
void ExpectOneLineError(const Outcome& r, std::string_view part) {
  EXPECT_EQ(r.code, 2) << Describe(r);
  EXPECT_THAT(r.err, StartsWith("jejak: ")) << Describe(r);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr(std::string(part))) << Describe(r);
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

std::map<std::string, std::string> FolderContents(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file())
      out[fs::relative(e.path(), dir).string()] = ReadBinary(e.path().string());
  }
  return out;
}

std::string ReadConfigOrigin(const std::string& dir) {
  return nlohmann::json::parse(ReadBinary(dir + "/node.json"))["origin"].get<std::string>();
}

std::string TempFolder(const char* what) { return MakeTempFolder(fmt::format("cli-{}", what)); }

// Changes one byte of leaf `index` of log 1 with RocksDB's own API.
void CorruptLeaf(const std::string& db_path, uint64_t index, uint32_t log = 1) {
  const std::vector<rocksdb::ColumnFamilyDescriptor> cfs = testing::StoreColumnFamilies();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(), db_path, cfs, &handles, &raw);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::unique_ptr<rocksdb::DB> db(raw);
  auto* leaves = handles[1 + static_cast<size_t>(Column::kLeaves)];
  const std::string key = store_keys::Leaf(log, index);
  std::string value;
  s = db->Get(rocksdb::ReadOptions(), leaves, key, &value);
  ASSERT_TRUE(s.ok()) << s.ToString();
  value[value.size() / 2] ^= 0x08;
  rocksdb::WriteOptions o;
  o.sync = true;
  s = db->Put(o, leaves, key, value);
  EXPECT_TRUE(s.ok()) << s.ToString();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
}

// One node with a role key and two statements, shared by the read-only tests.
class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new std::string(TempFolder("suite"));
    const std::string& r = *root_;
    Outcome init = Jejak({"init", r + "/node", "--kind", "kabupaten", "--name", "Dinsos Kab. Test",
                          "--region", "7404"},
                         r);
    ASSERT_EQ(init.code, 0) << Describe(init);
    Outcome key =
        Jejak({"key", "new", "--out", r + "/approver.key", "--name", "kab-7404/approver-1"}, r);
    ASSERT_EQ(key.code, 0) << Describe(key);
    EXPECT_TRUE(WriteBinary(r + "/first.txt", "KPM 0001 paid\nKPM 0002 paid\nKPM 0003 failed\n"));
    Outcome a1 = Jejak({"append", r + "/node", r + "/first.txt", "--type", "generic.note", "--key",
                        r + "/approver.key"},
                       r);
    ASSERT_EQ(a1.code, 0) << Describe(a1);
    first_checkpoint_ = new std::string(Jejak({"checkpoint", r + "/node"}, r).out);
    Outcome a2 =
        Jejak({"append", r + "/node", "-", "--type", "generic.note", "--key", r + "/approver.key",
               "--json"},
              r, {{"JEJAK_PASSPHRASE", kPassphrase}}, "KPM 0004 returned\r\nKPM 0005 paid");
    ASSERT_EQ(a2.code, 0) << Describe(a2);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (root_ != nullptr) fs::remove_all(*root_, ec);
    delete root_;
    delete first_checkpoint_;
    root_ = first_checkpoint_ = nullptr;
  }

  void SetUp() override { scratch_ = TempFolder("test"); }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(scratch_, ec);
  }

  static std::string node() { return *root_ + "/node"; }
  static std::string role_key() { return *root_ + "/approver.key"; }
  Outcome J(const std::vector<std::string>& args) { return Jejak(args, scratch_); }

  // The latest checkpoint of `dir`, verified with the key `key show` prints.
  SignedCheckpoint LatestCheckpoint(const std::string& dir) {
    Outcome show = J({"key", "show", dir});
    EXPECT_EQ(show.code, 0) << Describe(show);
    auto key = ParseVerifierKey(FirstLine(show.out));
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    Outcome cp = J({"checkpoint", dir});
    EXPECT_EQ(cp.code, 0) << Describe(cp);
    auto opened = OpenCheckpoint(cp.out, *key);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString() << "\n" << cp.out;
    return opened.ok() ? *opened : SignedCheckpoint{};
  }

  // Another kabupaten node (7405) at `dir`, with one statement of two
  // records, exported to `out`.
  void MakeOtherKabupaten(const std::string& dir, const std::string& out) {
    ASSERT_EQ(J({"init", dir, "--kind", "kabupaten", "--name", "Other", "--region", "7405"}).code,
              0);
    ASSERT_TRUE(WriteBinary(dir + "-lines.txt", "one\ntwo\n"));
    ASSERT_EQ(
        J({"append", dir, dir + "-lines.txt", "--type", "generic.note", "--key", role_key()}).code,
        0);
    ASSERT_EQ(J({"export", dir, "--out", out}).code, 0);
  }

  std::string scratch_;
  static std::string* root_;
  static std::string* first_checkpoint_;
};

std::string* CliTest::root_ = nullptr;
std::string* CliTest::first_checkpoint_ = nullptr;

TEST_F(CliTest, InitCreatesEveryKindOfNode) {
  struct Case {
    const char* kind;
    const char* name;
    const char* region;
    const char* origin;
  };
  const std::vector<Case> cases = {
      {"kemensos", "Kementerian Sosial", "00", "jejak.pkh/kemensos"},
      {"provinsi", "Dinsos Sulawesi Tenggara", "74", "jejak.pkh/prov/74"},
      {"kabupaten", "Dinsos Kab. Buton", "7404", "jejak.pkh/kab/7404"},
      {"lembaga-bayar", "Bank Rakyat Indonesia", "00", "jejak.pkh/bank/bank-rakyat-indonesia"},
      {"auditor", "BPK RI", "00", "jejak.pkh/auditor/bpk-ri"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.kind);
    const std::string dir = scratch_ + "/" + c.kind;
    if (std::string_view(c.kind) == "auditor") fs::create_directories(dir);  // empty is fine
    Outcome r = J({"init", dir, "--kind", c.kind, "--name", c.name, "--region", c.region});
    ASSERT_EQ(r.code, 0) << Describe(r);
    EXPECT_EQ(r.err, "");
    EXPECT_THAT(r.out, HasSubstr(fmt::format("origin:   {}\n", c.origin)));
    EXPECT_TRUE(fs::exists(dir + "/node.json"));
    EXPECT_TRUE(fs::exists(dir + "/node.key"));
    EXPECT_EQ(fs::status(dir + "/node.key").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    auto config = nlohmann::json::parse(ReadBinary(dir + "/node.json"));
    EXPECT_EQ(config["kind"], c.kind);
    EXPECT_EQ(config["origin"], c.origin);
    // The node key printed by init is the one `key show DIR` prints, and the
    // new log's checkpoint is the empty tree signed by it.
    Outcome show = J({"key", "show", dir});
    ASSERT_EQ(show.code, 0) << Describe(show);
    EXPECT_THAT(r.out, HasSubstr(fmt::format("node key: {}", show.out)));
    EXPECT_EQ(config["node_key"], FirstLine(show.out));
    const SignedCheckpoint cp = LatestCheckpoint(dir);
    EXPECT_EQ(cp.checkpoint.origin, c.origin);
    EXPECT_EQ(cp.checkpoint.size, 0u);
    EXPECT_EQ(cp.checkpoint.root, EmptyTreeRoot());
  }
}

TEST_F(CliTest, InitRefusesUnknownKind) {
  const std::string dir = scratch_ + "/bank";
  Outcome r = J({"init", dir, "--kind", "bank", "--name", "X", "--region", "74"});
  ExpectOneLineError(r, "kemensos, provinsi, kabupaten, lembaga-bayar, auditor");
  EXPECT_THAT(r.err, HasSubstr("'bank'"));
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(CliTest, InitRefusesNonEmptyFolderAndChangesNothing) {
  const std::string area = scratch_ + "/area";
  const std::string dir = area + "/busy";
  fs::create_directories(dir);
  EXPECT_TRUE(WriteBinary(dir + "/keep.txt", "mine\n"));
  Outcome r = J({"init", dir, "--kind", "auditor", "--name", "BPK", "--region", "00"});
  ExpectOneLineError(r, "already exists and is not an empty folder");
  EXPECT_THAT(r.err, HasSubstr(dir));
  EXPECT_EQ(FolderContents(area),
            (std::map<std::string, std::string>{{"busy/keep.txt", "mine\n"}}));
  // No temporary build folder is left beside it.
  for (const auto& e : fs::directory_iterator(area)) {
    EXPECT_THAT(e.path().filename().string(), ::testing::Not(HasSubstr(".init-")));
  }

  // An existing node is not overwritten either.
  Outcome again = J({"init", node(), "--kind", "auditor", "--name", "BPK", "--region", "00"});
  ExpectOneLineError(again, "already exists");
  EXPECT_EQ(ReadConfigOrigin(node()), "jejak.pkh/kab/7404");
}

// A symlink to an empty folder (a mount point, say) is initialized where it
// points, and the link keeps naming the node.
TEST_F(CliTest, InitThroughASymlinkToAnEmptyFolder) {
  fs::create_directories(scratch_ + "/disk");
  fs::create_directory_symlink(scratch_ + "/disk", scratch_ + "/link");
  Outcome r =
      J({"init", scratch_ + "/link", "--kind", "auditor", "--name", "BPK", "--region", "00"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(scratch_ + "/link"));
  EXPECT_EQ(ReadConfigOrigin(scratch_ + "/link"), "jejak.pkh/auditor/bpk");
  EXPECT_EQ(ReadConfigOrigin(scratch_ + "/disk"), "jejak.pkh/auditor/bpk");
}

TEST_F(CliTest, InitRefusesBadRegionAndEmptyPassphrase) {
  Outcome region =
      J({"init", scratch_ + "/a", "--kind", "kabupaten", "--name", "X", "--region", "74a"});
  ExpectOneLineError(region, "--region must be a kabupaten code of 4 digits");
  EXPECT_TRUE(WriteBinary(scratch_ + "/empty-pass", "\n"));
  Outcome empty = Jejak({"init", scratch_ + "/b", "--kind", "auditor", "--name", "X", "--region",
                         "00", "--passphrase-file", scratch_ + "/empty-pass"},
                        scratch_, {});
  ExpectOneLineError(empty, "passphrase is empty");
  EXPECT_FALSE(fs::exists(scratch_ + "/a"));
  EXPECT_FALSE(fs::exists(scratch_ + "/b"));
}

TEST_F(CliTest, KeyNewShowAndNoOverwrite) {
  const std::string path = scratch_ + "/payer.key";
  Outcome made = J({"key", "new", "--out", path, "--name", "bank-bri/payer-1"});
  ASSERT_EQ(made.code, 0) << Describe(made);
  auto vk = ParseVerifierKey(FirstLine(made.out));
  ASSERT_TRUE(vk.ok()) << vk.status().ToString() << "\n" << made.out;
  EXPECT_EQ(vk->name, "bank-bri/payer-1");
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  Outcome show = J({"key", "show", path});
  ASSERT_EQ(show.code, 0) << Describe(show);
  EXPECT_EQ(show.out, made.out);

  const std::string contents = ReadBinary(path);
  Outcome again = J({"key", "new", "--out", path, "--name", "bank-bri/payer-2"});
  ExpectOneLineError(again, path);
  EXPECT_EQ(ReadBinary(path), contents);

  Outcome bad_name = J({"key", "new", "--out", scratch_ + "/x.key", "--name", "has space"});
  ExpectOneLineError(bad_name, "key name 'has space'");
  EXPECT_FALSE(fs::exists(scratch_ + "/x.key"));

  Outcome missing = J({"key", "show", scratch_ + "/nothing.key"});
  ExpectOneLineError(missing, "nothing.key");

  // DIR: the node key, as node.json records it.
  Outcome node_key = J({"key", "show", node()});
  ASSERT_EQ(node_key.code, 0) << Describe(node_key);
  auto nk = ParseVerifierKey(FirstLine(node_key.out));
  ASSERT_TRUE(nk.ok()) << nk.status().ToString();
  EXPECT_EQ(nk->name, "jejak.pkh/kab/7404");
}

TEST_F(CliTest, AppendFromFileAndStandardInput) {
  // The suite's node holds "first.txt" (3 records at leaves 1..3) and the
  // standard-input statement (2 records, CRLF and no final newline).
  const SignedCheckpoint cp = LatestCheckpoint(node());
  EXPECT_EQ(cp.checkpoint.size, 7u);
  Outcome inc = J({"prove", "inclusion", node(), "--index", "5"});
  ASSERT_EQ(inc.code, 0) << Describe(inc);
  auto j = nlohmann::json::parse(inc.out);
  EXPECT_EQ(j["leaf_hash"],
            Base64Encode(LeafHash(EncodeTextRecordEntry("KPM 0004 returned").value())));

  // A fresh append reports where it went, as text and as JSON.
  const std::string dir = scratch_ + "/node";
  fs::copy(node(), dir, fs::copy_options::recursive);
  EXPECT_TRUE(WriteBinary(scratch_ + "/more.txt", "one\ntwo\n"));
  Outcome text = J({"append", dir, scratch_ + "/more.txt", "--type", "generic.note", "--key",
                    role_key(), "--stage", "2026-T1"});
  ASSERT_EQ(text.code, 0) << Describe(text);
  EXPECT_EQ(text.out, "appended statement at leaf 7 with 2 records; checkpoint size 10\n");
  Outcome json =
      Jejak({"append", dir, "-", "--type", "generic.note", "--key", role_key(), "--json"}, scratch_,
            {{"JEJAK_PASSPHRASE", kPassphrase}}, "only\n");
  ASSERT_EQ(json.code, 0) << Describe(json);
  auto jj = nlohmann::json::parse(json.out);
  EXPECT_EQ(jj["index"], 10);
  EXPECT_EQ(jj["records"], 1);
  EXPECT_EQ(jj["size"], 12);
  EXPECT_EQ(LatestCheckpoint(dir).checkpoint.size, 12u);
}

TEST_F(CliTest, AppendRefusesEmptyLineAndNamesIt) {
  const std::string dir = scratch_ + "/node";
  fs::copy(node(), dir, fs::copy_options::recursive);
  const std::string records = scratch_ + "/gap.txt";
  EXPECT_TRUE(WriteBinary(records, "first\n\nthird\n"));
  Outcome r = J({"append", dir, records, "--type", "generic.note", "--key", role_key()});
  ExpectOneLineError(r, fmt::format("{} line 2: empty line", records));
  Outcome in = Jejak({"append", dir, "-", "--type", "generic.note", "--key", role_key()}, scratch_,
                     {{"JEJAK_PASSPHRASE", kPassphrase}}, "a\r\n\r\nb\n");
  ExpectOneLineError(in, "standard input line 2: empty line");
  Outcome type = J({"append", dir, records, "--type", "Generic Note", "--key", role_key()});
  ExpectOneLineError(type, "the statement type must be 1-64 characters");
  EXPECT_EQ(LatestCheckpoint(dir).checkpoint.size, 7u);
}

TEST_F(CliTest, AppendWithWrongPassphraseIsRefused) {
  const std::string dir = scratch_ + "/node";
  fs::copy(node(), dir, fs::copy_options::recursive);
  EXPECT_TRUE(WriteBinary(scratch_ + "/r.txt", "x\n"));
  const std::vector<std::string> args = {"append",       dir,     scratch_ + "/r.txt", "--type",
                                         "generic.note", "--key", role_key()};
  // Wrong for both keys: the role key is tried first.
  Outcome both = Jejak(args, scratch_, {{"JEJAK_PASSPHRASE", "wrong"}});
  ExpectOneLineError(both, "wrong passphrase");
  EXPECT_THAT(both.err, HasSubstr(role_key()));
  // Right for the role key, wrong for the node key.
  Outcome node_only =
      Jejak(args, scratch_, {{"JEJAK_PASSPHRASE", "wrong"}, {"JEJAK_KEY_PASSPHRASE", kPassphrase}});
  ExpectOneLineError(node_only, "wrong passphrase");
  EXPECT_THAT(node_only.err, HasSubstr("node.key"));
  // Through --passphrase-file too.
  EXPECT_TRUE(WriteBinary(scratch_ + "/pass", "not it\n"));
  std::vector<std::string> with_file = args;
  with_file.push_back("--passphrase-file");
  with_file.push_back(scratch_ + "/pass");
  Outcome file = Jejak(with_file, scratch_, {});
  ExpectOneLineError(file, "wrong passphrase");
  EXPECT_EQ(LatestCheckpoint(dir).checkpoint.size, 7u);

  // The right passphrase from a file works.
  EXPECT_TRUE(WriteBinary(scratch_ + "/pass", std::string(kPassphrase) + "\n"));
  Outcome ok = Jejak(with_file, scratch_, {});
  EXPECT_EQ(ok.code, 0) << Describe(ok);
}

TEST_F(CliTest, CheckpointIsAC2spNoteSignedByTheNodeKey) {
  Outcome cp = J({"checkpoint", node()});
  ASSERT_EQ(cp.code, 0) << Describe(cp);
  auto note = ParseNote(cp.out);
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  auto parsed = ParseCheckpointText(note->text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->origin, "jejak.pkh/kab/7404");
  EXPECT_EQ(parsed->size, 7u);
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].name, "jejak.pkh/kab/7404");
  Outcome show = J({"key", "show", node()});
  auto key = ParseVerifierKey(FirstLine(show.out));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(note->signatures[0].key_id, key->key_id);
  auto verified = VerifyNote(*note, std::span<const NoteVerifierKey>(&*key, 1));
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  // The role key does not verify it.
  Outcome role = J({"key", "show", role_key()});
  auto role_vk = ParseVerifierKey(FirstLine(role.out));
  ASSERT_TRUE(role_vk.ok());
  EXPECT_EQ(OpenCheckpoint(cp.out, *role_vk).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(CliTest, ProofsVerifyAgainstTheCheckpointRoot) {
  const SignedCheckpoint cp = LatestCheckpoint(node());
  ASSERT_EQ(cp.checkpoint.size, 7u);
  const std::vector<std::string> records = {"KPM 0001 paid",     "KPM 0002 paid",
                                            "KPM 0003 failed",   "",
                                            "KPM 0004 returned", "KPM 0005 paid"};
  for (uint64_t i = 0; i < cp.checkpoint.size; ++i) {
    SCOPED_TRACE(fmt::format("leaf {}", i));
    Outcome r = J({"prove", "inclusion", node(), "--index", std::to_string(i)});
    ASSERT_EQ(r.code, 0) << Describe(r);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["index"], i);
    EXPECT_EQ(j["size"], 7);
    auto leaf_hash = Base64DecodeFixed<32>(j["leaf_hash"].get<std::string>());
    ASSERT_TRUE(leaf_hash.ok());
    std::vector<Hash> proof;
    for (const auto& h : j["proof"])
      proof.push_back(Base64DecodeFixed<32>(h.get<std::string>()).value());
    Status s = VerifyInclusion(i, 7, *leaf_hash, proof, cp.checkpoint.root);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (i != 0 && i != 4) {  // records, whose leaves the test knows
      EXPECT_EQ(*leaf_hash, LeafHash(EncodeTextRecordEntry(records[i - 1]).value()));
    }
  }
  // Against the older checkpoint of size 4.
  Outcome old_inc = J({"prove", "inclusion", node(), "--index", "2", "--size", "4"});
  ASSERT_EQ(old_inc.code, 0) << Describe(old_inc);
  auto node_key = ParseVerifierKey(FirstLine(J({"key", "show", node()}).out));
  ASSERT_TRUE(node_key.ok()) << node_key.status().ToString();
  auto first = OpenCheckpoint(*first_checkpoint_, *node_key);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->checkpoint.size, 4u);
  {
    auto j = nlohmann::json::parse(old_inc.out);
    std::vector<Hash> proof;
    for (const auto& h : j["proof"])
      proof.push_back(Base64DecodeFixed<32>(h.get<std::string>()).value());
    const Hash leaf = Base64DecodeFixed<32>(j["leaf_hash"].get<std::string>()).value();
    EXPECT_TRUE(VerifyInclusion(2, 4, leaf, proof, first->checkpoint.root).ok());
  }
  Outcome con = J({"prove", "consistency", node(), "--old", "4"});
  ASSERT_EQ(con.code, 0) << Describe(con);
  auto cj = nlohmann::json::parse(con.out);
  EXPECT_EQ(cj["old_size"], 4);
  EXPECT_EQ(cj["new_size"], 7);
  std::vector<Hash> proof;
  for (const auto& h : cj["proof"])
    proof.push_back(Base64DecodeFixed<32>(h.get<std::string>()).value());
  Status s = VerifyConsistency(4, 7, first->checkpoint.root, cp.checkpoint.root, proof);
  EXPECT_TRUE(s.ok()) << s.ToString();

  // Out of range.
  ExpectOneLineError(J({"prove", "inclusion", node(), "--index", "7"}),
                     "index 7 is not below the tree size 7");
  ExpectOneLineError(J({"prove", "inclusion", node(), "--index", "0", "--size", "8"}),
                     "size 8 is beyond the latest checkpoint (7)");
  ExpectOneLineError(J({"prove", "consistency", node(), "--old", "0"}),
                     "the old size must be between 1");
  ExpectOneLineError(J({"prove", "consistency", node(), "--old", "8"}),
                     "the old size must be between 1");
}

// A FIFO (or any file that is not a regular one) where a key file or a tile
// belongs is refused at once, never waited on.
TEST_F(CliTest, AFifoWhereAFileBelongsIsRefusedWithoutBlocking) {
  const std::string fifo = scratch_ + "/key.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_TRUE(WriteBinary(scratch_ + "/line.txt", "line\n"));
  Outcome key =
      J({"append", node(), scratch_ + "/line.txt", "--type", "generic.note", "--key", fifo});
  ExpectOneLineError(key, fifo + ": a FIFO, not a regular file");
  ExpectOneLineError(J({"key", "show", fifo}), "a FIFO, not a regular file");

  // A tiles folder whose entry bundle is a FIFO, pulled and verified.
  const std::string out = scratch_ + "/usb-fifo";
  ASSERT_EQ(J({"export", node(), "--out", out}).code, 0);
  fs::remove(out + "/tile/entries/000.p/7");
  ASSERT_EQ(::mkfifo((out + "/tile/entries/000.p/7").c_str(), 0600), 0);
  const std::string key_text = FirstLine(J({"key", "show", node()}).out);
  Outcome tiles = J({"verify", "--tiles", out, "--key", key_text});
  EXPECT_NE(tiles.code, 0);
  EXPECT_THAT(tiles.err, HasSubstr("a FIFO, not a regular file"));
  ASSERT_EQ(
      J({"init", scratch_ + "/puller", "--kind", "auditor", "--name", "P", "--region", "00"}).code,
      0);
  Outcome pull = J({"pull", scratch_ + "/puller", "--from", out, "--key", key_text});
  EXPECT_NE(pull.code, 0);
  EXPECT_THAT(pull.err, HasSubstr("a FIFO, not a regular file"));
}

// Several sources pulled by one process (the store opened once): each in
// order, a failing one reported while the others are pulled, keys paired
// with sources by position.
TEST_F(CliTest, PullTakesSeveralSourcesInOneProcess) {
  const std::string a = scratch_ + "/export-a", bad = scratch_ + "/no-such-folder";
  ASSERT_EQ(J({"export", node(), "--out", a}).code, 0);
  const std::string b = scratch_ + "/export-b";
  ASSERT_NO_FATAL_FAILURE(MakeOtherKabupaten(scratch_ + "/other", b));
  const std::string key_a = FirstLine(J({"key", "show", node()}).out);
  const std::string key_b = FirstLine(J({"key", "show", scratch_ + "/other"}).out);
  ASSERT_EQ(
      J({"init", scratch_ + "/puller", "--kind", "auditor", "--name", "P", "--region", "00"}).code,
      0);
  ExpectOneLineError(J({"pull", scratch_ + "/puller", "--from", a, "--from", b, "--key", key_a}),
                     "give one --key for each --from, in the same order (2 --from, 1 --key)");
  Outcome pull = J({"pull", scratch_ + "/puller", "--from", a, "--from", bad, "--from", b, "--key",
                    key_a, "--key", key_a, "--key", key_b});
  EXPECT_EQ(pull.code, 2) << Describe(pull);
  EXPECT_THAT(pull.out, HasSubstr("pulled jejak.pkh/kab/7404 from " + a + ": size 0 -> 7"));
  EXPECT_THAT(pull.out, HasSubstr("pulled jejak.pkh/kab/7405 from " + b + ": size 0 -> 3"));
  EXPECT_THAT(pull.err, HasSubstr("1 of 3 sources failed (above)"));
  // A log is indexed while the next is pulled; its line still comes first.
  EXPECT_LT(pull.out.find("kab/7404"), pull.out.find("kab/7405")) << pull.out;
  Outcome again =
      J({"pull", scratch_ + "/puller", "--from", a, "--from", b, "--key", key_a, "--key", key_b});
  EXPECT_EQ(again.code, 0) << Describe(again);
  EXPECT_THAT(again.out, HasSubstr("jejak.pkh/kab/7405: already up to date at size 3"));
}

TEST_F(CliTest, ExportAndVerify) {
  const std::string out = scratch_ + "/usb";
  Outcome exp = J({"export", node(), "--out", out});
  ASSERT_EQ(exp.code, 0) << Describe(exp);
  EXPECT_THAT(exp.out, HasSubstr("size 0 -> 7"));
  EXPECT_TRUE(fs::exists(out + "/checkpoint"));
  EXPECT_TRUE(fs::exists(out + "/tile/0/000.p/7"));
  EXPECT_TRUE(fs::exists(out + "/tile/entries/000.p/7"));
  EXPECT_EQ(ReadBinary(out + "/checkpoint"), J({"checkpoint", node()}).out);
  Outcome again = J({"export", node(), "--out", out});
  ASSERT_EQ(again.code, 0) << Describe(again);
  EXPECT_THAT(again.out, HasSubstr("nothing to add"));

  Outcome verify = J({"verify", node()});
  ASSERT_EQ(verify.code, 0) << Describe(verify);
  EXPECT_THAT(verify.out, HasSubstr("jejak.pkh/kab/7404: intact"));
  EXPECT_THAT(verify.out, HasSubstr("size 7 root "));

  const std::string key = FirstLine(J({"key", "show", node()}).out);
  Outcome tiles = J({"verify", "--tiles", out, "--key", key});
  ASSERT_EQ(tiles.code, 0) << Describe(tiles);
  EXPECT_THAT(tiles.out, HasSubstr("intact"));
  EXPECT_THAT(tiles.out, HasSubstr(Base64Encode(LatestCheckpoint(node()).checkpoint.root)));

  ExpectOneLineError(J({"verify", "--tiles", out}), "--tiles needs --key");
  ExpectOneLineError(J({"verify", "--tiles", out, "--key", "not-a-key"}), "--key");
  // A key of another log: the folder is not accepted as that log.
  const std::string role = FirstLine(J({"key", "show", role_key()}).out);
  Outcome wrong = J({"verify", "--tiles", out, "--key", role});
  EXPECT_EQ(wrong.code, 1) << Describe(wrong);
  EXPECT_THAT(wrong.err, HasSubstr("DAMAGED"));
  EXPECT_THAT(wrong.err, HasSubstr("checkpoint"));
  // A pinned key that is not the node's.
  ExpectOneLineError(J({"verify", node(), "--key", role}), "not the --key given");
}

TEST_F(CliTest, VerifyNamesTheCorruptedLeaf) {
  const std::string copy = scratch_ + "/copy";
  fs::copy(node(), copy, fs::copy_options::recursive);
  CorruptLeaf(copy + "/db", 5);
  Outcome r = J({"verify", copy});
  EXPECT_EQ(r.code, 1) << Describe(r);
  EXPECT_THAT(r.err, StartsWith("jejak: jejak.pkh/kab/7404 is DAMAGED: "));
  EXPECT_THAT(r.err, HasSubstr("leaf 5:"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // The original is untouched.
  EXPECT_EQ(J({"verify", node()}).code, 0);
}

// A store holding several logs is verified a few logs at once; every log is
// reported, in the store's order, a damaged one among them.
TEST_F(CliTest, VerifyReportsEveryLogOfAReplicaStoreInOrder) {
  const std::string a = scratch_ + "/v-export-a", b = scratch_ + "/v-export-b";
  ASSERT_EQ(J({"export", node(), "--out", a}).code, 0);
  ASSERT_NO_FATAL_FAILURE(MakeOtherKabupaten(scratch_ + "/v-other", b));
  const std::string puller = scratch_ + "/v-puller";
  ASSERT_EQ(J({"init", puller, "--kind", "auditor", "--name", "P", "--region", "00"}).code, 0);
  ASSERT_EQ(J({"pull", puller, "--from", a, "--from", b, "--key",
               FirstLine(J({"key", "show", node()}).out), "--key",
               FirstLine(J({"key", "show", scratch_ + "/v-other"}).out)})
                .code,
            0);
  Outcome intact = J({"verify", puller});
  ASSERT_EQ(intact.code, 0) << Describe(intact);
  const size_t own = intact.out.find("jejak.pkh/auditor/p: intact");
  const size_t first = intact.out.find("jejak.pkh/kab/7404: intact: 7 leaves");
  const size_t second = intact.out.find("jejak.pkh/kab/7405: intact: 3 leaves");
  ASSERT_NE(own, std::string::npos) << intact.out;
  ASSERT_NE(first, std::string::npos) << intact.out;
  ASSERT_NE(second, std::string::npos) << intact.out;
  EXPECT_LT(own, first);
  EXPECT_LT(first, second);

  CorruptLeaf(puller + "/db", 5, /*log=*/2);  // the replica of kab/7404
  Outcome damaged = J({"verify", puller});
  EXPECT_EQ(damaged.code, 1) << Describe(damaged);
  EXPECT_THAT(damaged.err, StartsWith("jejak: jejak.pkh/kab/7404 is DAMAGED: "));
  EXPECT_THAT(damaged.err, HasSubstr("leaf 5:"));
  EXPECT_LT(damaged.out.find("jejak.pkh/auditor/p: intact"),
            damaged.out.find("jejak.pkh/kab/7405: intact: 3 leaves"))
      << damaged.out;
  EXPECT_EQ(J({"verify", puller, "--log", "jejak.pkh/kab/7405"}).code, 0);
}

// The test process holds the node open as its writer (as a running node
// would); the read-only commands still work and see each commit, and a second
// writer is turned away.
TEST_F(CliTest, ReadCommandsWorkBesideARunningWriter) {
  const std::string dir = scratch_ + "/node";
  fs::copy(node(), dir, fs::copy_options::recursive);
  auto held = NodeFolder::Open(dir, StoreMode::kReadWrite);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  auto node_key = (*held)->UnlockKey(kPassphrase);
  ASSERT_TRUE(node_key.ok()) << node_key.status().ToString();
  auto writer = LogWriter::Open((*held)->store(), (*held)->own_log(), &*node_key);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();

  EXPECT_TRUE(WriteBinary(scratch_ + "/r.txt", "x\n"));
  Outcome second =
      J({"append", dir, scratch_ + "/r.txt", "--type", "generic.note", "--key", role_key()});
  ExpectOneLineError(second, "in use by another process");

  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    StatementHeader h;
    h.origin = "jejak.pkh/kab/7404";
    h.type = "generic.note";
    PreparedStatement p =
        PrepareStatement(h, {EncodeTextRecordEntry(fmt::format("held {}", round)).value()});
    SignStatement(p.statement, *node_key);
    auto a = AppendStatement(**writer, p);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(LatestCheckpoint(dir).checkpoint.size, a->size);
    Outcome verify = J({"verify", dir});
    EXPECT_EQ(verify.code, 0) << Describe(verify);
    EXPECT_THAT(verify.out, HasSubstr(fmt::format("size {} root", a->size)));
    Outcome inc = J({"prove", "inclusion", dir, "--index", std::to_string(a->index + 1)});
    ASSERT_EQ(inc.code, 0) << Describe(inc);
    EXPECT_EQ(nlohmann::json::parse(inc.out)["leaf_hash"],
              Base64Encode(LeafHash(p.record_leaves()[0])));
    Outcome exp = J({"export", dir, "--out", scratch_ + "/usb"});
    EXPECT_EQ(exp.code, 0) << Describe(exp);
    EXPECT_THAT(exp.out, HasSubstr(fmt::format("-> {}", a->size)));
  }
}

TEST_F(CliTest, VerifyOfAMissingTilesFolderIsAnErrorNotDamage) {
  const std::string key = FirstLine(J({"key", "show", node()}).out);
  ExpectOneLineError(J({"verify", "--tiles", scratch_ + "/nowhere", "--key", key}),
                     "is not a tiles folder");
  fs::create_directories(scratch_ + "/empty");
  ExpectOneLineError(J({"verify", "--tiles", scratch_ + "/empty", "--key", key}),
                     "is not a tiles folder");
}

TEST_F(CliTest, ExportOfANewLogReportsWhatItWrote) {
  const std::string dir = scratch_ + "/fresh";
  ASSERT_EQ(J({"init", dir, "--kind", "auditor", "--name", "ICW", "--region", "00"}).code, 0);
  Outcome exp = J({"export", dir, "--out", scratch_ + "/usb"});
  ASSERT_EQ(exp.code, 0) << Describe(exp);
  EXPECT_THAT(exp.out, HasSubstr("size 0 -> 0"));
  EXPECT_TRUE(fs::exists(scratch_ + "/usb/checkpoint"));
  Outcome again = J({"export", dir, "--out", scratch_ + "/usb"});
  ASSERT_EQ(again.code, 0) << Describe(again);
  EXPECT_THAT(again.out, HasSubstr("nothing to add"));
  const std::string key = FirstLine(J({"key", "show", dir}).out);
  Outcome verify = J({"verify", "--tiles", scratch_ + "/usb", "--key", key});
  EXPECT_EQ(verify.code, 0) << Describe(verify);
}

TEST_F(CliTest, EveryCommandHasHelp) {
  const std::vector<std::vector<std::string>> commands = {
      {},
      {"init"},
      {"key"},
      {"key", "new"},
      {"key", "show"},
      {"append"},
      {"checkpoint"},
      {"prove"},
      {"prove", "inclusion"},
      {"prove", "consistency"},
      {"proof"},
      {"proof", "verify"},
      {"export"},
      {"verify"},
      {"registry"},
      {"registry", "add-node"},
      {"registry", "grant"},
      {"registry", "revoke"},
      {"stage", "open"},
      {"index", "set"},
      {"policy", "set"},
      {"program-key", "new"},
      {"pseudonym"},
      {"import", "updates"},
      {"import", "receipts"},
      {"pull"},
      {"ba"},
      {"ba", "draft"},
      {"ba", "sign"},
      {"ba", "show"},
      {"ba", "submit"},
  };
  for (auto args : commands) {
    const std::string name = args.empty() ? "jejak" : fmt::format("{}", fmt::join(args, " "));
    SCOPED_TRACE(name);
    args.push_back("--help");
    Outcome r = J(args);
    EXPECT_EQ(r.code, 0) << Describe(r);
    EXPECT_THAT(r.out, HasSubstr("Usage"));
    EXPECT_EQ(r.err, "");
  }
}

TEST_F(CliTest, UnknownFlagOrCommandIsOneLineError) {
  ExpectOneLineError(J({"verify", node(), "--bogus"}), "--bogus");
  ExpectOneLineError(J({"append", node(), "x", "--type", "t", "--key", "k", "--frob"}), "--frob");
  ExpectOneLineError(J({"frobnicate"}), "unknown command 'frobnicate'");
  ExpectOneLineError(J({"verfy", node()}), "unknown command 'verfy'");
  ExpectOneLineError(J({"key", "frob"}), "unknown command 'frob'");
  ExpectOneLineError(J({"--bogus"}), "unknown option '--bogus'");
  ExpectOneLineError(J({}), "jejak: ");
  ExpectOneLineError(J({"init", scratch_ + "/n"}), "--kind");
  ExpectOneLineError(J({"checkpoint", scratch_ + "/nothing"}), "not a jejak node folder");
}

}  // namespace
}  // namespace jejak
