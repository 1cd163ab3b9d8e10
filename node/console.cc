// The web console (issue 17; specs/node-api.md "Console"): its pages, served
// from the binary, and the JSON they read. Sessions are cookies (HttpOnly,
// SameSite=Strict, Secure over TLS) whose state-changing requests also carry
// the session's CSRF token in X-Jejak-Csrf; sign-ins are throttled per
// account name and per address. What the console does is written to the
// node's event log (the operations log), never a password, a row or a
// family's identifier.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "crypto/files.h"
#include "crypto/json_text.h"
#include "ledger/pkh/values.h"
#include "node/console_assets.h"
#include "node/console_sessions.h"
#include "node/console_users.h"
#include "node/event_log.h"
#include "node/gzip.h"
#include "node/history.h"
#include "node/internal/console.h"
#include "node/internal/context.h"

namespace jejak {

namespace {

int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

constexpr std::string_view kApiPrefix = "/jejak/v1/console/";
// The session cookie's name carries the node's key ID: cookies ignore ports,
// and nodes on one host (a local federation) must not overwrite each
// other's sessions.
std::string CookieName(const NodeContext& ctx) {
  return fmt::format("jejak_console_{:08x}", ctx.folder->config().key.key_id);
}
// The assets' policy: nothing from elsewhere, no inline script or style;
// 'wasm-unsafe-eval' for libsodium's WebAssembly (Argon2id in the browser).
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

// The value of the session cookie, "" if none.
std::string_view SessionToken(const NodeContext& ctx, const HttpRequest& request) {
  const std::string name = CookieName(ctx);
  std::string_view cookies = request.cookie;
  while (!cookies.empty()) {
    const size_t end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    cookies = end == std::string_view::npos ? std::string_view() : cookies.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
  }
  return {};
}

std::string SessionCookie(const NodeContext& ctx, std::string_view token, int64_t max_age) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", CookieName(ctx),
                     token, max_age, ctx.options.insecure_http ? "" : "; Secure");
}

bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

nlohmann::json SessionJson(const ConsoleSession& s) {
  return {{"name", s.name},
          {"role", ConsoleRoleName(s.role)},
          {"csrf", s.csrf},
          {"expires", s.expires}};
}

// The account of a live session, as the accounts file says now: an account
// removed, or given another role, while signed in loses the session.
std::optional<ConsoleSession> CurrentSession(NodeContext& ctx, const HttpRequest& request) {
  const std::string_view token = SessionToken(ctx, request);
  if (token.size() != 64) return std::nullopt;
  auto session = ctx.console->sessions.Find(token, ConsoleNow());
  if (!session) return std::nullopt;
  auto users = ReadConsoleUsers(ctx.folder->dir());
  if (!users.ok()) return std::nullopt;
  for (const auto& u : *users) {
    if (u.name == session->name && u.role == session->role) return session;
  }
  ctx.console->sessions.Remove(token);
  return std::nullopt;
}

