# Jejak log entries. Every leaf of a Jejak log is the canonical Cap'n Proto
# encoding (capnp::canonicalize: one segment, no segment table, preorder,
# truncated trailing zeros) of one Entry. See specs/log-format.md.
#
# Compatibility: fields and union members are only ever added, never renumbered
# or retyped. An added field that is absent encodes to nothing, so the canonical
# bytes of every existing entry stay the same.
@0xfa8ddd87da53ca60;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("jejak::schema");

struct Entry {
  union {
    statement @0 :Statement;
    record @1 :Record;
  }
}

# A statement is one leaf followed by `recordCount` record leaves. Its
# signatures cover the canonical encoding of `signed` (as its own root struct),
# prefixed by the context string "jejak/statement/v1" and a newline.
struct Statement {
  signed @0 :SignedStatement;
  signatures @1 :List(StatementSignature);
}

struct SignedStatement {
  origin @0 :Text;           # the log this statement is meant for
  type @1 :Text;             # what the records are, e.g. "generic.note"
  stage @2 :Text;            # disbursement stage such as "2026-T1", or empty
  region @3 :Text;           # region code of the author, e.g. "7404"
  timestampMs @4 :Int64;     # when it was signed, milliseconds since 1970 UTC
  recordCount @5 :UInt64;    # number of record leaves that follow
  recordsRoot @6 :Data;      # RFC 6962 root of those record leaves (32 bytes)
  governanceSize @7 :UInt64; # governance tree size the statement is judged at
  regions @8 :List(Text);    # regions its records concern (e.g. a receipt file's kabupaten)
  documentNumber @9 :Text;   # a berita acara's number, as written
  documentDate @10 :Text;    # a berita acara's date, YYYY-MM-DD
  documentYear @11 :UInt16;  # a target list's programme year (pkh.bnba), or absent
}

struct StatementSignature {
  publicKey @0 :Data;  # Ed25519, 32 bytes
  signature @1 :Data;  # Ed25519, 64 bytes
}

# A record's payload is typed: later kinds (PKH updates, approvals, receipts,
# governance records) are added as union members without touching the engine,
# which treats record leaves as opaque bytes.
struct Record {
  payload :union {
    text @0 :Text;   # one line of a generic statement
    data @1 :Data;   # opaque bytes
    update @2 :KpmUpdate;              # pkh.update (kabupaten, operator)
    approval @3 :Approval;             # pkh.approval (kabupaten, approvers)
    receipt @4 :Receipt;               # pkh.receipt (lembaga bayar, payer)
    nodeRegistration @5 :NodeRegistration;  # gov.node
    keyGrant @6 :KeyGrant;             # gov.grant
    keyRevocation @7 :KeyRevocation;   # gov.revoke
    stageWindow @8 :StageWindow;       # gov.stage
    benefitIndex @9 :BenefitIndex;     # gov.index
    approvalPolicy @10 :ApprovalPolicy;  # gov.policy
    bnba @11 :BnbaEntry;                 # pkh.bnba (kabupaten log, targeting key)
    verification @12 :Verification;      # pkh.verification (kabupaten, operator)
    complaint @13 :Complaint;            # pkh.complaint (kabupaten, operator)
    complaintResponse @14 :ComplaintResponse;  # pkh.complaint_response (kabupaten, operator)
  }
}

# --- PKH records (specs/pkh-records.md) ---
# A KPM (family) appears only as its 16-byte pseudonym: BLAKE2b-128 keyed with
# the program key over "pkh-kpm:" || identifier. Dates are "YYYY-MM-DD".
# Amounts are whole rupiah.

enum KpmStatus {
  active @0;
  graduated @1;
  deceased @2;
  moved @3;
  ineligible @4;
}

# Member counts per benefit component.
struct Members {
  ibuHamil @0 :UInt16;
  anakUsiaDini @1 :UInt16;
  sd @2 :UInt16;
  smp @3 :UInt16;
  sma @4 :UInt16;
  disabilitasBerat @5 :UInt16;
  lansia @6 :UInt16;
}

struct KpmUpdate {
  updateId @0 :Text;
  kpm @1 :Data;
  effectiveDate @2 :Text;
  status @3 :KpmStatus;
  members @4 :Members;
  evidenceSha256 @5 :Data;   # 32 bytes, or empty
}

struct Approval {
  kpm @0 :Data;
  lembagaBayar @1 :Text;     # as the berita acara writes it (BRI, BNI, POS, ...)
  amount @2 :UInt64;
}

enum ReceiptStatus {
  paid @0;
  failed @1;
  returned @2;
}

enum Channel {
  kks @0;
  rekening @1;
  pos @2;
}

