// A disbursement receipt read back from a lembaga bayar's log by its
// transaction reference: what `jejak receipt print` prints.
//
// Thread-compatible: the function keeps no state; the source belongs to the
// caller's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "crypto/status.h"
#include "ledger/log/entry.h"
#include "ledger/log/log_source.h"
#include "ledger/pkh/records.h"

namespace jejak {

struct LoggedReceipt {
  Receipt receipt;
  uint64_t index = 0;  // the record's leaf
  Bytes leaf;          // its bytes
};

// The receipt with `txn_ref` among the first `size` leaves of `source`. With
// `at` (the index's answer, index_keys.h FindTxnRef), only that leaf is read
// and checked; without, the log is walked statement to statement, reading
// the records of pkh.receipt statements only. NotFound naming the log and
// the reference; Corruption naming the leaf for a leaf that is not what the
// walk or the index says; the source's errors otherwise.
Result<LoggedReceipt> FindLoggedReceipt(LogSource& source, uint64_t size, std::string_view txn_ref,
                                        std::optional<uint64_t> at = std::nullopt);

}  // namespace jejak
