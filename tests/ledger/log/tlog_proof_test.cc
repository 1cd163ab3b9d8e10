// C2SP tlog-proof@v1: formatting, parsing (and refusal of malformed text),
// verification against a log key and witnesses.
#include "ledger/log/tlog_proof.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/cosignature.h"
#include "ledger/log/checkpoint.h"
#include "tests/ledger/log/merkle_reference.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

using ::jejak::merkle_test::RefLeaf;
using ::jejak::merkle_test::RefMth;
using ::jejak::merkle_test::RefPath;
using ::jejak::testing::KeyFromByte;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "jejak.test/kab/7404";

Bytes EntryBytes(int i) {
  std::string s = "entry " + std::to_string(i);
  return Bytes(s.begin(), s.end());
}

// A log of `n` entries, its checkpoint signed by `log_key`, cosigned by the
// witnesses given, and the proof of leaf `index`.
struct Fixture {
  SigningKey log_key = KeyFromByte(1);
  SigningKey w1 = KeyFromByte(2);
  SigningKey w2 = KeyFromByte(3);
  NoteVerifierKey verifier = NoteVerifierKey::ForEd25519(kOrigin, log_key.public_key());
  std::vector<Cosigner> witnesses = {{"witness-one", w1.public_key()},
                                     {"witness-two", w2.public_key()}};

  TlogProof Make(uint64_t n, uint64_t index, int cosigners, std::string_view origin = kOrigin) {
    std::vector<Hash> leaves;
    for (uint64_t i = 0; i < n; ++i) leaves.push_back(RefLeaf(EntryBytes(static_cast<int>(i))));
    Checkpoint cp;
    cp.origin = std::string(origin);
    cp.size = n;
    cp.root = RefMth(leaves);
    Note note = SignCheckpoint(cp, log_key).note;
    if (cosigners >= 1) note.signatures.push_back(Cosign(note.text, "witness-one", w1, 1000));
    if (cosigners >= 2) note.signatures.push_back(Cosign(note.text, "witness-two", w2, 1001));
    TlogProof p;
    p.extra = EntryBytes(static_cast<int>(index));
    p.index = index;
    p.inclusion = RefPath(index, leaves);
    p.checkpoint = note.Serialize();
    return p;
  }
};

TEST(TlogProof, FormatIsTheC2spLayout) {
  Fixture f;
  TlogProof p = f.Make(5, 2, 0);
  const std::string text = FormatTlogProof(p);
  const std::string head = "c2sp.org/tlog-proof@v1\nextra " + Base64Encode(*p.extra) +
                           "\nindex 2\n" + Base64Encode(p.inclusion[0]) + "\n";
  EXPECT_EQ(text.substr(0, head.size()), head);
  EXPECT_NE(text.find("\n\njejak.test/kab/7404\n5\n"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\n"));
}

TEST(TlogProof, RoundTrip) {
  Fixture f;
  for (uint64_t n : {1, 2, 7, 300}) {
    for (uint64_t index : {uint64_t{0}, n / 2, n - 1}) {
      TlogProof p = f.Make(n, index, 2);
      auto parsed = ParseTlogProof(FormatTlogProof(p));
      ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
      EXPECT_EQ(parsed->extra, p.extra);
      EXPECT_EQ(parsed->index, index);
      EXPECT_EQ(parsed->inclusion, p.inclusion);
      EXPECT_EQ(parsed->checkpoint, p.checkpoint);
      EXPECT_EQ(FormatTlogProof(*parsed), FormatTlogProof(p));
    }
  }
}

TEST(TlogProof, WithoutExtraRoundTrips) {
  Fixture f;
  TlogProof p = f.Make(4, 3, 0);
  p.extra.reset();
  auto parsed = ParseTlogProof(FormatTlogProof(p));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_FALSE(parsed->extra.has_value());
  EXPECT_EQ(parsed->index, 3u);
}

// Replaces the first occurrence of `from` in the proof's text.
std::string Changed(const std::string& text, const std::string& from, const std::string& to) {
  std::string out = text;
  const size_t at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  out.replace(at, from.size(), to);
  return out;
}

TEST(TlogProof, MalformedTextIsRefusedNamingTheLine) {
  Fixture f;
  const std::string good = FormatTlogProof(f.Make(7, 3, 1));
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"", "tlog-proof line 1: the proof ends before the first line"},
      {Changed(good, "tlog-proof@v1", "tlog-proof@v2"), "tlog-proof line 1: expected"},
      {Changed(good, "extra ", "extra !"), "tlog-proof line 2: the extra data is not base64"},
      {Changed(good, "index 3", "index 03"), "tlog-proof line 3: the index is not a decimal"},
      {Changed(good, "index 3", "idx 3"), "tlog-proof line 3: expected \"index N\""},
      {Changed(good, "index 3\n", "index 3\nAAAA\n"), "tlog-proof line 4: inclusion proof hash 1"},
      {good.substr(0, good.find("\n\n") + 1), "the proof ends before the blank line"},
      {Changed(good, "\n\n", "\n\nnot a checkpoint\n"), "the checkpoint:"},
      {Changed(good, "\n7\n", "\nseven\n"), "the checkpoint:"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseTlogProof(c.text);
    ASSERT_FALSE(parsed.ok()) << c.message;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(c.message));
  }
}

