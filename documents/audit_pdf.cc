#include "documents/audit_pdf.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "crypto/encoding.h"
#include "documents/internal/pdf.h"
#include "ledger/pkh/records.h"

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
using internal::Pdf;
using internal::Rgb;

constexpr double kTop = 48, kBottom = kA4Height - 60;
constexpr Font kBody{"DejaVu Sans", 9, false};
constexpr Font kBodyBold{"DejaVu Sans", 9, true};
constexpr Font kTable{"DejaVu Sans", 7.5, false};
constexpr Font kSmallTable{"DejaVu Sans", 7, false};
constexpr Font kTableBold{"DejaVu Sans", 7.5, true};
constexpr Font kSection{"DejaVu Sans", 11, true};
constexpr Rgb kBar{0.18, 0.36, 0.62};
constexpr Rgb kRiskBar{0.72, 0.25, 0.15};

// Lays the report out page after page. Run twice: once to count the pages,
// once to print "Halaman X dari Y".
class Report {
 public:
  Report(Pdf& pdf, const AuditReport& r, const RevealMap* reveal, Lang lang, size_t pages)
      : pdf_(pdf), r_(r), reveal_(reveal), lang_(lang), pages_(pages) {}

  size_t Run() {
    Head();
    Summary();
    Charts();
    PerKabupaten();
    PerLembaga();
    Findings();
    Foot();
    return page_;
  }

 private:
  std::string_view T(std::string_view id, std::string_view en) const { return Pick(lang_, id, en); }
  std::string N(uint64_t n) const { return GroupDigits(n, lang_); }
  std::string Rp(uint64_t n) const { return FormatRupiah(n, lang_); }

  void Foot() {
    pdf_.Rule(kLeft, kA4Height - 44, kRight, kA4Height - 44, 0.4);
    pdf_.Text(kLeft, kA4Height - 40, kWidth / 2,
              fmt::format("{} {} {} {}", T("Halaman", "Page"), page_, T("dari", "of"), pages_),
              kBodyBold);
    pdf_.Text(kLeft + kWidth / 2, kA4Height - 40, kWidth / 2,
              fmt::format("{} · {} {}", T("Laporan Hasil Audit Jejak", "Jejak audit report"),
                          T("tahap", "stage"), r_.stage),
              kSmall, Align::kRight);
  }
  void Break() {
    Foot();
    pdf_.NextPage();
    ++page_;
    y_ = kTop;
  }
  void Need(double h) {
    if (y_ + h > kBottom) Break();
  }
  void Section(std::string_view title) {
    Need(60);
    y_ += 8;
    y_ += pdf_.Text(kLeft, y_, kWidth, title, kSection) + 4;
  }
  void Para(const std::string& text, const Font& font = kBody) {
    const double h = pdf_.Text(kLeft, y_, kWidth, text, font, Align::kLeft, false);
    Need(h);
    y_ += pdf_.Text(kLeft, y_, kWidth, text, font) + 3;
  }
  // A table: the header row again at the top of each page it runs over.
  void Table(const std::vector<double>& widths, const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows) {
    std::vector<Align> align(widths.size(), Align::kRight);
    align[0] = Align::kLeft;
    auto head = [&] {
      pdf_.Rule(kLeft, y_, kRight, y_, 0.3);
      y_ += internal::TableRow(pdf_, kLeft, y_, widths, header, align, kTableBold, &kShade);
    };
    Need(40);
    head();
    for (const auto& row : rows) {
      if (y_ + 14 > kBottom) {
        Break();
        head();
      }
      y_ += internal::TableRow(pdf_, kLeft, y_, widths, row, align, kTable);
    }
    y_ += 6;
  }
  // Horizontal bars, the longest `max` wide.
  void Bars(const std::vector<std::pair<std::string, uint64_t>>& bars,
            const std::vector<std::string>& values, const Rgb& color) {
    uint64_t max = 1;
    for (const auto& [label, v] : bars) max = std::max(max, v);
    constexpr double kLabel = 175, kValue = 90, kBarHeight = 9, kPitch = 13;
    const double span = kWidth - kLabel - kValue - 8;
    Need(kPitch * std::min<size_t>(bars.size(), 6) + 8);
    for (size_t i = 0; i < bars.size(); ++i) {
      Need(kPitch);
      pdf_.Text(kLeft, y_ + 0.5, kLabel - 4, bars[i].first, kSmallTable, Align::kRight);
      const double w = span * static_cast<double>(bars[i].second) / static_cast<double>(max);
      if (bars[i].second > 0) {
        pdf_.FillRect(kLeft + kLabel, y_ + 0.5, std::max(w, 1.0), kBarHeight, color);
      }
      pdf_.Text(kLeft + kLabel + w + 4, y_, kValue + span - w, values[i], kTable);
      y_ += kPitch;
    }
    pdf_.Rule(kLeft + kLabel, y_ - kPitch * static_cast<double>(bars.size()) - 2, kLeft + kLabel,
              y_, 0.5);
    y_ += 6;
  }

