// jejak program-key new --out FILE ; jejak pseudonym DIR ID... (or -)
#include <CLI/CLI.hpp>
#include <iostream>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/files.h"

namespace jejak::cli {
namespace {

int RunNew(const std::string& out) {
  const ProgramKey key = GenerateProgramKey();
  if (Status s = WriteFileAtomic(out, FormatProgramKeyFile(key), 0600, /*no_clobber=*/true);
      !s.ok()) {
    return ReportError(s);
  }
  fmt::print("wrote a new program key to {} (keep it secret: it re-identifies families)\n", out);
  return kExitOk;
}

struct PseudonymOptions {
  std::string dir, passphrase_file;
  std::vector<std::string> ids;
};

int RunPseudonym(const PseudonymOptions& o) {
  auto config = ReadNodeConfig(o.dir);
  if (!config.ok()) return ReportError(config.status());
  auto node = NodeFolder::Open(o.dir, StoreMode::kReadOnly);
  if (!node.ok()) return ReportError(node.status());
  auto key = UnlockProgramKey(**node, o.passphrase_file);
  if (!key.ok()) return ReportError(key.status());
  auto print = [&](std::string_view id) { fmt::print("{}\n", HexEncode(KpmPseudonym(*key, id))); };
  if (o.ids.size() == 1 && o.ids[0] == "-") {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) print(line);
    }
    return kExitOk;
  }
  for (const auto& id : o.ids) print(id);
  return kExitOk;
}

}  // namespace

void AddProgramKeyCommands(CLI::App& app, int* exit_code) {
  auto* pk = app.add_subcommand("program-key", "Create the program key that makes KPM pseudonyms");
  pk->require_subcommand(1);
  auto out = std::make_shared<std::string>();
  auto* c_new =
      pk->add_subcommand("new", "Write 32 random bytes as 64 hex characters and a newline");
  c_new->add_option("--out", *out, "File to write (not overwritten if it exists)")->required();
  c_new->callback([out, exit_code] { *exit_code = RunNew(*out); });

  auto o = std::make_shared<PseudonymOptions>();
  auto* ps = app.add_subcommand("pseudonym", "Print the pseudonym of each KPM identifier");
  ps->add_option("DIR", o->dir, "Node folder holding the program key")->required();
  ps->add_option("ID", o->ids, "KPM identifiers, or - to read one per line from standard input")
      ->required();
  AddPassphraseOption(ps, &o->passphrase_file);
  ps->callback([o, exit_code] { *exit_code = RunPseudonym(*o); });
}

}  // namespace jejak::cli
