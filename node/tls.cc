#include "node/tls.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <exception>
#include <optional>
#include <utility>

#include "crypto/files.h"
#include "crypto/sha256.h"

namespace jejak {
namespace {

namespace ssl = boost::asio::ssl;

// RFC 5280 ub-common-name, counted in characters (OpenSSL counts code points).
constexpr size_t kMaxCommonNameChars = 64;
constexpr std::string_view kDefaultCommonName = "jejak-node";

// `what`, then OpenSSL's queued errors of this thread, oldest first. Clears the queue.
std::string OpenSslError(std::string_view what) {
  std::string out(what);
  std::string_view separator = ": ";
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += separator;
    out += buf;
    separator = "; ";
  }
  return out;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Bio = std::unique_ptr<BIO, BioFree>;

// OpenSSL copies the seed into its own key, which EVP_PKEY_free wipes; no
// other copy of the secret is made here.
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

// The length of the well-formed UTF-8 sequence (no overlong form, no
// surrogate, at most U+10FFFF) that starts `s`, and its code point; nullopt
// if `s` does not start with one.
std::optional<std::pair<size_t, char32_t>> Utf8Sequence(std::string_view s) {
  const auto lead = static_cast<uint8_t>(s[0]);
  if (lead < 0x80) return std::pair<size_t, char32_t>{1, lead};
  size_t len;
  char32_t cp;
  char32_t smallest;
  if ((lead & 0xE0) == 0xC0) {
    len = 2, cp = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3, cp = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4, cp = lead & 0x07, smallest = 0x10000;
  } else {
    return std::nullopt;
  }
  if (s.size() < len) return std::nullopt;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<uint8_t>(s[i]);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    cp = cp << 6 | (b & 0x3F);
  }
  if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return std::pair<size_t, char32_t>{len, cp};
}

// What X.509 takes as a common name: 1 to 64 characters of UTF-8. Keeps the
// first 64 characters of `name`; a byte that is not valid UTF-8, and a
// control character, become '?'; an empty name becomes "jejak-node".
std::string CommonName(std::string_view name) {
  std::string out;
  for (size_t i = 0, chars = 0; i < name.size() && chars < kMaxCommonNameChars; ++chars) {
    const auto seq = Utf8Sequence(name.substr(i));
    const bool control = seq && (seq->second < 0x20 || (seq->second >= 0x7F && seq->second < 0xA0));
    if (!seq || control) {
      out += '?';
      i += seq ? seq->first : 1;
    } else {
      out += name.substr(i, seq->first);
      i += seq->first;
    }
  }
  return out.empty() ? std::string(kDefaultCommonName) : out;
}

// Positive, non-zero and different for each key: 63 bits of SHA-256(key).
uint64_t CertificateSerial(const PublicKey& key) {
  const Hash h = Sha256(ByteSpan(key.data(), key.size()));
  uint64_t serial = 0;
  for (int i = 0; i < 8; ++i) serial = serial << 8 | h[i];
  serial >>= 1;
  return serial == 0 ? 1 : serial;
}

// Version 3, `serial`, subject and issuer CN = `cn`, public key `key`: what
// every certificate of the node's own making shares. False on a failure.
bool SetSelfSignedIdentity(X509* x, std::string_view cn, uint64_t serial, EVP_PKEY* key) {
  X509_NAME* subject = X509_get_subject_name(x);
  return X509_set_version(x, X509_VERSION_3) == 1 &&
         ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), serial) == 1 &&
         X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(cn.data()),
                                    static_cast<int>(cn.size()), -1, 0) == 1 &&
         X509_set_issuer_name(x, subject) == 1 && X509_set_pubkey(x, key) == 1;
}

