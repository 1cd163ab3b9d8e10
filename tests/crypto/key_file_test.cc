// Encrypted key files: sealing, opening, tamper detection and the file wrappers.
#include "crypto/key_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/files.h"
#include "tests/test_support.h"

namespace jejak {
namespace {
using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::RemoveFolder;

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The cheapest Argon2id parameters the file format accepts, so tests stay fast.
constexpr KdfParams kFastKdf{1, 8192};

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1) {
    out.push_back(s.substr(start, nl - start));
  }
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string Seal(const SigningKey& key, std::string_view name = "node.example/key",
                 std::string_view pass = "correct horse") {
  auto s = SealKeyFile(name, key, pass, kFastKdf);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : std::string();
}

void ExpectWrongPassphrase(const Result<SigningKey>& r, std::string_view where) {
  ASSERT_FALSE(r.ok()) << "the key file opened";
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().message();
  EXPECT_THAT(r.status().message(), HasSubstr("wrong passphrase"));
  EXPECT_THAT(r.status().message(), StartsWith(std::string(where) + ":"));
}

void ExpectNotAKeyFile(const Status& s, std::string_view why) {
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
  EXPECT_THAT(s.message(), HasSubstr("not a jejak key file"));
  EXPECT_THAT(s.message(), HasSubstr(why));
}

TEST(KeyFileTest, SealedFileHasTheDocumentedShape) {
  const SigningKey key = KeyFromByte(1);
  const std::vector<std::string> lines = Lines(Seal(key));
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0], "jejak-key-v1");
  EXPECT_EQ(lines[1], "name node.example/key");
  EXPECT_EQ(lines[2], "public " + Base64Encode(key.public_key()));
  EXPECT_EQ(lines[3], "kdf argon2id13 1 8192");
  EXPECT_THAT(lines[4], StartsWith("salt "));
  EXPECT_THAT(lines[5], StartsWith("nonce "));
  EXPECT_THAT(lines[6], StartsWith("sealed "));
  // The seed never appears in the clear.
  EXPECT_EQ(Seal(key).find(Base64Encode(key.seed())), std::string::npos);
}

TEST(KeyFileTest, SealThenOpenRoundTrips) {
  const SigningKey key = SigningKey::Generate();
  const std::string file = Seal(key);
  auto opened = OpenKeyFile(file, "correct horse", "k.key");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->seed(), key.seed());
  EXPECT_EQ(opened->public_key(), key.public_key());
}

TEST(KeyFileTest, EachSealUsesFreshSaltAndNonce) {
  const SigningKey key = KeyFromByte(2);
  const auto a = Lines(Seal(key)), b = Lines(Seal(key));
  EXPECT_NE(a[4], b[4]);
  EXPECT_NE(a[5], b[5]);
  EXPECT_NE(a[6], b[6]);
}

TEST(KeyFileTest, InfoIsReadableWithoutThePassphrase) {
  const SigningKey key = KeyFromByte(3);
  auto info = ParseKeyFileInfo(Seal(key, "jejak.pkh/kab/7404"), "k.key");
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->name, "jejak.pkh/kab/7404");
  EXPECT_EQ(info->public_key, key.public_key());
  EXPECT_EQ(info->verifier().ToString(),
            NoteVerifierKey::ForEd25519("jejak.pkh/kab/7404", key.public_key()).ToString());
}

TEST(KeyFileTest, WrongPassphraseIsPermissionDenied) {
  const std::string file = Seal(KeyFromByte(4));
  ExpectWrongPassphrase(OpenKeyFile(file, "correct hors", "node.key"), "node.key");
  ExpectWrongPassphrase(OpenKeyFile(file, "Correct horse", "node.key"), "node.key");
  ExpectWrongPassphrase(OpenKeyFile(file, "", "node.key"), "node.key");
}

