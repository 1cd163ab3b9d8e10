// A log as a C2SP tlog-tiles folder: OUT/checkpoint, OUT/tile/<L>/<N>[.p/<W>],
// OUT/tile/entries/<N>[.p/<W>]. Written by `jejak export`, read back for
// `jejak verify --tiles` and `jejak pull`. Layout: specs/tile-layout.md.
#pragma once

#include <cstdint>
#include <string>

#include "ledger/log/log.h"
#include "ledger/log/log_source.h"

namespace jejak {

// Entry bundles: each entry a big-endian uint16 length and the bytes (entries
// are at most kMaxEntryBytes, below 2^16).
void AppendBundleEntry(std::string& bundle, ByteSpan entry);
std::string EncodeEntryBundle(std::span<const Bytes> entries);
// Decodes a bundle that must hold exactly `count` entries and calls f for each;
// `first_index` is the leaf index of the first and `where` names the bundle, for
// messages. Corruption naming the bad leaf.
Status DecodeEntryBundle(std::string_view bundle, uint32_t count, uint64_t first_index,
                         std::string_view where, const LeafFn& f);
// The same for a bundle of any number of entries (a submission), indexed from 0.
Status DecodeEntryBundleAll(std::string_view bundle, std::string_view where, const LeafFn& f);

struct ExportReport {
  uint64_t old_size = 0;  // size of the checkpoint OUT held before (0 if none)
  uint64_t new_size = 0;
  uint64_t files = 0;  // tile and bundle files written
};

// Writes the log's latest checkpoint and everything it covers into `out_dir`.
// If `out_dir` already holds this log, only what is new is written; if it
// holds another log or a history this log does not extend, nothing is
// written and FailedPrecondition says so. The checkpoint file is written last,
// after every tile is durable, so a crash leaves the previous export intact.
Result<ExportReport> ExportTiles(LogReader& reader, const std::string& out_dir);

// Reads a tiles folder. Holds the checkpoint's size once LeafCount is called.
class TileFolderSource final : public LogSource {
 public:
  explicit TileFolderSource(std::string dir) : dir_(std::move(dir)) {}
  std::string Describe() const override { return "tiles " + dir_; }
  Result<std::string> ReadCheckpoint() override;
  Result<uint64_t> LeafCount(uint64_t checkpoint_size) override;
  Status ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) override;
  Result<std::optional<std::string>> ReadTile(const TileId& tile) override;
  Status ForEachOlderCheckpoint(const std::function<Status(uint64_t, std::string_view)>&) override {
    return Status::Ok();
  }

 private:
  std::string dir_;
  uint64_t size_ = 0;
};

}  // namespace jejak
