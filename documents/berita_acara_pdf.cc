#include "documents/berita_acara_pdf.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "crypto/encoding.h"
#include "documents/internal/pdf.h"
#include "documents/internal/text.h"
#include "documents/qr.h"
#include "ledger/pkh/records.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

using internal::Align;
using internal::Font;
using internal::kA4Height;
using internal::kA4Width;
using internal::kLeft;
using internal::kRight;
using internal::kShade;
using internal::kSmall;
using internal::kWidth;
using internal::LongDate;
using internal::Pdf;
using internal::QrImage;
using internal::Rgb;
using internal::RoleText;
using internal::UpperAscii;
using internal::WibMinutes;

constexpr double kTop = 40, kBottom = kA4Height - 34;
constexpr double kQrGap = 6;
constexpr Font kBody{"DejaVu Sans", 9, false};
constexpr Font kBodyBold{"DejaVu Sans", 9, true};
constexpr Font kMono{"DejaVu Sans Mono", 8, false};
constexpr Font kMonoBold{"DejaVu Sans Mono", 8, true};
constexpr Rgb kBlack{0, 0, 0};
constexpr Rgb kStripe{0.96, 0.96, 0.96};
constexpr Rgb kDraftRed{0.75, 0.05, 0.05};

constexpr std::string_view kTitle = "BERITA ACARA PENETAPAN DATA BAYAR";

struct LembagaBayarTotal {
  uint64_t families = 0;
  uint64_t amount = 0;
};

// What every page shares: the document, the language, the codes, the count.
struct Layout {
  const BeritaAcaraPrint& doc;
  Lang lang;
  std::vector<std::unique_ptr<QrImage>> qr;
  size_t pages = 1;
  size_t rows_per_page = 0;
  double annex_pitch = 0;
  // The QR codes: the band they fill above the bottom margin, and each
  // code's top-left corner (rows of as many as fit, right-aligned).
  double qr_band = 0;
  std::vector<std::pair<double, double>> qr_at;
  // The foot's text: beside the codes when they leave room, else above them.
  double foot_top = kBottom - 44;
  double foot_width = kWidth;
  double content_bottom = kBottom - 54;  // the lowest y the body may reach

  bool draft() const { return !doc.tlog_proof.has_value(); }
  std::string_view T(std::string_view id, std::string_view en) const { return Pick(lang, id, en); }
};

// The top line of every page.
void PageHead(Pdf& pdf, const Layout& l) {
  pdf.SetColor(kBlack);
  pdf.Text(kLeft, kTop - 17, kWidth - 185,
           fmt::format("Berita acara penetapan data bayar · {} {}", l.T("Nomor", "Number"),
                       l.doc.ba.number),
           Font{"DejaVu Sans", 6.5, false});
  if (l.draft()) {
    pdf.SetColor(kDraftRed);
    pdf.Text(kRight - 180, kTop - 17.5, 180,
             std::string(l.T("DRAFT — BELUM DICATAT DI LOG", "DRAFT — NOT IN THE LOG")),
             Font{"DejaVu Sans", 7, true}, Align::kRight);
    pdf.SetColor(kBlack);
    pdf.Watermark("DRAFT", kDraftRed);
  }
  pdf.Rule(kLeft, kTop - 6, kRight, kTop - 6, 0.4);
}

// The foot of every page: the page number, what the codes are, the codes.
void PageFoot(Pdf& pdf, const Layout& l, size_t page) {
  const BeritaAcara& ba = l.doc.ba;
  pdf.SetColor(kBlack);
  pdf.Rule(kLeft, l.foot_top - 5, kRight, l.foot_top - 5, 0.4);
  double y = l.foot_top;
  y +=
      pdf.Text(kLeft, y, l.foot_width,
               fmt::format("{} {} {} {}", l.T("Halaman", "Page"), page, l.T("dari", "of"), l.pages),
               kBodyBold) +
      1;
  y += pdf.Text(kLeft, y, l.foot_width,
                fmt::format("{} {} · {} {} · {}", l.T("Nomor", "Number"), ba.number,
                            l.T("Tahap", "Stage"), ba.stage, ba.kabupaten),
                kSmall) +
       3;
  std::string note;
  if (l.draft()) {
    pdf.SetColor(kDraftRed);
    note =
        std::string(l.T("DRAFT: berita acara ini belum dicatat di log Jejak; tidak memuat kode "
                        "QR dan belum dapat diverifikasi.",
                        "DRAFT: this berita acara is not in the Jejak log yet; it carries no QR "
                        "code and cannot be verified."));
  } else if (l.qr.size() == 1) {
    note = fmt::format("{} {} {} {}.",
                       l.T("Kode QR: bukti C2SP tlog-proof pernyataan berita acara ini, leaf",
                           "QR code: the C2SP tlog-proof of this berita acara's statement, leaf"),
                       l.doc.leaf_index, l.T("log", "of log"), ba.origin);
  } else {
    note = fmt::format("{} {} {} {}, {} {} {}",
                       l.T("Kode QR: bukti C2SP tlog-proof pernyataan berita acara ini, leaf",
                           "QR codes: the C2SP tlog-proof of this berita acara's statement, leaf"),
                       l.doc.leaf_index, l.T("log", "of log"), ba.origin, l.T("dalam", "in"),
                       l.qr.size(),
                       l.T("bagian \"jejak-qr K/N\" yang digabung berurutan (pindai semuanya).",
                           "parts \"jejak-qr K/N\" joined in order (scan them all)."));
  }
  pdf.Text(kLeft, y, l.foot_width, note, kSmall);
  pdf.SetColor(kBlack);
  for (size_t i = 0; i < l.qr.size(); ++i) pdf.Qr(l.qr_at[i].first, l.qr_at[i].second, *l.qr[i]);
}

