// What the fuzz targets share. Each target is one <name>_fuzz.cc defining
// LLVMFuzzerTestOneInput: built with libFuzzer by tools/fuzz (CMake option
// JEJAK_FUZZ, clang), and in every other build linked with replay_main.cc so
// that ctest replays its corpus, tests/fuzz/corpus/<name>/ (seeds, and every
// input that once crashed, kept as a regression test).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"
#include "crypto/status.h"

// A property the code promises does not hold: the run stops, libFuzzer keeps
// the input as a crash and the replay test fails.
#define FUZZ_CHECK(cond, what)                                                           \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "fuzz check failed: %s: %s (%s:%d)\n", what, #cond, __FILE__, \
                   __LINE__);                                                            \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

// An error's message is printable: valid UTF-8 with no control character, so
// that no raw input byte a parser refused reaches a log, a terminal or an
// HTTP answer through it. Shows the message (escaped) when it is not.
#define FUZZ_CHECK_MESSAGE(status)                                          \
  do {                                                                      \
    const ::jejak::Status& fuzz_status_ = (status);                         \
    if (!::jejak::fuzz::PrintableMessage(fuzz_status_.message())) {         \
      std::fprintf(stderr, "message: %s\n",                                 \
                   ::jejak::fuzz::Escaped(fuzz_status_.message()).c_str()); \
      FUZZ_CHECK(false, "an error message holds a raw non-printable byte"); \
    }                                                                       \
  } while (0)

namespace jejak::fuzz {

// The fixed keys of the targets, which their seeds are signed with
// (seed_writer.cc): KeyOf(b) has the seed of 32 bytes b.
inline constexpr char kLogOrigin[] = "example.test/fuzz-log";       // never forks
inline constexpr char kForkedOrigin[] = "example.test/forked-log";  // signs two trees
inline constexpr char kWitnessName[] = "witness.example.test";      // a cosigner
inline constexpr uint8_t kLogKeyByte = 0x51;
inline constexpr uint8_t kWitnessKeyByte = 0x52;
inline constexpr uint8_t kStatementKeyByte = 0x53;
inline constexpr uint8_t kForkedKeyByte = 0x54;
inline constexpr uint8_t kRequestKeyByte = 0x41;

inline SigningKey KeyOf(uint8_t b) {
  Seed s;
  s.fill(b);
  return SigningKey::FromSeed(s);
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Takes the input's first byte, which chooses what a target does with the
// rest (0 for an empty input).
inline uint8_t TakeByte(std::string_view& in) {
  if (in.empty()) return 0;
  const auto b = static_cast<uint8_t>(in[0]);
  in.remove_prefix(1);
  return b;
}

// Takes the input up to the first `sep` (all of it when there is none) and
// drops the separator: how targets that take several strings split theirs.
inline std::string_view TakeUntil(std::string_view& in, char sep) {
  const size_t at = in.find(sep);
  std::string_view part = in.substr(0, at);
  in.remove_prefix(at == std::string_view::npos ? in.size() : at + 1);
  return part;
}

inline bool PrintableMessage(std::string_view message) {
  return ValidUtf8(message, {.allow_newline = false, .allow_tab = false, .allow_spaces = true});
}

// `s` with every byte outside printable ASCII as \xHH, for reports.
inline std::string Escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    const auto b = static_cast<uint8_t>(c);
    if (b >= 0x20 && b < 0x7f && c != '\\') {
      out.push_back(c);
    } else {
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

// True when `message` repeats a run of 10 or more digits of `value` (as an
// identifier like a NIK, 16 digits, would be): files of personal data are
// promised never to be quoted in messages. Runs that are part of a bound
// the messages print themselves (the largest amount, 2^64-1, 2^63-1) do not
// count.
inline bool EchoesDigits(std::string_view message, std::string_view value) {
  static constexpr std::string_view kBounds[] = {"999999999999", "18446744073709551615",
                                                 "9223372036854775807"};
  auto in_a_bound = [](std::string_view run) {
    for (std::string_view b : kBounds) {
      if (b.find(run) != std::string_view::npos) return true;
    }
    return false;
  };
  size_t i = 0;
  while (i < value.size()) {
    if (value[i] < '0' || value[i] > '9') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < value.size() && value[j] >= '0' && value[j] <= '9') ++j;
    const std::string_view run = value.substr(i, j - i);
    if (run.size() >= 10 && !in_a_bound(run) && message.find(run) != std::string_view::npos) {
      return true;
    }
    i = j;
  }
  return false;
}

// EchoesDigits for a CSV file's messages, but for the one thing they name by
// design: an unknown column of a row that is recognisably the header (it
// names a column asked for), shown when it is printable ASCII without spaces
// (ledger/csv.cc, ShowableName), so that a misspelt header can be fixed.
inline bool QuotesCsvValue(std::string_view message, std::string_view file) {
  if (message.find("unknown column '") != std::string_view::npos) return false;
  return EchoesDigits(message, file);
}

}  // namespace jejak::fuzz
