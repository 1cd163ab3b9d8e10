// C2SP tlog-proof text (ledger/log/tlog_proof.h) as anyone may hand it to
// `jejak proof verify`. Checks: a parsed proof formats back to the very input
// (one proof, one spelling) and parses again the same; it holds at most 64
// hashes; verification with the fixed log key and witness accepts only a
// checkpoint of that log whose root the extra data's leaf hash reaches, with
// the witnesses it counts verified; and every message is printable.
#include <string>

#include "crypto/cosignature.h"
#include "ledger/log/merkle.h"
#include "ledger/log/tlog_proof.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

const NoteVerifierKey& LogKey() {
  static const NoteVerifierKey key =
      NoteVerifierKey::ForEd25519(fuzz::kLogOrigin, fuzz::KeyOf(fuzz::kLogKeyByte).public_key());
  return key;
}

const Cosigner& Witness() {
  static const Cosigner c{fuzz::kWitnessName, fuzz::KeyOf(fuzz::kWitnessKeyByte).public_key()};
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::AsText(data, size);
  auto proof = ParseTlogProof(in);
  if (!proof.ok()) {
    FUZZ_CHECK_MESSAGE(proof.status());
    return 0;
  }
  FUZZ_CHECK(FormatTlogProof(*proof) == in, "a proof formats back to its input");
  auto again = ParseTlogProof(FormatTlogProof(*proof));
  FUZZ_CHECK(again.ok() && again->index == proof->index && again->extra == proof->extra &&
                 again->inclusion == proof->inclusion && again->checkpoint == proof->checkpoint,
             "a formatted proof parses the same");
  FUZZ_CHECK(proof->inclusion.size() <= kMaxInclusionHashes, "a proof holds at most 64 hashes");

  auto verified = VerifyTlogProof(*proof, LogKey(), std::span<const Cosigner>(&Witness(), 1), 1);
  if (!verified.ok()) {
    FUZZ_CHECK_MESSAGE(verified.status());
    return 0;
  }
  FUZZ_CHECK(verified->checkpoint.origin == fuzz::kLogOrigin, "a verified proof is of the log");
  FUZZ_CHECK(proof->extra && verified->entry == *proof->extra, "the entry is the extra data");
  FUZZ_CHECK(proof->index < verified->checkpoint.size, "the index is below the size");
  FUZZ_CHECK(VerifyInclusion(proof->index, verified->checkpoint.size, LeafHash(verified->entry),
                             proof->inclusion, verified->checkpoint.root)
                 .ok(),
             "the leaf is under the root");
  FUZZ_CHECK(verified->witnesses.size() == 1 && verified->witnesses[0].first == fuzz::kWitnessName,
             "the one trusted witness cosigned");
  return 0;
}
