#include "ledger/pkh/lang.h"

#include <fmt/format.h>

#include "ledger/pkh/values.h"

namespace jejak {

Result<Lang> ParseLang(std::string_view s, std::string_view option) {
  if (s == "id") return Lang::kId;
  if (s == "en") return Lang::kEn;
  return InvalidArgument(
      fmt::format("{} is id (Bahasa Indonesia) or en (English), not \"{}\"", option, s));
}

Lang DefaultLang(const char* lang_env) {
  if (lang_env == nullptr) return Lang::kEn;
  std::string_view v = lang_env;
  return v == "id" || v.starts_with("id_") || v.starts_with("id.") ? Lang::kId : Lang::kEn;
}

std::string GroupDigits(uint64_t n, Lang lang) {
  std::string s = GroupDigits(n);
  if (lang == Lang::kId) {
    for (char& c : s) {
      if (c == ',') c = '.';
    }
  }
  return s;
}

std::string FormatRupiah(uint64_t amount, Lang lang) { return "Rp " + GroupDigits(amount, lang); }

}  // namespace jejak
