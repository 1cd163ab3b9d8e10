#include "ledger/pkh/entitlement.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/pkh/values.h"

namespace jejak {
namespace {

constexpr std::array<std::string_view, kComponentCount> kComponentNames = {
    "ibu_hamil", "anak_usia_dini", "sd", "smp", "sma", "disabilitas_berat", "lansia",
};

constexpr size_t kComponentColumn = 0;
constexpr size_t kAmountColumn = 1;
constexpr size_t kMaxMembersColumn = 2;

}  // namespace

std::string_view ComponentName(Component component) {
  const auto i = static_cast<size_t>(component);
  return i < kComponentNames.size() ? kComponentNames[i] : std::string_view("unknown");
}

Result<Component> ParseComponent(std::string_view name) {
  for (size_t i = 0; i < kComponentNames.size(); ++i) {
    if (kComponentNames[i] == name) return static_cast<Component>(i);
  }
  return InvalidArgument(
      fmt::format("unknown component; expected one of {}", fmt::join(kComponentNames, ", ")));
}

Status ValidateBenefitIndex(const BenefitIndex& index) {
  if (index.max_components == 0) {
    return InvalidArgument(
        fmt::format("benefit index for {}: the component cap must be at least 1", index.year));
  }
  bool any = false;
  for (size_t i = 0; i < kComponentCount; ++i) {
    const BenefitIndex::Rate& rate = index.rates[i];
    if (!rate.present) continue;
    any = true;
    if (rate.amount_per_stage > kMaxRupiah) {
      return InvalidArgument(fmt::format("benefit index for {}: the amount of {} is over {}",
                                         index.year, kComponentNames[i], kMaxRupiah));
    }
    if (rate.max_members < 1 || rate.max_members > 99) {
      return InvalidArgument(
          fmt::format("benefit index for {}: max_members of {} is {}; expected 1 to 99", index.year,
                      kComponentNames[i], rate.max_members));
    }
  }
  if (!any) {
    return InvalidArgument(
        fmt::format("benefit index for {}: no component is present", index.year));
  }
  return Status::Ok();
}

uint64_t Entitlement(const Members& members, const BenefitIndex& index) {
  // (amount, counted members) per present component, largest amounts first.
  std::array<std::pair<uint64_t, uint16_t>, kComponentCount> counted{};
  for (size_t i = 0; i < kComponentCount; ++i) {
    const BenefitIndex::Rate& rate = index.rates[i];
    if (rate.present) counted[i] = {rate.amount_per_stage, std::min(members[i], rate.max_members)};
  }
  std::sort(counted.begin(), counted.end(), std::greater<>());
  uint64_t total = 0;
  size_t left = index.max_components;
  for (const auto& [amount, count] : counted) {
    const size_t taken = std::min<size_t>(count, left);
    uint64_t part = 0;
    if (__builtin_mul_overflow(amount, uint64_t{taken}, &part) ||
        __builtin_add_overflow(total, part, &total)) {
      return UINT64_MAX;
    }
    left -= taken;
  }
  return total;
}

Result<BenefitIndex> ParseBenefitIndexCsv(CsvReader& reader, uint16_t year,
                                          uint16_t max_components) {
  if (!std::equal(reader.columns().begin(), reader.columns().end(), kBenefitIndexColumns.begin(),
                  kBenefitIndexColumns.end())) {
    return InvalidArgument(fmt::format("{}: a benefit index must be read with the columns {}",
                                       reader.name(), fmt::join(kBenefitIndexColumns, ", ")));
  }
  if (max_components == 0) {
    return InvalidArgument(fmt::format(
        "{}: the benefit index for {} needs a component cap of at least 1", reader.name(), year));
  }
  BenefitIndex index;
  index.year = year;
  index.max_components = max_components;
  std::array<uint64_t, kComponentCount> line_of{};
  std::vector<std::string_view> fields;
  bool any = false;
  for (;;) {
    ASSIGN_OR_RETURN(const bool more, reader.Next(fields));
    if (!more) break;
    any = true;
    auto component = ParseComponent(fields[kComponentColumn]);
    if (!component.ok()) return component.status().WithContext(reader.Where(kComponentColumn));
    const auto c = static_cast<size_t>(*component);
    if (index.rates[c].present) {
      return InvalidArgument(fmt::format("{}: component {} is repeated (also on line {})",
                                         reader.Where(kComponentColumn), kComponentNames[c],
                                         line_of[c]));
    }
    auto amount = ParseRupiah(fields[kAmountColumn]);
    if (!amount.ok()) return amount.status().WithContext(reader.Where(kAmountColumn));
    auto max_members = ParseMemberCount(fields[kMaxMembersColumn]);
    if (!max_members.ok() || *max_members == 0) {
      return InvalidArgument(fmt::format("{}: expected a number of members from 1 to 99",
                                         reader.Where(kMaxMembersColumn)));
    }
    index.rates[c] = {.present = true, .amount_per_stage = *amount, .max_members = *max_members};
    line_of[c] = reader.line();
  }
  if (!any) {
    return InvalidArgument(fmt::format(
        "{}: the benefit index has no rows; expected one row per component", reader.name()));
  }
  return index;
}

}  // namespace jejak
