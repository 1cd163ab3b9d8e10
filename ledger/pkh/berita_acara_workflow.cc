// The berita acara workflow: drafting one from a CSV file on a kabupaten
// node, and submitting a signed one to its log.
#include "ledger/pkh/berita_acara.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "ledger/log/log.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/internal/berita_acara_common.h"
#include "ledger/pkh/join_rows.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

using internal::kMaxListed;
using internal::ListSome;
using internal::RootOf;
using internal::TotalOf;
using internal::ValidateNumber;

struct ParsedRows {
  std::vector<BeritaAcaraRow> rows;
  std::vector<uint64_t> lines;  // the CSV line of each row
  std::string file;             // the file's name in messages
};

Status At(const CsvReader& r, size_t column, const Status& s) {
  return InvalidArgument(fmt::format("{}: {}", r.Where(column), s.message()));
}

Result<BeritaAcaraRow> ParseRow(const CsvReader& r, const std::vector<std::string_view>& f,
                                const ProgramKey& key) {
  BeritaAcaraRow row;
  if (Status s = ValidateKpmIdentifier(f[0]); !s.ok()) return At(r, 0, s);
  row.kpm = KpmPseudonym(key, f[0]);
  if (Status s = ValidateShortText(f[1], kMaxLembagaBayarBytes, "lembaga_bayar"); !s.ok()) {
    return At(r, 1, s);
  }
  row.lembaga_bayar = std::string(f[1]);
  auto amount = ParseRupiah(f[2]);
  if (!amount.ok()) return At(r, 2, amount.status());
  row.amount = *amount;
  return row;
}

// Reads every row; refuses a malformed row, an empty file, or a KPM that
// appears twice (naming every repeat, up to kMaxListed).
Result<ParsedRows> ReadRows(CsvSource source, const ProgramKey& key, std::string_view number) {
  std::unique_ptr<CsvReader> reader;
  ASSIGN_OR_RETURN(reader,
                   CsvReader::OpenSource(std::move(source),
                                         std::vector<std::string>(std::begin(kBeritaAcaraColumns),
                                                                  std::end(kBeritaAcaraColumns))));
  ParsedRows out;
  out.file = reader->name();
  std::map<Pseudonym, uint64_t> first_line;
  std::vector<std::string> repeats;
  std::vector<std::string_view> fields;
  while (true) {
    bool more;
    ASSIGN_OR_RETURN(more, reader->Next(fields));
    if (!more) break;
    BeritaAcaraRow row;
    ASSIGN_OR_RETURN(row, ParseRow(*reader, fields, key));
    // The number and the lembaga bayar are published as written.
    if (number.find(fields[0]) != std::string_view::npos) {
      return InvalidArgument(fmt::format(
          "{}: the berita acara number holds this row's id_kpm; the number is published in the "
          "log as written, and would publish the family's identifier",
          reader->Where(0)));
    }
    if (fields[1] == fields[0]) {
      return InvalidArgument(fmt::format(
          "{}: the lembaga_bayar is the row's id_kpm; it is published in the log as written",
          reader->Where(1)));
    }
    auto [it, fresh] = first_line.emplace(row.kpm, reader->line());
    if (!fresh) {
      repeats.push_back(
          fmt::format("line {} repeats the KPM of line {}", reader->line(), it->second));
    }
    out.rows.push_back(std::move(row));
    out.lines.push_back(reader->line());
  }
  if (out.rows.empty()) return InvalidArgument(fmt::format("{}: no data rows", out.file));
  if (!repeats.empty()) {
    return InvalidArgument(fmt::format("{}: {} (a KPM may appear only once in a berita acara)",
                                       out.file, ListSome(repeats, "; ")));
  }
  return out;
}

// The rows whose KPM the node's log already approved for `stage`, with the
// leaf of that approval.
struct Approved {
  size_t row = 0;
  uint64_t leaf = 0;
};
Result<std::vector<Approved>> AlreadyApproved(PkhNode& node, std::string_view stage,
                                              const std::vector<BeritaAcaraRow>& rows) {
  std::vector<Approved> out;
  const uint32_t log = node.folder().own_log().id;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::optional<uint64_t> leaf;
    ASSIGN_OR_RETURN(leaf, FindApproval(node.folder().store(), log, stage, rows[i].kpm));
    if (leaf) out.push_back({i, *leaf});
  }
  return out;
}

// "line 4 (leaf 17)", with `label` giving the number of a row.
std::vector<std::string> Describe(const std::vector<Approved>& approved, std::string_view what,
                                  const std::function<uint64_t(size_t)>& label) {
  std::vector<std::string> out;
  for (const Approved& a : approved) {
    out.push_back(fmt::format("{} {} (leaf {})", what, label(a.row), a.leaf));
  }
  return out;
}

