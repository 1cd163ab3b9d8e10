#include "node/event_log.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace jejak {
namespace {

constexpr size_t kMaxMessageBytes = 1000;

// sd-daemon(3): "<N>" before a line written to the journal gives its
// priority (3 err, 4 warning, 6 info, 7 debug).
class SyslogPriority final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const char* p = "<6>";
    switch (msg.level) {
      case spdlog::level::trace:
      case spdlog::level::debug:
        p = "<7>";
        break;
      case spdlog::level::warn:
        p = "<4>";
        break;
      case spdlog::level::err:
      case spdlog::level::critical:
        p = "<3>";
        break;
      default:
        break;
    }
    dest.append(p, p + 3);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SyslogPriority>();
  }
};

// Whether standard error is the journal's stream: $JOURNAL_STREAM holds its
// "device:inode" (systemd.exec(5)).
bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  struct stat st {};
  if (stream == nullptr || ::fstat(2, &st) != 0) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  return dev == static_cast<unsigned long long>(st.st_dev) &&
         ino == static_cast<unsigned long long>(st.st_ino);
}

spdlog::level::level_enum SpdLevel(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

spdlog::logger& Logger() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto l = std::make_shared<spdlog::logger>("jejak", sink);
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    if (StderrIsJournal()) {
      formatter->add_flag<SyslogPriority>('*').set_pattern("%*%v");
    } else {
      formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %-7l %v");
    }
    l->set_formatter(std::move(formatter));
    l->set_level(spdlog::level::info);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

// One printable line: control characters and bytes outside ASCII become
// '?' (a peer's error text may carry anything), cut at the bound.
std::string OneLine(std::string_view message) {
  std::string line(message.substr(0, kMaxMessageBytes));
  for (char& c : line) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\t') {
      c = ' ';
    } else if (b < 0x20 || b >= 0x7f) {
      c = '?';
    }
  }
  if (message.size() > kMaxMessageBytes) line += " [cut]";
  return line;
}

}  // namespace

void SetEventLogLevel(LogLevel level) { Logger().set_level(SpdLevel(level)); }

namespace {
std::mutex last_error_mu;
std::optional<LastEvent> last_error;
}  // namespace

void LogEvent(LogLevel level, std::string_view message) {
  if (level == LogLevel::kError) {
    std::lock_guard lock(last_error_mu);
    last_error = LastEvent{std::time(nullptr), OneLine(message)};
  }
  spdlog::logger& l = Logger();
  const auto spd = SpdLevel(level);
  if (!l.should_log(spd)) return;
  l.log(spd, "{}", OneLine(message));
}

std::optional<LastEvent> LastEventError() {
  std::lock_guard lock(last_error_mu);
  return last_error;
}

}  // namespace jejak
