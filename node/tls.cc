#include "node/tls.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <optional>

#include "crypto/sha256.h"

namespace jejak {
namespace {

namespace ssl = boost::asio::ssl;

std::string OpenSslError(std::string_view what) {
  std::string out(what);
  if (unsigned long e = ERR_get_error(); e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += ": ";
    out += buf;
  }
  ERR_clear_error();
  return out;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

Result<Pkey> PrivateKey(const SigningKey& key) {
  Pkey k(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, key.seed().data(),
                                      key.seed().size()));
  if (!k) return Internal(OpenSslError("cannot load the node key into OpenSSL"));
  return k;
}

std::optional<PublicKey> Ed25519KeyOf(X509* cert) {
  EVP_PKEY* k = X509_get0_pubkey(cert);
  if (k == nullptr || EVP_PKEY_id(k) != EVP_PKEY_ED25519) return std::nullopt;
  PublicKey out;
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(k, out.data(), &len) != 1 || len != out.size()) {
    return std::nullopt;
  }
  return out;
}

Result<Cert> MakeCertificate(const SigningKey& key, std::string_view name, EVP_PKEY* pkey) {
  Cert cert(X509_new());
  if (!cert) return Internal(OpenSslError("X509_new"));
  X509_set_version(cert.get(), 2);
  // Serial: the first 8 bytes of SHA-256 of the key, positive.
  const Hash h = Sha256(ByteSpan(key.public_key().data(), key.public_key().size()));
  uint64_t serial = 0;
  for (int i = 0; i < 8; ++i) serial = serial << 8 | h[i];
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial >> 1);
  ASN1_TIME_set_string(X509_getm_notBefore(cert.get()), "20000101000000Z");
  ASN1_TIME_set_string(X509_getm_notAfter(cert.get()), "99991231235959Z");
  X509_NAME* subject = X509_get_subject_name(cert.get());
  std::string cn(name.substr(0, 64));
  if (cn.empty()) cn = "jejak-node";
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.data()),
                             static_cast<int>(cn.size()), -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  if (X509_set_pubkey(cert.get(), pkey) != 1) return Internal(OpenSslError("X509_set_pubkey"));
  if (X509_sign(cert.get(), pkey, nullptr) <= 0) return Internal(OpenSslError("X509_sign"));
  return cert;
}

Status UseNodeIdentity(ssl::context& ctx, const SigningKey& key, std::string_view name) {
  Pkey pkey;
  ASSIGN_OR_RETURN(pkey, PrivateKey(key));
  Cert cert;
  ASSIGN_OR_RETURN(cert, MakeCertificate(key, name, pkey.get()));
  if (SSL_CTX_use_certificate(ctx.native_handle(), cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.native_handle(), pkey.get()) != 1) {
    return Internal(OpenSslError("cannot install the node certificate"));
  }
  return Status::Ok();
}

Result<std::shared_ptr<ssl::context>> NewContext(ssl::context::method method) {
  auto ctx = std::make_shared<ssl::context>(method);
  SSL_CTX* raw = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(raw, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(raw, TLS1_3_VERSION) != 1) {
    return Internal(OpenSslError("cannot restrict TLS to 1.3"));
  }
  SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_OFF);
  return ctx;
}

// Chain errors are expected (self-signed); only the leaf's key decides.
void InstallCheck(ssl::context& ctx, PeerKeyCheck check, bool require) {
  ctx.set_verify_mode(ssl::verify_peer | (require ? ssl::verify_fail_if_no_peer_cert : 0));
  ctx.set_verify_callback([check = std::move(check)](bool, ssl::verify_context& vc) {
    X509_STORE_CTX* store = vc.native_handle();
    if (X509_STORE_CTX_get_error_depth(store) != 0) return true;
    X509* cert = X509_STORE_CTX_get_current_cert(store);
    if (cert == nullptr) return false;
    auto key = Ed25519KeyOf(cert);
    if (!key) return false;
    if (check && !check(*key)) return false;
    X509_STORE_CTX_set_error(store, X509_V_OK);
    return true;
  });
}

}  // namespace

Result<std::string> NodeCertificatePem(const SigningKey& key, std::string_view name) {
  Pkey pkey;
  ASSIGN_OR_RETURN(pkey, PrivateKey(key));
  Cert cert;
  ASSIGN_OR_RETURN(cert, MakeCertificate(key, name, pkey.get()));
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return Internal("BIO_new");
  PEM_write_bio_X509(bio, cert.get());
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  return pem;
}

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const SigningKey& key,
                                                           std::string_view name,
                                                           PeerKeyCheck check_client) {
  std::shared_ptr<ssl::context> ctx;
  ASSIGN_OR_RETURN(ctx, NewContext(ssl::context::tls_server));
  RETURN_IF_ERROR(UseNodeIdentity(*ctx, key, name));
  InstallCheck(*ctx, std::move(check_client), /*require=*/false);
  return ctx;
}

Result<std::shared_ptr<ssl::context>> MakeClientTlsContext(const SigningKey* key,
                                                           std::string_view name,
                                                           PeerKeyCheck check_server) {
  if (!check_server) return InvalidArgument("a TLS client needs the server's pinned keys");
  std::shared_ptr<ssl::context> ctx;
  ASSIGN_OR_RETURN(ctx, NewContext(ssl::context::tls_client));
  if (key != nullptr) RETURN_IF_ERROR(UseNodeIdentity(*ctx, *key, name));
  InstallCheck(*ctx, std::move(check_server), /*require=*/true);
  return ctx;
}

Result<PublicKey> PeerPublicKey(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return NotFound("the peer presented no certificate");
  auto key = Ed25519KeyOf(cert);
  if (!key) return NotFound("the peer's certificate holds no Ed25519 key");
  return *key;
}

}  // namespace jejak