HttpResponse Login(NodeContext& ctx, const HttpRequest& request) {
  ConsoleState& state = *ctx.console;
  // JSON only: a form on another site can post text/plain or form data
  // without asking, never application/json (a CORS preflight, which this
  // node never answers), so no page elsewhere signs a browser in to an
  // account of its choosing.
  if (!std::string_view(request.content_type).starts_with("application/json")) {
    return ConsoleError(415, "a sign-in is sent as application/json",
                        "masuk dikirim sebagai application/json");
  }
  auto doc = ParseJsonDocument(request.body, "sign-in", JsonLimits{4096, 2});
  if (!doc.ok()) return ConsoleError(400, "a sign-in is JSON", "isi masuk harus JSON");
  auto f = JsonFields::Of(*doc, "sign-in");
  if (!f.ok()) return ConsoleError(400, "a sign-in is a JSON object", "isi masuk harus objek JSON");
  auto name = f->Str("name");
  auto password = f->Str("password");
  if (!name.ok() || !password.ok()) {
    return ConsoleError(400, "a sign-in gives a name and a password",
                        "masuk memerlukan nama dan kata sandi");
  }
  const std::string by_name = "n:" + *name, by_address = "a:" + request.peer_address;
  const int64_t asked_ms = MonotonicMs();
  const int64_t wait_ms = std::max(state.throttle.RetryAfterMs(by_name, asked_ms),
                                   state.throttle.RetryAfterMs(by_address, asked_ms));
  if (wait_ms > 0) {
    const int64_t wait = (wait_ms + 999) / 1000;
    ctx.metrics.Add("jejak_rejected_inputs_total", "reason=\"console_login_throttled\"");
    HttpResponse r = ConsoleJson(
        429, {{"error", fmt::format("too many failed sign-ins: try again in {} s", wait)},
              {"error_id",
               fmt::format("terlalu banyak percobaan gagal: coba lagi dalam {} detik", wait)},
              {"retry_after", wait}});
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return r;
  }
  auto users = ReadConsoleUsers(ctx.folder->dir());
  if (!users.ok()) {
    EventError("console: cannot read the accounts: " + users.status().message());
    return ConsoleError(500, "the node cannot read its console accounts",
                        "node tidak dapat membaca akun konsol");
  }
  const ConsoleUser* user = nullptr;
  for (const auto& u : *users) {
    if (u.name == *name) user = &u;
  }
  if (!CheckConsolePassword(user, *password)) {
    const int64_t checked_ms = MonotonicMs();
    state.throttle.Failed(by_name, checked_ms);
    state.throttle.Failed(by_address, checked_ms);
    ctx.metrics.Add("jejak_rejected_inputs_total", "reason=\"console_login_failed\"");
    // The name typed is not logged: it may be a password typed in the wrong box.
    EventWarning(fmt::format("console: a failed sign-in from {}", request.peer_address));
    return ConsoleError(401, "wrong name or password", "nama atau kata sandi salah");
  }
  state.throttle.Succeeded(by_name);
  state.throttle.Succeeded(by_address);
  const int64_t now = ConsoleNow();
  auto [token, session] = state.sessions.Create(user->name, user->role, now);
  EventInfo(fmt::format("console: {} signed in as {} from {}", user->name,
                        ConsoleRoleName(user->role), request.peer_address));
  HttpResponse r = ConsoleJson(200, SessionJson(session));
  r.headers.emplace_back("Set-Cookie", SessionCookie(ctx, token, session.expires - now));
  return r;
}

