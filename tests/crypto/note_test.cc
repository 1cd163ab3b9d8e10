// C2SP signed notes: the public vectors made with Go's sumdb/note, plus the
// parser's and verifier's handling of malformed and unknown signatures.
#include "crypto/note.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "tests/test_support.h"

namespace jejak {
namespace {
using ::jejak::testing::KeyFromByte;

using ::testing::HasSubstr;

nlohmann::json LoadVectors() {
  std::ifstream in(JEJAK_TESTVECTORS_DIR "/signed_note.json");
  EXPECT_TRUE(in.good()) << "cannot open " JEJAK_TESTVECTORS_DIR "/signed_note.json";
  return nlohmann::json::parse(in);
}

Seed SeedFromHex(const std::string& hex) {
  auto b = HexDecode(hex);
  EXPECT_TRUE(b.ok() && b->size() == 32) << hex;
  Seed s{};
  std::copy(b->begin(), b->end(), s.begin());
  return s;
}

Result<std::vector<NoteVerifierKey>> ParseAndVerify(std::string_view text,
                                                    const std::vector<NoteVerifierKey>& keys) {
  auto note = ParseNote(text);
  if (!note.ok()) return note.status();
  return VerifyNote(*note, keys);
}

std::string SignedNote(const std::string& text, const std::string& name, const SigningKey& key) {
  Note n{text, {SignNoteText(text, name, key)}};
  return n.Serialize();
}

// ---- Public vectors ----

TEST(NoteVectorsTest, VectorFileHasGoodAndRejectNotes) {
  const auto v = LoadVectors();
  EXPECT_GE(v.at("good").size(), 9u);
  EXPECT_GE(v.at("reject").size(), 5u);
}

TEST(NoteVectorsTest, VerifierKeysParseAndRoundTrip) {
  const nlohmann::json vectors = LoadVectors();
  for (const auto& g : vectors.at("good")) {
    const std::string vk = g.at("verifier_key");
    auto key = ParseVerifierKey(vk);
    ASSERT_TRUE(key.ok()) << vk << ": " << key.status().message();
    EXPECT_EQ(key->ToString(), vk);
    EXPECT_EQ(key->name, g.at("key_name").get<std::string>());
    EXPECT_EQ(key->type, kNoteTypeEd25519);
    EXPECT_EQ(HexEncode(key->key), g.at("ed25519_public_hex").get<std::string>());
  }
}

TEST(NoteVectorsTest, KeysFromSeedsReproduceVerifierKeys) {
  const nlohmann::json vectors = LoadVectors();
  for (const auto& g : vectors.at("good")) {
    const SigningKey sk = SigningKey::FromSeed(SeedFromHex(g.at("ed25519_seed_hex")));
    EXPECT_EQ(HexEncode(sk.public_key()), g.at("ed25519_public_hex").get<std::string>());
    const NoteVerifierKey vk = NoteVerifierKey::ForEd25519(g.at("key_name"), sk.public_key());
    EXPECT_EQ(vk.ToString(), g.at("verifier_key").get<std::string>());
    EXPECT_EQ(vk.key, sk.public_key());
  }
}

TEST(NoteVectorsTest, SigningReproducesNotesByteForByte) {
  const nlohmann::json vectors = LoadVectors();
  for (const auto& g : vectors.at("good")) {
    const SigningKey sk = SigningKey::FromSeed(SeedFromHex(g.at("ed25519_seed_hex")));
    EXPECT_EQ(SignedNote(g.at("text"), g.at("key_name"), sk),
              g.at("signed_note").get<std::string>());
  }
}

TEST(NoteVectorsTest, GoodNotesParseSerializeAndVerify) {
  const nlohmann::json vectors = LoadVectors();
  for (const auto& g : vectors.at("good")) {
    const std::string signed_note = g.at("signed_note");
    auto key = ParseVerifierKey(g.at("verifier_key").get<std::string>());
    ASSERT_TRUE(key.ok()) << key.status().message();
    auto note = ParseNote(signed_note);
    ASSERT_TRUE(note.ok()) << note.status().message();
    EXPECT_EQ(note->text, g.at("text").get<std::string>());
    ASSERT_EQ(note->signatures.size(), 1u);
    EXPECT_EQ(note->signatures[0].name, key->name);
    EXPECT_EQ(note->signatures[0].key_id, key->key_id);
    EXPECT_EQ(note->signatures[0].signature.size(), 64u);
    EXPECT_EQ(note->Serialize(), signed_note);
    auto verified = VerifyNote(*note, std::vector<NoteVerifierKey>{*key});
    ASSERT_TRUE(verified.ok()) << signed_note << ": " << verified.status().message();
    ASSERT_EQ(verified->size(), 1u);
    EXPECT_EQ((*verified)[0].ToString(), key->ToString());
  }
}

struct Expected {
  StatusCode code;
  std::string message;
};

// What each reject vector must fail with, by its "why".
Expected ExpectedRejection(const std::string& why) {
  if (why == "body altered (size changed)") {
    return {StatusCode::kPermissionDenied, "does not verify"};
  }
  if (why == "signed by another key of another name") {
    return {StatusCode::kPermissionDenied, "not signed by any known key"};
  }
  if (why == "signature bytes altered") return {StatusCode::kPermissionDenied, "does not verify"};
  if (why == "no blank line before the signature") {
    return {StatusCode::kInvalidArgument, "no blank line"};
  }
  if (why == "signature line without the em dash") {
    return {StatusCode::kInvalidArgument, "does not start with an em dash"};
  }
  ADD_FAILURE() << "reject vector '" << why << "' has no expected outcome in this test";
  return {StatusCode::kOk, ""};
}

TEST(NoteVectorsTest, RejectNotesFailWithTheExpectedError) {
  const nlohmann::json vectors = LoadVectors();
  for (const auto& r : vectors.at("reject")) {
    const std::string why = r.at("why");
    auto key = ParseVerifierKey(r.at("verifier_key").get<std::string>());
    ASSERT_TRUE(key.ok()) << key.status().message();
    auto result = ParseAndVerify(r.at("signed_note").get<std::string>(), {*key});
    ASSERT_FALSE(result.ok()) << "reject vector accepted: " << why;
    const Expected e = ExpectedRejection(why);
    EXPECT_EQ(result.status().code(), e.code) << why << ": " << result.status().message();
    EXPECT_THAT(result.status().message(), HasSubstr(e.message)) << why;
  }
}

// ---- Key IDs and verifier keys ----

TEST(NoteKeyIdTest, IsTheFirstFourBytesOfTheHashOfNameTypeAndKey) {
  const SigningKey k = KeyFromByte(0x42);
  std::string input = "jejak.pkh/test\n";
  input.push_back(static_cast<char>(kNoteTypeEd25519));
  input.append(AsChars(k.public_key()));
  const Hash h = Sha256(AsBytes(input));
  const uint32_t want = uint32_t{h[0]} << 24 | uint32_t{h[1]} << 16 | uint32_t{h[2]} << 8 | h[3];
  EXPECT_EQ(NoteKeyId("jejak.pkh/test", kNoteTypeEd25519, k.public_key()), want);
  // The type and name are part of the hash.
  EXPECT_NE(NoteKeyId("jejak.pkh/test", kNoteTypeCosignature, k.public_key()), want);
  EXPECT_NE(NoteKeyId("jejak.pkh/test2", kNoteTypeEd25519, k.public_key()), want);
}

TEST(NoteKeyIdTest, MatchesTheVectors) {
  const SigningKey k = SigningKey::FromSeed(
      SeedFromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
  EXPECT_EQ(NoteKeyId("jejak.pkh/kemensos", kNoteTypeEd25519, k.public_key()), 0x0b1cc05eU);
}

TEST(NoteKeyIdTest, VerifierKeyStringShape) {
  const SigningKey k = KeyFromByte(1);
  const NoteVerifierKey v = NoteVerifierKey::ForEd25519("example.com/log", k.public_key());
  Bytes raw = {kNoteTypeEd25519};
  raw.insert(raw.end(), k.public_key().begin(), k.public_key().end());
  char id[9];
  std::snprintf(id, sizeof id, "%08x", v.key_id);
  EXPECT_EQ(v.ToString(), "example.com/log+" + std::string(id) + "+" + Base64Encode(raw));
}

void ExpectVerifierKeyRejected(std::string_view text, std::string_view why) {
  auto k = ParseVerifierKey(text);
  ASSERT_FALSE(k.ok()) << "accepted '" << text << "'";
  EXPECT_EQ(k.status().code(), StatusCode::kInvalidArgument) << text;
  EXPECT_THAT(k.status().message(), HasSubstr(why)) << text;
}

TEST(ParseVerifierKeyTest, RejectsMalformedKeys) {
  const SigningKey k = KeyFromByte(2);
  const NoteVerifierKey v = NoteVerifierKey::ForEd25519("log.example", k.public_key());
  const std::string good = v.ToString();
  ASSERT_TRUE(ParseVerifierKey(good).ok());
  const size_t p1 = good.find('+'), p2 = good.find('+', p1 + 1);
  const std::string id = good.substr(p1 + 1, 8), b64 = good.substr(p2 + 1);

  ExpectVerifierKeyRejected("log.example", "must be <name>+<hex key ID>+<base64 key>");
  ExpectVerifierKeyRejected("log.example+" + id, "must be <name>+<hex key ID>+<base64 key>");
  ExpectVerifierKeyRejected("+" + id + "+" + b64, "invalid name");
  ExpectVerifierKeyRejected("log example+" + id + "+" + b64, "invalid name");
  ExpectVerifierKeyRejected("log.example+" + id.substr(1) + "+" + b64, "8 hex digits");
  ExpectVerifierKeyRejected("log.example+0" + id + "+" + b64, "8 hex digits");
  ExpectVerifierKeyRejected("log.example+zzzzzzzz+" + b64, "8 hex digits");
  ExpectVerifierKeyRejected("log.example+" + id + "+" + b64.substr(1), "verifier key: ");
  ExpectVerifierKeyRejected("log.example+" + id + "+", "verifier key is empty");
  // Wrong key ID for this name and key.
  const std::string other_id = id == "00000000" ? "00000001" : "00000000";
  ExpectVerifierKeyRejected("log.example+" + other_id + "+" + b64, "does not match");
  // Same key under another name: the ID no longer matches.
  ExpectVerifierKeyRejected("other.example+" + id + "+" + b64, "does not match");
  // Unsupported type byte.
  Bytes raw = {0x02};
  raw.insert(raw.end(), k.public_key().begin(), k.public_key().end());
  ExpectVerifierKeyRejected("log.example+" + id + "+" + Base64Encode(raw), "type 0x02");
  // Too short and too long keys.
  Bytes short_raw = {kNoteTypeEd25519, 1, 2, 3};
  ExpectVerifierKeyRejected("log.example+" + id + "+" + Base64Encode(short_raw),
                            "must hold 32 key bytes");
  Bytes long_raw = raw;
  long_raw[0] = kNoteTypeEd25519;
  long_raw.push_back(0);
  ExpectVerifierKeyRejected("log.example+" + id + "+" + Base64Encode(long_raw),
                            "must hold 32 key bytes");
}

TEST(ParseVerifierKeyTest, AcceptsUppercaseKeyId) {
  const SigningKey k = KeyFromByte(3);
  const NoteVerifierKey v = NoteVerifierKey::ForEd25519("log.example", k.public_key());
  std::string s = v.ToString();
  for (size_t i = s.find('+') + 1; s[i] != '+'; ++i) s[i] = static_cast<char>(std::toupper(s[i]));
  auto parsed = ParseVerifierKey(s);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->key_id, v.key_id);
}

TEST(ValidKeyNameTest, RefusesEmptyPlusSpacesAndControls) {
  EXPECT_TRUE(ValidKeyName("jejak.pkh/kab/7404"));
  EXPECT_TRUE(ValidKeyName("caf\xC3\xA9"));
  EXPECT_FALSE(ValidKeyName(""));
  EXPECT_FALSE(ValidKeyName("a+b"));
  EXPECT_FALSE(ValidKeyName("a b"));
  EXPECT_FALSE(
      ValidKeyName("a\xC2\xA0"
                   "b"));
  EXPECT_FALSE(ValidKeyName("a\nb"));
  EXPECT_FALSE(ValidKeyName("a\tb"));
  EXPECT_FALSE(ValidKeyName("\xC3"));
}

// ---- Sign and verify ----

TEST(NoteTest, SignedNoteRoundTrips) {
  const SigningKey k = SigningKey::Generate();
  const NoteVerifierKey vk = NoteVerifierKey::ForEd25519("jejak.test/log", k.public_key());
  const std::string text = "jejak.test/log\n42\nAAAA\n";
  const std::string serialized = SignedNote(text, "jejak.test/log", k);
  auto note = ParseNote(serialized);
  ASSERT_TRUE(note.ok()) << note.status().message();
  EXPECT_EQ(note->text, text);
  EXPECT_EQ(note->Serialize(), serialized);
  auto verified = VerifyNote(*note, std::vector<NoteVerifierKey>{vk});
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  ASSERT_EQ(verified->size(), 1u);
  EXPECT_EQ((*verified)[0].key, k.public_key());
}

TEST(NoteTest, SignatureLineHasEmDashNameAndBase64OfKeyIdAndSignature) {
  const SigningKey k = KeyFromByte(5);
  const NoteSignature sig = SignNoteText("hello\n", "a.example", k);
  EXPECT_EQ(sig.key_id, NoteKeyId("a.example", kNoteTypeEd25519, k.public_key()));
  ASSERT_EQ(sig.signature.size(), 64u);
  Bytes raw(4);
  PutBigEndian32(sig.key_id, raw.data());
  raw.insert(raw.end(), sig.signature.begin(), sig.signature.end());
  EXPECT_EQ(sig.Line(), "\xE2\x80\x94 a.example " + Base64Encode(raw) + "\n");
}

TEST(NoteTest, WrongKeyWithTheSameNameIsNotAKnownSigner) {
  const SigningKey signer = KeyFromByte(6), other = KeyFromByte(7);
  const std::string n = SignedNote("text\n", "log.example", signer);
  auto r = ParseAndVerify(n, {NoteVerifierKey::ForEd25519("log.example", other.public_key())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("not signed by any known key"));
}

TEST(NoteTest, KnownKeyWithAForgedKeyIdMustVerify) {
  // A signature line that claims a known key's name and ID but was made by
  // another key is an error, not an unknown signature.
  const SigningKey known = KeyFromByte(8), forger = KeyFromByte(9);
  const NoteVerifierKey vk = NoteVerifierKey::ForEd25519("log.example", known.public_key());
  Note note{"text\n", {SignNoteText("text\n", "log.example", forger)}};
  note.signatures[0].key_id = vk.key_id;
  auto r = ParseAndVerify(note.Serialize(), {vk});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("signature by log.example does not verify"));
}

TEST(NoteTest, AlteredBodyFailsVerification) {
  const SigningKey k = KeyFromByte(10);
  const NoteVerifierKey vk = NoteVerifierKey::ForEd25519("log.example", k.public_key());
  std::string n = SignedNote("log.example\n5\nAAAA\n", "log.example", k);
  ASSERT_TRUE(ParseAndVerify(n, {vk}).ok());
  n[12] = '6';  // the size line
  auto r = ParseAndVerify(n, {vk});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("signature by log.example does not verify"));
}

TEST(NoteTest, KnownKeySignatureOfWrongLengthIsRejected) {
  const SigningKey k = KeyFromByte(11);
  const NoteVerifierKey vk = NoteVerifierKey::ForEd25519("log.example", k.public_key());
  Note note{"text\n", {SignNoteText("text\n", "log.example", k)}};
  note.signatures[0].signature.pop_back();
  auto r = ParseAndVerify(note.Serialize(), {vk});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("wrong length"));
}