// The text written to a memory BIO.
std::string MemoryText(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// Self-signed with Ed25519, whose signatures are deterministic, and built
// from the key and name alone: the same inputs give the same bytes.
Result<Cert> MakeCertificate(const SigningKey& key, std::string_view name, EVP_PKEY* pkey) {
  Cert cert(X509_new());
  if (!cert) return Internal(OpenSslError("cannot allocate a certificate"));
  X509* x = cert.get();
  const std::string cn = CommonName(name);
  // RFC 5280 time forms: UTCTime for 2000, GeneralizedTime for 9999.
  const bool built = SetSelfSignedIdentity(x, cn, CertificateSerial(key.public_key()), pkey) &&
                     ASN1_TIME_set_string_X509(X509_getm_notBefore(x), "20000101000000Z") == 1 &&
                     ASN1_TIME_set_string_X509(X509_getm_notAfter(x), "99991231235959Z") == 1;
  if (!built) return Internal(OpenSslError("cannot build the node certificate for " + cn));
  // Ed25519 hashes internally: no digest.
  if (X509_sign(x, pkey, nullptr) <= 0) {
    return Internal(OpenSslError("cannot sign the node certificate"));
  }
  return cert;
}

Status UseNodeIdentity(ssl::context& ctx, const SigningKey& key, std::string_view name) {
  Pkey pkey;
  ASSIGN_OR_RETURN(pkey, PrivateKey(key));
  Cert cert;
  ASSIGN_OR_RETURN(cert, MakeCertificate(key, name, pkey.get()));
  // Both calls take their own reference; the context frees (and wipes) the key.
  SSL_CTX* raw = ctx.native_handle();
  if (SSL_CTX_use_certificate(raw, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(raw, pkey.get()) != 1 || SSL_CTX_check_private_key(raw) != 1) {
    return Internal(OpenSslError("cannot install the node certificate"));
  }
  return Status::Ok();
}

// Replaces OpenSSL's certificate verification (SSL_CTX_set_cert_verify_callback),
// so chain, issuer, dates, extensions and names play no part and this runs
// exactly once per certificate a peer presents: the leaf must hold an Ed25519
// key that the check accepts. The handshake's CertificateVerify then proves
// that the peer holds the matching private key.
int VerifyPinnedKey(X509_STORE_CTX* store, void* arg) {
  const auto& check = *static_cast<const PeerKeyCheck*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  const std::optional<PublicKey> key = leaf != nullptr ? Ed25519KeyOf(leaf) : std::nullopt;
  bool accepted = false;
  if (key) {
    // An exception must not unwind through OpenSSL's C frames; a check that
    // throws (a bug) refuses the peer.
    try {
      accepted = !check || check(*key);
    } catch (...) {
      accepted = false;
    }
  }
  X509_STORE_CTX_set_error(store, accepted ? X509_V_OK : X509_V_ERR_CERT_REJECTED);
  return accepted ? 1 : 0;
}

// A context with the check its verify callback reads; one allocation, so the
// check lives exactly as long as the context (declared first: freed last).
struct PinnedContext {
  PinnedContext(ssl::context::method method, PeerKeyCheck c)
      : check(std::move(c)), context(method) {}
  PeerKeyCheck check;
  ssl::context context;
};

Result<std::shared_ptr<ssl::context>> NewContext(ssl::context::method method, PeerKeyCheck check,
                                                 int verify_mode) {
  std::shared_ptr<PinnedContext> pinned;
  try {
    pinned = std::make_shared<PinnedContext>(method, std::move(check));
  } catch (const std::exception& e) {
    return Internal(OpenSslError(std::string("cannot create a TLS context: ") + e.what()));
  }
  SSL_CTX* raw = pinned->context.native_handle();
  if (SSL_CTX_set_min_proto_version(raw, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(raw, TLS1_3_VERSION) != 1) {
    return Internal(OpenSslError("cannot restrict TLS to 1.3"));
  }
  // No session tickets and no cache: a resumed session would skip the
  // certificate check, and the check (the registry) may have changed since.
  if (SSL_CTX_set_num_tickets(raw, 0) != 1) {
    return Internal(OpenSslError("cannot turn off session tickets"));
  }
  SSL_CTX_set_session_cache_mode(raw, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_verify(raw, verify_mode, nullptr);
  SSL_CTX_set_cert_verify_callback(raw, &VerifyPinnedKey, &pinned->check);
  return std::shared_ptr<ssl::context>(pinned, &pinned->context);
}

}  // namespace

Result<std::string> NodeCertificatePem(const SigningKey& key, std::string_view name) {
  ERR_clear_error();
  Pkey pkey;
  ASSIGN_OR_RETURN(pkey, PrivateKey(key));
  Cert cert;
  ASSIGN_OR_RETURN(cert, MakeCertificate(key, name, pkey.get()));
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) {
    return Internal(OpenSslError("cannot write the node certificate as PEM"));
  }
  return MemoryText(bio.get());
}

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const SigningKey& key,
                                                           std::string_view name,
                                                           PeerKeyCheck check_client) {
  ERR_clear_error();
  // Asks for a certificate without requiring one: readers have no identity.
  std::shared_ptr<ssl::context> ctx;
  ASSIGN_OR_RETURN(ctx,
                   NewContext(ssl::context::tls_server, std::move(check_client), SSL_VERIFY_PEER));
  RETURN_IF_ERROR(UseNodeIdentity(*ctx, key, name));
  return ctx;
}

Result<std::shared_ptr<ssl::context>> MakeClientTlsContext(const SigningKey* key,
                                                           std::string_view name,
                                                           PeerKeyCheck check_server) {
  if (!check_server) {
    return InvalidArgument("a TLS client context needs a check of the server's key (pinning)");
  }
  ERR_clear_error();
  std::shared_ptr<ssl::context> ctx;
  ASSIGN_OR_RETURN(ctx, NewContext(ssl::context::tls_client, std::move(check_server),
                                   SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT));
  if (key != nullptr) RETURN_IF_ERROR(UseNodeIdentity(*ctx, *key, name));
  if (SSL_CTX_set1_sigalgs_list(ctx->native_handle(), "ed25519") != 1) {
    return Internal(OpenSslError("cannot restrict the signature algorithms to Ed25519"));
  }
  return ctx;
}

namespace {

// A new P-256 key and a certificate it signs for `name`, localhost and
// 127.0.0.1, valid from an hour ago for ten years: the PEM text.
Result<std::string> NewBrowserCertificatePem(std::string_view name) {
  Pkey pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!pkey) return Internal(OpenSslError("cannot make a P-256 key"));
  Cert cert(X509_new());
  if (!cert) return Internal(OpenSslError("cannot allocate a certificate"));
  X509* x = cert.get();
  std::array<unsigned char, 8> serial{};
  RAND_bytes(serial.data(), static_cast<int>(serial.size()));
  uint64_t n = 0;
  for (unsigned char b : serial) n = n << 8 | b;
  bool built = SetSelfSignedIdentity(x, CommonName(name), (n >> 1) | 1, pkey.get()) &&
               X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr &&
               X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 24 * 3600) != nullptr;
  if (built) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
    for (const auto& [nid, value] :
         {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"},
          std::pair{NID_basic_constraints, "critical,CA:FALSE"},
          std::pair{NID_ext_key_usage, "serverAuth"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
      built = built && ext != nullptr && X509_add_ext(x, ext, -1) == 1;
      X509_EXTENSION_free(ext);
    }
  }
  if (!built) return Internal(OpenSslError("cannot build the console certificate"));
  if (X509_sign(x, pkey.get(), EVP_sha256()) <= 0) {
    return Internal(OpenSslError("cannot sign the console certificate"));
  }
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_X509(bio.get(), x) != 1) {
    return Internal(OpenSslError("cannot write the console certificate as PEM"));
  }
  return MemoryText(bio.get());
}

}  // namespace

