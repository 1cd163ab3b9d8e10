// What a node keeps of its own past for the console's charts: every
// kHistoryInterval, each log's size and replication lag, in the store's meta
// column under "history/<Unix seconds, 12 digits>" (specs/store-layout.md);
// samples older than kHistoryKeep are deleted as new ones are written, so a
// national auditor of 516 logs keeps about 7 MB. Thread-compatible: one
// writer (the node's sampler).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/log/store.h"

namespace jejak {

inline constexpr int64_t kHistoryInterval = 15 * 60;    // seconds between samples
inline constexpr int64_t kHistoryKeep = 7 * 24 * 3600;  // seconds a sample is kept

struct HistoryPoint {
  uint32_t log = 0;  // LogInfo::id
  uint64_t size = 0, lag = 0;
};
struct HistorySample {
  int64_t time = 0;  // Unix seconds
  std::vector<HistoryPoint> logs;
};

// Writes a sample at `sample.time` and deletes those older than
// time - kHistoryKeep, in one batch (not synced: a sample lost in a crash is
// a point missing from a chart).
Status RecordHistory(Store& store, const HistorySample& sample);
// The samples at or after `since`, oldest first. Corruption naming the key
// for a malformed one.
Result<std::vector<HistorySample>> ReadHistory(Store& store, int64_t since);
// The time of the latest sample; 0 when there is none.
Result<int64_t> LatestHistoryTime(Store& store);

}  // namespace jejak
