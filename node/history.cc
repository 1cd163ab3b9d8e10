#include "node/history.h"

#include <fmt/format.h>

namespace jejak {
namespace {

constexpr std::string_view kPrefix = "history/";

std::string Key(int64_t time) { return fmt::format("history/{:012d}", time < 0 ? 0 : time); }

void PutU32(std::string& s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>(v >> (8 * i)));
}
void PutU64(std::string& s, uint64_t v) {
  for (int i = 7; i >= 0; --i) s.push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t GetU(std::string_view s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

constexpr size_t kPointBytes = 4 + 8 + 8;

}  // namespace

Status RecordHistory(Store& store, const HistorySample& sample) {
  std::string value;
  value.reserve(sample.logs.size() * kPointBytes);
  for (const HistoryPoint& p : sample.logs) {
    PutU32(value, p.log);
    PutU64(value, p.size);
    PutU64(value, p.lag);
  }
  WriteBatch batch;
  batch.Put(Column::kMeta, Key(sample.time), value);
  batch.DeleteRange(Column::kMeta, Key(0), Key(sample.time - kHistoryKeep));
  return store.Write(batch, /*sync=*/false);
}

Result<std::vector<HistorySample>> ReadHistory(Store& store, int64_t since) {
  std::vector<HistorySample> out;
  auto it = store.NewIterator(Column::kMeta);
  for (it->Seek(Key(since)); it->Valid() && it->key().starts_with(kPrefix); it->Next()) {
    const std::string_view k = it->key();
    const std::string_view v = it->value();
    const std::string_view digits = k.substr(kPrefix.size());
    if (digits.size() != 12 || digits.find_first_not_of("0123456789") != std::string_view::npos ||
        v.size() % kPointBytes != 0) {
      return Corruption(fmt::format("malformed history key or value at meta key '{}'", k));
    }
    HistorySample s;
    s.time = static_cast<int64_t>(std::stoll(std::string(digits)));
    for (size_t at = 0; at < v.size(); at += kPointBytes) {
      s.logs.push_back(
          {static_cast<uint32_t>(GetU(v, at, 4)), GetU(v, at + 4, 8), GetU(v, at + 12, 8)});
    }
    out.push_back(std::move(s));
  }
  RETURN_IF_ERROR(it->status());
  return out;
}

Result<int64_t> LatestHistoryTime(Store& store) {
  auto it = store.NewIterator(Column::kMeta);
  it->SeekForPrev("history/~");
  if (!it->Valid() || !it->key().starts_with(kPrefix)) {
    RETURN_IF_ERROR(it->status());
    return int64_t{0};
  }
  const std::string_view digits = it->key().substr(kPrefix.size());
  if (digits.size() != 12 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return Corruption(fmt::format("malformed history key '{}'", it->key()));
  }
  return static_cast<int64_t>(std::stoll(std::string(digits)));
}

}  // namespace jejak
