// The proofs `jejak prove` prints, as JSON, from a log reader: the same text
// whether the command reads a node folder or asks a running node
// (GET /jejak/v1/proof/...). RFC 6962 proofs, hashes in base64:
//   {"index":I,"size":N,"leaf_hash":"...","proof":["...",...]}
//   {"old_size":M,"new_size":N,"proof":["...",...]}
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/log/log.h"

namespace jejak {

// `checkpoint_size` is the log's latest checkpoint; `size` defaults to it.
// InvalidArgument for a size beyond it or an index not below the size.
Result<std::string> InclusionProofJson(LogReader& reader, uint64_t checkpoint_size, uint64_t index,
                                       std::optional<uint64_t> size);
// `new_size` defaults to `checkpoint_size`. InvalidArgument for a new size
// beyond it, or an old size that is 0 or beyond the new size.
Result<std::string> ConsistencyProofJson(LogReader& reader, uint64_t checkpoint_size,
                                         uint64_t old_size, std::optional<uint64_t> new_size);

}  // namespace jejak
