// TLS 1.3 with certificates from node keys and pinned peers (node/tls.h):
// real connections over 127.0.0.1, and the certificate itself.
#include "node/tls.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace jejak {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr std::string_view kServerName = "jejak.pkh/kab/7404";
constexpr std::string_view kClientName = "jejak.pkh/kab/7405";

SigningKey KeyFrom(uint8_t byte) {
  Seed seed;
  seed.fill(byte);
  return SigningKey::FromSeed(seed);
}

// A check that accepts `allowed` only and records every key it is shown.
PeerKeyCheck Pinned(const PublicKey& allowed, std::vector<PublicKey>* seen) {
  return [allowed, seen](const PublicKey& key) {
    seen->push_back(key);
    return key == allowed;
  };
}

// OpenSSL's reason code (SSL_R_...) of a TLS error; -1 for any other error.
int SslReason(const error_code& ec) {
  if (ec.category() != asio::error::get_ssl_category()) return -1;
  return ERR_GET_REASON(static_cast<unsigned long>(static_cast<unsigned int>(ec.value())));
}

// What one end of a connection saw.
struct End {
  error_code handshake;
  error_code exchange;  // of the write and read after the handshake
  int version = 0;
  int peer_signature_nid = NID_undef;
  bool resumable = false;  // the session could be resumed (a ticket arrived)
  Result<PublicKey> peer_key = NotFound("no handshake");
  std::string received;
};

struct Connection {
  End server;
  End client;
};

class Talker {
 public:
  Talker(asio::io_context& ioc, ssl::context& ctx, ssl::stream_base::handshake_type type,
         std::string say)
      : stream_(ioc, ctx), type_(type), say_(std::move(say)), buffer_(4, '\0') {}

  tcp::socket& socket() { return stream_.next_layer(); }
  const End& end() const { return end_; }

  // Handshakes, writes `say`, reads four bytes, closes; stops at the first error.
  void Run() {
    stream_.async_handshake(type_, [this](error_code ec) {
      end_.handshake = ec;
      if (ec) return Close();
      SSL* ssl = stream_.native_handle();
      end_.version = SSL_version(ssl);
      SSL_get_peer_signature_type_nid(ssl, &end_.peer_signature_nid);
      end_.peer_key = PeerPublicKey(ssl);
      asio::async_write(stream_, asio::buffer(say_), [this](error_code ec, size_t) {
        end_.exchange = ec;
        if (ec) return Close();
        asio::async_read(stream_, asio::buffer(buffer_), [this](error_code ec, size_t) {
          end_.exchange = ec;
          if (!ec) end_.received = buffer_;
          SSL_SESSION* session = SSL_get_session(stream_.native_handle());
          end_.resumable = session != nullptr && SSL_SESSION_is_resumable(session) == 1;
          Close();
        });
      });
    });
  }

 private:
  void Close() {
    error_code ignored;
    socket().close(ignored);
  }

  ssl::stream<tcp::socket> stream_;
  ssl::stream_base::handshake_type type_;
  std::string say_;
  std::string buffer_;
  End end_;
};

// One connection over 127.0.0.1: the client says "ping", the server "pong".
// Both ends run on this thread, with a deadline so that no test can hang.
Connection Connect(ssl::context& server_ctx, ssl::context& client_ctx) {
  asio::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  Talker server(ioc, server_ctx, ssl::stream_base::server, "pong");
  Talker client(ioc, client_ctx, ssl::stream_base::client, "ping");
  acceptor.async_accept(server.socket(), [&](error_code ec) {
    EXPECT_FALSE(ec) << ec.message();
    if (!ec) server.Run();
  });
  client.socket().async_connect(acceptor.local_endpoint(), [&](error_code ec) {
    EXPECT_FALSE(ec) << ec.message();
    if (!ec) client.Run();
  });
  ioc.run_for(std::chrono::seconds(20));
  EXPECT_TRUE(ioc.stopped()) << "the connection did not finish within 20 s";
  return Connection{server.end(), client.end()};
}

std::shared_ptr<ssl::context> ServerContext(const SigningKey& key, PeerKeyCheck check) {
  auto ctx = MakeServerTlsContext(key, kServerName, std::move(check));
  EXPECT_TRUE(ctx.ok()) << ctx.status().message();
  return ctx.ok() ? *ctx : nullptr;
}

