// A million receipts imported in bounded memory, in a child process.
#include "tests/ledger/pkh/import_fixture.h"

namespace jejak::import_test {
namespace {

// --- A million rows in bounded memory ---

constexpr uint64_t kLargeRows = 1'000'000;
constexpr char kLargeDirEnv[] = "JEJAK_TEST_IMPORT_LARGE_DIR";
constexpr char kLargeCsvEnv[] = "JEJAK_TEST_IMPORT_LARGE_CSV";
constexpr char kLargeOutEnv[] = "JEJAK_TEST_IMPORT_LARGE_OUT";

// The child: imports the file into the bank node and writes the report. Run
// only by ImportLarge below (disabled, so a plain run of the suite skips it).
TEST(ImportLargeChild, DISABLED_ImportReceipts) {
  const char* dir = std::getenv(kLargeDirEnv);
  const char* csv = std::getenv(kLargeCsvEnv);
  const char* out = std::getenv(kLargeOutEnv);
  ASSERT_TRUE(dir != nullptr && csv != nullptr && out != nullptr)
      << "run by ImportLarge.MillionReceiptsInBoundedMemory";
  PkhTestNode bank;
  bank.dir = dir;
  ASSERT_TRUE(IsOk(bank.Open()));
  const ProgramKey program_key = KeyFromByte(::jejak::testing::kProgramKeyByte).seed();
  const SigningKey payer = KeyFromByte(::jejak::testing::kPayerKeyByte);
  auto r = ImportReceipts(*bank.pkh, csv, payer, program_key);
  ASSERT_TRUE(IsOk(r));
  ASSERT_TRUE(r->statement.has_value());
  ASSERT_TRUE(::jejak::testing::WriteBinary(
      out,
      fmt::format("{} {} {} {}", r->rows, r->appended, r->statement->index, r->statement->size)));
}

class ImportLarge : public ::jejak::testing::PkhFixture {};

// AddressSanitizer's shadow memory and quarantine roughly triple a process's
// resident size, so the sanitizer build checks a looser bound.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kLargeRssBound = uint64_t{3} << 30;
#else
constexpr uint64_t kLargeRssBound = uint64_t{1} << 30;
#endif

TEST_F(ImportLarge, MillionReceiptsInBoundedMemory) {
  const std::string csv = path("million.csv");
  {
    FILE* f = std::fopen(csv.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::string chunk = ReceiptsHeader();
    for (uint64_t i = 1; i <= kLargeRows; ++i) {
      fmt::format_to(std::back_inserter(chunk),
                     "BRI-2026T1-{:07d},KPM-LARGE-{:07d},7306,2026-T1,{},paid,"
                     "2026-03-{:02d}T10:15:00+07:00,kks\n",
                     i, i, 750'000 + (i % 7) * 225'000, 1 + i % 14);
      if (chunk.size() > (1 << 20) || i == kLargeRows) {
        ASSERT_EQ(std::fwrite(chunk.data(), 1, chunk.size(), f), chunk.size());
        chunk.clear();
      }
    }
    ASSERT_EQ(std::fclose(f), 0);
  }
  const std::string out = path("child-report.txt");
  const std::string log = path("child-output.txt");
  bank_.Close();  // the child opens the bank's store

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back(fmt::format("{}={}", kLargeDirEnv, bank_.dir));
  env_strings.push_back(fmt::format("{}={}", kLargeCsvEnv, csv));
  env_strings.push_back(fmt::format("{}={}", kLargeOutEnv, out));
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe", filter = "--gtest_filter=ImportLargeChild.*",
              disabled = "--gtest_also_run_disabled_tests";
  char* argv[] = {self.data(), filter.data(), disabled.data(), nullptr};

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) ::_exit(126);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execve("/proc/self/exe", argv, envp.data());
    ::_exit(127);
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  struct rusage usage {};
  ASSERT_EQ(::wait4(pid, &status, 0, &usage), pid);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const uint64_t peak_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status << "\n"
                                                             << ::jejak::testing::ReadBinary(log);
  std::printf("[ImportLarge] %llu rows: peak RSS %.1f MiB, wall time %.1f s\n",
              static_cast<unsigned long long>(kLargeRows),
              static_cast<double>(peak_rss_bytes) / (1 << 20), seconds);
  RecordProperty("peak_rss_bytes", std::to_string(peak_rss_bytes));
  RecordProperty("wall_seconds", fmt::format("{:.1f}", seconds));
  EXPECT_LT(peak_rss_bytes, kLargeRssBound);

  EXPECT_EQ(::jejak::testing::ReadBinary(out),
            fmt::format("{} {} 0 {}", kLargeRows, kLargeRows, kLargeRows + 1));
  ASSERT_TRUE(IsOk(bank_.Open()));
  EXPECT_EQ(bank_.OwnLogState().first, kLargeRows + 1);
  {
    // One statement, signed once over the million records.
    LogReader reader(bank_.store(), bank_.folder->own_log());
    auto leaf = reader.Leaf(0);
    ASSERT_TRUE(IsOk(leaf));
    auto st = DecodeStatementEntry(*leaf);
    ASSERT_TRUE(IsOk(st));
    EXPECT_EQ(st->header.record_count, kLargeRows);
    ASSERT_EQ(st->signatures.size(), 1u);
    EXPECT_EQ(st->signatures[0].public_key, payer_.public_key());
  }
  auto last = FindTxnRef(bank_.store(), bank_.folder->own_log().id,
                         fmt::format("BRI-2026T1-{:07d}", kLargeRows));
  ASSERT_TRUE(IsOk(last));
  EXPECT_EQ(*last, std::optional<uint64_t>(kLargeRows));
}

}  // namespace
}  // namespace jejak::import_test
