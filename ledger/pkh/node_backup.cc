#include "ledger/pkh/node_backup.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/files.h"
#include "crypto/json_text.h"
#include "crypto/key_file.h"
#include "ledger/log/recovery.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;

constexpr int kBackupFormat = 1;
constexpr char kManifest[] = "jejak-backup.json";
// The node folder's files a backup holds, and whether each is a secret.
struct NodeFile {
  const char* name;
  bool secret;
  bool required;
};
constexpr NodeFile kNodeFiles[] = {{"node.json", false, true},
                                   {"node.key", true, true},
                                   {"program.key", true, false},
                                   {"config.json", false, false}};

std::string ManifestJson(const NodeConfig& c) {
  nlohmann::ordered_json j;
  j["format"] = kBackupFormat;
  j["origin"] = c.origin;
  j["node_key"] = c.key.ToString();
  return j.dump(2) + "\n";
}

// The node a backup folder holds (its manifest), or nullopt for a folder
// that holds none yet.
Result<std::optional<std::string>> ManifestKey(const std::string& out_dir) {
  const std::string path = out_dir + "/" + kManifest;
  auto text = ReadFile(path, 1 << 16);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) {
    return std::optional<std::string>();
  }
  RETURN_IF_ERROR(text.status());
  ASSIGN_OR_RETURN(nlohmann::json j,
                   ParseJsonDocument(*text, path, JsonLimits{1 << 16, 2}, StatusCode::kCorruption));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, path, "", StatusCode::kCorruption));
  uint64_t format = 0;
  ASSIGN_OR_RETURN(format, f.U64("format"));
  if (format != kBackupFormat) return f.Error("format", "is not one this version reads");
  ASSIGN_OR_RETURN(std::string key, f.Str("node_key"));
  return std::optional<std::string>(std::move(key));
}

std::string BackupMetadata(const std::vector<VerifiedLog>& logs) {
  nlohmann::ordered_json j;
  j["taken_ms"] = NowMillis();
  for (const auto& l : logs) {
    if (!l.log.own) continue;
    j["own_size"] = l.report.size;
    j["own_root"] = Base64Encode(l.report.root);
  }
  return j.dump();
}

// node.json and node.key of a folder agree: the key file's public key is
// the node key (checked without the passphrase).
Status CheckKeyFile(const std::string& dir, const NodeConfig& config) {
  KeyFileInfo info;
  ASSIGN_OR_RETURN(info, ReadKeyFileInfo(dir + "/node.key"));
  if (info.public_key != config.key.key) {
    return Corruption(fmt::format("{}: node.key does not hold the key node.json names", dir));
  }
  return Status::Ok();
}

Status CopyNodeFiles(const std::string& from, const std::string& to, bool no_clobber) {
  for (const NodeFile& f : kNodeFiles) {
    auto data = ReadFile(from + "/" + f.name, size_t{1} << 20);
    if (!data.ok() && data.status().code() == StatusCode::kNotFound && !f.required) continue;
    if (!data.ok()) return data.status();
    RETURN_IF_ERROR(WriteFileAtomic(to + "/" + f.name, *data, f.secret ? 0600 : 0644, no_clobber));
  }
  return Status::Ok();
}

}  // namespace