std::shared_ptr<ssl::context> ClientContext(const SigningKey* key, PeerKeyCheck check) {
  auto ctx = MakeClientTlsContext(key, kClientName, std::move(check));
  EXPECT_TRUE(ctx.ok()) << ctx.status().message();
  return ctx.ok() ? *ctx : nullptr;
}

TEST(Tls, PinnedPeersExchangeBytesOverTls13WithEd25519) {
  const SigningKey server_key = KeyFrom(1), client_key = KeyFrom(2);
  std::vector<PublicKey> server_saw, client_saw;
  auto server_ctx = ServerContext(server_key, Pinned(client_key.public_key(), &server_saw));
  auto client_ctx = ClientContext(&client_key, Pinned(server_key.public_key(), &client_saw));
  ASSERT_TRUE(server_ctx && client_ctx);

  const Connection c = Connect(*server_ctx, *client_ctx);
  ASSERT_FALSE(c.client.handshake) << c.client.handshake.message();
  ASSERT_FALSE(c.server.handshake) << c.server.handshake.message();
  EXPECT_FALSE(c.client.exchange) << c.client.exchange.message();
  EXPECT_FALSE(c.server.exchange) << c.server.exchange.message();
  EXPECT_EQ(c.client.received, "pong");
  EXPECT_EQ(c.server.received, "ping");
  EXPECT_EQ(c.client.version, TLS1_3_VERSION);
  EXPECT_EQ(c.server.version, TLS1_3_VERSION);
  // Each end proved its key with an Ed25519 CertificateVerify.
  EXPECT_EQ(c.client.peer_signature_nid, NID_ED25519);
  EXPECT_EQ(c.server.peer_signature_nid, NID_ED25519);
  ASSERT_TRUE(c.client.peer_key.ok()) << c.client.peer_key.status().message();
  EXPECT_EQ(*c.client.peer_key, server_key.public_key());
  EXPECT_EQ(client_saw, std::vector<PublicKey>{server_key.public_key()});
  EXPECT_EQ(server_saw, std::vector<PublicKey>{client_key.public_key()});
  // No session ticket: a later connection cannot skip the check by resuming.
  EXPECT_FALSE(c.client.resumable);
}

TEST(Tls, PeerPublicKeyOnTheServerIsTheClientsKey) {
  const SigningKey server_key = KeyFrom(1), client_key = KeyFrom(2);
  // An empty client check accepts any Ed25519 client certificate.
  auto server_ctx = ServerContext(server_key, nullptr);
  std::vector<PublicKey> client_saw;
  auto client_ctx = ClientContext(&client_key, Pinned(server_key.public_key(), &client_saw));
  ASSERT_TRUE(server_ctx && client_ctx);

  const Connection c = Connect(*server_ctx, *client_ctx);
  ASSERT_FALSE(c.server.handshake) << c.server.handshake.message();
  ASSERT_TRUE(c.server.peer_key.ok()) << c.server.peer_key.status().message();
  EXPECT_EQ(*c.server.peer_key, client_key.public_key());
  EXPECT_EQ(c.server.received, "ping");
}

TEST(Tls, AClientPinnedToAnotherKeyRefusesTheServer) {
  const SigningKey server_key = KeyFrom(1), client_key = KeyFrom(2), other = KeyFrom(3);
  auto server_ctx = ServerContext(server_key, nullptr);
  std::vector<PublicKey> client_saw;
  auto client_ctx = ClientContext(&client_key, Pinned(other.public_key(), &client_saw));
  ASSERT_TRUE(server_ctx && client_ctx);

  const Connection c = Connect(*server_ctx, *client_ctx);
  EXPECT_EQ(SslReason(c.client.handshake), SSL_R_CERTIFICATE_VERIFY_FAILED)
      << c.client.handshake.message();
  EXPECT_EQ(client_saw, std::vector<PublicKey>{server_key.public_key()});
  EXPECT_TRUE(c.server.handshake) << "the server finished a handshake the client refused";
  EXPECT_EQ(c.server.received, "");
  EXPECT_EQ(c.client.received, "");
}

