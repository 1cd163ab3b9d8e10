// What each finding type means, in a sentence, for reports in Bahasa
// Indonesia and English. The type names stay as they are (they are the
// interface); these sit beside them.
#include <array>

#include "ledger/audit/audit.h"

namespace jejak {
namespace {

struct Description {
  std::string_view id, en;
};

constexpr std::array<Description, kFindingTypeCount> kDescriptions = {{
    {"dibayar tanpa persetujuan dalam berita acara", "paid without an approval in a berita acara"},
    {"dibayar lebih dari sekali dalam satu tahap", "paid more than once in one stage"},
    {"jumlah dibayar berbeda dari jumlah yang disetujui",
     "paid amount differs from the approved amount"},
    {"dibayar di luar jadwal penyaluran tahap", "paid outside the stage's disbursement window"},
    {"dibayar kepada KPM yang tidak aktif", "paid to a family that is not active"},
    {"disetujui tetapi belum tersalur setelah jadwal berakhir",
     "approved but not paid after the window closed"},
    {"disetujui padahal KPM tidak aktif pada tanggal berita acara",
     "approved although the family was not active on the berita acara date"},
    {"jumlah disetujui berbeda dari hak bantuan menurut indeks",
     "approved amount differs from the entitlement under the benefit index"},
    {"pernyataan ditandatangani oleh pihak tanpa kewenangan",
     "statement signed without the authority"},
    {"log gagal diverifikasi", "a log fails verification"},
    {"dua checkpoint yang bertentangan dari satu log (ekuivokasi)",
     "two checkpoints of one log that cannot both be true"},
    {"disetujui tanpa tercantum dalam daftar BNBA", "approved without being on a BNBA target list"},
    {"disetujui padahal komitmen tidak dipenuhi (seharusnya ditangguhkan)",
     "approved while commitments were failed (should have been suspended)"},
    {"pengaduan tidak dijawab dalam batas waktu", "complaint not answered in time"},
    {"dibayar menurut bank tetapi KPM mengadu tidak menerima",
     "paid according to the bank, but the family complains it received nothing"},
}};

}  // namespace

std::string_view FindingTypeDescription(FindingType type, Lang lang) {
  const Description& d = kDescriptions[static_cast<size_t>(type)];
  return lang == Lang::kId ? d.id : d.en;
}

}  // namespace jejak
