#include "documents/internal/text.h"

#include <fmt/format.h>

#include "ledger/pkh/values.h"

namespace jejak::internal {

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string LongDate(std::string_view iso_date, Lang lang) {
  static constexpr std::string_view kId[] = {"Januari",   "Februari", "Maret",    "April",
                                             "Mei",       "Juni",     "Juli",     "Agustus",
                                             "September", "Oktober",  "November", "Desember"};
  static constexpr std::string_view kEn[] = {"January",   "February", "March",    "April",
                                             "May",       "June",     "July",     "August",
                                             "September", "October",  "November", "December"};
  if (!ParseIsoDate(iso_date).ok() || iso_date.size() != 10) return std::string(iso_date);
  const int month = (iso_date[5] - '0') * 10 + (iso_date[6] - '0');
  const int day = (iso_date[8] - '0') * 10 + (iso_date[9] - '0');
  const std::string_view name = lang == Lang::kId ? kId[month - 1] : kEn[month - 1];
  return fmt::format("{} {} {} ({})", day, name, iso_date.substr(0, 4), iso_date);
}

std::string WibMinutes(int64_t ms) {
  const std::string wib = FormatWib(ms / 1000);  // YYYY-MM-DDTHH:MM:SS+07:00
  return fmt::format("{} {} WIB", wib.substr(0, 10), wib.substr(11, 5));
}

std::string RoleText(std::string_view role, Lang lang) {
  if (lang == Lang::kEn) return std::string(role);
  if (role == "approver") return "penyetuju";
  if (role == "operator") return "operator";
  if (role == "payer") return "pembayar";
  if (role == "registrar") return "registrar";
  if (role == "auditor") return "auditor";
  return std::string(role);
}

}  // namespace jejak::internal
