// Connections counted by who holds them (node/http.h HttpServerOptions): a
// registered peer by its TLS key, however many share its address; everyone
// else by address, within a share of their own. And conditional GETs.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "node/http.h"
#include "node/tls.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

using testing::KeyFromByte;

struct TlsServer {
  std::unique_ptr<HttpServer> server;
  SigningKey key = KeyFromByte(1);
};

// A TLS server whose registered peers are the keys of bytes in `peers`.
TlsServer Start(HttpServerOptions options, std::set<uint8_t> peers) {
  TlsServer s;
  std::set<PublicKey> registered;
  for (uint8_t b : peers) registered.insert(KeyFromByte(b).public_key());
  auto tls =
      MakeServerTlsContext(s.key, "jejak.pkh/kemensos", [](const PublicKey&) { return true; });
  EXPECT_TRUE(tls.ok()) << tls.status().message();
  options.tls = *tls;
  options.is_peer = [registered](const PublicKey& k) { return registered.count(k) > 0; };
  auto server = HttpServer::Start(options, [](const HttpRequest& r) {
    HttpResponse response = TextResponse(200, "ok " + r.target);
    if (r.target == "/tagged") response.etag = EtagOf(response.body);
    return response;
  });
  EXPECT_TRUE(server.ok()) << server.status().message();
  s.server = std::move(*server);
  return s;
}

// A client presenting the key of byte `b` (0: no certificate), its
// connection opened by a first GET. Null when the server refused it.
std::unique_ptr<HttpClient> Connected(const TlsServer& s, uint8_t b) {
  const SigningKey key = KeyFromByte(b);
  const PublicKey server_key = s.key.public_key();
  auto tls = MakeClientTlsContext(b == 0 ? nullptr : &key, "client",
                                  [server_key](const PublicKey& k) { return k == server_key; });
  EXPECT_TRUE(tls.ok());
  HttpClientOptions o;
  o.tls = *tls;
  o.timeout = std::chrono::seconds(5);
  auto url = ParseUrl("https://127.0.0.1:" + std::to_string(s.server->port()));
  auto client = HttpClient::Create(*url, o);
  EXPECT_TRUE(client.ok());
  auto r = (*client)->Get("/healthz");
  if (!r.ok() || r->status != 200) return nullptr;
  return std::move(*client);
}

TEST(PeerLimits, RegisteredPeersBehindOneAddressAreCountedByKey) {
  HttpServerOptions o;
  o.max_connections_per_address = 2;
  o.max_connections_per_peer = 3;
  TlsServer s = Start(o, {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  // Eleven registered nodes behind 127.0.0.1, three connections each: all
  // served, though the address's anonymous share is two.
  std::vector<std::unique_ptr<HttpClient>> held;
  for (uint8_t b = 2; b <= 12; ++b) {
    for (int i = 0; i < 3; ++i) {
      held.push_back(Connected(s, b));
      ASSERT_NE(held.back(), nullptr) << "peer " << int(b) << " connection " << i;
    }
  }
  EXPECT_EQ(s.server->stats().peer_connections, 33u);
  // A fourth connection of one peer is over its own limit.
  EXPECT_EQ(Connected(s, 2), nullptr);
  // The others' connections still answer.
  auto r = held[3]->Get("/again");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->body, "ok /again\n");
}

TEST(PeerLimits, AnonymousClientsHaveTheirShareAndNeverCrowdOutPeers) {
  HttpServerOptions o;
  o.max_connections_per_address = 2;
  o.max_connections_per_peer = 2;
  TlsServer s = Start(o, {2});
  std::vector<std::unique_ptr<HttpClient>> held;
  // No certificate, and a key the registry does not list: both anonymous,
  // counted under the address.
  held.push_back(Connected(s, 0));
  held.push_back(Connected(s, 9));
  ASSERT_NE(held[0], nullptr);
  ASSERT_NE(held[1], nullptr);
  EXPECT_EQ(s.server->stats().anonymous_connections, 2u);
  EXPECT_EQ(Connected(s, 0), nullptr);
  EXPECT_EQ(Connected(s, 10), nullptr);
  EXPECT_GE(s.server->stats().refused_connections, 2u);
  // The registered peer at the same address is served.
  auto peer = Connected(s, 2);
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(s.server->stats().peer_connections, 1u);
  // A released anonymous slot is taken again.
  held.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_NE(Connected(s, 0), nullptr);
}

TEST(PeerLimits, TheAnonymousTotalIsBoundedWhateverTheAddresses) {
  HttpServerOptions o;
  o.max_anonymous_connections = 3;
  o.max_connections_per_address = 10;
  TlsServer s = Start(o, {2});
  std::vector<std::unique_ptr<HttpClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(Connected(s, 0));
    ASSERT_NE(held.back(), nullptr) << i;
  }
  EXPECT_EQ(Connected(s, 0), nullptr);
  EXPECT_NE(Connected(s, 2), nullptr);  // a peer is not counted in it
}

TEST(ConditionalGet, AnUnchangedBodyIsA304WithoutIt) {
  TlsServer s = Start({}, {2});
  auto client = Connected(s, 2);
  ASSERT_NE(client, nullptr);
  auto first = client->GetIfNoneMatch("/tagged", "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->etag, EtagOf("ok /tagged\n"));
  auto again = client->GetIfNoneMatch("/tagged", first->etag);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  EXPECT_EQ(again->etag, first->etag);
  // The connection carries on after a 304.
  auto other = client->GetIfNoneMatch("/tagged", "\"0123\"");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 200);
  EXPECT_EQ(other->body, "ok /tagged\n");
  // A response without a validator is never a 304.
  auto untagged = client->GetIfNoneMatch("/plain", first->etag);
  ASSERT_TRUE(untagged.ok());
  EXPECT_EQ(untagged->status, 200);
}

TEST(ConditionalGet, IfNoneMatchListsAndWildcards) {
  const std::string tag = EtagOf("x");
  EXPECT_EQ(tag.size(), 34u);
  EXPECT_TRUE(EtagMatches(tag, tag));
  EXPECT_TRUE(EtagMatches("\"a\", " + tag, tag));
  EXPECT_TRUE(EtagMatches("W/" + tag, tag));
  EXPECT_TRUE(EtagMatches("*", tag));
  EXPECT_FALSE(EtagMatches("", tag));
  EXPECT_FALSE(EtagMatches("\"a\",\"b\"", tag));
  EXPECT_FALSE(EtagMatches(tag, ""));
  EXPECT_NE(EtagOf("x"), EtagOf("y"));
}

}  // namespace
}  // namespace jejak
