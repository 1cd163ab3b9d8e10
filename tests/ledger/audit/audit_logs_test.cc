// The audit's findings about statements and logs, its proofs, its scope, the
// folder it reads, its renderings and its checked totals.
#include "tests/ledger/audit/audit_fixture.h"

namespace jejak::audit_test {
namespace {

TEST_F(Audit, UnauthorizedBeritaAcaraSmuggledIntoAReplicaIsReported) {
  Known({"K-OK", "K-ONE-SIGNER", "K-REVOKED", "K-WRONG-SCOPE"});
  for (const char* id : {"K-OK", "K-ONE-SIGNER", "K-REVOKED", "K-WRONG-SCOPE"}) Family(id);
  Approve({{"K-OK", kEntitled}});
  // Keys: an approver of another kabupaten, and one granted then revoked.
  const SigningKey other_scope = testing::KeyFromByte(0x51);
  const SigningKey revoked = testing::KeyFromByte(0x52);
  ASSERT_TRUE(IsOk(
      Gov(kTypeGovGrant,
          {KeyGrant{other_scope.public_key(), "kab-7307/approver", Role::kApprover, {"7307"}},
           KeyGrant{revoked.public_key(), "kab-7306/approver-c", Role::kApprover, {kKabRegion}}})));
  ASSERT_TRUE(IsOk(Gov(kTypeGovRevoke, {KeyRevocation{revoked.public_key()}})));
  ASSERT_TRUE(IsOk(DeliverGovernance(kab_)));
  ASSERT_NO_FATAL_FAILURE(SmuggleApproval({"K-ONE-SIGNER"}, {&approver_a_}));
  ASSERT_NO_FATAL_FAILURE(SmuggleApproval({"K-REVOKED"}, {&approver_a_, &revoked}));
  ASSERT_NO_FATAL_FAILURE(SmuggleApproval({"K-WRONG-SCOPE"}, {&approver_a_, &other_scope}));
  ASSERT_TRUE(IsOk(kab_.pkh->writer().SignAndStoreCheckpoint()));
  // The bank pays all four.
  Receipts({ReceiptRow("T-1", "K-OK", kEntitled), ReceiptRow("T-2", "K-ONE-SIGNER", kEntitled),
            ReceiptRow("T-3", "K-REVOKED", kEntitled),
            ReceiptRow("T-4", "K-WRONG-SCOPE", kEntitled)});
  AuditReport r = DeliverAndRun();
  // Each smuggled statement is reported, and its approvals are not trusted:
  // the payments they would cover were not approved.
  std::vector<std::string> names = Names(r);
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names,
              ElementsAre("PAID_NOT_APPROVED K-ONE-SIGNER T-2", "PAID_NOT_APPROVED K-REVOKED T-3",
                          "PAID_NOT_APPROVED K-WRONG-SCOPE T-4", "UNAUTHORIZED_STATEMENT",
                          "UNAUTHORIZED_STATEMENT", "UNAUTHORIZED_STATEMENT"));
  std::vector<std::string> details;
  for (const Finding& f : r.findings) {
    if (f.type != FindingType::kUnauthorizedStatement) continue;
    EXPECT_EQ(f.kabupaten, kKabRegion);
    ASSERT_EQ(f.leaves.size(), 1u);
    EXPECT_EQ(f.leaves[0].log, kab_.origin());
    details.push_back(f.detail);
  }
  ASSERT_EQ(details.size(), 3u);
  EXPECT_THAT(details[0], HasSubstr("signed by 1 distinct approvers; region 7306 needs 2"));
  EXPECT_THAT(details[1], HasSubstr("was revoked (at governance size"));
  EXPECT_THAT(details[2], HasSubstr("lacks the approver role for region 7306"));
}

TEST_F(Audit, ADamagedReplicaIsALogIntegrityFinding) {
  Known({"K-OK"});
  Family("K-OK");
  Approve({{"K-OK", kEntitled}});
  Receipts({ReceiptRow("T-1", "K-OK", kEntitled)});
  Deliver();
  Store& store = Auditor().store();
  auto log = FindLog(store, kab_.origin());
  ASSERT_TRUE(IsOk(log));
  auto leaf = store.Get(Column::kLeaves, store_keys::Leaf(log->id, 1));
  ASSERT_TRUE(IsOk(leaf));
  ASSERT_TRUE(leaf->has_value());
  std::string damaged = **leaf;
  damaged[damaged.size() / 2] ^= 0x01;
  WriteBatch b;
  b.Put(Column::kLeaves, store_keys::Leaf(log->id, 1), damaged);
  ASSERT_TRUE(IsOk(store.Write(b, true)));
  AuditReport r = Run();
  ASSERT_THAT(Names(r), ElementsAre("LOG_INTEGRITY"));
  EXPECT_EQ(r.summary[static_cast<size_t>(FindingType::kLogIntegrity)], 1u);
  ASSERT_EQ(r.findings[0].leaves.size(), 1u);
  EXPECT_EQ(r.findings[0].leaves[0].log, kab_.origin());
  EXPECT_EQ(r.findings[0].leaves[0].leaf, 1u);
  EXPECT_EQ(r.findings[0].kabupaten, kKabRegion);
}

TEST_F(Audit, EveryProofVerifiesAgainstItsCheckpoint) {
  Known({"K-GHOST", "K-CUT", "K-UNPAID", "K-DEAD"});
  Family("K-CUT");
  Family("K-UNPAID");
  Family("K-DEAD");
  Approve({{"K-CUT", kEntitled}, {"K-UNPAID", kEntitled}, {"K-DEAD", kEntitled}});
  Updates({UpdateRow("U-2", "K-DEAD", "2026-03-01", "deceased", kMembers)});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000"), ReceiptRow("T-2", "K-CUT", "1000000"),
            ReceiptRow("T-3", "K-DEAD", kEntitled)});
  AuditOptions o;
  o.proofs = true;
  AuditReport r = DeliverAndRun(o);
  ASSERT_EQ(r.findings.size(), 4u);
  std::map<std::string, const AuditedLog*> logs;
  for (const AuditedLog& l : r.logs) logs[l.origin] = &l;
  size_t proofs = 0;
  for (const Finding& f : r.findings) {
    for (const LeafRef& ref : f.leaves) {
      const AuditedLog& log = *logs.at(ref.log);
      // The checkpoint the report lists is signed by the log's key and
      // names the size and root the proof is against.
      auto info = FindLog(Auditor().store(), ref.log);
      ASSERT_TRUE(IsOk(info));
      auto cp = OpenCheckpoint(log.checkpoint, info->key);
      ASSERT_TRUE(IsOk(cp));
      EXPECT_EQ(cp->checkpoint.size, log.size);
      EXPECT_EQ(cp->checkpoint.root, log.root);
      ASSERT_TRUE(ref.proof.has_value());
      ASSERT_TRUE(ref.leaf_hash.has_value());
      EXPECT_EQ(ref.proof_size, log.size);
      EXPECT_TRUE(IsOk(VerifyInclusion(ref.leaf, log.size, *ref.leaf_hash, *ref.proof, log.root)));
      // The hash is the leaf's, as the log author published it.
      PkhTestNode& author = ref.log == bank_.origin() ? bank_ : kab_;
      LogReader reader(author.store(), author.folder->own_log());
      auto leaf = reader.Leaf(ref.leaf);
      ASSERT_TRUE(IsOk(leaf));
      EXPECT_EQ(LeafHash(*leaf), *ref.leaf_hash);
      // A wrong leaf does not verify.
      Hash wrong = *ref.leaf_hash;
      wrong[0] ^= 1;
      EXPECT_FALSE(VerifyInclusion(ref.leaf, log.size, wrong, *ref.proof, log.root).ok());
      ++proofs;
    }
  }
  EXPECT_GE(proofs, 10u);
  // The JSON carries the same proofs.
  auto j = nlohmann::json::parse(AuditJson(r));
  EXPECT_EQ(j["findings"][0]["leaves"][0]["proof"].size(), r.findings[0].leaves[0].proof->size());
  EXPECT_EQ(j["findings"][0]["leaves"][0]["tree_size"], r.findings[0].leaves[0].proof_size);
}

