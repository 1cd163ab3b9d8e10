// Log entries: canonical encode/decode of statements and records, rejection of
// every other spelling of the same value, hostile bytes, and statement
// signatures.
#include "ledger/log/entry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "tests/test_support.h"

namespace jejak {
namespace {
using ::jejak::testing::KeyFromByte;

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kContext = "jejak/statement/v1\n";

StatementHeader SampleHeader() {
  StatementHeader h;
  h.origin = "jejak.pkh/kab/7404";
  h.type = "generic.note";
  h.stage = "2026-T1";
  h.region = "7404";
  h.timestamp_ms = 1767225600123;
  h.record_count = 3;
  for (size_t i = 0; i < h.records_root.size(); ++i) h.records_root[i] = static_cast<uint8_t>(i);
  h.governance_size = 12;
  return h;
}

Statement SignedSample(std::initializer_list<uint8_t> key_bytes) {
  Statement s;
  s.header = SampleHeader();
  for (uint8_t b : key_bytes) SignStatement(s, KeyFromByte(b));
  return s;
}

Bytes MustEncode(const Result<Bytes>& r) {
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Bytes{};
}

void ExpectCorruption(const Status& s, std::string_view why) {
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.message();
  EXPECT_THAT(s.message(), HasSubstr(why));
}

// ---- Cap'n Proto words, for crafting other spellings of valid entries ----

uint64_t Word(const Bytes& b, size_t i) {
  uint64_t w;
  std::memcpy(&w, b.data() + 8 * i, 8);  // Cap'n Proto is little-endian, as is this host
  return w;
}
void SetWord(Bytes& b, size_t i, uint64_t w) { std::memcpy(b.data() + 8 * i, &w, 8); }

// The word a struct or list pointer at word `i` points to.
int64_t Target(uint64_t w, size_t i) {
  return static_cast<int64_t>(i) + 1 + (static_cast<int32_t>(static_cast<uint32_t>(w)) >> 2);
}
uint64_t WithTarget(uint64_t w, size_t i, int64_t target) {
  const int64_t offset = target - static_cast<int64_t>(i) - 1;
  return (w & 0xFFFFFFFF00000003ULL) | (static_cast<uint64_t>(offset << 2) & 0xFFFFFFFCULL);
}
bool IsByteList(uint64_t w) { return (w & 3) == 1 && ((w >> 32) & 7) == 2; }
uint64_t ListCount(uint64_t w) { return w >> 35; }
uint64_t WithListCount(uint64_t w, uint64_t n) { return (w & ((uint64_t{1} << 35) - 1)) | n << 35; }

// The positions of every pointer in a (valid, single-segment) message, found
// by walking it from the root.
void WalkPointer(const Bytes& b, size_t i, std::vector<size_t>& out) {
  const uint64_t w = Word(b, i);
  if (w == 0) return;
  out.push_back(i);
  const int64_t t = Target(w, i);
  if ((w & 3) == 0) {
    const uint64_t data = (w >> 32) & 0xffff, ptrs = w >> 48;
    for (uint64_t p = 0; p < ptrs; ++p) WalkPointer(b, t + data + p, out);
  } else if ((w & 3) == 1 && ((w >> 32) & 7) == 7) {  // list of structs
    const uint64_t tag = Word(b, t);
    const uint64_t n = (tag >> 2) & 0x3fffffff, data = (tag >> 32) & 0xffff, ptrs = tag >> 48;
    for (uint64_t e = 0; e < n; ++e) {
      for (uint64_t p = 0; p < ptrs; ++p) WalkPointer(b, t + 1 + e * (data + ptrs) + data + p, out);
    }
  }
}
std::vector<size_t> PointerWords(const Bytes& b) {
  std::vector<size_t> out;
  WalkPointer(b, 0, out);
  return out;
}

// Inserts a zero word at `at` (delta +1) or removes the word at `at` (delta
// -1), re-aiming every pointer so each object keeps its content. With
// `grow_struct`, the struct pointer at that word gains the inserted word as
// the last word of its data section.
Bytes Splice(const Bytes& in, size_t at, int delta, std::optional<size_t> grow_struct = {}) {
  const std::vector<size_t> ptrs = PointerWords(in);
  Bytes out = in;
  if (delta > 0) {
    out.insert(out.begin() + 8 * at, 8, 0);
  } else {
    out.erase(out.begin() + 8 * at, out.begin() + 8 * (at + 1));
  }
  auto moved = [&](int64_t pos) {
    return pos >= static_cast<int64_t>(at) + (delta < 0) ? pos + delta : pos;
  };
  for (size_t i : ptrs) {
    const uint64_t w = Word(in, i);
    const size_t new_i = static_cast<size_t>(moved(static_cast<int64_t>(i)));
    const bool grow = grow_struct && *grow_struct == i;
    uint64_t nw = WithTarget(w, new_i, grow ? Target(w, i) : moved(Target(w, i)));
    if (grow) nw += uint64_t{1} << 32;
    SetWord(out, new_i, nw);
  }
  return out;
}

// ---- Round trips ----

TEST(EntryTest, StatementRoundTripsWithSignatures) {
  for (auto keys :
       {std::vector<uint8_t>{}, std::vector<uint8_t>{1}, std::vector<uint8_t>{1, 2, 3}}) {
    Statement s;
    s.header = SampleHeader();
    for (uint8_t k : keys) SignStatement(s, KeyFromByte(k));
    const Bytes leaf = MustEncode(EncodeStatementEntry(s));
    EXPECT_EQ(leaf.size() % 8, 0u);
    auto kind = DecodeEntryKind(leaf);
    ASSERT_TRUE(kind.ok()) << kind.status().message();
    EXPECT_EQ(*kind, EntryKind::kStatement);
    auto d = DecodeStatementEntry(leaf);
    ASSERT_TRUE(d.ok()) << d.status().message();
    EXPECT_EQ(d->header, s.header);
    EXPECT_EQ(d->signatures, s.signatures);
    EXPECT_EQ(MustEncode(EncodeStatementEntry(*d)), leaf);
  }
}

TEST(EntryTest, StatementFieldExtremesRoundTrip) {
  Statement s;
  s.header.origin = "jejak.pkh/\xE2\x80\x94/caf\xC3\xA9";
  s.header.type = "t";
  s.header.stage = "";
  s.header.region = std::string(300, 'r');
  s.header.timestamp_ms = INT64_MIN;
  s.header.record_count = UINT64_MAX;
  s.header.records_root.fill(0xff);
  s.header.governance_size = UINT64_MAX;
  SignStatement(s, KeyFromByte(9));
  const Bytes leaf = MustEncode(EncodeStatementEntry(s));
  auto d = DecodeStatementEntry(leaf);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->header, s.header);
  s.header.timestamp_ms = -1;
  s.header.record_count = 0;
  s.header.governance_size = 0;
  s.header.records_root.fill(0);
  auto d2 = DecodeStatementEntry(MustEncode(EncodeStatementEntry(s)));
  ASSERT_TRUE(d2.ok()) << d2.status().message();
  EXPECT_EQ(d2->header, s.header);
}

TEST(EntryTest, TextAndDataRecordsRoundTrip) {
  for (const std::string& text :
       std::vector<std::string>{"", "a", "one line of a generic statement",
                                "caf\xC3\xA9 \xF0\x9F\x98\x80", std::string(5000, 'x')}) {
    const Bytes leaf = MustEncode(EncodeTextRecordEntry(text));
    auto kind = DecodeEntryKind(leaf);
    ASSERT_TRUE(kind.ok()) << kind.status().message();
    EXPECT_EQ(*kind, EntryKind::kRecord);
    auto r = DecodeRecordEntry(leaf);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->kind, RecordView::Kind::kText);
    EXPECT_EQ(r->text, text);
  }
  for (size_t n : {0u, 1u, 7u, 8u, 9u, 32u, 1000u}) {
    Bytes data(n);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i * 7 + 1);
    const Bytes leaf = MustEncode(EncodeDataRecordEntry(data));
    auto r = DecodeRecordEntry(leaf);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->kind, RecordView::Kind::kData);
    EXPECT_EQ(r->data, data);
  }
}

