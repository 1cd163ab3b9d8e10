#include "ledger/pkh_index.h"

#include <algorithm>
#include <cstring>
#include <future>
#include <map>

#include <fmt/format.h>

#include "crypto/encoding.h"

namespace jejak {
namespace {

// Index entries are buffered (up to this many bytes), sorted, and written in
// key order: RocksDB's memtable takes ordered keys several times faster than
// random ones, and the join keys (by stage and pseudonym) arrive at random.
constexpr size_t kMaxBufferedBytes = 96 << 20;
// Buffered entries are flushed at the first statement boundary past this.
constexpr size_t kFlushAtBoundaryBytes = 16 << 20;
// Sorted entries go to the store in batches of about this size...
constexpr size_t kWriteBatchBytes = 8 << 20;
// ...or, from this many entries on, as one bulk-loaded table file.
constexpr size_t kBulkLoadEntries = 50'000;
constexpr uint64_t kNone = UINT64_MAX;
constexpr size_t kMaxReportedViolations = 10;
// Records of a statement are indexed in batches of up to this many...
constexpr size_t kPendingRecords = 32768;
// ...split over two threads from this many on.
constexpr size_t kParallelRecords = 4096;

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

std::string Kpm(const Pseudonym& p) { return std::string(AsChars(p)); }

// --- Keys ---

std::string DedupKey(uint32_t log, char kind, std::string_view key) {
  return "D" + KeyU32(log) + std::string(1, kind) + std::string(key);
}
std::string StageKpm(std::string_view stage, const Pseudonym& kpm) {
  return std::string(stage) + '\0' + Kpm(kpm);
}
std::string StatementKey(uint32_t log, uint64_t leaf) { return "S" + KeyU32(log) + KeyU64(leaf); }
std::string ViolationKey(uint32_t log, uint64_t leaf) { return "V" + KeyU32(log) + KeyU64(leaf); }
std::string ApprovalKey(std::string_view stage, const Pseudonym& kpm, uint32_t log, uint64_t leaf) {
  return "A" + StageKpm(stage, kpm) + KeyU32(log) + KeyU64(leaf);
}
std::string ReceiptKey(std::string_view stage, const Pseudonym& kpm, uint32_t log, uint64_t leaf) {
  return "R" + StageKpm(stage, kpm) + KeyU32(log) + KeyU64(leaf);
}
std::string UpdateKey(const Pseudonym& kpm, std::string_view date, uint32_t log, uint64_t leaf) {
  return "U" + Kpm(kpm) + std::string(date) + KeyU32(log) + KeyU64(leaf);
}
std::string WatermarkKey(uint32_t log) { return fmt::format("log/{:010d}/indexed", log); }

struct Watermark {
  uint64_t next = 0;                // first leaf not indexed
  uint64_t open_statement = kNone;  // the statement `next` is inside, if any
  uint64_t last_governance_size = 0;
};

Result<Watermark> ReadWatermark(Store& store, uint32_t log) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(Column::kMeta, WatermarkKey(log)));
  Watermark w;
  if (!v) return w;
  ValueReader r(*v);
  w.next = r.U64();
  w.open_statement = r.U64();
  w.last_governance_size = r.U64();
  if (!r.ok()) return Corruption(fmt::format("index watermark of log {} is malformed", log));
  return w;
}

Result<std::optional<uint64_t>> FindLeaf(Store& store, const std::string& key) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(Column::kIndex, key));
  if (!v) return std::optional<uint64_t>();
  if (v->size() != 8) return Corruption("malformed dedup entry");
  return std::optional<uint64_t>(GetBigEndian64(reinterpret_cast<const uint8_t*>(v->data())));
}

