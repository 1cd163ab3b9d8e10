// Real processes for the node tests: `jejak` commands, and `jejak serve`
// nodes on 127.0.0.1 that the tests start, kill and restart.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"

extern char** environ;

namespace jejak::testing {

inline constexpr char kNodePassphrase[] = "node test passphrase";

struct Outcome {
  int code = -1;
  std::string out, err;
};

// Starts `jejak args...` with stdout and stderr to files; returns its pid.
inline pid_t SpawnJejak(const std::vector<std::string>& args, const std::string& out_path,
                        const std::string& err_path, const std::string& in_path = "/dev/null") {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "JEJAK_", 6) != 0) env_strings.emplace_back(*e);
  }
  env_strings.push_back(std::string("JEJAK_PASSPHRASE=") + kNodePassphrase);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string binary = JEJAK_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    const int in = ::open(in_path.c_str(), O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

// Runs `jejak args...` to completion in `scratch`.
inline Outcome RunJejak(const std::vector<std::string>& args, const std::string& scratch,
                        const std::string& input = "") {
  static int counter = 0;
  const std::string base =
      scratch + "/.run" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  WriteBinary(base + ".in", input);
  const pid_t pid = SpawnJejak(args, base + ".out", base + ".err", base + ".in");
  Outcome r;
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadBinary(base + ".out");
  r.err = ReadBinary(base + ".err");
  ::unlink((base + ".in").c_str());
  ::unlink((base + ".out").c_str());
  ::unlink((base + ".err").c_str());
  return r;
}

inline std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A `jejak serve DIR --listen 127.0.0.1:PORT extra...` process.
class ServeProcess {
 public:
  ServeProcess(std::string dir, std::vector<std::string> extra, uint16_t port = 0)
      : dir_(std::move(dir)), extra_(std::move(extra)), port_(port) {}
  ~ServeProcess() { Stop(SIGTERM); }

  // Starts it and waits (up to 30 s) for "serving DIR at URL". False on failure.
  bool Start() {
    const std::string out = dir_ + ".serve.out";
    ::unlink(out.c_str());
    std::vector<std::string> args = {"serve", dir_, "--listen",
                                     "127.0.0.1:" + std::to_string(port_)};
    args.insert(args.end(), extra_.begin(), extra_.end());
    pid_ = SpawnJejak(args, out, dir_ + ".serve.err");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = ReadBinary(out);
      const size_t at = text.find(" at ");
      if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
        url_ = Trim(text.substr(at + 4, text.find('\n', at) - at - 4));
        port_ = static_cast<uint16_t>(std::stoi(url_.substr(url_.rfind(':') + 1)));
        return true;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // Signals it and waits for it to end.
  void Stop(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  const std::string& url() const { return url_; }
  uint16_t port() const { return port_; }
  std::string log() const { return ReadBinary(dir_ + ".serve.err"); }

 private:
  std::string dir_;
  std::vector<std::string> extra_;
  uint16_t port_;
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace jejak::testing
