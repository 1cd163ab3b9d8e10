// The web console's sessions and its login throttle: in memory, bounded,
// with the time passed in (tests drive it). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "node/console_users.h"

namespace jejak {

struct ConsoleSession {
  std::string name;
  ConsoleRole role = ConsoleRole::kViewer;
  std::string csrf;  // 64 hex: sent back in X-Jejak-Csrf on every state-changing request
  int64_t created = 0, last_used = 0, expires = 0;  // Unix seconds
};

class ConsoleSessions {
 public:
  struct Limits {
    size_t max_sessions = 1024;  // beyond: the least recently used goes
    size_t max_per_user = 8;     // beyond: that account's least recently used goes
    int64_t max_age = 8 * 3600;  // seconds from sign-in
    int64_t idle = 30 * 60;      // seconds without a request
  };
  ConsoleSessions() = default;
  explicit ConsoleSessions(Limits limits) : limits_(limits) {}

  // A new session: its token (64 hex, 256 random bits) and what it holds.
  std::pair<std::string, ConsoleSession> Create(std::string_view name, ConsoleRole role,
                                                int64_t now);
  // The session of `token`, if it is live (which keeps it alive); an expired
  // one is dropped.
  std::optional<ConsoleSession> Find(std::string_view token, int64_t now);
  void Remove(std::string_view token);
  size_t size() const;

 private:
  Limits limits_;
  mutable std::mutex mu_;
  std::map<std::string, ConsoleSession, std::less<>> sessions_;
};

// Failed sign-ins, counted per key (an account name, an address): the first
// kFree failures within a quarter of an hour cost nothing; each one after
// locks the key for 1, 2, 4, ... seconds, at most 15 minutes. A quarter of an
// hour without a failure forgets the key; a success forgets it at once.
// Times are milliseconds of a monotonic clock (a lock counted in whole
// seconds of the wall clock could end the instant it began).
class LoginThrottle {
 public:
  static constexpr uint32_t kFree = 5;
  static constexpr int64_t kMaxLockMs = 15 * 60 * 1000;
  static constexpr int64_t kForgetMs = 15 * 60 * 1000;
  static constexpr size_t kMaxKeys = 10'000;

  // Milliseconds to wait before `key` may try again; 0 if it may now.
  int64_t RetryAfterMs(std::string_view key, int64_t now_ms) const;
  // Counts a failure that ended at `now_ms` (after the password was checked,
  // so that a slow check does not use up the lock).
  void Failed(std::string_view key, int64_t now_ms);
  void Succeeded(std::string_view key);

 private:
  struct Entry {
    uint32_t failures = 0;
    int64_t last_failure = 0, locked_until = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> keys_;
};

// 64 hex characters of fresh randomness (libsodium).
std::string RandomToken();

}  // namespace jejak
