// The berita acara on paper (specs/documents.md, "Berita acara"): an A4 PDF
// with the Dinas header, "BERITA ACARA PENETAPAN DATA BAYAR", the number,
// date, stage, families and totals per lembaga bayar, the signatures, and
// the annex of rows (pseudonym, lembaga bayar, amount), "Halaman X dari Y"
// on every page. Once the berita acara is in the log every page carries the
// QR codes of its statement leaf's tlog-proof (documents/qr.h); before, every
// page says DRAFT and carries none.
//
// Thread-compatible: the function keeps no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/lang.h"

namespace jejak {

struct BeritaAcaraPrint {
  BeritaAcara ba;
  // The registered name of the kabupaten's node ("Dinas Sosial Kabupaten
  // Gowa"); empty when unknown (a file printed on its own).
  std::string office;
  // One per signature of `ba`: the roles its key held for the kabupaten
  // ("approver"); empty when unknown.
  std::vector<std::string> roles;
  // The tlog-proof of the statement leaf, verified by the caller; absent for
  // a draft.
  std::optional<std::string> tlog_proof;
  uint64_t leaf_index = 0;  // with tlog_proof: the statement's leaf
};

struct BeritaAcaraPdfOptions {
  Lang lang = Lang::kId;
  bool summary = false;  // the first page only, without the annex of rows
};

struct PrintedPdf {
  size_t pages = 0;
  size_t qr_codes = 0;  // on each page
  size_t qr_bytes = 0;  // of the text they carry
};

// Writes the PDF to `path` atomically. InvalidArgument when the proof would
// take more QR codes than a page carries (documents/qr.h); IOError naming the
// path; Internal when Cairo fails.
Result<PrintedPdf> WriteBeritaAcaraPdf(const BeritaAcaraPrint& doc,
                                       const BeritaAcaraPdfOptions& options,
                                       const std::string& path);

}  // namespace jejak