TEST(EntryTest, TextIsTakenFromTheViewNotUpToANulTerminator) {
  // A view into a longer string: the bytes after it are not part of the text.
  const std::string line = "first line\nsecond line";
  const Bytes leaf = MustEncode(EncodeTextRecordEntry(std::string_view(line).substr(0, 10)));
  auto r = DecodeRecordEntry(leaf);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "first line");
}

TEST(EntryTest, TextAndDataOfTheSameBytesAreDifferentEntries) {
  const Bytes text = MustEncode(EncodeTextRecordEntry("abc"));
  const Bytes data = MustEncode(EncodeDataRecordEntry(AsBytes("abc")));
  EXPECT_NE(text, data);
}

TEST(EntryTest, KindMismatchIsCorruption) {
  const Bytes record = MustEncode(EncodeTextRecordEntry("hello"));
  const Bytes statement = MustEncode(EncodeStatementEntry(SignedSample({1})));
  ExpectCorruption(DecodeStatementEntry(record).status(), "entry is not a statement");
  ExpectCorruption(DecodeRecordEntry(statement).status(), "entry is not a record");
}

// ---- Size limit ----

TEST(EntryTest, EntriesOverTheLimitAreInvalidArgument) {
  // A data record is 5 words of structure plus its padded bytes.
  EXPECT_EQ(MustEncode(EncodeDataRecordEntry(Bytes(100))).size(), 40u + 104u);
  const size_t max_data = kMaxEntryBytes / 8 * 8 - 40;
  const Bytes at_limit = MustEncode(EncodeDataRecordEntry(Bytes(max_data, 1)));
  EXPECT_EQ(at_limit.size(), kMaxEntryBytes / 8 * 8);
  auto decoded = DecodeRecordEntry(at_limit);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->data.size(), max_data);

  auto over = EncodeDataRecordEntry(Bytes(max_data + 1, 1));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(over.status().message(), HasSubstr("an entry may hold at most 65535"));

  auto text = EncodeTextRecordEntry(std::string(70000, 't'));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(text.status().message(), HasSubstr("at most 65535"));

  Statement big = SignedSample({1});
  big.header.region = std::string(66000, 'r');
  auto st = EncodeStatementEntry(big);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(st.status().message(), HasSubstr("at most 65535"));
}