Result<NodeBackupReport> BackupNode(const std::string& node_dir, const std::string& store_dir,
                                    const std::string& out_dir, uint32_t keep) {
  NodeConfig config;
  ASSIGN_OR_RETURN(config, ReadNodeConfig(node_dir));
  RETURN_IF_ERROR(CheckKeyFile(node_dir, config));
  std::optional<std::string> held_key;
  ASSIGN_OR_RETURN(held_key, ManifestKey(out_dir));
  if (held_key && *held_key != config.key.ToString()) {
    return AlreadyExists(
        fmt::format("{} holds the backups of another node ({}); give a folder "
                    "of its own to each node",
                    out_dir, *held_key));
  }
  if (!held_key && fs::exists(out_dir) && !fs::is_empty(out_dir)) {
    return AlreadyExists(fmt::format(
        "{} is not empty and holds no jejak backup: give a new or empty folder", out_dir));
  }
  NodeBackupReport report;
  {
    // The copy's logs are verified before it is taken, and the backup
    // engine checks that what it wrote is what it read.
    std::unique_ptr<Store> store;
    ASSIGN_OR_RETURN(store, OpenRocksStore(store_dir, StoreMode::kReadOnly));
    auto own = FindLog(*store, config.origin);
    if (!own.ok()) return own.status().WithContext(fmt::format("the store of {}", node_dir));
    if (own->key.ToString() != config.key.ToString()) {
      return Corruption(
          fmt::format("{}: node.json and the store disagree on the node key", node_dir));
    }
    ASSIGN_OR_RETURN(report.logs, VerifyEveryLog(*store, "the store of " + node_dir));
  }
  RETURN_IF_ERROR(MakeDirectories(out_dir));
  if (!held_key) RETURN_IF_ERROR(WriteFileAtomic(out_dir + "/" + kManifest, ManifestJson(config)));
  ASSIGN_OR_RETURN(report.store,
                   BackupStore(store_dir, out_dir + "/store", BackupMetadata(report.logs), keep));
  RETURN_IF_ERROR(CopyNodeFiles(node_dir, out_dir, /*no_clobber=*/false));
  return report;
}

Result<NodeRestoreReport> RestoreNode(const std::string& out_dir, uint32_t id,
                                      const std::string& node_dir, bool hold) {
  std::error_code ec;
  if (fs::exists(node_dir, ec) && !(fs::is_directory(node_dir, ec) && fs::is_empty(node_dir, ec))) {
    return AlreadyExists(fmt::format(
        "{} exists: a restore makes a new node folder and never overwrites one", node_dir));
  }
  std::optional<std::string> held_key;
  ASSIGN_OR_RETURN(held_key, ManifestKey(out_dir));
  if (!held_key) return NotFound(fmt::format("{} holds no jejak backup ({})", out_dir, kManifest));
  NodeRestoreReport report;
  ASSIGN_OR_RETURN(report.config, ReadNodeConfig(out_dir));
  if (report.config.key.ToString() != *held_key) {
    return Corruption(fmt::format("{}: node.json names another node than {}", out_dir, kManifest));
  }
  RETURN_IF_ERROR(CheckKeyFile(out_dir, report.config));
  std::vector<StoreBackupInfo> backups;
  ASSIGN_OR_RETURN(backups, ListStoreBackups(out_dir + "/store"));
  if (id == 0) id = backups.back().id;
  auto chosen = std::find_if(backups.begin(), backups.end(),
                             [id](const StoreBackupInfo& b) { return b.id == id; });
  if (chosen == backups.end()) {
    return NotFound(fmt::format("{} holds no backup {}", out_dir, id));
  }
  report.backup = *chosen;

  const fs::path target = fs::absolute(node_dir, ec);
  const std::string tmp = target.string() + ".restore-" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  auto build = [&]() -> Status {
    RETURN_IF_ERROR(MakeDirectories(tmp));
    RETURN_IF_ERROR(CopyNodeFiles(out_dir, tmp, /*no_clobber=*/true));
    RETURN_IF_ERROR(RestoreStore(out_dir + "/store", id, tmp + "/db"));
    std::unique_ptr<NodeFolder> folder;
    ASSIGN_OR_RETURN(folder, NodeFolder::Open(tmp, StoreMode::kReadWrite));
    ASSIGN_OR_RETURN(report.logs, VerifyEveryLog(folder->store(), "the restored store"));
    if (hold) {
      OwnLogHold h;
      h.since_ms = NowMillis();
      h.reason = fmt::format("restored from backup {} of {}, taken at {} s since 1970", id, out_dir,
                             report.backup.taken_s);
      RETURN_IF_ERROR(SaveOwnLogHold(folder->store(), h));
      report.held = true;
    }
    return Status::Ok();
  };
  Status s = build();
  if (s.ok() && fs::exists(target, ec)) fs::remove(target, ec);  // the empty folder
  if (s.ok() && ::rename(tmp.c_str(), target.c_str()) != 0) {
    s = IOError(
        fmt::format("{}: cannot put the restored node in place: {}", node_dir, ErrnoText(errno)));
  }
  if (!s.ok()) {
    fs::remove_all(tmp, ec);
    return s;
  }
  RETURN_IF_ERROR(SyncDirectory(target.parent_path().string()));
  return report;
}

}  // namespace jejak
