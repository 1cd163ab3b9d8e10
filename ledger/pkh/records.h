// PKH records and governance records: the typed payloads of the record leaves
// the PKH layers write (schema: specs/entry.capnp; format: specs/pkh-records.md).
// A family (KPM) appears only as its pseudonym.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/pkh/entitlement.h"

namespace jejak {

using Pseudonym = std::array<uint8_t, 16>;

enum class KpmStatus : uint8_t { kActive, kGraduated, kDeceased, kMoved, kIneligible };
enum class ReceiptStatus : uint8_t { kPaid, kFailed, kReturned };
enum class Channel : uint8_t { kKks, kRekening, kPos };
enum class Role : uint8_t { kRegistrar, kOperator, kApprover, kPayer, kAuditor };

// Names as the CSV files and the CLI write them ("active", "paid", "kks",
// "approver", ...); Parse* return InvalidArgument listing the valid names.
std::string_view KpmStatusName(KpmStatus s);
Result<KpmStatus> ParseKpmStatus(std::string_view name);
std::string_view ReceiptStatusName(ReceiptStatus s);
Result<ReceiptStatus> ParseReceiptStatus(std::string_view name);
std::string_view ChannelName(Channel c);
Result<Channel> ParseChannel(std::string_view name);
std::string_view RoleName(Role r);
Result<Role> ParseRole(std::string_view name);

struct KpmUpdate {
  std::string update_id;
  Pseudonym kpm{};
  std::string effective_date;  // YYYY-MM-DD
  KpmStatus status = KpmStatus::kActive;
  Members members{};
  std::optional<Hash> evidence_sha256;
};

struct Approval {
  Pseudonym kpm{};
  std::string lembaga_bayar;  // as written in the berita acara
  uint64_t amount = 0;
};

struct Receipt {
  std::string txn_ref;
  Pseudonym kpm{};
  std::string kabupaten;
  std::string stage;
  uint64_t amount = 0;
  ReceiptStatus status = ReceiptStatus::kPaid;
  std::string paid_at;  // ISO 8601 date or date-time, as written
  Channel channel = Channel::kKks;
};

// The kinds of node (DESIGN.md §1), parsed once where a kind enters: a node
// folder's node.json, a registration record, a command's --kind.
enum class NodeKind { kKemensos, kProvinsi, kKabupaten, kLembagaBayar, kAuditor };

std::string_view NodeKindName(NodeKind kind);  // "kemensos", "lembaga-bayar", ...
// InvalidArgument naming the five kinds for any other name.
Result<NodeKind> ParseNodeKind(std::string_view name);
// The name of a registered kind, or "unknown" for a kind no version of
// Jejak writes (a registration record carrying one is refused; see
// Governance::CheckGovernanceRecord).
std::string_view NodeKindName(const std::optional<NodeKind>& kind);

struct NodeRegistration {
  std::string origin, name;
  // nullopt: the record names a kind this version does not know.
  std::optional<NodeKind> kind;
  std::string region, verifier_key, url;
  // The verifier key of the node's witness key (tlog-cosignature), or empty
  // for a registration that predates it: the node then cosigns with its node
  // key.
  std::string witness_key;
};

struct KeyGrant {
  PublicKey public_key{};
  std::string key_name;
  Role role = Role::kAuditor;
  std::vector<std::string> scope;
  // Payer grants: the origin of the lembaga bayar node whose log the key
  // writes. Empty in grants recorded before institutions were named (see
  // specs/pkh-records.md, "Payer grants").
  std::string institution;
};

struct KeyRevocation {
  PublicKey public_key{};
};

struct StageWindow {
  std::string stage, from, to;  // to is inclusive
};

struct ApprovalPolicy {
  uint16_t threshold = 2;
  std::string scope;  // "*" for everywhere
};

using PkhRecord = std::variant<KpmUpdate, Approval, Receipt, NodeRegistration, KeyGrant,
                               KeyRevocation, StageWindow, BenefitIndex, ApprovalPolicy>;

// The canonical record leaf. InvalidArgument if it would exceed an entry's size.
Result<Bytes> EncodePkhRecord(const PkhRecord& record);

// Decodes a record leaf: std::nullopt for a generic (text or data) record;
// Corruption for a leaf that is not a canonical record or holds malformed
// fields (a pseudonym that is not 16 bytes, an unknown component).
Result<std::optional<PkhRecord>> DecodePkhRecord(ByteSpan leaf);
// The same without the canonical-form check, for leaves this node's store
// already verified when they arrived (the indexer reads millions of them).
Result<std::optional<PkhRecord>> DecodeVerifiedPkhRecord(ByteSpan leaf);

// Statement types of the PKH layers.
inline constexpr std::string_view kTypeUpdate = "pkh.update";
inline constexpr std::string_view kTypeApproval = "pkh.approval";
inline constexpr std::string_view kTypeReceipt = "pkh.receipt";
inline constexpr std::string_view kTypeGovNode = "gov.node";
inline constexpr std::string_view kTypeGovGrant = "gov.grant";
inline constexpr std::string_view kTypeGovRevoke = "gov.revoke";
inline constexpr std::string_view kTypeGovStage = "gov.stage";
inline constexpr std::string_view kTypeGovIndex = "gov.index";
inline constexpr std::string_view kTypeGovPolicy = "gov.policy";

// The statement type whose records `record` may be (pkh.update for a
// KpmUpdate, ...).
std::string_view StatementTypeOf(const PkhRecord& record);

// Lowercase hex of a pseudonym, as reports print it.
std::string PseudonymHex(const Pseudonym& p);

}  // namespace jejak
