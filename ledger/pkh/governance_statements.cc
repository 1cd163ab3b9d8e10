#include "ledger/pkh/governance_statements.h"

#include <filesystem>

#include <fmt/format.h>

#include "crypto/key_file.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/values.h"

namespace jejak {
namespace {

Result<std::vector<std::string>> ParseScope(std::string_view list) {
  std::vector<std::string> scope;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view code = list.substr(0, comma);
    list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    if (code != "*") {
      RETURN_IF_ERROR(
          ValidateRegionCode(code, RegionLevel::kProvinceOrKabupaten, "each --scope code (or *)"));
    }
    scope.emplace_back(code);
  }
  if (scope.empty()) return InvalidArgument("--scope needs at least one region code (or *)");
  return scope;
}

}  // namespace

Result<NamedKey> ResolvePublicKey(std::string_view key) {
  if (auto vk = ParseVerifierKey(key); vk.ok()) return NamedKey{vk->key, vk->name};
  if (auto raw = Base64DecodeFixed<32>(key); raw.ok()) return NamedKey{*raw, ""};
  std::error_code ec;
  if (std::filesystem::is_regular_file(std::string(key), ec)) {
    auto info = ReadKeyFileInfo(std::string(key));
    if (!info.ok()) return info.status();
    return NamedKey{info->public_key, info->name};
  }
  return InvalidArgument(
      "--key must be a verifier key (name+id+key), a base64 public key, or a key file");
}

Result<NodeRegistration> MakeNodeRegistration(std::string_view name, std::string_view kind,
                                              std::string_view region,
                                              std::string_view verifier_key, std::string_view url,
                                              std::string_view witness_key) {
  if (name.empty() || !ValidUtf8(name, {})) return InvalidArgument("--name must be non-empty text");
  NodeKind node_kind;
  ASSIGN_OR_RETURN(node_kind, ParseNodeKind(kind));
  RETURN_IF_ERROR(ValidateRegionCode(region,
                                     node_kind == NodeKind::kKabupaten ? RegionLevel::kKabupaten
                                     : node_kind == NodeKind::kProvinsi
                                         ? RegionLevel::kProvince
                                         : RegionLevel::kProvinceOrKabupaten,
                                     "--region"));
  auto key = ParseVerifierKey(verifier_key);
  if (!key.ok()) return key.status().WithContext("--key");
  if (!url.empty() && url.substr(0, 8) != "https://" && url.substr(0, 7) != "http://") {
    return InvalidArgument("--url must start with https:// (or http:// for loopback testing)");
  }
  if (!witness_key.empty()) {
    auto w = ParseVerifierKey(witness_key);
    if (!w.ok()) return w.status().WithContext("--witness-key");
    if (w->name != key->name) {
      return InvalidArgument(fmt::format(
          "--witness-key is named {}, not the node's origin {}: a witness cosigns under the "
          "name of its node",
          w->name, key->name));
    }
    if (w->key == key->key) {
      return InvalidArgument("--witness-key is the node key itself; give the node's witness key");
    }
  }
  NodeRegistration n;
  n.origin = key->name;
  n.name = std::string(name);
  n.kind = node_kind;
  n.region = std::string(region);
  n.verifier_key = std::string(verifier_key);
  n.url = std::string(url);
  n.witness_key = std::string(witness_key);
  return n;
}

Result<KeyGrant> MakeKeyGrant(std::string_view key, std::string_view role,
                              std::string_view scope_list, std::string_view institution) {
  NamedKey k;
  ASSIGN_OR_RETURN(k, ResolvePublicKey(key));
  KeyGrant g;
  g.public_key = k.key;
  g.key_name = k.name;
  auto r = ParseRole(role);
  if (!r.ok()) return r.status().WithContext("--role");
  g.role = *r;
  ASSIGN_OR_RETURN(g.scope, ParseScope(scope_list));
  if (g.role == Role::kPayer) {
    if (institution.empty()) {
      return InvalidArgument(
          "--institution is required for the payer role: the origin of the lembaga bayar node "
          "whose log the payer writes (its `jejak status` origin)");
    }
    if (!ValidKeyName(institution)) {
      return InvalidArgument("--institution must be a node origin (no spaces or '+')");
    }
    g.institution = std::string(institution);
  } else if (!institution.empty()) {
    return InvalidArgument("--institution is only for the payer role");
  }
  return g;
}

