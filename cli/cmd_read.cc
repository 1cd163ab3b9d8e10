// The read-only commands: checkpoint, prove inclusion, prove consistency, of
// a node's own log: from its folder (opened read-only, so they work beside a
// writer) or from the node itself with --node URL.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <functional>

#include "cli/common.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/proof_json.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

// The node's own log opened for reading, with its latest checkpoint's size.
struct OpenedLog {
  std::unique_ptr<NodeFolder> node;
  std::unique_ptr<LogReader> reader;
  uint64_t checkpoint_size = 0;
};

Result<OpenedLog> OpenOwnLog(const std::string& dir) {
  OpenedLog o;
  ASSIGN_OR_RETURN(o.node, NodeFolder::Open(dir, StoreMode::kReadOnly));
  o.reader = std::make_unique<LogReader>(o.node->store(), o.node->own_log());
  std::string note;
  ASSIGN_OR_RETURN(note, o.reader->LatestCheckpoint());
  auto cp = OpenCheckpoint(note, o.node->own_log().key);
  if (!cp.ok()) return Corruption("latest checkpoint: " + cp.status().message());
  o.checkpoint_size = cp->checkpoint.size;
  return o;
}

// DIR or --node URL [--node-key KEY]: exactly one.
struct Target {
  std::string dir, node, node_key;
  Status Check() const {
    if (dir.empty() == node.empty()) {
      return InvalidArgument("give either a node folder or --node URL");
    }
    return Status::Ok();
  }
};

void AddTarget(CLI::App* cmd, Target& t) {
  cmd->add_option("DIR", t.dir, "Node folder");
  AddNodeOptions(cmd, &t.node, &t.node_key);
}

int PrintOrReport(const Result<std::string>& text) {
  if (!text.ok()) return ReportError(text.status());
  fmt::print("{}", *text);
  return kExitOk;
}

Result<std::string> CheckpointText(const Target& t) {
  RETURN_IF_ERROR(t.Check());
  if (!t.node.empty()) {
    std::unique_ptr<HttpClient> client;
    ASSIGN_OR_RETURN(client, ConnectToNode(t.node, t.node_key));
    return OwnCheckpoint(*client);
  }
  std::unique_ptr<NodeFolder> node;
  ASSIGN_OR_RETURN(node, NodeFolder::Open(t.dir, StoreMode::kReadOnly));
  LogReader reader(node->store(), node->own_log());
  return reader.LatestCheckpoint();
}

// A proof from the folder with `make`, or from the node at `path`.
Result<std::string> Proof(const Target& t, const std::string& path,
                          const std::function<Result<std::string>(OpenedLog&)>& make) {
  RETURN_IF_ERROR(t.Check());
  if (!t.node.empty()) {
    std::unique_ptr<HttpClient> client;
    ASSIGN_OR_RETURN(client, ConnectToNode(t.node, t.node_key));
    return ProofThroughNode(*client, path);
  }
  OpenedLog log;
  ASSIGN_OR_RETURN(log, OpenOwnLog(t.dir));
  return make(log);
}

struct InclusionOptions {
  Target target;
  uint64_t index = 0;
  std::optional<uint64_t> size;
};

int RunInclusion(const InclusionOptions& o) {
  std::string path = fmt::format("/jejak/v1/proof/inclusion?index={}", o.index);
  if (o.size) path += fmt::format("&size={}", *o.size);
  return PrintOrReport(Proof(o.target, path, [&](OpenedLog& log) {
    return InclusionProofJson(*log.reader, log.checkpoint_size, o.index, o.size);
  }));
}

struct ConsistencyOptions {
  Target target;
  uint64_t old_size = 0;
  std::optional<uint64_t> new_size;
};

int RunConsistency(const ConsistencyOptions& o) {
  std::string path = fmt::format("/jejak/v1/proof/consistency?old={}", o.old_size);
  if (o.new_size) path += fmt::format("&new={}", *o.new_size);
  return PrintOrReport(Proof(o.target, path, [&](OpenedLog& log) {
    return ConsistencyProofJson(*log.reader, log.checkpoint_size, o.old_size, o.new_size);
  }));
}

}  // namespace

void AddCheckpointCommand(CLI::App& app, int* exit_code) {
  auto t = std::make_shared<Target>();
  auto* cmd =
      app.add_subcommand("checkpoint", "Print the latest signed checkpoint (C2SP tlog-checkpoint)");
  AddTarget(cmd, *t);
  cmd->callback([t, exit_code] { *exit_code = PrintOrReport(CheckpointText(*t)); });
}

void AddProveCommand(CLI::App& app, int* exit_code) {
  auto* prove =
      app.add_subcommand("prove", "Print RFC 6962 inclusion and consistency proofs as JSON");
  prove->require_subcommand(1);

  auto inc = std::make_shared<InclusionOptions>();
  auto* cmd_inc = prove->add_subcommand("inclusion", "Inclusion proof of one leaf");
  AddTarget(cmd_inc, inc->target);
  cmd_inc->add_option("--index", inc->index, "Leaf index")->required();
  cmd_inc->add_option("--size", inc->size, "Tree size (default: the latest checkpoint's)");
  cmd_inc->callback([inc, exit_code] { *exit_code = RunInclusion(*inc); });

  auto con = std::make_shared<ConsistencyOptions>();
  auto* cmd_con = prove->add_subcommand("consistency", "Consistency proof between two tree sizes");
  AddTarget(cmd_con, con->target);
  cmd_con->add_option("--old", con->old_size, "Older tree size")->required();
  cmd_con->add_option("--new", con->new_size, "Newer tree size (default: the latest checkpoint's)");
  cmd_con->callback([con, exit_code] { *exit_code = RunConsistency(*con); });
}

}  // namespace jejak::cli