// Key-value pairs of one key kind packed into one arena (no allocation per
// entry), sorted by key on demand. Keys of a kind share a long prefix
// ("R2026-T1\0..."), so each entry keeps the 8 bytes after the prefix common
// to all, and most comparisons end there.
class SortedRun {
 public:
  void Add(std::string_view key, std::string_view value) {
    index_.push_back(
        {arena_.size(), static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size()), 0});
    arena_.append(key);
    arena_.append(value);
  }
  size_t bytes() const { return arena_.size() + index_.size() * sizeof(Ref); }
  size_t size() const { return index_.size(); }
  // Sorts by key; of equal keys the one added last stays (as a batch would).
  void Sort() {
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
  // The i-th pair in order; false past the end.
  bool At(size_t i, std::string_view& key, std::string_view& value) const {
    if (i >= index_.size()) return false;
    key = Key(index_[i]);
    value = std::string_view(arena_).substr(index_[i].offset + index_[i].key_size,
                                            index_[i].value_size);
    return true;
  }
  void Clear() {
    arena_.clear();
    index_.clear();
  }

 private:
  struct Ref {
    size_t offset;
    uint32_t key_size, value_size;
    uint64_t head;  // 8 key bytes after the common prefix, big-endian
  };
  std::string_view Key(const Ref& r) const {
    return std::string_view(arena_).substr(r.offset, r.key_size);
  }
  std::string arena_;
  std::vector<Ref> index_;
};

// Index entries, one run per key kind (the first key byte); the runs in kind
// order, each sorted, are the entries in key order.
class SortedEntries {
 public:
  void Add(std::string_view key, std::string_view value) {
    runs_[static_cast<uint8_t>(key.empty() ? 0 : key[0])].Add(key, value);
  }
  size_t bytes() const {
    size_t n = 0;
    for (const auto& [kind, run] : runs_) n += run.bytes();
    return n;
  }
  size_t size() const {
    size_t n = 0;
    for (const auto& [kind, run] : runs_) n += run.size();
    return n;
  }
  // Sorts the runs, each on a thread of its own.
  void Sort() {
    std::vector<std::future<void>> sorts;
    for (auto& [kind, run] : runs_) {
      sorts.push_back(std::async(std::launch::async, [&run = run] { run.Sort(); }));
    }
    for (auto& f : sorts) f.get();
  }
  // Calls f for every pair in key order.
  Status ForEach(const std::function<Status(std::string_view, std::string_view)>& f) const {
    std::string_view k, v;
    for (const auto& [kind, run] : runs_) {
      for (size_t i = 0; run.At(i, k, v); ++i) RETURN_IF_ERROR(f(k, v));
    }
    return Status::Ok();
  }
  // One pull-style source per run, in key order, for bulk loading.
  std::vector<Store::SortedPairs> Sources() const {
    std::vector<Store::SortedPairs> out;
    for (const auto& [kind, run] : runs_) {
      out.push_back([&run = run, i = size_t{0}](std::string_view& k, std::string_view& v) mutable {
        return run.At(i++, k, v);
      });
    }
    return out;
  }
  void Clear() { runs_.clear(); }

 private:
  std::map<uint8_t, SortedRun> runs_;
};

// Indexes one log's leaves.
class Indexer {
 public:
  Indexer(Store& store, const LogInfo& log, const Governance* gov, const PublicKey* root)
      : store_(store), log_(log), gov_(gov), root_(root) {}

  Result<IndexReport> Run(const std::function<void(uint64_t, uint64_t)>& progress) {
    ASSIGN_OR_RETURN(mark_, ReadWatermark(store_, log_.id));
    LogReader reader(store_, log_);
    uint64_t size;
    ASSIGN_OR_RETURN(size, reader.Size());
    if (mark_.next >= size) return report_;
    if (gov_ == nullptr) {
      // The governance log is judged by its own earlier statements; chunks of
      // it always end between statements.
      ASSIGN_OR_RETURN(own_gov_, LoadGovernance(store_, log_, *root_, mark_.next));
    }
    if (mark_.open_statement != kNone) RETURN_IF_ERROR(ReopenStatement(reader));
    const uint64_t start = mark_.next;
    Status s = reader.ForEachLeaf(start, size, [&](uint64_t i, ByteSpan leaf) -> Status {
      if (remaining_ == 0) {
        RETURN_IF_ERROR(OnStatement(i, leaf));
      } else if (gov_ == nullptr) {
        RETURN_IF_ERROR(OnRecord(i, leaf));
      } else {
        --remaining_;
        pending_.Add(i, leaf);
        if (remaining_ == 0 || pending_.size() >= kPendingRecords) RETURN_IF_ERROR(IndexPending());
      }
      mark_.next = i + 1;
      ++report_.leaves;
      if (remaining_ == 0) mark_.open_statement = kNone;
      // Governance statements are judged whole, so their chunks end between
      // statements; others may also be cut inside a statement when large.
      const bool boundary = remaining_ == 0;
      if ((boundary && entries_.bytes() >= kFlushAtBoundaryBytes) ||
          (gov_ != nullptr && entries_.bytes() >= kMaxBufferedBytes)) {
        RETURN_IF_ERROR(Commit());
      }
      if (progress && (i + 1 - start) % 65536 == 0) progress(i + 1 - start, size - start);
      return Status::Ok();
    });
    RETURN_IF_ERROR(s);
    RETURN_IF_ERROR(Commit());
    if (progress) progress(size - start, size - start);
    return report_;
  }

