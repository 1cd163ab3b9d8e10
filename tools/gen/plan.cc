// The payout side of a family's plan: updates, approval and receipts.
#include "tools/gen/plan.h"

#include <algorithm>
#include <charconv>

namespace jejak::gen {

std::optional<Stage> MakeStage(const std::string& id, const CyclePolicy& policy) {
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
  s.ba_month = MonthIndex(s.year, 3 * q - 1);
  s.window_from = DaysFromCivil(s.year, 3 * q, 1);
  s.window_to = DaysFromCivil(s.year, 3 * q, 14);
  s.as_of = DaysFromCivil(s.year + (q == 4), q == 4 ? 1 : 3 * q + 1, 1);
  s.audit_moment = InstantOf({s.MomentDay(), 0, kWibMinutes});
  const int other_year = q == 1 ? s.year - 1 : s.year;
  const unsigned other_q = q == 1 ? 4 : q - 1;
  s.other_id = std::to_string(other_year) + "-T" + std::to_string(other_q);
  s.other_window_from = DaysFromCivil(other_year, 3 * other_q, 1);
  s.other_window_to = DaysFromCivil(other_year, 3 * other_q, 14);
  // From the first month verified (and the earliest complaint a deadline
  // reaches back to) to a month after the audit.
  const int64_t deadline_days = (policy.response_hours + 23) / 24;
  s.first_day =
      std::min({s.updates_month - 62, FirstDayOfMonth(s.ba_month - policy.verification_months) - 1,
                s.MomentDay() - deadline_days - 62});
  for (int64_t d = s.first_day; d <= s.as_of + 31; ++d) s.dates.push_back(DateText(d));
  return s;
}

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

uint64_t UncappedSum(const Members& m) {
  uint64_t total = 0;
  for (size_t c = 0; c < kComponents; ++c) total += m[c] * kIndex[c].amount;
  return total;
}

void Planner::Plan(Special special, bool complaint, Rng& rng, FamilyPlan& plan) const {
  plan.kind = special.kind;
  plan.updates.clear();
  plan.approved.reset();
  plan.receipts.clear();
  plan.finding_receipt = -1;
  plan.list = ListEntry::kOnList;
  plan.verifications.clear();
  plan.complaints.clear();
  PlanPayout(special, rng, plan);
  PlanCycle(special, complaint && special.kind == Kind::kRegular, rng, plan);
}

int64_t Planner::UpdateDay(Rng& rng) const {
  return stage_.updates_month + 1 + static_cast<int64_t>(rng.Below(27));
}

PaidAt Planner::InWindow(Rng& rng) const {
  PaidAt at;
  at.day = stage_.window_from +
           static_cast<int64_t>(rng.Below(stage_.window_to - stage_.window_from + 1));
  if (rng.Percent(30)) {
    at.minute = static_cast<int>(7 * 60 + rng.Below(10 * 60));
    at.tz_hours = static_cast<int>(7 + rng.Below(3));
  }
  return at;
}

Members Planner::RandomMembers(Rng& rng) {
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
Members Planner::OverCapMembers(Rng& rng) {
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
void Planner::Regular(Rng& rng, bool over_cap, FamilyPlan& p) const {
  const Members m = over_cap ? OverCapMembers(rng) : RandomMembers(rng);
  p.updates.push_back({UpdateDay(rng), "active", m});
  p.approved = Entitlement(m);
  p.receipts.push_back({"paid", *p.approved, InWindow(rng)});
}

namespace {
constexpr std::array<std::string_view, 4> kInactive = {"deceased", "moved", "graduated",
                                                       "ineligible"};
}  // namespace

void Planner::PlanPayout(Special special, Rng& rng, FamilyPlan& p) const {
  const uint64_t v = special.variant;
  const Stage& s = stage_;
  switch (special.kind) {
    case Kind::kRegular:
      Regular(rng, rng.Percent(1), p);
      if (rng.Percent(1)) {  // a failed attempt earlier the same day
        p.receipts.insert(p.receipts.begin(), {"failed", *p.approved, {p.receipts[0].at.day}});
      }
      return;
    case Kind::kWindowFirstDay:
      Regular(rng, false, p);
      p.receipts[0].at = {s.window_from};
      return;
    case Kind::kWindowLastDay:
      Regular(rng, false, p);
      p.receipts[0].at = {s.window_to};
      return;
    case Kind::kLastMinute:
      Regular(rng, false, p);
      p.receipts[0].at = {s.window_to, 23 * 60 + 59, 7};
      return;
    case Kind::kEarlyTimeZone:  // the previous day in UTC; counts as written
      Regular(rng, false, p);
      p.receipts[0].at = {s.window_from, 15, 9};
      return;
    case Kind::kFailedThenPaid:
      Regular(rng, false, p);
      p.receipts[0].at = {s.window_from + 6};
      p.receipts.insert(p.receipts.begin(), {"failed", *p.approved, {s.window_from + 2}});
      return;
    case Kind::kFailedOutsideThenPaid:
      Regular(rng, false, p);
      p.receipts.insert(p.receipts.begin(), {"failed", *p.approved, {s.window_from - 1}});
      return;
    case Kind::kOnlyFailed:
    case Kind::kDisputedOnlyFailed:
      Regular(rng, false, p);
      p.receipts[0].status = "failed";
      return;
    case Kind::kOnlyReturned:
      Regular(rng, false, p);
      p.receipts[0].status = "returned";
      return;
    case Kind::kActiveUpdateOnPaidDate:
      Regular(rng, false, p);
      p.updates.push_back({p.receipts[0].at.day, "active", RandomMembers(rng)});
      return;
    case Kind::kInactiveAfterPaidDate: {
      Regular(rng, false, p);
      PaidAt& at = p.receipts[0].at;
      at.day = std::min(at.day, s.window_to - 1);
      p.updates.push_back({at.day + 1, kInactive[v % kInactive.size()], Members{}});
      return;
    }
    case Kind::kOverCap:
      Regular(rng, true, p);
      return;
    case Kind::kUpdateOnBaDate: {
      Regular(rng, false, p);
      Members later = RandomMembers(rng);
      if (Entitlement(later) == *p.approved) later[kSd] = later[kSd] == 1 ? 2 : 1;
      p.updates.push_back({s.ba_date, "active", later});
      p.approved = Entitlement(later);
      p.receipts[0].amount = *p.approved;
      return;
    }
    case Kind::kReactivated:
      Regular(rng, false, p);
      p.updates.insert(p.updates.begin(), {s.updates_month - 10, "moved", p.updates[0].members});
      return;
    case Kind::kTieSameDate:  // same date: the later leaf (active) wins
      Regular(rng, false, p);
      p.updates.insert(p.updates.begin(), {p.updates[0].day, "deceased", p.updates[0].members});
      return;
    case Kind::kExitedNotApproved:
      p.updates.push_back({UpdateDay(rng), "graduated", RandomMembers(rng)});
      return;
    case Kind::kDisputedBeforePaidDate:  // paid on a date, after the window's first day
      Regular(rng, false, p);
      p.receipts[0].at = {std::max(p.receipts[0].at.day, s.window_from + 1)};
      return;
    case Kind::kPaidNotApproved:
      p.receipts.push_back({"paid", Entitlement(RandomMembers(rng)), InWindow(rng)});
      p.finding_receipt = 0;
      return;
    case Kind::kDuplicatePayout: {
      Regular(rng, false, p);
      PlannedReceipt second = p.receipts[0];
      second.at = InWindow(rng);
      second.other_bank = v % 2 == 1;
      p.receipts.push_back(second);
      return;
    }
    case Kind::kAmountMismatch: {
      Regular(rng, false, p);
      constexpr std::array<uint64_t, 3> kCuts = {25'000, 50'000, 100'000};
      p.receipts[0].amount -= kCuts[v % kCuts.size()];
      p.finding_receipt = 0;
      return;
    }
    case Kind::kPaidOutsideWindow:
      Regular(rng, false, p);
      p.receipts[0].at = v % 3 == 0   ? PaidAt{s.window_to + 1}
                         : v % 3 == 1 ? PaidAt{s.window_from - 1}
                                      : PaidAt{s.window_to + 1, 30, 7};
      p.finding_receipt = 0;
      return;
    case Kind::kPaidToIneligible: {
      Regular(rng, false, p);
      const int64_t paid = p.receipts[0].at.day;
      p.updates.push_back(
          {v % 2 == 0 ? s.ba_date + 1 : paid, kInactive[v % kInactive.size()], Members{}});
      p.finding_receipt = 0;
      return;
    }
    case Kind::kUnpaidAfterWindow:
      Regular(rng, false, p);
      p.receipts.clear();
      return;
    case Kind::kApprovedIneligible:
      Regular(rng, false, p);
      if (v % 2 == 0) {  // never updated, and paid correctly
        p.updates.clear();
      } else {  // deceased before the berita acara; the payment failed
        p.updates[0].status = "deceased";
        p.receipts[0].status = "failed";
      }
      return;
    case Kind::kEntitlementMismatch:
      Regular(rng, v % 2 == 0, p);
      p.approved =
          v % 2 == 0 ? UncappedSum(p.updates[0].members) : *p.approved + kIndex[kSd].amount;
      p.receipts[0].amount = *p.approved;
      return;
    case Kind::kPaidButDisputed:
      Regular(rng, false, p);
      if (v % 3 == 1) {  // late in the evening; the complaint comes the same day, earlier
        p.receipts[0].at = {std::min(p.receipts[0].at.day, s.window_to - 1), 23 * 60, 7};
      } else if (v % 3 == 2) {  // a failed attempt first: the paid receipt is the one cited
        p.receipts[0].at = {s.window_from + 6};
        p.receipts.insert(p.receipts.begin(), {"failed", *p.approved, {s.window_from + 2}});
      }
      p.finding_receipt = static_cast<int>(p.receipts.size()) - 1;
      return;
    default:  // the other kinds of the rest of the cycle are paid as regular families
      Regular(rng, false, p);
      return;
  }
}

}  // namespace jejak::gen