nlohmann::json NullOr(const std::optional<uint64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

HttpResponse Overview(NodeContext& ctx) {
  const NodeConfig& me = ctx.folder->config();
  auto logs = CollectLogStatus(ctx, /*witnessed_times=*/true);
  if (!logs.ok()) {
    return ConsoleError(500, "cannot list the logs", "tidak dapat membaca daftar log");
  }
  auto gov = ctx.Registry();
  nlohmann::json node = {
      {"origin", me.origin},
      {"name", me.name},
      {"kind", NodeKindName(me.kind)},
      {"region", me.region},
      {"key", me.key.ToString()},
      {"key_id", fmt::format("{:08x}", me.key.key_id)},
      {"url", ctx.url},
      {"governance", me.governance ? nlohmann::json(me.governance->name) : nullptr},
      {"governance_size", gov ? nlohmann::json(gov->size()) : nullptr},
      {"time", ConsoleNow()},
      {"started", ctx.started}};
  nlohmann::json alerts = nlohmann::json::array();
  nlohmann::json list = nlohmann::json::array();
  for (const LogStatus& s : *logs) {
    const NodeRegistration* reg = gov ? gov->NodeByOrigin(s.origin, gov->size()) : nullptr;
    nlohmann::json e = {
        {"origin", s.origin},
        {"name", reg ? nlohmann::json(reg->name) : (s.own ? nlohmann::json(me.name) : nullptr)},
        {"kind", reg && reg->kind ? nlohmann::json(NodeKindName(reg->kind))
                 : s.own          ? nlohmann::json(NodeKindName(me.kind))
                                  : nullptr},
        {"own", s.own},
        {"size", s.size},
        {"root", s.root},
        {"cosignatures", s.cosignatures},
        {"witnesses_wanted", NullOr(s.witnesses_wanted)},
        {"lag", s.own ? nlohmann::json(0) : NullOr(s.lag)},
        {"lag_seconds", s.lag ? nlohmann::json(s.lag_seconds) : nullptr},
        {"frozen", s.frozen},
        {"checkpoint_time", NullOr(s.witnessed_at)}};
    list.push_back(std::move(e));
    if (s.frozen) {
      alerts.push_back({{"kind", "frozen"},
                        {"origin", s.origin},
                        {"detail",
                         "this node holds evidence that the log's author signed two histories; "
                         "the replica is frozen"},
                        {"detail_id",
                         "node ini menyimpan bukti bahwa penulis log menandatangani dua "
                         "riwayat; replika dibekukan"}});
    }
    if (s.witnesses_wanted && s.size > 0 && s.cosignatures < *s.witnesses_wanted) {
      alerts.push_back({{"kind", "below_witness_policy"},
                        {"origin", s.origin},
                        {"detail", fmt::format("{} of {} cosignatures on the latest checkpoint",
                                               s.cosignatures, *s.witnesses_wanted)},
                        {"detail_id", fmt::format("{} dari {} kosignatur pada checkpoint terakhir",
                                                  s.cosignatures, *s.witnesses_wanted)}});
    }
    // A replica behind for more than a minute; a moment behind is a pull in
    // progress.
    if (!s.own && s.lag && *s.lag > 0 && s.lag_seconds >= 60) {
      alerts.push_back(
          {{"kind", "lagging"},
           {"origin", s.origin},
           {"detail", fmt::format("{} entries behind for {:.0f} s", *s.lag, s.lag_seconds)},
           {"detail_id",
            fmt::format("tertinggal {} entri selama {:.0f} detik", *s.lag, s.lag_seconds)}});
    }
  }
  return ConsoleJson(200, {{"node", node}, {"alerts", alerts}, {"logs", list}});
}

double SeriesTotal(const std::map<std::string, double>& series) {
  double total = 0;
  for (const auto& [labels, v] : series) total += v;
  return total;
}

HttpResponse Operations(NodeContext& ctx) {
  ConsoleState& state = *ctx.console;
  nlohmann::json rejected = nlohmann::json::object();
  for (const auto& [labels, v] : ctx.metrics.Series("jejak_rejected_inputs_total")) {
    // labels: reason="..."
    std::string reason = labels;
    if (reason.starts_with("reason=\"") && reason.ends_with('"')) {
      reason = reason.substr(8, reason.size() - 9);
    }
    rejected[reason] = static_cast<uint64_t>(v);
  }
  nlohmann::json connections = {{"peer", 0}, {"anonymous", 0}, {"refused", 0}};
  uint64_t requests = 0;
  if (const HttpServer* server = ctx.server.load()) {
    const HttpServerStats stats = server->stats();
    connections = {{"peer", stats.peer_connections},
                   {"anonymous", stats.anonymous_connections},
                   {"refused", stats.refused_connections}};
    requests = stats.requests;
  }
  const int64_t now = ConsoleNow();
  uint64_t folder_bytes = 0;
  {
    std::lock_guard lock(state.disk_mu);
    if (now - state.disk_measured >= 30) {
      std::error_code ec;
      uint64_t total = 0;
      for (auto it = std::filesystem::recursive_directory_iterator(ctx.folder->dir(), ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code size_ec;
        if (it->is_regular_file(size_ec)) {
          const auto size = it->file_size(size_ec);
          if (!size_ec) total += size;
        }
      }
      state.folder_bytes = total;
      state.disk_measured = now;
    }
    folder_bytes = state.folder_bytes;
  }
  std::error_code ec;
  const auto space = std::filesystem::space(ctx.folder->dir(), ec);
  nlohmann::json last_error = nullptr;
  if (auto e = LastEventError()) last_error = {{"time", e->time}, {"message", e->message}};
  return ConsoleJson(
      200,
      {{"appends", static_cast<uint64_t>(SeriesTotal(ctx.metrics.Series("jejak_appends_total")))},
       {"requests", requests},
       {"rejected", rejected},
       {"connections", connections},
       {"internal_errors",
        static_cast<uint64_t>(SeriesTotal(ctx.metrics.Series("jejak_internal_errors_total")))},
       {"store_bytes", folder_bytes},
       {"disk_free_bytes", ec ? nlohmann::json(nullptr) : nlohmann::json(space.available)},
       {"disk_total_bytes", ec ? nlohmann::json(nullptr) : nlohmann::json(space.capacity)},
       {"last_error", last_error},
       {"started", ctx.started},
       {"time", now}});
}

HttpResponse Registry(NodeContext& ctx) {
  const NodeConfig& me = ctx.folder->config();
  auto gov = ctx.Registry();
  nlohmann::json governance = nullptr;
  if (me.governance) {
    governance = {{"origin", me.governance->name},
                  {"key", me.governance->ToString()},
                  {"size", gov ? gov->size() : 0}};
  }
  nlohmann::json nodes = nlohmann::json::array();
  if (gov) {
    for (const NodeRegistration* n : gov->Nodes(gov->size())) {
      nodes.push_back({{"origin", n->origin},
                       {"name", n->name},
                       {"kind", NodeKindName(n->kind)},
                       {"region", n->region},
                       {"key", n->verifier_key},
                       {"witness_key", n->witness_key.empty() ? nlohmann::json(nullptr)
                                                              : nlohmann::json(n->witness_key)}});
    }
  }
  return ConsoleJson(200, {{"governance", governance}, {"nodes", nodes}});
}

// The content type of a console file by its extension; "" for a file that
// is not served (notes, tests). node/embed_assets.cmake knows the same list.
std::string_view AssetType(std::string_view file) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".wasm", "application/wasm"},
      {".woff2", "font/woff2"}};
  for (const auto& [ext, type] : kTypes) {
    if (file.ends_with(ext)) return type;
  }
  return {};
}

