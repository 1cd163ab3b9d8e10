#include "node/internal/bundle_prefetch.h"

namespace jejak {

size_t BundleFetch::bytes() const {
  size_t n = 0;
  if (bundle.ok()) n += bundle->size();
  if (tile.ok() && tile->has_value()) n += (*tile)->size();
  return n;
}

BundlePrefetcher::BundlePrefetcher(std::vector<std::unique_ptr<HttpClient>> clients, uint64_t first,
                                   uint64_t end, FetchFn fetch, Limits limits)
    : clients_(std::move(clients)),
      fetch_(std::move(fetch)),
      limits_(limits),
      next_(first),
      end_(end),
      taken_(first) {
  for (auto& c : clients_) threads_.emplace_back([this, client = c.get()] { Work(*client); });
}

BundlePrefetcher::~BundlePrefetcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

BundleFetch BundlePrefetcher::Take(uint64_t index) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return ready_.count(index) > 0; });
  auto it = ready_.find(index);
  BundleFetch out = std::move(it->second);
  ready_.erase(it);
  held_ -= out.bytes();
  taken_ = index + 1;
  lock.unlock();
  cv_.notify_all();
  return out;
}

void BundlePrefetcher::Work(HttpClient& client) {
  for (;;) {
    uint64_t index = 0;
    {
      std::unique_lock lock(mu_);
      // The index awaited is always claimed or claimable: whatever is held
      // lies between taken_ and next_, so nothing is held when they meet.
      cv_.wait(lock, [&] {
        return stopping_ || next_ >= end_ ||
               (next_ < taken_ + limits_.max_ahead && held_ < limits_.max_held_bytes);
      });
      if (stopping_ || next_ >= end_) return;
      index = next_++;
    }
    BundleFetch result = fetch_(client, index);
    {
      std::lock_guard lock(mu_);
      if (!result.ok()) end_ = std::min(end_, index + 1);
      held_ += result.bytes();
      ready_.emplace(index, std::move(result));
    }
    cv_.notify_all();
  }
}

}  // namespace jejak
