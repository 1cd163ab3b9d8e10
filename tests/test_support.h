// Small helpers shared by the test suites.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

// The fuzz targets (tests/fuzz) use these helpers and link no GoogleTest.
#ifndef JEJAK_TEST_SUPPORT_NO_GTEST
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#endif

#include "crypto/ed25519.h"
#include "crypto/status.h"

extern char** environ;

namespace jejak::testing {

#ifndef JEJAK_TEST_SUPPORT_NO_GTEST
// The one status matcher (after Abseil's): the exact code, and a message
// containing `part` (empty: any message). Matches a Status or a Result<T>.
//   EXPECT_THAT(ImportUpdates(...), StatusIs(StatusCode::kInvalidArgument, "line 3"));
class StatusIsMatcher {
 public:
  StatusIsMatcher(StatusCode code, std::string part) : code_(code), part_(std::move(part)) {}

  bool MatchAndExplain(const Status& s, ::testing::MatchResultListener* out) const {
    if (s.code() == code_ && s.message().find(part_) != std::string::npos) return true;
    *out << "got " << StatusCodeName(s.code()) << " \"" << s.message() << "\"";
    return false;
  }
  template <typename T>
  bool MatchAndExplain(const Result<T>& r, ::testing::MatchResultListener* out) const {
    if (r.ok()) {
      *out << "succeeded";
      return false;
    }
    return MatchAndExplain(r.status(), out);
  }
  void DescribeTo(std::ostream* os) const {
    *os << StatusCodeName(code_) << " containing \"" << part_ << "\"";
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "not " << StatusCodeName(code_) << " containing \"" << part_ << "\"";
  }

 private:
  StatusCode code_;
  std::string part_;
};

inline ::testing::PolymorphicMatcher<StatusIsMatcher> StatusIs(StatusCode code,
                                                               std::string part = "") {
  return ::testing::MakePolymorphicMatcher(StatusIsMatcher(code, std::move(part)));
}

// The same as an assertion, for EXPECT_TRUE(HasStatus(s, code, part)).
template <typename S>
::testing::AssertionResult HasStatus(const S& s, StatusCode code, std::string_view part) {
  ::testing::StringMatchResultListener why;
  if (StatusIsMatcher(code, std::string(part)).MatchAndExplain(s, &why)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << why.str() << ", want " << StatusCodeName(code) << " containing \"" << part << "\"";
}

// ASSERT_TRUE(IsOk(s)): a Status or Result<T> that succeeded; prints the
// error otherwise.
inline ::testing::AssertionResult IsOk(const Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << StatusCodeName(s.code()) << ": " << s.message();
}
template <typename T>
::testing::AssertionResult IsOk(const Result<T>& r) {
  return IsOk(r.status());
}
#endif  // JEJAK_TEST_SUPPORT_NO_GTEST

// A deterministic key: the seed is 32 copies of `b`.
inline SigningKey KeyFromByte(uint8_t b) {
  Seed s;
  s.fill(b);
  return SigningKey::FromSeed(s);
}

// Creates a fresh folder under the system's temporary folder; aborts if it
// cannot (the test could not mean anything without it).
inline std::string MakeTempFolder(std::string_view what) {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / ("jejak-" + std::string(what) + "-XXXXXX"))
          .string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  return tmpl;
}

inline void RemoveFolder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

inline std::string ReadBinary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline bool WriteBinary(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return out.good();
}

struct ProcessOutcome {
  int code = -1;  // the exit status, or 128 + the signal
  std::string out, err;
};

// Starts `binary args...` in a new session (no controlling terminal, so
// nothing can prompt), standard input from `in_path`, standard output and
// error to `out_path` and `err_path` (truncated, or appended to with
// `append`), in this environment cleared of JEJAK_* variables and given
// `jejak_env`. Returns the pid (negative if fork failed).
inline pid_t SpawnProcess(const std::string& binary, const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& jejak_env,
                          const std::string& in_path, const std::string& out_path,
                          const std::string& err_path, bool append = false) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).substr(0, 6) != "JEJAK_") env_strings.emplace_back(*e);
  }
  for (const auto& [k, v] : jejak_env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string program = binary;
  argv.push_back(program.data());
  std::vector<std::string> args_copy = args;
  for (auto& a : args_copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int mode = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    const int in = ::open(in_path.c_str(), O_RDONLY);
    const int out = ::open(out_path.c_str(), mode, 0644);
    const int err = ::open(err_path.c_str(), mode, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

// Runs `binary args...` as SpawnProcess does, with `input` on standard input,
// to completion; the files live in `scratch` as .stdin, .stdout and .stderr.
inline ProcessOutcome RunProcess(const std::string& binary, const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& jejak_env,
                                 const std::string& scratch, const std::string& input = "") {
  const std::string in_path = scratch + "/.stdin", out_path = scratch + "/.stdout",
                    err_path = scratch + "/.stderr";
  ProcessOutcome r;
  if (!WriteBinary(in_path, input)) return r;
  const pid_t pid = SpawnProcess(binary, args, jejak_env, in_path, out_path, err_path);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadBinary(out_path);
  r.err = ReadBinary(err_path);
  return r;
}

}  // namespace jejak::testing
