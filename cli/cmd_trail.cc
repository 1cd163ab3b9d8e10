// jejak trail (DIR | --node URL [--node-key K])
//             (--kpm ID --program-key FILE | --pseudonym P)
//             [--stage S] [--as-of D] [--format text|json] [--out FILE]
//             [--proofs-dir DIR] [--lang id|en] [--reveal IDS.csv --program-key FILE]
//
// A family's trail (ledger/audit/trail.h). The identifier given with --kpm
// only computes the pseudonym, here: it is never sent to a node, and printed
// only with --reveal and the source list that holds it.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/files.h"
#include "ledger/audit/trail.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/lang.h"
#include "ledger/pkh/values.h"
#include "node/log_status.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

struct TrailCmdOptions {
  std::string dir, node, node_key;
  std::string kpm, program_key, pseudonym;
  std::string stage, format = "text", out, proofs_dir, lang, reveal;
  std::optional<std::string> as_of;
};

// The trail from the node folder (indexes caught up where it can write).
Result<Trail> FromFolder(const TrailCmdOptions& o, TrailOptions t) {
  auto node = OpenFolderToAudit(o.dir);
  if (!node.ok()) return node.status();
  Store& store = (*node)->store();
  t.cosignatures = [&store](uint32_t log, uint64_t size) {
    return CosignatureLines(store, log, size);
  };
  return BuildTrail(**node, t);
}

