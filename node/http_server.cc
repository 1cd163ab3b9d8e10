// The node's HTTP server on Boost.Beast: one acceptor, a few threads, one
// session per connection, every read and write under a deadline.
#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include <sys/resource.h>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "node/gzip.h"
#include "node/http.h"
#include "node/tls.h"

namespace jejak {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using SslStream = beast::ssl_stream<beast::tcp_stream>;

}  // namespace

std::string_view HttpRequest::JejakHeader(std::string_view name) const {
  for (const auto& [n, v] : jejak_headers) {
    if (n.size() == 8 + name.size() && n.starts_with("x-jejak-") && n.ends_with(name)) return v;
  }
  return {};
}

HttpResponse TextResponse(int status, std::string_view text) {
  HttpResponse r;
  r.status = status;
  r.body = std::string(text);
  // A text answer never carries bytes a client could have put in it
  // undecoded (a NUL, a control character, invalid UTF-8): an error that
  // quoted a request is made printable here, whatever the handler did.
  if (!ValidUtf8(r.body, Utf8Rules{.allow_newline = true, .allow_tab = true})) {
    for (char& c : r.body) {
      const auto b = static_cast<unsigned char>(c);
      if ((b < 0x20 && c != '\n' && c != '\t') || b >= 0x7f) c = '?';
    }
  }
  if (r.body.empty() || r.body.back() != '\n') r.body += '\n';
  r.cache_control = "no-store";
  return r;
}

