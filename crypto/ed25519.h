// Ed25519 keys (RFC 8032) through libsodium.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/encoding.h"

namespace jejak {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;
using Seed = std::array<uint8_t, 32>;

// Initialises libsodium once; safe to call from any thread, any number of times.
// Aborts the process if libsodium cannot initialise (no usable RNG).
void EnsureSodium();

// A private signing key. Owns its secret and wipes it on destruction.
// Movable, not copyable; Sign() is thread-safe.
class SigningKey {
 public:
  static SigningKey Generate();
  static SigningKey FromSeed(const Seed& seed);

  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  const PublicKey& public_key() const { return public_key_; }
  // The 32-byte secret seed; for sealing into a key file, nothing else.
  const Seed& seed() const { return seed_; }
  Signature Sign(ByteSpan message) const;

 private:
  SigningKey() = default;
  Seed seed_{};
  std::array<uint8_t, 64> secret_{};  // libsodium's expanded form: seed || public key
  PublicKey public_key_{};
};

// True when `signature` is a valid Ed25519 signature of `message` by `key`.
bool VerifySignature(const PublicKey& key, ByteSpan message, const Signature& signature);

}  // namespace jejak
