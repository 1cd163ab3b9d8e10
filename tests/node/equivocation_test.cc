// Equivocation across real processes: an author's node folder copied and
// appended differently, the two copies served on two ports under one key
// (two histories), and a witness node (an auditor, over TLS) given both as
// peers. It stores the evidence, freezes its replica, stops cosigning the
// log (add-checkpoint answers 403), and the evidence it prints is checked
// with the author's key alone.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/text_records.h"
#include "node/http.h"
#include "node/remote.h"
#include "node/witness_request.h"
#include "tests/node/node_processes.h"

namespace jejak {
namespace {

using testing::RunJejak;
using testing::ServeProcess;
using testing::Trim;

constexpr char kOrigin[] = "jejak.pkh/kab/7306";

class Equivocation : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = testing::MakeTempFolder("equivocation");
    gov_ = scratch_ + "/gov";
    kab_ = scratch_ + "/kab";
    witness_dir_ = scratch_ + "/auditor";
    // The witness is registered with its URL, so the author's copies offer
    // it their checkpoints. Its port (and the next one, for the forked
    // copy) lies below the kernel's ephemeral range (32768-60999 by
    // default), where an outgoing connection of another test could take it,
    // and below the 20000-27999 of tests/node/federation.h.
    witness_port_ = static_cast<uint16_t>(10000 + (::getpid() % 1400) * 7);
    Run({"init", gov_, "--kind", "kemensos", "--name", "K", "--region", "00"});
    const std::string gov_key = Trim(RunJejak({"key", "show", gov_}, scratch_).out);
    Run({"init", kab_, "--kind", "kabupaten", "--name", "Kab", "--region", "7306", "--governance",
         gov_key});
    Run({"init", witness_dir_, "--kind", "auditor", "--name", "Auditor", "--region", "00",
         "--governance", gov_key});
    kab_key_ = Trim(RunJejak({"key", "show", kab_}, scratch_).out);
    witness_key_ = Trim(RunJejak({"key", "show", witness_dir_}, scratch_).out);
    Run({"registry", "add-node", gov_, "--name", "Kab", "--kind", "kabupaten", "--region", "7306",
         "--key", kab_key_});
    Run({"registry", "add-node", gov_, "--name", "Auditor", "--kind", "auditor", "--region", "00",
         "--key", witness_key_, "--url", WitnessUrl()});
    Run({"key", "new", "--out", scratch_ + "/operator.key", "--name", "kab-7306/operator"});
    Run({"registry", "grant", gov_, "--key", scratch_ + "/operator.key", "--role", "operator",
         "--scope", "7306"});
    Run({"export", gov_, "--out", scratch_ + "/gov-tiles"});
    Run({"pull", kab_, "--from", scratch_ + "/gov-tiles"});
    Run({"pull", witness_dir_, "--from", scratch_ + "/gov-tiles"});
    // A common history of two statements, then two: size 4 + 3 = 7 on one
    // copy, 4 + 2 + 2 = 8 on the other.
    Append(kab_, "common 1\n");
    Append(kab_, "common 2\n");
    std::filesystem::copy(kab_, kab_ + "-fork", std::filesystem::copy_options::recursive);
    Append(kab_, "honest a\nhonest b\n");
    Append(kab_ + "-fork", "fork a\n");
    Append(kab_ + "-fork", "fork b\n");
    ASSERT_TRUE(testing::WriteBinary(scratch_ + "/passphrase", testing::kNodePassphrase));
  }
  void TearDown() override {
    witness_.reset();
    one_.reset();
    other_.reset();
    testing::RemoveFolder(scratch_);
  }