// ---- Non-canonical and hostile bytes ----

TEST(EntryTest, TrailingZeroWordIsNotCanonical) {
  for (const Bytes& leaf : {MustEncode(EncodeStatementEntry(SignedSample({1}))),
                            MustEncode(EncodeTextRecordEntry("hello")),
                            MustEncode(EncodeDataRecordEntry(Bytes(20, 3)))}) {
    Bytes longer = leaf;
    longer.insert(longer.end(), 8, 0);
    ExpectCorruption(DecodeEntryKind(longer).status(), "entry is not in canonical form");
    ExpectCorruption(DecodeStatementEntry(longer).status(), "entry is not in canonical form");
    ExpectCorruption(DecodeRecordEntry(longer).status(), "entry is not in canonical form");
  }
}

TEST(EntryTest, GapAfterTheRootPointerIsNotCanonical) {
  // The same message with the root struct one word further on: it decodes to
  // the same value, but only the canonical spelling may be accepted.
  for (const Bytes& leaf : {MustEncode(EncodeTextRecordEntry("hello")),
                            MustEncode(EncodeDataRecordEntry(Bytes(20, 3)))}) {
    const Bytes moved = Splice(leaf, 1, +1);
    ASSERT_EQ(moved.size(), leaf.size() + 8);
    ExpectCorruption(DecodeEntryKind(moved).status(), "entry is not in canonical form");
    ExpectCorruption(DecodeRecordEntry(moved).status(), "entry is not in canonical form");
  }
}

