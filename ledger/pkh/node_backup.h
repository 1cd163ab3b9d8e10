// A node's backups and restores (`jejak backup`, `jejak restore`;
// specs/backup-and-recovery.md): the store's backups (ledger/log/store_backup.h)
// with the node folder's files beside them, checked against node.json and
// its key, and a restore that puts the own log on hold
// (ledger/log/recovery.h) until the node has caught up with what it signed
// after the backup.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/log/store_backup.h"
#include "ledger/pkh/node_folder.h"

namespace jejak {

// A node's backup folder: its store's backups and the files beside it.
//
// OUT/jejak-backup.json  which node (origin and key): a folder backs up one node
// OUT/node.json, node.key, program.key, config.json   the node folder's files
//                                                     (keys as sealed)
// OUT/store/             the store's backups (above)

struct NodeBackupReport {
  StoreBackupReport store;
  std::vector<VerifiedLog> logs;  // what the backed-up store holds, verified
};

// Backs up the node in `node_dir`, whose store as of one instant is at
// `store_dir` (a snapshot, or the node's own db/ while no writer holds it),
// into `out_dir`: the store's logs are verified first, then copied
// incrementally (newest `keep` backups kept), then the node's files, each
// replaced crash-safely. AlreadyExists when `out_dir` holds another node's
// backups.
Result<NodeBackupReport> BackupNode(const std::string& node_dir, const std::string& store_dir,
                                    const std::string& out_dir, uint32_t keep);

struct NodeRestoreReport {
  NodeConfig config;
  StoreBackupInfo backup;
  std::vector<VerifiedLog> logs;
  bool held = false;  // the own log was put on hold (OwnLogHold)
};

// Restores backup `id` (0: the newest) of `out_dir` into `node_dir`, which
// must not exist or be an empty folder: the files and the store, checked
// (checksums, node.json against node.key and the store, every log
// verified), then put in place at once. With `hold`, the own log is put on
// hold (ledger/log/recovery.h) until the node has caught up with what it signed
// after the backup. AlreadyExists for a target that exists; Corruption for a
// backup that was altered; nothing is left behind on an error.
Result<NodeRestoreReport> RestoreNode(const std::string& out_dir, uint32_t id,
                                      const std::string& node_dir, bool hold);

}  // namespace jejak
