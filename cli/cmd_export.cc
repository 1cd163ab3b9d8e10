// jejak export DIR [--log ORIGIN] --out OUT
#include <CLI/CLI.hpp>
#include <filesystem>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/log/tile_folder.h"

namespace jejak::cli {
namespace {

struct ExportOptions {
  std::string dir, log, out;
};

int RunExport(const ExportOptions& o) {
  auto node = NodeFolder::Open(o.dir, StoreMode::kReadOnly);
  if (!node.ok()) return ReportError(node.status());
  LogInfo info = (*node)->own_log();
  if (!o.log.empty()) {
    auto held = FindLog((*node)->store(), o.log);
    if (!held.ok()) {
      return ReportError(held.status().code() == StatusCode::kNotFound
                             ? NotFound(fmt::format("{} holds no log {} (jejak status {} lists "
                                                    "those it holds)",
                                                    o.dir, o.log, o.dir))
                             : held.status());
    }
    info = *held;
  }
  LogReader reader((*node)->store(), info);
  std::error_code ec;
  const bool had_checkpoint = std::filesystem::exists(o.out + "/checkpoint", ec);
  auto report = ExportTiles(reader, o.out);
  if (!report.ok()) return ReportError(report.status());
  if (had_checkpoint && report->old_size == report->new_size && report->files == 0) {
    fmt::print("{} already holds {} at size {}; nothing to add\n", o.out, reader.info().origin,
               report->new_size);
  } else {
    fmt::print("exported {} to {}: size {} -> {}, {} files written\n", reader.info().origin, o.out,
               report->old_size, report->new_size, report->files);
  }
  return kExitOk;
}

}  // namespace

void AddExportCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = app.add_subcommand("export", "Write the log as a C2SP tlog-tiles folder");
  cmd->add_option("DIR", o->dir, "Node folder")->required();
  cmd->add_option("--log", o->log,
                  "Origin of the log to export: the node's own (default) or a replica it holds");
  cmd->add_option("--out", o->out, "Folder to write (a later export adds what is new)")->required();
  cmd->callback([o, exit_code] { *exit_code = RunExport(*o); });
}

}  // namespace jejak::cli