TEST(EntryTest, TrailingZeroDataWordInAStructIsNotCanonical) {
  // The record's root struct has one data word (the union tag) and one pointer;
  // give it a second, zero, data word.
  const Bytes leaf = MustEncode(EncodeTextRecordEntry("hello"));
  ASSERT_EQ(Word(leaf, 0) >> 32, 0x00010001u) << "root: 1 data word, 1 pointer";
  const Bytes wider = Splice(leaf, 2, +1, /*grow_struct=*/0);
  ASSERT_EQ(Word(wider, 0) >> 32, 0x00010002u);
  ExpectCorruption(DecodeEntryKind(wider).status(), "entry is not in canonical form");
  ExpectCorruption(DecodeRecordEntry(wider).status(), "entry is not in canonical form");
}

TEST(EntryTest, EmptyAndPartialWordsAreCorruption) {
  ExpectCorruption(DecodeEntryKind({}).status(), "entry is 0 bytes, not a whole number of words");
  const Bytes leaf = MustEncode(EncodeTextRecordEntry("hello"));
  ExpectCorruption(DecodeEntryKind(ByteSpan(leaf).first(leaf.size() - 1)).status(),
                   "not a whole number of words");
  ExpectCorruption(DecodeStatementEntry(ByteSpan(leaf).first(3)).status(),
                   "entry is 3 bytes, not a whole number of words");
  ExpectCorruption(DecodeRecordEntry(Bytes(8, 0)).status(), "entry is not a record");
}

TEST(EntryTest, EveryTruncationIsCorruption) {
  for (const Bytes& leaf : {MustEncode(EncodeStatementEntry(SignedSample({1, 2}))),
                            MustEncode(EncodeTextRecordEntry("a line of text")),
                            MustEncode(EncodeDataRecordEntry(Bytes(33, 0xab)))}) {
    for (size_t n = 0; n < leaf.size(); ++n) {
      const ByteSpan cut = ByteSpan(leaf).first(n);
      EXPECT_EQ(DecodeEntryKind(cut).status().code(), StatusCode::kCorruption) << n;
      EXPECT_EQ(DecodeStatementEntry(cut).status().code(), StatusCode::kCorruption) << n;
      EXPECT_EQ(DecodeRecordEntry(cut).status().code(), StatusCode::kCorruption) << n;
    }
  }
}

// Whatever decodes must be the one canonical encoding of what it decodes to:
// re-encoding the decoded value gives back the very same bytes.
void ExpectAcceptedOnlyIfCanonical(const Bytes& b, const std::string& what) {
  if (auto st = DecodeStatementEntry(b); st.ok()) {
    const Bytes again = MustEncode(EncodeStatementEntry(*st));
    EXPECT_EQ(HexEncode(again), HexEncode(b))
        << what << ": accepted statement has another encoding";
  } else {
    EXPECT_EQ(st.status().code(), StatusCode::kCorruption) << what;
  }
  if (auto rec = DecodeRecordEntry(b); rec.ok()) {
    std::optional<Bytes> again;
    if (rec->kind == RecordView::Kind::kText) again = MustEncode(EncodeTextRecordEntry(rec->text));
    if (rec->kind == RecordView::Kind::kData) again = MustEncode(EncodeDataRecordEntry(rec->data));
    if (again) {
      EXPECT_EQ(HexEncode(*again), HexEncode(b))
          << what << ": accepted record has another encoding";
    }
  } else {
    EXPECT_EQ(rec.status().code(), StatusCode::kCorruption) << what;
  }
}

TEST(EntryTest, RandomBytesNeverCrash) {
  std::mt19937_64 rng(7);
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b(rng() % 200);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    // Mostly small words and pointers, so some inputs get past the framing.
    if (i % 2 == 0) {
      for (size_t k = 0; k + 8 <= b.size(); k += 8) {
        if (rng() % 2) std::memset(b.data() + k + 4, 0, 4 - rng() % 3);
      }
    }
    auto kind = DecodeEntryKind(b);
    auto st = DecodeStatementEntry(b);
    auto rec = DecodeRecordEntry(b);
    for (const Status* s : {&kind.status(), &st.status(), &rec.status()}) {
      if (!s->ok()) {
        EXPECT_EQ(s->code(), StatusCode::kCorruption) << s->message();
      }
    }
    if (kind.ok()) {
      ++accepted;
      ExpectAcceptedOnlyIfCanonical(b, "random input " + std::to_string(i));
    }
  }
  RecordProperty("accepted", static_cast<int>(accepted));
}

