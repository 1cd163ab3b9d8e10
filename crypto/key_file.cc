#include "crypto/key_file.h"

#include <sodium.h>

#include <fmt/format.h>

#include <vector>

#include "crypto/files.h"

namespace jejak {
namespace {

constexpr std::string_view kKeyMagic = "jejak-key-v1";        // an Ed25519 seed
constexpr std::string_view kSecretMagic = "jejak-secret-v1";  // any 32-byte secret
constexpr size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kSealedBytes = 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES;

struct ParsedKeyFile {
  bool has_public = false;
  KeyFileInfo info;
  KdfParams kdf{};
  Bytes salt, nonce, sealed;
  std::string associated;  // every line before "sealed"
};

Result<ParsedKeyFile> Parse(std::string_view contents, std::string_view where) {
  auto bad = [&](std::string_view what) {
    return InvalidArgument(fmt::format("{}: not a jejak key file ({})", where, what));
  };
  std::vector<std::string_view> lines;
  while (!contents.empty()) {
    const size_t nl = contents.find('\n');
    if (nl == std::string_view::npos) return bad("last line has no newline");
    lines.push_back(contents.substr(0, nl));
    contents.remove_prefix(nl + 1);
  }
  ParsedKeyFile f;
  f.has_public = !lines.empty() && lines[0] == kKeyMagic;
  // A secret file has no "public" line; the lines after it shift up by one.
  const size_t shift = f.has_public ? 0 : 1;
  if (!(f.has_public && lines.size() == 7) &&
      !(!lines.empty() && lines[0] == kSecretMagic && lines.size() == 6)) {
    return bad("expected 7 lines starting 'jejak-key-v1' (or 6 starting 'jejak-secret-v1')");
  }
  auto field = [&](size_t i, std::string_view key) -> Result<std::string_view> {
    if (i > 2) i -= shift;
    std::string_view l = lines[i];
    if (l.substr(0, key.size() + 1) != std::string(key) + " ") {
      return bad(fmt::format("line {} should start with '{} '", i + 1, key));
    }
    return l.substr(key.size() + 1);
  };
  std::string_view v;
  ASSIGN_OR_RETURN(v, field(1, "name"));
  f.info.name = std::string(v);
  if (!ValidKeyName(f.info.name)) return bad("invalid key name");
  if (f.has_public) {
    ASSIGN_OR_RETURN(v, field(2, "public"));
    auto pk = Base64DecodeFixed<32>(v);
    if (!pk.ok()) return bad("public key: " + pk.status().message());
    f.info.public_key = *pk;
  }
  ASSIGN_OR_RETURN(v, field(3, "kdf"));
  // "argon2id13 <opslimit> <memlimit>", canonical decimals, nothing else.
  const size_t sp1 = v.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : v.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || v.substr(0, sp1) != "argon2id13") {
    return bad("kdf line must be 'kdf argon2id13 <opslimit> <memlimit>'");
  }
  auto ops = ParseDecimal(v.substr(sp1 + 1, sp2 - sp1 - 1));
  auto mem = ParseDecimal(v.substr(sp2 + 1));
  if (!ops.ok() || !mem.ok()) return bad("kdf parameters must be decimal numbers");
  if (*ops < crypto_pwhash_OPSLIMIT_MIN || *ops > 64 || *mem < crypto_pwhash_MEMLIMIT_MIN ||
      *mem > (size_t{4} << 30)) {
    return bad("kdf parameters out of range");
  }
  f.kdf = {*ops, *mem};
  ASSIGN_OR_RETURN(v, field(4, "salt"));
  auto salt = Base64Decode(v);
  if (!salt.ok() || salt->size() != kSaltBytes) return bad("salt");
  f.salt = *salt;
  ASSIGN_OR_RETURN(v, field(5, "nonce"));
  auto nonce = Base64Decode(v);
  if (!nonce.ok() || nonce->size() != kNonceBytes) return bad("nonce");
  f.nonce = *nonce;
  ASSIGN_OR_RETURN(v, field(6, "sealed"));
  auto sealed = Base64Decode(v);
  if (!sealed.ok() || sealed->size() != kSealedBytes) return bad("sealed secret");
  f.sealed = *sealed;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    f.associated.append(lines[i]);
    f.associated.push_back('\n');
  }
  return f;
}

Status DeriveKey(std::string_view passphrase, ByteSpan salt, const KdfParams& kdf,
                 uint8_t out[32]) {
  if (crypto_pwhash(out, 32, passphrase.data(), passphrase.size(), salt.data(), kdf.opslimit,
                    kdf.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("Argon2id failed (out of memory?)");
  }
  return Status::Ok();
}

}  // namespace

KdfParams KdfParams::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
KdfParams KdfParams::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

