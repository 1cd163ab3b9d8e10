// jejak ba print (BA.json | KABDIR --number N | --node URL --node-key K --number N)
//                --out BA.pdf [--lang id|en] [--summary]
//
// The berita acara as an A4 PDF (documents/berita_acara_pdf.h). From a file
// it is a draft: nothing says it is in a log, so it carries no QR code. From
// the kabupaten's folder or node it is read back from the log, and every page
// carries the tlog-proof of its statement leaf, verified here with the log's
// key before it is printed.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <memory>

#include "cli/common.h"
#include "crypto/note.h"
#include "documents/berita_acara_pdf.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/log_source.h"
#include "ledger/log/proof_json.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/berita_acara_log.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/lang.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/values.h"
#include "node/http_source.h"
#include "node/log_status.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

struct BaPrintOptions {
  std::string source, number, node, node_key, out, lang;
  bool summary = false;
};

// What a berita acara's proof must carry: the very statement it was read
// from.
constexpr std::string_view kBaStatement = "the berita acara's statement";

Result<BeritaAcaraPrint> FromFolder(const BaPrintOptions& o) {
  std::unique_ptr<NodeFolder> folder;
  ASSIGN_OR_RETURN(folder, NodeFolder::Open(o.source, StoreMode::kReadOnly));
  auto loaded = LoadNodeGovernance(*folder);
  if (!loaded.ok()) return loaded.status();
  const Governance& gov = *loaded;
  const LogInfo info = folder->own_log();
  LogReader reader(folder->store(), info);
  std::string note;
  ASSIGN_OR_RETURN(note, reader.LatestCheckpoint());
  SignedCheckpoint cp;
  ASSIGN_OR_RETURN(cp, OpenCheckpoint(note, info.key));
  const uint64_t size = cp.checkpoint.size;
  StoreLogSource source(folder->store(), info, o.source);
  LoggedBeritaAcara found;
  ASSIGN_OR_RETURN(found, FindLoggedBeritaAcara(source, size, o.number, &gov));
  std::vector<std::string> cosignatures;
  ASSIGN_OR_RETURN(cosignatures, CosignatureLines(folder->store(), info.id, size));
  TlogProof proof;
  ASSIGN_OR_RETURN(proof, BuildTlogProof(reader, note, cosignatures, found.index));
  RETURN_IF_ERROR(CheckProofCarries(proof, info.key, found.index, found.statement, kBaStatement));
  BeritaAcaraPrint doc;
  doc.roles = BeritaAcaraSignerRoles(found.ba, gov);
  if (const NodeRegistration* n = gov.NodeByOrigin(info.origin, gov.size())) doc.office = n->name;
  doc.ba = std::move(found.ba);
  doc.leaf_index = found.index;
  doc.tlog_proof = FormatTlogProof(proof);
  return doc;
}

Result<BeritaAcaraPrint> FromNode(const BaPrintOptions& o) {
  NodeOwnLog log;
  ASSIGN_OR_RETURN(log, OpenNodeOwnLog(o.node, o.node_key, "every page"));
  LoggedBeritaAcara found;
  {
    HttpLogSource source(*log.client, LogPath(log.checkpoint.checkpoint.origin), 0);
    ASSIGN_OR_RETURN(found,
                     FindLoggedBeritaAcara(source, log.checkpoint.checkpoint.size, o.number));
  }
  TlogProof proof;
  ASSIGN_OR_RETURN(proof, CheckedProofThroughNode(log, found.index, found.statement, kBaStatement));
  BeritaAcaraPrint doc;
  doc.ba = std::move(found.ba);
  doc.leaf_index = found.index;
  doc.tlog_proof = FormatTlogProof(proof);
  return doc;
}

Result<BeritaAcaraPrint> Gather(const BaPrintOptions& o) {
  if (!o.node.empty()) {
    if (!o.source.empty()) return InvalidArgument("give a file, a folder or --node URL, not two");
    if (o.number.empty()) return InvalidArgument("--node needs --number N: which berita acara");
    return FromNode(o);
  }
  if (o.source.empty()) {
    return InvalidArgument("give a berita acara file, a kabupaten folder with --number, or --node");
  }
  if (!o.number.empty()) return FromFolder(o);
  BeritaAcaraPrint doc;
  ASSIGN_OR_RETURN(doc.ba, ReadBeritaAcara(o.source));
  return doc;
}

int RunPrint(const BaPrintOptions& o) {
  BeritaAcaraPdfOptions options;
  options.summary = o.summary;
  options.lang = DefaultLang(std::getenv("LANG"));
  if (!o.lang.empty()) {
    auto lang = ParseLang(o.lang);
    if (!lang.ok()) return ReportError(lang.status());
    options.lang = *lang;
  }
  auto doc = Gather(o);
  if (!doc.ok()) return ReportError(doc.status().WithContext("no PDF was written"));
  const auto start = std::chrono::steady_clock::now();
  auto printed = WriteBeritaAcaraPdf(*doc, options, o.out);
  if (!printed.ok()) return ReportError(printed.status().WithContext("no PDF was written"));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  const BeritaAcara& ba = doc->ba;
  if (doc->tlog_proof) {
    fmt::print(
        "wrote {}: berita acara {} ({}, total {}), {} in {} ms; leaf {} of {}, its "
        "tlog-proof ({} bytes) in {} on every page\n",
        o.out, ba.number, Count(ba.rows.size(), "row"), FormatRupiah(ba.total_amount),
        Count(printed->pages, "page"), ms, doc->leaf_index, ba.origin, printed->qr_bytes,
        Count(printed->qr_codes, "QR code"));
  } else {
    fmt::print(
        "wrote {}: DRAFT of berita acara {} ({}, total {}), {} in {} ms, no QR code: "
        "print it from the kabupaten's folder or node with --number once it is "
        "submitted\n",
        o.out, ba.number, Count(ba.rows.size(), "row"), FormatRupiah(ba.total_amount),
        Count(printed->pages, "page"), ms);
  }
  return kExitOk;
}

}  // namespace

void AddBaPrintCommand(CLI::App& ba, int* exit_code) {
  auto o = std::make_shared<BaPrintOptions>();
  auto* print = ba.add_subcommand(
      "print", "Print a berita acara as an A4 PDF: from the log with its QR proof, or a draft");
  print->add_option("SOURCE", o->source,
                    "Berita acara file (printed as a DRAFT), or kabupaten node folder (with "
                    "--number)");
  AddNodeOptions(print, &o->node, &o->node_key);
  print->add_option("--number", o->number, "Number of the berita acara in the log");
  print->add_option("--out", o->out, "PDF file to write")->required();
  print->add_option("--lang", o->lang, "id or en (default: id when LANG is id_*, else en)");
  print->add_flag("--summary", o->summary, "The first page only, without the annex of rows");
  print->callback([o, exit_code] { *exit_code = RunPrint(*o); });
}

}  // namespace jejak::cli
