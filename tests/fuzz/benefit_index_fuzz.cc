// The benefit index CSV file (ledger/entitlement.h ParseBenefitIndexCsv), as
// Kemensos sets a year's index from it, over any bytes: the first bytes pick
// the year and the component cap, the next seven a family's member counts,
// the rest is the file. A parsed index passes ValidateBenefitIndex, prints
// back to a file that parses the same, and entitles a family to no more when
// it has fewer members; every message is printable and quotes no value.
#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "ledger/pkh/csv.h"
#include "ledger/pkh/entitlement.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

Result<BenefitIndex> Parse(std::string text, uint16_t year, uint16_t cap) {
  std::unique_ptr<CsvReader> reader;
  ASSIGN_OR_RETURN(
      reader, CsvReader::FromString(std::move(text), "index.csv",
                                    {kBenefitIndexColumns.begin(), kBenefitIndexColumns.end()}));
  return ParseBenefitIndexCsv(*reader, year, cap);
}

std::string Print(const BenefitIndex& index) {
  std::string out = "component,amount_per_stage,max_members\n";
  for (size_t c = 0; c < kComponentCount; ++c) {
    const BenefitIndex::Rate& r = index.rates[c];
    if (!r.present) continue;
    out += fmt::format("{},{},{}\n", ComponentName(static_cast<Component>(c)), r.amount_per_stage,
                       r.max_members);
  }
  return out;
}

bool SameRates(const BenefitIndex& a, const BenefitIndex& b) {
  for (size_t c = 0; c < kComponentCount; ++c) {
    const auto &x = a.rates[c], &y = b.rates[c];
    if (x.present != y.present || x.amount_per_stage != y.amount_per_stage ||
        x.max_members != y.max_members) {
      return false;
    }
  }
  return a.year == b.year && a.max_components == b.max_components;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::AsText(data, size);
  const uint16_t year = static_cast<uint16_t>(2000 + fuzz::TakeByte(in) % 100);
  const uint16_t cap = fuzz::TakeByte(in) % 9;  // 0 is refused
  Members members{};
  for (auto& m : members) m = fuzz::TakeByte(in) % 100;
  auto index = Parse(std::string(in), year, cap);
  if (!index.ok()) {
    FUZZ_CHECK_MESSAGE(index.status());
    FUZZ_CHECK(!fuzz::QuotesCsvValue(index.status().message(), in), "a message quotes no value");
    return 0;
  }
  FUZZ_CHECK(cap > 0, "a cap of 0 is refused");
  FUZZ_CHECK(ValidateBenefitIndex(*index).ok(), "a parsed index is valid");
  auto again = Parse(Print(*index), year, cap);
  FUZZ_CHECK(again.ok() && SameRates(*again, *index),
             "an index prints back to a file that parses the same");

  const uint64_t full = Entitlement(members, *index);
  uint64_t most = 0;
  for (const auto& r : index->rates) most = std::max(most, r.amount_per_stage * 99);
  FUZZ_CHECK(full <= most * cap, "an entitlement is at most cap times the largest component");
  for (size_t c = 0; c < kComponentCount; ++c) {
    if (members[c] == 0) continue;
    Members fewer = members;
    --fewer[c];
    FUZZ_CHECK(Entitlement(fewer, *index) <= full, "fewer members are never entitled to more");
  }
  return 0;
}
