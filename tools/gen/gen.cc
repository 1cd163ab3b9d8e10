// jejak-gen: deterministic synthetic PKH data for testing and benchmarking
// `jejak audit`. One run writes, under --out:
//
//   setup.env            stage dates, kabupaten, banks and counts (shell variables)
//   index.csv            the benefit index (`jejak index set`)
//   updates/<code>.csv   data updates of each kabupaten (`jejak import updates`)
//   ba/<code>.csv        the data bayar of each kabupaten (`jejak ba draft`)
//   receipts/<BANK>.csv  the receipts of each lembaga bayar (`jejak import receipts`)
//   truth.csv            the findings the audit must report, and no others
//
// Every family gets a plan (its updates, its approval, its receipts) from its
// kind: regular, a near miss that must produce no finding, or one of the eight
// row-level anomalies, each built to produce exactly one finding of its own
// type under the rules of ../shared/DOMAIN.md ("Finding types"). The same
// arguments give the same bytes: each kabupaten draws from its own PRNG stream
// seeded from --seed, and memory does not grow with the number of families.
//
//   jejak-gen --out DIR --kabupaten N --families F [--seed S] [--anomalies K]
//             [--stage 2026-T1] [--program-key FILE]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "crypto/encoding.h"
#include "crypto/files.h"
#include "crypto/pseudonym.h"

namespace jejak::gen {
namespace {

namespace fs = std::filesystem;

// xoshiro256** seeded through splitmix64 (Blackman and Vigna, public domain).
uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) s = SplitMix(seed);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) by multiply-shift (bias below n / 2^64).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  bool Percent(uint64_t p) { return Below(100) < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

uint64_t StreamSeed(uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03);
  return SplitMix(x);
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's
// civil-from-days algorithms).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string DateText(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int64_t>(yoe) + era * 400 + (m <= 2), m, d);
}

// The dates of one quarterly stage "YYYY-Tq": updates take effect in the
// quarter's first month, the berita acara is dated the 20th of its second
// month, the window is the 1st to the 14th of its third month, and the audit
// runs on the 1st of the next month (2026-T1: 2026-01, 2026-02-20,
// 2026-03-01..2026-03-14, 2026-04-01).
struct Stage {
  std::string id, compact;  // "2026-T1", "2026T1"
  int year = 0;
  int64_t updates_month = 0, ba_date = 0, window_from = 0, window_to = 0, as_of = 0;
  std::vector<std::string> dates;  // text of each day from first_day
  int64_t first_day = 0;

  std::string_view Date(int64_t day) const {
    return dates.at(static_cast<size_t>(day - first_day));
  }
};

std::optional<Stage> MakeStage(const std::string& id) {
  if (id.size() != 7 || id[4] != '-' || id[5] != 'T' || id[6] < '1' || id[6] > '4') {
    return std::nullopt;
  }
  Stage s;
  if (std::from_chars(id.data(), id.data() + 4, s.year).ptr != id.data() + 4 || s.year < 2000) {
    return std::nullopt;
  }
  const auto q = static_cast<unsigned>(id[6] - '0');
  s.id = id;
  s.compact = id.substr(0, 4) + id.substr(5);
  s.updates_month = DaysFromCivil(s.year, 3 * q - 2, 1);
  s.ba_date = DaysFromCivil(s.year, 3 * q - 1, 20);
  s.window_from = DaysFromCivil(s.year, 3 * q, 1);
  s.window_to = DaysFromCivil(s.year, 3 * q, 14);
  s.as_of = DaysFromCivil(s.year + (q == 4), q == 4 ? 1 : 3 * q + 1, 1);
  s.first_day = s.updates_month - 62;
  for (int64_t d = s.first_day; d <= s.as_of + 31; ++d) s.dates.push_back(DateText(d));
  return s;
}

