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
  auto data = ReadFile(path, 4096);
  if (!data.ok()) return data.status().WithContext("passphrase file");
  std::string p = *data;
  const size_t nl = p.find('\n');
  if (nl != std::string::npos) p.resize(nl);
  if (!p.empty() && p.back() == '\r') p.pop_back();
  return p;
}

}  // namespace

Result<std::string> ObtainPassphrase(const PassphraseSource& source) {
  std::string pass;
  if (!source.file.empty()) {
    ASSIGN_OR_RETURN(pass, FromFile(source.file));
  } else if (const char* v = std::getenv(source.env_var.c_str()); v != nullptr) {
    pass = v;
  } else if (const char* f = source.fallback_env_var.empty()
                                 ? nullptr
                                 : std::getenv(source.fallback_env_var.c_str());
             f != nullptr) {
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
