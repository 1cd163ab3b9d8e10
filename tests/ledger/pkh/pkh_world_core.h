// A small PKH world, built in a fresh temporary folder, without GoogleTest
// (the fuzz targets build it too; tests use it through PkhFixture,
// tests/ledger/pkh/pkh_fixture.h):
//
//   kemensos_  the Kemensos node; its own log is the governance log
//   kab_       the kabupaten node of region 7306 (Dinsos Kabupaten Gowa)
//   bank_      the lembaga bayar node of BRI (region 00)
//
// The governance log registers kab_ and bank_, grants the role keys
// (operator_ for 7306, approver_a_ and approver_b_ for 7306, payer_ for
// 7306), opens stage 2026-T1 (2026-03-01..2026-03-14) and sets the DOMAIN.md
// benefit index of 2026 (max components 4). It is then delivered to kab_ and
// bank_ the way nodes get it in production: ExportTiles of the kemensos log
// and PullLog from that tiles folder. kab_ and bank_ hold the program key.
//
// Every node is left open read-write with its PKH context (PkhTestNode::pkh).
// A node folder is a RocksDB store that one process opens at a time: Close()
// a node before the jejak binary, a child process or a second Open uses it.
//
// Everything in this header is inline: several test files include it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "crypto/pseudonym.h"
#include "crypto/sha256.h"
#include "ledger/log/log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/pkh/governance_statements.h"
#include "ledger/pkh/node.h"
#include "ledger/pkh/node_folder.h"
#include "ledger/pkh/pull.h"
#include "tests/test_support.h"

