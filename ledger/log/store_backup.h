// Backups of a store with RocksDB's backup engine (the engine's half of
// `jejak backup` and `jejak restore`; specs/backup-and-recovery.md): numbered
// backups in one folder, where a file that never changes (a table file) is
// copied once and shared by every backup that holds it, so a backup to the
// same folder costs what changed since the last one. Every file is
// checksummed as it is copied, checked again once the backup is written, and
// again as it is restored. Which store is backed up, and whether its logs
// verify, is the caller's business (VerifyEveryLog checks them); a node's
// backup folder, with its files beside the store, is ledger/pkh/node_backup.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/log/log.h"
#include "ledger/log/store.h"
#include "ledger/log/verify.h"

namespace jejak {

struct StoreBackupInfo {
  uint32_t id = 0;
  int64_t taken_s = 0;  // when, seconds since 1970
  uint64_t bytes = 0;   // the files it is made of (shared ones included)
  uint32_t files = 0;
  std::string app_metadata;  // what the caller stored with it
};

struct StoreBackupReport {
  StoreBackupInfo backup;
  uint64_t added_bytes = 0;  // what the backup folder grew by
  uint32_t kept = 0;         // backups in the folder after old ones were removed
};

// Backs up the store in `store_dir` — a snapshot nobody writes, or a store
// whose writer is stopped (it is opened read-only) — into `backup_dir`
// (created if needed), with `app_metadata`, keeps the newest `keep` backups
// and checks the new backup's files against the checksums taken as they
// were copied. Errors name what failed; a failed backup leaves the earlier
// ones as they were.
Result<StoreBackupReport> BackupStore(const std::string& store_dir, const std::string& backup_dir,
                                      const std::string& app_metadata, uint32_t keep);

// The backups in `backup_dir`, oldest first. NotFound when it holds none.
Result<std::vector<StoreBackupInfo>> ListStoreBackups(const std::string& backup_dir);

// Restores backup `id` (0: the newest) into `store_dir`, which must not
// exist, checking every file's checksum (Corruption for a file altered since
// the backup). A failure leaves no `store_dir` behind.
Status RestoreStore(const std::string& backup_dir, uint32_t id, const std::string& store_dir);

// Holds the lock a store's writer takes (RocksDB's LOCK file), so that no
// node starts on the store while a backup reads it: Unavailable when a
// process holds it (the node is running). Released when destroyed.
class StoreLock {
 public:
  static Result<std::unique_ptr<StoreLock>> Take(const std::string& store_dir);
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_;
};

// Every log of `store` checked as `jejak verify` checks it, in registration
// order. Corruption (or the error met) naming the first damaged log.
struct VerifiedLog {
  LogInfo log;
  VerifyReport report;
};
Result<std::vector<VerifiedLog>> VerifyEveryLog(Store& store, const std::string& where);

}  // namespace jejak