 private:
  const Governance& gov() const { return gov_ != nullptr ? *gov_ : *own_gov_; }

  Status ReopenStatement(LogReader& reader) {
    Bytes leaf;
    ASSIGN_OR_RETURN(leaf, reader.Leaf(mark_.open_statement));
    ASSIGN_OR_RETURN(statement_, DecodeStatementEntry(leaf));
    statement_index_ = mark_.open_statement;
    remaining_ = statement_index_ + statement_.header.record_count + 1 - mark_.next;
    verdict_ = Judge();
    SetStatementRegion();
    return Status::Ok();
  }

  // The region the approvals of a kabupaten log belong to: the node's
  // registered region, looked up once per statement.
  void SetStatementRegion() {
    const NodeRegistration* node =
        gov_ == nullptr ? nullptr
                        : gov_->NodeByOrigin(log_.origin, statement_.header.governance_size);
    statement_region_ = node != nullptr ? node->region : statement_.header.region;
  }

  Status Judge() {
    if (gov_ == nullptr) return Status::Ok();  // governance: judged at its end
    return CheckLogStatement(*gov_, LogRole{log_.origin}, statement_);
  }

  Status OnStatement(uint64_t i, ByteSpan leaf) {
    ASSIGN_OR_RETURN(statement_, DecodeStatementEntry(leaf));
    statement_index_ = i;
    remaining_ = statement_.header.record_count;
    records_.clear();
    mark_.open_statement = i;
    ++report_.statements;
    verdict_ = Judge();
    if (verdict_.code() == StatusCode::kUnavailable) return verdict_;
    SetStatementRegion();
    const uint64_t g = statement_.header.governance_size;
    if (verdict_.ok() && g < mark_.last_governance_size) {
      verdict_ =
          PermissionDenied(fmt::format("records governance size {}, earlier than the {} an earlier "
                                       "statement of this log records",
                                       g, mark_.last_governance_size));
    }
    mark_.last_governance_size = std::max(mark_.last_governance_size, g);
    if (gov_ != nullptr || remaining_ == 0) return FinishStatement();
    return Status::Ok();
  }

  // A record of the governance log: kept to judge its statement whole.
  Status OnRecord(uint64_t i, ByteSpan leaf) {
    --remaining_;
    auto rec = DecodeVerifiedPkhRecord(leaf);
    if (!rec.ok()) return Corruption(fmt::format("leaf {}: {}", i, rec.status().message()));
    if (*rec) records_.push_back(**rec);
    return remaining_ == 0 ? FinishStatement() : Status::Ok();
  }

  // Record leaves of the open statement, copied from the read buffer.
  class PendingRecords {
   public:
    void Add(uint64_t i, ByteSpan leaf) {
      refs_.push_back({i, bytes_.size(), leaf.size()});
      bytes_.insert(bytes_.end(), leaf.begin(), leaf.end());
    }
    size_t size() const { return refs_.size(); }
    uint64_t index(size_t k) const { return refs_[k].index; }
    ByteSpan leaf(size_t k) const {
      return ByteSpan(bytes_).subspan(refs_[k].offset, refs_[k].size);
    }
    void Clear() {
      refs_.clear();
      bytes_.clear();
    }

   private:
    struct Ref {
      uint64_t index;
      size_t offset, size;
    };
    std::vector<Ref> refs_;
    Bytes bytes_;
  };

  // What indexing some records of a statement produced.
  struct IndexedPart {
    Status status;
    SortedEntries entries;
    std::vector<std::pair<uint64_t, std::string>> violations;
  };