TEST_F(Audit, ScopeMissingLogsAndDeterminism) {
  Known({"K-GHOST"});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000")});
  // Without the bank's log: it is missing, and nothing is paid.
  Deliver(/*without_bank=*/true);
  AuditReport partial = Run();
  ASSERT_EQ(partial.missing.size(), 1u);
  EXPECT_THAT(partial.missing[0], HasSubstr(bank_.origin()));
  EXPECT_THAT(partial.missing[0], HasSubstr("not held"));
  EXPECT_THAT(Names(partial), IsEmpty());

  Deliver();
  AuditReport all = Run();
  EXPECT_THAT(all.missing, IsEmpty());
  EXPECT_THAT(Names(all), ElementsAre("PAID_NOT_APPROVED K-GHOST T-1"));
  AuditOptions other;
  other.kabupaten = {"7307"};
  EXPECT_THAT(Names(Run(other)), IsEmpty());
  AuditOptions province;
  province.kabupaten = {"73"};
  EXPECT_THAT(Names(Run(province)), ElementsAre("PAID_NOT_APPROVED K-GHOST T-1"));

  // Same store, same options: the same bytes.
  AuditOptions o;
  o.proofs = true;
  AuditReport a = Run(o), b = Run(o);
  EXPECT_EQ(AuditJson(a), AuditJson(b));
  EXPECT_EQ(AuditText(a), AuditText(b));
  EXPECT_EQ(AuditCsv(a), AuditCsv(b));
}

