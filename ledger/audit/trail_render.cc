// The renderings of a family's trail: JSON (specs/trail.md), read back by
// ParseTrailJson (jejak trail --node), and text in Bahasa Indonesia or
// English.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/json_text.h"
#include "ledger/audit/trail.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kFormat = "jejak-trail-v1";
// A trail of a family over years of stages is a few hundred records; its
// proofs a few kilobytes each.
constexpr JsonLimits kTrailLimits{size_t{64} << 20, 8};
constexpr uint64_t kMaxTrailRecords = 100'000;

Json NullIfEmpty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json FieldsJson(const std::vector<EntryField>& fields) {
  Json a = Json::array();
  for (const EntryField& f : fields) a.push_back(Json{{"name", f.name}, {"value", f.value}});
  return a;
}

Json FindingJson(const Finding& f, Lang lang) {
  Json j;
  j["type"] = FindingTypeName(f.type);
  j["description"] = FindingTypeDescription(f.type, lang);
  j["stage"] = f.stage;
  j["kabupaten"] = NullIfEmpty(f.kabupaten);
  j["pseudonym"] = f.kpm ? Json(PseudonymHex(*f.kpm)) : Json(nullptr);
  j["txn_ref"] = NullIfEmpty(f.txn_ref);
  j["complaint_id"] = NullIfEmpty(f.complaint_id);
  j["lembaga_bayar"] = NullIfEmpty(f.lembaga_bayar);
  j["amount"] = f.amount ? Json(*f.amount) : Json(nullptr);
  j["expected_amount"] = f.expected_amount ? Json(*f.expected_amount) : Json(nullptr);
  j["detail"] = f.detail;
  j["detail_id"] = NullIfEmpty(f.detail_id);
  Json leaves = Json::array();
  for (const LeafRef& l : f.leaves) {
    leaves.push_back(Json{{"log", l.log}, {"leaf", l.leaf}, {"role", l.role}});
  }
  j["leaves"] = std::move(leaves);
  return j;
}

Result<std::vector<EntryField>> ParseFields(const JsonFields& f, const char* key) {
  const nlohmann::json* a;
  ASSIGN_OR_RETURN(a, f.Array(key));
  std::vector<EntryField> out;
  for (size_t i = 0; i < a->size(); ++i) {
    JsonFields e(f);
    ASSIGN_OR_RETURN(e, JsonFields::Of((*a)[i], f.where(),
                                       fmt::format("{}.{}[{}]", f.path(), key, i), f.code()));
    EntryField field;
    ASSIGN_OR_RETURN(field.name, e.Str("name"));
    ASSIGN_OR_RETURN(field.value, e.Str("value"));
    out.push_back(std::move(field));
  }
  return out;
}

