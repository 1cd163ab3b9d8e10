// Tile bodies and entry bundles as a verifier reads them from a peer or a
// tiles folder (ledger/verify.h VerifyLog, the code path of `jejak verify`
// and of every pull). The target builds a valid log from the input's first
// bytes (statements signed by a fixed key, each with a number of text
// records), its tiles, bundles and signed checkpoint, then serves them
// through an in-memory LogSource after the rest of the input has altered
// them: flipped, cut, lengthened or removed tiles, flipped bundle bytes, and
// optionally one raw leaf of the input's own inserted into the log.
//
// Checks: a verification that succeeds read no altered tile and was served
// no altered leaf; one that fails, over a log without a raw leaf and with an
// older checkpoint only where a statement ends, read or was served something
// altered; and every message is printable.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "ledger/log/checkpoint.h"
#include "ledger/log/entry.h"
#include "ledger/log/merkle.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/log/tiles.h"
#include "ledger/log/verify.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

constexpr const char* kOrigin = fuzz::kLogOrigin;
constexpr size_t kMaxStatements = 4;

const SigningKey& LogKey() {
  static const SigningKey key = fuzz::KeyOf(fuzz::kLogKeyByte);
  return key;
}

// "record 17": the text records of the statements, encoded once.
const Bytes& RecordLeaf(size_t i) {
  static std::vector<Bytes>* leaves = [] {
    auto* v = new std::vector<Bytes>();
    for (size_t k = 0; k < 256; ++k) {
      v->push_back(*EncodeTextRecordEntry("record " + std::to_string(k)));
    }
    return v;
  }();
  return (*leaves)[i % 256];
}

using TileKey = std::tuple<int, uint64_t, uint32_t>;

std::string HashBytes(std::span<const Hash> hashes) {
  return std::string(reinterpret_cast<const char*>(hashes.data()), hashes.size() * sizeof(Hash));
}

// A log served from memory; remembers what it served that differs from the
// log it was built from.
class AlteredSource final : public LogSource {
 public:
  std::string checkpoint;
  std::vector<std::pair<uint64_t, std::string>> older;
  std::vector<Bytes> leaves;                           // as built
  std::vector<std::string> bundles;                    // as served
  std::map<TileKey, std::string> tiles, served_tiles;  // as built, as served
  bool served_altered = false;

  std::string Describe() const override { return "fuzz"; }
  Result<std::string> ReadCheckpoint() override { return checkpoint; }
  Result<uint64_t> LeafCount(uint64_t) override { return leaves.size(); }
  Status ForEachOlderCheckpoint(
      const std::function<Status(uint64_t, std::string_view)>& f) override {
    for (const auto& [size, note] : older) RETURN_IF_ERROR(f(size, note));
    return Status::Ok();
  }
  Result<std::optional<std::string>> ReadTile(const TileId& t) override {
    const TileKey key{t.level, t.index, t.width};
    auto it = served_tiles.find(key);
    auto built = tiles.find(key);
    if (it == served_tiles.end()) {
      if (built != tiles.end()) served_altered = true;  // removed
      return std::optional<std::string>();
    }
    if (built == tiles.end() || built->second != it->second) served_altered = true;
    return std::optional<std::string>(it->second);
  }
  Status ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) override {
    for (uint64_t b = begin / kTileWidth; b * kTileWidth < end; ++b) {
      const uint64_t first = b * kTileWidth;
      const auto width =
          static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, leaves.size() - first));
      bool refused = false;  // by the verifier, not by the bundle's decoder
      Status s = DecodeEntryBundle(
          bundles[b], width, first, EntryBundlePath(b, width),
          [&](uint64_t i, ByteSpan leaf) -> Status {
            if (i < begin || i >= end) return Status::Ok();
            if (!std::equal(leaf.begin(), leaf.end(), leaves[i].begin(), leaves[i].end())) {
              served_altered = true;
            }
            Status v = f(i, leaf);
            refused = !v.ok();
            return v;
          });
      if (!s.ok()) {
        if (!refused) served_altered = true;  // the bundle did not decode
        return s;
      }
    }
    return Status::Ok();
  }
};

struct Built {
  std::vector<uint64_t> boundaries;  // 0 and the end of every statement
  bool raw_leaf = false;
};

// Appends `statements` statements (records per statement from the input) and
// maybe one raw leaf.
Built BuildLeaves(std::string_view& in, AlteredSource& source) {
  Built built;
  built.boundaries.push_back(0);
  const uint8_t shape = fuzz::TakeByte(in);
  const size_t statements = shape % kMaxStatements + 1;
  std::optional<size_t> raw_at;
  Bytes raw;
  if (shape & 0x80) {
    // One raw leaf: a length byte, the bytes, and the statement it follows.
    const size_t len = fuzz::TakeByte(in);
    raw.assign(in.begin(), in.begin() + std::min(len, in.size()));
    in.remove_prefix(raw.size());
    raw_at = fuzz::TakeByte(in) % (statements + 1);
    built.raw_leaf = true;
  }
  for (size_t s = 0; s <= statements; ++s) {
    if (raw_at == s) {
      source.leaves.push_back(raw);
      built.boundaries.clear();  // a raw leaf may be anything: no boundary is known
    }
    if (s == statements) break;
    const size_t records = fuzz::TakeByte(in);
    std::vector<Bytes> leaves;
    for (size_t r = 0; r < records; ++r) leaves.push_back(RecordLeaf(source.leaves.size() + r));
    StatementHeader h;
    h.origin = kOrigin;
    h.type = "fuzz.text";
    h.timestamp_ms = static_cast<int64_t>(s);
    PreparedStatement prepared = PrepareStatement(std::move(h), std::move(leaves));
    SignStatement(prepared.statement, fuzz::KeyOf(fuzz::kStatementKeyByte));
    source.leaves.push_back(*EncodeStatementEntry(prepared.statement));
    for (const Bytes& leaf : prepared.record_leaves()) source.leaves.push_back(leaf);
    if (!built.raw_leaf) built.boundaries.push_back(source.leaves.size());
  }
  return built;
}

