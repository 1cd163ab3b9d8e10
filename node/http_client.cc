// The node's HTTP client: synchronous calls built from Beast's asynchronous
// operations on a private io_context, so that every step has a deadline.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>

#include <fmt/format.h>

#include "crypto/encoding.h"
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

constexpr size_t kMaxResponseHeader = 16 * 1024;

}  // namespace

std::string Url::ToString() const {
  return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(port) + prefix;
}

Result<Url> ParseUrl(std::string_view text) {
  auto bad = [&](std::string_view what) {
    // Quoted only when printable: a URL may come from the registry or a peer.
    const std::string shown = ValidUtf8(text, {}) ? "URL '" + std::string(text) + "'" : "the URL";
    return InvalidArgument(shown + " " + std::string(what));
  };
  Url url;
  std::string_view rest = text;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    url.tls = false;
    rest.remove_prefix(7);
  } else {
    return bad("must start with https:// or http://");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.prefix = std::string(path);
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos || authority.empty() || authority.front() == '[') {
    return bad("must name a host and a port");
  }
  url.host = std::string(authority.substr(0, colon));
  std::string_view port = authority.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (url.host.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
      value > 65535) {
    return bad("has no valid host:port");
  }
  url.port = static_cast<uint16_t>(value);
  return url;
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  beast::error_code ec;
  auto address = net::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

struct HttpClient::Impl {
  Url base;
  HttpClientOptions options;
  net::io_context ioc;
  std::optional<beast::tcp_stream> plain;
  std::optional<SslStream> secure;
  beast::flat_buffer buffer;
  bool reused = false;  // the connection already carried a request
  std::optional<PublicKey> server_key;

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
  bool connected() const { return plain || secure; }
  std::string where() const { return base.ToString(); }

