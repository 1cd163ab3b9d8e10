// What the CLI does against a peer or a running node over HTTP(S): pull its
// logs (`jejak pull DIR --from URL`) and read its status (`jejak status
// --node URL`).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ledger/pkh/governance.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/node_folder.h"
#include "ledger/pkh/pull.h"
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
Result<std::unique_ptr<HttpClient>> ConnectTo(
    std::string_view url, std::set<PublicKey> trusted, const SigningKey* own = nullptr,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(30'000));

// Pulls from a peer. A URL with a path is one log's prefix
// (https://host:port/jejak.pkh/kab/7404); a URL without one is a node, whose
// every listed log that `folder` can verify is pulled, the governance log
// first. Each result is a report or the error of that log.
struct RemotePull {
  std::string origin;
  Result<PullReport> report;
};
// `timeout` bounds connecting and each request.
Result<std::vector<RemotePull>> PullFromUrl(
    NodeFolder& folder, std::string_view url, const PullOptions& options,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(30'000));

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
// GET /jejak/v1/logs?origin=... for the logs `origins` names (at most
// kMaxLogListOrigins), conditional on `etag` (the ETag of the last answer,
// or ""): nullopt when the peer answers 304 (nothing changed). `etag` is
// set to the new answer's ETag.
inline constexpr size_t kMaxLogListOrigins = 64;
// "/jejak/v1/logs?origin=A&origin=B..." (the origins percent-encoded).
std::string LogListPath(const std::vector<std::string>& origins);
Result<std::optional<RemoteStatus>> FetchStatusIfChanged(HttpClient& client,
                                                         const std::vector<std::string>& origins,
                                                         std::string& etag);

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
  // The statement is durable, but a later step on the node failed (its
  // index or checkpoint catch up later): what failed. Empty normally.
  std::string warning;
};
Result<Submitted> SubmitStatement(HttpClient& client, std::string_view type, std::string_view stage,
                                  std::vector<Bytes> record_leaves, const SigningKey& signer);

// The PKH commands through a running node (node/pkh_api.cc). Uploads are
// signed requests (node/request_auth.h) by `signer`. Errors: the node's
// refusal as InvalidArgument (400: a bad row, named by file, line and
// column), PermissionDenied (403), FailedPrecondition (409); Unavailable when
// the node cannot be reached; Corruption for an answer that makes no sense.

// Imports a CSV file of any ImportFile kind (`file_name` names it in
// messages): the node reads it and returns the statement it would append,
// which is checked and signed here by `signer`, then sent back with the file;
// the node appends it only if the file still derives that statement.
struct RemoteImport {
  uint64_t rows = 0;
  uint64_t appended = 0;
  uint64_t already_present = 0;
  uint64_t size = 0;                   // the node's log size after the import
  std::optional<Submitted> statement;  // none when every row was already present
  std::vector<std::string> warnings;   // the node's, of rows that look like a NIK (ImportReport)
};
// `list` names a target list (ImportFile::kBnba only): the statement to sign
// must carry its id and year.
Result<RemoteImport> ImportThroughNode(HttpClient& client, ImportFile kind, const BnbaList* list,
                                       const std::string& csv, std::string_view file_name,
                                       const SigningKey& signer);

// Drafts a berita acara from a CSV file; `signer` must hold the operator or
// approver role of the kabupaten. The answer is the file's text.
struct RemoteDraft {
  std::string berita_acara;           // the file, as WriteBeritaAcara writes it
  std::vector<std::string> warnings;  // "line 4: ..."
  std::string draft_id;               // pending on the node under this id ("" if not said)
  int64_t expires = 0;                // until then (Unix seconds)
};
Result<RemoteDraft> DraftThroughNode(HttpClient& client, const std::string& csv,
                                     std::string_view file_name, std::string_view stage,
                                     std::string_view date, std::string_view number,
                                     const SigningKey& signer);

// A draft pending on a kabupaten node (specs/node-api.md "Pending drafts"):
// its file's text, read with a request signed by `signer` (an operator or
// approver of the kabupaten).
Result<std::string> ReadDraftThroughNode(HttpClient& client, std::string_view draft_id,
                                         const SigningKey& signer);
// Where a draft stands after a signature: approvers that count, and the
// threshold.
struct DraftStanding {
  uint64_t approvers = 0, threshold = 0;
};
// Sends an approver's signature over the draft's header.
Result<DraftStanding> SignDraftThroughNode(HttpClient& client, std::string_view draft_id,
                                           const PublicKey& key, const Signature& signature);
// Appends the pending draft (a request signed by `signer`).
Result<Submitted> SubmitDraftThroughNode(HttpClient& client, std::string_view draft_id,
                                         const SigningKey& signer);

// Submits a signed berita acara file's text.
// `signer` (an operator's or approver's key of the kabupaten) signs the
// request; required by the node for a berita acara over 1 MiB.
Result<Submitted> SubmitBaThroughNode(HttpClient& client, const std::string& berita_acara,
                                      const SigningKey* signer = nullptr);

// GET `path_and_query` (a /jejak/v1/proof/... request): the proof's JSON.
Result<std::string> ProofThroughNode(HttpClient& client, const std::string& path_and_query);

// A node's answer other than 200 as a Status: "<what>: the node refused it
// (HTTP N): <its text>", with the code of its HTTP status (503 and others:
// Unavailable).
Status RefusalStatus(const HttpResult& r, std::string_view what);

// The latest checkpoint of the node's own log, as it serves it (with the
// cosignatures it keeps).
Result<std::string> OwnCheckpoint(HttpClient& client);

// "a%2Fb" for "a/b": every byte but unreserved characters escaped.
std::string PercentEncode(std::string_view s);

}  // namespace jejak
