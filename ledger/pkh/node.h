// A node's PKH context for authoring: its folder, its own log's writer, and
// the governance state it judges by (its own log on the kemensos node, its
// replica of the governance log elsewhere). Every statement it appends is
// judged first; every append is indexed after.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "ledger/log/statement_log.h"
#include "ledger/pkh/admission.h"
#include "ledger/pkh/governance.h"
#include "ledger/pkh/indexer.h"
#include "ledger/pkh/node_folder.h"

namespace jejak {

class PkhNode {
 public:
  // Opens the context on a folder opened for writing. FailedPrecondition for
  // a standalone node. Brings the own log's index up to date.
  static Result<std::unique_ptr<PkhNode>> Open(NodeFolder& folder, const SigningKey& node_key);

  NodeFolder& folder() { return folder_; }
  LogWriter& writer() { return *writer_; }
  const Governance& gov() const { return *gov_; }
  bool is_governance() const { return is_governance_; }
  const std::string& region() const { return folder_.config().region; }

  // A header for a new statement of `type` on the own log, judged at the
  // governance size this node holds now. Thread-safe, unlike the rest of
  // PkhNode: it reads only what was published after the last append or
  // governance reload, so a reader never waits for a writer.
  StatementHeader NewHeader(std::string_view type) const;

  // The dedup keys of a statement about to be appended at the own log's
  // current size, checked against its index (caught up first if it lags).
  Result<RecordKeys> NewRecordKeys();

  // Whether the own log may append `statement` now: AdmitStatement
  // (ledger/admission.h) at this node's site, with the record keys `keys`.
  Status Admit(const Statement& statement, const std::vector<PkhRecord>* records,
               const RecordKeys& keys);

  // A statement whose decoded records are all at hand (`records` in the order
  // of the prepared leaves; empty for generic records): checks their keys,
  // admits, appends and checkpoints, then indexes the new statement.
  Result<AppendedStatement> Append(const PreparedStatement& prepared,
                                   const std::vector<PkhRecord>& records);
  // The same for records already staged in `txn` (large imports), whose keys
  // `keys` checked as they were read.
  Result<AppendedStatement> Commit(AppendTransaction& txn, const Statement& statement,
                                   std::span<const Hash> record_hashes, const RecordKeys& keys);

  // Brings the own log's index up to date (after an append, or at open).
  Result<IndexReport> CatchUpOwnIndex();
  // Reloads the governance state (after governance statements or a pull).
  Status ReloadGovernance();

 private:
  PkhNode(NodeFolder& folder, std::unique_ptr<LogWriter> writer, bool is_governance)
      : folder_(folder), writer_(std::move(writer)), is_governance_(is_governance) {}

  // Publishes the governance size a new statement records (NewHeader).
  void PublishHeaderBasis();

  NodeFolder& folder_;
  std::unique_ptr<LogWriter> writer_;
  bool is_governance_;
  std::optional<Governance> gov_;
  std::atomic<uint64_t> header_governance_size_{0};
};

// Loads the governance state a node judges by: its own log on the kemensos
// node, else its governance replica (empty, size 0, before the first pull).
Result<Governance> LoadNodeGovernance(NodeFolder& folder);

}  // namespace jejak
