// Encrypted Ed25519 key files (format: specs/key-file.md).
//
// The 32-byte seed is sealed with XChaCha20-Poly1305 under a key derived from a
// passphrase with Argon2id; the header lines (name, public key, KDF parameters)
// are the associated data, so altering any of them makes the file unopenable.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/note.h"
#include "crypto/status.h"

namespace jejak {

struct KdfParams {
  uint64_t opslimit;
  uint64_t memlimit;  // bytes
  // libsodium's "interactive" Argon2id profile: 2 passes over 64 MiB.
  static KdfParams Interactive();
  // libsodium's "moderate" profile: 3 passes over 256 MiB.
  static KdfParams Moderate();
};

// The public part of a key file, readable without the passphrase.
struct KeyFileInfo {
  std::string name;
  PublicKey public_key{};

  NoteVerifierKey verifier() const { return NoteVerifierKey::ForEd25519(name, public_key); }
};

// Serialises `key` sealed under `passphrase`. Pure; no I/O.
Result<std::string> SealKeyFile(std::string_view name, const SigningKey& key,
                                std::string_view passphrase, const KdfParams& kdf);

// Parses the public header of a key file's contents. `where` names the file in
// errors.
Result<KeyFileInfo> ParseKeyFileInfo(std::string_view contents, std::string_view where);

// Opens the sealed seed. PermissionDenied "wrong passphrase" when the
// passphrase (or the file) is wrong.
Result<SigningKey> OpenKeyFile(std::string_view contents, std::string_view passphrase,
                               std::string_view where);

// A 32-byte secret (the program key) sealed the same way, in a "jejak-secret-v1"
// file with no public key line (specs/key-file.md).
Result<std::string> SealSecretFile(std::string_view name, const std::array<uint8_t, 32>& secret,
                                   std::string_view passphrase, const KdfParams& kdf);
Result<std::array<uint8_t, 32>> OpenSecretFile(std::string_view contents,
                                               std::string_view passphrase, std::string_view where);

// File wrappers: write refuses to overwrite (AlreadyExists) and makes the file 0600.
Status WriteKeyFile(const std::string& path, std::string_view name, const SigningKey& key,
                    std::string_view passphrase, const KdfParams& kdf = KdfParams::Interactive());
Result<KeyFileInfo> ReadKeyFileInfo(const std::string& path);
Result<SigningKey> UnlockKeyFile(const std::string& path, std::string_view passphrase);

}  // namespace jejak
