// jejak console user add NODE --name N --role ROLE [--password-file F]
// jejak console user list NODE [--json]
// jejak console user remove NODE --name N
//
// The web console's accounts (node/console_users.h). The password comes from
// --password-file (its first line), $JEJAK_CONSOLE_PASSWORD, or a prompt
// asked twice; it is never an argument (the process list would show it).
// Accounts take effect at once, on a running node too.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "crypto/passphrase.h"
#include "ledger/pkh/node_folder.h"
#include "node/console_users.h"

namespace jejak::cli {
namespace {

struct ConsoleUserOptions {
  std::string dir, name, role, password_file;
  bool json = false;
};

// A node folder: refuses anything else before an account file is written
// into it.
Status CheckNodeFolder(const std::string& dir) { return ReadNodeConfig(dir).status(); }

int RunAdd(const ConsoleUserOptions& o) {
  if (Status s = CheckNodeFolder(o.dir); !s.ok()) return ReportError(s);
  auto role = ParseConsoleRole(o.role);
  if (!role.ok()) return ReportError(role.status().WithContext("--role"));
  if (Status s = ValidConsoleUserName(o.name); !s.ok()) return ReportError(s.WithContext("--name"));
  PassphraseSource src;
  src.file = o.password_file;
  src.env_var = "JEJAK_CONSOLE_PASSWORD";
  src.prompt = fmt::format("Console password for {}", o.name);
  src.confirm = true;
  auto password = ObtainPassphrase(src);
  if (!password.ok()) return ReportError(password.status().WithContext("password"));
  if (Status s = AddConsoleUser(o.dir, o.name, *role, *password); !s.ok()) return ReportError(s);
  fmt::print("console account {} ({}) added to {}\n", o.name, ConsoleRoleName(*role), o.dir);
  return kExitOk;
}

int RunList(const ConsoleUserOptions& o) {
  if (Status s = CheckNodeFolder(o.dir); !s.ok()) return ReportError(s);
  auto users = ReadConsoleUsers(o.dir);
  if (!users.ok()) return ReportError(users.status());
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& u : *users)
      list.push_back({{"name", u.name}, {"role", ConsoleRoleName(u.role)}});
    fmt::print("{}\n", nlohmann::json({{"users", list}}).dump());
    return kExitOk;
  }
  if (users->empty()) fmt::print("no console accounts (jejak console user add)\n");
  for (const auto& u : *users) fmt::print("{:<24} {}\n", u.name, ConsoleRoleName(u.role));
  return kExitOk;
}

int RunRemove(const ConsoleUserOptions& o) {
  if (Status s = CheckNodeFolder(o.dir); !s.ok()) return ReportError(s);
  if (Status s = RemoveConsoleUser(o.dir, o.name); !s.ok()) return ReportError(s);
  fmt::print("console account {} removed from {} (its sessions end at their next request)\n",
             o.name, o.dir);
  return kExitOk;
}

}  // namespace

void AddConsoleCommands(CLI::App& app, int* exit_code) {
  auto* console = app.add_subcommand("console", "The web console of `jejak serve --console`");
  console->require_subcommand(1);
  auto* user = console->add_subcommand("user", "Console accounts: add, list, remove");
  user->require_subcommand(1);

  auto add = std::make_shared<ConsoleUserOptions>();
  auto* a = user->add_subcommand("add", "Add an account (password hashed with Argon2id)");
  a->add_option("NODE", add->dir, "Node folder")->required();
  a->add_option("--name", add->name, "Account name (a-z, 0-9, '.', '_', '-')")->required();
  a->add_option("--role", add->role, "viewer, auditor, operator, approver or admin")->required();
  a->add_option("--password-file", add->password_file,
                "File whose first line is the password (else $JEJAK_CONSOLE_PASSWORD or a prompt)");
  a->callback([add, exit_code] { *exit_code = RunAdd(*add); });

  auto list = std::make_shared<ConsoleUserOptions>();
  auto* l = user->add_subcommand("list", "List the accounts and their roles");
  l->add_option("NODE", list->dir, "Node folder")->required();
  l->add_flag("--json", list->json, "As JSON");
  l->callback([list, exit_code] { *exit_code = RunList(*list); });

  auto rm = std::make_shared<ConsoleUserOptions>();
  auto* r = user->add_subcommand("remove", "Remove an account; its sessions end");
  r->add_option("NODE", rm->dir, "Node folder")->required();
  r->add_option("--name", rm->name, "Account name")->required();
  r->callback([rm, exit_code] { *exit_code = RunRemove(*rm); });
}

}  // namespace jejak::cli
