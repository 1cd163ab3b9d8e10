// jejak-gen: deterministic synthetic PKH data for testing and benchmarking
// `jejak audit`. One run writes, under --out:
//
//   setup.env                     stage dates, policy, lists, kabupaten, banks, counts
//   index.csv                     the benefit index (`jejak index set`)
//   updates/<code>.csv            data updates of each kabupaten (`jejak import updates`)
//   bnba/<code>.csv               its target list of the stage's year (`jejak import bnba`)
//   bnba-earlier/<code>.csv       ... of the year before; bnba-next/: of the year after
//   verifications/<code>.csv      its verifications of commitments
//   complaints/<code>.csv         its complaints; responses/<code>.csv: their responses
//   ba/<code>.csv                 its data bayar (`jejak ba draft`)
//   bnba-late/, verifications-late/  rows appended after the berita acara
//   receipts/<BANK>.csv           the receipts of each lembaga bayar
//   truth.csv                     the findings the audit must report, and no others
//
// Every family gets a plan (plan.h) from its kind: regular, a near miss that
// must produce no finding, or one of the twelve row-level anomalies, each
// built to produce exactly one finding of its own type under the rules of
// ../shared/DOMAIN.md. The same arguments give the same bytes: each
// kabupaten draws from its own PRNG stream seeded from --seed, and memory
// does not grow with the number of families.
//
//   jejak-gen --out DIR --kabupaten N --families F [--seed S] [--anomalies K]
//             [--stage 2026-T1] [--program-key FILE] [--suspend-after-months N]
//             [--verification-months M] [--complaint-response-hours H]
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "crypto/encoding.h"
#include "crypto/files.h"
#include "crypto/pseudonym.h"
#include "tools/gen/plan.h"
#include "tools/gen/support.h"

namespace jejak::gen {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 2> kBanks = {"BRI", "POS"};
constexpr std::array<std::string_view, 38> kProvinces = {
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33",
    "34", "35", "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72",
    "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96"};
// Regular complaints of a kabupaten: one per kFamiliesPerComplaint families,
// at least kMinComplaints.
constexpr uint64_t kFamiliesPerComplaint = 500;
constexpr uint64_t kMinComplaints = 10;
// Target list ids (one list per year, in every kabupaten's log).
std::string ListId(int year) { return fmt::format("BNBA-{}", year); }

struct Kabupaten {
  std::string code;
  size_t bank = 0;  // index in kBanks
  uint64_t first_family = 0, families = 0;
  std::vector<Special> specials;
};

struct Options {
  std::string out, stage = "2026-T1", program_key_file;
  uint64_t kabupaten = 0, families = 0, seed = 1, anomalies = 0;
  CyclePolicy policy;
};

struct Counts {
  uint64_t updates = 0, approvals = 0, approved_amount = 0, paid = 0, failed = 0, returned = 0;
  uint64_t bnba = 0, verifications = 0, complaints = 0, responses = 0;
};

// The files of one kabupaten, open while its families are written.
struct KabupatenFiles {
  CsvFile updates, ba, bnba, bnba_earlier, bnba_next, bnba_late, verifications, verifications_late,
      complaints, responses;
  uint64_t verification_count = 0, complaint_count = 0, response_count = 0;

  std::string Close(Counts& counts) {
    counts.bnba += bnba.rows() + bnba_earlier.rows() + bnba_next.rows() + bnba_late.rows();
    counts.verifications += verification_count;
    counts.complaints += complaint_count;
    counts.responses += response_count;
    for (CsvFile* f : {&updates, &ba, &bnba, &bnba_earlier, &bnba_next, &bnba_late, &verifications,
                       &verifications_late, &complaints, &responses}) {
      if (std::string e = f->Close(); !e.empty()) return e;
    }
    return "";
  }
};

constexpr std::array<std::string_view, 11> kFolders = {"updates",
                                                       "ba",
                                                       "receipts",
                                                       "bnba",
                                                       "bnba-earlier",
                                                       "bnba-next",
                                                       "bnba-late",
                                                       "verifications",
                                                       "verifications-late",
                                                       "complaints",
                                                       "responses"};

class Generator {
 public:
  Generator(const Options& options, Stage stage, std::optional<ProgramKey> program_key)
      : options_(options),
        stage_(std::move(stage)),
        planner_(stage_, options_.policy),
        program_key_(program_key) {
    for (unsigned k = 1; k <= options_.policy.verification_months; ++k) {
      months_.push_back({MonthText(stage_.ba_month - k), FirstDayOfMonth(stage_.ba_month - k)});
    }
  }

