// A generated stage end to end: tools/gen's jejak-gen writes a small national
// stage with every row-level anomaly planted (and their near misses), with
// target lists, verifications, complaints and responses,
// tools/gen/load builds the nodes with the jejak binary, and the audit's
// findings must equal the generator's ground truth exactly, no more and no
// fewer. Every proof of the JSON report is checked from the JSON alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/note.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/merkle.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

using ::jejak::testing::MakeTempFolder;
using ::jejak::testing::ReadBinary;
using ::jejak::testing::RemoveFolder;

// Runs a shell command line; its output goes to DIR/cmd.log.
int Shell(const std::string& dir, const std::string& command) {
  const std::string line = fmt::format("( {} ) >>{}/cmd.log 2>&1", command, dir);
  const int rc = std::system(line.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

Hash DecodeHash(const nlohmann::json& j) {
  auto h = Base64DecodeFixed<32>(j.get<std::string>());
  EXPECT_TRUE(h.ok());
  return h.ok() ? *h : Hash{};
}

TEST(GeneratedAudit, FindingsEqualTheGroundTruthAndEveryProofVerifies) {
  const std::string d = MakeTempFolder("generated-audit");
  const std::string jejak = JEJAK_BINARY, gen = JEJAK_GEN_BINARY, tools = JEJAK_TOOLS_DIR;
  ASSERT_EQ(Shell(d, fmt::format("{} program-key new --out {}/program.key", jejak, d)), 0);
  // Four instances of each anomaly: every variant of each type (they
  // alternate with the instance number, at most four forms).
  ASSERT_EQ(Shell(d, fmt::format("{} --out {}/gen --kabupaten 4 --families 400 --anomalies 4 "
                                 "--seed 7 --program-key {}/program.key",
                                 gen, d, d)),
            0)
      << ReadBinary(d + "/cmd.log");
  ASSERT_EQ(Shell(d, fmt::format("JEJAK_PASSPHRASE=generated-test JEJAK_BIN={} {}/gen/load "
                                 "{}/gen {}/nodes --jobs 2",
                                 jejak, tools, d, d)),
            0)
      << ReadBinary(d + "/cmd.log");
  const std::string audit =
      fmt::format("{} audit {}/nodes/auditor --stage 2026-T1 --as-of 2026-04-01", jejak, d);
  ASSERT_EQ(Shell(d, audit + " --format csv --out " + d + "/audit.csv"), 0);
  EXPECT_EQ(Shell(d, fmt::format("{}/gen/compare {}/gen/truth.csv {}/audit.csv", tools, d, d)), 0)
      << ReadBinary(d + "/cmd.log");
  // The 12 row-level types (the 8 of the payout and the 4 of the rest of the
  // cycle) x 4 each; the others need a broken log or a bad signer.
  const std::string truth = ReadBinary(d + "/gen/truth.csv");
  EXPECT_EQ(std::count(truth.begin(), truth.end(), '\n'), 1 + 12 * 4);
  std::map<std::string, int> by_type;
  std::istringstream rows(ReadBinary(d + "/audit.csv"));
  std::string row;
  std::getline(rows, row);  // the header
  while (std::getline(rows, row)) ++by_type[row.substr(0, row.find(','))];
  EXPECT_THAT(
      by_type,
      ::testing::ElementsAre(
          ::testing::Pair("AMOUNT_MISMATCH", 4), ::testing::Pair("APPROVED_INELIGIBLE", 4),
          ::testing::Pair("APPROVED_NOT_IN_BNBA", 4),
          ::testing::Pair("APPROVED_WHILE_SUSPENDED", 4),
          ::testing::Pair("COMPLAINT_UNANSWERED", 4), ::testing::Pair("DUPLICATE_PAYOUT", 4),
          ::testing::Pair("ENTITLEMENT_MISMATCH", 4), ::testing::Pair("PAID_BUT_DISPUTED", 4),
          ::testing::Pair("PAID_NOT_APPROVED", 4), ::testing::Pair("PAID_OUTSIDE_WINDOW", 4),
          ::testing::Pair("PAID_TO_INELIGIBLE", 4), ::testing::Pair("UNPAID_AFTER_WINDOW", 4)));

  // JSON with proofs: each leaf's proof verifies against the root of the
  // checkpoint the report lists, and that checkpoint is signed by the key the
  // governance registry gives the log.
  ASSERT_EQ(Shell(d, audit + " --format json --proofs --out " + d + "/audit.json"), 0);
  const auto j = nlohmann::json::parse(ReadBinary(d + "/audit.json"));
  std::map<std::string, nlohmann::json> logs;
  for (const auto& l : j["logs"]) logs[l["origin"]] = l;
  size_t proofs = 0;
  for (const auto& f : j["findings"]) {
    for (const auto& leaf : f["leaves"]) {
      const auto& log = logs.at(leaf["log"]);
      ASSERT_EQ(leaf["tree_size"], log["size"]);
      std::vector<Hash> path;
      for (const auto& h : leaf["proof"]) path.push_back(DecodeHash(h));
      EXPECT_TRUE(VerifyInclusion(leaf["leaf_index"].get<uint64_t>(),
                                  leaf["tree_size"].get<uint64_t>(), DecodeHash(leaf["leaf_hash"]),
                                  path, DecodeHash(log["root"]))
                      .ok())
          << f.dump();
      ++proofs;
    }
  }
  EXPECT_GT(proofs, 48u * 2);
  std::map<std::string, NoteVerifierKey> keys;  // each node's, by origin
  for (const auto& e : std::filesystem::directory_iterator(d + "/nodes")) {
    if (!std::filesystem::exists(e.path() / "node.json")) continue;
    const std::string out = d + "/key.txt";
    ASSERT_EQ(Shell(d, fmt::format("{} key show {} >{}", jejak, e.path().string(), out)), 0);
    std::string text = ReadBinary(out);
    auto key = ParseVerifierKey(text.substr(0, text.find('\n')));
    ASSERT_TRUE(key.ok()) << text;
    keys.emplace(key->name, *key);
  }
  for (const auto& [origin, log] : logs) {
    auto cp = OpenCheckpoint(log["checkpoint"].get<std::string>(), keys.at(origin));
    ASSERT_TRUE(cp.ok()) << origin << ": " << cp.status().ToString();
    EXPECT_EQ(cp->checkpoint.size, log["size"].get<uint64_t>());
    EXPECT_EQ(Base64Encode(cp->checkpoint.root), log["root"].get<std::string>());
  }
  // Byte for byte the same on a second run.
  ASSERT_EQ(Shell(d, audit + " --format json --proofs --out " + d + "/again.json"), 0);
  EXPECT_EQ(ReadBinary(d + "/again.json"), ReadBinary(d + "/audit.json"));
  RemoveFolder(d);
}

}  // namespace
}  // namespace jejak
