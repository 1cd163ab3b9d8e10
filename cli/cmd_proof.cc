// jejak proof verify FILE.tlog-proof (--key LOGKEY | --governance GOVDIR)
//                    [--witness KEY ...] [--min-witnesses K]
//
// Offline: checks a C2SP tlog-proof (ledger/log/tlog_proof.h) against a log
// key (given, or the one GOVDIR's registry gives the checkpoint's origin) and
// witness keys (given, or the registered nodes'), then prints what the entry
// says. Exit 0 when everything verifies, 1 with the reason when anything does
// not, 2 for usage errors and unreadable files.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <optional>

#include "cli/common.h"
#include "crypto/cosignature.h"
#include "crypto/files.h"
#include "documents/qr.h"
#include "ledger/log/merkle.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/entry_text.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/values.h"

namespace jejak::cli {
namespace {

struct ProofVerifyOptions {
  std::string file, key, governance;
  std::vector<std::string> witnesses;
  size_t min_witnesses = 0;
};

// A verifier key given on the command line, or the path of a file holding one
// (as `jejak key show` prints it).
Result<NoteVerifierKey> ReadVerifierKey(const std::string& arg, std::string_view option) {
  auto key = ParseVerifierKey(arg);
  if (key.ok()) return *key;
  if (arg.find('+') != std::string::npos) {
    return key.status().WithContext(fmt::format("{} {}", option, arg));
  }
  auto text = ReadFile(arg, 4096);
  if (!text.ok()) {
    return InvalidArgument(fmt::format("{} {}: neither a verifier key nor a readable file ({})",
                                       option, arg, text.status().message()));
  }
  std::string_view line = *text;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  auto from_file = ParseVerifierKey(line);
  if (!from_file.ok()) return from_file.status().WithContext(fmt::format("{} {}", option, arg));
  return *from_file;
}

// What the registry of GOVDIR says: the key of each origin, and the
// cosigners (the anchor, and each registered node by its witness key and its
// node key).
struct Registry {
  std::optional<Governance> gov;
  NoteVerifierKey anchor;
};

Result<Registry> OpenRegistry(const std::string& dir) {
  std::unique_ptr<NodeFolder> folder;
  ASSIGN_OR_RETURN(folder, NodeFolder::Open(dir, StoreMode::kReadOnly));
  Registry r;
  ASSIGN_OR_RETURN(r.anchor, folder->RequireGovernance());
  ASSIGN_OR_RETURN(r.gov, LoadNodeGovernance(*folder));
  return r;
}

// The key the registry gives `origin`'s log; PermissionDenied when it
// registers no such log (the proof then cannot be trusted, not misused).
Result<NoteVerifierKey> RegisteredLogKey(const Registry& r, const std::string& origin,
                                         const std::string& dir) {
  if (origin == r.anchor.name) return r.anchor;
  const NodeRegistration* n = r.gov->NodeByOrigin(origin, r.gov->size());
  if (n == nullptr) {
    return PermissionDenied(fmt::format(
        "the registry in {} (governance size {}) registers no log {}: the checkpoint's origin", dir,
        r.gov->size(), QuotedOrigin(origin)));
  }
  auto key = ParseVerifierKey(n->verifier_key);
  if (!key.ok()) return key.status().WithContext("the registered key of " + QuotedOrigin(origin));
  return *key;
}

// The anchor (the kemensos node, registered nowhere) cosigns with its node
// key, as NodeContext::CosignerOf accepts.
std::vector<Cosigner> RegisteredCosigners(const Registry& r) {
  std::vector<Cosigner> out = {{r.anchor.name, r.anchor.key}};
  for (const NodeRegistration* n : r.gov->Nodes(r.gov->size())) {
    if (!n->witness_key.empty()) {
      if (auto w = ParseVerifierKey(n->witness_key); w.ok()) out.push_back({n->origin, w->key});
    }
    if (auto k = ParseVerifierKey(n->verifier_key); k.ok()) out.push_back({n->origin, k->key});
  }
  return out;
}

void PrintVerified(const VerifiedTlogProof& v, const NoteVerifierKey& log_key, uint64_t index,
                   size_t min_witnesses, const std::vector<EntryField>& fields) {
  fmt::print("verified: leaf {} of {}\n", index, QuotedOrigin(v.checkpoint.origin));
  fmt::print("log key: {}\n", log_key.ToString());
  fmt::print("checkpoint: size {}, root {}\n", v.checkpoint.size, Base64Encode(v.checkpoint.root));
  fmt::print("witnesses: {} verified, {} required\n", v.witnesses.size(), min_witnesses);
  for (const auto& [name, time] : v.witnesses) {
    fmt::print("witness: {} at {}\n", QuotedOrigin(name),
               FormatWib(static_cast<int64_t>(std::min<uint64_t>(time, INT64_MAX / 2))));
  }
  fmt::print("leaf hash: {}\n", Base64Encode(LeafHash(v.entry)));
  for (const EntryField& f : fields) fmt::print("{}: {}\n", f.name, f.value);
}

// 1 with the reason: the proof does not hold.
int Refuse(const Status& s) {
  fmt::print(stderr, "jejak: the proof does not verify: {}\n", s.message());
  return kExitCheckFailed;
}

int RunVerify(const ProofVerifyOptions& o) {
  if (o.key.empty() == o.governance.empty()) {
    return ReportError(InvalidArgument("give either --key LOGKEY or --governance GOVDIR"));
  }
  std::vector<Cosigner> witnesses;
  for (const std::string& w : o.witnesses) {
    auto key = ReadVerifierKey(w, "--witness");
    if (!key.ok()) return ReportError(key.status());
    witnesses.push_back({key->name, key->key});
  }
  auto text = ReadInputFile(o.file, kMaxTlogProofBytes);
  if (!text.ok()) return ReportError(text.status().WithContext(o.file));
  // The text scanned from a printed page's QR codes joins back into the proof.
  auto joined = JoinScannedQr(*text);
  if (!joined.ok()) return Refuse(joined.status().WithContext(o.file));
  auto proof = ParseTlogProof(*joined);
  if (!proof.ok()) return Refuse(proof.status().WithContext(o.file));

  std::optional<Registry> registry;
  NoteVerifierKey log_key;
  if (!o.key.empty()) {
    auto key = ReadVerifierKey(o.key, "--key");
    if (!key.ok()) return ReportError(key.status());
    log_key = *key;
  } else {
    auto r = OpenRegistry(o.governance);
    if (!r.ok()) return ReportError(r.status().WithContext("--governance " + o.governance));
    registry = std::move(*r);
    // The origin read here is only a question to the registry; the
    // checkpoint is then verified against the key it answers with.
    auto note = ParseNote(proof->checkpoint);
    auto cp = note.ok() ? ParseCheckpointText(note->text) : Result<Checkpoint>(note.status());
    if (!cp.ok()) return Refuse(cp.status());
    auto key = RegisteredLogKey(*registry, cp->origin, o.governance);
    if (!key.ok()) return Refuse(key.status());
    log_key = *key;
    for (Cosigner& c : RegisteredCosigners(*registry)) witnesses.push_back(std::move(c));
  }
  if (o.min_witnesses > 0 && witnesses.empty()) {
    return ReportError(
        InvalidArgument("--min-witnesses needs witness keys: --witness KEY, or --governance"));
  }
  auto verified = VerifyTlogProof(*proof, log_key, witnesses, o.min_witnesses);
  if (!verified.ok()) return Refuse(verified.status());
  const Governance* gov = registry ? &*registry->gov : nullptr;
  auto fields = DescribeEntry(verified->entry, gov);
  if (!fields.ok()) {
    return Refuse(fields.status().WithContext(fmt::format(
        "leaf {} is in the log, but is not an entry this version can read", proof->index)));
  }
  PrintVerified(*verified, log_key, proof->index, o.min_witnesses, *fields);
  return kExitOk;
}

}  // namespace

void AddProofCommand(CLI::App& app, int* exit_code) {
  auto* proof = app.add_subcommand("proof", "Verify C2SP tlog-proof files offline");
  proof->require_subcommand(1);
  auto o = std::make_shared<ProofVerifyOptions>();
  auto* cmd = proof->add_subcommand(
      "verify", "Verify a .tlog-proof (checkpoint, inclusion, entry, witnesses); print the entry");
  cmd->add_option("FILE", o->file, "The .tlog-proof file (- for standard input)")->required();
  cmd->add_option("--key", o->key, "Verifier key of the log (or a file holding it)");
  cmd->add_option("--governance", o->governance,
                  "Node folder holding the governance log: its registry gives the log's key "
                  "and the witnesses'");
  cmd->add_option("--witness", o->witnesses,
                  "Verifier key of a trusted witness (or a file holding it); repeatable");
  cmd->add_option("--min-witnesses", o->min_witnesses,
                  "Distinct trusted witnesses that must have cosigned (default 0)");
  cmd->callback([o, exit_code] { *exit_code = RunVerify(*o); });
}

}  // namespace jejak::cli
