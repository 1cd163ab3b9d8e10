// jejak: the command-line front of a Jejak node. RunCommandLine wires the
// commands (each lives in its own cmd_*.cc) and runs one; main() runs the
// process's, `jejak batch` each line of its file.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/common.h"

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer: fontconfig, which Pango uses for the PDFs, keeps
// its caches until the process ends without freeing them, and LeakSanitizer
// reports them. Not ours to fix (Debian's fontconfig, no frame pointers to
// tell its allocations apart); every other allocation is still checked.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif

namespace jejak::cli {

namespace {

// Thrown once a check-only parse is complete, before any command's callback.
struct ParsedOnly {};

}  // namespace

int RunCommandLine(const std::vector<std::string>& args, CommandLineMode mode) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int argc = static_cast<int>(args.size());
  CLI::App app{"jejak: a signed, append-only, peer-witnessed audit ledger for PKH disbursements"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "jejak 0.1.0");
  int exit_code = jejak::cli::kExitOk;
  jejak::cli::AddInitCommand(app, &exit_code);
  jejak::cli::AddKeyCommand(app, &exit_code);
  jejak::cli::AddAppendCommand(app, &exit_code);
  jejak::cli::AddCheckpointCommand(app, &exit_code);
  jejak::cli::AddProveCommand(app, &exit_code);
  jejak::cli::AddProofCommand(app, &exit_code);
  jejak::cli::AddExportCommand(app, &exit_code);
  jejak::cli::AddVerifyCommand(app, &exit_code);
  jejak::cli::AddGovernanceCommands(app, &exit_code);
  jejak::cli::AddProgramKeyCommands(app, &exit_code);
  jejak::cli::AddImportCommand(app, &exit_code);
  jejak::cli::AddPullCommand(app, &exit_code);
  jejak::cli::AddBaCommand(app, &exit_code);
  jejak::cli::AddAuditCommand(app, &exit_code);
  jejak::cli::AddReceiptCommand(app, &exit_code);
  jejak::cli::AddEvidenceCommand(app, &exit_code);
  jejak::cli::AddServeCommands(app, &exit_code);
  jejak::cli::AddConfigCommand(app, &exit_code);
  jejak::cli::AddBackupCommands(app, &exit_code);
  jejak::cli::AddRecoverCommand(app, &exit_code);
  jejak::cli::AddTrailCommand(app, &exit_code);
  jejak::cli::AddConsoleCommands(app, &exit_code);
  jejak::cli::AddBatchCommand(app, &exit_code);
  // The root's parse-complete callback runs after every option is read and
  // checked, and before the commands' own callbacks.
  if (mode == CommandLineMode::kCheckOnly) app.parse_complete_callback([] { throw ParsedOnly{}; });
  try {
    app.parse(argc, argv.data());
  } catch (const ParsedOnly&) {
    return kExitOk;
  } catch (const CLI::CallForHelp& e) {
    if (mode == CommandLineMode::kCheckOnly) return kExitOk;  // prints when it runs
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (mode == CommandLineMode::kCheckOnly) return kExitOk;
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    if (mode == CommandLineMode::kCheckOnly) return kExitOk;
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, and a pointer to --help. CLI11 reports a mistyped command as
    // "A subcommand is required"; name the word it did not recognise instead.
    CLI::App* last = &app;
    while (!last->get_subcommands().empty()) last = last->get_subcommands().front();
    const std::vector<std::string> extra = last->remaining();
    const bool has_commands = !last->get_subcommands([](CLI::App*) { return true; }).empty();
    if (has_commands && !extra.empty()) {
      std::fprintf(stderr, "jejak: unknown %s '%s' (see jejak --help)\n",
                   extra[0].rfind('-', 0) == 0 ? "option" : "command", extra[0].c_str());
    } else {
      std::fprintf(stderr, "jejak: %s (see jejak --help)\n", e.what());
    }
    return jejak::cli::kExitError;
  } catch (const std::exception& e) {
    // A bug: exceptions are not used for expected failures.
    std::fprintf(stderr, "jejak: internal error: %s\n", e.what());
    return 3;
  }
  return exit_code;
}

}  // namespace jejak::cli

int main(int argc, char** argv) {
  return jejak::cli::RunCommandLine(std::vector<std::string>(argv, argv + argc));
}
