// `jejak backup` and `jejak restore` through the real binary: a backup
// taken while a node appends, restored and verified; incremental backups; a
// backup folder that was tampered with.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/log.h"
#include "ledger/log/text_records.h"
#include "ledger/pkh/node_folder.h"
#include "node/remote.h"
#include "tests/node/node_processes.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

class Backup : public ::testing::Test {
 protected:
  void SetUp() override {
    s_ = testing::MakeTempFolder("backup");
    node_ = s_ + "/kab";
    Run({"init", node_, "--kind", "kabupaten", "--name", "Kab", "--region", "7306"});
    Run({"key", "new", "--out", s_ + "/op.key", "--name", "kab/op"});
    key_ = Trim(RunJejak({"key", "show", node_}, s_).out);
  }
  void TearDown() override {
    serve_.reset();
    // JEJAK_TEST_KEEP=1 keeps the folders to look at.
    if (std::getenv("JEJAK_TEST_KEEP") == nullptr) testing::RemoveFolder(s_);
  }

  testing::Outcome Run(const std::vector<std::string>& args, int code = 0) {
    auto r = RunJejak(args, s_);
    EXPECT_EQ(r.code, code) << args[0] << ": " << r.out << r.err;
    return r;
  }
  void AppendLines(const std::string& dir, uint64_t n) {
    std::ofstream f(s_ + "/lines.txt");
    for (uint64_t i = 0; i < n; ++i) f << "line " << i << "\n";
    f.close();
    Run({"append", dir, "--type", "generic.note", "--key", s_ + "/op.key", s_ + "/lines.txt"});
  }
  // What a backup says it copied, in bytes (from "copied 1.2 MB").
  static double Copied(const std::string& out) {
    std::smatch m;
    if (!std::regex_search(out, m, std::regex(R"(copied ([0-9.]+) MB)"))) return -1;
    return std::stod(m[1]) * 1e6;
  }

  std::string s_, node_, key_;
  std::unique_ptr<ServeProcess> serve_;
};

