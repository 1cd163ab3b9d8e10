// Shared plumbing of the jejak commands: exit codes, error reporting,
// passphrases and key unlocking, progress on a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/pseudonym.h"
#include "crypto/status.h"
#include "ledger/audit/audit.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/node_folder.h"
#include "node/http.h"

namespace CLI {
class App;
}

namespace jejak::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;  // verify found the log damaged
inline constexpr int kExitError = 2;        // bad input, I/O, refused operation

// Prints "jejak: <message>" on stderr (one line) and returns kExitError.
int ReportError(const Status& status);

// What to say of an append to a node's own log that failed: "nothing was
// appended" when the log is still at `before`, else that the statement was
// appended at leaf `before` and what failed after it (the index or the
// checkpoint, which catch up at the next open).
Status AppendOutcome(const Status& error, uint64_t before, uint64_t after,
                     std::string_view nothing = "nothing was appended");

// Prints "jejak: warning: WHAT" on standard error when `what` is not empty
// (a node's word that a later step of an append failed).
void WarnIfAny(std::string_view what);

// Adds --passphrase-file to a command (the node key's, or the key being made).
void AddPassphraseOption(CLI::App* cmd, std::string* file);

// The node key, unlocked with --passphrase-file, $JEJAK_PASSPHRASE or a prompt.
Result<SigningKey> UnlockNodeKey(const NodeFolder& node, const std::string& passphrase_file);

// A role key file, unlocked with --key-passphrase-file, $JEJAK_KEY_PASSPHRASE,
// then the node's sources (--passphrase-file, $JEJAK_PASSPHRASE), or a prompt.
Result<SigningKey> UnlockRoleKey(const std::string& path, const std::string& key_passphrase_file,
                                 const std::string& node_passphrase_file);

// Keys kept unlocked for a batch (`jejak batch`): between BeginKeyCache()
// and EndKeyCache(), each key file (node key, role key, program key) is
// unlocked the first time a command needs it, with that command's passphrase
// sources, and kept in memory locked by libsodium for the later commands,
// which then neither ask for a passphrase nor derive again. The cache is
// keyed by the file's exact bytes: a file replaced between commands is
// unlocked again. EndKeyCache wipes every secret it kept.
void BeginKeyCache();
void EndKeyCache();

// Key files to unlock at once (UnlockKeysAtOnce): the node key of `node`
// (when not null) and its program key (with `program`), and the role key
// file `role_key` (when not empty), with the sources of UnlockNodeKey and
// UnlockRoleKey.
struct KeysToUnlock {
  const NodeFolder* node = nullptr;
  bool program = false;
  std::string role_key;
  std::string passphrase_file, key_passphrase_file;
};
struct UnlockedKeys {
  std::optional<SigningKey> node, role;
  std::optional<ProgramKey> program;
};
// Each passphrase is obtained first, in turn (a prompt waits for its answer);
// then the Argon2id derivations (each ~0.1 s and 64 MiB at the interactive
// parameters) run on threads of their own, so that a command needing three
// keys waits for the slowest, not for the sum. The first failure is
// returned: the role key's (the key the command names), then the node
// key's, then the program key's.
Result<UnlockedKeys> UnlockKeysAtOnce(const KeysToUnlock& keys);

// A node opened for PKH work: its folder (read-write), its unlocked node key,
// and the PKH context (governance loaded, own index caught up). With `more`,
// the keys it names (a program key, a role key) are unlocked at the same
// time as the node key, into *unlocked.
struct OpenedPkhNode {
  std::unique_ptr<NodeFolder> folder;
  std::unique_ptr<SigningKey> node_key;
  std::unique_ptr<PkhNode> pkh;
};
Result<OpenedPkhNode> OpenPkhNode(const std::string& dir, const std::string& passphrase_file,
                                  KeysToUnlock* more = nullptr, UnlockedKeys* unlocked = nullptr);

// A node folder to audit (audit, trail): opened for writing when it can be
// (the audit brings indexes up to date); read beside a serving node, or as
// it stands in a folder this user cannot write (an archive, another user's
// node).
Result<std::unique_ptr<NodeFolder>> OpenFolderToAudit(const std::string& dir);

// The node's program key, unlocked with the node's passphrase sources.
Result<ProgramKey> UnlockProgramKey(const NodeFolder& node, const std::string& passphrase_file);

bool StderrIsTerminal();

// A program key file (--program-key), errors naming the option and the file.
Result<ProgramKey> ReadProgramKey(const std::string& path);
// Pseudonym -> identifier for every identifier in the id_kpm column of `path`
// (any CSV with such a column: an updates, berita acara or receipts file, or a
// list with the single column id_kpm; "-" for standard input): `--reveal` of
// audit and trail. The identifiers stay in memory.
Result<RevealMap> ReadReveal(const std::string& path, const ProgramKey& key);

