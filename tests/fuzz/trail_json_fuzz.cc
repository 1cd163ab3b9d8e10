// A family's trail as JSON (ledger/audit/trail.h), as `jejak trail --node`
// reads it from a node. A parsed trail prints back to JSON that parses to
// the same print; it never carries an identifier (id_kpm); its Indonesian
// lines are one for each English line; both texts render; every message is
// printable.
#include <string>

#include "ledger/audit/trail.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto t = ParseTrailJson(text);
  if (!t.ok()) {
    FUZZ_CHECK_MESSAGE(t.status());
    return 0;
  }
  FUZZ_CHECK(t->notes.size() == t->notes_id.size() && t->missing.size() == t->missing_id.size(),
             "one Indonesian line for each note and missing line");
  const std::string json = TrailJson(*t);
  FUZZ_CHECK(json.find("\"id_kpm\"") == std::string::npos, "no identifier without --reveal");
  auto again = ParseTrailJson(json);
  FUZZ_CHECK(again.ok(), "a trail prints back to JSON that parses");
  FUZZ_CHECK(TrailJson(*again) == json, "and that prints the same");
  for (Lang lang : {Lang::kId, Lang::kEn}) {
    const std::string shown = TrailText(*t, lang);
    FUZZ_CHECK(shown.find(PseudonymHex(t->kpm)) != std::string::npos, "the text names the KPM");
  }
  return 0;
}