TEST(NoteTest, UnknownKeySignaturesAreIgnored) {
  const SigningKey a = KeyFromByte(12), b = KeyFromByte(13), c = KeyFromByte(14);
  const std::string text = "text\n";
  Note note{text,
            {SignNoteText(text, "b.example", b), SignNoteText(text, "a.example", a),
             SignNoteText(text, "c.example", c)}};
  // An unknown signature need not even be Ed25519-sized or valid.
  note.signatures.push_back({"d.example", 0x01020304, Bytes{1, 2, 3}});
  const std::string serialized = note.Serialize();
  const NoteVerifierKey va = NoteVerifierKey::ForEd25519("a.example", a.public_key());
  const NoteVerifierKey vc = NoteVerifierKey::ForEd25519("c.example", c.public_key());

  auto only_a = ParseAndVerify(serialized, {va});
  ASSERT_TRUE(only_a.ok()) << only_a.status().message();
  ASSERT_EQ(only_a->size(), 1u);
  EXPECT_EQ((*only_a)[0].name, "a.example");

  // Signers come back in signature order, not in the order of `known`.
  auto c_and_a = ParseAndVerify(serialized, {vc, va});
  ASSERT_TRUE(c_and_a.ok()) << c_and_a.status().message();
  ASSERT_EQ(c_and_a->size(), 2u);
  EXPECT_EQ((*c_and_a)[0].name, "a.example");
  EXPECT_EQ((*c_and_a)[1].name, "c.example");

  // Parsing keeps the unknown signatures untouched.
  auto parsed = ParseNote(serialized);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->signatures.size(), 4u);
  EXPECT_EQ(parsed->signatures[3].key_id, 0x01020304U);
  EXPECT_EQ(parsed->signatures[3].signature, (Bytes{1, 2, 3}));
  EXPECT_EQ(parsed->Serialize(), serialized);
}

