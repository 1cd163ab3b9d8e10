// What one log entry says, for people: its fields as (name, value) pairs in
// a fixed order, as `jejak proof verify` prints them. A family appears only
// as its pseudonym. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/status.h"
#include "ledger/pkh/governance.h"

namespace jejak {

struct EntryField {
  std::string name, value;
};

// The fields of `leaf`: a statement (its header and signers) or a record
// (a PKH or governance record, or a generic text or data record). With
// `gov`, signers are named by the registry's key names at the statement's
// governance size. Text that is not printable is described, never echoed.
// Corruption if `leaf` is not a canonical entry.
Result<std::vector<EntryField>> DescribeEntry(ByteSpan leaf, const Governance* gov);

}  // namespace jejak
