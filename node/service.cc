#include "node/service.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>

#include "ledger/log/log.h"
#include "ledger/pkh/node.h"
#include "node/admin_socket.h"
#include "node/event_log.h"
#include "node/history.h"
#include "node/http_source.h"
#include "node/internal/catch_up.h"
#include "node/internal/console.h"
#include "node/internal/context.h"
#include "node/remote.h"
#include "node/tls.h"

namespace jejak {

Status NodeContext::RefreshRegistry() {
  const NodeConfig& me = folder->config();
  std::shared_ptr<const Governance> loaded;
  if (me.governance) {
    auto g = LoadNodeGovernance(*folder);
    if (g.ok()) {
      loaded = std::make_shared<const Governance>(std::move(*g));
    } else if (g.status().code() != StatusCode::kNotFound) {
      return g.status();
    }
  }
  std::set<PublicKey> keys = TrustedNodeKeys(me, loaded.get());
  std::vector<std::string> urls = ConfiguredPeers();
  if (loaded) {
    for (const NodeRegistration* n : loaded->Nodes(loaded->size())) {
      if (!n->url.empty() && n->origin != me.origin &&
          std::find(urls.begin(), urls.end(), n->url) == urls.end()) {
        urls.push_back(n->url);
      }
    }
  }
  std::lock_guard lock(registry_mu);
  gov = std::move(loaded);
  trusted_keys = std::move(keys);
  peer_urls = std::move(urls);
  return Status::Ok();
}

std::vector<std::string> NodeContext::ConfiguredPeers() const {
  std::lock_guard lock(registry_mu);
  return configured_peers;
}

Result<NoteVerifierKey> NodeContext::LogKey(std::string_view origin) const {
  const NodeConfig& me = folder->config();
  if (me.governance && origin == me.governance->name) return *me.governance;
  auto g = Registry();
  const NodeRegistration* n = g ? g->NodeByOrigin(origin, g->size()) : nullptr;
  if (n == nullptr) return NotFound("unknown origin");
  return ParseVerifierKey(n->verifier_key);
}

std::optional<Cosigner> NodeContext::CosignerOf(const NoteSignature& sig) const {
  auto key = LogKey(sig.name);
  if (!key.ok()) return std::nullopt;
  auto g = Registry();
  const NodeRegistration* n = g ? g->NodeByOrigin(sig.name, g->size()) : nullptr;
  if (n != nullptr && !n->witness_key.empty()) {
    if (auto w = ParseVerifierKey(n->witness_key); w.ok()) {
      Cosigner c{sig.name, w->key};
      if (IsCosignatureBy(sig, c)) return c;
    }
  }
  Cosigner c{sig.name, key->key};
  if (!IsCosignatureBy(sig, c)) return std::nullopt;
  return c;
}

std::optional<PublicKey> NodeContext::RegisteredKeyAt(const std::string& url) const {
  auto g = Registry();
  if (!g) return std::nullopt;
  for (const NodeRegistration* n : g->Nodes(g->size())) {
    if (n->url != url || n->origin == folder->config().origin) continue;
    if (auto k = ParseVerifierKey(n->verifier_key); k.ok()) return k->key;
  }
  return std::nullopt;
}

Result<std::shared_ptr<boost::asio::ssl::context>> NodeContext::ClientTlsPinnedTo(
    const std::optional<PublicKey>& expected) const {
  if (!client_tls || !expected) return client_tls;
  const PublicKey k = *expected;
  return MakeClientTlsContext(&*key, folder->config().origin,
                              [k](const PublicKey& presented) { return presented == k; });
}

const SigningKey& NodeContext::CosigningKey() const {
  const std::string& me = folder->config().origin;
  auto g = Registry();
  const NodeRegistration* n = g ? g->NodeByOrigin(me, g->size()) : nullptr;
  if (n != nullptr && !n->witness_key.empty()) {
    auto w = ParseVerifierKey(n->witness_key);
    if (w.ok() && w->key == witness_key->public_key()) return *witness_key;
  }
  return *key;
}

void ReportInternalError(NodeContext& ctx, std::string_view where, std::string_view what) {
  ctx.metrics.Add("jejak_internal_errors_total", fmt::format("where=\"{}\"", where));
  // The exception's text is the library's (never a request's bytes): shown
  // cut to one short line.
  EventError(fmt::format("internal error in {}: {}", where, what.substr(0, 200)));
}

Status GuardBoundary(NodeContext& ctx, std::string_view where, const std::function<Status()>& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    ReportInternalError(ctx, where, e.what());
  } catch (...) {
    ReportInternalError(ctx, where, "an exception of unknown type");
  }
  return Internal(fmt::format("internal error in {}", where));
}