TEST_F(Backup, ABackupDuringContinuousAppendsRestoresEveryAcknowledgedStatement) {
  AppendLines(node_, 100'000);  // a store of some size, so that increments show
  serve_ = std::make_unique<ServeProcess>(node_, std::vector<std::string>{});
  ASSERT_TRUE(serve_->Start()) << serve_->log();
  auto op = UnlockKeyFile(s_ + "/op.key", testing::kNodePassphrase);
  ASSERT_TRUE(op.ok());

  struct Ack {
    uint64_t index, size;
    std::string checkpoint;
  };
  std::mutex mu;
  std::vector<Ack> acks;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread appender([&] {
    auto k = ParseVerifierKey(key_);
    auto client = ConnectTo(serve_->url(), {k->key});
    if (!client.ok()) {
      failures++;
      return;
    }
    for (int s = 0; !stop; ++s) {
      std::vector<Bytes> records;
      for (int r = 0; r < 20; ++r) {
        records.push_back(*EncodeTextRecordEntry(fmt::format("s{}.r{}", s, r)));
      }
      auto sent = SubmitStatement(**client, "generic.note", "", std::move(records), *op);
      if (!sent.ok()) {
        failures++;
        return;
      }
      std::lock_guard lock(mu);
      acks.push_back({sent->index, sent->size, sent->checkpoint});
    }
  });
  auto count = [&] {
    std::lock_guard lock(mu);
    return acks.size();
  };
  while (count() < 20 && failures == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<Ack> before;
  {
    std::lock_guard lock(mu);
    before = acks;
  }
  auto first = Run({"backup", node_, "--out", s_ + "/backups"});
  const size_t at_backup_end = count();
  while (count() < at_backup_end + 10 && failures == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  appender.join();
  ASSERT_EQ(failures.load(), 0);
  EXPECT_THAT(first.out,
              HasSubstr("backup 1 of jejak.pkh/kab/7306 in " + s_ + "/backups (node running"));
  EXPECT_THAT(first.out, HasSubstr("  own jejak.pkh/kab/7306: intact, size "));
  // The appends went on while the backup was taken (the node was not stopped
  // or blocked): some were acknowledged during it.
  EXPECT_GT(at_backup_end, before.size());

  serve_->Stop(SIGTERM);
  // The first backup, restored: it verifies and holds every statement
  // acknowledged before it began, with the root each acknowledgement gave.
  auto restored = Run({"restore", s_ + "/backups", "--backup", "1", "--to", s_ + "/restored"});
  EXPECT_THAT(restored.out, HasSubstr("restored jejak.pkh/kab/7306 from backup 1"));
  // A node without peers has nobody to ask whether it signed more.
  EXPECT_THAT(restored.err, HasSubstr("has no peers to ask"));
  Run({"verify", s_ + "/restored"});
  auto folder = NodeFolder::Open(s_ + "/restored", StoreMode::kReadOnly);
  ASSERT_TRUE(folder.ok()) << folder.status().message();
  LogReader reader((*folder)->store(), (*folder)->own_log());
  auto size = reader.Size();
  ASSERT_TRUE(size.ok());
  ASSERT_FALSE(before.empty());
  EXPECT_GE(*size, before.back().size);
  for (const Ack& a : before) {
    auto note = ParseNote(a.checkpoint);
    ASSERT_TRUE(note.ok());
    auto cp = ParseCheckpointText(note->text);
    ASSERT_TRUE(cp.ok());
    auto root = reader.Root(a.size);
    ASSERT_TRUE(root.ok()) << a.size;
    EXPECT_EQ(*root, cp->root) << "statement at leaf " << a.index;
  }
  // Later backups to the same folder copy the table files that are new
  // (what was appended, and what the store's compaction rewrote), sharing
  // the others: one that follows another with nothing changed copies
  // almost nothing.
  ASSERT_TRUE(testing::WriteBinary(s_ + "/one.txt", "one more\n"));
  Run({"append", node_, "--type", "generic.note", "--key", s_ + "/op.key", s_ + "/one.txt"});
  auto second = Run({"backup", node_, "--out", s_ + "/backups"});
  EXPECT_THAT(second.out, HasSubstr("backup 2 of jejak.pkh/kab/7306"));
  auto third = Run({"backup", node_, "--out", s_ + "/backups", "--keep", "2"});
  EXPECT_THAT(third.out, HasSubstr("backup 3 of jejak.pkh/kab/7306"));
  EXPECT_THAT(third.out, HasSubstr("2 backups kept"));
  ASSERT_GT(Copied(first.out), 1e6) << first.out;
  EXPECT_LT(Copied(third.out), 0.2e6) << third.out;

  // The newest backup holds the statement appended last.
  Run({"restore", s_ + "/backups", "--to", s_ + "/latest"});
  auto latest = NodeFolder::Open(s_ + "/latest", StoreMode::kReadOnly);
  ASSERT_TRUE(latest.ok());
  auto original = NodeFolder::Open(node_, StoreMode::kReadOnly);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(LogReader((*latest)->store(), (*latest)->own_log()).Size().value(),
            LogReader((*original)->store(), (*original)->own_log()).Size().value());
}

TEST_F(Backup, ATamperedBackupOrAnOccupiedTargetIsRefusedAndNothingIsRestored) {
  AppendLines(node_, 20'000);
  Run({"backup", node_, "--out", s_ + "/b"});
  auto copy = [&](const std::string& name) {
    fs::copy(s_ + "/b", s_ + "/" + name, fs::copy_options::recursive);
    return s_ + "/" + name;
  };
  auto refused = [&](const std::string& from, const std::string& part) {
    auto r = Run({"restore", from, "--to", s_ + "/target"}, 2);
    EXPECT_THAT(r.err, HasSubstr("jejak: nothing was restored: ")) << r.err;
    EXPECT_THAT(r.err, HasSubstr(part)) << r.err;
    EXPECT_FALSE(fs::exists(s_ + "/target"));
    for (const auto& e : fs::directory_iterator(s_)) {
      EXPECT_EQ(e.path().filename().string().find("target.restore-"), std::string::npos);
    }
  };

  // A byte of a table file changed: its checksum no longer matches.
  const std::string flipped = copy("flipped");
  std::string largest;
  uintmax_t most = 0;
  for (const auto& e : fs::recursive_directory_iterator(flipped + "/store/shared_checksum")) {
    if (e.is_regular_file() && e.file_size() > most) {
      most = e.file_size();
      largest = e.path().string();
    }
  }
  ASSERT_FALSE(largest.empty());
  {
    std::fstream f(largest, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(most / 2));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x40);
    f.seekp(static_cast<std::streamoff>(most / 2));
    f.write(&c, 1);
  }
  refused(flipped, "is damaged: a file differs from what was backed up");

  // node.json of another node, or another node's key file.
  Run({"init", s_ + "/other", "--kind", "kabupaten", "--name", "Other", "--region", "7307"});
  const std::string swapped = copy("swapped");
  fs::copy_file(s_ + "/other/node.json", swapped + "/node.json",
                fs::copy_options::overwrite_existing);
  refused(swapped, "node.json names another node than jejak-backup.json");
  const std::string rekeyed = copy("rekeyed");
  fs::copy_file(s_ + "/other/node.key", rekeyed + "/node.key",
                fs::copy_options::overwrite_existing);
  refused(rekeyed, "node.key does not hold the key node.json names");

  // One folder backs up one node.
  auto mixed = Run({"backup", s_ + "/other", "--out", s_ + "/b"}, 2);
  EXPECT_THAT(mixed.err, HasSubstr("holds the backups of another node"));
  // A restore never overwrites a folder.
  auto over = Run({"restore", s_ + "/b", "--to", node_}, 2);
  EXPECT_THAT(over.err, HasSubstr(node_ + " exists: a restore makes a new node folder"));
  // The intact backup restores.
  Run({"restore", s_ + "/b", "--to", s_ + "/target"});
  Run({"verify", s_ + "/target"});
}

}  // namespace
}  // namespace jejak
