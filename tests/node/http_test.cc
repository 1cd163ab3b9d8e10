// The HTTP server and client on 127.0.0.1 (plain HTTP; TLS is tls_test.cc).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "node/http.h"

namespace jejak {
namespace {

std::unique_ptr<HttpServer> StartEcho(HttpServerOptions options = {}) {
  auto server = HttpServer::Start(options, [](const HttpRequest& r) {
    if (r.target == "/slow" || r.target == "/up/slow") {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    if (r.target.starts_with("/up/")) {
      return TextResponse(
          200, std::to_string(r.body.size()) + " bytes, key " + std::string(r.JejakHeader("key")));
    }
    if (r.target == "/big") {
      HttpResponse big;
      big.body.assign(64 * 1024, 'x');
      return big;
    }
    return TextResponse(r.method == "POST" ? 201 : 200, r.method + " " + r.target + " " + r.body);
  });
  EXPECT_TRUE(server.ok()) << server.status().message();
  return std::move(*server);
}

std::unique_ptr<HttpClient> ClientFor(const HttpServer& server, HttpClientOptions o = {}) {
  auto url = ParseUrl("http://127.0.0.1:" + std::to_string(server.port()));
  EXPECT_TRUE(url.ok());
  auto client = HttpClient::Create(*url, o);
  EXPECT_TRUE(client.ok());
  return std::move(*client);
}

TEST(Http, GetAndPostOnOneKeptAliveConnection) {
  auto server = StartEcho();
  auto client = ClientFor(*server);
  auto a = client->Get("/a");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, "GET /a \n");
  auto b = client->Post("/b", "hello", "text/plain");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->status, 201);
  EXPECT_EQ(b->body, "POST /b hello\n");
  EXPECT_EQ(server->stats().requests, 2u);
}

TEST(Http, AnOverLongResponseIsRefusedByTheClient) {
  auto server = StartEcho();
  HttpClientOptions o;
  o.max_response_body = 1000;
  auto client = ClientFor(*server, o);
  auto r = client->Get("/big");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("larger than 1000 bytes"), std::string::npos);
  // The client recovers on the next request.
  auto again = client->Get("/a");
  ASSERT_TRUE(again.ok()) << again.status().message();
}

TEST(Http, ASlowResponseTimesOut) {
  auto server = StartEcho();
  HttpClientOptions o;
  o.timeout = std::chrono::milliseconds(100);
  auto client = ClientFor(*server, o);
  auto r = client->Get("/slow");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("timed out after 100 ms"), std::string::npos);
}

TEST(Http, AnOverLongRequestBodyIs413) {
  HttpServerOptions options;
  options.max_request_body = 100;
  auto server = StartEcho(options);
  auto client = ClientFor(*server);
  auto r = client->Post("/b", std::string(1000, 'y'), "text/plain");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(server->stats().bad_requests, 1u);
}

