#include "ledger/pkh/node_folder.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/files.h"
#include "crypto/json_text.h"
#include "ledger/log/statement_log.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;
constexpr int kConfigVersion = 1;

std::string Slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// A kabupaten node's region is its kabupaten, a provinsi's its province;
// the national nodes take a region too (00).
Status ValidateRegion(NodeKind kind, std::string_view region) {
  const RegionLevel level = kind == NodeKind::kKabupaten  ? RegionLevel::kKabupaten
                            : kind == NodeKind::kProvinsi ? RegionLevel::kProvince
                                                          : RegionLevel::kProvinceOrKabupaten;
  return ValidateRegionCode(region, level, "--region");
}

std::string EncodeConfig(const NodeConfig& c) {
  nlohmann::ordered_json j;
  j["format"] = kConfigVersion;
  j["kind"] = std::string(NodeKindName(c.kind));
  j["name"] = c.name;
  j["region"] = c.region;
  j["origin"] = c.origin;
  j["node_key"] = c.key.ToString();
  j["created_ms"] = c.created_ms;
  if (c.governance) j["governance"] = c.governance->ToString();
  j["program_key"] = c.has_program_key;
  return j.dump(2) + "\n";
}

Result<NodeConfig> DecodeConfig(const std::string& text, const std::string& where) {
  ASSIGN_OR_RETURN(nlohmann::json j,
                   ParseJsonDocument(text, where, JsonLimits{1 << 16, 2}, StatusCode::kCorruption));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, where, "", StatusCode::kCorruption));
  auto format = f.U64Or("format", 0);
  if (!format.ok() || *format != kConfigVersion) {
    return Corruption(fmt::format("{}: unsupported format (expected {})", where, kConfigVersion));
  }
  NodeConfig c;
  std::string kind, key;
  ASSIGN_OR_RETURN(kind, f.Str("kind"));
  auto parsed_kind = ParseNodeKind(kind);
  if (!parsed_kind.ok()) return f.Error("kind", parsed_kind.status().message());
  c.kind = *parsed_kind;
  ASSIGN_OR_RETURN(c.name, f.Str("name"));
  ASSIGN_OR_RETURN(c.region, f.Str("region"));
  ASSIGN_OR_RETURN(c.origin, f.Str("origin"));
  ASSIGN_OR_RETURN(key, f.Str("node_key"));
  auto vk = ParseVerifierKey(key);
  if (!vk.ok()) return Corruption(where + ": node_key: " + vk.status().message());
  c.key = *vk;
  if (f.Has("created_ms")) {
    ASSIGN_OR_RETURN(c.created_ms, f.I64("created_ms"));
  }
  if (f.Has("governance")) {
    std::string gov;
    ASSIGN_OR_RETURN(gov, f.Str("governance"));
    auto g = ParseVerifierKey(gov);
    if (!g.ok()) return Corruption(where + ": governance: " + g.status().message());
    c.governance = *g;
  }
  ASSIGN_OR_RETURN(c.has_program_key, f.BoolOr("program_key", false));
  return c;
}

Status BuildNode(const std::string& tmp, const NodeInitOptions& o, NodeConfig& config) {
  RETURN_IF_ERROR(MakeDirectories(tmp));
  SigningKey key = SigningKey::Generate();
  RETURN_IF_ERROR(WriteKeyFile(tmp + "/node.key", config.origin, key, o.passphrase, o.kdf));
  config.key = NoteVerifierKey::ForEd25519(config.origin, key.public_key());
  // The kemensos node's log is the governance log: its own key is the anchor.
  if (o.kind == NodeKind::kKemensos) {
    config.governance = config.key;
  } else {
    config.governance = o.governance;
  }
  if (o.program_key) {
    std::string sealed;
    ASSIGN_OR_RETURN(sealed,
                     SealSecretFile("pkh-program-key", *o.program_key, o.passphrase, o.kdf));
    RETURN_IF_ERROR(WriteFileAtomic(tmp + "/program.key", sealed, 0600, /*no_clobber=*/true));
    config.has_program_key = true;
  }
  {
    std::unique_ptr<Store> store;
    ASSIGN_OR_RETURN(store, OpenRocksStore(tmp + "/db", StoreMode::kCreate));
    LogInfo log;
    ASSIGN_OR_RETURN(log, RegisterLog(*store, config.key, /*own=*/true));
    // Opening the writer signs the empty tree's checkpoint.
    std::unique_ptr<LogWriter> writer;
    ASSIGN_OR_RETURN(writer, LogWriter::Open(*store, log, &key));
  }
  return WriteFileAtomic(tmp + "/node.json", EncodeConfig(config));
}

