#include "ledger/verify.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <fmt/format.h>

namespace jejak {
namespace {

constexpr uint64_t kProgressEvery = 1 << 16;

std::string TileName(const TileId& t) { return TilePath(t); }

// Decodes stored tile bytes that must hold exactly `width` hashes.
Result<std::vector<Hash>> ExactTile(LogSource& source, const TileId& t) {
  std::optional<std::string> bytes;
  ASSIGN_OR_RETURN(bytes, source.ReadTile(t));
  if (!bytes) return Corruption(fmt::format("{} is missing", TileName(t)));
  const size_t want = size_t{t.width} * 32;
  if (source.tiles_may_be_wider() && bytes->size() > want && bytes->size() <= kFullTileBytes &&
      bytes->size() % 32 == 0) {
    bytes->resize(want);
  }
  if (bytes->size() != want) {
    return Corruption(fmt::format("{} is {} bytes, expected {}{}", TileName(t), bytes->size(), want,
                                  bytes->size() < want ? " (truncated)" : ""));
  }
  std::vector<Hash> out(t.width);
  std::memcpy(out.data(), bytes->data(), want);
  return out;
}

Status CompareTile(LogSource& source, const TileId& t, std::span<const Hash> computed) {
  std::vector<Hash> stored;
  ASSIGN_OR_RETURN(stored, ExactTile(source, t));
  for (size_t j = 0; j < computed.size(); ++j) {
    if (stored[j] != computed[j]) {
      const uint64_t span = uint64_t{1} << (kTileHeight * t.level);
      const uint64_t first = (t.index * kTileWidth + j) * span;
      return Corruption(
          fmt::format("{}: hash {} does not match the tree recomputed from leaves {}..{}",
                      TileName(t), j, first, first + span - 1));
    }
  }
  return Status::Ok();
}

}  // namespace

Status EntryStreamChecker::Add(uint64_t index, ByteSpan leaf, const Hash& leaf_hash) {
  auto kind = DecodeEntryKind(leaf);
  if (!kind.ok()) {
    bad_leaf_ = index;
    return Corruption(fmt::format("leaf {}: {}", index, kind.status().message()));
  }
  if (remaining_ > 0) {
    if (*kind != EntryKind::kRecord) {
      bad_leaf_ = index;
      return Corruption(
          fmt::format("leaf {}: is a statement, but the statement at leaf {} has {} more records",
                      index, statement_index_, remaining_));
    }
    records_root_.Append(leaf_hash);
    ++records_;
    if (--remaining_ == 0 && records_root_.Root() != expected_root_) {
      bad_leaf_ = statement_index_;
      return Corruption(fmt::format(
          "leaf {}: the statement's records root does not match its records (leaves {}..{})",
          statement_index_, statement_index_ + 1, index));
    }
    return Status::Ok();
  }
  bad_leaf_ = index;
  if (*kind != EntryKind::kStatement) {
    return Corruption(fmt::format("leaf {}: is a record outside any statement", index));
  }
  auto st = DecodeStatementEntry(leaf);
  if (!st.ok()) return Corruption(fmt::format("leaf {}: {}", index, st.status().message()));
  if (st->header.origin != origin_) {
    return Corruption(fmt::format("leaf {}: statement is for log '{}', not '{}'", index,
                                  st->header.origin, origin_));
  }
  if (Status s = VerifyStatementSignatures(*st); !s.ok()) {
    return Status(s.code(), fmt::format("leaf {}: statement {}", index, s.message()));
  }
  if (check_) {
    if (Status s = check_(index, *st); !s.ok()) {
      return Status(s.code(), fmt::format("leaf {}: {}", index, s.message()));
    }
  }
  bad_leaf_.reset();
  ++statements_;
  statement_index_ = index;
  remaining_ = st->header.record_count;
  expected_root_ = st->header.records_root;
  records_root_ = MerkleFrontier();
  if (remaining_ == 0 && expected_root_ != EmptyTreeRoot()) {
    bad_leaf_ = index;
    return Corruption(
        fmt::format("leaf {}: statement has no records but a non-empty records root", index));
  }
  return Status::Ok();
}

VerifyResult VerifyLog(LogSource& source, const VerifyOptions& options) {
  VerifyResult result;
  auto fail = [&](Status s, std::optional<uint64_t> leaf = std::nullopt) {
    result.status = std::move(s);
    result.bad_leaf = leaf;
    return result;
  };

  // The latest checkpoint, and every older one the source keeps.
  auto note = source.ReadCheckpoint();
  if (!note.ok()) return fail(note.status().WithContext(source.Describe() + ": checkpoint"));
  auto latest = OpenCheckpoint(*note, options.log_key);
  if (!latest.ok()) return fail(latest.status().WithContext(source.Describe()));
  const uint64_t size = latest->checkpoint.size;
  std::map<uint64_t, Hash> roots{{size, latest->checkpoint.root}};
  Status older = source.ForEachOlderCheckpoint([&](uint64_t s, std::string_view text) -> Status {
    auto cp = OpenCheckpoint(text, options.log_key);
    if (!cp.ok()) return cp.status().WithContext(fmt::format("checkpoint of size {}", s));
    if (cp->checkpoint.size != s) {
      return Corruption(
          fmt::format("checkpoint stored under size {} is for size {}", s, cp->checkpoint.size));
    }
    if (s > size) {
      return Corruption(fmt::format("checkpoint of size {} is beyond the latest ({})", s, size));
    }
    roots[s] = cp->checkpoint.root;
    return Status::Ok();
  });
  if (!older.ok()) return fail(older);
  result.report.checkpoints = roots.size();

  auto count = source.LeafCount(size);
  if (!count.ok()) return fail(count.status());
  const uint64_t total = *count;
  if (total < size) {
    return fail(Corruption(fmt::format("checkpoint covers {} leaves but {} holds only {}", size,
                                       source.Describe(), total)));
  }
  if (roots.count(0) && roots[0] != EmptyTreeRoot()) {
    return fail(Corruption("checkpoint of size 0 does not have the empty tree's root"));
  }

  const uint64_t start = options.from ? options.from->size : 0;
  if (start > size) {
    return fail(FailedPrecondition(
        fmt::format("{} is behind: its checkpoint is for size {}, this node holds {}",
                    source.Describe(), size, start)));
  }
  TileBuilder tree;
  if (options.from) {
    auto resumed = TileBuilder::Resume(start, options.from->right_edge);
    if (!resumed.ok()) return fail(resumed.status());
    tree = std::move(resumed).value();
  }
  EntryStreamChecker checker(options.log_key.name, options.statement_check);
  std::vector<Hash> level0;
  auto next_root = roots.upper_bound(start);
  std::optional<uint64_t> bad_leaf;

  Status s = source.ReadLeaves(start, total, [&](uint64_t i, ByteSpan leaf) -> Status {
    const Hash h = LeafHash(leaf);
    if (i % kTileWidth == 0 || i == start) {
      const uint64_t n = i / kTileWidth;
      const TileId t{0, n,
                     static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, total - n * kTileWidth))};
      ASSIGN_OR_RETURN(level0, ExactTile(source, t));
      ++result.report.tiles;
      // The part of this tile that the held prefix covers must be the same.
      const auto held = tree.Partial(0);
      if (i == start && !std::equal(held.begin(), held.end(), level0.begin())) {
        return FailedPrecondition(fmt::format(
            "{} differs from the leaves this node already holds before leaf {} (a rewritten "
            "history)",
            TilePath(t), start));
      }
    }
    if (level0[i % kTileWidth] != h) {
      bad_leaf = i;
      return Corruption(fmt::format(
          "leaf {}: its hash does not match tile/0/{} (the entry or the tile was altered)", i,
          TileIndexPath(i / kTileWidth)));
    }
    if (Status c = checker.Add(i, leaf, h); !c.ok()) {
      bad_leaf = checker.bad_leaf();
      return c;
    }
    tree.Append(h);
    for (const auto& t : tree.TakeCompleted()) {
      if (t.id.level == 0) continue;  // compared leaf by leaf above
      RETURN_IF_ERROR(CompareTile(source, t.id, t.hashes));
      ++result.report.tiles;
    }
    if (next_root != roots.end() && next_root->first == i + 1) {
      if (!checker.at_statement_boundary()) {
        return Corruption(fmt::format("checkpoint of size {} ends inside the statement at leaf {}",
                                      i + 1, checker.open_statement()));
      }
      if (tree.Root() != next_root->second) {
        return Corruption(fmt::format(
            "checkpoint of size {}: its root does not match the tree of the log's leaves", i + 1));
      }
      ++next_root;
    }
    if (options.on_leaf) RETURN_IF_ERROR(options.on_leaf(i, leaf, h));
    if (options.progress && (i + 1) % kProgressEvery == 0) options.progress(i + 1, total);
    return Status::Ok();
  });
  if (!s.ok()) return fail(s, bad_leaf);
  if (!checker.at_statement_boundary()) {
    return fail(Corruption(fmt::format("log ends inside the statement at leaf {}",
                                       checker.open_statement())),
                checker.open_statement());
  }
  // Reached only when resuming from a held prefix of exactly the source's
  // size: its checkpoint contradicts what this node verified and holds.
  if (tree.Root() != roots.rbegin()->second && size == total && start == total) {
    return fail(FailedPrecondition(
        fmt::format("checkpoint of size {}: its root does not match the tree of the leaves held (a "
                    "rewritten history)",
                    size)));
  }
  // The right edge: each level's partial tile above level 0.
  for (int l = 1; l < TileLevels(total); ++l) {
    const LevelShape shape = TileLevelShape(total, l);
    if (shape.partial_width == 0) continue;
    Status c = CompareTile(source, TileId{l, shape.full, shape.partial_width}, tree.Partial(l));
    if (!c.ok()) return fail(c);
    ++result.report.tiles;
  }
  if (options.progress) options.progress(total, total);
  result.report.size = size;
  result.report.root = latest->checkpoint.root;
  result.report.checkpoint = *note;
  result.report.leaves = total;
  result.report.statements = checker.statements();
  result.report.records = checker.records();
  return result;
}

}  // namespace jejak
