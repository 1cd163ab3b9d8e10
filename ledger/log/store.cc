#include "ledger/log/store.h"

#include "crypto/encoding.h"

namespace jejak {
namespace {

void PutLen(std::string& rep, size_t n) {
  uint8_t b[4];
  PutBigEndian32(static_cast<uint32_t>(n), b);
  rep.append(reinterpret_cast<const char*>(b), 4);
}

}  // namespace

std::string_view ColumnName(Column c) {
  switch (c) {
    case Column::kMeta:
      return "meta";
    case Column::kLeaves:
      return "leaves";
    case Column::kTiles:
      return "tiles";
    case Column::kCheckpoints:
      return "checkpoints";
    case Column::kCosignatures:
      return "cosignatures";
    case Column::kIndex:
      return "index";
    case Column::kEvidence:
      return "evidence";
  }
  return "?";
}

void WriteBatch::Put(Column c, std::string_view key, std::string_view value) {
  rep_.push_back('P');
  rep_.push_back(static_cast<char>(c));
  PutLen(rep_, key.size());
  rep_.append(key);
  PutLen(rep_, value.size());
  rep_.append(value);
  ++count_;
}

void WriteBatch::Delete(Column c, std::string_view key) {
  rep_.push_back('D');
  rep_.push_back(static_cast<char>(c));
  PutLen(rep_, key.size());
  rep_.append(key);
  PutLen(rep_, 0);
  ++count_;
}

void WriteBatch::DeleteRange(Column c, std::string_view begin, std::string_view end) {
  rep_.push_back('R');
  rep_.push_back(static_cast<char>(c));
  PutLen(rep_, begin.size());
  rep_.append(begin);
  PutLen(rep_, end.size());
  rep_.append(end);
  ++count_;
}

void WriteBatch::Append(const WriteBatch& other) {
  rep_.append(other.rep_);
  count_ += other.count_;
}

void WriteBatch::Clear() {
  rep_.clear();
  count_ = 0;
}

std::string KeyU32(uint32_t v) {
  std::string s(4, '\0');
  PutBigEndian32(v, reinterpret_cast<uint8_t*>(s.data()));
  return s;
}

std::string KeyU64(uint64_t v) {
  std::string s(8, '\0');
  PutBigEndian64(v, reinterpret_cast<uint8_t*>(s.data()));
  return s;
}

}  // namespace jejak
