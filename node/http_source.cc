#include "node/http_source.h"

#include <fmt/format.h>

#include "ledger/tile_folder.h"

namespace jejak {

bool ValidLogPath(std::string_view origin) {
  if (origin.empty() || origin.front() == '/' || origin.back() == '/') return false;
  if (origin.find("//") != std::string_view::npos) return false;
  for (char c : origin) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_' || c == '/' || c == '~';
    if (!ok) return false;
  }
  return true;
}

std::string LogPath(std::string_view origin) { return "/" + std::string(origin); }

std::string HttpLogSource::Describe() const { return client_.base().ToString() + path_; }

Result<HttpResult> HttpLogSource::Fetch(const std::string& rel) {
  HttpResult r;
  ASSIGN_OR_RETURN(r, client_.Get(path_ + "/" + rel));
  return r;
}

Result<std::string> HttpLogSource::ReadCheckpoint() {
  HttpResult r;
  ASSIGN_OR_RETURN(r, Fetch("checkpoint"));
  if (r.status == 404) return NotFound(Describe() + "/checkpoint: no such log on the peer");
  if (r.status != 200) {
    return Unavailable(fmt::format("{}/checkpoint: HTTP {}", Describe(), r.status));
  }
  return std::move(r.body);
}

Result<uint64_t> HttpLogSource::LeafCount(uint64_t checkpoint_size) {
  size_ = checkpoint_size;
  return checkpoint_size;
}

Status HttpLogSource::ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) {
  if (end > size_) {
    return Corruption(fmt::format("{}: leaf {} is beyond the checkpoint ({} leaves)", Describe(),
                                  end - 1, size_));
  }
  for (uint64_t b = begin / kTileWidth; b * kTileWidth < end; ++b) {
    const uint64_t first = b * kTileWidth;
    const auto width = static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, size_ - first));
    const std::string rel = EntryBundlePath(b, width);
    HttpResult r;
    ASSIGN_OR_RETURN(r, Fetch(rel));
    if (r.status == 404) return Corruption(Describe() + "/" + rel + ": missing on the peer");
    if (r.status != 200) {
      return Unavailable(fmt::format("{}/{}: HTTP {}", Describe(), rel, r.status));
    }
    RETURN_IF_ERROR(DecodeEntryBundle(r.body, width, first, Describe() + "/" + rel,
                                      [&](uint64_t index, ByteSpan leaf) -> Status {
                                        if (index < begin || index >= end) return Status::Ok();
                                        return f(index, leaf);
                                      }));
  }
  return Status::Ok();
}

Result<std::optional<std::string>> HttpLogSource::ReadTile(const TileId& tile) {
  const std::string rel = TilePath(tile);
  HttpResult r;
  ASSIGN_OR_RETURN(r, Fetch(rel));
  if (r.status == 404) return std::optional<std::string>();
  if (r.status != 200) return Unavailable(fmt::format("{}/{}: HTTP {}", Describe(), rel, r.status));
  if (r.body.size() != size_t{tile.width} * 32) {
    return Corruption(fmt::format("{}/{}: {} bytes, a tile of width {} has {}", Describe(), rel,
                                  r.body.size(), tile.width, tile.width * 32));
  }
  return std::optional<std::string>(std::move(r.body));
}

}  // namespace jejak