// A file of $JEJAK_CONSOLE_DIR (the console's sources, for working on the
// pages without a rebuild): names of [A-Za-z0-9._-/] only, no "..", a served
// type, at most 16 MiB.
std::optional<std::pair<std::string, std::string_view>> AssetFromDir(const std::string& dir,
                                                                     std::string_view file) {
  const bool plain = std::all_of(file.begin(), file.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
           c == '/';
  });
  if (!plain || file.find("..") != std::string_view::npos || file.starts_with('/')) {
    return std::nullopt;
  }
  const std::string_view type = AssetType(file);
  if (type.empty()) return std::nullopt;
  auto data = ReadFile(dir + "/" + std::string(file), size_t{16} << 20);
  if (!data.ok()) return std::nullopt;
  return std::pair{std::move(*data), type};
}

HttpResponse Asset(NodeContext& ctx, std::string_view path, bool gzip) {
  if (path == "/console") {
    HttpResponse r = TextResponse(301, "the console is at /console/");
    r.headers.emplace_back("Location", "/console/");
    return r;
  }
  std::string_view file = path.substr(std::string_view("/console/").size());
  if (file.empty()) file = "index.html";
  HttpResponse r;
  // $JEJAK_CONSOLE_DIR holds the pages; the libraries from npm (vendor/)
  // come from the binary all the same.
  if (!ctx.console->asset_dir.empty() && !file.starts_with("vendor/")) {
    auto found = AssetFromDir(ctx.console->asset_dir, file);
    if (!found) return TextResponse(404, "no such page");
    r.content_type = std::string(found->second);
    r.body = std::move(found->first);
    r.etag = EtagOf(r.body);
  } else {
    const ConsoleAsset* asset = nullptr;
    for (const ConsoleAsset& a : ConsoleAssets()) {
      if (a.path == file) asset = &a;
    }
    if (asset == nullptr) return TextResponse(404, "no such page");
    r.content_type = std::string(asset->content_type);
    if (gzip) {
      // Compressed once (a phone on a slow line loads libsodium's 535 KB as
      // about a third of it), kept for the node's life: the set is fixed.
      std::shared_ptr<const ConsoleState::Packed> packed;
      {
        std::lock_guard lock(ctx.console->packed_mu);
        auto& slot = ctx.console->packed[std::string(file)];
        if (!slot) {
          std::string body = GzipCompress(asset->data, 9);
          std::string etag = EtagOf(body);
          slot = std::make_shared<const ConsoleState::Packed>(
              ConsoleState::Packed{std::move(body), std::move(etag)});
        }
        packed = slot;
      }
      r.body = packed->body;
      r.etag = packed->etag;
      r.headers.emplace_back("Content-Encoding", "gzip");
    } else {
      r.body = std::string(asset->data);
      r.etag = EtagOf(r.body);
    }
    r.headers.emplace_back("Vary", "Accept-Encoding");
  }
  // The binary's files: revalidated on each load, so an upgrade shows at once.
  r.cache_control = "no-cache";
  r.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  AddSecurityHeaders(r);
  return r;
}

