// node.json (ledger/node_folder.h DecodeNodeConfig) over any bytes: a node
// folder may have been copied from anywhere. A decoded configuration names a
// known kind and holds keys that print to verifier keys which parse back to
// them; every message is printable.
#include <string>

#include "crypto/note.h"
#include "ledger/pkh/node_folder.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

bool Reparses(const NoteVerifierKey& key) {
  auto again = ParseVerifierKey(key.ToString());
  return again.ok() && again->name == key.name && again->key_id == key.key_id &&
         again->type == key.type && again->key == key.key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto config = DecodeNodeConfig(text, "fuzz/node.json");
  if (!config.ok()) {
    FUZZ_CHECK_MESSAGE(config.status());
    return 0;
  }
  auto kind = ParseNodeKind(NodeKindName(config->kind));
  FUZZ_CHECK(kind.ok() && *kind == config->kind, "a node's kind is a known kind");
  FUZZ_CHECK(Reparses(config->key), "the node key prints back to itself");
  if (config->governance) {
    FUZZ_CHECK(Reparses(*config->governance), "the trust anchor prints back to itself");
  }
  return 0;
}
