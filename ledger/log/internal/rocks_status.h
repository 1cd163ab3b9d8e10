// RocksDB's statuses as ours: the one conversion, shared by the store and
// the backups. Internal to ledger/log/.
#pragma once

#include <rocksdb/status.h>

#include <string_view>

#include <fmt/format.h>

#include "crypto/status.h"

namespace jejak {

// The one place RocksDB statuses become ours.
inline Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  if (s.IsNoSpace()) {
    // Nothing the store wrote is lost: a write that did not fit is not
    // applied, and the next one after space is freed goes on.
    return ResourceExhausted(fmt::format("no space left on device while {}", what));
  }
  const std::string msg = fmt::format("{}: {}", what, s.ToString());
  if (s.IsNotFound()) return NotFound(msg);
  if (s.IsCorruption()) return Corruption(msg);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Unavailable(
        fmt::format("{}: the store is in use by another process ({})", what, s.ToString()));
  }
  if (s.IsIOError()) return IOError(msg);
  if (s.IsInvalidArgument()) return InvalidArgument(msg);
  return Internal(msg);
}

}  // namespace jejak