  // Decodes, checks and indexes pending records [begin, end) of the open
  // statement. Reads only state that is fixed while a statement is open, so
  // parts run concurrently.
  IndexedPart IndexPart(size_t begin, size_t end) const {
    IndexedPart part;
    for (size_t k = begin; k < end; ++k) {
      const uint64_t i = pending_.index(k);
      auto rec = DecodeVerifiedPkhRecord(pending_.leaf(k));
      if (!rec.ok()) {
        part.status = Corruption(fmt::format("leaf {}: {}", i, rec.status().message()));
        return part;
      }
      if (!*rec || !verdict_.ok()) continue;
      if (Status fit = CheckRecordFitsStatement(statement_, **rec); !fit.ok()) {
        part.violations.emplace_back(i, fit.message());
      } else {
        IndexRecord(i, **rec, part.entries);
      }
    }
    return part;
  }

  // Indexes the pending records, in two halves on two threads for large
  // batches, then adds what they produced in leaf order.
  Status IndexPending() {
    const size_t n = pending_.size();
    if (n == 0) return Status::Ok();
    std::vector<IndexedPart> parts;
    if (n < kParallelRecords) {
      parts.push_back(IndexPart(0, n));
    } else {
      auto second = std::async(std::launch::async, [&] { return IndexPart(n / 2, n); });
      parts.push_back(IndexPart(0, n / 2));
      parts.push_back(second.get());
    }
    pending_.Clear();
    for (IndexedPart& part : parts) {
      RETURN_IF_ERROR(part.status);
      for (const auto& [leaf, message] : part.violations) AddViolation(leaf, message, true);
      RETURN_IF_ERROR(part.entries.ForEach([&](std::string_view k, std::string_view v) {
        Put(k, v);
        return Status::Ok();
      }));
    }
    return Status::Ok();
  }

  // Governance statements are judged with their records; others were judged
  // at their leaf. Either way the verdict is written once.
  Status FinishStatement() {
    if (gov_ == nullptr) {
      Status verdict;
      RETURN_IF_ERROR(own_gov_->Apply(statement_index_, statement_, records_, &verdict));
      verdict_ = verdict;
    }
    ValueWriter v;
    v.Str(statement_.header.type)
        .Str(statement_.header.stage)
        .U64(statement_.header.governance_size)
        .U64(statement_.header.record_count)
        .Str(verdict_.ok() ? "" : verdict_.message());
    Put(StatementKey(log_.id, statement_index_), v.str());
    if (!verdict_.ok()) AddViolation(statement_index_, verdict_.message(), /*record=*/false);
    return Status::Ok();
  }

  void AddViolation(uint64_t leaf, const std::string& message, bool record) {
    ++report_.violations;
    if (report_.first_violations.size() < kMaxReportedViolations) {
      report_.first_violations.push_back(fmt::format("leaf {}: {}", leaf, message));
    }
    if (record) {
      Put(ViolationKey(log_.id, leaf), ValueWriter().U64(statement_index_).Str(message).str());
    }
  }

  void IndexRecord(uint64_t i, const PkhRecord& rec, SortedEntries& out) const {
    auto Put = [&out](std::string_view k, std::string_view v) { out.Add(k, v); };
    const std::string& region = statement_region_;
    const std::string leaf8 = KeyU64(i);
    if (const auto* u = std::get_if<KpmUpdate>(&rec)) {
      Put(DedupKey(log_.id, 'u', u->update_id), leaf8);
      ValueWriter v;
      v.U64(statement_index_).U8(static_cast<uint8_t>(u->status));
      for (uint16_t m : u->members) v.U64(m);
      Put(UpdateKey(u->kpm, u->effective_date, log_.id, i), v.str());
    } else if (const auto* a = std::get_if<Approval>(&rec)) {
      const std::string& stage = statement_.header.stage;
      Put(DedupKey(log_.id, 'a', StageKpm(stage, a->kpm)), leaf8);
      Put(ApprovalKey(stage, a->kpm, log_.id, i), ValueWriter()
                                                      .U64(statement_index_)
                                                      .U64(a->amount)
                                                      .Str(statement_.header.document_date)
                                                      .Str(region)
                                                      .Str(a->lembaga_bayar)
                                                      .str());
    } else if (const auto* r = std::get_if<Receipt>(&rec)) {
      Put(DedupKey(log_.id, 'r', r->txn_ref), leaf8);
      Put(ReceiptKey(r->stage, r->kpm, log_.id, i), ValueWriter()
                                                        .U64(statement_index_)
                                                        .U8(static_cast<uint8_t>(r->status))
                                                        .U64(r->amount)
                                                        .Str(r->paid_at.substr(0, 10))
                                                        .Str(r->kabupaten)
                                                        .Str(r->txn_ref)
                                                        .str());
    }
  }

