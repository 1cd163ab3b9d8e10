#include "crypto/pseudonym.h"

#include <sodium.h>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"

namespace jejak {

PseudonymBytes KpmPseudonym(const ProgramKey& key, std::string_view kpm_id) {
  EnsureSodium();
  static constexpr std::string_view kPrefix = "pkh-kpm:";
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), key.size(), 16);
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(kPrefix.data()), kPrefix.size());
  crypto_generichash_update(&st, reinterpret_cast<const uint8_t*>(kpm_id.data()), kpm_id.size());
  PseudonymBytes out;
  crypto_generichash_final(&st, out.data(), out.size());
  return out;
}

ProgramKey GenerateProgramKey() {
  EnsureSodium();
  ProgramKey k;
  randombytes_buf(k.data(), k.size());
  return k;
}

std::string FormatProgramKeyFile(const ProgramKey& key) { return HexEncode(key) + "\n"; }

Result<ProgramKey> ParseProgramKeyFile(std::string_view contents) {
  if (!contents.empty() && contents.back() == '\n') contents.remove_suffix(1);
  if (!contents.empty() && contents.back() == '\r') contents.remove_suffix(1);
  auto bytes = HexDecode(contents);
  if (contents.size() != 64 || !bytes.ok()) {
    return InvalidArgument("a program key file holds 64 hex digits and a newline");
  }
  ProgramKey k;
  std::copy(bytes->begin(), bytes->end(), k.begin());
  return k;
}

}  // namespace jejak