TEST(NoteTest, NoteSignedOnlyByUnknownKeysIsRejected) {
  const SigningKey a = KeyFromByte(15), b = KeyFromByte(16);
  const std::string n = SignedNote("text\n", "b.example", b);
  auto r = ParseAndVerify(n, {NoteVerifierKey::ForEd25519("a.example", a.public_key())});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("not signed by any known key"));

  auto none = ParseAndVerify(n, {});
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(), HasSubstr("not signed by any known key"));
}

TEST(NoteTest, CosignatureKeysDoNotVerifyNotes) {
  const SigningKey k = KeyFromByte(17);
  NoteVerifierKey vk = NoteVerifierKey::ForEd25519("w.example", k.public_key());
  vk.type = kNoteTypeCosignature;
  vk.key_id = NoteKeyId("w.example", kNoteTypeCosignature, k.public_key());
  Note note{"text\n", {SignNoteText("text\n", "w.example", k)}};
  note.signatures[0].key_id = vk.key_id;
  auto r = ParseAndVerify(note.Serialize(), {vk});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("not signed by any known key"));
}

// ---- Malformed notes ----

void ExpectNoteRejected(std::string_view note, std::string_view why) {
  auto n = ParseNote(note);
  ASSERT_FALSE(n.ok()) << "accepted: " << note;
  EXPECT_EQ(n.status().code(), StatusCode::kInvalidArgument) << note;
  EXPECT_THAT(n.status().message(), HasSubstr(why)) << note;
}

