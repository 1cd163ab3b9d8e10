// The PKH benefit rules: component names, the entitlement of a family for one
// stage (DOMAIN.md's worked example and each cap), and the benefit index CSV.
#include "ledger/pkh/entitlement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/ledger/pkh/pkh_world_core.h"

namespace jejak {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t I(Component c) { return static_cast<size_t>(c); }

// The quarterly stage amounts of DOMAIN.md's table, with at most 2
// pregnancies and 2 young children, 4 members of every other component and
// 4 member amounts per family.
BenefitIndex DomainIndex() { return testing::DomainBenefitIndex(2026); }

Members Family(std::initializer_list<std::pair<Component, uint16_t>> counts) {
  Members m{};
  for (const auto& [c, n] : counts) m[I(c)] = n;
  return m;
}

TEST(EntitlementComponent, NamesRoundTrip) {
  const std::vector<std::string_view> names = {"ibu_hamil", "anak_usia_dini",    "sd",    "smp",
                                               "sma",       "disabilitas_berat", "lansia"};
  ASSERT_EQ(names.size(), kComponentCount);
  for (size_t i = 0; i < kComponentCount; ++i) {
    EXPECT_EQ(ComponentName(static_cast<Component>(i)), names[i]);
    auto parsed = ParseComponent(names[i]);
    ASSERT_TRUE(parsed.ok()) << names[i];
    EXPECT_EQ(I(*parsed), i);
  }
}

TEST(EntitlementComponent, RefusesUnknownNamesListingTheValidOnes) {
  for (std::string_view s : {"SD", "ibu hamil", "", "balita"}) {
    auto parsed = ParseComponent(s);
    ASSERT_FALSE(parsed.ok()) << s;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(),
              "unknown component; expected one of ibu_hamil, anak_usia_dini, sd, smp, sma, "
              "disabilitas_berat, lansia");
  }
}

TEST(Entitlement, DomainWorkedExample) {
  // 1 ibu_hamil, 2 sd, 1 smp, 1 sma with cap 4: one sd member falls out.
  const Members m = Family(
      {{Component::kIbuHamil, 1}, {Component::kSd, 2}, {Component::kSmp, 1}, {Component::kSma, 1}});
  EXPECT_EQ(Entitlement(m, DomainIndex()), 750'000u + 500'000u + 375'000u + 225'000u);
  EXPECT_EQ(Entitlement(m, DomainIndex()), 1'850'000u);
}