  // Lays out kabupaten, banks and where each near miss and anomaly goes.
  std::string Layout() {
    const uint64_t n = options_.kabupaten;
    std::vector<std::string> codes;
    for (uint64_t i = 0; i < n; ++i) {
      codes.push_back(
          fmt::format("{}{:02}", kProvinces[i % kProvinces.size()], 1 + i / kProvinces.size()));
    }
    std::sort(codes.begin(), codes.end());
    for (uint64_t i = 0; i < n; ++i) {
      Kabupaten k;
      k.code = codes[i];
      k.bank = i % 3 == 1 ? 1 : 0;
      k.families = options_.families / n + (i < options_.families % n ? 1 : 0);
      k.first_family = i == 0 ? 1 : kabupaten_.back().first_family + kabupaten_.back().families;
      for (int j = 0; j < kNearMisses; ++j) {
        k.specials.push_back({static_cast<Kind>(kFirstNearMiss + j), i});
      }
      kabupaten_.push_back(std::move(k));
    }
    // Anomalies go round-robin over a shuffled order of the kabupaten, one
    // step further at each instance so that a type's instances spread even
    // when the number of types is a multiple of the kabupaten's.
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    Rng rng(StreamSeed(options_.seed, 0));
    for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    uint64_t j = 0;
    for (uint64_t instance = 0; instance < options_.anomalies; ++instance) {
      for (size_t t = 0; t < kFindingTypes.size(); ++t, ++j) {
        kabupaten_[order[(j + instance) % n]].specials.push_back(
            {static_cast<Kind>(kFirstAnomaly + static_cast<int>(t)), instance});
      }
    }
    for (const Kabupaten& k : kabupaten_) {
      if (k.families < k.specials.size()) {
        const uint64_t types = kFindingTypes.size();
        return fmt::format(
            "kabupaten {} gets {} families but needs {} ({} near misses and {} anomalies); give "
            "--families at least {}",
            k.code, k.families, k.specials.size(), kNearMisses, k.specials.size() - kNearMisses,
            n * (kNearMisses + (types * options_.anomalies + n - 1) / n));
      }
    }
    return "";
  }

  std::string Run() {
    const fs::path out(options_.out);
    for (std::string_view sub : kFolders) {
      std::error_code ec;
      fs::create_directories(out / sub, ec);
      if (ec) return fmt::format("{}: {}", (out / sub).string(), ec.message());
    }
    if (std::string e = WriteIndex(); !e.empty()) return e;
    for (size_t b = 0; b < kBanks.size(); ++b) {
      receipts_[b].Open((out / "receipts" / fmt::format("{}.csv", kBanks[b])).string(),
                        "txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel");
    }
    for (size_t i = 0; i < kabupaten_.size(); ++i) {
      if (std::string e = WriteKabupaten(i); !e.empty()) return e;
    }
    for (CsvFile& f : receipts_) {
      if (std::string e = f.Close(); !e.empty()) return e;
    }
    if (std::string e = WriteTruth(); !e.empty()) return e;
    return WriteSetup();
  }

  const Counts& counts() const { return counts_; }
  uint64_t findings() const { return truth_.size(); }

 private:
  struct Month {
    std::string text;
    int64_t first_day;
  };

  std::string WriteIndex() {
    CsvFile f;
    f.Open((fs::path(options_.out) / "index.csv").string(),
           "component,amount_per_stage,max_members");
    for (const Rate& r : kIndex) {
      f.Text(r.component).Num(r.amount).Num(r.max_members).EndRow();
    }
    return f.Close();
  }

  void OpenFiles(const Kabupaten& k, KabupatenFiles& f) const {
    const fs::path out(options_.out);
    auto path = [&](std::string_view folder) {
      return (out / folder / (k.code + ".csv")).string();
    };
    constexpr size_t kSmall = CsvFile::kSmallBuffer;
    f.updates.Open(path("updates"),
                   "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
                   "disabilitas_berat,lansia,evidence_sha256");
    f.ba.Open(path("ba"), "id_kpm,lembaga_bayar,amount");
    f.bnba.Open(path("bnba"), "id_kpm,kabupaten");
    f.bnba_earlier.Open(path("bnba-earlier"), "id_kpm,kabupaten", kSmall);
    f.bnba_next.Open(path("bnba-next"), "id_kpm,kabupaten", kSmall);
    f.bnba_late.Open(path("bnba-late"), "id_kpm,kabupaten", kSmall);
    constexpr std::string_view kVerificationHeader =
        "verification_id,id_kpm,month,commitment,result,verified_on,facility_code";
    f.verifications.Open(path("verifications"), kVerificationHeader);
    f.verifications_late.Open(path("verifications-late"), kVerificationHeader, kSmall);
    f.complaints.Open(path("complaints"),
                      "complaint_id,id_kpm,stage,category,channel,received_at,evidence_sha256",
                      kSmall);
    f.responses.Open(path("responses"), "response_id,complaint_id,responded_at,action", kSmall);
  }

