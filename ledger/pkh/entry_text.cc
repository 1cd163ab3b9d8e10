#include "ledger/pkh/entry_text.h"

#include <fmt/format.h>

#include <variant>

#include "ledger/log/entry.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

// Text from an entry as it may be shown: itself when printable, else said so.
std::string Shown(std::string_view s) {
  if (ValidUtf8(s, Utf8Rules{})) return std::string(s);
  return fmt::format("({} bytes that are not printable text)", s.size());
}

std::string Amount(uint64_t amount) { return fmt::format("{} ({})", amount, FormatRupiah(amount)); }

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + Shown(i);
  return out;
}

class Fields {
 public:
  void Add(std::string name, std::string value) {
    out_.push_back({std::move(name), std::move(value)});
  }
  void AddIf(std::string name, const std::string& value) {
    if (!value.empty()) Add(std::move(name), Shown(value));
  }
  void Kpm(const Pseudonym& p) { Add("pseudonym", PseudonymHex(p)); }
  std::vector<EntryField> Take() { return std::move(out_); }

 private:
  std::vector<EntryField> out_;
};

void DescribeStatement(const Statement& st, const Governance* gov, Fields& f) {
  const StatementHeader& h = st.header;
  f.Add("entry", "statement");
  f.Add("type", Shown(h.type));
  f.Add("log", Shown(h.origin));
  f.AddIf("stage", h.stage);
  f.AddIf("region", h.region);
  if (!h.regions.empty()) f.Add("regions", Joined(h.regions));
  f.Add("time", fmt::format("{} ({} ms)", FormatWib(h.timestamp_ms / 1000), h.timestamp_ms));
  f.AddIf("document number", h.document_number);
  f.AddIf("document date", h.document_date);
  if (h.document_year != 0) f.Add("document year", std::to_string(h.document_year));
  f.Add("records", std::to_string(h.record_count));
  f.Add("records root", Base64Encode(h.records_root));
  f.Add("governance size", std::to_string(h.governance_size));
  for (size_t i = 0; i < st.signatures.size(); ++i) {
    const PublicKey& key = st.signatures[i].public_key;
    f.Add("signer", gov != nullptr
                        ? SignerLabel(*gov, i, key, h.governance_size) + " " + Base64Encode(key)
                        : fmt::format("signature {} (key {})", i + 1, Base64Encode(key)));
  }
}

std::string MembersText(const Members& m) {
  std::string out;
  for (size_t c = 0; c < kComponentCount; ++c) {
    if (m[c] == 0) continue;
    out += fmt::format("{}{}={}", out.empty() ? "" : ",", ComponentName(static_cast<Component>(c)),
                       m[c]);
  }
  return out.empty() ? "none" : out;
}

