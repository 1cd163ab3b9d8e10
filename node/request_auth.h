// Signed requests. A request that uploads identifiers (a CSV file to import or
// to draft a berita acara from) is signed by the role key of the official who
// sends it, so that a node does not pseudonymize, or say what its log holds,
// for whoever can reach it. specs/node-api.md gives the format:
//
//   X-Jejak-Key:       base64 of the Ed25519 public key
//   X-Jejak-Time:      the client's clock, Unix milliseconds (decimal)
//   X-Jejak-Signature: base64 of the Ed25519 signature over
//     "jejak/request/v1\n" METHOD "\n" TARGET "\n" TIME "\n" hex(SHA-256(body)) "\n"
//
// TARGET is the request target as sent (path and query). Pure functions;
// thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "node/http.h"

namespace jejak {

// How far a request's time may be from the node's clock.
inline constexpr std::chrono::milliseconds kRequestClockSkew{300'000};

// The three headers for a request of `method` to `target` with `body`.
HttpHeaders SignRequest(std::string_view method, std::string_view target, std::string_view body,
                        const SigningKey& key, int64_t now_ms);

// The key that signed `request`. PermissionDenied naming what is wrong: a
// header missing or malformed, a time further than kRequestClockSkew from
// `now_ms`, or a signature that does not verify.
Result<PublicKey> VerifyRequest(const HttpRequest& request, int64_t now_ms);

// The checks VerifyRequest makes of the headers alone (present, well formed,
// a time within kRequestClockSkew), for a request whose body has not been
// read: the key that claims to sign it. The signature is checked once the
// body is in.
Result<PublicKey> RequestSigner(const HttpRequest& header, int64_t now_ms);

}  // namespace jejak