  std::string WriteKabupaten(size_t i) {
    Kabupaten& k = kabupaten_[i];
    Rng rng(StreamSeed(options_.seed, i + 1));
    for (size_t s = k.specials.size(); s > 1; --s) {
      std::swap(k.specials[s - 1], k.specials[rng.Below(s)]);
    }
    auto files = std::make_unique<KabupatenFiles>();
    OpenFiles(k, *files);
    const uint64_t specials = k.specials.size();
    const uint64_t gap = specials == 0 ? 0 : k.families / specials;
    const uint64_t complaints = std::max(kMinComplaints, k.families / kFamiliesPerComplaint);
    size_t next = 0;
    uint64_t next_complaint = 0, pending_complaints = 0;
    for (uint64_t f = 0; f < k.families; ++f) {
      Special special{Kind::kRegular, 0};
      if (next < specials && f == next * k.families / specials + gap / 2) {
        special = k.specials[next++];
      }
      // Regular complaints are spread evenly; one that falls on a near miss
      // or an anomaly goes to the next regular family.
      for (; next_complaint < complaints && f >= next_complaint * k.families / complaints;
           ++next_complaint) {
        ++pending_complaints;
      }
      const bool complaint = pending_complaints > 0 && special.kind == Kind::kRegular;
      pending_complaints -= complaint ? 1 : 0;
      planner_.Plan(special, complaint, rng, plan_);
      Emit(k, k.first_family + f, rng, *files);
    }
    return files->Close(counts_);
  }

  // --- output ------------------------------------------------------------

  void Emit(const Kabupaten& k, uint64_t family, Rng& rng, KabupatenFiles& files) {
    char id_buf[16];
    const auto id =
        std::string_view(id_buf, fmt::format_to_n(id_buf, sizeof id_buf, "SYN{:010}", family).size);
    EmitUpdates(id, rng, files.updates);
    if (plan_.approved) {
      files.ba.Text(id).Text(kBanks[k.bank]).Num(*plan_.approved).EndRow();
      ++counts_.approvals;
      counts_.approved_amount += *plan_.approved;
    }
    const std::string finding_txn = EmitReceipts(k, id, rng);
    EmitListEntry(k, id, files);
    EmitVerifications(k, id, family, files);
    const std::string finding_complaint = EmitComplaints(k, id, rng, files);
    const int kind = static_cast<int>(plan_.kind);
    if (kind >= kFirstAnomaly) {
      std::string_view kpm = id;
      for (const PlannedComplaint& c : plan_.complaints) {
        if (c.finding && !c.with_kpm) kpm = "";
      }
      std::string pseudonym;
      if (program_key_ && !kpm.empty()) pseudonym = HexEncode(KpmPseudonym(*program_key_, kpm));
      truth_.push_back(fmt::format("{},{},{},{},{},{},{}", kFindingTypes[kind - kFirstAnomaly],
                                   stage_.id, k.code, kpm, pseudonym, finding_txn,
                                   finding_complaint));
    }
  }

  void EmitUpdates(std::string_view id, Rng& rng, CsvFile& updates) {
    char text[40];
    for (size_t u = 0; u < plan_.updates.size(); ++u) {
      const PlannedUpdate& p = plan_.updates[u];
      const auto n = fmt::format_to_n(text, sizeof text, "U-{}-{}", id, u + 1).size;
      updates.Text({text, n}).Text(id).Text(stage_.Date(p.day)).Text(p.status);
      for (uint16_t m : p.members) updates.Num(m);
      updates.Text(rng.Percent(25) ? HexOfRandom32(rng) : "");
      updates.EndRow();
      ++counts_.updates;
    }
  }

