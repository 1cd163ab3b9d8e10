// The Debian package tools/package builds (build/package/jejak_*_amd64.deb):
// its contents and metadata, lintian, the systemd unit, and an installation
// into an empty root with dpkg. Skipped, saying so, when the package has not
// been built (.ci/run builds it before the suite).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// `sh -c command` in `scratch`: exit status and both outputs together.
testing::ProcessOutcome Shell(const std::string& command, const std::string& scratch) {
  testing::ProcessOutcome r =
      testing::RunProcess("/bin/sh", {"-c", command + " 2>&1"}, {}, scratch);
  return r;
}

bool Installed(const std::string& program) {
  return fs::exists("/usr/bin/" + program) || fs::exists("/bin/" + program);
}

class DebianPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path dir = fs::path(JEJAK_TEST_HELPERS_DIR).parent_path() / "package";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      if (name.starts_with("jejak_") && name.ends_with("_amd64.deb")) deb_ = e.path().string();
    }
    if (deb_.empty()) {
      GTEST_SKIP() << "no Debian package in " << dir.string()
                   << ": tools/package builds it (.ci/run does, before the suite)";
    }
    scratch_ = testing::MakeTempFolder("package");
  }
  void TearDown() override {
    if (!scratch_.empty()) testing::RemoveFolder(scratch_);
  }

  std::string deb_, scratch_;
};

TEST_F(DebianPackage, HoldsTheBinaryTheUnitTheManualAndTheDocsAndDeclaresItsDependencies) {
  EXPECT_THAT(fs::path(deb_).filename().string(),
              ::testing::MatchesRegex("jejak_[0-9.]+_amd64\\.deb"));
  auto contents = Shell("dpkg-deb -c " + deb_, scratch_);
  ASSERT_EQ(contents.code, 0) << contents.out;
  for (const char* path :
       {"./usr/bin/jejak", "./usr/lib/systemd/system/jejak@.service",
        "./usr/share/man/man1/jejak.1.gz", "./usr/share/doc/jejak/copyright",
        "./usr/share/doc/jejak/changelog.gz", "./usr/share/doc/jejak/README.md.gz",
        "./usr/lib/sysusers.d/jejak.conf", "./usr/lib/systemd/system/jejak-backup@.service",
        "./usr/lib/systemd/system/jejak-backup@.timer", "./usr/lib/tmpfiles.d/jejak.conf"}) {
    EXPECT_THAT(contents.out, HasSubstr(std::string(path) + "\n")) << contents.out;
  }
  EXPECT_THAT(contents.out, HasSubstr("-rwxr-xr-x root/root")) << contents.out;

  auto info = Shell("dpkg-deb -I " + deb_, scratch_);
  ASSERT_EQ(info.code, 0) << info.out;
  EXPECT_THAT(info.out, HasSubstr(" Package: jejak\n"));
  EXPECT_THAT(info.out, ::testing::ContainsRegex(" Version: [0-9]+\\.[0-9]+\\.[0-9]+\n"));
  EXPECT_THAT(info.out, HasSubstr(" Architecture: amd64\n"));
  EXPECT_THAT(info.out, HasSubstr(" Section: admin\n"));
  // dpkg-shlibdeps found every library the binary links.
  // RocksDB is linked statically (Debian's CMake target is the archive): its
  // compression libraries are the shared ones.
  for (const char* library :
       {"libc6", "libsodium23", "libssl3", "libspdlog1.10", "libcapnp-", "libfmt9", "zlib1g",
        "liblz4-1", "libzstd1", "libsnappy1v5", "libstdc\\+\\+6", "adduser"}) {
    EXPECT_THAT(info.out, ::testing::ContainsRegex(std::string(" Depends: .*") + library))
        << info.out;
  }
  for (const char* script : {"postinst", "prerm", "postrm"}) {
    EXPECT_THAT(info.out, ::testing::ContainsRegex(
                              std::string(" [0-9]+ bytes, +[0-9]+ lines +\\* +") + script))
        << info.out;
  }
  // The manual page was made from the binary's help.
  auto man = Shell(
      "dpkg-deb --fsys-tarfile " + deb_ + " | tar -xO ./usr/share/man/man1/jejak.1.gz | gzip -d",
      scratch_);
  EXPECT_THAT(man.out, HasSubstr(".SH \"RUNNING A NODE\""));
  EXPECT_THAT(man.out, HasSubstr("recover"));
}

