// Real processes for the node tests: `jejak` commands, and `jejak serve`
// nodes on 127.0.0.1 that the tests start, kill and restart.
#pragma once

#include <signal.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_support.h"

namespace jejak::testing {

inline constexpr char kNodePassphrase[] = "node test passphrase";

using Outcome = ProcessOutcome;

// Starts `jejak args...` with the node passphrase, appending its output to
// the files; returns its pid.
inline pid_t SpawnJejak(const std::vector<std::string>& args, const std::string& out_path,
                        const std::string& err_path) {
  return SpawnProcess(JEJAK_BINARY, args, {{"JEJAK_PASSPHRASE", kNodePassphrase}}, "/dev/null",
                      out_path, err_path, /*append=*/true);
}

// Runs `jejak args...` with the node passphrase to completion in `scratch`.
inline Outcome RunJejak(const std::vector<std::string>& args, const std::string& scratch,
                        const std::string& input = "") {
  return RunProcess(JEJAK_BINARY, args, {{"JEJAK_PASSPHRASE", kNodePassphrase}}, scratch, input);
}

// The value of `series` ("name" or "name{labels}") in a Prometheus text
// body; 0 when the series is absent.
inline double MetricIn(const std::string& body, const std::string& series) {
  std::istringstream lines(body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return 0;
}

inline std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A `jejak serve DIR --listen 127.0.0.1:PORT extra...` process.
class ServeProcess {
 public:
  // As `port`: no --listen at all, the node listens where its config.json says.
  static constexpr int kFromConfig = -1;
  ServeProcess(std::string dir, std::vector<std::string> extra, int port = 0)
      : dir_(std::move(dir)),
        extra_(std::move(extra)),
        port_(port == kFromConfig ? 0 : static_cast<uint16_t>(port)),
        from_config_(port == kFromConfig) {}
  ~ServeProcess() { Stop(SIGTERM); }

  // Starts it and waits (up to 30 s) for "serving DIR at URL". False on failure.
  bool Start() {
    const std::string out = dir_ + ".serve.out";
    ::unlink(out.c_str());
    std::vector<std::string> args = {"serve", dir_};
    if (!from_config_) args.insert(args.end(), {"--listen", "127.0.0.1:" + std::to_string(port_)});
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
  pid_t pid() const { return pid_; }
  std::string log() const { return ReadBinary(dir_ + ".serve.err"); }

 private:
  std::string dir_;
  std::vector<std::string> extra_;
  uint16_t port_;
  bool from_config_ = false;
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace jejak::testing
