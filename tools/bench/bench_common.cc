#include "tools/bench/bench_common.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "crypto/encoding.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/text_records.h"

namespace jejak::bench {
namespace {

volatile uint64_t g_sink;  // keeps the hashing of the ceiling from being optimized away

}  // namespace

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string RecordText(uint64_t i) {
  std::string s = fmt::format(
      "txn_ref=TRX{:012d},kpm={:032x},kabupaten={:04d},stage=2026-T1,amount={},status=paid,"
      "paid_at=2026-03-{:02d}T10:{:02d}:00,channel=kks,batch={:08d},note=",
      i, i * 0x9e3779b97f4a7c15ULL, 1101 + i % 514, 225000 * (1 + i % 8), 1 + i % 14, i % 60,
      i / 10000);
  while (s.size() < 250) s.push_back(static_cast<char>('a' + (s.size() * 7 + i) % 26));
  return s;
}

double Sha256Ceiling() {
  std::string leaf = RecordText(1);
  const auto start = Clock::now();
  uint64_t n = 0, sink = 0;
  while (Seconds(start, Clock::now()) < 1.0) {
    for (int k = 0; k < 10000; ++k, ++n) {
      leaf[0] = static_cast<char>(n);
      sink += LeafHash(AsBytes(leaf))[0];
    }
  }
  g_sink = sink;
  return static_cast<double>(n) / Seconds(start, Clock::now());
}

Status AppendRecordStatements(LogWriter& writer, const std::string& origin,
                              const SigningKey& role_key, uint64_t records,
                              uint64_t per_statement) {
  for (uint64_t done = 0; done < records;) {
    const uint64_t n = std::min(per_statement, records - done);
    std::vector<Bytes> leaves;
    leaves.reserve(n);
    for (uint64_t k = 0; k < n; ++k) {
      auto leaf = EncodeTextRecordEntry(RecordText(done + k));
      if (!leaf.ok()) return leaf.status().WithContext("encode");
      leaves.push_back(std::move(leaf).value());
    }
    StatementHeader h{.origin = origin,
                      .type = "bench.receipt",
                      .stage = "2026-T1",
                      .region = "00",
                      .timestamp_ms = NowMillis()};
    PreparedStatement p = PrepareStatement(h, std::move(leaves));
    SignStatement(p.statement, role_key);
    auto r = AppendStatement(writer, p);
    if (!r.ok()) return r.status().WithContext("append");
    done += n;
  }
  return Status::Ok();
}

}  // namespace jejak::bench
