#include "ledger/log/sorted_run.h"

#include <algorithm>
#include <future>

namespace jejak {

void SortedRun::Add(std::string_view key, std::string_view value) {
  index_.push_back(
      {arena_.size(), static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size()), 0});
  arena_.append(key);
  arena_.append(value);
}

void SortedRun::Sort() {
  if (index_.empty()) return;
  const std::string_view first = Key(index_[0]);
  size_t common = first.size();
  for (const Ref& r : index_) {
    const std::string_view k = Key(r);
    size_t n = 0;
    while (n < common && n < k.size() && first[n] == k[n]) ++n;
    common = n;
  }
  for (Ref& r : index_) {
    const std::string_view k = Key(r);
    uint64_t h = 0;
    for (size_t i = 0; i < 8; ++i) {
      h = h << 8 | (common + i < k.size() ? static_cast<uint8_t>(k[common + i]) : 0);
    }
    r.head = h;
  }
  // Ties (equal keys) keep insertion order through the offset.
  std::sort(index_.begin(), index_.end(), [this](const Ref& a, const Ref& b) {
    if (a.head != b.head) return a.head < b.head;
    const int c = Key(a).compare(Key(b));
    return c != 0 ? c < 0 : a.offset < b.offset;
  });
  auto last = std::unique(index_.rbegin(), index_.rend(), [this](const Ref& a, const Ref& b) {
    return a.head == b.head && Key(a) == Key(b);
  });
  index_.erase(index_.begin(), last.base());
}

bool SortedRun::At(size_t i, std::string_view& key, std::string_view& value) const {
  if (i >= index_.size()) return false;
  key = Key(index_[i]);
  value =
      std::string_view(arena_).substr(index_[i].offset + index_[i].key_size, index_[i].value_size);
  return true;
}

void SortedRun::Clear() {
  arena_.clear();
  index_.clear();
}

size_t SortedEntries::bytes() const {
  size_t n = 0;
  for (const auto& [kind, run] : runs_) n += run.bytes();
  return n;
}

size_t SortedEntries::size() const {
  size_t n = 0;
  for (const auto& [kind, run] : runs_) n += run.size();
  return n;
}

void SortedEntries::Sort() {
  std::vector<std::future<void>> sorts;
  for (auto& [kind, run] : runs_) {
    sorts.push_back(std::async(std::launch::async, [&run = run] { run.Sort(); }));
  }
  for (auto& f : sorts) f.get();
}

Status SortedEntries::ForEach(
    const std::function<Status(std::string_view, std::string_view)>& f) const {
  std::string_view k, v;
  for (const auto& [kind, run] : runs_) {
    for (size_t i = 0; run.At(i, k, v); ++i) RETURN_IF_ERROR(f(k, v));
  }
  return Status::Ok();
}

std::vector<Store::SortedPairs> SortedEntries::Sources() const {
  std::vector<Store::SortedPairs> out;
  for (const auto& [kind, run] : runs_) {
    out.push_back([&run = run, i = size_t{0}](std::string_view& k, std::string_view& v) mutable {
      return run.At(i++, k, v);
    });
  }
  return out;
}

}  // namespace jejak