  // Returns the txn_ref of the receipt a finding names, if any.
  std::string EmitReceipts(const Kabupaten& k, std::string_view id, Rng& rng) {
    std::string finding_txn;
    char text[40];
    for (size_t r = 0; r < plan_.receipts.size(); ++r) {
      const PlannedReceipt& p = plan_.receipts[r];
      const size_t bank = p.other_bank ? 1 - k.bank : k.bank;
      const auto n = fmt::format_to_n(text, sizeof text, "{}-{}-{:09}", kBanks[bank],
                                      stage_.compact, ++txn_count_[bank])
                         .size;
      const std::string_view txn(text, n);
      if (static_cast<int>(r) == plan_.finding_receipt) finding_txn = txn;
      CsvFile& f = receipts_[bank];
      f.Text(txn).Text(id).Text(k.code).Text(stage_.id).Num(p.amount).Text(p.status);
      char at[40];
      size_t at_size = 0;
      if (p.at.minute < 0) {
        at_size = fmt::format_to_n(at, sizeof at, "{}", stage_.Date(p.at.day)).size;
      } else {
        at_size =
            fmt::format_to_n(at, sizeof at, "{}T{:02}:{:02}:00+{:02}:00", stage_.Date(p.at.day),
                             p.at.minute / 60, p.at.minute % 60, p.at.tz_hours)
                .size;
      }
      f.Text({at, at_size});
      f.Text(bank == 1 ? "pos" : rng.Percent(80) ? "kks" : "rekening").EndRow();
      const std::string_view status = p.status;
      (status == "paid" ? counts_.paid : status == "failed" ? counts_.failed : counts_.returned)++;
    }
    return finding_txn;
  }

  void EmitListEntry(const Kabupaten& k, std::string_view id, KabupatenFiles& files) {
    CsvFile* f = nullptr;
    switch (plan_.list) {
      case ListEntry::kOnList:
        f = &files.bnba;
        break;
      case ListEntry::kNone:
        return;
      case ListEntry::kEarlierYear:
        f = &files.bnba_earlier;
        break;
      case ListEntry::kNextYear:
        f = &files.bnba_next;
        break;
      case ListEntry::kLate:
        f = &files.bnba_late;
        break;
    }
    f->Text(id).Text(k.code).EndRow();
  }

  // Verification ids count per kabupaten; a family visits one puskesmas and
  // one school (public facility codes).
  void EmitVerifications(const Kabupaten& k, std::string_view id, uint64_t family,
                         KabupatenFiles& files) {
    char vid[32], facility[32];
    for (const PlannedVerification& v : plan_.verifications) {
      const Month& month = months_.at(v.months_before - 1u);
      const auto n =
          fmt::format_to_n(vid, sizeof vid, "VER-{}-{:010}", k.code, ++files.verification_count)
              .size;
      size_t fn = 0;
      if (v.commitment == Commitment::kKesehatan) {
        fn = fmt::format_to_n(facility, sizeof facility, "FKS-{}-{:03}", k.code, 1 + family % 40)
                 .size;
      } else if (v.commitment == Commitment::kPendidikan) {
        fn = fmt::format_to_n(facility, sizeof facility, "SCH-{}-{:03}", k.code, 1 + family % 300)
                 .size;
      }
      CsvFile& f = v.late ? files.verifications_late : files.verifications;
      f.Text({vid, n}).Text(id).Text(month.text);
      f.Text(kCommitmentNames[static_cast<size_t>(v.commitment)]);
      f.Text(kOutcomeNames[static_cast<size_t>(v.result)]);
      f.Text(stage_.Date(month.first_day + v.day)).Text({facility, fn}).EndRow();
    }
  }

  // Returns the id of the complaint a finding names, if any.
  std::string EmitComplaints(const Kabupaten& k, std::string_view id, Rng& rng,
                             KabupatenFiles& files) {
    std::string finding_id;
    for (const PlannedComplaint& c : plan_.complaints) {
      const std::string cid = fmt::format("ADU-{}-{:07}", k.code, ++files.complaint_count);
      if (c.finding) finding_id = cid;
      files.complaints.Text(cid).Text(c.with_kpm ? id : "");
      files.complaints.Text(c.other_stage ? stage_.other_id : stage_.id);
      files.complaints.Text(kCategoryNames[static_cast<size_t>(c.category)]);
      files.complaints.Text(kChannels[c.channel]);
      files.complaints.Text(DateTimeText(stage_.Date(c.received.day), c.received));
      files.complaints.Text(c.evidence ? HexOfRandom32(rng) : "").EndRow();
      for (const PlannedResponse& r : c.responses) {
        const LocalTime at = AtOffset(r.instant, r.offset_minutes);
        files.responses.Text(fmt::format("TL-{}-{:07}", k.code, ++files.response_count));
        files.responses.Text(cid).Text(DateTimeText(stage_.Date(at.day), at));
        files.responses.Text(kActionNames[static_cast<size_t>(r.action)]).EndRow();
      }
    }
    return finding_id;
  }

