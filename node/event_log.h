// The daemon's log: one line per event on standard error, with a level.
// Under systemd (standard error connected to the journal, $JOURNAL_STREAM)
// each line starts with its syslog priority ("<4>"), which journald turns
// into the entry's level and strips; elsewhere a line reads
// "2026-12-01T08:00:00.123+0700 warn  <message>".
//
// What is logged is what the node did and with whom (origins, sizes, peer
// URLs, error messages of the libraries), never a request's body, a row, an
// identifier or a pseudonym: callers pass such texts nowhere near here, and
// every message is cut to one printable line. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "node/serve_config.h"

namespace jejak {

// Sets the lowest level written (info by default). Safe at any time, from
// any thread (a reload).
void SetEventLogLevel(LogLevel level);

// Writes one line at `level` (nothing below the set level). Control
// characters and invalid bytes become '?', newlines spaces; a message over
// 1,000 bytes is cut.
void LogEvent(LogLevel level, std::string_view message);

// The last error-level event of this process (written or not), for the
// console's operations page.
struct LastEvent {
  int64_t time = 0;  // Unix seconds
  std::string message;
};
std::optional<LastEvent> LastEventError();

inline void EventInfo(std::string_view message) { LogEvent(LogLevel::kInfo, message); }
inline void EventWarning(std::string_view message) { LogEvent(LogLevel::kWarn, message); }
inline void EventError(std::string_view message) { LogEvent(LogLevel::kError, message); }

}  // namespace jejak
