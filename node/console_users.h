// The web console's accounts (`jejak console user ...`): a name, a role and
// an Argon2id hash of the password (libsodium's crypto_pwhash_str), kept in
// the node folder's console-users.json (mode 0600, written atomically). The
// file is read, never cached for long, by the serving node, so that an
// account added or removed while the node runs counts at once.
//
// A console login never stands in for a role key: it decides what a person
// may see and start on the node; a signature still needs the key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace jejak {

inline constexpr char kConsoleUsersFile[] = "console-users.json";
inline constexpr size_t kMaxConsoleUsers = 1000;
inline constexpr size_t kMinConsolePassword = 10;
inline constexpr size_t kMaxConsolePassword = 1024;

// viewer: looks; auditor: also runs audits and looks families up by
// identifier; operator: also keeps berita acara drafts and submits them;
// approver: also adds signatures made in the browser; admin: everything.
enum class ConsoleRole { kViewer, kAuditor, kOperator, kApprover, kAdmin };

std::string_view ConsoleRoleName(ConsoleRole role);
// InvalidArgument naming the roles for anything else.
Result<ConsoleRole> ParseConsoleRole(std::string_view name);
// Whether `has` may do what `needs` may (admin may do everything; every role
// may do what a viewer may).
bool ConsoleRoleMay(ConsoleRole has, ConsoleRole needs);

struct ConsoleUser {
  std::string name;  // [a-z0-9._-], 1-64 characters, starting with a letter or digit
  ConsoleRole role = ConsoleRole::kViewer;
  std::string password_hash;  // "$argon2id$..."
};

// InvalidArgument saying what a valid account name is.
Status ValidConsoleUserName(std::string_view name);

// The accounts of node folder `dir`; none when the file does not exist.
// InvalidArgument naming the file and the field for a malformed one.
Result<std::vector<ConsoleUser>> ReadConsoleUsers(const std::string& dir);

// Adds an account (Argon2id, libsodium's interactive limits: 64 MiB, 2
// passes). AlreadyExists for a name taken; InvalidArgument for a bad name,
// a password shorter than kMinConsolePassword characters or too many
// accounts.
Status AddConsoleUser(const std::string& dir, std::string_view name, ConsoleRole role,
                      std::string_view password);
// NotFound for a name not there.
Status RemoveConsoleUser(const std::string& dir, std::string_view name);

// Whether `password` is the account's. Costs one Argon2id evaluation; with no
// account (nullptr) it costs the same against a fixed hash and is false, so
// that timing tells nothing of which names exist.
bool CheckConsolePassword(const ConsoleUser* user, std::string_view password);

}  // namespace jejak
