// The PKH import benchmark: import 1,000,000 receipts from a CSV file into a
// lembaga bayar node (parse, check, pseudonymize, encode, append, commit
// durable, index), the way `jejak import receipts` does, and print rows per
// second beside this machine's ceilings measured in the same run.
//
//   jejak_import_bench [--rows N] [--dir PATH]
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "crypto/pseudonym.h"
#include "ledger/log/merkle.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/governance_statements.h"
#include "ledger/pkh/import.h"
#include "ledger/pkh/pull.h"

namespace jejak {
namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) {
    fmt::print(stderr, "bench: {}: {}\n", what, r.status().message());
    std::exit(1);
  }
  return std::move(r).value();
}
void Must(const Status& s, const char* what) {
  if (!s.ok()) {
    fmt::print(stderr, "bench: {}: {}\n", what, s.message());
    std::exit(1);
  }
}

double RateOf(const std::function<void()>& op, uint64_t batch) {
  const auto start = Clock::now();
  uint64_t n = 0;
  while (Seconds(start, Clock::now()) < 1.0) {
    for (uint64_t k = 0; k < batch; ++k) op();
    n += batch;
  }
  return static_cast<double>(n) / Seconds(start, Clock::now());
}

int Main(int argc, char** argv) {
  uint64_t rows = 1'000'000;
  std::string dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--rows")
      rows = std::stoull(argv[i + 1]);
    else if (a == "--dir")
      dir = argv[i + 1];
    else {
      fmt::print(stderr, "usage: {} [--rows N] [--dir PATH]\n", argv[0]);
      return 2;
    }
  }
  const bool own_dir = dir.empty();
  if (own_dir)
    dir = std::filesystem::temp_directory_path() / fmt::format("jejak-import-bench-{}", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  // Ceilings: SHA-256 of a receipt-sized leaf, keyed BLAKE2b pseudonyms.
  const ProgramKey pk = GenerateProgramKey();
  std::string leaf(200, 'x');
  uint64_t sink = 0;
  const double sha = RateOf(
      [&] {
        leaf[0] = static_cast<char>(sink);
        sink += LeafHash(AsBytes(leaf))[0];
      },
      10000);
  const double blake = RateOf([&] { sink += KpmPseudonym(pk, "SYN-0000012345")[0]; }, 10000);
  fmt::print("jejak import benchmark: {} receipt rows\n", rows);
  fmt::print("ceilings:  SHA-256 leaf hashes        {:>10.0f} /s\n", sha);
  fmt::print("           BLAKE2b pseudonyms         {:>10.0f} /s\n", blake);

  // A kemensos node, a bank registered with a payer key, the stage opened.
  NodeInitOptions gov_opts{.kind = NodeKind::kKemensos,
                           .name = "Kemensos",
                           .region = "00",
                           .passphrase = "bench",
                           .kdf = KdfParams{1, 8192}};
  Must(NodeFolder::Create(dir + "/gov", gov_opts), "create kemensos");
  const NodeConfig gov_config = Must(ReadNodeConfig(dir + "/gov"), "gov config");
  NodeInitOptions bank_opts{.kind = NodeKind::kLembagaBayar,
                            .name = "BANK",
                            .region = "00",
                            .passphrase = "bench",
                            .kdf = KdfParams{1, 8192},
                            .governance = gov_config.key,
                            .program_key = pk};
  Must(NodeFolder::Create(dir + "/bank", bank_opts), "create bank");
  const NodeConfig bank_config = Must(ReadNodeConfig(dir + "/bank"), "bank config");
  SigningKey payer = SigningKey::Generate();
  {
    auto gov = Must(NodeFolder::Open(dir + "/gov", StoreMode::kReadWrite), "open gov");
    SigningKey root = Must(gov->UnlockKey("bench"), "unlock gov");
    auto node = Must(PkhNode::Open(*gov, root), "gov context");
    auto add = [&](std::string_view type, PkhRecord r) {
      Must(AppendGovernanceStatement(*node, type, {std::move(r)}, root).status(), "governance");
    };
    add(kTypeGovNode,
        Must(MakeNodeRegistration("BANK", "lembaga-bayar", "00", bank_config.key.ToString(), ""),
             "node"));
    add(kTypeGovGrant,
        KeyGrant{payer.public_key(), "bench/payer", Role::kPayer, {"*"}, bank_config.origin});
    add(kTypeGovStage, StageWindow{"2026-T1", "2026-03-01", "2026-03-14"});
    LogReader reader(gov->store(), gov->own_log());
    Must(ExportTiles(reader, dir + "/gov-tiles").status(), "export governance");
  }
  auto bank = Must(NodeFolder::Open(dir + "/bank", StoreMode::kReadWrite), "open bank");
  TileFolderSource gov_tiles(dir + "/gov-tiles");
  Must(PullLog(*bank, gov_tiles).status(), "pull governance");
  SigningKey bank_key = Must(bank->UnlockKey("bench"), "unlock bank");
  auto node = Must(PkhNode::Open(*bank, bank_key), "bank context");

  // The CSV: synthetic identifiers, 514 kabupaten, a few statuses and channels.
  const std::string csv = dir + "/receipts.csv";
  {
    std::ofstream out(csv);
    out << "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n";
    static const char* kStatus[] = {"paid", "paid", "paid", "failed", "returned"};
    static const char* kChannel[] = {"kks", "rekening", "pos"};
    for (uint64_t i = 0; i < rows; ++i) {
      out << fmt::format(
          "TRX{:010d},SYN-{:010d},{:04d},2026-T1,{},{},2026-03-{:02d}T10:{:02d}:00+07:00,{}\n", i,
          i * 7919 % 100000000, 1101 + i % 514, 225000 * (1 + i % 8), kStatus[i % 5], 1 + i % 14,
          i % 60, kChannel[i % 3]);
    }
  }
  const auto size_mib = std::filesystem::file_size(csv) >> 20;

  const auto t0 = Clock::now();
  ImportReport report = Must(ImportReceipts(*node, csv, payer, pk), "import");
  const auto t1 = Clock::now();
  if (report.appended != rows) {
    fmt::print(stderr, "bench: appended {} of {} rows\n", report.appended, rows);
    return 1;
  }
  const double rate = static_cast<double>(rows) / Seconds(t0, t1);
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  fmt::print(
      "import receipts ({} MiB CSV, one statement, durable, indexed): {:>9.0f} rows/s ({:.1f} s) "
      "= {:.3f} of SHA-256, {:.3f} of BLAKE2b\n",
      size_mib, rate, Seconds(t0, t1), rate / sha, rate / blake);
  fmt::print("peak memory: {} MiB\n", u.ru_maxrss / 1024);
  node.reset();
  bank.reset();
  if (own_dir && !std::getenv("JEJAK_BENCH_KEEP")) std::filesystem::remove_all(dir);
  return sink == 42 ? 3 : 0;
}

}  // namespace
}  // namespace jejak

int main(int argc, char** argv) { return jejak::Main(argc, argv); }
