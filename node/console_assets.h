// The web console's files (node/console/), built into the binary by
// node/embed_assets.cmake.
#pragma once

#include <span>
#include <string_view>

namespace jejak {

struct ConsoleAsset {
  std::string_view path;  // relative to node/console/, e.g. "app.js"
  std::string_view content_type;
  std::string_view data;
};

std::span<const ConsoleAsset> ConsoleAssets();

}  // namespace jejak
