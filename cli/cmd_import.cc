// jejak import updates KABDIR FILE.csv --key OPERATOR.key
// jejak import receipts BANKDIR FILE.csv --key PAYER.key
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/pkh_import.h"

namespace jejak::cli {
namespace {

struct ImportOptions {
  std::string dir, file, key, passphrase_file, key_passphrase_file;
  bool json = false;
};

int Run(const ImportOptions& o, bool receipts) {
  auto node = OpenPkhNode(o.dir, o.passphrase_file);
  if (!node.ok()) return ReportError(node.status());
  auto program_key = UnlockProgramKey(*node->folder, o.passphrase_file);
  if (!program_key.ok()) return ReportError(program_key.status());
  auto key = UnlockRoleKey(o.key, o.key_passphrase_file, o.passphrase_file);
  if (!key.ok()) return ReportError(key.status());
  Progress progress("importing " + o.file);
  auto on_rows = [&](uint64_t rows) { progress.Update(rows, rows); };
  auto report = receipts ? ImportReceipts(*node->pkh, o.file, *key, *program_key, on_rows)
                         : ImportUpdates(*node->pkh, o.file, *key, *program_key, on_rows);
  if (!report.ok()) return ReportError(report.status().WithContext("nothing was appended"));
  const std::string what = receipts ? "receipt" : "update";
  if (o.json) {
    fmt::print("{{\"rows\":{},\"appended\":{},\"already_present\":{},\"index\":{},\"size\":{}}}\n",
               report->rows, report->appended, report->already_present,
               report->statement ? std::to_string(report->statement->index) : "null",
               report->statement ? report->statement->size : node->pkh->writer().size());
  } else if (report->statement) {
    fmt::print("imported {} as one statement at leaf {}; checkpoint size {}",
               Count(report->appended, what), report->statement->index, report->statement->size);
    if (report->already_present)
      fmt::print(" ({} already present)", Count(report->already_present, "row"));
    fmt::print("\n");
  } else {
    fmt::print("nothing new: all {} were already present\n", Count(report->rows, "row"));
  }
  return kExitOk;
}

CLI::App* Command(CLI::App* parent, const std::string& name, const std::string& help,
                  const std::string& dir_help, const std::string& key_help, ImportOptions& o) {
  auto* cmd = parent->add_subcommand(name, help);
  cmd->add_option("DIR", o.dir, dir_help)->required();
  cmd->add_option("FILE", o.file, "CSV file (UTF-8, header row), or - for standard input")
      ->required();
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
  auto u = std::make_shared<ImportOptions>();
  Command(imp, "updates", "Data updates (pemutakhiran) of a kabupaten", "Kabupaten node folder",
          "Operator key file of the kabupaten", *u)
      ->callback([u, exit_code] { *exit_code = Run(*u, false); });
  auto r = std::make_shared<ImportOptions>();
  Command(imp, "receipts", "Disbursement receipts of a lembaga bayar", "Lembaga bayar node folder",
          "Payer key file of the lembaga bayar", *r)
      ->callback([r, exit_code] { *exit_code = Run(*r, true); });
}

}  // namespace jejak::cli
