// A family's trail: its records read from the join indexes, each leaf read
// and described, and the audit run for the family alone in each stage.
#include "ledger/audit/trail.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <variant>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/proof_json.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/join_rows.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

constexpr std::string_view kKindNames[] = {
    "target_list", "update", "verification", "approval", "receipt", "complaint", "response",
};

// The statement fields a trail shows beside a record: which document, when,
// and who signed it.
bool StatementFieldShown(std::string_view name) {
  return name == "document number" || name == "document date" || name == "document year" ||
         name == "time" || name == "signer";
}

// Reads and describes the leaves of the node's logs, one reader per log, and
// each statement once.
class LeafSource {
 public:
  LeafSource(Store& store, const Governance& gov) : store_(store), gov_(gov) {}

  Status Init() {
    std::vector<LogInfo> logs;
    ASSIGN_OR_RETURN(logs, ListLogs(store_));
    for (LogInfo& l : logs) {
      const uint32_t id = l.id;
      readers_.emplace(id, std::make_unique<LogReader>(store_, std::move(l)));
    }
    return Status::Ok();
  }
  Result<LogReader*> Reader(uint32_t log) {
    auto it = readers_.find(log);
    if (it == readers_.end()) {
      return Corruption(
          fmt::format("the index names log id {}, which the store does not hold", log));
    }
    return it->second.get();
  }
  // The record at (log, leaf), decoded, and its fields.
  Result<PkhRecord> Record(uint32_t log, uint64_t leaf, TrailRecord& out) {
    LogReader* reader;
    ASSIGN_OR_RETURN(reader, Reader(log));
    out.log = reader->info().origin;
    out.leaf = leaf;
    Bytes bytes;
    ASSIGN_OR_RETURN(bytes, reader->Leaf(leaf));
    std::optional<PkhRecord> record;
    ASSIGN_OR_RETURN(record, DecodePkhRecord(bytes));
    if (!record) {
      return Corruption(
          fmt::format("leaf {} of {}: the index names a PKH record there", leaf, out.log));
    }
    std::vector<EntryField> fields;
    ASSIGN_OR_RETURN(fields, DescribeEntry(bytes, &gov_));
    for (EntryField& f : fields) {
      if (f.name != "entry" && f.name != "type") out.fields.push_back(std::move(f));
    }
    return std::move(*record);
  }
  // The shown fields of the statement at (log, leaf), and its time in WIB.
  Status Statement(uint32_t log, uint64_t leaf, TrailRecord& out, std::string* time = nullptr) {
    out.statement = leaf;
    auto key = std::make_pair(log, leaf);
    auto it = statements_.find(key);
    if (it == statements_.end()) {
      LogReader* reader;
      ASSIGN_OR_RETURN(reader, Reader(log));
      Bytes bytes;
      ASSIGN_OR_RETURN(bytes, reader->Leaf(leaf));
      jejak::Statement st;
      ASSIGN_OR_RETURN(st, DecodeStatementEntry(bytes));
      std::vector<EntryField> fields;
      ASSIGN_OR_RETURN(fields, DescribeEntry(bytes, &gov_));
      Described d;
      d.time = FormatWib(st.header.timestamp_ms / 1000);
      for (EntryField& f : fields) {
        if (StatementFieldShown(f.name)) d.fields.push_back(std::move(f));
      }
      it = statements_.emplace(key, std::move(d)).first;
    }
    out.statement_fields = it->second.fields;
    if (time != nullptr) *time = it->second.time;
    return Status::Ok();
  }

 private:
  struct Described {
    std::vector<EntryField> fields;
    std::string time;
  };
  Store& store_;
  const Governance& gov_;
  std::map<uint32_t, std::unique_ptr<LogReader>> readers_;
  std::map<std::pair<uint32_t, uint64_t>, Described> statements_;
};

// Collects the family's records from the join indexes.
class Collector {
 public:
  Collector(Store& store, const Governance& gov, const Pseudonym& kpm)
      : store_(store), leaves_(store, gov), kpm_(kpm), next_(NextPseudonym(kpm)) {}

  Status Init() { return leaves_.Init(); }