// The history the node keeps (node/history.h) for the overview's charts: the
// sum of every log's size and the largest lag, and one log's size and lag
// (the own log unless ?origin= names another held log).
HttpResponse History(NodeContext& ctx, const HttpRequest& request) {
  auto infos = ListLogs(ctx.folder->store());
  if (!infos.ok()) return ConsoleError(500, "cannot list the logs", "tidak dapat membaca log");
  const std::string origin =
      QueryValue(request.target, "origin").value_or(ctx.folder->config().origin);
  std::optional<uint32_t> id;
  for (const LogInfo& info : *infos) {
    if (info.origin == origin) id = info.id;
  }
  if (!id)
    return ConsoleError(404, "this node holds no such log", "node ini tidak memegang log itu");
  auto samples = ReadHistory(ctx.folder->store(), ConsoleNow() - kHistoryKeep);
  if (!samples.ok()) {
    return ConsoleError(500, samples.status().message(), samples.status().message());
  }
  nlohmann::json total = nlohmann::json::array(), one = nlohmann::json::array();
  for (const HistorySample& s : *samples) {
    uint64_t size = 0, max_lag = 0, lagging = 0;
    for (const HistoryPoint& p : s.logs) {
      size += p.size;
      max_lag = std::max(max_lag, p.lag);
      lagging += p.lag > 0 ? 1 : 0;
      if (p.log == *id) one.push_back({s.time, p.size, p.lag});
    }
    total.push_back({s.time, size, s.logs.size(), lagging, max_lag});
  }
  return ConsoleJson(200, {{"interval", kHistoryInterval},
                           {"keep", kHistoryKeep},
                           {"total", total},
                           {"origin", origin},
                           {"log", one}});
}

// A family's trail (jejak trail): by pseudonym for anyone signed in; by
// identifier (POST, so that it is in no URL or log) for an auditor, on a
// node that holds the program key. The identifier is used to compute the
// pseudonym and dropped: never stored, never logged.
HttpResponse FamilyTrail(NodeContext& ctx, const HttpRequest& request,
                         const ConsoleSession& session) {
  if (!ctx.pkh) {
    return ConsoleError(409, "this node is not under governance: it holds no PKH records",
                        "node ini tidak di bawah tata kelola: tidak menyimpan catatan PKH");
  }
  TrailOptions o;
  o.as_of = FormatWib(ConsoleNow());
  if (request.method == "POST") {
    if (!ConsoleRoleMay(session.role, ConsoleRole::kAuditor)) {
      return ConsoleError(403, "only an auditor may look a family up by identifier",
                          "hanya auditor yang dapat mencari keluarga dengan identitas");
    }
    if (!ctx.program_key) {
      return ConsoleError(409, "this node holds no program key: look the family up by pseudonym",
                          "node ini tidak memegang kunci program: cari dengan pseudonim");
    }
    auto doc = ParseJsonDocument(request.body, "trail", JsonLimits{4096, 2});
    auto f = doc.ok() ? JsonFields::Of(*doc, "trail") : Result<JsonFields>(doc.status());
    auto id = f.ok() ? f->Str("id_kpm") : Result<std::string>(f.status());
    auto stage = f.ok() ? f->StrOr("stage", "") : Result<std::string>(f.status());
    const bool plain =
        id.ok() && !id->empty() && id->size() <= 64 &&
        std::all_of(id->begin(), id->end(), [](char c) { return c > ' ' && c < 127; });
    if (!plain || !stage.ok()) {
      return ConsoleError(400, "give id_kpm (1-64 printable characters) and optionally stage",
                          "berikan id_kpm (1-64 karakter) dan boleh tahap");
    }
    o.kpm = KpmPseudonym(*ctx.program_key, *id);
    o.stage = *stage;
    EventInfo(fmt::format("console: {} looked a family up by identifier", session.name));
  } else {
    const auto pseudonym = QueryValue(request.target, "pseudonym");
    auto kpm = ParsePseudonymHex(pseudonym.value_or(""), "pseudonym");
    if (!kpm.ok()) {
      return ConsoleError(400, "pseudonym is 32 lowercase hex digits",
                          "pseudonim berupa 32 digit heksadesimal huruf kecil");
    }
    o.kpm = *kpm;
    o.stage = QueryValue(request.target, "stage").value_or("");
  }
  o.proofs = true;
  return ConsoleAnswer(TrailAnswer(ctx, std::move(o)));
}

}  // namespace

int64_t ConsoleNow() { return static_cast<int64_t>(std::time(nullptr)); }

void AddSecurityHeaders(HttpResponse& r) {
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
}

HttpResponse ConsoleJson(int status, const nlohmann::json& body) {
  HttpResponse r = JsonAnswer(status, body);
  AddSecurityHeaders(r);
  return r;
}

