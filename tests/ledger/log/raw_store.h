// The column families of a Jejak store, for tests that open it with RocksDB's
// own API (as an intruder, or `ldb`, would).
#pragma once

#include <string>
#include <vector>

#include <rocksdb/db.h>

#include "ledger/log/store.h"

namespace jejak::testing {

inline std::vector<rocksdb::ColumnFamilyDescriptor> StoreColumnFamilies() {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  cfs.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (int i = 0; i < kColumnCount; ++i) {
    cfs.emplace_back(std::string(ColumnName(static_cast<Column>(i))),
                     rocksdb::ColumnFamilyOptions());
  }
  return cfs;
}

}  // namespace jejak::testing