double Row(Pdf& pdf, double y, const std::vector<double>& widths,
           const std::vector<std::string>& cells, const std::vector<Align>& align, const Font& font,
           const Rgb* shade = nullptr) {
  return internal::TableRow(pdf, kLeft, y, widths, cells, align, font, shade);
}

double Heading(Pdf& pdf, double y, std::string_view text) {
  return pdf.Text(kLeft, y, kWidth, text, kBodyBold) + 4;
}

double CoverHeader(Pdf& pdf, const Layout& l, double y) {
  const BeritaAcara& ba = l.doc.ba;
  y +=
      pdf.Text(kLeft, y, kWidth, "KEMENTERIAN SOSIAL REPUBLIK INDONESIA · PROGRAM KELUARGA HARAPAN",
               kSmall, Align::kCenter);
  const std::string office =
      l.doc.office.empty()
          ? fmt::format("DINAS SOSIAL · {} {}", l.T("KODE WILAYAH", "REGION"), ba.kabupaten)
          : UpperAscii(l.doc.office);
  y += pdf.Text(kLeft, y + 2, kWidth, office, Font{"DejaVu Sans", 13, true}, Align::kCenter) + 2;
  y += pdf.Text(
      kLeft, y, kWidth,
      fmt::format("{} {} · log {}", l.T("Kode wilayah", "Region code"), ba.kabupaten, ba.origin),
      kSmall, Align::kCenter);
  pdf.Rule(kLeft, y + 4, kRight, y + 4, 1.2);
  pdf.Rule(kLeft, y + 6, kRight, y + 6, 0.4);
  y += 16;
  y += pdf.Text(kLeft, y, kWidth, kTitle, Font{"DejaVu Sans", 14, true}, Align::kCenter);
  if (l.lang == Lang::kEn) {
    y += pdf.Text(kLeft, y, kWidth, "(minute fixing the payment data)", kBody, Align::kCenter);
  }
  y += pdf.Text(kLeft, y + 2, kWidth, fmt::format("{}: {}", l.T("Nomor", "Number"), ba.number),
                Font{"DejaVu Sans", 10, false}, Align::kCenter) +
       8;
  return y;
}

double Details(Pdf& pdf, const Layout& l, double y) {
  const BeritaAcara& ba = l.doc.ba;
  std::vector<std::pair<std::string, std::string>> rows = {
      {std::string(l.T("Tanggal", "Date")), LongDate(ba.date, l.lang)},
      {std::string(l.T("Tahap", "Stage")), ba.stage},
      {std::string(l.T("Kabupaten/kota", "Kabupaten/kota")),
       l.doc.office.empty() ? ba.kabupaten : fmt::format("{} ({})", ba.kabupaten, l.doc.office)},
      {std::string(l.T("Jumlah KPM", "Families (KPM)")), GroupDigits(ba.rows.size(), l.lang)},
      {std::string(l.T("Jumlah bantuan", "Total amount")), FormatRupiah(ba.total_amount, l.lang)},
      {std::string(l.T("Akar rekaman", "Records root")), Base64Encode(ba.records_root)},
      {std::string(l.T("Ukuran log tata kelola", "Governance size")),
       GroupDigits(ba.governance_size, l.lang)},
      {"Status", l.draft()
                     ? std::string(l.T("DRAFT — belum dicatat di log", "DRAFT — not in the log"))
                     : fmt::format("{} {}, leaf {}", l.T("tercatat di log", "in the log"),
                                   ba.origin, l.doc.leaf_index)},
  };
  for (const auto& [label, value] : rows) {
    // The root in the monospace font: one line, and every character plain.
    const Font& font = value == rows[5].second ? kMono : kBody;
    const double h =
        std::max(pdf.Text(kLeft + 160, y + (&font == &kMono ? 0.8 : 0), kWidth - 160, value, font),
                 pdf.Text(kLeft, y, 158, label, kBodyBold));
    y += h + 1.5;
  }
  return y + 6;
}