// True when the log holds this very berita acara: every row approved, by
// records that follow a statement with this header.
Result<std::optional<uint64_t>> SubmittedAt(PkhNode& node, const BeritaAcara& ba,
                                            const std::vector<Approved>& approved) {
  if (approved.size() != ba.rows.size() || approved[0].row != 0 || approved[0].leaf == 0) {
    return std::optional<uint64_t>();
  }
  const uint64_t at = approved[0].leaf - 1;
  LogReader reader(node.folder().store(), node.folder().own_log());
  Bytes leaf;
  ASSIGN_OR_RETURN(leaf, reader.Leaf(at));
  auto st = DecodeStatementEntry(leaf);
  if (!st.ok() || !(st->header == BeritaAcaraHeader(ba))) return std::optional<uint64_t>();
  return std::optional<uint64_t>(at);
}

// The rules of the rest of the cycle the audit would apply to this row, as
// the node's own log stands now (everything in it comes before the berita
// acara it would append): APPROVED_NOT_IN_BNBA and APPROVED_WHILE_SUSPENDED.
Status WarnCycle(PkhNode& node, const BeritaAcara& ba, const BeritaAcaraRow& row, uint64_t line,
                 uint16_t year, std::vector<BeritaAcaraWarning>& warnings) {
  const Governance& gov = node.gov();
  const std::string& region = node.region();
  Store& store = node.folder().store();
  const uint32_t own = node.writer().info().id;
  if (gov.RequireBnba(region, ba.governance_size)) {
    std::vector<BnbaRow> lists;
    ASSIGN_OR_RETURN(lists, TargetListEntriesOf(store, row.kpm));
    const bool listed = std::any_of(lists.begin(), lists.end(), [&](const BnbaRow& b) {
      return b.log == own && b.year <= year;
    });
    if (!listed) {
      warnings.push_back({line, fmt::format("the KPM is on no target list of {} or earlier in "
                                            "this log, and target lists are required (the "
                                            "audit reports APPROVED_NOT_IN_BNBA)",
                                            year)});
    }
  }
  const uint16_t n = gov.SuspendAfterMonths(region, ba.governance_size);
  if (n == 0) return Status::Ok();
  const std::string month = ba.date.substr(0, 7);
  for (unsigned k = 1; k <= n; ++k) {
    std::vector<VerificationRow> rows;
    ASSIGN_OR_RETURN(rows, VerificationsOf(store, row.kpm, MonthsBefore(month, k)));
    std::vector<const VerificationRow*> own_rows;
    for (const VerificationRow& v : rows) {
      if (v.log == own) own_rows.push_back(&v);
    }
    if (FailedCommitments(own_rows).empty()) return Status::Ok();
  }
  warnings.push_back({line, fmt::format("commitments were not met in each of the {} months "
                                        "before {}, so the benefit is suspended (the audit "
                                        "reports APPROVED_WHILE_SUSPENDED)",
                                        n, month)});
  return Status::Ok();
}

Result<std::vector<BeritaAcaraWarning>> Warn(PkhNode& node, const BeritaAcara& ba,
                                             const std::vector<uint64_t>& lines) {
  std::vector<BeritaAcaraWarning> warnings;
  const uint16_t year = StageYear(ba.stage);
  const BenefitIndex* index = node.gov().Index(year, ba.governance_size);
  if (index == nullptr) {
    warnings.push_back({0, fmt::format("the governance log holds no benefit index for {} at size "
                                       "{}: amounts were not checked against entitlements",
                                       year, ba.governance_size)});
  }
  for (size_t i = 0; i < ba.rows.size(); ++i) {
    const BeritaAcaraRow& row = ba.rows[i];
    std::optional<UpdateRow> update;
    ASSIGN_OR_RETURN(update, StatusOn(node.folder().store(), row.kpm, ba.date));
    if (!update) {
      warnings.push_back({lines[i], fmt::format("the KPM has no data update on or before {} "
                                                "(the audit reports APPROVED_INELIGIBLE)",
                                                ba.date)});
    } else if (update->status != KpmStatus::kActive) {
      warnings.push_back({lines[i], fmt::format("the KPM's status on {} is {}, not active (the "
                                                "audit reports APPROVED_INELIGIBLE)",
                                                ba.date, KpmStatusName(update->status))});
    } else if (index != nullptr) {
      const uint64_t entitled = Entitlement(update->members, *index);
      if (entitled != row.amount) {
        warnings.push_back(
            {lines[i], fmt::format("amount {} differs from the entitlement {} under the {} "
                                   "benefit index (the audit reports ENTITLEMENT_MISMATCH)",
                                   FormatRupiah(row.amount), FormatRupiah(entitled), year)});
      }
    }
    RETURN_IF_ERROR(WarnCycle(node, ba, row, lines[i], year, warnings));
  }
  return warnings;
}

Status CheckDraftingNode(PkhNode& node, uint64_t g) {
  const NodeConfig& config = node.folder().config();
  if (config.kind != NodeKind::kKabupaten) {
    return FailedPrecondition(fmt::format(
        "a berita acara is drafted on a kabupaten node, not a {} node", NodeKindName(config.kind)));
  }
  if (node.gov().NodeByOrigin(config.origin, g) == nullptr) {
    return FailedPrecondition(fmt::format(
        "this node ({}) is not registered in the governance log it holds (size {}): register it "
        "on the kemensos node and pull the governance log first",
        config.origin, g));
  }
  return Status::Ok();
}

}  // namespace

