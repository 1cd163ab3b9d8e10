// jejak receipt print (BANKDIR | --node URL --node-key K) --txn-ref T --out bukti.pdf
//                    [--lang id|en]
//
// The Bukti Penyaluran of one transaction (documents/receipt_pdf.h): the
// receipt read from the lembaga bayar's own log (by its index in the folder;
// from a node, by walking its receipt statements), and the tlog-proof of its
// leaf, verified here with the log's key before it is printed.
#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include "cli/common.h"
#include "crypto/note.h"
#include "documents/receipt_pdf.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/log_source.h"
#include "ledger/log/proof_json.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/lang.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/receipt_log.h"
#include "ledger/pkh/values.h"
#include "node/http_source.h"
#include "node/log_status.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

struct ReceiptPrintOptions {
  std::string dir, node, node_key, txn_ref, out, lang;
};

// What a receipt's proof must carry: the very record it was read from.
constexpr std::string_view kReceiptRecord = "the receipt's record";

Result<ReceiptPrint> FromFolder(const ReceiptPrintOptions& o) {
  std::unique_ptr<NodeFolder> folder;
  ASSIGN_OR_RETURN(folder, NodeFolder::Open(o.dir, StoreMode::kReadOnly));
  const LogInfo info = folder->own_log();
  LogReader reader(folder->store(), info);
  std::string note;
  ASSIGN_OR_RETURN(note, reader.LatestCheckpoint());
  SignedCheckpoint cp;
  ASSIGN_OR_RETURN(cp, OpenCheckpoint(note, info.key));
  std::optional<uint64_t> at;
  ASSIGN_OR_RETURN(at, FindTxnRef(folder->store(), info.id, o.txn_ref));
  if (!at) {
    return NotFound(fmt::format("{}: no receipt with txn_ref {} in its log", o.dir, o.txn_ref));
  }
  StoreLogSource source(folder->store(), info, o.dir);
  LoggedReceipt found;
  ASSIGN_OR_RETURN(found, FindLoggedReceipt(source, cp.checkpoint.size, o.txn_ref, at));
  std::vector<std::string> cosignatures;
  ASSIGN_OR_RETURN(cosignatures, CosignatureLines(folder->store(), info.id, cp.checkpoint.size));
  TlogProof proof;
  ASSIGN_OR_RETURN(proof, BuildTlogProof(reader, note, cosignatures, found.index));
  RETURN_IF_ERROR(CheckProofCarries(proof, info.key, found.index, found.leaf, kReceiptRecord));
  ReceiptPrint doc;
  if (auto gov = LoadNodeGovernance(*folder); gov.ok()) {
    if (const NodeRegistration* n = gov->NodeByOrigin(info.origin, gov->size())) {
      doc.institution = n->name;
    }
  }
  doc.receipt = std::move(found.receipt);
  doc.origin = info.origin;
  doc.leaf_index = found.index;
  doc.tlog_proof = FormatTlogProof(proof);
  return doc;
}

Result<ReceiptPrint> FromNode(const ReceiptPrintOptions& o) {
  NodeOwnLog log;
  ASSIGN_OR_RETURN(log, OpenNodeOwnLog(o.node, o.node_key, "the page"));
  LoggedReceipt found;
  {
    HttpLogSource source(*log.client, LogPath(log.checkpoint.checkpoint.origin), 0);
    ASSIGN_OR_RETURN(found, FindLoggedReceipt(source, log.checkpoint.checkpoint.size, o.txn_ref));
  }
  TlogProof proof;
  ASSIGN_OR_RETURN(proof, CheckedProofThroughNode(log, found.index, found.leaf, kReceiptRecord));
  ReceiptPrint doc;
  doc.receipt = std::move(found.receipt);
  doc.origin = log.checkpoint.checkpoint.origin;
  doc.leaf_index = found.index;
  doc.tlog_proof = FormatTlogProof(proof);
  return doc;
}

int RunPrint(const ReceiptPrintOptions& o) {
  Lang lang = DefaultLang(std::getenv("LANG"));
  if (!o.lang.empty()) {
    auto parsed = ParseLang(o.lang);
    if (!parsed.ok()) return ReportError(parsed.status());
    lang = *parsed;
  }
  if (o.dir.empty() == o.node.empty()) {
    return ReportError(InvalidArgument("give either a lembaga bayar node folder or --node URL"));
  }
  auto doc = o.node.empty() ? FromFolder(o) : FromNode(o);
  if (!doc.ok()) return ReportError(doc.status().WithContext("no PDF was written"));
  auto printed = WriteReceiptPdf(*doc, lang, o.out);
  if (!printed.ok()) return ReportError(printed.status().WithContext("no PDF was written"));
  fmt::print("wrote {}: receipt {} ({}, {}), leaf {} of {}, its tlog-proof ({} bytes) in {}\n",
             o.out, doc->receipt.txn_ref, ReceiptStatusName(doc->receipt.status),
             FormatRupiah(doc->receipt.amount), doc->leaf_index, doc->origin, printed->qr_bytes,
             Count(printed->qr_codes, "QR code"));
  return kExitOk;
}

}  // namespace

void AddReceiptCommand(CLI::App& app, int* exit_code) {
  auto* receipt = app.add_subcommand("receipt", "Print a disbursement receipt for the family");
  receipt->require_subcommand(1);
  auto o = std::make_shared<ReceiptPrintOptions>();
  auto* print = receipt->add_subcommand(
      "print", "Print the Bukti Penyaluran of one transaction (A4 PDF with its QR proof)");
  print->add_option("BANKDIR", o->dir, "Lembaga bayar node folder");
  AddNodeOptions(print, &o->node, &o->node_key);
  print->add_option("--txn-ref", o->txn_ref, "Transaction reference of the receipt")->required();
  print->add_option("--out", o->out, "PDF file to write")->required();
  print->add_option("--lang", o->lang, "id or en (default: id when LANG is id_*, else en)");
  print->callback([o, exit_code] { *exit_code = RunPrint(*o); });
}

}  // namespace jejak::cli
