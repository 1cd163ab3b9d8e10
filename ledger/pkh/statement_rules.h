// The rules a statement of a non-governance log must satisfy, judged against
// the governance state at the size the statement records: who may write
// which statement type into which log (pkh-records.md, "Authority"). Pure:
// reads only the governance state and the statement. Thread-safe as the
// Governance it reads is (const).
#pragma once

#include <string>

#include "crypto/status.h"
#include "ledger/log/entry.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/records.h"

namespace jejak {

// What a log is, for judging its statements: its origin.
struct LogRole {
  std::string origin;
};

// Why a statement of a log is judged.
enum class Judging {
  // As recorded (the index of a replica or of the own log, and the audit):
  // the rules as they stood when it was signed.
  kRecorded,
  // Before the own log appends it: stricter where rules were tightened for
  // new statements (a payer grant must name this log's institution).
  kAppending,
};

// Judges a statement of a non-governance log at its recorded governance size:
// the log must be registered; its kind must author the statement's type; every
// signer must hold the right role for the node's region (or, for receipts,
// every region the statement lists); a berita acara needs the threshold of
// distinct approvers and a stage the governance log opened; a target list
// (pkh.bnba) needs a list id, a year and signers holding the targeting role
// (Kemensos officers); verifications and complaints need operators. Only the
// statement leaf is judged here: record-level rules are
// CheckRecordFitsStatement's. A receipt's payers must hold grants for this
// log's institution (see Governance::PayerGrants; `judging` says whether
// grants that name none count). Ok or PermissionDenied with the reason;
// Unavailable when the statement records a governance size beyond `gov`.
Status CheckLogStatement(const Governance& gov, const LogRole& log, const Statement& statement,
                         Judging judging = Judging::kRecorded);

// Record-level rules: a record's kind matches its statement's type; a
// receipt's (or a target list entry's) kabupaten is one of the statement's
// regions. Ok or PermissionDenied.
Status CheckRecordFitsStatement(const Statement& statement, const PkhRecord& record);

}  // namespace jejak
