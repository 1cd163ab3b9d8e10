// jejak append (DIR | --node URL) --type TYPE --key FILE RECORDS
#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/files.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/text_records.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

struct AppendOptions {
  std::string dir, type, key, records, stage, passphrase_file, key_passphrase_file;
  std::string node, node_key;
  bool json = false;
};

int PrintAppended(const AppendedStatement& a, size_t records, bool json) {
  if (json) {
    fmt::print("{{\"index\":{},\"records\":{},\"size\":{}}}\n", a.index, records, a.size);
  } else {
    fmt::print("appended statement at leaf {} with {}; checkpoint size {}\n", a.index,
               Count(records, "record"), a.size);
  }
  return kExitOk;
}

int RunAppend(AppendOptions o) {
  // With --node the one positional argument is RECORDS.
  if (!o.node.empty() && o.records.empty()) std::swap(o.dir, o.records);
  if (o.records.empty()) return ReportError(InvalidArgument("RECORDS is required"));
  if (Status s = ValidateStatementType(o.type); !s.ok()) return ReportError(s);
  auto input = ReadInputFile(o.records, kMaxRecordsInputBytes);
  if (!input.ok()) return ReportError(input.status());
  const std::string where = o.records == "-" ? "standard input" : o.records;
  auto leaves = TextRecordLeaves(*input, where);
  if (!leaves.ok()) return ReportError(leaves.status());

  if (o.dir.empty() == o.node.empty()) {
    return ReportError(InvalidArgument("give either a node folder or --node URL"));
  }
  if (!o.node.empty()) {
    auto role_key = UnlockRoleKey(o.key, o.key_passphrase_file, o.passphrase_file);
    if (!role_key.ok()) return ReportError(role_key.status());
    auto client = ConnectToNode(o.node, o.node_key);
    if (!client.ok()) return ReportError(client.status());
    auto records = leaves->size();
    auto sent = SubmitStatement(**client, o.type, o.stage, std::move(leaves).value(), *role_key);
    if (!sent.ok()) return ReportError(sent.status());
    WarnIfAny(sent->warning);
    AppendedStatement a;
    a.index = sent->index;
    a.size = sent->size;
    return PrintAppended(a, records, o.json);
  }
  auto config = ReadNodeConfig(o.dir);
  if (!config.ok()) return ReportError(config.status());
  // The signer's key is unlocked at the same time as the node key.
  KeysToUnlock more;
  more.role_key = o.key;
  more.key_passphrase_file = o.key_passphrase_file;
  UnlockedKeys keys;

  Result<AppendedStatement> appended = Internal("unset");
  size_t records = leaves->size();
  if (config->governance) {
    // A node under governance: PKH and governance statements have their own
    // commands (typed records); anything else is judged like them.
    if (o.type.rfind("pkh.", 0) == 0 || o.type.rfind("gov.", 0) == 0) {
      return ReportError(InvalidArgument(fmt::format(
          "{} statements are written by the import, ba and registry commands, not by append",
          o.type)));
    }
    auto node = OpenPkhNode(o.dir, o.passphrase_file, &more, &keys);
    if (!node.ok()) return ReportError(node.status());
    StatementHeader h = node->pkh->NewHeader(o.type);
    h.stage = o.stage;
    PreparedStatement p = PrepareStatement(std::move(h), std::move(leaves).value());
    SignStatement(p.statement, *keys.role);
    const uint64_t before = node->pkh->writer().size();
    appended = node->pkh->Append(p, {});
    if (!appended.ok()) {
      return ReportError(AppendOutcome(appended.status(), before, node->pkh->writer().size()));
    }
  } else {
    auto node = NodeFolder::Open(o.dir, StoreMode::kReadWrite);
    if (!node.ok()) return ReportError(node.status());
    more.node = node->get();
    more.passphrase_file = o.passphrase_file;
    auto unlocked = UnlockKeysAtOnce(more);
    if (!unlocked.ok()) return ReportError(unlocked.status());
    keys = std::move(*unlocked);
    auto writer = LogWriter::Open((*node)->store(), (*node)->own_log(), &*keys.node);
    if (!writer.ok()) return ReportError(writer.status());
    StatementHeader h;
    h.origin = config->origin;
    h.type = o.type;
    h.stage = o.stage;
    h.region = config->region;
    h.timestamp_ms = NowMillis();
    PreparedStatement p = PrepareStatement(std::move(h), std::move(leaves).value());
    SignStatement(p.statement, *keys.role);
    const uint64_t before = (*writer)->size();
    appended = AppendStatement(**writer, p);
    if (!appended.ok()) {
      return ReportError(AppendOutcome(appended.status(), before, (*writer)->size()));
    }
  }
  if (!appended.ok()) return ReportError(appended.status());
  return PrintAppended(*appended, records, o.json);
}

}  // namespace

void AddAppendCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<AppendOptions>();
  auto* cmd = app.add_subcommand("append",
                                 "Append one signed statement with one record per line of RECORDS");
  cmd->add_option("DIR", o->dir, "Node folder");
  AddNodeOptions(cmd, &o->node, &o->node_key);
  cmd->add_option("RECORDS", o->records, "File with one record per line, or - for standard input");
  cmd->add_option("--type", o->type, "Statement type, e.g. generic.note ([a-z0-9._-], 1-64 chars)")
      ->required();
  cmd->add_option("--key", o->key, "Role key file that signs the statement")->required();
  cmd->add_option("--stage", o->stage, "Disbursement stage the statement belongs to, e.g. 2026-T1");
  cmd->add_option("--key-passphrase-file", o->key_passphrase_file,
                  "Passphrase file of --key (else $JEJAK_KEY_PASSPHRASE, else the node's)");
  cmd->add_flag("--json", o->json, "Print the result as JSON");
  AddPassphraseOption(cmd, &o->passphrase_file);
  cmd->callback([o, exit_code] { *exit_code = RunAppend(*o); });
}

}  // namespace jejak::cli
