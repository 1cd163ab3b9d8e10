// What jejak-gen plans for one family: its updates, its approval, its
// receipts (plan.cc), and the rest of its cycle: its place on the target
// lists, its verifications of commitments and its complaints
// (cycle_plan.cc). Each kind is regular, a near miss that must produce no
// finding, or an anomaly built to produce exactly one finding of its type
// under ../shared/DOMAIN.md. Pure: no I/O; every choice comes from the Rng.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/gen/support.h"

namespace jejak::gen {

// The settings of the rest of the cycle that the generator plans for and
// tools/gen/load sets in the governance log.
struct CyclePolicy {
  unsigned suspend_after_months = 3;  // N
  unsigned verification_months = 3;   // months verified before the berita acara's, >= N
  unsigned response_hours = 48;       // H
};

// The dates of one quarterly stage "YYYY-Tq": updates take effect in the
// quarter's first month, the berita acara is dated the 20th of its second
// month, the window is the 1st to the 14th of its third month, and the audit
// runs on the 1st of the next month (2026-T1: 2026-01, 2026-02-20,
// 2026-03-01..2026-03-14, 2026-04-01). Complaints of "another stage" name the
// stage before it.
struct Stage {
  std::string id, compact;  // "2026-T1", "2026T1"
  int year = 0;
  int64_t updates_month = 0, ba_date = 0, window_from = 0, window_to = 0, as_of = 0;
  int64_t ba_month = 0;      // MonthIndex of the berita acara date
  int64_t audit_moment = 0;  // what --as-of AS_OF means: the next day 00:00+07:00
  std::string other_id;      // the stage before
  int64_t other_window_from = 0, other_window_to = 0;
  int64_t first_day = 0;
  std::vector<std::string> dates;  // text of each day from first_day