TEST(KeyFileTest, AlteredNameCannotBeOpened) {
  auto lines = Lines(Seal(KeyFromByte(5)));
  lines[1] = "name node.example/other";
  const std::string file = Join(lines);
  ASSERT_TRUE(ParseKeyFileInfo(file, "k").ok());  // still well-formed
  ExpectWrongPassphrase(OpenKeyFile(file, "correct horse", "k"), "k");
}

TEST(KeyFileTest, AlteredPublicKeyCannotBeOpened) {
  auto lines = Lines(Seal(KeyFromByte(6)));
  lines[2] = "public " + Base64Encode(KeyFromByte(7).public_key());
  const std::string file = Join(lines);
  auto info = ParseKeyFileInfo(file, "k");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->public_key, KeyFromByte(7).public_key());
  ExpectWrongPassphrase(OpenKeyFile(file, "correct horse", "k"), "k");
}

TEST(KeyFileTest, AlteredKdfSaltNonceOrSealedSeedCannotBeOpened) {
  const auto original = Lines(Seal(KeyFromByte(8)));
  {
    auto lines = original;
    lines[3] = "kdf argon2id13 2 8192";
    ExpectWrongPassphrase(OpenKeyFile(Join(lines), "correct horse", "k"), "k");
  }
  for (size_t i : {4u, 5u, 6u}) {
    auto lines = original;
    const size_t sp = lines[i].find(' ');
    auto raw = Base64Decode(lines[i].substr(sp + 1));
    ASSERT_TRUE(raw.ok());
    (*raw)[0] ^= 1;
    lines[i] = lines[i].substr(0, sp + 1) + Base64Encode(*raw);
    ExpectWrongPassphrase(OpenKeyFile(Join(lines), "correct horse", "k"), "k");
  }
}

TEST(KeyFileTest, RejectsMalformedFiles) {
  const std::string file = Seal(KeyFromByte(9));
  const auto lines = Lines(file);

  ExpectNotAKeyFile(ParseKeyFileInfo("", "k").status(), "expected 7 lines");
  ExpectNotAKeyFile(ParseKeyFileInfo(file.substr(0, file.size() - 1), "k").status(),
                    "last line has no newline");
  ExpectNotAKeyFile(ParseKeyFileInfo(file + "extra\n", "k").status(), "expected 7 lines");
  auto v = lines;
  v[0] = "jejak-key-v2";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "expected 7 lines");
  v = lines;
  v[1] = "nom node.example/key";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "line 2 should start with 'name '");
  v = lines;
  v[1] = "name bad name";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "invalid key name");
  v = lines;
  v[2] = "public AAAA";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "public key");
  v = lines;
  v[3] = "kdf scrypt 1 8192";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "kdf line must be");
  v = lines;
  v[3] = "kdf argon2id13 1";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "kdf line must be");
  v = lines;
  v[4] = "salt AAAA";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "(salt)");
  v = lines;
  v[5] = "nonce AAAA";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "(nonce)");
  v = lines;
  v[6] = "sealed AAAA";
  ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "(sealed secret)");
  // Open reports the same parse errors before trying the passphrase.
  v = lines;
  v[6] = "sealed AAAA";
  auto opened = OpenKeyFile(Join(v), "correct horse", "k");
  ASSERT_FALSE(opened.ok());
  ExpectNotAKeyFile(opened.status(), "(sealed secret)");
}

TEST(KeyFileTest, RejectsKdfParametersOutOfRange) {
  const auto lines = Lines(Seal(KeyFromByte(10)));
  for (std::string kdf : {"kdf argon2id13 0 8192", "kdf argon2id13 65 8192",
                          "kdf argon2id13 1 8191", "kdf argon2id13 1 4294967297"}) {
    auto v = lines;
    v[3] = kdf;
    ExpectNotAKeyFile(ParseKeyFileInfo(Join(v), "k").status(), "kdf parameters out of range");
  }
}

