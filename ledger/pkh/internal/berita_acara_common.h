// Pieces of the berita acara module shared by its two files: the document
// (berita_acara.cc) and the drafting and submitting workflow
// (berita_acara_workflow.cc). Internal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/pkh/berita_acara.h"

namespace jejak::internal {

// Entries a message lists before "and N more".
inline constexpr size_t kMaxListed = 10;

// "a; b; c and 2 more" (at most kMaxListed items named).
std::string ListSome(const std::vector<std::string>& items, std::string_view sep);
// A berita acara number: non-empty printable text of at most 128 bytes.
Status ValidateNumber(std::string_view number);
// The records root and the total amount of a berita acara's rows.
Result<Hash> RootOf(const BeritaAcara& ba);
Result<uint64_t> TotalOf(const std::vector<BeritaAcaraRow>& rows);

}  // namespace jejak::internal