TEST(Http, UploadPathsTakeLargerBodiesAFewAtATime) {
  HttpServerOptions options;
  options.max_request_body = 100;
  options.upload_paths = {{"/up/", 1000}};
  options.max_uploads = 1;
  auto server = StartEcho(options);
  auto client = ClientFor(*server);
  auto small_path = client->Post("/b", std::string(500, 'y'), "text/plain");
  ASSERT_TRUE(small_path.ok()) << small_path.status().message();
  EXPECT_EQ(small_path->status, 413);
  auto upload = client->Post("/up/x", std::string(500, 'y'), "text/csv", {{"X-Jejak-Key", "k1"}});
  ASSERT_TRUE(upload.ok()) << upload.status().message();
  EXPECT_EQ(upload->status, 200);
  EXPECT_EQ(upload->body, "500 bytes, key k1\n");
  auto too_large = client->Post("/up/x", std::string(2000, 'y'), "text/csv");
  ASSERT_TRUE(too_large.ok()) << too_large.status().message();
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(too_large->body, "a body larger than 1000 bytes, the bound of this path\n");

  // One upload at a time: a second one while the first is handled is 503,
  // and the slot is free again afterwards.
  std::thread first([&] {
    auto c = ClientFor(*server);
    auto r = c->Post("/up/slow", std::string(500, 'y'), "text/csv");
    EXPECT_TRUE(r.ok() && r->status == 200);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto busy = ClientFor(*server)->Post("/up/x", std::string(500, 'y'), "text/csv");
  first.join();
  ASSERT_TRUE(busy.ok()) << busy.status().message();
  EXPECT_EQ(busy->status, 503);
  auto after = ClientFor(*server)->Post("/up/x", std::string(500, 'y'), "text/csv");
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->status, 200);
}

TEST(Http, ASilentConnectionIsClosedAtTheHeaderDeadlineAndOthersAreServed) {
  HttpServerOptions options;
  options.header_timeout = std::chrono::milliseconds(200);
  auto server = StartEcho(options);
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket silent(ioc);
  silent.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  boost::asio::write(silent, boost::asio::buffer(std::string("GET / HTTP/1.1\r\n")));  // never ends
  auto client = ClientFor(*server);
  auto r = client->Get("/a");
  ASSERT_TRUE(r.ok()) << r.status().message();
  char byte;
  boost::system::error_code ec;
  const auto start = std::chrono::steady_clock::now();
  boost::asio::read(silent, boost::asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec);  // closed by the server
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Http, PlainConnectionsOverThePerAddressLimitAreRefused) {
  HttpServerOptions options;
  options.max_connections_per_address = 2;
  auto server = StartEcho(options);
  boost::asio::io_context ioc;
  std::vector<boost::asio::ip::tcp::socket> held;
  for (int i = 0; i < 2; ++i) {
    held.emplace_back(ioc);
    held.back().connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto client = ClientFor(*server);
  auto r = client->Get("/a");
  EXPECT_FALSE(r.ok());
  EXPECT_GE(server->stats().refused_connections, 1u);
  held.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto again = client->Get("/a");
  EXPECT_TRUE(again.ok()) << again.status().message();
}

TEST(Http, UrlsAreParsedStrictly) {
  auto u = ParseUrl("https://127.0.0.1:8443/jejak.pkh/kab/7404/");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->prefix, "/jejak.pkh/kab/7404");
  EXPECT_FALSE(ParseUrl("ftp://x:1").ok());
  EXPECT_FALSE(ParseUrl("http://x").ok());
  EXPECT_FALSE(ParseUrl("http://x:0").ok());
  EXPECT_FALSE(ParseUrl("http://x:70000").ok());
  EXPECT_TRUE(IsLoopbackHost("127.0.0.2"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
}

// Requests sent back to back on one connection are each answered, in order.
TEST(Http, PipelinedRequestsAreAnsweredInOrder) {
  auto server = StartEcho();
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  boost::asio::write(s, boost::asio::buffer(std::string(
                            "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
                            "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
  std::string all;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    const size_t n = s.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    all.append(buf, n);
  }
  const size_t one = all.find("GET /one");
  const size_t two = all.find("GET /two");
  ASSERT_NE(one, std::string::npos) << all;
  ASSERT_NE(two, std::string::npos) << all;
  EXPECT_LT(one, two);
}

// A server that refuses an upload from its header answers before the body is
// all sent; the client shows that answer, not a broken pipe.
TEST(Http, AnEarlyRefusalOfALargeBodyReachesTheClient) {
  HttpServerOptions options;
  options.max_request_body = 100;
  options.upload_paths = {{"/up/", 1000}};
  options.check_upload = [](const HttpRequest& h) -> std::optional<HttpResponse> {
    if (h.JejakHeader("key").empty()) return TextResponse(403, "unsigned upload");
    return std::nullopt;
  };
  auto server = StartEcho(options);
  auto client = ClientFor(*server);
  auto too_large = client->Post("/up/x", std::string(8 << 20, 'y'), "text/csv");
  ASSERT_TRUE(too_large.ok()) << too_large.status().message();
  EXPECT_EQ(too_large->status, 413);
  auto unsigned_upload = client->Post("/up/x", std::string(500, 'y'), "text/csv");
  ASSERT_TRUE(unsigned_upload.ok()) << unsigned_upload.status().message();
  EXPECT_EQ(unsigned_upload->status, 403);
  EXPECT_EQ(unsigned_upload->body, "unsigned upload\n");
  // Refused before its body was read: a header that promises much and sends
  // nothing is answered at once.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), server->port()});
  boost::asio::write(s, boost::asio::buffer(std::string(
                            "POST /up/x HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n")));
  char buf[4096];
  boost::system::error_code ec;
  const size_t n = s.read_some(boost::asio::buffer(buf), ec);
  EXPECT_NE(std::string(buf, n).find("403"), std::string::npos);
  auto signed_upload =
      client->Post("/up/x", std::string(500, 'y'), "text/csv", {{"X-Jejak-Key", "k"}});
  ASSERT_TRUE(signed_upload.ok());
  EXPECT_EQ(signed_upload->status, 200);
}

}  // namespace
}  // namespace jejak
