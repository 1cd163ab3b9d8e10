// A node's folder: node.json (who the node is), node.key (its Ed25519 key,
// encrypted) and db/ (its RocksDB store holding its own log and its replicas).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/key_file.h"
#include "crypto/note.h"
#include "crypto/pseudonym.h"
#include "ledger/log/log.h"
#include "ledger/log/rocks_store.h"
#include "ledger/pkh/records.h"

namespace jejak {

struct NodeConfig {
  NodeKind kind = NodeKind::kAuditor;
  std::string name;
  std::string region;
  std::string origin;
  NoteVerifierKey key;  // the node key; its name is the origin
  int64_t created_ms = 0;
  // The trust anchor: the Kemensos node's key, whose log is the governance
  // log. A kemensos node's is its own key; absent on a standalone node.
  std::optional<NoteVerifierKey> governance;
  bool has_program_key = false;  // program.key holds the sealed program key
};

// The origin a node gets when none is given: jejak.pkh/kemensos,
// jejak.pkh/prov/<region>, jejak.pkh/kab/<region>, jejak.pkh/bank/<name>,
// jejak.pkh/auditor/<name> (names lowercased, other characters as '-').
std::string DefaultOrigin(NodeKind kind, std::string_view name, std::string_view region);

struct NodeInitOptions {
  NodeKind kind = NodeKind::kAuditor;
  std::string name;
  std::string region;
  std::string origin;  // empty: DefaultOrigin
  std::string passphrase;
  KdfParams kdf = KdfParams::Interactive();
  std::optional<NoteVerifierKey> governance;  // ignored for kemensos (its own key)
  std::optional<ProgramKey> program_key;      // sealed with the passphrase
};

class NodeFolder {
 public:
  // Creates the node in `dir`, which must not exist or be empty: node key,
  // store, own log and its size-0 checkpoint. Built in a sibling temporary
  // folder and renamed into place, so a failure leaves nothing behind.
  static Status Create(const std::string& dir, const NodeInitOptions& options);

  // Opens an existing node. kReadOnly works beside a running writer.
  static Result<std::unique_ptr<NodeFolder>> Open(const std::string& dir, StoreMode mode);

  const std::string& dir() const { return dir_; }
  const NodeConfig& config() const { return config_; }
  Store& store() { return *store_; }
  const LogInfo& own_log() const { return own_log_; }
  std::string key_path() const { return dir_ + "/node.key"; }
  std::string program_key_path() const { return dir_ + "/program.key"; }

  // Decrypts the node key. PermissionDenied for a wrong passphrase.
  Result<SigningKey> UnlockKey(std::string_view passphrase) const;
  // Decrypts the program key. FailedPrecondition if the node has none.
  Result<ProgramKey> UnlockProgramKey(std::string_view passphrase) const;

  // FailedPrecondition unless the node was created with --governance (or is
  // the kemensos node): the PKH commands need a trust anchor.
  Result<NoteVerifierKey> RequireGovernance() const;

 private:
  std::string dir_;
  NodeConfig config_;
  std::unique_ptr<Store> store_;
  LogInfo own_log_;
};

// Keeps the stores of nodes opened for writing open from one NodeFolder to
// the next, for a process that runs many commands on the same nodes (`jejak
// batch`): a store is opened (and, when closed, flushed) once for the
// whole run rather than once per command. While a KeptStores lives, a
// NodeFolder opened for writing keeps its store when it closes, and any
// later Open of that folder, in either mode, uses it: a read-only Open gets a
// view of it that refuses writes. A read-only Open of a folder whose store is
// not kept opens it as before (beside a running writer). At most four stores
// are kept: keeping a fifth closes the one opened least recently. One
// KeptStores at a time; its end, or CloseKeptStores(), closes every kept
// store.
class KeptStores {
 public:
  KeptStores();
  ~KeptStores();
  KeptStores(const KeptStores&) = delete;
  KeptStores& operator=(const KeptStores&) = delete;
};
// Closes every kept store now (before a command that needs a node's folder
// to itself, such as `jejak recover`); keeping goes on. Errors (a flush that
// fails) are not reported: what was written is in the write-ahead log.
void CloseKeptStores();

// Reads only node.json (no store, no lock).
Result<NodeConfig> ReadNodeConfig(const std::string& dir);
// The same, from its text; `where` names it in messages (Corruption).
Result<NodeConfig> DecodeNodeConfig(std::string_view text, std::string_view where);

}  // namespace jejak
