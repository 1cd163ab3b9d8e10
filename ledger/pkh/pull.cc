#include "ledger/pkh/pull.h"

#include <fmt/format.h>

#include "ledger/log/replication.h"
#include "ledger/pkh/node.h"

namespace jejak {
namespace {

// No statement may be judged at a governance size this node does not hold:
// the pull stops (Unavailable) until the governance log is pulled further.
StatementCheck HeldGovernanceSizeCheck(uint64_t held) {
  return [held](uint64_t, const Statement& st) -> Status {
    if (st.header.governance_size > held) {
      return Unavailable(fmt::format(
          "the statement is judged at governance size {}, but this node holds the governance "
          "log only to size {}: pull the governance log first",
          st.header.governance_size, held));
    }
    return Status::Ok();
  };
}

// What the node trusts of a log: a pinned key, the trust anchor for the
// governance log, else the key the registry gives the origin (and `gov`, the
// governance state the log's statements are judged and indexed by).
Result<ReplicaTrust> TrustFor(NodeFolder& folder, const std::string& origin,
                              const PullOptions& options, std::optional<Governance>& gov) {
  if (options.key) {
    if (options.key->name != origin) {
      return PermissionDenied(
          fmt::format("the source holds log '{}', not '{}' of --key", origin, options.key->name));
    }
    return ReplicaTrust{*options.key, nullptr};
  }
  NoteVerifierKey anchor;
  ASSIGN_OR_RETURN(anchor, folder.RequireGovernance());
  if (origin == anchor.name) return ReplicaTrust{anchor, nullptr};
  ASSIGN_OR_RETURN(gov, LoadNodeGovernance(folder));
  const NodeRegistration* node = gov->NodeByOrigin(origin, gov->size());
  if (node == nullptr) {
    return PermissionDenied(fmt::format(
        "log '{}' is not registered in the governance log this node holds (size {}); pull the "
        "governance log first",
        origin, gov->size()));
  }
  auto key = ParseVerifierKey(node->verifier_key);
  if (!key.ok()) return Corruption("registered key of " + origin + ": " + key.status().message());
  return ReplicaTrust{*key, HeldGovernanceSizeCheck(gov->size())};
}

}  // namespace

Result<PulledLog> ReplicateForPull(NodeFolder& folder, LogSource& source,
                                   const PullOptions& options) {
  PulledLog pulled;
  ReplicateOptions ro;
  ro.own_origin = folder.config().origin;
  ro.progress = options.progress;
  ro.trust = [&](const std::string& origin) {
    return TrustFor(folder, origin, options, pulled.gov);
  };
  ReplicaReport replica;
  ASSIGN_OR_RETURN(replica, ReplicateLog(folder.store(), source, ro));

  PullReport& report = pulled.report;
  report.origin = replica.origin;
  report.old_size = replica.old_size;
  report.new_size = replica.new_size;
  report.source_size = replica.source_size;
  report.new_log = replica.new_log;
  report.source_behind = replica.source_behind;
  pulled.log = std::move(replica.log);
  pulled.governance =
      folder.config().governance && folder.config().governance->name == report.origin;
  return pulled;
}

Result<PullReport> IndexPull(NodeFolder& folder, PulledLog pulled) {
  PullReport report = std::move(pulled.report);
  if (report.source_behind) return report;
  // Index what arrived; the governance log reloads the state others are judged by.
  if (pulled.governance) {
    ASSIGN_OR_RETURN(report.index,
                     CatchUpIndex(folder.store(), pulled.log, nullptr, &pulled.log.key.key));
  } else if (pulled.gov) {
    ASSIGN_OR_RETURN(report.index, CatchUpIndex(folder.store(), pulled.log, &*pulled.gov, nullptr));
  }
  return report;
}

Result<PullReport> PullLog(NodeFolder& folder, LogSource& source, const PullOptions& options) {
  PulledLog pulled;
  ASSIGN_OR_RETURN(pulled, ReplicateForPull(folder, source, options));
  return IndexPull(folder, std::move(pulled));
}

Status BeginPulls(NodeFolder& folder) { return folder.store().BeginBulkLoads(Column::kIndex); }

Status EndPulls(NodeFolder& folder) { return folder.store().EndBulkLoads(Column::kIndex); }

}  // namespace jejak
