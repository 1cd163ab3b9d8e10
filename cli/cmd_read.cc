// The read-only commands: checkpoint, prove inclusion, prove consistency, of
// a node's own log (or, for inclusion, any log it holds: --log ORIGIN): from
// its folder (opened read-only, so they work beside a writer) or from the
// node itself with --node URL. `prove inclusion --format tlog-proof` prints
// a C2SP tlog-proof (ledger/log/tlog_proof.h).
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <functional>

#include "cli/common.h"
#include "crypto/files.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/proof_json.h"
#include "ledger/log/tlog_proof.h"
#include "node/log_status.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

// A log of the node opened for reading (its own, or the one `origin`
// names), with its latest checkpoint's size.
struct OpenedLog {
  std::unique_ptr<NodeFolder> node;
  std::unique_ptr<LogReader> reader;
  std::string checkpoint;  // the latest signed checkpoint note, as stored
  uint64_t checkpoint_size = 0;
};

Result<OpenedLog> OpenLog(const std::string& dir, const std::string& origin) {
  OpenedLog o;
  ASSIGN_OR_RETURN(o.node, NodeFolder::Open(dir, StoreMode::kReadOnly));
  LogInfo info = o.node->own_log();
  if (!origin.empty()) {
    auto found = FindLog(o.node->store(), origin);
    if (!found.ok()) {
      return NotFound(fmt::format("{} holds no log {}", dir, QuotedOrigin(origin)));
    }
    info = *found;
  }
  o.reader = std::make_unique<LogReader>(o.node->store(), info);
  ASSIGN_OR_RETURN(o.checkpoint, o.reader->LatestCheckpoint());
  auto cp = OpenCheckpoint(o.checkpoint, info.key);
  if (!cp.ok()) return Corruption("latest checkpoint: " + cp.status().message());
  o.checkpoint_size = cp->checkpoint.size;
  return o;
}

// DIR or --node URL [--node-key KEY]: exactly one.
struct Target {
  std::string dir, node, node_key;
  std::string log;  // an origin; empty: the node's own log
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
  ASSIGN_OR_RETURN(log, OpenLog(t.dir, t.log));
  return make(log);
}

struct InclusionOptions {
  Target target;
  uint64_t index = 0;
  std::optional<uint64_t> size;
  std::string format = "json", out;
};

// The tlog-proof of leaf `index` against the latest checkpoint of the log,
// with every cosignature the node keeps beside it.
Result<std::string> TlogProofText(const InclusionOptions& o) {
  RETURN_IF_ERROR(o.target.Check());
  if (!o.target.node.empty()) {
    std::string path = fmt::format("/jejak/v1/proof/inclusion?index={}&format=tlog-proof", o.index);
    if (!o.target.log.empty()) path += "&origin=" + PercentEncode(o.target.log);
    std::unique_ptr<HttpClient> client;
    ASSIGN_OR_RETURN(client, ConnectToNode(o.target.node, o.target.node_key));
    std::string text;
    ASSIGN_OR_RETURN(text, ProofThroughNode(*client, path));
    auto parsed = ParseTlogProof(text);
    if (!parsed.ok()) return parsed.status().WithContext("the node's answer");
    return text;
  }
  OpenedLog log;
  ASSIGN_OR_RETURN(log, OpenLog(o.target.dir, o.target.log));
  std::vector<std::string> cosignatures;
  ASSIGN_OR_RETURN(cosignatures,
                   CosignatureLines(log.node->store(), log.reader->info().id, log.checkpoint_size));
  TlogProof proof;
  ASSIGN_OR_RETURN(proof, BuildTlogProof(*log.reader, log.checkpoint, cosignatures, o.index));
  return FormatTlogProof(proof);
}

int RunInclusion(const InclusionOptions& o) {
  if (o.format != "json" && o.format != "tlog-proof") {
    return ReportError(InvalidArgument("--format is json (default) or tlog-proof"));
  }
  Result<std::string> text = Internal("unset");
  if (o.format == "tlog-proof") {
    if (o.size) {
      return ReportError(InvalidArgument(
          "--size does not go with --format tlog-proof: the proof is against the latest "
          "checkpoint, whose cosignatures it carries"));
    }
    text = TlogProofText(o);
  } else {
    std::string path = fmt::format("/jejak/v1/proof/inclusion?index={}", o.index);
    if (o.size) path += fmt::format("&size={}", *o.size);
    if (!o.target.log.empty()) path += "&origin=" + PercentEncode(o.target.log);
    text = Proof(o.target, path, [&](OpenedLog& log) {
      return InclusionProofJson(*log.reader, log.checkpoint_size, o.index, o.size);
    });
  }
  if (!text.ok() || o.out.empty() || o.out == "-") return PrintOrReport(text);
  if (Status s = WriteFileAtomic(o.out, *text, 0644); !s.ok()) {
    return ReportError(s.WithContext("--out"));
  }
  fmt::print(stderr, "jejak: wrote the inclusion proof of leaf {} to {}\n", o.index, o.out);
  return kExitOk;
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
  cmd_inc->add_option("--log", inc->target.log,
                      "Origin of the log (default: the node's own; any log it holds)");
  cmd_inc->add_option("--format", inc->format,
                      "json (default) or tlog-proof (C2SP, offline-verifiable, with the entry)");
  cmd_inc->add_option("--out", inc->out, "Write the proof to FILE (replaced atomically)");
  cmd_inc->callback([inc, exit_code] { *exit_code = RunInclusion(*inc); });

  auto con = std::make_shared<ConsistencyOptions>();
  auto* cmd_con = prove->add_subcommand("consistency", "Consistency proof between two tree sizes");
  AddTarget(cmd_con, con->target);
  cmd_con->add_option("--old", con->old_size, "Older tree size")->required();
  cmd_con->add_option("--new", con->new_size, "Newer tree size (default: the latest checkpoint's)");
  cmd_con->callback([con, exit_code] { *exit_code = RunConsistency(*con); });
}

}  // namespace jejak::cli
