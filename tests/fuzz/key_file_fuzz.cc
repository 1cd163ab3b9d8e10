// Key files and secret files (crypto/key_file.h) and the program key file
// (crypto/pseudonym.h) over any bytes: a key file may be copied from
// anywhere, and its header is read before any passphrase. Argon2id runs only
// for files whose KDF line is the cheapest (1 pass over 8 KiB, as the seeds
// are sealed), so that the fuzzer spends its time on parsing; other files are
// only parsed.
//
// Checks: a file that opens parses, and its key is the public key its header
// names; a wrong passphrase never opens a file (PermissionDenied, not a
// crash); a key file is never a secret file; a parsed program key prints back
// to the same 64 hex digits; every message is printable and names the file
// only by `where`.
#include <string>

#include "crypto/key_file.h"
#include "crypto/pseudonym.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

// The passphrase the seeds are sealed with (tests/fuzz/seed_writer.cc).
constexpr std::string_view kPassphrase = "fuzz passphrase";
constexpr std::string_view kCheapKdf = "\nkdf argon2id13 1 8192\n";

void CheckKeyFile(std::string_view contents, bool open) {
  auto info = ParseKeyFileInfo(contents, "fuzz.key");
  if (!info.ok()) FUZZ_CHECK_MESSAGE(info.status());
  if (info.ok()) FUZZ_CHECK(ValidKeyName(info->name), "a key file's name is valid");
  if (!open) return;
  auto key = OpenKeyFile(contents, kPassphrase, "fuzz.key");
  if (key.ok()) {
    FUZZ_CHECK(info.ok() && key->public_key() == info->public_key,
               "an opened key is the one its header names");
  } else {
    FUZZ_CHECK_MESSAGE(key.status());
  }
  auto wrong = OpenKeyFile(contents, "not the passphrase", "fuzz.key");
  FUZZ_CHECK(!wrong.ok(), "a wrong passphrase never opens a key file");
  FUZZ_CHECK_MESSAGE(wrong.status());
  FUZZ_CHECK(!info.ok() || wrong.status().code() == StatusCode::kPermissionDenied,
             "a wrong passphrase is PermissionDenied");

  auto secret = OpenSecretFile(contents, kPassphrase, "fuzz.secret");
  if (!secret.ok()) FUZZ_CHECK_MESSAGE(secret.status());
  FUZZ_CHECK(!(secret.ok() && info.ok()), "a key file is never a secret file");
  auto wrong_secret = OpenSecretFile(contents, "not the passphrase", "fuzz.secret");
  FUZZ_CHECK(!wrong_secret.ok(), "a wrong passphrase never opens a secret file");
}

void CheckProgramKey(std::string_view contents) {
  auto key = ParseProgramKeyFile(contents);
  if (!key.ok()) {
    FUZZ_CHECK_MESSAGE(key.status());
    FUZZ_CHECK(!fuzz::EchoesDigits(key.status().message(), contents),
               "a program key is never quoted");
    return;
  }
  std::string lower(contents.substr(0, 64));
  for (char& c : lower) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  FUZZ_CHECK(FormatProgramKeyFile(*key) == lower + "\n", "a program key prints back to itself");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view contents = fuzz::AsText(data, size);
  CheckKeyFile(contents, contents.find(kCheapKdf) != std::string_view::npos);
  CheckProgramKey(contents);
  return 0;
}
