#include "ledger/pkh/berita_acara.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/files.h"
#include "crypto/json_text.h"
#include "ledger/log/merkle.h"
#include "ledger/pkh/internal/berita_acara_common.h"
#include "ledger/pkh/values.h"

namespace jejak {

namespace internal {

// "a; b; c and 2 more".
std::string ListSome(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < kMaxListed; ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  if (items.size() > kMaxListed) out += fmt::format(" and {} more", items.size() - kMaxListed);
  return out;
}

Status ValidateNumber(std::string_view number) {
  if (number.empty() || number.size() > kMaxBeritaAcaraNumberBytes ||
      !ValidUtf8(number, Utf8Rules{})) {
    return InvalidArgument(
        fmt::format("the berita acara number must be 1 to {} bytes of printable UTF-8",
                    kMaxBeritaAcaraNumberBytes));
  }
  return Status::Ok();
}

Result<Hash> RootOf(const BeritaAcara& ba) {
  std::vector<Bytes> leaves;
  ASSIGN_OR_RETURN(leaves, BeritaAcaraRecordLeaves(ba));
  std::vector<Hash> hashes;
  hashes.reserve(leaves.size());
  for (const Bytes& leaf : leaves) hashes.push_back(LeafHash(leaf));
  return RootOfLeafHashes(hashes);
}

// The sum of the amounts; InvalidArgument if it does not fit.
Result<uint64_t> TotalOf(const std::vector<BeritaAcaraRow>& rows) {
  uint64_t total = 0;
  for (const BeritaAcaraRow& r : rows) {
    if (r.amount > std::numeric_limits<uint64_t>::max() - total) {
      return InvalidArgument("the total amount of the berita acara does not fit in 64 bits");
    }
    total += r.amount;
  }
  return total;
}

}  // namespace internal

namespace {

using internal::ListSome;
using internal::RootOf;
using internal::TotalOf;
using internal::ValidateNumber;

using Json = nlohmann::json;

// --- JSON ---

// A berita acara file holds at most this many bytes and rows (a kabupaten
// approves far fewer families in one stage), and nests no deeper than its
// format does.
constexpr JsonLimits kBeritaAcaraJson{size_t{64} << 20, 4};
constexpr size_t kMaxBeritaAcaraRows = 500'000;

using Fields = JsonFields;

template <size_t N>
Result<std::array<uint8_t, N>> Base64Field(const Fields& f, const char* key) {
  std::string s;
  ASSIGN_OR_RETURN(s, f.Str(key));
  auto b = Base64DecodeFixed<N>(s);
  if (!b.ok()) return f.Error(key, b.status().message());
  return *b;
}

Result<BeritaAcaraRow> DecodeRow(const Json& j, const std::string& where, size_t i) {
  ASSIGN_OR_RETURN(Fields f, Fields::Of(j, where, fmt::format("records[{}]", i)));
  RETURN_IF_ERROR(f.Only({"kpm", "lembaga_bayar", "amount"}, kBeritaAcaraFormat));
  BeritaAcaraRow row;
  std::string kpm;
  ASSIGN_OR_RETURN(kpm, f.Str("kpm"));
  auto bytes = HexDecode(kpm);
  if (kpm.size() != 32 || kpm.find_first_not_of("0123456789abcdef") != std::string::npos ||
      !bytes.ok()) {
    return f.Error("kpm", "expected a pseudonym of 32 lowercase hex digits");
  }
  std::copy(bytes->begin(), bytes->end(), row.kpm.begin());
  ASSIGN_OR_RETURN(row.lembaga_bayar, f.Str("lembaga_bayar"));
  RETURN_IF_ERROR(
      f.Check("lembaga_bayar",
              ValidateShortText(row.lembaga_bayar, kMaxLembagaBayarBytes, "lembaga_bayar")));
  ASSIGN_OR_RETURN(row.amount, f.U64("amount", kMaxRupiah));
  return row;
}

Result<BeritaAcaraSignature> DecodeSignature(const Json& j, const std::string& where, size_t i) {
  ASSIGN_OR_RETURN(Fields f, Fields::Of(j, where, fmt::format("signatures[{}]", i)));
  RETURN_IF_ERROR(f.Only({"key_name", "public_key", "signature"}, kBeritaAcaraFormat));
  BeritaAcaraSignature s;
  ASSIGN_OR_RETURN(s.key_name, f.Str("key_name"));
  if (!ValidKeyName(s.key_name)) {
    return f.Error("key_name", "expected a key name (no spaces or '+')");
  }
  ASSIGN_OR_RETURN(s.public_key, Base64Field<32>(f, "public_key"));
  ASSIGN_OR_RETURN(s.signature, Base64Field<64>(f, "signature"));
  return s;
}

// The document fields, as Decode reads them before checking the records.
Status DecodeHead(const Fields& f, BeritaAcara& ba) {
  RETURN_IF_ERROR(
      f.Only({"format", "origin", "kabupaten", "stage", "number", "date", "governance_size",
              "timestamp_ms", "records_root", "rows", "total_amount", "records", "signatures"},
             kBeritaAcaraFormat));
  std::string format;
  ASSIGN_OR_RETURN(format, f.Str("format"));
  if (format != kBeritaAcaraFormat) {
    return f.Error("format", fmt::format("expected \"{}\"", kBeritaAcaraFormat));
  }
  ASSIGN_OR_RETURN(ba.origin, f.Str("origin"));
  if (ba.origin.empty() || !ValidKeyName(ba.origin)) {
    return f.Error("origin", "expected a log origin (no spaces or '+')");
  }
  ASSIGN_OR_RETURN(ba.kabupaten, f.Str("kabupaten"));
  RETURN_IF_ERROR(f.Check(
      "kabupaten", ValidateRegionCode(ba.kabupaten, RegionLevel::kKabupaten, "the kabupaten")));
  ASSIGN_OR_RETURN(ba.stage, f.Str("stage"));
  RETURN_IF_ERROR(f.Check("stage", ParseStageId(ba.stage).status()));
  ASSIGN_OR_RETURN(ba.number, f.Str("number"));
  RETURN_IF_ERROR(f.Check("number", ValidateNumber(ba.number)));
  ASSIGN_OR_RETURN(ba.date, f.Str("date"));
  RETURN_IF_ERROR(f.Check("date", ParseIsoDate(ba.date).status()));
  ASSIGN_OR_RETURN(ba.governance_size, f.U64("governance_size", UINT64_MAX));
  uint64_t ts;
  ASSIGN_OR_RETURN(ts, f.U64("timestamp_ms", INT64_MAX));
  ba.timestamp_ms = static_cast<int64_t>(ts);
  ASSIGN_OR_RETURN(ba.records_root, Base64Field<32>(f, "records_root"));
  return Status::Ok();
}

// The rows, total and root must be what the records make: a file changed by
// hand is refused before anyone signs or submits it.
Status CheckRecordsAgree(const BeritaAcara& ba, uint64_t rows, uint64_t total,
                         std::string_view where) {
  if (ba.rows.empty()) return InvalidArgument(fmt::format("{}: records: no records", where));
  if (rows != ba.rows.size()) {
    return Corruption(
        fmt::format("{}: rows says {} but the file holds {} records: the file was changed", where,
                    rows, ba.rows.size()));
  }
  std::map<Pseudonym, size_t> seen;
  for (size_t i = 0; i < ba.rows.size(); ++i) {
    auto [it, fresh] = seen.emplace(ba.rows[i].kpm, i);
    if (!fresh) {
      return Corruption(
          fmt::format("{}: records[{}] repeats the KPM of records[{}]", where, i, it->second));
    }
  }
  uint64_t sum;
  ASSIGN_OR_RETURN(sum, TotalOf(ba.rows));
  if (sum != total) {
    return Corruption(
        fmt::format("{}: total_amount says {} but the records add up to {}: the file was changed",
                    where, FormatRupiah(total), FormatRupiah(sum)));
  }
  Hash root;
  ASSIGN_OR_RETURN(root, RootOf(ba));
  if (root != ba.records_root) {
    return Corruption(fmt::format(
        "{}: records_root does not match the records (they make {}): the file was changed", where,
        Base64Encode(root)));
  }
  return Status::Ok();
}

Status CheckSignatures(const BeritaAcara& ba, std::string_view where) {
  const Bytes message = StatementSigningBytes(BeritaAcaraHeader(ba));
  std::map<PublicKey, size_t> seen;
  for (size_t i = 0; i < ba.signatures.size(); ++i) {
    const BeritaAcaraSignature& s = ba.signatures[i];
    auto [it, fresh] = seen.emplace(s.public_key, i);
    if (!fresh) {
      return InvalidArgument(fmt::format("{}: signatures[{}] repeats the key of signatures[{}]",
                                         where, i, it->second));
    }
    if (!VerifySignature(s.public_key, message, s.signature)) {
      return PermissionDenied(fmt::format(
          "{}: signatures[{}] ({}, {}) does not verify over this berita acara: it was signed "
          "over other content, or the file was changed after signing",
          where, i, s.key_name, Base64Encode(s.public_key)));
    }
  }
  return Status::Ok();
}

// --- Drafting ---

}  // namespace

StatementHeader BeritaAcaraHeader(const BeritaAcara& ba) {
  StatementHeader h;
  h.origin = ba.origin;
  h.type = std::string(kTypeApproval);
  h.stage = ba.stage;
  h.region = ba.kabupaten;
  h.timestamp_ms = ba.timestamp_ms;
  h.record_count = ba.rows.size();
  h.records_root = ba.records_root;
  h.governance_size = ba.governance_size;
  h.regions = {ba.kabupaten};
  h.document_number = ba.number;
  h.document_date = ba.date;
  return h;
}

Result<std::vector<Bytes>> BeritaAcaraRecordLeaves(const BeritaAcara& ba) {
  std::vector<Bytes> leaves;
  leaves.reserve(ba.rows.size());
  for (const BeritaAcaraRow& r : ba.rows) {
    Bytes leaf;
    ASSIGN_OR_RETURN(leaf, EncodePkhRecord(Approval{r.kpm, r.lembaga_bayar, r.amount}));
    leaves.push_back(std::move(leaf));
  }
  return leaves;
}

std::string EncodeBeritaAcara(const BeritaAcara& ba) {
  auto line = [](std::string_view key, const Json& value) {
    return fmt::format("  {}: {},\n", Json(key).dump(), value.dump());
  };
  std::string out = "{\n";
  out += line("format", kBeritaAcaraFormat);
  out += line("origin", ba.origin);
  out += line("kabupaten", ba.kabupaten);
  out += line("stage", ba.stage);
  out += line("number", ba.number);
  out += line("date", ba.date);
  out += line("governance_size", ba.governance_size);
  out += line("timestamp_ms", ba.timestamp_ms);
  out += line("records_root", Base64Encode(ba.records_root));
  out += line("rows", ba.rows.size());
  out += line("total_amount", ba.total_amount);
  // One record and one signature per line: readable, and diffs show rows.
  out += "  \"records\": [";
  for (size_t i = 0; i < ba.rows.size(); ++i) {
    nlohmann::ordered_json r;
    r["kpm"] = PseudonymHex(ba.rows[i].kpm);
    r["lembaga_bayar"] = ba.rows[i].lembaga_bayar;
    r["amount"] = ba.rows[i].amount;
    out += (i == 0 ? "\n    " : ",\n    ") + r.dump();
  }
  out += ba.rows.empty() ? "],\n" : "\n  ],\n";
  out += "  \"signatures\": [";
  for (size_t i = 0; i < ba.signatures.size(); ++i) {
    nlohmann::ordered_json s;
    s["key_name"] = ba.signatures[i].key_name;
    s["public_key"] = Base64Encode(ba.signatures[i].public_key);
    s["signature"] = Base64Encode(ba.signatures[i].signature);
    out += (i == 0 ? "\n    " : ",\n    ") + s.dump();
  }
  out += ba.signatures.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

Result<BeritaAcara> DecodeBeritaAcara(std::string_view text, std::string_view where_view) {
  const std::string where(where_view);
  ASSIGN_OR_RETURN(Json j, ParseJsonDocument(text, where, kBeritaAcaraJson));
  ASSIGN_OR_RETURN(Fields f, Fields::Of(j, where));
  BeritaAcara ba;
  RETURN_IF_ERROR(DecodeHead(f, ba));
  uint64_t rows, total;
  ASSIGN_OR_RETURN(rows, f.U64("rows", UINT64_MAX));
  ASSIGN_OR_RETURN(total, f.U64("total_amount", UINT64_MAX));
  ba.total_amount = total;
  const Json* records;
  ASSIGN_OR_RETURN(records, f.Array("records"));
  if (records->size() > kMaxBeritaAcaraRows) {
    return f.Error("records", fmt::format("more than {} rows", kMaxBeritaAcaraRows));
  }
  ba.rows.reserve(records->size());
  for (size_t i = 0; i < records->size(); ++i) {
    BeritaAcaraRow row;
    ASSIGN_OR_RETURN(row, DecodeRow((*records)[i], where, i));
    ba.rows.push_back(std::move(row));
  }
  const Json* signatures;
  ASSIGN_OR_RETURN(signatures, f.Array("signatures"));
  for (size_t i = 0; i < signatures->size(); ++i) {
    BeritaAcaraSignature s;
    ASSIGN_OR_RETURN(s, DecodeSignature((*signatures)[i], where, i));
    ba.signatures.push_back(std::move(s));
  }
  RETURN_IF_ERROR(CheckRecordsAgree(ba, rows, total, where));
  RETURN_IF_ERROR(CheckSignatures(ba, where));
  return ba;
}

Status WriteBeritaAcara(const std::string& path, const BeritaAcara& ba, bool no_clobber) {
  return WriteFileAtomic(path, EncodeBeritaAcara(ba), 0644, no_clobber);
}

Result<BeritaAcara> ReadBeritaAcara(const std::string& path) {
  std::string text;
  ASSIGN_OR_RETURN(text, ReadFile(path, kBeritaAcaraJson.max_bytes));
  return DecodeBeritaAcara(text, path);
}

std::string BeritaAcaraWarning::ToString() const {
  return line == 0 ? message : fmt::format("line {}: {}", line, message);
}

Status SignBeritaAcara(BeritaAcara& ba, const SigningKey& key, std::string_view key_name) {
  return AddBeritaAcaraSignature(ba, key.public_key(),
                                 key.Sign(StatementSigningBytes(BeritaAcaraHeader(ba))), key_name);
}

Status AddBeritaAcaraSignature(BeritaAcara& ba, const PublicKey& key, const Signature& signature,
                               std::string_view key_name) {
  if (!ValidKeyName(key_name)) {
    return InvalidArgument("the signer's key name must be non-empty with no spaces or '+'");
  }
  for (const BeritaAcaraSignature& s : ba.signatures) {
    if (s.public_key == key) {
      return AlreadyExists(fmt::format("berita acara {} is already signed by this key ({}, {})",
                                       ba.number, s.key_name, Base64Encode(s.public_key)));
    }
  }
  if (!VerifySignature(key, StatementSigningBytes(BeritaAcaraHeader(ba)), signature)) {
    return PermissionDenied(fmt::format(
        "the signature by key {} does not verify over berita acara {} as drafted (its header: "
        "number, date, stage, rows and their root)",
        Base64Encode(key), ba.number));
  }
  BeritaAcaraSignature s;
  s.key_name = std::string(key_name);
  s.public_key = key;
  s.signature = signature;
  ba.signatures.push_back(std::move(s));
  return Status::Ok();
}

std::string ShowBeritaAcara(const BeritaAcara& ba, const Governance* gov) {
  std::string out = fmt::format("berita acara {}\n", ba.number);
  out += fmt::format("  date             {}\n", ba.date);
  out += fmt::format("  stage            {}\n", ba.stage);
  out += fmt::format("  kabupaten        {} (log {})\n", ba.kabupaten, ba.origin);
  out += fmt::format("  rows             {}\n", ba.rows.size());
  out += fmt::format("  total            {}\n", FormatRupiah(ba.total_amount));
  out += fmt::format("  records root     {}\n", Base64Encode(ba.records_root));
  out += fmt::format("  governance size  {}\n", ba.governance_size);
  out += fmt::format("  signatures       {}\n", ba.signatures.size());
  size_t qualified = 0;
  for (size_t i = 0; i < ba.signatures.size(); ++i) {
    const BeritaAcaraSignature& s = ba.signatures[i];
    out += fmt::format("    {}. {} {}", i + 1, s.key_name, Base64Encode(s.public_key));
    if (gov != nullptr) {
      const uint64_t g = gov->size();
      const bool holds = gov->Holds(s.public_key, Role::kApprover, ba.kabupaten, g);
      const bool then =
          gov->Holds(s.public_key, Role::kApprover, ba.kabupaten, std::min(ba.governance_size, g));
      qualified += holds && then;
      if (holds && then) {
        out += fmt::format(": approver for {} now", ba.kabupaten);
      } else if (holds) {
        out += fmt::format(": approver for {} now, but not at the drafted governance size {}",
                           ba.kabupaten, ba.governance_size);
      } else {
        out += fmt::format(": NOT an approver for {} now{}", ba.kabupaten,
                           gov->Revoked(s.public_key, g) ? " (revoked)" : "");
      }
    }
    out += "\n";
  }
  if (gov != nullptr) {
    const uint64_t g = gov->size();
    const uint16_t needed = gov->ApprovalThreshold(ba.kabupaten, g);
    out += fmt::format(
        "  threshold        {} distinct approvers for {} at governance size {}; {} "
        "{}\n",
        needed, ba.kabupaten, g, qualified,
        qualified >= needed ? "qualify: ready to submit"
                            : fmt::format("qualify: {} more needed", needed - qualified));
  }
  return out;
}

}  // namespace jejak
