#include "cli/common.h"

#include <unistd.h>

#include <sodium.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <new>

#include <fmt/format.h>

#include "crypto/files.h"
#include "crypto/key_file.h"
#include "crypto/passphrase.h"
#include "ledger/pkh/csv.h"
#include "node/remote.h"

namespace jejak::cli {

void WarnIfAny(std::string_view what) {
  if (!what.empty()) fmt::print(stderr, "jejak: warning: {}\n", what);
}

Status AppendOutcome(const Status& error, uint64_t before, uint64_t after,
                     std::string_view nothing) {
  if (after == before) return error.WithContext(std::string(nothing));
  return Status(error.code(),
                fmt::format("the statement was appended at leaf {} (the log is at size {}), but "
                            "then: {}; the index and the checkpoint catch up when the node is "
                            "next opened",
                            before, after, error.message()));
}

int ReportError(const Status& status) {
  std::string msg = status.message();
  for (char& c : msg) {
    if (c == '\n') c = ' ';
  }
  fmt::print(stderr, "jejak: {}\n", msg);
  return kExitError;
}

void AddPassphraseOption(CLI::App* cmd, std::string* file) {
  cmd->add_option(
      "--passphrase-file", *file,
      "File whose first line is the passphrase (else $JEJAK_PASSPHRASE, else a prompt)");
}

namespace {

PassphraseSource NodeKeySource(const NodeFolder& node, const std::string& passphrase_file) {
  PassphraseSource src;
  src.file = passphrase_file;
  src.prompt = fmt::format("Passphrase for the node key of {}", node.dir());
  return src;
}

PassphraseSource RoleKeySource(const std::string& path, const std::string& key_passphrase_file,
                               const std::string& node_passphrase_file) {
  PassphraseSource src;
  src.file = key_passphrase_file.empty() ? node_passphrase_file : key_passphrase_file;
  src.env_var = "JEJAK_KEY_PASSPHRASE";
  src.fallback_env_var = "JEJAK_PASSPHRASE";
  src.prompt = fmt::format("Passphrase for key {}", path);
  if (!key_passphrase_file.empty()) src.env_var.clear();
  return src;
}

PassphraseSource ProgramKeySource(const NodeFolder& node, const std::string& passphrase_file) {
  PassphraseSource src;
  src.file = passphrase_file;
  src.prompt = fmt::format("Passphrase for the program key of {}", node.dir());
  return src;
}

// A 32-byte secret in memory that libsodium keeps out of swap and core
// dumps, guarded, and wipes when freed.
class GuardedSecret {
 public:
  explicit GuardedSecret(const std::array<uint8_t, 32>& secret)
      : p_(static_cast<uint8_t*>(sodium_malloc(32))) {
    if (p_ == nullptr) throw std::bad_alloc();
    std::memcpy(p_, secret.data(), 32);
    sodium_mprotect_readonly(p_);
  }
  ~GuardedSecret() { sodium_free(p_); }
  GuardedSecret(const GuardedSecret&) = delete;
  GuardedSecret& operator=(const GuardedSecret&) = delete;
  std::array<uint8_t, 32> value() const {
    std::array<uint8_t, 32> out;
    std::memcpy(out.data(), p_, 32);
    return out;
  }

