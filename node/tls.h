// TLS 1.3 between nodes, without a CA: each node's certificate is self-signed
// by its Ed25519 node key, and a peer is accepted when the key in its
// certificate is one the caller trusts (the registry's node keys: pinning).
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

// Accepts or refuses a peer's Ed25519 public key. Called from TLS handshakes
// on any thread.
using PeerKeyCheck = std::function<bool(const PublicKey&)>;

// The node's certificate (PEM): self-signed by `key`, subject CN = name,
// valid 2000-01-01 to 9999-12-31 (the clock plays no part). Deterministic.
Result<std::string> NodeCertificatePem(const SigningKey& key, std::string_view name);

// A server context: TLS 1.3 only, presenting the node certificate. Clients
// may present a certificate (peers do) or not (readers); one that does is
// accepted only if it holds an Ed25519 key that `check_client` accepts.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const SigningKey& key,
                                                                        std::string_view name,
                                                                        PeerKeyCheck check_client);

// A client context: TLS 1.3 only; presents the node certificate when `key` is
// given; accepts a server only if its certificate holds an Ed25519 key that
// `check_server` accepts. InvalidArgument for an empty check.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeClientTlsContext(const SigningKey* key,
                                                                        std::string_view name,
                                                                        PeerKeyCheck check_server);

// The Ed25519 key of the peer's certificate on an established connection;
// NotFound if it presented none.
Result<PublicKey> PeerPublicKey(SSL* ssl);

}  // namespace jejak
