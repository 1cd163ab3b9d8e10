// jejak batch: many commands in one process, each key file unlocked once.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace jejak {
namespace {

using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ProcessOutcome;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;
using ::jejak::testing::RunProcess;
using ::jejak::testing::WriteBinary;

constexpr char kPassphrase[] = "batch test passphrase";

class BatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = MakeTempFolder("batch-cli");
    // A standalone node and a signer's key, made as usual.
    Ok({"init", s_ + "/node", "--kind", "kabupaten", "--name", "Kabupaten Uji", "--region",
        "7306"});
    Ok({"key", "new", "--out", s_ + "/signer.key", "--name", "uji/operator"});
    Ok({"key", "new", "--out", s_ + "/other.key", "--name", "uji/other"});
    ASSERT_TRUE(WriteBinary(s_ + "/pw", std::string(kPassphrase) + "\n"));
    ASSERT_TRUE(WriteBinary(s_ + "/notes a.txt", "one\ntwo\nthree\n"));
  }
  void TearDown() override { RemoveFolder(s_); }

  // With the passphrase in the environment.
  ProcessOutcome Ok(const std::vector<std::string>& args) {
    ProcessOutcome r = RunProcess(JEJAK_BINARY, args, {{"JEJAK_PASSPHRASE", kPassphrase}}, s_);
    EXPECT_EQ(r.code, 0) << fmt::format("jejak {}\n{}{}", fmt::join(args, " "), r.out, r.err);
    return r;
  }
  // With no passphrase anywhere but what the command names (and no terminal
  // to prompt on).
  ProcessOutcome Bare(const std::vector<std::string>& args, const std::string& input = "") {
    return RunProcess(JEJAK_BINARY, args, {}, s_, input);
  }
  std::string Batch(const std::string& text) {
    EXPECT_TRUE(WriteBinary(s_ + "/batch.txt", text));
    return s_ + "/batch.txt";
  }
  uint64_t LogSize() {
    ProcessOutcome r = Ok({"checkpoint", s_ + "/node"});
    const size_t nl = r.out.find('\n');
    return std::stoull(r.out.substr(nl + 1, r.out.find('\n', nl + 1) - nl - 1));
  }

  std::string s_;
};

TEST_F(BatchCli, EachKeyIsUnlockedOnceAndLaterCommandsNeedNoPassphrase) {
  const std::string append = fmt::format(
      "append '{0}/node' \"{0}/notes a.txt\" --type generic.note --key {0}/signer.key", s_);
  const std::string batch =
      Batch(fmt::format("# the first command that needs the keys names their passphrase file\n"
                        "{0} --passphrase-file {1}/pw --key-passphrase-file {1}/pw\n"
                        "\n"
                        "{0}   # the same keys: already unlocked\n"
                        "checkpoint {1}/node\n",
                        append, s_));
  ProcessOutcome r = Bare({"batch", batch});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(LogSize(), 8u) << r.out;  // two statements of three records, 4 leaves each
  // The second line alone, as its own process, has no passphrase to use.
  ProcessOutcome alone = Bare({"append", s_ + "/node", s_ + "/notes a.txt", "--type",
                               "generic.note", "--key", s_ + "/signer.key"});
  EXPECT_EQ(alone.code, 2);
  EXPECT_NE(alone.err.find("passphrase"), std::string::npos) << alone.err;
  EXPECT_EQ(LogSize(), 8u);
}

