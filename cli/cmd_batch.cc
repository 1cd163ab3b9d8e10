// jejak batch FILE|-
//
// Runs the jejak commands of FILE, one a line, in this one process, in order,
// and stops at the first that fails. Each key file is unlocked once for the
// whole batch (BeginKeyCache, cli/common.h): a kabupaten office importing its
// day's files, or Kemensos registering hundreds of institutions, pays one
// Argon2id derivation per key instead of one per command. Likewise a node's
// store, once a command opens it for writing, stays open for the commands
// after it (KeptStores, ledger/pkh/node_folder.h), except around the commands
// that need a node's folder to themselves (StoresKeptFor).
//
// A line is split into words as a POSIX shell would split it, without
// expansions: blanks separate words; '...' keeps everything literally; "..."
// keeps everything but \" and \\ (and \$, \`), which stand for the character;
// a backslash outside quotes keeps the next character; a word starting with #
// begins a comment. Blank lines and comments are skipped. The whole file is
// read and split before any command runs, so a mistake in line 900 runs
// nothing; so does a line whose command or options jejak does not accept.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/files.h"
#include "ledger/pkh/node_folder.h"

namespace jejak::cli {
namespace {

constexpr size_t kMaxBatchBytes = size_t{64} << 20;
constexpr size_t kMaxBatchLines = 1'000'000;

struct BatchLine {
  size_t number = 0;              // 1-based, in the file
  std::vector<std::string> args;  // "jejak", then the line's words
  const std::string& command() const { return args[1]; }
};

// How a batch's file is named in messages.
std::string BatchName(const std::string& path) { return path == "-" ? "standard input" : path; }

// Splits one line into words; the error names what is wrong, the caller where.
Result<std::vector<std::string>> SplitWords(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) words.push_back(std::move(word)), word.clear(), in_word = false;
      ++i;
    } else if (c == '#' && !in_word) {
      break;
    } else if (c == '\'') {
      const size_t end = line.find('\'', i + 1);
      if (end == std::string_view::npos) {
        return InvalidArgument(fmt::format("column {}: a ' is never closed", i + 1));
      }
      word.append(line.substr(i + 1, end - i - 1));
      in_word = true, i = end + 1;
    } else if (c == '"') {
      size_t j = i + 1;
      for (;; ++j) {
        if (j >= line.size()) {
          return InvalidArgument(fmt::format("column {}: a \" is never closed", i + 1));
        }
        if (line[j] == '"') break;
        if (line[j] == '\\' && j + 1 < line.size() &&
            std::string_view("\"\\$`").find(line[j + 1]) != std::string_view::npos) {
          ++j;
        }
        word.push_back(line[j]);
      }
      in_word = true, i = j + 1;
    } else if (c == '\\') {
      if (i + 1 >= line.size()) {
        return InvalidArgument(
            fmt::format("column {}: a line ends with a backslash (a command is one line)", i + 1));
      }
      word.push_back(line[i + 1]);
      in_word = true, i += 2;
    } else {
      word.push_back(c);
      in_word = true, ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

Result<std::vector<BatchLine>> ReadBatch(const std::string& path) {
  std::string text;
  ASSIGN_OR_RETURN(text, ReadInputFile(path, kMaxBatchBytes));
  const std::string where = BatchName(path);
  std::vector<BatchLine> lines;
  size_t number = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    if (++number > kMaxBatchLines) {
      return InvalidArgument(fmt::format("{}: more than {} lines", where, kMaxBatchLines));
    }
    if (line.find('\0') != std::string_view::npos) {
      return InvalidArgument(fmt::format("{} line {}: a NUL byte", where, number));
    }
    auto words = SplitWords(line);
    if (!words.ok()) return words.status().WithContext(fmt::format("{} line {}", where, number));
    if (words->empty()) continue;
    const std::string& command = words->front();
    if (command == "jejak") {
      const std::string next = words->size() > 1 ? (*words)[1] : "...";
      return InvalidArgument(fmt::format(
          "{} line {}: a line is a command without the program's name ('{}', not 'jejak {}')",
          where, number, next, next));
    }
    if (command == "batch" || command == "serve") {
      return InvalidArgument(fmt::format("{} line {}: '{}' cannot run in a batch{}", where, number,
                                         command,
                                         command == "serve" ? " (it runs until stopped)" : ""));
    }
    words->insert(words->begin(), "jejak");
    lines.push_back({number, std::move(*words)});
  }
  if (lines.empty()) return InvalidArgument(fmt::format("{}: no command to run", where));
  return lines;
}

// Whether a command works on a node's kept store (below); the others (init,
// backup, restore, recover, config, key, console...) run with every kept
// store closed first, as a command on its own would.
bool StoresKeptFor(const BatchLine& line) {
  static const std::set<std::string, std::less<>> kUsesKept = {
      "append", "audit", "ba",      "checkpoint", "evidence", "export", "import", "index", "policy",
      "prove",  "pull",  "receipt", "registry",   "stage",    "status", "trail",  "verify"};
  return kUsesKept.count(line.command()) != 0;
}

// Keeps keys for the batch's lifetime and wipes them however it ends.
struct KeyCacheScope {
  KeyCacheScope() { BeginKeyCache(); }
  ~KeyCacheScope() { EndKeyCache(); }
  KeyCacheScope(const KeyCacheScope&) = delete;
  KeyCacheScope& operator=(const KeyCacheScope&) = delete;
};

struct BatchOptions {
  std::string file;
};

int RunBatch(const BatchOptions& o) {
  auto lines = ReadBatch(o.file);
  if (!lines.ok()) return ReportError(lines.status());
  const std::string where = BatchName(o.file);
  // Every line parses (its command, options and their values) before any runs.
  for (const BatchLine& line : *lines) {
    if (RunCommandLine(line.args, CommandLineMode::kCheckOnly) != kExitOk) {
      return ReportError(InvalidArgument(fmt::format(
          "batch {} line {} ('{}') is not a command line jejak accepts (above); nothing was run",
          where, line.number, line.command())));
    }
  }
  KeyCacheScope keys;
  KeptStores stores;
  for (size_t i = 0; i < lines->size(); ++i) {
    const BatchLine& line = (*lines)[i];
    if (!StoresKeptFor(line)) CloseKeptStores();
    std::fflush(stdout);
    const int code = RunCommandLine(line.args);
    std::fflush(stdout);
    if (code != kExitOk) {
      const size_t left = lines->size() - i - 1;
      fmt::print(stderr, "jejak: batch {} line {} ('{}') exited with {}; {} not run\n", where,
                 line.number, line.command(), code, Count(left, "later command"));
      return code;
    }
  }
  return kExitOk;
}

}  // namespace

void AddBatchCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<BatchOptions>();
  auto* cmd = app.add_subcommand(
      "batch",
      "Run the jejak commands of FILE (one a line, without 'jejak'; - for standard input) in "
      "one process, stopping at the first that fails; each key file is unlocked once");
  cmd->add_option("FILE", o->file, "The commands, one a line (# starts a comment)")->required();
  cmd->callback([o, exit_code] { *exit_code = RunBatch(*o); });
}

}  // namespace jejak::cli
