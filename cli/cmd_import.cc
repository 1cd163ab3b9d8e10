// jejak import updates KABDIR FILE.csv --key OPERATOR.key
// jejak import receipts BANKDIR FILE.csv --key PAYER.key
// jejak import bnba KABDIR FILE.csv --key TARGETING.key --year 2026 --list LIST-ID
// jejak import verifications|complaints|complaint-responses KABDIR FILE.csv --key OPERATOR.key
// (or --node URL --node-key KEY in place of the folder, while the node serves)
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/pkh/import.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

struct ImportOptions {
  ImportFile kind = ImportFile::kUpdates;
  std::string dir, file, key, passphrase_file, key_passphrase_file;
  std::string node, node_key;
  std::string list;   // bnba
  uint16_t year = 0;  // bnba
  bool json = false;
};

// What one row of each file is called in messages.
std::string_view RowNoun(ImportFile kind) {
  switch (kind) {
    case ImportFile::kUpdates:
      return "update";
    case ImportFile::kReceipts:
      return "receipt";
    case ImportFile::kBnba:
      return "target list row";
    case ImportFile::kVerifications:
      return "verification";
    case ImportFile::kComplaints:
      return "complaint";
    case ImportFile::kComplaintResponses:
      return "complaint response";
  }
  return "row";
}

// What an import did, wherever it ran.
struct ImportOutcome {
  uint64_t rows = 0, appended = 0, already_present = 0;
  std::optional<uint64_t> index;  // the statement's leaf, if one was appended
  uint64_t size = 0;              // the checkpoint's size after it
};

int Print(const ImportOptions& o, const ImportOutcome& r) {
  const std::string what(RowNoun(o.kind));
  if (o.json) {
    fmt::print("{{\"rows\":{},\"appended\":{},\"already_present\":{},\"index\":{},\"size\":{}}}\n",
               r.rows, r.appended, r.already_present, r.index ? std::to_string(*r.index) : "null",
               r.size);
  } else if (r.index) {
    fmt::print("imported {} as one statement at leaf {}; checkpoint size {}",
               Count(r.appended, what), *r.index, r.size);
    if (r.already_present) fmt::print(" ({} already present)", Count(r.already_present, "row"));
    fmt::print("\n");
  } else {
    fmt::print("nothing new: all {} were already present\n", Count(r.rows, "row"));
  }
  return kExitOk;
}

// Through a running node: the file is sent, the statement signed here.
int RunThroughNode(const ImportOptions& o, const BnbaList& list) {
  auto key = UnlockRoleKey(o.key, o.key_passphrase_file, o.passphrase_file);
  if (!key.ok()) return ReportError(key.status());
  auto csv = ReadInputFile(o.file, kMaxUploadBytes);
  if (!csv.ok()) return ReportError(csv.status());
  auto client = ConnectToNode(o.node, o.node_key, kUploadTimeout);
  if (!client.ok()) return ReportError(client.status());
  const std::string name = o.file == "-" ? "standard input" : o.file;
  auto r = ImportThroughNode(**client, o.kind, &list, *csv, name, *key);
  if (!r.ok()) return ReportError(r.status());  // it says whether anything was appended
  for (const std::string& w : r->warnings) WarnIfAny(w);
  ImportOutcome out{r->rows, r->appended, r->already_present, {}, r->size};
  if (r->statement) {
    out.index = r->statement->index;
    WarnIfAny(r->statement->warning);
  }
  return Print(o, out);
}

