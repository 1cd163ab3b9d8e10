// Where passphrases come from: a file, an environment variable, a fallback
// variable, and (without a terminal) a clear error.
#include "crypto/passphrase.h"

#include <fcntl.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "crypto/files.h"
#include "tests/test_support.h"

namespace jejak {
namespace {
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::RemoveFolder;

using ::testing::HasSubstr;

// Variable names private to this test, so the real JEJAK_PASSPHRASE of
// whoever runs the tests never leaks in.
constexpr char kVar[] = "JEJAK_PASSPHRASE_TEST_PRIMARY";
constexpr char kFallback[] = "JEJAK_PASSPHRASE_TEST_FALLBACK";

class PassphraseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempFolder("passphrase-test");
    ::unsetenv(kVar);
    ::unsetenv(kFallback);
  }
  void TearDown() override {
    ::unsetenv(kVar);
    ::unsetenv(kFallback);
    RemoveFolder(dir_);
  }

  std::string WriteFile(const std::string& name, std::string_view contents) {
    const std::string path = dir_ + "/" + name;
    EXPECT_TRUE(WriteFileAtomic(path, contents, 0600).ok());
    return path;
  }

  PassphraseSource Source() const {
    PassphraseSource s;
    s.env_var = kVar;
    return s;
  }

  std::string dir_;
};

void ExpectPassphrase(const Result<std::string>& r, std::string_view want) {
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, want);
}

void ExpectInvalid(const Result<std::string>& r, std::string_view why) {
  ASSERT_FALSE(r.ok()) << "got passphrase '" << *r << "'";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().message();
  EXPECT_THAT(r.status().message(), HasSubstr(why));
}

TEST_F(PassphraseTest, FileGivesItsFirstLine) {
  PassphraseSource s = Source();
  s.file = WriteFile("p1", "first line\nsecond line\n");
  ExpectPassphrase(ObtainPassphrase(s), "first line");
}

TEST_F(PassphraseTest, FileWithoutNewlineIsUsedWhole) {
  PassphraseSource s = Source();
  s.file = WriteFile("p2", "  spaces kept  ");
  ExpectPassphrase(ObtainPassphrase(s), "  spaces kept  ");
}

TEST_F(PassphraseTest, FileCrLfIsStripped) {
  PassphraseSource s = Source();
  s.file = WriteFile("p3", "windows\r\nnext\r\n");
  ExpectPassphrase(ObtainPassphrase(s), "windows");
  s.file = WriteFile("p4", "only cr\r");
  ExpectPassphrase(ObtainPassphrase(s), "only cr");
}

TEST_F(PassphraseTest, FileWinsOverEnvironment) {
  ASSERT_EQ(::setenv(kVar, "from env", 1), 0);
  PassphraseSource s = Source();
  s.file = WriteFile("p5", "from file\n");
  ExpectPassphrase(ObtainPassphrase(s), "from file");
}

TEST_F(PassphraseTest, EmptyFileOrEmptyFirstLineIsInvalid) {
  PassphraseSource s = Source();
  s.file = WriteFile("empty", "");
  ExpectInvalid(ObtainPassphrase(s), "the passphrase is empty");
  s.file = WriteFile("blank", "\nsecret on line two\n");
  ExpectInvalid(ObtainPassphrase(s), "the passphrase is empty");
  s.file = WriteFile("crlf", "\r\n");
  ExpectInvalid(ObtainPassphrase(s), "the passphrase is empty");
}

TEST_F(PassphraseTest, MissingFileIsNotFoundWithContext) {
  ASSERT_EQ(::setenv(kVar, "from env", 1), 0);  // not consulted when a file is given
  PassphraseSource s = Source();
  s.file = dir_ + "/absent";
  auto r = ObtainPassphrase(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("passphrase file: "));
  EXPECT_THAT(r.status().message(), HasSubstr(s.file));
}

TEST_F(PassphraseTest, OversizedFileIsRefused) {
  PassphraseSource s = Source();
  s.file = WriteFile("big", std::string(5000, 'p') + "\n");
  auto r = ObtainPassphrase(s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("passphrase file: "));
  EXPECT_THAT(r.status().message(), HasSubstr("larger than 4096 bytes"));
}

TEST_F(PassphraseTest, EnvironmentVariableIsUsedVerbatim) {
  ASSERT_EQ(::setenv(kVar, "env secret\twith tab", 1), 0);
  ExpectPassphrase(ObtainPassphrase(Source()), "env secret\twith tab");
}

TEST_F(PassphraseTest, EnvironmentWinsOverFallback) {
  ASSERT_EQ(::setenv(kVar, "primary", 1), 0);
  ASSERT_EQ(::setenv(kFallback, "fallback", 1), 0);
  PassphraseSource s = Source();
  s.fallback_env_var = kFallback;
  ExpectPassphrase(ObtainPassphrase(s), "primary");
}

TEST_F(PassphraseTest, FallbackVariableIsUsedWhenThePrimaryIsUnset) {
  ASSERT_EQ(::setenv(kFallback, "fallback", 1), 0);
  PassphraseSource s = Source();
  s.fallback_env_var = kFallback;
  ExpectPassphrase(ObtainPassphrase(s), "fallback");
}

TEST_F(PassphraseTest, EmptyPassphraseFileIsInvalid) {
  PassphraseSource s = Source();
  s.file = WriteFile("empty", "\n");
  ExpectInvalid(ObtainPassphrase(s), "the passphrase is empty");
}

TEST_F(PassphraseTest, EmptyVariablesCountAsUnset) {
  // An empty primary variable falls through to the fallback; an empty
  // fallback falls through to the prompt (which, with no terminal, fails).
  ASSERT_EQ(::setenv(kVar, "", 1), 0);
  ASSERT_EQ(::setenv(kFallback, "from-fallback", 1), 0);
  PassphraseSource s = Source();
  s.fallback_env_var = kFallback;
  auto p = ObtainPassphrase(s);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*p, "from-fallback");
  ASSERT_EQ(::setenv(kFallback, "", 1), 0);
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd >= 0) {
    ::close(fd);
    return;  // a terminal would prompt
  }
  ExpectInvalid(ObtainPassphrase(s), "no passphrase: give --passphrase-file");
}

TEST_F(PassphraseTest, NoSourceAndNoTerminalIsInvalid) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd >= 0) {
    ::close(fd);
    GTEST_SKIP() << "a controlling terminal is available; the prompt would block";
  }
  PassphraseSource s = Source();
  s.fallback_env_var = kFallback;
  ExpectInvalid(ObtainPassphrase(s), "no passphrase: give --passphrase-file");
}

}  // namespace
}  // namespace jejak
