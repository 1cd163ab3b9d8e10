// The read-only commands: checkpoint, prove inclusion, prove consistency.
// They open the store as a RocksDB secondary, so they work beside a writer.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/merkle.h"

namespace jejak::cli {
namespace {

std::string JsonHashes(const std::vector<Hash>& hashes) {
  std::string out = "[";
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (i) out += ",";
    out += "\"" + Base64Encode(hashes[i]) + "\"";
  }
  return out + "]";
}

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

int RunCheckpoint(const std::string& dir) {
  auto node = NodeFolder::Open(dir, StoreMode::kReadOnly);
  if (!node.ok()) return ReportError(node.status());
  LogReader reader((*node)->store(), (*node)->own_log());
  auto note = reader.LatestCheckpoint();
  if (!note.ok()) return ReportError(note.status());
  fmt::print("{}", *note);
  return kExitOk;
}

struct InclusionOptions {
  std::string dir;
  uint64_t index = 0;
  std::optional<uint64_t> size;
};

int RunInclusion(const InclusionOptions& o) {
  auto log = OpenOwnLog(o.dir);
  if (!log.ok()) return ReportError(log.status());
  LogReader& reader = *log->reader;
  const uint64_t size = o.size.value_or(log->checkpoint_size);
  if (size > log->checkpoint_size) {
    return ReportError(InvalidArgument(
        fmt::format("--size {} is beyond the latest checkpoint ({})", size, log->checkpoint_size)));
  }
  if (o.index >= size) {
    return ReportError(
        InvalidArgument(fmt::format("--index {} is not below the tree size {}", o.index, size)));
  }
  auto leaf = reader.Leaf(o.index);
  if (!leaf.ok()) return ReportError(leaf.status());
  auto proof = reader.InclusionProof(o.index, size);
  if (!proof.ok()) return ReportError(proof.status());
  fmt::print("{{\"index\":{},\"size\":{},\"leaf_hash\":\"{}\",\"proof\":{}}}\n", o.index, size,
             Base64Encode(LeafHash(*leaf)), JsonHashes(*proof));
  return kExitOk;
}

struct ConsistencyOptions {
  std::string dir;
  uint64_t old_size = 0;
  std::optional<uint64_t> new_size;
};

int RunConsistency(const ConsistencyOptions& o) {
  auto log = OpenOwnLog(o.dir);
  if (!log.ok()) return ReportError(log.status());
  LogReader& reader = *log->reader;
  const uint64_t new_size = o.new_size.value_or(log->checkpoint_size);
  if (new_size > log->checkpoint_size) {
    return ReportError(InvalidArgument(fmt::format("--new {} is beyond the latest checkpoint ({})",
                                                   new_size, log->checkpoint_size)));
  }
  if (o.old_size == 0 || o.old_size > new_size) {
    return ReportError(InvalidArgument(
        fmt::format("--old must be between 1 and the new size {}, got {}", new_size, o.old_size)));
  }
  auto proof = reader.ConsistencyProof(o.old_size, new_size);
  if (!proof.ok()) return ReportError(proof.status());
  fmt::print("{{\"old_size\":{},\"new_size\":{},\"proof\":{}}}\n", o.old_size, new_size,
             JsonHashes(*proof));
  return kExitOk;
}

}  // namespace

void AddCheckpointCommand(CLI::App& app, int* exit_code) {
  auto dir = std::make_shared<std::string>();
  auto* cmd =
      app.add_subcommand("checkpoint", "Print the latest signed checkpoint (C2SP tlog-checkpoint)");
  cmd->add_option("DIR", *dir, "Node folder")->required();
  cmd->callback([dir, exit_code] { *exit_code = RunCheckpoint(*dir); });
}

void AddProveCommand(CLI::App& app, int* exit_code) {
  auto* prove =
      app.add_subcommand("prove", "Print RFC 6962 inclusion and consistency proofs as JSON");
  prove->require_subcommand(1);

  auto inc = std::make_shared<InclusionOptions>();
  auto* cmd_inc = prove->add_subcommand("inclusion", "Inclusion proof of one leaf");
  cmd_inc->add_option("DIR", inc->dir, "Node folder")->required();
  cmd_inc->add_option("--index", inc->index, "Leaf index")->required();
  cmd_inc->add_option("--size", inc->size, "Tree size (default: the latest checkpoint's)");
  cmd_inc->callback([inc, exit_code] { *exit_code = RunInclusion(*inc); });

  auto con = std::make_shared<ConsistencyOptions>();
  auto* cmd_con = prove->add_subcommand("consistency", "Consistency proof between two tree sizes");
  cmd_con->add_option("DIR", con->dir, "Node folder")->required();
  cmd_con->add_option("--old", con->old_size, "Older tree size")->required();
  cmd_con->add_option("--new", con->new_size, "Newer tree size (default: the latest checkpoint's)");
  cmd_con->callback([con, exit_code] { *exit_code = RunConsistency(*con); });
}

}  // namespace jejak::cli
