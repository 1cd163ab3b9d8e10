// The layout of the PKH index in a store's index column (specs/store-layout.md):
// key builders, the value codec, the per-log watermark, and the scans the
// index's readers share. Internal to ledger/pkh: indexer.cc writes this
// layout, index_keys.cc and join_rows.cc read it.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/encoding.h"
#include "crypto/status.h"
#include "ledger/log/store.h"
#include "ledger/pkh/records.h"

namespace jejak {

inline constexpr uint64_t kNone = UINT64_MAX;

// --- Value encoding: fixed-width integers and short length-prefixed strings ---

class ValueWriter {
 public:
  ValueWriter& U8(uint8_t v) {
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  ValueWriter& U64(uint64_t v) {
    out_ += KeyU64(v);
    return *this;
  }
  ValueWriter& Str(std::string_view s) {
    const size_t n = std::min<size_t>(s.size(), 65535);
    out_.push_back(static_cast<char>(n >> 8));
    out_.push_back(static_cast<char>(n & 0xff));
    out_.append(s.substr(0, n));
    return *this;
  }
  ValueWriter& Raw(ByteSpan b) {
    out_.append(AsChars(b));
    return *this;
  }
  std::string str() { return std::move(out_); }

 private:
  std::string out_;
};

class ValueReader {
 public:
  explicit ValueReader(std::string_view v) : v_(v) {}
  uint8_t U8() { return Need(1) ? static_cast<uint8_t>(v_[pos_++]) : 0; }
  uint64_t U64() {
    if (!Need(8)) return 0;
    const uint64_t x = GetBigEndian64(reinterpret_cast<const uint8_t*>(v_.data() + pos_));
    pos_ += 8;
    return x;
  }
  std::string Str() {
    if (!Need(2)) return {};
    const size_t n = static_cast<uint8_t>(v_[pos_]) << 8 | static_cast<uint8_t>(v_[pos_ + 1]);
    pos_ += 2;
    if (!Need(n)) return {};
    std::string s(v_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  template <size_t N>
  std::array<uint8_t, N> Fixed() {
    std::array<uint8_t, N> a{};
    if (Need(N)) std::memcpy(a.data(), v_.data() + pos_, N);
    pos_ += N;
    return a;
  }
  bool ok() const { return ok_; }

 private:
  bool Need(size_t n) {
    if (pos_ + n > v_.size()) ok_ = false;
    return ok_;
  }
  std::string_view v_;
  size_t pos_ = 0;
  bool ok_ = true;
};

inline std::string Kpm(const Pseudonym& p) { return std::string(AsChars(p)); }

// --- Keys ---

// "D" log kind key: a dedup key ('u' update_id, 'r' txn_ref, 'a' stage+KPM).
std::string DedupKey(uint32_t log, char kind, std::string_view key);
// "<stage>\0<kpm16>": the (stage, KPM) part of approval and receipt keys.
std::string StageKpm(std::string_view stage, const Pseudonym& kpm);
std::string StatementKey(uint32_t log, uint64_t leaf);  // "S" log leaf: a verdict
std::string ViolationKey(uint32_t log, uint64_t leaf);  // "V" log leaf: a record violation
std::string ApprovalKey(std::string_view stage, const Pseudonym& kpm, uint32_t log, uint64_t leaf);
std::string ReceiptKey(std::string_view stage, const Pseudonym& kpm, uint32_t log, uint64_t leaf);
std::string UpdateKey(const Pseudonym& kpm, std::string_view date, uint32_t log, uint64_t leaf);
std::string WatermarkKey(uint32_t log);  // in the meta column
// The rest of the cycle:
//   "B" kpm16 log4 leaf8             target list entry -> statement8 year8
//   "L" log4 list_id                 the year a list is held under -> year2
//   "W" kpm16 month7 log4 leaf8      verification -> statement8 commitment1 result1
//   "C" stage \0 kpm16 log4 leaf8    complaint of a stage (kpm16 zero when none)
//                                    -> statement8 has_kpm1 category1 received_at complaint_id
//   "Q" log4 complaint_id            a complaint by id -> leaf8 has_kpm1 kpm16 stage received_at
//   "P" log4 complaint_id \0 leaf8   a response to it
//                                    -> statement8 timestamp8 action1 responded_at response_id
std::string BnbaKey(const Pseudonym& kpm, uint32_t log, uint64_t leaf);
std::string ListKey(uint32_t log, std::string_view list_id);
std::string VerificationKey(const Pseudonym& kpm, std::string_view month, uint32_t log,
                            uint64_t leaf);
std::string ComplaintKey(std::string_view stage, const std::optional<Pseudonym>& kpm, uint32_t log,
                         uint64_t leaf);
std::string ComplaintByIdKey(uint32_t log, std::string_view complaint_id);
std::string ResponsePrefix(uint32_t log, std::string_view complaint_id);
std::string ResponseKey(uint32_t log, std::string_view complaint_id, uint64_t leaf);

// How far a log is indexed.
struct Watermark {
  uint64_t next = 0;                // first leaf not indexed
  uint64_t open_statement = kNone;  // the statement `next` is inside, if any
  uint64_t last_governance_size = 0;
};
Result<Watermark> ReadWatermark(Store& store, uint32_t log);
std::string EncodeWatermark(const Watermark& w);

// The leaf a dedup key maps to, if any.
Result<std::optional<uint64_t>> FindLeaf(Store& store, const std::string& key);

// Calls f for each index entry whose key starts with `prefix`, in key order.
// Reads ahead only as far as the scan goes (a short iterator): most prefixes
// are one family's rows, looked up once per row of an import or draft, where
// a long scan's read-ahead would read 2 MB for each.
Status Scan(Store& store, std::string_view prefix,
            const std::function<Status(std::string_view key, std::string_view value)>& f);
// Corruption("malformed <what> index entry").
Status Malformed(std::string_view what);
// Splits "<kind><stage>\0<kpm16><log4><leaf8>"; false if malformed.
bool SplitStageKey(std::string_view key, std::string& stage, Pseudonym& kpm, uint32_t& log,
                   uint64_t& leaf);

}  // namespace jejak