TEST(KeyFileTest, SealRefusesBadNamesAndEmptyPassphrases) {
  const SigningKey key = KeyFromByte(11);
  auto bad_name = SealKeyFile("two words", key, "pass", kFastKdf);
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_name.status().message(), HasSubstr("key name 'two words'"));
  auto plus = SealKeyFile("a+b", key, "pass", kFastKdf);
  ASSERT_FALSE(plus.ok());
  EXPECT_EQ(plus.status().code(), StatusCode::kInvalidArgument);
  auto empty = SealKeyFile("name", key, "", kFastKdf);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("passphrase is empty"));
}

class KeyFileOnDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempFolder("key-file-test");
    old_umask_ = ::umask(022);
  }
  void TearDown() override {
    ::umask(old_umask_);
    RemoveFolder(dir_);
  }
  std::string dir_;
  mode_t old_umask_ = 0;
};

TEST_F(KeyFileOnDiskTest, WriteMakesAPrivateFileThatUnlocks) {
  const std::string path = dir_ + "/node.key";
  const SigningKey key = KeyFromByte(12);
  ASSERT_TRUE(WriteKeyFile(path, "node.example", key, "pw", kFastKdf).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  auto info = ReadKeyFileInfo(path);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->name, "node.example");
  EXPECT_EQ(info->public_key, key.public_key());

  auto unlocked = UnlockKeyFile(path, "pw");
  ASSERT_TRUE(unlocked.ok()) << unlocked.status().message();
  EXPECT_EQ(unlocked->public_key(), key.public_key());
  ExpectWrongPassphrase(UnlockKeyFile(path, "wrong"), path);

  // No temporary files are left behind.
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST_F(KeyFileOnDiskTest, WriteRefusesToOverwrite) {
  const std::string path = dir_ + "/node.key";
  ASSERT_TRUE(WriteKeyFile(path, "first", KeyFromByte(13), "pw", kFastKdf).ok());
  auto before = ReadFile(path);
  ASSERT_TRUE(before.ok());
  const Status again = WriteKeyFile(path, "second", KeyFromByte(14), "pw", kFastKdf);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists) << again.message();
  EXPECT_THAT(again.message(), HasSubstr(path));
  auto after = ReadFile(path);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, *before);
  auto info = ReadKeyFileInfo(path);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->name, "first");
}

TEST_F(KeyFileOnDiskTest, MissingFileIsNotFound) {
  const std::string path = dir_ + "/absent.key";
  auto info = ReadKeyFileInfo(path);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(info.status().message(), HasSubstr(path));
  auto key = UnlockKeyFile(path, "pw");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kNotFound);
}

TEST_F(KeyFileOnDiskTest, ReadNamesTheFileInParseErrors) {
  const std::string path = dir_ + "/junk.key";
  ASSERT_TRUE(WriteFileAtomic(path, "hello\n").ok());
  auto info = ReadKeyFileInfo(path);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(info.status().message(), StartsWith(path + ": not a jejak key file"));
}

}  // namespace
}  // namespace jejak

namespace jejak {
namespace {

TEST(SecretFileTest, RoundTripsAndRefusesWrongPassphraseAndKeyFiles) {
  std::array<uint8_t, 32> secret;
  for (size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<uint8_t>(i * 7);
  const KdfParams fast{1, 8192};
  auto sealed = SealSecretFile("pkh-program-key", secret, "pass", fast);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->rfind("jejak-secret-v1\nname pkh-program-key\nkdf ", 0), 0u);
  auto opened = OpenSecretFile(*sealed, "pass", "p");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, secret);
  auto wrong = OpenSecretFile(*sealed, "nope", "p");
  EXPECT_EQ(wrong.status().code(), StatusCode::kPermissionDenied);
  // A key file is not a secret file, and the other way round.
  EXPECT_EQ(ParseKeyFileInfo(*sealed, "p").status().code(), StatusCode::kInvalidArgument);
  auto key_file = SealKeyFile("k", SigningKey::Generate(), "pass", fast);
  ASSERT_TRUE(key_file.ok());
  EXPECT_EQ(OpenSecretFile(*key_file, "pass", "p").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jejak