TEST(EntryTest, RandomlyMutatedEntriesAreRejectedOrCanonical) {
  const std::vector<Bytes> leaves = {
      MustEncode(EncodeStatementEntry(SignedSample({1, 2}))),
      MustEncode(EncodeStatementEntry(SignedSample({}))),
      MustEncode(EncodeTextRecordEntry("a record")),
      MustEncode(EncodeDataRecordEntry(Bytes(12, 0x5a))),
  };
  std::mt19937_64 rng(8);
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b = leaves[rng() % leaves.size()];
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) {
      const size_t at = rng() % b.size();
      b[at] = rng() % 3 == 0 ? static_cast<uint8_t>(rng()) : static_cast<uint8_t>(rng() % 4);
    }
    if (rng() % 8 == 0) b.resize(b.size() - 8 * (rng() % (b.size() / 8)));
    if (DecodeEntryKind(b).ok()) ++accepted;
    ExpectAcceptedOnlyIfCanonical(b, "mutation " + std::to_string(i));
  }
  RecordProperty("accepted", static_cast<int>(accepted));
}

TEST(EntryTest, EverySingleBitFlipIsRejectedOrCanonical) {
  const std::vector<Bytes> leaves = {
      MustEncode(EncodeStatementEntry(SignedSample({1, 2}))),
      MustEncode(EncodeTextRecordEntry("one line, with spaces @ 100%")),
      MustEncode(EncodeDataRecordEntry(AsBytes("some opaque bytes"))),
  };
  for (size_t l = 0; l < leaves.size(); ++l) {
    for (size_t bit = 0; bit < leaves[l].size() * 8; ++bit) {
      Bytes b = leaves[l];
      b[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
      ExpectAcceptedOnlyIfCanonical(b, "leaf " + std::to_string(l) + " bit " + std::to_string(bit));
    }
  }
}

// The pointer to the byte list that holds `text` and its NUL.
std::optional<size_t> FindTextPointer(const Bytes& leaf, std::string_view text) {
  for (size_t i : PointerWords(leaf)) {
    const uint64_t w = Word(leaf, i);
    if (!IsByteList(w) || ListCount(w) != text.size() + 1) continue;
    if (std::memcmp(leaf.data() + 8 * Target(w, i), text.data(), text.size()) == 0) return i;
  }
  return std::nullopt;
}

TEST(EntryTest, TextWithAnEmbeddedNulIsKeptWholeOrRejected) {
  // "abc" takes 4 bytes of its word ("abc\0"); the same word can hold the
  // 8-byte text "abc\0xyz\0". Accepting that leaf as the statement whose origin
  // is "abc" would give one signed statement two leaves.
  Statement s;
  s.header = SampleHeader();
  s.header.origin = "abc";
  SignStatement(s, KeyFromByte(1));
  const Bytes leaf = MustEncode(EncodeStatementEntry(s));
  const auto ptr = FindTextPointer(leaf, "abc");
  ASSERT_TRUE(ptr.has_value());
  Bytes crafted = leaf;
  SetWord(crafted, *ptr, WithListCount(Word(leaf, *ptr), 8));
  std::memcpy(crafted.data() + 8 * Target(Word(leaf, *ptr), *ptr) + 4, "xyz", 3);

  auto d = DecodeStatementEntry(crafted);
  if (d.ok()) {
    EXPECT_EQ(d->header.origin, std::string("abc\0xyz", 7));
    EXPECT_EQ(VerifyStatementSignatures(*d).code(), StatusCode::kPermissionDenied);
  } else {
    ExpectCorruption(d.status(), "");
  }
  ExpectAcceptedOnlyIfCanonical(crafted, "origin with a NUL");
}

TEST(EntryTest, TextRecordWithAnEmbeddedNulIsKeptWholeOrRejected) {
  const Bytes leaf = MustEncode(EncodeTextRecordEntry("abc"));
  const auto ptr = FindTextPointer(leaf, "abc");
  ASSERT_TRUE(ptr.has_value());
  Bytes crafted = leaf;
  SetWord(crafted, *ptr, WithListCount(Word(leaf, *ptr), 8));
  std::memcpy(crafted.data() + 8 * Target(Word(leaf, *ptr), *ptr) + 4, "xyz", 3);
  auto r = DecodeRecordEntry(crafted);
  if (r.ok()) {
    EXPECT_EQ(r->text, std::string("abc\0xyz", 7));
  } else {
    ExpectCorruption(r.status(), "");
  }
  ExpectAcceptedOnlyIfCanonical(crafted, "record text with a NUL");
}

TEST(EntryTest, HeaderTextsWithNulBytesAreNotTruncated) {
  StatementHeader a = SampleHeader(), b = SampleHeader();
  a.type = std::string("a\0b", 3);
  b.type = "a";
  // Different headers must not have the same signing bytes.
  EXPECT_NE(StatementSigningBytes(a), StatementSigningBytes(b));
  Statement s;
  s.header = a;
  SignStatement(s, KeyFromByte(1));
  auto d = DecodeStatementEntry(MustEncode(EncodeStatementEntry(s)));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->header.type, a.type);
  auto r = DecodeRecordEntry(MustEncode(EncodeTextRecordEntry(std::string("x\0y", 3))));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, std::string("x\0y", 3));
}