double PerLembagaBayar(Pdf& pdf, const Layout& l, double y) {
  const BeritaAcara& ba = l.doc.ba;
  std::map<std::string, LembagaBayarTotal> by;
  for (const BeritaAcaraRow& r : ba.rows) {
    auto& t = by[r.lembaga_bayar];
    ++t.families;
    t.amount += r.amount;
  }
  const std::string intro =
      l.lang == Lang::kId
          ? fmt::format(
                "Dinas Sosial menetapkan data bayar bantuan sosial PKH tahap {} sebanyak "
                "{} KPM dengan jumlah {}, dengan rincian per lembaga bayar sebagai berikut:",
                ba.stage, GroupDigits(ba.rows.size(), l.lang),
                FormatRupiah(ba.total_amount, l.lang))
          : fmt::format(
                "The Dinas Sosial fixes the PKH payment data of stage {}: {} families "
                "(KPM) for a total of {}, per lembaga bayar as follows:",
                ba.stage, GroupDigits(ba.rows.size(), l.lang),
                FormatRupiah(ba.total_amount, l.lang));
  y += pdf.Text(kLeft, y, kWidth, intro, kBody) + 6;
  const std::vector<double> w = {kWidth * 0.4, kWidth * 0.25, kWidth * 0.35};
  const std::vector<Align> a = {Align::kLeft, Align::kRight, Align::kRight};
  pdf.Rule(kLeft, y, kRight, y, 0.3);
  y += Row(pdf, y, w,
           {std::string(l.T("Lembaga bayar", "Lembaga bayar")),
            std::string(l.T("Jumlah KPM", "Families (KPM)")),
            std::string(l.T("Jumlah bantuan", "Amount"))},
           a, kBodyBold, &kShade);
  for (const auto& [name, t] : by) {
    y += Row(pdf, y, w, {name, GroupDigits(t.families, l.lang), FormatRupiah(t.amount, l.lang)}, a,
             kBody);
  }
  y += Row(pdf, y, w,
           {std::string(l.T("Jumlah", "Total")), GroupDigits(ba.rows.size(), l.lang),
            FormatRupiah(ba.total_amount, l.lang)},
           a, kBodyBold, &kStripe);
  return y + 12;
}

double Signatures(Pdf& pdf, const Layout& l, double y) {
  const BeritaAcara& ba = l.doc.ba;
  y += Heading(pdf, y, l.T("PENANDATANGAN", "SIGNATORIES"));
  const std::vector<double> w = {28, kWidth * 0.23, kWidth * 0.37, kWidth * 0.14,
                                 kWidth * 0.26 - 28};
  const std::vector<Align> a(5, Align::kLeft);
  pdf.Rule(kLeft, y, kRight, y, 0.3);
  y += Row(pdf, y, w,
           {"No", std::string(l.T("Nama", "Name")), std::string(l.T("ID kunci", "Key ID")),
            std::string(l.T("Peran", "Role")), std::string(l.T("Waktu", "Time"))},
           a, kBodyBold, &kShade);
  const std::string time = WibMinutes(ba.timestamp_ms);
  for (size_t i = 0; i < ba.signatures.size(); ++i) {
    const BeritaAcaraSignature& s = ba.signatures[i];
    const std::string role = i < l.doc.roles.size() ? l.doc.roles[i] : "";
    y += Row(pdf, y, w,
             {std::to_string(i + 1), s.key_name.empty() ? "—" : s.key_name,
              Base64Encode(s.public_key), role.empty() ? "—" : RoleText(role, l.lang), time},
             a, kBody);
  }
  y += 3;
  y += pdf.Text(kLeft, y, kWidth,
                l.T("Tanda tangan Ed25519 atas pernyataan berita acara, yang mengikat akar "
                    "rekaman seluruh baris lampiran; waktu: stempel waktu pernyataan itu.",
                    "Ed25519 signatures over the berita acara's statement, which binds the "
                    "records root of every annex row; time: that statement's timestamp."),
                kSmall) +
       10;
  return y;
}

