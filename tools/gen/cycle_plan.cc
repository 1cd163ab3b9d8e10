// The rest of a family's cycle (DOMAIN.md "The rest of the cycle"): which
// target list holds it, its verifications of commitments in the months the
// suspension rule reads, and its complaints with their responses.
#include <algorithm>

#include "tools/gen/plan.h"

namespace jejak::gen {
namespace {

constexpr std::array<int, 4> kOffsets = {7 * 60, 8 * 60, 9 * 60, 0};  // WIB, WITA, WIT, Z

int RandomOffset(Rng& rng) { return kOffsets[rng.Below(kOffsets.size())]; }

// The commitments the family's components call for (the first update's):
// health visits for pregnancies and young children, school attendance,
// welfare visits for severe disability and the elderly; P2K2 sessions when
// none of these apply.
struct Commitments {
  std::array<Commitment, 4> list{};
  size_t size = 0;
  void Add(Commitment c) {
    if (std::find(list.begin(), list.begin() + size, c) == list.begin() + size) list[size++] = c;
  }
};

Commitments CommitmentsOf(const FamilyPlan& p) {
  Commitments out;
  if (!p.updates.empty()) {
    const Members& m = p.updates[0].members;
    if (m[kIbuHamil] + m[kAnakUsiaDini] > 0) out.Add(Commitment::kKesehatan);
    if (m[kSd] + m[kSmp] + m[kSma] > 0) out.Add(Commitment::kPendidikan);
    if (m[kDisabilitasBerat] + m[kLansia] > 0) out.Add(Commitment::kKesejahteraan);
  }
  if (out.size == 0) out.Add(Commitment::kP2k2);
  return out;
}

// The first verification of (month, commitment), which every regular
// family has for each of its commitments.
PlannedVerification* RowOf(FamilyPlan& p, unsigned months_before, Commitment c) {
  for (PlannedVerification& v : p.verifications) {
    if (v.months_before == months_before && v.commitment == c) return &v;
  }
  return nullptr;
}

void SetResult(FamilyPlan& p, unsigned months_before, Commitment c, Outcome result, uint8_t day) {
  if (PlannedVerification* v = RowOf(p, months_before, c)) {
    v->result = result;
    v->day = day;
  }
}

void DropMonth(FamilyPlan& p, unsigned months_before) {
  std::erase_if(p.verifications,
                [&](const PlannedVerification& v) { return v.months_before == months_before; });
}

void AddRow(FamilyPlan& p, unsigned months_before, Commitment c, Outcome result, uint8_t day,
            bool late) {
  p.verifications.push_back({static_cast<uint8_t>(months_before), c, result, day, late});
}

void Respond(PlannedComplaint& c, int64_t after_seconds, int offset_minutes, Action action) {
  c.responses.push_back({InstantOf(c.received) + after_seconds, offset_minutes, action});
}

const PlannedReceipt& LastReceipt(const FamilyPlan& p) { return p.receipts.back(); }

}  // namespace

void Planner::PlanCycle(Special special, bool complaint, Rng& rng, FamilyPlan& p) const {
  RegularVerifications(rng, p);
  if (complaint) p.complaints.push_back(RegularComplaint(rng, p));
  const uint64_t v = special.variant;
  switch (special.kind) {
    case Kind::kOnEarlierYearList:
      p.list = ListEntry::kEarlierYear;
      return;
    case Kind::kApprovedNotInBnba:
      p.list = v % 3 == 0 ? ListEntry::kNone : v % 3 == 1 ? ListEntry::kLate : ListEntry::kNextYear;
      return;
    case Kind::kSuspendedOneMonthShort:
    case Kind::kSuspensionGap:
    case Kind::kNotMetCorrected:
    case Kind::kNotMetRecordedLate:
    case Kind::kApprovedWhileSuspended:
      PlanSuspension(special, p);
      return;
    default:
      PlanComplaints(special, rng, p);
      return;
  }
}

// Verified every month the audit reads before the berita acara's, oldest
// first, each commitment of the family once: met, or (3%) exempt.
void Planner::RegularVerifications(Rng& rng, FamilyPlan& p) const {
  const Commitments cs = CommitmentsOf(p);
  for (unsigned k = policy_.verification_months; k >= 1; --k) {
    for (size_t i = 0; i < cs.size; ++i) {
      const Outcome result = rng.Percent(3) ? Outcome::kExempt : Outcome::kMet;
      AddRow(p, k, cs.list[i], result, static_cast<uint8_t>(rng.Below(25)), false);
    }
  }
}

// With N = suspend_after_months, months 1..N before the berita acara's month
// are the ones a suspension needs all failed.
void Planner::PlanSuspension(Special special, FamilyPlan& p) const {
  const unsigned n = policy_.suspend_after_months;
  const uint64_t v = special.variant;
  Commitments cs = CommitmentsOf(p);
  const Commitment c = cs.list[0];
  auto fail_all = [&] {
    for (unsigned k = 1; k <= n; ++k) SetResult(p, k, c, Outcome::kNotMet, 12);
  };
  switch (special.kind) {
    case Kind::kSuspendedOneMonthShort:  // month N met: N - 1 failed months
      for (unsigned k = 1; k < n; ++k) SetResult(p, k, c, Outcome::kNotMet, 12);
      return;
    case Kind::kSuspensionGap:  // one month (the middle one) without any verification
      fail_all();
      DropMonth(p, n >= 2 ? 2 : 1);
      return;
    case Kind::kNotMetCorrected:  // a met later in the file; odd: dated earlier than the not_met
      fail_all();
      AddRow(p, 1, c, Outcome::kMet, special.variant % 2 == 0 ? 20 : 3, false);
      return;
    case Kind::kNotMetRecordedLate:  // the last month verified only after the berita acara
      fail_all();
      for (PlannedVerification& row : p.verifications) row.late = row.months_before == 1;
      return;
    case Kind::kApprovedWhileSuspended:
      break;
    default:
      return;
  }
  switch (v % 4) {
    case 0:  // one commitment not met N months running
      fail_all();
      return;
    case 1:  // a different commitment fails each month; the others are met
      if (cs.size < 2) {
        const Commitment extra =
            c == Commitment::kP2k2 ? Commitment::kKesehatan : Commitment::kP2k2;
        for (unsigned k = policy_.verification_months; k >= 1; --k) {
          AddRow(p, k, extra, Outcome::kMet, 8, false);
        }
        cs.Add(extra);
      }
      for (unsigned k = 1; k <= n; ++k) {
        SetResult(p, k, cs.list[k % cs.size], Outcome::kNotMet, 12);
      }
      return;
    case 2:  // the correction of the last month came after the berita acara
      fail_all();
      AddRow(p, 1, c, Outcome::kMet, 20, true);
      return;
    default:  // not met, met, not met again: the latest counts
      fail_all();
      AddRow(p, 1, c, Outcome::kMet, 14, false);
      AddRow(p, 1, c, Outcome::kNotMet, 16, false);
      return;
  }
}

int64_t Planner::SettledDay() const {
  const int64_t deadline_days = (policy_.response_hours + 23) / 24;
  return std::min(stage_.window_from + 9, stage_.MomentDay() - deadline_days - 2);
}

void Planner::AnswerInTime(Rng& rng, PlannedComplaint& c, Action action) const {
  Respond(c, rng.Between(600, DeadlineSeconds() - 60), RandomOffset(rng), action);
}

// A complaint answered in time. "Did not receive" from a family is received
// before its paid date (as written); the others any day from three weeks
// before the berita acara until the deadlines would reach the audit.
PlannedComplaint Planner::RegularComplaint(Rng& rng, const FamilyPlan& p) const {
  PlannedComplaint c;
  c.category = static_cast<Category>(rng.Below(kCategoryNames.size()));
  c.channel = static_cast<uint8_t>(rng.Below(kChannels.size()));
  c.with_kpm = rng.Percent(70);
  c.evidence = rng.Percent(30);
  const int64_t from = stage_.ba_date - 20;
  const int64_t deadline_days = (policy_.response_hours + 23) / 24;
  int64_t to = std::max(from, stage_.MomentDay() - deadline_days - 2);
  if (c.category == Category::kTidakMenerima && c.with_kpm) {
    for (const PlannedReceipt& r : p.receipts) to = std::min(to, r.at.day - 1);
  }
  c.received = {rng.Between(from, to), rng.Between(7 * 3600, 21 * 3600 - 1), RandomOffset(rng)};
  const int64_t deadline = DeadlineSeconds();
  const uint64_t how = rng.Below(100);
  if (how < 60) {
    AnswerInTime(rng, c, rng.Percent(50) ? Action::kAnswered : Action::kResolved);
  } else if (how < 85) {  // forwarded first, then answered in time
    const int64_t forwarded = rng.Between(300, deadline / 2);
    Respond(c, forwarded, RandomOffset(rng), Action::kForwarded);
    Respond(c, rng.Between(forwarded + 60, deadline), RandomOffset(rng), Action::kAnswered);
  } else {  // resolved in time, answered again after the deadline
    AnswerInTime(rng, c, Action::kResolved);
    Respond(c, deadline + rng.Between(3600, 3 * 86400), RandomOffset(rng), Action::kAnswered);
  }
  return c;
}

void Planner::PlanComplaints(Special special, Rng& rng, FamilyPlan& p) const {
  const uint64_t v = special.variant;
  const int64_t deadline = DeadlineSeconds();
  const int64_t moment = stage_.audit_moment;
  const int64_t paid_day = p.receipts.empty() ? stage_.window_to : LastReceipt(p).at.day;
  PlannedComplaint c;
  c.channel = static_cast<uint8_t>(rng.Below(kChannels.size()));
  bool answer = true;
  switch (special.kind) {
    case Kind::kAnsweredAtDeadline:  // received at +07:00, answered exactly H h later at +08:00
      c.category = Category::kData;
      c.received = {SettledDay(), 9 * 3600, 7 * 60};
      Respond(c, deadline, 8 * 60, Action::kAnswered);
      answer = false;
      break;
    case Kind::kForwardedThenResolved:  // resolved a second before the deadline, written in Z
      c.category = Category::kLayanan;
      c.received = {SettledDay() - 1, 13 * 3600, 9 * 60};
      Respond(c, 3600, 7 * 60, Action::kForwarded);
      Respond(c, deadline - 1, 0, Action::kResolved);
      answer = false;
      break;
    case Kind::kDeadlineAtAuditMoment:  // not yet unanswered; odd: no family, written at +09:00
      c.category = Category::kLainnya;
      c.received = AtOffset(moment - deadline, v % 2 == 0 ? 7 * 60 : 9 * 60);
      c.with_kpm = v % 2 == 0;
      answer = false;
      break;
    case Kind::kComplaintOpen:  // received an hour before the audit moment
      c.category = Category::kPotongan;
      c.received = AtOffset(moment - 3600, 0);
      answer = false;
      break;
    case Kind::kDisputedOtherCategory:
      c.category = Category::kPotongan;
      c.received = {paid_day + 1, 10 * 3600, RandomOffset(rng)};
      break;
    case Kind::kDisputedOtherStage:
      c.category = Category::kTidakMenerima;
      c.other_stage = true;
      c.received = {paid_day + 1, 11 * 3600, 8 * 60};
      break;
    case Kind::kDisputedBeforePaidDate:  // the day before as written, after midnight WIB
      c.category = Category::kTidakMenerima;
      c.received = {paid_day - 1, 22 * 3600, 0};
      break;
    case Kind::kDisputedOnlyFailed:
      c.category = Category::kTidakMenerima;
      c.received = {paid_day + 1, 9 * 3600, 7 * 60};
      break;
    case Kind::kDisputedNoKpm:
      c.category = Category::kTidakMenerima;
      c.with_kpm = false;
      c.received = {stage_.window_to + 1, 9 * 3600, 9 * 60};
      break;
    case Kind::kComplaintUnanswered:
      c.finding = true;
      answer = false;
      switch (v % 4) {
        case 0:  // no family, no response
          c.category = Category::kLayanan;
          c.with_kpm = false;
          c.received = {SettledDay() - 5, 10 * 3600, 8 * 60};
          break;
        case 1:  // forwarded in time, never answered
          c.category = Category::kData;
          c.received = {SettledDay() - 3, 14 * 3600, 7 * 60};
          Respond(c, 2 * 3600, 7 * 60, Action::kForwarded);
          break;
        case 2:  // answered H h and one second later, written in Z
          c.category = Category::kPotongan;
          c.received = {SettledDay(), 9 * 3600, 7 * 60};
          Respond(c, deadline + 1, 0, Action::kAnswered);
          break;
        default:  // the deadline passed a second before the audit moment
          c.category = Category::kLainnya;
          c.received = AtOffset(moment - deadline - 1, 7 * 60);
          break;
      }
      break;
    case Kind::kPaidButDisputed:
      c.finding = true;
      c.category = Category::kTidakMenerima;
      if (v % 3 == 0) {  // two days after the payment
        c.received = {paid_day + 2, 10 * 3600, RandomOffset(rng)};
      } else if (v % 3 == 1) {  // the paid day as written, hours before the payment's instant
        c.received = {paid_day, 8 * 3600, 0};
      } else {  // resolved at the desk: still disputed
        c.received = {paid_day + 1, 9 * 3600, 8 * 60};
        AnswerInTime(rng, c, Action::kResolved);
        answer = false;
      }
      break;
    default:
      return;
  }
  if (answer) AnswerInTime(rng, c);
  p.complaints.push_back(std::move(c));
}

}  // namespace jejak::gen
