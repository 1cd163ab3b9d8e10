#include "ledger/pkh/governance.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "crypto/encoding.h"

namespace jejak {
namespace {

bool IsGovernanceType(std::string_view type) { return type.substr(0, 4) == "gov."; }

// A scope code `inner` lies within scope `outer` (a registrar may only hand
// out what it holds).
bool CodeWithin(const std::vector<std::string>& outer, std::string_view inner) {
  for (const auto& o : outer) {
    if (o == "*" || (inner != "*" && ScopeCovers(o, inner))) return true;
  }
  return false;
}

std::string KeyLabel(const Governance& gov, const PublicKey& key, uint64_t g) {
  if (key == gov.root()) return "the root registrar";
  for (const KeyGrant* grant : gov.ActiveGrants(key, g)) {
    if (!grant->key_name.empty()) return "key " + grant->key_name;
  }
  return "key " + Base64Encode(key);
}

}  // namespace

std::string SignerLabel(const Governance& gov, size_t i, const PublicKey& key, uint64_t g) {
  return fmt::format("signature {} ({})", i + 1, KeyLabel(gov, key, g));
}

// Why `key` does not hold `role` for `region` at g.
std::string LackReason(const Governance& gov, const PublicKey& key, Role role,
                       std::string_view region, uint64_t g) {
  // A revocation explains the lack only if no later grant stands.
  if (gov.Revoked(key, g) && gov.ActiveGrants(key, g).empty()) {
    return fmt::format("was revoked (at governance size {}); lacks the {} role for region {}", g,
                       RoleName(role), region);
  }
  return fmt::format("lacks the {} role for region {} at governance size {}", RoleName(role),
                     region, g);
}

Status CheckPolicySettings(const ApprovalPolicy& p) {
  const bool any =
      p.threshold != 0 || p.require_bnba || p.suspend_after_months || p.complaint_response_hours;
  if (!any) {
    return InvalidArgument(
        fmt::format("sets an approval threshold of 0 for scope {}, and no other setting", p.scope));
  }
  if (p.threshold > kMaxApprovalThreshold) {
    return InvalidArgument(fmt::format("sets an approval threshold of {} (at most {})", p.threshold,
                                       kMaxApprovalThreshold));
  }
  if (p.suspend_after_months && *p.suspend_after_months > kMaxSuspendAfterMonths) {
    return InvalidArgument(fmt::format("suspends after {} months (at most {})",
                                       *p.suspend_after_months, kMaxSuspendAfterMonths));
  }
  if (p.complaint_response_hours && (*p.complaint_response_hours < 1 ||
                                     *p.complaint_response_hours > kMaxComplaintResponseHours)) {
    return InvalidArgument(fmt::format("gives complaints {} hours (1 to {})",
                                       *p.complaint_response_hours, kMaxComplaintResponseHours));
  }
  return Status::Ok();
}

bool ScopeCovers(std::string_view code, std::string_view region) {
  return code == "*" || (!code.empty() && region.substr(0, code.size()) == code);
}

bool ScopeCovers(const std::vector<std::string>& scope, std::string_view region) {
  return std::any_of(scope.begin(), scope.end(),
                     [&](const std::string& c) { return ScopeCovers(c, region); });
}

Governance::Governance(std::string origin, PublicKey root)
    : origin_(std::move(origin)), root_(root) {}

template <typename T>
const T* Governance::Latest(const std::vector<Timed<T>>& list, uint64_t g) {
  const T* out = nullptr;
  for (const auto& t : list) {
    if (t.effective > g) break;
    out = &t.value;
  }
  return out;
}

const NodeRegistration* Governance::NodeByOrigin(std::string_view origin, uint64_t g) const {
  auto it = nodes_.find(origin);
  return it == nodes_.end() ? nullptr : Latest(it->second, g);
}

bool Governance::Revoked(const PublicKey& key, uint64_t g) const {
  auto it = revocations_.find(key);
  if (it == revocations_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](uint64_t r) { return r <= g; });
}

std::vector<const KeyGrant*> Governance::ActiveGrants(const PublicKey& key, uint64_t g) const {
  std::vector<const KeyGrant*> out;
  auto it = grants_.find(key);
  if (it == grants_.end()) return out;
  const auto rev = revocations_.find(key);
  for (const auto& t : it->second) {
    if (t.effective > g) break;
    // A revocation ends every grant made before it; a later grant stands.
    bool revoked = false;
    if (rev != revocations_.end()) {
      for (uint64_t r : rev->second) revoked |= r >= t.effective && r <= g;
    }
    if (!revoked) out.push_back(&t.value);
  }
  return out;
}

