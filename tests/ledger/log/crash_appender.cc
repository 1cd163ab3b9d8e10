// The child process of crash_test.cc: opens a log in an existing store and
// appends statements in a loop, printing "ACK <k> <index> <size>" (and
// flushing) only after AppendStatement returned Ok, i.e. after the statement's
// batch and its checkpoint are durable. The test kills it with SIGKILL.
//
//   crash_appender STORE_DIR MAX_STATEMENTS
//
// On start it works out from the log which statement comes next, prints
// "START <k> <size>" and continues from there. Statement k is fully
// deterministic (fixed keys, Ed25519 signatures are deterministic), so the test
// can rebuild every expected leaf byte for byte; the content rules below must
// stay identical to the copy in crash_test.cc.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "tests/ledger/log/crash_statements.h"

namespace {

using namespace jejak;
using namespace jejak::crash_test;

int Fail(const Status& s) {
  fmt::print(stderr, "crash_appender: {}\n", s.ToString());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: crash_appender STORE_DIR MAX_STATEMENTS\n");
    return 2;
  }
  const std::string dir = argv[1];
  const uint64_t max_statements = std::strtoull(argv[2], nullptr, 10);
  const SigningKey log_key = LogKey();
  const SigningKey role = RoleKey();

  auto store = OpenRocksStore(dir, StoreMode::kReadWrite);
  if (!store.ok()) return Fail(store.status());
  auto info = FindLog(**store, kOrigin);
  if (!info.ok()) return Fail(info.status());
  auto writer = LogWriter::Open(**store, *info, &log_key);
  if (!writer.ok()) return Fail(writer.status());

  // Statement k starts at the sum of the sizes of statements 0..k-1.
  uint64_t k = 0, index = 0;
  while (index < (*writer)->size()) index += 1 + RecordCount(k++);
  if (index != (*writer)->size()) {
    return Fail(
        Corruption(fmt::format("log size {} is not at a statement boundary", (*writer)->size())));
  }
  fmt::print("START {} {}\n", k, (*writer)->size());
  std::fflush(stdout);

  for (; k < max_statements; ++k) {
    const PreparedStatement p = MakeStatement(k, role);
    auto appended = AppendStatement(**writer, p);
    if (!appended.ok()) return Fail(appended.status());
    fmt::print("ACK {} {} {}\n", k, appended->index, appended->size);
    std::fflush(stdout);
  }
  fmt::print("DONE {}\n", k);
  std::fflush(stdout);
  return 0;
}