TEST(Tls, AServerRefusesAClientKeyItsCheckRefuses) {
  const SigningKey server_key = KeyFrom(1), client_key = KeyFrom(2), other = KeyFrom(3);
  std::vector<PublicKey> server_saw;
  auto server_ctx = ServerContext(server_key, Pinned(other.public_key(), &server_saw));
  std::vector<PublicKey> client_saw;
  auto client_ctx = ClientContext(&client_key, Pinned(server_key.public_key(), &client_saw));
  ASSERT_TRUE(server_ctx && client_ctx);

  const Connection c = Connect(*server_ctx, *client_ctx);
  EXPECT_EQ(SslReason(c.server.handshake), SSL_R_CERTIFICATE_VERIFY_FAILED)
      << c.server.handshake.message();
  EXPECT_EQ(server_saw, std::vector<PublicKey>{client_key.public_key()});
  // In TLS 1.3 the client's handshake ends before the server judges its
  // certificate; the refusal reaches the client as an alert or a reset.
  EXPECT_TRUE(c.client.handshake || c.client.exchange) << "the client exchanged data";
  EXPECT_EQ(c.client.received, "");
  EXPECT_EQ(c.server.received, "");
}

TEST(Tls, AClientWithoutCertificateConnects) {
  const SigningKey server_key = KeyFrom(1);
  std::vector<PublicKey> server_saw, client_saw;
  auto server_ctx = ServerContext(server_key, Pinned(KeyFrom(2).public_key(), &server_saw));
  auto client_ctx = ClientContext(nullptr, Pinned(server_key.public_key(), &client_saw));
  ASSERT_TRUE(server_ctx && client_ctx);

  const Connection c = Connect(*server_ctx, *client_ctx);
  ASSERT_FALSE(c.client.handshake) << c.client.handshake.message();
  ASSERT_FALSE(c.server.handshake) << c.server.handshake.message();
  EXPECT_EQ(c.client.received, "pong");
  EXPECT_EQ(c.server.received, "ping");
  EXPECT_EQ(c.server.peer_key.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.server.peer_key.status().message().find("presented no certificate"),
            std::string::npos);
  EXPECT_TRUE(server_saw.empty());
}

// A self-signed ECDSA P-256 certificate: well-formed X.509, but not Ed25519.
std::shared_ptr<ssl::context> EcdsaClientContext() {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!pkey || !cert) return nullptr;
  X509* x = cert.get();
  const auto* cn = reinterpret_cast<const unsigned char*>("not-ed25519");
  const bool built = ASN1_INTEGER_set(X509_get_serialNumber(x), 1) == 1 &&
                     X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr &&
                     X509_gmtime_adj(X509_getm_notAfter(x), 3600) != nullptr &&
                     X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC, cn,
                                                -1, -1, 0) == 1 &&
                     X509_set_issuer_name(x, X509_get_subject_name(x)) == 1 &&
                     X509_set_pubkey(x, pkey.get()) == 1 &&
                     X509_sign(x, pkey.get(), EVP_sha256()) > 0 &&
                     SSL_CTX_use_certificate(ctx->native_handle(), x) == 1 &&
                     SSL_CTX_use_PrivateKey(ctx->native_handle(), pkey.get()) == 1;
  if (!built) return nullptr;
  ctx->set_verify_mode(ssl::verify_none);
  return ctx;
}

TEST(Tls, AServerRefusesANonEd25519ClientCertificateWhateverItsCheck) {
  const SigningKey server_key = KeyFrom(1);
  int checks = 0;
  auto server_ctx = ServerContext(server_key, [&checks](const PublicKey&) {
    ++checks;
    return true;
  });
  auto client_ctx = EcdsaClientContext();
  ASSERT_TRUE(server_ctx && client_ctx);

  const Connection c = Connect(*server_ctx, *client_ctx);
  EXPECT_EQ(SslReason(c.server.handshake), SSL_R_CERTIFICATE_VERIFY_FAILED)
      << c.server.handshake.message();
  EXPECT_EQ(checks, 0);
  EXPECT_EQ(c.server.received, "");
}

TEST(Tls, AServerRefusesTls12) {
  const SigningKey server_key = KeyFrom(1);
  auto server_ctx = ServerContext(server_key, nullptr);
  std::vector<PublicKey> client_saw;
  auto client_ctx = ClientContext(nullptr, Pinned(server_key.public_key(), &client_saw));
  ASSERT_TRUE(server_ctx && client_ctx);
  ASSERT_EQ(SSL_CTX_set_min_proto_version(client_ctx->native_handle(), TLS1_2_VERSION), 1);
  ASSERT_EQ(SSL_CTX_set_max_proto_version(client_ctx->native_handle(), TLS1_2_VERSION), 1);

  const Connection c = Connect(*server_ctx, *client_ctx);
  EXPECT_EQ(SslReason(c.server.handshake), SSL_R_UNSUPPORTED_PROTOCOL)
      << c.server.handshake.message();
  EXPECT_TRUE(c.client.handshake);
  EXPECT_TRUE(client_saw.empty());
}