bool Governance::Holds(const PublicKey& key, Role role, std::string_view region, uint64_t g) const {
  for (const KeyGrant* grant : ActiveGrants(key, g)) {
    if (grant->role == role && ScopeCovers(grant->scope, region)) return true;
  }
  return false;
}

std::vector<const KeyGrant*> Governance::PayerGrants(const PublicKey& key,
                                                     std::string_view institution, uint64_t g,
                                                     bool named_only) const {
  std::vector<const KeyGrant*> out;
  for (const KeyGrant* grant : ActiveGrants(key, g)) {
    if (grant->role != Role::kPayer) continue;
    if (grant->institution == institution || (!named_only && grant->institution.empty())) {
      out.push_back(grant);
    }
  }
  return out;
}

const StageWindow* Governance::Stage(std::string_view stage, uint64_t g) const {
  auto it = stages_.find(stage);
  return it == stages_.end() ? nullptr : Latest(it->second, g);
}

const BenefitIndex* Governance::Index(uint16_t year, uint64_t g) const {
  auto it = indexes_.find(year);
  return it == indexes_.end() ? nullptr : Latest(it->second, g);
}

template <typename T, typename Get>
std::optional<T> Governance::PolicySetting(std::string_view region, uint64_t g, Get get) const {
  std::optional<T> value;
  size_t best = 0;
  for (const auto& [scope, list] : policies_) {
    if (!ScopeCovers(scope, region)) continue;
    const size_t specificity = scope == "*" ? 0 : scope.size();
    if (value && specificity <= best) continue;
    // The latest policy of this scope in force at g that sets it.
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      if (it->effective > g) continue;
      if (std::optional<T> v = get(it->value)) {
        value = v;
        best = specificity;
        break;
      }
    }
  }
  return value;
}

uint16_t Governance::ApprovalThreshold(std::string_view region, uint64_t g) const {
  return PolicySetting<uint16_t>(region, g,
                                 [](const ApprovalPolicy& p) {
                                   return p.threshold == 0 ? std::nullopt
                                                           : std::optional<uint16_t>(p.threshold);
                                 })
      .value_or(kDefaultApprovalThreshold);
}

bool Governance::RequireBnba(std::string_view region, uint64_t g) const {
  return PolicySetting<bool>(region, g, [](const ApprovalPolicy& p) { return p.require_bnba; })
      .value_or(false);
}

uint16_t Governance::SuspendAfterMonths(std::string_view region, uint64_t g) const {
  return PolicySetting<uint16_t>(region, g,
                                 [](const ApprovalPolicy& p) { return p.suspend_after_months; })
      .value_or(0);
}

uint16_t Governance::ComplaintResponseHours(std::string_view region, uint64_t g) const {
  return PolicySetting<uint16_t>(region, g,
                                 [](const ApprovalPolicy& p) { return p.complaint_response_hours; })
      .value_or(kDefaultComplaintResponseHours);
}

std::vector<const NodeRegistration*> Governance::Nodes(uint64_t g) const {
  std::vector<const NodeRegistration*> out;
  for (const auto& [origin, list] : nodes_) {
    if (const NodeRegistration* n = Latest(list, g)) out.push_back(n);
  }
  return out;
}

std::vector<const StageWindow*> Governance::Stages(uint64_t g) const {
  std::vector<const StageWindow*> out;
  for (const auto& [stage, list] : stages_) {
    if (const StageWindow* w = Latest(list, g)) out.push_back(w);
  }
  return out;
}

