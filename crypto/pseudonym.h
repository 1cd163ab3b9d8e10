// KPM pseudonyms (specs/pseudonym.md): the lowercase hex of BLAKE2b with a
// 16-byte digest, keyed with the 32-byte program key, over the UTF-8 bytes of
// "pkh-kpm:" followed by the KPM identifier. Only holders of the program key
// can compute or reverse them (by recomputing from a list of identifiers).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace jejak {

using ProgramKey = std::array<uint8_t, 32>;
using PseudonymBytes = std::array<uint8_t, 16>;

// Thread-safe.
PseudonymBytes KpmPseudonym(const ProgramKey& key, std::string_view kpm_id);

// A new random program key.
ProgramKey GenerateProgramKey();

// The program key file: 64 lowercase hex characters and a newline.
std::string FormatProgramKeyFile(const ProgramKey& key);
// Accepts 64 hex digits (either case), with or without a final newline.
// InvalidArgument otherwise (never echoing the content).
Result<ProgramKey> ParseProgramKeyFile(std::string_view contents);

}  // namespace jejak
