// The join of the audit: merges approvals, receipts and updates of the KPMs
// whose pseudonyms lie in [from, to), one KPM group at a time, and applies
// the family-level rules (DOMAIN.md: every rule but UNAUTHORIZED_STATEMENT,
// LOG_INTEGRITY and EQUIVOCATION) to each group. Streams: holds one group.
// Internal to ledger/audit.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include "crypto/pseudonym.h"
#include "ledger/audit/internal/context.h"
#include "ledger/log/store.h"

namespace jejak::audit_internal {

// Runs one worker over its range; stores the first two bytes of the
// pseudonym reached in *position now and then (progress). Reads the store
// through its own iterators: several workers run at once.
JoinPart RunJoinWorker(Store& store, const AuditContext& ctx, const Pseudonym& from,
                       const std::optional<Pseudonym>& to, std::atomic<uint64_t>* position);

}  // namespace jejak::audit_internal