double Verification(Pdf& pdf, const Layout& l, double y) {
  const BeritaAcara& ba = l.doc.ba;
  std::string text;
  if (l.draft()) {
    text = std::string(
        l.T("DRAFT. Berita acara ini belum ditambahkan ke log Jejak kabupaten. Dokumen ini tidak "
            "memuat kode QR dan tidak dapat diverifikasi; cetak ulang dari node kabupaten setelah "
            "berita acara diajukan (jejak ba print KABDIR --number ...).",
            "DRAFT. This berita acara has not been appended to the kabupaten's Jejak log. The "
            "document carries no QR code and cannot be verified; print it again from the "
            "kabupaten's node once it is submitted (jejak ba print KABDIR --number ...)."));
  } else {
    text = fmt::format(
        "{} {} {} {}. {}",
        l.T("Berita acara ini tercatat di log", "This berita acara is in the log"), ba.origin,
        l.T("sebagai pernyataan pada leaf", "as the statement at leaf"), l.doc.leaf_index,
        l.T("Kode QR di setiap halaman memuat buktinya (C2SP tlog-proof); periksa tanpa "
            "jaringan: jejak proof verify BERKAS --key KUNCI-LOG.",
            "The QR codes on every page hold its proof (C2SP tlog-proof); check it offline: "
            "jejak proof verify FILE --key LOG-KEY."));
  }
  const Font& font = l.draft() ? kBody : kSmall;
  const double h = pdf.Text(kLeft + 8, y + 5, kWidth - 16, text, font, Align::kLeft, false);
  // Many signatories can fill the page: the foot says the same in brief.
  if (y + h + 10 > l.content_bottom) return y;
  if (l.draft()) pdf.SetColor(kDraftRed);
  pdf.StrokeRect(kLeft, y, kWidth, h + 10, l.draft() ? 1.5 : 0.6);
  pdf.Text(kLeft + 8, y + 5, kWidth - 16, text, font);
  pdf.SetColor(kBlack);
  return y + h + 18;
}

void Cover(Pdf& pdf, const Layout& l, bool summary) {
  PageHead(pdf, l);
  double y = CoverHeader(pdf, l, kTop);
  y = Details(pdf, l, y);
  y = PerLembagaBayar(pdf, l, y);
  if (summary) {
    y += pdf.Text(kLeft, y - 6, kWidth,
                  fmt::format("{} ({} {}).",
                              l.T("Ringkasan: lampiran daftar KPM tidak dicetak",
                                  "Summary: the annex listing the families is not printed"),
                              GroupDigits(l.doc.ba.rows.size(), l.lang), l.T("baris", "rows")),
                  kSmall) +
         6;
  } else {
    y += pdf.Text(kLeft, y - 6, kWidth,
                  fmt::format("{} {}–{}.",
                              l.T("Daftar KPM terlampir: Lampiran, halaman",
                                  "The families are listed in the annex, pages"),
                              2, l.pages),
                  kSmall) +
         6;
  }
  y = Signatures(pdf, l, y);
  Verification(pdf, l, y);
  PageFoot(pdf, l, 1);
}

constexpr double kAnnexHeadHeight = 40;

void AnnexPage(Pdf& pdf, const Layout& l, size_t page, size_t first, size_t end) {
  const BeritaAcara& ba = l.doc.ba;
  PageHead(pdf, l);
  double y = kTop;
  pdf.Text(kLeft, y, kWidth,
           fmt::format("{} {} — {}", l.T("LAMPIRAN BERITA ACARA NOMOR", "ANNEX TO BERITA ACARA"),
                       ba.number, l.T("DAFTAR KPM", "FAMILIES (KPM)")),
           kBodyBold);
  pdf.Text(
      kLeft, y + 13, kWidth,
      fmt::format("{} {} · {} {}–{} {} {}", l.T("Tahap", "Stage"), ba.stage, l.T("baris", "rows"),
                  GroupDigits(first + 1, l.lang), GroupDigits(end, l.lang), l.T("dari", "of"),
                  GroupDigits(ba.rows.size(), l.lang)),
      kSmall);
  y += kAnnexHeadHeight - 14;
  const std::vector<double> w = {50, 210, 110, kWidth - 370};
  const std::vector<Align> a = {Align::kRight, Align::kLeft, Align::kLeft, Align::kRight};
  y += Row(pdf, y, w,
           {"No", std::string(l.T("Pseudonim KPM", "KPM pseudonym")),
            std::string(l.T("Lembaga bayar", "Lembaga bayar")),
            std::string(l.T("Jumlah (Rp)", "Amount (Rp)"))},
           a, kMonoBold, &kShade);
  // One layout per column: a page of rows costs four layouts, not hundreds.
  const double pitch = l.annex_pitch;
  for (size_t i = first; i < end; i += 2) {
    pdf.FillRect(kLeft, y + 2 + (i - first) * pitch, kWidth, pitch, kStripe);
  }
  std::string col[4];
  for (size_t i = first; i < end; ++i) {
    const BeritaAcaraRow& r = ba.rows[i];
    const char* sep = i + 1 < end ? "\n" : "";
    col[0] += std::to_string(i + 1) + sep;
    col[1] += PseudonymHex(r.kpm) + sep;
    col[2] += r.lembaga_bayar + sep;
    col[3] += GroupDigits(r.amount, l.lang) + sep;
  }
  pdf.SetColor(kBlack);
  double x = kLeft;
  for (size_t c = 0; c < 4; ++c) {
    pdf.Text(x + 3, y + 2, w[c] - 6, col[c], kMono, a[c]);
    x += w[c];
  }
  PageFoot(pdf, l, page);
}

