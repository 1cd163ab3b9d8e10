// Writes the seed corpora of the fuzz targets: small valid and near-valid
// inputs made with the real encoders and the fixed keys of fuzz.h, one file
// per seed, named for what it is. Identifiers are obviously synthetic
// (KPM-TEST-0001). Deterministic but for key files, whose salt and nonce are
// random.
//
//   fuzz_seed_writer OUT    writes OUT/<target>/<seed>
//
// tests/fuzz/corpus/ was written by it (and holds, besides, every input that
// once crashed a target: crash-*). Rerun it after changing an encoding.
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "crypto/cosignature.h"
#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "crypto/note.h"
#include "crypto/pseudonym.h"
#include "ledger/audit/trail.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/evidence.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/log/tlog_proof.h"
#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/records.h"
#include "node/log_status.h"
#include "node/request_auth.h"
#include "node/witness_request.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;
using fuzz::KeyOf;

namespace {

std::string g_out;

void WriteSeed(std::string_view target, std::string_view name, std::string_view bytes) {
  const std::filesystem::path dir = std::filesystem::path(g_out) / target;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

// The first byte of an input, which picks what a target does with the rest.
std::string Pick(uint8_t b) { return std::string(1, static_cast<char>(b)); }

std::string Chars(const Bytes& b) { return std::string(AsChars(b)); }

// "KPM-TEST-0001" and the like: never anything that looks like a NIK.
std::string Kpm(int n) { return fmt::format("KPM-TEST-{:04d}", n); }

ProgramKey TestProgramKey() { return KeyOf(0x46).seed(); }

// --- Logs: a tree of text records, its checkpoints and proofs ---

std::vector<Hash> Leaves(std::string_view tag, uint64_t n) {
  std::vector<Hash> out;
  for (uint64_t i = 0; i < n; ++i) {
    out.push_back(LeafHash(*EncodeTextRecordEntry(fmt::format("{} {}", tag, i))));
  }
  return out;
}

Hash RootOf(const std::vector<Hash>& leaves, uint64_t size) {
  return RootOfLeafHashes(std::span<const Hash>(leaves.data(), size));
}

std::vector<Hash> Consistency(const std::vector<Hash>& leaves, uint64_t old_size,
                              uint64_t new_size) {
  auto subtree = [&](int level, uint64_t index) -> Result<Hash> {
    const uint64_t first = index << level, count = uint64_t{1} << level;
    return RootOfLeafHashes(std::span<const Hash>(leaves.data() + first, count));
  };
  return *ConsistencyProofFrom(old_size, new_size, subtree);
}

std::string SignedNote(std::string_view origin, uint8_t key, uint64_t size, const Hash& root) {
  return SignCheckpoint(Checkpoint{std::string(origin), size, root, {}}, KeyOf(key)).Serialize();
}

// --- Entries ---

Statement SignedStatement(std::string_view origin, std::string_view type,
                          std::vector<Bytes> records) {
  StatementHeader h;
  h.origin = std::string(origin);
  h.type = std::string(type);
  h.stage = "2026-T1";
  h.region = "7306";
  h.timestamp_ms = 1'772'000'000'000;
  h.regions = {"7306"};
  PreparedStatement prepared = PrepareStatement(std::move(h), std::move(records));
  SignStatement(prepared.statement, KeyOf(fuzz::kStatementKeyByte));
  return prepared.statement;
}

std::vector<std::pair<std::string, PkhRecord>> PkhRecords() {
  const ProgramKey pk = TestProgramKey();
  KpmUpdate update{"upd-TEST-0001",    KpmPseudonym(pk, Kpm(1)),     "2026-01-10",
                   KpmStatus::kActive, Members{1, 0, 2, 1, 1, 0, 0}, std::nullopt};
  KpmUpdate with_evidence = update;
  with_evidence.evidence_sha256 = Sha256(AsBytes("evidence"));
  Receipt receipt{"txn-TEST-0001", KpmPseudonym(pk, Kpm(1)), "7306",       "2026-T1",
                  1'850'000,       ReceiptStatus::kPaid,     "2026-03-05", Channel::kKks};
  BenefitIndex index;
  index.year = 2026;
  index.max_components = 4;
  index.rates[static_cast<size_t>(Component::kSd)] = {true, 225'000, 4};
  index.rates[static_cast<size_t>(Component::kLansia)] = {true, 600'000, 4};
  return {
      {"update", update},
      {"update-with-evidence", with_evidence},
      {"approval", Approval{KpmPseudonym(pk, Kpm(2)), "BRI", 1'850'000}},
      {"receipt", receipt},
      {"node-registration",
       NodeRegistration{
           "jejak.pkh/kab/7306", "Dinsos Kabupaten Test", NodeKind::kKabupaten, "7306",
           NoteVerifierKey::ForEd25519("jejak.pkh/kab/7306", KeyOf(0x61).public_key()).ToString(),
           "https://kab.example.test:8443", ""}},
      {"key-grant",
       KeyGrant{KeyOf(0x41).public_key(), "kab-7306/operator", Role::kOperator, {"7306"}, ""}},
      {"key-grant-payer", KeyGrant{KeyOf(0x44).public_key(),
                                   "bri/payer-7306",
                                   Role::kPayer,
                                   {"7306", "7307"},
                                   "jejak.pkh/bank/bri"}},
      {"key-revocation", KeyRevocation{KeyOf(0x45).public_key()}},
      {"stage-window", StageWindow{"2026-T1", "2026-03-01", "2026-03-14"}},
      {"benefit-index", index},
      {"approval-policy", ApprovalPolicy{2, "*"}},
  };
}

void EntrySeeds() {
  std::vector<Bytes> records;
  for (const auto& [name, record] : PkhRecords()) {
    const Bytes leaf = *EncodePkhRecord(record);
    WriteSeed("entry", "record-" + name, Chars(leaf));
    records.push_back(leaf);
  }
  WriteSeed("entry", "record-text", Chars(*EncodeTextRecordEntry("a line of text")));
  WriteSeed("entry", "record-data", Chars(*EncodeDataRecordEntry(AsBytes("\x01\x02\x03"))));
  const Bytes statement =
      *EncodeStatementEntry(SignedStatement(fuzz::kLogOrigin, "pkh.update", records));
  WriteSeed("entry", "statement-signed", Chars(statement));
  Statement unsigned_statement = SignedStatement(fuzz::kLogOrigin, "note", {});
  unsigned_statement.signatures.clear();
  WriteSeed("entry", "statement-unsigned", Chars(*EncodeStatementEntry(unsigned_statement)));
  // Near-valid: cut short by one word, and one word too long.
  WriteSeed("entry", "statement-truncated", Chars(statement).substr(0, statement.size() - 8));
  WriteSeed("entry", "statement-extra-word", Chars(statement) + std::string(8, '\0'));
}

std::string BundleHeader(uint32_t count, uint64_t first) {
  return {static_cast<char>(count & 0xff), static_cast<char>(count >> 8 & 1),
          static_cast<char>(first >> 56), static_cast<char>(first & 0xff)};
}

void BundleSeeds() {
  std::vector<Bytes> records;
  for (const auto& [name, record] : PkhRecords()) {
    if (std::holds_alternative<KpmUpdate>(record)) records.push_back(*EncodePkhRecord(record));
  }
  std::vector<Bytes> submission = {
      *EncodeStatementEntry(SignedStatement(fuzz::kLogOrigin, "pkh.update", records))};
  submission.insert(submission.end(), records.begin(), records.end());
  const std::string bundle = EncodeEntryBundle(submission);
  WriteSeed("bundle", "submission-statement-and-updates",
            BundleHeader(static_cast<uint32_t>(submission.size()), 0) + bundle);
  std::vector<Bytes> texts;
  for (int i = 0; i < 5; ++i) texts.push_back(*EncodeTextRecordEntry(fmt::format("record {}", i)));
  WriteSeed("bundle", "tile-of-5-text-records", BundleHeader(5, 256) + EncodeEntryBundle(texts));
  WriteSeed("bundle", "tile-count-mismatch", BundleHeader(4, 0) + EncodeEntryBundle(texts));
  WriteSeed("bundle", "empty-entry", BundleHeader(1, 0) + std::string(2, '\0'));
  WriteSeed("bundle", "cut-short", BundleHeader(1, 0) + bundle.substr(0, bundle.size() / 2));
}

// --- Notes, checkpoints, cosignatures ---

void NoteSeeds() {
  const std::vector<Hash> leaves = Leaves("note", 5);
  const std::string cp = SignedNote(fuzz::kLogOrigin, fuzz::kLogKeyByte, 5, RootOf(leaves, 5));
  WriteSeed("note", "checkpoint-signed", cp);
  auto note = ParseNote(cp);
  note->signatures.push_back(
      Cosign(note->text, fuzz::kWitnessName, KeyOf(fuzz::kWitnessKeyByte), 1'772'000'000));
  WriteSeed("note", "checkpoint-cosigned", note->Serialize());
  Checkpoint with_ext{fuzz::kLogOrigin, 5, RootOf(leaves, 5), {"extension line"}};
  WriteSeed("note", "checkpoint-extension",
            SignCheckpoint(with_ext, KeyOf(fuzz::kLogKeyByte)).Serialize());
  WriteSeed("note", "checkpoint-empty-tree",
            SignedNote(fuzz::kLogOrigin, fuzz::kLogKeyByte, 0, EmptyTreeRoot()));
  WriteSeed("note", "checkpoint-text",
            Checkpoint{fuzz::kLogOrigin, 5, RootOf(leaves, 5), {}}.Text());
  WriteSeed(
      "note", "verifier-keys",
      NoteVerifierKey::ForEd25519(fuzz::kLogOrigin, KeyOf(fuzz::kLogKeyByte).public_key())
              .ToString() +
          "\n" +
          CosignerVerifierKey({fuzz::kWitnessName, KeyOf(fuzz::kWitnessKeyByte).public_key()}) +
          "\n");
  WriteSeed("note", "no-blank-line", "example.test/fuzz-log\n5\n\xe2\x80\x94 x AAAA\n");
  WriteSeed("note", "bad-signature-base64",
            note->text + "\n\xe2\x80\x94 example.test/fuzz-log AAAA=\n");
}

// --- tlog-proofs ---

void TlogProofSeeds() {
  std::vector<Bytes> entries;
  std::vector<Hash> leaves;
  for (int i = 0; i < 5; ++i) {
    entries.push_back(*EncodeTextRecordEntry(fmt::format("tlog-proof {}", i)));
    leaves.push_back(LeafHash(entries.back()));
  }
  const std::string cp = SignedNote(fuzz::kLogOrigin, fuzz::kLogKeyByte, 5, RootOf(leaves, 5));
  auto note = ParseNote(cp);
  note->signatures.push_back(
      Cosign(note->text, fuzz::kWitnessName, KeyOf(fuzz::kWitnessKeyByte), 1'772'000'000));
  auto subtree = [&](int level, uint64_t index) -> Result<Hash> {
    const uint64_t first = index << level, width = uint64_t{1} << level;
    return RootOfLeafHashes(std::span<const Hash>(leaves).subspan(first, width));
  };
  TlogProof proof;
  proof.index = 3;
  proof.extra = entries[3];
  proof.inclusion = *InclusionProofFrom(3, 5, subtree);
  proof.checkpoint = note->Serialize();
  WriteSeed("tlog_proof", "cosigned", FormatTlogProof(proof));
  proof.checkpoint = cp;
  WriteSeed("tlog_proof", "not-cosigned", FormatTlogProof(proof));
  proof.extra.reset();
  WriteSeed("tlog_proof", "no-extra", FormatTlogProof(proof));
  WriteSeed("tlog_proof", "no-blank-line", "c2sp.org/tlog-proof@v1\nindex 0\n");
}

void TrailJsonSeeds() {
  Trail t;
  t.kpm = KpmPseudonym(TestProgramKey(), Kpm(1));
  t.stage = "2026-T1";
  t.as_of = "2026-04-01";
  t.moment = "2026-04-02T00:00:00+07:00";
  t.node = "jejak.pkh/auditor/bpk";
  TrailRecord update;
  update.date = "2026-01-10";
  update.kind = TrailKind::kUpdate;
  update.log = "jejak.pkh/kab/7306";
  update.leaf = 1;
  update.fields = {{"update id", "U-1"}, {"pseudonym", PseudonymHex(t.kpm)}, {"status", "active"}};
  update.statement_fields = {{"time", "2026-01-11T09:00:00+07:00 (1768096800000 ms)"},
                             {"signer", "signature 1 (key kab-7306/operator) AAAA"}};
  update.status = "active";
  TrailRecord receipt = update;
  receipt.date = "2026-03-05T10:00:00+07:00";
  receipt.kind = TrailKind::kReceipt;
  receipt.log = "jejak.pkh/bank/bri";
  receipt.stage = "2026-T1";
  receipt.fields = {{"txn ref", "BRI-1"}, {"amount", "1850000 (Rp 1,850,000)"}};
  t.records = {update, receipt};
  Finding f;
  f.type = FindingType::kPaidOutsideWindow;
  f.stage = "2026-T1";
  f.kpm = t.kpm;
  f.amount = 1'850'000;
  f.detail = "paid on 2026-03-20, outside the window 2026-03-01 to 2026-03-14";
  f.detail_id = "dibayar pada 2026-03-20, di luar jadwal 2026-03-01 s.d. 2026-03-14";
  f.leaves = {LeafRef{"jejak.pkh/bank/bri", 1, "receipt", {}, {}, 0, {}}};
  t.findings = {f};
  t.missing = {"kabupaten 7307 (jejak.pkh/kab/7307): not held"};
  t.missing_id = {"kabupaten 7307 (jejak.pkh/kab/7307): tidak disimpan node ini"};
  WriteSeed("trail_json", "two-records-one-finding", TrailJson(t));
  const std::string id = Kpm(1);
  WriteSeed("trail_json", "with-id-kpm", TrailJson(t, &id));
  t.notes = {"an English note"};  // and no Indonesian line for it: refused
  WriteSeed("trail_json", "notes-without-indonesian", TrailJson(t));
  WriteSeed("trail_json", "wrong-format", R"({"format":"jejak-trail-v0"})");
}

void WitnessRequestSeeds() {
  const std::vector<Hash> leaves = Leaves("witness", 8);
  const std::string cp = SignedNote(fuzz::kLogOrigin, fuzz::kLogKeyByte, 8, RootOf(leaves, 8));
  WriteSeed("witness_request", "from-0", FormatAddCheckpointRequest({0, {}, cp}));
  WriteSeed("witness_request", "from-3-with-proof",
            FormatAddCheckpointRequest({3, Consistency(leaves, 3, 8), cp}));
  WriteSeed("witness_request", "tlog-size", FormatTlogSize(1234));
  WriteSeed("witness_request", "old-leading-zero", "old 03\n\n" + cp);
  WriteSeed("witness_request", "proof-not-base64", "old 3\nnot base64\n\n" + cp);
}

// --- Tile paths, request targets, URLs ---

void TilePathSeeds() {
  WriteSeed("tile_path", "level-0", "tile/0/000");
  WriteSeed("tile_path", "level-1-partial", "tile/1/x001/234.p/7");
  WriteSeed("tile_path", "entries", "tile/entries/x123/456");
  WriteSeed("tile_path", "entries-partial-255", "tile/entries/000.p/255");
  WriteSeed("tile_path", "largest-index", "tile/0/x018/x446/x744/x073/x709/x551/615");
  WriteSeed("tile_path", "extra-zero-element", "tile/0/x000/001");
  WriteSeed("tile_path", "width-256", "tile/0/001.p/256");
}

void HttpTargetSeeds() {
  const std::string origins = "\nexample.test/fuzz-log\nexample.test\njejak.pkh/kab/7306\n";
  WriteSeed("http_target", "tile", "/example.test/fuzz-log/tile/0/x001/002.p/5" + origins);
  WriteSeed("http_target", "entries", "/jejak.pkh/kab/7306/tile/entries/000?x=1" + origins);
  WriteSeed("http_target", "checkpoint", "/example.test/checkpoint" + origins);
  WriteSeed("http_target", "witness",
            "/witness/" + HexEncode(Sha256(AsBytes(fuzz::kLogOrigin))) + "/checkpoint" + origins);
  WriteSeed("http_target", "proof-query",
            "/jejak/v1/proof/inclusion?origin=jejak.pkh%2Fkab%2F7306&index=3&size=10");
  WriteSeed("http_target", "draft-query",
            "/jejak/v1/ba/draft?stage=2026-T1&date=2026-03-02&number=800%2FTEST%2F2026");
  WriteSeed("http_target", "bad-percent", "/jejak/v1/statement-header?type=pkh.%2");
  WriteSeed("http_target", "url-https", "https://node.example.test:8443/jejak.pkh/kab/7306/");
  WriteSeed("http_target", "url-http-loopback", "http://127.0.0.1:8080");
  WriteSeed("http_target", "url-no-port", "https://node.example.test/x");
}

void RequestAuthSeeds() {
  constexpr int64_t kNowMs = 1'772'000'000'000;  // request_auth_fuzz.cc's clock
  auto seed = [&](std::string_view name, std::string_view method, std::string_view target,
                  std::string_view body, int64_t at) {
    const HttpHeaders h = SignRequest(method, target, body, KeyOf(fuzz::kRequestKeyByte), at);
    WriteSeed("request_auth", name,
              fmt::format("{}\n{}\n{}\n{}\n{}\n{}", method, target, h[0].second, h[1].second,
                          h[2].second, body));
  };
  seed("import-signed", "POST", "/jejak/v1/import/updates?phase=prepare", "update_id,id_kpm\n",
       kNowMs);
  seed("draft-signed-early", "POST", "/jejak/v1/ba/draft?stage=2026-T1", "id_kpm\n",
       kNowMs - 299'000);
  seed("signed-too-late", "POST", "/jejak/v1/ba/submit", "{}", kNowMs + 400'000);
  // 'T' and 8 bytes: the time header as a 64-bit number (request_auth_fuzz.cc).
  const HttpHeaders h = SignRequest("GET", "/x", "", KeyOf(fuzz::kRequestKeyByte), kNowMs);
  std::string raw_time = "T" + std::string(8, '\0');
  for (int i = 0; i < 8; ++i) raw_time[1 + i] = static_cast<char>(uint64_t{kNowMs} >> (8 * i));
  WriteSeed(
      "request_auth", "time-from-bytes",
      fmt::format("{}GET\n/x\n{}\n{}\n{}\n", raw_time, h[0].second, h[1].second, h[2].second));
}

// --- JSON documents ---

void EvidenceSeeds() {
  const std::string key_h =
      NoteVerifierKey::ForEd25519(fuzz::kLogOrigin, KeyOf(fuzz::kLogKeyByte).public_key())
          .ToString();
  const std::vector<Hash> h = Leaves("honest", 8);
  auto honest = [&](uint64_t n) {
    return SignedNote(fuzz::kLogOrigin, fuzz::kLogKeyByte, n, RootOf(h, n));
  };
  EquivocationEvidence e{fuzz::kLogOrigin, key_h, honest(0), honest(5),
                         EmptyTreeRoot(),  {},    "a seed"};
  WriteSeed("evidence", "honest-from-empty-no-conflict", EvidenceJson(e));
  e.note_a = honest(2);
  e.b_root_at_a = RootOf(h, 2);
  e.consistency = Consistency(h, 2, 5);
  WriteSeed("evidence", "honest-extends-no-conflict", EvidenceJson(e));

  const std::string key_f =
      NoteVerifierKey::ForEd25519(fuzz::kForkedOrigin, KeyOf(fuzz::kForkedKeyByte).public_key())
          .ToString();
  const std::vector<Hash> one = Leaves("fork one", 8), two = Leaves("fork two", 8);
  auto forked = [&](const std::vector<Hash>& l, uint64_t n) {
    return SignedNote(fuzz::kForkedOrigin, fuzz::kForkedKeyByte, n, RootOf(l, n));
  };
  WriteSeed("evidence", "forked-equal-sizes",
            EvidenceJson(
                *MakeEvidence(key_f, forked(one, 5), forked(two, 5), std::nullopt, {}, "a seed")));
  WriteSeed("evidence", "forked-different-sizes",
            EvidenceJson(*MakeEvidence(key_f, forked(one, 3), forked(two, 6), RootOf(two, 3),
                                       Consistency(two, 3, 6), "a seed")));
  WriteSeed("evidence", "wrong-format", R"({"format":"jejak-equivocation-v0"})");
}

BeritaAcara SeedBeritaAcara() {
  BeritaAcara ba;
  ba.origin = "jejak.pkh/kab/7306";
  ba.kabupaten = "7306";
  ba.stage = "2026-T1";
  ba.number = "800/TEST/DINSOS/2026";
  ba.date = "2026-03-02";
  ba.governance_size = 12;
  ba.timestamp_ms = 1'772'000'000'000;
  const ProgramKey pk = TestProgramKey();
  ba.rows = {{KpmPseudonym(pk, Kpm(1)), "BRI", 1'850'000},
             {KpmPseudonym(pk, Kpm(2)), "POS", 975'000}};
  ba.total_amount = 2'825'000;
  MerkleFrontier root;
  const std::vector<Bytes> leaves = *BeritaAcaraRecordLeaves(ba);
  for (const Bytes& leaf : leaves) root.Append(LeafHash(leaf));
  ba.records_root = root.Root();
  return ba;
}

void BeritaAcaraSeeds() {
  BeritaAcara ba = SeedBeritaAcara();
  WriteSeed("berita_acara", "unsigned", EncodeBeritaAcara(ba));
  (void)SignBeritaAcara(ba, KeyOf(0x42), "kab-7306/approver-a");
  (void)SignBeritaAcara(ba, KeyOf(0x43), "kab-7306/approver-b");
  WriteSeed("berita_acara", "signed-by-two", EncodeBeritaAcara(ba));
  BeritaAcara changed = ba;
  changed.total_amount += 1;
  WriteSeed("berita_acara", "total-changed", EncodeBeritaAcara(changed));
}

void LogListSeeds() {
  std::vector<LogStatus> logs(3);
  logs[0].origin = "jejak.pkh/kab/7306";
  logs[0].own = true;
  logs[0].url = "https://kab.example.test:8443/jejak.pkh/kab/7306";
  logs[0].size = 120;
  logs[0].root = Base64Encode(EmptyTreeRoot());
  logs[0].cosignatures = 2;
  logs[1].origin = "jejak.pkh/kemensos";
  logs[1].size = 40;
  logs[1].root = Base64Encode(EmptyTreeRoot());
  logs[1].lag = 3;
  logs[1].lag_seconds = 1.5;
  logs[2].origin = "jejak.pkh/bank/bri";
  logs[2].frozen = true;
  logs[2].lag = 0;
  WriteSeed("log_list", "three-logs", LogStatusJson("jejak.pkh/kab/7306", logs));
  WriteSeed("log_list", "no-logs", LogStatusJson("jejak.pkh/kemensos", {}));
  WriteSeed("log_list", "own-yes-string", R"({"node":"x","logs":[{"origin":"a","own":"yes"}]})");
}

void NodeConfigSeeds() {
  const std::string node_key =
      NoteVerifierKey::ForEd25519("jejak.pkh/kab/7306", KeyOf(0x61).public_key()).ToString();
  const std::string gov =
      NoteVerifierKey::ForEd25519("jejak.pkh/kemensos", KeyOf(0x62).public_key()).ToString();
  WriteSeed("node_config", "kabupaten",
            fmt::format(R"({{
  "format": 1,
  "kind": "kabupaten",
  "name": "Dinsos Kabupaten Test",
  "region": "7306",
  "origin": "jejak.pkh/kab/7306",
  "node_key": "{}",
  "created_ms": 1772000000000,
  "governance": "{}",
  "program_key": true
}}
)",
                        node_key, gov));
  WriteSeed("node_config", "standalone-auditor",
            fmt::format(R"({{"format":1,"kind":"auditor","name":"Auditor","region":"00",)"
                        R"("origin":"jejak.pkh/kemensos","node_key":"{}"}})",
                        gov));
  WriteSeed("node_config", "format-2", R"({"format":2})");
}

// --- Keys ---

void KeyFileSeeds() {
  const KdfParams cheap{1, 8192};  // key_file_fuzz.cc opens only these
  WriteSeed("key_file", "key-file",
            *SealKeyFile("kab-7306/operator", KeyOf(0x41), "fuzz passphrase", cheap));
  WriteSeed("key_file", "secret-file",
            *SealSecretFile("program", TestProgramKey(), "fuzz passphrase", cheap));
  WriteSeed("key_file", "program-key", FormatProgramKeyFile(TestProgramKey()));
  WriteSeed("key_file", "program-key-upper-crlf",
            "0123456789ABCDEF0123456789ABCDEF"
            "0123456789abcdef0123456789abcdef\r\n");
  std::string expensive = *SealKeyFile("k", KeyOf(0x41), "fuzz passphrase", cheap);
  const size_t at = expensive.find("kdf argon2id13 1 8192");
  expensive.replace(at, 21, "kdf argon2id13 64 4294967296");
  WriteSeed("key_file", "key-file-expensive-kdf", expensive);
}

// --- CSV files ---

std::string UpdatesCsv(std::initializer_list<std::string> rows) {
  std::string out =
      "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
      "disabilitas_berat,lansia,evidence_sha256\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}
std::string UpdateRow(std::string_view id, int kpm, std::string_view status = "active",
                      std::string_view members = "1,0,2,1,1,0,0") {
  return fmt::format("{},{},2026-01-10,{},{},", id, Kpm(kpm), status, members);
}
std::string ReceiptsCsv(std::initializer_list<std::string> rows) {
  std::string out = "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}
std::string ReceiptRow(std::string_view id, int kpm, std::string_view amount = "1850000") {
  return fmt::format("{},{},7306,2026-T1,{},paid,2026-03-05,kks", id, Kpm(kpm), amount);
}
constexpr char kIndexCsv[] =
    "component,amount_per_stage,max_members\n"
    "ibu_hamil,750000,2\nanak_usia_dini,750000,2\nsd,225000,4\nsmp,375000,4\n"
    "sma,500000,4\ndisabilitas_berat,600000,4\nlansia,600000,4\n";

void CsvSeeds() {
  // csv_fuzz.cc: the first byte picks the columns (0 updates, 1 receipts, 2
  // berita acara, 3 benefit index; +4 other columns allowed; +8 short lines).
  WriteSeed("csv", "updates", Pick(0) + UpdatesCsv({UpdateRow("upd-TEST-0001", 1)}));
  WriteSeed("csv", "receipts-crlf-bom",
            "\x01\xef\xbb\xbftxn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\r\n" +
                ReceiptRow("txn-TEST-0001", 1) + "\r\n\r\n" + ReceiptRow("txn-TEST-0002", 2) +
                "\r\n");
  WriteSeed("csv", "berita-acara-quoted",
            "\x02lembaga_bayar,amount,id_kpm\n\"BRI\",1850000,\"KPM-TEST-0001\"\n"
            "POS,975000,\"KPM \"\"TEST\"\" 0002\"\n");
  WriteSeed("csv", "benefit-index-other-columns",
            "\x07note,component,amount_per_stage,max_members\nx,sd,225000,4\n");
  WriteSeed("csv", "short-lines", "\x08" + UpdatesCsv({UpdateRow("upd-TEST-0001", 1)}));
  WriteSeed("csv", "unterminated-quote",
            "\x02id_kpm,lembaga_bayar,amount\n\"KPM-TEST-0001,BRI,1\n");
  WriteSeed("csv", "wrong-field-count", "\x02id_kpm,lembaga_bayar,amount\nKPM-TEST-0001,BRI\n");
  WriteSeed("csv", "utf16", std::string("\x02\xff\xfei\0d\0", 7));
}

void ImportSeeds() {
  // import_fuzz.cc: 0 updates, 1 receipts, 2 a berita acara draft, 3 a target
  // list, 4 verifications, 5 complaints, 6 responses; its world holds
  // upd-TEST-0001/0002, txn-TEST-0001, an approval of KPM-TEST-0001 and the
  // complaint ADU-TEST-0001.
  WriteSeed("import", "bnba-new", Pick(3) + "id_kpm,kabupaten\nKPM-TEST-0001,7306\n");
  WriteSeed("import", "bnba-other-kabupaten", Pick(3) + "id_kpm,kabupaten\nKPM-TEST-0002,7307\n");
  WriteSeed("import", "verifications-new",
            Pick(4) +
                "verification_id,id_kpm,month,commitment,result,verified_on,facility_code\n"
                "ver-TEST-0001,KPM-TEST-0001,2026-01,p2k2,not_met,2026-01-30,FKS-1\n");
  WriteSeed("import", "complaints-new",
            Pick(5) +
                "complaint_id,id_kpm,stage,category,channel,received_at,evidence_sha256\n"
                "ADU-TEST-0002,,2026-T1,layanan,web,2026-03-11T14:30:00+08:00,\n");
  WriteSeed("import", "complaints-already-present",
            Pick(5) +
                "complaint_id,id_kpm,stage,category,channel,received_at,evidence_sha256\n"
                "ADU-TEST-0001,KPM-TEST-0001,2026-T1,tidak_menerima,loket,"
                "2026-03-10T09:00:00+07:00,\n");
  WriteSeed("import", "responses-new",
            Pick(6) +
                "response_id,complaint_id,responded_at,action\n"
                "JWB-TEST-0001,ADU-TEST-0001,2026-03-12T10:00:00+08:00,answered\n");
  WriteSeed("import", "responses-unknown-complaint",
            Pick(6) +
                "response_id,complaint_id,responded_at,action\n"
                "JWB-TEST-0002,ADU-TEST-0404,2026-03-12T10:00:00Z,forwarded\n");
  WriteSeed("import", "updates-new",
            Pick(0) + UpdatesCsv(
                          {UpdateRow("upd-TEST-0003", 3), UpdateRow("upd-TEST-0004", 4, "moved")}));
  WriteSeed("import", "updates-already-present",
            Pick(0) + UpdatesCsv({UpdateRow("upd-TEST-0001", 1)}));
  WriteSeed("import", "updates-conflict",
            Pick(0) + UpdatesCsv({UpdateRow("upd-TEST-0001", 1, "graduated")}));
  WriteSeed("import", "updates-bad-date",
            Pick(0) + UpdatesCsv({"upd-TEST-0005,KPM-TEST-0005,2026-02-30,active,1,0,0,0,0,0,0,"}));
  WriteSeed("import", "receipts-new", Pick(1) + ReceiptsCsv({ReceiptRow("txn-TEST-0002", 2)}));
  WriteSeed("import", "receipts-already-present",
            Pick(1) + ReceiptsCsv({ReceiptRow("txn-TEST-0001", 1)}));
  WriteSeed("import", "receipts-amount-grouped",
            Pick(1) + ReceiptsCsv({ReceiptRow("txn-TEST-0003", 3, "1,850,000")}));
  WriteSeed("import", "receipts-txn-is-kpm",
            Pick(1) + ReceiptsCsv({ReceiptRow("KPM-TEST-0004", 4)}));
  WriteSeed(
      "import", "draft-new",
      "\x02id_kpm,lembaga_bayar,amount\nKPM-TEST-0002,BRI,1850000\nKPM-TEST-0009,POS,975000\n");
  WriteSeed("import", "draft-already-approved",
            "\x02id_kpm,lembaga_bayar,amount\nKPM-TEST-0001,BRI,1850000\n");
  WriteSeed("import", "draft-repeated-kpm",
            "\x02id_kpm,lembaga_bayar,amount\nKPM-TEST-0002,BRI,1\nKPM-TEST-0002,POS,2\n");
}

void BenefitIndexSeeds() {
  // benefit_index_fuzz.cc: year (2000 + b % 100), cap (b % 9), seven member
  // counts, then the file.
  const std::string head = std::string("\x1a\x04\x01\x00\x02\x01\x01\x00\x00", 9);
  WriteSeed("benefit_index", "domain-2026", head + kIndexCsv);
  WriteSeed("benefit_index", "repeated-component", head + kIndexCsv + "sd,1,1\n");
  WriteSeed("benefit_index", "cap-0",
            std::string("\x1a\x00", 2) + std::string(7, '\x01') + kIndexCsv);
  WriteSeed("benefit_index", "max-members-0",
            head + "component,amount_per_stage,max_members\nsd,225000,0\n");
}

void PkhValueSeeds() {
  const std::pair<const char*, const char*> values[] = {
      {"date", "2026-03-01"},
      {"date-leap-day", "2028-02-29"},
      {"date-not-a-day", "2026-02-30"},
      {"date-time-offset", "2026-03-05T10:15:30.123+07:00"},
      {"date-time-z", "2026-03-05 10:15Z"},
      {"rupiah", "1850000"},
      {"rupiah-max", "999999999999"},
      {"rupiah-grouped", "1,850,000"},
      {"rupiah-leading-zero", "007"},
      {"member-count", "99"},
      {"sha256", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"},
      {"stage", "2026-T1"},
      {"stage-bad", "2026-T0"},
      {"short-text", "txn-TEST-0001"},
      {"region-kabupaten", "7306"},
      {"region-province", "73"},
      {"kpm", "KPM-TEST-0001"},
      {"kpm-nbsp",
       "KPM-TEST\xc2\xa0"
       "0001"},
      {"status", "active"},
      {"receipt-status", "returned"},
      {"channel", "rekening"},
      {"role", "approver"},
      {"component", "disabilitas_berat"},
  };
  for (const auto& [name, value] : values) WriteSeed("pkh_values", name, value);
}

// The in-memory log of tile_body_fuzz.cc: flags (1 resume, 2 an older
// checkpoint), the shape (statements - 1 in its low bits, 0x80 a raw leaf),
// records per statement, then alterations of 4 bytes.
void TileBodySeeds() {
  WriteSeed("tile_body", "one-statement-3-records", std::string("\x00\x00\x03", 3));
  WriteSeed("tile_body", "two-statements-over-a-tile", std::string("\x00\x01\xff\x10", 4));
  WriteSeed("tile_body", "resume-after-first", std::string("\x01\x01\x20\x20\x01", 5));
  WriteSeed("tile_body", "older-checkpoint", std::string("\x02\x02\x05\x05\x05\x06", 6));
  WriteSeed("tile_body", "flip-a-tile-byte", std::string("\x00\x01\xff\x10\x00\x01\x07\x09", 8));
  WriteSeed("tile_body", "cut-a-tile", std::string("\x00\x00\x10\x01\x00\x05\x00", 7));
  WriteSeed("tile_body", "flip-a-bundle-byte", std::string("\x00\x00\x10\x04\x00\x03\x11", 7));
  WriteSeed("tile_body", "raw-leaf",
            std::string("\x00\x80\x08", 3) + std::string(8, '\0') + std::string("\x00\x02", 2));
  // A raw leaf that is a statement of another log, first in the log.
  Statement other = SignedStatement("example.test/other-log", "note", {});
  other.signatures.clear();
  const Bytes foreign = *EncodeStatementEntry(other);
  WriteSeed("tile_body", "raw-leaf-statement-of-another-log",
            std::string("\x00\x80", 2) + static_cast<char>(foreign.size()) + Chars(foreign) +
                std::string("\x00\x02", 2));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_writer OUT\n");
    return 2;
  }
  g_out = argv[1];
  EntrySeeds();
  BundleSeeds();
  NoteSeeds();
  TlogProofSeeds();
  TrailJsonSeeds();
  WitnessRequestSeeds();
  TilePathSeeds();
  HttpTargetSeeds();
  RequestAuthSeeds();
  EvidenceSeeds();
  BeritaAcaraSeeds();
  LogListSeeds();
  NodeConfigSeeds();
  KeyFileSeeds();
  CsvSeeds();
  ImportSeeds();
  BenefitIndexSeeds();
  PkhValueSeeds();
  TileBodySeeds();
  return 0;
}