 private:
  uint8_t* p_;
};

// The batch's unlocked keys, by the exact bytes of their files.
struct KeyCache {
  std::mutex mu;
  bool enabled = false;
  std::map<std::string, std::unique_ptr<GuardedSecret>, std::less<>> secrets;
};
KeyCache& TheKeyCache() {
  static KeyCache cache;
  return cache;
}

// The bytes that name `path` in the cache: empty when no batch is running
// or the file cannot be read (the unlock then says why).
std::string KeyCacheId(const std::string& path) {
  {
    std::lock_guard lock(TheKeyCache().mu);
    if (!TheKeyCache().enabled) return {};
  }
  auto contents = ReadFile(path, 64 * 1024);
  return contents.ok() ? *contents : std::string();
}

std::optional<std::array<uint8_t, 32>> CachedSecret(const std::string& id) {
  if (id.empty()) return std::nullopt;
  KeyCache& c = TheKeyCache();
  std::lock_guard lock(c.mu);
  auto it = c.secrets.find(id);
  if (!c.enabled || it == c.secrets.end()) return std::nullopt;
  return it->second->value();
}

void KeepSecret(const std::string& id, const std::array<uint8_t, 32>& secret) {
  if (id.empty()) return;
  KeyCache& c = TheKeyCache();
  std::lock_guard lock(c.mu);
  if (c.enabled) c.secrets.insert_or_assign(id, std::make_unique<GuardedSecret>(secret));
}

// The node key from a kept seed, checked against node.json as
// NodeFolder::UnlockKey checks it.
Result<SigningKey> NodeKeyFromSeed(const NodeFolder& node, const Seed& seed) {
  SigningKey key = SigningKey::FromSeed(seed);
  if (key.public_key() != node.config().key.key) {
    return Corruption(fmt::format("{}: node.key does not match node.json", node.dir()));
  }
  return key;
}

// Each key opened from `id`, the bytes read for the cache, when a batch runs
// (what is kept is then what was opened, whatever the file holds by now);
// else as the libraries read it.
Result<SigningKey> OpenNodeKey(const NodeFolder& node, const std::string& id,
                               std::string_view pass) {
  if (id.empty()) return node.UnlockKey(pass);
  ASSIGN_OR_RETURN(SigningKey key, OpenKeyFile(id, pass, node.key_path()));
  return NodeKeyFromSeed(node, key.seed());
}
Result<SigningKey> OpenRoleKey(const std::string& path, const std::string& id,
                               std::string_view pass) {
  return id.empty() ? UnlockKeyFile(path, pass) : OpenKeyFile(id, pass, path);
}
Result<ProgramKey> OpenProgramKey(const NodeFolder& node, const std::string& id,
                                  std::string_view pass) {
  return id.empty() ? node.UnlockProgramKey(pass)
                    : OpenSecretFile(id, pass, node.program_key_path());
}

}  // namespace

void BeginKeyCache() {
  std::lock_guard lock(TheKeyCache().mu);
  TheKeyCache().enabled = true;
}

void EndKeyCache() {
  std::lock_guard lock(TheKeyCache().mu);
  TheKeyCache().enabled = false;
  TheKeyCache().secrets.clear();
}

Result<SigningKey> UnlockNodeKey(const NodeFolder& node, const std::string& passphrase_file) {
  KeysToUnlock k;
  k.node = &node;
  k.passphrase_file = passphrase_file;
  ASSIGN_OR_RETURN(UnlockedKeys got, UnlockKeysAtOnce(k));
  return std::move(*got.node);
}

Result<SigningKey> UnlockRoleKey(const std::string& path, const std::string& key_passphrase_file,
                                 const std::string& node_passphrase_file) {
  KeysToUnlock k;
  k.role_key = path;
  k.key_passphrase_file = key_passphrase_file;
  k.passphrase_file = node_passphrase_file;
  ASSIGN_OR_RETURN(UnlockedKeys got, UnlockKeysAtOnce(k));
  return std::move(*got.role);
}

Result<UnlockedKeys> UnlockKeysAtOnce(const KeysToUnlock& k) {
  if (k.program && k.node != nullptr && !k.node->config().has_program_key) {
    return k.node->UnlockProgramKey("").status();  // says why
  }
  // What a batch already unlocked is taken as it is.
  UnlockedKeys out;
  std::string node_id, program_id, role_id;
  if (k.node != nullptr) {
    node_id = KeyCacheId(k.node->key_path());
    if (auto seed = CachedSecret(node_id)) {
      ASSIGN_OR_RETURN(SigningKey key, NodeKeyFromSeed(*k.node, *seed));
      out.node.emplace(std::move(key));
    }
    if (k.program) {
      program_id = KeyCacheId(k.node->program_key_path());
      out.program = CachedSecret(program_id);
    }
  }
  if (!k.role_key.empty()) {
    role_id = KeyCacheId(k.role_key);
    if (auto seed = CachedSecret(role_id)) out.role.emplace(SigningKey::FromSeed(*seed));
  }
  const bool need_node = k.node != nullptr && !out.node;
  const bool need_program = k.node != nullptr && k.program && !out.program;
  const bool need_role = !k.role_key.empty() && !out.role;
  // Every passphrase first, in turn: a prompt waits for its answer.
  std::string node_pass, program_pass, role_pass;
  if (need_node) {
    ASSIGN_OR_RETURN(node_pass, ObtainPassphrase(NodeKeySource(*k.node, k.passphrase_file)));
  }
  if (need_program) {
    ASSIGN_OR_RETURN(program_pass, ObtainPassphrase(ProgramKeySource(*k.node, k.passphrase_file)));
  }
  if (need_role) {
    ASSIGN_OR_RETURN(role_pass, ObtainPassphrase(RoleKeySource(k.role_key, k.key_passphrase_file,
                                                               k.passphrase_file)));
  }
  // Then the derivations, each on a thread: the command waits for the
  // slowest, not for the sum.
  std::future<Result<SigningKey>> node_key, role_key;
  std::future<Result<ProgramKey>> program_key;
  if (need_node) {
    node_key =
        std::async(std::launch::async, [&] { return OpenNodeKey(*k.node, node_id, node_pass); });
  }
  if (need_program) {
    program_key = std::async(std::launch::async,
                             [&] { return OpenProgramKey(*k.node, program_id, program_pass); });
  }
  if (need_role) {
    role_key =
        std::async(std::launch::async, [&] { return OpenRoleKey(k.role_key, role_id, role_pass); });
  }
  Status first = Status::Ok();  // the first failure: the signer's key, then the node's
  auto take = [&first](auto& future, auto& into) {
    if (!future.valid()) return;
    auto r = future.get();
    if (r.ok()) {
      into.emplace(std::move(*r));
    } else if (first.ok()) {
      first = r.status();
    }
  };
  take(role_key, out.role);
  take(node_key, out.node);
  take(program_key, out.program);
  RETURN_IF_ERROR(first);
  if (need_node) KeepSecret(node_id, out.node->seed());
  if (need_program) KeepSecret(program_id, *out.program);
  if (need_role) KeepSecret(role_id, out.role->seed());
  return out;
}

std::string Count(uint64_t n, std::string_view noun, std::string_view plural) {
  if (n == 1) return fmt::format("1 {}", noun);
  return plural.empty() ? fmt::format("{} {}s", n, noun) : fmt::format("{} {}", n, plural);
}

Result<OpenedPkhNode> OpenPkhNode(const std::string& dir, const std::string& passphrase_file,
                                  KeysToUnlock* more, UnlockedKeys* unlocked) {
  OpenedPkhNode o;
  ASSIGN_OR_RETURN(o.folder, NodeFolder::Open(dir, StoreMode::kReadWrite));
  RETURN_IF_ERROR(o.folder->RequireGovernance().status());
  KeysToUnlock keys = more != nullptr ? *more : KeysToUnlock{};
  keys.node = o.folder.get();
  keys.passphrase_file = passphrase_file;
  UnlockedKeys got;
  ASSIGN_OR_RETURN(got, UnlockKeysAtOnce(keys));
  o.node_key = std::make_unique<SigningKey>(std::move(*got.node));
  got.node.reset();
  ASSIGN_OR_RETURN(o.pkh, PkhNode::Open(*o.folder, *o.node_key));
  if (unlocked != nullptr) *unlocked = std::move(got);
  return o;
}

Result<std::unique_ptr<NodeFolder>> OpenFolderToAudit(const std::string& dir) {
  const bool writable = ::access((dir + "/db").c_str(), W_OK) == 0;
  auto node = NodeFolder::Open(dir, writable ? StoreMode::kReadWrite : StoreMode::kReadOnly);
  if (!node.ok() && writable &&
      (node.status().code() == StatusCode::kUnavailable ||
       node.status().code() == StatusCode::kIOError)) {
    node = NodeFolder::Open(dir, StoreMode::kReadOnly);  // beside a serving node
  }
  return node;
}

Result<ProgramKey> UnlockProgramKey(const NodeFolder& node, const std::string& passphrase_file) {
  if (!node.config().has_program_key) return node.UnlockProgramKey("");  // says why
  const std::string id = KeyCacheId(node.program_key_path());
  if (auto secret = CachedSecret(id)) return *secret;
  std::string pass;
  ASSIGN_OR_RETURN(pass, ObtainPassphrase(ProgramKeySource(node, passphrase_file)));
  auto key = OpenProgramKey(node, id, pass);
  if (key.ok()) KeepSecret(id, *key);
  return key;
}

Result<std::string> ReadInputFile(const std::string& path, size_t max_bytes) {
  if (path != "-") return ReadFile(path, max_bytes, FileSource::kAlsoPipes);
  std::string data;
  char buf[1 << 16];
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    data.append(buf, static_cast<size_t>(std::cin.gcount()));
    if (data.size() > max_bytes) {
      return InvalidArgument(fmt::format("standard input is larger than {} bytes", max_bytes));
    }
  }
  return data;
}

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string what) : what_(std::move(what)), enabled_(StderrIsTerminal()) {}

