// The audit report on paper, the Laporan Hasil Audit (specs/documents.md,
// "Audit report"): an A4 PDF with the frame and summary, a bar chart of the
// findings by type and one of the kabupaten with the largest amounts at
// risk, the per-kabupaten and per-lembaga-bayar tables of the text report,
// and the findings with their leaf references (at most kPdfListed per
// kabupaten and type; --format csv or xlsx lists every one).
//
// Thread-compatible: the function keeps no state.
#pragma once

#include <cstddef>
#include <string>

#include "crypto/status.h"
#include "ledger/audit/audit.h"
#include "ledger/pkh/lang.h"

namespace jejak {

inline constexpr size_t kPdfListed = 25;

// Writes the PDF to `path` atomically; returns its pages. With `reveal`,
// identifiers beside pseudonyms, as the text report. IOError naming the
// path; Internal when Cairo fails.
Result<size_t> WriteAuditPdf(const AuditReport& report, const RevealMap* reveal, Lang lang,
                             const std::string& path);

}  // namespace jejak
