// jejak evidence DIR [--log ORIGIN] ; jejak evidence --check FILE [--key VERIFIERKEY]
#include <CLI/CLI.hpp>
#include <cstdio>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/files.h"
#include "ledger/log/evidence.h"

namespace jejak::cli {
namespace {

struct EvidenceCmdOptions {
  std::string dir, log, check, key;
};

int RunEvidence(const EvidenceCmdOptions& o) {
  if (!o.check.empty()) {
    auto text = ReadFile(o.check, 1 << 20);
    if (!text.ok()) return ReportError(text.status().WithContext("--check"));
    auto e = ParseEvidenceJson(*text, o.check);
    if (!e.ok()) return ReportError(e.status());
    Status s = CheckEvidence(*e, o.key.empty() ? nullptr : &o.key);
    if (!s.ok()) {
      fmt::print(stderr, "jejak: the evidence does NOT prove equivocation: {}\n", s.message());
      return kExitCheckFailed;
    }
    fmt::print("evidence verifies: {} signed two checkpoints that cannot both be true\n",
               e->origin);
    if (o.key.empty()) {
      fmt::print("  (checked with the key the evidence names: {}; pin it with --key)\n",
                 e->verifier_key);
    }
    return kExitOk;
  }
  if (o.dir.empty()) return ReportError(InvalidArgument("give a node folder, or --check FILE"));
  auto node = NodeFolder::Open(o.dir, StoreMode::kReadOnly);
  if (!node.ok()) return ReportError(node.status());
  auto all = ListEvidence((*node)->store());
  if (!all.ok()) return ReportError(all.status());
  size_t shown = 0;
  for (const auto& [log, e] : *all) {
    if (!o.log.empty() && e.origin != o.log) continue;
    const std::string json = EvidenceJson(e);
    std::fwrite(json.data(), 1, json.size(), stdout);
    ++shown;
  }
  if (shown == 0) fmt::print(stderr, "jejak: no equivocation evidence in {}\n", o.dir);
  return kExitOk;
}

}  // namespace

void AddEvidenceCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<EvidenceCmdOptions>();
  auto* cmd = app.add_subcommand(
      "evidence", "Print the equivocation evidence this node holds, or check a printed one");
  cmd->add_option("DIR", o->dir, "Node folder");
  cmd->add_option("--log", o->log, "Only the evidence against this origin");
  cmd->add_option("--check", o->check, "A file holding one evidence object: check it alone");
  cmd->add_option("--key", o->key, "With --check: the author's verifier key, pinned");
  cmd->callback([o, exit_code] { *exit_code = RunEvidence(*o); });
}

}  // namespace jejak::cli
