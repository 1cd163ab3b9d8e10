#include "node/request_auth.h"

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "crypto/sha256.h"

namespace jejak {
namespace {

std::string SignedText(std::string_view method, std::string_view target, std::string_view time,
                       std::string_view body) {
  return fmt::format("jejak/request/v1\n{}\n{}\n{}\n{}\n", method, target, time,
                     HexEncode(Sha256(AsBytes(body))));
}

}  // namespace

HttpHeaders SignRequest(std::string_view method, std::string_view target, std::string_view body,
                        const SigningKey& key, int64_t now_ms) {
  const std::string time = std::to_string(now_ms);
  const Signature sig = key.Sign(AsBytes(SignedText(method, target, time, body)));
  return {{"X-Jejak-Key", Base64Encode(key.public_key())},
          {"X-Jejak-Time", time},
          {"X-Jejak-Signature", Base64Encode(sig)}};
}

Result<PublicKey> RequestSigner(const HttpRequest& request, int64_t now_ms) {
  const std::string_view key_text = request.JejakHeader("key");
  const std::string_view time_text = request.JejakHeader("time");
  const std::string_view sig_text = request.JejakHeader("signature");
  if (key_text.empty() || time_text.empty() || sig_text.empty()) {
    return PermissionDenied(
        "this request must be signed by a role key (X-Jejak-Key, X-Jejak-Time, "
        "X-Jejak-Signature)");
  }
  auto key = Base64DecodeFixed<32>(key_text);
  if (!key.ok()) return PermissionDenied("X-Jejak-Key is not a base64 Ed25519 public key");
  auto sig = Base64DecodeFixed<64>(sig_text);
  if (!sig.ok()) return PermissionDenied("X-Jejak-Signature is not a base64 Ed25519 signature");
  auto time = ParseDecimal(time_text);
  if (!time.ok()) return PermissionDenied("X-Jejak-Time is not Unix milliseconds");
  // Compared without signed arithmetic: the time may be any decimal up to
  // 2^64-1, which neither fits an int64 nor may overflow one.
  const uint64_t now = now_ms > 0 ? static_cast<uint64_t>(now_ms) : 0;
  const uint64_t apart = *time > now ? *time - now : now - *time;
  if (apart > static_cast<uint64_t>(kRequestClockSkew.count())) {
    return PermissionDenied(fmt::format(
        "X-Jejak-Time is {}{} s from this node's clock (at most {} s allowed): check the clocks",
        *time < now ? "-" : "", apart / 1000, kRequestClockSkew.count() / 1000));
  }
  return *key;
}

Result<PublicKey> VerifyRequest(const HttpRequest& request, int64_t now_ms) {
  PublicKey key;
  ASSIGN_OR_RETURN(key, RequestSigner(request, now_ms));
  auto sig = Base64DecodeFixed<64>(request.JejakHeader("signature"));
  if (!sig.ok() || !VerifySignature(key,
                                    AsBytes(SignedText(request.method, request.target,
                                                       request.JejakHeader("time"), request.body)),
                                    *sig)) {
    return PermissionDenied("X-Jejak-Signature does not verify for this request and key");
  }
  return key;
}

}  // namespace jejak
