#include "ledger/log/verify.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "ledger/log/checkpoint.h"

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
    return Corruption(fmt::format("leaf {}: statement is for log {}, not '{}'", index,
                                  QuotedOrigin(st->header.origin), origin_));
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

namespace {

// The checkpoints a source offers, each verified: the latest, and every older
// one it keeps, by size.
struct SignedRoots {
  std::string latest_note;
  uint64_t size = 0;
  Hash latest_root{};
  std::map<uint64_t, Hash> roots;
};

Result<SignedRoots> ReadSignedRoots(LogSource& source, const NoteVerifierKey& key) {
  SignedRoots out;
  auto note = source.ReadCheckpoint();
  if (!note.ok()) return note.status().WithContext(source.Describe() + ": checkpoint");
  auto latest = OpenCheckpoint(*note, key);
  if (!latest.ok()) return latest.status().WithContext(source.Describe());
  out.latest_note = std::move(note).value();
  out.size = latest->checkpoint.size;
  out.latest_root = latest->checkpoint.root;
  out.roots[out.size] = latest->checkpoint.root;
  RETURN_IF_ERROR(source.ForEachOlderCheckpoint([&](uint64_t s, std::string_view text) -> Status {
    auto cp = OpenCheckpoint(text, key);
    if (!cp.ok()) return cp.status().WithContext(fmt::format("checkpoint of size {}", s));
    if (cp->checkpoint.size != s) {
      return Corruption(
          fmt::format("checkpoint stored under size {} is for size {}", s, cp->checkpoint.size));
    }
    if (s > out.size) {
      return Corruption(
          fmt::format("checkpoint of size {} is beyond the latest ({})", s, out.size));
    }
    out.roots[s] = cp->checkpoint.root;
    return Status::Ok();
  }));
  if (out.roots.count(0) && out.roots[0] != EmptyTreeRoot()) {
    return Corruption("checkpoint of size 0 does not have the empty tree's root");
  }
  return out;
}

// Checks the leaves [start, total) of a source in order: each against its
// level-0 tile, the entry stream, the tiles above as they complete, and each
// signed root as the tree reaches its size; then the right edge.
class LeafVerifier {
 public:
  LeafVerifier(LogSource& source, const VerifyOptions& options, const SignedRoots& signed_roots,
               uint64_t start, uint64_t total, TileBuilder tree, VerifyReport& report)
      : source_(source),
        options_(options),
        roots_(signed_roots.roots),
        start_(start),
        total_(total),
        tree_(std::move(tree)),
        checker_(options.log_key.name, options.statement_check),
        next_root_(roots_.upper_bound(start)),
        report_(report) {}

  Status Add(uint64_t i, ByteSpan leaf) {
    const Hash h = LeafHash(leaf);
    if (i % kTileWidth == 0 || i == start_) RETURN_IF_ERROR(LoadLevel0(i));
    if (level0_[i % kTileWidth] != h) {
      bad_leaf_ = i;
      return Corruption(fmt::format(
          "leaf {}: its hash does not match tile/0/{} (the entry or the tile was altered)", i,
          TileIndexPath(i / kTileWidth)));
    }
    if (Status c = options_.hashes_only ? Status::Ok() : checker_.Add(i, leaf, h); !c.ok()) {
      bad_leaf_ = checker_.bad_leaf();
      return c;
    }
    tree_.Append(h);
    for (const auto& t : tree_.TakeCompleted()) {
      if (t.id.level == 0) continue;  // compared leaf by leaf above
      RETURN_IF_ERROR(CompareTile(source_, t.id, t.hashes));
      ++report_.tiles;
    }
    RETURN_IF_ERROR(CheckSignedRoot(i + 1));
    if (options_.on_leaf) RETURN_IF_ERROR(options_.on_leaf(i, leaf, h));
    if (options_.progress && (i + 1) % kProgressEvery == 0) options_.progress(i + 1, total_);
    return Status::Ok();
  }