  void Put(std::string_view key, std::string_view value) { entries_.Add(key, value); }

  // Writes the buffered entries in key order, then the watermark. Large
  // chunks are bulk-loaded as a table file (no memtable, no log); small ones
  // written as a batch, unsynced. The watermark's write is synced last: a
  // crash before it leaves the old watermark, and the next catch-up writes
  // the same entries again.
  Status Commit() {
    RETURN_IF_ERROR(IndexPending());
    entries_.Sort();
    if (entries_.size() >= kBulkLoadEntries) {
      RETURN_IF_ERROR(store_.BulkLoad(Column::kIndex, entries_.Sources()));
    } else {
      WriteBatch batch;
      RETURN_IF_ERROR(entries_.ForEach([&](std::string_view k, std::string_view v) -> Status {
        batch.Put(Column::kIndex, k, v);
        if (batch.ByteSize() < kWriteBatchBytes) return Status::Ok();
        RETURN_IF_ERROR(store_.Write(batch, /*sync=*/false));
        batch.Clear();
        return Status::Ok();
      }));
      RETURN_IF_ERROR(store_.Write(batch, /*sync=*/false));
    }
    entries_.Clear();
    WriteBatch mark;
    mark.Put(Column::kMeta, WatermarkKey(log_.id),
             ValueWriter()
                 .U64(mark_.next)
                 .U64(mark_.open_statement)
                 .U64(mark_.last_governance_size)
                 .str());
    return store_.Write(mark, /*sync=*/true);
  }

  Store& store_;
  const LogInfo& log_;
  const Governance* gov_;
  const PublicKey* root_;
  std::optional<Governance> own_gov_;
  Watermark mark_;
  Statement statement_;
  std::string statement_region_;
  uint64_t statement_index_ = 0;
  uint64_t remaining_ = 0;
  Status verdict_;
  std::vector<PkhRecord> records_;
  PendingRecords pending_;
  SortedEntries entries_;
  IndexReport report_;
};

// Decodes rows of one key prefix.
Status Scan(Store& store, std::string_view prefix,
            const std::function<Status(std::string_view key, std::string_view value)>& f) {
  auto it = store.NewIterator(Column::kIndex);
  for (it->Seek(prefix); it->Valid() && it->key().substr(0, prefix.size()) == prefix; it->Next()) {
    RETURN_IF_ERROR(f(it->key(), it->value()));
  }
  return it->status();
}

Status Malformed(std::string_view what) {
  return Corruption(fmt::format("malformed {} index entry", what));
}

// "<stage>\0<kpm16><log4><leaf8>" after the one-byte prefix.
bool SplitStageKey(std::string_view key, std::string& stage, Pseudonym& kpm, uint32_t& log,
                   uint64_t& leaf) {
  key.remove_prefix(1);
  const size_t nul = key.find('\0');
  if (nul == std::string_view::npos || key.size() != nul + 1 + 16 + 4 + 8) return false;
  stage = std::string(key.substr(0, nul));
  const auto* p = reinterpret_cast<const uint8_t*>(key.data() + nul + 1);
  std::memcpy(kpm.data(), p, 16);
  log = GetBigEndian32(p + 16);
  leaf = GetBigEndian64(p + 20);
  return true;
}

}  // namespace

Result<IndexReport> CatchUpIndex(Store& store, const LogInfo& log, const Governance* gov,
                                 const PublicKey* root,
                                 const std::function<void(uint64_t, uint64_t)>& progress) {
  if (gov == nullptr && root == nullptr) {
    return InvalidArgument(
        "indexing needs the governance state or, for the governance log, its root");
  }
  Indexer indexer(store, log, gov, root);
  return indexer.Run(progress);
}