  std::string WriteTruth() {
    std::sort(truth_.begin(), truth_.end());
    CsvFile f;
    f.Open((fs::path(options_.out) / "truth.csv").string(),
           "type,stage,kabupaten,id_kpm,pseudonym,txn_ref,complaint_id");
    for (const std::string& line : truth_) {
      f.Text(line).EndRow();
    }
    return f.Close();
  }

  static std::string ShellQuote(std::string_view s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }

  std::string WriteSetup() {
    std::string env = "# Written by jejak-gen; source it from bash.\n";
    auto line = [&](std::string_view name, const auto& value) {
      env += fmt::format("{}={}\n", name, value);
    };
    line("STAGE", stage_.id);
    line("YEAR", stage_.year);
    line("WINDOW_FROM", stage_.Date(stage_.window_from));
    line("WINDOW_TO", stage_.Date(stage_.window_to));
    line("BA_DATE", stage_.Date(stage_.ba_date));
    line("AS_OF", stage_.Date(stage_.as_of));
    line("AUDIT_MOMENT",
         DateTimeText(stage_.Date(stage_.MomentDay()), AtOffset(stage_.audit_moment, kWibMinutes)));
    line("MAX_COMPONENTS", kMaxComponents);
    line("OTHER_STAGE", stage_.other_id);
    line("OTHER_WINDOW_FROM", DateText(stage_.other_window_from));
    line("OTHER_WINDOW_TO", DateText(stage_.other_window_to));
    line("REQUIRE_BNBA", "on");
    line("SUSPEND_AFTER_MONTHS", options_.policy.suspend_after_months);
    line("COMPLAINT_RESPONSE_HOURS", options_.policy.response_hours);
    line("BNBA_LIST", ListId(stage_.year));
    line("BNBA_EARLIER_YEAR", stage_.year - 1);
    line("BNBA_EARLIER_LIST", ListId(stage_.year - 1));
    line("BNBA_NEXT_YEAR", stage_.year + 1);
    line("BNBA_NEXT_LIST", ListId(stage_.year + 1));
    line("SEED", options_.seed);
    line("FAMILIES", options_.families);
    line("ANOMALIES", options_.anomalies);
    line("FINDINGS", truth_.size());
    line("UPDATES", counts_.updates);
    line("APPROVALS", counts_.approvals);
    line("RECEIPTS", counts_.paid + counts_.failed + counts_.returned);
    line("BNBA_ENTRIES", counts_.bnba);
    line("VERIFICATIONS", counts_.verifications);
    line("COMPLAINTS", counts_.complaints);
    line("RESPONSES", counts_.responses);
    std::string program_key;
    if (!options_.program_key_file.empty()) {
      program_key = fs::absolute(options_.program_key_file).lexically_normal().string();
    }
    line("PROGRAM_KEY", ShellQuote(program_key));
    std::string codes, banks;
    std::array<std::string, kBanks.size()> of_bank;
    for (const Kabupaten& k : kabupaten_) {
      codes += (codes.empty() ? "" : " ") + k.code;
      of_bank[k.bank] += (of_bank[k.bank].empty() ? "" : " ") + k.code;
    }
    line("KABUPATEN", fmt::format("\"{}\"", codes));
    for (size_t b = 0; b < kBanks.size(); ++b) {
      banks += (banks.empty() ? "" : " ") + std::string(kBanks[b]);
      line(fmt::format("KABUPATEN_{}", kBanks[b]), fmt::format("\"{}\"", of_bank[b]));
    }
    line("BANKS", fmt::format("\"{}\"", banks));
    for (const Kabupaten& k : kabupaten_) line(fmt::format("BANK_{}", k.code), kBanks[k.bank]);
    const std::string path = (fs::path(options_.out) / "setup.env").string();
    if (Status st = WriteFileAtomic(path, env); !st.ok()) return st.message();
    return "";
  }