TEST(TlogProof, TooManyHashesAreRefused) {
  Fixture f;
  TlogProof p = f.Make(3, 1, 0);
  p.inclusion.assign(kMaxInclusionHashes + 1, Hash{});
  auto parsed = ParseTlogProof(FormatTlogProof(p));
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("more than 64 inclusion proof hashes"));
}

TEST(TlogProof, VerifiesAndCountsDistinctWitnesses) {
  Fixture f;
  TlogProof p = f.Make(9, 4, 2);
  auto v = VerifyTlogProof(p, f.verifier, f.witnesses, 2);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->checkpoint.size, 9u);
  EXPECT_EQ(v->entry, EntryBytes(4));
  ASSERT_EQ(v->witnesses.size(), 2u);
  EXPECT_EQ(v->witnesses[0].first, "witness-one");
  EXPECT_EQ(v->witnesses[0].second, 1000u);
  // The same witness listed twice (two keys under one name) counts once.
  std::vector<Cosigner> twice = {f.witnesses[0], {"witness-one", KeyFromByte(9).public_key()}};
  auto once = VerifyTlogProof(p, f.verifier, twice, 2);
  ASSERT_FALSE(once.ok());
  EXPECT_THAT(once.status().message(),
              HasSubstr("2 witness cosignatures are required, 1 verified (witness-one)"));
}

TEST(TlogProof, RefusesAChangedHash) {
  Fixture f;
  TlogProof p = f.Make(9, 4, 0);
  p.inclusion[1][0] ^= 1;
  auto v = VerifyTlogProof(p, f.verifier, {}, 0);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(v.status().message(), HasSubstr("leaf 4 (SHA-256 of the extra data) is not in"));
}

TEST(TlogProof, RefusesAChangedExtraByte) {
  Fixture f;
  TlogProof p = f.Make(9, 4, 0);
  (*p.extra)[0] ^= 1;
  auto v = VerifyTlogProof(p, f.verifier, {}, 0);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("leaf 4 (SHA-256 of the extra data) is not in"));
}

TEST(TlogProof, RefusesACheckpointOfAnotherLog) {
  Fixture f;
  TlogProof p = f.Make(9, 4, 0, "jejak.test/kab/9999");
  auto v = VerifyTlogProof(p, f.verifier, {}, 0);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(v.status().message(),
              HasSubstr("the checkpoint is of log 'jejak.test/kab/9999', not of "
                        "'jejak.test/kab/7404' (the log key's)"));
}

TEST(TlogProof, RefusesASignatureByAnotherKey) {
  Fixture f;
  TlogProof p = f.Make(9, 4, 0);
  NoteVerifierKey other = NoteVerifierKey::ForEd25519(kOrigin, KeyFromByte(7).public_key());
  auto v = VerifyTlogProof(p, other, {}, 0);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(), HasSubstr("the checkpoint's signature"));
}

TEST(TlogProof, RefusesTooFewWitnessesAndForgedCosignatures) {
  Fixture f;
  TlogProof p = f.Make(9, 4, 1);
  auto v = VerifyTlogProof(p, f.verifier, f.witnesses, 2);
  ASSERT_FALSE(v.ok());
  EXPECT_THAT(v.status().message(),
              HasSubstr("2 witness cosignatures are required, 1 verified (witness-one)"));

  // A cosignature that claims witness-one but is over another checkpoint.
  TlogProof other = f.Make(10, 4, 1);
  Note a = *ParseNote(p.checkpoint), b = *ParseNote(other.checkpoint);
  a.signatures[1] = b.signatures[1];
  p.checkpoint = a.Serialize();
  auto forged = VerifyTlogProof(p, f.verifier, f.witnesses, 0);
  ASSERT_FALSE(forged.ok());
  EXPECT_THAT(forged.status().message(),
              HasSubstr("the cosignature of witness 'witness-one' does not verify"));
}

TEST(TlogProof, RefusesAnIndexBeyondTheTreeAndMissingExtra) {
  Fixture f;
  TlogProof p = f.Make(4, 3, 0);
  p.index = 4;
  auto beyond = VerifyTlogProof(p, f.verifier, {}, 0);
  ASSERT_FALSE(beyond.ok());
  EXPECT_THAT(beyond.status().message(), HasSubstr("index 4 is not below the checkpoint's size 4"));
  p.index = 3;
  p.extra.reset();
  auto bare = VerifyTlogProof(p, f.verifier, {}, 0);
  ASSERT_FALSE(bare.ok());
  EXPECT_THAT(bare.status().message(), HasSubstr("the proof carries no extra data"));
}

TEST(TlogProof, FileNames) {
  EXPECT_EQ(TlogProofFileName("jejak.pkh/kab/7306", 12), "jejak.pkh-kab-7306-12.tlog-proof");
  EXPECT_EQ(TlogProofFileName("a b/../c", 0), "a-b-..-c-0.tlog-proof");
}

}  // namespace
}  // namespace jejak
