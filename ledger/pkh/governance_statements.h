// The statements of the governance log, built and validated from what an
// operator of the kemensos node types: node registrations, key grants and
// revocations, stage windows, benefit indexes and approval policies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ledger/pkh/node.h"
#include "ledger/pkh/records.h"

namespace jejak {

// Each returns InvalidArgument naming the bad argument. `witness_key` is the
// verifier key the node cosigns with (jejak key show NODEDIR --witness), or
// empty.
Result<NodeRegistration> MakeNodeRegistration(std::string_view name, std::string_view kind,
                                              std::string_view region,
                                              std::string_view verifier_key, std::string_view url,
                                              std::string_view witness_key = {});
// `key` is a verifier key string, a base64 Ed25519 public key, or a key file.
// `institution` is the origin of the lembaga bayar a payer acts for: required
// for the payer role, refused for the others.
Result<KeyGrant> MakeKeyGrant(std::string_view key, std::string_view role,
                              std::string_view scope_list, std::string_view institution = {});
Result<KeyRevocation> MakeKeyRevocation(std::string_view key);
Result<StageWindow> MakeStageWindow(std::string_view stage, std::string_view from,
                                    std::string_view to);
// What `jejak policy set` names: each setting given (nullopt: not set by this
// statement). InvalidArgument naming the option for a value out of range, or
// when no setting is given.
struct PolicyOptions {
  std::optional<uint64_t> approval_threshold;
  std::optional<bool> require_bnba;
  std::optional<uint64_t> suspend_after_months;
  std::optional<uint64_t> complaint_response_hours;
};
Result<ApprovalPolicy> MakeApprovalPolicy(const PolicyOptions& options, std::string_view scope);
// The threshold alone (policies as they were before the other settings).
Result<ApprovalPolicy> MakeApprovalPolicy(uint64_t threshold, std::string_view scope);
// Reads the CSV (component,amount_per_stage,max_members).
Result<BenefitIndex> MakeBenefitIndex(uint64_t year, uint64_t max_components,
                                      const std::string& csv_path);

// A key given as a verifier key string, a base64 public key or a key file,
// with the name it carries (empty for a bare public key).
struct NamedKey {
  PublicKey key{};
  std::string name;
};
Result<NamedKey> ResolvePublicKey(std::string_view key);

// Appends a governance statement of `type` holding `records`, signed by
// `signer` (the node key: the root registrar; or a registrar's key), to the
// kemensos node's log. FailedPrecondition on any other node; PermissionDenied
// when the signer may not make it.
Result<AppendedStatement> AppendGovernanceStatement(PkhNode& node, std::string_view type,
                                                    std::vector<PkhRecord> records,
                                                    const SigningKey& signer);

}  // namespace jejak
