#include "crypto/key_file.h"

#include <sodium.h>

#include <fmt/format.h>

#include <vector>

#include "crypto/files.h"

namespace jejak {
namespace {

constexpr std::string_view kMagic = "jejak-key-v1";
constexpr size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kSealedBytes = 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES;

struct ParsedKeyFile {
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
  if (lines.size() != 7 || lines[0] != kMagic)
    return bad("expected 7 lines starting 'jejak-key-v1'");
  auto field = [&](size_t i, std::string_view key) -> Result<std::string_view> {
    std::string_view l = lines[i];
    if (l.substr(0, key.size() + 1) != std::string(key) + " ") {
      return bad(fmt::format("line {} should start with '{} '", i + 1, key));
    }
    return l.substr(key.size() + 1);
  };
  ParsedKeyFile f;
  std::string_view v;
  ASSIGN_OR_RETURN(v, field(1, "name"));
  f.info.name = std::string(v);
  if (!ValidKeyName(f.info.name)) return bad("invalid key name");
  ASSIGN_OR_RETURN(v, field(2, "public"));
  auto pk = Base64DecodeFixed<32>(v);
  if (!pk.ok()) return bad("public key: " + pk.status().message());
  f.info.public_key = *pk;
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
  if (!sealed.ok() || sealed->size() != kSealedBytes) return bad("sealed seed");
  f.sealed = *sealed;
  for (size_t i = 0; i < 6; ++i) {
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

Result<std::string> SealKeyFile(std::string_view name, const SigningKey& key,
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
      fmt::format("{}\nname {}\npublic {}\nkdf argon2id13 {} {}\nsalt {}\nnonce {}\n", kMagic, name,
                  Base64Encode(key.public_key()), kdf.opslimit, kdf.memlimit, Base64Encode(salt),
                  Base64Encode(nonce));
  uint8_t k[32];
  RETURN_IF_ERROR(DeriveKey(passphrase, salt, kdf, k));
  Bytes sealed(kSealedBytes);
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data(), &sealed_len, key.seed().data(),
                                             key.seed().size(),
                                             reinterpret_cast<const uint8_t*>(associated.data()),
                                             associated.size(), nullptr, nonce.data(), k);
  sodium_memzero(k, sizeof k);
  return associated + "sealed " + Base64Encode(sealed) + "\n";
}

Result<KeyFileInfo> ParseKeyFileInfo(std::string_view contents, std::string_view where) {
  ParsedKeyFile f;
  ASSIGN_OR_RETURN(f, Parse(contents, where));
  return f.info;
}

Result<SigningKey> OpenKeyFile(std::string_view contents, std::string_view passphrase,
                               std::string_view where) {
  EnsureSodium();
  ParsedKeyFile f;
  ASSIGN_OR_RETURN(f, Parse(contents, where));
  uint8_t k[32];
  RETURN_IF_ERROR(DeriveKey(passphrase, f.salt, f.kdf, k));
  Seed seed;
  unsigned long long seed_len = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      seed.data(), &seed_len, nullptr, f.sealed.data(), f.sealed.size(),
      reinterpret_cast<const uint8_t*>(f.associated.data()), f.associated.size(), f.nonce.data(),
      k);
  sodium_memzero(k, sizeof k);
  if (rc != 0 || seed_len != seed.size()) {
    return PermissionDenied(
        fmt::format("{}: wrong passphrase (or the key file was altered)", where));
  }
  SigningKey key = SigningKey::FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  if (key.public_key() != f.info.public_key) {
    return Corruption(fmt::format("{}: sealed key does not match its public key", where));
  }
  return key;
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
