#include "crypto/cosignature.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "crypto/sha256.h"

namespace jejak {
namespace {

constexpr size_t kTimestampBytes = 8;
constexpr size_t kCosignatureBytes = kTimestampBytes + sizeof(Signature);

}  // namespace

uint32_t CosignatureKeyId(std::string_view name, const PublicKey& key) {
  return NoteKeyId(name, kNoteTypeCosignature, key);
}

std::string CosignatureMessage(std::string_view checkpoint_text, uint64_t timestamp) {
  std::string m = fmt::format("cosignature/v1\ntime {}\n", timestamp);
  m += checkpoint_text;
  return m;
}

NoteSignature Cosign(std::string_view checkpoint_text, std::string_view name, const SigningKey& key,
                     uint64_t timestamp) {
  const Signature s = key.Sign(AsBytes(CosignatureMessage(checkpoint_text, timestamp)));
  NoteSignature sig;
  sig.name = std::string(name);
  sig.key_id = CosignatureKeyId(name, key.public_key());
  sig.signature.resize(kCosignatureBytes);
  PutBigEndian64(timestamp, sig.signature.data());
  std::memcpy(sig.signature.data() + kTimestampBytes, s.data(), s.size());
  return sig;
}

std::string CosignerVerifierKey(const Cosigner& c) {
  NoteVerifierKey v;
  v.name = c.name;
  v.key_id = CosignatureKeyId(c.name, c.key);
  v.type = kNoteTypeCosignature;
  v.key = c.key;
  return v.ToString();
}

bool IsCosignatureBy(const NoteSignature& sig, const Cosigner& c) {
  return sig.name == c.name && sig.key_id == CosignatureKeyId(c.name, c.key);
}

std::optional<uint64_t> CosignatureTimestamp(const NoteSignature& sig) {
  if (sig.signature.size() != kCosignatureBytes) return std::nullopt;
  const uint64_t timestamp = GetBigEndian64(sig.signature.data());
  if (timestamp > kMaxCosignatureTimestamp) return std::nullopt;
  return timestamp;
}

Result<uint64_t> VerifyCosignature(std::string_view checkpoint_text, const NoteSignature& sig,
                                   const Cosigner& c) {
  if (!IsCosignatureBy(sig, c)) {
    return InvalidArgument(fmt::format(
        "the signature by {} (key ID {:08x}) is not a cosignature by {} (key ID {:08x})", sig.name,
        sig.key_id, c.name, CosignatureKeyId(c.name, c.key)));
  }
  if (sig.signature.size() != kCosignatureBytes) {
    return InvalidArgument(fmt::format("a cosignature by {} must hold {} bytes, not {}", c.name,
                                       kCosignatureBytes, sig.signature.size()));
  }
  const uint64_t timestamp = GetBigEndian64(sig.signature.data());
  if (timestamp > kMaxCosignatureTimestamp) {
    return PermissionDenied(fmt::format(
        "the cosignature by {} has timestamp {}, above the limit 2^63-1", c.name, timestamp));
  }
  Signature s;
  std::memcpy(s.data(), sig.signature.data() + kTimestampBytes, s.size());
  if (!VerifySignature(c.key, AsBytes(CosignatureMessage(checkpoint_text, timestamp)), s)) {
    return PermissionDenied(fmt::format("the cosignature by {} does not verify", c.name));
  }
  return timestamp;
}

SigningKey DeriveWitnessKey(const SigningKey& node_key) {
  static constexpr std::string_view kContext = "jejak/witness-key/v1\n";
  Bytes material(kContext.begin(), kContext.end());
  material.insert(material.end(), node_key.seed().begin(), node_key.seed().end());
  const Hash h = Sha256(material);
  Seed seed;
  std::copy(h.begin(), h.end(), seed.begin());
  std::fill(material.begin(), material.end(), 0);
  return SigningKey::FromSeed(seed);
}

}  // namespace jejak
