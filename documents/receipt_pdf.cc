#include "documents/receipt_pdf.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "documents/internal/pdf.h"
#include "documents/internal/text.h"
#include "documents/qr.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

using internal::Align;
using internal::Font;
using internal::kA4Height;
using internal::kA4Width;
using internal::kLeft;
using internal::kRight;
using internal::kSmall;
using internal::kWidth;
using internal::Pdf;
using internal::QrImage;

constexpr Font kBody{"DejaVu Sans", 10, false};
constexpr Font kBodyBold{"DejaVu Sans", 10, true};

std::string StatusText(ReceiptStatus s, Lang lang) {
  switch (s) {
    case ReceiptStatus::kPaid:
      return std::string(Pick(lang, "DIBAYAR", "PAID"));
    case ReceiptStatus::kFailed:
      return std::string(Pick(lang, "GAGAL", "FAILED"));
    case ReceiptStatus::kReturned:
      return std::string(Pick(lang, "DIKEMBALIKAN", "RETURNED"));
  }
  return std::string(ReceiptStatusName(s));
}

std::string Sentence(const ReceiptPrint& d, Lang lang) {
  const Receipt& r = d.receipt;
  const std::string who = d.institution.empty() ? d.origin : d.institution;
  const std::string amount = FormatRupiah(r.amount, lang);
  const std::string kpm = PseudonymHex(r.kpm);
  if (lang == Lang::kId) {
    switch (r.status) {
      case ReceiptStatus::kPaid:
        return fmt::format(
            "{} mencatat bahwa bantuan sosial PKH tahap {} sebesar {} telah "
            "disalurkan kepada KPM {} pada {} melalui {}.",
            who, r.stage, amount, kpm, r.paid_at, ChannelName(r.channel));
      case ReceiptStatus::kFailed:
        return fmt::format(
            "{} mencatat bahwa penyaluran bantuan sosial PKH tahap {} sebesar {} "
            "kepada KPM {} GAGAL pada {}.",
            who, r.stage, amount, kpm, r.paid_at);
      case ReceiptStatus::kReturned:
        return fmt::format(
            "{} mencatat bahwa bantuan sosial PKH tahap {} sebesar {} untuk KPM {} "
            "DIKEMBALIKAN pada {}.",
            who, r.stage, amount, kpm, r.paid_at);
    }
  }
  switch (r.status) {
    case ReceiptStatus::kPaid:
      return fmt::format(
          "{} recorded that the PKH assistance of stage {}, {}, was paid to the "
          "family (KPM) {} on {} through {}.",
          who, r.stage, amount, kpm, r.paid_at, ChannelName(r.channel));
    case ReceiptStatus::kFailed:
      return fmt::format(
          "{} recorded that paying the PKH assistance of stage {}, {}, to the "
          "family (KPM) {} FAILED on {}.",
          who, r.stage, amount, kpm, r.paid_at);
    case ReceiptStatus::kReturned:
      return fmt::format(
          "{} recorded that the PKH assistance of stage {}, {}, for the family "
          "(KPM) {} was RETURNED on {}.",
          who, r.stage, amount, kpm, r.paid_at);
  }
  return "";
}

}  // namespace

