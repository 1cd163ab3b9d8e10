// What the benchmarks share: the synthetic record they append, the clock,
// and the machine's SHA-256 ceiling measured in the same run.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace jejak::bench {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b);

// A deterministic record of about 250 bytes, shaped like a receipt row.
std::string RecordText(uint64_t i);

// RFC 6962 leaf hashes of RecordText-sized leaves per second, on one thread,
// over one second.
double Sha256Ceiling();

}  // namespace jejak::bench
