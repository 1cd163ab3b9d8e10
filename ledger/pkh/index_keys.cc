#include "ledger/pkh/index_keys.h"

#include <fmt/format.h>

#include "ledger/pkh/internal/index_layout.h"

namespace jejak {

std::string DedupKey(uint32_t log, char kind, std::string_view key) {
  return "D" + KeyU32(log) + std::string(1, kind) + std::string(key);
}
std::string StageKpm(std::string_view stage, const Pseudonym& kpm) {
  return std::string(stage) + '\0' + Kpm(kpm);
}
std::string StatementKey(uint32_t log, uint64_t leaf) { return "S" + KeyU32(log) + KeyU64(leaf); }
std::string ViolationKey(uint32_t log, uint64_t leaf) { return "V" + KeyU32(log) + KeyU64(leaf); }
std::string ApprovalKey(std::string_view stage, const Pseudonym& kpm, uint32_t log, uint64_t leaf) {
  return "A" + StageKpm(stage, kpm) + KeyU32(log) + KeyU64(leaf);
}
std::string ReceiptKey(std::string_view stage, const Pseudonym& kpm, uint32_t log, uint64_t leaf) {
  return "R" + StageKpm(stage, kpm) + KeyU32(log) + KeyU64(leaf);
}
std::string UpdateKey(const Pseudonym& kpm, std::string_view date, uint32_t log, uint64_t leaf) {
  return "U" + Kpm(kpm) + std::string(date) + KeyU32(log) + KeyU64(leaf);
}
std::string WatermarkKey(uint32_t log) { return fmt::format("log/{:010d}/indexed", log); }
std::string BnbaKey(const Pseudonym& kpm, uint32_t log, uint64_t leaf) {
  return "B" + Kpm(kpm) + KeyU32(log) + KeyU64(leaf);
}
std::string ListKey(uint32_t log, std::string_view list_id) {
  return "L" + KeyU32(log) + std::string(list_id);
}
std::string VerificationKey(const Pseudonym& kpm, std::string_view month, uint32_t log,
                            uint64_t leaf) {
  return "W" + Kpm(kpm) + std::string(month) + KeyU32(log) + KeyU64(leaf);
}
std::string ComplaintKey(std::string_view stage, const std::optional<Pseudonym>& kpm, uint32_t log,
                         uint64_t leaf) {
  return "C" + StageKpm(stage, kpm.value_or(Pseudonym{})) + KeyU32(log) + KeyU64(leaf);
}
std::string ComplaintByIdKey(uint32_t log, std::string_view complaint_id) {
  return "Q" + KeyU32(log) + std::string(complaint_id);
}
std::string ResponsePrefix(uint32_t log, std::string_view complaint_id) {
  return "P" + KeyU32(log) + std::string(complaint_id) + '\0';
}
std::string ResponseKey(uint32_t log, std::string_view complaint_id, uint64_t leaf) {
  return ResponsePrefix(log, complaint_id) + KeyU64(leaf);
}

Result<Watermark> ReadWatermark(Store& store, uint32_t log) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(Column::kMeta, WatermarkKey(log)));
  Watermark w;
  if (!v) return w;
  ValueReader r(*v);
  w.next = r.U64();
  w.open_statement = r.U64();
  w.last_governance_size = r.U64();
  if (!r.ok()) return Corruption(fmt::format("index watermark of log {} is malformed", log));
  return w;
}

Result<std::optional<uint64_t>> FindLeaf(Store& store, const std::string& key) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(Column::kIndex, key));
  if (!v) return std::optional<uint64_t>();
  if (v->size() != 8) return Corruption("malformed dedup entry");
  return std::optional<uint64_t>(GetBigEndian64(reinterpret_cast<const uint8_t*>(v->data())));
}
std::string EncodeWatermark(const Watermark& w) {
  return ValueWriter().U64(w.next).U64(w.open_statement).U64(w.last_governance_size).str();
}

Status Scan(Store& store, std::string_view prefix,
            const std::function<Status(std::string_view key, std::string_view value)>& f) {
  auto it = store.NewShortIterator(Column::kIndex);
  for (it->Seek(prefix); it->Valid() && it->key().substr(0, prefix.size()) == prefix; it->Next()) {
    RETURN_IF_ERROR(f(it->key(), it->value()));
  }
  return it->status();
}