Result<std::vector<std::string>> ParseStrings(const JsonFields& f, const char* key) {
  const nlohmann::json* a;
  ASSIGN_OR_RETURN(a, f.Array(key));
  std::vector<std::string> out;
  for (const auto& v : *a) {
    if (!v.is_string()) return f.Error(key, "expected an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<FindingType> ParseFindingType(const JsonFields& f) {
  std::string name;
  ASSIGN_OR_RETURN(name, f.Str("type"));
  for (size_t t = 0; t < kFindingTypeCount; ++t) {
    if (FindingTypeName(static_cast<FindingType>(t)) == name) return static_cast<FindingType>(t);
  }
  return f.Error("type", "not a finding type");
}

Result<Finding> ParseFinding(const JsonFields& f) {
  Finding out;
  ASSIGN_OR_RETURN(out.type, ParseFindingType(f));
  ASSIGN_OR_RETURN(out.stage, f.Str("stage"));
  ASSIGN_OR_RETURN(out.kabupaten, f.StrOr("kabupaten", ""));
  std::string kpm;
  ASSIGN_OR_RETURN(kpm, f.StrOr("pseudonym", ""));
  if (!kpm.empty()) {
    auto p = ParsePseudonymHex(kpm, "pseudonym");
    if (!p.ok()) return f.Check("pseudonym", p.status());
    out.kpm = *p;
  }
  ASSIGN_OR_RETURN(out.txn_ref, f.StrOr("txn_ref", ""));
  ASSIGN_OR_RETURN(out.complaint_id, f.StrOr("complaint_id", ""));
  ASSIGN_OR_RETURN(out.lembaga_bayar, f.StrOr("lembaga_bayar", ""));
  ASSIGN_OR_RETURN(out.amount, f.OptionalU64("amount"));
  ASSIGN_OR_RETURN(out.expected_amount, f.OptionalU64("expected_amount"));
  ASSIGN_OR_RETURN(out.detail, f.Str("detail"));
  ASSIGN_OR_RETURN(out.detail_id, f.StrOr("detail_id", ""));
  const nlohmann::json* leaves;
  ASSIGN_OR_RETURN(leaves, f.Array("leaves"));
  for (size_t i = 0; i < leaves->size(); ++i) {
    JsonFields l(f);
    ASSIGN_OR_RETURN(l, JsonFields::Of((*leaves)[i], f.where(),
                                       fmt::format("{}.leaves[{}]", f.path(), i), f.code()));
    LeafRef ref;
    ASSIGN_OR_RETURN(ref.log, l.Str("log"));
    ASSIGN_OR_RETURN(ref.leaf, l.U64("leaf"));
    ASSIGN_OR_RETURN(ref.role, l.Str("role"));
    out.leaves.push_back(std::move(ref));
  }
  return out;
}

Result<TrailRecord> ParseRecord(const JsonFields& f) {
  TrailRecord r;
  ASSIGN_OR_RETURN(r.date, f.Str("date"));
  std::string kind;
  ASSIGN_OR_RETURN(kind, f.Str("kind"));
  auto k = ParseTrailKind(kind);
  if (!k.ok()) return f.Check("kind", k.status());
  r.kind = *k;
  ASSIGN_OR_RETURN(r.log, f.Str("log"));
  ASSIGN_OR_RETURN(r.leaf, f.U64("leaf"));
  ASSIGN_OR_RETURN(r.statement, f.U64("statement"));
  ASSIGN_OR_RETURN(r.stage, f.StrOr("stage", ""));
  ASSIGN_OR_RETURN(r.status, f.StrOr("status", ""));
  ASSIGN_OR_RETURN(r.fields, ParseFields(f, "fields"));
  ASSIGN_OR_RETURN(r.statement_fields, ParseFields(f, "statement_fields"));
  ASSIGN_OR_RETURN(r.tlog_proof, f.StrOr("tlog_proof", ""));
  return r;
}

// --- Text ---

std::string_view KindLabel(TrailKind kind, Lang lang) {
  switch (kind) {
    case TrailKind::kTargetList:
      return Pick(lang, "daftar sasaran (BNBA)", "target list (BNBA)");
    case TrailKind::kUpdate:
      return Pick(lang, "pemutakhiran data", "data update");
    case TrailKind::kVerification:
      return Pick(lang, "verifikasi komitmen", "commitment verification");
    case TrailKind::kApproval:
      return Pick(lang, "penetapan (berita acara)", "approval (berita acara)");
    case TrailKind::kReceipt:
      return Pick(lang, "penyaluran", "disbursement");
    case TrailKind::kComplaint:
      return Pick(lang, "pengaduan", "complaint");
    case TrailKind::kResponse:
      return Pick(lang, "tanggapan pengaduan", "complaint response");
  }
  return "";
}

// The name of a record field in `lang` (DescribeEntry's names are English).
std::string_view FieldLabel(std::string_view name, Lang lang) {
  if (lang == Lang::kEn) return name;
  static constexpr std::pair<std::string_view, std::string_view> kId[] = {
      {"update id", "no. pemutakhiran"},
      {"pseudonym", "pseudonim"},
      {"effective date", "tanggal berlaku"},
      {"status", "status"},
      {"members", "anggota"},
      {"evidence sha256", "bukti (sha256)"},
      {"lembaga bayar", "lembaga bayar"},
      {"amount", "jumlah"},
      {"txn ref", "no. transaksi"},
      {"kabupaten", "kabupaten"},
      {"stage", "tahap"},
      {"paid at", "waktu bayar"},
      {"channel", "kanal"},
      {"verification id", "no. verifikasi"},
      {"month", "bulan"},
      {"commitment", "komitmen"},
      {"result", "hasil"},
      {"verified on", "tanggal verifikasi"},
      {"facility", "fasilitas"},
      {"complaint id", "no. pengaduan"},
      {"category", "kategori"},
      {"received at", "diterima"},
      {"response id", "no. tanggapan"},
      {"responded at", "ditanggapi"},
      {"action", "tindakan"},
      {"document number", "nomor dokumen"},
      {"document date", "tanggal dokumen"},
      {"document year", "tahun"},
      {"time", "waktu dicatat"},
      {"signer", "penandatangan"},
  };
  for (const auto& [en, id] : kId) {
    if (en == name) return id;
  }
  return name;
}

// Replaces the first `from` in `s` with `to`.
std::string ReplaceFirst(std::string s, std::string_view from, std::string_view to) {
  if (const size_t at = s.find(from); at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// A field's value for people: an amount ("1850000 (Rp 1,850,000)") in
// `lang`'s format, a time without its milliseconds, a signer's words in
// `lang`.
std::string FieldValue(const EntryField& f, Lang lang) {
  if (f.name == "amount") {
    auto n = ParseDecimal(std::string_view(f.value).substr(0, f.value.find(' ')));
    return n.ok() ? FormatRupiah(*n, lang) : f.value;
  }
  if (f.name == "time") return f.value.substr(0, f.value.find(" ("));
  if (f.name == "signer" && lang == Lang::kId) {
    std::string v = ReplaceFirst(f.value, "signature ", "tanda tangan ");
    v = ReplaceFirst(std::move(v), "(key ", "(kunci ");
    return ReplaceFirst(std::move(v), "(the root registrar)", "(registrar utama)");
  }
  return f.value;
}

}  // namespace

std::string TrailJson(const Trail& t, const std::string* revealed,
                      const std::vector<std::string>& proof_files) {
  Json j;
  j["format"] = kFormat;
  j["pseudonym"] = PseudonymHex(t.kpm);
  if (revealed != nullptr) j["id_kpm"] = *revealed;
  j["stage"] = NullIfEmpty(t.stage);
  j["as_of"] = t.as_of;
  j["moment"] = t.moment;
  j["node"] = t.node;
  Json records = Json::array();
  for (size_t i = 0; i < t.records.size(); ++i) {
    const TrailRecord& r = t.records[i];
    Json e;
    e["date"] = r.date;
    e["kind"] = TrailKindName(r.kind);
    e["log"] = r.log;
    e["leaf"] = r.leaf;
    e["statement"] = r.statement;
    e["stage"] = NullIfEmpty(r.stage);
    e["status"] = NullIfEmpty(r.status);
    e["fields"] = FieldsJson(r.fields);
    e["statement_fields"] = FieldsJson(r.statement_fields);
    if (!r.tlog_proof.empty()) e["tlog_proof"] = r.tlog_proof;
    if (i < proof_files.size() && !proof_files[i].empty()) e["proof_file"] = proof_files[i];
    records.push_back(std::move(e));
  }
  j["records"] = std::move(records);
  Json findings = Json::array();
  for (const Finding& f : t.findings) findings.push_back(FindingJson(f, Lang::kEn));
  j["findings"] = std::move(findings);
  j["missing"] = t.missing;
  j["notes"] = t.notes;
  j["missing_id"] = t.missing_id;
  j["notes_id"] = t.notes_id;
  return j.dump(1) + "\n";
}

Result<Trail> ParseTrailJson(std::string_view text) {
  constexpr std::string_view kWhere = "the trail";
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonDocument(text, kWhere, kTrailLimits));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, std::string(kWhere)));
  std::string format;
  ASSIGN_OR_RETURN(format, f.Str("format"));
  if (format != kFormat) return f.Error("format", fmt::format("expected {}", kFormat));
  Trail t;
  std::string kpm;
  ASSIGN_OR_RETURN(kpm, f.Str("pseudonym"));
  auto p = ParsePseudonymHex(kpm, "pseudonym");
  if (!p.ok()) return f.Check("pseudonym", p.status());
  t.kpm = *p;
  if (f.Has("id_kpm")) return f.Error("id_kpm", "a node never sends an identifier");
  ASSIGN_OR_RETURN(t.stage, f.StrOr("stage", ""));
  ASSIGN_OR_RETURN(t.as_of, f.Str("as_of"));
  ASSIGN_OR_RETURN(t.moment, f.Str("moment"));
  ASSIGN_OR_RETURN(t.node, f.Str("node"));
  const nlohmann::json* records;
  ASSIGN_OR_RETURN(records, f.Array("records"));
  if (records->size() > kMaxTrailRecords) return f.Error("records", "too many records");
  for (size_t i = 0; i < records->size(); ++i) {
    ASSIGN_OR_RETURN(JsonFields r, JsonFields::Of((*records)[i], std::string(kWhere),
                                                  fmt::format("records[{}]", i)));
    TrailRecord record;
    ASSIGN_OR_RETURN(record, ParseRecord(r));
    t.records.push_back(std::move(record));
  }
  const nlohmann::json* findings;
  ASSIGN_OR_RETURN(findings, f.Array("findings"));
  for (size_t i = 0; i < findings->size(); ++i) {
    ASSIGN_OR_RETURN(JsonFields r, JsonFields::Of((*findings)[i], std::string(kWhere),
                                                  fmt::format("findings[{}]", i)));
    Finding finding;
    ASSIGN_OR_RETURN(finding, ParseFinding(r));
    t.findings.push_back(std::move(finding));
  }
  ASSIGN_OR_RETURN(t.missing, ParseStrings(f, "missing"));
  ASSIGN_OR_RETURN(t.notes, ParseStrings(f, "notes"));
  ASSIGN_OR_RETURN(t.missing_id, ParseStrings(f, "missing_id"));
  ASSIGN_OR_RETURN(t.notes_id, ParseStrings(f, "notes_id"));
  if (t.missing_id.size() != t.missing.size() || t.notes_id.size() != t.notes.size()) {
    return f.Error("notes_id", "not one Indonesian line for each note and missing line");
  }
  return t;
}

