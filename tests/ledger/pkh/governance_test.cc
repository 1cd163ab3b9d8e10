// The authorization rules of the governance log (DESIGN.md §3): who may
// register nodes, grant and revoke keys, open stages, set the benefit index and
// approval policies, and when each statement takes effect.
#include "tests/ledger/pkh/governance_fixture.h"

namespace jejak::governance_test {
namespace {

// --- Building the state -------------------------------------------------------

TEST_F(GovernanceTest, ApplyTakesStatementsOnlyAtTheCurrentSize) {
  const std::vector<PkhRecord> records = {Window("2026-T2", "2026-05-01", "2026-06-30")};
  Statement st = GovStatement(kTypeGovStage, 3, records, {&root_});
  Status verdict = Status::Ok();
  Status s = gov_.Apply(3, st, records, &verdict);
  EXPECT_TRUE(HasStatus(s, StatusCode::kInvalidArgument,
                        "governance statement at 3 does not follow size 17"));
  EXPECT_EQ(gov_.size(), kBaseline);
  EXPECT_EQ(gov_.Stage("2026-T2", 100), nullptr);
}

TEST_F(GovernanceTest, AStatementTakesEffectFromTheSizeAtItsEnd) {
  // The grant statement spans leaves [4, 13): nothing of it holds before 13.
  EXPECT_FALSE(gov_.Holds(op7306_.public_key(), Role::kOperator, "7306", kAfterGrants - 1));
  EXPECT_TRUE(gov_.ActiveGrants(op7306_.public_key(), kAfterGrants - 1).empty());
  EXPECT_TRUE(gov_.Holds(op7306_.public_key(), Role::kOperator, "7306", kAfterGrants));
  ASSERT_EQ(gov_.ActiveGrants(op7306_.public_key(), kAfterGrants).size(), 1u);
  EXPECT_EQ(gov_.ActiveGrants(op7306_.public_key(), kAfterGrants)[0]->key_name, "op-7306");

  EXPECT_EQ(gov_.NodeByOrigin(kKab7404, kAfterNodes - 1), nullptr);
  EXPECT_NE(gov_.NodeByOrigin(kKab7404, kAfterNodes), nullptr);
  EXPECT_EQ(gov_.Stage(kStage, kAfterStage - 1), nullptr);
  EXPECT_NE(gov_.Stage(kStage, kAfterStage), nullptr);
}

TEST_F(GovernanceTest, AGrantInALongStatementHoldsOnlyAfterItsLastRecord) {
  const uint64_t index = gov_.size();
  ASSERT_TRUE(Gov(kTypeGovGrant,
                  {Grant(new_key_, "new", Role::kOperator, {"7371"}),
                   Grant(stranger_, "other-1", Role::kAuditor, {"*"}),
                   Grant(reg74_, "other-2", Role::kAuditor, {"*"})},
                  {&root_})
                  .ok());
  ASSERT_EQ(gov_.size(), index + 4);
  // The statement leaf is `index`; its three records follow. Every size up to
  // the one just before its end still lacks the grant.
  for (uint64_t g = index; g < index + 4; ++g) {
    EXPECT_FALSE(gov_.Holds(new_key_.public_key(), Role::kOperator, "7371", g)) << g;
  }
  EXPECT_TRUE(gov_.Holds(new_key_.public_key(), Role::kOperator, "7371", index + 4));
}

// --- The root registrar -----------------------------------------------------

TEST_F(GovernanceTest, RootRegistersGrantsOpensStagesSetsTheIndexAndPolicies) {
  const SigningKey bni = KeyFromByte(0x45);
  EXPECT_TRUE(
      Gov(kTypeGovNode, {Node("jejak.pkh/bayar/bni", "lembaga-bayar", "*", 0x45)}, {&root_}).ok());
  EXPECT_TRUE(Gov(kTypeGovGrant,
                  {Grant(reg74_, "reg-74", Role::kRegistrar, {"74"}),
                   Grant(new_key_, "auditor-bpk", Role::kAuditor, {"*"})},
                  {&root_})
                  .ok());
  EXPECT_TRUE(Gov(kTypeGovStage, {Window("2026-T2", "2026-05-01", "2026-06-30")}, {&root_}).ok());
  EXPECT_TRUE(Gov(kTypeGovIndex, {IndexFor(2026, 225'000)}, {&root_}).ok());
  EXPECT_TRUE(Gov(kTypeGovPolicy, {Policy(3, "*")}, {&root_}).ok());
  EXPECT_TRUE(Gov(kTypeGovRevoke, {Revoke(op7404_)}, {&root_}).ok());

  const uint64_t g = gov_.size();
  const NodeRegistration* node = gov_.NodeByOrigin("jejak.pkh/bayar/bni", g);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(NodeKindName(node->kind), "lembaga-bayar");
  EXPECT_EQ(node->verifier_key,
            NoteVerifierKey::ForEd25519("jejak.pkh/bayar/bni", bni.public_key()).ToString());
  EXPECT_TRUE(gov_.Holds(reg74_.public_key(), Role::kRegistrar, "7404", g));
  EXPECT_FALSE(gov_.Holds(reg74_.public_key(), Role::kRegistrar, "7306", g));
  EXPECT_TRUE(gov_.Holds(new_key_.public_key(), Role::kAuditor, "9471", g));
  ASSERT_NE(gov_.Stage("2026-T2", g), nullptr);
  EXPECT_EQ(gov_.Stage("2026-T2", g)->to, "2026-06-30");
  ASSERT_NE(gov_.Index(2026, g), nullptr);
  EXPECT_EQ(gov_.Index(2026, g)->rates[static_cast<size_t>(Component::kSd)].amount_per_stage,
            225'000u);
  EXPECT_EQ(gov_.ApprovalThreshold("7306", g), 3);
  EXPECT_FALSE(gov_.Holds(op7404_.public_key(), Role::kOperator, "7404", g));
  EXPECT_TRUE(gov_.Revoked(op7404_.public_key(), g));
}

TEST_F(GovernanceTest, EveryCoSignerOfAGovernanceStatementNeedsAuthority) {
  Status s =
      Gov(kTypeGovStage, {Window("2026-T2", "2026-05-01", "2026-06-30")}, {&root_, &stranger_});
  EXPECT_TRUE(Denied(s, "signature 2 (" + UnnamedKey(stranger_) +
                            "): holds no registrar role at governance size 17"));
  EXPECT_EQ(gov_.Stage("2026-T2", gov_.size()), nullptr);
}

TEST_F(GovernanceTest, AGovernanceStatementHoldsOnlyRecordsOfItsOwnKind) {
  Status s = Gov(kTypeGovGrant, {Node("jejak.pkh/kab/7402", "kabupaten", "7402", 0x46)}, {&root_});
  EXPECT_TRUE(Denied(s, "holds a gov.node record in a gov.grant statement"));
  EXPECT_EQ(gov_.NodeByOrigin("jejak.pkh/kab/7402", gov_.size()), nullptr);
}

TEST_F(GovernanceTest, OnlyTheRootWritesOtherStatementTypesInTheGovernanceLog) {
  KpmUpdate update;
  update.update_id = "u-1";
  update.effective_date = "2026-01-15";
  Status s = Gov(kTypeUpdate, {update}, {&reg73_});
  EXPECT_TRUE(
      Denied(s, "signature 1 (key reg-73): only the root registrar writes pkh.update statements"));
}

TEST_F(GovernanceTest, AGovernanceSizeBeyondTheStatementsOwnIndexIsRefused) {
  // The baseline statements record their own index: that alone is allowed.
  Status s =
      Gov(kTypeGovStage, {Window("2026-T2", "2026-05-01", "2026-06-30")}, {&root_}, kBaseline + 1);
  EXPECT_TRUE(Denied(s,
                     "records governance size 18, but stands at position 17 of the "
                     "governance log"));
  EXPECT_EQ(gov_.size(), kBaseline + 2);  // counted, but of no effect
  EXPECT_EQ(gov_.Stage("2026-T2", gov_.size()), nullptr);
}

// A governance statement recording an earlier size is a replay (or was
// prepared against an older log): it takes no effect, whoever signed it. A
// copy of an old grant appended again cannot bring back a revoked key.
TEST_F(GovernanceTest, AStatementRecordingAnEarlierSizeTakesNoEffectEvenFromTheRoot) {
  ASSERT_TRUE(Gov(kTypeGovRevoke, {Revoke(op7306_)}, {&root_}).ok());  // [17, 19)
  ASSERT_FALSE(gov_.Holds(op7306_.public_key(), Role::kOperator, "7306", gov_.size()));
  Status s = Gov(kTypeGovGrant, {Grant(op7306_, "op-7306", Role::kOperator, {"7306"})}, {&root_},
                 kAfterNodes);
  EXPECT_TRUE(Denied(s,
                     "records governance size 4, but stands at position 19 of the "
                     "governance log: a governance statement records the size it is "
                     "appended at (a replay, or prepared against an older log)"));
  EXPECT_FALSE(gov_.Holds(op7306_.public_key(), Role::kOperator, "7306", gov_.size()));
}

// --- A provincial registrar -------------------------------------------------

TEST_F(GovernanceTest, RegistrarRegistersKabupatenNodesOfItsProvinceOnly) {
  // The baseline's registration of 7306 was signed by the registrar of 73.
  ASSERT_TRUE(baseline_registration_.ok());
  ASSERT_NE(gov_.NodeByOrigin(kKab7306, kBaseline), nullptr);
  EXPECT_EQ(gov_.NodeByOrigin(kKab7306, kBaseline)->region, "7306");
  EXPECT_EQ(gov_.NodeByOrigin(kKab7306, kBaseline - 1), nullptr);

  Status other_province =
      Gov(kTypeGovNode, {Node("jejak.pkh/kab/7402", "kabupaten", "7402", 0x46)}, {&reg73_});
  EXPECT_TRUE(Denied(other_province,
                     "signature 1 (key reg-73): a registrar scoped to 73 may register kabupaten "
                     "nodes within it, not a kabupaten node in 7402"));
  EXPECT_EQ(gov_.NodeByOrigin("jejak.pkh/kab/7402", gov_.size()), nullptr);

  Status bank =
      Gov(kTypeGovNode, {Node("jejak.pkh/bayar/bsi", "lembaga-bayar", "7306", 0x47)}, {&reg73_});
  EXPECT_TRUE(Denied(bank,
                     "signature 1 (key reg-73): a registrar scoped to 73 may register "
                     "kabupaten nodes within it, not a lembaga-bayar node in 7306"));
  EXPECT_EQ(gov_.NodeByOrigin("jejak.pkh/bayar/bsi", gov_.size()), nullptr);
}

TEST_F(GovernanceTest, RegistrarGrantsNonRegistrarRolesWithinItsScope) {
  EXPECT_TRUE(
      Gov(kTypeGovGrant, {Grant(new_key_, "op-7306-b", Role::kOperator, {"7306"})}, {&reg73_})
          .ok());
  EXPECT_TRUE(gov_.Holds(new_key_.public_key(), Role::kOperator, "7306", gov_.size()));

  Status registrar =
      Gov(kTypeGovGrant, {Grant(stranger_, "reg-7306", Role::kRegistrar, {"7306"})}, {&reg73_});
  EXPECT_TRUE(Denied(
      registrar, "signature 1 (key reg-73): only the root registrar grants the registrar role"));
  EXPECT_FALSE(gov_.Holds(stranger_.public_key(), Role::kRegistrar, "7306", gov_.size()));

  Status province74 =
      Gov(kTypeGovGrant, {Grant(stranger_, "op-74", Role::kOperator, {"74"})}, {&reg73_});
  EXPECT_TRUE(Denied(province74, "signature 1 (key reg-73): grants scope 74 outside its own (73)"));

  Status everywhere =
      Gov(kTypeGovGrant, {Grant(stranger_, "auditor", Role::kAuditor, {"*"})}, {&reg73_});
  EXPECT_TRUE(Denied(everywhere, "signature 1 (key reg-73): grants scope * outside its own (73)"));

  // One grant outside the scope refuses the whole statement.
  Status mixed = Gov(kTypeGovGrant,
                     {Grant(stranger_, "op-a", Role::kOperator, {"7371"}),
                      Grant(stranger_, "op-b", Role::kOperator, {"7371", "7404"})},
                     {&reg73_});
  EXPECT_TRUE(Denied(mixed, "grants scope 7404 outside its own (73)"));
  EXPECT_TRUE(gov_.ActiveGrants(stranger_.public_key(), gov_.size()).empty());
}

TEST_F(GovernanceTest, RegistrarNeitherOpensStagesNorSetsTheIndex) {
  Status stage = Gov(kTypeGovStage, {Window("2026-T2", "2026-05-01", "2026-06-30")}, {&reg73_});
  EXPECT_TRUE(Denied(stage,
                     "signature 1 (key reg-73): only the root registrar opens stages and "
                     "sets the benefit index"));
  EXPECT_EQ(gov_.Stage("2026-T2", gov_.size()), nullptr);

  Status index = Gov(kTypeGovIndex, {IndexFor(2026, 225'000)}, {&reg73_});
  EXPECT_TRUE(Denied(index,
                     "signature 1 (key reg-73): only the root registrar opens stages and "
                     "sets the benefit index"));
  EXPECT_EQ(gov_.Index(2026, gov_.size()), nullptr);
}

TEST_F(GovernanceTest, RegistrarRevokesOnlyKeysGrantedWithinItsScope) {
  Status outside = Gov(kTypeGovRevoke, {Revoke(op7404_)}, {&reg73_});
  EXPECT_TRUE(Denied(outside,
                     "signature 1 (key reg-73): revokes a key granted scope 7404 outside its own"));
  EXPECT_TRUE(gov_.Holds(op7404_.public_key(), Role::kOperator, "7404", gov_.size()));
  EXPECT_FALSE(gov_.Revoked(op7404_.public_key(), gov_.size()));

  const uint64_t before = gov_.size();
  EXPECT_TRUE(Gov(kTypeGovRevoke, {Revoke(op7306_)}, {&reg73_}).ok());
  EXPECT_TRUE(gov_.Holds(op7306_.public_key(), Role::kOperator, "7306", before));
  EXPECT_FALSE(gov_.Holds(op7306_.public_key(), Role::kOperator, "7306", gov_.size()));
  EXPECT_TRUE(gov_.Revoked(op7306_.public_key(), gov_.size()));
}

TEST_F(GovernanceTest, RegistrarSetsApprovalPoliciesWithinItsScopeOnly) {
  EXPECT_TRUE(Gov(kTypeGovPolicy, {Policy(3, "7306")}, {&reg73_}).ok());
  EXPECT_EQ(gov_.ApprovalThreshold("7306", gov_.size()), 3);

  Status everywhere = Gov(kTypeGovPolicy, {Policy(1, "*")}, {&reg73_});
  EXPECT_TRUE(
      Denied(everywhere, "signature 1 (key reg-73): sets a policy for scope * outside its own"));
  Status province74 = Gov(kTypeGovPolicy, {Policy(1, "74")}, {&reg73_});
  EXPECT_TRUE(
      Denied(province74, "signature 1 (key reg-73): sets a policy for scope 74 outside its own"));
  EXPECT_EQ(gov_.ApprovalThreshold("7404", gov_.size()), kDefaultApprovalThreshold);
  EXPECT_EQ(gov_.ApprovalThreshold("7306", gov_.size()), 3);
}

TEST_F(GovernanceTest, KeysWithoutARegistrarGrantAreRefused) {
  Status unknown =
      Gov(kTypeGovNode, {Node("jejak.pkh/kab/7302", "kabupaten", "7302", 0x46)}, {&stranger_});
  EXPECT_TRUE(Denied(unknown, "signature 1 (" + UnnamedKey(stranger_) +
                                  "): holds no registrar role at governance size 17"));

  // An operator of the province is no registrar.
  Status op = Gov(kTypeGovGrant, {Grant(new_key_, "op", Role::kOperator, {"7306"})}, {&op7306_});
  EXPECT_TRUE(
      Denied(op, "signature 1 (key op-7306): holds no registrar role at governance size 19"));
  EXPECT_FALSE(gov_.Holds(new_key_.public_key(), Role::kOperator, "7306", gov_.size()));
}

TEST_F(GovernanceTest, ARevokedRegistrarIsRefused) {
  ASSERT_TRUE(Gov(kTypeGovRevoke, {Revoke(reg73_)}, {&root_}).ok());  // [17, 19)
  Status s = Gov(kTypeGovGrant, {Grant(new_key_, "op", Role::kOperator, {"7306"})}, {&reg73_});
  EXPECT_TRUE(Denied(s, "signature 1 (" + UnnamedKey(reg73_) +
                            "): was revoked; holds no registrar role at governance size 19"));
  EXPECT_FALSE(gov_.Holds(new_key_.public_key(), Role::kOperator, "7306", gov_.size()));
}

TEST_F(GovernanceTest, ARevocationEndsEarlierGrantsAndALaterGrantStands) {
  ASSERT_TRUE(Gov(kTypeGovRevoke, {Revoke(op7306_)}, {&root_}).ok());  // [17, 19)
  const PublicKey& op = op7306_.public_key();
  EXPECT_TRUE(gov_.Holds(op, Role::kOperator, "7306", 18));
  EXPECT_FALSE(gov_.Revoked(op, 18));
  EXPECT_FALSE(gov_.Holds(op, Role::kOperator, "7306", 19));
  EXPECT_TRUE(gov_.Revoked(op, 19));

  ASSERT_TRUE(
      Gov(kTypeGovGrant, {Grant(op7306_, "op-7306-new", Role::kOperator, {"7306"})}, {&root_})
          .ok());  // [19, 21)
  EXPECT_FALSE(gov_.Holds(op, Role::kOperator, "7306", 20));
  EXPECT_TRUE(gov_.Holds(op, Role::kOperator, "7306", 21));
  ASSERT_EQ(gov_.ActiveGrants(op, 21).size(), 1u);
  EXPECT_EQ(gov_.ActiveGrants(op, 21)[0]->key_name, "op-7306-new");
  // Queries of older sizes still see the history as it was.
  EXPECT_TRUE(gov_.Holds(op, Role::kOperator, "7306", kBaseline));

  EXPECT_TRUE(Judge(kKab7306, Update(21, {&op7306_})).ok());
  EXPECT_TRUE(Denied(Judge(kKab7306, Update(20, {&op7306_})), "was revoked"));
}

// --- Queries ------------------------------------------------------------------

TEST_F(GovernanceTest, QueriesReturnTheLatestValueInForceAtTheSize) {
  ASSERT_TRUE(Gov(kTypeGovNode,
                  {Node(kKab7404, "kabupaten", "7404", 0x41, "https://dinsos-7404.example/new")},
                  {&root_})
                  .ok());  // [17, 19)
  ASSERT_NE(gov_.NodeByOrigin(kKab7404, 18), nullptr);
  EXPECT_EQ(gov_.NodeByOrigin(kKab7404, 18)->url, "https://7404.jejak.example");
  ASSERT_NE(gov_.NodeByOrigin(kKab7404, 19), nullptr);
  EXPECT_EQ(gov_.NodeByOrigin(kKab7404, 19)->url, "https://dinsos-7404.example/new");
  EXPECT_EQ(gov_.Nodes(19).size(), 4u);  // one per origin
  EXPECT_EQ(gov_.NodeByOrigin("jejak.pkh/kab/9999", 19), nullptr);

  ASSERT_TRUE(
      Gov(kTypeGovStage, {Window(kStage, "2026-02-01", "2026-04-15")}, {&root_}).ok());  // [19, 21)
  EXPECT_EQ(gov_.Stage(kStage, 20)->to, "2026-03-31");
  EXPECT_EQ(gov_.Stage(kStage, 21)->to, "2026-04-15");
  EXPECT_EQ(gov_.Stages(21).size(), 1u);

  ASSERT_TRUE(Gov(kTypeGovIndex, {IndexFor(2026, 225'000)}, {&root_}).ok());  // [21, 23)
  ASSERT_TRUE(Gov(kTypeGovIndex, {IndexFor(2026, 250'000)}, {&root_}).ok());  // [23, 25)
  const size_t sd = static_cast<size_t>(Component::kSd);
  EXPECT_EQ(gov_.Index(2026, 22), nullptr);
  EXPECT_EQ(gov_.Index(2026, 23)->rates[sd].amount_per_stage, 225'000u);
  EXPECT_EQ(gov_.Index(2026, 24)->rates[sd].amount_per_stage, 225'000u);
  EXPECT_EQ(gov_.Index(2026, 25)->rates[sd].amount_per_stage, 250'000u);
  EXPECT_EQ(gov_.Index(2027, 25), nullptr);

  EXPECT_EQ(gov_.ApprovalThreshold("7306", 25), kDefaultApprovalThreshold);
  ASSERT_TRUE(Gov(kTypeGovPolicy, {Policy(3, "7306")}, {&root_}).ok());  // [25, 27)
  ASSERT_TRUE(Gov(kTypeGovPolicy, {Policy(4, "7306")}, {&root_}).ok());  // [27, 29)
  EXPECT_EQ(gov_.ApprovalThreshold("7306", 26), 2);
  EXPECT_EQ(gov_.ApprovalThreshold("7306", 27), 3);
  EXPECT_EQ(gov_.ApprovalThreshold("7306", 29), 4);
}

TEST(GovernanceScope, CodesCoverTheRegionsTheyPrefix) {
  EXPECT_TRUE(ScopeCovers("73", "7306"));
  EXPECT_TRUE(ScopeCovers("7306", "7306"));
  EXPECT_TRUE(ScopeCovers("*", "9471"));
  EXPECT_FALSE(ScopeCovers("73", "7404"));
  EXPECT_FALSE(ScopeCovers("7306", "73"));
  EXPECT_FALSE(ScopeCovers("", "7306"));
  EXPECT_TRUE(ScopeCovers(std::vector<std::string>{"74", "73"}, "7371"));
  EXPECT_FALSE(ScopeCovers(std::vector<std::string>{}, "7371"));
}

// --- Authority that cannot be replayed or borrowed (issue 21) ------------------

// A registrar may register kabupaten nodes in its scope, but today nothing
// stops it from re-registering an origin already registered elsewhere:
// kabupaten 7404's node (province 74) or a bank's node, replacing its key.
// The governance origin is reserved: a registrar cannot register a
// kabupaten under it (the audit would list the governance log as kabupaten
// 7306), nor may the root give it to another kind of node or key.
TEST_F(GovernanceTest, TheGovernanceOriginIsReserved) {
  Status s = Gov(kTypeGovNode, {Node(kGovOrigin, "kabupaten", "7306", 0x50)}, {&reg73_});
  EXPECT_TRUE(Denied(s,
                     "registers the governance log's origin jejak.pkh/kemensos for another "
                     "node"));
  s = Gov(kTypeGovNode, {Node(kGovOrigin, "kemensos", "00", 1)}, {&reg73_});
  EXPECT_TRUE(Denied(s,
                     "jejak.pkh/kemensos is the governance log's origin: only the root "
                     "registrar registers it"));
  EXPECT_EQ(gov_.NodeByOrigin(kGovOrigin, gov_.size()), nullptr);
  s = Gov(kTypeGovNode, {Node(kGovOrigin, "kabupaten", "7306", 0x50)}, {&root_});
  EXPECT_TRUE(Denied(s,
                     "registers the governance log's origin jejak.pkh/kemensos for another "
                     "node than the kemensos node that holds the root key"));
  EXPECT_EQ(gov_.NodeByOrigin(kGovOrigin, gov_.size()), nullptr);
  // The kemensos node itself, with its URL: allowed.
  NodeRegistration self = Node(kGovOrigin, "kemensos", "00", 1);
  EXPECT_TRUE(Gov(kTypeGovNode, {self}, {&root_}).ok());
  ASSERT_NE(gov_.NodeByOrigin(kGovOrigin, gov_.size()), nullptr);
}

TEST_F(GovernanceTest, NoStatementRevokesTheRootKey) {
  EXPECT_TRUE(Denied(Gov(kTypeGovRevoke, {Revoke(root_)}, {&reg73_}),
                     "revokes the root registrar's key, which no statement can revoke"));
  EXPECT_TRUE(
      Denied(Gov(kTypeGovRevoke, {Revoke(root_)}, {&root_}), "revokes the root registrar's key"));
  EXPECT_FALSE(gov_.Revoked(root_.public_key(), gov_.size()));
}

TEST_F(GovernanceTest, APayerGrantNamesARegisteredLembagaBayar) {
  EXPECT_TRUE(
      Denied(Gov(kTypeGovGrant, {Grant(new_key_, "p", Role::kPayer, {"7306"}, kKab7404)}, {&root_}),
             "grants the payer role for institution jejak.pkh/kab/7404, which is not a "
             "lembaga bayar node registered at governance size"));
  EXPECT_TRUE(Denied(
      Gov(kTypeGovGrant, {Grant(new_key_, "o", Role::kOperator, {"7306"}, kBri)}, {&root_}),
      "only payer grants name an institution, and this grant of the operator role names one"));
  EXPECT_TRUE(
      Gov(kTypeGovGrant, {Grant(new_key_, "p", Role::kPayer, {"7306"}, kBri)}, {&root_}).ok());
  EXPECT_EQ(gov_.PayerGrants(new_key_.public_key(), kBri, gov_.size(), true).size(), 1u);
  EXPECT_TRUE(gov_.PayerGrants(new_key_.public_key(), kKab7404, gov_.size(), false).empty());
}

TEST_F(GovernanceTest, RegistrarCannotReRegisterANodeOutsideItsScope) {
  Status kab = Gov(kTypeGovNode, {Node(kKab7404, "kabupaten", "7306", 0x50)}, {&reg73_});
  EXPECT_TRUE(Denied(kab, "signature 1 (key reg-73)"));
  EXPECT_TRUE(Denied(kab, "7404"));
  EXPECT_EQ(gov_.NodeByOrigin(kKab7404, gov_.size())->region, "7404");

  Status bank = Gov(kTypeGovNode, {Node(kBri, "kabupaten", "7306", 0x50)}, {&reg73_});
  EXPECT_TRUE(Denied(bank, "lembaga-bayar"));
  EXPECT_EQ(NodeKindName(gov_.NodeByOrigin(kBri, gov_.size())->kind), "lembaga-bayar");
}

// A registrar's statement recording an older size, to reach grants made
// since or to outlive its own revocation, is refused by its position alone.
TEST_F(GovernanceTest, RegistrarCannotActByRecordingAnOlderSize) {
  ASSERT_TRUE(
      Gov(kTypeGovGrant, {Grant(new_key_, "op-7404-b", Role::kOperator, {"7404"})}, {&root_})
          .ok());  // [17, 19)
  Status s = Gov(kTypeGovRevoke, {Revoke(new_key_)}, {&reg73_}, kBaseline);
  EXPECT_TRUE(Denied(s, "records governance size 17, but stands at position 19"));
  EXPECT_TRUE(gov_.Holds(new_key_.public_key(), Role::kOperator, "7404", gov_.size()));

  ASSERT_TRUE(Gov(kTypeGovRevoke, {Revoke(reg73_)}, {&root_}).ok());  // [21, 23)
  s = Gov(kTypeGovGrant, {Grant(new_key_, "op", Role::kOperator, {"7306"})}, {&reg73_}, kBaseline);
  EXPECT_TRUE(Denied(s, "records governance size 17, but stands at position 23"));
  EXPECT_FALSE(gov_.Holds(new_key_.public_key(), Role::kOperator, "7306", gov_.size()));
  // At its own position the revoked registrar is refused for what it is.
  s = Gov(kTypeGovGrant, {Grant(new_key_, "op", Role::kOperator, {"7306"})}, {&reg73_});
  EXPECT_TRUE(Denied(s, "was revoked; holds no registrar role at governance size 25"));
}

// The checks loop over the signers, so a statement with no signature at all
// passes them (the log layer refuses one, but these checks are the authority
// rule and are also used on their own).
TEST_F(GovernanceTest, AStatementWithNoSignaturesIsRefused) {
  EXPECT_TRUE(Denied(Judge(kKab7306, Update(kBaseline, {})), "a statement with no signatures"));
  EXPECT_TRUE(
      Denied(Judge(kBri, Receipts(kBaseline, {"7306"}, {})), "a statement with no signatures"));
  EXPECT_TRUE(Denied(Gov(kTypeGovStage, {Window("2026-T2", "2026-05-01", "2026-06-30")}, {}),
                     "a statement with no signatures"));
  EXPECT_EQ(gov_.Stage("2026-T2", gov_.size()), nullptr);
}

// A policy of threshold 0 lets a berita acara pass with no approver.
TEST_F(GovernanceTest, AnApprovalThresholdOfZeroIsRefused) {
  EXPECT_TRUE(Denied(Gov(kTypeGovPolicy, {Policy(0, "7306")}, {&reg73_}),
                     "sets an approval threshold of 0 for scope 7306"));
  EXPECT_EQ(gov_.ApprovalThreshold("7306", gov_.size()), kDefaultApprovalThreshold);
}

// A key revoked and then granted again is not "revoked" when it lacks some
// other role.
TEST_F(GovernanceTest, AReGrantedKeyLackingARoleIsNotCalledRevoked) {
  ASSERT_TRUE(Gov(kTypeGovRevoke, {Revoke(op7306_)}, {&root_}).ok());  // [17, 19)
  ASSERT_TRUE(Gov(kTypeGovGrant, {Grant(op7306_, "op-again", Role::kOperator, {"7306"})}, {&root_})
                  .ok());  // [19, 21)
  EXPECT_TRUE(Denied(Judge(kBri, Receipts(21, {"7306"}, {&op7306_})),
                     "signature 1 (key op-again): lacks the payer role for region 7306 at "
                     "governance size 21"));
}

}  // namespace
}  // namespace jejak::governance_test
