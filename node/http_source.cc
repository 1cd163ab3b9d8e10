#include "node/http_source.h"

#include <fmt/format.h>

#include "ledger/log/tile_folder.h"
#include "node/internal/bundle_prefetch.h"

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

Result<std::string> HttpLogSource::ReadCheckpoint() {
  HttpResult r;
  ASSIGN_OR_RETURN(r, client_.Get(path_ + "/checkpoint"));
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

Result<std::string> HttpLogSource::FetchBundle(HttpClient& client, uint64_t bundle) const {
  const auto width =
      static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, size_ - bundle * kTileWidth));
  const std::string rel = EntryBundlePath(bundle, width);
  HttpResult r;
  ASSIGN_OR_RETURN(r, client.Get(path_ + "/" + rel));
  if (r.status == 404) return Corruption(Describe() + "/" + rel + ": missing on the peer");
  if (r.status != 200) {
    return Unavailable(fmt::format("{}/{}: HTTP {}", Describe(), rel, r.status));
  }
  return std::move(r.body);
}

Result<std::optional<std::string>> HttpLogSource::FetchTile(HttpClient& client,
                                                            const TileId& tile) const {
  const std::string rel = TilePath(tile);
  HttpResult r;
  ASSIGN_OR_RETURN(r, client.Get(path_ + "/" + rel));
  if (r.status == 404) return std::optional<std::string>();
  if (r.status != 200) return Unavailable(fmt::format("{}/{}: HTTP {}", Describe(), rel, r.status));
  if (r.body.size() != size_t{tile.width} * 32) {
    return Corruption(fmt::format("{}/{}: {} bytes, a tile of width {} has {}", Describe(), rel,
                                  r.body.size(), tile.width, tile.width * 32));
  }
  return std::optional<std::string>(std::move(r.body));
}

Status HttpLogSource::DecodeBundle(const std::string& bytes, uint64_t bundle, uint64_t begin,
                                   uint64_t end, const LeafFn& f) const {
  const uint64_t first = bundle * kTileWidth;
  const auto width = static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, size_ - first));
  return DecodeEntryBundle(bytes, width, first, Describe() + "/" + EntryBundlePath(bundle, width),
                           [&](uint64_t index, ByteSpan leaf) -> Status {
                             if (index < begin || index >= end) return Status::Ok();
                             return f(index, leaf);
                           });
}

namespace {

// The client's error for a request it could not complete (refused, closed,
// timed out), as opposed to an answer that is wrong.
bool Unreachable(const Status& s) { return s.code() == StatusCode::kUnavailable; }

}  // namespace

Status HttpLogSource::ReadLeaves(uint64_t begin, uint64_t end, const LeafFn& f) {
  if (end > size_) {
    return Corruption(fmt::format("{}: leaf {} is beyond the checkpoint ({} leaves)", Describe(),
                                  end - 1, size_));
  }
  if (begin >= end) return Status::Ok();
  const uint64_t first = begin / kTileWidth, last = (end - 1) / kTileWidth;
  if (connections_ <= 0 || first == last) {
    for (uint64_t b = first; b <= last; ++b) {
      std::string bytes;
      ASSIGN_OR_RETURN(bytes, FetchBundle(client_, b));
      RETURN_IF_ERROR(DecodeBundle(bytes, b, begin, end, f));
    }
    return Status::Ok();
  }
  // Each bundle comes with its level-0 tile: the verifier asks for that tile
  // as it starts on the bundle's leaves.
  auto tile_of = [&](uint64_t b) {
    return TileId{0, b,
                  static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, size_ - b * kTileWidth))};
  };
  std::vector<std::unique_ptr<HttpClient>> clients;
  const uint64_t bundles = last - first + 1;
  for (uint64_t k = 0; k < std::min<uint64_t>(connections_, bundles); ++k) {
    clients.push_back(client_.NewConnection());
  }
  auto fetch = [&](HttpClient& client, uint64_t b) {
    BundleFetch out;
    out.bundle = FetchBundle(client, b);
    if (out.bundle.ok()) out.tile = FetchTile(client, tile_of(b));
    return out;
  };
  BundlePrefetcher prefetch(std::move(clients), first, last + 1, fetch,
                            {.max_held_bytes = kPrefetchHeldBytes, .max_ahead = kPrefetchAhead});
  // A peer may admit fewer connections than this opens (its limit counts by
  // address, and nodes behind one address share it): from the first request
  // a prefetching connection could not make, the rest is fetched one at a
  // time on the caller's connection, that request first.
  bool one_at_a_time = false;
  Status s;
  for (uint64_t b = first; b <= last && s.ok(); ++b) {
    BundleFetch fetched;
    if (!one_at_a_time) {
      fetched = prefetch.Take(b);
      one_at_a_time = Unreachable(fetched.bundle.status()) ||
                      (fetched.bundle.ok() && Unreachable(fetched.tile.status()));
    }
    if (one_at_a_time) fetched = fetch(client_, b);
    if (!fetched.bundle.ok()) {
      s = fetched.bundle.status();
      break;
    }
    level0_.emplace(tile_of(b), std::move(fetched.tile));
    s = DecodeBundle(*fetched.bundle, b, begin, end, f);
  }
  level0_.reset();
  return s;
}

Result<std::optional<std::string>> HttpLogSource::ReadTile(const TileId& tile) {
  if (level0_ && level0_->first == tile) {
    auto out = std::move(level0_->second);
    level0_.reset();
    return out;
  }
  return FetchTile(client_, tile);
}

}  // namespace jejak