void BuildTiles(AlteredSource& source) {
  TileBuilder tree;
  for (const Bytes& leaf : source.leaves) {
    tree.Append(LeafHash(leaf));
    for (const auto& t : tree.TakeCompleted()) {
      source.tiles[{t.id.level, t.id.index, t.id.width}] = HashBytes(t.hashes);
    }
  }
  for (int l = 0; l < kMaxTileLevels; ++l) {
    const auto partial = tree.Partial(l);
    if (partial.empty()) continue;
    const LevelShape shape = TileLevelShape(tree.size(), l);
    source.tiles[{l, shape.full, static_cast<uint32_t>(partial.size())}] = HashBytes(partial);
  }
  for (uint64_t first = 0; first < source.leaves.size(); first += kTileWidth) {
    const uint64_t last = std::min<uint64_t>(source.leaves.size(), first + kTileWidth);
    source.bundles.push_back(
        EncodeEntryBundle(std::span<const Bytes>(source.leaves.data() + first, last - first)));
  }
  source.checkpoint =
      SignCheckpoint(Checkpoint{kOrigin, tree.size(), tree.Root(), {}}, LogKey()).Serialize();
  source.served_tiles = source.tiles;
}

// Four bytes an alteration: what, which tile or bundle, where, and a value.
void Alter(std::string_view in, AlteredSource& source) {
  while (in.size() >= 4) {
    const uint8_t op = fuzz::TakeByte(in), which = fuzz::TakeByte(in);
    const uint8_t where = fuzz::TakeByte(in), value = fuzz::TakeByte(in);
    if (op % 5 == 4) {
      if (source.bundles.empty()) continue;
      std::string& b = source.bundles[which % source.bundles.size()];
      if (!b.empty()) b[(where * 257u + value) % b.size()] ^= static_cast<char>(value | 1);
      continue;
    }
    if (source.served_tiles.empty()) continue;
    auto it = source.served_tiles.begin();
    std::advance(it, which % source.served_tiles.size());
    std::string& t = it->second;
    switch (op % 5) {
      case 0:
        if (!t.empty()) t[(where * 256u + value) % t.size()] ^= static_cast<char>(value | 1);
        break;
      case 1:
        t.resize(t.empty() ? 0 : where % t.size());
        break;
      case 2:
        t.append(value % 40 + 1, static_cast<char>(where));
        break;
      default:
        source.served_tiles.erase(it);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::AsText(data, size);
  const uint8_t flags = fuzz::TakeByte(in);
  AlteredSource source;
  const Built built = BuildLeaves(in, source);
  BuildTiles(source);

  VerifyOptions options;
  options.log_key = NoteVerifierKey::ForEd25519(kOrigin, LogKey().public_key());
  uint64_t start = 0;
  if ((flags & 1) && !built.boundaries.empty()) {
    // Resume after a held prefix that ends where a statement does.
    start = built.boundaries[fuzz::TakeByte(in) % built.boundaries.size()];
    TileBuilder held;
    for (uint64_t i = 0; i < start; ++i) held.Append(LeafHash(source.leaves[i]));
    VerifiedPrefix prefix{start, {}};
    for (int l = 0; l < kMaxTileLevels; ++l) {
      const auto p = held.Partial(l);
      prefix.right_edge.emplace_back(p.begin(), p.end());
    }
    options.from = std::move(prefix);
  }
  bool older_fits = true;
  if (flags & 2) {
    // An older checkpoint of the same log, at a size the input picks.
    const uint64_t k = fuzz::TakeByte(in) % (source.leaves.size() + 1);
    TileBuilder at_k;
    for (uint64_t i = 0; i < k; ++i) at_k.Append(LeafHash(source.leaves[i]));
    source.older.emplace_back(
        k, SignCheckpoint(Checkpoint{kOrigin, k, at_k.Root(), {}}, LogKey()).Serialize());
    older_fits =
        (options.from && k <= start) ||
        std::find(built.boundaries.begin(), built.boundaries.end(), k) != built.boundaries.end();
  }
  Alter(in, source);

  const VerifyResult result = VerifyLog(source, options);
  if (result.status.ok()) {
    FUZZ_CHECK(!source.served_altered, "a verified log was served nothing altered");
    FUZZ_CHECK(result.report.size == source.leaves.size(), "the report is of the whole log");
  } else {
    FUZZ_CHECK_MESSAGE(result.status);
    if (!built.raw_leaf && older_fits) {
      if (!source.served_altered) {
        std::fprintf(stderr, "%s\n", fuzz::Escaped(result.status.ToString()).c_str());
      }
      FUZZ_CHECK(source.served_altered, "a log refused was served something altered");
    }
  }
  return 0;
}
