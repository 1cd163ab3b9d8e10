// Fetches a log's entry bundles and their level-0 tiles ahead of the verifier,
// on a few connections of their own, so that the network and the peer work
// while this node verifies. Results are handed out strictly in index order,
// each exactly as one connection fetching one bundle at a time would have
// given it, errors included. Internal to node/.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "node/http.h"

namespace jejak {

// What was fetched for entry bundle `index`: the bundle and tile/0/<index>,
// or the error of each (naming its URL).
struct BundleFetch {
  Result<std::string> bundle = std::string();
  Result<std::optional<std::string>> tile = std::optional<std::string>();
  size_t bytes() const;  // held in memory
  bool ok() const { return bundle.ok() && tile.ok(); }
};

class BundlePrefetcher {
 public:
  // Does the requests for one index on `client`.
  using FetchFn = std::function<BundleFetch(HttpClient& client, uint64_t index)>;

  struct Limits {
    // Fetched and not yet taken, in bytes: no fetch starts beyond it. Each
    // fetch in flight may add its responses (each bounded by its client's
    // limit) above it.
    size_t max_held_bytes = 8 << 20;
    uint64_t max_ahead = 64;  // indexes claimed beyond the one awaited
  };

  // Fetches indexes [first, end) with one thread per client (at least one),
  // claiming indexes in order. Every request is bounded in time by its
  // client's timeout, so a slow peer holds a Take, and the destructor, for at
  // most that long per request in flight. After a failed fetch no new index is
  // claimed: a verifier stops there.
  BundlePrefetcher(std::vector<std::unique_ptr<HttpClient>> clients, uint64_t first, uint64_t end,
                   FetchFn fetch, Limits limits);
  ~BundlePrefetcher();  // stops claiming, waits for the requests in flight
  BundlePrefetcher(const BundlePrefetcher&) = delete;
  BundlePrefetcher& operator=(const BundlePrefetcher&) = delete;

  // The result for `index`, the next in order from `first`. Blocks until it
  // is fetched.
  BundleFetch Take(uint64_t index);

 private:
  void Work(HttpClient& client);

  std::vector<std::unique_ptr<HttpClient>> clients_;
  FetchFn fetch_;
  Limits limits_;

  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t next_;   // the next index to claim
  uint64_t end_;    // claims stop here
  uint64_t taken_;  // the next index the caller takes
  size_t held_ = 0;
  bool stopping_ = false;
  std::map<uint64_t, BundleFetch> ready_;
  std::vector<std::thread> threads_;  // last: they start once everything else is built
};

}  // namespace jejak
