// Signed requests (node/request_auth.h): the X-Jejak-Key, -Time and
// -Signature headers any client sends with an upload, read before and after
// its body. The input's lines are the method, the target, the three headers
// and the body (with a time from 8 raw bytes if the input starts with 'T');
// the node's clock is fixed. Checks: a request that verifies
// names the key RequestSigner names, with a time within the allowed skew; a
// request signed by SignRequest verifies, whatever its method, target and
// body, and no longer once its body changes; every message is printable.
#include <cstdlib>
#include <cstring>
#include <string>

#include "crypto/encoding.h"
#include "node/http.h"
#include "node/request_auth.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

constexpr int64_t kNowMs = 1'772'000'000'000;  // 2026-02-25

void CheckReceived(const HttpRequest& request) {
  auto signer = RequestSigner(request, kNowMs);
  if (!signer.ok()) FUZZ_CHECK_MESSAGE(signer.status());
  auto verified = VerifyRequest(request, kNowMs);
  if (!verified.ok()) {
    FUZZ_CHECK_MESSAGE(verified.status());
    return;
  }
  FUZZ_CHECK(signer.ok() && *signer == *verified, "the verified key is the claimed signer");
  auto time = ParseDecimal(request.JejakHeader("time"));
  FUZZ_CHECK(time.ok() && *time + kRequestClockSkew.count() >= uint64_t{kNowMs} &&
                 *time <= uint64_t{kNowMs} + kRequestClockSkew.count(),
             "a verified request's time is within the skew");
}

void CheckSigned(const HttpRequest& received) {
  const SigningKey key = fuzz::KeyOf(fuzz::kRequestKeyByte);
  HttpRequest request = received;
  request.jejak_headers.clear();
  for (auto& [name, value] :
       SignRequest(request.method, request.target, request.body, key, kNowMs)) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.jejak_headers.emplace_back(lower, value);
  }
  auto verified = VerifyRequest(request, kNowMs);
  FUZZ_CHECK(verified.ok() && *verified == key.public_key(), "a signed request verifies");
  request.body += "x";
  FUZZ_CHECK(!VerifyRequest(request, kNowMs).ok(), "a changed body no longer verifies");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::AsText(data, size);
  // The first byte: 'T' takes the time header from the next 8 bytes (any
  // 64-bit value, in decimal), so that every time is within reach; anything
  // else is the method's first byte.
  std::string time;
  if (in.size() >= 9 && in[0] == 'T') {
    uint64_t t;
    std::memcpy(&t, in.data() + 1, sizeof t);
    time = std::to_string(t);
    in.remove_prefix(9);
  }
  HttpRequest request;
  request.method = std::string(fuzz::TakeUntil(in, '\n'));
  request.target = std::string(fuzz::TakeUntil(in, '\n'));
  for (const char* name : {"x-jejak-key", "x-jejak-time", "x-jejak-signature"}) {
    request.jejak_headers.emplace_back(name, std::string(fuzz::TakeUntil(in, '\n')));
  }
  if (!time.empty()) request.jejak_headers[1].second = time;
  request.body = std::string(in);
  CheckReceived(request);
  CheckSigned(request);
  return 0;
}