// The benefit index (DOMAIN.md, per quarterly stage) and the entitlement rule
// of ledger/pkh/entitlement.cc, restated: per component min(members, max_members)
// member amounts; the kMaxComponents largest of them, summed.
struct Rate {
  std::string_view component;
  uint64_t amount;
  uint16_t max_members;
};
constexpr size_t kComponents = 7;
constexpr std::array<Rate, kComponents> kIndex = {{
    {"ibu_hamil", 750'000, 2},
    {"anak_usia_dini", 750'000, 2},
    {"sd", 225'000, 4},
    {"smp", 375'000, 4},
    {"sma", 500'000, 4},
    {"disabilitas_berat", 600'000, 4},
    {"lansia", 600'000, 4},
}};
constexpr uint64_t kMaxComponents = 4;
using Members = std::array<uint16_t, kComponents>;
enum : size_t { kIbuHamil, kAnakUsiaDini, kSd, kSmp, kSma, kDisabilitasBerat, kLansia };

uint64_t Entitlement(const Members& m) {
  std::array<size_t, kComponents> by_amount = {0, 1, 2, 3, 4, 5, 6};
  std::stable_sort(by_amount.begin(), by_amount.end(),
                   [](size_t a, size_t b) { return kIndex[a].amount > kIndex[b].amount; });
  uint64_t total = 0, left = kMaxComponents;
  for (size_t c : by_amount) {
    const uint64_t taken = std::min<uint64_t>({m[c], kIndex[c].max_members, left});
    total += taken * kIndex[c].amount;
    left -= taken;
  }
  return total;
}

// What an official who ignores both caps would approve.
uint64_t UncappedSum(const Members& m) {
  uint64_t total = 0;
  for (size_t c = 0; c < kComponents; ++c) total += m[c] * kIndex[c].amount;
  return total;
}

// A CSV file written through a large buffer. The first error sticks and is
// returned by Close.
class CsvFile {
 public:
  CsvFile() = default;
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile() { (void)Close(); }

  void Open(const std::string& path, std::string_view header) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) error_ = fmt::format("{}: {}", path, std::strerror(errno));
    buffer_.resize(kBufferBytes);
    Raw(header);
    Raw("\n");
  }
  CsvFile& Text(std::string_view s) {
    Separate();
    Raw(s);
    return *this;
  }
  CsvFile& Num(uint64_t v) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    return Text({digits, static_cast<size_t>(end - digits)});
  }
  void EndRow() {
    Raw("\n");
    first_ = true;
  }
  // Empty on success, else the first error.
  std::string Close() {
    if (fd_ >= 0) {
      Flush();
      if (::close(fd_) != 0 && error_.empty()) {
        error_ = fmt::format("{}: {}", path_, std::strerror(errno));
      }
      fd_ = -1;
    }
    return error_;
  }

 private:
  static constexpr size_t kBufferBytes = size_t{4} << 20;

  void Separate() {
    if (!first_) Raw(",");
    first_ = false;
  }
  void Raw(std::string_view s) {
    if (used_ + s.size() > buffer_.size()) Flush();
    std::memcpy(buffer_.data() + used_, s.data(), s.size());
    used_ += s.size();
  }
  void Flush() {
    for (size_t done = 0; done < used_ && error_.empty();) {
      const ssize_t n = ::write(fd_, buffer_.data() + done, used_ - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = fmt::format("{}: {}", path_, std::strerror(errno));
      done += n > 0 ? static_cast<size_t>(n) : 0;
    }
    used_ = 0;
  }

  std::string path_, error_;
  int fd_ = -1;
  std::vector<char> buffer_;
  size_t used_ = 0;
  bool first_ = true;
};

// What happens to a family. Near misses must produce no finding; each
// anomaly exactly one, of the type at the same position in kFindingTypes.
enum class Kind : uint8_t {
  kRegular,
  kWindowFirstDay,
  kWindowLastDay,
  kLastMinute,
  kEarlyTimeZone,
  kFailedThenPaid,
  kFailedOutsideThenPaid,
  kOnlyFailed,
  kOnlyReturned,
  kActiveUpdateOnPaidDate,
  kInactiveAfterPaidDate,
  kOverCap,
  kUpdateOnBaDate,
  kReactivated,
  kTieSameDate,
  kExitedNotApproved,
  kPaidNotApproved,
  kDuplicatePayout,
  kAmountMismatch,
  kPaidOutsideWindow,
  kPaidToIneligible,
  kUnpaidAfterWindow,
  kApprovedIneligible,
  kEntitlementMismatch,
};
constexpr int kFirstNearMiss = static_cast<int>(Kind::kWindowFirstDay);
constexpr int kFirstAnomaly = static_cast<int>(Kind::kPaidNotApproved);
constexpr int kNearMisses = kFirstAnomaly - kFirstNearMiss;
constexpr std::array<std::string_view, 8> kFindingTypes = {
    "PAID_NOT_APPROVED",  "DUPLICATE_PAYOUT",    "AMOUNT_MISMATCH",     "PAID_OUTSIDE_WINDOW",
    "PAID_TO_INELIGIBLE", "UNPAID_AFTER_WINDOW", "APPROVED_INELIGIBLE", "ENTITLEMENT_MISMATCH",
};
constexpr std::array<std::string_view, 4> kInactive = {"deceased", "moved", "graduated",
                                                       "ineligible"};

struct Special {
  Kind kind;
  uint64_t variant;  // alternates the forms of one kind
};

struct PaidAt {
  int64_t day = 0;
  int minute = -1;  // of the day; -1 writes a date without a time
  int tz_hours = 7;
};
struct PlannedUpdate {
  int64_t day;
  std::string_view status;
  Members members;
};
struct PlannedReceipt {
  std::string_view status;
  uint64_t amount;
  PaidAt at;
  bool other_bank = false;  // the lembaga bayar not assigned to the kabupaten
};
struct FamilyPlan {
  Kind kind = Kind::kRegular;
  std::vector<PlannedUpdate> updates;
  std::optional<uint64_t> approved;
  std::vector<PlannedReceipt> receipts;
  int finding_receipt = -1;  // the receipt a receipt-based finding names
};

constexpr std::array<std::string_view, 2> kBanks = {"BRI", "POS"};
constexpr std::array<std::string_view, 38> kProvinces = {
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33",
    "34", "35", "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72",
    "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96"};

struct Kabupaten {
  std::string code;
  size_t bank = 0;  // index in kBanks
  uint64_t first_family = 0, families = 0;
  std::vector<Special> specials;
};

struct Options {
  std::string out, stage = "2026-T1", program_key_file;
  uint64_t kabupaten = 0, families = 0, seed = 1, anomalies = 0;
};

struct Counts {
  uint64_t updates = 0, approvals = 0, approved_amount = 0, paid = 0, failed = 0, returned = 0;
};

class Generator {
 public:
  Generator(const Options& options, Stage stage, std::optional<ProgramKey> program_key)
      : options_(options), stage_(std::move(stage)), program_key_(program_key) {}

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
    // Anomalies go round-robin over a shuffled order of the kabupaten.
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    Rng rng(StreamSeed(options_.seed, 0));
    for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
    uint64_t j = 0;
    for (uint64_t instance = 0; instance < options_.anomalies; ++instance) {
      for (size_t t = 0; t < kFindingTypes.size(); ++t, ++j) {
        kabupaten_[order[j % n]].specials.push_back(
            {static_cast<Kind>(kFirstAnomaly + static_cast<int>(t)), instance});
      }
    }
    for (const Kabupaten& k : kabupaten_) {
      if (k.families < k.specials.size()) {
        return fmt::format(
            "kabupaten {} gets {} families but needs {} ({} near misses and {} anomalies); give "
            "--families at least {}",
            k.code, k.families, k.specials.size(), kNearMisses, k.specials.size() - kNearMisses,
            n * (kNearMisses + (8 * options_.anomalies + n - 1) / n));
      }
    }
    return "";
  }

  std::string Run() {
    const fs::path out(options_.out);
    for (const char* sub : {"updates", "ba", "receipts"}) {
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
  std::string WriteIndex() {
    CsvFile f;
    f.Open((fs::path(options_.out) / "index.csv").string(),
           "component,amount_per_stage,max_members");
    for (const Rate& r : kIndex) {
      f.Text(r.component).Num(r.amount).Num(r.max_members).EndRow();
    }
    return f.Close();
  }

  std::string WriteKabupaten(size_t i) {
    Kabupaten& k = kabupaten_[i];
    Rng rng(StreamSeed(options_.seed, i + 1));
    for (size_t s = k.specials.size(); s > 1; --s) {
      std::swap(k.specials[s - 1], k.specials[rng.Below(s)]);
    }
    const fs::path out(options_.out);
    CsvFile updates, ba;
    updates.Open((out / "updates" / (k.code + ".csv")).string(),
                 "update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,"
                 "disabilitas_berat,lansia,evidence_sha256");
    ba.Open((out / "ba" / (k.code + ".csv")).string(), "id_kpm,lembaga_bayar,amount");
    const uint64_t specials = k.specials.size();
    const uint64_t gap = specials == 0 ? 0 : k.families / specials;
    size_t next = 0;
    for (uint64_t f = 0; f < k.families; ++f) {
      Special special{Kind::kRegular, 0};
      if (next < specials && f == next * k.families / specials + gap / 2) {
        special = k.specials[next++];
      }
      MakePlan(special, rng);
      Emit(k, k.first_family + f, rng, updates, ba);
    }
    if (std::string e = updates.Close(); !e.empty()) return e;
    return ba.Close();
  }

  // --- plans -------------------------------------------------------------

  int64_t UpdateDay(Rng& rng) const {
    return stage_.updates_month + 1 + static_cast<int64_t>(rng.Below(27));
  }
  PaidAt InWindow(Rng& rng) const {
    PaidAt at;
    at.day = stage_.window_from +
             static_cast<int64_t>(rng.Below(stage_.window_to - stage_.window_from + 1));
    if (rng.Percent(30)) {
      at.minute = static_cast<int>(7 * 60 + rng.Below(10 * 60));
      at.tz_hours = static_cast<int>(7 + rng.Below(3));
    }
    return at;
  }
  static Members RandomMembers(Rng& rng) {
    Members m{};
    m[kIbuHamil] = rng.Percent(12) ? 1 : 0;
    m[kAnakUsiaDini] = static_cast<uint16_t>(rng.Percent(30) ? 1 + rng.Below(2) : 0);
    m[kSd] = static_cast<uint16_t>(rng.Percent(45) ? 1 + rng.Below(3) : 0);
    m[kSmp] = static_cast<uint16_t>(rng.Percent(25) ? 1 + rng.Below(2) : 0);
    m[kSma] = static_cast<uint16_t>(rng.Percent(20) ? 1 + rng.Below(2) : 0);
    m[kDisabilitasBerat] = rng.Percent(3) ? 1 : 0;
    m[kLansia] = rng.Percent(8) ? 1 : 0;
    if (UncappedSum(m) == 0) m[rng.Below(kComponents)] = 1;
    return m;
  }
  // Above the cap of at least one component, and with more than
  // kMaxComponents members in all.
  static Members OverCapMembers(Rng& rng) {
    Members m = RandomMembers(rng);
    switch (rng.Below(3)) {
      case 0:
        m[kIbuHamil] = 3;
        break;
      case 1:
        m[kAnakUsiaDini] = static_cast<uint16_t>(3 + rng.Below(2));
        break;
      default:
        m[kSd] = static_cast<uint16_t>(5 + rng.Below(2));
        break;
    }
    m[kSmp] = std::max<uint16_t>(m[kSmp], 1);
    return m;
  }

  // An active family updated in the quarter's first month, approved at its
  // entitlement and paid once, in the window, exactly that.
  void Regular(Rng& rng, bool over_cap) {
    const Members m = over_cap ? OverCapMembers(rng) : RandomMembers(rng);
    plan_.updates.push_back({UpdateDay(rng), "active", m});
    plan_.approved = Entitlement(m);
    plan_.receipts.push_back({"paid", *plan_.approved, InWindow(rng)});
  }

  void MakePlan(Special special, Rng& rng) {
    plan_.kind = special.kind;
    plan_.updates.clear();
    plan_.approved.reset();
    plan_.receipts.clear();
    plan_.finding_receipt = -1;
    const uint64_t v = special.variant;
    const Stage& s = stage_;
    switch (special.kind) {
      case Kind::kRegular:
        Regular(rng, rng.Percent(1));
        if (rng.Percent(1)) {  // a failed attempt earlier the same day
          plan_.receipts.insert(plan_.receipts.begin(),
                                {"failed", *plan_.approved, {plan_.receipts[0].at.day}});
        }
        return;
      case Kind::kWindowFirstDay:
        Regular(rng, false);
        plan_.receipts[0].at = {s.window_from};
        return;
      case Kind::kWindowLastDay:
        Regular(rng, false);
        plan_.receipts[0].at = {s.window_to};
        return;
      case Kind::kLastMinute:
        Regular(rng, false);
        plan_.receipts[0].at = {s.window_to, 23 * 60 + 59, 7};
        return;
      case Kind::kEarlyTimeZone:  // the previous day in UTC; counts as written
        Regular(rng, false);
        plan_.receipts[0].at = {s.window_from, 15, 9};
        return;
      case Kind::kFailedThenPaid:
        Regular(rng, false);
        plan_.receipts[0].at = {s.window_from + 6};
        plan_.receipts.insert(plan_.receipts.begin(),
                              {"failed", *plan_.approved, {s.window_from + 2}});
        return;
      case Kind::kFailedOutsideThenPaid:
        Regular(rng, false);
        plan_.receipts.insert(plan_.receipts.begin(),
                              {"failed", *plan_.approved, {s.window_from - 1}});
        return;
      case Kind::kOnlyFailed:
        Regular(rng, false);
        plan_.receipts[0].status = "failed";
        return;
      case Kind::kOnlyReturned:
        Regular(rng, false);
        plan_.receipts[0].status = "returned";
        return;
      case Kind::kActiveUpdateOnPaidDate:
        Regular(rng, false);
        plan_.updates.push_back({plan_.receipts[0].at.day, "active", RandomMembers(rng)});
        return;
      case Kind::kInactiveAfterPaidDate: {
        Regular(rng, false);
        PaidAt& at = plan_.receipts[0].at;
        at.day = std::min(at.day, s.window_to - 1);
        plan_.updates.push_back({at.day + 1, kInactive[v % kInactive.size()], Members{}});
        return;
      }
      case Kind::kOverCap:
        Regular(rng, true);
        return;
      case Kind::kUpdateOnBaDate: {
        Regular(rng, false);
        Members later = RandomMembers(rng);
        if (Entitlement(later) == *plan_.approved) later[kSd] = later[kSd] == 1 ? 2 : 1;
        plan_.updates.push_back({s.ba_date, "active", later});
        plan_.approved = Entitlement(later);
        plan_.receipts[0].amount = *plan_.approved;
        return;
      }
      case Kind::kReactivated:
        Regular(rng, false);
        plan_.updates.insert(plan_.updates.begin(),
                             {s.updates_month - 10, "moved", plan_.updates[0].members});
        return;
      case Kind::kTieSameDate:  // same date: the later leaf (active) wins
        Regular(rng, false);
        plan_.updates.insert(plan_.updates.begin(),
                             {plan_.updates[0].day, "deceased", plan_.updates[0].members});
        return;
      case Kind::kExitedNotApproved:
        plan_.updates.push_back({UpdateDay(rng), "graduated", RandomMembers(rng)});
        return;
      case Kind::kPaidNotApproved:
        plan_.receipts.push_back({"paid", Entitlement(RandomMembers(rng)), InWindow(rng)});
        plan_.finding_receipt = 0;
        return;
      case Kind::kDuplicatePayout: {
        Regular(rng, false);
        PlannedReceipt second = plan_.receipts[0];
        second.at = InWindow(rng);
        second.other_bank = v % 2 == 1;
        plan_.receipts.push_back(second);
        return;
      }
      case Kind::kAmountMismatch: {
        Regular(rng, false);
        constexpr std::array<uint64_t, 3> kCuts = {25'000, 50'000, 100'000};
        plan_.receipts[0].amount -= kCuts[v % kCuts.size()];
        plan_.finding_receipt = 0;
        return;
      }
      case Kind::kPaidOutsideWindow:
        Regular(rng, false);
        plan_.receipts[0].at = v % 3 == 0   ? PaidAt{s.window_to + 1}
                               : v % 3 == 1 ? PaidAt{s.window_from - 1}
                                            : PaidAt{s.window_to + 1, 30, 7};
        plan_.finding_receipt = 0;
        return;
      case Kind::kPaidToIneligible: {
        Regular(rng, false);
        const int64_t paid = plan_.receipts[0].at.day;
        plan_.updates.push_back(
            {v % 2 == 0 ? s.ba_date + 1 : paid, kInactive[v % kInactive.size()], Members{}});
        plan_.finding_receipt = 0;
        return;
      }
      case Kind::kUnpaidAfterWindow:
        Regular(rng, false);
        plan_.receipts.clear();
        return;
      case Kind::kApprovedIneligible:
        Regular(rng, false);
        if (v % 2 == 0) {  // never updated, and paid correctly
          plan_.updates.clear();
        } else {  // deceased before the berita acara; the payment failed
          plan_.updates[0].status = "deceased";
          plan_.receipts[0].status = "failed";
        }
        return;
      case Kind::kEntitlementMismatch:
        Regular(rng, v % 2 == 0);
        plan_.approved = v % 2 == 0 ? UncappedSum(plan_.updates[0].members)
                                    : *plan_.approved + kIndex[kSd].amount;
        plan_.receipts[0].amount = *plan_.approved;
        return;
    }
  }

  // --- output ------------------------------------------------------------

  void Emit(const Kabupaten& k, uint64_t family, Rng& rng, CsvFile& updates, CsvFile& ba) {
    char id_buf[16];
    const auto id =
        std::string_view(id_buf, fmt::format_to_n(id_buf, sizeof id_buf, "SYN{:010}", family).size);
    char text[40];
    for (size_t u = 0; u < plan_.updates.size(); ++u) {
      const PlannedUpdate& p = plan_.updates[u];
      const auto n = fmt::format_to_n(text, sizeof text, "U-{}-{}", id, u + 1).size;
      updates.Text({text, n}).Text(id).Text(stage_.Date(p.day)).Text(p.status);
      for (uint16_t m : p.members) updates.Num(m);
      if (rng.Percent(25)) {
        std::array<uint8_t, 32> digest;
        for (size_t w = 0; w < 4; ++w) {
          const uint64_t x = rng.Next();
          std::memcpy(digest.data() + 8 * w, &x, 8);
        }
        updates.Text(HexEncode(digest));
      } else {
        updates.Text("");
      }
      updates.EndRow();
      ++counts_.updates;
    }
    if (plan_.approved) {
      ba.Text(id).Text(kBanks[k.bank]).Num(*plan_.approved).EndRow();
      ++counts_.approvals;
      counts_.approved_amount += *plan_.approved;
    }
    std::string finding_txn;
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
    const int kind = static_cast<int>(plan_.kind);
    if (kind >= kFirstAnomaly) {
      std::string pseudonym;
      if (program_key_) pseudonym = HexEncode(KpmPseudonym(*program_key_, id));
      truth_.push_back(fmt::format("{},{},{},{},{},{}", kFindingTypes[kind - kFirstAnomaly],
                                   stage_.id, k.code, id, pseudonym, finding_txn));
    }
  }

  std::string WriteTruth() {
    std::sort(truth_.begin(), truth_.end());
    CsvFile f;
    f.Open((fs::path(options_.out) / "truth.csv").string(),
           "type,stage,kabupaten,id_kpm,pseudonym,txn_ref");
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
    line("MAX_COMPONENTS", kMaxComponents);
    line("SEED", options_.seed);
    line("FAMILIES", options_.families);
    line("ANOMALIES", options_.anomalies);
    line("FINDINGS", truth_.size());
    line("UPDATES", counts_.updates);
    line("APPROVALS", counts_.approvals);
    line("RECEIPTS", counts_.paid + counts_.failed + counts_.returned);
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
  const std::optional<ProgramKey> program_key_;
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
  CLI::App app(
      "jejak-gen: deterministic synthetic PKH data (updates, berita acara rows, "
      "receipts) with injected anomalies and the findings they must produce");
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
                 "Injected anomalies of each of the 8 row-level finding types (default 0)");
  app.add_option("--stage", o.stage, "Quarterly stage YYYY-T1 to YYYY-T4 (default 2026-T1)");
  app.add_option("--program-key", o.program_key_file,
                 "Program key file (jejak program-key new): fills truth.csv's pseudonym column");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  const auto start = std::chrono::steady_clock::now();
  std::optional<Stage> stage = MakeStage(o.stage);
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
      "({} paid, {} failed, {} returned), {} expected findings, to {} in {:.1f} s\n",
      o.kabupaten, o.families, c.updates, c.approvals, c.approved_amount,
      c.paid + c.failed + c.returned, c.paid, c.failed, c.returned, gen.findings(), o.out, seconds);
  return 0;
}

}  // namespace
}  // namespace jejak::gen

int main(int argc, char** argv) { return jejak::gen::Main(argc, argv); }
