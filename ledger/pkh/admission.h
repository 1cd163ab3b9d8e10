// What a node's own log may append: the rules every append path applies —
// the folder CLI, the submit API, imports (from a file or through a node),
// berita acara, governance statements — through PkhNode::Append and
// PkhNode::Commit, which call AdmitStatement and nothing else to decide
// (specs/pkh-records.md, "Appending to the own log"). The engine adds one rule
// of its own for every log: a statement already in the log is refused
// (statement_log.h).
//
// Pure but for RecordKeys, which reads the own log's index.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/log/entry.h"
#include "ledger/log/store.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/index_keys.h"
#include "ledger/pkh/records.h"
#include "ledger/pkh/statement_rules.h"

namespace jejak {

// A record's dedup key in its log: a kind and the key. One log holds each key
// once: update_id ('u'), txn_ref ('r'), an approval's stage and pseudonym
// ('a'), a target list's id and pseudonym ('b'), verification_id ('v'),
// complaint_id ('c'), response_id ('p').
struct RecordKey {
  char kind = 0;
  std::string key;
};

// The dedup key of `record` in a statement with `header`; std::nullopt for
// records that have none (governance records: the governance rules and the
// statement's own uniqueness cover them).
std::optional<RecordKey> RecordKeyOf(const StatementHeader& header, const PkhRecord& record);

// The dedup keys of one statement about to be appended at `log_size` of the
// own log `log`, checked against the log's index (which must cover the log up
// to `log_size`: PkhNode::NewRecordKeys makes sure of it) and against each
// other. Imports feed it row by row; small statements all at once.
class RecordKeys {
 public:
  RecordKeys(Store& store, uint32_t log, uint64_t log_size);
  ~RecordKeys();
  RecordKeys(RecordKeys&&) noexcept;
  RecordKeys& operator=(RecordKeys&&) noexcept;

  // The leaf at which the log holds `key`, if it does. Thread-safe.
  Result<std::optional<uint64_t>> Held(char kind, std::string_view key) const;
  Result<std::optional<uint64_t>> Held(const RecordKey& key) const {
    return Held(key.kind, key.key);
  }
  // Notes that the statement carries a record with `key` as its record number
  // `n` (from 1), or, with `in_statement` false, that its file repeats a record
  // the log already holds (seen, so that a second repeat is caught, but not
  // part of the statement). Returns the number given with the key before, or
  // 0 (and counts the key). Not thread-safe.
  uint64_t Add(char kind, std::string_view key, uint64_t n, bool in_statement = true);
  // Checks every record of a small statement: InvalidArgument for a key the
  // statement repeats, AlreadyExists for one the log holds (naming the record
  // and the leaf).
  Status AddAll(const StatementHeader& header, const std::vector<PkhRecord>& records);

  // What else the log holds that a record is checked against: the year a
  // target list is held under, and a complaint by its id. Thread-safe.
  Result<std::optional<uint16_t>> ListYear(std::string_view list_id) const;
  Result<std::optional<HeldComplaint>> Complaint(std::string_view complaint_id) const;

  // Keys added for the statement, and the log size they were checked at.
  uint64_t size() const { return added_; }
  uint64_t log_size() const { return log_size_; }

 private:
  class Seen;
  Store* store_;
  uint32_t log_;
  uint64_t log_size_;
  uint64_t added_ = 0;
  bool log_has_keys_ = true;
  std::unique_ptr<Seen> seen_;
};

// A target list id is imported under one year only: InvalidArgument when the
// log holds `list_id` for another year.
Status CheckListYear(const RecordKeys& keys, std::string_view list_id, uint16_t year);
// A response answers a complaint the log holds, and is not dated before it:
// InvalidArgument otherwise (never naming an identifier).
Status CheckResponseAgainstLog(const RecordKeys& keys, const ComplaintResponse& response);

// Where a statement would be appended.
struct AppendSite {
  const Governance* gov = nullptr;  // the governance state the node holds now
  std::string origin;               // the own log's
  uint64_t log_size = 0;            // its size: the statement's leaf index
  bool is_governance = false;       // the own log is the governance log
  // The largest governance size a statement already in the log records.
  uint64_t last_governance_size = 0;
};

// Decides whether the own log may append `statement`. `records` are its
// decoded records: required for governance statements (judged with them);
// for other types they are checked to fit the statement when given (an
// import checks each row as it reads it instead). `keys` holds the dedup
// keys of every record, checked at `site.log_size`.
//
//   - a governance statement records its own position as its governance size;
//   - any other records the governance size the node holds now, or, for a
//     berita acara signed earlier, a size at which it was authorized and still
//     is; never a size the node does not hold yet, nor one smaller than an
//     earlier statement of the log records;
//   - its signers hold the authority (CheckLogStatement, Judging::kAppending);
//   - a PKH statement's records are all of its type, and none repeats a dedup
//     key of the log or of the statement;
//   - a target list's id is held under one year only; a complaint concerns a
//     stage the governance log opened; a response answers a complaint the log
//     holds and is not dated before it.
//
// Ok; FailedPrecondition when it must be prepared (and signed) again against
// the governance the node holds, or the keys were checked at another size;
// AlreadyExists for a record the log holds; PermissionDenied for missing
// authority; InvalidArgument for records that do not fit.
Status AdmitStatement(const AppendSite& site, const Statement& statement,
                      const std::vector<PkhRecord>* records, const RecordKeys& keys);

}  // namespace jejak
