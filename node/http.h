// HTTP/1.1 for nodes, over TLS 1.3 or (loopback only) plain TCP: a small
// server that hands each request to one handler, and a client that keeps one
// connection to one peer. Both bound everything a peer can make them hold:
// header and body sizes, time per request, connections per peer. Boost.Beast
// stays inside the .cc files; these types are ours.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace boost::asio::ssl {
class context;
}

namespace jejak {

// Extra request headers; the server keeps only those named "X-Jejak-*".
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::string content_type;
  std::string body;
  HttpHeaders jejak_headers;          // the X-Jejak-* headers, names in lower case
  std::string peer_address;           // "127.0.0.1"
  std::optional<PublicKey> peer_key;  // the TLS client certificate's key, if any
  bool accepts_gzip = false;          // its Accept-Encoding accepts gzip
  std::string if_none_match;          // its If-None-Match, as sent ("" if absent)
  std::string cookie;                 // its Cookie header, as sent ("" if absent)
  // The value of X-Jejak-`name` (lower case, without the prefix); "" if absent.
  std::string_view JejakHeader(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string cache_control;  // empty: none sent
  // A strong validator of the body (a quoted string): a GET whose
  // If-None-Match names it is answered 304 with no body. Empty: none.
  std::string etag;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // any others
};

// A plain-text response; the body ends in "\n".
HttpResponse TextResponse(int status, std::string_view text);
// The ETag of `body`: the first 16 bytes of its SHA-256 in hex, quoted.
std::string EtagOf(std::string_view body);
// Whether an If-None-Match header value names `etag` ("*" names any; a list
// is comma-separated; a weak "W/" prefix is compared as the strong tag, as
// RFC 9110 asks of If-None-Match).
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

// Runs on the server's worker threads, concurrently; must be thread-safe.
// Exceptions are caught and answered with 500.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// A path prefix whose requests may carry a body larger than the small limit,
// up to `max_body` bytes.
struct UploadPath {
  std::string prefix;
  size_t max_body = 0;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;                               // 0: any free port
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
  int threads = 4;  // I/O threads: accepting, reading and writing, never handling
  // Handlers run on pools of worker threads, never on the I/O threads:
  // `lanes` holds the number of workers of each pool and `lane_of` picks the
  // pool of a request (0 when unset), so that slow work in one lane (an
  // import) never delays another (a health check, a tile).
  std::vector<int> lanes = {4};
  std::function<size_t(const HttpRequest&)> lane_of;
  // Connections are counted by who holds them. A TLS client whose
  // certificate key `is_peer` accepts (a registered node) counts under its
  // key: at most max_connections_per_peer each, however many nodes share its
  // address. Every other client (no certificate, an unknown key, plain HTTP)
  // counts under its address: at most max_connections_per_address each and
  // max_anonymous_connections in all, so that anonymous clients keep a fair
  // share and never crowd out the registered peers. A connection still in
  // its TLS handshake counts under its address (at most
  // max_handshakes_per_address, which a whole data centre of nodes behind
  // one address must fit) and among the handshakes in progress (at most
  // max_anonymous_connections). max_connections bounds everything; Start
  // lowers it to what the process's file limit allows.
  size_t max_connections = 8192;
  size_t max_anonymous_connections = 1024;
  size_t max_connections_per_address = 32;
  size_t max_handshakes_per_address = 256;
  size_t max_connections_per_peer = 16;
  std::function<bool(const PublicKey&)> is_peer;  // thread-safe, quick; unset: none
  size_t max_request_header = 8 * 1024;
  size_t max_request_body = 1 << 20;
  // Uploads may be larger on these paths, each up to its own bound, with at
  // most max_uploads in memory at once (503 beyond), read at no less than
  // min_upload_rate bytes a second (the deadline grows with the declared
  // length, from request_timeout, up to upload_timeout).
  std::vector<UploadPath> upload_paths;
  size_t max_uploads = 2;
  size_t min_upload_rate = 128 << 10;  // 1 Mbit/s: a slow line still gets through
  // Called with the request's header (no body) before an upload's body is
  // read: a response refuses it at once (an unsigned upload, a signer without
  // the role), so that nobody holds an upload slot without the right to.
  // Must be thread-safe and quick.
  std::function<std::optional<HttpResponse>(const HttpRequest& header)> check_upload;
  // Told of an exception that escaped a completion handler of the I/O loop
  // (a bug; the loop runs on). Must be thread-safe.
  std::function<void(std::string_view)> on_internal_error;
  std::chrono::milliseconds upload_timeout{1'800'000};
  std::chrono::milliseconds request_timeout{30'000};  // reading a request, writing its answer
  std::chrono::milliseconds header_timeout{10'000};   // a new connection's first request header
  std::chrono::milliseconds idle_timeout{60'000};     // between requests on a kept-alive connection
};

// Counters a server keeps; read at any time.
struct HttpServerStats {
  uint64_t requests = 0;
  uint64_t refused_connections = 0;    // over a connection limit
  uint64_t peer_connections = 0;       // open now, held by registered peers
  uint64_t anonymous_connections = 0;  // open now, every other (handshakes in progress too)
  uint64_t bad_requests = 0;           // unparsable, too large, timed out
};

class HttpServer {
 public:
  // Binds and starts serving. InvalidArgument for a bad host; Unavailable when
  // the port cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpHandler handler);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  HttpServerStats stats() const;
  // Stops accepting, closes every connection and joins the threads. Idempotent.
  void Stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "http[s]://host:port[/prefix]" split. InvalidArgument naming what is wrong.
struct Url {
  bool tls = true;
  std::string host;
  uint16_t port = 0;
  std::string prefix;  // "" or "/something", no trailing slash
  std::string ToString() const;
};
Result<Url> ParseUrl(std::string_view url);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(std::string_view host);

struct HttpClientOptions {
  // Required for https URLs (node/tls.h MakeClientTlsContext); ignored for http.
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::chrono::milliseconds timeout{30'000};  // connecting, and each request
  size_t max_response_body = 16 << 20;
};

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string etag;  // the ETag header, as sent ("" if none)
  std::string body;
};

// One kept-alive connection to one server, reopened when it drops. Not
// thread-safe: one per thread. Unavailable for connection failures, TLS
// refusals and timeouts; Corruption for a malformed or over-long response (the
// message says which). HTTP error statuses are results, not errors.
class HttpClient {
 public:
  static Result<std::unique_ptr<HttpClient>> Create(const Url& base, HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const Url& base() const;
  // Another client for the same base URL with the same options (TLS pinning,
  // timeout, response limit), on a connection of its own opened at its first
  // request: for requests to one peer in parallel.
  std::unique_ptr<HttpClient> NewConnection() const;
  // `path` is appended to the base URL's prefix ("/checkpoint").
  Result<HttpResult> Get(std::string_view path);
  // A conditional GET: with If-None-Match `etag` (when not empty); a 304
  // answer is a result with an empty body.
  Result<HttpResult> GetIfNoneMatch(std::string_view path, std::string_view etag);
  // Whether a POST may be sent twice with the same effect. A GET, or an
  // idempotent POST, failing on a kept-alive connection the server closed is
  // sent once more on a new one. A POST that is not idempotent (a commit) is
  // never sent twice: it goes on a fresh connection, and a connection that
  // fails before the answer is Unavailable saying the server may have acted
  // on it.
  enum class Idempotence { kNo, kYes };
  Result<HttpResult> Post(std::string_view path, std::string_view body,
                          std::string_view content_type, const HttpHeaders& headers = {},
                          Idempotence idempotence = Idempotence::kNo);
  // The server's certificate key on the current connection (TLS only).
  std::optional<PublicKey> server_key() const;

  struct Impl;

 private:
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jejak
