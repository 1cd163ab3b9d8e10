// What `jejak status` and GET /jejak/v1/logs say of each log a node holds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/log/store.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/node_folder.h"

namespace jejak {

struct LogStatus {
  std::string origin;
  bool own = false;
  std::string url;  // the prefix its tiles are served under ("" offline)
  uint64_t size = 0;
  std::string root;           // base64 of the latest checkpoint's root; "" before one
  uint64_t cosignatures = 0;  // on the latest checkpoint
  // The latest timestamp of those cosignatures (Unix seconds); none without,
  // or when not asked for (ListLogStatus's `witnessed_times`).
  std::optional<uint64_t> witnessed_at;
  // Entries behind the largest checkpoint a peer offered, and since when;
  // unknown (nullopt) when read from a folder rather than a running node.
  std::optional<uint64_t> lag;
  double lag_seconds = 0;
  bool frozen = false;  // equivocation evidence held
  // The cosignatures the node's witness policy asks of this log's
  // checkpoints (node/serve_config.h); unknown when not said.
  std::optional<uint64_t> witnesses_wanted;
};

// Every log in `store` (or only those `only` names, when given), in
// registration order; url = url_base + "/" + origin when url_base is not
// empty. Lag is left unknown. With `witnessed_times`, each log's
// witnessed_at too (the console's; the gossip's every-poll lists skip it).
Result<std::vector<LogStatus>> ListLogStatus(Store& store, std::string_view url_base,
                                             const std::vector<std::string>* only = nullptr,
                                             bool witnessed_times = false);

// Cosignatures kept beside a log's checkpoints (column `cosignatures`, key =
// log id ‖ size ‖ cosigner name; value = the signature line). Synced writes.
Status StoreCosignature(Store& store, uint32_t log, uint64_t size, const NoteSignature& sig);
Result<std::vector<std::string>> CosignatureLines(Store& store, uint32_t log, uint64_t size);

// Sets each log's witnesses_wanted from `policy` by its author's kind: the
// node's own for its log, the registry's for the others (the default for an
// origin `gov` does not know, or when it is null).
void ApplyWitnessPolicy(std::vector<LogStatus>& logs, const std::map<std::string, uint32_t>& policy,
                        const NodeConfig& me, const Governance* gov);

// {"logs":[{"origin","url","size","root","cosignatures","lag",...}]}, plus "node".
std::string LogStatusJson(std::string_view node_origin, const std::vector<LogStatus>& logs);

}  // namespace jejak