struct Receipt {
  txnRef @0 :Text;
  kpm @1 :Data;
  kabupaten @2 :Text;
  stage @3 :Text;
  amount @4 :UInt64;
  status @5 :ReceiptStatus;
  paidAt @6 :Text;           # ISO 8601 date or date-time, as written
  channel @7 :Channel;
}

# --- Governance records (the kemensos node's log) ---

struct NodeRegistration {
  origin @0 :Text;
  name @1 :Text;
  kind @2 :Text;             # kemensos, provinsi, kabupaten, lembaga-bayar, auditor
  region @3 :Text;
  verifierKey @4 :Text;      # C2SP verifier key string of the node key
  url @5 :Text;
  witnessKey @6 :Text;       # C2SP verifier key string of the node's witness key
                             # (cosignatures), or absent: cosigned with the node key
}

enum Role {
  registrar @0;
  operator @1;
  approver @2;
  payer @3;
  auditor @4;
  targeting @5;              # Kemensos officers who sign target lists (BNBA)
}

struct KeyGrant {
  publicKey @0 :Data;        # Ed25519, 32 bytes
  keyName @1 :Text;
  role @2 :Role;
  scope @3 :List(Text);      # region codes; a code covers every region it prefixes; "*" all
  institution @4 :Text;      # payer grants: the origin of the lembaga bayar node the key
                             # acts for (absent in grants recorded before it existed)
}

struct KeyRevocation {
  publicKey @0 :Data;
}

struct StageWindow {
  stage @0 :Text;            # e.g. 2026-T1
  from @1 :Text;             # first day of the disbursement window
  to @2 :Text;               # last day (inclusive)
}

struct BenefitComponent {
  component @0 :Text;        # ibu_hamil, anak_usia_dini, sd, smp, sma, disabilitas_berat, lansia
  amountPerStage @1 :UInt64;
  maxMembers @2 :UInt16;
}

struct BenefitIndex {
  year @0 :UInt16;
  maxComponents @1 :UInt16;
  components @2 :List(BenefitComponent);
}

# A policy statement sets only the settings it names (DOMAIN.md, "Policy"):
# an absent field sets nothing. Policies recorded before the other settings
# existed set only the threshold.
struct ApprovalPolicy {
  approvalThreshold @0 :UInt16;  # distinct approvers a berita acara needs; 0: not set here
  scope @1 :Text;            # region code the settings apply to; "*" everywhere
  requireBnba @2 :PolicySwitch;
  suspendAfterMonthsSet @3 :Bool;
  suspendAfterMonths @4 :UInt16;      # 0 = off (meaningful only when set)
  complaintResponseHours @5 :UInt16;  # 1..8760; 0: not set here
}

enum PolicySwitch {
  unset @0;
  off @1;
  on @2;
}

# --- The rest of the cycle (DOMAIN.md, "The rest of the cycle") ---
# All in the kabupaten's own log. A KPM appears only as its pseudonym.

# pkh.bnba: one family on a Kemensos target list; the statement's
# documentNumber is the list id and documentYear the year it targets.
struct BnbaEntry {
  kpm @0 :Data;
  kabupaten @1 :Text;        # the kabupaten node's region
}

enum Commitment {
  kesehatan @0;
  pendidikan @1;
  kesejahteraan @2;
  p2k2 @3;
}

enum CommitmentResult {
  met @0;
  notMet @1;
  exempt @2;
}

struct Verification {
  verificationId @0 :Text;
  kpm @1 :Data;
  month @2 :Text;            # YYYY-MM, the month verified
  commitment @3 :Commitment;
  result @4 :CommitmentResult;
  verifiedOn @5 :Text;       # YYYY-MM-DD
  facilityCode @6 :Text;     # public code of the facility, or empty
}

enum ComplaintCategory {
  tidakMenerima @0;
  potongan @1;
  data @2;
  layanan @3;
  lainnya @4;
}

enum ComplaintChannel {
  loket @0;
  buku @1;
  telepon @2;
  whatsapp @3;
  web @4;
  email @5;
  mediaSosial @6;
  lapor @7;
}

struct Complaint {
  complaintId @0 :Text;
  kpm @1 :Data;              # absent when the complainant is no family of the programme
  stage @2 :Text;
  category @3 :ComplaintCategory;
  channel @4 :ComplaintChannel;
  receivedAt @5 :Text;       # YYYY-MM-DDTHH:MM:SS with Z or +-HH:MM, as written
  evidenceSha256 @6 :Data;   # 32 bytes, or absent
}

enum ResponseAction {
  answered @0;
  forwarded @1;
  resolved @2;
}

struct ComplaintResponse {
  responseId @0 :Text;
  complaintId @1 :Text;      # a complaint held in the same log
  respondedAt @2 :Text;      # date-time with offset, as written
  action @3 :ResponseAction;
}
