#include "crypto/ed25519.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace jejak {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) {
    std::fputs("jejak: libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

SigningKey SigningKey::Generate() {
  EnsureSodium();
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  SigningKey key = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

SigningKey SigningKey::FromSeed(const Seed& seed) {
  EnsureSodium();
  SigningKey key;
  key.seed_ = seed;
  crypto_sign_seed_keypair(key.public_key_.data(), key.secret_.data(), seed.data());
  return key;
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : seed_(other.seed_), secret_(other.secret_), public_key_(other.public_key_) {
  sodium_memzero(other.seed_.data(), other.seed_.size());
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    seed_ = other.seed_;
    secret_ = other.secret_;
    public_key_ = other.public_key_;
    sodium_memzero(other.seed_.data(), other.seed_.size());
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

SigningKey::~SigningKey() {
  sodium_memzero(seed_.data(), seed_.size());
  sodium_memzero(secret_.data(), secret_.size());
}

Signature SigningKey::Sign(ByteSpan message) const {
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

bool VerifySignature(const PublicKey& key, ByteSpan message, const Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

}  // namespace jejak
