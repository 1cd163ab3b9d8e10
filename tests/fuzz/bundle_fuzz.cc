// Entry bundles (ledger/tile_folder.h) over any bytes: as a tile
// (DecodeEntryBundle with the count and first index the first bytes give)
// and as a submission, the body of POST /jejak/v1/statements, decoded the way
// node/submit.cc does (a statement, then its records). A bundle that decodes
// encodes back to the same bytes; the counted decoder accepts exactly the
// bundles of that many entries; indexes run from the first; messages are
// printable.
#include <string>
#include <vector>

#include "ledger/log/entry.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/records.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

// What HandleSubmit does with the leaves before judging the statement.
void DecodeSubmission(const std::vector<Bytes>& leaves) {
  if (leaves.empty()) return;
  auto statement = DecodeStatementEntry(leaves.front());
  if (!statement.ok()) {
    FUZZ_CHECK_MESSAGE(statement.status());
    return;
  }
  std::vector<Bytes> records(leaves.begin() + 1, leaves.end());
  for (const Bytes& leaf : records) {
    auto r = DecodePkhRecord(leaf);
    if (!r.ok()) {
      FUZZ_CHECK_MESSAGE(r.status());
      return;
    }
  }
  PreparedStatement prepared = PrepareStatement(statement->header, std::move(records));
  FUZZ_CHECK(prepared.statement.header.record_count == leaves.size() - 1,
             "a prepared statement counts the records sent");
  if (prepared.statement.header == statement->header) {
    // The handler goes on to judge the signatures: never a crash.
    Status signatures = VerifyStatementSignatures(*statement);
    if (!signatures.ok()) FUZZ_CHECK_MESSAGE(signatures);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::AsText(data, size);
  const uint32_t count = fuzz::TakeByte(in) | (fuzz::TakeByte(in) & 1) << 8;  // 0..511
  const uint64_t first = uint64_t{fuzz::TakeByte(in)} << 56 | fuzz::TakeByte(in);

  std::vector<Bytes> all;
  Status s = DecodeEntryBundleAll(in, "fuzz bundle", [&](uint64_t index, ByteSpan leaf) {
    FUZZ_CHECK(index == all.size(), "a submission's entries are indexed from 0");
    FUZZ_CHECK(leaf.size() <= kMaxEntryBytes, "an entry is at most 65535 bytes");
    all.emplace_back(leaf.begin(), leaf.end());
    return Status::Ok();
  });
  if (s.ok()) {
    FUZZ_CHECK(EncodeEntryBundle(all) == in, "a bundle encodes back to its bytes");
  } else {
    FUZZ_CHECK_MESSAGE(s);
  }

  std::vector<Bytes> counted;
  Status c = DecodeEntryBundle(in, count, first, "tile/entries/000", [&](uint64_t i, ByteSpan e) {
    FUZZ_CHECK(i == first + counted.size(), "a tile's entries are indexed from its first");
    counted.emplace_back(e.begin(), e.end());
    return Status::Ok();
  });
  if (!c.ok()) FUZZ_CHECK_MESSAGE(c);
  FUZZ_CHECK(c.ok() == (s.ok() && all.size() == count),
             "a bundle of `count` entries is exactly a well-formed bundle of that many");
  if (c.ok()) FUZZ_CHECK(counted == all, "both decoders read the same entries");

  // A callback's error stops decoding and is returned as it is.
  Status stop = DecodeEntryBundleAll(in, "fuzz bundle",
                                     [](uint64_t, ByteSpan) { return Corruption("stop"); });
  FUZZ_CHECK(all.empty() || stop.message() == "stop", "a callback's error is passed on");

  if (s.ok()) DecodeSubmission(all);
  return 0;
}
