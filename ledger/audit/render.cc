// The renderings of an audit report: JSON (specs/audit.md), CSV and text.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "ledger/audit/audit.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

using Json = nlohmann::ordered_json;

constexpr auto& kSeverityOrder = kFindingSeverityOrder;

// Findings listed per kabupaten and type in the text report before "and N more".
constexpr size_t kTextListed = 25;

std::string KpmHex(const Finding& f) { return f.kpm ? PseudonymHex(*f.kpm) : ""; }

const std::string* Revealed(const Finding& f, const RevealMap* reveal) {
  if (reveal == nullptr || !f.kpm) return nullptr;
  auto it = reveal->find(*f.kpm);
  return it == reveal->end() ? nullptr : &it->second;
}

Json TotalsJson(const KabupatenTotals& t) {
  Json j;
  j["approved"] = t.approved;
  j["approved_amount"] = t.approved_amount;
  j["paid"] = t.paid;
  j["paid_amount"] = t.paid_amount;
  j["paid_families"] = t.paid_families;
  j["failed"] = t.failed;
  j["returned"] = t.returned;
  j["unpaid"] = t.unpaid;
  j["on_bnba"] = t.on_bnba;
  Json months = Json::object();
  for (const auto& [month, n] : t.verified_by_month) months[month] = n;
  j["verified_by_month"] = std::move(months);
  return j;
}

Json ComplaintsJson(const ComplaintTotals& t) {
  Json j;
  j["received"] = t.received;
  j["answered_in_time"] = t.answered_in_time;
  j["overdue"] = t.overdue;
  j["open"] = t.open;
  j["oldest_overdue"] = t.oldest_overdue.empty() ? Json(nullptr) : Json(t.oldest_overdue);
  return j;
}

// "3 h 5 min", "2 d 4 h": how long after a deadline.
std::string Duration(int64_t seconds) {
  if (seconds < 3600) return fmt::format("{} min {} s", seconds / 60, seconds % 60);
  if (seconds < 86400) return fmt::format("{} h {} min", seconds / 3600, seconds / 60 % 60);
  return fmt::format("{} d {} h", seconds / 86400, seconds / 3600 % 24);
}

Json LembagaJson(const LembagaTotals& t) {
  Json j;
  j["receipts"] = t.receipts;
  j["paid"] = t.paid;
  j["paid_amount"] = t.paid_amount;
  j["failed"] = t.failed;
  j["failed_amount"] = t.failed_amount;
  j["returned"] = t.returned;
  j["returned_amount"] = t.returned_amount;
  return j;
}

Json Optional(const std::optional<uint64_t>& v) { return v ? Json(*v) : Json(nullptr); }
Json NullIfEmpty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string LeafList(const Finding& f) {
  std::string out;
  for (const LeafRef& l : f.leaves) {
    if (!out.empty()) out += ' ';
    out += fmt::format("{}#{}", l.log, l.leaf);
  }
  return out;
}

}  // namespace

