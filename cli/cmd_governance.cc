// Governance statements on the kemensos node (GOVDIR):
//   jejak registry add-node GOVDIR --name N --kind K --region R --key VERIFIERKEY [--url URL]
//   jejak registry grant GOVDIR --key PUBKEY_OR_KEYFILE --role ROLE --scope R1[,R2...]
//   jejak registry revoke GOVDIR --key PUBKEY_OR_KEYFILE
//   jejak stage open GOVDIR --stage 2026-T1 --from 2026-03-01 --to 2026-03-14
//   jejak index set GOVDIR --year 2026 --max-components 4 INDEX.csv
//   jejak policy set GOVDIR [--approval-threshold N] [--require-bnba on|off]
//                    [--suspend-after-months N] [--complaint-response-hours H] [--scope R]
// Signed by the node key (the root registrar), or --signer FILE (a registrar).
#include <optional>

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "cli/common.h"
#include "ledger/pkh/governance_statements.h"

namespace jejak::cli {
namespace {

struct GovOptions {
  std::string dir, passphrase_file, signer, signer_passphrase_file;
  // registry
  std::string name, kind, region, key, url, role, scope = "*", institution, witness_key;
  // stage
  std::string stage, from, to;
  // index
  uint64_t year = 0, max_components = 0;
  std::string csv;
  // policy
  std::optional<uint64_t> threshold, suspend_after_months, complaint_response_hours;
  std::string require_bnba;
};

// Opens GOVDIR, builds the records, signs and appends; prints the outcome.
int Run(const GovOptions& o, std::string_view type,
        const std::function<Result<std::vector<PkhRecord>>()>& records) {
  auto recs = records();
  if (!recs.ok()) return ReportError(recs.status());
  auto node = OpenPkhNode(o.dir, o.passphrase_file);
  if (!node.ok()) return ReportError(node.status());
  const SigningKey* signer = node->node_key.get();
  std::unique_ptr<SigningKey> registrar;
  if (!o.signer.empty()) {
    auto k = UnlockRoleKey(o.signer, o.signer_passphrase_file, o.passphrase_file);
    if (!k.ok()) return ReportError(k.status());
    registrar = std::make_unique<SigningKey>(std::move(k).value());
    signer = registrar.get();
  }
  auto appended = AppendGovernanceStatement(*node->pkh, type, std::move(recs).value(), *signer);
  if (!appended.ok()) return ReportError(appended.status());
  fmt::print("{} statement at leaf {}; governance log size {}\n", type, appended->index,
             appended->size);
  return kExitOk;
}

CLI::App* Command(CLI::App* parent, const std::string& name, const std::string& help,
                  GovOptions& o) {
  auto* cmd = parent->add_subcommand(name, help);
  cmd->add_option("GOVDIR", o.dir, "The kemensos node folder (its log is the governance log)")
      ->required();
  cmd->add_option("--signer", o.signer,
                  "Registrar key file that signs (default: the node key, the root registrar)");
  cmd->add_option("--signer-passphrase-file", o.signer_passphrase_file,
                  "Passphrase file of --signer");
  AddPassphraseOption(cmd, &o.passphrase_file);
  return cmd;
}

}  // namespace

void AddGovernanceCommands(CLI::App& app, int* exit_code) {
  auto* registry = app.add_subcommand("registry", "Register nodes and grant or revoke role keys");
  registry->require_subcommand(1);

  auto add = std::make_shared<GovOptions>();
  auto* c_add =
      Command(registry, "add-node", "Register a node: its name, kind, region and key", *add);
  c_add->add_option("--name", add->name, "Institution name")->required();
  c_add->add_option("--kind", add->kind, "kemensos, provinsi, kabupaten, lembaga-bayar or auditor")
      ->required();
  c_add->add_option("--region", add->region, "Region code")->required();
  c_add->add_option("--key", add->key, "The node's verifier key (jejak key show NODEDIR)")
      ->required();
  c_add->add_option("--url", add->url, "Where the node serves its logs (https://...)");
  c_add->add_option("--witness-key", add->witness_key,
                    "The key the node cosigns with (jejak key show NODEDIR --witness)");
  c_add->callback([add, exit_code] {
    *exit_code = Run(*add, kTypeGovNode, [&]() -> Result<std::vector<PkhRecord>> {
      NodeRegistration n;
      ASSIGN_OR_RETURN(n, MakeNodeRegistration(add->name, add->kind, add->region, add->key,
                                               add->url, add->witness_key));
      return std::vector<PkhRecord>{n};
    });
  });

  auto grant = std::make_shared<GovOptions>();
  auto* c_grant = Command(registry, "grant", "Grant a role to a key for regions", *grant);
  c_grant->add_option("--key", grant->key, "Verifier key, base64 public key, or key file")
      ->required();
  c_grant
      ->add_option("--role", grant->role,
                   "registrar, operator, approver, payer, auditor or targeting")
      ->required();
  c_grant
      ->add_option("--scope", grant->scope,
                   "Region codes, comma separated (a code covers the "
                   "regions it prefixes; * covers all)")
      ->required();
  c_grant->add_option("--institution", grant->institution,
                      "Payer role: origin of the lembaga bayar node whose log the key writes");
  c_grant->callback([grant, exit_code] {
    *exit_code = Run(*grant, kTypeGovGrant, [&]() -> Result<std::vector<PkhRecord>> {
      KeyGrant g;
      ASSIGN_OR_RETURN(g, MakeKeyGrant(grant->key, grant->role, grant->scope, grant->institution));
      return std::vector<PkhRecord>{g};
    });
  });

  auto revoke = std::make_shared<GovOptions>();
  auto* c_revoke = Command(registry, "revoke", "Revoke every grant of a key", *revoke);
  c_revoke->add_option("--key", revoke->key, "Verifier key, base64 public key, or key file")
      ->required();
  c_revoke->callback([revoke, exit_code] {
    *exit_code = Run(*revoke, kTypeGovRevoke, [&]() -> Result<std::vector<PkhRecord>> {
      KeyRevocation r;
      ASSIGN_OR_RETURN(r, MakeKeyRevocation(revoke->key));
      return std::vector<PkhRecord>{r};
    });
  });

  auto* stage = app.add_subcommand("stage", "Open a disbursement stage");
  stage->require_subcommand(1);
  auto st = std::make_shared<GovOptions>();
  auto* c_stage = Command(stage, "open", "Open a stage and its disbursement window", *st);
  c_stage->add_option("--stage", st->stage, "Stage id, e.g. 2026-T1")->required();
  c_stage->add_option("--from", st->from, "First day of the window (YYYY-MM-DD)")->required();
  c_stage->add_option("--to", st->to, "Last day of the window, inclusive (YYYY-MM-DD)")->required();
  c_stage->callback([st, exit_code] {
    *exit_code = Run(*st, kTypeGovStage, [&]() -> Result<std::vector<PkhRecord>> {
      StageWindow w;
      ASSIGN_OR_RETURN(w, MakeStageWindow(st->stage, st->from, st->to));
      return std::vector<PkhRecord>{w};
    });
  });

  auto* index = app.add_subcommand("index", "Set the benefit index of a year");
  index->require_subcommand(1);
  auto ix = std::make_shared<GovOptions>();
  auto* c_index = Command(index, "set", "Set the per-stage benefit index from a CSV file", *ix);
  c_index->add_option("--year", ix->year, "Year the index applies to")->required();
  c_index
      ->add_option("--max-components", ix->max_components,
                   "Member amounts counted per family at most")
      ->required();
  c_index->add_option("INDEX", ix->csv, "CSV: component,amount_per_stage,max_members")->required();
  c_index->callback([ix, exit_code] {
    *exit_code = Run(*ix, kTypeGovIndex, [&]() -> Result<std::vector<PkhRecord>> {
      BenefitIndex b;
      ASSIGN_OR_RETURN(b, MakeBenefitIndex(ix->year, ix->max_components, ix->csv));
      return std::vector<PkhRecord>{b};
    });
  });

  auto* policy = app.add_subcommand("policy", "Set approval policy");
  policy->require_subcommand(1);
  auto po = std::make_shared<GovOptions>();
  auto* c_policy = Command(policy, "set",
                           "Set the policy for a scope: only the settings named; the most "
                           "specific scope that sets a setting applies",
                           *po);
  c_policy->add_option("--approval-threshold", po->threshold,
                       "Distinct approvers a berita acara needs (1-20; default 2)");
  c_policy
      ->add_option("--require-bnba", po->require_bnba,
                   "on: approve only families on a target list (default off)")
      ->check(CLI::IsMember({"on", "off"}));
  c_policy->add_option("--suspend-after-months", po->suspend_after_months,
                       "Months of failed commitments that suspend a family (0-24; 0 = off)");
  c_policy->add_option("--complaint-response-hours", po->complaint_response_hours,
                       "Hours within which a complaint must be answered (1-8760; default 48)");
  c_policy->add_option("--scope", po->scope, "Region code it applies to (default * : everywhere)");
  c_policy->callback([po, exit_code] {
    *exit_code = Run(*po, kTypeGovPolicy, [&]() -> Result<std::vector<PkhRecord>> {
      PolicyOptions options;
      options.approval_threshold = po->threshold;
      if (!po->require_bnba.empty()) options.require_bnba = po->require_bnba == "on";
      options.suspend_after_months = po->suspend_after_months;
      options.complaint_response_hours = po->complaint_response_hours;
      ApprovalPolicy p;
      ASSIGN_OR_RETURN(p, MakeApprovalPolicy(options, po->scope));
      return std::vector<PkhRecord>{p};
    });
  });
}

}  // namespace jejak::cli
