// What the parts of the web console share (node/console.cc: sessions, pages,
// the overview; node/console_audit.cc: audit runs). Internal to node/.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "node/console_sessions.h"
#include "node/http.h"

namespace jejak {

struct NodeContext;

// The audit the console runs in the background: one at a time.
struct ConsoleAuditJob {
  std::string id, stage, as_of, by;  // by: the account that started it
  int64_t started = 0;
  std::atomic<uint64_t> done{0}, total{2000};
  std::atomic<bool> writing{false};  // the audit is done; its documents are being written
};

struct ConsoleState {
  std::string asset_dir;  // $JEJAK_CONSOLE_DIR: pages from there, not from the binary
  ConsoleSessions sessions;
  LoginThrottle throttle;
  // The node folder's size on disk, measured at most every 30 s (a walk of
  // the store's files).
  std::mutex disk_mu;
  int64_t disk_measured = 0;
  uint64_t folder_bytes = 0;
  // The built-in pages, gzip-compressed at their first request.
  struct Packed {
    std::string body, etag;
  };
  std::mutex packed_mu;
  std::map<std::string, std::shared_ptr<const Packed>> packed;

  // Audit runs (node/console_audit.cc). `job` is set while one runs; the
  // thread is joined by the next start and by StopConsole.
  std::mutex audit_mu;
  std::shared_ptr<ConsoleAuditJob> job;
  std::thread audit_thread;
  // The last report read back, by run id: a national report is tens of MB of
  // JSON, parsed once, not at each page of its findings.
  std::mutex report_mu;
  std::string report_id;
  std::shared_ptr<const nlohmann::json> report;
};

int64_t ConsoleNow();
void AddSecurityHeaders(HttpResponse& r);
HttpResponse ConsoleJson(int status, const nlohmann::json& body);
// An error the page shows as is: English and Bahasa Indonesia.
HttpResponse ConsoleError(int status, std::string_view en, std::string_view id);
// A refusal with the status's message (in English only: it comes from the
// rules, which speak English), and the HTTP status it maps to.
HttpResponse ConsoleRefusal(const Status& s);
// An answer of the node's own API served to the console: its refusals
// (plain text) become the console's JSON errors; the security headers added.
HttpResponse ConsoleAnswer(HttpResponse r);
// The number a query parameter gives (decimal, at most `max_digits`
// digits), or `fallback` when absent; std::nullopt when it is not one.
std::optional<uint64_t> QueryNumber(const HttpRequest& request, std::string_view name,
                                    uint64_t fallback, size_t max_digits = 18);

// /jejak/v1/console/audits...: `rest` is what follows "audits" ("", "/ID",
// "/ID/findings", ...).
HttpResponse HandleConsoleAudits(NodeContext& ctx, const HttpRequest& request,
                                 const ConsoleSession& session, std::string_view rest);
// /jejak/v1/console/berita-acara...: `rest` is "", "/one" or "/pdf".
HttpResponse HandleConsoleBeritaAcara(NodeContext& ctx, const HttpRequest& request,
                                      std::string_view rest);
// /jejak/v1/console/drafts...: `rest` is "", "/ID" or "/ID/ACTION".
HttpResponse HandleConsoleDrafts(NodeContext& ctx, const HttpRequest& request,
                                 const ConsoleSession& session, std::string_view rest);
// Waits for an audit in progress (a national one takes about a minute).
void StopConsole(NodeContext& ctx);

}  // namespace jejak
