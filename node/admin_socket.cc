#include "node/admin_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "crypto/files.h"
#include "ledger/log/statement_log.h"
#include "node/event_log.h"

namespace jejak {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxRequest = 512;
// A snapshot older than this is one whose backup died: removed at the next.
constexpr int64_t kStaleSnapshotMs = 24LL * 3600 * 1000;

// A file descriptor closed with its owner.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd = std::exchange(o.fd, -1);
    }
    return *this;
  }
  ~Fd() { Reset(); }
  void Reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// The socket's address. A folder whose path is too long for sun_path (108
// bytes) is reached through /proc/self/fd/<a descriptor of the folder>.
struct SocketAddress {
  sockaddr_un addr{};
  Fd dir;  // held while the address is in use
};

Result<SocketAddress> AddressIn(const std::string& node_dir) {
  SocketAddress a;
  a.addr.sun_family = AF_UNIX;
  std::string path = node_dir + "/" + kAdminSocketName;
  if (path.size() >= sizeof(a.addr.sun_path)) {
    a.dir = Fd(::open(node_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (a.dir.fd < 0) {
      return IOError(fmt::format("{}: cannot open the folder: {}", node_dir, ErrnoText(errno)));
    }
    path = fmt::format("/proc/self/fd/{}/{}", a.dir.fd, kAdminSocketName);
  }
  std::memcpy(a.addr.sun_path, path.data(), path.size());
  return a;
}

bool ValidSnapshotName(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_not_of("0123456789-") == std::string_view::npos;
}

}  // namespace

struct AdminSocket::Impl {
  std::string node_dir;
  Store* store = nullptr;
  Fd listener;
  Fd stop_read, stop_write;
  std::thread thread;
  std::atomic<uint64_t> counter{0};
  bool stopped = false;

  std::string SnapshotRoot() const { return node_dir + "/" + kSnapshotFolder; }

  void RemoveStaleSnapshots() {
    std::error_code ec;
    const int64_t now = NowMillis();
    for (fs::directory_iterator it(SnapshotRoot(), ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      const int64_t made = std::atoll(name.c_str());
      if (!ValidSnapshotName(name) || now - made > kStaleSnapshotMs) {
        std::error_code e;
        fs::remove_all(it->path(), e);
      }
    }
  }

  std::string Answer(std::string_view request) {
    if (request == "snapshot") {
      RemoveStaleSnapshots();
      Status s = MakeDirectories(SnapshotRoot());
      const std::string name = fmt::format("{}-{}", NowMillis(), counter.fetch_add(1));
      if (s.ok()) s = store->Snapshot(SnapshotRoot() + "/" + name);
      if (!s.ok()) {
        EventError("admin: snapshot of the store failed: " + s.message());
        return "error " + s.message();
      }
      EventInfo("admin: snapshot " + name + " of the store made (a backup)");
      return "ok " + name;
    }
    if (request.starts_with("release ")) {
      const std::string_view name = request.substr(8);
      if (!ValidSnapshotName(name)) return "error no such snapshot";
      std::error_code ec;
      fs::remove_all(SnapshotRoot() + "/" + std::string(name), ec);
      if (ec) return "error " + ec.message();
      EventInfo("admin: snapshot " + std::string(name) + " released");
      return "ok";
    }
    return "error unknown request (snapshot, release NAME)";
  }

  void Serve(int fd) {
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
        (cred.uid != ::getuid() && cred.uid != 0)) {
      EventWarning(fmt::format("admin: refused a connection from uid {}", cred.uid));
      const std::string no = "error only the node's user or root may ask\n";
      (void)!::write(fd, no.data(), no.size());
      return;
    }
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string request;
    char buf[256];
    while (request.size() <= kMaxRequest && request.find('\n') == std::string::npos) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      request.append(buf, static_cast<size_t>(n));
    }
    const size_t nl = request.find('\n');
    const std::string answer =
        (nl == std::string::npos ? std::string("error a request is one line")
                                 : Answer(std::string_view(request).substr(0, nl))) +
        "\n";
    (void)!::write(fd, answer.data(), answer.size());
  }

  void Loop() {
    for (;;) {
      pollfd fds[2] = {{listener.fd, POLLIN, 0}, {stop_read.fd, POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
      Fd conn(::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC));
      if (conn.fd < 0) continue;
      try {
        Serve(conn.fd);
      } catch (const std::exception& e) {
        EventError(fmt::format("admin: internal error: {}", e.what()));
      }
    }
  }
};

AdminSocket::AdminSocket(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AdminSocket::~AdminSocket() { Stop(); }

Result<std::unique_ptr<AdminSocket>> AdminSocket::Start(const std::string& node_dir, Store& store) {
  auto impl = std::make_unique<Impl>();
  impl->node_dir = node_dir;
  impl->store = &store;
  std::error_code ec;
  fs::remove_all(impl->SnapshotRoot(), ec);  // left by a backup a crash cut short
  SocketAddress a;
  ASSIGN_OR_RETURN(a, AddressIn(node_dir));
  const std::string path = node_dir + "/" + kAdminSocketName;
  ::unlink(a.addr.sun_path);
  impl->listener = Fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (impl->listener.fd < 0 ||
      ::bind(impl->listener.fd, reinterpret_cast<const sockaddr*>(&a.addr), sizeof a.addr) != 0 ||
      ::chmod(a.addr.sun_path, 0600) != 0 || ::listen(impl->listener.fd, 8) != 0) {
    return IOError(fmt::format("{}: cannot make the admin socket: {}", path, ErrnoText(errno)));
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return IOError("cannot make a pipe");
  impl->stop_read = Fd(pipe_fds[0]);
  impl->stop_write = Fd(pipe_fds[1]);
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Loop(); });
  return std::unique_ptr<AdminSocket>(new AdminSocket(std::move(impl)));
}

void AdminSocket::Stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  (void)!::write(impl_->stop_write.fd, "x", 1);
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->listener.Reset();
  if (auto a = AddressIn(impl_->node_dir); a.ok()) ::unlink(a->addr.sun_path);
}

Result<std::string> AdminRequest(const std::string& node_dir, std::string_view request,
                                 std::chrono::milliseconds timeout) {
  SocketAddress a;
  ASSIGN_OR_RETURN(a, AddressIn(node_dir));
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.fd < 0) return IOError("cannot make a socket");
  if (::connect(fd.fd, reinterpret_cast<const sockaddr*>(&a.addr), sizeof a.addr) != 0) {
    return Unavailable(
        fmt::format("no node answers at {}/{} ({})", node_dir, kAdminSocketName, ErrnoText(errno)));
  }
  const auto ms = timeout.count();
  timeval tv{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
  ::setsockopt(fd.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const std::string line = std::string(request) + "\n";
  if (::write(fd.fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return Unavailable(fmt::format("the node at {} did not take the request", node_dir));
  }
  std::string answer;
  char buf[512];
  while (answer.size() < 4096 && answer.find('\n') == std::string::npos) {
    const ssize_t n = ::read(fd.fd, buf, sizeof buf);
    if (n <= 0) break;
    answer.append(buf, static_cast<size_t>(n));
  }
  const size_t nl = answer.find('\n');
  if (nl == std::string::npos) {
    return Unavailable(fmt::format("the node at {} gave no answer", node_dir));
  }
  answer.resize(nl);
  if (answer == "ok") return std::string();
  if (answer.starts_with("ok ")) return answer.substr(3);
  if (answer.starts_with("error ")) return FailedPrecondition("the node: " + answer.substr(6));
  return Corruption(fmt::format("the node at {} answered something else", node_dir));
}

}  // namespace jejak