std::string EtagOf(std::string_view body) {
  const Hash h = Sha256(AsBytes(body));
  return "\"" + HexEncode(ByteSpan(h.data(), 16)) + "\"";
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  if (etag.empty()) return false;
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

// Who a connection is counted under (HttpServerOptions: by key or address).
struct ConnectionClass {
  enum Kind { kHandshake, kAnonymous, kPeer } kind = kHandshake;
  std::string address;  // the remote address
  std::string key;      // the peer's key (kPeer)
};

struct HttpServer::Impl {
  // Declared before the io_context, so that they outlive the sessions its
  // destructor releases.
  HttpServerOptions options;
  HttpHandler handler;
  std::mutex mu;  // guards the connection counts
  size_t connections = 0;
  size_t anonymous = 0;  // anonymous connections (past their handshake)
  size_t pending = 0;    // connections in their TLS handshake
  std::map<std::string, size_t> handshakes, per_address, per_key;
  std::atomic<size_t> uploads{0};  // upload bodies being read or handled
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> refused{0};
  std::atomic<uint64_t> bad{0};
  std::atomic<bool> stopped{false};
  uint16_t port = 0;

  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<net::thread_pool>> pools;  // the handler lanes

  net::thread_pool& PoolFor(const HttpRequest& request) {
    size_t lane = options.lane_of ? options.lane_of(request) : 0;
    if (lane >= pools.size()) lane = 0;
    return *pools[lane];
  }

  void Accept();
  // Counts a new connection from `address`: in its handshake (TLS) or
  // anonymous (plain HTTP). False, and nothing counted, over a limit.
  bool Admit(ConnectionClass& c, bool tls) {
    std::lock_guard lock(mu);
    const auto& o = options;
    if (connections >= o.max_connections) return false;
    if (tls) {
      if (pending >= o.max_anonymous_connections ||
          handshakes[c.address] >= o.max_handshakes_per_address) {
        return false;
      }
      ++handshakes[c.address];
      ++pending;
      c.kind = ConnectionClass::kHandshake;
    } else {
      if (anonymous >= o.max_anonymous_connections ||
          per_address[c.address] >= o.max_connections_per_address) {
        return false;
      }
      ++per_address[c.address];
      ++anonymous;
      c.kind = ConnectionClass::kAnonymous;
    }
    ++connections;
    return true;
  }
  // The handshake is done: counts the connection under the peer's key when
  // `is_peer` accepts it, else under its address. False (the connection
  // released) over that limit.
  bool Classify(ConnectionClass& c, const std::optional<PublicKey>& key) {
    const bool peer = key && options.is_peer && options.is_peer(*key);
    std::lock_guard lock(mu);
    Uncount(c);
    if (peer) {
      const std::string k(reinterpret_cast<const char*>(key->data()), key->size());
      if (per_key[k] >= options.max_connections_per_peer) {
        if (per_key[k] == 0) per_key.erase(k);
        c.kind = ConnectionClass::kHandshake;
        c.address.clear();
        return false;
      }
      ++per_key[k];
      ++connections;
      c.kind = ConnectionClass::kPeer;
      c.key = k;
      return true;
    }
    if (per_address[c.address] >= options.max_connections_per_address ||
        anonymous >= options.max_anonymous_connections) {
      c.address.clear();
      return false;
    }
    ++per_address[c.address];
    ++connections;
    ++anonymous;
    c.kind = ConnectionClass::kAnonymous;
    return true;
  }
  void Release(ConnectionClass& c) {
    std::lock_guard lock(mu);
    Uncount(c);
  }
  size_t peers_now() {
    std::lock_guard lock(mu);
    return connections - anonymous - pending;
  }
  size_t anonymous_now() {
    std::lock_guard lock(mu);
    return anonymous + pending;
  }

 private:
  // Takes `c` out of the counts (under mu). A class with no address and no
  // key counts nowhere (already released).
  void Uncount(ConnectionClass& c) {
    auto drop = [](std::map<std::string, size_t>& m, const std::string& k) {
      auto it = m.find(k);
      if (it != m.end() && --it->second == 0) m.erase(it);
    };
    switch (c.kind) {
      case ConnectionClass::kHandshake:
        if (c.address.empty()) return;
        drop(handshakes, c.address);
        --pending;
        break;
      case ConnectionClass::kAnonymous:
        drop(per_address, c.address);
        --anonymous;
        break;
      case ConnectionClass::kPeer:
        drop(per_key, c.key);
        break;
    }
    --connections;
    c.address.clear();
    c.key.clear();
    c.kind = ConnectionClass::kHandshake;
  }
};

namespace {

// Releases a connection slot when the session ends, however it ends.
struct Slot {
  HttpServer::Impl* server;
  ConnectionClass counted;
  ~Slot() { server->Release(counted); }
};

http::response<http::string_body> ToBeast(HttpResponse r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "jejak");
  res.set(http::field::content_type, r.content_type);
  if (!r.cache_control.empty()) res.set(http::field::cache_control, r.cache_control);
  for (auto& [name, value] : r.headers) res.set(name, value);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <class... Args>
  Session(HttpServer::Impl& server, ConnectionClass counted, Args&&... args)
      : server_(server),
        slot_{&server, counted},
        peer_(counted.address),
        stream_(std::forward<Args>(args)...) {}

  ~Session() { EndUpload(); }

  void Run() {
    if constexpr (std::is_same_v<Stream, SslStream>) {
      // A handshake has the time of a first request header: a slow one must
      // not hold one of its address's handshake slots.
      beast::get_lowest_layer(stream_).expires_after(server_.options.header_timeout);
      stream_.async_handshake(
          ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
            if (ec) {
              self->server_.bad++;
              return self->Close();
            }
            if (auto key = PeerPublicKey(self->stream_.native_handle()); key.ok()) {
              self->peer_key_ = *key;
            }
            if (!self->server_.Classify(self->slot_.counted, self->peer_key_)) {
              self->server_.refused++;
              return self->Close();
            }
            self->Read();
          });
    } else {
      Read();
    }
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options.max_request_header));
    // The parser would check a declared length against the limit as the
    // header ends; the limit depends on the path, so OnHeader checks the
    // length and sets the limit before any of the body is read.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    // Bytes of a pipelined next request stay in buffer_: requests are
    // answered one after the other, in order. A new connection has a short
    // while to send its first header (a slow sender must not hold a slot);
    // a kept-alive one, the idle timeout.
    beast::get_lowest_layer(stream_).expires_after(first_ ? server_.options.header_timeout
                                                          : server_.options.idle_timeout);
    first_ = false;
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // The bound of an upload to `target`, or 0 when the path takes none.
  size_t UploadBound(std::string_view target) const {
    for (const auto& path : server_.options.upload_paths) {
      if (target.starts_with(path.prefix)) return path.max_body;
    }
    return 0;
  }

  // The header is in: the body's limit and deadline depend on the path.
  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    const auto length = parser_->content_length();
    const size_t bound = UploadBound(parser_->get().target());
    const bool upload = bound > 0;
    if (!upload && length && *length > server_.options.max_request_body) {
      return OnRead(http::error::body_limit);
    }
    if (upload && length && *length > server_.options.max_request_body) {
      if (*length > bound) {
        return Refuse(
            413, "a body larger than " + std::to_string(bound) + " bytes, the bound of this path");
      }
      if (server_.options.check_upload) {
        if (auto refusal = server_.options.check_upload(HeaderOnly())) {
          return RefuseWith(std::move(*refusal));
        }
      }
      if (server_.uploads.fetch_add(1) >= server_.options.max_uploads) {
        server_.uploads--;
        return Refuse(503, "too many uploads at once; retry later");
      }
      upload_ = true;
      // A deadline that grows with the length: a sender slower than the
      // minimum rate loses its slot.
      const auto budget =
          server_.options.request_timeout +
          std::chrono::milliseconds(*length * 1000 /
                                    std::max<size_t>(1, server_.options.min_upload_rate));
      beast::get_lowest_layer(stream_).expires_after(
          std::min(budget, server_.options.upload_timeout));
    } else {
      // A small upload, or one of unknown length: the small limit holds.
      parser_->body_limit(server_.options.max_request_body);
      beast::get_lowest_layer(stream_).expires_after(server_.options.request_timeout);
    }
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void EndUpload() {
    if (upload_) server_.uploads--;
    upload_ = false;
  }

  void OnRead(beast::error_code ec) {
    if (ec) EndUpload();
    if (ec == http::error::end_of_stream || ec == net::error::eof) return Close();
    if (ec == http::error::body_limit) return Refuse(413, "request body too large");
    if (ec == http::error::header_limit) return Refuse(431, "request header too large");
    if (ec) {
      if (ec != beast::error::timeout && ec != net::error::operation_aborted) server_.bad++;
      return Close();
    }
    server_.requests++;
    auto& req = parser_->get();
    HttpRequest request = HeaderOnly();
    request.body = std::move(req.body());
    // Handled on a worker; the answer is written back on this session's
    // strand. The I/O threads never wait for a handler.
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    net::thread_pool& pool = server_.PoolFor(request);
    net::post(pool, [self = this->shared_from_this(), request = std::move(request), version,
                     keep_alive]() mutable {
      HttpResponse response;
      try {
        response = self->server_.handler(request);
      } catch (...) {
        response = TextResponse(500, "internal error");
      }
      if (!response.etag.empty()) {
        response.headers.emplace_back("ETag", response.etag);
        if (response.status == 200 && request.method == "GET" &&
            EtagMatches(request.if_none_match, response.etag)) {
          response.status = 304;
          response.body.clear();
        }
      }
      request = HttpRequest{};
      auto executor = self->stream_.get_executor();
      net::post(executor, [self = std::move(self), response = std::move(response), version,
                           keep_alive]() mutable {
        self->EndUpload();
        self->Write(ToBeast(std::move(response), version, keep_alive));
      });
    });
  }

  // The request as far as its header goes.
  HttpRequest HeaderOnly() const {
    const auto& req = parser_->get();
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.content_type = std::string(req[http::field::content_type]);
    request.accepts_gzip = AcceptsGzip(req[http::field::accept_encoding]);
    request.if_none_match = std::string(req[http::field::if_none_match]);
    request.cookie = std::string(req[http::field::cookie]);
    for (const auto& field : req) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (name.starts_with("x-jejak-")) request.jejak_headers.emplace_back(name, field.value());
    }
    request.peer_address = peer_;
    request.peer_key = peer_key_;
    return request;
  }

  void Refuse(int status, std::string_view why) { RefuseWith(TextResponse(status, why)); }
  // Answers before the body was read, and closes: the client may still be
  // sending it, so the connection lingers to let the answer reach it.
  void RefuseWith(HttpResponse response) {
    server_.bad++;
    refused_ = true;
    Write(ToBeast(std::move(response), 11, false));
  }

  void Write(http::response<http::string_body> res) {
    response_ = std::move(res);
    beast::get_lowest_layer(stream_).expires_after(server_.options.request_timeout);
    http::async_write(stream_, response_,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        if (!ec && self->refused_) return self->Linger();
                        if (ec || !self->response_.keep_alive()) return self->Close();
                        self->Read();
                      });
  }

  // After an early answer: stop sending, and read (and drop) what the client
  // still sends for a short while, so that closing does not reset the
  // connection before the client has read the answer.
  void Linger() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    Drain();
  }
  void Drain() {
    drain_.resize(64 << 10);
    beast::get_lowest_layer(stream_).async_read_some(
        net::buffer(drain_), [self = this->shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Close();
          self->Drain();
        });
  }

  void Close() {
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  HttpServer::Impl& server_;
  Slot slot_;
  std::string peer_;
  std::optional<PublicKey> peer_key_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool upload_ = false;   // holds one of the server's upload slots
  bool first_ = true;     // no request read yet on this connection
  bool refused_ = false;  // answered before the body: linger, then close
  std::vector<char> drain_;
  http::response<http::string_body> response_;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopped) return;
    if (!ec) {
      beast::error_code peer_ec;
      auto endpoint = socket.remote_endpoint(peer_ec);
      ConnectionClass counted;
      counted.address = peer_ec ? "unknown" : endpoint.address().to_string();
      // Nagle's algorithm would hold each response's last segment for the
      // client's delayed ACK: up to 40 ms a request.
      socket.set_option(tcp::no_delay(true), peer_ec);
      if (!Admit(counted, options.tls != nullptr)) {
        refused++;
        socket.close(peer_ec);
      } else if (options.tls) {
        std::make_shared<Session<SslStream>>(*this, counted, std::move(socket), *options.tls)
            ->Run();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(*this, counted, std::move(socket))->Run();
      }
    }
    Accept();
  });
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpHandler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  // Every connection holds a descriptor: the bound leaves a quarter of the
  // process's file limit to everything else (the store, clients of peers).
  if (rlimit limit{}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    impl->options.max_connections =
        std::min<size_t>(impl->options.max_connections, limit.rlim_cur * 3 / 4);
  }
  beast::error_code ec;
  auto address =
      net::ip::make_address(options.host == "localhost" ? "127.0.0.1" : options.host, ec);
  if (ec) return InvalidArgument("listen address '" + options.host + "' is not an IP address");
  tcp::endpoint endpoint{address, options.port};
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Unavailable("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                       ": " + ec.message());
  }
  impl->port = impl->acceptor.local_endpoint().port();
  for (int workers : options.lanes.empty() ? std::vector<int>{4} : options.lanes) {
    impl->pools.push_back(std::make_unique<net::thread_pool>(std::max(1, workers)));
  }
  impl->Accept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl->threads.emplace_back([raw = impl.get()] {
      // An exception out of a completion handler is a bug: it is reported,
      // and the loop runs on for every other connection.
      for (;;) {
        try {
          raw->ioc.run();
          return;
        } catch (const std::exception& e) {
          if (raw->options.on_internal_error) raw->options.on_internal_error(e.what());
        } catch (...) {
          if (raw->options.on_internal_error) raw->options.on_internal_error("unknown exception");
        }
      }
    });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->port; }

HttpServerStats HttpServer::stats() const {
  return {.requests = impl_->requests.load(),
          .refused_connections = impl_->refused.load(),
          .peer_connections = impl_->peers_now(),
          .anonymous_connections = impl_->anonymous_now(),
          .bad_requests = impl_->bad.load()};
}

void HttpServer::Stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
  // Handlers in progress finish; queued ones are dropped with their sessions.
  for (auto& pool : impl_->pools) {
    pool->stop();
    pool->join();
  }
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

}  // namespace jejak