Status Governance::CheckRegistrarSigner(const PublicKey& signer, const Statement& st,
                                        const std::vector<PkhRecord>& records, uint64_t g) const {
  std::vector<std::string> scope;
  for (const KeyGrant* grant : ActiveGrants(signer, g)) {
    if (grant->role == Role::kRegistrar)
      scope.insert(scope.end(), grant->scope.begin(), grant->scope.end());
  }
  if (scope.empty()) {
    return PermissionDenied(
        Revoked(signer, g)
            ? fmt::format("was revoked; holds no registrar role at governance size {}", g)
            : fmt::format("holds no registrar role at governance size {}", g));
  }
  const std::string& type = st.header.type;
  if (type == kTypeGovStage || type == kTypeGovIndex) {
    return PermissionDenied("only the root registrar opens stages and sets the benefit index");
  }
  for (const PkhRecord& r : records) {
    if (const auto* n = std::get_if<NodeRegistration>(&r)) {
      if (n->origin == origin_) {
        return PermissionDenied(fmt::format(
            "{} is the governance log's origin: only the root registrar registers it", origin_));
      }
      // Re-registering an origin replaces its kind, region and key: only a
      // kabupaten node already within the registrar's scope may be replaced.
      const NodeRegistration* old = NodeByOrigin(n->origin, g);
      if (old != nullptr &&
          (old->kind != NodeKind::kKabupaten || !ScopeCovers(scope, old->region))) {
        return PermissionDenied(
            fmt::format("a registrar scoped to {} may not re-register {}, a {} node in {}",
                        fmt::join(scope, ","), n->origin, NodeKindName(old->kind), old->region));
      }
      if (n->kind != NodeKind::kKabupaten || !ScopeCovers(scope, n->region)) {
        return PermissionDenied(fmt::format(
            "a registrar scoped to {} may register kabupaten nodes within it, not a {} node in {}",
            fmt::join(scope, ","), NodeKindName(n->kind), n->region));
      }
    } else if (const auto* k = std::get_if<KeyGrant>(&r)) {
      if (k->role == Role::kRegistrar)
        return PermissionDenied("only the root registrar grants the registrar role");
      // Target lists come from Kemensos: a province granting the role could
      // add the very families a list is there to rule out.
      if (k->role == Role::kTargeting)
        return PermissionDenied("only the root registrar grants the targeting role");
      for (const auto& code : k->scope) {
        if (!CodeWithin(scope, code)) {
          return PermissionDenied(
              fmt::format("grants scope {} outside its own ({})", code, fmt::join(scope, ",")));
        }
      }
    } else if (const auto* v = std::get_if<KeyRevocation>(&r)) {
      for (const KeyGrant* grant : ActiveGrants(v->public_key, g)) {
        for (const auto& code : grant->scope) {
          if (!CodeWithin(scope, code)) {
            return PermissionDenied(
                fmt::format("revokes a key granted scope {} outside its own", code));
          }
        }
      }
    } else if (const auto* p = std::get_if<ApprovalPolicy>(&r)) {
      if (!CodeWithin(scope, p->scope)) {
        return PermissionDenied(
            fmt::format("sets a policy for scope {} outside its own", p->scope));
      }
    }
  }
  return Status::Ok();
}

// Rules on governance records whoever signs them, the root included, judged
// at `g` (the statement's position).
Status Governance::CheckGovernanceRecord(const PkhRecord& r, uint64_t g) const {
  if (const auto* p = std::get_if<ApprovalPolicy>(&r)) {
    if (Status s = CheckPolicySettings(*p); !s.ok()) return PermissionDenied(s.message());
  }
  if (const auto* n = std::get_if<NodeRegistration>(&r); n != nullptr && !n->kind) {
    return PermissionDenied(
        fmt::format("registers {} as a node of a kind that is not one of kemensos, provinsi, "
                    "kabupaten, lembaga-bayar, auditor",
                    n->origin));
  }
  if (const auto* n = std::get_if<NodeRegistration>(&r); n != nullptr && n->origin == origin_) {
    auto key = ParseVerifierKey(n->verifier_key);
    if (n->kind != NodeKind::kKemensos || !key.ok() || key->key != root_) {
      return PermissionDenied(fmt::format(
          "registers the governance log's origin {} for another node than the kemensos node "
          "that holds the root key",
          origin_));
    }
  }
  if (const auto* k = std::get_if<KeyGrant>(&r)) {
    if (k->role != Role::kPayer && !k->institution.empty()) {
      return PermissionDenied(
          fmt::format("only payer grants name an institution, and this grant of the {} role "
                      "names one",
                      RoleName(k->role)));
    }
    if (k->role == Role::kPayer && !k->institution.empty()) {
      const NodeRegistration* inst = NodeByOrigin(k->institution, g);
      if (inst == nullptr || inst->kind != NodeKind::kLembagaBayar) {
        return PermissionDenied(fmt::format(
            "grants the payer role for institution {}, which is not a lembaga bayar node "
            "registered at governance size {}",
            k->institution, g));
      }
    }
  }
  if (const auto* v = std::get_if<KeyRevocation>(&r); v != nullptr && v->public_key == root_) {
    return PermissionDenied("revokes the root registrar's key, which no statement can revoke");
  }
  return Status::Ok();
}