TEST(Entitlement, CapsMembersPerComponent) {
  // Three pregnancies count as two.
  EXPECT_EQ(Entitlement(Family({{Component::kIbuHamil, 3}}), DomainIndex()), 1'500'000u);
  EXPECT_EQ(Entitlement(Family({{Component::kIbuHamil, 3}, {Component::kAnakUsiaDini, 5}}),
                        DomainIndex()),
            4 * 750'000u);
  EXPECT_EQ(Entitlement(Family({{Component::kSd, 99}}), DomainIndex()), 4 * 225'000u);
}

TEST(Entitlement, KeepsTheLargestAmountsUpToTheOverallCap) {
  const Members m = Family({{Component::kSd, 3},
                            {Component::kLansia, 1},
                            {Component::kDisabilitasBerat, 1},
                            {Component::kSmp, 2}});
  // Amounts 600, 600, 375, 375, 225, 225, 225 (thousands): the four largest.
  EXPECT_EQ(Entitlement(m, DomainIndex()), 1'950'000u);
  BenefitIndex two = DomainIndex();
  two.max_components = 2;
  EXPECT_EQ(Entitlement(m, two), 1'200'000u);
  BenefitIndex many = DomainIndex();
  many.max_components = 20;
  EXPECT_EQ(Entitlement(m, many), 2 * 600'000u + 2 * 375'000u + 3 * 225'000u);
  BenefitIndex none = DomainIndex();
  none.max_components = 0;
  EXPECT_EQ(Entitlement(m, none), 0u);
}

TEST(Entitlement, ZeroMembersIsZero) { EXPECT_EQ(Entitlement(Members{}, DomainIndex()), 0u); }

TEST(Entitlement, ComponentsMissingFromTheIndexCountNothing) {
  BenefitIndex index = DomainIndex();
  index.rates[I(Component::kIbuHamil)] = {};
  const Members m = Family({{Component::kIbuHamil, 2}, {Component::kSd, 1}});
  // The absent component does not take a place under the overall cap either.
  index.max_components = 1;
  EXPECT_EQ(Entitlement(m, index), 225'000u);
}

TEST(Entitlement, SaturatesInsteadOfWrappingOnAnIndexOutOfRange) {
  BenefitIndex index = DomainIndex();
  index.rates[I(Component::kLansia)] = {
      .present = true, .amount_per_stage = UINT64_MAX / 2, .max_members = 4};
  EXPECT_EQ(Entitlement(Family({{Component::kLansia, 3}}), index), UINT64_MAX);
  EXPECT_EQ(ValidateBenefitIndex(index).message(),
            "benefit index for 2026: the amount of lansia is over 999999999999");
}

TEST(EntitlementValidate, ChecksTheRangesTheRuleReliesOn) {
  EXPECT_TRUE(ValidateBenefitIndex(DomainIndex()).ok());
  BenefitIndex index = DomainIndex();
  index.rates[I(Component::kSd)].max_members = 100;
  EXPECT_EQ(ValidateBenefitIndex(index).message(),
            "benefit index for 2026: max_members of sd is 100; expected 1 to 99");
  index.rates[I(Component::kSd)].max_members = 0;
  EXPECT_EQ(ValidateBenefitIndex(index).message(),
            "benefit index for 2026: max_members of sd is 0; expected 1 to 99");
  index = DomainIndex();
  index.max_components = 0;
  EXPECT_EQ(ValidateBenefitIndex(index).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateBenefitIndex(index).message(),
            "benefit index for 2026: the component cap must be at least 1");
  index = DomainIndex();
  for (auto& rate : index.rates) rate.present = false;
  EXPECT_EQ(ValidateBenefitIndex(index).message(),
            "benefit index for 2026: no component is present");
  // An absent component's values are not looked at.
  index = DomainIndex();
  index.rates[I(Component::kSma)] = {.present = false, .amount_per_stage = 0, .max_members = 0};
  EXPECT_TRUE(ValidateBenefitIndex(index).ok());
}

// ---- ParseBenefitIndexCsv ----

std::vector<std::string> IndexColumns() {
  return {kBenefitIndexColumns.begin(), kBenefitIndexColumns.end()};
}

Result<BenefitIndex> ParseIndex(std::string csv, uint16_t max_components = 4) {
  auto reader = CsvReader::FromString(std::move(csv), "index.csv", IndexColumns());
  if (!reader.ok()) return reader.status();
  return ParseBenefitIndexCsv(**reader, 2026, max_components);
}

void ExpectInvalid(const Result<BenefitIndex>& r, std::string_view message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), message);
}

constexpr std::string_view kDomainCsv =
    "max_members,component,amount_per_stage\r\n"
    "2,ibu_hamil,750000\r\n"
    "2,anak_usia_dini,750000\r\n"
    "4,sd,225000\r\n"
    "4,smp,375000\r\n"
    "\r\n"
    "4,sma,500000\r\n"
    "4,disabilitas_berat,600000\r\n"
    "4,lansia,600000\r\n";

TEST(EntitlementIndexCsv, ReadsTheDomainTable) {
  auto index = ParseIndex(std::string(kDomainCsv));
  ASSERT_TRUE(index.ok()) << index.status().message();
  const BenefitIndex want = DomainIndex();
  EXPECT_TRUE(ValidateBenefitIndex(*index).ok());
  EXPECT_EQ(index->year, 2026);
  EXPECT_EQ(index->max_components, 4);
  for (size_t i = 0; i < kComponentCount; ++i) {
    EXPECT_TRUE(index->rates[i].present) << i;
    EXPECT_EQ(index->rates[i].amount_per_stage, want.rates[i].amount_per_stage) << i;
    EXPECT_EQ(index->rates[i].max_members, want.rates[i].max_members) << i;
  }
  const Members m = Family(
      {{Component::kIbuHamil, 1}, {Component::kSd, 2}, {Component::kSmp, 1}, {Component::kSma, 1}});
  EXPECT_EQ(Entitlement(m, *index), 1'850'000u);
}

TEST(EntitlementIndexCsv, LeavesUnlistedComponentsAbsent) {
  auto index = ParseIndex("component,amount_per_stage,max_members\nsd,225000,4\n", 3);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->max_components, 3);
  EXPECT_TRUE(index->rates[I(Component::kSd)].present);
  EXPECT_FALSE(index->rates[I(Component::kSma)].present);
  EXPECT_EQ(Entitlement(Family({{Component::kSd, 5}, {Component::kSma, 1}}), *index), 3 * 225'000u);
}

TEST(EntitlementIndexCsv, RefusesBadRowsWithTheirLocation) {
  const std::string header = "component,amount_per_stage,max_members\n";
  ExpectInvalid(ParseIndex(header + "sd,225000,4\nbalita,1,1\n"),
                "index.csv line 3 column 1 (component): unknown component; expected one of "
                "ibu_hamil, anak_usia_dini, sd, smp, sma, disabilitas_berat, lansia");
  ExpectInvalid(ParseIndex(header + "sd,225000,4\n\nsd,225000,4\n"),
                "index.csv line 4 column 1 (component): component sd is repeated (also on line 2)");
  ExpectInvalid(ParseIndex(header + "sd,-225000,4\n"),
                "index.csv line 2 column 2 (amount_per_stage): negative amount; expected a whole "
                "number of rupiah, digits only");
  ExpectInvalid(ParseIndex(header + "sd,\"225,000\",4\n"),
                "index.csv line 2 column 2 (amount_per_stage): not a whole number of rupiah; "
                "write digits only, without a decimal point or thousands separators");
  for (std::string_view bad : {"0", "100", "", "x", "04"}) {
    ExpectInvalid(ParseIndex(header + "sd,225000," + std::string(bad) + "\n"),
                  "index.csv line 2 column 3 (max_members): expected a number of members from 1 "
                  "to 99");
  }
  ExpectInvalid(ParseIndex(header + "sd,225000\n"), "index.csv line 2: expected 3 fields, found 2");
}

TEST(EntitlementIndexCsv, RefusesAnEmptyIndexOrNoComponentCap) {
  ExpectInvalid(ParseIndex("component,amount_per_stage,max_members\n\n"),
                "index.csv: the benefit index has no rows; expected one row per component");
  ExpectInvalid(ParseIndex(std::string(kDomainCsv), 0),
                "index.csv: the benefit index for 2026 needs a component cap of at least 1");
}

TEST(EntitlementIndexCsv, RefusesAReaderWithOtherColumns) {
  auto reader = CsvReader::FromString("amount_per_stage,component,max_members\n", "index.csv",
                                      {"amount_per_stage", "component", "max_members"});
  ASSERT_TRUE(reader.ok());
  auto index = ParseBenefitIndexCsv(**reader, 2026, 4);
  ASSERT_FALSE(index.ok());
  EXPECT_THAT(index.status().message(), HasSubstr("must be read with the columns component, "));
  EXPECT_THAT(index.status().message(), Not(HasSubstr("no rows")));
}

}  // namespace
}  // namespace jejak
