// The tlog-witness bodies (node/witness_request.h) over any bytes: the
// add-checkpoint request a witness reads from any client, and the 409 body a
// log reads from a witness. A parsed request formats back to the very body
// (one request, one spelling) and parses again the same; it holds at most 63
// proof hashes and a checkpoint that is non-empty and ends in a newline; a
// parsed size formats back to the body; every message is printable and never
// quotes the body.
#include <string>

#include "node/witness_request.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

void CheckRequest(std::string_view body) {
  auto r = ParseAddCheckpointRequest(body);
  if (!r.ok()) {
    FUZZ_CHECK_MESSAGE(r.status());
    FUZZ_CHECK(!fuzz::EchoesDigits(r.status().message(), body), "a message never quotes the body");
    return;
  }
  FUZZ_CHECK(body.size() <= kMaxAddCheckpointBytes, "a request is at most 64 KiB");
  FUZZ_CHECK(r->proof.size() <= kMaxConsistencyProofLines, "a proof has at most 63 hashes");
  FUZZ_CHECK(!r->checkpoint.empty() && r->checkpoint.back() == '\n',
             "a checkpoint is non-empty and ends in a newline");
  const std::string again = FormatAddCheckpointRequest(*r);
  FUZZ_CHECK(again == body, "a request formats back to its body");
  auto reparsed = ParseAddCheckpointRequest(again);
  FUZZ_CHECK(reparsed.ok() && reparsed->old_size == r->old_size && reparsed->proof == r->proof &&
                 reparsed->checkpoint == r->checkpoint,
             "a formatted request parses the same");
}

void CheckTlogSize(std::string_view body) {
  auto size = ParseTlogSize(body);
  if (!size.ok()) {
    FUZZ_CHECK_MESSAGE(size.status());
    FUZZ_CHECK(!fuzz::EchoesDigits(size.status().message(), body),
               "a message never quotes the body");
    return;
  }
  FUZZ_CHECK(FormatTlogSize(*size) == body, "a size formats back to its body");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = fuzz::AsText(data, size);
  CheckRequest(body);
  CheckTlogSize(body);
  return 0;
}