Status AddBrowserCertificate(ssl::context& ctx, const std::string& pem_path,
                             std::string_view name) {
  ERR_clear_error();
  auto pem = ReadFile(pem_path, size_t{1} << 20);
  if (!pem.ok() && pem.status().code() == StatusCode::kNotFound) {
    ASSIGN_OR_RETURN(std::string made, NewBrowserCertificatePem(name));
    RETURN_IF_ERROR(WriteFileAtomic(pem_path, made, 0600, /*no_clobber=*/true));
    pem = std::move(made);
  }
  if (!pem.ok()) return pem.status();
  Bio key_bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  Pkey pkey(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr) : nullptr);
  Bio cert_bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  Cert cert(cert_bio ? PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!pkey || !cert) {
    return InvalidArgument(fmt::format(
        "{}: holds no PEM private key and certificate (remove it to make a new one)", pem_path));
  }
  if (EVP_PKEY_id(pkey.get()) == EVP_PKEY_ED25519) {
    return InvalidArgument(
        fmt::format("{}: an Ed25519 key, which browsers do not accept", pem_path));
  }
  SSL_CTX* raw = ctx.native_handle();
  if (SSL_CTX_use_certificate(raw, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(raw, pkey.get()) != 1 || SSL_CTX_check_private_key(raw) != 1) {
    return InvalidArgument(
        fmt::format("{}: {}", pem_path, OpenSslError("the key and certificate do not match")));
  }
  // The rest of the file: the chain up to the CA, if any.
  while (X509* extra = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(raw, extra) != 1) {
      X509_free(extra);
      return Internal(OpenSslError("cannot add the console certificate's chain"));
    }
  }
  ERR_clear_error();  // the end of the file read as "no more certificates"
  return Status::Ok();
}

Result<PublicKey> PeerPublicKey(SSL* ssl) {
  if (ssl == nullptr) return InvalidArgument("no TLS connection to read a peer key from");
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return NotFound("the TLS peer presented no certificate");
  std::optional<PublicKey> key = Ed25519KeyOf(cert);
  if (!key) return NotFound("the TLS peer's certificate holds no Ed25519 key");
  return *key;
}

}  // namespace jejak
