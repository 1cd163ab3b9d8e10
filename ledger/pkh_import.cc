#include "ledger/pkh_import.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "ledger/csv.h"
#include "ledger/merkle.h"
#include "ledger/pkh_values.h"

namespace jejak {

const std::vector<std::string> kUpdateColumns = {
    "update_id", "id_kpm", "effective_date",    "status", "ibu_hamil",      "anak_usia_dini", "sd",
    "smp",       "sma",    "disabilitas_berat", "lansia", "evidence_sha256"};
const std::vector<std::string> kReceiptColumns = {"txn_ref", "id_kpm", "kabupaten", "stage",
                                                  "amount",  "status", "paid_at",   "channel"};

namespace {

constexpr size_t kMaxIdBytes = 64;

// One parsed row: its record, the key it is deduplicated by, and (receipts)
// the kabupaten and stage it concerns.
struct Row {
  PkhRecord record;
  std::string key;
  std::string region;
  std::string stage;
};

// Prefixes a value error with where it is.
Status At(const CsvReader& r, size_t column, const Status& s) {
  return InvalidArgument(fmt::format("{}: {}", r.Where(column), s.message()));
}

#define FIELD_OR_RETURN(lhs, column, expr)                                    \
  do {                                                                        \
    auto jejak_field_ = (expr);                                               \
    if (!jejak_field_.ok()) return At(reader, column, jejak_field_.status()); \
    lhs = std::move(jejak_field_).value();                                    \
  } while (0)

Result<Pseudonym> KpmOf(const CsvReader& reader, size_t column, std::string_view id,
                        const ProgramKey& key) {
  if (id.empty() || id.size() > kMaxIdBytes) {
    return At(
        reader, column,
        InvalidArgument(fmt::format("expected a KPM identifier of 1 to {} bytes", kMaxIdBytes)));
  }
  return KpmPseudonym(key, id);
}

Result<Row> ParseUpdate(const CsvReader& reader, const std::vector<std::string_view>& f,
                        const ProgramKey& key) {
  KpmUpdate u;
  if (Status s = ValidateShortText(f[0], kMaxIdBytes, "update_id"); !s.ok())
    return At(reader, 0, s);
  u.update_id = std::string(f[0]);
  ASSIGN_OR_RETURN(u.kpm, KpmOf(reader, 1, f[1], key));
  FIELD_OR_RETURN(u.effective_date, 2, ParseIsoDate(f[2]));
  FIELD_OR_RETURN(u.status, 3, ParseKpmStatus(f[3]));
  for (size_t c = 0; c < kComponentCount; ++c)
    FIELD_OR_RETURN(u.members[c], 4 + c, ParseMemberCount(f[4 + c]));
  FIELD_OR_RETURN(u.evidence_sha256, 11, ParseOptionalSha256Hex(f[11]));
  Row row;
  row.key = u.update_id;
  row.record = std::move(u);
  return row;
}

Result<Row> ParseReceipt(const CsvReader& reader, const std::vector<std::string_view>& f,
                         const ProgramKey& key, const Governance& gov, const PublicKey& payer) {
  Receipt r;
  if (Status s = ValidateShortText(f[0], kMaxIdBytes, "txn_ref"); !s.ok()) return At(reader, 0, s);
  r.txn_ref = std::string(f[0]);
  ASSIGN_OR_RETURN(r.kpm, KpmOf(reader, 1, f[1], key));
  if (f[2].size() < 2 || f[2].size() > 10 ||
      f[2].find_first_not_of("0123456789") != std::string_view::npos) {
    return At(reader, 2, InvalidArgument("expected a kabupaten region code (digits)"));
  }
  r.kabupaten = std::string(f[2]);
  const uint64_t g = gov.size();
  if (!gov.Holds(payer, Role::kPayer, r.kabupaten, g)) {
    return At(
        reader, 2,
        PermissionDenied(fmt::format(
            "the payer key is not granted kabupaten {} at governance size {}", r.kabupaten, g)));
  }
  FIELD_OR_RETURN(r.stage, 3, ParseStageId(f[3]));
  if (gov.Stage(r.stage, g) == nullptr) {
    return At(reader, 3,
              InvalidArgument(
                  fmt::format("unknown stage {}: the governance log has not opened it", r.stage)));
  }
  FIELD_OR_RETURN(r.amount, 4, ParseRupiah(f[4]));
  FIELD_OR_RETURN(r.status, 5, ParseReceiptStatus(f[5]));
  FIELD_OR_RETURN(r.paid_at, 6, ParseIsoDateOrDateTime(f[6]));
  FIELD_OR_RETURN(r.channel, 7, ParseChannel(f[7]));
  Row row;
  row.key = r.txn_ref;
  row.region = r.kabupaten;
  row.stage = r.stage;
  row.record = std::move(r);
  return row;
}

#undef FIELD_OR_RETURN

// Which keys a file already used, and on what line: a flat open-addressing
// table of 128-bit key hashes (two independent 64-bit hashes), so a million
// rows cost 24 MB and no allocation per row.
class KeySeen {
 public:
  // The line that used `key` before, or 0 (recording `line` for it).
  uint64_t Insert(std::string_view key, uint64_t line) {
    if ((used_ + 1) * 2 > slots_.size()) Grow();
    const uint64_t h1 = std::hash<std::string_view>{}(key) | 1;  // 0 marks an empty slot
    const uint64_t h2 = Fnv1a(key);
    for (size_t i = h1 & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.h1 == 0) {
        s = {h1, h2, line};
        ++used_;
        return 0;
      }
      if (s.h1 == h1 && s.h2 == h2) return s.line;
    }
  }

