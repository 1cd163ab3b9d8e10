#include "crypto/passphrase.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "crypto/files.h"

namespace jejak {
namespace {

Result<std::string> Prompt(const std::string& prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return InvalidArgument(
        "no passphrase: give --passphrase-file, set JEJAK_PASSPHRASE, or run on a terminal");
  }
  const std::string ask = prompt + ": ";
  (void)!::write(fd, ask.data(), ask.size());
  termios old{};
  const bool is_tty = ::tcgetattr(fd, &old) == 0;
  if (is_tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  if (is_tty) ::tcsetattr(fd, TCSAFLUSH, &old);
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<std::string> FromFile(const std::string& path) {
  auto data = ReadFile(path, 4096, FileSource::kAlsoPipes);
  if (!data.ok()) return data.status().WithContext("passphrase file");
  std::string p = *data;
  const size_t nl = p.find('\n');
  if (nl != std::string::npos) p.resize(nl);
  if (!p.empty() && p.back() == '\r') p.pop_back();
  return p;
}

// A set, non-empty variable; an empty one counts as unset so that the next
// source is consulted.
const char* Env(const std::string& name) {
  if (name.empty()) return nullptr;
  const char* v = std::getenv(name.c_str());
  return v != nullptr && *v != '\0' ? v : nullptr;
}

}  // namespace

Result<std::string> ObtainPassphrase(const PassphraseSource& source) {
  std::string pass;
  if (!source.file.empty()) {
    ASSIGN_OR_RETURN(pass, FromFile(source.file));
  } else if (const char* v = Env(source.env_var); v != nullptr) {
    pass = v;
  } else if (const char* f = Env(source.fallback_env_var); f != nullptr) {
    pass = f;
  } else {
    ASSIGN_OR_RETURN(pass, Prompt(source.prompt.empty() ? "Passphrase" : source.prompt));
    if (source.confirm && !pass.empty()) {
      std::string again;
      ASSIGN_OR_RETURN(again, Prompt("Repeat the passphrase"));
      if (again != pass) return InvalidArgument("the two passphrases differ");
    }
  }
  if (pass.empty()) return InvalidArgument("the passphrase is empty");
  return pass;
}

}  // namespace jejak