  std::string_view Date(int64_t day) const {
    return dates.at(static_cast<size_t>(day - first_day));
  }
  int64_t MomentDay() const { return as_of + 1; }
};
// nullopt unless `id` is YYYY-T1 to YYYY-T4 (YYYY >= 2000).
std::optional<Stage> MakeStage(const std::string& id, const CyclePolicy& policy);

// The benefit index (DOMAIN.md, per quarterly stage) and the entitlement rule
// of ledger/pkh/entitlement.cc, restated: per component min(members,
// max_members) member amounts; the kMaxComponents largest of them, summed.
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
uint64_t Entitlement(const Members& m);
// What an official who ignores both caps would approve.
uint64_t UncappedSum(const Members& m);

// What happens to a family. Near misses must produce no finding; each
// anomaly exactly one, of the type at the same position in kFindingTypes.
enum class Kind : uint8_t {
  kRegular,
  // Near misses of the payout rules.
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
  // Near misses of the rest of the cycle.
  kOnEarlierYearList,
  kSuspendedOneMonthShort,
  kSuspensionGap,
  kNotMetCorrected,
  kNotMetRecordedLate,
  kAnsweredAtDeadline,
  kForwardedThenResolved,
  kDeadlineAtAuditMoment,
  kComplaintOpen,
  kDisputedOtherCategory,
  kDisputedOtherStage,
  kDisputedBeforePaidDate,
  kDisputedOnlyFailed,
  kDisputedNoKpm,
  // Anomalies.
  kPaidNotApproved,
  kDuplicatePayout,
  kAmountMismatch,
  kPaidOutsideWindow,
  kPaidToIneligible,
  kUnpaidAfterWindow,
  kApprovedIneligible,
  kEntitlementMismatch,
  kApprovedNotInBnba,
  kApprovedWhileSuspended,
  kComplaintUnanswered,
  kPaidButDisputed,
};
constexpr int kFirstNearMiss = static_cast<int>(Kind::kWindowFirstDay);
constexpr int kFirstAnomaly = static_cast<int>(Kind::kPaidNotApproved);
constexpr int kNearMisses = kFirstAnomaly - kFirstNearMiss;
constexpr std::array<std::string_view, 12> kFindingTypes = {
    "PAID_NOT_APPROVED",        "DUPLICATE_PAYOUT",     "AMOUNT_MISMATCH",
    "PAID_OUTSIDE_WINDOW",      "PAID_TO_INELIGIBLE",   "UNPAID_AFTER_WINDOW",
    "APPROVED_INELIGIBLE",      "ENTITLEMENT_MISMATCH", "APPROVED_NOT_IN_BNBA",
    "APPROVED_WHILE_SUSPENDED", "COMPLAINT_UNANSWERED", "PAID_BUT_DISPUTED",
};
static_assert(kFirstAnomaly + kFindingTypes.size() == static_cast<int>(Kind::kPaidButDisputed) + 1);

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

// Which target list holds the family, if any.
enum class ListEntry : uint8_t {
  kOnList,  // the list of the stage's year, before the berita acara
  kNone,
  kEarlierYear,  // only the list of the year before
  kNextYear,     // only the list of the year after
  kLate,         // only rows of the stage's list appended after the berita acara
};

enum class Commitment : uint8_t { kKesehatan, kPendidikan, kKesejahteraan, kP2k2 };
constexpr std::array<std::string_view, 4> kCommitmentNames = {"kesehatan", "pendidikan",
                                                              "kesejahteraan", "p2k2"};
enum class Outcome : uint8_t { kMet, kNotMet, kExempt };
constexpr std::array<std::string_view, 3> kOutcomeNames = {"met", "not_met", "exempt"};
struct PlannedVerification {
  uint8_t months_before;  // 1: the month before the berita acara's
  Commitment commitment;
  Outcome result;
  uint8_t day;  // verified on the month's first day + day
  bool late;    // imported after the berita acara
};

enum class Category : uint8_t { kTidakMenerima, kPotongan, kData, kLayanan, kLainnya };
constexpr std::array<std::string_view, 5> kCategoryNames = {"tidak_menerima", "potongan", "data",
                                                            "layanan", "lainnya"};
constexpr std::array<std::string_view, 8> kChannels = {"loket", "buku",  "telepon",      "whatsapp",
                                                       "web",   "email", "media_sosial", "lapor"};
enum class Action : uint8_t { kAnswered, kForwarded, kResolved };
constexpr std::array<std::string_view, 3> kActionNames = {"answered", "forwarded", "resolved"};
struct PlannedResponse {
  int64_t instant;
  int offset_minutes;
  Action action;
};
struct PlannedComplaint {
  LocalTime received;
  Category category = Category::kLainnya;
  uint8_t channel = 0;
  bool with_kpm = true;      // else id_kpm is empty
  bool other_stage = false;  // about Stage::other_id
  bool finding = false;      // the complaint the family's anomaly is reported for
  bool evidence = false;
  std::vector<PlannedResponse> responses;
};

struct FamilyPlan {
  Kind kind = Kind::kRegular;
  std::vector<PlannedUpdate> updates;
  std::optional<uint64_t> approved;
  std::vector<PlannedReceipt> receipts;
  int finding_receipt = -1;  // the receipt a receipt-based finding names
  ListEntry list = ListEntry::kOnList;
  std::vector<PlannedVerification> verifications;  // in file order
  std::vector<PlannedComplaint> complaints;        // in file order
};

class Planner {
 public:
  Planner(const Stage& stage, const CyclePolicy& policy) : stage_(stage), policy_(policy) {}

  // Replaces `plan` with the plan of a family of `special`'s kind; a
  // regular family given `complaint` also files a complaint that produces no
  // finding. Reuses the plan's buffers.
  void Plan(Special special, bool complaint, Rng& rng, FamilyPlan& plan) const;

 private:
  // plan.cc: updates, approval, receipts.
  void PlanPayout(Special special, Rng& rng, FamilyPlan& p) const;
  void Regular(Rng& rng, bool over_cap, FamilyPlan& p) const;
  int64_t UpdateDay(Rng& rng) const;
  PaidAt InWindow(Rng& rng) const;
  static Members RandomMembers(Rng& rng);
  static Members OverCapMembers(Rng& rng);

  // cycle_plan.cc: target lists, verifications, complaints.
  void PlanCycle(Special special, bool complaint, Rng& rng, FamilyPlan& p) const;
  void PlanSuspension(Special special, FamilyPlan& p) const;
  void PlanComplaints(Special special, Rng& rng, FamilyPlan& p) const;
  void RegularVerifications(Rng& rng, FamilyPlan& p) const;
  PlannedComplaint RegularComplaint(Rng& rng, const FamilyPlan& p) const;
  void AnswerInTime(Rng& rng, PlannedComplaint& c, Action action = Action::kAnswered) const;
  int64_t DeadlineSeconds() const { return int64_t{policy_.response_hours} * 3600; }
  // A day whose complaints' deadlines pass two days before the audit moment:
  // the 10th of the window's month when that is early enough.
  int64_t SettledDay() const;

  const Stage& stage_;
  const CyclePolicy& policy_;
};

}  // namespace jejak::gen