TEST(Tls, AClientContextNeedsAServerCheck) {
  const SigningKey key = KeyFrom(2);
  auto ctx = MakeClientTlsContext(&key, kClientName, nullptr);
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(ctx.status().message().find("check of the server's key"), std::string::npos);
}

TEST(Tls, PeerPublicKeyOfNoConnectionIsInvalidArgument) {
  EXPECT_EQ(PeerPublicKey(nullptr).status().code(), StatusCode::kInvalidArgument);
}

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr ParsePem(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

X509Ptr CertificateFor(const SigningKey& key, std::string_view name) {
  auto pem = NodeCertificatePem(key, name);
  EXPECT_TRUE(pem.ok()) << pem.status().message();
  return pem.ok() ? ParsePem(*pem) : X509Ptr(nullptr, X509_free);
}

// The subject's common name as UTF-8; "" if there is none.
std::string CommonNameOf(X509* cert) {
  X509_NAME* subject = X509_get_subject_name(cert);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return "";
  unsigned char* utf8 = nullptr;
  const int len =
      ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
  if (len < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

std::tm TimeOf(const ASN1_TIME* t) {
  std::tm tm{};
  EXPECT_EQ(ASN1_TIME_to_tm(t, &tm), 1);
  return tm;
}

TEST(Tls, TheCertificateIsDeterministicAndHoldsTheNodeKey) {
  const SigningKey key = KeyFrom(7);
  auto a = NodeCertificatePem(key, kServerName);
  auto b = NodeCertificatePem(key, kServerName);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().message() << b.status().message();
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u);

  X509Ptr cert = ParsePem(*a);
  ASSERT_NE(cert, nullptr) << "PEM_read_bio_X509 refused:\n" << *a;
  EVP_PKEY* pkey = X509_get0_pubkey(cert.get());
  ASSERT_NE(pkey, nullptr);
  ASSERT_EQ(EVP_PKEY_id(pkey), EVP_PKEY_ED25519);
  PublicKey raw{};
  size_t len = raw.size();
  ASSERT_EQ(EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len), 1);
  EXPECT_EQ(len, raw.size());
  EXPECT_EQ(raw, key.public_key());
  // Self-signed by the node key, and named after the node.
  EXPECT_EQ(X509_verify(cert.get(), pkey), 1);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(CommonNameOf(cert.get()), kServerName);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  // Valid from 2000-01-01 to 9999-12-31 (UTCTime, then GeneralizedTime).
  const std::tm from = TimeOf(X509_get0_notBefore(cert.get()));
  const std::tm until = TimeOf(X509_get0_notAfter(cert.get()));
  EXPECT_EQ(std::vector<int>({from.tm_year + 1900, from.tm_mon + 1, from.tm_mday, from.tm_hour}),
            std::vector<int>({2000, 1, 1, 0}));
  EXPECT_EQ(std::vector<int>({until.tm_year + 1900, until.tm_mon + 1, until.tm_mday, until.tm_hour,
                              until.tm_min, until.tm_sec}),
            std::vector<int>({9999, 12, 31, 23, 59, 59}));
  EXPECT_EQ(ASN1_STRING_type(X509_get0_notBefore(cert.get())), V_ASN1_UTCTIME);
  EXPECT_EQ(ASN1_STRING_type(X509_get0_notAfter(cert.get())), V_ASN1_GENERALIZEDTIME);
}

TEST(Tls, TheSerialComesFromTheKeyAndIsPositive) {
  X509Ptr a = CertificateFor(KeyFrom(7), "a");
  X509Ptr a_renamed = CertificateFor(KeyFrom(7), "b");
  X509Ptr other = CertificateFor(KeyFrom(8), "a");
  ASSERT_TRUE(a && a_renamed && other);
  const ASN1_INTEGER* serial = X509_get0_serialNumber(a.get());
  EXPECT_EQ(ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(a_renamed.get())), 0);
  EXPECT_NE(ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(other.get())), 0);
  uint64_t value = 0;
  ASSERT_EQ(ASN1_INTEGER_get_uint64(&value, serial), 1) << "negative or over 64 bits";
  EXPECT_GT(value, 0u);
}

