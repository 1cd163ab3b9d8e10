// Small helpers shared by the test suites.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"

namespace jejak::testing {

// A deterministic key: the seed is 32 copies of `b`.
inline SigningKey KeyFromByte(uint8_t b) {
  Seed s;
  s.fill(b);
  return SigningKey::FromSeed(s);
}

// Creates a fresh folder under the system's temporary folder; aborts if it
// cannot (the test could not mean anything without it).
inline std::string MakeTempFolder(std::string_view what) {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / ("jejak-" + std::string(what) + "-XXXXXX"))
          .string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  return tmpl;
}

inline void RemoveFolder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

inline std::string ReadBinary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline bool WriteBinary(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return out.good();
}

}  // namespace jejak::testing
