// A berita acara read back from the log it was appended to: the pkh.approval
// statement with its number, and its Approval records, as the BeritaAcara the
// approvers signed (berita_acara.h). What `jejak ba print` prints once the
// berita acara is in the log.
//
// Thread-compatible: the function keeps no state; the source belongs to the
// caller's thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/log/log_source.h"
#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/governance.h"

namespace jejak {

struct LoggedBeritaAcara {
  BeritaAcara ba;      // signatures named by the governance grants when given
  uint64_t index = 0;  // the statement's leaf
  Bytes statement;     // its bytes
};

// Walks the statements of the first `size` leaves of `source` (a
// kabupaten's log), statement to statement, for the pkh.approval statement
// whose document number is `number`, then reads its records. Key names come
// from `gov`'s grants at the statement's governance size (empty without
// `gov`). Returns NotFound naming the log and the number when no statement
// has it; Corruption naming the leaf for a leaf that is not the statement or
// record the walk expects, a record that is not an Approval, or records
// whose root is not the statement's; the source's errors otherwise.
Result<LoggedBeritaAcara> FindLoggedBeritaAcara(LogSource& source, uint64_t size,
                                                std::string_view number,
                                                const Governance* gov = nullptr);

// The roles each signature's key held for the berita acara's kabupaten at
// the governance size it records (bounded by gov's), comma-separated ("" for
// none), one per signature. Pure.
std::vector<std::string> BeritaAcaraSignerRoles(const BeritaAcara& ba, const Governance& gov);

}  // namespace jejak