Status Governance::CheckGovernanceStatement(uint64_t index, const Statement& st,
                                            const std::vector<PkhRecord>& records) const {
  const uint64_t g = st.header.governance_size;
  if (g != index) {
    return PermissionDenied(fmt::format(
        "records governance size {}, but stands at position {} of the governance log: a "
        "governance statement records the size it is appended at (a replay, or prepared "
        "against an older log)",
        g, index));
  }
  if (st.signatures.empty()) return PermissionDenied("a statement with no signatures");
  const std::string& type = st.header.type;
  if (IsGovernanceType(type)) {
    if (records.size() != st.header.record_count) {
      return PermissionDenied(fmt::format("a {} statement must hold only {} records", type, type));
    }
    for (const PkhRecord& r : records) {
      if (StatementTypeOf(r) != type) {
        return PermissionDenied(
            fmt::format("holds a {} record in a {} statement", StatementTypeOf(r), type));
      }
      RETURN_IF_ERROR(CheckGovernanceRecord(r, g));
    }
  }
  for (size_t i = 0; i < st.signatures.size(); ++i) {
    const PublicKey& signer = st.signatures[i].public_key;
    if (signer == root_) continue;
    if (!IsGovernanceType(type)) {
      return PermissionDenied(fmt::format("{}: only the root registrar writes {} statements here",
                                          SignerLabel(*this, i, signer, g), type));
    }
    Status s = CheckRegistrarSigner(signer, st, records, g);
    if (!s.ok()) {
      return PermissionDenied(fmt::format("{}: {}", SignerLabel(*this, i, signer, g), s.message()));
    }
  }
  return Status::Ok();
}

Status Governance::Apply(uint64_t index, const Statement& st, const std::vector<PkhRecord>& records,
                         Status* verdict_out) {
  if (index != size_) {
    return InvalidArgument(
        fmt::format("governance statement at {} does not follow size {}", index, size_));
  }
  Status verdict = CheckGovernanceStatement(index, st, records);
  size_ = index + 1 + st.header.record_count;
  if (verdict_out != nullptr) *verdict_out = verdict;
  if (!verdict.ok()) return Status::Ok();
  const uint64_t eff = size_;
  for (const PkhRecord& r : records) {
    if (const auto* n = std::get_if<NodeRegistration>(&r)) {
      nodes_[n->origin].push_back({eff, *n});
    } else if (const auto* k = std::get_if<KeyGrant>(&r)) {
      grants_[k->public_key].push_back({eff, *k});
    } else if (const auto* v = std::get_if<KeyRevocation>(&r)) {
      revocations_[v->public_key].push_back(eff);
    } else if (const auto* w = std::get_if<StageWindow>(&r)) {
      stages_[w->stage].push_back({eff, *w});
    } else if (const auto* x = std::get_if<BenefitIndex>(&r)) {
      indexes_[x->year].push_back({eff, *x});
    } else if (const auto* p = std::get_if<ApprovalPolicy>(&r)) {
      policies_[p->scope].push_back({eff, *p});
    }
  }
  return Status::Ok();
}

Result<Governance> LoadGovernance(Store& store, const LogInfo& log, const PublicKey& root,
                                  std::optional<uint64_t> size) {
  LogReader reader(store, log);
  uint64_t n;
  if (size) {
    n = *size;
  } else {
    ASSIGN_OR_RETURN(n, reader.Size());
  }
  Governance gov(log.origin, root);
  std::optional<Statement> current;
  uint64_t current_index = 0, remaining = 0;
  std::vector<PkhRecord> records;
  auto finish = [&]() -> Status {
    RETURN_IF_ERROR(gov.Apply(current_index, *current, records));
    current.reset();
    records.clear();
    return Status::Ok();
  };
  Status s = reader.ForEachLeaf(0, n, [&](uint64_t i, ByteSpan leaf) -> Status {
    if (!current) {
      auto st = DecodeStatementEntry(leaf);
      if (!st.ok())
        return Corruption(fmt::format("governance leaf {}: {}", i, st.status().message()));
      current = std::move(st).value();
      current_index = i;
      remaining = current->header.record_count;
      return remaining == 0 ? finish() : Status::Ok();
    }
    auto rec = DecodePkhRecord(leaf);
    if (!rec.ok())
      return Corruption(fmt::format("governance leaf {}: {}", i, rec.status().message()));
    if (*rec) records.push_back(std::move(**rec));
    return --remaining == 0 ? finish() : Status::Ok();
  });
  RETURN_IF_ERROR(s);
  if (current)
    return Corruption(fmt::format("governance log ends inside the statement at {}", current_index));
  return gov;
}

}  // namespace jejak