Result<BeritaAcaraDraft> DraftBeritaAcara(PkhNode& node, CsvSource csv, std::string_view stage,
                                          std::string_view date, std::string_view number,
                                          const ProgramKey& program_key) {
  StatementHeader h = node.NewHeader(kTypeApproval);
  const uint64_t g = h.governance_size;
  RETURN_IF_ERROR(CheckDraftingNode(node, g));
  BeritaAcaraDraft out;
  BeritaAcara& ba = out.ba;
  auto stage_ok = ParseStageId(stage);
  if (!stage_ok.ok()) return stage_ok.status().WithContext("stage");
  if (node.gov().Stage(stage, g) == nullptr) {
    return InvalidArgument(fmt::format(
        "stage {} is not opened in the governance log this node holds (size {}): the kemensos "
        "node must open it, and this node pull the governance log",
        stage, g));
  }
  auto date_ok = ParseIsoDate(date);
  if (!date_ok.ok()) return date_ok.status().WithContext("date");
  RETURN_IF_ERROR(ValidateNumber(number));

  ParsedRows parsed;
  ASSIGN_OR_RETURN(parsed, ReadRows(std::move(csv), program_key, number));
  std::vector<Approved> earlier;
  ASSIGN_OR_RETURN(earlier, AlreadyApproved(node, stage, parsed.rows));
  if (!earlier.empty()) {
    const auto line = [&](size_t row) { return parsed.lines[row]; };
    return AlreadyExists(fmt::format(
        "{}: already approved for stage {} in this kabupaten by an earlier berita acara: {} "
        "(a KPM may be approved once per stage; remove these rows)",
        parsed.file, stage, ListSome(Describe(earlier, "line", line), ", ")));
  }

  ba.origin = h.origin;
  ba.kabupaten = h.region;
  ba.stage = std::string(stage);
  ba.number = std::string(number);
  ba.date = std::string(date);
  ba.governance_size = g;
  ba.timestamp_ms = h.timestamp_ms;
  ba.rows = std::move(parsed.rows);
  ASSIGN_OR_RETURN(ba.total_amount, TotalOf(ba.rows));
  ASSIGN_OR_RETURN(ba.records_root, RootOf(ba));
  ASSIGN_OR_RETURN(out.warnings, Warn(node, ba, parsed.lines));
  if (LooksLikeNik(number)) {
    out.warnings.insert(out.warnings.begin(),
                        {0,
                         "the number holds 16 digits in a row, as a NIK does; it is published "
                         "in the log as written"});
  }
  return out;
}

Result<AppendedStatement> SubmitBeritaAcara(PkhNode& node, const BeritaAcara& ba) {
  const NodeConfig& config = node.folder().config();
  if (ba.origin != config.origin || ba.kabupaten != node.region()) {
    return FailedPrecondition(
        fmt::format("berita acara {} was drafted for log {} (kabupaten {}), not this node's log {} "
                    "(kabupaten {})",
                    ba.number, ba.origin, ba.kabupaten, config.origin, node.region()));
  }
  if (ba.signatures.empty()) {
    return PermissionDenied(fmt::format(
        "berita acara {} is not signed: each approver signs it (jejak ba sign) before it is "
        "submitted",
        ba.number));
  }
  std::vector<Approved> earlier;
  ASSIGN_OR_RETURN(earlier, AlreadyApproved(node, ba.stage, ba.rows));
  if (!earlier.empty()) {
    std::optional<uint64_t> submitted;
    ASSIGN_OR_RETURN(submitted, SubmittedAt(node, ba, earlier));
    if (submitted) {
      return AlreadyExists(
          fmt::format("berita acara {} was already submitted: it is the statement at leaf {}",
                      ba.number, *submitted));
    }
    const auto row = [](size_t i) { return uint64_t{i + 1}; };
    return AlreadyExists(fmt::format(
        "berita acara {}: already approved for stage {} in this kabupaten since the draft: {} "
        "(a KPM may be approved once per stage; draft it again without these rows)",
        ba.number, ba.stage, ListSome(Describe(earlier, "row", row), ", ")));
  }
  std::vector<Bytes> leaves;
  ASSIGN_OR_RETURN(leaves, BeritaAcaraRecordLeaves(ba));
  PreparedStatement prepared = PrepareStatement(BeritaAcaraHeader(ba), std::move(leaves));
  if (prepared.records_root() != ba.records_root) {
    return Corruption(
        fmt::format("berita acara {}: its records root does not match its records", ba.number));
  }
  for (const BeritaAcaraSignature& s : ba.signatures) {
    prepared.statement.signatures.push_back({s.public_key, s.signature});
  }
  std::vector<PkhRecord> records;
  records.reserve(ba.rows.size());
  for (const BeritaAcaraRow& r : ba.rows) {
    records.emplace_back(Approval{r.kpm, r.lembaga_bayar, r.amount});
  }
  return node.Append(prepared, records);
}

}  // namespace jejak
