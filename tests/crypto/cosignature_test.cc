// C2SP tlog-cosignature v1 (Ed25519): the signed message, the key ID, the
// 72-byte timestamped signature, and a known answer computed independently.
#include "crypto/cosignature.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "crypto/note.h"
#include "tests/test_support.h"

namespace jejak {
namespace {
using ::jejak::testing::KeyFromByte;
using ::testing::HasSubstr;

// The checkpoint body of the examples in c2sp.org/tlog-cosignature.
constexpr std::string_view kCheckpoint =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr std::string_view kWitness = "witness.example/w1";
constexpr uint64_t kTime = 1679315147;

Cosigner CosignerOf(std::string_view name, const SigningKey& key) {
  return Cosigner{std::string(name), key.public_key()};
}

TEST(CosignatureTest, SignsAndVerifiesARoundTrip) {
  const SigningKey key = KeyFromByte(0x21);
  const NoteSignature sig = Cosign(kCheckpoint, kWitness, key, kTime);
  EXPECT_EQ(sig.name, kWitness);
  EXPECT_EQ(sig.key_id, CosignatureKeyId(kWitness, key.public_key()));
  ASSERT_EQ(sig.signature.size(), 72u);
  EXPECT_EQ(GetBigEndian64(sig.signature.data()), kTime);

  auto ts = VerifyCosignature(kCheckpoint, sig, CosignerOf(kWitness, key));
  ASSERT_TRUE(ts.ok()) << ts.status().message();
  EXPECT_EQ(*ts, kTime);
}

// The timestamp read without verifying (the console's "last cosigned"): a
// cosignature's, and none for a note signature or one past the limit.
TEST(CosignatureTest, TheTimestampIsReadFromACosignatureOnly) {
  const SigningKey key = KeyFromByte(0x23);
  EXPECT_EQ(CosignatureTimestamp(Cosign(kCheckpoint, kWitness, key, kTime)), kTime);
  EXPECT_EQ(CosignatureTimestamp(SignNoteText(kCheckpoint, kWitness, key)), std::nullopt);
  NoteSignature late = Cosign(kCheckpoint, kWitness, key, kTime);
  late.signature[0] = 0x80;  // 2^63 and more
  EXPECT_EQ(CosignatureTimestamp(late), std::nullopt);
}

TEST(CosignatureTest, MessageIsHeaderTimeLineAndTheWholeBody) {
  EXPECT_EQ(CosignatureMessage(kCheckpoint, kTime),
            "cosignature/v1\n"
            "time 1679315147\n"
            "example.com/behind-the-sofa\n"
            "20852163\n"
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  // Extension lines are part of the body and so of the message.
  EXPECT_EQ(CosignatureMessage("o\n1\nAAAA\next\n", 0),
            "cosignature/v1\ntime 0\no\n1\nAAAA\next\n");
  EXPECT_EQ(CosignatureMessage("o\n", kMaxCosignatureTimestamp),
            "cosignature/v1\ntime 9223372036854775807\no\n");
}

TEST(CosignatureTest, SignatureIsOverTheMessage) {
  const SigningKey key = KeyFromByte(0x22);
  const NoteSignature sig = Cosign(kCheckpoint, kWitness, key, kTime);
  Signature s;
  std::copy(sig.signature.begin() + 8, sig.signature.end(), s.begin());
  EXPECT_TRUE(
      VerifySignature(key.public_key(), AsBytes(CosignatureMessage(kCheckpoint, kTime)), s));
  EXPECT_FALSE(VerifySignature(key.public_key(), AsBytes(kCheckpoint), s));
}

TEST(CosignatureTest, KeyIdIsTheType04NoteKeyIdNotTheType01One) {
  const SigningKey key = KeyFromByte(0x23);
  EXPECT_EQ(CosignatureKeyId(kWitness, key.public_key()),
            NoteKeyId(kWitness, kNoteTypeCosignature, key.public_key()));
  EXPECT_NE(CosignatureKeyId(kWitness, key.public_key()),
            NoteKeyId(kWitness, kNoteTypeEd25519, key.public_key()));
}

TEST(CosignatureTest, VerifierKeyParsesBackAsACosignatureKey) {
  const SigningKey key = KeyFromByte(0x24);
  const std::string text = CosignerVerifierKey(CosignerOf(kWitness, key));
  auto v = ParseVerifierKey(text);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->name, kWitness);
  EXPECT_EQ(v->type, kNoteTypeCosignature);
  EXPECT_EQ(v->key, key.public_key());
  EXPECT_EQ(v->key_id, CosignatureKeyId(kWitness, key.public_key()));
}

// Computed with Python's `cryptography` package (48.0.0), independently of
// this code, for the seed 32 x 0x11, the name, time and checkpoint above:
//   sk  = Ed25519PrivateKey.from_private_bytes(b"\x11" * 32)
//   pk  = sk.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
//   kid = hashlib.sha256(name + b"\n\x04" + pk).digest()[:4]
//   sig = sk.sign(b"cosignature/v1\ntime 1679315147\n" + body)
//   line = "— " + name + " " + b64encode(kid + struct.pack(">Q", time) + sig)
//   vkey = name + "+" + kid.hex() + "+" + b64encode(b"\x04" + pk)
// Ed25519 signatures are deterministic, so the whole line is fixed.
TEST(CosignatureTest, MatchesAnIndependentlyComputedLine) {
  const SigningKey key = KeyFromByte(0x11);
  EXPECT_EQ(HexEncode(key.public_key()),
            "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737");
  EXPECT_EQ(CosignatureKeyId(kWitness, key.public_key()), 0xf65f8fd1u);
  EXPECT_EQ(CosignerVerifierKey(CosignerOf(kWitness, key)),
            "witness.example/w1+f65f8fd1+BNBKsjJ0K7SrOhNovUYV5ObQIkq3GgFrr4UgozLJd4c3");
  const std::string want =
      "\xE2\x80\x94 witness.example/w1 "
      "9l+P0QAAAABkGFDLzuX9TsYiZpxj+zNowkX/+9daSXTL3TPayzPaud3NNbKrTFNhiImoOcMEtN1GvBu0ZTr2FUU5saFG"
      "tDnaKP9sBg==\n";
  EXPECT_EQ(Cosign(kCheckpoint, kWitness, key, kTime).Line(), want);
}

TEST(CosignatureTest, AFlippedBitInTheBodyIsPermissionDenied) {
  const SigningKey key = KeyFromByte(0x25);
  const NoteSignature sig = Cosign(kCheckpoint, kWitness, key, kTime);
  for (size_t i = 0; i < kCheckpoint.size(); ++i) {
    std::string body(kCheckpoint);
    body[i] ^= 0x01;
    auto r = VerifyCosignature(body, sig, CosignerOf(kWitness, key));
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << "byte " << i;
    EXPECT_THAT(r.status().message(), HasSubstr("does not verify")) << "byte " << i;
  }
}

TEST(CosignatureTest, AFlippedBitInTheTimestampOrSignatureIsPermissionDenied) {
  const SigningKey key = KeyFromByte(0x26);
  const NoteSignature good = Cosign(kCheckpoint, kWitness, key, kTime);
  for (size_t byte = 0; byte < 72; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      NoteSignature sig = good;
      sig.signature[byte] ^= static_cast<uint8_t>(1 << bit);
      auto r = VerifyCosignature(kCheckpoint, sig, CosignerOf(kWitness, key));
      ASSERT_FALSE(r.ok()) << "byte " << byte << " bit " << bit;
      EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied)
          << "byte " << byte << " bit " << bit;
    }
  }
}