// At most this many stores are kept: an open store holds its memtables,
// caches and threads (~45 MiB after a kabupaten's imports), and a batch over
// 257 kabupaten that kept them all ran out of memory. A batch works on one
// node after another.
constexpr size_t kMaxKept = 4;
// The stores kept by the live KeptStores, by the canonical path of their
// folder.
struct Kept {
  struct Entry {
    std::shared_ptr<Store> store;
    uint64_t used = 0;  // when last opened, on `clock`
  };
  std::mutex mu;
  bool active = false;
  uint64_t clock = 0;
  std::map<std::string, Entry> stores;
};
Kept& TheKept() {
  static Kept kept;
  return kept;
}

// A kept store as one NodeFolder sees it: the same store, writable only when
// the folder was opened for writing.
class KeptStoreView final : public Store {
 public:
  KeptStoreView(std::shared_ptr<Store> store, bool read_only)
      : store_(std::move(store)), read_only_(read_only) {}

  Result<std::optional<std::string>> Get(Column c, std::string_view key) override {
    return store_->Get(c, key);
  }
  std::unique_ptr<StoreIterator> NewIterator(Column c) override { return store_->NewIterator(c); }
  std::unique_ptr<StoreIterator> NewShortIterator(Column c) override {
    return store_->NewShortIterator(c);
  }
  Status Write(const WriteBatch& batch, bool sync) override {
    RETURN_IF_ERROR(Writable());
    return store_->Write(batch, sync);
  }
  Status WriteUnlogged(const WriteBatch& batch) override {
    RETURN_IF_ERROR(Writable());
    return store_->WriteUnlogged(batch);
  }
  Status Persist(std::initializer_list<Column> columns) override {
    RETURN_IF_ERROR(Writable());
    return store_->Persist(columns);
  }
  using Store::BulkLoad;
  Status BulkLoad(Column c, const std::vector<SortedPairs>& sources) override {
    RETURN_IF_ERROR(Writable());
    return store_->BulkLoad(c, sources);
  }
  Status BeginBulkLoads(Column c) override {
    RETURN_IF_ERROR(Writable());
    return store_->BeginBulkLoads(c);
  }
  Status EndBulkLoads(Column c) override {
    RETURN_IF_ERROR(Writable());
    return store_->EndBulkLoads(c);
  }
  Status Reclaim(Column c, std::string_view begin, std::string_view end) override {
    RETURN_IF_ERROR(Writable());
    return store_->Reclaim(c, begin, end);
  }
  Status Snapshot(const std::string& dir) override { return store_->Snapshot(dir); }
  bool read_only() const override { return read_only_; }

 private:
  Status Writable() const {
    return read_only_ ? FailedPrecondition("store is open read-only") : Status::Ok();
  }
  std::shared_ptr<Store> store_;
  bool read_only_;
};

// The store of `db` (a node's db/ folder) for a NodeFolder opened in `mode`:
// the kept one if there is one, else a new one, kept if opened for writing
// while stores are kept.
Result<std::unique_ptr<Store>> OpenNodeStore(const std::string& db, StoreMode mode) {
  Kept& kept = TheKept();
  std::shared_ptr<Store> evicted;  // closed after the lock is released
  std::lock_guard lock(kept.mu);
  if (!kept.active) return OpenRocksStore(db, mode);
  std::error_code ec;
  const std::string key = fs::weakly_canonical(db, ec).string();
  if (ec) return OpenRocksStore(db, mode);
  auto it = kept.stores.find(key);
  if (it == kept.stores.end()) {
    if (mode != StoreMode::kReadWrite) return OpenRocksStore(db, mode);
    if (kept.stores.size() >= kMaxKept) {
      auto oldest = kept.stores.begin();
      for (auto e = kept.stores.begin(); e != kept.stores.end(); ++e) {
        if (e->second.used < oldest->second.used) oldest = e;
      }
      evicted = std::move(oldest->second.store);
      kept.stores.erase(oldest);
    }
    std::unique_ptr<Store> opened;
    ASSIGN_OR_RETURN(opened, OpenRocksStore(db, mode));
    it = kept.stores.emplace(key, Kept::Entry{std::shared_ptr<Store>(std::move(opened))}).first;
  }
  it->second.used = ++kept.clock;
  return std::unique_ptr<Store>(
      std::make_unique<KeptStoreView>(it->second.store, mode != StoreMode::kReadWrite));
}

}  // namespace

KeptStores::KeptStores() {
  std::lock_guard lock(TheKept().mu);
  TheKept().active = true;
}
KeptStores::~KeptStores() {
  CloseKeptStores();
  std::lock_guard lock(TheKept().mu);
  TheKept().active = false;
}
void CloseKeptStores() {
  std::map<std::string, Kept::Entry> closing;
  {
    std::lock_guard lock(TheKept().mu);
    closing.swap(TheKept().stores);
  }
  closing.clear();  // each store closes (and flushes) when its last view is gone
}