TEST(EntryTest, MissingTextIsNotAnotherSpellingOfEmptyText) {
  // An empty text is a one-byte list (its NUL); a null pointer is a different
  // (canonical) message that a lax decoder would also read as "".
  Statement s;
  s.header = SampleHeader();
  s.header.stage = "";
  SignStatement(s, KeyFromByte(1));
  const Bytes leaf = MustEncode(EncodeStatementEntry(s));
  const auto ptr = FindTextPointer(leaf, "");
  ASSERT_TRUE(ptr.has_value());
  const size_t content = static_cast<size_t>(Target(Word(leaf, *ptr), *ptr));
  Bytes crafted = leaf;
  SetWord(crafted, *ptr, 0);
  crafted = Splice(crafted, content, -1);
  ASSERT_EQ(crafted.size(), leaf.size() - 8);
  auto d = DecodeStatementEntry(crafted);
  if (d.ok()) {
    EXPECT_EQ(d->header.stage, "");
    ADD_FAILURE() << "a statement with no stage pointer decodes like one with an empty stage";
  } else {
    ExpectCorruption(d.status(), "");
  }
  ExpectAcceptedOnlyIfCanonical(crafted, "null stage");
}

TEST(EntryTest, WrongSizedKeysAndHashesAreCorruption) {
  // Shrink each fixed-size Data field by a word, keeping the message
  // canonical, so only the size check can object.
  const Bytes leaf = MustEncode(EncodeStatementEntry(SignedSample({1})));
  size_t checked = 0;
  for (size_t i : PointerWords(leaf)) {
    const uint64_t w = Word(leaf, i);
    if (!IsByteList(w) || (ListCount(w) != 32 && ListCount(w) != 64)) continue;
    const size_t last = static_cast<size_t>(Target(w, i)) + ListCount(w) / 8 - 1;
    Bytes b = leaf;
    SetWord(b, i, WithListCount(w, ListCount(w) - 8));
    b = Splice(b, last, -1);
    auto d = DecodeStatementEntry(b);
    ASSERT_FALSE(d.ok()) << "pointer at word " << i;
    EXPECT_EQ(d.status().code(), StatusCode::kCorruption) << d.status().message();
    EXPECT_THAT(d.status().message(),
                HasSubstr(ListCount(w) == 64 ? "signature is 56 bytes, expected 64"
                                             : "is 24 bytes, expected 32"));
    ++checked;
  }
  EXPECT_EQ(checked, 3u);  // records root, public key, signature
}