Result<KeyRevocation> MakeKeyRevocation(std::string_view key) {
  NamedKey k;
  ASSIGN_OR_RETURN(k, ResolvePublicKey(key));
  return KeyRevocation{k.key};
}

Result<StageWindow> MakeStageWindow(std::string_view stage, std::string_view from,
                                    std::string_view to) {
  auto s = ParseStageId(stage);
  if (!s.ok()) return s.status().WithContext("--stage");
  auto f = ParseIsoDate(from);
  if (!f.ok()) return f.status().WithContext("--from");
  auto t = ParseIsoDate(to);
  if (!t.ok()) return t.status().WithContext("--to");
  if (*t < *f) return InvalidArgument("--to is before --from");
  return StageWindow{*s, *f, *t};
}

Result<ApprovalPolicy> MakeApprovalPolicy(const PolicyOptions& o, std::string_view scope) {
  if (scope != "*") {
    RETURN_IF_ERROR(ValidateRegionCode(scope, RegionLevel::kProvinceOrKabupaten, "--scope"));
  }
  ApprovalPolicy p;
  p.scope = std::string(scope);
  p.threshold = 0;
  if (o.approval_threshold) {
    if (*o.approval_threshold < 1 || *o.approval_threshold > kMaxApprovalThreshold) {
      return InvalidArgument(
          fmt::format("--approval-threshold must be between 1 and {}", kMaxApprovalThreshold));
    }
    p.threshold = static_cast<uint16_t>(*o.approval_threshold);
  }
  p.require_bnba = o.require_bnba;
  if (o.suspend_after_months) {
    if (*o.suspend_after_months > kMaxSuspendAfterMonths) {
      return InvalidArgument(
          fmt::format("--suspend-after-months must be between 0 and {}", kMaxSuspendAfterMonths));
    }
    p.suspend_after_months = static_cast<uint16_t>(*o.suspend_after_months);
  }
  if (o.complaint_response_hours) {
    if (*o.complaint_response_hours < 1 ||
        *o.complaint_response_hours > kMaxComplaintResponseHours) {
      return InvalidArgument(fmt::format("--complaint-response-hours must be between 1 and {}",
                                         kMaxComplaintResponseHours));
    }
    p.complaint_response_hours = static_cast<uint16_t>(*o.complaint_response_hours);
  }
  if (p.threshold == 0 && !p.require_bnba && !p.suspend_after_months &&
      !p.complaint_response_hours) {
    return InvalidArgument(
        "name at least one setting: --approval-threshold, --require-bnba, "
        "--suspend-after-months or --complaint-response-hours");
  }
  return p;
}

Result<ApprovalPolicy> MakeApprovalPolicy(uint64_t threshold, std::string_view scope) {
  PolicyOptions o;
  o.approval_threshold = threshold;
  return MakeApprovalPolicy(o, scope);
}

Result<BenefitIndex> MakeBenefitIndex(uint64_t year, uint64_t max_components,
                                      const std::string& csv_path) {
  if (year < 1900 || year > 2999) return InvalidArgument("--year must be a year such as 2026");
  if (max_components < 1 || max_components > 99) {
    return InvalidArgument("--max-components must be between 1 and 99");
  }
  std::unique_ptr<CsvReader> reader;
  ASSIGN_OR_RETURN(reader,
                   CsvReader::Open(csv_path, std::vector<std::string>(kBenefitIndexColumns.begin(),
                                                                      kBenefitIndexColumns.end())));
  return ParseBenefitIndexCsv(*reader, static_cast<uint16_t>(year),
                              static_cast<uint16_t>(max_components));
}

Result<AppendedStatement> AppendGovernanceStatement(PkhNode& node, std::string_view type,
                                                    std::vector<PkhRecord> records,
                                                    const SigningKey& signer) {
  if (!node.is_governance()) {
    return FailedPrecondition(
        "governance statements are appended on the kemensos node (its log is the governance log)");
  }
  std::vector<Bytes> leaves;
  for (const PkhRecord& r : records) {
    Bytes leaf;
    ASSIGN_OR_RETURN(leaf, EncodePkhRecord(r));
    leaves.push_back(std::move(leaf));
  }
  PreparedStatement p = PrepareStatement(node.NewHeader(type), std::move(leaves));
  SignStatement(p.statement, signer);
  return node.Append(p, records);
}

}  // namespace jejak