Status Malformed(std::string_view what) {
  return Corruption(fmt::format("malformed {} index entry", what));
}

// "<stage>\0<kpm16><log4><leaf8>" after the one-byte prefix.
bool SplitStageKey(std::string_view key, std::string& stage, Pseudonym& kpm, uint32_t& log,
                   uint64_t& leaf) {
  key.remove_prefix(1);
  const size_t nul = key.find('\0');
  if (nul == std::string_view::npos || key.size() != nul + 1 + 16 + 4 + 8) return false;
  stage = std::string(key.substr(0, nul));
  const auto* p = reinterpret_cast<const uint8_t*>(key.data() + nul + 1);
  std::memcpy(kpm.data(), p, 16);
  log = GetBigEndian32(p + 16);
  leaf = GetBigEndian64(p + 20);
  return true;
}

Result<uint64_t> IndexedSize(Store& store, const LogInfo& log) {
  Watermark w;
  ASSIGN_OR_RETURN(w, ReadWatermark(store, log.id));
  return w.next;
}

Result<std::optional<uint64_t>> FindUpdateId(Store& store, uint32_t log, std::string_view id) {
  return FindLeaf(store, DedupKey(log, 'u', id));
}
Result<std::optional<uint64_t>> FindTxnRef(Store& store, uint32_t log, std::string_view ref) {
  return FindLeaf(store, DedupKey(log, 'r', ref));
}
Result<std::optional<uint64_t>> FindDedupKey(Store& store, uint32_t log, char kind,
                                             std::string_view key) {
  return FindLeaf(store, DedupKey(log, kind, key));
}
std::string ApprovalDedupKey(std::string_view stage, const Pseudonym& kpm) {
  return StageKpm(stage, kpm);
}
Result<bool> HoldsAnyDedupKey(Store& store, uint32_t log) {
  const std::string prefix = "D" + KeyU32(log);
  auto it = store.NewShortIterator(Column::kIndex);
  it->Seek(prefix);
  const bool any = it->Valid() && it->key().substr(0, prefix.size()) == prefix;
  RETURN_IF_ERROR(it->status());
  return any;
}
Result<uint64_t> LastGovernanceSize(Store& store, const LogInfo& log) {
  Watermark w;
  ASSIGN_OR_RETURN(w, ReadWatermark(store, log.id));
  return w.last_governance_size;
}
Result<std::optional<uint64_t>> FindApproval(Store& store, uint32_t log, std::string_view stage,
                                             const Pseudonym& kpm) {
  return FindLeaf(store, DedupKey(log, 'a', StageKpm(stage, kpm)));
}

std::string BnbaDedupKey(std::string_view list_id, const Pseudonym& kpm) {
  return std::string(list_id) + '\0' + Kpm(kpm);
}

Result<std::optional<uint16_t>> FindListYear(Store& store, uint32_t log, std::string_view list_id) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(Column::kIndex, ListKey(log, list_id)));
  if (!v) return std::optional<uint16_t>();
  if (v->size() != 2) return Malformed("target list");
  return std::optional<uint16_t>(
      static_cast<uint16_t>(static_cast<uint8_t>((*v)[0]) << 8 | static_cast<uint8_t>((*v)[1])));
}

Result<std::optional<HeldComplaint>> FindComplaint(Store& store, uint32_t log,
                                                   std::string_view complaint_id) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(Column::kIndex, ComplaintByIdKey(log, complaint_id)));
  if (!v) return std::optional<HeldComplaint>();
  ValueReader r(*v);
  HeldComplaint c;
  c.leaf = r.U64();
  const bool has_kpm = r.U8() != 0;
  const Pseudonym kpm = r.Fixed<16>();
  if (has_kpm) c.kpm = kpm;
  c.stage = r.Str();
  c.received_at = r.Str();
  if (!r.ok()) return Malformed("complaint");
  return std::optional<HeldComplaint>(std::move(c));
}

}  // namespace jejak