  void Run(const std::vector<std::string>& args) {
    auto out = RunJejak(args, scratch_);
    ASSERT_EQ(out.code, 0) << args[0] << ": " << out.err;
  }
  void Append(const std::string& dir, const std::string& records) {
    ASSERT_TRUE(testing::WriteBinary(scratch_ + "/records.txt", records));
    Run({"append", dir, "--type", "generic.note", "--key", scratch_ + "/operator.key",
         scratch_ + "/records.txt"});
  }
  std::string WitnessUrl() const { return "https://127.0.0.1:" + std::to_string(witness_port_); }
  std::unique_ptr<ServeProcess> Serve(const std::string& dir, std::vector<std::string> extra,
                                      uint16_t port = 0) {
    extra.insert(extra.end(), {"--poll-ms", "200", "--passphrase-file", scratch_ + "/passphrase"});
    auto p = std::make_unique<ServeProcess>(dir, std::move(extra), port);
    EXPECT_TRUE(p->Start()) << p->log();
    return p;
  }
  std::unique_ptr<HttpClient> Client(const std::string& url, const std::string& key) {
    auto k = ParseVerifierKey(key);
    EXPECT_TRUE(k.ok());
    auto client = ConnectTo(url, {k->key});
    EXPECT_TRUE(client.ok()) << client.status().message();
    return client.ok() ? std::move(client).value() : nullptr;
  }
  std::optional<LogStatus> WitnessReplica() {
    auto client = Client(WitnessUrl(), witness_key_);
    auto s = client ? FetchStatus(*client) : Result<RemoteStatus>(Unavailable(""));
    if (!s.ok()) return std::nullopt;
    for (const auto& l : s->logs) {
      if (l.origin == kOrigin) return l;
    }
    return std::nullopt;
  }
  double WitnessMetric(const std::string& series) {
    auto client = Client(WitnessUrl(), witness_key_);
    auto r = client ? client->Get("/metrics") : Result<HttpResult>(Unavailable(""));
    if (!r.ok() || r->status != 200) return -1;
    return testing::MetricIn(r->body, series);
  }
  // The author's latest checkpoint as a copy serves it, with only the
  // author's own signature (the cosignatures stripped).
  std::string AuthorCheckpoint(const ServeProcess& copy) {
    auto client = Client(copy.url(), kab_key_);
    auto r = client ? client->Get(std::string("/") + kOrigin + "/checkpoint")
                    : Result<HttpResult>(Unavailable(""));
    EXPECT_TRUE(r.ok() && r->status == 200);
    auto note = ParseNote(r.ok() ? r->body : "");
    EXPECT_TRUE(note.ok());
    if (!note.ok()) return "";
    for (const auto& sig : note->signatures) {
      if (sig.name == kOrigin) return note->text + "\n" + sig.Line();
    }
    return "";
  }
  static Checkpoint CheckpointOf(const std::string& note_text) {
    auto note = ParseNote(note_text);
    auto cp = note.ok() ? ParseCheckpointText(note->text) : Result<Checkpoint>(note.status());
    return cp.ok() ? *cp : Checkpoint{};
  }

  std::string scratch_, gov_, kab_, witness_dir_, kab_key_, witness_key_;
  uint16_t witness_port_ = 0;
  std::unique_ptr<ServeProcess> one_, other_, witness_;
};

