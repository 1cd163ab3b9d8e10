#include "ledger/audit/internal/log_findings.h"

#include <map>
#include <memory>
#include <utility>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/evidence.h"
#include "ledger/log/log_source.h"
#include "ledger/log/merkle.h"
#include "ledger/log/proof_json.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/log/verify.h"

namespace jejak::audit_internal {

// UNAUTHORIZED_STATEMENT: statements judged unauthorized when indexed, and
// statements with records that do not fit them, of the audited stage (or of
// none: governance statements) in logs within the scope.
Status StatementFindings(Store& store, const AuditContext& ctx, std::vector<Finding>& out) {
  auto in_scope = [&](uint32_t log) {
    auto it = ctx.logs.find(log);
    if (it == ctx.logs.end()) return false;
    const HeldLog& h = *it->second;
    return h.kind != NodeKind::kKabupaten || ctx.InScope(h.region);
  };
  auto region_of = [&](uint32_t log) -> std::string {
    auto it = ctx.logs.find(log);
    return it != ctx.logs.end() ? it->second->kabupaten() : "";
  };
  const std::string& stage = ctx.options->stage;
  std::map<StatementRef, StatementVerdict> stage_statements;
  RETURN_IF_ERROR(ForEachStatementVerdict(store, [&](const StatementVerdict& v) {
    if (v.stage != stage && !v.stage.empty()) return Status::Ok();
    if (!in_scope(v.log)) return Status::Ok();
    stage_statements.emplace(StatementRef{v.log, v.leaf}, v);
    if (!v.violation.empty()) {
      Finding f;
      f.type = FindingType::kUnauthorizedStatement;
      f.stage = stage;
      f.kabupaten = region_of(v.log);
      f.detail = fmt::format("{} statement of {} records, judged at governance size {}: {}", v.type,
                             v.records, v.governance_size, v.violation);
      // The rule's own words stay as the node wrote them (English).
      f.detail_id = fmt::format(
          "pernyataan {} berisi {} catatan, dinilai pada ukuran log tata "
          "kelola {}: {}",
          v.type, v.records, v.governance_size, v.violation);
      AddLeaf(f, ctx, v.log, v.leaf, "statement");
      out.push_back(std::move(f));
    }
    return Status::Ok();
  }));
  std::map<StatementRef, Finding> by_statement;
  RETURN_IF_ERROR(ForEachRecordViolation(store, [&](const RecordViolation& rv) {
    auto st = stage_statements.find({rv.log, rv.statement});
    if (st == stage_statements.end()) return Status::Ok();
    auto [it, fresh] = by_statement.try_emplace({rv.log, rv.statement});
    Finding& f = it->second;
    if (fresh) {
      f.type = FindingType::kUnauthorizedStatement;
      f.stage = stage;
      f.kabupaten = region_of(rv.log);
      f.detail = fmt::format("{} statement judged at governance size {}: record leaf {}: {}",
                             st->second.type, st->second.governance_size, rv.leaf, rv.message);
      f.detail_id =
          fmt::format("pernyataan {} dinilai pada ukuran log tata kelola {}: catatan daun {}: {}",
                      st->second.type, st->second.governance_size, rv.leaf, rv.message);
      AddLeaf(f, ctx, rv.log, rv.statement, "statement");
    }
    AddLeaf(f, ctx, rv.log, rv.leaf, "record");
    return Status::Ok();
  }));
  for (auto& [ref, f] : by_statement) {
    if (f.leaves.size() > 2) {
      f.detail += fmt::format(" (and {} more records)", f.leaves.size() - 2);
      f.detail_id += fmt::format(" (dan {} catatan lain)", f.leaves.size() - 2);
    }
    out.push_back(std::move(f));
  }
  return Status::Ok();
}

// EQUIVOCATION: the evidence this node stored (a pull that met two signed
// checkpoints of one log that cannot both be true), checked again here.
Status EquivocationFindings(Store& store, const AuditContext& ctx, std::vector<Finding>& out,
                            AuditReport& report) {
  std::vector<std::pair<uint32_t, EquivocationEvidence>> all;
  ASSIGN_OR_RETURN(all, ListEvidence(store));
  for (const auto& [log, e] : all) {
    auto it = ctx.logs.find(log);
    if (it == ctx.logs.end()) continue;
    const HeldLog& h = *it->second;
    const std::string key = h.info.key.ToString();
    if (Status s = CheckEvidence(e, &key); !s.ok()) {
      report.Note(
          fmt::format("stored evidence against {} does not verify: {}", e.origin, s.message()),
          fmt::format("bukti ekuivokasi yang tersimpan terhadap {} tidak terverifikasi: {}",
                      e.origin, s.message()));
      continue;
    }
    SignedCheckpoint a, b;  // both open: CheckEvidence just did
    ASSIGN_OR_RETURN(a, OpenCheckpoint(e.note_a, h.info.key));
    ASSIGN_OR_RETURN(b, OpenCheckpoint(e.note_b, h.info.key));
    Finding f;
    f.type = FindingType::kEquivocation;
    f.stage = ctx.options->stage;
    f.kabupaten = h.kabupaten();
    f.detail = fmt::format(
        "{} signed checkpoints of size {} (root {}) and size {} (root {}) that cannot both be "
        "true; the replica is frozen at size {} (jejak evidence prints the proof)",
        e.origin, a.checkpoint.size, Base64Encode(a.checkpoint.root), b.checkpoint.size,
        Base64Encode(b.checkpoint.root), h.size);
    f.detail_id = fmt::format(
        "{} menandatangani checkpoint ukuran {} (root {}) dan ukuran {} (root {}) yang tidak "
        "mungkin keduanya benar; replika dibekukan pada ukuran {} (jejak evidence mencetak "
        "buktinya)",
        e.origin, a.checkpoint.size, Base64Encode(a.checkpoint.root), b.checkpoint.size,
        Base64Encode(b.checkpoint.root), h.size);
    LeafRef ref;
    ref.log = e.origin, ref.leaf = 0, ref.role = "log";  // the whole log, not one leaf
    f.leaves.push_back(std::move(ref));
    out.push_back(std::move(f));
  }
  return Status::Ok();
}

// LOG_INTEGRITY: recomputes held logs, taking the next of `logs` (largest
// first) until none is left; several of these run at once. Adds progress to
// *done.
std::vector<Finding> VerifyHeldLogs(Store& store, const std::vector<const HeldLog*>& logs,
                                    std::atomic<size_t>* next, const std::string& stage,
                                    std::atomic<uint64_t>* done) {
  std::vector<Finding> out;
  for (size_t i = next->fetch_add(1); i < logs.size(); i = next->fetch_add(1)) {
    const HeldLog& h = *logs[i];
    StoreLogSource source(store, h.info, "the audited store");
    VerifyOptions vo;
    vo.log_key = h.info.key;
    // Every entry was checked in full when it was pulled or appended here;
    // what the audit asks is whether any changed since.
    vo.hashes_only = true;
    uint64_t last = 0;
    vo.progress = [&](uint64_t d, uint64_t) {
      done->fetch_add(d - last, std::memory_order_relaxed);
      last = d;
    };
    VerifyResult r = VerifyLog(source, vo);
    if (r.status.ok()) {
      done->fetch_add(h.size > last ? h.size - last : 0, std::memory_order_relaxed);
      continue;
    }
    Finding f;
    f.type = FindingType::kLogIntegrity;
    f.stage = stage;
    f.kabupaten = h.kabupaten();
    f.detail = std::string(r.status.message());
    f.detail_id = "log gagal diverifikasi ulang: " + f.detail;
    LeafRef ref;  // the first bad leaf, else the whole log
    ref.log = h.info.origin;
    ref.leaf = r.bad_leaf.value_or(0);
    ref.role = r.bad_leaf ? "damaged" : "log";
    f.leaves.push_back(std::move(ref));
    out.push_back(std::move(f));
  }
  return out;
}

Status AttachProofs(
    Store& store, const std::vector<HeldLog>& logs,
    const std::function<Result<std::vector<std::string>>(uint32_t, uint64_t)>& cosignatures,
    std::vector<Finding>& findings, AuditReport& report) {
  std::map<std::string, std::pair<const HeldLog*, std::unique_ptr<LogReader>>> readers;
  std::map<std::string, std::vector<std::string>> kept;  // cosignature lines, by origin
  for (const HeldLog& h : logs) {
    readers.emplace(h.info.origin, std::make_pair(&h, std::make_unique<LogReader>(store, h.info)));
    if (cosignatures && !h.checkpoint.empty()) {
      ASSIGN_OR_RETURN(kept[h.info.origin], cosignatures(h.info.id, h.size));
    }
  }
  uint64_t unprovable = 0;
  for (Finding& f : findings) {
    // Nothing to prove against: the log is damaged, or its author equivocated.
    if (f.type == FindingType::kLogIntegrity || f.type == FindingType::kEquivocation) continue;
    for (LeafRef& ref : f.leaves) {
      auto it = readers.find(ref.log);
      if (it == readers.end()) continue;
      const HeldLog& h = *it->second.first;
      LogReader& reader = *it->second.second;
      if (ref.leaf >= h.size) {
        ++unprovable;
        continue;
      }
      Bytes leaf;
      ASSIGN_OR_RETURN(leaf, reader.Leaf(ref.leaf));
      ref.leaf_hash = LeafHash(leaf);
      std::vector<Hash> proof;
      ASSIGN_OR_RETURN(proof, reader.InclusionProof(ref.leaf, h.size));
      ref.proof = std::move(proof);
      ref.proof_size = h.size;
      TlogProof tlog;
      ASSIGN_OR_RETURN(tlog, BuildTlogProof(reader, h.checkpoint, kept[ref.log], ref.leaf));
      ref.tlog_proof = FormatTlogProof(tlog);
    }
  }
  if (unprovable > 0) {
    report.Note(
        fmt::format("{} leaves lie beyond their log's latest signed checkpoint and carry no proof",
                    unprovable),
        fmt::format("{} daun berada di luar checkpoint bertanda tangan terakhir lognya dan tanpa "
                    "bukti",
                    unprovable));
  }
  return Status::Ok();
}

}  // namespace jejak::audit_internal
