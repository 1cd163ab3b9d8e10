// Berita acara JSON files (ledger/berita_acara.h DecodeBeritaAcara) over any
// bytes, as approvers pass them around and a node receives them (POST
// /jejak/v1/ba/submit). A decoded berita acara encodes to a file that decodes
// equal; its rows, total and records root agree with its records; no KPM is
// repeated; every signature verifies over its header; and every message is
// printable.
#include <set>
#include <string>

#include "ledger/log/merkle.h"
#include "ledger/pkh/berita_acara.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

void CheckDecoded(const BeritaAcara& ba) {
  FUZZ_CHECK(!ba.rows.empty() && ba.rows.size() <= 500'000, "a berita acara has 1..500,000 rows");
  uint64_t total = 0;
  std::set<Pseudonym> kpm;
  for (const BeritaAcaraRow& row : ba.rows) {
    FUZZ_CHECK(!__builtin_add_overflow(total, row.amount, &total), "the total fits in 64 bits");
    FUZZ_CHECK(kpm.insert(row.kpm).second, "no KPM is approved twice");
  }
  FUZZ_CHECK(total == ba.total_amount, "the total is the sum of the rows");
  auto leaves = BeritaAcaraRecordLeaves(ba);
  FUZZ_CHECK(leaves.ok(), "every row encodes as a record");
  MerkleFrontier root;
  for (const Bytes& leaf : *leaves) root.Append(LeafHash(leaf));
  FUZZ_CHECK(root.Root() == ba.records_root, "the records root is of the rows");
  const Bytes message = StatementSigningBytes(BeritaAcaraHeader(ba));
  for (const BeritaAcaraSignature& s : ba.signatures) {
    FUZZ_CHECK(VerifySignature(s.public_key, message, s.signature), "every signature verifies");
  }
  (void)ShowBeritaAcara(ba);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto ba = DecodeBeritaAcara(text, "fuzz.json");
  if (!ba.ok()) {
    FUZZ_CHECK_MESSAGE(ba.status());
    return 0;
  }
  CheckDecoded(*ba);
  auto again = DecodeBeritaAcara(EncodeBeritaAcara(*ba), "again.json");
  FUZZ_CHECK(again.ok() && *again == *ba, "a berita acara encodes to a file that decodes equal");
  return 0;
}