  Status TargetLists() {
    std::vector<BnbaRow> rows;
    ASSIGN_OR_RETURN(rows, TargetListEntriesOf(store_, kpm_));
    for (const BnbaRow& row : rows) {
      TrailRecord r;
      r.kind = TrailKind::kTargetList;
      RETURN_IF_ERROR(leaves_.Record(row.log, row.leaf, r).status());
      RETURN_IF_ERROR(leaves_.Statement(row.log, row.statement, r, &r.date));
      out_.push_back(std::move(r));
    }
    return Status::Ok();
  }
  Status Updates() {
    return Each(JoinCursor::Kind::kUpdate, "", [&](const JoinCursor& c) -> Status {
      const UpdateRow& row = c.update();
      TrailRecord r;
      r.kind = TrailKind::kUpdate;
      r.date = row.effective_date;
      RETURN_IF_ERROR(leaves_.Record(row.log, row.leaf, r).status());
      return Add(row.log, row.statement, std::move(r));
    });
  }
  Status Verifications() {
    std::vector<VerificationRow> rows;
    ASSIGN_OR_RETURN(rows, VerificationsOf(store_, kpm_, ""));
    for (const VerificationRow& row : rows) {
      TrailRecord r;
      r.kind = TrailKind::kVerification;
      PkhRecord record;
      ASSIGN_OR_RETURN(record, leaves_.Record(row.log, row.leaf, r));
      if (const auto* v = std::get_if<Verification>(&record)) r.date = v->verified_on;
      RETURN_IF_ERROR(Add(row.log, row.statement, std::move(r)));
    }
    return Status::Ok();
  }
  Status Approvals(const std::string& stage) {
    return Each(JoinCursor::Kind::kApproval, stage, [&](const JoinCursor& c) -> Status {
      const ApprovalRow& row = c.approval();
      TrailRecord r;
      r.kind = TrailKind::kApproval;
      r.date = row.ba_date;
      r.stage = stage;
      RETURN_IF_ERROR(leaves_.Record(row.log, row.leaf, r).status());
      return Add(row.log, row.statement, std::move(r));
    });
  }
  Status Receipts(const std::string& stage) {
    return Each(JoinCursor::Kind::kReceipt, stage, [&](const JoinCursor& c) -> Status {
      const ReceiptRow& row = c.receipt();
      TrailRecord r;
      r.kind = TrailKind::kReceipt;
      r.stage = stage;
      PkhRecord record;
      ASSIGN_OR_RETURN(record, leaves_.Record(row.log, row.leaf, r));
      const auto* receipt = std::get_if<Receipt>(&record);
      r.date = receipt != nullptr ? receipt->paid_at : row.paid_date;
      return Add(row.log, row.statement, std::move(r));
    });
  }
  // The complaints of the stage about the family, and the responses to each.
  Status Complaints(const std::string& stage) {
    std::vector<ComplaintRow> complaints;
    RETURN_IF_ERROR(Each(JoinCursor::Kind::kComplaint, stage, [&](const JoinCursor& c) {
      complaints.push_back(c.complaint());
      return Status::Ok();
    }));
    for (const ComplaintRow& row : complaints) {
      TrailRecord r;
      r.kind = TrailKind::kComplaint;
      r.date = row.received_at;
      r.stage = stage;
      RETURN_IF_ERROR(leaves_.Record(row.log, row.leaf, r).status());
      RETURN_IF_ERROR(Add(row.log, row.statement, std::move(r)));
      std::vector<ResponseRow> responses;
      ASSIGN_OR_RETURN(responses, ResponsesTo(store_, row.log, row.complaint_id));
      for (const ResponseRow& resp : responses) {
        TrailRecord a;
        a.kind = TrailKind::kResponse;
        a.date = resp.responded_at;
        a.stage = stage;
        RETURN_IF_ERROR(leaves_.Record(resp.log, resp.leaf, a).status());
        RETURN_IF_ERROR(Add(resp.log, resp.statement, std::move(a)));
      }
    }
    return Status::Ok();
  }

  std::vector<TrailRecord>& records() { return out_; }

