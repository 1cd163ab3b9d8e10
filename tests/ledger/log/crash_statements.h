// The content of the crash test's log, shared by the child that appends
// (crash_appender.cc) and the test that checks what survived (crash_test.cc):
// statement k is a deterministic function of k.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "crypto/ed25519.h"
#include "ledger/log/entry.h"
#include "ledger/log/statement_log.h"

namespace jejak::crash_test {

inline constexpr char kOrigin[] = "jejak.test/crash";

inline SigningKey LogKey() {
  Seed s;
  s.fill(0x11);
  return SigningKey::FromSeed(s);
}

inline SigningKey RoleKey() {
  Seed s;
  s.fill(0x22);
  return SigningKey::FromSeed(s);
}

inline uint64_t RecordCount(uint64_t k) { return k % 7 + 1; }

inline std::string RecordText(uint64_t k, uint64_t j) {
  std::string t = fmt::format("statement {} record {} of {}", k, j, RecordCount(k));
  if (k % 5 == 0) t += " " + std::string(100 + j, static_cast<char>('a' + k % 26));
  return t;
}

inline PreparedStatement MakeStatement(uint64_t k, const SigningKey& role) {
  StatementHeader h;
  h.origin = kOrigin;
  h.type = "crash.test";
  h.stage = fmt::format("k{}", k);
  h.region = "7404";
  h.timestamp_ms = 1'750'000'000'000 + static_cast<int64_t>(k);
  std::vector<Bytes> records;
  for (uint64_t j = 0; j < RecordCount(k); ++j) {
    records.push_back(EncodeTextRecordEntry(RecordText(k, j)).value());
  }
  PreparedStatement p = PrepareStatement(std::move(h), std::move(records));
  SignStatement(p.statement, role);
  return p;
}

}  // namespace jejak::crash_test
