#include "crypto/cosignature.h"

#include <cstring>

namespace jejak {

uint32_t CosignatureKeyId(std::string_view name, const PublicKey& key) {
  return NoteKeyId(name, kNoteTypeCosignature, key);
}

std::string CosignatureMessage(std::string_view checkpoint_text, uint64_t timestamp) {
  std::string m = "cosignature/v1\ntime " + std::to_string(timestamp) + "\n";
  m += checkpoint_text;
  return m;
}

NoteSignature Cosign(std::string_view checkpoint_text, std::string_view name, const SigningKey& key,
                     uint64_t timestamp) {
  const std::string message = CosignatureMessage(checkpoint_text, timestamp);
  const Signature s = key.Sign(AsBytes(message));
  NoteSignature sig;
  sig.name = std::string(name);
  sig.key_id = CosignatureKeyId(name, key.public_key());
  sig.signature.resize(8 + s.size());
  PutBigEndian64(timestamp, sig.signature.data());
  std::memcpy(sig.signature.data() + 8, s.data(), s.size());
  return sig;
}

std::string CosignerVerifierKey(const Cosigner& c) {
  NoteVerifierKey v;
  v.name = c.name;
  v.type = kNoteTypeCosignature;
  v.key = c.key;
  v.key_id = CosignatureKeyId(c.name, c.key);
  return v.ToString();
}

bool IsCosignatureBy(const NoteSignature& sig, const Cosigner& c) {
  return sig.name == c.name && sig.key_id == CosignatureKeyId(c.name, c.key);
}

Result<uint64_t> VerifyCosignature(std::string_view checkpoint_text, const NoteSignature& sig,
                                   const Cosigner& c) {
  if (!IsCosignatureBy(sig, c)) {
    return InvalidArgument("the signature is not a cosignature by " + c.name);
  }
  if (sig.signature.size() != 8 + 64) {
    return InvalidArgument("a cosignature by " + c.name + " must be 72 bytes, not " +
                           std::to_string(sig.signature.size()));
  }
  const uint64_t timestamp = GetBigEndian64(sig.signature.data());
  if (timestamp >> 63) return PermissionDenied("cosignature timestamp out of range");
  Signature s;
  std::memcpy(s.data(), sig.signature.data() + 8, s.size());
  if (!VerifySignature(c.key, AsBytes(CosignatureMessage(checkpoint_text, timestamp)), s)) {
    return PermissionDenied("the cosignature by " + c.name + " does not verify");
  }
  return timestamp;
}

}  // namespace jejak