namespace {

// Seals a 32-byte secret under `passphrase`; `public_line` is "public <b64>\n"
// for key files and empty for secret files. The header is the associated data.
Result<std::string> Seal(std::string_view magic, std::string_view name,
                         std::string_view public_line, const std::array<uint8_t, 32>& secret,
                         std::string_view passphrase, const KdfParams& kdf) {
  EnsureSodium();
  if (!ValidKeyName(name)) {
    return InvalidArgument(
        fmt::format("key name '{}' must be non-empty with no spaces or '+'", name));
  }
  if (passphrase.empty()) return InvalidArgument("the passphrase is empty");
  Bytes salt(kSaltBytes), nonce(kNonceBytes);
  randombytes_buf(salt.data(), salt.size());
  randombytes_buf(nonce.data(), nonce.size());
  std::string associated =
      fmt::format("{}\nname {}\n{}kdf argon2id13 {} {}\nsalt {}\nnonce {}\n", magic, name,
                  public_line, kdf.opslimit, kdf.memlimit, Base64Encode(salt), Base64Encode(nonce));
  uint8_t k[32];
  RETURN_IF_ERROR(DeriveKey(passphrase, salt, kdf, k));
  Bytes sealed(kSealedBytes);
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &sealed_len, secret.data(),
                                             secret.size(),
                                             reinterpret_cast<const uint8_t*>(associated.data()),
                                             associated.size(), nullptr, nonce.data(), k);
  sodium_memzero(k, sizeof k);
  return associated + "sealed " + Base64Encode(sealed) + "\n";
}

// Opens the sealed secret of a parsed file. PermissionDenied for a wrong
// passphrase or an altered header.
Result<std::array<uint8_t, 32>> Open(const ParsedKeyFile& f, std::string_view passphrase,
                                     std::string_view where) {
  uint8_t k[32];
  RETURN_IF_ERROR(DeriveKey(passphrase, f.salt, f.kdf, k));
  std::array<uint8_t, 32> secret;
  unsigned long long len = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      secret.data(), &len, nullptr, f.sealed.data(), f.sealed.size(),
      reinterpret_cast<const uint8_t*>(f.associated.data()), f.associated.size(), f.nonce.data(),
      k);
  sodium_memzero(k, sizeof k);
  if (rc != 0 || len != secret.size()) {
    return PermissionDenied(
        fmt::format("{}: wrong passphrase (or the key file was altered)", where));
  }
  return secret;
}

}  // namespace

Result<std::string> SealKeyFile(std::string_view name, const SigningKey& key,
                                std::string_view passphrase, const KdfParams& kdf) {
  return Seal(kKeyMagic, name, "public " + Base64Encode(key.public_key()) + "\n", key.seed(),
              passphrase, kdf);
}

Result<KeyFileInfo> ParseKeyFileInfo(std::string_view contents, std::string_view where) {
  ParsedKeyFile f;
  ASSIGN_OR_RETURN(f, Parse(contents, where));
  if (!f.has_public)
    return InvalidArgument(fmt::format("{}: a secret file, not a key file", where));
  return f.info;
}

Result<SigningKey> OpenKeyFile(std::string_view contents, std::string_view passphrase,
                               std::string_view where) {
  EnsureSodium();
  ParsedKeyFile f;
  ASSIGN_OR_RETURN(f, Parse(contents, where));
  if (!f.has_public)
    return InvalidArgument(fmt::format("{}: a secret file, not a key file", where));
  Seed seed;
  ASSIGN_OR_RETURN(seed, Open(f, passphrase, where));
  SigningKey key = SigningKey::FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  if (key.public_key() != f.info.public_key) {
    return Corruption(fmt::format("{}: sealed key does not match its public key", where));
  }
  return key;
}

Result<std::string> SealSecretFile(std::string_view name, const std::array<uint8_t, 32>& secret,
                                   std::string_view passphrase, const KdfParams& kdf) {
  return Seal(kSecretMagic, name, "", secret, passphrase, kdf);
}

Result<std::array<uint8_t, 32>> OpenSecretFile(std::string_view contents,
                                               std::string_view passphrase,
                                               std::string_view where) {
  EnsureSodium();
  ParsedKeyFile f;
  ASSIGN_OR_RETURN(f, Parse(contents, where));
  if (f.has_public) return InvalidArgument(fmt::format("{}: a key file, not a secret file", where));
  return Open(f, passphrase, where);
}

Status WriteKeyFile(const std::string& path, std::string_view name, const SigningKey& key,
                    std::string_view passphrase, const KdfParams& kdf) {
  std::string contents;
  ASSIGN_OR_RETURN(contents, SealKeyFile(name, key, passphrase, kdf));
  return WriteFileAtomic(path, contents, 0600, /*no_clobber=*/true);
}

Result<KeyFileInfo> ReadKeyFileInfo(const std::string& path) {
  std::string contents;
  ASSIGN_OR_RETURN(contents, ReadFile(path, 64 * 1024));
  return ParseKeyFileInfo(contents, path);
}

Result<SigningKey> UnlockKeyFile(const std::string& path, std::string_view passphrase) {
  std::string contents;
  ASSIGN_OR_RETURN(contents, ReadFile(path, 64 * 1024));
  return OpenKeyFile(contents, passphrase, path);
}

}  // namespace jejak
