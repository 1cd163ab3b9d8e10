#include "ledger/pkh/indexer.h"

#include <algorithm>
#include <future>
#include <map>

#include <fmt/format.h>

#include "ledger/log/sorted_run.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/internal/index_layout.h"
#include "ledger/pkh/records.h"
#include "ledger/pkh/statement_rules.h"

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
constexpr size_t kMaxReportedViolations = 10;
// Records of a statement are indexed in batches of up to this many...
constexpr size_t kPendingRecords = 32768;
// ...split over two threads from this many on.
constexpr size_t kParallelRecords = 4096;

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
    RETURN_IF_ERROR(CheckLogStatement(*gov_, LogRole{log_.origin}, statement_));
    return CheckListYear();
  }

  // A target list id is held under one year only (the own log's admission
  // refuses another; a replica's author may not have).
  Status CheckListYear() {
    const StatementHeader& h = statement_.header;
    if (h.type != kTypeBnba) return Status::Ok();
    std::optional<uint16_t> year;
    if (auto it = list_years_.find(h.document_number); it != list_years_.end()) {
      year = it->second;
    } else {
      ASSIGN_OR_RETURN(year, FindListYear(store_, log_.id, h.document_number));
    }
    if (year && *year != h.document_year) {
      return PermissionDenied(fmt::format(
          "target list {} for year {}, but the log holds that list for year {}: a list id is "
          "imported under one year only",
          h.document_number, h.document_year, *year));
    }
    return Status::Ok();
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
    const StatementHeader& h = statement_.header;
    if (verdict_.ok() && h.type == kTypeBnba && list_years_.count(h.document_number) == 0) {
      list_years_[h.document_number] = h.document_year;
      const char year[2] = {static_cast<char>(h.document_year >> 8),
                            static_cast<char>(h.document_year & 0xff)};
      Put(ListKey(log_.id, h.document_number), std::string_view(year, 2));
    }
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
    } else if (const auto* e = std::get_if<BnbaEntry>(&rec)) {
      Put(DedupKey(log_.id, 'b', BnbaDedupKey(statement_.header.document_number, e->kpm)), leaf8);
      Put(BnbaKey(e->kpm, log_.id, i),
          ValueWriter().U64(statement_index_).U64(statement_.header.document_year).str());
    } else if (const auto* v = std::get_if<Verification>(&rec)) {
      Put(DedupKey(log_.id, 'v', v->verification_id), leaf8);
      Put(VerificationKey(v->kpm, v->month, log_.id, i),
          ValueWriter()
              .U64(statement_index_)
              .U8(static_cast<uint8_t>(v->commitment))
              .U8(static_cast<uint8_t>(v->result))
              .str());
    } else if (const auto* c = std::get_if<Complaint>(&rec)) {
      Put(DedupKey(log_.id, 'c', c->complaint_id), leaf8);
      Put(ComplaintKey(c->stage, c->kpm, log_.id, i), ValueWriter()
                                                          .U64(statement_index_)
                                                          .U8(c->kpm ? 1 : 0)
                                                          .U8(static_cast<uint8_t>(c->category))
                                                          .Str(c->received_at)
                                                          .Str(c->complaint_id)
                                                          .str());
      const Pseudonym kpm = c->kpm.value_or(Pseudonym{});
      Put(ComplaintByIdKey(log_.id, c->complaint_id),
          ValueWriter().U64(i).U8(c->kpm ? 1 : 0).Raw(kpm).Str(c->stage).Str(c->received_at).str());
    } else if (const auto* r = std::get_if<ComplaintResponse>(&rec)) {
      Put(DedupKey(log_.id, 'p', r->response_id), leaf8);
      Put(ResponseKey(log_.id, r->complaint_id, i),
          ValueWriter()
              .U64(statement_index_)
              .U64(static_cast<uint64_t>(statement_.header.timestamp_ms))
              .U8(static_cast<uint8_t>(r->action))
              .Str(r->responded_at)
              .Str(r->response_id)
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
    mark.Put(Column::kMeta, WatermarkKey(log_.id), EncodeWatermark(mark_));
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
  // Target lists this catch-up indexed, and their years.
  std::map<std::string, uint16_t> list_years_;
};

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

}  // namespace jejak
