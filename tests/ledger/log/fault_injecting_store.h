// A Store for tests that delegates to a real store and fails chosen writes.
//
// FailWrite(n) makes the n-th Write from now (1 = the next one) return IOError
// without reaching the real store, so a test can check that a failed commit
// leaves the log exactly as it was. Thread-safe like the stores it wraps.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/log/store.h"

namespace jejak::testing {

inline constexpr std::string_view kInjectedFault = "injected write fault";

class FaultInjectingStore final : public Store {
 public:
  // `base` must outlive this store.
  explicit FaultInjectingStore(Store& base) : base_(base) {}

  // Fails the n-th Write counted from now (n >= 1); 0 disarms.
  void FailWrite(uint64_t n) { fail_at_ = n == 0 ? 0 : writes_.load() + n; }
  // Writes attempted so far (failed ones included).
  uint64_t writes() const { return writes_.load(); }
  // Writes refused by an injected fault so far.
  uint64_t faults() const { return faults_.load(); }

  Result<std::optional<std::string>> Get(Column c, std::string_view key) override {
    return base_.Get(c, key);
  }
  std::unique_ptr<StoreIterator> NewIterator(Column c) override { return base_.NewIterator(c); }
  Status Write(const WriteBatch& batch, bool sync) override {
    const uint64_t n = ++writes_;
    if (n == fail_at_.load()) {
      ++faults_;
      return IOError(std::string(kInjectedFault) + " (write " + std::to_string(n) + ")");
    }
    return base_.Write(batch, sync);
  }
  Status WriteUnlogged(const WriteBatch& batch) override {
    const uint64_t n = ++writes_;
    if (n == fail_at_.load()) {
      ++faults_;
      return IOError(std::string(kInjectedFault) + " (write " + std::to_string(n) + ")");
    }
    return base_.WriteUnlogged(batch);
  }
  Status Persist(std::initializer_list<Column> columns) override { return base_.Persist(columns); }
  // Bulk loads count as writes too, and fail the same way.
  using Store::BulkLoad;
  Status BulkLoad(Column c, const std::vector<SortedPairs>& sources) override {
    const uint64_t n = ++writes_;
    if (n == fail_at_.load()) {
      ++faults_;
      return IOError(std::string(kInjectedFault) + " (bulk load " + std::to_string(n) + ")");
    }
    return base_.BulkLoad(c, sources);
  }
  Status BeginBulkLoads(Column c) override { return base_.BeginBulkLoads(c); }
  Status EndBulkLoads(Column c) override { return base_.EndBulkLoads(c); }
  bool read_only() const override { return base_.read_only(); }

 private:
  Store& base_;
  std::atomic<uint64_t> writes_{0};
  std::atomic<uint64_t> fail_at_{0};
  std::atomic<uint64_t> faults_{0};
};

}  // namespace jejak::testing
