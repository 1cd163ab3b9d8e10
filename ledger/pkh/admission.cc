#include "ledger/pkh/admission.h"

#include <fmt/format.h>

#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/statement_rules.h"
#include "ledger/pkh/values.h"

namespace jejak {

std::optional<RecordKey> RecordKeyOf(const StatementHeader& header, const PkhRecord& record) {
  if (const auto* u = std::get_if<KpmUpdate>(&record)) return RecordKey{'u', u->update_id};
  if (const auto* r = std::get_if<Receipt>(&record)) return RecordKey{'r', r->txn_ref};
  if (const auto* a = std::get_if<Approval>(&record)) {
    return RecordKey{'a', ApprovalDedupKey(header.stage, a->kpm)};
  }
  if (const auto* b = std::get_if<BnbaEntry>(&record)) {
    return RecordKey{'b', BnbaDedupKey(header.document_number, b->kpm)};
  }
  if (const auto* v = std::get_if<Verification>(&record)) return RecordKey{'v', v->verification_id};
  if (const auto* c = std::get_if<Complaint>(&record)) return RecordKey{'c', c->complaint_id};
  if (const auto* r = std::get_if<ComplaintResponse>(&record))
    return RecordKey{'p', r->response_id};
  return std::nullopt;
}

// Which keys a statement already carries, and as which record: a flat
// open-addressing table of 128-bit key hashes (two independent 64-bit
// hashes), so a million rows cost 24 MB and no allocation per row.
class RecordKeys::Seen {
 public:
  uint64_t Insert(char kind, std::string_view key, uint64_t n) {
    if ((used_ + 1) * 2 > slots_.size()) Grow();
    const uint64_t h1 = (std::hash<std::string_view>{}(key) ^ static_cast<uint8_t>(kind)) |
                        1;  // 0 marks an empty slot
    const uint64_t h2 = Fnv1a(kind, key);
    for (size_t i = h1 & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.h1 == 0) {
        s = {h1, h2, n};
        ++used_;
        return 0;
      }
      if (s.h1 == h1 && s.h2 == h2) return s.n;
    }
  }

