// Tile paths (ledger/tiles.h): ParseTilePath over any text, as a request
// target or a tiles folder names them. A parsed path prints back to itself
// (one tile, one spelling), with a level of 0..63 and a width of 1..256; and
// the first 17 bytes, read as a tile (level, index, width), print to a path
// that parses back to that tile.
#include <cstring>
#include <string>

#include "ledger/log/tiles.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

void CheckParse(std::string_view path) {
  auto parsed = ParseTilePath(path);
  if (!parsed.ok()) {
    FUZZ_CHECK_MESSAGE(parsed.status());
    return;
  }
  const TileId& t = parsed->tile;
  FUZZ_CHECK(t.level >= 0 && t.level <= 63, "a level is 0..63");
  FUZZ_CHECK(t.width >= 1 && t.width <= kTileWidth, "a width is 1..256");
  FUZZ_CHECK(!parsed->entries || t.level == 0, "an entry bundle is at level 0");
  const std::string again = parsed->entries ? EntryBundlePath(t.index, t.width) : TilePath(t);
  FUZZ_CHECK(again == path, "a tile path prints back to itself");
}

void CheckPrint(std::string_view in) {
  if (in.size() < 17) return;
  uint64_t index;
  uint32_t width;
  std::memcpy(&index, in.data() + 1, sizeof index);
  std::memcpy(&width, in.data() + 9, sizeof width);
  TileId t;
  t.level = static_cast<uint8_t>(in[0]) % 64;
  // Indexes below 10^19 have a path; every tree's tiles do.
  t.index = index % 10'000'000'000'000'000'000u;
  t.width = width % kTileWidth + 1;
  const bool entries = (in[13] & 1) != 0;
  if (entries) t.level = 0;
  auto parsed = ParseTilePath(entries ? EntryBundlePath(t.index, t.width) : TilePath(t));
  FUZZ_CHECK(parsed.ok() && parsed->entries == entries && parsed->tile == t,
             "a printed tile path parses back to its tile");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::AsText(data, size);
  CheckParse(in);
  CheckPrint(in);
  return 0;
}