Result<PrintedPdf> WriteReceiptPdf(const ReceiptPrint& d, Lang lang, const std::string& path) {
  std::vector<std::string> contents;
  ASSIGN_OR_RETURN(contents, QrContents(d.tlog_proof));
  std::vector<std::unique_ptr<QrImage>> qr;
  for (const std::string& c : contents) {
    QrSymbol symbol;
    ASSIGN_OR_RETURN(symbol, EncodeQr(c));
    qr.push_back(std::make_unique<QrImage>(symbol));
  }
  const Receipt& r = d.receipt;
  std::unique_ptr<Pdf> pdf;
  ASSIGN_OR_RETURN(pdf, Pdf::Create(fmt::format("Bukti Penyaluran {}", r.txn_ref)));
  double y = 48;
  y += pdf->Text(kLeft, y, kWidth,
                 "KEMENTERIAN SOSIAL REPUBLIK INDONESIA · PROGRAM KELUARGA HARAPAN", kSmall,
                 Align::kCenter);
  y += pdf->Text(kLeft, y + 2, kWidth,
                 internal::UpperAscii(d.institution.empty() ? d.origin : d.institution),
                 Font{"DejaVu Sans", 12, true}, Align::kCenter);
  y += pdf->Text(kLeft, y, kWidth, fmt::format("{} {}", Pick(lang, "log", "log"), d.origin), kSmall,
                 Align::kCenter);
  pdf->Rule(kLeft, y + 4, kRight, y + 4, 1.2);
  y += 16;
  y += pdf->Text(kLeft, y, kWidth, "BUKTI PENYALURAN", Font{"DejaVu Sans", 16, true},
                 Align::kCenter);
  y += pdf->Text(kLeft, y, kWidth,
                 Pick(lang, "bantuan sosial PKH", "proof of disbursement of PKH assistance"), kBody,
                 Align::kCenter) +
       14;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {std::string(Pick(lang, "Nomor transaksi", "Transaction reference")), r.txn_ref},
      {std::string(Pick(lang, "Pseudonim KPM", "KPM pseudonym")), PseudonymHex(r.kpm)},
      {std::string(Pick(lang, "Kabupaten/kota", "Kabupaten/kota")), r.kabupaten},
      {std::string(Pick(lang, "Tahap", "Stage")), r.stage},
      {std::string(Pick(lang, "Jumlah", "Amount")), FormatRupiah(r.amount, lang)},
      {"Status", StatusText(r.status, lang)},
      {std::string(Pick(lang, "Tanggal", "Date")), r.paid_at},
      {std::string(Pick(lang, "Saluran", "Channel")), std::string(ChannelName(r.channel))},
      {std::string(Pick(lang, "Lembaga bayar", "Lembaga bayar")),
       d.institution.empty() ? d.origin : d.institution},
      {std::string(Pick(lang, "Tercatat di log", "In the log")),
       fmt::format("{}, leaf {}", d.origin, d.leaf_index)},
  };
  for (const auto& [label, value] : rows) {
    const double h = pdf->Text(kLeft + 160, y, kWidth - 160, value, kBody);
    pdf->Text(kLeft, y, 155, label, kBodyBold);
    y += h + 4;
  }
  y += 10;
  y += pdf->Text(kLeft, y, kWidth, Sentence(d, lang), kBody) + 16;
  // The codes, centred, in rows of as many as the width holds.
  double side = 0;
  for (const auto& q : qr) side = std::max(side, q->side());
  constexpr double kGap = 8;
  const size_t per_row = std::max<size_t>(1, static_cast<size_t>((kWidth + kGap) / (side + kGap)));
  for (size_t first = 0; first < qr.size(); first += per_row) {
    const size_t in_row = std::min(per_row, qr.size() - first);
    double x = kLeft + (kWidth - (static_cast<double>(in_row) * (side + kGap) - kGap)) / 2;
    for (size_t i = first; i < first + in_row; ++i, x += side + kGap) pdf->Qr(x, y, *qr[i]);
    y += side + kGap;
  }
  y += 4;
  const std::string how =
      qr.size() == 1
          ? std::string(Pick(lang,
                             "Kode QR memuat bukti (C2SP tlog-proof) bahwa catatan ini ada di log "
                             "lembaga bayar. Periksa tanpa jaringan: pindai, simpan teksnya, lalu "
                             "jejak proof verify BERKAS --key KUNCI-LOG.",
                             "The QR code holds the proof (C2SP tlog-proof) that this record is in "
                             "the lembaga bayar's log. Check it offline: scan it, save the text, "
                             "then jejak proof verify FILE --key LOG-KEY."))
          : fmt::format(
                "{} {} {}",
                Pick(lang,
                     "Kode QR memuat bukti (C2SP tlog-proof) bahwa catatan ini ada di log "
                     "lembaga bayar, dalam",
                     "The QR codes hold the proof (C2SP tlog-proof) that this record is in the "
                     "lembaga bayar's log, in"),
                qr.size(),
                Pick(
                    lang,
                    "bagian \"jejak-qr K/N\" yang digabung berurutan. Periksa tanpa jaringan: "
                    "pindai semuanya, simpan teksnya, lalu jejak proof verify BERKAS --key "
                    "KUNCI-LOG.",
                    "parts \"jejak-qr K/N\" joined in order. Check it offline: scan them all, save "
                    "the text, then jejak proof verify FILE --key LOG-KEY."));
  pdf->Text(kLeft, y, kWidth, how, kSmall);
  pdf->Rule(kLeft, kA4Height - 44, kRight, kA4Height - 44, 0.4);
  pdf->Text(kLeft, kA4Height - 40, kWidth / 2,
            fmt::format("{} 1 {} 1", Pick(lang, "Halaman", "Page"), Pick(lang, "dari", "of")),
            kBodyBold);
  pdf->Text(kLeft + kWidth / 2, kA4Height - 40, kWidth / 2,
            Pick(lang, "Dokumen ini tidak memuat identitas KPM: hanya pseudonimnya.",
                 "This document holds no identifier of the family: only its pseudonym."),
            kSmall, Align::kRight);
  RETURN_IF_ERROR(pdf->Finish(path));
  PrintedPdf out;
  out.pages = 1;
  out.qr_codes = qr.size();
  out.qr_bytes = d.tlog_proof.size();
  return out;
}

}  // namespace jejak