Progress::~Progress() {
  if (shown_) fmt::print(stderr, "\n");
}

void Progress::Clear() {
  if (!shown_) return;
  fmt::print(stderr, "\r\033[K");
  shown_ = false;
}

void Progress::Update(uint64_t done, uint64_t total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done != total && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  shown_ = true;
  const double pct =
      total == 0 ? 100.0 : 100.0 * static_cast<double>(done) / static_cast<double>(total);
  fmt::print(stderr, "\r{} {:L} / {:L} ({:.0f}%)   ", what_, done, total, pct);
}

void AddNodeOptions(CLI::App* cmd, std::string* url, std::string* key) {
  cmd->add_option("--node", *url, "A running node's URL, in place of its folder");
  cmd->add_option("--node-key", *key,
                  "The node's verifier key, to pin its TLS certificate (https)");
}

Result<std::unique_ptr<HttpClient>> ConnectToNode(const std::string& url, const std::string& key,
                                                  std::chrono::milliseconds timeout) {
  std::set<PublicKey> trusted;
  if (!key.empty()) {
    auto k = ParseVerifierKey(key);
    if (!k.ok()) return k.status().WithContext("--node-key");
    trusted.insert(k->key);
  }
  auto parsed = ParseUrl(url);
  if (!parsed.ok()) return parsed.status().WithContext("--node");
  if (parsed->tls && trusted.empty()) {
    return InvalidArgument("--node " + url + " needs --node-key (the node's verifier key)");
  }
  return ConnectTo(url, std::move(trusted), nullptr, timeout);
}