  // Runs one asynchronous operation to completion on the private context.
  template <class Start>
  beast::error_code Run(Start&& start) {
    beast::error_code result = net::error::would_block;
    start([&](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  Status Fail(std::string_view what, const beast::error_code& ec) {
    Disconnect();
    if (ec == beast::error::timeout) {
      return Unavailable(where() + ": " + std::string(what) + " timed out after " +
                         std::to_string(options.timeout.count()) + " ms");
    }
    return Unavailable(where() + ": " + std::string(what) + ": " + ec.message());
  }

  void Disconnect() {
    if (connected()) {
      beast::error_code ignored;
      lowest().socket().close(ignored);
    }
    plain.reset();
    secure.reset();
    buffer.consume(buffer.size());
    reused = false;
    server_key.reset();
  }

  Status Connect() {
    tcp::resolver resolver(ioc);
    tcp::resolver::results_type endpoints;
    auto ec = Run([&](auto handler) {
      resolver.async_resolve(base.host, std::to_string(base.port),
                             [&, handler](beast::error_code e, tcp::resolver::results_type r) {
                               endpoints = std::move(r);
                               handler(e);
                             });
    });
    if (ec) return Fail("resolving the host", ec);
    if (base.tls) {
      secure.emplace(ioc, *options.tls);
    } else {
      plain.emplace(ioc);
    }
    lowest().expires_after(options.timeout);
    ec = Run([&](auto handler) {
      lowest().async_connect(endpoints, [handler](beast::error_code e, auto&&) { handler(e); });
    });
    if (ec) return Fail("connecting", ec);
    // Without it a response's last segment waits for the delayed ACK of the
    // one before (Nagle): up to 40 ms a request, whatever the bandwidth.
    beast::error_code ignored;  // a socket without it is only slower
    lowest().socket().set_option(tcp::no_delay(true), ignored);
    if (secure) {
      lowest().expires_after(options.timeout);
      ec = Run([&](auto handler) { secure->async_handshake(ssl::stream_base::client, handler); });
      if (ec) return Fail("TLS handshake (is the peer's key the registered one?)", ec);
      if (auto key = PeerPublicKey(secure->native_handle()); key.ok()) server_key = *key;
    }
    return Status::Ok();
  }

  template <class Stream>
  beast::error_code Exchange(Stream& stream, http::request<http::string_body>& req,
                             http::response_parser<http::string_body>& parser) {
    lowest().expires_after(options.timeout);
    auto ec = Run([&](auto handler) {
      http::async_write(stream, req, [handler](beast::error_code e, size_t) { handler(e); });
    });
    // A server that refuses a request early (413, 503) answers before the
    // body is all sent, and closes: the write then fails, but its answer is
    // there to read.
    const beast::error_code write_error = ec;
    if (ec && ec == beast::error::timeout) return ec;
    ec = Run([&](auto handler) {
      http::async_read_header(stream, buffer, parser,
                              [handler](beast::error_code e, size_t) { handler(e); });
    });
    if (ec) return write_error ? write_error : ec;
    // Refused before a byte of the body is held.
    if (parser.content_length() && *parser.content_length() > options.max_response_body) {
      return http::error::body_limit;
    }
    ec = Run([&](auto handler) {
      http::async_read(stream, buffer, parser,
                       [handler](beast::error_code e, size_t) { handler(e); });
    });
    if (!ec && parser.get().body().size() > options.max_response_body) {
      return http::error::body_limit;
    }
    return ec;
  }

  Result<HttpResult> Request(http::verb verb, std::string_view path, std::string_view body,
                             std::string_view content_type, const HttpHeaders& headers,
                             bool idempotent) {
    http::request<http::string_body> req{verb, base.prefix + std::string(path), 11};
    req.set(http::field::host, base.host);
    req.set(http::field::user_agent, "jejak");
    for (const auto& [name, value] : headers) req.set(name, value);
    if (verb == http::verb::post) {
      req.set(http::field::content_type, content_type);
      req.body() = std::string(body);
    }
    // tlog-tiles: logs may send gzip without asking; clients say they take it.
    req.set(http::field::accept_encoding, "gzip, identity");
    req.keep_alive(true);
    req.prepare_payload();
    // A kept-alive connection the server closed meanwhile fails at once; an
    // idempotent request is then sent once more on a new connection. One
    // that is not goes on a fresh connection and is never sent twice.
    if (!idempotent && connected() && reused) Disconnect();
    for (int attempt = 0;; ++attempt) {
      if (!connected()) RETURN_IF_ERROR(Connect());
      const bool was_reused = reused;
      http::response_parser<http::string_body> parser;
      parser.header_limit(kMaxResponseHeader);
      parser.body_limit(options.max_response_body);
      auto ec = secure ? Exchange(*secure, req, parser) : Exchange(*plain, req, parser);
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        Disconnect();
        return Corruption(where() + std::string(path) + ": response larger than " +
                          std::to_string(options.max_response_body) + " bytes");
      }
      if (ec && idempotent && was_reused && attempt == 0 && ec != beast::error::timeout) {
        Disconnect();
        continue;
      }
      if (ec && !idempotent) {
        Disconnect();
        return Unavailable(fmt::format(
            "{}{}: the connection failed before an answer came ({}): the server may have acted "
            "on the request",
            where(), path, ec == beast::error::timeout ? "timed out" : ec.message()));
      }
      if (ec == beast::error::timeout || ec == net::error::operation_aborted) {
        return Fail("request " + std::string(path), beast::error::timeout);
      }
      if (ec == net::error::connection_reset || ec == http::error::end_of_stream ||
          ec == net::error::broken_pipe) {
        // Closed before it answered: a server over its connection limit does
        // that at once.
        return Fail("request " + std::string(path) + ": the server closed the connection", ec);
      }
      if (ec) {
        Disconnect();
        return Corruption(where() + std::string(path) + ": bad response: " + ec.message());
      }
      auto& res = parser.get();
      HttpResult result;
      result.status = static_cast<int>(res.result_int());
      result.content_type = std::string(res[http::field::content_type]);
      result.etag = std::string(res[http::field::etag]);
      result.body = std::move(res.body());
      const std::string encoding(res[http::field::content_encoding]);
      if (!encoding.empty() && encoding != "identity") {
        if (encoding != "gzip" && encoding != "x-gzip") {
          Disconnect();
          return Corruption(where() + std::string(path) +
                            ": an answer in a content encoding other than gzip");
        }
        // The decoded body is held to the same bound as a plain one.
        auto decoded =
            GzipDecompress(result.body, options.max_response_body, where() + std::string(path));
        if (!decoded.ok()) {
          Disconnect();
          return decoded.status();
        }
        result.body = std::move(*decoded);
      }
      if (res.keep_alive()) {
        reused = true;
      } else {
        Disconnect();
      }
      return result;
    }
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() {
  if (impl_) impl_->Disconnect();
}

Result<std::unique_ptr<HttpClient>> HttpClient::Create(const Url& base, HttpClientOptions options) {
  if (base.tls && !options.tls) {
    return InvalidArgument(base.ToString() + ": an https URL needs the peer's pinned key");
  }
  auto impl = std::make_unique<Impl>();
  impl->base = base;
  impl->options = std::move(options);
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

const Url& HttpClient::base() const { return impl_->base; }

std::unique_ptr<HttpClient> HttpClient::NewConnection() const {
  auto impl = std::make_unique<Impl>();
  impl->base = impl_->base;
  impl->options = impl_->options;
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<HttpResult> HttpClient::Get(std::string_view path) {
  return impl_->Request(http::verb::get, path, {}, {}, {}, /*idempotent=*/true);
}

Result<HttpResult> HttpClient::GetIfNoneMatch(std::string_view path, std::string_view etag) {
  HttpHeaders headers;
  if (!etag.empty()) headers.emplace_back("If-None-Match", std::string(etag));
  return impl_->Request(http::verb::get, path, {}, {}, headers, /*idempotent=*/true);
}

Result<HttpResult> HttpClient::Post(std::string_view path, std::string_view body,
                                    std::string_view content_type, const HttpHeaders& headers,
                                    Idempotence idempotence) {
  return impl_->Request(http::verb::post, path, body, content_type, headers,
                        idempotence == Idempotence::kYes);
}

std::optional<PublicKey> HttpClient::server_key() const { return impl_->server_key; }

}  // namespace jejak
