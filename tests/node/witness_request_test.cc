// The tlog-witness add-checkpoint request body and the 409 size body: the
// spec's example, round trips, the 63-line limit, and every malformed case
// with the line it names.
#include "node/witness_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/note.h"

namespace jejak {
namespace {
using ::testing::HasSubstr;
using ::testing::Not;

// The example request body of c2sp.org/tlog-witness.
constexpr std::string_view kSpecProof =
    "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
    "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
    "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
    "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n";
constexpr std::string_view kSpecCheckpoint =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "\xE2\x80\x94 example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "\xE2\x80\x94 example.com/behind-the-sofa "
    "opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/"
    "V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n";

Hash HashOf(int i) { return Sha256(AsBytes(std::to_string(i))); }

std::vector<Hash> ProofOf(size_t n) {
  std::vector<Hash> proof;
  for (size_t i = 0; i < n; ++i) proof.push_back(HashOf(static_cast<int>(i)));
  return proof;
}

std::string ProofLines(size_t n) {
  std::string out;
  for (const Hash& h : ProofOf(n)) out += Base64Encode(h) + "\n";
  return out;
}

void ExpectRefused(std::string_view body, std::string_view want, std::string_view why) {
  auto r = ParseAddCheckpointRequest(body);
  ASSERT_FALSE(r.ok()) << why;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << why;
  EXPECT_THAT(r.status().message(), HasSubstr(std::string(want))) << why;
}

TEST(WitnessRequestTest, ParsesTheSpecExample) {
  const std::string body =
      "old 20852014\n" + std::string(kSpecProof) + "\n" + std::string(kSpecCheckpoint);
  auto r = ParseAddCheckpointRequest(body);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->old_size, 20852014u);
  ASSERT_EQ(r->proof.size(), 4u);
  EXPECT_EQ(Base64Encode(r->proof[0]), "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=");
  EXPECT_EQ(Base64Encode(r->proof[3]), "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=");
  EXPECT_EQ(r->checkpoint, kSpecCheckpoint);
  EXPECT_EQ(FormatAddCheckpointRequest(*r), body);

  // The checkpoint is carried verbatim, signature lines and all.
  auto note = ParseNote(r->checkpoint);
  ASSERT_TRUE(note.ok()) << note.status().message();
  EXPECT_EQ(note->signatures.size(), 2u);
}

TEST(WitnessRequestTest, RoundTrips) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{17}, kMaxConsistencyProofLines}) {
    const AddCheckpointRequest request{n * 1000 + 7, ProofOf(n), std::string(kSpecCheckpoint)};
    auto r = ParseAddCheckpointRequest(FormatAddCheckpointRequest(request));
    ASSERT_TRUE(r.ok()) << n << ": " << r.status().message();
    EXPECT_EQ(r->old_size, request.old_size);
    EXPECT_EQ(r->proof, request.proof);
    EXPECT_EQ(r->checkpoint, request.checkpoint);
  }
}

TEST(WitnessRequestTest, FormatsTheExactBody) {
  const Hash h = HashOf(1);
  EXPECT_EQ(FormatAddCheckpointRequest({5, {h}, "o\n1\nAAAA\n\nsig\n"}),
            "old 5\n" + Base64Encode(h) + "\n\no\n1\nAAAA\n\nsig\n");
  EXPECT_EQ(FormatAddCheckpointRequest({0, {}, "cp\n"}), "old 0\n\ncp\n");
}

TEST(WitnessRequestTest, OldZeroWithNoProof) {
  auto r = ParseAddCheckpointRequest("old 0\n\n" + std::string(kSpecCheckpoint));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->old_size, 0u);
  EXPECT_TRUE(r->proof.empty());
  EXPECT_EQ(r->checkpoint, kSpecCheckpoint);
}

