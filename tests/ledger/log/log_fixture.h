// The fixture of the log tests (LogTest): a store with one own log, its
// writer, and a snapshot of everything the store holds.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/status.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/log/log_source.h"
#include "ledger/log/merkle.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/verify.h"
#include "tests/ledger/log/fault_injecting_store.h"
#include "tests/test_support.h"

namespace jejak::log_test {

using ::jejak::testing::KeyFromByte;
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::RemoveFolder;

using testing::FaultInjectingStore;
using ::testing::HasSubstr;
using testing::kInjectedFault;

inline constexpr char kOrigin[] = "jejak.test/kab/7404";

inline std::vector<ByteSpan> Spans(const std::vector<Bytes>& leaves) {
  return std::vector<ByteSpan>(leaves.begin(), leaves.end());
}

// Every key and value of every column: equal snapshots mean an untouched store.
using StoreSnapshot = std::map<std::pair<int, std::string>, std::string>;

inline StoreSnapshot Snapshot(Store& store) {
  StoreSnapshot out;
  for (int c = 0; c < kColumnCount; ++c) {
    auto it = store.NewIterator(static_cast<Column>(c));
    for (it->Seek(""); it->Valid(); it->Next()) {
      out[{c, std::string(it->key())}] = std::string(it->value());
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  }
  return out;
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempFolder("log-test");
    OpenStore(StoreMode::kCreate);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string db_path() const { return dir_ + "/db"; }

  void OpenStore(StoreMode mode, const std::string& path = "") {
    auto s = OpenRocksStore(path.empty() ? db_path() : path, mode);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  NoteVerifierKey LogVerifier() const {
    return NoteVerifierKey::ForEd25519(kOrigin, log_key_.public_key());
  }

  LogInfo Register(Store& store) {
    auto info = RegisterLog(store, LogVerifier(), /*own=*/true);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return info.ok() ? *info : LogInfo{};
  }

  std::unique_ptr<LogWriter> OpenWriter(Store& store, const LogInfo& info) {
    auto w = LogWriter::Open(store, info, &log_key_);
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? std::move(w).value() : nullptr;
  }

  // Statement `k` of the test logs: deterministic, `records` text records.
  PreparedStatement MakeStatement(uint64_t k, size_t records,
                                  const std::string& origin = kOrigin) const {
    StatementHeader h;
    h.origin = origin;
    h.type = "test.note";
    h.stage = "2026-T1";
    h.region = "7404";
    h.timestamp_ms = 1'760'000'000'000 + static_cast<int64_t>(k);
    std::vector<Bytes> leaves;
    for (size_t j = 0; j < records; ++j) {
      leaves.push_back(EncodeTextRecordEntry(fmt::format("s{} r{}", k, j)).value());
    }
    PreparedStatement p = PrepareStatement(std::move(h), std::move(leaves));
    SignStatement(p.statement, role_key_);
    return p;
  }

  // The leaf hashes of leaves [0, size), read back from the store.
  std::vector<Hash> StoredLeafHashes(LogReader& reader, uint64_t size) {
    std::vector<Hash> out;
    Status s = reader.ForEachLeaf(0, size, [&](uint64_t, ByteSpan leaf) {
      out.push_back(LeafHash(leaf));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  VerifyResult Verify(Store& store, const LogInfo& info) {
    StoreLogSource source(store, info, "store " + db_path());
    VerifyOptions options;
    options.log_key = LogVerifier();
    return VerifyLog(source, options);
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  SigningKey log_key_ = KeyFromByte(0x01);
  SigningKey role_key_ = KeyFromByte(0x02);
};

}  // namespace jejak::log_test
