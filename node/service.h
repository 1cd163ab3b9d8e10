// `jejak serve`: a node that serves every log it holds (C2SP tlog-tiles), is
// a witness for the logs of the registry (C2SP tlog-witness), follows its
// peers and gossips checkpoints (DESIGN.md §5; specs/node-api.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "crypto/status.h"

namespace jejak {

struct ServeOptions {
  std::string dir;
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  bool insecure_http = false;      // plain HTTP; refused unless host is loopback
  std::vector<std::string> peers;  // peer URLs; the registry's URLs are added
  std::string passphrase;          // unlocks the node key
  std::chrono::milliseconds poll_interval{2'000};
  int threads = 4;
  // Cosignatures a checkpoint should gather, by the author's kind or
  // "default" (node/serve_config.h); empty: the default policy.
  std::map<std::string, uint32_t> witness_policy;
  // The web console (node/console.cc): /console/ and /jejak/v1/console/.
  bool console = false;
};

class NodeService {
 public:
  // Opens the node folder for writing (so no other writer may hold it),
  // unlocks the key, binds, and starts serving and following. Errors name
  // what failed (InvalidArgument for --insecure-http off loopback,
  // PermissionDenied for a wrong passphrase, Unavailable for a busy port).
  static Result<std::unique_ptr<NodeService>> Start(const ServeOptions& options);
  ~NodeService();  // Stop()
  uint16_t port() const;
  // The URL this node is reached at ("https://127.0.0.1:8443").
  std::string url() const;
  // Replaces the peers given at start (--peer, config.json) and visits them
  // at once; the registry's URLs stay. A visit in flight to a peer that is
  // removed finishes (its pull is not cut), and no served connection is
  // dropped. Thread-safe. Errors: reading the governance state.
  Status SetPeers(std::vector<std::string> peers);
  // The URLs the follower visits now: the configured peers and the
  // registry's.
  std::vector<std::string> peers() const;
  // Stops following, then serving; waits for both. Idempotent.
  void Stop();

  struct Impl;

 private:
  explicit NodeService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jejak