TEST(WitnessRequestTest, TheLargestSizeParses) {
  auto r = ParseAddCheckpointRequest("old 18446744073709551615\n\ncp\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->old_size, std::numeric_limits<uint64_t>::max());
}

TEST(WitnessRequestTest, Accepts63ProofLinesAndRefuses64) {
  auto ok = ParseAddCheckpointRequest("old 9\n" + ProofLines(63) + "\ncp\n");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->proof.size(), 63u);
  // Line 1 is the old size, lines 2-64 the 63 allowed hashes.
  ExpectRefused("old 9\n" + ProofLines(64) + "\ncp\n",
                "line 65: more than 63 consistency proof lines", "64 lines");
}

TEST(WitnessRequestTest, RefusesAMissingOrMalformedSizeLine) {
  const std::string rest = "\ncp\n";
  ExpectRefused("", "line 1: the body is empty; expected an \"old <size>\" line", "empty");
  ExpectRefused("old 5", "line 1: the \"old <size>\" line has no final newline", "no newline");
  ExpectRefused("\n" + rest, "line 1: expected \"old <size>\"", "empty first line");
  ExpectRefused("size 5\n" + rest, "line 1: expected \"old <size>\"", "wrong word");
  ExpectRefused("OLD 5\n" + rest, "line 1: expected \"old <size>\"", "upper case");
  ExpectRefused("old\n" + rest, "line 1: expected \"old <size>\"", "no space");
  ExpectRefused("old \n" + rest, "line 1: the old size is empty", "no size");
  ExpectRefused("old 05\n" + rest, "line 1: the old size has a leading zero", "leading zero");
  ExpectRefused("old 00\n" + rest, "line 1: the old size has a leading zero", "00");
  for (std::string_view bad : {"-1", "+1", "1a", " 1", "1 ", "0x10", "1.0", "1\r", "\xD9\xA1"}) {
    ExpectRefused("old " + std::string(bad) + "\n" + rest,
                  "line 1: the old size is not an ASCII decimal number", bad);
  }
  ExpectRefused("old 18446744073709551616\n" + rest, "line 1: the old size is larger than 2^64-1",
                "2^64");
  ExpectRefused("old 99999999999999999999999\n" + rest,
                "line 1: the old size is larger than 2^64-1", "far beyond 2^64");
}

TEST(WitnessRequestTest, RefusesBadProofLines) {
  const std::string good = ProofLines(1);
  const std::string h = Base64Encode(HashOf(2));
  const std::string bad_base64 = "neither a base64 proof hash nor the empty line";
  ExpectRefused("old 5\n" + good + "not base64!\n\ncp\n", "line 3: " + bad_base64, "junk");
  ExpectRefused("old 5\n" + h.substr(0, h.size() - 1) + "\n\ncp\n", "line 2: " + bad_base64,
                "no padding");
  // The character before "=" carries 4 bits of the hash and 2 zero bits; the
  // next character of the alphabet sets one of those, which lenient decoders
  // accept and this one must not.
  std::string noncanonical = h;
  ASSERT_EQ(noncanonical.back(), '=');
  noncanonical[noncanonical.size() - 2] += 1;
  ExpectRefused("old 5\n" + noncanonical + "\n\ncp\n", "line 2: " + bad_base64, "trailing bits");
  ExpectRefused("old 5\n" + good + good + " " + h + "\n\ncp\n", "line 4: " + bad_base64,
                "leading space");

  const Bytes short_hash(31, 0xab);
  const Bytes long_hash(33, 0xab);
  ExpectRefused("old 5\n" + Base64Encode(short_hash) + "\n\ncp\n",
                "line 2: the proof hash is 31 bytes, not 32", "31 bytes");
  ExpectRefused("old 5\n" + good + Base64Encode(long_hash) + "\n\ncp\n",
                "line 3: the proof hash is 33 bytes, not 32", "33 bytes");
}