 private:
  Status Add(uint32_t log, uint64_t statement, TrailRecord r) {
    RETURN_IF_ERROR(leaves_.Statement(log, statement, r));
    out_.push_back(std::move(r));
    return Status::Ok();
  }
  template <typename F>
  Status Each(JoinCursor::Kind kind, const std::string& stage, F&& f) {
    JoinCursor c(store_, kind, stage, kpm_, next_);
    for (; c.Valid(); c.Next()) RETURN_IF_ERROR(f(c));
    return c.status();
  }

  Store& store_;
  LeafSource leaves_;
  Pseudonym kpm_;
  std::optional<Pseudonym> next_;
  std::vector<TrailRecord> out_;
};

bool RecordLess(const TrailRecord& a, const TrailRecord& b) {
  const std::string_view da = std::string_view(a.date).substr(0, 10);
  const std::string_view db = std::string_view(b.date).substr(0, 10);
  return std::tie(da, a.kind, a.date, a.log, a.leaf) < std::tie(db, b.kind, b.date, b.log, b.leaf);
}

// Each record's tlog-proof against its log's latest signed checkpoint.
Status AttachTrailProofs(Store& store, const TrailOptions& options, Trail& trail) {
  struct Head {
    std::unique_ptr<LogReader> reader;
    std::string note;
    uint64_t size = 0;
    std::vector<std::string> cosignatures;
  };
  std::map<std::string, Head> heads;
  uint64_t unprovable = 0;
  for (TrailRecord& r : trail.records) {
    auto it = heads.find(r.log);
    if (it == heads.end()) {
      Head h;
      LogInfo info;
      ASSIGN_OR_RETURN(info, FindLog(store, r.log));
      const uint32_t id = info.id;
      const NoteVerifierKey key = info.key;
      h.reader = std::make_unique<LogReader>(store, std::move(info));
      auto note = h.reader->LatestCheckpoint();
      if (note.ok()) {
        auto cp = OpenCheckpoint(*note, key);
        if (!cp.ok()) return cp.status().WithContext("latest checkpoint of " + r.log);
        h.note = *note, h.size = cp->checkpoint.size;
        if (options.cosignatures) {
          ASSIGN_OR_RETURN(h.cosignatures, options.cosignatures(id, h.size));
        }
      } else if (note.status().code() != StatusCode::kNotFound) {
        return note.status();
      }
      it = heads.emplace(r.log, std::move(h)).first;
    }
    Head& h = it->second;
    if (r.leaf >= h.size) {
      ++unprovable;
      continue;
    }
    TlogProof proof;
    ASSIGN_OR_RETURN(proof, BuildTlogProof(*h.reader, h.note, h.cosignatures, r.leaf));
    r.tlog_proof = FormatTlogProof(proof);
  }
  if (unprovable > 0) {
    trail.notes.push_back(
        fmt::format("{} records lie beyond their log's latest signed checkpoint and carry no proof",
                    unprovable));
    trail.notes_id.push_back(fmt::format(
        "{} catatan berada di luar checkpoint bertanda tangan terakhir lognya dan tanpa bukti",
        unprovable));
  }
  return Status::Ok();
}

// Adds the line (en, id) unless `en` already holds it.
void AddOnce(std::vector<std::string>& en, std::vector<std::string>& id, const std::string& e,
             const std::string& i) {
  if (std::find(en.begin(), en.end(), e) != en.end()) return;
  en.push_back(e), id.push_back(i);
}

}  // namespace

std::string_view TrailKindName(TrailKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

Result<TrailKind> ParseTrailKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kKindNames); ++i) {
    if (kKindNames[i] == name) return static_cast<TrailKind>(i);
  }
  return InvalidArgument("not a trail record kind");
}

Result<Pseudonym> ParsePseudonymHex(std::string_view hex, std::string_view option) {
  Pseudonym p{};
  auto bytes = HexDecode(hex);
  if (!bytes.ok() || bytes->size() != p.size() ||
      hex.find_first_of("ABCDEF") != std::string_view::npos) {
    return InvalidArgument(
        fmt::format("{} must be a pseudonym of {} lowercase hex digits", option, 2 * p.size()));
  }
  std::copy(bytes->begin(), bytes->end(), p.begin());
  return p;
}

