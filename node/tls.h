// TLS 1.3 between nodes, without a CA: each node's certificate is self-signed
// by its Ed25519 node key, and a peer is accepted when the key in its
// certificate is one the caller trusts (the registry's node keys: pinning).
// Chain, issuer, validity dates and host names play no part. Sessions are
// never resumed, so every connection's certificate meets the check.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/status.h"

namespace jejak {

// Accepts or refuses a peer's Ed25519 public key. Called during handshakes on
// whatever thread runs them, possibly on several at once: must be thread-safe.
// Should not throw; a check that throws (a bug) refuses the peer.
using PeerKeyCheck = std::function<bool(const PublicKey&)>;

// The node's certificate (PEM): X.509 v3, self-signed by `key`, subject and
// issuer CN = `name` (its first 64 characters; invalid UTF-8 and control
// characters become '?', an empty name "jejak-node"), serial derived from the
// public key, valid 2000-01-01 to 9999-12-31 so the clock plays no part.
// Deterministic for a given key and name. Internal on an OpenSSL failure.
Result<std::string> NodeCertificatePem(const SigningKey& key, std::string_view name);

// A server context: TLS 1.3 only, presenting the node certificate. It asks
// clients for a certificate without requiring one: peers present one, readers
// need none. A presented certificate is accepted iff it holds an Ed25519 key
// and `check_client` accepts that key (an empty check accepts any Ed25519
// key). The context keeps a copy of the key; shared by every connection it
// serves. Internal (with OpenSSL's error text) on failure.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const SigningKey& key,
                                                                        std::string_view name,
                                                                        PeerKeyCheck check_client);

// A client context: TLS 1.3 only; presents the node certificate for `key`
// (named `name`) when `key` is non-null, nothing otherwise. It offers the
// Ed25519 signature algorithm alone, so a node that also holds a browser
// certificate (AddBrowserCertificate) presents its node certificate. The server must
// present a certificate holding an Ed25519 key that `check_server` accepts.
// InvalidArgument for an empty check; Internal on an OpenSSL failure.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeClientTlsContext(const SigningKey* key,
                                                                        std::string_view name,
                                                                        PeerKeyCheck check_server);

// Adds to a server context the certificate browsers are shown (the web
// console): no browser speaks Ed25519 in TLS, so the node also holds an ECDSA
// P-256 key and certificate, in the PEM file `pem_path` (the key, then the
// certificate and any chain). A missing file is made once: a new key and a
// certificate self-signed for `name`, localhost and 127.0.0.1, valid ten
// years (mode 0600, written atomically); an office may replace it with one
// its CA issued. OpenSSL picks the certificate by what the client offers:
// Jejak's clients offer Ed25519 alone (MakeClientTlsContext) and always meet
// the node certificate. InvalidArgument naming the file for one that holds
// no usable key and certificate; Internal on an OpenSSL failure.
Status AddBrowserCertificate(boost::asio::ssl::context& ctx, const std::string& pem_path,
                             std::string_view name);

// The Ed25519 key of the peer's certificate on a connection whose handshake
// succeeded (on one made by the contexts above, the key the check accepted).
// NotFound if the peer presented no certificate (or one without an Ed25519
// key); InvalidArgument for a null `ssl`.
Result<PublicKey> PeerPublicKey(SSL* ssl);

}  // namespace jejak
