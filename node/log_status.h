// What `jejak status` and GET /jejak/v1/logs say of each log a node holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/log/store.h"

namespace jejak {

struct LogStatus {
  std::string origin;
  bool own = false;
  std::string url;  // the prefix its tiles are served under ("" offline)
  uint64_t size = 0;
  std::string root;           // base64 of the latest checkpoint's root; "" before one
  uint64_t cosignatures = 0;  // on the latest checkpoint
  // Entries behind the largest checkpoint a peer offered, and since when;
  // unknown (nullopt) when read from a folder rather than a running node.
  std::optional<uint64_t> lag;
  double lag_seconds = 0;
  bool frozen = false;  // equivocation evidence held
};

// Every log in `store`, in registration order; url = url_base + "/" + origin
// when url_base is not empty. Lag is left unknown.
Result<std::vector<LogStatus>> ListLogStatus(Store& store, std::string_view url_base);

// Cosignatures kept beside a log's checkpoints (column `cosignatures`, key =
// log id ‖ size ‖ cosigner name; value = the signature line). Synced writes.
Status StoreCosignature(Store& store, uint32_t log, uint64_t size, const NoteSignature& sig);
Result<std::vector<std::string>> CosignatureLines(Store& store, uint32_t log, uint64_t size);

// {"logs":[{"origin","url","size","root","cosignatures","lag",...}]}, plus "node".
std::string LogStatusJson(std::string_view node_origin, const std::vector<LogStatus>& logs);

}  // namespace jejak