Result<NodeOwnLog> OpenNodeOwnLog(const std::string& url, const std::string& key,
                                  std::string_view what_is_proved) {
  if (key.empty()) {
    return InvalidArgument(fmt::format(
        "--node needs --node-key: the node's verifier key (jejak key show NODE), which verifies "
        "the proof printed on {}",
        what_is_proved));
  }
  NodeOwnLog log;
  ASSIGN_OR_RETURN(log.key, ParseVerifierKey(key));
  ASSIGN_OR_RETURN(log.client, ConnectToNode(url, key));
  std::string note;
  ASSIGN_OR_RETURN(note, OwnCheckpoint(*log.client));
  ASSIGN_OR_RETURN(log.checkpoint, OpenCheckpoint(note, log.key));
  return log;
}

Status CheckProofCarries(const TlogProof& proof, const NoteVerifierKey& key, uint64_t index,
                         const Bytes& entry, std::string_view what) {
  VerifiedTlogProof v;
  ASSIGN_OR_RETURN(v, VerifyTlogProof(proof, key, {}, 0));
  if (proof.index != index || v.entry != entry) {
    return Corruption(fmt::format("the proof of leaf {} does not carry {}", index, what));
  }
  return Status::Ok();
}

Result<TlogProof> CheckedProofThroughNode(const NodeOwnLog& log, uint64_t index, const Bytes& entry,
                                          std::string_view what) {
  std::string text;
  ASSIGN_OR_RETURN(text,
                   ProofThroughNode(*log.client, fmt::format("/jejak/v1/proof/inclusion?index={}"
                                                             "&format=tlog-proof",
                                                             index)));
  TlogProof proof;
  ASSIGN_OR_RETURN(proof, ParseTlogProof(text));
  RETURN_IF_ERROR(CheckProofCarries(proof, log.key, index, entry, what));
  return proof;
}

Result<ProgramKey> ReadProgramKey(const std::string& path) {
  auto text = ReadFile(path, 4096);
  if (!text.ok()) return text.status().WithContext("--program-key");
  auto key = ParseProgramKeyFile(*text);
  if (!key.ok()) return key.status().WithContext("--program-key " + path);
  return *key;
}

Result<RevealMap> ReadReveal(const std::string& path, const ProgramKey& key) {
  CsvLimits limits;
  limits.other_columns = true;
  std::unique_ptr<CsvReader> reader;
  ASSIGN_OR_RETURN(reader, CsvReader::Open(path, {"id_kpm"}, limits));
  RevealMap map;
  std::vector<std::string_view> fields;
  for (;;) {
    bool more = false;
    ASSIGN_OR_RETURN(more, reader->Next(fields));
    if (!more) break;
    if (fields[0].empty()) return InvalidArgument(reader->Where(0) + ": empty id_kpm");
    map.emplace(KpmPseudonym(key, fields[0]), std::string(fields[0]));
  }
  return map;
}

}  // namespace jejak::cli
