// A witness's state per log (C2SP tlog-witness): the latest checkpoint it
// cosigned, which it checked was signed by the log's key and consistent with
// the one before. Kept in `meta` at "witness/<origin>": size (8, big-endian)
// ‖ root (32) ‖ the checkpoint note. A node's witness hears every author's
// newest checkpoint (authors offer each to every peer), so this is also the
// latest checkpoint a node knows of a log, which the audit compares with the
// replica it holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/log/store.h"

namespace jejak {

struct WitnessState {
  uint64_t size = 0;
  Hash root{};
  std::string note;
};

// std::nullopt if the witness never cosigned `origin`; Corruption for a state
// cut short.
Result<std::optional<WitnessState>> LoadWitnessState(Store& store, std::string_view origin);
// A synced write.
Status SaveWitnessState(Store& store, std::string_view origin, const WitnessState& state);
// Every log the witness cosigned, by origin.
Result<std::vector<std::pair<std::string, WitnessState>>> ListWitnessStates(Store& store);

}  // namespace jejak