// Rows of as many codes as the width holds, the last row at the bottom
// margin, each row right-aligned.
void PlaceQrCodes(Layout& l) {
  if (l.qr.empty()) return;
  double side = 0;
  for (const auto& q : l.qr) side = std::max(side, q->side());
  const size_t n = l.qr.size();
  const size_t per_row =
      std::max<size_t>(1, static_cast<size_t>((kWidth + kQrGap) / (side + kQrGap)));
  const size_t rows = (n + per_row - 1) / per_row;
  l.qr_band = static_cast<double>(rows) * side + static_cast<double>(rows - 1) * kQrGap;
  const double widest = static_cast<double>(std::min(per_row, n)) * (side + kQrGap) - kQrGap;
  if (kWidth - widest - 12 >= 170) {
    l.foot_top = kBottom - l.qr_band;
    l.foot_width = kWidth - widest - 12;
  } else {
    l.foot_top = kBottom - l.qr_band - 48;
    l.foot_width = kWidth;
  }
  l.content_bottom = l.foot_top - 10;
  for (size_t i = 0; i < n; ++i) {
    const size_t row = i / per_row, col = i % per_row;
    const size_t in_row = std::min(per_row, n - row * per_row);
    const double row_width = static_cast<double>(in_row) * (side + kQrGap) - kQrGap;
    l.qr_at.emplace_back(kRight - row_width + static_cast<double>(col) * (side + kQrGap),
                         kBottom - l.qr_band + static_cast<double>(row) * (side + kQrGap));
  }
}

}  // namespace

Result<PrintedPdf> WriteBeritaAcaraPdf(const BeritaAcaraPrint& doc,
                                       const BeritaAcaraPdfOptions& options,
                                       const std::string& path) {
  Layout l{doc, options.lang};
  PrintedPdf out;
  if (doc.tlog_proof) {
    std::vector<std::string> contents;
    ASSIGN_OR_RETURN(contents, QrContents(*doc.tlog_proof));
    for (const std::string& c : contents) {
      QrSymbol symbol;
      ASSIGN_OR_RETURN(symbol, EncodeQr(c));
      l.qr.push_back(std::make_unique<QrImage>(symbol));
    }
    out.qr_codes = l.qr.size();
    out.qr_bytes = doc.tlog_proof->size();
  }
  std::unique_ptr<Pdf> pdf;
  ASSIGN_OR_RETURN(pdf, Pdf::Create(fmt::format("{} {}", kTitle, doc.ba.number)));
  PlaceQrCodes(l);
  l.annex_pitch = pdf->LinePitch(kMono);
  // The annex table starts below its heading and column header row.
  const double header_row = pdf->Text(0, 0, kWidth, "No", kMonoBold, Align::kLeft, false) + 5;
  const double annex_top = kTop + kAnnexHeadHeight - 14 + header_row;
  l.rows_per_page =
      std::max<size_t>(1, static_cast<size_t>((l.content_bottom - annex_top - 4) / l.annex_pitch));
  const size_t n = doc.ba.rows.size();
  if (!options.summary) l.pages = 1 + (n + l.rows_per_page - 1) / l.rows_per_page;
  Cover(*pdf, l, options.summary);
  for (size_t page = 2, first = 0; page <= l.pages; ++page, first += l.rows_per_page) {
    pdf->NextPage();
    AnnexPage(*pdf, l, page, first, std::min(n, first + l.rows_per_page));
  }
  RETURN_IF_ERROR(pdf->Finish(path));
  out.pages = l.pages;
  return out;
}

}  // namespace jejak
