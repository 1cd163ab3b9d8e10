// Crash safety: a child process (crash_appender) appends statements in a loop
// and is killed with SIGKILL at random moments, again and again. After every
// kill the log reopens and verifies, holds every statement whose append was
// acknowledged, byte for byte at its index, and at most one statement more
// (committed, but killed before it could say so). The next child continues
// from wherever the log is.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/log.h"
#include "ledger/log/log_source.h"
#include "ledger/log/merkle.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/verify.h"
#include "tests/ledger/log/crash_statements.h"
#include "tests/test_support.h"

namespace jejak {
namespace {
using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

using namespace crash_test;  // the log content, shared with crash_appender.cc

// Leaf index of statement k: the sizes of statements 0..k-1 added up.
uint64_t StatementIndex(uint64_t k) {
  uint64_t index = 0;
  for (uint64_t i = 0; i < k; ++i) index += 1 + RecordCount(i);
  return index;
}

// Every leaf of the first `count` statements, in log order.
std::vector<Bytes> ExpectedLeaves(uint64_t count) {
  const SigningKey role = RoleKey();
  std::vector<Bytes> out;
  for (uint64_t k = 0; k < count; ++k) {
    PreparedStatement p = MakeStatement(k, role);
    out.push_back(EncodeStatementEntry(p.statement).value());
    for (const Bytes& r : p.record_leaves()) out.push_back(r);
  }
  return out;
}

struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of the child's stdout
};

Child Spawn(const std::string& binary, const std::string& db, const std::string& err_path) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return {};
  const std::string max = "1000000";
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::dup2(p[1], STDOUT_FILENO);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    ::execl(binary.c_str(), binary.c_str(), db.c_str(), max.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(p[1]);
  if (pid < 0) {
    ::close(p[0]);
    return {};
  }
  return {pid, p[0]};
}

// Reads what the child printed until `until` or end of output. Returns false
// at end of output. The deadline is kept to the microsecond (ppoll), so that
// kills do not cluster just after the child's output wakes the parent.
bool Pump(int fd, std::string& out, Clock::time_point until) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(until - Clock::now());
    if (left.count() <= 0) return true;
    const timespec ts{static_cast<time_t>(left.count() / 1'000'000'000),
                      static_cast<long>(left.count() % 1'000'000'000)};
    pollfd pfd{fd, POLLIN, 0};
    const int r = ::ppoll(&pfd, 1, &ts, nullptr);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return true;  // deadline
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out.append(buf, static_cast<size_t>(n));
  }
}

size_t CountLines(const std::string& out, std::string_view prefix) {
  size_t n = 0;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) n += line.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempFolder("crash-test"); }
  void TearDown() override { RemoveFolder(dir_); }
  std::string dir_;
};