TEST(ParseNoteTest, RejectsMalformedSignatureLines) {
  const SigningKey k = KeyFromByte(18);
  const NoteSignature sig = SignNoteText("text\n", "a.example", k);
  Bytes raw(4);
  PutBigEndian32(sig.key_id, raw.data());
  raw.insert(raw.end(), sig.signature.begin(), sig.signature.end());
  const std::string b64 = Base64Encode(raw);
  const std::string dash = "\xE2\x80\x94";

  ASSERT_TRUE(ParseNote("text\n\n" + dash + " a.example " + b64 + "\n").ok());
  ExpectNoteRejected("text\n\n" + dash + "a.example " + b64 + "\n",
                     "signature line 1 does not start with an em dash and a space");
  ExpectNoteRejected("text\n\n-- a.example " + b64 + "\n", "signature line 1 does not start");
  ExpectNoteRejected("text\n\n" + dash + " a.example\n", "signature line 1 has no signature");
  ExpectNoteRejected("text\n\n" + dash + " a+b " + b64 + "\n",
                     "signature line 1 has an invalid key name");
  ExpectNoteRejected("text\n\n" + dash + "  a.example " + b64 + "\n",
                     "signature line 1 has an invalid key name");
  ExpectNoteRejected("text\n\n" + dash + " a.example " + b64.substr(1) + "\n",
                     "signature line 1 has a malformed signature");
  ExpectNoteRejected("text\n\n" + dash + " a.example " + b64 + " \n",
                     "signature line 1 has a malformed signature");
  ExpectNoteRejected("text\n\n" + dash + " a.example AQIDBA==\n",  // 4 bytes: ID only
                     "signature line 1 has a malformed signature");
  ExpectNoteRejected("text\n\n" + dash + " a.example " + b64 + "\n" + dash + " b.example x\n",
                     "signature line 2 has a malformed signature");
  // The last signature line must end in a newline.
  ExpectNoteRejected("text\n\n" + dash + " a.example " + b64,
                     "signatures must be lines ending in a newline");
  // A blank line with no signature after it.
  ExpectNoteRejected("text\n\n", "signatures must be lines ending in a newline");
}

