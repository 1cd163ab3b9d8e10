// The rules in force, as the governance log says at each of its sizes
// (DESIGN.md §3): the node registry, key grants and revocations, stage
// windows, benefit indexes and approval thresholds. Every query takes the
// governance size `g` it is judged at: the state after the complete
// statements of leaves [0, g). Pure: built from statements and records handed
// to it; the log-reading wrapper is LoadGovernance.
//
// Thread-compatible: const methods may be called from several threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/pkh/records.h"

namespace jejak {

// True when scope code `code` covers region `region`: "*" covers all, any
// other code covers the regions it is a prefix of ("73" covers "7306").
bool ScopeCovers(std::string_view code, std::string_view region);
bool ScopeCovers(const std::vector<std::string>& scope, std::string_view region);

// Approvals need this many distinct approvers unless a policy says otherwise.
inline constexpr uint16_t kDefaultApprovalThreshold = 2;
// Complaints are answered within 2x24 hours unless a policy says otherwise.
inline constexpr uint16_t kDefaultComplaintResponseHours = 48;
// The ranges of the policy settings.
inline constexpr uint16_t kMaxApprovalThreshold = 20;
inline constexpr uint16_t kMaxSuspendAfterMonths = 24;
inline constexpr uint16_t kMaxComplaintResponseHours = 8760;

class Governance {
 public:
  // `root` is the trust anchor: the Kemensos node key, the root registrar.
  Governance(std::string origin, PublicKey root);

  const std::string& origin() const { return origin_; }
  const PublicKey& root() const { return root_; }
  // Leaves of the governance log this state covers.
  uint64_t size() const { return size_; }

  // Feeds the next complete governance statement (at leaf `index`, with its
  // decoded records). It is judged first (CheckGovernanceStatement); an
  // unauthorized statement takes no effect, but is still counted in size().
  // The judgement goes to *verdict when given. Returns InvalidArgument if
  // `index` is not size(), else Ok.
  Status Apply(uint64_t index, const Statement& statement, const std::vector<PkhRecord>& records,
               Status* verdict = nullptr);

  // --- Queries as of governance size g ---
  const NodeRegistration* NodeByOrigin(std::string_view origin, uint64_t g) const;
  // Grants of `key` active at g (granted before g, not revoked since).
  std::vector<const KeyGrant*> ActiveGrants(const PublicKey& key, uint64_t g) const;
  // True when `key` holds `role` for `region` at g.
  bool Holds(const PublicKey& key, Role role, std::string_view region, uint64_t g) const;
  // The payer grants of `key` active at g that let it write the log of
  // lembaga bayar `institution`: grants naming it, and, unless `named_only`,
  // grants recorded before institutions were named (which name none).
  std::vector<const KeyGrant*> PayerGrants(const PublicKey& key, std::string_view institution,
                                           uint64_t g, bool named_only) const;
  // True when `key` was revoked at or before g.
  bool Revoked(const PublicKey& key, uint64_t g) const;
  const StageWindow* Stage(std::string_view stage, uint64_t g) const;
  const BenefitIndex* Index(uint16_t year, uint64_t g) const;
  // Each policy setting (DOMAIN.md, "Policy"): of the policies in force at
  // size g whose scope covers `region`, the most specific scope that sets
  // it, and among the policies of that scope the latest that sets it; else
  // the default.
  uint16_t ApprovalThreshold(std::string_view region, uint64_t g) const;       // default 2
  bool RequireBnba(std::string_view region, uint64_t g) const;                 // default off
  uint16_t SuspendAfterMonths(std::string_view region, uint64_t g) const;      // default 0 (off)
  uint16_t ComplaintResponseHours(std::string_view region, uint64_t g) const;  // default 48
  // Every node registered at g (latest registration per origin).
  std::vector<const NodeRegistration*> Nodes(uint64_t g) const;
  std::vector<const StageWindow*> Stages(uint64_t g) const;

  // Judges a governance statement at leaf `index` of the governance log. It
  // must record its own position as its governance size (a statement that
  // records another size is a replay or was prepared against an older log);
  // every signer must hold the authority for every record at that size. Ok,
  // or PermissionDenied naming the signer and what it lacked.
  Status CheckGovernanceStatement(uint64_t index, const Statement& statement,
                                  const std::vector<PkhRecord>& records) const;

 private:
  template <typename T>
  struct Timed {
    uint64_t effective;  // the governance size from which it holds
    T value;
  };
  // Latest value with effective <= g in a list sorted by effective.
  template <typename T>
  static const T* Latest(const std::vector<Timed<T>>& list, uint64_t g);

  Status CheckRegistrarSigner(const PublicKey& signer, const Statement& st,
                              const std::vector<PkhRecord>& records, uint64_t g) const;
  Status CheckGovernanceRecord(const PkhRecord& record, uint64_t g) const;

  std::string origin_;
  PublicKey root_;
  uint64_t size_ = 0;
  std::map<std::string, std::vector<Timed<NodeRegistration>>, std::less<>> nodes_;
  std::map<PublicKey, std::vector<Timed<KeyGrant>>> grants_;
  std::map<PublicKey, std::vector<uint64_t>> revocations_;
  std::map<std::string, std::vector<Timed<StageWindow>>, std::less<>> stages_;
  std::map<uint16_t, std::vector<Timed<BenefitIndex>>> indexes_;
  std::map<std::string, std::vector<Timed<ApprovalPolicy>>, std::less<>> policies_;

  // The value of one setting (`get` returns it, or nullopt where a policy
  // does not set it) under the rule of ApprovalThreshold.
  template <typename T, typename Get>
  std::optional<T> PolicySetting(std::string_view region, uint64_t g, Get get) const;
};

// The settings of a policy record within their ranges (threshold 1-20,
// suspension 0-24 months, response time 1-8760 hours), and at least one set.
// InvalidArgument saying which is not.
Status CheckPolicySettings(const ApprovalPolicy& policy);

// "signature 2 (key kab-7306/operator-1)": the i-th signer of a statement as
// messages name it, at governance size g.
std::string SignerLabel(const Governance& gov, size_t i, const PublicKey& key, uint64_t g);
// Why `key` does not hold `role` for `region` at governance size g (revoked,
// or never granted), for messages.
std::string LackReason(const Governance& gov, const PublicKey& key, Role role,
                       std::string_view region, uint64_t g);

// Replays the governance log held in `store` (its own log on a kemensos node,
// a replica elsewhere) up to `size` (default: its committed size).
// Unauthorized governance statements take no effect. Corruption if a leaf
// does not decode.
Result<Governance> LoadGovernance(Store& store, const LogInfo& log, const PublicKey& root,
                                  std::optional<uint64_t> size = std::nullopt);

}  // namespace jejak
