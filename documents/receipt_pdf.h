// The Bukti Penyaluran (specs/documents.md, "Proof of disbursement"): one A4
// page a family can take home, saying what the lembaga bayar recorded for
// one transaction — KPM pseudonym, kabupaten, stage, amount, status, date,
// channel — with the QR codes of the receipt leaf's tlog-proof.
//
// Thread-compatible: the function keeps no state.
#pragma once

#include <cstdint>
#include <string>

#include "crypto/status.h"
#include "documents/berita_acara_pdf.h"
#include "ledger/pkh/lang.h"
#include "ledger/pkh/records.h"

namespace jejak {

struct ReceiptPrint {
  Receipt receipt;
  std::string origin;       // the lembaga bayar's log
  std::string institution;  // its registered name; empty when unknown
  uint64_t leaf_index = 0;
  std::string tlog_proof;  // of the receipt's leaf, verified by the caller
};

// Writes the page to `path` atomically. InvalidArgument when the proof would
// take more QR codes than a page carries; IOError naming the path; Internal
// when Cairo fails.
Result<PrintedPdf> WriteReceiptPdf(const ReceiptPrint& doc, Lang lang, const std::string& path);

}  // namespace jejak