 private:
  struct Slot {
    uint64_t h1 = 0, h2 = 0, n = 0;
  };
  static uint64_t Fnv1a(char kind, std::string_view key) {
    uint64_t h = (0xcbf29ce484222325ULL ^ static_cast<uint8_t>(kind)) * 0x100000001b3ULL;
    for (char c : key) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
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

RecordKeys::RecordKeys(Store& store, uint32_t log, uint64_t log_size)
    : store_(&store), log_(log), log_size_(log_size), seen_(std::make_unique<Seen>()) {
  // A log that holds no key at all (a first import) needs no lookups.
  auto any = HoldsAnyDedupKey(store, log);
  log_has_keys_ = !any.ok() || *any;
}

RecordKeys::~RecordKeys() = default;
RecordKeys::RecordKeys(RecordKeys&&) noexcept = default;
RecordKeys& RecordKeys::operator=(RecordKeys&&) noexcept = default;

Result<std::optional<uint16_t>> RecordKeys::ListYear(std::string_view list_id) const {
  return FindListYear(*store_, log_, list_id);
}

Result<std::optional<HeldComplaint>> RecordKeys::Complaint(std::string_view complaint_id) const {
  return FindComplaint(*store_, log_, complaint_id);
}

Status CheckListYear(const RecordKeys& keys, std::string_view list_id, uint16_t year) {
  std::optional<uint16_t> held;
  ASSIGN_OR_RETURN(held, keys.ListYear(list_id));
  if (held && *held != year) {
    return InvalidArgument(fmt::format(
        "the log holds target list {} for year {}, not {}: a list id is imported under one year "
        "only",
        list_id, *held, year));
  }
  return Status::Ok();
}

Status CheckResponseAgainstLog(const RecordKeys& keys, const ComplaintResponse& response) {
  std::optional<HeldComplaint> complaint;
  ASSIGN_OR_RETURN(complaint, keys.Complaint(response.complaint_id));
  if (!complaint) {
    return InvalidArgument(
        "answers a complaint_id this log does not hold (a response follows its complaint)");
  }
  auto answered = ParseDateTimeWithOffset(response.responded_at);
  if (!answered.ok()) return answered.status().WithContext("responded_at");
  auto received = ParseDateTimeWithOffset(complaint->received_at);
  if (!received.ok()) return received.status().WithContext("the complaint's received_at");
  if (answered->seconds < received->seconds) {
    return InvalidArgument(fmt::format(
        "is dated before the complaint it answers (received at leaf {})", complaint->leaf));
  }
  return Status::Ok();
}

Result<std::optional<uint64_t>> RecordKeys::Held(char kind, std::string_view key) const {
  if (!log_has_keys_) return std::optional<uint64_t>();
  return FindDedupKey(*store_, log_, kind, key);
}

uint64_t RecordKeys::Add(char kind, std::string_view key, uint64_t n, bool in_statement) {
  const uint64_t earlier = seen_->Insert(kind, key, n);
  if (earlier == 0 && in_statement) ++added_;
  return earlier;
}

namespace {

std::string_view KeyName(char kind) {
  switch (kind) {
    case 'u':
      return "update_id";
    case 'r':
      return "txn_ref";
    case 'a':
      return "approval of this KPM for the stage";
    case 'b':
      return "family on this target list";
    case 'v':
      return "verification_id";
    case 'c':
      return "complaint_id";
    case 'p':
      return "response_id";
    default:
      return "key";
  }
}

}  // namespace

Status RecordKeys::AddAll(const StatementHeader& header, const std::vector<PkhRecord>& records) {
  for (size_t i = 0; i < records.size(); ++i) {
    const std::optional<RecordKey> key = RecordKeyOf(header, records[i]);
    if (!key) continue;
    const uint64_t n = i + 1;
    if (const uint64_t earlier = Add(key->kind, key->key, n); earlier != 0) {
      return InvalidArgument(
          fmt::format("record {} repeats the {} of record {}", n, KeyName(key->kind), earlier));
    }
    std::optional<uint64_t> held;
    ASSIGN_OR_RETURN(held, Held(*key));
    if (held) {
      return AlreadyExists(fmt::format("record {}: the log already holds this {} (leaf {})", n,
                                       KeyName(key->kind), *held));
    }
  }
  return Status::Ok();
}

Status AdmitStatement(const AppendSite& site, const Statement& st,
                      const std::vector<PkhRecord>* records, const RecordKeys& keys) {
  const Governance& gov = *site.gov;
  const StatementHeader& h = st.header;
  const uint64_t g = h.governance_size;
  if (keys.log_size() != site.log_size) {
    return FailedPrecondition(
        fmt::format("the statement's records were checked at log size {}, and the log is at {} "
                    "now: prepare it again",
                    keys.log_size(), site.log_size));
  }
  if (site.is_governance) {
    if (records == nullptr) {
      return InvalidArgument("a governance statement is judged with its records");
    }
    if (g != site.log_size) {
      return FailedPrecondition(fmt::format(
          "the statement records governance size {}, but would stand at position {} of the "
          "governance log: a governance statement records the size it is appended at (a "
          "replayed statement, or one prepared before the log grew: prepare and sign it again)",
          g, site.log_size));
    }
    return gov.CheckGovernanceStatement(site.log_size, st, *records);
  }
  if (g > gov.size()) {
    return FailedPrecondition(
        fmt::format("the statement records governance size {}, but this node holds the "
                    "governance log only to size {}: it must pull the governance log first",
                    g, gov.size()));
  }
  if (g < site.last_governance_size) {
    return FailedPrecondition(fmt::format(
        "the statement records governance size {}, smaller than the {} an earlier statement of "
        "this log records: prepare and sign it again at governance size {}",
        g, site.last_governance_size, gov.size()));
  }
  if (g != gov.size() && h.type != kTypeApproval) {
    return FailedPrecondition(fmt::format(
        "the statement was prepared at governance size {}; this node judges at {} now: prepare "
        "and sign it again",
        g, gov.size()));
  }
  const LogRole log{site.origin};
  RETURN_IF_ERROR(CheckLogStatement(gov, log, st, Judging::kAppending));
  if (g != gov.size()) {
    // A berita acara signed earlier: it must still be authorized now, so a
    // key revoked since the draft, or a threshold raised since, refuses it.
    Statement now = st;
    now.header.governance_size = gov.size();
    if (Status still = CheckLogStatement(gov, log, now, Judging::kAppending); !still.ok()) {
      return PermissionDenied(fmt::format("no longer authorized at governance size {}: {}",
                                          gov.size(), still.message()));
    }
  }
  if (IsPkhRecordType(h.type) && keys.size() != h.record_count) {
    return InvalidArgument(
        fmt::format("a {} statement of {} records, of which {} are {} records with a key", h.type,
                    h.record_count, keys.size(), h.type));
  }
  if (h.type == kTypeBnba) RETURN_IF_ERROR(CheckListYear(keys, h.document_number, h.document_year));
  if (records != nullptr) {
    for (size_t i = 0; i < records->size(); ++i) {
      const PkhRecord& r = (*records)[i];
      if (const auto* response = std::get_if<ComplaintResponse>(&r)) {
        if (Status s = CheckResponseAgainstLog(keys, *response); !s.ok()) {
          return Status(s.code(), fmt::format("record {}: {}", i + 1, s.message()));
        }
      } else if (const auto* c = std::get_if<Complaint>(&r);
                 c && gov.Stage(c->stage, g) == nullptr) {
        return InvalidArgument(fmt::format(
            "record {}: a complaint about stage {}, which the governance log had not opened at "
            "size {}",
            i + 1, c->stage, g));
      }
    }
    if (IsPkhRecordType(h.type) && records->size() != h.record_count) {
      return InvalidArgument(
          fmt::format("a {} statement must hold only {} records", h.type, h.type));
    }
    for (size_t i = 0; i < records->size(); ++i) {
      if (Status fit = CheckRecordFitsStatement(st, (*records)[i]); !fit.ok()) {
        return InvalidArgument(fmt::format("record {}: {}", i + 1, fit.message()));
      }
    }
  }
  return Status::Ok();
}

}  // namespace jejak