int Run(ImportOptions o) {
  // With --node the one positional argument is FILE.
  if (!o.node.empty() && o.file.empty()) std::swap(o.dir, o.file);
  if (o.file.empty()) return ReportError(InvalidArgument("FILE is required"));
  if (o.dir.empty() == o.node.empty()) {
    return ReportError(InvalidArgument("give either a node folder or --node URL"));
  }
  const BnbaList list{o.list, o.year};
  if (!o.node.empty()) return RunThroughNode(o, list);
  // The node key, the program key and the signer's key, unlocked at once.
  KeysToUnlock more;
  more.program = true;
  more.role_key = o.key;
  more.key_passphrase_file = o.key_passphrase_file;
  UnlockedKeys keys;
  auto node = OpenPkhNode(o.dir, o.passphrase_file, &more, &keys);
  if (!node.ok()) return ReportError(node.status());
  const ProgramKey* program_key = &*keys.program;
  const SigningKey* key = &*keys.role;
  Progress progress("importing " + o.file);
  auto on_rows = [&](uint64_t rows) { progress.Update(rows, rows); };
  const uint64_t before = node->pkh->writer().size();
  ImportSigning signing;
  signing.key = key;
  auto report = ImportFileOf(*node->pkh, o.kind, o.file, &list, signing, *program_key, on_rows);
  if (!report.ok()) {
    return ReportError(AppendOutcome(report.status(), before, node->pkh->writer().size()));
  }
  for (const std::string& w : report->warnings) WarnIfAny(w);
  if (report->more_warnings > 0) {
    WarnIfAny(fmt::format("and {} more rows like these", report->more_warnings));
  }
  ImportOutcome out{
      report->rows, report->appended, report->already_present, {}, node->pkh->writer().size()};
  if (report->statement) {
    out.index = report->statement->index;
    out.size = report->statement->size;
  }
  return Print(o, out);
}

CLI::App* Command(CLI::App* parent, const std::string& name, const std::string& help,
                  const std::string& dir_help, const std::string& key_help, ImportOptions& o) {
  auto* cmd = parent->add_subcommand(name, help);
  cmd->add_option("DIR", o.dir, dir_help);
  AddNodeOptions(cmd, &o.node, &o.node_key);
  cmd->add_option("FILE", o.file, "CSV file (UTF-8, header row), or - for standard input");
  cmd->add_option("--key", o.key, key_help)->required();
  cmd->add_option("--key-passphrase-file", o.key_passphrase_file,
                  "Passphrase file of --key (else $JEJAK_KEY_PASSPHRASE, else the node's)");
  cmd->add_flag("--json", o.json, "Print the result as JSON");
  AddPassphraseOption(cmd, &o.passphrase_file);
  return cmd;
}

}  // namespace

void AddImportCommand(CLI::App& app, int* exit_code) {
  auto* imp = app.add_subcommand("import", "Import PKH records from CSV (one file, one statement)");
  imp->require_subcommand(1);
  auto add = [&](ImportFile kind, const std::string& help, const std::string& dir_help,
                 const std::string& key_help) {
    auto o = std::make_shared<ImportOptions>();
    o->kind = kind;
    auto* cmd = Command(imp, std::string(ImportFileName(kind)), help, dir_help, key_help, *o);
    cmd->callback([o, exit_code] { *exit_code = Run(*o); });
    return std::make_pair(cmd, o);
  };
  add(ImportFile::kUpdates, "Data updates (pemutakhiran) of a kabupaten", "Kabupaten node folder",
      "Operator key file of the kabupaten");
  add(ImportFile::kReceipts, "Disbursement receipts of a lembaga bayar",
      "Lembaga bayar node folder", "Payer key file of the lembaga bayar");
  auto [bnba, list] = add(
      ImportFile::kBnba, "A Kemensos target list (BNBA) of a kabupaten, signed by a targeting key",
      "Kabupaten node folder",
      "Targeting key file (a Kemensos officer's, scope covering the kabupaten)");
  bnba->add_option("--list", list->list, "List id: 1-64 of A-Z a-z 0-9 . _ / -")->required();
  bnba->add_option("--year", list->year, "The programme year the list targets, such as 2026")
      ->required();
  add(ImportFile::kVerifications,
      "Verifications of commitments (health, education, welfare visits, P2K2)",
      "Kabupaten node folder", "Operator key file of the kabupaten");
  add(ImportFile::kComplaints, "Complaints received (never their text)", "Kabupaten node folder",
      "Operator key file of the kabupaten");
  add(ImportFile::kComplaintResponses, "Responses to complaints the log holds",
      "Kabupaten node folder", "Operator key file of the kabupaten");
}

}  // namespace jejak::cli
