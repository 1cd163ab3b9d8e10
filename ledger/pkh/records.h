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
enum class Role : uint8_t { kRegistrar, kOperator, kApprover, kPayer, kAuditor, kTargeting };
// The records of the rest of the cycle (DOMAIN.md, "The rest of the cycle").
enum class Commitment : uint8_t { kKesehatan, kPendidikan, kKesejahteraan, kP2k2 };
enum class CommitmentResult : uint8_t { kMet, kNotMet, kExempt };
enum class ComplaintCategory : uint8_t { kTidakMenerima, kPotongan, kData, kLayanan, kLainnya };
enum class ComplaintChannel : uint8_t {
  kLoket,
  kBuku,
  kTelepon,
  kWhatsapp,
  kWeb,
  kEmail,
  kMediaSosial,
  kLapor
};
enum class ResponseAction : uint8_t { kAnswered, kForwarded, kResolved };

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
// "kesehatan", "not_met", "tidak_menerima", "media_sosial", "answered", ...
std::string_view CommitmentName(Commitment c);
Result<Commitment> ParseCommitment(std::string_view name);
std::string_view CommitmentResultName(CommitmentResult r);
Result<CommitmentResult> ParseCommitmentResult(std::string_view name);
std::string_view ComplaintCategoryName(ComplaintCategory c);
Result<ComplaintCategory> ParseComplaintCategory(std::string_view name);
std::string_view ComplaintChannelName(ComplaintChannel c);
Result<ComplaintChannel> ParseComplaintChannel(std::string_view name);
std::string_view ResponseActionName(ResponseAction a);
Result<ResponseAction> ParseResponseAction(std::string_view name);

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

// A gov.policy record: the settings it names, for `scope` (DOMAIN.md,
// "Policy"). Each is std::nullopt (threshold: 0) when the statement does not
// set it; policies recorded before the other settings existed set only the
// threshold.
struct ApprovalPolicy {
  uint16_t threshold = 2;  // 0: not set here
  std::string scope;       // "*" for everywhere
  std::optional<bool> require_bnba;
  std::optional<uint16_t> suspend_after_months;      // 0-24; 0 = off
  std::optional<uint16_t> complaint_response_hours;  // 1-8760
};

// pkh.bnba: a family on a Kemensos target list; the list id and year are the
// statement's (header.document_number, header.document_year).
struct BnbaEntry {
  Pseudonym kpm{};
  std::string kabupaten;
};

// pkh.verification: one commitment of a family verified for one month.
struct Verification {
  std::string verification_id;
  Pseudonym kpm{};
  std::string month;  // YYYY-MM
  Commitment commitment = Commitment::kKesehatan;
  CommitmentResult result = CommitmentResult::kMet;
  std::string verified_on;    // YYYY-MM-DD
  std::string facility_code;  // public code, or empty
};

// pkh.complaint: a complaint received at the desk (its text is never recorded).
struct Complaint {
  std::string complaint_id;
  std::optional<Pseudonym> kpm;  // none: the complainant is no family of the programme
  std::string stage;
  ComplaintCategory category = ComplaintCategory::kLainnya;
  ComplaintChannel channel = ComplaintChannel::kLoket;
  std::string received_at;  // date-time with an offset, as written
  std::optional<Hash> evidence_sha256;
};

// pkh.complaint_response: an answer (or a forwarding) of a complaint of the
// same log.
struct ComplaintResponse {
  std::string response_id;
  std::string complaint_id;
  std::string responded_at;  // date-time with an offset, as written
  ResponseAction action = ResponseAction::kAnswered;
};

using PkhRecord = std::variant<KpmUpdate, Approval, Receipt, NodeRegistration, KeyGrant,
                               KeyRevocation, StageWindow, BenefitIndex, ApprovalPolicy, BnbaEntry,
                               Verification, Complaint, ComplaintResponse>;

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
inline constexpr std::string_view kTypeBnba = "pkh.bnba";
inline constexpr std::string_view kTypeVerification = "pkh.verification";
inline constexpr std::string_view kTypeComplaint = "pkh.complaint";
inline constexpr std::string_view kTypeComplaintResponse = "pkh.complaint_response";

// The statement types of the PKH records of a log other than the governance
// log: each carries only records of its type, each with a dedup key.
bool IsPkhRecordType(std::string_view type);

// The statement type whose records `record` may be (pkh.update for a
// KpmUpdate, ...).
std::string_view StatementTypeOf(const PkhRecord& record);

// Lowercase hex of a pseudonym, as reports print it.
std::string PseudonymHex(const Pseudonym& p);

}  // namespace jejak