TEST_F(Equivocation, AWitnessThatSeesTwoHistoriesKeepsTheEvidenceFreezesAndStopsCosigning) {
  one_ = Serve(kab_, {});
  const std::string note_one = AuthorCheckpoint(*one_);
  ASSERT_EQ(CheckpointOf(note_one).size, 7u);
  // The witness follows both copies (it visits peers at once): the first
  // history it replicates is the one copy's, the second, the conflict, comes
  // when the other copy starts serving.
  const uint16_t other_port = witness_port_ + 1;
  witness_ =
      Serve(witness_dir_,
            {"--peer", one_->url(), "--peer", "https://127.0.0.1:" + std::to_string(other_port)},
            witness_port_);
  std::optional<LogStatus> replica;
  const auto held = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while ((!(replica = WitnessReplica()) || replica->size != 7u) &&
         std::chrono::steady_clock::now() < held) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(replica && replica->size == 7u) << witness_->log();
  other_ = Serve(kab_ + "-fork", {}, other_port);
  const std::string note_other = AuthorCheckpoint(*other_);
  ASSERT_EQ(CheckpointOf(note_other).size, 8u);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while (std::chrono::steady_clock::now() < deadline) {
    replica = WitnessReplica();
    if (replica && replica->frozen) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(replica);
  ASSERT_TRUE(replica->frozen) << witness_->log();
  EXPECT_EQ(replica->size, 7u);  // frozen at the history it had verified
  EXPECT_EQ(replica->root, Base64Encode(CheckpointOf(note_one).root));
  const std::string label = std::string("{origin=\"") + kOrigin + "\"}";
  EXPECT_EQ(WitnessMetric("jejak_equivocations_total" + label), 1);
  const double inconsistent = WitnessMetric("jejak_rejected_inputs_total{reason=\"inconsistent\"}");
  EXPECT_GE(inconsistent, 1);
  EXPECT_NE(witness_->log().find("equivocation. Evidence stored (jejak evidence); the replica is "
                                 "frozen"),
            std::string::npos)
      << witness_->log();

  // Its witness no longer cosigns the log: a checkpoint of either history is 403.
  auto client = Client(WitnessUrl(), witness_key_);
  ASSERT_TRUE(client);
  for (const std::string& note : {note_one, note_other}) {
    AddCheckpointRequest req{0, {}, note};
    auto r = client->Post("/add-checkpoint", FormatAddCheckpointRequest(req), "text/plain");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(r->body,
              "this node holds equivocation evidence for the log and no longer cosigns it\n");
  }
  // Nor what the author appends next: the copy's own offer is refused too.
  const double cosigned = WitnessMetric("jejak_cosignatures_made_total" + label);
  const double frozen_refusals = WitnessMetric("jejak_rejected_inputs_total{reason=\"frozen\"}");
  auto author = Client(one_->url(), kab_key_);
  ASSERT_TRUE(author);
  auto op = UnlockKeyFile(scratch_ + "/operator.key", testing::kNodePassphrase);
  ASSERT_TRUE(op.ok());
  auto sent = SubmitStatement(*author, "generic.note", "", {*EncodeTextRecordEntry("later")}, *op);
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  EXPECT_EQ(sent->size, 9u);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while (WitnessMetric("jejak_rejected_inputs_total{reason=\"frozen\"}") <= frozen_refusals &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GT(WitnessMetric("jejak_rejected_inputs_total{reason=\"frozen\"}"), frozen_refusals);
  EXPECT_EQ(WitnessMetric("jejak_cosignatures_made_total" + label), cosigned);
  // Once its list offers size 9, the witness knows it is 2 behind, and
  // replicates nothing more: a frozen replica is not pulled at all.
  const auto listed = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while ((!(replica = WitnessReplica()) || replica->lag != 2u) &&
         std::chrono::steady_clock::now() < listed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(replica);
  EXPECT_EQ(replica->lag, 2u);
  EXPECT_EQ(replica->size, 7u);
  EXPECT_EQ(WitnessMetric("jejak_rejected_inputs_total{reason=\"inconsistent\"}"), inconsistent);

  // The evidence, printed and checked with the author's key alone.
  witness_->Stop(SIGTERM);
  auto printed = RunJejak({"evidence", witness_dir_}, scratch_);
  ASSERT_EQ(printed.code, 0) << printed.err;
  auto json = nlohmann::json::parse(printed.out, nullptr, false);
  ASSERT_TRUE(json.is_object()) << "one evidence object: " << printed.out;
  EXPECT_EQ(json["format"], "jejak-equivocation-v1");
  EXPECT_EQ(json["origin"], kOrigin);
  EXPECT_EQ(json["verifier_key"], kab_key_);
  // The history it had verified, as the author signed it; the note may also
  // carry the cosignatures gathered before the fork was seen (which of them
  // depends on timing), so only the author's part is compared.
  const std::string checkpoint_a = json["checkpoint_a"].get<std::string>();
  EXPECT_EQ(checkpoint_a.substr(0, note_one.size()), note_one) << checkpoint_a;
  EXPECT_EQ(CheckpointOf(json["checkpoint_b"]).size, 8u);
  EXPECT_EQ(CheckpointOf(json["checkpoint_b"]).root, CheckpointOf(note_other).root);
  EXPECT_TRUE(json["b_root_at_size_a"].is_string());
  EXPECT_FALSE(json["consistency"].empty());
  EXPECT_NE(json["found"].get<std::string>().find(other_->url()), std::string::npos) << json;

  ASSERT_TRUE(testing::WriteBinary(scratch_ + "/evidence.json", printed.out));
  auto check =
      RunJejak({"evidence", "--check", scratch_ + "/evidence.json", "--key", kab_key_}, scratch_);
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_EQ(check.out, std::string("evidence verifies: ") + kOrigin +
                           " signed two checkpoints that cannot both be true\n");
  // Pinned to another key, it proves nothing.
  const std::string gov_key = Trim(RunJejak({"key", "show", gov_}, scratch_).out);
  auto wrong =
      RunJejak({"evidence", "--check", scratch_ + "/evidence.json", "--key", gov_key}, scratch_);
  EXPECT_EQ(wrong.code, 1) << wrong.out << wrong.err;
  EXPECT_NE(wrong.err.find("does NOT prove equivocation"), std::string::npos) << wrong.err;
}

}  // namespace
}  // namespace jejak