struct NodeService::Impl {
  NodeContext ctx;
  std::unique_ptr<Follower> follower;
  std::unique_ptr<HttpServer> server;
  std::unique_ptr<AdminSocket> admin;  // backups of the running node
  // The history sampler (node/history.h): a sample at start when the last
  // is older than the interval, then one each interval.
  std::mutex history_mu;
  std::condition_variable history_cv;
  bool history_stop = false;
  std::thread history;
};

namespace {

// A node of a federation holds a connection to each peer it follows and from
// each that follows it (about 1,200 at a kemensos node of 600 institutions):
// the soft file limit (1,024 by default outside systemd) goes up to the hard
// one, at most 65,536.
void RaiseFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t want = std::min<rlim_t>(limit.rlim_max, 65536);
  if (limit.rlim_cur >= want) return;
  limit.rlim_cur = want;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

void DescribeMetrics(NodeMetrics& m) {
  m.Describe("jejak_http_requests_total", "counter", "HTTP requests served, by endpoint kind.");
  m.Describe("jejak_appends_total", "counter", "Entries appended to this node's own log.");
  m.Describe("jejak_http_connections", "gauge",
             "Open connections: of registered peers (by TLS key), and anonymous (by address).");
  m.Describe("jejak_http_refused_connections_total", "counter",
             "Connections closed at once over a connection limit.");
  m.Describe("jejak_replicated_entries_total", "counter", "Entries replicated, by log.");
  m.Describe("jejak_replication_lag_entries", "gauge",
             "Entries a replica is behind the largest checkpoint a peer offered.");
  m.Describe("jejak_replication_lag_seconds", "gauge",
             "Seconds since a replica first fell behind a checkpoint a peer offered.");
  m.Describe("jejak_cosignatures_made_total", "counter",
             "Checkpoints this node's witness cosigned.");
  m.Describe("jejak_cosignatures_received_total", "counter",
             "Verified cosignatures kept on this node's own checkpoints.");
  m.Describe("jejak_rejected_inputs_total", "counter", "Inputs refused, by reason.");
  m.Describe("jejak_equivocations_total", "counter", "Equivocation evidence stored, by log.");
  m.Describe("jejak_internal_errors_total", "counter",
             "Bugs caught at a thread's boundary instead of aborting the node, by where.");
}

HttpResponse Route(NodeContext& ctx, const HttpRequest& request) {
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  if (IsConsolePath(path)) {
    ctx.metrics.Add("jejak_http_requests_total", "endpoint=\"console\"");
    return HandleConsole(ctx, request);
  }
  if (path == "/add-checkpoint") {
    ctx.metrics.Add("jejak_http_requests_total", "endpoint=\"add-checkpoint\"");
    return HandleAddCheckpoint(ctx, request);
  }
  if (path.starts_with(std::string(kWitnessMonitoringPrefix) + "/")) {
    ctx.metrics.Add("jejak_http_requests_total", "endpoint=\"witness\"");
    return HandleWitnessCheckpoint(ctx, request);
  }
  if (path == "/jejak/v1/statements") {
    ctx.metrics.Add("jejak_http_requests_total", "endpoint=\"submit\"");
    return HandleSubmit(ctx, request);
  }
  if (path == "/jejak/v1/statement-header") return HandleStatementHeader(ctx, request);
  if (path.starts_with("/jejak/v1/import/") || path.starts_with("/jejak/v1/ba/")) {
    ctx.metrics.Add("jejak_http_requests_total", "endpoint=\"pkh\"");
    if (path.starts_with("/jejak/v1/import/")) {
      if (auto kind = ParseImportFile(path.substr(std::string_view("/jejak/v1/import/").size()))) {
        return HandleImport(ctx, request, *kind);
      }
    }
    if (path == "/jejak/v1/ba/draft") return HandleBaDraft(ctx, request);
    if (path == "/jejak/v1/ba/submit") return HandleBaSubmit(ctx, request);
    if (path.starts_with("/jejak/v1/ba/drafts/")) {
      std::string_view rest = path.substr(std::string_view("/jejak/v1/ba/drafts/").size());
      const size_t slash = rest.find('/');
      if (slash != std::string_view::npos) {
        return HandleBaDraftAction(ctx, request, rest.substr(0, slash), rest.substr(slash + 1));
      }
    }
    return TextResponse(404, "no such endpoint");
  }
  if (request.method != "GET" && request.method != "HEAD") {
    return TextResponse(405, "only GET here");
  }
  if (path == "/metrics") {
    auto logs = CollectLogStatus(ctx);
    if (logs.ok()) {
      for (const auto& s : *logs) {
        if (s.own) continue;
        ctx.metrics.Set("jejak_replication_lag_entries", OriginLabel(s.origin),
                        static_cast<double>(s.lag.value_or(0)));
        ctx.metrics.Set("jejak_replication_lag_seconds", OriginLabel(s.origin), s.lag_seconds);
      }
    }
  }
  if (path.starts_with("/jejak/v1/proof/")) {
    ctx.metrics.Add("jejak_http_requests_total", "endpoint=\"proof\"");
    return HandleProof(ctx, request);
  }
  if (path == "/jejak/v1/trail") {
    ctx.metrics.Add("jejak_http_requests_total", "endpoint=\"trail\"");
    return HandleTrail(ctx, request);
  }
  ctx.metrics.Add("jejak_http_requests_total", "endpoint=\"read\"");
  return HandleRead(ctx, request);
}

// One history sample of every log the node holds (node/history.h).
void SampleHistory(NodeContext& ctx) {
  auto logs = CollectLogStatus(ctx);
  auto infos = ListLogs(ctx.folder->store());
  if (!logs.ok() || !infos.ok()) return;
  HistorySample sample;
  sample.time = static_cast<int64_t>(std::time(nullptr));
  for (const LogStatus& s : *logs) {
    for (const LogInfo& info : *infos) {
      if (info.origin == s.origin) sample.logs.push_back({info.id, s.size, s.lag.value_or(0)});
    }
  }
  if (Status st = RecordHistory(ctx.folder->store(), sample); !st.ok()) {
    EventWarning("cannot record the history sample: " + st.message());
  }
}

}  // namespace