Result<Trail> BuildTrail(NodeFolder& folder, const TrailOptions& options) {
  Trail trail;
  trail.kpm = options.kpm;
  trail.as_of = options.as_of;
  trail.node = folder.config().origin;
  if (!options.stage.empty()) {
    ASSIGN_OR_RETURN(trail.stage, ParseStageId(options.stage));
  }
  Store& store = folder.store();
  // The governance state (read from its log, which the audits below do
  // not change), for the stages and to name signers.
  Governance gov(std::string(), PublicKey{});
  ASSIGN_OR_RETURN(gov, LoadNodeGovernance(folder));
  std::vector<std::string> stages;
  if (!trail.stage.empty()) {
    stages.push_back(trail.stage);
  } else {
    for (const StageWindow* w : gov.Stages(gov.size())) stages.push_back(w->stage);
    std::sort(stages.begin(), stages.end());
    stages.erase(std::unique(stages.begin(), stages.end()), stages.end());
  }

  // The audit of each stage for this family alone: its findings, and what
  // the node lacks.
  std::vector<Finding> findings;
  for (const std::string& stage : stages) {
    AuditOptions a;
    a.stage = stage;
    a.as_of = options.as_of;
    a.family = options.kpm;
    a.verify_logs = false;
    a.catch_up = options.catch_up;
    AuditReport report;
    ASSIGN_OR_RETURN(report, RunAudit(folder, a));
    trail.moment = report.moment;
    for (Finding& f : report.findings) findings.push_back(std::move(f));
    const auto& missing_id = report.MissingIn(Lang::kId);
    for (size_t i = 0; i < report.missing.size(); ++i) {
      AddOnce(trail.missing, trail.missing_id, report.missing[i], missing_id[i]);
    }
    const auto& notes_id = report.NotesIn(Lang::kId);
    for (size_t i = 0; i < report.notes.size(); ++i) {
      const std::string& n = report.notes[i];
      // What every audit says of its reading of the logs, and that they
      // were not re-verified, the trail's text says in its own words.
      if (n.starts_with("each log is judged at its latest checkpoint") ||
          n == "logs were not re-verified (LOG_INTEGRITY not judged)") {
        continue;
      }
      AddOnce(trail.notes, trail.notes_id, n, notes_id[i]);
    }
  }
  if (stages.empty()) {
    trail.notes.push_back("the governance log opened no stage: no audit rule was applied");
    trail.notes_id.push_back(
        "log tata kelola belum membuka tahap apa pun: tidak ada aturan audit yang diterapkan");
  }

  Collector collect(store, gov, options.kpm);
  RETURN_IF_ERROR(collect.Init());
  RETURN_IF_ERROR(collect.TargetLists());
  RETURN_IF_ERROR(collect.Updates());
  RETURN_IF_ERROR(collect.Verifications());
  for (const std::string& stage : stages) {
    RETURN_IF_ERROR(collect.Approvals(stage));
    RETURN_IF_ERROR(collect.Receipts(stage));
    RETURN_IF_ERROR(collect.Complaints(stage));
  }
  trail.records = std::move(collect.records());
  std::sort(trail.records.begin(), trail.records.end(), RecordLess);
  for (TrailRecord& r : trail.records) {
    std::optional<UpdateRow> status;
    ASSIGN_OR_RETURN(status, StatusOn(store, options.kpm, std::string_view(r.date).substr(0, 10)));
    if (status) r.status = std::string(KpmStatusName(status->status));
  }

  // The family's findings, and those about a statement that carries one of
  // its records (UNAUTHORIZED_STATEMENT).
  std::set<std::pair<std::string, uint64_t>> statements;
  for (const TrailRecord& r : trail.records) statements.emplace(r.log, r.statement);
  for (Finding& f : findings) {
    bool about = f.kpm == options.kpm;
    for (const LeafRef& l : f.leaves) {
      about = about || (l.role == "statement" && statements.count({l.log, l.leaf}) > 0);
    }
    if (about) trail.findings.push_back(std::move(f));
  }
  if (options.proofs) RETURN_IF_ERROR(AttachTrailProofs(store, options, trail));
  return trail;
}

}  // namespace jejak