  void Head() {
    y_ = kTop;
    y_ += pdf_.Text(kLeft, y_, kWidth, "JEJAK · PROGRAM KELUARGA HARAPAN", kSmall, Align::kCenter);
    y_ += pdf_.Text(kLeft, y_ + 2, kWidth, T("LAPORAN HASIL AUDIT", "AUDIT REPORT"),
                    Font{"DejaVu Sans", 15, true}, Align::kCenter) +
          2;
    y_ += pdf_.Text(
        kLeft, y_, kWidth,
        fmt::format("{} {} · {} {} {} {} · {} {} ({} {})", T("Tahap", "Stage"), r_.stage,
                    T("jadwal penyaluran", "window"), r_.window_from, T("s.d.", "to"), r_.window_to,
                    T("per tanggal", "as of"), r_.as_of, T("saat", "moment"), r_.moment),
        kBody, Align::kCenter);
    pdf_.Rule(kLeft, y_ + 4, kRight, y_ + 4, 1.2);
    y_ += 10;
  }

  void Summary() {
    Section(T("1. Ringkasan", "1. Summary"));
    const KabupatenTotals& t = r_.totals;
    Para(fmt::format(
        "{} {} {}; {} {}.",
        T("Log yang dibaca, masing-masing pada checkpoint bertanda tangan terakhirnya:",
          "Logs read, each at its latest signed checkpoint:"),
        r_.logs.size(), T("log", "logs"), T("temuan", "findings"), N(r_.findings.size())));
    Table({kWidth * 0.4, kWidth * 0.2, kWidth * 0.4},
          {std::string(T("Total nasional", "National totals")), std::string(T("Jumlah", "Count")),
           std::string(T("Nilai", "Amount"))},
          {{std::string(T("KPM disetujui", "Families approved")), N(t.approved),
            Rp(t.approved_amount)},
           {std::string(T("Tanda terima dibayar", "Paid receipts")), N(t.paid), Rp(t.paid_amount)},
           {std::string(T("Gagal", "Failed")), N(t.failed), ""},
           {std::string(T("Dikembalikan", "Returned")), N(t.returned), ""},
           {std::string(T("KPM disetujui belum tersalur", "Approved families unpaid")), N(t.unpaid),
            ""}});
    if (!r_.missing.empty()) {
      Para(std::string(T("TIDAK DIMILIKI node ini (temuan tentangnya tidak dapat dibuat):",
                         "MISSING from this node (findings about them cannot be made):")),
           kBodyBold);
      for (const std::string& m : r_.MissingIn(lang_)) Para("• " + m, kSmall);
    }
    if (!r_.notes.empty()) {
      Para(std::string(T("Catatan:", "Notes:")), kBodyBold);
      for (const std::string& n : r_.NotesIn(lang_)) Para("• " + n, kSmall);
    }
    std::vector<std::vector<std::string>> logs;
    for (const AuditedLog& l : r_.logs) {
      logs.push_back({l.origin, l.kind.empty() ? "-" : l.kind, l.region.empty() ? "-" : l.region,
                      N(l.size), Base64Encode(l.root)});
    }
    Table({kWidth * 0.27, kWidth * 0.12, kWidth * 0.08, kWidth * 0.1, kWidth * 0.43},
          {"log", std::string(T("jenis", "kind")), std::string(T("wilayah", "region")),
           std::string(T("ukuran", "size")), std::string(T("akar", "root"))},
          logs);
  }

