#include "ledger/log/tile_folder.h"

#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "crypto/files.h"
#include "ledger/log/entry.h"

namespace jejak {
namespace {

constexpr size_t kMaxBundleBytes = kTileWidth * (2 + kMaxEntryBytes);

Status WriteTileFile(const std::string& dir, const std::string& rel, std::string_view data) {
  const std::string path = dir + "/" + rel;
  RETURN_IF_ERROR(MakeDirectories(std::filesystem::path(path).parent_path().string()));
  return WriteFileUnsynced(path, data);
}

std::string_view HashBytes(std::span<const Hash> hashes) {
  return {reinterpret_cast<const char*>(hashes.data()), hashes.size() * sizeof(Hash)};
}

}  // namespace

void AppendBundleEntry(std::string& bundle, ByteSpan entry) {
  bundle.push_back(static_cast<char>(entry.size() >> 8));
  bundle.push_back(static_cast<char>(entry.size() & 0xff));
  bundle.append(AsChars(entry));
}

std::string EncodeEntryBundle(std::span<const Bytes> entries) {
  std::string out;
  for (const auto& e : entries) AppendBundleEntry(out, e);
  return out;
}

namespace {

// Decodes `count` entries, or (without a count) entries until the bundle ends.
Status DecodeEntries(std::string_view bundle, std::optional<uint32_t> count, uint64_t first_index,
                     std::string_view where, const LeafFn& f) {
  size_t pos = 0;
  for (uint32_t k = 0; count ? k < *count : pos < bundle.size(); ++k) {
    const uint64_t index = first_index + k;
    if (pos + 2 > bundle.size()) {
      if (!count) return Corruption(fmt::format("leaf {}: cut short in {}", index, where));
      return Corruption(fmt::format("leaf {}: missing from {} (it holds {} entries, expected {})",
                                    index, where, k, *count));
    }
    const size_t len =
        static_cast<uint8_t>(bundle[pos]) << 8 | static_cast<uint8_t>(bundle[pos + 1]);
    pos += 2;
    if (pos + len > bundle.size()) {
      return Corruption(fmt::format("leaf {}: cut short in {}", index, where));
    }
    RETURN_IF_ERROR(f(index, AsBytes(bundle.substr(pos, len))));
    pos += len;
  }
  if (pos != bundle.size()) {
    return Corruption(fmt::format("{} has {} bytes after its last entry (leaf {})", where,
                                  bundle.size() - pos, first_index + *count - 1));
  }
  return Status::Ok();
}

}  // namespace

Status DecodeEntryBundle(std::string_view bundle, uint32_t count, uint64_t first_index,
                         std::string_view where, const LeafFn& f) {
  return DecodeEntries(bundle, count, first_index, where, f);
}

Status DecodeEntryBundleAll(std::string_view bundle, std::string_view where, const LeafFn& f) {
  return DecodeEntries(bundle, std::nullopt, 0, where, f);
}

Result<ExportReport> ExportTiles(LogReader& reader, const std::string& out_dir) {
  const NoteVerifierKey& key = reader.info().key;
  std::string note;
  ASSIGN_OR_RETURN(note, reader.LatestCheckpoint());
  SignedCheckpoint latest;
  ASSIGN_OR_RETURN(latest, OpenCheckpoint(note, key));
  ExportReport report;
  report.new_size = latest.checkpoint.size;

  const std::string cp_path = out_dir + "/checkpoint";
  auto old_note = ReadFile(cp_path, kMaxNoteBytes);
  if (old_note.ok()) {
    auto old = OpenCheckpoint(*old_note, key);
    if (!old.ok()) {
      return FailedPrecondition(fmt::format("{} holds a checkpoint that is not this log's ({})",
                                            out_dir, old.status().message()));
    }
    report.old_size = old->checkpoint.size;
    if (report.old_size > report.new_size) {
      return FailedPrecondition(fmt::format("{} is ahead of this log (size {} > {})", out_dir,
                                            report.old_size, report.new_size));
    }
    Hash root;
    ASSIGN_OR_RETURN(root, reader.Root(report.old_size));
    if (root != old->checkpoint.root) {
      return FailedPrecondition(
          fmt::format("{} holds a history this log does not extend (root at size {} differs)",
                      out_dir, report.old_size));
    }
    if (report.old_size == report.new_size) return report;
  } else if (old_note.status().code() != StatusCode::kNotFound) {
    return old_note.status();
  }
  RETURN_IF_ERROR(MakeDirectories(out_dir));

  const uint64_t m = report.old_size, n = report.new_size;
  // Hash tiles: the full tiles that were not full at m, and the partials at n.
  for (int l = 0; l < TileLevels(n); ++l) {
    const LevelShape before = TileLevelShape(m, l), after = TileLevelShape(n, l);
    for (uint64_t i = before.full; i < after.full + (after.partial_width ? 1 : 0); ++i) {
      const uint32_t width = i < after.full ? kTileWidth : after.partial_width;
      std::vector<Hash> hashes;
      ASSIGN_OR_RETURN(hashes, reader.ReadTile(l, i));
      if (hashes.size() < width) {
        return Corruption(
            fmt::format("stored tile {}/{} has {} hashes, needs {}", l, i, hashes.size(), width));
      }
      RETURN_IF_ERROR(WriteTileFile(out_dir, TilePath({l, i, width}),
                                    HashBytes(std::span<const Hash>(hashes).first(width))));
      ++report.files;
    }
  }
  // Entry bundles, the same way at level 0.
  const uint64_t first_bundle = m / kTileWidth;
  std::vector<Bytes> bundle;
  Status s =
      reader.ForEachLeaf(first_bundle * kTileWidth, n, [&](uint64_t i, ByteSpan leaf) -> Status {
        bundle.emplace_back(leaf.begin(), leaf.end());
        if (bundle.size() == kTileWidth || i + 1 == n) {
          const uint64_t index = i / kTileWidth;
          RETURN_IF_ERROR(
              WriteTileFile(out_dir, EntryBundlePath(index, static_cast<uint32_t>(bundle.size())),
                            EncodeEntryBundle(bundle)));
          ++report.files;
          bundle.clear();
        }
        return Status::Ok();
      });
  RETURN_IF_ERROR(s);
  RETURN_IF_ERROR(SyncFileSystem(out_dir));
  RETURN_IF_ERROR(WriteFileAtomic(cp_path, latest.Serialize()));
  return report;
}

Result<std::string> TileFolderSource::ReadCheckpoint() {
  return ReadFile(dir_ + "/checkpoint", kMaxNoteBytes);
}

Result<uint64_t> TileFolderSource::LeafCount(uint64_t checkpoint_size) {
  size_ = checkpoint_size;
  return checkpoint_size;
}

Status TileFolderSource::ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) {
  if (end > size_) return InvalidArgument("leaves beyond the checkpoint were asked for");
  for (uint64_t b = begin / kTileWidth; b * kTileWidth < end; ++b) {
    const uint32_t width =
        static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, size_ - b * kTileWidth));
    const std::string rel = EntryBundlePath(b, width);
    auto data = ReadFile(dir_ + "/" + rel, kMaxBundleBytes);
    if (!data.ok()) {
      if (data.status().code() == StatusCode::kNotFound) {
        return Corruption(fmt::format("leaf {}: {} is missing", b * kTileWidth, rel));
      }
      return data.status();
    }
    RETURN_IF_ERROR(
        DecodeEntryBundle(*data, width, b * kTileWidth, rel, [&](uint64_t i, ByteSpan leaf) {
          if (i < begin || i >= end) return Status::Ok();
          return f(i, leaf);
        }));
  }
  return Status::Ok();
}

Result<std::optional<std::string>> TileFolderSource::ReadTile(const TileId& tile) {
  auto data = ReadFile(dir_ + "/" + TilePath(tile), 1 << 20);
  if (!data.ok()) {
    if (data.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return data.status();
  }
  return std::optional<std::string>(std::move(data).value());
}

}  // namespace jejak
