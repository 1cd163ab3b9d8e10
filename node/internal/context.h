// What the parts of a running node share: the folder, the key, the locks,
// the metrics, the registry it trusts. Internal to node/.
#pragma once

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crypto/cosignature.h"
#include "crypto/pseudonym.h"
#include "ledger/audit/trail.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/log.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/node_folder.h"
#include "node/ba_drafts.h"
#include "node/http.h"
#include "node/log_status.h"
#include "node/metrics.h"
#include "node/service.h"

namespace jejak {

// What a node knows of another log's latest checkpoint from its peers.
struct KnownHead {
  uint64_t size = 0;                            // the largest size a peer offered
  std::chrono::steady_clock::time_point since;  // when the replica first fell behind it
};

// Full entry bundles, gzip-compressed once when first served to a client that
// accepts gzip (a full bundle never changes), least recently used dropped
// beyond a bound. Thread-safe.
class CompressedBundles {
 public:
  explicit CompressedBundles(size_t max_bytes) : max_bytes_(max_bytes) {}
  // The compressed bundle `index` of log `log`, compressing `bundle()` on a miss.
  std::shared_ptr<const std::string> Get(uint32_t log, uint64_t index,
                                         const std::function<std::string()>& bundle);

 private:
  std::mutex mu_;
  size_t max_bytes_, bytes_ = 0;
  uint64_t tick_ = 0;
  struct Entry {
    std::shared_ptr<const std::string> body;
    uint64_t used = 0;
  };
  std::map<std::pair<uint32_t, uint64_t>, Entry> entries_;
};

struct ConsoleState;  // node/console.cc

struct NodeContext {
  ServeOptions options;
  std::unique_ptr<NodeFolder> folder;
  std::optional<SigningKey> key;
  // The witness key, derived from the node key (crypto/cosignature.h). The
  // node cosigns with it once the registry lists it beside the node key, and
  // with the node key before (so a registration from before witness keys
  // keeps its cosignatures verifiable).
  std::optional<SigningKey> witness_key;
  std::string url;  // where this node is reached
  // The own log's only writer: through the PKH context on a node under
  // governance (statements are judged), directly on a standalone node.
  std::unique_ptr<PkhNode> pkh;
  std::unique_ptr<LogWriter> own_writer;
  // Pseudonymizes uploaded files (imports, berita acara drafts); none on a
  // node initialized without one.
  std::optional<ProgramKey> program_key;

  // The own log's writes (appends, checkpoints, stored cosignatures) hold
  // this; reads take no lock (RocksDB snapshots). Pulls do not: a slow peer
  // must not hold up the submit API.
  std::mutex write_mu;
  // A replica's writes (a pull, stored evidence, kept cosignatures) hold its
  // log's lock, so pulls of different logs run at once on the follower's
  // workers; a first pull, which registers a new log, also holds register_mu.
  std::shared_ptr<std::mutex> LogLock(const std::string& origin) {
    std::lock_guard lock(log_locks_mu);
    auto& m = log_locks[origin];
    if (!m) m = std::make_shared<std::mutex>();
    return m;
  }
  std::mutex register_mu;
  std::mutex log_locks_mu;
  std::map<std::string, std::shared_ptr<std::mutex>, std::less<>> log_locks;
  // The witness's check-then-update of its latest cosigned checkpoint.
  std::mutex witness_mu;

  NodeMetrics metrics;
  // The node's server, once started: /metrics reads its connection counts.
  std::atomic<const HttpServer*> server{nullptr};
  CompressedBundles compressed_bundles{size_t{64} << 20};
  std::shared_ptr<boost::asio::ssl::context> client_tls;  // null for plain HTTP

  // The registry as of the governance log held; refreshed after it grows.
  mutable std::mutex registry_mu;
  std::shared_ptr<const Governance> gov;  // null before the governance log is held
  std::set<PublicKey> trusted_keys;       // node keys: TLS pinning
  std::vector<std::string> peer_urls;     // configured_peers and the registry's URLs, not our own
  // --peer or config.json; replaced on a reload (NodeService::SetPeers).
  std::vector<std::string> configured_peers;