  // After the last leaf: no statement left open, the held prefix's root
  // agreeing with the latest checkpoint, and the partial tiles of the right
  // edge.
  Status Finish(uint64_t size) {
    if (!checker_.at_statement_boundary()) {
      bad_leaf_ = checker_.open_statement();
      return Corruption(
          fmt::format("log ends inside the statement at leaf {}", checker_.open_statement()));
    }
    // Reached only when resuming from a held prefix of exactly the source's
    // size: its checkpoint contradicts what this node verified and holds.
    if (tree_.Root() != roots_.rbegin()->second && size == total_ && start_ == total_) {
      return FailedPrecondition(fmt::format(
          "checkpoint of size {}: its root does not match the tree of the leaves held (a "
          "rewritten history)",
          size));
    }
    for (int l = 1; l < TileLevels(total_); ++l) {
      const LevelShape shape = TileLevelShape(total_, l);
      if (shape.partial_width == 0) continue;
      RETURN_IF_ERROR(
          CompareTile(source_, TileId{l, shape.full, shape.partial_width}, tree_.Partial(l)));
      ++report_.tiles;
    }
    report_.statements = checker_.statements();
    report_.records = checker_.records();
    return Status::Ok();
  }

  std::optional<uint64_t> bad_leaf() const { return bad_leaf_; }

 private:
  // The level-0 tile holding leaf i; the part of it the held prefix covers
  // must be what this node holds.
  Status LoadLevel0(uint64_t i) {
    const uint64_t n = i / kTileWidth;
    const TileId t{0, n,
                   static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, total_ - n * kTileWidth))};
    ASSIGN_OR_RETURN(level0_, ExactTile(source_, t));
    ++report_.tiles;
    const auto held = tree_.Partial(0);
    if (i == start_ && !std::equal(held.begin(), held.end(), level0_.begin())) {
      return FailedPrecondition(fmt::format(
          "{} differs from the leaves this node already holds before leaf {} (a rewritten "
          "history)",
          TilePath(t), start_));
    }
    return Status::Ok();
  }

  // A signed checkpoint of `size` leaves: it ends between statements and its
  // root is the tree's.
  Status CheckSignedRoot(uint64_t size) {
    if (next_root_ == roots_.end() || next_root_->first != size) return Status::Ok();
    if (!checker_.at_statement_boundary()) {
      return Corruption(fmt::format("checkpoint of size {} ends inside the statement at leaf {}",
                                    size, checker_.open_statement()));
    }
    if (tree_.Root() != next_root_->second) {
      return Corruption(fmt::format(
          "checkpoint of size {}: its root does not match the tree of the log's leaves", size));
    }
    ++next_root_;
    return Status::Ok();
  }

  LogSource& source_;
  const VerifyOptions& options_;
  const std::map<uint64_t, Hash>& roots_;
  const uint64_t start_, total_;
  TileBuilder tree_;
  EntryStreamChecker checker_;
  std::map<uint64_t, Hash>::const_iterator next_root_;
  std::vector<Hash> level0_;
  std::optional<uint64_t> bad_leaf_;
  VerifyReport& report_;
};

}  // namespace

VerifyResult VerifyLog(LogSource& source, const VerifyOptions& options) {
  VerifyResult result;
  auto fail = [&](Status s, std::optional<uint64_t> leaf = std::nullopt) {
    result.status = std::move(s);
    result.bad_leaf = leaf;
    return result;
  };
  auto signed_roots = ReadSignedRoots(source, options.log_key);
  if (!signed_roots.ok()) return fail(signed_roots.status());
  const uint64_t size = signed_roots->size;
  result.report.checkpoints = signed_roots->roots.size();

  auto count = source.LeafCount(size);
  if (!count.ok()) return fail(count.status());
  const uint64_t total = *count;
  if (total < size) {
    return fail(Corruption(fmt::format("checkpoint covers {} leaves but {} holds only {}", size,
                                       source.Describe(), total)));
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
  LeafVerifier verifier(source, options, *signed_roots, start, total, std::move(tree),
                        result.report);
  Status s = source.ReadLeaves(
      start, total, [&](uint64_t i, ByteSpan leaf) -> Status { return verifier.Add(i, leaf); });
  if (s.ok()) s = verifier.Finish(size);
  if (!s.ok()) return fail(s, verifier.bad_leaf());
  if (options.progress) options.progress(total, total);
  result.report.size = size;
  result.report.root = signed_roots->latest_root;
  result.report.checkpoint = signed_roots->latest_note;
  result.report.leaves = total;
  return result;
}

}  // namespace jejak
