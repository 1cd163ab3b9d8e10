#include "ledger/pkh/records.h"

#include <algorithm>

#include <fmt/format.h>

#include "crypto/encoding.h"

#include "ledger/log/entry_codec.h"

namespace jejak {
namespace {

using internal::CanonicalReader;
using internal::CopyText;
using internal::Data;
using internal::Finish;
using internal::FixedData;
using internal::TextOf;

template <typename E, size_t N>
Result<E> ParseName(std::string_view name, const std::array<std::string_view, N>& names,
                    std::string_view what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  std::string valid;
  for (size_t i = 0; i < N; ++i) valid += (i ? ", " : "") + std::string(names[i]);
  return InvalidArgument(fmt::format("unknown {}; expected one of {}", what, valid));
}

constexpr std::array<std::string_view, 5> kKpmStatusNames = {"active", "graduated", "deceased",
                                                             "moved", "ineligible"};
constexpr std::array<std::string_view, 3> kReceiptStatusNames = {"paid", "failed", "returned"};
constexpr std::array<std::string_view, 3> kChannelNames = {"kks", "rekening", "pos"};
constexpr std::array<std::string_view, 6> kRoleNames = {"registrar", "operator", "approver",
                                                        "payer",     "auditor",  "targeting"};
constexpr std::array<std::string_view, 4> kCommitmentNames = {"kesehatan", "pendidikan",
                                                              "kesejahteraan", "p2k2"};
constexpr std::array<std::string_view, 3> kCommitmentResultNames = {"met", "not_met", "exempt"};
constexpr std::array<std::string_view, 5> kComplaintCategoryNames = {"tidak_menerima", "potongan",
                                                                     "data", "layanan", "lainnya"};
constexpr std::array<std::string_view, 8> kComplaintChannelNames = {
    "loket", "buku", "telepon", "whatsapp", "web", "email", "media_sosial", "lapor"};
constexpr std::array<std::string_view, 3> kResponseActionNames = {"answered", "forwarded",
                                                                  "resolved"};

template <typename B>
void FillMembers(B m, const Members& v) {
  m.setIbuHamil(v[0]);
  m.setAnakUsiaDini(v[1]);
  m.setSd(v[2]);
  m.setSmp(v[3]);
  m.setSma(v[4]);
  m.setDisabilitasBerat(v[5]);
  m.setLansia(v[6]);
}

Members ReadMembers(schema::Members::Reader m) {
  return {m.getIbuHamil(), m.getAnakUsiaDini(),     m.getSd(),    m.getSmp(),
          m.getSma(),      m.getDisabilitasBerat(), m.getLansia()};
}

// Text fields are set through init + copy (see ledger/log/entry_codec.h: no NUL truncation).
#define JEJAK_SET_TEXT(builder, Field, value) \
  CopyText(builder.init##Field(static_cast<unsigned>((value).size())), value)

struct Encoder {
  schema::Record::Payload::Builder p;

  void operator()(const KpmUpdate& u) {
    auto b = p.initUpdate();
    JEJAK_SET_TEXT(b, UpdateId, u.update_id);
    b.setKpm(Data(u.kpm));
    JEJAK_SET_TEXT(b, EffectiveDate, u.effective_date);
    b.setStatus(static_cast<schema::KpmStatus>(u.status));
    FillMembers(b.initMembers(), u.members);
    if (u.evidence_sha256) b.setEvidenceSha256(Data(*u.evidence_sha256));
  }
  void operator()(const Approval& a) {
    auto b = p.initApproval();
    b.setKpm(Data(a.kpm));
    JEJAK_SET_TEXT(b, LembagaBayar, a.lembaga_bayar);
    b.setAmount(a.amount);
  }
  void operator()(const Receipt& r) {
    auto b = p.initReceipt();
    JEJAK_SET_TEXT(b, TxnRef, r.txn_ref);
    b.setKpm(Data(r.kpm));
    JEJAK_SET_TEXT(b, Kabupaten, r.kabupaten);
    JEJAK_SET_TEXT(b, Stage, r.stage);
    b.setAmount(r.amount);
    b.setStatus(static_cast<schema::ReceiptStatus>(r.status));
    JEJAK_SET_TEXT(b, PaidAt, r.paid_at);
    b.setChannel(static_cast<schema::Channel>(r.channel));
  }
  void operator()(const NodeRegistration& n) {
    auto b = p.initNodeRegistration();
    JEJAK_SET_TEXT(b, Origin, n.origin);
    JEJAK_SET_TEXT(b, Name, n.name);
    JEJAK_SET_TEXT(b, Kind, n.kind ? NodeKindName(*n.kind) : std::string_view());
    JEJAK_SET_TEXT(b, Region, n.region);
    JEJAK_SET_TEXT(b, VerifierKey, n.verifier_key);
    JEJAK_SET_TEXT(b, Url, n.url);
    // Set only when present, so that registrations without one keep their bytes.
    if (!n.witness_key.empty()) JEJAK_SET_TEXT(b, WitnessKey, n.witness_key);
  }
  void operator()(const KeyGrant& g) {
    auto b = p.initKeyGrant();
    b.setPublicKey(Data(g.public_key));
    JEJAK_SET_TEXT(b, KeyName, g.key_name);
    b.setRole(static_cast<schema::Role>(g.role));
    auto scope = b.initScope(static_cast<unsigned>(g.scope.size()));
    for (size_t i = 0; i < g.scope.size(); ++i) {
      CopyText(scope.init(static_cast<unsigned>(i), static_cast<unsigned>(g.scope[i].size())),
               g.scope[i]);
    }
    if (!g.institution.empty()) JEJAK_SET_TEXT(b, Institution, g.institution);
  }
  void operator()(const KeyRevocation& r) {
    p.initKeyRevocation().setPublicKey(Data(r.public_key));
  }
  void operator()(const StageWindow& w) {
    auto b = p.initStageWindow();
    JEJAK_SET_TEXT(b, Stage, w.stage);
    JEJAK_SET_TEXT(b, From, w.from);
    JEJAK_SET_TEXT(b, To, w.to);
  }
  void operator()(const BenefitIndex& x) {
    auto b = p.initBenefitIndex();
    b.setYear(x.year);
    b.setMaxComponents(x.max_components);
    size_t n = 0;
    for (const auto& r : x.rates) n += r.present ? 1 : 0;
    auto list = b.initComponents(static_cast<unsigned>(n));
    unsigned k = 0;
    for (size_t c = 0; c < kComponentCount; ++c) {
      if (!x.rates[c].present) continue;
      const std::string_view name = ComponentName(static_cast<Component>(c));
      JEJAK_SET_TEXT(list[k], Component, name);
      list[k].setAmountPerStage(x.rates[c].amount_per_stage);
      list[k].setMaxMembers(x.rates[c].max_members);
      ++k;
    }
  }
  void operator()(const ApprovalPolicy& a) {
    auto b = p.initApprovalPolicy();
    b.setApprovalThreshold(a.threshold);
    JEJAK_SET_TEXT(b, Scope, a.scope);
    // Unset settings stay absent, so that policies of before keep their bytes.
    if (a.require_bnba) {
      b.setRequireBnba(*a.require_bnba ? schema::PolicySwitch::ON : schema::PolicySwitch::OFF);
    }
    if (a.suspend_after_months) {
      b.setSuspendAfterMonthsSet(true);
      b.setSuspendAfterMonths(*a.suspend_after_months);
    }
    if (a.complaint_response_hours) b.setComplaintResponseHours(*a.complaint_response_hours);
  }
  void operator()(const BnbaEntry& e) {
    auto b = p.initBnba();
    b.setKpm(Data(e.kpm));
    JEJAK_SET_TEXT(b, Kabupaten, e.kabupaten);
  }
  void operator()(const Verification& v) {
    auto b = p.initVerification();
    JEJAK_SET_TEXT(b, VerificationId, v.verification_id);
    b.setKpm(Data(v.kpm));
    JEJAK_SET_TEXT(b, Month, v.month);
    b.setCommitment(static_cast<schema::Commitment>(v.commitment));
    b.setResult(static_cast<schema::CommitmentResult>(v.result));
    JEJAK_SET_TEXT(b, VerifiedOn, v.verified_on);
    if (!v.facility_code.empty()) JEJAK_SET_TEXT(b, FacilityCode, v.facility_code);
  }
  void operator()(const Complaint& c) {
    auto b = p.initComplaint();
    JEJAK_SET_TEXT(b, ComplaintId, c.complaint_id);
    if (c.kpm) b.setKpm(Data(*c.kpm));
    JEJAK_SET_TEXT(b, Stage, c.stage);
    b.setCategory(static_cast<schema::ComplaintCategory>(c.category));
    b.setChannel(static_cast<schema::ComplaintChannel>(c.channel));
    JEJAK_SET_TEXT(b, ReceivedAt, c.received_at);
    if (c.evidence_sha256) b.setEvidenceSha256(Data(*c.evidence_sha256));
  }
  void operator()(const ComplaintResponse& r) {
    auto b = p.initComplaintResponse();
    JEJAK_SET_TEXT(b, ResponseId, r.response_id);
    JEJAK_SET_TEXT(b, ComplaintId, r.complaint_id);
    JEJAK_SET_TEXT(b, RespondedAt, r.responded_at);
    b.setAction(static_cast<schema::ResponseAction>(r.action));
  }
};

#undef JEJAK_SET_TEXT

template <typename EnumOut, typename EnumIn>
Result<EnumOut> CheckedEnum(EnumIn v, size_t count, std::string_view what) {
  if (static_cast<size_t>(v) >= count) return Corruption(fmt::format("unknown {}", what));
  return static_cast<EnumOut>(v);
}

Result<std::optional<PkhRecord>> Decode(schema::Record::Payload::Reader p) {
  using P = schema::Record::Payload;
  switch (p.which()) {
    case P::TEXT:
    case P::DATA:
      return std::optional<PkhRecord>();
    case P::UPDATE: {
      auto b = p.getUpdate();
      KpmUpdate u;
      u.update_id = TextOf(b.getUpdateId());
      ASSIGN_OR_RETURN(u.kpm, FixedData<16>(b.getKpm(), "pseudonym"));
      u.effective_date = TextOf(b.getEffectiveDate());
      ASSIGN_OR_RETURN(u.status, (CheckedEnum<KpmStatus>(b.getStatus(), 5, "KPM status")));
      u.members = ReadMembers(b.getMembers());
      if (b.hasEvidenceSha256()) {
        ASSIGN_OR_RETURN(u.evidence_sha256, FixedData<32>(b.getEvidenceSha256(), "evidence hash"));
      }
      return std::optional<PkhRecord>(std::move(u));
    }
    case P::APPROVAL: {
      auto b = p.getApproval();
      Approval a;
      ASSIGN_OR_RETURN(a.kpm, FixedData<16>(b.getKpm(), "pseudonym"));
      a.lembaga_bayar = TextOf(b.getLembagaBayar());
      a.amount = b.getAmount();
      return std::optional<PkhRecord>(std::move(a));
    }
    case P::RECEIPT: {
      auto b = p.getReceipt();
      Receipt r;
      r.txn_ref = TextOf(b.getTxnRef());
      ASSIGN_OR_RETURN(r.kpm, FixedData<16>(b.getKpm(), "pseudonym"));
      r.kabupaten = TextOf(b.getKabupaten());
      r.stage = TextOf(b.getStage());
      r.amount = b.getAmount();
      ASSIGN_OR_RETURN(r.status, (CheckedEnum<ReceiptStatus>(b.getStatus(), 3, "receipt status")));
      r.paid_at = TextOf(b.getPaidAt());
      ASSIGN_OR_RETURN(r.channel, (CheckedEnum<Channel>(b.getChannel(), 3, "channel")));
      return std::optional<PkhRecord>(std::move(r));
    }
    case P::NODE_REGISTRATION: {
      auto b = p.getNodeRegistration();
      NodeRegistration n;
      n.origin = TextOf(b.getOrigin());
      n.name = TextOf(b.getName());
      if (auto kind = ParseNodeKind(TextOf(b.getKind())); kind.ok()) n.kind = *kind;
      n.region = TextOf(b.getRegion());
      n.verifier_key = TextOf(b.getVerifierKey());
      n.url = TextOf(b.getUrl());
      n.witness_key = TextOf(b.getWitnessKey());
      return std::optional<PkhRecord>(std::move(n));
    }
    case P::KEY_GRANT: {
      auto b = p.getKeyGrant();
      KeyGrant g;
      ASSIGN_OR_RETURN(g.public_key, FixedData<32>(b.getPublicKey(), "granted key"));
      g.key_name = TextOf(b.getKeyName());
      ASSIGN_OR_RETURN(g.role, (CheckedEnum<Role>(b.getRole(), kRoleNames.size(), "role")));
      for (auto s : b.getScope()) g.scope.push_back(TextOf(s));
      g.institution = TextOf(b.getInstitution());
      return std::optional<PkhRecord>(std::move(g));
    }
    case P::KEY_REVOCATION: {
      KeyRevocation r;
      ASSIGN_OR_RETURN(r.public_key,
                       FixedData<32>(p.getKeyRevocation().getPublicKey(), "revoked key"));
      return std::optional<PkhRecord>(r);
    }
    case P::STAGE_WINDOW: {
      auto b = p.getStageWindow();
      return std::optional<PkhRecord>(
          StageWindow{TextOf(b.getStage()), TextOf(b.getFrom()), TextOf(b.getTo())});
    }
    case P::BENEFIT_INDEX: {
      auto b = p.getBenefitIndex();
      BenefitIndex x;
      x.year = b.getYear();
      x.max_components = b.getMaxComponents();
      for (auto c : b.getComponents()) {
        auto comp = ParseComponent(TextOf(c.getComponent()));
        if (!comp.ok()) return Corruption("benefit index: " + comp.status().message());
        auto& rate = x.rates[static_cast<size_t>(*comp)];
        if (rate.present) return Corruption("benefit index repeats a component");
        rate = {true, c.getAmountPerStage(), c.getMaxMembers()};
      }
      if (Status v = ValidateBenefitIndex(x); !v.ok()) {
        return Corruption("benefit index: " + v.message());
      }
      return std::optional<PkhRecord>(x);
    }
    case P::APPROVAL_POLICY: {
      auto b = p.getApprovalPolicy();
      ApprovalPolicy a{b.getApprovalThreshold(), TextOf(b.getScope())};
      switch (b.getRequireBnba()) {
        case schema::PolicySwitch::UNSET:
          break;
        case schema::PolicySwitch::OFF:
          a.require_bnba = false;
          break;
        case schema::PolicySwitch::ON:
          a.require_bnba = true;
          break;
        default:
          return Corruption("unknown policy switch");
      }
      if (b.getSuspendAfterMonthsSet()) {
        a.suspend_after_months = b.getSuspendAfterMonths();
      } else if (b.getSuspendAfterMonths() != 0) {
        return Corruption("a suspension period that is not set");
      }
      if (b.getComplaintResponseHours() != 0) {
        a.complaint_response_hours = b.getComplaintResponseHours();
      }
      return std::optional<PkhRecord>(std::move(a));
    }
    case P::BNBA: {
      auto b = p.getBnba();
      BnbaEntry e;
      ASSIGN_OR_RETURN(e.kpm, FixedData<16>(b.getKpm(), "pseudonym"));
      e.kabupaten = TextOf(b.getKabupaten());
      return std::optional<PkhRecord>(std::move(e));
    }
    case P::VERIFICATION: {
      auto b = p.getVerification();
      Verification v;
      v.verification_id = TextOf(b.getVerificationId());
      ASSIGN_OR_RETURN(v.kpm, FixedData<16>(b.getKpm(), "pseudonym"));
      v.month = TextOf(b.getMonth());
      ASSIGN_OR_RETURN(
          v.commitment,
          (CheckedEnum<Commitment>(b.getCommitment(), kCommitmentNames.size(), "commitment")));
      ASSIGN_OR_RETURN(v.result, (CheckedEnum<CommitmentResult>(
                                     b.getResult(), kCommitmentResultNames.size(), "result")));
      v.verified_on = TextOf(b.getVerifiedOn());
      v.facility_code = TextOf(b.getFacilityCode());
      return std::optional<PkhRecord>(std::move(v));
    }
    case P::COMPLAINT: {
      auto b = p.getComplaint();
      Complaint c;
      c.complaint_id = TextOf(b.getComplaintId());
      if (b.hasKpm()) {
        ASSIGN_OR_RETURN(c.kpm, FixedData<16>(b.getKpm(), "pseudonym"));
      }
      c.stage = TextOf(b.getStage());
      ASSIGN_OR_RETURN(
          c.category, (CheckedEnum<ComplaintCategory>(b.getCategory(),
                                                      kComplaintCategoryNames.size(), "category")));
      ASSIGN_OR_RETURN(c.channel, (CheckedEnum<ComplaintChannel>(
                                      b.getChannel(), kComplaintChannelNames.size(), "channel")));
      c.received_at = TextOf(b.getReceivedAt());
      if (b.hasEvidenceSha256()) {
        ASSIGN_OR_RETURN(c.evidence_sha256, FixedData<32>(b.getEvidenceSha256(), "evidence hash"));
      }
      return std::optional<PkhRecord>(std::move(c));
    }
    case P::COMPLAINT_RESPONSE: {
      auto b = p.getComplaintResponse();
      ComplaintResponse r;
      r.response_id = TextOf(b.getResponseId());
      r.complaint_id = TextOf(b.getComplaintId());
      r.responded_at = TextOf(b.getRespondedAt());
      ASSIGN_OR_RETURN(r.action, (CheckedEnum<ResponseAction>(
                                     b.getAction(), kResponseActionNames.size(), "action")));
      return std::optional<PkhRecord>(std::move(r));
    }
  }
  return Corruption("record of an unknown kind");
}

}  // namespace

std::string_view KpmStatusName(KpmStatus s) { return kKpmStatusNames[static_cast<size_t>(s)]; }
Result<KpmStatus> ParseKpmStatus(std::string_view n) {
  return ParseName<KpmStatus>(n, kKpmStatusNames, "status");
}
std::string_view ReceiptStatusName(ReceiptStatus s) {
  return kReceiptStatusNames[static_cast<size_t>(s)];
}
Result<ReceiptStatus> ParseReceiptStatus(std::string_view n) {
  return ParseName<ReceiptStatus>(n, kReceiptStatusNames, "status");
}
std::string_view ChannelName(Channel c) { return kChannelNames[static_cast<size_t>(c)]; }
Result<Channel> ParseChannel(std::string_view n) {
  return ParseName<Channel>(n, kChannelNames, "channel");
}
std::string_view RoleName(Role r) { return kRoleNames[static_cast<size_t>(r)]; }
Result<Role> ParseRole(std::string_view n) { return ParseName<Role>(n, kRoleNames, "role"); }
std::string_view CommitmentName(Commitment c) { return kCommitmentNames[static_cast<size_t>(c)]; }
Result<Commitment> ParseCommitment(std::string_view n) {
  return ParseName<Commitment>(n, kCommitmentNames, "commitment");
}
std::string_view CommitmentResultName(CommitmentResult r) {
  return kCommitmentResultNames[static_cast<size_t>(r)];
}
Result<CommitmentResult> ParseCommitmentResult(std::string_view n) {
  return ParseName<CommitmentResult>(n, kCommitmentResultNames, "result");
}
std::string_view ComplaintCategoryName(ComplaintCategory c) {
  return kComplaintCategoryNames[static_cast<size_t>(c)];
}
Result<ComplaintCategory> ParseComplaintCategory(std::string_view n) {
  return ParseName<ComplaintCategory>(n, kComplaintCategoryNames, "category");
}
std::string_view ComplaintChannelName(ComplaintChannel c) {
  return kComplaintChannelNames[static_cast<size_t>(c)];
}
Result<ComplaintChannel> ParseComplaintChannel(std::string_view n) {
  return ParseName<ComplaintChannel>(n, kComplaintChannelNames, "channel");
}
std::string_view ResponseActionName(ResponseAction a) {
  return kResponseActionNames[static_cast<size_t>(a)];
}
Result<ResponseAction> ParseResponseAction(std::string_view n) {
  return ParseName<ResponseAction>(n, kResponseActionNames, "action");
}

Result<Bytes> EncodePkhRecord(const PkhRecord& record) {
  capnp::word scratch[96];
  std::memset(scratch, 0, sizeof scratch);
  capnp::MallocMessageBuilder message(kj::arrayPtr(scratch, 96));
  std::visit(Encoder{message.initRoot<schema::Entry>().initRecord().initPayload()}, record);
  return Finish(message.getRoot<schema::Entry>().asReader());
}

namespace {

Result<std::optional<PkhRecord>> DecodeRecordLeaf(ByteSpan leaf, bool check_canonical) {
  CanonicalReader r(leaf);
  auto res = r.Read(
      [](schema::Entry::Reader e) -> Result<std::optional<PkhRecord>> {
        if (e.which() != schema::Entry::RECORD) return Corruption("entry is not a record");
        return Decode(e.getRecord().getPayload());
      },
      check_canonical);
  if (!res.ok()) return res.status();
  return std::move(res).value();
}

}  // namespace

Result<std::optional<PkhRecord>> DecodePkhRecord(ByteSpan leaf) {
  std::optional<PkhRecord> record;
  ASSIGN_OR_RETURN(record, DecodeRecordLeaf(leaf, /*check_canonical=*/true));
  // Canonical Cap'n Proto still leaves bits that decoding ignores (a union's
  // unused data bits): as for statements (entry.cc), a record is accepted
  // only as the one encoding of what it decodes to. Text and data records
  // are DecodeRecordEntry's to check.
  if (!record) {
    RETURN_IF_ERROR(DecodeRecordEntry(leaf).status());
    return record;
  }
  auto again = EncodePkhRecord(*record);
  if (!again.ok() || !std::equal(again->begin(), again->end(), leaf.begin(), leaf.end())) {
    return Corruption("record entry is not the canonical encoding of its contents");
  }
  return record;
}

Result<std::optional<PkhRecord>> DecodeVerifiedPkhRecord(ByteSpan leaf) {
  return DecodeRecordLeaf(leaf, /*check_canonical=*/false);
}

std::string_view StatementTypeOf(const PkhRecord& record) {
  static constexpr std::array<std::string_view, 13> kTypes = {
      kTypeUpdate,       kTypeApproval,  kTypeReceipt,          kTypeGovNode,   kTypeGovGrant,
      kTypeGovRevoke,    kTypeGovStage,  kTypeGovIndex,         kTypeGovPolicy, kTypeBnba,
      kTypeVerification, kTypeComplaint, kTypeComplaintResponse};
  static_assert(kTypes.size() == std::variant_size_v<PkhRecord>);
  return kTypes[record.index()];
}

bool IsPkhRecordType(std::string_view type) {
  return type == kTypeUpdate || type == kTypeReceipt || type == kTypeApproval ||
         type == kTypeBnba || type == kTypeVerification || type == kTypeComplaint ||
         type == kTypeComplaintResponse;
}

std::string PseudonymHex(const Pseudonym& p) { return HexEncode(p); }

std::string_view NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kKemensos:
      return "kemensos";
    case NodeKind::kProvinsi:
      return "provinsi";
    case NodeKind::kKabupaten:
      return "kabupaten";
    case NodeKind::kLembagaBayar:
      return "lembaga-bayar";
    case NodeKind::kAuditor:
      return "auditor";
  }
  return "?";
}

Result<NodeKind> ParseNodeKind(std::string_view name) {
  for (NodeKind k : {NodeKind::kKemensos, NodeKind::kProvinsi, NodeKind::kKabupaten,
                     NodeKind::kLembagaBayar, NodeKind::kAuditor}) {
    if (NodeKindName(k) == name) return k;
  }
  // Quoted only when printable: node.json may come from anywhere.
  const std::string shown =
      name.size() <= 64 && ValidUtf8(name, {}) ? fmt::format("'{}'", name) : "the value";
  return InvalidArgument(fmt::format(
      "node kind {} is not one of kemensos, provinsi, kabupaten, lembaga-bayar, auditor", shown));
}

std::string_view NodeKindName(const std::optional<NodeKind>& kind) {
  return kind ? NodeKindName(*kind) : "unknown";
}

}  // namespace jejak
