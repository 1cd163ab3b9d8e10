// The CSV reader over any bytes, with the columns of each import format: the
// first byte picks the format (and whether other columns are allowed, and
// whether lines are short), the rest is the file. Every row read has as many
// fields as asked for, each within the bound and valid UTF-8 with no control
// character but tab; line numbers only grow; an error stays; and no message
// is unprintable or quotes an identifier of the file.
#include <string>
#include <vector>

#include "ledger/pkh/berita_acara.h"
#include "ledger/pkh/csv.h"
#include "ledger/pkh/entitlement.h"
#include "ledger/pkh/import.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::AsText(data, size);
  const uint8_t pick = fuzz::TakeByte(in);
  std::vector<std::string> columns;
  switch (pick % 4) {
    case 0:
      columns = kUpdateColumns;
      break;
    case 1:
      columns = kReceiptColumns;
      break;
    case 2:
      columns.assign(std::begin(kBeritaAcaraColumns), std::end(kBeritaAcaraColumns));
      break;
    default:
      columns.assign(kBenefitIndexColumns.begin(), kBenefitIndexColumns.end());
  }
  CsvLimits limits;
  limits.other_columns = (pick & 4) != 0;
  if (pick & 8) limits.max_line_bytes = 64;  // short lines, so the bound is reached
  auto reader = CsvReader::FromString(std::string(in), "fuzz.csv", columns, limits);
  if (!reader.ok()) {
    FUZZ_CHECK_MESSAGE(reader.status());
    FUZZ_CHECK(!fuzz::QuotesCsvValue(reader.status().message(), in), "a message quotes no value");
    return 0;
  }
  std::vector<std::string_view> fields;
  uint64_t line = (*reader)->line();
  for (;;) {
    auto more = (*reader)->Next(fields);
    if (!more.ok()) {
      FUZZ_CHECK_MESSAGE(more.status());
      FUZZ_CHECK(!fuzz::QuotesCsvValue(more.status().message(), in), "a message quotes no value");
      auto again = (*reader)->Next(fields);
      FUZZ_CHECK(!again.ok() && again.status().message() == more.status().message(),
                 "a failed reader fails again with the same error");
      break;
    }
    if (!*more) break;
    FUZZ_CHECK(fields.size() == columns.size(), "a row has the fields asked for");
    FUZZ_CHECK((*reader)->line() > line, "line numbers grow");
    line = (*reader)->line();
    for (const auto& f : fields) {
      FUZZ_CHECK(f.size() <= limits.max_field_bytes, "fields are bounded");
      FUZZ_CHECK(ValidUtf8(f, {.allow_tab = true}), "fields are UTF-8 with no control but tab");
    }
    (void)(*reader)->Where(fields.size() - 1);
  }
  return 0;
}