std::string AuditJson(const AuditReport& r, const RevealMap* reveal) {
  Json j;
  j["stage"] = r.stage;
  j["as_of"] = r.as_of;
  j["moment"] = r.moment;
  j["window"] = {{"from", r.window_from}, {"to", r.window_to}};
  Json logs = Json::array();
  for (const AuditedLog& l : r.logs) {
    Json o;
    o["origin"] = l.origin;
    o["kind"] = NullIfEmpty(l.kind);
    o["region"] = NullIfEmpty(l.region);
    o["size"] = l.size;
    o["root"] = Base64Encode(l.root);
    o["checkpoint"] = l.checkpoint;
    logs.push_back(std::move(o));
  }
  j["logs"] = std::move(logs);
  j["missing"] = r.missing;
  j["notes"] = r.notes;
  Json summary = Json::object();
  for (size_t t = 0; t < kFindingTypeCount; ++t) {
    summary[std::string(FindingTypeName(static_cast<FindingType>(t)))] = r.summary[t];
  }
  j["summary"] = std::move(summary);
  j["totals"] = TotalsJson(r.totals);
  j["totals"]["findings"] = r.findings.size();
  Json kab = Json::object();
  for (const auto& [code, t] : r.by_kabupaten) kab[code] = TotalsJson(t);
  j["kabupaten"] = std::move(kab);
  Json banks = Json::object();
  for (const auto& [origin, t] : r.by_lembaga) banks[origin] = LembagaJson(t);
  j["lembaga_bayar"] = std::move(banks);
  Json complaints = Json::object();
  for (const auto& [code, t] : r.complaints) complaints[code] = ComplaintsJson(t);
  j["complaints"] = std::move(complaints);
  Json late = Json::array();
  for (const LateRecordedResponse& l : r.late_responses) {
    Json o;
    o["kabupaten"] = l.kabupaten;
    o["complaint_id"] = l.complaint_id;
    o["response_id"] = l.response_id;
    o["responded_at"] = l.responded_at;
    o["recorded_after_deadline_seconds"] = l.recorded_after_deadline_seconds;
    o["leaf"] = {{"log", l.leaf.log}, {"leaf_index", l.leaf.leaf}};
    late.push_back(std::move(o));
  }
  j["responses_recorded_after_deadline"] = std::move(late);
  Json findings = Json::array();
  for (const Finding& f : r.findings) {
    Json o;
    o["type"] = FindingTypeName(f.type);
    o["stage"] = f.stage;
    o["kabupaten"] = NullIfEmpty(f.kabupaten);
    o["kpm"] = f.kpm ? Json(PseudonymHex(*f.kpm)) : Json(nullptr);
    if (reveal != nullptr) {
      const std::string* id = Revealed(f, reveal);
      o["id_kpm"] = id != nullptr ? Json(*id) : Json(nullptr);
    }
    o["txn_ref"] = NullIfEmpty(f.txn_ref);
    o["complaint_id"] = NullIfEmpty(f.complaint_id);
    o["lembaga_bayar"] = NullIfEmpty(f.lembaga_bayar);
    o["amount"] = Optional(f.amount);
    o["expected_amount"] = Optional(f.expected_amount);
    o["detail"] = f.detail;
    Json leaves = Json::array();
    for (const LeafRef& l : f.leaves) {
      Json lo;
      lo["log"] = l.log;
      lo["leaf_index"] = l.leaf;
      lo["role"] = l.role;
      if (l.proof) {
        lo["leaf_hash"] = l.leaf_hash ? Json(Base64Encode(*l.leaf_hash)) : Json(nullptr);
        lo["tree_size"] = l.proof_size;
        Json proof = Json::array();
        for (const Hash& h : *l.proof) proof.push_back(Base64Encode(h));
        lo["proof"] = std::move(proof);
        if (!l.tlog_proof.empty()) lo["tlog_proof"] = l.tlog_proof;
      }
      leaves.push_back(std::move(lo));
    }
    o["leaves"] = std::move(leaves);
    findings.push_back(std::move(o));
  }
  j["findings"] = std::move(findings);
  return j.dump(1) + "\n";
}

std::string AuditCsv(const AuditReport& r, const RevealMap* reveal) {
  std::string out = "type,stage,kabupaten,kpm,";
  if (reveal != nullptr) out += "id_kpm,";
  out += "txn_ref,complaint_id,lembaga_bayar,amount,expected_amount,detail,leaves\n";
  for (const Finding& f : r.findings) {
    out += fmt::format("{},{},{},{},", FindingTypeName(f.type), CsvCell(f.stage),
                       CsvCell(f.kabupaten), KpmHex(f));
    if (reveal != nullptr) {
      const std::string* id = Revealed(f, reveal);
      out += (id != nullptr ? CsvCell(*id) : std::string()) + ",";
    }
    out += fmt::format("{},{},{},{},{},{},{}\n", CsvCell(f.txn_ref), CsvCell(f.complaint_id),
                       CsvCell(f.lembaga_bayar), f.amount ? std::to_string(*f.amount) : "",
                       f.expected_amount ? std::to_string(*f.expected_amount) : "",
                       CsvCell(f.detail), CsvCell(LeafList(f)));
  }
  return out;
}

