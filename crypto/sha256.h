// SHA-256 through OpenSSL, which uses the CPU's SHA instructions where present
// (about 4x libsodium's portable code on this project's machines; tools/bench
// prints the rate it reaches). The free functions are thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/encoding.h"

namespace jejak {

using Hash = std::array<uint8_t, 32>;

Hash Sha256(ByteSpan data);

// SHA-256(prefix || a || b): the shape of RFC 6962 leaf (0x00 || leaf) and node
// (0x01 || left || right) hashes, without copying the inputs together.
Hash Sha256Prefixed(uint8_t prefix, ByteSpan a, ByteSpan b = {});

// Incremental hashing of a long input. Not thread-safe; one per user.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(ByteSpan data);
  Hash Finish();  // The stream may be reused after Finish.

 private:
  void* ctx_;  // SHA256_CTX
};

}  // namespace jejak
