// The RocksDB implementation of Store: one database, one column family per
// Column. All RocksDB statuses are converted to ours in rocks_store.cc only.
#pragma once

#include <memory>
#include <string>

#include "ledger/log/store.h"

namespace jejak {

enum class StoreMode {
  kCreate,     // create a new database; AlreadyExists if one is there
  kReadWrite,  // open an existing database for writing (takes its lock)
  kReadOnly,   // open as a RocksDB secondary: works beside a running writer
};

// Opens the database in folder `path`. A database locked by another process
// gives Unavailable naming the folder.
Result<std::unique_ptr<Store>> OpenRocksStore(const std::string& path, StoreMode mode);

}  // namespace jejak