// ---- Statement signatures ----

TEST(StatementSignatureTest, SigningBytesAreContextThenCanonicalHeader) {
  const Bytes b = StatementSigningBytes(SampleHeader());
  ASSERT_GT(b.size(), kContext.size());
  EXPECT_THAT(std::string(AsChars(b)), StartsWith("jejak/statement/v1\n"));
  EXPECT_EQ((b.size() - kContext.size()) % 8, 0u);
  // Deterministic.
  EXPECT_EQ(StatementSigningBytes(SampleHeader()), b);
}

TEST(StatementSignatureTest, EveryHeaderFieldIsCovered) {
  const Bytes base = StatementSigningBytes(SampleHeader());
  std::vector<StatementHeader> variants(8, SampleHeader());
  variants[0].origin += "x";
  variants[1].type = "generic.notf";
  variants[2].stage = "2026-T2";
  variants[3].region = "7405";
  variants[4].timestamp_ms += 1;
  variants[5].record_count += 1;
  variants[6].records_root[31] ^= 1;
  variants[7].governance_size += 1;
  for (size_t i = 0; i < variants.size(); ++i) {
    EXPECT_NE(StatementSigningBytes(variants[i]), base) << "field " << i;
  }
  // Moving bytes between adjacent texts changes the bytes too.
  StatementHeader a = SampleHeader(), b = SampleHeader();
  a.type = "ab";
  a.stage = "c";
  b.type = "a";
  b.stage = "bc";
  EXPECT_NE(StatementSigningBytes(a), StatementSigningBytes(b));
}

TEST(StatementSignatureTest, ValidSignaturesVerify) {
  const Statement s = SignedSample({1, 2, 3});
  EXPECT_TRUE(VerifyStatementSignatures(s).ok());
  EXPECT_EQ(s.signatures[1].public_key, KeyFromByte(2).public_key());
  EXPECT_TRUE(VerifySignature(KeyFromByte(2).public_key(), StatementSigningBytes(s.header),
                              s.signatures[1].signature));
}

TEST(StatementSignatureTest, AlteredHeaderIsCaughtAtTheFirstSignature) {
  Statement s = SignedSample({1, 2});
  s.header.record_count += 1;
  const Status st = VerifyStatementSignatures(s);
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(st.message(),
              HasSubstr("signature 1 (key " + Base64Encode(KeyFromByte(1).public_key()) +
                        ") does not verify"));
}

TEST(StatementSignatureTest, SignatureByAnotherKeyNamesItsPosition) {
  Statement s = SignedSample({1, 2, 3});
  // The third signature claims key 3 but was made by key 4.
  s.signatures[2].signature = KeyFromByte(4).Sign(StatementSigningBytes(s.header));
  const Status st = VerifyStatementSignatures(s);
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(st.message(),
              HasSubstr("signature 3 (key " + Base64Encode(KeyFromByte(3).public_key()) +
                        ") does not verify"));
  // A signature over another header.
  Statement t = SignedSample({1});
  Statement other = t;
  other.header.region = "9999";
  other.signatures.clear();
  SignStatement(other, KeyFromByte(5));
  t.signatures.push_back(other.signatures[0]);
  const Status st2 = VerifyStatementSignatures(t);
  EXPECT_EQ(st2.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(st2.message(), HasSubstr("signature 2 (key"));
}

TEST(StatementSignatureTest, UnsignedStatementIsRefused) {
  const Status st = VerifyStatementSignatures(SignedSample({}));
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(st.message(), HasSubstr("statement has no signatures"));
}

TEST(StatementSignatureTest, SignaturesSurviveTheEntryRoundTrip) {
  const Statement s = SignedSample({7, 8});
  auto d = DecodeStatementEntry(MustEncode(EncodeStatementEntry(s)));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_TRUE(VerifyStatementSignatures(*d).ok());
}

}  // namespace
}  // namespace jejak
