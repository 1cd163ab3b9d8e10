// A log read from a peer over HTTP(S), as C2SP tlog-tiles: the LogSource that
// `jejak pull --from URL` and the follower hand to PullLog, so replication
// over the network runs exactly the verification of a folder pull.
#pragma once

#include <memory>
#include <string>

#include "ledger/log/log_source.h"
#include "node/http.h"

namespace jejak {

// The URL path under which a node serves a log: "/" + origin. Origins are
// restricted to characters that need no escaping in a path (ValidLogPath).
std::string LogPath(std::string_view origin);
bool ValidLogPath(std::string_view origin);

// Reads the log at `client`'s base URL + `log_path` ("" when the base URL is
// the log's prefix itself). Not thread-safe (the client). Every response is
// bounded by the client's limits; a tile or bundle of the wrong size is
// Corruption naming its URL.
//
// ReadLeaves fetches entry bundles and their level-0 tiles ahead of the
// verifier on up to `prefetch_connections` more connections to the same peer
// (HttpClient::NewConnection), with at most kPrefetchAhead bundles and
// kPrefetchHeldBytes fetched and not yet verified (plus one response per
// connection, each within the client's limit). The verifier still sees every
// bundle and tile in order, and the first error in that order. From the first
// request a prefetching connection cannot make (Unavailable: a peer admitting
// fewer connections, a timeout) the rest is fetched one request at a time on
// `client`, that request first: a slow peer costs at most twice the client's
// timeout. 0 connections: one request at a time on `client` throughout.
class HttpLogSource final : public LogSource {
 public:
  static constexpr int kPrefetchConnections = 3;
  static constexpr uint64_t kPrefetchAhead = 64;
  static constexpr size_t kPrefetchHeldBytes = 8 << 20;

  HttpLogSource(HttpClient& client, std::string log_path,
                int prefetch_connections = kPrefetchConnections)
      : client_(client), path_(std::move(log_path)), connections_(prefetch_connections) {}
  std::string Describe() const override;
  Result<std::string> ReadCheckpoint() override;
  Result<uint64_t> LeafCount(uint64_t checkpoint_size) override;
  Status ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) override;
  Result<std::optional<std::string>> ReadTile(const TileId& tile) override;
  Status ForEachOlderCheckpoint(const std::function<Status(uint64_t, std::string_view)>&) override {
    return Status::Ok();
  }

 private:
  // An entry bundle, or the error naming its URL.
  Result<std::string> FetchBundle(HttpClient& client, uint64_t bundle) const;
  Result<std::optional<std::string>> FetchTile(HttpClient& client, const TileId& tile) const;
  // Calls f for the leaves of `bundle` that lie in [begin, end).
  Status DecodeBundle(const std::string& bytes, uint64_t bundle, uint64_t begin, uint64_t end,
                      const LeafFn& f) const;

  HttpClient& client_;
  std::string path_;
  int connections_;
  uint64_t size_ = 0;
  // tile/0/<bundle> fetched with the bundle being verified, until ReadTile asks.
  std::optional<std::pair<TileId, Result<std::optional<std::string>>>> level0_;
};

}  // namespace jejak
