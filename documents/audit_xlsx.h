// The audit's working papers (kertas kerja pemeriksaan) as XLSX
// (specs/documents.md, "Audit working papers"): a summary sheet, then one
// sheet per finding type that has findings, named by the type. Amounts are
// numbers in a rupiah format; pseudonyms, codes and references are text;
// every sheet's header row is frozen and filtered.
//
// Thread-compatible: the function keeps no state.
#pragma once

#include <string>

#include "crypto/status.h"
#include "ledger/audit/audit.h"
#include "ledger/pkh/lang.h"

namespace jejak {

// Writes the workbook to `path` (through a temporary file beside it, then a
// rename). With `reveal`, an id_kpm column as AuditCsv has it. IOError
// naming the path when libxlsxwriter cannot write it.
Status WriteAuditXlsx(const AuditReport& report, const RevealMap* reveal, Lang lang,
                      const std::string& path);

}  // namespace jejak