NodeService::NodeService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NodeService::~NodeService() { Stop(); }

Result<std::unique_ptr<NodeService>> NodeService::Start(const ServeOptions& options) {
  if (options.insecure_http && !IsLoopbackHost(options.host)) {
    return InvalidArgument(
        "--insecure-http serves plain HTTP and is allowed on a loopback "
        "address only, not on " +
        options.host);
  }
  auto impl = std::make_unique<Impl>();
  NodeContext& ctx = impl->ctx;
  ctx.options = options;
  ctx.configured_peers = options.peers;
  ctx.started = static_cast<int64_t>(std::time(nullptr));
  if (options.console) ctx.console = MakeConsoleState();
  ASSIGN_OR_RETURN(ctx.folder, NodeFolder::Open(options.dir, StoreMode::kReadWrite));
  auto unlocked = ctx.folder->UnlockKey(options.passphrase);
  if (!unlocked.ok()) return unlocked.status();
  ctx.key.emplace(std::move(*unlocked));
  ctx.witness_key.emplace(DeriveWitnessKey(*ctx.key));
  const std::string& origin = ctx.folder->config().origin;
  if (!ValidLogPath(origin)) {
    return FailedPrecondition("origin '" + origin + "' cannot be served as a URL path");
  }
  RETURN_IF_ERROR(ctx.RefreshRegistry());
  auto trusts = [&ctx](const PublicKey& k) { return ctx.Trusts(k); };
  if (!options.insecure_http) {
    ASSIGN_OR_RETURN(ctx.client_tls, MakeClientTlsContext(&*ctx.key, origin, trusts));
  }
  // Before the own log is opened for signing: the node may be behind what
  // it signed before (a restored backup), which its peers hold.
  RETURN_IF_ERROR(CatchUpAtStart(ctx));
  if (ctx.folder->config().governance) {
    ASSIGN_OR_RETURN(ctx.pkh, PkhNode::Open(*ctx.folder, *ctx.key));
    ctx.drafts = std::make_unique<PendingDrafts>(options.dir);
  } else {
    ASSIGN_OR_RETURN(ctx.own_writer,
                     LogWriter::Open(ctx.folder->store(), ctx.folder->own_log(), &*ctx.key));
  }
  if (ctx.folder->config().has_program_key) {
    auto program_key = ctx.folder->UnlockProgramKey(options.passphrase);
    if (!program_key.ok()) return program_key.status().WithContext("program key");
    ctx.program_key.emplace(*program_key);
  }
  DescribeMetrics(ctx.metrics);

  HttpServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.threads = options.threads;
  // What each upload may legitimately hold: a national receipts file; a
  // berita acara's CSV or its signed JSON (kBeritaAcaraJson's bound).
  server_options.upload_paths = {{"/jejak/v1/import/", size_t{256} << 20},
                                 {"/jejak/v1/ba/draft", size_t{64} << 20},
                                 {"/jejak/v1/ba/submit", size_t{64} << 20},
                                 {"/jejak/v1/statements", size_t{256} << 20}};
  server_options.check_upload = [&ctx](const HttpRequest& header) {
    return CheckUploadHeader(ctx, header);
  };
  // Reads (tiles, checkpoints, status, health) never wait behind the witness
  // or a write; the witness never waits behind an import.
  server_options.on_internal_error = [&ctx](std::string_view what) {
    ReportInternalError(ctx, "http-io", what);
  };
  // A registered node's TLS key: its connections count under the key, not
  // under an address it may share with a whole data centre.
  server_options.is_peer = [&ctx](const PublicKey& key) { return ctx.Trusts(key); };
  RaiseFileLimit();
  // Reads, the witness, writes, trails and the console: a trail is built one at a time
  // (node/trail_api.cc), and the second worker answers the others 503 at
  // once, so a client asking for trail after trail holds up no read and no
  // upload, and waits in no queue.
  // The console's changes (sign-ins, each an Argon2id evaluation of 64 MiB;
  // audits started; signatures) have a lane of their own: a flood of
  // sign-ins never delays an import or the witness.
  server_options.lanes = {4, 2, 2, 2, 2};
  server_options.lane_of = [](const HttpRequest& r) -> size_t {
    std::string_view path = r.target;
    path = path.substr(0, path.find('?'));
    if (path == "/jejak/v1/trail") return 3;
    if (path.starts_with("/jejak/v1/console/") && r.method != "GET" && r.method != "HEAD") {
      return 4;
    }
    if (r.method == "GET" || r.method == "HEAD") return 0;
    return path == "/add-checkpoint" ? 1 : 2;
  };
  if (!options.insecure_http) {
    ASSIGN_OR_RETURN(server_options.tls, MakeServerTlsContext(*ctx.key, origin, trusts));
    // Browsers speak no Ed25519 in TLS: the console's pages need a
    // certificate of their own.
    if (options.console) {
      RETURN_IF_ERROR(
          AddBrowserCertificate(*server_options.tls, options.dir + "/console-tls.pem", origin));
    }
  }
  ASSIGN_OR_RETURN(impl->server,
                   HttpServer::Start(server_options, [&ctx](const HttpRequest& request) {
                     HttpResponse response;
                     Status s = GuardBoundary(ctx, "http", [&] {
                       response = Route(ctx, request);
                       return Status::Ok();
                     });
                     return s.ok() ? response : TextResponse(500, "internal error");
                   }));
  ctx.server = impl->server.get();
  ctx.url = fmt::format("{}://{}:{}", options.insecure_http ? "http" : "https", options.host,
                        impl->server->port());
  impl->follower = std::make_unique<Follower>(ctx);
  impl->history = std::thread([state = impl.get()] {
    NodeContext& ctx = state->ctx;
    std::unique_lock lock(state->history_mu);
    while (!state->history_stop) {
      auto last = LatestHistoryTime(ctx.folder->store());
      const int64_t now = static_cast<int64_t>(std::time(nullptr));
      int64_t wait = kHistoryInterval;
      if (last.ok() && now - *last >= kHistoryInterval) {
        lock.unlock();
        (void)GuardBoundary(ctx, "history", [&] {
          SampleHistory(ctx);
          return Status::Ok();
        });
        lock.lock();
      } else if (last.ok()) {
        wait = kHistoryInterval - (now - *last);
      }
      state->history_cv.wait_for(lock, std::chrono::seconds(wait),
                                 [state] { return state->history_stop; });
    }
  });
  auto admin = AdminSocket::Start(options.dir, ctx.folder->store());
  if (admin.ok()) {
    impl->admin = std::move(admin).value();
  } else {
    EventWarning("no admin socket, so no backup while the node runs: " + admin.status().message());
  }
  return std::unique_ptr<NodeService>(new NodeService(std::move(impl)));
}

uint16_t NodeService::port() const { return impl_->server->port(); }
std::string NodeService::url() const { return impl_->ctx.url; }

Status NodeService::SetPeers(std::vector<std::string> peers) {
  {
    std::lock_guard lock(impl_->ctx.registry_mu);
    impl_->ctx.configured_peers = std::move(peers);
  }
  RETURN_IF_ERROR(impl_->ctx.RefreshRegistry());
  impl_->ctx.Wake();
  return Status::Ok();
}

std::vector<std::string> NodeService::peers() const {
  std::lock_guard lock(impl_->ctx.registry_mu);
  return impl_->ctx.peer_urls;
}

void NodeService::Stop() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->history_mu);
    impl_->history_stop = true;
  }
  impl_->history_cv.notify_all();
  if (impl_->history.joinable()) impl_->history.join();
  impl_->ctx.server = nullptr;
  if (impl_->admin) impl_->admin->Stop();
  if (impl_->follower) impl_->follower->Stop();
  if (impl_->server) impl_->server->Stop();
  StopConsole(impl_->ctx);  // an audit in progress ends before the store closes
}

}  // namespace jejak