TEST_F(Audit, AReplicaBehindTheLatestCheckpointItsWitnessCosignedIsListed) {
  Known({"K-GHOST"});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000")});
  Deliver();
  auto info = FindLog(Auditor().folder->store(), bank_.origin());
  ASSERT_TRUE(IsOk(info));
  auto held = LogReader(Auditor().folder->store(), *info).Size();
  ASSERT_TRUE(IsOk(held));
  // The witness cosigned the replica's own size: nothing is behind.
  ASSERT_TRUE(IsOk(SaveWitnessState(Auditor().folder->store(), bank_.origin(),
                                    WitnessState{*held, Hash{}, "note"})));
  EXPECT_THAT(Run().missing, IsEmpty());
  // The author offered a larger checkpoint that the follower has not pulled.
  ASSERT_TRUE(IsOk(SaveWitnessState(Auditor().folder->store(), bank_.origin(),
                                    WitnessState{*held + 5, Hash{}, "note"})));
  AuditReport r = Run();
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0],
            fmt::format("lembaga-bayar 00 ({}): held at size {}, behind its latest known "
                        "checkpoint (size {}, cosigned by this node's witness)",
                        bank_.origin(), *held, *held + 5));
  EXPECT_THAT(Names(r), ElementsAre("PAID_NOT_APPROVED K-GHOST T-1"));
}

TEST_F(Audit, ReadsTheStoreOfARunningNodeAsASecondary) {
  Known({"K-GHOST"});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000")});
  Deliver();
  AuditOptions o;
  o.stage = kStage;
  o.as_of = kAsOf;
  o.proofs = true;
  AuditReport writer = Run(o);
  // The auditor's folder stays open for writing, as a serving node holds it.
  auto beside = NodeFolder::Open(Auditor().dir, StoreMode::kReadOnly);
  ASSERT_TRUE(IsOk(beside));
  auto reader = RunAudit(**beside, o);
  ASSERT_TRUE(IsOk(reader));
  EXPECT_EQ(AuditJson(*reader), AuditJson(writer));
}

TEST_F(Audit, RendersForPeopleAndSpreadsheets) {
  Known({"K-GHOST"});
  Receipts({ReceiptRow("T-1", "K-GHOST", "600000")});
  AuditReport r = DeliverAndRun();
  const std::string csv = AuditCsv(r);
  EXPECT_THAT(csv, HasSubstr("type,stage,kabupaten,kpm,txn_ref,complaint_id,lembaga_bayar,amount,"
                             "expected_amount,detail,leaves\n"));
  EXPECT_THAT(csv, HasSubstr("PAID_NOT_APPROVED,2026-T1,7306," + PseudonymHex(Kpm("K-GHOST")) +
                             ",T-1,,BRI,600000,,"));
  const std::string text = AuditText(r);
  EXPECT_THAT(text, HasSubstr("PAID_NOT_APPROVED (1)"));
  EXPECT_THAT(text, HasSubstr("FINDINGS IN KABUPATEN 7306"));
  auto j = nlohmann::json::parse(AuditJson(r));
  EXPECT_EQ(j["stage"], kStage);
  EXPECT_EQ(j["as_of"], kAsOf);
  EXPECT_EQ(j["summary"]["PAID_NOT_APPROVED"], 1);
  EXPECT_EQ(j["summary"]["EQUIVOCATION"], 0);
  EXPECT_EQ(j["findings"][0]["type"], "PAID_NOT_APPROVED");
  EXPECT_EQ(j["findings"][0]["kpm"], PseudonymHex(Kpm("K-GHOST")));
  EXPECT_EQ(j["findings"][0]["txn_ref"], "T-1");
  EXPECT_EQ(j["findings"][0]["amount"], 600000);
  EXPECT_TRUE(j["findings"][0]["expected_amount"].is_null());
  EXPECT_EQ(j["findings"][0]["leaves"][1]["log"], bank_.origin());
  EXPECT_EQ(j["findings"][0]["leaves"][1]["leaf_index"], 1);
  // Revealed only to the holder of the key and list, only in the report.
  RevealMap reveal{{Kpm("K-GHOST"), "K-GHOST"}};
  EXPECT_THAT(AuditCsv(r, &reveal), HasSubstr(",K-GHOST,T-1,"));
  // An identifier a spreadsheet would run as a formula comes out as text.
  RevealMap formula{{Kpm("K-GHOST"), "=HYPERLINK(\"http://x\",\"y\")"}};
  EXPECT_THAT(AuditCsv(r, &formula),
              HasSubstr(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",T-1,"));
  EXPECT_THAT(csv, ::testing::Not(HasSubstr("K-GHOST")));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("K-GHOST")));
}