// The trail from a running node: only the pseudonym is sent.
Result<Trail> FromNode(const TrailCmdOptions& o, const TrailOptions& t) {
  std::unique_ptr<HttpClient> client;
  ASSIGN_OR_RETURN(client, ConnectToNode(o.node, o.node_key, std::chrono::milliseconds(300'000)));
  std::string path = "/jejak/v1/trail?pseudonym=" + PseudonymHex(t.kpm);
  if (!t.stage.empty()) path += "&stage=" + PercentEncode(t.stage);
  path += "&as_of=" + PercentEncode(t.as_of);
  if (t.proofs) path += "&proofs=1";
  HttpResult r;
  ASSIGN_OR_RETURN(r, client->Get(path));
  if (r.status != 200) return RefusalStatus(r, "the trail");
  auto parsed_trail = ParseTrailJson(r.body);
  if (!parsed_trail.ok()) return parsed_trail.status().WithContext("the node's answer");
  Trail trail = std::move(*parsed_trail);
  if (trail.kpm != t.kpm) {
    return Corruption("the node's answer: a trail of another family than the one asked for");
  }
  for (const TrailRecord& rec : trail.records) {
    if (rec.tlog_proof.empty()) continue;
    auto parsed = ParseTlogProof(rec.tlog_proof);
    if (!parsed.ok()) {
      return parsed.status().WithContext(
          fmt::format("the node's answer: the proof of {} leaf {}", rec.log, rec.leaf));
    }
  }
  return trail;
}

// Writes each record's tlog-proof to `dir`; returns the file of each record
// ("" where it has none).
Result<std::vector<std::string>> WriteProofs(const Trail& trail, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IOError(fmt::format("cannot create {}: {}", dir, ec.message()));
  std::vector<std::string> files;
  for (const TrailRecord& r : trail.records) {
    if (r.tlog_proof.empty()) {
      files.emplace_back();
      continue;
    }
    const std::string file = dir + "/" + TlogProofFileName(r.log, r.leaf);
    RETURN_IF_ERROR(WriteFileAtomic(file, r.tlog_proof, 0644));
    files.push_back(file);
  }
  return files;
}

Result<Pseudonym> WhichFamily(const TrailCmdOptions& o, const std::optional<ProgramKey>& key) {
  if (o.kpm.empty() == o.pseudonym.empty()) {
    return InvalidArgument(
        "name the family with either --kpm ID (and --program-key) or "
        "--pseudonym P");
  }
  if (!o.pseudonym.empty()) return ParsePseudonymHex(o.pseudonym, "--pseudonym");
  if (!key) return InvalidArgument("--kpm needs --program-key FILE to compute the pseudonym");
  return KpmPseudonym(*key, o.kpm);
}

int RunTrail(const TrailCmdOptions& o) {
  if (o.dir.empty() == o.node.empty()) {
    return ReportError(InvalidArgument("give either a node folder or --node URL"));
  }
  if (o.format != "text" && o.format != "json") {
    return ReportError(InvalidArgument("--format is text (default) or json"));
  }
  Lang lang = DefaultLang(std::getenv("LANG"));
  if (!o.lang.empty()) {
    auto parsed = ParseLang(o.lang);
    if (!parsed.ok()) return ReportError(parsed.status());
    lang = *parsed;
  }
  if (!o.reveal.empty() && o.program_key.empty()) {
    return ReportError(InvalidArgument("--reveal needs --program-key FILE"));
  }
  std::optional<ProgramKey> key;
  if (!o.program_key.empty()) {
    auto k = ReadProgramKey(o.program_key);
    if (!k.ok()) return ReportError(k.status());
    key = *k;
  }
  auto kpm = WhichFamily(o, key);
  if (!kpm.ok()) return ReportError(kpm.status());
  TrailOptions t;
  t.kpm = *kpm;
  t.stage = o.stage;
  if (o.as_of && o.as_of->empty()) {
    return ReportError(InvalidArgument("--as-of must be a date or a date-time, not empty"));
  }
  t.as_of = o.as_of.value_or(FormatWib(static_cast<int64_t>(std::time(nullptr))));
  t.proofs = !o.proofs_dir.empty();
  // The identifier, shown only when the source list given with --reveal
  // holds it.
  std::optional<std::string> revealed;
  if (!o.reveal.empty()) {
    auto map = ReadReveal(o.reveal, *key);
    if (!map.ok()) return ReportError(map.status().WithContext("--reveal"));
    auto it = map->find(*kpm);
    if (it == map->end()) {
      fmt::print(stderr, "jejak: --reveal: the list holds no identifier of this family\n");
    } else {
      revealed = it->second;
    }
  }

  auto trail = o.node.empty() ? FromFolder(o, t) : FromNode(o, t);
  if (!trail.ok()) return ReportError(trail.status());
  std::vector<std::string> files;
  if (!o.proofs_dir.empty()) {
    auto written = WriteProofs(*trail, o.proofs_dir);
    if (!written.ok()) return ReportError(written.status().WithContext("--proofs-dir"));
    files = std::move(*written);
  }
  const std::string* r = revealed ? &*revealed : nullptr;
  const std::string text =
      o.format == "json" ? TrailJson(*trail, r, files) : TrailText(*trail, lang, r, files);
  if (o.out.empty() || o.out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else {
    Status s = WriteFileAtomic(o.out, text, 0600);
    if (!s.ok()) return ReportError(s.WithContext("--out"));
  }
  for (const std::string& m : trail->missing) fmt::print(stderr, "jejak: missing: {}\n", m);
  return kExitOk;
}

}  // namespace

void AddTrailCommand(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<TrailCmdOptions>();
  auto* cmd = app.add_subcommand(
      "trail",
      "Every record about one family across the logs a node holds, in time order, with its "
      "findings and proofs");
  cmd->add_option("DIR", o->dir, "Node folder (or --node URL)");
  AddNodeOptions(cmd, &o->node, &o->node_key);
  cmd->add_option("--kpm", o->kpm,
                  "The family's identifier: only computes its pseudonym (needs --program-key)");
  cmd->add_option("--program-key", o->program_key, "Program key file, for --kpm and --reveal");
  cmd->add_option("--pseudonym", o->pseudonym, "The family's pseudonym (32 hex digits)");
  cmd->add_option("--stage", o->stage, "Only this stage's approvals, receipts and complaints");
  cmd->add_option("--as-of", o->as_of,
                  "Judge the audit rules as of this date YYYY-MM-DD or moment "
                  "YYYY-MM-DDTHH:MM:SS+07:00 (default: now)");
  cmd->add_option("--format", o->format, "text (default) or json");
  cmd->add_option("--out", o->out, "Write the trail to FILE (replaced atomically)");
  cmd->add_option("--proofs-dir", o->proofs_dir,
                  "Write each record's tlog-proof to DIR (jejak proof verify checks it offline)");
  cmd->add_option("--lang", o->lang, "id or en (default: id when LANG is id_*, else en)");
  cmd->add_option("--reveal", o->reveal,
                  "CSV with an id_kpm column: show the family's identifier if the list holds it");
  cmd->callback([o, exit_code] { *exit_code = RunTrail(*o); });
}

}  // namespace jejak::cli