TEST(WitnessRequestTest, RefusesABodyWithoutTheEmptyLine) {
  // The checkpoint's origin line is read where a hash or the empty line belongs.
  ExpectRefused("old 0\n" + std::string(kSpecCheckpoint),
                "line 2: neither a base64 proof hash nor the empty line before the checkpoint",
                "no empty line");
  ExpectRefused("old 5\n" + ProofLines(2),
                "line 4: the body ends before the empty line that precedes the checkpoint",
                "ends after the proof");
  ExpectRefused("old 5\n", "line 2: the body ends before the empty line", "ends after old");
  const std::string h = Base64Encode(HashOf(3));
  ExpectRefused("old 5\n" + h, "line 2: no final newline, and no empty line and checkpoint follow",
                "last hash without newline");
}

TEST(WitnessRequestTest, RefusesAnEmptyCheckpoint) {
  ExpectRefused("old 0\n\n", "line 3: no checkpoint follows the empty line", "old 0");
  ExpectRefused("old 5\n" + ProofLines(3) + "\n", "line 6: no checkpoint follows the empty line",
                "after 3 proof lines");
}

TEST(WitnessRequestTest, RefusesACheckpointWithoutItsFinalNewline) {
  std::string body = "old 0\n\n" + std::string(kSpecCheckpoint);
  body.pop_back();
  // Lines 3-5 are the checkpoint text, 6 the blank line, 7-8 the signatures.
  ExpectRefused(body, "line 8: the checkpoint's last line has no final newline", "spec example");
  ExpectRefused("old 0\n\nx", "line 3: the checkpoint's last line has no final newline",
                "one line");
}

TEST(WitnessRequestTest, RefusesABodyLargerThanTheLimit) {
  const std::string head = "old 0\n\n";
  std::string checkpoint(kMaxAddCheckpointBytes - head.size() - 1, 'x');
  checkpoint += '\n';
  const std::string at_limit = head + checkpoint;
  ASSERT_EQ(at_limit.size(), kMaxAddCheckpointBytes);
  auto r = ParseAddCheckpointRequest(at_limit);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->checkpoint, checkpoint);

  ExpectRefused(at_limit + "\n", "the body is 65537 bytes, more than the limit of 65536",
                "one byte over");
}

TEST(WitnessRequestTest, MessagesDoNotQuoteTheBody) {
  for (std::string_view body : {"old <script>\n\ncp\n", "old 1\n<script>\n\ncp\n"}) {
    auto r = ParseAddCheckpointRequest(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_THAT(r.status().message(), Not(HasSubstr("<script>"))) << body;
  }
}

TEST(TlogSizeTest, FormatsAndParsesBack) {
  EXPECT_EQ(FormatTlogSize(0), "0\n");
  EXPECT_EQ(FormatTlogSize(20852163), "20852163\n");
  for (uint64_t size :
       {uint64_t{0}, uint64_t{1}, uint64_t{20852163}, std::numeric_limits<uint64_t>::max()}) {
    auto r = ParseTlogSize(FormatTlogSize(size));
    ASSERT_TRUE(r.ok()) << size << ": " << r.status().message();
    EXPECT_EQ(*r, size);
  }
  EXPECT_EQ(kTlogSizeContentType, "text/x.tlog.size");
}

TEST(TlogSizeTest, RefusesMalformedBodies) {
  const struct {
    std::string_view body;
    std::string_view want;
  } cases[] = {
      {"", "the tlog size body is empty"},
      {"5", "the tlog size body has no final newline"},
      {"\n", "the tlog size is empty"},
      {"05\n", "has a leading zero"},
      {"x\n", "is not an ASCII decimal number"},
      {"5\r\n", "is not an ASCII decimal number"},
      {" 5\n", "is not an ASCII decimal number"},
      {"5\n\n", "the tlog size body has more than one line"},
      {"5\n6\n", "the tlog size body has more than one line"},
      {"18446744073709551616\n", "is larger than 2^64-1"},
  };
  for (const auto& c : cases) {
    auto r = ParseTlogSize(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.body;
    EXPECT_THAT(r.status().message(), HasSubstr(std::string(c.want))) << c.body;
  }
}

}  // namespace
}  // namespace jejak
