#include "ledger/pkh/join_rows.h"

#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "ledger/log/log.h"
#include "ledger/pkh/internal/index_layout.h"

namespace jejak {
namespace {

bool DecodeApproval(std::string_view k, std::string_view v, ApprovalRow& row) {
  if (!SplitStageKey(k, row.stage, row.kpm, row.log, row.leaf)) return false;
  ValueReader r(v);
  row.statement = r.U64();
  row.amount = r.U64();
  row.ba_date = r.Str();
  row.kabupaten = r.Str();
  row.lembaga_bayar = r.Str();
  return r.ok();
}

bool DecodeReceipt(std::string_view k, std::string_view v, ReceiptRow& row) {
  if (!SplitStageKey(k, row.stage, row.kpm, row.log, row.leaf)) return false;
  ValueReader r(v);
  row.statement = r.U64();
  const uint8_t status = r.U8();
  row.status = static_cast<ReceiptStatus>(status);
  row.amount = r.U64();
  row.paid_date = r.Str();
  row.kabupaten = r.Str();
  row.txn_ref = r.Str();
  return r.ok() && status <= 2;
}

bool DecodeUpdate(std::string_view k, std::string_view v, UpdateRow& row) {
  if (k.size() != 1 + 16 + 10 + 4 + 8) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(k.data() + 1);
  std::memcpy(row.kpm.data(), p, 16);
  row.effective_date.assign(k.substr(17, 10));
  row.log = GetBigEndian32(p + 26);
  row.leaf = GetBigEndian64(p + 30);
  ValueReader r(v);
  row.statement = r.U64();
  const uint8_t status = r.U8();
  row.status = static_cast<KpmStatus>(status);
  for (auto& m : row.members) m = static_cast<uint16_t>(r.U64());
  return r.ok() && status <= 4;
}

bool DecodeBnba(std::string_view k, std::string_view v, BnbaRow& row) {
  if (k.size() != 1 + 16 + 4 + 8) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(k.data() + 1);
  std::memcpy(row.kpm.data(), p, 16);
  row.log = GetBigEndian32(p + 16);
  row.leaf = GetBigEndian64(p + 20);
  ValueReader r(v);
  row.statement = r.U64();
  const uint64_t year = r.U64();
  row.year = static_cast<uint16_t>(year);
  return r.ok() && year <= 0xffff;
}

bool DecodeVerification(std::string_view k, std::string_view v, VerificationRow& row) {
  if (k.size() != 1 + 16 + 7 + 4 + 8) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(k.data() + 1);
  std::memcpy(row.kpm.data(), p, 16);
  row.month.assign(k.substr(17, 7));
  row.log = GetBigEndian32(p + 23);
  row.leaf = GetBigEndian64(p + 27);
  ValueReader r(v);
  row.statement = r.U64();
  const uint8_t commitment = r.U8();
  const uint8_t result = r.U8();
  row.commitment = static_cast<Commitment>(commitment);
  row.result = static_cast<CommitmentResult>(result);
  return r.ok() && commitment <= 3 && result <= 2;
}

bool DecodeComplaint(std::string_view k, std::string_view v, ComplaintRow& row,
                     Pseudonym& sort_kpm) {
  if (!SplitStageKey(k, row.stage, sort_kpm, row.log, row.leaf)) return false;
  ValueReader r(v);
  row.statement = r.U64();
  const bool has_kpm = r.U8() != 0;
  row.kpm = has_kpm ? std::optional<Pseudonym>(sort_kpm) : std::nullopt;
  const uint8_t category = r.U8();
  row.category = static_cast<ComplaintCategory>(category);
  row.received_at = r.Str();
  row.complaint_id = r.Str();
  return r.ok() && category <= 4;
}

}  // namespace

std::optional<Pseudonym> NextPseudonym(const Pseudonym& p) {
  Pseudonym next = p;
  for (size_t i = next.size(); i-- > 0;) {
    if (++next[i] != 0) return next;
  }
  return std::nullopt;
}

Result<std::vector<BnbaRow>> TargetListEntriesOf(Store& store, const Pseudonym& kpm) {
  std::vector<BnbaRow> out;
  RETURN_IF_ERROR(Scan(store, "B" + Kpm(kpm), [&](std::string_view k, std::string_view v) {
    BnbaRow row;
    if (!DecodeBnba(k, v, row)) return Malformed("target list");
    out.push_back(row);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<VerificationRow>> VerificationsOf(Store& store, const Pseudonym& kpm,
                                                     std::string_view month) {
  std::vector<VerificationRow> out;
  RETURN_IF_ERROR(
      Scan(store, "W" + Kpm(kpm) + std::string(month), [&](std::string_view k, std::string_view v) {
        VerificationRow row;
        if (!DecodeVerification(k, v, row)) return Malformed("verification");
        out.push_back(std::move(row));
        return Status::Ok();
      }));
  return out;
}

std::vector<const VerificationRow*> FailedCommitments(
    const std::vector<const VerificationRow*>& rows) {
  std::array<const VerificationRow*, 4> latest{};
  for (const VerificationRow* v : rows) latest[static_cast<size_t>(v->commitment)] = v;
  std::vector<const VerificationRow*> failed;
  for (const VerificationRow* v : latest) {
    if (v != nullptr && v->result == CommitmentResult::kNotMet) failed.push_back(v);
  }
  return failed;
}

Result<std::vector<ResponseRow>> ResponsesTo(Store& store, uint32_t log,
                                             std::string_view complaint_id) {
  std::vector<ResponseRow> out;
  const std::string prefix = ResponsePrefix(log, complaint_id);
  RETURN_IF_ERROR(Scan(store, prefix, [&](std::string_view k, std::string_view v) -> Status {
    if (k.size() != prefix.size() + 8) return Malformed("response");
    ResponseRow row;
    row.log = log;
    row.leaf = GetBigEndian64(reinterpret_cast<const uint8_t*>(k.data() + prefix.size()));
    ValueReader r(v);
    row.statement = r.U64();
    row.recorded_ms = static_cast<int64_t>(r.U64());
    const uint8_t action = r.U8();
    row.action = static_cast<ResponseAction>(action);
    row.responded_at = r.Str();
    row.response_id = r.Str();
    if (!r.ok() || action > 2) return Malformed("response");
    out.push_back(std::move(row));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<UpdateRow>> StatusOn(Store& store, const Pseudonym& kpm,
                                          std::string_view date) {
  // Keys sort by date, then log id, then leaf: the rows of the greatest date
  // on or before `date` are the candidates; of those the later leaf wins, and
  // between logs the greater origin (never the store-local log id, so that
  // every store holding the same logs gives the same answer).
  std::vector<UpdateRow> latest;
  RETURN_IF_ERROR(
      Scan(store, "U" + Kpm(kpm), [&](std::string_view k, std::string_view v) -> Status {
        UpdateRow row;
        if (!DecodeUpdate(k, v, row)) return Malformed("update");
        if (row.effective_date > date) return Status::Ok();
        if (!latest.empty() && latest.back().effective_date != row.effective_date) latest.clear();
        latest.push_back(std::move(row));
        return Status::Ok();
      }));
  if (latest.empty()) return std::optional<UpdateRow>();
  if (latest.front().log == latest.back().log) return std::optional<UpdateRow>(latest.back());
  std::vector<LogInfo> logs;
  ASSIGN_OR_RETURN(logs, ListLogs(store));
  auto origin = [&](uint32_t id) -> std::string_view {
    for (const LogInfo& l : logs) {
      if (l.id == id) return l.origin;
    }
    return {};
  };
  const UpdateRow* best = &latest.front();
  for (const UpdateRow& row : latest) {
    const auto a = std::make_pair(origin(row.log), row.leaf);
    const auto b = std::make_pair(origin(best->log), best->leaf);
    if (a > b) best = &row;
  }
  return std::optional<UpdateRow>(*best);
}

Status ForEachStatementVerdict(Store& store,
                               const std::function<Status(const StatementVerdict&)>& f) {
  return Scan(store, "S", [&](std::string_view k, std::string_view v) {
    if (k.size() != 13) return Malformed("statement");
    StatementVerdict s;
    s.log = GetBigEndian32(reinterpret_cast<const uint8_t*>(k.data() + 1));
    s.leaf = GetBigEndian64(reinterpret_cast<const uint8_t*>(k.data() + 5));
    ValueReader r(v);
    s.type = r.Str();
    s.stage = r.Str();
    s.governance_size = r.U64();
    s.records = r.U64();
    s.violation = r.Str();
    if (!r.ok()) return Malformed("statement");
    return f(s);
  });
}

Status ForEachRecordViolation(Store& store,
                              const std::function<Status(const RecordViolation&)>& f) {
  return Scan(store, "V", [&](std::string_view k, std::string_view v) {
    if (k.size() != 13) return Malformed("violation");
    RecordViolation rv;
    rv.log = GetBigEndian32(reinterpret_cast<const uint8_t*>(k.data() + 1));
    rv.leaf = GetBigEndian64(reinterpret_cast<const uint8_t*>(k.data() + 5));
    ValueReader r(v);
    rv.statement = r.U64();
    rv.message = r.Str();
    if (!r.ok()) return Malformed("violation");
    return f(rv);
  });
}

JoinCursor::JoinCursor(Store& store, Kind kind, std::string_view stage, const Pseudonym& from,
                       const std::optional<Pseudonym>& to)
    : kind_(kind), it_(store.NewIterator(Column::kIndex)) {
  switch (kind) {
    case Kind::kApproval:
      prefix_ = "A" + std::string(stage) + '\0';
      break;
    case Kind::kReceipt:
      prefix_ = "R" + std::string(stage) + '\0';
      break;
    case Kind::kUpdate:
      prefix_ = "U";
      break;
    case Kind::kBnba:
      prefix_ = "B";
      break;
    case Kind::kVerification:
      prefix_ = "W";
      break;
    case Kind::kComplaint:
      prefix_ = "C" + std::string(stage) + '\0';
      break;
  }
  if (to) end_ = prefix_ + Kpm(*to);
  it_->Seek(prefix_ + Kpm(from));
  Settle();
}

JoinCursor::~JoinCursor() = default;

void JoinCursor::Next() {
  if (!valid_) return;
  it_->Next();
  Settle();
}

void JoinCursor::SeekForward(const Pseudonym& kpm, std::string_view rest) {
  if (!valid_) return;  // at the end of its range, or failed
  std::string target = prefix_ + Kpm(kpm);
  target.append(rest);
  // The row sought is usually next or nearly so (a family's rows follow
  // the previous family's): a few Next() calls cost less than a Seek.
  for (int step = 0; step < 4; ++step) {
    if (it_->key() >= target) return;
    Next();
    if (!valid_) return;
  }
  if (it_->key() >= target) return;
  it_->Seek(target);
  Settle();
}

const Pseudonym& JoinCursor::kpm() const {
  switch (kind_) {
    case Kind::kApproval:
      return approval_.kpm;
    case Kind::kReceipt:
      return receipt_.kpm;
    case Kind::kUpdate:
      break;
    case Kind::kBnba:
      return bnba_.kpm;
    case Kind::kVerification:
      return verification_.kpm;
    case Kind::kComplaint:
      return complaint_kpm_;
  }
  return update_.kpm;
}

void JoinCursor::Settle() {
  valid_ = false;
  if (!it_->Valid()) {
    status_ = it_->status();
    return;
  }
  const std::string_view k = it_->key();
  if (k.substr(0, prefix_.size()) != prefix_ || (!end_.empty() && k >= end_)) return;
  bool ok = false;
  const char* what = "";
  switch (kind_) {
    case Kind::kApproval:
      ok = DecodeApproval(k, it_->value(), approval_);
      what = "approval";
      break;
    case Kind::kReceipt:
      ok = DecodeReceipt(k, it_->value(), receipt_);
      what = "receipt";
      break;
    case Kind::kUpdate:
      ok = DecodeUpdate(k, it_->value(), update_);
      what = "update";
      break;
    case Kind::kBnba:
      ok = DecodeBnba(k, it_->value(), bnba_);
      what = "target list";
      break;
    case Kind::kVerification:
      ok = DecodeVerification(k, it_->value(), verification_);
      what = "verification";
      break;
    case Kind::kComplaint:
      ok = DecodeComplaint(k, it_->value(), complaint_, complaint_kpm_);
      what = "complaint";
      break;
  }
  if (!ok) {
    status_ = Malformed(what);
    return;
  }
  valid_ = true;
}

}  // namespace jejak