// --node URL and --node-key KEY: run a command against a running node
// (`jejak serve`) instead of its folder. An https URL needs the node's
// verifier key (`jejak key show NODE`) to pin its certificate; http:// is for
// a loopback node started with --insecure-http.
void AddNodeOptions(CLI::App* cmd, std::string* url, std::string* key);
// `timeout` bounds connecting and each request (an import's answer waits for
// the node to read the file).
Result<std::unique_ptr<HttpClient>> ConnectToNode(
    const std::string& url, const std::string& key,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(30'000));
// A running node's own log, for a printed proof: the client pinned to
// --node-key, and the node's latest checkpoint verified with that key.
// InvalidArgument when the key is missing (`what_is_proved` says what the
// proof is printed on).
struct NodeOwnLog {
  std::unique_ptr<HttpClient> client;
  NoteVerifierKey key;
  SignedCheckpoint checkpoint;
};
Result<NodeOwnLog> OpenNodeOwnLog(const std::string& url, const std::string& key,
                                  std::string_view what_is_proved);
// The tlog-proof of leaf `index` of a log, checked: it verifies with `key`
// and carries `entry` (Corruption naming `what` otherwise).
Status CheckProofCarries(const TlogProof& proof, const NoteVerifierKey& key, uint64_t index,
                         const Bytes& entry, std::string_view what);
// The node's tlog-proof of leaf `index` of its own log, checked as above.
Result<TlogProof> CheckedProofThroughNode(const NodeOwnLog& log, uint64_t index, const Bytes& entry,
                                          std::string_view what);
// The largest file sent to a running node (its upload limit).
inline constexpr size_t kMaxUploadBytes = size_t{256} << 20;
// A file, or standard input for "-", of at most `max_bytes` (InvalidArgument beyond).
Result<std::string> ReadInputFile(const std::string& path, size_t max_bytes);
// The longest a node may take over one upload (a million-row import).
inline constexpr std::chrono::milliseconds kUploadTimeout{600'000};

// "1 record", "3 records"; `plural` for irregular nouns ("leaves").
std::string Count(uint64_t n, std::string_view noun, std::string_view plural = {});

// "\rverifying 123,456 / 1,000,000 leaves (12%)" on a terminal, at most every
// 200 ms; silent otherwise.
class Progress {
 public:
  explicit Progress(std::string what);
  ~Progress();
  void Update(uint64_t done, uint64_t total);
  // Erases the line shown, so that other output can be printed; the next
  // Update shows it again.
  void Clear();

 private:
  std::string what_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// Registration of each command (one cmd_*.cc each); the callback stores the
// exit code in *exit_code.
void AddInitCommand(CLI::App& app, int* exit_code);
void AddKeyCommand(CLI::App& app, int* exit_code);
void AddAppendCommand(CLI::App& app, int* exit_code);
void AddCheckpointCommand(CLI::App& app, int* exit_code);
void AddProveCommand(CLI::App& app, int* exit_code);
void AddProofCommand(CLI::App& app, int* exit_code);  // proof verify
void AddExportCommand(CLI::App& app, int* exit_code);
void AddVerifyCommand(CLI::App& app, int* exit_code);
void AddGovernanceCommands(CLI::App& app, int* exit_code);  // registry, stage, index, policy
void AddProgramKeyCommands(CLI::App& app, int* exit_code);  // program-key, pseudonym
void AddImportCommand(CLI::App& app, int* exit_code);
void AddPullCommand(CLI::App& app, int* exit_code);
void AddBaCommand(CLI::App& app, int* exit_code);
void AddBaPrintCommand(CLI::App& ba, int* exit_code);  // ba print, from AddBaCommand
void AddAuditCommand(CLI::App& app, int* exit_code);
void AddReceiptCommand(CLI::App& app, int* exit_code);  // receipt print
void AddEvidenceCommand(CLI::App& app, int* exit_code);
void AddConsoleCommands(CLI::App& app, int* exit_code);  // console user add|list|remove
void AddServeCommands(CLI::App& app, int* exit_code);    // serve, status
void AddConfigCommand(CLI::App& app, int* exit_code);
void AddBackupCommands(CLI::App& app, int* exit_code);  // backup, restore
void AddRecoverCommand(CLI::App& app, int* exit_code);
void AddTrailCommand(CLI::App& app, int* exit_code);
void AddBatchCommand(CLI::App& app, int* exit_code);

// Runs one jejak command line (args[0] is the program's name) and returns
// its exit code: what main() does with the process's arguments. With
// kCheckOnly, only parses it (the command, its options and their values,
// as CLI11 checks them), printing what is wrong as a run would, and runs
// nothing.
enum class CommandLineMode { kRun, kCheckOnly };
int RunCommandLine(const std::vector<std::string>& args,
                   CommandLineMode mode = CommandLineMode::kRun);

}  // namespace jejak::cli
