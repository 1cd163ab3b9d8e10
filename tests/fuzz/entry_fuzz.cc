// Entry decoding (ledger/entry.h, ledger/pkh_records.h) over any bytes: a
// leaf as a peer, a tiles folder or a submission gives it. Decoders accept
// only canonical encodings, so whatever decodes encodes back to the very
// bytes it came from (one value, one leaf hash); a statement or record decodes
// only as the kind DecodeEntryKind names; decoded sizes are bounded by the
// leaf's; and messages are printable.
#include <string>
#include <variant>

#include "ledger/log/entry.h"
#include "ledger/pkh/records.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

bool SameBytes(const Result<Bytes>& encoded, ByteSpan leaf) {
  return encoded.ok() && std::equal(encoded->begin(), encoded->end(), leaf.begin(), leaf.end());
}

size_t HeaderBytes(const StatementHeader& h) {
  size_t n = h.origin.size() + h.type.size() + h.stage.size() + h.region.size() +
             h.document_number.size() + h.document_date.size();
  for (const auto& r : h.regions) n += r.size();
  return n;
}

void CheckStatement(ByteSpan leaf, const Result<EntryKind>& kind) {
  auto st = DecodeStatementEntry(leaf);
  if (!st.ok()) {
    FUZZ_CHECK_MESSAGE(st.status());
    return;
  }
  FUZZ_CHECK(kind.ok() && *kind == EntryKind::kStatement, "a statement is a canonical statement");
  FUZZ_CHECK(SameBytes(EncodeStatementEntry(*st), leaf), "a statement encodes back to its leaf");
  FUZZ_CHECK(HeaderBytes(st->header) <= leaf.size(), "a header is no larger than its leaf");
  FUZZ_CHECK(st->header.regions.size() * 8 <= leaf.size(), "each region costs a pointer");
  FUZZ_CHECK(st->signatures.size() * 96 <= leaf.size(), "each signature holds 96 bytes");
  // Verifying never throws, whatever the signatures hold.
  (void)VerifyStatementSignatures(*st);
}

void CheckRecord(ByteSpan leaf, const Result<EntryKind>& kind) {
  auto view = DecodeRecordEntry(leaf);
  if (!view.ok()) {
    FUZZ_CHECK_MESSAGE(view.status());
    return;
  }
  FUZZ_CHECK(kind.ok() && *kind == EntryKind::kRecord, "a record is a canonical record");
  FUZZ_CHECK(view->text.size() <= leaf.size() && view->data.size() <= leaf.size(),
             "a record is no larger than its leaf");
  if (view->kind == RecordView::Kind::kText) {
    FUZZ_CHECK(SameBytes(EncodeTextRecordEntry(view->text), leaf), "a text record round-trips");
  } else if (view->kind == RecordView::Kind::kData) {
    FUZZ_CHECK(SameBytes(EncodeDataRecordEntry(view->data), leaf), "a data record round-trips");
  }
}

void CheckPkhRecord(ByteSpan leaf, const Result<EntryKind>& kind) {
  auto rec = DecodePkhRecord(leaf);
  if (!rec.ok()) {
    FUZZ_CHECK_MESSAGE(rec.status());
    return;
  }
  FUZZ_CHECK(kind.ok() && *kind == EntryKind::kRecord, "a PKH record is a canonical record");
  if (!rec->has_value()) {
    auto view = DecodeRecordEntry(leaf);
    FUZZ_CHECK(!view.ok() || view->kind != RecordView::Kind::kOther,
               "a record that is not a PKH record is text or data");
    return;
  }
  const PkhRecord& r = **rec;
  FUZZ_CHECK(SameBytes(EncodePkhRecord(r), leaf), "a PKH record encodes back to its leaf");
  (void)StatementTypeOf(r);
  // The indexer's decoder, for leaves the store verified, reads the same.
  auto verified = DecodeVerifiedPkhRecord(leaf);
  FUZZ_CHECK(verified.ok() && verified->has_value() && (*verified)->index() == r.index() &&
                 SameBytes(EncodePkhRecord(**verified), leaf),
             "the verified decoder agrees");
  if (const auto* g = std::get_if<KeyGrant>(&r)) {
    FUZZ_CHECK(g->scope.size() * 8 <= leaf.size(), "each scope costs a pointer");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteSpan leaf(data, size);
  auto kind = DecodeEntryKind(leaf);
  if (!kind.ok()) FUZZ_CHECK_MESSAGE(kind.status());
  CheckStatement(leaf, kind);
  CheckRecord(leaf, kind);
  CheckPkhRecord(leaf, kind);
  return 0;
}
