// jejak recover NODE [--from URL ...] [--timeout SECONDS]
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/pkh/node.h"
#include "node/recovery.h"
#include "node/remote.h"
#include "node/serve_config.h"
#include "node/tls.h"

namespace jejak::cli {
namespace {

struct RecoverCmdOptions {
  std::string dir;
  std::vector<std::string> from;
  unsigned timeout_s = 30;
};

// --from, else the node's configured peers and the registry's URLs.
Result<std::vector<std::string>> PeersOf(NodeFolder& folder, const RecoverCmdOptions& o) {
  if (!o.from.empty()) {
    for (const auto& url : o.from) RETURN_IF_ERROR(ValidatePeerUrl(url, "--from"));
    return o.from;
  }
  ServeConfig config;
  ASSIGN_OR_RETURN(config, ReadServeConfig(folder.dir()));
  std::vector<std::string> urls = config.peers;
  if (folder.config().governance) {
    auto gov = LoadNodeGovernance(folder);
    if (gov.ok()) {
      for (const NodeRegistration* n : gov->Nodes(gov->size())) {
        if (!n->url.empty() && n->origin != folder.config().origin &&
            std::find(urls.begin(), urls.end(), n->url) == urls.end()) {
          urls.push_back(n->url);
        }
      }
    }
  }
  if (urls.empty()) {
    return InvalidArgument(
        "this node knows no peer (none configured, no registry held): give --from URL, e.g. the "
        "kemensos node's");
  }
  return urls;
}

int RunRecover(const RecoverCmdOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  auto identity = ReadNodeConfig(o.dir);
  if (!identity.ok()) return ReportError(identity.status());
  std::error_code ec;
  if (!std::filesystem::exists(o.dir + "/db/CURRENT", ec)) {
    if (Status s = CreateStoreForRecovery(o.dir); !s.ok()) return ReportError(s);
    fmt::print("{} has no store: a new one is made and filled from its peers\n", o.dir);
  }
  auto folder = NodeFolder::Open(o.dir, StoreMode::kReadWrite);
  if (!folder.ok()) return ReportError(folder.status());
  auto peers = PeersOf(**folder, o);
  if (!peers.ok()) return ReportError(peers.status());

  // Peers are pinned to the keys the registry gives. A node that lost its
  // store holds no registry: it reads the governance log from them unpinned
  // (that log is checked against the anchor in node.json, and its own log
  // against its own key, so a wrong peer can only withhold, and the target
  // is the largest checkpoint any peer shows), then pins them.
  std::mutex mu;  // peers are asked on several threads at once
  std::optional<std::set<PublicKey>> trusted;
  bool stale = true;
  RecoveryOptions options;
  options.peers = *peers;
  options.connect = [&](const std::string& url) -> Result<std::unique_ptr<HttpClient>> {
    std::optional<std::set<PublicKey>> keys;
    {
      std::lock_guard lock(mu);
      if (stale) {
        auto gov = LoadNodeGovernance(**folder);
        trusted.reset();
        if (gov.ok() && !gov->Nodes(gov->size()).empty()) {
          ASSIGN_OR_RETURN(trusted, TrustedNodeKeys(**folder));
        }
        stale = false;
      }
      keys = trusted;
    }
    if (keys) return ConnectTo(url, std::move(*keys), nullptr, std::chrono::seconds(o.timeout_s));
    Url parsed;
    ASSIGN_OR_RETURN(parsed, ParseUrl(url));
    HttpClientOptions client;
    client.timeout = std::chrono::seconds(o.timeout_s);
    if (parsed.tls) {
      ASSIGN_OR_RETURN(client.tls, MakeClientTlsContext(nullptr, "jejak-recover",
                                                        [](const PublicKey&) { return true; }));
    }
    return HttpClient::Create(parsed, std::move(client));
  };
  options.on_governance = [&] {
    std::lock_guard lock(mu);
    stale = true;
  };
  options.say = [](std::string_view line) { fmt::print("{}\n", line); };
  auto out = CatchUpOwnLog(**folder, options);
  if (!out.ok()) return ReportError(out.status());
  for (const auto& r : out->refused) fmt::print(stderr, "jejak: warning: {}\n", r);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (out->conflict) {
    const std::string evidence = EvidenceJson(out->conflict->evidence);
    std::fwrite(evidence.data(), 1, evidence.size(), stdout);
    return ReportError(FailedPrecondition(fmt::format(
        "recovery refused: {}: equivocation by this node's key. It signs nothing more; the "
        "evidence (above) is in {} (jejak evidence --check FILE)",
        out->conflict->message, out->evidence_file)));
  }
  if (out->answered == 0) {
    return ReportError(Unavailable(
        fmt::format("no peer answered ({} asked): nothing was recovered{}", options.peers.size(),
                    out->held ? "; the node stays on hold" : "")));
  }
  if (out->held) {
    return ReportError(Unavailable(fmt::format(
        "the own log is at size {}, but {} holds or cosigned size {}: no peer that answered "
        "serves the leaves between. The node stays on hold (it appends and signs nothing); run "
        "jejak recover again when the peers that hold them answer",
        out->new_size, out->target_where, out->target)));
  }
  fmt::print(
      "{}: own log at size {} (was {}), the largest checkpoint {} peers hold or cosigned "
      "({}); {:.1f} s. It appends again from leaf {}\n",
      (*folder)->config().origin, out->new_size, out->old_size, out->answered,
      out->target == 0 ? "none" : fmt::format("size {}, {}", out->target, out->target_where),
      seconds, out->new_size);
  return kExitOk;
}

}  // namespace

void AddRecoverCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<RecoverCmdOptions>();
  auto* cmd = app.add_subcommand(
      "recover",
      "Rebuild or catch up a node's own log from the copies its peers hold (a lost store, a "
      "restored backup); the node must be stopped");
  cmd->add_option("NODE", o->dir, "Node folder (node.json and node.key; db/ may be gone)")
      ->required();
  cmd->add_option("--from", o->from,
                  "A peer's URL (repeatable; default: the configured peers and the registry's)");
  cmd->add_option("--timeout", o->timeout_s, "Seconds allowed for connecting and each request")
      ->capture_default_str();
  cmd->callback([o, exit_code] { *exit_code = RunRecover(*o); });
}

}  // namespace jejak::cli
