// The language of a document or report for people (`--lang id|en`):
// Bahasa Indonesia uses the SOPs' terms and Indonesian number formatting
// ("Rp 1.850.000"); English the reports' terms ("Rp 1,850,000"). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace jejak {

enum class Lang { kId, kEn };

// "id" or "en"; InvalidArgument naming `option` otherwise.
Result<Lang> ParseLang(std::string_view s, std::string_view option = "--lang");
// The default when no --lang is given: id for a LANG of "id" or "id_*"
// (e.g. "id_ID.UTF-8"), else en. `lang_env` may be null (LANG unset).
Lang DefaultLang(const char* lang_env);

// Digits grouped by thousands: "1.850.000" (id), "1,850,000" (en).
std::string GroupDigits(uint64_t n, Lang lang);
// "Rp 1.850.000" (id), "Rp 1,850,000" (en).
std::string FormatRupiah(uint64_t amount, Lang lang);

// The text for `lang`: Pick(lang, "Halaman", "Page").
inline std::string_view Pick(Lang lang, std::string_view id, std::string_view en) {
  return lang == Lang::kId ? id : en;
}

}  // namespace jejak
