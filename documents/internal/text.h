// Small text helpers the documents share. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ledger/pkh/lang.h"

namespace jejak::internal {

// ASCII letters upper-cased, other bytes (UTF-8) as they are.
std::string UpperAscii(std::string_view s);
// "20 Februari 2026 (2026-02-20)" (id) or "20 February 2026 (2026-02-20)"
// (en) for a YYYY-MM-DD date; anything else as it is.
std::string LongDate(std::string_view iso_date, Lang lang);
// "2026-02-20 10:15 WIB" for milliseconds since 1970.
std::string WibMinutes(int64_t ms);
// A role's name as records.h spells it ("approver"), in `lang`.
std::string RoleText(std::string_view role, Lang lang);

}  // namespace jejak::internal