TEST_F(BatchCli, StopsAtTheFirstFailureAndSaysWhatWasNotRun) {
  const std::string batch = Batch(
      fmt::format("append {0}/node '{0}/notes a.txt' --type generic.note --key {0}/signer.key "
                  "--passphrase-file {0}/pw --key-passphrase-file {0}/pw\n"
                  "append {0}/node '{0}/notes a.txt' --type generic.note --key {0}/other.key\n"
                  "append {0}/node '{0}/notes a.txt' --type generic.note --key {0}/signer.key\n"
                  "checkpoint {0}/node\n",
                  s_));
  ProcessOutcome r = Bare({"batch", batch});
  // other.key is a file of its own: unlocking signer.key did not unlock it.
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("passphrase"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 2 ('append') exited with 2; 2 later commands not run"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(LogSize(), 4u);
}

TEST_F(BatchCli, AMistakeAnywhereRunsNothing) {
  const std::string first = fmt::format(
      "append {0}/node '{0}/notes a.txt' --type generic.note --key {0}/signer.key\n", s_);
  struct Case {
    std::string tail, expect;
  };
  const std::vector<Case> cases = {
      {"checkpoint 'unclosed\n", "line 2: column 12: a ' is never closed"},
      {"checkpoint \"unclosed\n", "line 2: column 12: a \" is never closed"},
      {"checkpoint x \\\n", "line 2: column 14: a line ends with a backslash"},
      {"jejak checkpoint x\n", "line 2: a line is a command without the program's name"},
      {"serve x\n", "line 2: 'serve' cannot run in a batch (it runs until stopped)"},
      {"batch other.txt\n", "line 2: 'batch' cannot run in a batch"},
      {std::string("checkpoint \0x\n", 14), "line 2: a NUL byte"},
  };
  for (const Case& c : cases) {
    const std::string batch = Batch(first + c.tail);
    ProcessOutcome r =
        RunProcess(JEJAK_BINARY, {"batch", batch}, {{"JEJAK_PASSPHRASE", kPassphrase}}, s_);
    EXPECT_EQ(r.code, 2) << c.tail;
    EXPECT_NE(r.err.find(batch + " " + c.expect), std::string::npos) << c.tail << r.err;
    EXPECT_EQ(LogSize(), 0u) << c.tail;
  }
  // Lines that split but that jejak would refuse: nothing runs either, and
  // the refusal comes with the line.
  const std::vector<Case> refused = {
      {"chekpoint x\n", "unknown command 'chekpoint'"},
      {"checkpoint x --no-such-option\n", "--no-such-option"},
      {"append x\n", "--type is required"},
      {"pull x --from y --timeout 0\n", "--timeout"},
  };
  for (const Case& c : refused) {
    const std::string batch = Batch(first + c.tail);
    ProcessOutcome r =
        RunProcess(JEJAK_BINARY, {"batch", batch}, {{"JEJAK_PASSPHRASE", kPassphrase}}, s_);
    EXPECT_EQ(r.code, 2) << c.tail;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.tail << r.err;
    EXPECT_NE(r.err.find(batch + " line 2 ("), std::string::npos) << c.tail << r.err;
    EXPECT_NE(r.err.find("nothing was run"), std::string::npos) << c.tail << r.err;
    EXPECT_EQ(LogSize(), 0u) << c.tail;
  }
  // --help is a line that parses: it prints when it runs.
  ProcessOutcome help = RunProcess(JEJAK_BINARY, {"batch", Batch("checkpoint --help\n")},
                                   {{"JEJAK_PASSPHRASE", kPassphrase}}, s_);
  EXPECT_EQ(help.code, 0) << help.err;
  EXPECT_NE(help.out.find("checkpoint"), std::string::npos) << help.out;

  ProcessOutcome empty = Bare({"batch", Batch("# nothing\n\n")});
  EXPECT_EQ(empty.code, 2);
  EXPECT_NE(empty.err.find("no command to run"), std::string::npos) << empty.err;
  ProcessOutcome missing = Bare({"batch", s_ + "/no-such-file"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("no-such-file"), std::string::npos) << missing.err;
}

TEST_F(BatchCli, ReadsStandardInputAndSplitsWordsAsAShellWould) {
  // "notes a.txt" written three ways; a command's own error and output
  // come through as usual.
  const std::string text = fmt::format(
      "append {0}/node {0}/notes\\ a.txt --type generic.note --key {0}/signer.key\n"
      "append \"{0}/node\" \"{0}/notes a\".txt --type 'generic.note' --key {0}/signer.key\n"
      "append {0}/node '{0}/notes a.txt' --type generic.\"note\" --key {0}/signer.key\n"
      "checkpoint {0}/node\n",
      s_);
  ProcessOutcome r =
      RunProcess(JEJAK_BINARY, {"batch", "-"}, {{"JEJAK_PASSPHRASE", kPassphrase}}, s_, text);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\n12\n"), std::string::npos) << r.out;  // the checkpoint's size line
  EXPECT_EQ(LogSize(), 12u);
}

TEST_F(BatchCli, CommandsOnOneNodeShareItsStoreAndSeeEachOthersWrites) {
  // The first append keeps the node's store open; the read commands after it
  // (checkpoint, verify, export) read it, a command that needs the folder to
  // itself (backup) runs with it closed, and the append after that opens it
  // again. Each read sees every write before it.
  const std::string append =
      fmt::format("append {0}/node '{0}/notes a.txt' --type generic.note --key {0}/signer.key", s_);
  const std::string text = fmt::format(
      "{0}\n"
      "checkpoint {1}/node\n"
      "verify {1}/node\n"
      "export {1}/node --out {1}/tiles\n"
      "backup {1}/node --out {1}/backup\n"
      "{0}\n"
      "checkpoint {1}/node\n",
      append, s_);
  ProcessOutcome r =
      RunProcess(JEJAK_BINARY, {"batch", "-"}, {{"JEJAK_PASSPHRASE", kPassphrase}}, s_, text);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const size_t first = r.out.find("\n4\n");
  ASSERT_NE(first, std::string::npos) << r.out;  // the first checkpoint: 4 leaves
  EXPECT_NE(r.out.find("\n8\n", first), std::string::npos) << r.out;  // the last: 8
  // Closed when the batch ended: another process writes and verifies it.
  Ok({"append", s_ + "/node", s_ + "/notes a.txt", "--type", "generic.note", "--key",
      s_ + "/signer.key"});
  EXPECT_EQ(LogSize(), 12u);
  Ok({"verify", s_ + "/node"});
  // The export and the backup hold what was written before them.
  const std::string exported = ReadBinary(s_ + "/tiles/checkpoint");
  EXPECT_NE(exported.find("\n4\n"), std::string::npos) << exported;
  Ok({"restore", s_ + "/backup", "--to", s_ + "/restored"});
  ProcessOutcome size = Ok({"checkpoint", s_ + "/restored"});
  EXPECT_NE(size.out.find("\n4\n"), std::string::npos) << size.out;
}

}  // namespace
}  // namespace jejak
