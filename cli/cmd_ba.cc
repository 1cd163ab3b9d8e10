// jejak ba draft KABDIR --stage S --date D --number N FILE.csv --out BA.json
// jejak ba sign BA.json --key APPROVER.key
// jejak ba show BA.json [--node KABDIR]
// jejak ba submit KABDIR BA.json
// jejak ba print ... (cmd_ba_print.cc)
// (draft and submit also take --node URL --node-key KEY in place of KABDIR;
// through a node a draft stays pending there: jejak ba sign --node URL
// --draft ID --key APPROVER.key, jejak ba submit --node URL --draft ID --key K)
#include <CLI/CLI.hpp>
#include <memory>

#include <fmt/format.h>

#include "cli/common.h"
#include "crypto/encoding.h"
#include "crypto/key_file.h"
#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/values.h"
#include "node/remote.h"

namespace jejak::cli {
namespace {

// Warnings printed in full before the rest are only counted.
constexpr size_t kMaxShownWarnings = 20;

struct DraftOptions {
  std::string dir, stage, date, number, csv, out, passphrase_file;
  std::string node, node_key, key, key_passphrase_file;
};

// A draft made through a node is also kept there, pending (its id).
struct MadeDraft {
  BeritaAcaraDraft draft;
  std::string pending_id;
};

// Drafts through a running node, which pseudonymizes the file for a request
// signed by `--key` (an operator or approver of the kabupaten).
Result<MadeDraft> DraftOnNode(const DraftOptions& o) {
  if (o.key.empty()) {
    return InvalidArgument("--node needs --key: an operator or approver key of the kabupaten");
  }
  auto key = UnlockRoleKey(o.key, o.key_passphrase_file, o.passphrase_file);
  if (!key.ok()) return key.status();
  std::string csv;
  ASSIGN_OR_RETURN(csv, ReadInputFile(o.csv, kMaxUploadBytes));
  std::unique_ptr<HttpClient> client;
  ASSIGN_OR_RETURN(client, ConnectToNode(o.node, o.node_key, kUploadTimeout));
  RemoteDraft remote;
  ASSIGN_OR_RETURN(remote, DraftThroughNode(*client, csv, o.csv == "-" ? "standard input" : o.csv,
                                            o.stage, o.date, o.number, *key));
  MadeDraft made;
  // The node's file is read as any file would be: a draft that does not
  // decode, or whose rows do not match its root, is refused here.
  ASSIGN_OR_RETURN(made.draft.ba, DecodeBeritaAcara(remote.berita_acara, o.node + " (its draft)"));
  for (auto& w : remote.warnings) made.draft.warnings.push_back({0, std::move(w)});
  made.pending_id = remote.draft_id;
  return made;
}

Result<MadeDraft> Draft(const DraftOptions& o) {
  if (!o.node.empty()) return DraftOnNode(o);
  OpenedPkhNode node;
  ASSIGN_OR_RETURN(node, OpenPkhNode(o.dir, o.passphrase_file));
  ProgramKey program_key;
  ASSIGN_OR_RETURN(program_key, UnlockProgramKey(*node.folder, o.passphrase_file));
  MadeDraft made;
  ASSIGN_OR_RETURN(made.draft,
                   DraftBeritaAcara(*node.pkh, o.csv, o.stage, o.date, o.number, program_key));
  return made;
}

int RunDraft(DraftOptions o) {
  // With --node the one positional argument is FILE.
  if (!o.node.empty() && o.csv.empty()) std::swap(o.dir, o.csv);
  if (o.csv.empty()) return ReportError(InvalidArgument("FILE is required"));
  if (o.dir.empty() == o.node.empty()) {
    return ReportError(InvalidArgument("give either a kabupaten node folder or --node URL"));
  }
  auto made = Draft(o);
  if (!made.ok()) return ReportError(made.status().WithContext("no berita acara was written"));
  const BeritaAcaraDraft* draft = &made->draft;
  if (Status s = WriteBeritaAcara(o.out, draft->ba, /*no_clobber=*/true); !s.ok()) {
    return ReportError(s.code() == StatusCode::kAlreadyExists
                           ? AlreadyExists(fmt::format(
                                 "{} exists (it may hold signatures): choose another --out", o.out))
                           : s);
  }
  const BeritaAcara& ba = draft->ba;
  fmt::print("berita acara {} for {}: {}, total {}, records root {}\n", ba.number, ba.stage,
             Count(ba.rows.size(), "row"), FormatRupiah(ba.total_amount),
             Base64Encode(ba.records_root));
  fmt::print("wrote {}; each approver signs it with: jejak ba sign {} --key APPROVER.key\n", o.out,
             o.out);
  if (!made->pending_id.empty()) {
    fmt::print(
        "pending on the node as draft {}: approvers sign it in the web console or with jejak ba "
        "sign --node {} --draft {} --key APPROVER.key\n",
        made->pending_id, o.node, made->pending_id);
  }
  const auto& warnings = draft->warnings;
  for (size_t i = 0; i < warnings.size() && i < kMaxShownWarnings; ++i) {
    fmt::print(stderr, "warning: {}\n", warnings[i].ToString());
  }
  if (warnings.size() > kMaxShownWarnings) {
    fmt::print(stderr, "warning: and {} more ({} in all)\n", warnings.size() - kMaxShownWarnings,
               Count(warnings.size(), "warning"));
  }
  return kExitOk;
}

struct SignOptions {
  std::string file, key, key_passphrase_file, node, node_key, draft;
};

// Signs a draft pending on a node: reads it (a request signed by the
// approver's key), checks it as any file, signs its header here and sends the
// signature alone.
int SignPendingDraft(const SignOptions& o) {
  auto info = ReadKeyFileInfo(o.key);
  if (!info.ok()) return ReportError(info.status());
  auto key = UnlockRoleKey(o.key, o.key_passphrase_file, "");
  if (!key.ok()) return ReportError(key.status());
  auto client = ConnectToNode(o.node, o.node_key);
  if (!client.ok()) return ReportError(client.status());
  auto text = ReadDraftThroughNode(**client, o.draft, *key);
  if (!text.ok()) return ReportError(text.status().WithContext("draft " + o.draft));
  auto ba = DecodeBeritaAcara(*text, o.node + " (draft " + o.draft + ")");
  if (!ba.ok()) return ReportError(ba.status());
  BeritaAcara signed_copy = *ba;
  if (Status s = SignBeritaAcara(signed_copy, *key, info->name); !s.ok()) return ReportError(s);
  const BeritaAcaraSignature& mine = signed_copy.signatures.back();
  auto standing = SignDraftThroughNode(**client, o.draft, mine.public_key, mine.signature);
  if (!standing.ok()) return ReportError(standing.status().WithContext("draft " + o.draft));
  fmt::print("signed draft {} (berita acara {}, {}, total {}) as {}; {} of {} approvers{}\n",
             o.draft, ba->number, Count(ba->rows.size(), "row"), FormatRupiah(ba->total_amount),
             info->name, standing->approvers, standing->threshold,
             standing->approvers >= standing->threshold ? ": an operator may submit it" : "");
  return kExitOk;
}

int RunSign(const SignOptions& o) {
  if (!o.draft.empty() || !o.node.empty()) {
    if (o.draft.empty() || o.node.empty() || !o.file.empty()) {
      return ReportError(
          InvalidArgument("give either FILE, or --node URL with --draft ID (a pending draft)"));
    }
    return SignPendingDraft(o);
  }
  if (o.file.empty())
    return ReportError(InvalidArgument("FILE (or --node with --draft) is required"));
  auto ba = ReadBeritaAcara(o.file);
  if (!ba.ok()) return ReportError(ba.status());
  auto info = ReadKeyFileInfo(o.key);
  if (!info.ok()) return ReportError(info.status());
  auto key = UnlockRoleKey(o.key, o.key_passphrase_file, "");
  if (!key.ok()) return ReportError(key.status());
  if (Status s = SignBeritaAcara(*ba, *key, info->name); !s.ok()) return ReportError(s);
  if (Status s = WriteBeritaAcara(o.file, *ba); !s.ok()) return ReportError(s);
  fmt::print("signed berita acara {} as {} ({}); {} now\n", ba->number, info->name,
             Base64Encode(key->public_key()), Count(ba->signatures.size(), "signature"));
  return kExitOk;
}

struct ShowOptions {
  std::string file, node;
};

int RunShow(const ShowOptions& o) {
  auto ba = ReadBeritaAcara(o.file);
  if (!ba.ok()) return ReportError(ba.status());
  if (o.node.empty()) {
    fmt::print("{}", ShowBeritaAcara(*ba));
    return kExitOk;
  }
  auto folder = NodeFolder::Open(o.node, StoreMode::kReadOnly);
  if (!folder.ok()) return ReportError(folder.status());
  auto gov = LoadNodeGovernance(**folder);
  if (!gov.ok()) return ReportError(gov.status());
  fmt::print("{}", ShowBeritaAcara(*ba, &*gov));
  return kExitOk;
}

struct SubmitOptions {
  std::string dir, file, passphrase_file, node, node_key, key, key_passphrase_file, draft;
  bool json = false;
};

Result<AppendedStatement> Submit(const SubmitOptions& o, const BeritaAcara& ba) {
  if (!o.node.empty()) {
    std::unique_ptr<HttpClient> client;
    ASSIGN_OR_RETURN(client, ConnectToNode(o.node, o.node_key, kUploadTimeout));
    std::optional<SigningKey> key;
    if (!o.key.empty()) {
      auto unlocked = UnlockRoleKey(o.key, o.key_passphrase_file, o.passphrase_file);
      if (!unlocked.ok()) return unlocked.status();
      key.emplace(std::move(*unlocked));
    }
    auto submitted = SubmitBaThroughNode(*client, EncodeBeritaAcara(ba), key ? &*key : nullptr);
    if (!submitted.ok()) {
      // Refused: nothing appended. Sent without an answer: the node may have.
      return submitted.status().code() == StatusCode::kUnavailable
                 ? submitted.status().WithContext(
                       "the node may have appended the berita acara: `jejak status --node ...` "
                       "shows its log")
                 : submitted.status().WithContext("the berita acara was not appended");
    }
    const Submitted& sent = *submitted;
    WarnIfAny(sent.warning);
    AppendedStatement a;
    a.index = sent.index;
    a.size = sent.size;
    return a;
  }
  OpenedPkhNode node;
  ASSIGN_OR_RETURN(node, OpenPkhNode(o.dir, o.passphrase_file));
  const uint64_t before = node.pkh->writer().size();
  auto appended = SubmitBeritaAcara(*node.pkh, ba);
  if (!appended.ok()) {
    return AppendOutcome(appended.status(), before, node.pkh->writer().size(),
                         "the berita acara was not appended");
  }
  return appended;
}

int SubmitPendingDraft(const SubmitOptions& o) {
  if (o.key.empty()) {
    return ReportError(InvalidArgument("--draft needs --key: an operator or approver key"));
  }
  auto key = UnlockRoleKey(o.key, o.key_passphrase_file, o.passphrase_file);
  if (!key.ok()) return ReportError(key.status());
  auto client = ConnectToNode(o.node, o.node_key, kUploadTimeout);
  if (!client.ok()) return ReportError(client.status());
  auto sent = SubmitDraftThroughNode(**client, o.draft, *key);
  if (!sent.ok()) {
    return ReportError(sent.status().code() == StatusCode::kUnavailable
                           ? sent.status().WithContext(
                                 "the node may have appended the draft: `jejak status --node ...` "
                                 "shows its log")
                           : sent.status().WithContext("draft " + o.draft + " was not appended"));
  }
  WarnIfAny(sent->warning);
  if (o.json) {
    fmt::print("{{\"index\":{},\"records\":{},\"size\":{}}}\n", sent->index, sent->records,
               sent->size);
  } else {
    fmt::print("appended draft {} at leaf {} with {}; checkpoint size {}\n", o.draft, sent->index,
               Count(sent->records, "approval"), sent->size);
  }
  return kExitOk;
}

int RunSubmit(SubmitOptions o) {
  if (!o.draft.empty()) {
    if (o.node.empty() || !o.file.empty() || !o.dir.empty()) {
      return ReportError(InvalidArgument("--draft ID goes with --node URL and no FILE"));
    }
    return SubmitPendingDraft(o);
  }
  // With --node the one positional argument is FILE.
  if (!o.node.empty() && o.file.empty()) std::swap(o.dir, o.file);
  if (o.file.empty()) return ReportError(InvalidArgument("FILE is required"));
  if (o.dir.empty() == o.node.empty()) {
    return ReportError(InvalidArgument("give either a kabupaten node folder or --node URL"));
  }
  auto ba = ReadBeritaAcara(o.file);
  if (!ba.ok()) return ReportError(ba.status());
  auto appended = Submit(o, *ba);
  if (!appended.ok()) return ReportError(appended.status());
  if (o.json) {
    fmt::print("{{\"index\":{},\"records\":{},\"size\":{}}}\n", appended->index, ba->rows.size(),
               appended->size);
  } else {
    fmt::print("appended berita acara {} at leaf {} with {}; checkpoint size {}\n", ba->number,
               appended->index, Count(ba->rows.size(), "approval"), appended->size);
  }
  return kExitOk;
}

}  // namespace

void AddBaCommand(CLI::App& app, int* exit_code) {
  auto* ba = app.add_subcommand("ba", "Draft, sign, show and submit a berita acara (data bayar)");
  ba->require_subcommand(1);

  auto d = std::make_shared<DraftOptions>();
  auto* draft = ba->add_subcommand(
      "draft", "Draft an unsigned berita acara from a CSV file (id_kpm,lembaga_bayar,amount)");
  draft->add_option("KABDIR", d->dir, "Kabupaten node folder");
  AddNodeOptions(draft, &d->node, &d->node_key);
  draft->add_option("FILE", d->csv, "CSV file (UTF-8, header row), or - for standard input");
  draft->add_option("--key", d->key,
                    "With --node: the operator or approver key that signs the request");
  draft->add_option("--key-passphrase-file", d->key_passphrase_file,
                    "Passphrase file of --key (else $JEJAK_KEY_PASSPHRASE, else the node's)");
  draft->add_option("--stage", d->stage, "Stage id, e.g. 2026-T1")->required();
  draft->add_option("--date", d->date, "Date of the berita acara (YYYY-MM-DD)")->required();
  draft->add_option("--number", d->number, "Number of the berita acara as it is written")
      ->required();
  draft->add_option("--out", d->out, "Berita acara file to write (not overwritten if it exists)")
      ->required();
  AddPassphraseOption(draft, &d->passphrase_file);
  draft->callback([d, exit_code] { *exit_code = RunDraft(*d); });

  auto s = std::make_shared<SignOptions>();
  auto* sign = ba->add_subcommand(
      "sign",
      "Add one approver's signature to a berita acara file, or to a draft pending on a node");
  sign->add_option("FILE", s->file, "Berita acara file (jejak ba draft --out)");
  AddNodeOptions(sign, &s->node, &s->node_key);
  sign->add_option("--draft", s->draft, "With --node: the id of a draft pending there");
  sign->add_option("--key", s->key, "Approver key file")->required();
  sign->add_option("--key-passphrase-file", s->key_passphrase_file,
                   "Passphrase file of --key (else $JEJAK_KEY_PASSPHRASE, else $JEJAK_PASSPHRASE)");
  sign->callback([s, exit_code] { *exit_code = RunSign(*s); });

  auto w = std::make_shared<ShowOptions>();
  auto* show = ba->add_subcommand("show", "Show a berita acara file and who signed it");
  show->add_option("FILE", w->file, "Berita acara file")->required();
  show->add_option("--node", w->node,
                   "Kabupaten node folder: also say whether each signer is an approver now");
  show->callback([w, exit_code] { *exit_code = RunShow(*w); });

  auto u = std::make_shared<SubmitOptions>();
  auto* submit = ba->add_subcommand(
      "submit", "Append a signed berita acara once enough distinct approvers have signed");
  submit->add_option("KABDIR", u->dir, "Kabupaten node folder");
  AddNodeOptions(submit, &u->node, &u->node_key);
  submit->add_option("FILE", u->file, "Berita acara file");
  submit->add_flag("--json", u->json, "Print the result as JSON");
  submit->add_option("--draft", u->draft, "With --node: the id of a draft pending there");
  submit->add_option("--key", u->key,
                     "With --node: an operator or approver key that signs the request (needed "
                     "for a berita acara over 1 MiB)");
  submit->add_option("--key-passphrase-file", u->key_passphrase_file, "Passphrase file of --key");
  AddPassphraseOption(submit, &u->passphrase_file);
  submit->callback([u, exit_code] { *exit_code = RunSubmit(*u); });

  AddBaPrintCommand(*ba, exit_code);
}

}  // namespace jejak::cli