std::string TrailText(const Trail& t, Lang lang, const std::string* revealed,
                      const std::vector<std::string>& proof_files) {
  std::string out;
  auto line = [&](std::string_view s) {
    out.append(s);
    out.push_back('\n');
  };
  line(Pick(lang, "JEJAK KPM", "FAMILY TRAIL"));
  line(
      fmt::format("{}: {}", Pick(lang, "KPM (pseudonim)", "KPM (pseudonym)"), PseudonymHex(t.kpm)));
  if (revealed != nullptr) line(fmt::format("id_kpm: {}", *revealed));
  line(fmt::format(
      "{}: {}", Pick(lang, "Tahap", "Stage"),
      t.stage.empty() ? std::string(Pick(lang, "semua tahap", "every stage")) : t.stage));
  line(fmt::format("{}: {} ({})", Pick(lang, "Per tanggal", "As of"), t.as_of, t.moment));
  line(fmt::format("{}: {}", Pick(lang, "Node", "Node"), t.node));
  line("");
  if (t.records.empty()) {
    line(Pick(lang, "Tidak ada catatan tentang KPM ini di log yang disimpan node ini.",
              "No record about this family in the logs this node holds."));
  }
  for (size_t i = 0; i < t.records.size(); ++i) {
    const TrailRecord& r = t.records[i];
    line(fmt::format(
        "{}  {}{}", r.date, KindLabel(r.kind, lang),
        r.stage.empty() ? "" : fmt::format(" ({} {})", Pick(lang, "tahap", "stage"), r.stage)));
    line(fmt::format("    {}: {} #{} ({} #{})", Pick(lang, "log", "log"), r.log, r.leaf,
                     Pick(lang, "pernyataan", "statement"), r.statement));
    for (const EntryField& f : r.fields) {
      if (f.name == "pseudonym") continue;  // the trail's own
      line(fmt::format("    {}: {}", FieldLabel(f.name, lang), FieldValue(f, lang)));
    }
    for (const EntryField& f : r.statement_fields) {
      line(fmt::format("    {}: {}", FieldLabel(f.name, lang), FieldValue(f, lang)));
    }
    line(fmt::format(
        "    {}: {}", Pick(lang, "status KPM pada tanggal itu", "family status then"),
        r.status.empty() ? std::string(Pick(lang, "tidak diketahui", "unknown")) : r.status));
    if (i < proof_files.size() && !proof_files[i].empty()) {
      line(fmt::format("    {}: {}", Pick(lang, "bukti", "proof"), proof_files[i]));
    }
  }
  line("");
  line(Pick(lang, "TEMUAN", "FINDINGS"));
  if (t.findings.empty()) {
    line(Pick(lang, "Tidak ada temuan untuk KPM ini.", "No finding about this family."));
  }
  for (const Finding& f : t.findings) {
    std::string s =
        fmt::format("{} — {} ({} {})", FindingTypeName(f.type),
                    FindingTypeDescription(f.type, lang), Pick(lang, "tahap", "stage"), f.stage);
    if (f.amount) s += fmt::format(", {}", FormatRupiah(*f.amount, lang));
    if (f.expected_amount) {
      s += fmt::format(", {} {}", Pick(lang, "seharusnya", "expected"),
                       FormatRupiah(*f.expected_amount, lang));
    }
    line(s);
    if (!FindingDetail(f, lang).empty()) line("    " + FindingDetail(f, lang));
    std::string leaves;
    for (const LeafRef& l : f.leaves) {
      leaves += fmt::format("{}{} {} #{}", leaves.empty() ? "" : "; ", l.role, l.log, l.leaf);
    }
    if (!leaves.empty()) line(fmt::format("    {}: {}", Pick(lang, "leaf", "leaves"), leaves));
  }
  if (!t.missing.empty()) {
    line("");
    line(Pick(lang, "TIDAK DISIMPAN (jejak ini bisa tidak lengkap)",
              "NOT HELD (the trail may be incomplete)"));
    for (const std::string& m : lang == Lang::kId ? t.missing_id : t.missing) line("  " + m);
  }
  line("");
  line(Pick(lang, "CATATAN", "NOTES"));
  line(Pick(lang,
            "  Log tidak diverifikasi ulang untuk jejak ini (jejak audit dan jejak verify menilai "
            "LOG_INTEGRITY); bukti tlog setiap catatan dapat diperiksa tanpa jaringan dengan "
            "jejak proof verify.",
            "  The logs were not re-verified for this trail (jejak audit and jejak verify judge "
            "LOG_INTEGRITY); each record's tlog-proof can be checked offline with jejak proof "
            "verify."));
  for (const std::string& n : lang == Lang::kId ? t.notes_id : t.notes) line("  " + n);
  return out;
}

}  // namespace jejak
