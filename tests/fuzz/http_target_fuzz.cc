// How a node reads a request target (node/internal/context.h, node/http.h):
// the read routing of /<origin>/checkpoint and /<origin>/tile/... to the
// longest held origin and the tile path after it, the witness's
// /witness/<hash>/checkpoint, query values with percent decoding, and URLs
// (ParseUrl: --peer, the registry's node URLs). The first line of the input
// is the target, the next lines the origins the node holds.
//
// Checks: a route names the longest held origin whose path begins the
// target, and none is missed; a tile path after it prints back to itself; a
// witness hash is 64 lowercase hex digits of exactly that route; a query
// value percent-encoded back reads the same, and is no longer than the
// target; a parsed URL prints to a URL that parses the same; every message
// is printable.
#include <string>
#include <vector>

#include "ledger/log/log.h"
#include "ledger/log/tiles.h"
#include "node/http.h"
#include "node/http_source.h"
#include "node/internal/context.h"
#include "node/remote.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

// Every name a handler asks the query for.
constexpr std::string_view kQueryNames[] = {"type",   "phase", "stage", "date", "number",
                                            "origin", "index", "size",  "old",  "new"};

void CheckRoute(std::string_view path, const std::vector<LogInfo>& logs) {
  const std::optional<LogRoute> route = RouteToLog(path, logs);
  for (const LogInfo& info : logs) {
    const bool fits = path.starts_with(LogPath(info.origin) + "/");
    FUZZ_CHECK(!fits || route, "a path under a held log is routed");
    if (fits) {
      FUZZ_CHECK(info.origin.size() <= route->log->origin.size(), "the longest origin wins");
    }
  }
  if (!route) return;
  const std::string prefix = LogPath(route->log->origin) + "/";
  FUZZ_CHECK(path.starts_with(prefix), "a route's origin begins the path");
  FUZZ_CHECK(route->rest == path.substr(prefix.size()), "the rest follows the origin");
  if (route->rest == "checkpoint") return;
  auto tile = ParseTilePath(route->rest);
  if (!tile.ok()) {
    FUZZ_CHECK_MESSAGE(tile.status());
    return;
  }
  const std::string again =
      tile->entries ? EntryBundlePath(tile->tile.index, tile->tile.width) : TilePath(tile->tile);
  FUZZ_CHECK(again == route->rest, "a tile path prints back to itself");
}

void CheckWitnessPath(std::string_view path) {
  const std::optional<std::string_view> hash = WitnessCheckpointHash(path);
  if (!hash) return;
  FUZZ_CHECK(
      hash->size() == 64 && hash->find_first_not_of("0123456789abcdef") == std::string_view::npos,
      "a witness hash is 64 lowercase hex digits");
  FUZZ_CHECK(path == "/witness/" + std::string(*hash) + "/checkpoint",
             "a witness route is exactly /witness/<hash>/checkpoint");
}

void CheckQuery(std::string_view target) {
  for (std::string_view name : kQueryNames) {
    const std::optional<std::string> value = QueryValue(target, name);
    if (!value) continue;
    FUZZ_CHECK(value->size() <= target.size(), "a decoded value is no longer than the target");
    const std::string encoded = "/x?" + std::string(name) + "=" + PercentEncode(*value);
    FUZZ_CHECK(QueryValue(encoded, name) == value, "a value percent-encoded back reads the same");
  }
}

void CheckUrl(std::string_view text) {
  auto url = ParseUrl(text);
  if (!url.ok()) {
    FUZZ_CHECK_MESSAGE(url.status());
    return;
  }
  FUZZ_CHECK(!url->host.empty() && url->port != 0, "a URL names a host and a port");
  FUZZ_CHECK(url->prefix.empty() || (url->prefix.front() == '/' && url->prefix.back() != '/'),
             "a URL's prefix is empty or /something without a trailing slash");
  auto again = ParseUrl(url->ToString());
  FUZZ_CHECK(again.ok() && again->tls == url->tls && again->host == url->host &&
                 again->port == url->port && again->prefix == url->prefix,
             "a URL prints to a URL that parses the same");
  (void)IsLoopbackHost(url->host);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::AsText(data, size);
  const std::string_view target = fuzz::TakeUntil(in, '\n');
  std::vector<LogInfo> logs;
  while (!in.empty() && logs.size() < 8) {
    LogInfo info;
    info.id = static_cast<uint32_t>(logs.size());
    info.origin = std::string(fuzz::TakeUntil(in, '\n'));
    logs.push_back(std::move(info));
  }
  const std::string_view path = target.substr(0, target.find('?'));
  CheckRoute(path, logs);
  CheckWitnessPath(path);
  CheckQuery(target);
  CheckUrl(target);
  return 0;
}