TEST(CosignatureTest, TimestampsUpTo2To63Minus1AreAccepted) {
  const SigningKey key = KeyFromByte(0x27);
  for (uint64_t t : {uint64_t{0}, uint64_t{1}, kMaxCosignatureTimestamp}) {
    auto r = VerifyCosignature(kCheckpoint, Cosign(kCheckpoint, kWitness, key, t),
                               CosignerOf(kWitness, key));
    ASSERT_TRUE(r.ok()) << t << ": " << r.status().message();
    EXPECT_EQ(*r, t);
  }
}

TEST(CosignatureTest, ATimestampOf2To63IsPermissionDeniedEvenWhenSigned) {
  const SigningKey key = KeyFromByte(0x28);
  const uint64_t too_late = kMaxCosignatureTimestamp + 1;
  auto r = VerifyCosignature(kCheckpoint, Cosign(kCheckpoint, kWitness, key, too_late),
                             CosignerOf(kWitness, key));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(r.status().message(), HasSubstr("9223372036854775808"));
  EXPECT_THAT(r.status().message(), HasSubstr("2^63-1"));
}

TEST(CosignatureTest, ASignatureByAnotherKeyOrNameIsInvalidArgument) {
  const SigningKey key = KeyFromByte(0x29);
  const SigningKey other = KeyFromByte(0x2a);
  const NoteSignature sig = Cosign(kCheckpoint, kWitness, key, kTime);

  auto by_other_key = VerifyCosignature(kCheckpoint, sig, CosignerOf(kWitness, other));
  ASSERT_FALSE(by_other_key.ok());
  EXPECT_EQ(by_other_key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(by_other_key.status().message(), HasSubstr("is not a cosignature by"));

  auto by_other_name = VerifyCosignature(kCheckpoint, sig, CosignerOf("witness.example/w2", key));
  ASSERT_FALSE(by_other_name.ok());
  EXPECT_EQ(by_other_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(by_other_name.status().message(), HasSubstr("witness.example/w2"));
}

TEST(CosignatureTest, ANoteSignatureByTheSameKeyIsNotACosignature) {
  const SigningKey key = KeyFromByte(0x2b);
  const NoteSignature note_sig = SignNoteText(kCheckpoint, kWitness, key);
  EXPECT_FALSE(IsCosignatureBy(note_sig, CosignerOf(kWitness, key)));
  auto r = VerifyCosignature(kCheckpoint, note_sig, CosignerOf(kWitness, key));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(CosignatureTest, IsCosignatureByChecksNameAndKeyIdOnly) {
  const SigningKey key = KeyFromByte(0x2c);
  NoteSignature sig = Cosign(kCheckpoint, kWitness, key, kTime);
  sig.signature.assign(3, 0);  // garbage bytes: still "by" the cosigner
  EXPECT_TRUE(IsCosignatureBy(sig, CosignerOf(kWitness, key)));
  EXPECT_FALSE(IsCosignatureBy(sig, CosignerOf("witness.example/w2", key)));
  EXPECT_FALSE(IsCosignatureBy(sig, CosignerOf(kWitness, KeyFromByte(0x2d))));
}

TEST(CosignatureTest, ALengthOtherThan72BytesIsInvalidArgument) {
  const SigningKey key = KeyFromByte(0x2e);
  const NoteSignature good = Cosign(kCheckpoint, kWitness, key, kTime);
  for (size_t size : {size_t{0}, size_t{8}, size_t{64}, size_t{71}, size_t{73}}) {
    NoteSignature sig = good;
    sig.signature.resize(size);
    auto r = VerifyCosignature(kCheckpoint, sig, CosignerOf(kWitness, key));
    ASSERT_FALSE(r.ok()) << size;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << size;
    EXPECT_THAT(r.status().message(), HasSubstr("must hold 72 bytes, not " + std::to_string(size)));
  }
}

TEST(CosignatureTest, ALineParsedBackFromASerializedNoteVerifies) {
  const SigningKey log_key = KeyFromByte(0x2f);
  const SigningKey witness_key = KeyFromByte(0x30);
  Note note{std::string(kCheckpoint),
            {SignNoteText(kCheckpoint, "example.com/behind-the-sofa", log_key),
             Cosign(kCheckpoint, kWitness, witness_key, kTime)}};
  auto parsed = ParseNote(note.Serialize());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->text, kCheckpoint);
  ASSERT_EQ(parsed->signatures.size(), 2u);

  const Cosigner witness = CosignerOf(kWitness, witness_key);
  EXPECT_FALSE(IsCosignatureBy(parsed->signatures[0], witness));
  ASSERT_TRUE(IsCosignatureBy(parsed->signatures[1], witness));
  auto ts = VerifyCosignature(parsed->text, parsed->signatures[1], witness);
  ASSERT_TRUE(ts.ok()) << ts.status().message();
  EXPECT_EQ(*ts, kTime);

  // The log's own key still verifies the note; the cosignature is ignored.
  const NoteVerifierKey log =
      NoteVerifierKey::ForEd25519("example.com/behind-the-sofa", log_key.public_key());
  auto signers = VerifyNote(*parsed, std::span<const NoteVerifierKey>(&log, 1));
  ASSERT_TRUE(signers.ok()) << signers.status().message();
  EXPECT_EQ(signers->size(), 1u);
}

}  // namespace
}  // namespace jejak
