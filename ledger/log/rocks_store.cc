#include "ledger/log/rocks_store.h"

#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "ledger/log/internal/rocks_status.h"

namespace jejak {
namespace {

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// RocksDB's own info log is a file in the store's folder. On a full disk its
// writer fails, and Debian's build then aborts on an assertion the next time
// it writes a line (WritableFileWriter reused after an error). The store's
// errors reach callers as statuses anyway, so its chatter goes nowhere: no
// file to fill, none to be refused in a folder that cannot be written.
class SilentLogger final : public rocksdb::Logger {
 public:
  SilentLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::HEADER_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char*, va_list) override {}
  void Logv(const rocksdb::InfoLogLevel, const char*, va_list) override {}
};

rocksdb::ColumnFamilyOptions ColumnOptions(Column c) {
  rocksdb::ColumnFamilyOptions o;
  switch (c) {
    case Column::kLeaves:
      // The bulk of the data; appended in key order.
      o.write_buffer_size = 64 << 20;
      o.compression = rocksdb::kLZ4Compression;
      break;
    case Column::kTiles:
      o.write_buffer_size = 32 << 20;
      o.compression = rocksdb::kNoCompression;  // hashes do not compress
      break;
    case Column::kIndex:
      // Imports look up a dedup key per row, most of them absent. Keys and
      // values are mostly pseudonyms and hashes: compression buys little and
      // costs a third of a bulk load.
      o.write_buffer_size = 64 << 20;
      o.compression = rocksdb::kNoCompression;
      o.memtable_whole_key_filtering = true;
      o.memtable_prefix_bloom_size_ratio = 0.05;
      break;
    default:
      o.write_buffer_size = 16 << 20;
      o.compression = rocksdb::kLZ4Compression;
      break;
  }
  rocksdb::BlockBasedTableOptions t;
  t.block_size = 16 * 1024;
  if (c == Column::kIndex || c == Column::kMeta) {
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

class RocksIterator final : public StoreIterator {
 public:
  explicit RocksIterator(rocksdb::Iterator* it) : it_(it) {}
  void Seek(std::string_view key) override { it_->Seek(ToSlice(key)); }
  void SeekForPrev(std::string_view key) override { it_->SeekForPrev(ToSlice(key)); }
  void Next() override { it_->Next(); }
  bool Valid() const override { return it_->Valid(); }
  std::string_view key() const override { return it_->key().ToStringView(); }
  std::string_view value() const override { return it_->value().ToStringView(); }
  Status status() const override { return FromRocks(it_->status(), "store iterator"); }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
};

class RocksStore final : public Store {
 public:
  using Store::BulkLoad;
  ~RocksStore() override {
    if (db_ != nullptr && !read_only_) {
      // What this process wrote is in the write-ahead log and the memtables.
      // Left there, every later read command (a secondary, below) replays
      // the whole log — tens of megabytes after one large import — on each
      // call. Flushed once here, the log is obsolete and the next opener
      // replays nothing. A failure (a full disk) loses nothing: the log
      // stays, and is replayed as before.
      rocksdb::FlushOptions o;
      o.wait = true;
      db_->Flush(o, handles_).PermitUncheckedError();
    }
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_.reset();
    if (!secondary_dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(secondary_dir_, ec);
    }
  }

  static Result<std::unique_ptr<Store>> Open(const std::string& path, StoreMode mode) {
    auto store = std::unique_ptr<RocksStore>(new RocksStore());
    rocksdb::DBOptions db;
    db.create_if_missing = mode == StoreMode::kCreate;
    db.error_if_exists = mode == StoreMode::kCreate;
    db.create_missing_column_families = mode == StoreMode::kCreate;
    db.max_background_jobs = 2;
    db.bytes_per_sync = 1 << 20;
    db.keep_log_file_num = 3;
    db.info_log = std::make_shared<SilentLogger>();
    // No space reserved ahead for the write-ahead log (RocksDB would reserve
    // a memtable's worth per log file): on a small or nearly full disk the
    // reservation alone fails writes that would fit.
    db.allow_fallocate = false;
    // After a failed write (a full disk) the store is resumed by the next
    // write (Resume() below), not by a background thread of RocksDB's whose
    // retries would make that call answer "busy".
    db.max_bgerror_resume_count = 0;
    db.info_log_level = rocksdb::InfoLogLevel::HEADER_LEVEL;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    cfs.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    for (int i = 0; i < kColumnCount; ++i) {
      const auto c = static_cast<Column>(i);
      cfs.emplace_back(std::string(ColumnName(c)), ColumnOptions(c));
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s;
    if (mode == StoreMode::kReadOnly) {
      if (!std::filesystem::exists(path + "/CURRENT")) {
        return NotFound(fmt::format("{}: no store here", path));
      }
      char tmpl[] = "/tmp/jejak-secondary-XXXXXX";
      if (::mkdtemp(tmpl) == nullptr) return IOError("cannot create a temporary folder");
      store->secondary_dir_ = tmpl;
      db.max_open_files = -1;  // required of secondaries
      s = rocksdb::DB::OpenAsSecondary(db, path, store->secondary_dir_, cfs, &handles, &raw);
    } else {
      if (mode == StoreMode::kReadWrite && !std::filesystem::exists(path + "/CURRENT")) {
        return NotFound(fmt::format("{}: no store here", path));
      }
      s = rocksdb::DB::Open(db, path, cfs, &handles, &raw);
    }
    RETURN_IF_ERROR(FromRocks(s, fmt::format("opening store {}", path)));
    store->db_.reset(raw);
    store->read_only_ = mode == StoreMode::kReadOnly;
    store->path_ = path;
    store->db_->DestroyColumnFamilyHandle(handles[0]);  // default: unused
    store->handles_.assign(handles.begin() + 1, handles.end());
    return std::unique_ptr<Store>(std::move(store));
  }

  Result<std::optional<std::string>> Get(Column c, std::string_view key) override {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(c), ToSlice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    RETURN_IF_ERROR(FromRocks(s, fmt::format("reading {}", ColumnName(c))));
    return std::optional<std::string>(std::move(value));
  }

  std::unique_ptr<StoreIterator> NewIterator(Column c) override {
    rocksdb::ReadOptions o;
    o.readahead_size = 2 << 20;
    return std::make_unique<RocksIterator>(db_->NewIterator(o, Handle(c)));
  }

  std::unique_ptr<StoreIterator> NewShortIterator(Column c) override {
    // RocksDB's own read-ahead, which starts small and grows only as the scan
    // goes on.
    return std::make_unique<RocksIterator>(db_->NewIterator(rocksdb::ReadOptions(), Handle(c)));
  }

  Status Write(const WriteBatch& batch, bool sync) override {
    rocksdb::WriteOptions o;
    o.sync = sync;
    return Apply(batch, o);
  }

  Status WriteUnlogged(const WriteBatch& batch) override {
    rocksdb::WriteOptions o;
    o.disableWAL = true;
    return Apply(batch, o);
  }

  Status Persist(std::initializer_list<Column> columns) override {
    if (read_only_) return FailedPrecondition("store is open read-only");
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    for (Column c : columns) handles.push_back(Handle(c));
    rocksdb::FlushOptions o;
    o.wait = true;
    return FromRocks(db_->Flush(o, handles), "persisting the store");
  }

  Status Apply(const WriteBatch& batch, const rocksdb::WriteOptions& o) {
    if (read_only_) return FailedPrecondition("store is open read-only");
    rocksdb::WriteBatch wb(batch.ByteSize() + 64 * batch.count());
    batch.ForEach([&](char kind, Column c, std::string_view k, std::string_view v) {
      if (kind == 'P') {
        wb.Put(Handle(c), ToSlice(k), ToSlice(v));
      } else if (kind == 'R') {
        wb.DeleteRange(Handle(c), ToSlice(k), ToSlice(v));
      } else {
        wb.Delete(Handle(c), ToSlice(k));
      }
    });
    RETURN_IF_ERROR(ResumeAfterFailedWrite());
    rocksdb::Status s = db_->Write(o, &wb);
    NoteWrite(s);
    return FromRocks(s, "writing store");
  }

  // After a write failed for lack of space, RocksDB refuses every write
  // until it resumes; its own recovery resumes once space is freed, and a
  // manual Resume() meanwhile answers "busy". The first write after such a
  // failure waits for that (up to 10 s), so that writes go on as soon as
  // space is freed; a write that fails for the first time fails at once.
  Status ResumeAfterFailedWrite() {
    if (!failed_.load()) return Status::Ok();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      rocksdb::Status r = db_->Resume();
      if (r.ok()) {
        failed_ = false;
        return Status::Ok();
      }
      if (!r.IsBusy() || std::chrono::steady_clock::now() > deadline) {
        return FromRocks(r, "resuming the store after a failed write");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  void NoteWrite(const rocksdb::Status& s) {
    if (!s.ok() && (s.IsNoSpace() || s.IsIOError())) failed_ = true;
  }

  Status BulkLoad(Column c, const std::vector<SortedPairs>& sources) override {
    if (read_only_) return FailedPrecondition("store is open read-only");
    static std::atomic<uint64_t> counter{0};
    std::vector<std::string> files(sources.size());
    for (std::string& f : files) {
      f = fmt::format("{}/bulk-{}-{}.sst", path_, ::getpid(), counter.fetch_add(1));
    }
    // One table file per source; the first on this thread, the others on
    // threads of their own.
    auto write = [&](size_t i) -> rocksdb::Status {
      rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), ColumnOptionsFor(c));
      rocksdb::Status s = writer.Open(files[i]);
      std::string_view k, v;
      uint64_t n = 0;
      while (s.ok() && sources[i](k, v)) {
        s = writer.Put(ToSlice(k), ToSlice(v));
        ++n;
      }
      if (s.ok() && n == 0) {
        std::remove(files[i].c_str());
        files[i].clear();  // nothing to link in
        return s;
      }
      return s.ok() ? writer.Finish() : s;
    };
    std::vector<std::future<rocksdb::Status>> others;
    for (size_t i = 1; i < sources.size(); ++i) {
      others.push_back(std::async(std::launch::async, write, i));
    }
    rocksdb::Status s = sources.empty() ? rocksdb::Status::OK() : write(0);
    for (auto& f : others) {
      rocksdb::Status other = f.get();
      if (s.ok()) s = other;
    }
    std::vector<std::string> written;
    for (const std::string& f : files) {
      if (!f.empty()) written.push_back(f);
    }
    if (s.ok() && !written.empty()) {
      rocksdb::IngestExternalFileOptions o;
      o.move_files = true;  // a hard link: the file becomes part of the store
      if (Status resumed = ResumeAfterFailedWrite(); !resumed.ok()) {
        for (const std::string& f : written) std::remove(f.c_str());
        return resumed;
      }
      s = db_->IngestExternalFile(Handle(c), written, o);
      NoteWrite(s);
    }
    for (const std::string& f : written) std::remove(f.c_str());
    return FromRocks(s, "bulk load");
  }

  Status BeginBulkLoads(Column c) override {
    if (read_only_) return FailedPrecondition("store is open read-only");
    return FromRocks(db_->SetOptions(Handle(c), {{"disable_auto_compactions", "true"}}),
                     "holding compactions for a bulk load");
  }

  Status EndBulkLoads(Column c) override {
    if (read_only_) return FailedPrecondition("store is open read-only");
    // Up to RocksDB's slowdown trigger, the background compaction takes the
    // files as it would have anyway. Beyond it, every table file of the
    // column is merged now, in one pass, into the last level: each key is
    // written once (a range compaction would rewrite the column at each
    // level the loads reached, since each load went to the deepest level
    // holding nothing it overlaps). Done before the background compaction
    // resumes, so that none of the files is taken by it meanwhile.
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(Handle(c), &meta);
    rocksdb::Status merged;
    if (!meta.levels.empty() && meta.levels[0].files.size() > kLevel0FilesLeftToBackground) {
      std::vector<std::string> files;
      for (const auto& level : meta.levels) {
        for (const auto& f : level.files) files.push_back(f.name);
      }
      const rocksdb::ColumnFamilyOptions options = ColumnOptions(c);
      rocksdb::CompactionOptions o;
      o.compression = options.compression;
      o.output_file_size_limit = options.target_file_size_base;
      o.max_subcompactions = 2;
      merged = db_->CompactFiles(o, Handle(c), files, meta.levels.back().level);
      NoteWrite(merged);
    }
    // Resumed whether or not the merge succeeded; its error comes first.
    const rocksdb::Status resumed =
        db_->SetOptions(Handle(c), {{"disable_auto_compactions", "false"}});
    if (!merged.ok()) return FromRocks(merged, "compacting after a bulk load");
    return FromRocks(resumed, "resuming compactions after a bulk load");
  }

  Status Reclaim(Column c, std::string_view begin, std::string_view end) override {
    if (read_only_) return FailedPrecondition("store is open read-only");
    const rocksdb::Slice b = ToSlice(begin), e = ToSlice(end);
    RETURN_IF_ERROR(
        FromRocks(rocksdb::DeleteFilesInRange(db_.get(), Handle(c), &b, &e), "reclaiming space"));
    rocksdb::CompactRangeOptions o;
    o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
    return FromRocks(db_->CompactRange(o, Handle(c), &b, &e), "reclaiming space");
  }

  Status Snapshot(const std::string& dir) override {
    if (std::filesystem::exists(dir)) return AlreadyExists(dir + " exists");
    rocksdb::Checkpoint* raw = nullptr;
    RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), "snapshot"));
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    // 0: the memtables are flushed first, so that a snapshot is table files
    // only (the write-ahead log is not copied): a backup then copies each
    // table file once, and later backups share it.
    constexpr uint64_t kLogSizeForFlush = 0;
    return FromRocks(checkpoint->CreateCheckpoint(dir, kLogSizeForFlush),
                     fmt::format("making a snapshot of the store in {}", dir));
  }

  bool read_only() const override { return read_only_; }

 private:
  RocksStore() = default;
  static constexpr uint64_t kLevel0FilesLeftToBackground = 20;
  static rocksdb::Options ColumnOptionsFor(Column c) {
    return rocksdb::Options(rocksdb::DBOptions(), ColumnOptions(c));
  }
  rocksdb::ColumnFamilyHandle* Handle(Column c) { return handles_[static_cast<size_t>(c)]; }

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::string secondary_dir_;
  std::string path_;
  bool read_only_ = false;
  std::atomic<bool> failed_{false};  // a write failed; the next one resumes first
};

}  // namespace

Result<std::unique_ptr<Store>> OpenRocksStore(const std::string& path, StoreMode mode) {
  return RocksStore::Open(path, mode);
}

}  // namespace jejak
