// jejak key new --out FILE --name NAME ; jejak key show (FILE | DIR)
#include <CLI/CLI.hpp>
#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/cosignature.h"
#include "crypto/key_file.h"
#include "crypto/passphrase.h"

namespace jejak::cli {
namespace {

struct KeyNewOptions {
  std::string out, name, passphrase_file, kdf = "interactive";
};

int RunKeyNew(const KeyNewOptions& o) {
  if (!ValidKeyName(o.name)) {
    return ReportError(InvalidArgument(
        fmt::format("key name '{}' must be non-empty with no spaces or '+'", o.name)));
  }
  PassphraseSource src;
  src.file = o.passphrase_file;
  src.prompt = fmt::format("Passphrase for the new key {}", o.out);
  src.confirm = true;
  auto pass = ObtainPassphrase(src);
  if (!pass.ok()) return ReportError(pass.status());
  SigningKey key = SigningKey::Generate();
  const KdfParams kdf = o.kdf == "moderate" ? KdfParams::Moderate() : KdfParams::Interactive();
  if (Status s = WriteKeyFile(o.out, o.name, key, *pass, kdf); !s.ok()) return ReportError(s);
  fmt::print("{}\n", NoteVerifierKey::ForEd25519(o.name, key.public_key()).ToString());
  return kExitOk;
}

struct KeyShowOptions {
  std::string path, passphrase_file;
  bool witness = false;
};

int RunKeyShow(const KeyShowOptions& o) {
  const std::string& path = o.path;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    if (o.witness) {
      // Derived from the node key, which is unlocked for it.
      auto node = NodeFolder::Open(path, StoreMode::kReadOnly);
      if (!node.ok()) return ReportError(node.status());
      auto key = UnlockNodeKey(**node, o.passphrase_file);
      if (!key.ok()) return ReportError(key.status());
      const SigningKey witness = DeriveWitnessKey(*key);
      fmt::print("{}\n", CosignerVerifierKey({(*node)->config().origin, witness.public_key()}));
      return kExitOk;
    }
    auto config = ReadNodeConfig(path);
    if (!config.ok()) return ReportError(config.status());
    fmt::print("{}\n", config->key.ToString());
    return kExitOk;
  }
  if (o.witness) {
    return ReportError(InvalidArgument("--witness is for a node folder, not a key file"));
  }
  auto info = ReadKeyFileInfo(path);
  if (!info.ok()) return ReportError(info.status());
  fmt::print("{}\n", info->verifier().ToString());
  return kExitOk;
}

}  // namespace

void AddKeyCommand(CLI::App& app, int* exit_code) {
  auto* key = app.add_subcommand("key", "Create and show role keys");
  key->require_subcommand(1);

  auto n = std::make_shared<KeyNewOptions>();
  auto* cmd_new = key->add_subcommand("new", "Create an encrypted Ed25519 role key file");
  cmd_new->add_option("--out", n->out, "Key file to write (not overwritten if it exists)")
      ->required();
  cmd_new->add_option("--name", n->name, "Key name (no spaces or '+'), e.g. kab-7404/approver-1")
      ->required();
  cmd_new->add_option("--kdf", n->kdf, "Argon2id strength: interactive or moderate")
      ->check(CLI::IsMember({"interactive", "moderate"}));
  AddPassphraseOption(cmd_new, &n->passphrase_file);
  cmd_new->callback([n, exit_code] { *exit_code = RunKeyNew(*n); });

  auto* show = key->add_subcommand("show", "Print the verifier key of a key file or a node folder");
  auto so = std::make_shared<KeyShowOptions>();
  show->add_option("PATH", so->path, "Key file, or node folder")->required();
  show->add_flag("--witness", so->witness,
                 "A node's witness key (its cosignatures; unlocks the node key)");
  AddPassphraseOption(show, &so->passphrase_file);
  show->callback([so, exit_code] { *exit_code = RunKeyShow(*so); });
}

}  // namespace jejak::cli
