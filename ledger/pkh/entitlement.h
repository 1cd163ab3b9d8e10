// The PKH benefit rules (specs: ../shared/DOMAIN.md, "Benefit index"): the
// components of a family, the benefit index of a year, and the entitlement of
// a family for one stage. Pure: the index arrives as data (from the
// governance log or a CSV file), never as constants in code.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto/status.h"
#include "ledger/pkh/csv.h"

namespace jejak {

enum class Component {
  kIbuHamil,
  kAnakUsiaDini,
  kSd,
  kSmp,
  kSma,
  kDisabilitasBerat,
  kLansia,
};
inline constexpr size_t kComponentCount = 7;

// The name used in CSV files and statements: "ibu_hamil", "anak_usia_dini",
// "sd", "smp", "sma", "disabilitas_berat", "lansia". Thread-safe.
std::string_view ComponentName(Component component);

// The component of a name as returned by ComponentName (exact, lowercase).
// InvalidArgument listing the valid names otherwise (without echoing the
// value). Thread-safe.
Result<Component> ParseComponent(std::string_view name);

// Member counts of one family, indexed by static_cast<size_t>(Component).
using Members = std::array<uint16_t, kComponentCount>;

// The benefit index in force for one year, per quarterly stage.
struct BenefitIndex {
  uint16_t year = 0;
  uint16_t max_components = 0;  // member amounts counted per family
  struct Rate {
    bool present = false;  // an absent component pays nothing
    uint64_t amount_per_stage = 0;
    uint16_t max_members = 0;  // members of this component counted per family
  };
  std::array<Rate, kComponentCount> rates;  // indexed by Component
};

// Checks the ranges the entitlement rule relies on: max_components at least
// 1, at least one component present, and for each present component an
// amount of at most kMaxRupiah (values.h) and max_members 1..99. For an
// index decoded from elsewhere (the governance log) before using it. Returns
// InvalidArgument naming the year and the component. Pure and thread-safe.
Status ValidateBenefitIndex(const BenefitIndex& index);

// The entitlement of a family for one stage: for each component present in
// `index`, min(members, max_members) member amounts of its amount_per_stage;
// of all these, the index.max_components largest are summed (so an index with
// max_components 0 entitles nobody). Cannot fail: for an index that passes
// ValidateBenefitIndex the sum fits easily; for any other it saturates at
// UINT64_MAX rather than wrap. Pure and thread-safe.
uint64_t Entitlement(const Members& members, const BenefitIndex& index);

// The columns of a benefit index CSV file, for CsvReader::Open.
inline constexpr std::array<std::string_view, 3> kBenefitIndexColumns = {
    "component", "amount_per_stage", "max_members"};

// Reads a benefit index from `reader`, opened with exactly
// kBenefitIndexColumns in that order (the file may order them as it likes),
// one row per component: a component name, a whole rupiah amount
// (ParseRupiah) and max_members 1..99. The result passes
// ValidateBenefitIndex. Returns InvalidArgument located with
// reader.Where(...) for an unknown or repeated component, a bad amount or
// max_members; InvalidArgument naming the file if it has no rows or if
// `max_components` is 0, or if the reader was opened with other columns; and
// any error of reader.Next. Consumes the reader; not thread-safe with respect
// to it.
Result<BenefitIndex> ParseBenefitIndexCsv(CsvReader& reader, uint16_t year,
                                          uint16_t max_components);

}  // namespace jejak
