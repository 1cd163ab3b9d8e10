// The findings about logs and statements rather than families, and the
// proofs of cited leaves. Internal to ledger/audit.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ledger/audit/internal/context.h"
#include "ledger/log/store.h"

namespace jejak::audit_internal {

// UNAUTHORIZED_STATEMENT: statements judged unauthorized when indexed, and
// statements with records that do not fit them, of the audited stage (or of
// none: governance statements) in logs within the scope.
Status StatementFindings(Store& store, const AuditContext& ctx, std::vector<Finding>& out);

// EQUIVOCATION: the evidence this node stored, checked again; evidence that
// no longer checks is a note, not a finding.
Status EquivocationFindings(Store& store, const AuditContext& ctx, std::vector<Finding>& out,
                            AuditReport& report);

// LOG_INTEGRITY: recomputes held logs, taking the next of `logs` (largest
// first) until none is left; several of these run at once. Adds progress
// (leaves verified) to *done.
std::vector<Finding> VerifyHeldLogs(Store& store, const std::vector<const HeldLog*>& logs,
                                    std::atomic<size_t>* next, const std::string& stage,
                                    std::atomic<uint64_t>* done);

// Attaches to every cited leaf its hash and inclusion proof at its log's
// latest checkpoint (a note counts leaves beyond it, which carry none), and
// the same as a tlog-proof whose checkpoint carries `cosignatures` (may be
// unset; see AuditOptions).
Status AttachProofs(
    Store& store, const std::vector<HeldLog>& logs,
    const std::function<Result<std::vector<std::string>>(uint32_t, uint64_t)>& cosignatures,
    std::vector<Finding>& findings, AuditReport& report);

}  // namespace jejak::audit_internal
