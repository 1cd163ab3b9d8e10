// A log read from a peer over HTTP(S), as C2SP tlog-tiles: the LogSource that
// `jejak pull --from URL` and the follower hand to PullLog, so replication
// over the network runs exactly the verification of a folder pull.
#pragma once

#include <memory>
#include <string>

#include "ledger/log_source.h"
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
class HttpLogSource final : public LogSource {
 public:
  HttpLogSource(HttpClient& client, std::string log_path)
      : client_(client), path_(std::move(log_path)) {}
  std::string Describe() const override;
  Result<std::string> ReadCheckpoint() override;
  Result<uint64_t> LeafCount(uint64_t checkpoint_size) override;
  Status ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) override;
  Result<std::optional<std::string>> ReadTile(const TileId& tile) override;
  Status ForEachOlderCheckpoint(const std::function<Status(uint64_t, std::string_view)>&) override {
    return Status::Ok();
  }

 private:
  Result<HttpResult> Fetch(const std::string& rel);
  HttpClient& client_;
  std::string path_;
  uint64_t size_ = 0;
};

}  // namespace jejak
