// Status and Result<T>: how every module of Jejak reports expected failures.
//
// A Status carries a code and a message a user can act on (which file, line,
// index, what was expected). Exceptions are reserved for bugs. Thread-safe as
// values (immutable once built).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace jejak {

// Callers act on the code, so choose it for what the caller should do next
// (after Abseil's guidance on canonical codes):
//   NotFound            the thing asked for does not exist (a log, a leaf, a key).
//   AlreadyExists       it exists already: creating it again is refused (a node
//                       folder, a statement already in the log).
//   Corruption          bytes that should be sound are not (a leaf, a tile, a
//                       store entry, a signed note): stop and investigate.
//   InvalidArgument     the caller's input is wrong whatever the state (a bad
//                       option, a malformed CSV row): fix the input.
//   PermissionDenied    a signature or authority check failed: the signer may
//                       not do this.
//   FailedPrecondition  the input may be right but the state is not: fix the
//                       state first (pull the governance log, unfreeze...);
//                       retrying the same call as is will fail again.
//   Unavailable         transient: the same call may succeed if retried later
//                       (a peer that timed out, governance not yet pulled far
//                       enough while a follower catches up).
//   IOError             the file system or a socket failed.
//   ResourceExhausted   out of space or over a bound; writes resume once freed.
//   Internal            a bug: an invariant of ours did not hold.
enum class StatusCode {
  kOk = 0,
  kNotFound,
  kAlreadyExists,
  kCorruption,
  kInvalidArgument,
  kPermissionDenied,
  kFailedPrecondition,
  kUnavailable,
  kIOError,
  kResourceExhausted,  // out of space (a full disk): writes go on once it is freed
  kInternal,
};

// Short lowercase name of a code ("corruption", "not found", ...).
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>"; Ok stays Ok.
  Status WithContext(std::string_view context) const;

  // "ok" or the message alone: messages already say what failed.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status NotFound(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status AlreadyExists(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
inline Status Corruption(std::string m) { return Status(StatusCode::kCorruption, std::move(m)); }
inline Status InvalidArgument(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status PermissionDenied(std::string m) {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
inline Status FailedPrecondition(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status Unavailable(std::string m) { return Status(StatusCode::kUnavailable, std::move(m)); }
inline Status IOError(std::string m) { return Status(StatusCode::kIOError, std::move(m)); }
inline Status ResourceExhausted(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
inline Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

// Either a value or a non-Ok Status. Accessing value() of an error is a bug.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace jejak

#define JEJAK_CONCAT_INNER(a, b) a##b
#define JEJAK_CONCAT(a, b) JEJAK_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::jejak::Status jejak_status_ = (expr);        \
    if (!jejak_status_.ok()) return jejak_status_; \
  } while (0)

#define JEJAK_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  JEJAK_ASSIGN_OR_RETURN_IMPL(JEJAK_CONCAT(jejak_result_, __LINE__), lhs, expr)
