// What the CLI does against a peer or a running node over HTTP(S): pull its
// logs (`jejak pull DIR --from URL`) and read its status (`jejak status
// --node URL`).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ledger/governance.h"
#include "ledger/node_folder.h"
#include "ledger/replication.h"
#include "node/http.h"
#include "node/log_status.h"

namespace jejak {

// The node keys a node trusts for TLS: its own, the anchor's and every node
// key of `gov` (null before the governance log is held).
std::set<PublicKey> TrustedNodeKeys(const NodeConfig& config, const Governance* gov);
// The same for a folder, with the governance state it holds.
Result<std::set<PublicKey>> TrustedNodeKeys(NodeFolder& folder);

// A client for `url`: https pinned to `trusted` (and presenting `own` if
// given), http only to a loopback host. InvalidArgument otherwise.
Result<std::unique_ptr<HttpClient>> ConnectTo(std::string_view url, std::set<PublicKey> trusted,
                                              const SigningKey* own = nullptr);

// Pulls from a peer. A URL with a path is one log's prefix
// (https://host:port/jejak.pkh/kab/7404); a URL without one is a node, whose
// every listed log that `folder` can verify is pulled, the governance log
// first. Each result is a report or the error of that log.
struct RemotePull {
  std::string origin;
  Result<PullReport> report;
};
Result<std::vector<RemotePull>> PullFromUrl(NodeFolder& folder, std::string_view url,
                                            const PullOptions& options);

// A node's /jejak/v1/logs, parsed.
struct RemoteStatus {
  std::string node;  // its own origin
  std::vector<LogStatus> logs;
};
Result<RemoteStatus> ParseLogList(std::string_view json, std::string_view where);
// GET /jejak/v1/logs: Unavailable for an HTTP error, Corruption for a list
// that is malformed or larger than kMaxLogListBytes.
inline constexpr size_t kMaxLogListBytes = 4 << 20;
Result<RemoteStatus> FetchStatus(HttpClient& client);

// The logs of a peer's list that `me` would pull, in order: the governance
// log first (the others are judged by it); never its own log, nor an origin
// that cannot be served as a URL path.
std::vector<LogStatus> PullOrder(std::vector<LogStatus> logs, const NodeConfig& me);

// Appends a statement of `type` (and `stage`) with `record_leaves` to the own
// log of the node at `client`, signed by `signer`: the node fills the header
// (GET /jejak/v1/statement-header), the statement is signed here, and the node
// answers once it is durable and checkpointed. PermissionDenied when the
// node judges the signer without authority; InvalidArgument for what it
// refuses as malformed; Unavailable when it cannot be reached.
struct Submitted {
  uint64_t index = 0;    // the statement's leaf index
  uint64_t records = 0;  // records appended after it
  uint64_t size = 0;     // the checkpoint's size
  std::string checkpoint;
};
Result<Submitted> SubmitStatement(HttpClient& client, std::string_view type, std::string_view stage,
                                  std::vector<Bytes> record_leaves, const SigningKey& signer);

}  // namespace jejak