TEST_F(DebianPackage, LintianFindsNoErrors) {
  if (!Installed("lintian")) GTEST_SKIP() << "lintian is not installed (tools/package installs it)";
  auto r = Shell("lintian --fail-on error " + deb_, scratch_);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("E: "))) << r.out;
}

TEST_F(DebianPackage, SystemdAcceptsTheUnit) {
  if (!Installed("systemd-analyze")) GTEST_SKIP() << "systemd-analyze is not installed";
  auto r = Shell(std::string(JEJAK_TOOLS_DIR) + "/debian/verify-units " + deb_, scratch_);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "") << r.out;
  const std::string root = scratch_ + "/root";
  ASSERT_EQ(Shell("dpkg-deb -x " + deb_ + " " + root, scratch_).code, 0);
  const std::string unit = testing::ReadBinary(root + "/usr/lib/systemd/system/jejak@.service");
  for (const char* line :
       {"User=jejak\n", "ExecStart=/usr/bin/jejak serve /var/lib/jejak/%i\n",
        "ExecReload=/bin/kill -HUP $MAINPID\n",
        "LoadCredential=passphrase:/etc/jejak/%i.passphrase\n", "ProtectSystem=strict\n",
        "ReadWritePaths=/var/lib/jejak/%i\n", "NoNewPrivileges=yes\n", "PrivateTmp=yes\n",
        "Restart=on-failure\n", "RestartSec=30s\n"}) {
    EXPECT_THAT(unit, HasSubstr(line));
  }
}

// dpkg into an empty root, its maintainer scripts run outside it with
// $DPKG_ROOT (a chroot would need a whole system inside): the files land,
// the user and the folders are made, and the binary runs.
TEST_F(DebianPackage, InstallsIntoAnEmptyRootAndRuns) {
  const std::string root = scratch_ + "/root";
  for (const char* d : {"/var/lib/dpkg/info", "/var/lib/dpkg/updates", "/etc"}) {
    fs::create_directories(root + d);
  }
  ASSERT_TRUE(testing::WriteBinary(root + "/var/lib/dpkg/status", ""));
  ASSERT_TRUE(testing::WriteBinary(root + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"));
  ASSERT_TRUE(testing::WriteBinary(root + "/etc/group", "root:x:0:\n"));
  auto install = Shell("dpkg --root=" + root +
                           " --force-script-chrootless --force-not-root --force-depends"
                           " --log=/dev/null -i " +
                           deb_,
                       scratch_);
  ASSERT_EQ(install.code, 0) << install.out;
  auto status = Shell("dpkg --root=" + root + " -s jejak", scratch_);
  EXPECT_THAT(status.out, HasSubstr("Status: install ok installed")) << status.out;
  auto version = testing::RunProcess(root + "/usr/bin/jejak", {"--version"}, {}, scratch_);
  EXPECT_EQ(version.code, 0);
  EXPECT_THAT(version.out, ::testing::MatchesRegex("jejak [0-9.]+\n"));
  if (Installed("systemd-sysusers")) {
    EXPECT_THAT(
        testing::ReadBinary(root + "/etc/passwd"),
        ::testing::ContainsRegex("\njejak:x:[0-9]+:[0-9]+:Jejak ledger node:/var/lib/jejak:"));
    struct stat st {};
    ASSERT_EQ(::stat((root + "/var/lib/jejak").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0750u);
    ASSERT_EQ(::stat((root + "/etc/jejak").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0750u);
  }
  auto remove = Shell("dpkg --root=" + root +
                          " --force-script-chrootless --force-not-root --log=/dev/null -r jejak",
                      scratch_);
  EXPECT_EQ(remove.code, 0) << remove.out;
  EXPECT_FALSE(fs::exists(root + "/usr/bin/jejak"));
}

}  // namespace
}  // namespace jejak