namespace jejak::testing {

inline constexpr char kPkhPassphrase[] = "pkh fixture passphrase";
inline constexpr char kKabRegion[] = "7306";
inline constexpr char kStage[] = "2026-T1";
inline constexpr char kStageFrom[] = "2026-03-01";
inline constexpr char kStageTo[] = "2026-03-14";

// Seeds of the deterministic role keys (KeyFromByte) and of the program key,
// for code that must rebuild them outside the fixture (a child process).
inline constexpr uint8_t kOperatorKeyByte = 0x41;
inline constexpr uint8_t kApproverAKeyByte = 0x42;
inline constexpr uint8_t kApproverBKeyByte = 0x43;
inline constexpr uint8_t kPayerKeyByte = 0x44;
inline constexpr uint8_t kStrangerKeyByte = 0x45;
inline constexpr uint8_t kProgramKeyByte = 0x46;

// Argon2id at its cheapest: key files are opened many times in tests.
inline KdfParams FastKdf() { return KdfParams{1, 8192}; }

// The benefit index of DOMAIN.md (per quarterly stage), max 4 components.
inline BenefitIndex DomainBenefitIndex(uint16_t year) {
  BenefitIndex index;
  index.year = year;
  index.max_components = 4;
  auto set = [&](Component c, uint64_t amount, uint16_t max_members) {
    index.rates[static_cast<size_t>(c)] = {true, amount, max_members};
  };
  set(Component::kIbuHamil, 750'000, 2);
  set(Component::kAnakUsiaDini, 750'000, 2);
  set(Component::kSd, 225'000, 4);
  set(Component::kSmp, 375'000, 4);
  set(Component::kSma, 500'000, 4);
  set(Component::kDisabilitasBerat, 600'000, 4);
  set(Component::kLansia, 600'000, 4);
  return index;
}

// One node of the world. Open() opens the folder read-write, unlocks the node
// key and (for nodes with a trust anchor) the PKH context; Close() releases
// all of it, and with it the RocksDB lock.
struct PkhTestNode {
  std::string dir;
  std::unique_ptr<NodeFolder> folder;
  std::unique_ptr<SigningKey> key;
  std::unique_ptr<PkhNode> pkh;

  Status Open(bool with_pkh = true) {
    Close();
    ASSIGN_OR_RETURN(folder, NodeFolder::Open(dir, StoreMode::kReadWrite));
    SigningKey k = SigningKey::FromSeed(Seed{});
    ASSIGN_OR_RETURN(k, folder->UnlockKey(kPkhPassphrase));
    key = std::make_unique<SigningKey>(std::move(k));
    if (with_pkh && folder->config().governance) {
      ASSIGN_OR_RETURN(pkh, PkhNode::Open(*folder, *key));
    }
    return Status::Ok();
  }
  void Close() {
    pkh.reset();
    key.reset();
    folder.reset();
  }
  Store& store() { return folder->store(); }
  const std::string& origin() const { return folder->config().origin; }
  // The node's own log as it stands: (size, root). A store that cannot say
  // is broken beyond what a test can go on from: the process stops.
  std::pair<uint64_t, Hash> OwnLogState() {
    LogReader r(store(), folder->own_log());
    auto size = r.Size();
    auto root = size.ok() ? r.Root(*size) : Result<Hash>(size.status());
    if (!root.ok()) {
      std::fprintf(stderr, "%s: %s\n", dir.c_str(), root.status().ToString().c_str());
      std::abort();
    }
    return {*size, *root};
  }
};

class PkhWorld {
 public:
  PkhWorld()
      : operator_(KeyFromByte(kOperatorKeyByte)),
        approver_a_(KeyFromByte(kApproverAKeyByte)),
        approver_b_(KeyFromByte(kApproverBKeyByte)),
        payer_(KeyFromByte(kPayerKeyByte)),
        stranger_(KeyFromByte(kStrangerKeyByte)),
        program_key_(KeyFromByte(kProgramKeyByte).seed()) {}
  PkhWorld(const PkhWorld&) = delete;
  PkhWorld& operator=(const PkhWorld&) = delete;
  ~PkhWorld() { Destroy(); }

  // Builds the world described above in a new temporary folder.
  Status BuildWorld() {
    tmp_ = MakeTempFolder("pkh");
    RETURN_IF_ERROR(
        NodeFolder::Create(path("kemensos"), Init(NodeKind::kKemensos, "Kemensos", "00")));
    kemensos_.dir = path("kemensos");
    RETURN_IF_ERROR(kemensos_.Open());

    RETURN_IF_ERROR(
        CreateNode(kab_, "kab", Init(NodeKind::kKabupaten, "Dinsos Kabupaten Gowa", kKabRegion)));
    RETURN_IF_ERROR(CreateNode(bank_, "bank", Init(NodeKind::kLembagaBayar, "BRI", "00")));

    RETURN_IF_ERROR(Gov(kTypeGovNode, {Registration(kab_, "kabupaten", kKabRegion),
                                       Registration(bank_, "lembaga-bayar", "00")})
                        .status());
    RETURN_IF_ERROR(
        Gov(kTypeGovGrant,
            {KeyGrant{operator_.public_key(), "kab-7306/operator", Role::kOperator, {kKabRegion}},
             KeyGrant{
                 approver_a_.public_key(), "kab-7306/approver-a", Role::kApprover, {kKabRegion}},
             KeyGrant{
                 approver_b_.public_key(), "kab-7306/approver-b", Role::kApprover, {kKabRegion}},
             KeyGrant{payer_.public_key(),
                      "bri/payer-7306",
                      Role::kPayer,
                      {kKabRegion},
                      bank_.origin()}})
            .status());
    RETURN_IF_ERROR(Gov(kTypeGovStage, {StageWindow{kStage, kStageFrom, kStageTo}}).status());
    RETURN_IF_ERROR(Gov(kTypeGovIndex, {DomainBenefitIndex(2026)}).status());
    RETURN_IF_ERROR(DeliverGovernance(kab_).status());
    RETURN_IF_ERROR(DeliverGovernance(bank_).status());
    return Status::Ok();
  }

  // Closes every node and removes the folder. Idempotent.
  void Destroy() {
    kab_.Close();
    bank_.Close();
    kemensos_.Close();
    for (auto& n : extra_nodes_) n->Close();
    extra_nodes_.clear();
    if (!tmp_.empty()) RemoveFolder(tmp_);
    tmp_.clear();
  }

  // --- Building blocks, for tests that need more nodes or statements ---

  std::string path(std::string_view name) const { return tmp_ + "/" + std::string(name); }

  // Options for a node of the world: fast KDF, the fixture passphrase, the
  // kemensos node as trust anchor (ignored for kemensos) and the program key.
  NodeInitOptions Init(NodeKind kind, std::string name, std::string region,
                       std::string origin = "") const {
    NodeInitOptions o;
    o.kind = kind;
    o.name = std::move(name);
    o.region = std::move(region);
    o.origin = std::move(origin);
    o.passphrase = kPkhPassphrase;
    o.kdf = FastKdf();
    if (kemensos_.folder) o.governance = kemensos_.folder->config().key;
    o.program_key = program_key_;
    return o;
  }

  // Creates `node` in tmp_/name with `options` and opens it.
  Status CreateNode(PkhTestNode& node, std::string_view name, const NodeInitOptions& options) {
    node.dir = path(name);
    RETURN_IF_ERROR(NodeFolder::Create(node.dir, options));
    return node.Open();
  }

  // Creates and opens one more node in tmp_/name. The fixture owns it and
  // closes it at TearDown.
  Result<PkhTestNode*> AddNode(std::string_view name, const NodeInitOptions& options) {
    extra_nodes_.push_back(std::make_unique<PkhTestNode>());
    RETURN_IF_ERROR(CreateNode(*extra_nodes_.back(), name, options));
    return extra_nodes_.back().get();
  }

  // A gov.node record for `node` (its own origin and key).
  static NodeRegistration Registration(PkhTestNode& node, std::string kind, std::string region) {
    const NodeConfig& c = node.folder->config();
    return NodeRegistration{c.origin,          c.name,           *ParseNodeKind(kind),
                            std::move(region), c.key.ToString(), ""};
  }

  // Appends a governance statement on the kemensos node, signed by `signer`
  // (default: the kemensos node key, the root registrar).
  Result<AppendedStatement> Gov(std::string_view type, std::vector<PkhRecord> records,
                                const SigningKey* signer = nullptr) {
    return AppendGovernanceStatement(*kemensos_.pkh, type, std::move(records),
                                     signer != nullptr ? *signer : *kemensos_.key);
  }

  // `jejak export`: writes `from`'s own log into the tiles folder `out`.
  static Result<ExportReport> Export(PkhTestNode& from, const std::string& out) {
    LogReader reader(from.store(), from.folder->own_log());
    return ExportTiles(reader, out);
  }

  // `jejak pull`: pulls the log in tiles folder `tiles` into `to`, then
  // reloads `to`'s governance state (a pull may have brought new rules).
  static Result<PullReport> Pull(PkhTestNode& to, const std::string& tiles,
                                 const PullOptions& options = {}) {
    TileFolderSource source(tiles);
    auto report = PullLog(*to.folder, source, options);
    if (report.ok() && to.pkh) RETURN_IF_ERROR(to.pkh->ReloadGovernance());
    return report;
  }

  // Exports the governance log as it stands to tmp_/gov-tiles and pulls it
  // into `to`.
  Result<PullReport> DeliverGovernance(PkhTestNode& to) {
    RETURN_IF_ERROR(Export(kemensos_, path("gov-tiles")).status());
    return Pull(to, path("gov-tiles"));
  }

  Pseudonym Kpm(std::string_view id) const { return KpmPseudonym(program_key_, id); }

  // --- CSV files of specs/csv-formats.md ---

  static std::string UpdatesHeader() {
    return "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
           "disabilitas_berat,lansia,evidence_sha256\n";
  }
  static std::string ReceiptsHeader() {
    return "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel\n";
  }
  // One row, without its line end. `members` lists the seven counts in the
  // column order ibu_hamil..lansia.
  static std::string UpdateRow(std::string_view update_id, std::string_view id_kpm,
                               std::string_view date = "2026-01-10",
                               std::string_view status = "active",
                               std::string_view members = "1,0,2,1,1,0,0",
                               std::string_view evidence = "") {
    return fmt::format("{},{},{},{},{},{}", update_id, id_kpm, date, status, members, evidence);
  }
  static std::string ReceiptRow(std::string_view txn_ref, std::string_view id_kpm,
                                std::string_view amount = "1850000",
                                std::string_view kabupaten = kKabRegion,
                                std::string_view stage = kStage, std::string_view status = "paid",
                                std::string_view paid_at = "2026-03-05",
                                std::string_view channel = "kks") {
    return fmt::format("{},{},{},{},{},{},{},{}", txn_ref, id_kpm, kabupaten, stage, amount, status,
                       paid_at, channel);
  }
  static std::string Lines(std::string header, std::initializer_list<std::string> rows) {
    for (const auto& r : rows) header += r + "\n";
    return header;
  }
  static std::string UpdatesCsv(std::initializer_list<std::string> rows) {
    return Lines(UpdatesHeader(), rows);
  }
  static std::string ReceiptsCsv(std::initializer_list<std::string> rows) {
    return Lines(ReceiptsHeader(), rows);
  }

  std::string tmp_;
  PkhTestNode kemensos_, kab_, bank_;
  // Role keys (deterministic), granted by BuildWorld; stranger_ holds nothing.
  SigningKey operator_, approver_a_, approver_b_, payer_, stranger_;
  ProgramKey program_key_;

 private:
  std::vector<std::unique_ptr<PkhTestNode>> extra_nodes_;
};

}  // namespace jejak::testing