TEST(ParseNoteTest, RejectsControlCharactersAndBadUtf8) {
  const SigningKey k = KeyFromByte(19);
  const std::string good = SignedNote("text\n", "a.example", k);
  ASSERT_TRUE(ParseNote(good).ok());
  for (const std::string& bad :
       std::vector<std::string>{"te\txt\n", "te\rxt\n", std::string("te\0xt\n", 6), "te\x7fxt\n",
                                "te\xC3xt\n", "te\xC2\x85xt\n"}) {
    const std::string n = bad + good.substr(5);
    ExpectNoteRejected(n, "not valid UTF-8 or holds control characters");
  }
}

TEST(ParseNoteTest, RejectsNotesOverTheSizeLimit) {
  const SigningKey k = KeyFromByte(20);
  const std::string text(kMaxNoteBytes, 'a');
  const std::string n = SignedNote(text.substr(0, text.size() - 1) + "\n", "a.example", k);
  ExpectNoteRejected(n, "larger than 1 MiB");
}

TEST(ParseNoteTest, AcceptsUpToTheSignatureLimitAndNoMore) {
  const SigningKey k = KeyFromByte(21);
  const NoteSignature sig = SignNoteText("text\n", "a.example", k);
  std::string n = "text\n\n";
  for (size_t i = 0; i < kMaxNoteSignatures; ++i) n += sig.Line();
  auto at_limit = ParseNote(n);
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().message();
  EXPECT_EQ(at_limit->signatures.size(), kMaxNoteSignatures);

  n += sig.Line();
  ExpectNoteRejected(n, "more than 256 signatures");
}

TEST(ParseNoteTest, SplitsAtTheLastBlankLine) {
  // The text itself may hold blank lines; signatures start after the last one.
  const SigningKey k = KeyFromByte(22);
  const NoteVerifierKey vk = NoteVerifierKey::ForEd25519("a.example", k.public_key());
  const std::string text = "line one\n\nline three\n";
  auto note = ParseNote(SignedNote(text, "a.example", k));
  ASSERT_TRUE(note.ok()) << note.status().message();
  EXPECT_EQ(note->text, text);
  EXPECT_TRUE(VerifyNote(*note, std::vector<NoteVerifierKey>{vk}).ok());
}

}  // namespace
}  // namespace jejak