  std::mutex heads_mu;
  std::map<std::string, KnownHead, std::less<>> heads;  // by origin

  // Berita acara drafts waiting for their approvers; null on a node that
  // drafts none (not under governance).
  std::unique_ptr<PendingDrafts> drafts;
  // The web console's sessions and throttle; null without --console.
  std::shared_ptr<ConsoleState> console;
  int64_t started = 0;  // Unix seconds

  std::mutex wake_mu;
  std::condition_variable wake_cv;
  bool wake = false;                                // every healthy peer is due (a reload)
  bool wake_own = false;                            // the own log grew: its witnesses are due
  std::set<std::string, std::less<>> wake_origins;  // notified: their authors are due
  bool stopping = false;

  // Wakes the follower: every peer due (a reload of the peers).
  void Wake() {
    {
      std::lock_guard lock(wake_mu);
      wake = true;
    }
    wake_cv.notify_all();
  }
  // The own log grew: offer its checkpoint to the witnesses now.
  void WakeOwn() {
    {
      std::lock_guard lock(wake_mu);
      wake_own = true;
    }
    wake_cv.notify_all();
  }
  // `origin`'s author notified this node (its witness cosigned a new
  // checkpoint): visit the author now. Bounded: only registered origins
  // reach the witness's cosigning.
  void WakeFor(std::string origin) {
    {
      std::lock_guard lock(wake_mu);
      if (wake_origins.size() < 4096) wake_origins.insert(std::move(origin));
    }
    wake_cv.notify_all();
  }
  // Reloads the governance state and with it the trusted keys and peer URLs.
  Status RefreshRegistry();
  std::vector<std::string> ConfiguredPeers() const;
  std::shared_ptr<const Governance> Registry() const {
    std::lock_guard lock(registry_mu);
    return gov;
  }
  bool Trusts(const PublicKey& key) const {
    std::lock_guard lock(registry_mu);
    return trusted_keys.count(key) > 0;
  }
  // The verifier key of `origin`'s log: the anchor, or the registry's.
  // NotFound for an origin the registry does not know.
  Result<NoteVerifierKey> LogKey(std::string_view origin) const;
  // The registered node whose cosigner name and key ID match `sig`, if any:
  // by its registered witness key, or by its node key (cosignatures made
  // before it had a witness key, or by a node registered without one).
  std::optional<Cosigner> CosignerOf(const NoteSignature& sig) const;
  // The node key the registry gives the node listed at `url`, if any.
  std::optional<PublicKey> RegisteredKeyAt(const std::string& url) const;
  // The TLS client context for a peer: pinned to `key`, or without one (a
  // --peer URL the registry does not list) to any registered node key. Null
  // for plain HTTP.
  Result<std::shared_ptr<boost::asio::ssl::context>> ClientTlsPinnedTo(
      const std::optional<PublicKey>& key) const;
  // The key this node cosigns with now: its witness key when the registry it
  // holds lists it, else the node key.
  const SigningKey& CosigningKey() const;
};

// The boundary of every thread the daemon runs work on (follower workers,
// HTTP handlers, the I/O loop): an exception escaping `f` is a bug, which
// becomes an Internal status, one log line and a count in
// jejak_internal_errors_total{where}, never a process abort.
Status GuardBoundary(NodeContext& ctx, std::string_view where, const std::function<Status()>& f);
// The same report, for an exception caught elsewhere.
void ReportInternalError(NodeContext& ctx, std::string_view where, std::string_view what);

// The HTTP endpoints (node/read_api.cc, node/witness.cc).
HttpResponse HandleRead(NodeContext& ctx, const HttpRequest& request);
HttpResponse HandleAddCheckpoint(NodeContext& ctx, const HttpRequest& request);
// GET /witness/<hex SHA-256 of the origin>/checkpoint: the latest checkpoint
// this node's witness cosigned of that log, with the cosignature (the
// tlog-witness monitor retrieval route; node/witness.cc).
inline constexpr std::string_view kWitnessMonitoringPrefix = "/witness";
HttpResponse HandleWitnessCheckpoint(NodeContext& ctx, const HttpRequest& request);
// After a pull: compares the replica of `origin` with the checkpoint this
// node's witness last cosigned of it, and stores the evidence (freezing the
// replica) if they conflict. True when it stored evidence.
bool CheckReplicaAgainstWitness(NodeContext& ctx, const std::string& origin);
// GET /jejak/v1/statement-header and POST /jejak/v1/statements (node/submit.cc).
HttpResponse HandleStatementHeader(NodeContext& ctx, const HttpRequest& request);
HttpResponse HandleSubmit(NodeContext& ctx, const HttpRequest& request);
// The PKH commands through a running node (node/pkh_api.cc): POST
// /jejak/v1/import/(updates|receipts), /jejak/v1/ba/draft, /jejak/v1/ba/submit;
// GET /jejak/v1/proof/(inclusion|consistency).
HttpResponse HandleImport(NodeContext& ctx, const HttpRequest& request, ImportFile kind);
HttpResponse HandleBaDraft(NodeContext& ctx, const HttpRequest& request);
HttpResponse HandleBaSubmit(NodeContext& ctx, const HttpRequest& request);
// Pending drafts (node/ba_drafts.h): POST /jejak/v1/ba/drafts/<id>/read (a
// signed request by an operator or approver), .../signatures ({"public_key",
// "signature"}: an approver's signature over the draft's header) and
// .../submit (a signed request).
HttpResponse HandleBaDraftAction(NodeContext& ctx, const HttpRequest& request, std::string_view id,
                                 std::string_view action);
// What the console and the CLI show of a draft: its document, totals by
// lembaga bayar, warnings, signers (whether each holds the approver role now)
// and the threshold.
nlohmann::json DraftJson(NodeContext& ctx, const PendingDraft& d);
// A berita acara's rows and amounts by lembaga bayar: [{lembaga_bayar, rows,
// amount}], in name order.
nlohmann::json LembagaTotalsJson(const BeritaAcara& ba);
// The grant's key name of `key`, else its base64.
std::string KeyNameOf(NodeContext& ctx, const PublicKey& key);
// Drops the pending drafts of the same document as `ba` (number and records
// root), once `ba` is in the log however it came (a file, `ba submit FILE`).
void DropPendingCopies(NodeContext& ctx, const BeritaAcara& ba);
// Adds a signature once it verifies over the draft and its key holds the
// approver role for the node's region now (PermissionDenied otherwise).
Result<PendingDraft> AddDraftSignature(NodeContext& ctx, std::string_view id, const PublicKey& key,
                                       const Signature& signature);
// Appends a berita acara to the own log (SubmitBeritaAcara under the write
// lock) and answers as POST /jejak/v1/ba/submit does: the appended statement,
// AppendedDespite when a later step failed after it was durable, or the
// refusal. Once it is in the log, the pending drafts of the document go.
// `what` names it in the event log ("a berita acara", "draft ID ...").
HttpResponse AppendBeritaAcara(NodeContext& ctx, const BeritaAcara& ba, std::string_view what);
// The same for pending draft `id` (a refusal when there is none).
HttpResponse SubmitPendingDraft(NodeContext& ctx, std::string_view id);
// A signature sent for a draft: {"public_key", "signature"}, base64 of 32
// and 64 bytes. InvalidArgument naming what is wrong.
Result<std::pair<PublicKey, Signature>> ParseDraftSignature(std::string_view body);
HttpResponse HandleProof(NodeContext& ctx, const HttpRequest& request);
// GET /jejak/v1/trail (node/trail_api.cc): a family's trail, by pseudonym.
HttpResponse HandleTrail(NodeContext& ctx, const HttpRequest& request);
// The trail of `options.kpm` as /jejak/v1/trail answers it (JSON, or 503
// while another trail is built); options.catch_up and cosignatures are set here.
HttpResponse TrailAnswer(NodeContext& ctx, TrailOptions options);
// The web console (node/console.cc): /console/ (its pages, built into the
// binary) and /jejak/v1/console/ (its JSON), both 404 without --console.
bool IsConsolePath(std::string_view path);
std::shared_ptr<ConsoleState> MakeConsoleState();
HttpResponse HandleConsole(NodeContext& ctx, const HttpRequest& request);
// Before the body of an upload larger than the small bound is read: it must
// be a signed request (its headers; the signature is checked once the body is
// in) by this node's key or by a key holding a role here. A refusal answers
// at once; nothing else holds an upload slot.
std::optional<HttpResponse> CheckUploadHeader(NodeContext& ctx, const HttpRequest& header);

// Answers shared by the API handlers (defined in node/submit.cc).
HttpResponse JsonAnswer(int status, const nlohmann::json& body);
// Counts the refusal in jejak_rejected_inputs_total{reason} and answers the
// status's message as text.
HttpResponse RefuseInput(NodeContext& ctx, int status, std::string_view reason, const Status& s);
// The answer to an append whose statement is durable though a later step
// failed (its indexing, its checkpoint): 200 with what is known — the
// statement's leaf `before`, the log's size `after`, no checkpoint — and a
// "warning" saying what failed. Never a refusal, which would claim that
// nothing was appended.
HttpResponse AppendedDespite(NodeContext& ctx, uint64_t before, uint64_t after, uint64_t records,
                             const Status& error);
// 400 for InvalidArgument and Corruption, 403 PermissionDenied, 409
// FailedPrecondition and AlreadyExists, 404 NotFound, 507 ResourceExhausted (a
// full disk), else 500.
int HttpStatusOf(const Status& s);
// The percent-decoded value of `name` in the target's query string; nullopt
// when absent or not validly encoded.
std::optional<std::string> QueryValue(std::string_view target, std::string_view name);
// Every value of `name`, in order (none: empty); nullopt when one is not
// validly encoded.
std::optional<std::vector<std::string>> QueryValues(std::string_view target, std::string_view name);
// The log a read request's path (its target before any '?') names: the
// longest held origin whose LogPath(origin) + "/" begins it, and what
// follows that ("checkpoint", "tile/..."); nullopt when none does. Pure.
struct LogRoute {
  const LogInfo* log = nullptr;  // an element of `logs`
  std::string_view rest;         // points into `path`
};
std::optional<LogRoute> RouteToLog(std::string_view path, const std::vector<LogInfo>& logs);
// The hash of GET /witness/<hash>/checkpoint (`path` without its query):
// 64 lowercase hex digits, or nullopt for any other path. Pure.
std::optional<std::string_view> WitnessCheckpointHash(std::string_view path);

// A log's latest stored checkpoint: the note as stored, and what it says.
// Parsed, not re-verified: the store holds only checkpoints verified (or
// signed) when they were written. NotFound before the first.
struct LatestHead {
  std::string text;
  Note note;
  Checkpoint checkpoint;
};
Result<LatestHead> ReadLatestHead(LogReader& reader);

// The status of every held log, with the lag the follower measured (and
// witnessed_at with `witnessed_times`, as ListLogStatus).
Result<std::vector<LogStatus>> CollectLogStatus(NodeContext& ctx, bool witnessed_times = false);

// The follower (node/gossip.h decides whom and when): polls the authors of
// the logs the node follows (at once when one notifies), a rotating sample of
// the other holders each poll interval, and offers the own log's checkpoints
// to its witnesses as it grows; pulls what differs. A few workers visit peers
// at once, each peer by one worker at a time, so a slow or hanging peer holds
// up one worker, not the others; a peer that fails is visited again only
// after 2, 4, ... 32 intervals.
class Follower {
 public:
  explicit Follower(NodeContext& ctx);
  ~Follower();  // Stop()
  void Stop();

  struct Peers;  // every peer and when it is due (node/follower.cc)

 private:
  void Work();
  NodeContext& ctx_;
  std::unique_ptr<Peers> peers_;
  std::vector<std::thread> workers_;
};

}  // namespace jejak
