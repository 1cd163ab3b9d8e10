// Signed notes, checkpoints and cosignature lines (crypto/note.h,
// ledger/checkpoint.h, crypto/cosignature.h) over any text, as a peer, a
// witness or a tiles folder gives them. Checks: a parsed note serializes back
// to the very input (one note, one spelling) and parses again the same; a
// checkpoint text likewise; a verifier key prints back to one that parses the
// same; OpenCheckpoint with the fixed log key accepts only notes that key
// signed over a checkpoint of its origin; a cosignature verifies only by its
// cosigner, with a timestamp below 2^63; and every message is printable.
#include <string>
#include <vector>

#include "crypto/cosignature.h"
#include "crypto/note.h"
#include "ledger/log/checkpoint.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

using fuzz::kLogOrigin;

const NoteVerifierKey& LogKey() {
  static const NoteVerifierKey key =
      NoteVerifierKey::ForEd25519(kLogOrigin, fuzz::KeyOf(fuzz::kLogKeyByte).public_key());
  return key;
}

const Cosigner& Witness() {
  static const Cosigner c{fuzz::kWitnessName, fuzz::KeyOf(fuzz::kWitnessKeyByte).public_key()};
  return c;
}

bool SameNote(const Note& a, const Note& b) {
  if (a.text != b.text || a.signatures.size() != b.signatures.size()) return false;
  for (size_t i = 0; i < a.signatures.size(); ++i) {
    if (a.signatures[i].name != b.signatures[i].name ||
        a.signatures[i].key_id != b.signatures[i].key_id ||
        a.signatures[i].signature != b.signatures[i].signature) {
      return false;
    }
  }
  return true;
}

void CheckNote(std::string_view in) {
  auto note = ParseNote(in);
  if (!note.ok()) {
    FUZZ_CHECK_MESSAGE(note.status());
    return;
  }
  FUZZ_CHECK(note->Serialize() == in, "a note serializes back to its input");
  auto again = ParseNote(note->Serialize());
  FUZZ_CHECK(again.ok() && SameNote(*again, *note), "a serialized note parses the same");
  FUZZ_CHECK(!note->text.empty() && note->text.back() == '\n', "a note's text ends in a newline");
  FUZZ_CHECK(!note->signatures.empty() && note->signatures.size() <= kMaxNoteSignatures,
             "a note holds 1..256 signatures");

  auto signers = VerifyNote(*note, std::span<const NoteVerifierKey>(&LogKey(), 1));
  if (!signers.ok()) FUZZ_CHECK_MESSAGE(signers.status());

  for (const NoteSignature& sig : note->signatures) {
    FUZZ_CHECK(ValidKeyName(sig.name), "a signature's key name is valid");
    auto t = VerifyCosignature(note->text, sig, Witness());
    if (!t.ok()) {
      FUZZ_CHECK_MESSAGE(t.status());
      continue;
    }
    FUZZ_CHECK(IsCosignatureBy(sig, Witness()), "a cosignature verifies only by its cosigner");
    FUZZ_CHECK(*t <= kMaxCosignatureTimestamp, "a cosignature's timestamp is below 2^63");
    FUZZ_CHECK(sig.signature.size() == 72, "a cosignature holds 72 bytes");
  }

  auto cp = OpenCheckpoint(in, LogKey());
  if (!cp.ok()) {
    FUZZ_CHECK_MESSAGE(cp.status());
    return;
  }
  FUZZ_CHECK(signers.ok(), "an opened checkpoint is signed by the log key");
  FUZZ_CHECK(cp->checkpoint.origin == kLogOrigin, "an opened checkpoint is of the key's origin");
  FUZZ_CHECK(cp->Serialize() == in, "an opened checkpoint serializes back to its input");
}

void CheckCheckpointText(std::string_view in) {
  auto cp = ParseCheckpointText(in);
  if (!cp.ok()) {
    FUZZ_CHECK_MESSAGE(cp.status());
    return;
  }
  FUZZ_CHECK(cp->Text() == in, "a checkpoint's text is its input");
  FUZZ_CHECK(!cp->origin.empty(), "a checkpoint names its origin");
}

void CheckVerifierKey(std::string_view in) {
  auto key = ParseVerifierKey(in);
  if (!key.ok()) {
    FUZZ_CHECK_MESSAGE(key.status());
    return;
  }
  FUZZ_CHECK(ValidKeyName(key->name), "a verifier key's name is valid");
  FUZZ_CHECK(key->type == kNoteTypeEd25519 || key->type == kNoteTypeCosignature,
             "a verifier key is of a known type");
  auto again = ParseVerifierKey(key->ToString());
  FUZZ_CHECK(again.ok() && again->name == key->name && again->key_id == key->key_id &&
                 again->type == key->type && again->key == key->key,
             "a verifier key prints back to itself");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::AsText(data, size);
  CheckNote(in);
  CheckCheckpointText(in);
  // A verifier key is one line; so is a registry's.
  std::string_view rest = in;
  for (int i = 0; i < 4 && !rest.empty(); ++i) CheckVerifierKey(fuzz::TakeUntil(rest, '\n'));
  return 0;
}
