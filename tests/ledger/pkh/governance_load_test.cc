// LoadGovernance replaying a real governance log.
#include "tests/ledger/pkh/governance_fixture.h"

namespace jejak::governance_test {
namespace {

// --- LoadGovernance over a real log -------------------------------------------

class GovernanceLoadTest : public ::testing::Test {
 protected:
  GovernanceLoadTest()
      : root_(KeyFromByte(1)),
        reg73_(KeyFromByte(2)),
        op7306_(KeyFromByte(4)),
        op7371_(KeyFromByte(5)),
        stranger_(KeyFromByte(11)) {}

  void SetUp() override {
    dir_ = MakeTempFolder("governance-test");
    auto store = OpenRocksStore(dir_ + "/db", StoreMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto info =
        RegisterLog(*store_, NoteVerifierKey::ForEd25519(kGovOrigin, root_.public_key()), true);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    info_ = *info;
    auto writer = LogWriter::Open(*store_, info_, &root_);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    writer_ = std::move(writer).value();
  }

  void TearDown() override {
    writer_.reset();
    store_.reset();
    RemoveFolder(dir_);
  }

  // Appends a governance statement recording the log's current size; returns
  // its leaf index.
  uint64_t Append(std::string_view type, const std::vector<PkhRecord>& records,
                  const SigningKey& signer) {
    StatementHeader h;
    h.origin = kGovOrigin;
    h.type = std::string(type);
    h.timestamp_ms = kTimestamp;
    h.governance_size = writer_->size();
    PreparedStatement p = PrepareStatement(std::move(h), RecordLeaves(records));
    SignStatement(p.statement, signer);
    auto appended = AppendStatement(*writer_, p);
    EXPECT_TRUE(appended.ok()) << appended.status().ToString();
    return appended.ok() ? appended->index : 0;
  }

  SigningKey root_, reg73_, op7306_, op7371_, stranger_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  LogInfo info_;
  std::unique_ptr<LogWriter> writer_;
};

TEST_F(GovernanceLoadTest, ReplaysTheLogAndSkipsUnauthorizedStatements) {
  EXPECT_EQ(
      Append(kTypeGovNode,
             {Node(kKab7306, "kabupaten", "7306", 0x44), Node(kBri, "lembaga-bayar", "73", 0x43)},
             root_),
      0u);  // [0, 3)
  EXPECT_EQ(Append(kTypeGovGrant,
                   {Grant(reg73_, "reg-73", Role::kRegistrar, {"73"}),
                    Grant(op7306_, "op-7306", Role::kOperator, {"7306"})},
                   root_),
            3u);  // [3, 6)
  // Unauthorized: a registrar of 73 registering a node in 74.
  EXPECT_EQ(Append(kTypeGovNode, {Node(kKab7404, "kabupaten", "7404", 0x41)}, reg73_),
            6u);  // [6, 8)
  EXPECT_EQ(Append(kTypeGovGrant, {Grant(op7371_, "op-7371", Role::kOperator, {"7371"})}, reg73_),
            8u);  // [8, 10)
  EXPECT_EQ(Append(kTypeGovStage, {Window(kStage, "2026-02-01", "2026-03-31")}, root_),
            10u);                                                           // [10, 12)
  EXPECT_EQ(Append(kTypeGovIndex, {IndexFor(2026, 225'000)}, root_), 12u);  // [12, 14)
  EXPECT_EQ(
      Append(kTypeGovNode,
             {Node(kKab7306, "kabupaten", "7306", 0x44, "https://dinsos-7306.example/new")}, root_),
      14u);  // [14, 16)
  // Unauthorized: a key with no grant at all.
  EXPECT_EQ(Append(kTypeGovGrant, {Grant(stranger_, "self", Role::kRegistrar, {"*"})}, stranger_),
            16u);  // [16, 18)
  ASSERT_EQ(writer_->size(), 18u);

  auto loaded = LoadGovernance(*store_, info_, root_.public_key());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const Governance& gov = *loaded;
  EXPECT_EQ(gov.origin(), kGovOrigin);
  EXPECT_EQ(gov.size(), 18u);
  EXPECT_EQ(gov.NodeByOrigin(kKab7404, 18), nullptr);
  EXPECT_EQ(gov.Nodes(18).size(), 2u);
  ASSERT_NE(gov.NodeByOrigin(kKab7306, 18), nullptr);
  EXPECT_EQ(gov.NodeByOrigin(kKab7306, 18)->url, "https://dinsos-7306.example/new");
  EXPECT_EQ(gov.NodeByOrigin(kKab7306, 15)->url, "https://7306.jejak.example");
  EXPECT_TRUE(gov.Holds(reg73_.public_key(), Role::kRegistrar, "7306", 18));
  EXPECT_FALSE(gov.Holds(op7371_.public_key(), Role::kOperator, "7371", 9));
  EXPECT_TRUE(gov.Holds(op7371_.public_key(), Role::kOperator, "7371", 10));
  EXPECT_TRUE(gov.ActiveGrants(stranger_.public_key(), 18).empty());
  ASSERT_NE(gov.Stage(kStage, 18), nullptr);
  EXPECT_EQ(gov.Stage(kStage, 18)->from, "2026-02-01");
  EXPECT_EQ(gov.Stage(kStage, 11), nullptr);
  ASSERT_NE(gov.Index(2026, 14), nullptr);
  EXPECT_EQ(gov.Index(2026, 14)->rates[static_cast<size_t>(Component::kSd)].amount_per_stage,
            225'000u);

  // The loaded state judges the other logs.
  StatementHeader h = LogHeader(kKab7306, kTypeUpdate, 18);
  EXPECT_TRUE(CheckLogStatement(gov, LogRole{kKab7306}, Signed(h, {&op7306_})).ok());
  EXPECT_TRUE(Denied(CheckLogStatement(gov, LogRole{kKab7404}, Signed(h, {&op7306_})),
                     "log jejak.pkh/kab/7404 is not registered in the governance log at size 18"));
}

TEST_F(GovernanceLoadTest, LoadsAPrefixEndingBetweenStatements) {
  Append(kTypeGovNode, {Node(kKab7306, "kabupaten", "7306", 0x44)}, root_);              // [0, 2)
  Append(kTypeGovGrant, {Grant(op7306_, "op-7306", Role::kOperator, {"7306"})}, root_);  // [2, 4)
  Append(kTypeGovStage, {Window(kStage, "2026-02-01", "2026-03-31")}, root_);            // [4, 6)

  auto prefix = LoadGovernance(*store_, info_, root_.public_key(), 4);
  ASSERT_TRUE(prefix.ok()) << prefix.status().ToString();
  EXPECT_EQ(prefix->size(), 4u);
  EXPECT_TRUE(prefix->Holds(op7306_.public_key(), Role::kOperator, "7306", 4));
  EXPECT_EQ(prefix->Stage(kStage, 4), nullptr);
  EXPECT_TRUE(HasStatus(CheckLogStatement(*prefix, LogRole{kKab7306},
                                          Signed(LogHeader(kKab7306, kTypeUpdate, 6), {&op7306_})),
                        StatusCode::kUnavailable, "holds the governance log only to size 4"));

  auto inside = LoadGovernance(*store_, info_, root_.public_key(), 5);
  EXPECT_TRUE(HasStatus(inside.status(), StatusCode::kCorruption,
                        "governance log ends inside the statement at 4"));
}

TEST_F(GovernanceLoadTest, AnotherTrustAnchorAuthorizesNothing) {
  Append(kTypeGovNode, {Node(kKab7306, "kabupaten", "7306", 0x44)}, root_);
  Append(kTypeGovGrant, {Grant(op7306_, "op-7306", Role::kOperator, {"7306"})}, root_);
  auto loaded = LoadGovernance(*store_, info_, stranger_.public_key());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->size(), 4u);
  EXPECT_TRUE(loaded->Nodes(4).empty());
  EXPECT_FALSE(loaded->Holds(op7306_.public_key(), Role::kOperator, "7306", 4));
}

}  // namespace
}  // namespace jejak::governance_test