 private:
  struct Slot {
    uint64_t h1 = 0, h2 = 0, line = 0;
  };
  static uint64_t Fnv1a(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
    return h;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
    for (const Slot& s : old) {
      if (s.h1 == 0) continue;
      size_t i = s.h1 & (slots_.size() - 1);
      while (slots_[i].h1 != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

using RowParser =
    std::function<Result<Row>(const CsvReader&, const std::vector<std::string_view>&)>;
using KeyLookup = std::function<Result<std::optional<uint64_t>>(std::string_view key)>;

// The import skeleton: read, check, stage; then sign, judge and commit.
Result<ImportReport> RunImport(PkhNode& node, const std::string& path,
                               const std::vector<std::string>& columns, std::string_view type,
                               std::string_view key_column, const RowParser& parse,
                               const KeyLookup& lookup, const SigningKey& signer,
                               const ImportProgress& progress) {
  std::unique_ptr<CsvReader> reader;
  ASSIGN_OR_RETURN(reader, CsvReader::Open(path, columns));
  LogReader log_reader(node.folder().store(), node.folder().own_log());
  auto txn = node.writer().Begin();
  const uint64_t first = txn->first_index();
  std::vector<Hash> hashes;
  KeySeen seen;
  std::set<std::string> regions, stages;
  ImportReport report;
  std::vector<std::string_view> fields;
  while (true) {
    bool more;
    ASSIGN_OR_RETURN(more, reader->Next(fields));
    if (!more) break;
    ++report.rows;
    if (progress && report.rows % 100'000 == 0) progress(report.rows);
    Row row;
    ASSIGN_OR_RETURN(row, parse(*reader, fields));
    if (const uint64_t earlier_line = seen.Insert(row.key, reader->line()); earlier_line != 0) {
      return InvalidArgument(
          fmt::format("{}: repeats the {} of line {} (a duplicate key inside the file)",
                      reader->WhereLine(), key_column, earlier_line));
    }
    Bytes leaf;
    ASSIGN_OR_RETURN(leaf, EncodePkhRecord(row.record));
    std::optional<uint64_t> earlier;
    ASSIGN_OR_RETURN(earlier, lookup(row.key));
    if (earlier) {
      Bytes stored;
      ASSIGN_OR_RETURN(stored, log_reader.Leaf(*earlier));
      if (stored != leaf) {
        return InvalidArgument(fmt::format(
            "{}: this {} is already recorded (leaf {}) with different content; a correction needs "
            "a new {}",
            reader->WhereLine(), key_column, *earlier, key_column));
      }
      ++report.already_present;
      continue;
    }
    RETURN_IF_ERROR(txn->Put(first + 1 + hashes.size(), leaf));
    hashes.push_back(LeafHash(leaf));
    if (!row.region.empty()) regions.insert(row.region);
    if (!row.stage.empty()) stages.insert(row.stage);
  }
  if (report.rows == 0) return InvalidArgument(fmt::format("{}: no data rows", reader->name()));
  if (hashes.empty()) return report;  // everything was already present

  StatementHeader h = node.NewHeader(type);
  if (regions.empty()) regions.insert(node.region());
  h.regions.assign(regions.begin(), regions.end());
  if (stages.size() == 1) h.stage = *stages.begin();
  h.record_count = hashes.size();
  h.records_root = RootOfLeafHashes(hashes);
  Statement st{std::move(h), {}};
  SignStatement(st, signer);
  ASSIGN_OR_RETURN(report.statement, node.Commit(*txn, st, hashes));
  report.appended = hashes.size();
  return report;
}

// Refuses early, before reading a file, when the signer could not sign it.
Status PrecheckSigner(PkhNode& node, std::string_view type, Role role, const SigningKey& signer) {
  const uint64_t g = node.gov().size();
  if (node.gov().NodeByOrigin(node.folder().config().origin, g) == nullptr) {
    return FailedPrecondition(fmt::format(
        "this node ({}) is not registered in the governance log it holds (size {}): register it "
        "on the kemensos node and pull the governance log first",
        node.folder().config().origin, g));
  }
  if (role == Role::kPayer) {
    for (const KeyGrant* grant : node.gov().ActiveGrants(signer.public_key(), g)) {
      if (grant->role == Role::kPayer) return Status::Ok();
    }
    return PermissionDenied(
        fmt::format("the key does not hold the payer role at governance size {}", g));
  }
  if (!node.gov().Holds(signer.public_key(), role, node.region(), g)) {
    return PermissionDenied(
        fmt::format("the key does not hold the {} role for region {} at governance size {} ({} "
                    "statements need it)",
                    RoleName(role), node.region(), g, type));
  }
  return Status::Ok();
}

}  // namespace

Result<ImportReport> ImportUpdates(PkhNode& node, const std::string& path,
                                   const SigningKey& operator_key, const ProgramKey& program_key,
                                   const ImportProgress& progress) {
  RETURN_IF_ERROR(PrecheckSigner(node, kTypeUpdate, Role::kOperator, operator_key));
  Store& store = node.folder().store();
  const uint32_t log = node.folder().own_log().id;
  return RunImport(
      node, path, kUpdateColumns, kTypeUpdate, "update_id",
      [&](const CsvReader& r, const std::vector<std::string_view>& f) {
        return ParseUpdate(r, f, program_key);
      },
      [&](std::string_view key) { return FindUpdateId(store, log, key); }, operator_key, progress);
}

Result<ImportReport> ImportReceipts(PkhNode& node, const std::string& path,
                                    const SigningKey& payer_key, const ProgramKey& program_key,
                                    const ImportProgress& progress) {
  RETURN_IF_ERROR(PrecheckSigner(node, kTypeReceipt, Role::kPayer, payer_key));
  Store& store = node.folder().store();
  const uint32_t log = node.folder().own_log().id;
  return RunImport(
      node, path, kReceiptColumns, kTypeReceipt, "txn_ref",
      [&](const CsvReader& r, const std::vector<std::string_view>& f) {
        return ParseReceipt(r, f, program_key, node.gov(), payer_key.public_key());
      },
      [&](std::string_view key) { return FindTxnRef(store, log, key); }, payer_key, progress);
}

}  // namespace jejak