  const Options& options_;
  const Stage stage_;
  const Planner planner_;
  const std::optional<ProgramKey> program_key_;
  std::vector<Month> months_;  // [k - 1]: k months before the berita acara's
  std::vector<Kabupaten> kabupaten_;
  FamilyPlan plan_;
  std::array<CsvFile, kBanks.size()> receipts_;
  std::array<uint64_t, kBanks.size()> txn_count_{};
  std::vector<std::string> truth_;
  Counts counts_;
};

int Fail(std::string_view message) {
  fmt::print(stderr, "jejak-gen: {}\n", message);
  return 2;
}

int Main(int argc, char** argv) {
  Options o;
  std::optional<unsigned> verification_months;
  CLI::App app(
      "jejak-gen: deterministic synthetic PKH data (updates, target lists, verifications, "
      "complaints, berita acara rows, receipts) with injected anomalies and the findings they "
      "must produce");
  app.add_option("--out", o.out, "Folder to write (created; must be empty if it exists)")
      ->required();
  app.add_option("--kabupaten", o.kabupaten, "Number of kabupaten")
      ->required()
      ->check(CLI::Range(uint64_t{1}, uint64_t{kProvinces.size() * 99}));
  app.add_option("--families", o.families, "Number of families over all kabupaten")
      ->required()
      ->check(CLI::Range(uint64_t{1}, uint64_t{9'999'999'999}));
  app.add_option("--seed", o.seed, "PRNG seed (default 1)");
  app.add_option("--anomalies", o.anomalies,
                 fmt::format("Injected anomalies of each of the {} row-level finding types "
                             "(default 0)",
                             kFindingTypes.size()));
  app.add_option("--stage", o.stage, "Quarterly stage YYYY-T1 to YYYY-T4 (default 2026-T1)");
  app.add_option("--program-key", o.program_key_file,
                 "Program key file (jejak program-key new): fills truth.csv's pseudonym column");
  app.add_option("--suspend-after-months", o.policy.suspend_after_months,
                 "The policy's suspend_after_months N the data is planned for (default 3)")
      ->check(CLI::Range(1u, 24u));
  app.add_option("--verification-months", verification_months,
                 "Months verified before the berita acara's month (default N)")
      ->check(CLI::Range(1u, 24u));
  app.add_option("--complaint-response-hours", o.policy.response_hours,
                 "The policy's complaint_response_hours H the data is planned for (default 48)")
      ->check(CLI::Range(1u, 720u));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  o.policy.verification_months = verification_months.value_or(o.policy.suspend_after_months);
  if (o.policy.verification_months < o.policy.suspend_after_months) {
    return Fail("--verification-months must be at least --suspend-after-months");
  }
  const auto start = std::chrono::steady_clock::now();
  std::optional<Stage> stage = MakeStage(o.stage, o.policy);
  if (!stage) return Fail("--stage: expected a quarterly stage YYYY-T1 to YYYY-T4");
  std::optional<ProgramKey> program_key;
  if (!o.program_key_file.empty()) {
    auto text = ReadFile(o.program_key_file, 4096);
    if (!text.ok()) return Fail(fmt::format("--program-key: {}", text.status().message()));
    auto key = ParseProgramKeyFile(*text);
    if (!key.ok()) {
      return Fail(fmt::format("--program-key {}: {}", o.program_key_file, key.status().message()));
    }
    program_key = *key;
  }
  std::error_code ec;
  if (fs::exists(o.out, ec) && !fs::is_empty(o.out, ec)) {
    return Fail(fmt::format("{} is not empty; remove it or choose another folder", o.out));
  }
  Generator gen(o, std::move(*stage), program_key);
  if (std::string e = gen.Layout(); !e.empty()) return Fail(e);
  if (std::string e = gen.Run(); !e.empty()) return Fail(e);
  const Counts& c = gen.counts();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(
      "jejak-gen: wrote {} kabupaten, {} families: {} updates, {} approvals (Rp {}), {} receipts "
      "({} paid, {} failed, {} returned), {} target list entries, {} verifications, {} "
      "complaints ({} responses), {} expected findings, to {} in {:.1f} s\n",
      o.kabupaten, o.families, c.updates, c.approvals, c.approved_amount,
      c.paid + c.failed + c.returned, c.paid, c.failed, c.returned, c.bnba, c.verifications,
      c.complaints, c.responses, gen.findings(), o.out, seconds);
  return 0;
}

}  // namespace
}  // namespace jejak::gen

int main(int argc, char** argv) { return jejak::gen::Main(argc, argv); }
