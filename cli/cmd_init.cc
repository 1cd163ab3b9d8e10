// jejak init DIR --kind KIND --name NAME --region CODE [--origin ORIGIN]
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/files.h"
#include "crypto/passphrase.h"

namespace jejak::cli {
namespace {

struct InitOptions {
  std::string dir, kind, name, region, origin, passphrase_file, kdf = "interactive";
  std::string governance, program_key;
};

int RunInit(const InitOptions& o) {
  NodeInitOptions init;
  auto kind = ParseNodeKind(o.kind);
  if (!kind.ok()) return ReportError(kind.status());
  init.kind = *kind;
  init.name = o.name;
  init.region = o.region;
  init.origin = o.origin;
  init.kdf = o.kdf == "moderate" ? KdfParams::Moderate() : KdfParams::Interactive();
  if (!o.governance.empty()) {
    if (init.kind == NodeKind::kKemensos) {
      return ReportError(InvalidArgument(
          "--governance is for the other nodes: the kemensos node's own key is the anchor"));
    }
    auto g = ParseVerifierKey(o.governance);
    if (!g.ok()) return ReportError(g.status().WithContext("--governance"));
    init.governance = *g;
  }
  if (!o.program_key.empty()) {
    auto text = ReadFile(o.program_key, 4096);
    if (!text.ok()) return ReportError(text.status());
    auto pk = ParseProgramKeyFile(*text);
    if (!pk.ok()) return ReportError(pk.status().WithContext(o.program_key));
    init.program_key = *pk;
  }
  PassphraseSource src;
  src.file = o.passphrase_file;
  src.prompt = "Passphrase for the new node key";
  src.confirm = true;
  auto pass = ObtainPassphrase(src);
  if (!pass.ok()) return ReportError(pass.status());
  init.passphrase = *pass;
  if (Status s = NodeFolder::Create(o.dir, init); !s.ok()) return ReportError(s);
  auto config = ReadNodeConfig(o.dir);
  if (!config.ok()) return ReportError(config.status());
  fmt::print("created {} node '{}' in {}\norigin:   {}\nnode key: {}\n", o.kind, o.name, o.dir,
             config->origin, config->key.ToString());
  if (config->governance && config->governance->name != config->origin) {
    fmt::print("trusts the governance log {}\n", config->governance->name);
  } else if (!config->governance) {
    fmt::print("standalone log (no --governance): PKH imports are refused here\n");
  }
  return kExitOk;
}

}  // namespace

void AddInitCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<InitOptions>();
  auto* cmd = app.add_subcommand("init", "Create a node: its encrypted key, its log and its store");
  cmd->add_option("DIR", o->dir, "Folder to create (must not exist, or be empty)")->required();
  cmd->add_option("--kind", o->kind, "kemensos, provinsi, kabupaten, lembaga-bayar or auditor")
      ->required();
  cmd->add_option("--name", o->name, "Name of the institution")->required();
  cmd->add_option("--region", o->region,
                  "Region code (e.g. 74 for a province, 7404 for a kabupaten)")
      ->required();
  cmd->add_option("--origin", o->origin, "Log origin (default: from kind, region and name)");
  cmd->add_option("--governance", o->governance,
                  "Verifier key of the kemensos node (jejak key show GOVDIR): the trust anchor");
  cmd->add_option("--program-key", o->program_key,
                  "Program key file (jejak program-key new); kept encrypted in the node");
  cmd->add_option("--kdf", o->kdf, "Argon2id strength of the key file: interactive or moderate")
      ->check(CLI::IsMember({"interactive", "moderate"}));
  AddPassphraseOption(cmd, &o->passphrase_file);
  cmd->callback([o, exit_code] { *exit_code = RunInit(*o); });
}

}  // namespace jejak::cli
