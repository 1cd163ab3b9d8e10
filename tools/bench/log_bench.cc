// The log engine benchmark: append 1,000,000 records of ~250 bytes in
// statements of 10,000 (durable), verify the whole log, build 10,000
// inclusion proofs; and, in the same run, this machine's ceilings (SHA-256
// leaf hashes per second, Ed25519 verifications per second), with the ratios.
//
//   jejak_log_bench [--records N] [--per-statement N] [--proofs N] [--dir PATH]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "crypto/ed25519.h"
#include "ledger/log/merkle.h"
#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/verify.h"
#include "tools/bench/bench_common.h"

namespace jejak {
namespace {

using bench::Clock;
using bench::RecordText;
using bench::Seconds;
using bench::Sha256Ceiling;

[[noreturn]] void Die(const Status& s, const char* what) {
  fmt::print(stderr, "bench: {}: {}\n", what, s.message());
  std::exit(1);
}

double Ed25519Ceiling() {
  SigningKey key = SigningKey::Generate();
  const std::string msg = RecordText(2);
  const Signature sig = key.Sign(AsBytes(msg));
  const auto start = Clock::now();
  uint64_t n = 0;
  while (Seconds(start, Clock::now()) < 1.0) {
    for (int k = 0; k < 200; ++k, ++n) {
      if (!VerifySignature(key.public_key(), AsBytes(msg), sig)) std::abort();
    }
  }
  return static_cast<double>(n) / Seconds(start, Clock::now());
}

long PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

int Main(int argc, char** argv) {
  uint64_t records = 1'000'000, per_statement = 10'000, proofs = 10'000;
  std::string dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--records")
      records = std::stoull(argv[i + 1]);
    else if (a == "--per-statement")
      per_statement = std::stoull(argv[i + 1]);
    else if (a == "--proofs")
      proofs = std::stoull(argv[i + 1]);
    else if (a == "--dir")
      dir = argv[i + 1];
    else {
      fmt::print(stderr, "usage: {} [--records N] [--per-statement N] [--proofs N] [--dir PATH]\n",
                 argv[0]);
      return 2;
    }
  }
  const bool own_dir = dir.empty();
  if (own_dir)
    dir = std::filesystem::temp_directory_path() / fmt::format("jejak-bench-{}", getpid());
  std::filesystem::remove_all(dir);

  fmt::print("jejak log benchmark: {} records of ~250 bytes, {} per statement, {} proofs\n",
             records, per_statement, proofs);
  const double sha = Sha256Ceiling();
  const double ed = Ed25519Ceiling();
  fmt::print("ceilings:  SHA-256 leaf hashes   {:>12.0f} /s\n", sha);
  fmt::print("           Ed25519 verifications {:>12.0f} /s\n", ed);

  auto store = OpenRocksStore(dir, StoreMode::kCreate);
  if (!store.ok()) Die(store.status(), "store");
  SigningKey node_key = SigningKey::Generate();
  SigningKey role_key = SigningKey::Generate();
  const auto vk = NoteVerifierKey::ForEd25519("bench.jejak/log", node_key.public_key());
  auto info = RegisterLog(**store, vk, true);
  if (!info.ok()) Die(info.status(), "register");
  auto writer = LogWriter::Open(**store, *info, &node_key);
  if (!writer.ok()) Die(writer.status(), "open writer");

  // Append.
  const auto t0 = Clock::now();
  if (Status s = bench::AppendRecordStatements(**writer, vk.name, role_key, records, per_statement);
      !s.ok()) {
    Die(s, "append");
  }
  const auto t1 = Clock::now();
  const double append_rate = static_cast<double>(records) / Seconds(t0, t1);
  const uint64_t leaves_total = (*writer)->size();

  // Verify (full: leaves, tiles, statements, signatures, checkpoints).
  StoreLogSource source(**store, *info, "bench store");
  VerifyOptions vo;
  vo.log_key = vk;
  const auto t2 = Clock::now();
  VerifyResult v = VerifyLog(source, vo);
  const auto t3 = Clock::now();
  if (!v.status.ok()) Die(v.status, "verify");
  const double verify_rate = static_cast<double>(v.report.records) / Seconds(t2, t3);

  // Inclusion proofs at random indexes, each from a fresh reader (no warm cache).
  std::mt19937_64 rng(42);
  const auto t4 = Clock::now();
  for (uint64_t k = 0; k < proofs; ++k) {
    LogReader reader(**store, *info);
    const uint64_t index = rng() % leaves_total;
    auto proof = reader.InclusionProof(index, leaves_total);
    if (!proof.ok()) Die(proof.status(), "prove");
  }
  const auto t5 = Clock::now();
  const double proof_rate = static_cast<double>(proofs) / Seconds(t4, t5);
  {
    // Spot-check that proofs verify (outside the timing).
    LogReader reader(**store, *info);
    auto root = reader.Root(leaves_total);
    auto leaf = reader.Leaf(leaves_total / 2);
    auto proof = reader.InclusionProof(leaves_total / 2, leaves_total);
    if (!root.ok() || !leaf.ok() || !proof.ok() ||
        !VerifyInclusion(leaves_total / 2, leaves_total, LeafHash(*leaf), *proof, *root).ok()) {
      fmt::print(stderr, "bench: a proof did not verify\n");
      return 1;
    }
  }

  fmt::print(
      "append (durable, {} per statement): {:>10.0f} records/s  ({:.1f} s)  = {:.3f} of SHA-256, "
      "{:.1f}x Ed25519\n",
      per_statement, append_rate, Seconds(t0, t1), append_rate / sha, append_rate / ed);
  fmt::print(
      "verify (every leaf, tile, signature): {:>10.0f} records/s  ({:.1f} s)  = {:.3f} of SHA-256, "
      "{:.1f}x Ed25519\n",
      verify_rate, Seconds(t2, t3), verify_rate / sha, verify_rate / ed);
  fmt::print("inclusion proofs (fresh reader each): {:>10.0f} proofs/s   ({:.2f} s)\n", proof_rate,
             Seconds(t4, t5));
  fmt::print("peak memory: {} MiB\n", PeakRssMiB());
  store->reset();
  if (own_dir && !std::getenv("JEJAK_BENCH_KEEP")) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace jejak

int main(int argc, char** argv) { return jejak::Main(argc, argv); }