std::string DefaultOrigin(NodeKind kind, std::string_view name, std::string_view region) {
  switch (kind) {
    case NodeKind::kKemensos:
      return "jejak.pkh/kemensos";
    case NodeKind::kProvinsi:
      return fmt::format("jejak.pkh/prov/{}", region);
    case NodeKind::kKabupaten:
      return fmt::format("jejak.pkh/kab/{}", region);
    case NodeKind::kLembagaBayar:
      return fmt::format("jejak.pkh/bank/{}", Slug(name));
    case NodeKind::kAuditor:
      return fmt::format("jejak.pkh/auditor/{}", Slug(name));
  }
  return "";
}

Status NodeFolder::Create(const std::string& dir, const NodeInitOptions& o) {
  if (o.name.empty()) return InvalidArgument("--name must not be empty");
  RETURN_IF_ERROR(ValidateRegion(o.kind, o.region));
  NodeConfig config;
  config.kind = o.kind;
  config.name = o.name;
  config.region = o.region;
  config.origin = o.origin.empty() ? DefaultOrigin(o.kind, o.name, o.region) : o.origin;
  config.created_ms = NowMillis();
  if (!ValidKeyName(config.origin)) {
    return InvalidArgument(
        fmt::format("origin '{}' must be non-empty with no spaces or '+'", config.origin));
  }
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    return AlreadyExists(fmt::format("{} already exists and is not an empty folder", dir));
  }
  // A symlink to an empty folder: the node is made in the folder it names
  // (the new folder takes its place, and the link keeps pointing at it).
  const fs::path target = fs::is_symlink(dir, ec) ? fs::canonical(dir, ec) : fs::absolute(dir, ec);
  if (ec) return IOError(fmt::format("{}: cannot resolve the folder: {}", dir, ec.message()));
  const std::string tmp = target.string() + ".init-" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  Status s = BuildNode(tmp, o, config);
  if (s.ok() && ::rename(tmp.c_str(), target.c_str()) != 0) {
    s = IOError(fmt::format("{}: cannot put the new node in place: {}", dir, ErrnoText(errno)));
  }
  if (!s.ok()) {
    fs::remove_all(tmp, ec);
    return s;
  }
  return SyncDirectory(target.parent_path().string());
}

Result<NodeConfig> DecodeNodeConfig(std::string_view text, std::string_view where) {
  return DecodeConfig(std::string(text), std::string(where));
}

Result<NodeConfig> ReadNodeConfig(const std::string& dir) {
  const std::string path = dir + "/node.json";
  auto text = ReadFile(path, 1 << 20);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return NotFound(fmt::format("{} is not a jejak node folder (no node.json)", dir));
    }
    return text.status();
  }
  return DecodeConfig(*text, path);
}

Result<std::unique_ptr<NodeFolder>> NodeFolder::Open(const std::string& dir, StoreMode mode) {
  auto node = std::unique_ptr<NodeFolder>(new NodeFolder());
  node->dir_ = dir;
  ASSIGN_OR_RETURN(node->config_, ReadNodeConfig(dir));
  ASSIGN_OR_RETURN(node->store_, OpenNodeStore(dir + "/db", mode));
  ASSIGN_OR_RETURN(node->own_log_, FindLog(*node->store_, node->config_.origin));
  if (node->own_log_.key.ToString() != node->config_.key.ToString()) {
    return Corruption(fmt::format("{}: node.json and the store disagree on the node key", dir));
  }
  return node;
}

Result<ProgramKey> NodeFolder::UnlockProgramKey(std::string_view passphrase) const {
  if (!config_.has_program_key) {
    return FailedPrecondition(
        fmt::format("{} has no program key: create the node with --program-key FILE", dir_));
  }
  const std::string path = program_key_path();
  std::string contents;
  ASSIGN_OR_RETURN(contents, ReadFile(path, 64 * 1024));
  return OpenSecretFile(contents, passphrase, path);
}

Result<NoteVerifierKey> NodeFolder::RequireGovernance() const {
  if (!config_.governance) {
    return FailedPrecondition(fmt::format(
        "{} is a standalone log (created without --governance); PKH records need a node that "
        "trusts a governance log",
        dir_));
  }
  return *config_.governance;
}

Result<SigningKey> NodeFolder::UnlockKey(std::string_view passphrase) const {
  SigningKey key = SigningKey::FromSeed(Seed{});
  ASSIGN_OR_RETURN(key, UnlockKeyFile(key_path(), passphrase));
  if (key.public_key() != config_.key.key) {
    return Corruption(fmt::format("{}: node.key does not match node.json", dir_));
  }
  return key;
}

}  // namespace jejak