std::string AuditText(const AuditReport& r, const RevealMap* reveal, Lang lang) {
  std::string out;
  auto line = [&](std::string s) { out += s + "\n"; };
  // The format in `lang`: both spellings take the same arguments.
  auto T = [lang](std::string_view id, std::string_view en) {
    return fmt::runtime(lang == Lang::kId ? id : en);
  };
  auto N = [lang](uint64_t n) { return GroupDigits(n, lang); };
  line(fmt::format(T("AUDIT JEJAK — tahap {}, jadwal {} s.d. {}, per tanggal {} (saat {})",
                     "JEJAK AUDIT — stage {}, window {} to {}, as of {} (moment {})"),
                   r.stage, r.window_from, r.window_to, r.as_of, r.moment));
  line("");
  line(fmt::format(T("Log yang dibaca ({}), masing-masing pada checkpoint bertanda tangan "
                     "terakhirnya:",
                     "Logs read ({}), each at its latest signed checkpoint:"),
                   r.logs.size()));
  for (const AuditedLog& l : r.logs) {
    line(fmt::format(T("  {:<36} {:<14} {:>6} ukuran {:>12}  akar {}",
                       "  {:<36} {:<14} {:>6} size {:>12}  root {}"),
                     l.origin, l.kind.empty() ? "-" : l.kind, l.region.empty() ? "-" : l.region,
                     N(l.size), Base64Encode(l.root)));
  }
  if (!r.missing.empty()) {
    line("");
    line(fmt::format(T("TIDAK DIMILIKI node ini (temuan tentangnya tidak dapat dibuat):",
                       "MISSING from this node (findings about them cannot be made):")));
    for (const std::string& m : r.MissingIn(lang)) line("  " + m);
  }
  if (!r.notes.empty()) {
    line("");
    line(fmt::format(T("Catatan:", "Notes:")));
    for (const std::string& n : r.NotesIn(lang)) line("  - " + n);
  }

  const KabupatenTotals& t = r.totals;
  line("");
  line(fmt::format(T("TOTAL NASIONAL", "NATIONAL TOTALS")));
  line(fmt::format(T("  KPM disetujui     {:>12}   nilai disetujui Rp {:>20}",
                     "  families approved {:>12}   amount approved Rp {:>20}"),
                   N(t.approved), N(t.approved_amount)));
  line(fmt::format(T("  tanda terima bayar {:>11}   nilai dibayar   Rp {:>20}",
                     "  paid receipts     {:>12}   amount paid     Rp {:>20}"),
                   N(t.paid), N(t.paid_amount)));
  line(fmt::format(T("  gagal {}, dikembalikan {}, KPM disetujui belum tersalur {}",
                     "  failed {}, returned {}, approved families unpaid {}"),
                   N(t.failed), N(t.returned), N(t.unpaid)));
  line("");
  line(fmt::format(T("TEMUAN: {}", "FINDINGS: {}"), N(r.findings.size())));
  for (FindingType type : kSeverityOrder) {
    const uint64_t n = r.summary[static_cast<size_t>(type)];
    if (lang == Lang::kId) {
      line(fmt::format("  {:<24} {:>10}  {}", FindingTypeName(type), N(n),
                       FindingTypeDescription(type, lang)));
    } else {
      line(fmt::format("  {:<24} {:>10}", FindingTypeName(type), N(n)));
    }
  }

  // Findings per kabupaten (log-level ones with no kabupaten under "-").
  std::map<std::string, std::vector<const Finding*>> by_kab;
  for (const Finding& f : r.findings) by_kab[f.kabupaten].push_back(&f);

  line("");
  line("PER KABUPATEN");
  constexpr std::string_view kKabRow =
      "  {:<8} {:>10} {:>18} {:>10} {:>18} {:>8} {:>8} {:>8} {:>8}";
  if (lang == Lang::kId) {
    line(fmt::format(fmt::runtime(kKabRow), "wilayah", "disetujui", "disetujui Rp", "dibayar",
                     "dibayar Rp", "gagal", "kembali", "blm bayar", "temuan"));
  } else {
    line(fmt::format(fmt::runtime(kKabRow), "region", "approved", "approved Rp", "paid", "paid Rp",
                     "failed", "returned", "unpaid", "findings"));
  }
  for (const auto& [code, k] : r.by_kabupaten) {
    auto it = by_kab.find(code);
    line(fmt::format(fmt::runtime(kKabRow), code, N(k.approved), N(k.approved_amount), N(k.paid),
                     N(k.paid_amount), N(k.failed), N(k.returned), N(k.unpaid),
                     N(it == by_kab.end() ? 0 : it->second.size())));
  }
  line("");
  line(fmt::format(T("DAFTAR SASARAN (BNBA) DAN VERIFIKASI (KPM yang disetujui tahap ini)",
                     "TARGET LISTS AND VERIFICATIONS (approved families of the stage)")));
  if (lang == Lang::kId) {
    line(fmt::format("  {:<8} {:>10} {:>10} {:>8}   {}", "wilayah", "disetujui", "di BNBA", "porsi",
                     "terverifikasi per bulan (bulan sebelum berita acara)"));
  } else {
    line(fmt::format("  {:<8} {:>10} {:>10} {:>8}   {}", "region", "approved", "on BNBA", "share",
                     "verified per month (months before the berita acara)"));
  }
  for (const auto& [code, k] : r.by_kabupaten) {
    if (k.approved == 0) continue;
    std::string months;
    for (const auto& [month, n] : k.verified_by_month) {
      months += fmt::format("{}{} {}", months.empty() ? "" : ", ", month, N(n));
    }
    std::string share = fmt::format("{:>7.1f}%", 100.0 * k.on_bnba / k.approved);
    if (lang == Lang::kId) std::replace(share.begin(), share.end(), '.', ',');
    line(fmt::format(
        "  {:<8} {:>10} {:>10} {}   {}", code, N(k.approved), N(k.on_bnba), share,
        months.empty() ? std::string(lang == Lang::kId ? "tidak ada" : "none") : months));
  }
  line("");
  line(fmt::format(T("PENGADUAN TAHAP INI (wajib dijawab dalam batas jam kebijakan; saat {})",
                     "COMPLAINTS OF THE STAGE (answer due within the policy's hours; moment {})"),
                   r.moment));
  if (r.complaints.empty()) line(fmt::format(T("  tidak ada yang tercatat", "  none recorded")));
  if (!r.complaints.empty()) {
    if (lang == Lang::kId) {
      line(fmt::format("  {:<8} {:>10} {:>10} {:>10} {:>10}   {}", "wilayah", "diterima",
                       "tepat waktu", "terlambat", "terbuka", "terlambat tertua (diterima)"));
    } else {
      line(fmt::format("  {:<8} {:>10} {:>10} {:>10} {:>10}   {}", "region", "received", "in time",
                       "overdue", "open", "oldest overdue (received)"));
    }
  }
  for (const auto& [code, c] : r.complaints) {
    line(fmt::format("  {:<8} {:>10} {:>10} {:>10} {:>10}   {}", code, N(c.received),
                     N(c.answered_in_time), N(c.overdue), N(c.open),
                     c.oldest_overdue.empty() ? "-" : c.oldest_overdue));
  }
  if (!r.late_responses.empty()) {
    line("");
    line(fmt::format(T("JAWABAN BERTANGGAL TEPAT WAKTU TETAPI DICATAT SETELAH BATAS WAKTU (kata",
                       "RESPONSES DATED IN TIME BUT RECORDED AFTER THEIR DEADLINE (the operator's "
                       "word")));
    line(fmt::format(T("operator melawan jam log):", "against the log's clock):")));
    for (size_t i = 0; i < r.late_responses.size() && i < kTextListed; ++i) {
      const LateRecordedResponse& l = r.late_responses[i];
      line(fmt::format(T("  {} pengaduan {} jawaban {} bertanggal {}: dicatat {} setelah batas "
                         "waktu ({}#{})",
                         "  {} complaint {} response {} dated {}: recorded {} after the deadline "
                         "({}#{})"),
                       l.kabupaten, l.complaint_id, l.response_id, l.responded_at,
                       Duration(l.recorded_after_deadline_seconds), l.leaf.log, l.leaf.leaf));
    }
    if (r.late_responses.size() > kTextListed) {
      line(fmt::format(T("  ... dan {} lainnya (--format json memuat semuanya)",
                         "  ... and {} more (--format json lists every one)"),
                       N(r.late_responses.size() - kTextListed)));
    }
  }
  line("");
  line("PER LEMBAGA BAYAR");
  constexpr std::string_view kBankRow = "  {:<36} {:>10} {:>10} {:>18} {:>8} {:>8} {:>16}";
  if (lang == Lang::kId) {
    line(fmt::format(fmt::runtime(kBankRow), "log", "tanda terima", "dibayar", "dibayar Rp",
                     "gagal", "kembali", "kembali Rp"));
  } else {
    line(fmt::format(fmt::runtime(kBankRow), "log", "receipts", "paid", "paid Rp", "failed",
                     "returned", "returned Rp"));
  }
  for (const auto& [origin, b] : r.by_lembaga) {
    line(fmt::format(fmt::runtime(kBankRow), origin, N(b.receipts), N(b.paid), N(b.paid_amount),
                     N(b.failed), N(b.returned), N(b.returned_amount)));
  }

  for (const auto& [code, list] : by_kab) {
    line("");
    line(code.empty() ? std::string(lang == Lang::kId ? "TEMUAN YANG TIDAK TERKAIT SATU KABUPATEN"
                                                      : "FINDINGS NOT TIED TO ONE KABUPATEN")
                      : fmt::format(T("TEMUAN DI KABUPATEN {}", "FINDINGS IN KABUPATEN {}"), code));
    for (FindingType type : kSeverityOrder) {
      std::vector<const Finding*> of_type;
      for (const Finding* f : list) {
        if (f->type == type) of_type.push_back(f);
      }
      if (of_type.empty()) continue;
      // The largest amount at stake first, then the report order.
      std::stable_sort(of_type.begin(), of_type.end(), [](const Finding* a, const Finding* b) {
        return a->amount.value_or(0) > b->amount.value_or(0);
      });
      if (lang == Lang::kId) {
        line(fmt::format("  {} — {} ({})", FindingTypeName(type),
                         FindingTypeDescription(type, lang), of_type.size()));
      } else {
        line(fmt::format("  {} ({})", FindingTypeName(type), of_type.size()));
      }
      for (size_t i = 0; i < of_type.size() && i < kTextListed; ++i) {
        const Finding& f = *of_type[i];
        std::string who;
        if (f.kpm) {
          who = (lang == Lang::kId ? "KPM " : "kpm ") + KpmHex(f);
          if (const std::string* id = Revealed(f, reveal)) who += " (" + *id + ")";
          who += "  ";
        }
        if (!f.txn_ref.empty()) who += "txn " + f.txn_ref + "  ";
        if (!f.complaint_id.empty()) {
          who += (lang == Lang::kId ? "pengaduan " : "complaint ") + f.complaint_id + "  ";
        }
        if (!f.lembaga_bayar.empty()) who += f.lembaga_bayar + "  ";
        line(fmt::format("    {}{}", who, FindingDetail(f, lang)));
        line(fmt::format(T("      leaf: {}", "      leaves: {}"), LeafList(f)));
      }
      if (of_type.size() > kTextListed) {
        line(fmt::format(T("    ... dan {} lainnya (--format csv memuat setiap temuan)",
                           "    ... and {} more (--format csv lists every finding)"),
                         N(of_type.size() - kTextListed)));
      }
    }
  }
  return out;
}

}  // namespace jejak
