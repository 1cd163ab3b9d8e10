#include "ledger/pkh/statement_rules.h"

#include <algorithm>
#include <functional>
#include <set>
#include <vector>

#include <fmt/format.h>

namespace jejak {
namespace {

// A statement being judged: the governance state, the statement, the node
// whose log holds it (registered at the statement's governance size) and
// that size.
struct Judged {
  const Governance& gov;
  const LogRole& log;
  const Statement& st;
  const NodeRegistration& node;
  uint64_t g;
};

Status RequireKind(const Judged& j, NodeKind kind) {
  if (j.node.kind != kind) {
    return PermissionDenied(fmt::format("{} statements are written by {} nodes, not {} nodes",
                                        j.st.header.type, NodeKindName(kind),
                                        NodeKindName(j.node.kind)));
  }
  return Status::Ok();
}

// Every signer holds `role` for every one of `regions` at the judged size.
Status EverySignerHolds(const Judged& j, Role role, const std::vector<std::string>& regions) {
  for (size_t i = 0; i < j.st.signatures.size(); ++i) {
    const PublicKey& k = j.st.signatures[i].public_key;
    for (const auto& region : regions) {
      if (!j.gov.Holds(k, role, region, j.g)) {
        return PermissionDenied(fmt::format("{}: {}", SignerLabel(j.gov, i, k, j.g),
                                            LackReason(j.gov, k, role, region, j.g)));
      }
    }
  }
  return Status::Ok();
}

// pkh.update: a kabupaten's operators.
Status CheckUpdateStatement(const Judged& j) {
  RETURN_IF_ERROR(RequireKind(j, NodeKind::kKabupaten));
  return EverySignerHolds(j, Role::kOperator, {j.node.region});
}

// pkh.approval (a berita acara): a stage the governance log opened, a number
// and a date, and the threshold of distinct approvers of the kabupaten.
Status CheckApprovalStatement(const Judged& j) {
  RETURN_IF_ERROR(RequireKind(j, NodeKind::kKabupaten));
  const StatementHeader& h = j.st.header;
  if (h.stage.empty() || j.gov.Stage(h.stage, j.g) == nullptr) {
    return PermissionDenied(
        fmt::format("berita acara for stage '{}', which the governance log had "
                    "not opened at size {}",
                    h.stage, j.g));
  }
  if (h.document_number.empty() || h.document_date.empty()) {
    return PermissionDenied("berita acara without a number or a date");
  }
  RETURN_IF_ERROR(EverySignerHolds(j, Role::kApprover, {j.node.region}));
  std::set<PublicKey> distinct;
  for (const auto& s : j.st.signatures) distinct.insert(s.public_key);
  const uint16_t threshold = j.gov.ApprovalThreshold(j.node.region, j.g);
  if (distinct.size() < threshold) {
    return PermissionDenied(fmt::format(
        "berita acara signed by {} distinct approvers; region {} needs {} at governance size {}",
        distinct.size(), j.node.region, threshold, j.g));
  }
  return Status::Ok();
}

// pkh.receipt: a lembaga bayar's payers, each holding a payer grant for this
// institution that covers every kabupaten the statement lists.
Status CheckReceiptStatement(const Judged& j, Judging judging) {
  RETURN_IF_ERROR(RequireKind(j, NodeKind::kLembagaBayar));
  const auto& regions = j.st.header.regions;
  if (regions.empty()) return PermissionDenied("receipts that name no kabupaten");
  if (std::adjacent_find(regions.begin(), regions.end(), std::greater_equal<>()) != regions.end()) {
    return PermissionDenied("a receipt statement must list its kabupaten sorted and distinct");
  }
  const bool named_only = judging == Judging::kAppending;
  for (size_t i = 0; i < j.st.signatures.size(); ++i) {
    const PublicKey& k = j.st.signatures[i].public_key;
    const std::vector<const KeyGrant*> grants = j.gov.PayerGrants(k, j.log.origin, j.g, named_only);
    for (const auto& region : regions) {
      const bool covered = std::any_of(grants.begin(), grants.end(), [&](const KeyGrant* grant) {
        return ScopeCovers(grant->scope, region);
      });
      if (covered) continue;
      if (j.gov.Holds(k, Role::kPayer, region, j.g)) {
        return PermissionDenied(fmt::format(
            "{}: holds the payer role for region {} at governance size {}, but not for this "
            "lembaga bayar ({}){}",
            SignerLabel(j.gov, i, k, j.g), region, j.g, j.log.origin,
            named_only ? ": a payer grant must name the institution it acts for" : ""));
      }
      return PermissionDenied(fmt::format("{}: {}", SignerLabel(j.gov, i, k, j.g),
                                          LackReason(j.gov, k, Role::kPayer, region, j.g)));
    }
  }
  return Status::Ok();
}

// pkh.bnba: a Kemensos target list for this kabupaten, named (the list id is
// the document number) and dated by its year; every signer holds the
// targeting role for the kabupaten.
Status CheckBnbaStatement(const Judged& j) {
  RETURN_IF_ERROR(RequireKind(j, NodeKind::kKabupaten));
  if (j.st.header.document_number.empty() || j.st.header.document_year == 0) {
    return PermissionDenied("a target list without a list id or a year");
  }
  return EverySignerHolds(j, Role::kTargeting, {j.node.region});
}

// pkh.verification, pkh.complaint, pkh.complaint_response: a kabupaten's
// operators.
Status CheckOperatorStatement(const Judged& j) {
  RETURN_IF_ERROR(RequireKind(j, NodeKind::kKabupaten));
  return EverySignerHolds(j, Role::kOperator, {j.node.region});
}

// Any other statement type: the node's own key, or a key holding some role
// for the node's region.
Status CheckOtherStatement(const Judged& j) {
  auto node_key = ParseVerifierKey(j.node.verifier_key);
  for (size_t i = 0; i < j.st.signatures.size(); ++i) {
    const PublicKey& k = j.st.signatures[i].public_key;
    if (node_key.ok() && k == node_key->key) continue;
    bool any = false;
    for (const KeyGrant* grant : j.gov.ActiveGrants(k, j.g)) {
      any |= ScopeCovers(grant->scope, j.node.region);
    }
    if (!any) {
      return PermissionDenied(fmt::format("{}: holds no role for region {} at governance size {}",
                                          SignerLabel(j.gov, i, k, j.g), j.node.region, j.g));
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckLogStatement(const Governance& gov, const LogRole& log, const Statement& st,
                         Judging judging) {
  const uint64_t g = st.header.governance_size;
  if (g > gov.size()) {
    return Unavailable(fmt::format(
        "judged at governance size {}, but this node holds the governance log only to size {}: "
        "pull the governance log first",
        g, gov.size()));
  }
  if (st.signatures.empty()) return PermissionDenied("a statement with no signatures");
  const std::string& type = st.header.type;
  if (type.substr(0, 4) == "gov.") {
    return PermissionDenied(fmt::format("{} statements belong in the governance log", type));
  }
  const NodeRegistration* node = gov.NodeByOrigin(log.origin, g);
  if (node == nullptr) {
    return PermissionDenied(
        fmt::format("log {} is not registered in the governance log at size {}", log.origin, g));
  }
  const Judged j{gov, log, st, *node, g};
  if (type == kTypeUpdate) return CheckUpdateStatement(j);
  if (type == kTypeApproval) return CheckApprovalStatement(j);
  if (type == kTypeReceipt) return CheckReceiptStatement(j, judging);
  if (type == kTypeBnba) return CheckBnbaStatement(j);
  if (type == kTypeVerification || type == kTypeComplaint || type == kTypeComplaintResponse) {
    return CheckOperatorStatement(j);
  }
  return CheckOtherStatement(j);
}

Status CheckRecordFitsStatement(const Statement& st, const PkhRecord& record) {
  if (StatementTypeOf(record) != st.header.type) {
    return PermissionDenied(
        fmt::format("a {} record in a {} statement", StatementTypeOf(record), st.header.type));
  }
  if (const auto* r = std::get_if<Receipt>(&record)) {
    // Receipt statements list their regions sorted and distinct
    // (CheckLogStatement refuses others), so a binary search finds one.
    const auto& regions = st.header.regions;
    const bool listed = std::binary_search(regions.begin(), regions.end(), r->kabupaten);
    if (!listed) {
      return PermissionDenied(fmt::format(
          "a receipt for kabupaten {}, which the statement's signed regions do not list",
          r->kabupaten));
    }
  }
  if (const auto* e = std::get_if<BnbaEntry>(&record)) {
    const auto& regions = st.header.regions;
    if (!std::binary_search(regions.begin(), regions.end(), e->kabupaten)) {
      return PermissionDenied(
          fmt::format("a target list entry for kabupaten {}, which the statement's signed regions "
                      "do not list",
                      e->kabupaten));
    }
  }
  return Status::Ok();
}

}  // namespace jejak
