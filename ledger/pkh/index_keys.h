// Lookups in the PKH index of a store (layout: specs/store-layout.md): the
// dedup keys of each log — update_id and txn_ref per log, (stage, KPM) per
// kabupaten log for berita acara — and how far each log is indexed.
// Thread-safe as the store is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/log/log.h"
#include "ledger/pkh/records.h"

namespace jejak {

// The leaves indexed so far.
Result<uint64_t> IndexedSize(Store& store, const LogInfo& log);

// Dedup lookups in one log: the leaf index of the record, if present.
Result<std::optional<uint64_t>> FindUpdateId(Store& store, uint32_t log,
                                             std::string_view update_id);
Result<std::optional<uint64_t>> FindTxnRef(Store& store, uint32_t log, std::string_view txn_ref);
Result<std::optional<uint64_t>> FindApproval(Store& store, uint32_t log, std::string_view stage,
                                             const Pseudonym& kpm);
// Any dedup key (RecordKey in admission.h): `kind` 'u' update_id, 'r' txn_ref,
// 'a' approval, 'b' target list entry, 'v' verification_id, 'c' complaint_id,
// 'p' response_id.
Result<std::optional<uint64_t>> FindDedupKey(Store& store, uint32_t log, char kind,
                                             std::string_view key);
// The key of an approval of `kpm` for `stage` (kind 'a').
std::string ApprovalDedupKey(std::string_view stage, const Pseudonym& kpm);
// Whether the log holds any dedup key at all: an import into a log that holds
// none can skip its per-row lookups.
Result<bool> HoldsAnyDedupKey(Store& store, uint32_t log);
// The largest governance size a statement indexed so far records.
Result<uint64_t> LastGovernanceSize(Store& store, const LogInfo& log);

// The key of a target list entry (kind 'b'): a family appears once on a list.
std::string BnbaDedupKey(std::string_view list_id, const Pseudonym& kpm);
// The year the log holds target list `list_id` under, if it holds it (a list
// id is imported under one year only).
Result<std::optional<uint16_t>> FindListYear(Store& store, uint32_t log, std::string_view list_id);

// A complaint the log holds, by its id: what a response to it is checked
// against (it must answer a complaint of the same log, dated not before it).
struct HeldComplaint {
  uint64_t leaf = 0;
  std::optional<Pseudonym> kpm;
  std::string stage;
  std::string received_at;
};
Result<std::optional<HeldComplaint>> FindComplaint(Store& store, uint32_t log,
                                                   std::string_view complaint_id);

}  // namespace jejak