TEST(Tls, TheCommonNameIsCutTo64CharactersAndSanitized) {
  const SigningKey key = KeyFrom(7);
  struct Case {
    std::string name;
    std::string common_name;
  };
  std::string e_acute_70, e_acute_64;
  for (int i = 0; i < 70; ++i) e_acute_70 += "\xc3\xa9";
  for (int i = 0; i < 64; ++i) e_acute_64 += "\xc3\xa9";
  const std::vector<Case> cases = {
      {"jejak.pkh/kab/7404", "jejak.pkh/kab/7404"},
      {std::string(100, 'a'), std::string(64, 'a')},
      {e_acute_70, e_acute_64},  // 64 characters, not 64 bytes
      {"a\nb\x01"
       "c\x7f"
       "d\xc2\x85"
       "e",
       "a?b?c?d?e"},  // C0, DEL, C1
      {"bad \xff utf-8 \xc3", "bad ? utf-8 ?"},
      {"overlong \xc0\xaf and surrogate \xed\xa0\x80", "overlong ?? and surrogate ???"},
      {std::string("nul\0x", 5), "nul?x"},
      {"", "jejak-node"},
  };
  for (const Case& c : cases) {
    X509Ptr cert = CertificateFor(key, c.name);
    ASSERT_NE(cert, nullptr) << c.name;
    EXPECT_EQ(CommonNameOf(cert.get()), c.common_name) << "name: " << c.name;
  }
}

}  // namespace
}  // namespace jejak

namespace jejak {
namespace {

// The console's listener holds two certificates: Jejak's clients (Ed25519
// alone) meet the node certificate they pin; a browser, which offers no
// Ed25519, meets the ECDSA one, kept in the node folder and reused at the
// next start.
TEST(Tls, ABrowserMeetsTheConsoleCertificateAndAPeerTheNodeCertificate) {
  const std::string dir = testing::MakeTempFolder("tls-browser");
  const std::string pem = dir + "/console-tls.pem";
  const SigningKey server_key = KeyFrom(1);
  std::vector<PublicKey> client_saw;
  auto server_ctx = ServerContext(server_key, nullptr);
  ASSERT_TRUE(server_ctx);
  ASSERT_TRUE(AddBrowserCertificate(*server_ctx, pem, "jejak.pkh/kab/7301").ok());
  const std::string made = testing::ReadBinary(pem);
  EXPECT_NE(made.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(made.find("BEGIN CERTIFICATE"), std::string::npos);

  auto peer = ClientContext(nullptr, Pinned(server_key.public_key(), &client_saw));
  ASSERT_TRUE(peer);
  const Connection c = Connect(*server_ctx, *peer);
  ASSERT_FALSE(c.client.handshake) << c.client.handshake.message();
  EXPECT_EQ(c.client.peer_signature_nid, NID_ED25519);
  ASSERT_EQ(client_saw.size(), 1u);
  EXPECT_EQ(client_saw[0], server_key.public_key());

  // A browser's offer: ECDSA and RSA-PSS, no Ed25519.
  auto browser = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set1_sigalgs_list(browser->native_handle(),
                            "ECDSA+SHA256:ECDSA+SHA384:rsa_pss_rsae_sha256");
  SSL_CTX_set_verify(browser->native_handle(), SSL_VERIFY_NONE, nullptr);
  const Connection b = Connect(*server_ctx, *browser);
  ASSERT_FALSE(b.client.handshake) << b.client.handshake.message();
  EXPECT_EQ(b.client.peer_signature_nid, EVP_PKEY_EC);
  EXPECT_EQ(b.client.received, "pong");

  // The next start reuses the file; a file that is not a key and a
  // certificate is refused, naming it.
  auto again = ServerContext(server_key, nullptr);
  ASSERT_TRUE(AddBrowserCertificate(*again, pem, "x").ok());
  EXPECT_EQ(testing::ReadBinary(pem), made);
  ASSERT_TRUE(testing::WriteBinary(pem, "not a certificate\n"));
  Status bad = AddBrowserCertificate(*again, pem, "x");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find(pem), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace jejak
