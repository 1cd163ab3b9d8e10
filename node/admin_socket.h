// The node's local administration channel: a Unix socket in the node folder
// (NODE/admin.sock, mode 0600), answering only processes of the node's own
// user or root (SO_PEERCRED), one request line per connection
// (specs/node-api.md, "Admin socket"):
//
//   snapshot        the node writes a consistent copy of its store, as of
//                   one instant, to NODE/snapshots/<name>/ (RocksDB
//                   checkpoint: hard links) while it goes on serving, and
//                   answers "ok <name>"
//   release <name>  removes that copy; "ok"
//
// Anything else, or a failure, is answered "error <message>". `jejak backup`
// copies a snapshot while the node holds the store's lock, which no other
// process could open for a consistent copy.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "ledger/log/store.h"

namespace jejak {

inline constexpr char kAdminSocketName[] = "admin.sock";
inline constexpr char kSnapshotFolder[] = "snapshots";

class AdminSocket {
 public:
  // Binds NODE/admin.sock (replacing a stale one: the caller holds the
  // store's lock, so no other node runs on this folder) and answers on a
  // thread of its own. Removes snapshots a crash left behind. `store` must
  // outlive it. IOError when the socket cannot be made.
  static Result<std::unique_ptr<AdminSocket>> Start(const std::string& node_dir, Store& store);
  ~AdminSocket();  // Stop()
  // Stops answering, joins the thread, removes the socket. Idempotent.
  void Stop();

  struct Impl;

 private:
  explicit AdminSocket(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Sends `request` to the node serving `node_dir` and returns its answer
// after "ok" (the snapshot's name; empty for release). Unavailable when no
// node answers there (none is running); FailedPrecondition with the node's
// message for an "error" answer.
Result<std::string> AdminRequest(const std::string& node_dir, std::string_view request,
                                 std::chrono::milliseconds timeout = std::chrono::minutes(10));

}  // namespace jejak
