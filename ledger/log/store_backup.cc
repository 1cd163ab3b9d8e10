#include "ledger/log/store_backup.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/backup_engine.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "crypto/files.h"
#include "ledger/log/internal/rocks_status.h"
#include "ledger/log/log_source.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;

uint64_t FolderBytes(const std::string& dir) {
  uint64_t n = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e;
    if (it->is_regular_file(e)) n += it->file_size(e);
  }
  return n;
}

rocksdb::BackupEngineOptions EngineOptions(const std::string& backup_dir) {
  rocksdb::BackupEngineOptions o(backup_dir);
  o.share_table_files = true;
  o.share_files_with_checksum = true;  // a table file is shared by its name, size and checksum
  o.sync = true;                       // a backup or a restore survives a crash once done
  o.max_background_operations = 1;     // an office machine goes on serving
  return o;
}

StoreBackupInfo Info(const rocksdb::BackupInfo& b) {
  return StoreBackupInfo{b.backup_id, b.timestamp, b.size, b.number_files, b.app_metadata};
}

// The store opened read-only with every column family it has: what the
// backup engine reads from.
struct ReadOnlyDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ~ReadOnlyDb() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  }
};

Status OpenReadOnly(const std::string& dir, ReadOnlyDb& out) {
  if (!fs::exists(dir + "/CURRENT")) return NotFound(fmt::format("{}: no store here", dir));
  rocksdb::DBOptions options;
  std::vector<std::string> names;
  RETURN_IF_ERROR(FromRocks(rocksdb::DB::ListColumnFamilies(options, dir, &names),
                            fmt::format("reading the store {}", dir)));
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  rocksdb::DB* raw = nullptr;
  RETURN_IF_ERROR(FromRocks(rocksdb::DB::OpenForReadOnly(options, dir, cfs, &out.handles, &raw),
                            fmt::format("opening the store {}", dir)));
  out.db.reset(raw);
  return Status::Ok();
}

}  // namespace

Result<StoreBackupReport> BackupStore(const std::string& store_dir, const std::string& backup_dir,
                                      const std::string& app_metadata, uint32_t keep) {
  if (keep == 0) return InvalidArgument("at least one backup must be kept");
  ReadOnlyDb source;
  RETURN_IF_ERROR(OpenReadOnly(store_dir, source));
  const uint64_t before = FolderBytes(backup_dir);
  rocksdb::BackupEngine* raw = nullptr;
  RETURN_IF_ERROR(FromRocks(
      rocksdb::BackupEngine::Open(rocksdb::Env::Default(), EngineOptions(backup_dir), &raw),
      fmt::format("opening the backups in {}", backup_dir)));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::CreateBackupOptions create;
  create.flush_before_backup = false;  // a read-only store cannot flush; its log is copied
  rocksdb::BackupID id = 0;
  RETURN_IF_ERROR(
      FromRocks(engine->CreateNewBackupWithMetadata(create, source.db.get(), app_metadata, &id),
                fmt::format("backing up {} into {}", store_dir, backup_dir)));
  // Each file is read back and checked against the checksum taken as it was
  // copied: the backup holds what was read.
  RETURN_IF_ERROR(FromRocks(engine->VerifyBackup(id, /*verify_with_checksum=*/true),
                            fmt::format("checking the new backup {} in {}", id, backup_dir)));
  RETURN_IF_ERROR(FromRocks(engine->PurgeOldBackups(keep),
                            fmt::format("removing backups beyond the newest {}", keep)));
  StoreBackupReport report;
  rocksdb::BackupInfo info;
  RETURN_IF_ERROR(FromRocks(engine->GetBackupInfo(id, &info), "reading the new backup"));
  report.backup = Info(info);
  std::vector<rocksdb::BackupInfo> all;
  engine->GetBackupInfo(&all);
  report.kept = static_cast<uint32_t>(all.size());
  const uint64_t after = FolderBytes(backup_dir);
  report.added_bytes = after > before ? after - before : 0;
  return report;
}

Result<std::vector<StoreBackupInfo>> ListStoreBackups(const std::string& backup_dir) {
  if (!fs::is_directory(backup_dir + "/meta")) {
    return NotFound(fmt::format("{} holds no store backup", backup_dir));
  }
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  RETURN_IF_ERROR(FromRocks(
      rocksdb::BackupEngineReadOnly::Open(rocksdb::Env::Default(), EngineOptions(backup_dir), &raw),
      fmt::format("opening the backups in {}", backup_dir)));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  std::vector<rocksdb::BackupInfo> all;
  engine->GetBackupInfo(&all);
  if (all.empty()) return NotFound(fmt::format("{} holds no store backup", backup_dir));
  std::vector<StoreBackupInfo> out;
  for (const auto& b : all) out.push_back(Info(b));
  return out;
}

Status RestoreStore(const std::string& backup_dir, uint32_t id, const std::string& store_dir) {
  if (fs::exists(store_dir)) return AlreadyExists(fmt::format("{} exists", store_dir));
  std::vector<StoreBackupInfo> all;
  ASSIGN_OR_RETURN(all, ListStoreBackups(backup_dir));
  if (id == 0) id = all.back().id;
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  RETURN_IF_ERROR(FromRocks(
      rocksdb::BackupEngineReadOnly::Open(rocksdb::Env::Default(), EngineOptions(backup_dir), &raw),
      fmt::format("opening the backups in {}", backup_dir)));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  Status s =
      FromRocks(engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), id, store_dir, store_dir),
                fmt::format("restoring backup {} of {}", id, backup_dir));
  if (!s.ok()) {
    std::error_code ec;
    fs::remove_all(store_dir, ec);
    if (s.code() == StatusCode::kCorruption) {
      return Corruption(
          fmt::format("backup {} of {} is damaged: a file differs from what was backed up ({})", id,
                      backup_dir, s.message()));
    }
  }
  return s;
}

Result<std::unique_ptr<StoreLock>> StoreLock::Take(const std::string& store_dir) {
  const std::string path = store_dir + "/LOCK";
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound(fmt::format("{}: no store here", store_dir));
    return IOError(fmt::format("{}: {}", path, ErrnoText(errno)));
  }
  // The lock RocksDB's writer takes: a write lock on the whole file.
  struct flock f {};
  f.l_type = F_WRLCK;
  f.l_whence = SEEK_SET;
  if (::fcntl(fd, F_SETLK, &f) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EACCES || err == EAGAIN) {
      return Unavailable(
          fmt::format("{} is in use by another process (a running node)", store_dir));
    }
    return IOError(fmt::format("{}: cannot lock: {}", path, ErrnoText(err)));
  }
  return std::unique_ptr<StoreLock>(new StoreLock(fd));
}

StoreLock::~StoreLock() { ::close(fd_); }

Result<std::vector<VerifiedLog>> VerifyEveryLog(Store& store, const std::string& where) {
  std::vector<LogInfo> logs;
  ASSIGN_OR_RETURN(logs, ListLogs(store));
  std::vector<VerifiedLog> out;
  for (const LogInfo& log : logs) {
    StoreLogSource source(store, log, where);
    VerifyOptions options;
    options.log_key = log.key;
    VerifyResult r = VerifyLog(source, options);
    if (!r.status.ok()) {
      return Status(
          r.status.code() == StatusCode::kIOError ? StatusCode::kIOError : StatusCode::kCorruption,
          fmt::format("{}: {} is DAMAGED: {}", where, log.origin, r.status.message()));
    }
    out.push_back({log, r.report});
  }
  return out;
}

}  // namespace jejak