HttpResponse ConsoleError(int status, std::string_view en, std::string_view id) {
  return ConsoleJson(status, {{"error", en}, {"error_id", id}});
}

HttpResponse ConsoleRefusal(const Status& s) {
  return ConsoleError(HttpStatusOf(s), s.message(), s.message());
}

HttpResponse ConsoleAnswer(HttpResponse r) {
  if (r.status != 200 && r.content_type.starts_with("text/plain")) {
    std::string why = r.body;
    while (!why.empty() && why.back() == '\n') why.pop_back();
    HttpResponse e = ConsoleError(r.status, why, why);
    for (const auto& h : r.headers) e.headers.push_back(h);  // Retry-After
    return e;
  }
  AddSecurityHeaders(r);
  return r;
}

std::optional<uint64_t> QueryNumber(const HttpRequest& request, std::string_view name,
                                    uint64_t fallback, size_t max_digits) {
  auto v = QueryValue(request.target, name);
  if (!v) return fallback;
  if (v->empty() || v->size() > max_digits ||
      !std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoull(*v);
}

std::shared_ptr<ConsoleState> MakeConsoleState() {
  auto state = std::make_shared<ConsoleState>();
  if (const char* dir = std::getenv("JEJAK_CONSOLE_DIR"); dir != nullptr && *dir != '\0') {
    state->asset_dir = dir;
    EventWarning(
        fmt::format("console pages served from $JEJAK_CONSOLE_DIR ({}), not the binary", dir));
  }
  return state;
}

bool IsConsolePath(std::string_view path) {
  return path == "/console" || path.starts_with("/console/") || path.starts_with(kApiPrefix);
}

HttpResponse HandleConsole(NodeContext& ctx, const HttpRequest& request) {
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  if (!ctx.console) return TextResponse(404, "this node serves no console (jejak serve --console)");
  const bool read = request.method == "GET" || request.method == "HEAD";
  if (!path.starts_with(kApiPrefix)) {
    if (!read) return TextResponse(405, "only GET here");
    return Asset(ctx, path, request.accepts_gzip);
  }
  const std::string_view what = path.substr(kApiPrefix.size());
  if (what == "login") {
    if (request.method != "POST") return ConsoleError(405, "only POST here", "hanya POST");
    return Login(ctx, request);
  }
  auto session = CurrentSession(ctx, request);
  if (!session) {
    return ConsoleError(401, "not signed in, or the session has ended",
                        "belum masuk, atau sesi telah berakhir");
  }
  if (!read && !SameToken(request.JejakHeader("csrf"), session->csrf)) {
    ctx.metrics.Add("jejak_rejected_inputs_total", "reason=\"console_csrf\"");
    return ConsoleError(403, "the request lacks the session's X-Jejak-Csrf token",
                        "permintaan tidak membawa token X-Jejak-Csrf sesi ini");
  }
  if (what == "logout") {
    if (request.method != "POST") return ConsoleError(405, "only POST here", "hanya POST");
    ctx.console->sessions.Remove(SessionToken(ctx, request));
    EventInfo(fmt::format("console: {} signed out", session->name));
    HttpResponse r;
    r.status = 204;
    r.body.clear();
    r.headers.emplace_back("Set-Cookie", SessionCookie(ctx, "", 0));
    AddSecurityHeaders(r);
    return r;
  }
  if (!read && !what.starts_with("audits") && !what.starts_with("drafts") && what != "trail")
    return ConsoleError(405, "only GET here", "hanya GET");
  if (what == "session") return ConsoleJson(200, SessionJson(*session));
  if (what == "overview") return Overview(ctx);
  if (what == "operations") return Operations(ctx);
  if (what == "registry") return Registry(ctx);
  if (what == "history") return History(ctx, request);
  if (what == "trail") return FamilyTrail(ctx, request, *session);
  if (what == "drafts" || what.starts_with("drafts/")) {
    return HandleConsoleDrafts(ctx, request, *session, what.substr(6));
  }
  if (what == "berita-acara" || what.starts_with("berita-acara/")) {
    return HandleConsoleBeritaAcara(ctx, request, what.substr(12));
  }
  if (what == "audits" || what.starts_with("audits/")) {
    return HandleConsoleAudits(ctx, request, *session, what.substr(6));
  }
  return ConsoleError(404, "no such console endpoint", "tidak ada endpoint konsol ini");
}

}  // namespace jejak
