// What the benchmarks share: the synthetic record they append, the clock,
// and the machine's SHA-256 ceiling measured in the same run.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/log/log.h"

namespace jejak::bench {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b);

// A deterministic record of about 250 bytes, shaped like a receipt row.
std::string RecordText(uint64_t i);

// RFC 6962 leaf hashes of RecordText-sized leaves per second, on one thread,
// over one second.
double Sha256Ceiling();

// Appends `records` RecordText records to `writer`'s log (origin `origin`) in
// statements of `per_statement`, each signed by `role_key`, durable and
// checkpointed. The writer's errors, naming the step.
Status AppendRecordStatements(LogWriter& writer, const std::string& origin,
                              const SigningKey& role_key, uint64_t records, uint64_t per_statement);

}  // namespace jejak::bench