  void Charts() {
    Section(T("2. Temuan menurut jenis", "2. Findings by type"));
    std::vector<std::pair<std::string, uint64_t>> bars;
    std::vector<std::string> values;
    for (FindingType type : kFindingSeverityOrder) {
      const uint64_t n = r_.summary[static_cast<size_t>(type)];
      bars.emplace_back(std::string(FindingTypeName(type)), n);
      values.push_back(N(n));
    }
    Bars(bars, values, kBar);
    std::map<std::string, uint64_t> risk;
    for (const Finding& f : r_.findings) {
      if (!f.kabupaten.empty() && f.amount) risk[f.kabupaten] += *f.amount;
    }
    std::vector<std::pair<std::string, uint64_t>> top(risk.begin(), risk.end());
    std::stable_sort(top.begin(), top.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (top.size() > 10) top.resize(10);
    Section(T("3. Kabupaten dengan nilai berisiko terbesar",
              "3. Kabupaten with the largest amounts at risk"));
    Para(std::string(T("Nilai berisiko: jumlah nilai seluruh temuan yang menyebut nilai, per "
                       "kabupaten (10 terbesar).",
                       "Amount at risk: the sum of the amounts of the findings that name one, "
                       "per kabupaten (the 10 largest).")),
         kSmall);
    if (top.empty()) {
      Para(std::string(T("Tidak ada temuan bernilai.", "No finding names an amount.")));
      return;
    }
    values.clear();
    for (const auto& [code, v] : top) values.push_back(Rp(v));
    Bars(top, values, kRiskBar);
  }

  void PerKabupaten() {
    Section(T("4. Per kabupaten", "4. Per kabupaten"));
    std::map<std::string, uint64_t> findings;
    for (const Finding& f : r_.findings) ++findings[f.kabupaten];
    std::vector<std::vector<std::string>> rows;
    for (const auto& [code, k] : r_.by_kabupaten) {
      auto it = findings.find(code);
      rows.push_back({code, N(k.approved), N(k.approved_amount), N(k.paid), N(k.paid_amount),
                      N(k.failed), N(k.returned), N(k.unpaid),
                      N(it == findings.end() ? 0 : it->second)});
    }
    const double w = kWidth / 11;
    Table({w, w, w * 1.75, w, w * 1.75, w, w * 1.25, w * 1.25, w},
          {std::string(T("wilayah", "region")), std::string(T("disetujui", "approved")),
           std::string(T("disetujui Rp", "approved Rp")), std::string(T("dibayar", "paid")),
           std::string(T("dibayar Rp", "paid Rp")), std::string(T("gagal", "failed")),
           std::string(T("dikembalikan", "returned")), std::string(T("belum tersalur", "unpaid")),
           std::string(T("temuan", "findings"))},
          rows);
  }

  void PerLembaga() {
    Section(T("5. Per lembaga bayar", "5. Per lembaga bayar"));
    std::vector<std::vector<std::string>> rows;
    for (const auto& [origin, b] : r_.by_lembaga) {
      rows.push_back({origin, N(b.receipts), N(b.paid), N(b.paid_amount), N(b.failed),
                      N(b.returned), N(b.returned_amount)});
    }
    if (rows.empty()) {
      Para(std::string(T("Tidak ada log lembaga bayar.", "No lembaga bayar log.")));
      return;
    }
    const double w = kWidth / 10;
    Table({w * 2.6, w, w, w * 1.6, w * 0.9, w * 1.2, w * 1.7},
          {"log", std::string(T("tanda terima", "receipts")), std::string(T("dibayar", "paid")),
           std::string(T("dibayar Rp", "paid Rp")), std::string(T("gagal", "failed")),
           std::string(T("dikembalikan", "returned")),
           std::string(T("dikembalikan Rp", "returned Rp"))},
          rows);
  }

  std::string Who(const Finding& f) const {
    std::string who;
    if (f.kpm) {
      who = "KPM " + PseudonymHex(*f.kpm);
      if (reveal_ != nullptr) {
        if (auto it = reveal_->find(*f.kpm); it != reveal_->end()) who += " (" + it->second + ")";
      }
      who += "  ";
    }
    if (!f.txn_ref.empty()) who += "txn " + f.txn_ref + "  ";
    if (!f.complaint_id.empty()) {
      who += std::string(T("pengaduan ", "complaint ")) + f.complaint_id + "  ";
    }
    if (!f.lembaga_bayar.empty()) who += f.lembaga_bayar + "  ";
    // A no-break space keeps "Rp" with its digits.
    if (f.amount) who += "Rp\u00a0" + N(*f.amount) + "  ";
    return who;
  }

  void Findings() {
    Section(T("6. Temuan dan rujukan leaf", "6. Findings and their leaves"));
    Para(std::string(T("Setiap temuan menyebut leaf log tempatnya bersandar (log#leaf); buktinya: "
                       "jejak audit --proofs-dir, diperiksa dengan jejak proof verify.",
                       "Each finding names the log leaves it rests on (log#leaf); their proofs: "
                       "jejak audit --proofs-dir, checked with jejak proof verify.")),
         kSmall);
    std::map<std::string, std::vector<const Finding*>> by_kab;
    for (const Finding& f : r_.findings) by_kab[f.kabupaten].push_back(&f);
    if (by_kab.empty()) Para(std::string(T("Tidak ada temuan.", "No findings.")));
    for (const auto& [code, list] : by_kab) {
      Need(50);
      y_ += 4;
      Para(code.empty()
               ? std::string(T("TEMUAN YANG TIDAK TERKAIT SATU KABUPATEN",
                               "FINDINGS NOT TIED TO ONE KABUPATEN"))
               : fmt::format("{} {}", T("TEMUAN DI KABUPATEN", "FINDINGS IN KABUPATEN"), code),
           kBodyBold);
      for (FindingType type : kFindingSeverityOrder) {
        std::vector<const Finding*> of_type;
        for (const Finding* f : list) {
          if (f->type == type) of_type.push_back(f);
        }
        if (of_type.empty()) continue;
        std::stable_sort(of_type.begin(), of_type.end(), [](const Finding* a, const Finding* b) {
          return a->amount.value_or(0) > b->amount.value_or(0);
        });
        Para(fmt::format("{} — {} ({})", FindingTypeName(type), FindingTypeDescription(type, lang_),
                         of_type.size()),
             kBodyBold);
        for (size_t i = 0; i < of_type.size() && i < kPdfListed; ++i) {
          const Finding& f = *of_type[i];
          std::string leaves;
          for (const LeafRef& l : f.leaves) {
            leaves += fmt::format("{}{}#{}", leaves.empty() ? "" : " ", l.log, l.leaf);
          }
          Para(fmt::format("{}{}\n    leaf: {}", Who(f), FindingDetail(f, lang_), leaves), kSmall);
        }
        if (of_type.size() > kPdfListed) {
          Para(fmt::format("... {} {} {} (--format csv / xlsx)", T("dan", "and"),
                           N(of_type.size() - kPdfListed), T("lainnya", "more")),
               kSmall);
        }
      }
    }
  }

  Pdf& pdf_;
  const AuditReport& r_;
  const RevealMap* reveal_;
  Lang lang_;
  size_t pages_;
  size_t page_ = 1;
  double y_ = kTop;
};

}  // namespace

Result<size_t> WriteAuditPdf(const AuditReport& report, const RevealMap* reveal, Lang lang,
                             const std::string& path) {
  const std::string title =
      fmt::format("{} {}", Pick(lang, "Laporan Hasil Audit", "Audit report"), report.stage);
  std::unique_ptr<Pdf> count;
  ASSIGN_OR_RETURN(count, Pdf::Create(title));
  const size_t pages = Report(*count, report, reveal, lang, 0).Run();
  std::unique_ptr<Pdf> pdf;
  ASSIGN_OR_RETURN(pdf, Pdf::Create(title));
  Report(*pdf, report, reveal, lang, pages).Run();
  RETURN_IF_ERROR(pdf->Finish(path, 0600));
  return pages;
}

}  // namespace jejak
