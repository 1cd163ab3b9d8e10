#include "documents/audit_xlsx.h"

#include <sys/stat.h>
#include <xlsxwriter.h>

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "ledger/pkh/records.h"

namespace jejak {
namespace {

struct Formats {
  lxw_format* header = nullptr;
  lxw_format* rupiah = nullptr;
  lxw_format* text = nullptr;
  lxw_format* bold = nullptr;
};

Formats MakeFormats(lxw_workbook* wb) {
  Formats f;
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xDDDDDD);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  f.rupiah = workbook_add_format(wb);
  format_set_num_format(f.rupiah, "\"Rp \"#,##0");
  f.text = workbook_add_format(wb);
  format_set_num_format(f.text, "@");
  f.bold = workbook_add_format(wb);
  format_set_bold(f.bold);
  return f;
}

std::string LeafList(const Finding& f) {
  std::string out;
  for (const LeafRef& l : f.leaves) {
    if (!out.empty()) out += ' ';
    out += fmt::format("{}#{}", l.log, l.leaf);
  }
  return out;
}

// The summary: the audit's frame, then one row per finding type.
void SummarySheet(lxw_workbook* wb, const Formats& fm, const AuditReport& r, Lang lang) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, lang == Lang::kId ? "Ringkasan" : "Summary");
  const std::array<std::pair<std::string_view, std::string>, 4> frame = {{
      {Pick(lang, "Tahap", "Stage"), r.stage},
      {Pick(lang, "Tanggal audit", "Audit date"), r.as_of},
      {Pick(lang, "Saat audit", "Audit moment"), r.moment},
      {Pick(lang, "Jadwal penyaluran", "Disbursement window"), r.window_from + " – " + r.window_to},
  }};
  // Row 0 is the table's header, frozen and filtered; the frame sits to its
  // right so that the filter covers the table alone.
  const std::array<std::string_view, 4> header = {
      Pick(lang, "Jenis temuan", "Finding type"), Pick(lang, "Keterangan", "Description"),
      Pick(lang, "Jumlah temuan", "Findings"), Pick(lang, "Jumlah (Rp)", "Amount (Rp)")};
  for (size_t c = 0; c < header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), std::string(header[c]).c_str(),
                           fm.header);
  }
  std::array<uint64_t, kFindingTypeCount> amount{};
  for (const Finding& f : r.findings) {
    if (f.amount) amount[static_cast<size_t>(f.type)] += *f.amount;
  }
  for (size_t t = 0; t < kFindingTypeCount; ++t) {
    const auto type = static_cast<FindingType>(t);
    const lxw_row_t row = static_cast<lxw_row_t>(t + 1);
    worksheet_write_string(ws, row, 0, std::string(FindingTypeName(type)).c_str(), fm.text);
    worksheet_write_string(ws, row, 1, std::string(FindingTypeDescription(type, lang)).c_str(),
                           nullptr);
    worksheet_write_number(ws, row, 2, static_cast<double>(r.summary[t]), nullptr);
    worksheet_write_number(ws, row, 3, static_cast<double>(amount[t]), fm.rupiah);
  }
  for (size_t i = 0; i < frame.size(); ++i) {
    worksheet_write_string(ws, static_cast<lxw_row_t>(i), 5, std::string(frame[i].first).c_str(),
                           fm.bold);
    worksheet_write_string(ws, static_cast<lxw_row_t>(i), 6, frame[i].second.c_str(), fm.text);
  }
  worksheet_set_column(ws, 0, 0, 26, nullptr);
  worksheet_set_column(ws, 1, 1, 60, nullptr);
  worksheet_set_column(ws, 2, 3, 16, nullptr);
  worksheet_set_column(ws, 5, 6, 24, nullptr);
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_autofilter(ws, 0, 0, kFindingTypeCount, 3);
}

void WriteText(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const std::string& s,
               const Formats& fm) {
  if (!s.empty()) worksheet_write_string(ws, row, col, s.c_str(), fm.text);
}

void WriteAmount(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::optional<uint64_t> v,
                 const Formats& fm) {
  if (v) worksheet_write_number(ws, row, col, static_cast<double>(*v), fm.rupiah);
}

// One sheet per type with findings: the columns of AuditCsv but the type.
void FindingSheet(lxw_workbook* wb, const Formats& fm, FindingType type,
                  const std::vector<const Finding*>& findings, const RevealMap* reveal) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, std::string(FindingTypeName(type)).c_str());
  std::vector<std::string> header = {"stage", "kabupaten", "kpm"};
  if (reveal != nullptr) header.push_back("id_kpm");
  for (const char* h : {"txn_ref", "complaint_id", "lembaga_bayar", "amount", "expected_amount",
                        "detail", "leaves"}) {
    header.push_back(h);
  }
  for (size_t c = 0; c < header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(), fm.header);
  }
  lxw_row_t row = 1;
  for (const Finding* f : findings) {
    lxw_col_t c = 0;
    WriteText(ws, row, c++, f->stage, fm);
    WriteText(ws, row, c++, f->kabupaten, fm);
    WriteText(ws, row, c++, f->kpm ? PseudonymHex(*f->kpm) : "", fm);
    if (reveal != nullptr) {
      auto it = f->kpm ? reveal->find(*f->kpm) : reveal->end();
      WriteText(ws, row, c++, it != reveal->end() ? it->second : "", fm);
    }
    WriteText(ws, row, c++, f->txn_ref, fm);
    WriteText(ws, row, c++, f->complaint_id, fm);
    WriteText(ws, row, c++, f->lembaga_bayar, fm);
    WriteAmount(ws, row, c++, f->amount, fm);
    WriteAmount(ws, row, c++, f->expected_amount, fm);
    WriteText(ws, row, c++, f->detail, fm);
    WriteText(ws, row, c++, LeafList(*f), fm);
    ++row;
  }
  const lxw_col_t last = static_cast<lxw_col_t>(header.size() - 1);
  worksheet_set_column(ws, 0, 1, 11, nullptr);
  worksheet_set_column(ws, 2, 2, 34, nullptr);
  worksheet_set_column(ws, 3, last - 2, 18, nullptr);
  worksheet_set_column(ws, last - 1, last - 1, 60, nullptr);
  worksheet_set_column(ws, last, last, 40, nullptr);
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_autofilter(ws, 0, 0, row - 1, last);
}

}  // namespace

Status WriteAuditXlsx(const AuditReport& report, const RevealMap* reveal, Lang lang,
                      const std::string& path) {
  const std::string tmp = path + ".tmp";
  lxw_workbook* wb = workbook_new(tmp.c_str());
  if (wb == nullptr) return IOError(fmt::format("{}: cannot create the workbook", tmp));
  const Formats fm = MakeFormats(wb);
  SummarySheet(wb, fm, report, lang);
  std::array<std::vector<const Finding*>, kFindingTypeCount> by_type;
  for (const Finding& f : report.findings) by_type[static_cast<size_t>(f.type)].push_back(&f);
  for (size_t t = 0; t < kFindingTypeCount; ++t) {
    if (!by_type[t].empty()) FindingSheet(wb, fm, static_cast<FindingType>(t), by_type[t], reveal);
  }
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    std::remove(tmp.c_str());
    return IOError(fmt::format("{}: libxlsxwriter: {}", path, lxw_strerror(err)));
  }
  // Owner only, as every audit report: with --reveal it holds identifiers.
  if (::chmod(tmp.c_str(), 0600) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return IOError(fmt::format("{}: cannot rename {} over it", path, tmp));
  }
  return Status::Ok();
}

}  // namespace jejak
