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
  auto it = store.NewIterator(Column::kIndex);
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
  auto it = store.NewIterator(Column::kIndex);
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

}  // namespace jejak