Result<uint64_t> IndexedSize(Store& store, const LogInfo& log) {
  Watermark w;
  ASSIGN_OR_RETURN(w, ReadWatermark(store, log.id));
  return w.next;
}

Result<std::optional<uint64_t>> FindUpdateId(Store& store, uint32_t log, std::string_view id) {
  return FindLeaf(store, DedupKey(log, 'u', id));
}
Result<std::optional<uint64_t>> FindTxnRef(Store& store, uint32_t log, std::string_view ref) {
  return FindLeaf(store, DedupKey(log, 'r', ref));
}
Result<std::optional<uint64_t>> FindDedupKey(Store& store, uint32_t log, char kind,
                                             std::string_view key) {
  return FindLeaf(store, DedupKey(log, kind, key));
}
std::string ApprovalDedupKey(std::string_view stage, const Pseudonym& kpm) {
  return StageKpm(stage, kpm);
}
Result<bool> HoldsAnyDedupKey(Store& store, uint32_t log) {
  const std::string prefix = "D" + KeyU32(log);
  auto it = store.NewIterator(Column::kIndex);
  it->Seek(prefix);
  const bool any = it->Valid() && it->key().substr(0, prefix.size()) == prefix;
  RETURN_IF_ERROR(it->status());
  return any;
}
Result<uint64_t> LastGovernanceSize(Store& store, const LogInfo& log) {
  Watermark w;
  ASSIGN_OR_RETURN(w, ReadWatermark(store, log.id));
  return w.last_governance_size;
}
Result<std::optional<uint64_t>> FindApproval(Store& store, uint32_t log, std::string_view stage,
                                             const Pseudonym& kpm) {
  return FindLeaf(store, DedupKey(log, 'a', StageKpm(stage, kpm)));
}

namespace {

bool DecodeApproval(std::string_view k, std::string_view v, ApprovalRow& row) {
  if (!SplitStageKey(k, row.stage, row.kpm, row.log, row.leaf)) return false;
  ValueReader r(v);
  row.statement = r.U64();
  row.amount = r.U64();
  row.ba_date = r.Str();
  row.kabupaten = r.Str();
  row.lembaga_bayar = r.Str();
  return r.ok();
}

bool DecodeReceipt(std::string_view k, std::string_view v, ReceiptRow& row) {
  if (!SplitStageKey(k, row.stage, row.kpm, row.log, row.leaf)) return false;
  ValueReader r(v);
  row.statement = r.U64();
  const uint8_t status = r.U8();
  row.status = static_cast<ReceiptStatus>(status);
  row.amount = r.U64();
  row.paid_date = r.Str();
  row.kabupaten = r.Str();
  row.txn_ref = r.Str();
  return r.ok() && status <= 2;
}

bool DecodeUpdate(std::string_view k, std::string_view v, UpdateRow& row) {
  if (k.size() != 1 + 16 + 10 + 4 + 8) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(k.data() + 1);
  std::memcpy(row.kpm.data(), p, 16);
  row.effective_date.assign(k.substr(17, 10));
  row.log = GetBigEndian32(p + 26);
  row.leaf = GetBigEndian64(p + 30);
  ValueReader r(v);
  row.statement = r.U64();
  const uint8_t status = r.U8();
  row.status = static_cast<KpmStatus>(status);
  for (auto& m : row.members) m = static_cast<uint16_t>(r.U64());
  return r.ok() && status <= 4;
}

}  // namespace