TEST_F(Audit, RefusesWhatItCannotJudge) {
  Deliver();
  AuditOptions bad_stage;
  bad_stage.stage = "2026-T9x";
  EXPECT_EQ(RunAudit(*Auditor().folder, bad_stage).status().code(), StatusCode::kInvalidArgument);
  AuditOptions unopened;
  unopened.stage = "2027-T1";
  unopened.as_of = kAsOf;
  EXPECT_TRUE(HasStatus(RunAudit(*Auditor().folder, unopened), StatusCode::kFailedPrecondition,
                        "never opened stage 2027-T1"));
  AuditOptions bad_date;
  bad_date.stage = kStage;
  bad_date.as_of = "2026-02-30";
  EXPECT_TRUE(
      HasStatus(RunAudit(*Auditor().folder, bad_date), StatusCode::kInvalidArgument, "--as-of"));
  AuditOptions bad_scope;
  bad_scope.stage = kStage;
  bad_scope.as_of = kAsOf;
  bad_scope.kabupaten = {"73a"};
  EXPECT_EQ(RunAudit(*Auditor().folder, bad_scope).status().code(), StatusCode::kInvalidArgument);
  // A node that never pulled the governance log.
  auto fresh = AddNode("fresh", Init(NodeKind::kAuditor, "Fresh", "00"));
  ASSERT_TRUE(IsOk(fresh));
  AuditOptions o;
  o.stage = kStage;
  o.as_of = kAsOf;
  EXPECT_TRUE(HasStatus(RunAudit(*(*fresh)->folder, o), StatusCode::kFailedPrecondition,
                        "holds no governance log"));
}

// Two histories signed by one kabupaten key: the folder copied, each copy
// appended differently. The auditor, holding one, meets the other.

TEST_F(Audit, TotalsThatDoNotFitIn64BitsAreAnErrorNotAWrappedNumber) {
  std::vector<Bytes> leaves;
  for (int i = 0; i < 3; ++i) {
    Receipt r{"HUGE-" + std::to_string(i),
              Kpm("K-HUGE-" + std::to_string(i)),
              kKabRegion,
              kStage,
              uint64_t{1} << 63,
              ReceiptStatus::kPaid,
              "2026-03-05",
              Channel::kKks};
    leaves.push_back(*EncodePkhRecord(r));
  }
  StatementHeader h = bank_.pkh->NewHeader(kTypeReceipt);
  h.regions = {kKabRegion};
  h.stage = kStage;
  PreparedStatement p = PrepareStatement(h, std::move(leaves));
  SignStatement(p.statement, payer_);
  ASSERT_TRUE(IsOk(AppendStatement(bank_.pkh->writer(), p)));
  Deliver();
  AuditOptions o;
  o.stage = kStage;
  o.as_of = kAsOf;
  EXPECT_TRUE(HasStatus(RunAudit(*Auditor().folder, o), StatusCode::kInvalidArgument,
                        "the amounts of stage 2026-T1 add up to more than 2^64 rupiah"));
}

}  // namespace
}  // namespace jejak::audit_test
