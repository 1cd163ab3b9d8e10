#include "node/console_sessions.h"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace jejak {

std::string RandomToken() {
  [[maybe_unused]] static const bool initialized = sodium_init() >= 0;
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::pair<std::string, ConsoleSession> ConsoleSessions::Create(std::string_view name,
                                                               ConsoleRole role, int64_t now) {
  ConsoleSession s{std::string(name), role, RandomToken(), now, now, now + limits_.max_age};
  std::string token = RandomToken();
  std::lock_guard lock(mu_);
  // Make room: an account's oldest session beyond its share, then the
  // least recently used of all.
  auto drop_oldest = [&](bool same_user) {
    auto victim = sessions_.end();
    size_t count = 0;
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (same_user && it->second.name != name) continue;
      ++count;
      if (victim == sessions_.end() || it->second.last_used < victim->second.last_used) victim = it;
    }
    return std::pair{victim, count};
  };
  for (;;) {
    auto [victim, count] = drop_oldest(true);
    if (count < limits_.max_per_user) break;
    sessions_.erase(victim);
  }
  while (sessions_.size() >= limits_.max_sessions) sessions_.erase(drop_oldest(false).first);
  sessions_.emplace(token, s);
  return {std::move(token), std::move(s)};
}

std::optional<ConsoleSession> ConsoleSessions::Find(std::string_view token, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  ConsoleSession& s = it->second;
  if (now >= s.expires || now - s.last_used >= limits_.idle) {
    sessions_.erase(it);
    return std::nullopt;
  }
  s.last_used = now;
  return s;
}

void ConsoleSessions::Remove(std::string_view token) {
  std::lock_guard lock(mu_);
  if (auto it = sessions_.find(token); it != sessions_.end()) sessions_.erase(it);
}

size_t ConsoleSessions::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

int64_t LoginThrottle::RetryAfterMs(std::string_view key, int64_t now) const {
  std::lock_guard lock(mu_);
  auto it = keys_.find(key);
  if (it == keys_.end()) return 0;
  return std::max<int64_t>(0, it->second.locked_until - now);
}

void LoginThrottle::Failed(std::string_view key, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = keys_.find(key);
  if (it == keys_.end()) {
    if (keys_.size() >= kMaxKeys) {
      // Forget what is old; if every key is recent, the one whose failure
      // is oldest.
      std::erase_if(keys_, [now](const auto& kv) {
        return now - kv.second.last_failure >= kForgetMs && now >= kv.second.locked_until;
      });
      if (keys_.size() >= kMaxKeys) {
        keys_.erase(std::min_element(keys_.begin(), keys_.end(), [](const auto& a, const auto& b) {
          return a.second.last_failure < b.second.last_failure;
        }));
      }
    }
    it = keys_.emplace(std::string(key), Entry{}).first;
  }
  Entry& e = it->second;
  if (now - e.last_failure >= kForgetMs && now >= e.locked_until) e.failures = 0;
  e.failures++;
  e.last_failure = now;
  if (e.failures > kFree) {
    const uint32_t shift = std::min<uint32_t>(e.failures - kFree - 1, 20);
    e.locked_until = now + std::min<int64_t>(int64_t{1000} << shift, kMaxLockMs);
  }
}

void LoginThrottle::Succeeded(std::string_view key) {
  std::lock_guard lock(mu_);
  if (auto it = keys_.find(key); it != keys_.end()) keys_.erase(it);
}

}  // namespace jejak
