#include "node/console_users.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <nlohmann/json.hpp>

#include "crypto/files.h"
#include "crypto/json_text.h"

namespace jejak {
namespace {

constexpr char kFormat[] = "jejak-console-users/1";
constexpr std::array<std::string_view, 5> kRoleNames = {"viewer", "auditor", "operator", "approver",
                                                        "admin"};

std::string UsersPath(const std::string& dir) { return dir + "/" + kConsoleUsersFile; }

Status WriteUsers(const std::string& dir, const std::vector<ConsoleUser>& users) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& u : users) {
    list.push_back(
        {{"name", u.name}, {"role", ConsoleRoleName(u.role)}, {"password", u.password_hash}});
  }
  const std::string text =
      nlohmann::json({{"format", kFormat}, {"users", std::move(list)}}).dump(2) + "\n";
  return WriteFileAtomic(UsersPath(dir), text, 0600);
}

// Serializes read-modify-write of the file between processes (two `jejak
// console user add` at once) with an advisory lock on a file beside it.
class UsersLock {
 public:
  static Result<UsersLock> Take(const std::string& dir) {
    const std::string path = UsersPath(dir) + ".lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return IOError(fmt::format("cannot open {}", path));
    if (::flock(fd, LOCK_EX) != 0) {
      ::close(fd);
      return IOError(fmt::format("cannot lock {}", path));
    }
    return UsersLock(fd);
  }
  UsersLock(UsersLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UsersLock& operator=(UsersLock&&) = delete;
  ~UsersLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit UsersLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace

std::string_view ConsoleRoleName(ConsoleRole role) { return kRoleNames[static_cast<size_t>(role)]; }

Result<ConsoleRole> ParseConsoleRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<ConsoleRole>(i);
  }
  return InvalidArgument("a role is one of viewer, auditor, operator, approver, admin");
}

bool ConsoleRoleMay(ConsoleRole has, ConsoleRole needs) {
  return has == ConsoleRole::kAdmin || needs == ConsoleRole::kViewer || has == needs;
}

Status ValidConsoleUserName(std::string_view name) {
  auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  const bool valid = !name.empty() && name.size() <= 64 &&
                     std::all_of(name.begin(), name.end(), ok) && name[0] != '.' &&
                     name[0] != '_' && name[0] != '-';
  if (valid) return Status::Ok();
  return InvalidArgument(
      "an account name is 1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter "
      "or digit");
}

Result<std::vector<ConsoleUser>> ReadConsoleUsers(const std::string& dir) {
  const std::string path = UsersPath(dir);
  auto text = ReadFile(path, size_t{1} << 20);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) {
    return std::vector<ConsoleUser>{};
  }
  if (!text.ok()) return text.status();
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonDocument(*text, path, JsonLimits{1 << 20, 3}));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, path));
  RETURN_IF_ERROR(f.Only({"format", "users"}, "console accounts"));
  std::string format;
  ASSIGN_OR_RETURN(format, f.Str("format"));
  if (format != kFormat) return f.Error("format", fmt::format("must be \"{}\"", kFormat));
  const nlohmann::json* list = nullptr;
  ASSIGN_OR_RETURN(list, f.Array("users"));
  if (list->size() > kMaxConsoleUsers) return f.Error("users", "holds too many accounts");
  std::vector<ConsoleUser> users;
  for (size_t i = 0; i < list->size(); ++i) {
    ASSIGN_OR_RETURN(JsonFields u, JsonFields::Of((*list)[i], path, fmt::format("users[{}]", i)));
    RETURN_IF_ERROR(u.Only({"name", "role", "password"}, "console account"));
    ConsoleUser user;
    std::string role;
    ASSIGN_OR_RETURN(user.name, u.Str("name"));
    RETURN_IF_ERROR(u.Check("name", ValidConsoleUserName(user.name)));
    ASSIGN_OR_RETURN(role, u.Str("role"));
    auto parsed = ParseConsoleRole(role);
    RETURN_IF_ERROR(u.Check("role", parsed.status()));
    user.role = *parsed;
    ASSIGN_OR_RETURN(user.password_hash, u.Str("password"));
    if (!user.password_hash.starts_with("$argon2id$") ||
        user.password_hash.size() >= crypto_pwhash_STRBYTES) {
      return u.Error("password", "is not an Argon2id hash");
    }
    for (const auto& other : users) {
      if (other.name == user.name) return u.Error("name", "is given twice");
    }
    users.push_back(std::move(user));
  }
  return users;
}

Status AddConsoleUser(const std::string& dir, std::string_view name, ConsoleRole role,
                      std::string_view password) {
  RETURN_IF_ERROR(ValidConsoleUserName(name));
  if (password.size() < kMinConsolePassword) {
    return InvalidArgument(
        fmt::format("a console password has at least {} characters", kMinConsolePassword));
  }
  if (password.size() > kMaxConsolePassword) {
    return InvalidArgument(
        fmt::format("a console password has at most {} characters", kMaxConsolePassword));
  }
  if (sodium_init() < 0) return Internal("libsodium failed to initialize");
  ASSIGN_OR_RETURN(UsersLock lock, UsersLock::Take(dir));
  std::vector<ConsoleUser> users;
  ASSIGN_OR_RETURN(users, ReadConsoleUsers(dir));
  for (const auto& u : users) {
    if (u.name == name) {
      return AlreadyExists(fmt::format("the node already has a console account '{}'", name));
    }
  }
  if (users.size() >= kMaxConsoleUsers) {
    return InvalidArgument(fmt::format("a node has at most {} console accounts", kMaxConsoleUsers));
  }
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (crypto_pwhash_str(hash.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return ResourceExhausted("not enough memory for Argon2id (64 MiB)");
  }
  users.push_back(ConsoleUser{std::string(name), role, std::string(hash.data())});
  return WriteUsers(dir, users);
}

Status RemoveConsoleUser(const std::string& dir, std::string_view name) {
  ASSIGN_OR_RETURN(UsersLock lock, UsersLock::Take(dir));
  std::vector<ConsoleUser> users;
  ASSIGN_OR_RETURN(users, ReadConsoleUsers(dir));
  auto it = std::find_if(users.begin(), users.end(),
                         [&](const ConsoleUser& u) { return u.name == name; });
  if (it == users.end()) {
    return NotFound(fmt::format("the node has no console account '{}'", name));
  }
  users.erase(it);
  return WriteUsers(dir, users);
}

bool CheckConsolePassword(const ConsoleUser* user, std::string_view password) {
  // A hash of a random password, made once: an unknown name costs what a
  // known one does.
  static const std::string dummy = [] {
    std::array<char, crypto_pwhash_STRBYTES> hash{};
    std::array<unsigned char, 16> random{};
    if (sodium_init() < 0) return std::string();
    randombytes_buf(random.data(), random.size());
    // Out of memory: no hash, and an unknown name then costs less (it is
    // refused all the same).
    if (crypto_pwhash_str(hash.data(), reinterpret_cast<const char*>(random.data()), random.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return std::string();
    }
    return std::string(hash.data());
  }();
  if (password.empty() || password.size() > kMaxConsolePassword) return false;
  const std::string& hash = user != nullptr ? user->password_hash : dummy;
  const bool match = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  return match && user != nullptr;
}

}  // namespace jejak
