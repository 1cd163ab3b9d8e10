// The indexer of PKH records: brings a log's derived indexes (dedup keys,
// statement verdicts and record violations, join rows) up to its committed
// size (layout: specs/store-layout.md).
//
// Indexes are built from a log's leaves up to a watermark, chunk by chunk,
// each chunk committed with its watermark: a crash loses nothing, and the next
// catch-up resumes where it stopped. They can be rebuilt from the leaves.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/log/log.h"
#include "ledger/pkh/governance.h"

namespace jejak {

struct IndexReport {
  uint64_t leaves = 0;                        // leaves indexed by this catch-up
  uint64_t statements = 0;                    // statements judged
  uint64_t violations = 0;                    // statements or records found unauthorized
  std::vector<std::string> first_violations;  // "leaf 17: ..." (at most 10)
};

// Brings the index of `log` up to its committed size. For the governance log
// pass `gov` = nullptr and its trust anchor as `root`: it is judged by the
// state its own earlier statements make. For every other log, `gov` judges.
// Returns store errors; unauthorized statements are indexed as violations,
// not errors.
Result<IndexReport> CatchUpIndex(Store& store, const LogInfo& log, const Governance* gov,
                                 const PublicKey* root,
                                 const std::function<void(uint64_t, uint64_t)>& progress = {});

}  // namespace jejak
