// Equivocation evidence files (ledger/evidence.h) over any bytes, as `jejak
// evidence` reads them from whoever sends one. Parsed evidence prints back to
// JSON that parses the same; CheckEvidence accepts only evidence whose two
// notes the named key signed, for its origin, in size order, and that
// conflict; never evidence against the honest log of the seeds (key 0x51,
// whose checkpoints all come from one tree: tests/fuzz/seed_writer.cc), only
// against the forked one (key 0x54); pinning another key refuses it; every
// message is printable.
#include <string>

#include "crypto/note.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

bool Same(const EquivocationEvidence& a, const EquivocationEvidence& b) {
  return a.origin == b.origin && a.verifier_key == b.verifier_key && a.note_a == b.note_a &&
         a.note_b == b.note_b && a.b_root_at_a == b.b_root_at_a && a.consistency == b.consistency &&
         a.found == b.found;
}

void CheckAccepted(const EquivocationEvidence& e) {
  auto key = ParseVerifierKey(e.verifier_key);
  FUZZ_CHECK(key.ok() && key->name == e.origin, "accepted evidence names its log's key");
  FUZZ_CHECK(key->key != fuzz::KeyOf(fuzz::kLogKeyByte).public_key(),
             "a log that never forked is never proved to have forked");
  auto a = OpenCheckpoint(e.note_a, *key);
  auto b = OpenCheckpoint(e.note_b, *key);
  FUZZ_CHECK(a.ok() && b.ok(), "accepted evidence holds two checkpoints signed by the key");
  FUZZ_CHECK(a->checkpoint.size <= b->checkpoint.size, "checkpoint a is the smaller");
  if (a->checkpoint.size == b->checkpoint.size) {
    FUZZ_CHECK(a->checkpoint.root != b->checkpoint.root, "equal sizes need different roots");
  } else {
    FUZZ_CHECK(e.b_root_at_a && *e.b_root_at_a != a->checkpoint.root,
               "a larger b is bound to a different root at a's size");
  }
  const std::string other = "example.test/other+00000000+AQ==";
  Status pinned = CheckEvidence(e, &other);
  FUZZ_CHECK(!pinned.ok(), "evidence is refused under another pinned key");
  FUZZ_CHECK_MESSAGE(pinned);
  FUZZ_CHECK(CheckEvidence(e, &e.verifier_key).ok(), "evidence checks under its own key");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto e = ParseEvidenceJson(text, "fuzz.json");
  if (!e.ok()) {
    FUZZ_CHECK_MESSAGE(e.status());
    return 0;
  }
  FUZZ_CHECK(e->consistency.size() <= 128, "a proof holds at most 128 hashes");
  auto again = ParseEvidenceJson(EvidenceJson(*e), "again.json");
  FUZZ_CHECK(again.ok() && Same(*again, *e), "evidence prints back to JSON that parses the same");
  Status checked = CheckEvidence(*e);
  if (checked.ok()) {
    CheckAccepted(*e);
  } else {
    FUZZ_CHECK_MESSAGE(checked);
  }
  return 0;
}
