#include "ledger/pkh/import.h"

#include <algorithm>
#include <future>
#include <set>

#include <fmt/format.h>

#include "ledger/log/merkle.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/internal/import_runner.h"
#include "ledger/pkh/values.h"

namespace jejak {

const std::vector<std::string> kUpdateColumns = {
    "update_id", "id_kpm", "effective_date",    "status", "ibu_hamil",      "anak_usia_dini", "sd",
    "smp",       "sma",    "disabilitas_berat", "lansia", "evidence_sha256"};
const std::vector<std::string> kReceiptColumns = {"txn_ref", "id_kpm", "kabupaten", "stage",
                                                  "amount",  "status", "paid_at",   "channel"};

namespace import_internal {

Status At(const RowAt& at, size_t column, const Status& s) {
  return Status(s.code() == StatusCode::kPermissionDenied ? s.code() : StatusCode::kInvalidArgument,
                fmt::format("{}: {}", at.Where(column), s.message()));
}

Status IdentifierInPublicField(std::string_view field) {
  return InvalidArgument(fmt::format(
      "the {} is the row's id_kpm: it is published in the log as written, and would publish "
      "the family's identifier; give the row a reference of its own",
      field));
}

Result<Pseudonym> KpmOf(const RowAt& at, size_t column, std::string_view id,
                        const ProgramKey& key) {
  if (Status s = ValidateKpmIdentifier(id); !s.ok()) return At(at, column, s);
  return KpmPseudonym(key, id);
}

Result<std::string> OpenedStageOf(const RowAt& at, size_t column, std::string_view text,
                                  const Governance& gov, uint64_t g) {
  std::string stage;
  FIELD_OR_RETURN(stage, column, ParseStageId(text));
  if (gov.Stage(stage, g) == nullptr) {
    return At(at, column,
              InvalidArgument(
                  fmt::format("unknown stage {}: the governance log has not opened it", stage)));
  }
  return stage;
}

}  // namespace import_internal

namespace {

// Rows are checked and encoded on a worker thread in batches of this many,
// while the caller's thread reads the next batch and stages the last.
constexpr size_t kBatchRows = 8192;

using import_internal::At;
using import_internal::IdentifierInPublicField;
using import_internal::kMaxIdBytes;
using import_internal::KpmOf;
using import_internal::OpenedStageOf;
using import_internal::Row;
using import_internal::RowAt;
using import_internal::RowParser;

Result<Row> ParseUpdate(const RowAt& at, const std::vector<std::string_view>& f,
                        const ProgramKey& key) {
  KpmUpdate u;
  if (Status s = ValidateShortText(f[0], kMaxIdBytes, "update_id"); !s.ok()) return At(at, 0, s);
  if (f[0] == f[1]) return At(at, 0, IdentifierInPublicField("update_id"));
  u.update_id = std::string(f[0]);
  ASSIGN_OR_RETURN(u.kpm, KpmOf(at, 1, f[1], key));
  FIELD_OR_RETURN(u.effective_date, 2, ParseIsoDate(f[2]));
  FIELD_OR_RETURN(u.status, 3, ParseKpmStatus(f[3]));
  for (size_t c = 0; c < kComponentCount; ++c) {
    FIELD_OR_RETURN(u.members[c], 4 + c, ParseMemberCount(f[4 + c]));
  }
  FIELD_OR_RETURN(u.evidence_sha256, 11, ParseOptionalSha256Hex(f[11]));
  Row row;
  row.key = u.update_id;
  row.record = std::move(u);
  return row;
}

// `payer_scope` is the union of the scopes of the payer's grants at the
// governance size held (read-only: rows are checked on several threads).
Result<Row> ParseReceipt(const RowAt& at, const std::vector<std::string_view>& f,
                         const ProgramKey& key, const Governance& gov,
                         const std::vector<std::string>& payer_scope) {
  Receipt r;
  if (Status s = ValidateShortText(f[0], kMaxIdBytes, "txn_ref"); !s.ok()) return At(at, 0, s);
  if (f[0] == f[1]) return At(at, 0, IdentifierInPublicField("txn_ref"));
  r.txn_ref = std::string(f[0]);
  ASSIGN_OR_RETURN(r.kpm, KpmOf(at, 1, f[1], key));
  if (Status s = ValidateRegionCode(f[2], RegionLevel::kKabupaten, "the kabupaten"); !s.ok()) {
    return At(at, 2, s);
  }
  r.kabupaten = std::string(f[2]);
  const uint64_t g = gov.size();
  if (!ScopeCovers(payer_scope, r.kabupaten)) {
    return At(
        at, 2,
        PermissionDenied(fmt::format(
            "the payer key is not granted kabupaten {} at governance size {}", r.kabupaten, g)));
  }
  ASSIGN_OR_RETURN(r.stage, OpenedStageOf(at, 3, f[3], gov, g));
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

// A batch of raw rows, copied out of the reader so that a worker can check
// them while the reader moves on.
struct RawBatch {
  std::vector<uint64_t> lines;
  std::string text;                                   // every field, back to back
  std::vector<std::pair<uint32_t, uint32_t>> fields;  // (offset, size), `width` per row
  size_t width = 0;
  size_t size() const { return lines.size(); }
};

// A row checked and encoded by a worker, with the leaf of the record the log
// already holds under its key, if any (the index does not change during an
// import, so workers may look it up in any order).
struct CheckedRow {
  Status status;
  uint64_t line = 0;
  std::string key, region, stage;
  Bytes leaf;
  Hash hash{};
  std::optional<uint64_t> earlier;
};

Result<bool> ReadBatch(CsvReader& reader, RawBatch& batch) {
  batch = RawBatch{};
  batch.width = reader.columns().size();
  std::vector<std::string_view> fields;
  while (batch.size() < kBatchRows) {
    bool more;
    ASSIGN_OR_RETURN(more, reader.Next(fields));
    if (!more) break;
    batch.lines.push_back(reader.line());
    for (std::string_view f : fields) {
      batch.fields.emplace_back(static_cast<uint32_t>(batch.text.size()),
                                static_cast<uint32_t>(f.size()));
      batch.text.append(f);
    }
  }
  return batch.size() > 0;
}

// Checks rows [begin, end) of a batch.
std::vector<CheckedRow> CheckRows(const CsvReader& reader, const RawBatch& batch, size_t begin,
                                  size_t end, const RowParser& parse, char key_kind,
                                  const RecordKeys& keys) {
  std::vector<CheckedRow> out(end - begin);
  std::vector<std::string_view> fields(batch.width);
  for (size_t r = begin; r < end; ++r) {
    for (size_t c = 0; c < batch.width; ++c) {
      const auto [off, len] = batch.fields[r * batch.width + c];
      fields[c] = std::string_view(batch.text).substr(off, len);
    }
    CheckedRow& row = out[r - begin];
    row.line = batch.lines[r];
    auto parsed = parse(RowAt{reader, row.line}, fields);
    if (!parsed.ok()) {
      row.status = parsed.status();
      out.resize(r - begin + 1);  // rows after the first bad one do not matter
      return out;
    }
    auto leaf = EncodePkhRecord(parsed->record);
    if (!leaf.ok()) {
      row.status = InvalidArgument(
          fmt::format("{} line {}: {}", reader.name(), row.line, leaf.status().message()));
      out.resize(r - begin + 1);
      return out;
    }
    auto earlier = keys.Held(key_kind, parsed->key);
    if (!earlier.ok()) {
      row.status = earlier.status();
      out.resize(r - begin + 1);
      return out;
    }
    row.earlier = *earlier;
    row.key = std::move(parsed->key);
    row.region = std::move(parsed->region);
    row.stage = std::move(parsed->stage);
    row.hash = LeafHash(*leaf);
    row.leaf = std::move(leaf).value();
  }
  return out;
}

// Checks a batch on two threads (the caller's and one more), halves in order.
std::vector<CheckedRow> CheckBatch(const CsvReader& reader, const RawBatch& batch,
                                   const RowParser& parse, char key_kind, const RecordKeys& keys) {
  const size_t half = batch.size() / 2;
  auto second = std::async(std::launch::async, [&] {
    return CheckRows(reader, batch, half, batch.size(), parse, key_kind, keys);
  });
  std::vector<CheckedRow> out = CheckRows(reader, batch, 0, half, parse, key_kind, keys);
  std::vector<CheckedRow> rest = second.get();
  // A bad row in the first half ends the batch there.
  if (out.size() == half && (out.empty() || out.back().status.ok())) {
    out.insert(out.end(), std::make_move_iterator(rest.begin()),
               std::make_move_iterator(rest.end()));
  }
  return out;
}

}  // namespace

namespace import_internal {

Result<ImportReport> RunImport(PkhNode& node, CsvSource source, const ImportKind& kind,
                               const RowParser& parse, const ImportSigning& signing,
                               const ImportProgress& progress) {
  const std::vector<std::string>& columns = kind.columns;
  const std::string_view type = kind.type;
  const std::string_view key_column = kind.key_column;
  const char key_kind = kind.key_kind;
  std::unique_ptr<CsvReader> reader;
  ASSIGN_OR_RETURN(reader, CsvReader::OpenSource(std::move(source), columns));
  ASSIGN_OR_RETURN(RecordKeys keys, node.NewRecordKeys());
  LogReader log_reader(node.folder().store(), node.folder().own_log());
  const bool preparing = signing.prepare_for.has_value();
  // Preparing stages nothing: only the records' hashes matter.
  std::unique_ptr<AppendTransaction> txn;
  if (!preparing) txn = node.writer().Begin();
  const uint64_t first = txn ? txn->first_index() : 0;
  std::vector<Hash> hashes;
  std::set<std::string> regions, stages;
  ImportReport report;

  RawBatch next;
  bool have_next;
  ASSIGN_OR_RETURN(have_next, ReadBatch(*reader, next));
  while (have_next) {
    RawBatch current = std::move(next);
    auto checked = std::async(std::launch::async, [&, batch = std::move(current)]() {
      return CheckBatch(*reader, batch, parse, key_kind, keys);
    });
    auto read = ReadBatch(*reader, next);  // overlaps the worker
    std::vector<CheckedRow> rows = checked.get();
    for (CheckedRow& row : rows) {
      RETURN_IF_ERROR(row.status);
      ++report.rows;
      if (progress && report.rows % 100'000 == 0) progress(report.rows);
      const bool is_new = !row.earlier.has_value();
      if (const uint64_t earlier_line = keys.Add(key_kind, row.key, row.line, is_new);
          earlier_line != 0) {
        return InvalidArgument(
            fmt::format("{}: repeats the {} of line {} (a duplicate key inside the file)",
                        reader->WhereAt(row.line, 0), key_column, earlier_line));
      }
      if (const std::optional<uint64_t>& earlier = row.earlier) {
        Bytes stored;
        ASSIGN_OR_RETURN(stored, log_reader.Leaf(*earlier));
        if (stored != row.leaf) {
          return InvalidArgument(fmt::format(
              "{}: this {} is already recorded (leaf {}) with different content; a correction "
              "needs a new {}",
              reader->WhereAt(row.line, 0), key_column, *earlier, key_column));
        }
        ++report.already_present;
        continue;
      }
      if (LooksLikeNik(row.key)) {
        if (report.warnings.size() < 10) {
          report.warnings.push_back(fmt::format(
              "{}: holds 16 digits in a row, as a NIK does; the {} is published in the log as "
              "written",
              reader->WhereAt(row.line, 0), key_column));
        } else {
          ++report.more_warnings;
        }
      }
      if (!report.new_lines.empty() && report.new_lines.back().second + 1 == row.line) {
        report.new_lines.back().second = row.line;
      } else {
        report.new_lines.emplace_back(row.line, row.line);
      }
      if (txn) RETURN_IF_ERROR(txn->Put(first + 1 + hashes.size(), row.leaf));
      hashes.push_back(row.hash);
      if (!row.region.empty()) regions.insert(std::move(row.region));
      if (!row.stage.empty()) stages.insert(std::move(row.stage));
    }
    if (!read.ok()) return read.status();
    have_next = *read;
  }
  if (report.rows == 0) return InvalidArgument(fmt::format("{}: no data rows", reader->name()));
  if (hashes.empty()) return report;  // everything was already present

  StatementHeader h = node.NewHeader(type);
  h.document_number = kind.document_number;
  h.document_year = kind.document_year;
  if (signing.presigned) {
    // The moment and governance size the client signed, not the present ones.
    h.timestamp_ms = signing.presigned->header.timestamp_ms;
    h.governance_size = signing.presigned->header.governance_size;
  }
  if (regions.empty()) regions.insert(node.region());
  h.regions.assign(regions.begin(), regions.end());
  if (stages.size() == 1) h.stage = *stages.begin();
  h.record_count = hashes.size();
  h.records_root = RootOfLeafHashes(hashes);
  report.appended = hashes.size();
  if (preparing) {
    report.prepared = std::move(h);
    return report;
  }
  Statement st;
  if (signing.presigned) {
    if (signing.presigned->header != h) {
      return FailedPrecondition(fmt::format(
          "{} no longer derives the statement that was signed (the file or the log changed "
          "since it was prepared: {} new rows now, {} signed); prepare and sign it again",
          reader->name(), h.record_count, signing.presigned->header.record_count));
    }
    st = *signing.presigned;
  } else {
    st = Statement{std::move(h), {}};
    SignStatement(st, *signing.key);
  }
  ASSIGN_OR_RETURN(report.statement, node.Commit(*txn, st, hashes, keys));
  return report;
}

}  // namespace import_internal

bool LooksLikeNik(std::string_view text) {
  size_t run = 0;
  for (char c : text) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run == 16) return true;
  }
  return false;
}

namespace import_internal {

Result<PublicKey> SignerOf(const ImportSigning& signing) {
  if (signing.key) return signing.key->public_key();
  if (signing.prepare_for) return *signing.prepare_for;
  if (signing.presigned && !signing.presigned->signatures.empty()) {
    return signing.presigned->signatures.front().public_key;
  }
  return InvalidArgument("the statement to append carries no signature");
}

Status PrecheckSigner(PkhNode& node, std::string_view type, Role role, const PublicKey& signer) {
  const uint64_t g = node.gov().size();
  const NodeRegistration* me = node.gov().NodeByOrigin(node.folder().config().origin, g);
  if (me == nullptr) {
    return FailedPrecondition(fmt::format(
        "this node ({}) is not registered in the governance log it holds (size {}): register it "
        "on the kemensos node and pull the governance log first",
        node.folder().config().origin, g));
  }
  const NodeKind author = role == Role::kPayer ? NodeKind::kLembagaBayar : NodeKind::kKabupaten;
  if (me->kind != author) {
    return PermissionDenied(fmt::format("{} statements are written by {} nodes, not {} nodes", type,
                                        NodeKindName(author), NodeKindName(me->kind)));
  }
  if (role == Role::kPayer) {
    const std::string& origin = node.folder().config().origin;
    if (!node.gov().PayerGrants(signer, origin, g, /*named_only=*/true).empty()) {
      return Status::Ok();
    }
    const std::vector<const KeyGrant*> grants = node.gov().ActiveGrants(signer, g);
    if (std::any_of(grants.begin(), grants.end(),
                    [](const KeyGrant* grant) { return grant->role == Role::kPayer; })) {
      return PermissionDenied(fmt::format(
          "the key holds the payer role at governance size {}, but no grant of it names this "
          "lembaga bayar ({}): a payer writes only the log of the institution its grant names",
          g, origin));
    }
    return PermissionDenied(
        fmt::format("the key does not hold the payer role at governance size {}", g));
  }
  if (!node.gov().Holds(signer, role, node.region(), g)) {
    return PermissionDenied(
        fmt::format("the key does not hold the {} role for region {} at governance size {} ({} "
                    "statements need it)",
                    RoleName(role), node.region(), g, type));
  }
  return Status::Ok();
}

}  // namespace import_internal

using import_internal::ImportKind;
using import_internal::PrecheckSigner;
using import_internal::RunImport;
using import_internal::SignerOf;

Result<ImportReport> ImportUpdates(PkhNode& node, CsvSource source, const ImportSigning& signing,
                                   const ProgramKey& program_key, const ImportProgress& progress) {
  PublicKey signer;
  ASSIGN_OR_RETURN(signer, SignerOf(signing));
  RETURN_IF_ERROR(PrecheckSigner(node, kTypeUpdate, Role::kOperator, signer));
  return RunImport(
      node, std::move(source), ImportKind{kUpdateColumns, kTypeUpdate, "update_id", 'u'},
      [&](const RowAt& at, const std::vector<std::string_view>& f) {
        return ParseUpdate(at, f, program_key);
      },
      signing, progress);
}

Result<ImportReport> ImportReceipts(PkhNode& node, CsvSource source, const ImportSigning& signing,
                                    const ProgramKey& program_key, const ImportProgress& progress) {
  PublicKey signer;
  ASSIGN_OR_RETURN(signer, SignerOf(signing));
  RETURN_IF_ERROR(PrecheckSigner(node, kTypeReceipt, Role::kPayer, signer));
  const Governance& gov = node.gov();
  std::vector<std::string> payer_scope;
  for (const KeyGrant* grant :
       gov.PayerGrants(signer, node.folder().config().origin, gov.size(), /*named_only=*/true)) {
    payer_scope.insert(payer_scope.end(), grant->scope.begin(), grant->scope.end());
  }
  return RunImport(
      node, std::move(source), ImportKind{kReceiptColumns, kTypeReceipt, "txn_ref", 'r'},
      [&](const RowAt& at, const std::vector<std::string_view>& f) {
        return ParseReceipt(at, f, program_key, gov, payer_scope);
      },
      signing, progress);
}

Result<ImportReport> ImportUpdates(PkhNode& node, CsvSource source, const SigningKey& operator_key,
                                   const ProgramKey& program_key, const ImportProgress& progress) {
  return ImportUpdates(node, std::move(source), ImportSigning{.key = &operator_key}, program_key,
                       progress);
}

Result<ImportReport> ImportReceipts(PkhNode& node, CsvSource source, const SigningKey& payer_key,
                                    const ProgramKey& program_key, const ImportProgress& progress) {
  return ImportReceipts(node, std::move(source), ImportSigning{.key = &payer_key}, program_key,
                        progress);
}

}  // namespace jejak
