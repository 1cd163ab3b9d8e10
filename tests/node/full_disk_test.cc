// A full disk, on a small tmpfs: an import through the folder and through a
// running node each get one clear line ("no space left on device while
// ..."), nothing is appended, the node keeps serving reads, and writes go on
// once space is freed (RocksDB resumes once a memtable's worth, 64 MiB, is
// free: the tmpfs is 128 MiB); the store verifies after. Mounting needs root (as CI
// runs); elsewhere the test says why it cannot run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "node/remote.h"
#include "tests/node/node_processes.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

class FullDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root (CI runs as root)";
    mnt_ = testing::MakeTempFolder("full-disk");
    ASSERT_EQ(::mount("tmpfs", mnt_.c_str(), "tmpfs", 0, "size=128m"), 0) << std::strerror(errno);
    mounted_ = true;
    s_ = mnt_;
    J({"init", s_ + "/gov", "--kind", "kemensos", "--name", "K", "--region", "00"});
    J({"program-key", "new", "--out", s_ + "/program.key"});
    const std::string gov_key = Trim(J({"key", "show", s_ + "/gov"}).out);
    J({"init", s_ + "/kab", "--kind", "kabupaten", "--name", "Kab", "--region", "7306",
       "--governance", gov_key, "--program-key", s_ + "/program.key"});
    J({"key", "new", "--out", s_ + "/op.key", "--name", "t/op"});
    kab_key_ = Trim(J({"key", "show", s_ + "/kab"}).out);
    J({"registry", "add-node", s_ + "/gov", "--name", "Kab", "--kind", "kabupaten", "--region",
       "7306", "--key", kab_key_});
    J({"registry", "grant", s_ + "/gov", "--key", s_ + "/op.key", "--role", "operator", "--scope",
       "7306"});
    J({"export", s_ + "/gov", "--out", s_ + "/gov-tiles"});
    J({"pull", s_ + "/kab", "--from", s_ + "/gov-tiles"});
    // The CSV lives off the small disk.
    csv_ = testing::MakeTempFolder("full-disk-csv");
    std::ofstream out(csv_ + "/u.csv");
    out << "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
           "disabilitas_berat,lansia,evidence_sha256\n";
    for (int i = 0; i < 20'000; ++i) {
      out << fmt::format("U-{},TEST-KPM-{},2026-01-10,active,1,0,2,0,0,0,0,\n", i, i);
    }
  }
  void TearDown() override {
    node_.reset();
    if (mounted_) ::umount2(mnt_.c_str(), MNT_DETACH);
    if (!mnt_.empty()) testing::RemoveFolder(mnt_);
    if (!csv_.empty()) testing::RemoveFolder(csv_);
  }

  testing::Outcome J(const std::vector<std::string>& args) {
    auto r = RunJejak(args, csv_.empty() ? s_ : csv_);
    return r;
  }
  // Fills the disk but for `keep` bytes.
  void Fill(uint64_t keep) {
    struct statvfs v {};
    ASSERT_EQ(::statvfs(mnt_.c_str(), &v), 0);
    const uint64_t free = uint64_t{v.f_bavail} * v.f_frsize;
    ASSERT_GT(free, keep);
    std::ofstream filler(mnt_ + "/filler", std::ios::binary);
    const std::string block(1 << 16, '\0');
    for (uint64_t left = free - keep; left > 0;) {
      const uint64_t n = std::min<uint64_t>(left, block.size());
      filler.write(block.data(), static_cast<std::streamsize>(n));
      left -= n;
    }
  }
  void Free() { std::filesystem::remove(mnt_ + "/filler"); }

  std::string mnt_, s_, csv_, kab_key_;
  bool mounted_ = false;
  std::unique_ptr<ServeProcess> node_;
};

TEST_F(FullDisk, AnImportIsRefusedInOneLineAndWritesGoOnOnceSpaceIsFreed) {
  // Through the folder.
  ASSERT_NO_FATAL_FAILURE(Fill(300 << 10));
  auto r = J({"import", "updates", s_ + "/kab", csv_ + "/u.csv", "--key", s_ + "/op.key"});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no space left on device while"));
  EXPECT_THAT(r.err, HasSubstr("nothing was appended"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  Free();
  EXPECT_EQ(J({"verify", s_ + "/kab"}).code, 0);

  // Through a running node: refused with 507, reads still served, then the
  // same import goes through once space is freed.
  node_ = std::make_unique<ServeProcess>(s_ + "/kab", std::vector<std::string>{});
  ASSERT_TRUE(node_->Start()) << node_->log();
  ASSERT_NO_FATAL_FAILURE(Fill(300 << 10));
  auto through = J({"import", "updates", csv_ + "/u.csv", "--key", s_ + "/op.key", "--node",
                    node_->url(), "--node-key", kab_key_});
  EXPECT_EQ(through.code, 2) << through.err;
  EXPECT_THAT(through.err, HasSubstr("(HTTP 507)"));
  EXPECT_THAT(through.err, HasSubstr("no space left on device while"));
  EXPECT_THAT(through.err, HasSubstr("nothing was appended"));
  auto key = ParseVerifierKey(kab_key_);
  ASSERT_TRUE(key.ok());
  auto client = ConnectTo(node_->url(), {key->key});
  ASSERT_TRUE(client.ok());
  auto health = (*client)->Get("/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  auto status = FetchStatus(**client);
  ASSERT_TRUE(status.ok()) << status.status().message();
  Free();
  auto after = J({"import", "updates", csv_ + "/u.csv", "--key", s_ + "/op.key", "--node",
                  node_->url(), "--node-key", kab_key_});
  EXPECT_EQ(after.code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("imported 20000 updates as one statement at leaf 0"));
  node_.reset();
  auto verify = J({"verify", s_ + "/kab"});
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("jejak.pkh/kab/7306: intact: 20001 leaves"));
}

}  // namespace
}  // namespace jejak