TEST_F(CrashTest, SigkilledAppenderLosesNoAcknowledgedStatement) {
  const std::string binary = std::string(JEJAK_TEST_HELPERS_DIR) + "/crash_appender";
  ASSERT_TRUE(fs::exists(binary)) << binary;
  const std::string db = dir_ + "/db";
  const std::string err_path = dir_ + "/child.stderr";
  const SigningKey log_key = LogKey();
  const NoteVerifierKey verifier = NoteVerifierKey::ForEd25519(kOrigin, log_key.public_key());
  {
    auto store = OpenRocksStore(db, StoreMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto info = RegisterLog(**store, verifier, /*own=*/true);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    auto w = LogWriter::Open(**store, *info, &log_key);  // signs the empty tree
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }

  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  RecordProperty("seed", static_cast<int>(seed));
  std::printf("crash test seed %u\n", seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  constexpr int kKills = 24;
  uint64_t in_log = 0;       // statements in the log after the last kill
  uint64_t acked_total = 0;  // acknowledgements seen, over all children
  int64_t last_acked = -1;   // highest acknowledged statement
  int unacked_rounds = 0, unsigned_tail_rounds = 0, early_rounds = 0;
  const auto started = Clock::now();

  for (int round = 0; round < kKills; ++round) {
    SCOPED_TRACE(fmt::format("round {} (seed {})", round, seed));
    Child child = Spawn(binary, db, err_path);
    ASSERT_GT(child.pid, 0) << "fork failed";
    std::string out;
    bool open = true;
    const auto spawned = Clock::now();
    const auto guard = spawned + std::chrono::seconds(20);
    // Vary the moment: during startup, during the first appends, a fixed
    // time after the child said it was ready, or right after some acks.
    switch (round % 5) {
      case 0:
        open = Pump(child.out, out, spawned + std::chrono::microseconds(uniform(0, 3000)));
        break;
      case 1:
        open = Pump(child.out, out, spawned + std::chrono::milliseconds(uniform(3, 80)));
        break;
      case 2:
        while (open && CountLines(out, "START") == 0 && Clock::now() < guard) {
          open = Pump(child.out, out, Clock::now() + std::chrono::milliseconds(5));
        }
        if (open) {
          open = Pump(child.out, out, Clock::now() + std::chrono::milliseconds(uniform(0, 40)));
        }
        break;
      case 3: {
        const size_t want = static_cast<size_t>(uniform(1, 10));
        while (open && CountLines(out, "ACK") < want && Clock::now() < guard) {
          open = Pump(child.out, out, Clock::now() + std::chrono::milliseconds(5));
        }
        if (open) {
          open = Pump(child.out, out, Clock::now() + std::chrono::microseconds(uniform(0, 8000)));
        }
        break;
      }
      case 4:
        open = Pump(child.out, out, spawned + std::chrono::milliseconds(uniform(100, 300)));
        break;
    }
    ::kill(child.pid, SIGKILL);
    while (Pump(child.out, out, Clock::now() + std::chrono::seconds(5))) {
    }
    ::close(child.out);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child.pid, &wstatus, 0), child.pid);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "the child ended on its own (status " << wstatus << "); its stderr:\n"
        << ReadBinary(err_path) << "\nits stdout:\n"
        << out;

    // What the child said: where it started, then one ack per statement.
    std::istringstream lines(out);
    uint64_t next = in_log, acks = 0;
    bool started_line = false;
    for (std::string line; std::getline(lines, line);) {
      if (lines.eof()) break;  // a line cut short by the kill
      std::istringstream f(line);
      std::string word;
      f >> word;
      if (word == "START") {
        uint64_t k = 0, size = 0;
        f >> k >> size;
        ASSERT_FALSE(started_line) << line;
        started_line = true;
        EXPECT_EQ(k, in_log) << "the child did not continue where the log was";
        EXPECT_EQ(size, StatementIndex(in_log)) << line;
      } else if (word == "ACK") {
        uint64_t k = 0, index = 0, size = 0;
        f >> k >> index >> size;
        ASSERT_TRUE(started_line) << line;
        ASSERT_EQ(k, next) << line;
        EXPECT_EQ(index, StatementIndex(k)) << line;
        EXPECT_EQ(size, StatementIndex(k + 1)) << line;
        ++next;
        ++acks;
        last_acked = static_cast<int64_t>(k);
      } else {
        ADD_FAILURE() << "unexpected output: " << line;
      }
    }
    acked_total += acks;
    if (!started_line) ++early_rounds;

    // The log as the next process finds it.
    auto store = OpenRocksStore(db, StoreMode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto info = FindLog(**store, kOrigin);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    StoreLogSource source(**store, *info, "store " + db);
    VerifyOptions options;
    options.log_key = verifier;
    const VerifyResult v = VerifyLog(source, options);
    ASSERT_TRUE(v.status.ok()) << v.status.ToString();

    LogReader reader(**store, *info);
    const uint64_t size = reader.Size().value();
    const uint64_t statements = v.report.statements;
    EXPECT_EQ(v.report.leaves, size);
    ASSERT_EQ(StatementIndex(statements), size) << "the log ends inside a statement";
    // Every acknowledged statement is there; at most one more is.
    ASSERT_GE(static_cast<int64_t>(statements), last_acked + 1);
    ASSERT_LE(statements, next + 1) << "more than one unacknowledged statement survived";
    ASSERT_GE(statements, in_log) << "statements from earlier rounds disappeared";
    if (statements == next + 1) ++unacked_rounds;

    // Byte for byte what the child was asked to write.
    const std::vector<Bytes> want = ExpectedLeaves(statements);
    ASSERT_EQ(want.size(), size);
    Status s = reader.ForEachLeaf(0, size, [&](uint64_t i, ByteSpan leaf) -> Status {
      if (Bytes(leaf.begin(), leaf.end()) != want[i]) {
        return Corruption(fmt::format("leaf {} differs from what was appended", i));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();

    // An acknowledged append had its checkpoint stored before the ack.
    auto cp = OpenCheckpoint(reader.LatestCheckpoint().value(), verifier);
    ASSERT_TRUE(cp.ok()) << cp.status().ToString();
    EXPECT_GE(cp->checkpoint.size, StatementIndex(static_cast<uint64_t>(last_acked + 1)));
    EXPECT_LE(cp->checkpoint.size, size);
    EXPECT_EQ(cp->checkpoint.root, reader.Root(cp->checkpoint.size).value());
    if (cp->checkpoint.size < size) ++unsigned_tail_rounds;
    in_log = statements;
  }

  // A last writer signs whatever tail the last kill left.
  {
    auto store = OpenRocksStore(db, StoreMode::kReadWrite);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto info = FindLog(**store, kOrigin);
    ASSERT_TRUE(info.ok());
    auto w = LogWriter::Open(**store, *info, &log_key);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_EQ((*w)->size(), StatementIndex(in_log));
    StoreLogSource source(**store, *info, "store " + db);
    VerifyOptions options;
    options.log_key = verifier;
    const VerifyResult v = VerifyLog(source, options);
    ASSERT_TRUE(v.status.ok()) << v.status.ToString();
    EXPECT_EQ(v.report.size, v.report.leaves);
    EXPECT_EQ(v.report.root, (*w)->root());
  }
  const double secs = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf(
      "%d kills in %.1f s: %llu statements in the log, %llu acknowledged; %d kills before the "
      "child was ready, %d left an unacknowledged statement, %d an unsigned tail\n",
      kKills, secs, static_cast<unsigned long long>(in_log),
      static_cast<unsigned long long>(acked_total), early_rounds, unacked_rounds,
      unsigned_tail_rounds);
  // The kills must have landed while statements were being appended.
  EXPECT_GT(acked_total, static_cast<uint64_t>(kKills));
}

}  // namespace
}  // namespace jejak
