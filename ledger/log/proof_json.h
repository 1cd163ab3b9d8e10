// The proofs `jejak prove` prints, as JSON, from a log reader: the same text
// whether the command reads a node folder or asks a running node
// (GET /jejak/v1/proof/...). RFC 6962 proofs, hashes in base64:
//   {"index":I,"size":N,"leaf_hash":"...","proof":["...",...]}
//   {"old_size":M,"new_size":N,"proof":["...",...]}
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "ledger/log/log.h"
#include "ledger/log/tlog_proof.h"

namespace jejak {

// `checkpoint_size` is the log's latest checkpoint; `size` defaults to it.
// InvalidArgument for a size beyond it or an index not below the size.
Result<std::string> InclusionProofJson(LogReader& reader, uint64_t checkpoint_size, uint64_t index,
                                       std::optional<uint64_t> size);
// `new_size` defaults to `checkpoint_size`. InvalidArgument for a new size
// beyond it, or an old size that is 0 or beyond the new size.
Result<std::string> ConsistencyProofJson(LogReader& reader, uint64_t checkpoint_size,
                                         uint64_t old_size, std::optional<uint64_t> new_size);

// The tlog-proof (tlog_proof.h) of leaf `index` against `checkpoint_note`
// (a signed checkpoint of `reader`'s log, as stored) with the signature
// lines `cosignatures` added where the note lacks them, and the leaf's bytes
// as its extra data. InvalidArgument for an index not below the
// checkpoint's size; Corruption for a stored note that does not parse.
Result<TlogProof> BuildTlogProof(LogReader& reader, std::string_view checkpoint_note,
                                 std::span<const std::string> cosignatures, uint64_t index);

}  // namespace jejak