Result<std::optional<UpdateRow>> StatusOn(Store& store, const Pseudonym& kpm,
                                          std::string_view date) {
  // Keys sort by date, then log id, then leaf: the rows of the greatest date
  // on or before `date` are the candidates; of those the later leaf wins, and
  // between logs the greater origin (never the store-local log id, so that
  // every store holding the same logs gives the same answer).
  std::vector<UpdateRow> latest;
  RETURN_IF_ERROR(
      Scan(store, "U" + Kpm(kpm), [&](std::string_view k, std::string_view v) -> Status {
        UpdateRow row;
        if (!DecodeUpdate(k, v, row)) return Malformed("update");
        if (row.effective_date > date) return Status::Ok();
        if (!latest.empty() && latest.back().effective_date != row.effective_date) latest.clear();
        latest.push_back(std::move(row));
        return Status::Ok();
      }));
  if (latest.empty()) return std::optional<UpdateRow>();
  if (latest.front().log == latest.back().log) return std::optional<UpdateRow>(latest.back());
  std::vector<LogInfo> logs;
  ASSIGN_OR_RETURN(logs, ListLogs(store));
  auto origin = [&](uint32_t id) -> std::string_view {
    for (const LogInfo& l : logs) {
      if (l.id == id) return l.origin;
    }
    return {};
  };
  const UpdateRow* best = &latest.front();
  for (const UpdateRow& row : latest) {
    const auto a = std::make_pair(origin(row.log), row.leaf);
    const auto b = std::make_pair(origin(best->log), best->leaf);
    if (a > b) best = &row;
  }
  return std::optional<UpdateRow>(*best);
}

Status ForEachStatementVerdict(Store& store,
                               const std::function<Status(const StatementVerdict&)>& f) {
  return Scan(store, "S", [&](std::string_view k, std::string_view v) {
    if (k.size() != 13) return Malformed("statement");
    StatementVerdict s;
    s.log = GetBigEndian32(reinterpret_cast<const uint8_t*>(k.data() + 1));
    s.leaf = GetBigEndian64(reinterpret_cast<const uint8_t*>(k.data() + 5));
    ValueReader r(v);
    s.type = r.Str();
    s.stage = r.Str();
    s.governance_size = r.U64();
    s.records = r.U64();
    s.violation = r.Str();
    if (!r.ok()) return Malformed("statement");
    return f(s);
  });
}

Status ForEachRecordViolation(Store& store,
                              const std::function<Status(const RecordViolation&)>& f) {
  return Scan(store, "V", [&](std::string_view k, std::string_view v) {
    if (k.size() != 13) return Malformed("violation");
    RecordViolation rv;
    rv.log = GetBigEndian32(reinterpret_cast<const uint8_t*>(k.data() + 1));
    rv.leaf = GetBigEndian64(reinterpret_cast<const uint8_t*>(k.data() + 5));
    ValueReader r(v);
    rv.statement = r.U64();
    rv.message = r.Str();
    if (!r.ok()) return Malformed("violation");
    return f(rv);
  });
}

JoinCursor::JoinCursor(Store& store, Kind kind, std::string_view stage, const Pseudonym& from,
                       const std::optional<Pseudonym>& to)
    : kind_(kind), it_(store.NewIterator(Column::kIndex)) {
  switch (kind) {
    case Kind::kApproval:
      prefix_ = "A" + std::string(stage) + '\0';
      break;
    case Kind::kReceipt:
      prefix_ = "R" + std::string(stage) + '\0';
      break;
    case Kind::kUpdate:
      prefix_ = "U";
      break;
  }
  if (to) end_ = prefix_ + Kpm(*to);
  it_->Seek(prefix_ + Kpm(from));
  Settle();
}

JoinCursor::~JoinCursor() = default;

void JoinCursor::Next() {
  if (!valid_) return;
  it_->Next();
  Settle();
}

const Pseudonym& JoinCursor::kpm() const {
  switch (kind_) {
    case Kind::kApproval:
      return approval_.kpm;
    case Kind::kReceipt:
      return receipt_.kpm;
    case Kind::kUpdate:
      break;
  }
  return update_.kpm;
}

void JoinCursor::Settle() {
  valid_ = false;
  if (!it_->Valid()) {
    status_ = it_->status();
    return;
  }
  const std::string_view k = it_->key();
  if (k.substr(0, prefix_.size()) != prefix_ || (!end_.empty() && k >= end_)) return;
  bool ok = false;
  const char* what = "";
  switch (kind_) {
    case Kind::kApproval:
      ok = DecodeApproval(k, it_->value(), approval_);
      what = "approval";
      break;
    case Kind::kReceipt:
      ok = DecodeReceipt(k, it_->value(), receipt_);
      what = "receipt";
      break;
    case Kind::kUpdate:
      ok = DecodeUpdate(k, it_->value(), update_);
      what = "update";
      break;
  }
  if (!ok) {
    status_ = Malformed(what);
    return;
  }
  valid_ = true;
}

}  // namespace jejak