// One overload per record kind: the fields after "entry" and "type".
struct RecordFields {
  Fields& f;
  void operator()(const KpmUpdate& r) {
    f.AddIf("update id", r.update_id);
    f.Kpm(r.kpm);
    f.Add("effective date", Shown(r.effective_date));
    f.Add("status", std::string(KpmStatusName(r.status)));
    f.Add("members", MembersText(r.members));
    if (r.evidence_sha256) f.Add("evidence sha256", HexEncode(*r.evidence_sha256));
  }
  void operator()(const Approval& r) {
    f.Kpm(r.kpm);
    f.Add("lembaga bayar", Shown(r.lembaga_bayar));
    f.Add("amount", Amount(r.amount));
  }
  void operator()(const Receipt& r) {
    f.Add("txn ref", Shown(r.txn_ref));
    f.Kpm(r.kpm);
    f.AddIf("kabupaten", r.kabupaten);
    f.AddIf("stage", r.stage);
    f.Add("amount", Amount(r.amount));
    f.Add("status", std::string(ReceiptStatusName(r.status)));
    f.Add("paid at", Shown(r.paid_at));
    f.Add("channel", std::string(ChannelName(r.channel)));
  }
  void operator()(const NodeRegistration& r) {
    f.Add("origin", Shown(r.origin));
    f.AddIf("name", r.name);
    f.Add("kind", std::string(NodeKindName(r.kind)));
    f.AddIf("region", r.region);
    f.AddIf("url", r.url);
    f.Add("verifier key", Shown(r.verifier_key));
    f.AddIf("witness key", r.witness_key);
  }
  void operator()(const KeyGrant& r) {
    f.Add("key", Base64Encode(r.public_key));
    f.AddIf("key name", r.key_name);
    f.Add("role", std::string(RoleName(r.role)));
    f.Add("scope", Joined(r.scope));
    f.AddIf("institution", r.institution);
  }
  void operator()(const KeyRevocation& r) { f.Add("key", Base64Encode(r.public_key)); }
  void operator()(const StageWindow& r) {
    f.Add("stage", Shown(r.stage));
    f.Add("from", Shown(r.from));
    f.Add("to", Shown(r.to));
  }
  void operator()(const BenefitIndex& r) {
    f.Add("year", std::to_string(r.year));
    f.Add("max components", std::to_string(r.max_components));
    for (size_t c = 0; c < kComponentCount; ++c) {
      if (!r.rates[c].present) continue;
      f.Add(std::string(ComponentName(static_cast<Component>(c))),
            fmt::format("{} per stage, at most {} members", Amount(r.rates[c].amount_per_stage),
                        r.rates[c].max_members));
    }
  }
  void operator()(const ApprovalPolicy& r) {
    f.Add("scope", Shown(r.scope));
    if (r.threshold != 0) f.Add("approval threshold", std::to_string(r.threshold));
    if (r.require_bnba) f.Add("require bnba", *r.require_bnba ? "yes" : "no");
    if (r.suspend_after_months) {
      f.Add("suspend after months", std::to_string(*r.suspend_after_months));
    }
    if (r.complaint_response_hours) {
      f.Add("complaint response hours", std::to_string(*r.complaint_response_hours));
    }
  }
  void operator()(const BnbaEntry& r) {
    f.Kpm(r.kpm);
    f.AddIf("kabupaten", r.kabupaten);
  }
  void operator()(const Verification& r) {
    f.AddIf("verification id", r.verification_id);
    f.Kpm(r.kpm);
    f.Add("month", Shown(r.month));
    f.Add("commitment", std::string(CommitmentName(r.commitment)));
    f.Add("result", std::string(CommitmentResultName(r.result)));
    f.Add("verified on", Shown(r.verified_on));
    f.AddIf("facility", r.facility_code);
  }
  void operator()(const Complaint& r) {
    f.Add("complaint id", Shown(r.complaint_id));
    if (r.kpm) f.Kpm(*r.kpm);
    f.AddIf("stage", r.stage);
    f.Add("category", std::string(ComplaintCategoryName(r.category)));
    f.Add("channel", std::string(ComplaintChannelName(r.channel)));
    f.Add("received at", Shown(r.received_at));
    if (r.evidence_sha256) f.Add("evidence sha256", HexEncode(*r.evidence_sha256));
  }
  void operator()(const ComplaintResponse& r) {
    f.Add("response id", Shown(r.response_id));
    f.Add("complaint id", Shown(r.complaint_id));
    f.Add("responded at", Shown(r.responded_at));
    f.Add("action", std::string(ResponseActionName(r.action)));
  }
};

Status DescribeRecord(ByteSpan leaf, Fields& f) {
  std::optional<PkhRecord> record;
  ASSIGN_OR_RETURN(record, DecodePkhRecord(leaf));
  f.Add("entry", "record");
  if (record) {
    f.Add("type", std::string(StatementTypeOf(*record)));
    std::visit(RecordFields{f}, *record);
    return Status::Ok();
  }
  RecordView view;
  ASSIGN_OR_RETURN(view, DecodeRecordEntry(leaf));
  switch (view.kind) {
    case RecordView::Kind::kText:
      f.Add("type", "text");
      f.Add("text", Shown(view.text));
      break;
    case RecordView::Kind::kData:
      f.Add("type", "data");
      f.Add("data",
            fmt::format("{} bytes, sha256 {}", view.data.size(), HexEncode(Sha256(view.data))));
      break;
    case RecordView::Kind::kOther:
      f.Add("type", "a record kind this version does not know");
      break;
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<EntryField>> DescribeEntry(ByteSpan leaf, const Governance* gov) {
  EntryKind kind;
  ASSIGN_OR_RETURN(kind, DecodeEntryKind(leaf));
  Fields f;
  if (kind == EntryKind::kStatement) {
    Statement st;
    ASSIGN_OR_RETURN(st, DecodeStatementEntry(leaf));
    DescribeStatement(st, gov, f);
  } else {
    RETURN_IF_ERROR(DescribeRecord(leaf, f));
  }
  return f.Take();
}

}  // namespace jejak
