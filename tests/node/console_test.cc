// The web console's server side: accounts, sessions, the sign-in throttle,
// and a served node's /console/ and /jejak/v1/console/ answers (cookies,
// CSRF, roles), through a real `jejak serve --console` process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/files.h"
#include "ledger/log/log.h"
#include "ledger/log/rocks_store.h"
#include "node/console_sessions.h"
#include "node/console_users.h"
#include "node/gzip.h"
#include "node/history.h"
#include "tests/node/node_processes.h"
#include "tests/node/raw_http.h"

namespace jejak {
namespace {

using testing::Exchange;
using testing::RawAnswer;
using testing::RunJejak;
using testing::ServeProcess;

TEST(ConsoleUsers, AddReadRemoveAndRefusals) {
  const std::string dir = testing::MakeTempFolder("console-users");
  ASSERT_TRUE(ReadConsoleUsers(dir).ok());
  EXPECT_TRUE(ReadConsoleUsers(dir)->empty());
  ASSERT_TRUE(AddConsoleUser(dir, "ani", ConsoleRole::kAuditor, "a long password").ok());
  ASSERT_TRUE(AddConsoleUser(dir, "budi.s", ConsoleRole::kApprover, "another password").ok());
  EXPECT_EQ(AddConsoleUser(dir, "ani", ConsoleRole::kViewer, "a long password").code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(AddConsoleUser(dir, "Ani", ConsoleRole::kViewer, "a long password").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AddConsoleUser(dir, "-x", ConsoleRole::kViewer, "a long password").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AddConsoleUser(dir, "citra", ConsoleRole::kViewer, "short").code(),
            StatusCode::kInvalidArgument);

  auto users = ReadConsoleUsers(dir);
  ASSERT_TRUE(users.ok()) << users.status().message();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "ani");
  EXPECT_EQ((*users)[0].role, ConsoleRole::kAuditor);
  EXPECT_TRUE((*users)[0].password_hash.starts_with("$argon2id$"));
  // The file holds hashes, never the password, and only its owner reads it.
  const std::string text = testing::ReadBinary(dir + "/" + kConsoleUsersFile);
  EXPECT_EQ(text.find("a long password"), std::string::npos);
  EXPECT_TRUE(CheckConsolePassword(&(*users)[0], "a long password"));
  EXPECT_FALSE(CheckConsolePassword(&(*users)[0], "a long passwore"));
  EXPECT_FALSE(CheckConsolePassword(&(*users)[0], ""));
  EXPECT_FALSE(CheckConsolePassword(nullptr, "a long password"));

  ASSERT_TRUE(RemoveConsoleUser(dir, "ani").ok());
  EXPECT_EQ(RemoveConsoleUser(dir, "ani").code(), StatusCode::kNotFound);
  ASSERT_EQ(ReadConsoleUsers(dir)->size(), 1u);
}

TEST(ConsoleUsers, AMalformedFileIsRefusedNamingTheField) {
  const std::string dir = testing::MakeTempFolder("console-users-bad");
  const std::string path = dir + "/" + kConsoleUsersFile;
  auto refused = [&](const std::string& text, const std::string& expect) {
    ASSERT_TRUE(WriteFileAtomic(path, text).ok());
    auto users = ReadConsoleUsers(dir);
    ASSERT_FALSE(users.ok()) << text;
    EXPECT_NE(users.status().message().find(expect), std::string::npos) << users.status().message();
  };
  refused("{", "not valid JSON");
  refused(R"({"format":"jejak-console-users/2","users":[]})", "format");
  refused(
      R"({"format":"jejak-console-users/1","users":[{"name":"a","role":"king","password":"$argon2id$x"}]})",
      "users[0].role");
  refused(
      R"({"format":"jejak-console-users/1","users":[{"name":"a","role":"viewer","password":"plain"}]})",
      "not an Argon2id hash");
  refused(
      R"({"format":"jejak-console-users/1","users":[{"name":"a","role":"viewer","password":"$argon2id$x"},{"name":"a","role":"viewer","password":"$argon2id$y"}]})",
      "given twice");
}

TEST(ConsoleRoles, WhoMayDoWhat) {
  EXPECT_TRUE(ConsoleRoleMay(ConsoleRole::kViewer, ConsoleRole::kViewer));
  EXPECT_FALSE(ConsoleRoleMay(ConsoleRole::kViewer, ConsoleRole::kAuditor));
  EXPECT_TRUE(ConsoleRoleMay(ConsoleRole::kAuditor, ConsoleRole::kAuditor));
  EXPECT_FALSE(ConsoleRoleMay(ConsoleRole::kOperator, ConsoleRole::kAuditor));
  EXPECT_FALSE(ConsoleRoleMay(ConsoleRole::kApprover, ConsoleRole::kOperator));
  EXPECT_TRUE(ConsoleRoleMay(ConsoleRole::kAdmin, ConsoleRole::kApprover));
  for (auto r : {"viewer", "auditor", "operator", "approver", "admin"}) {
    ASSERT_TRUE(ParseConsoleRole(r).ok());
    EXPECT_EQ(ConsoleRoleName(*ParseConsoleRole(r)), r);
  }
  EXPECT_FALSE(ParseConsoleRole("root").ok());
}

TEST(ConsoleSessions, LiveExpireAndStayBounded) {
  ConsoleSessions sessions(ConsoleSessions::Limits{4, 2, 1000, 100});
  auto [t1, s1] = sessions.Create("ani", ConsoleRole::kAuditor, 0);
  EXPECT_EQ(t1.size(), 64u);
  EXPECT_EQ(s1.csrf.size(), 64u);
  EXPECT_NE(t1, s1.csrf);
  ASSERT_TRUE(sessions.Find(t1, 50));
  EXPECT_TRUE(sessions.Find(t1, 149));   // idle 99 s since the last use
  EXPECT_FALSE(sessions.Find(t1, 249));  // idle 100 s: gone
  EXPECT_FALSE(sessions.Find(t1, 10));   // and gone for good
  // However busy, a session ends at its age limit.
  auto [t2, s2] = sessions.Create("ani", ConsoleRole::kAuditor, 0);
  for (int64_t t = 90; t < 1000; t += 90) ASSERT_TRUE(sessions.Find(t2, t)) << t;
  EXPECT_FALSE(sessions.Find(t2, 1000));
  // Two per account: a third sign-in ends the least recently used.
  auto a = sessions.Create("budi", ConsoleRole::kViewer, 10).first;
  auto b = sessions.Create("budi", ConsoleRole::kViewer, 11).first;
  ASSERT_TRUE(sessions.Find(a, 12));
  auto c = sessions.Create("budi", ConsoleRole::kViewer, 13).first;
  EXPECT_TRUE(sessions.Find(a, 14));
  EXPECT_FALSE(sessions.Find(b, 14));
  EXPECT_TRUE(sessions.Find(c, 14));
  // Four in all.
  for (int i = 0; i < 10; ++i)
    sessions.Create("u" + std::to_string(i), ConsoleRole::kViewer, 20 + i);
  EXPECT_LE(sessions.size(), 4u);
  EXPECT_FALSE(sessions.Find("", 30));
  EXPECT_FALSE(sessions.Find(std::string(64, '0'), 30));
}

TEST(LoginThrottle, FreeFailuresThenGrowingLocksAndForgetting) {
  LoginThrottle t;
  const int64_t s = 1000;  // the throttle counts milliseconds
  for (uint32_t i = 0; i < LoginThrottle::kFree; ++i) {
    EXPECT_EQ(t.RetryAfterMs("n:ani", 100 * s), 0);
    t.Failed("n:ani", 100 * s);
  }
  EXPECT_EQ(t.RetryAfterMs("n:ani", 100 * s), 0);
  t.Failed("n:ani", 100 * s + 999);
  // A whole second from the failure, however late in its second it came.
  EXPECT_EQ(t.RetryAfterMs("n:ani", 101 * s), 999);
  EXPECT_EQ(t.RetryAfterMs("n:ani", 101 * s + 999), 0);
  t.Failed("n:ani", 102 * s);
  EXPECT_EQ(t.RetryAfterMs("n:ani", 102 * s), 2 * s);
  t.Failed("n:ani", 104 * s);
  EXPECT_EQ(t.RetryAfterMs("n:ani", 104 * s), 4 * s);
  for (int i = 0; i < 40; ++i) t.Failed("n:ani", 200 * s);
  EXPECT_EQ(t.RetryAfterMs("n:ani", 200 * s), LoginThrottle::kMaxLockMs);
  EXPECT_EQ(t.RetryAfterMs("n:other", 200 * s), 0);
  // A quarter of an hour after the lock ends, the count starts again.
  const int64_t later = 200 * s + LoginThrottle::kMaxLockMs + LoginThrottle::kForgetMs;
  t.Failed("n:ani", later);
  EXPECT_EQ(t.RetryAfterMs("n:ani", later), 0);
  t.Succeeded("n:ani");
  EXPECT_EQ(t.RetryAfterMs("n:ani", later), 0);
  // Bounded, however many keys fail.
  for (size_t i = 0; i < LoginThrottle::kMaxKeys + 100; ++i) t.Failed("a:" + std::to_string(i), 5);
  SUCCEED();
}

TEST(History, SamplesReadBackInOrderAndTheOldOnesGo) {
  const std::string dir = testing::MakeTempFolder("history");
  auto store = OpenRocksStore(dir + "/store", StoreMode::kCreate);
  ASSERT_TRUE(store.ok()) << store.status().message();
  ASSERT_EQ(*LatestHistoryTime(**store), 0);
  const int64_t t0 = 1'796'600'000;
  for (int i = 0; i < 5; ++i) {
    HistorySample s{t0 + i * kHistoryInterval, {{1, 100u + i, 0}, {7, 50, uint64_t(i)}}};
    ASSERT_TRUE(RecordHistory(**store, s).ok());
  }
  EXPECT_EQ(*LatestHistoryTime(**store), t0 + 4 * kHistoryInterval);
  auto all = ReadHistory(**store, 0);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[2].time, t0 + 2 * kHistoryInterval);
  ASSERT_EQ((*all)[2].logs.size(), 2u);
  EXPECT_EQ((*all)[2].logs[0].size, 102u);
  EXPECT_EQ((*all)[2].logs[1].log, 7u);
  EXPECT_EQ((*all)[2].logs[1].lag, 2u);
  EXPECT_EQ(ReadHistory(**store, t0 + 3 * kHistoryInterval)->size(), 2u);
  // A sample a week later deletes what is older than a week before it.
  ASSERT_TRUE(RecordHistory(**store, {t0 + 2 * kHistoryInterval + kHistoryKeep, {}}).ok());
  all = ReadHistory(**store, 0);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ(all->front().time, t0 + 2 * kHistoryInterval);
  // The logs of the store are not history.
  EXPECT_TRUE(ListLogs(**store).ok());
}

class ConsoleServe : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = testing::MakeTempFolder("console-serve");
    dir_ = scratch_ + "/node";
    ASSERT_EQ(
        RunJejak({"init", dir_, "--kind", "auditor", "--name", "Audit", "--region", "00"}, scratch_)
            .code,
        0);
    ASSERT_TRUE(WriteFileAtomic(scratch_ + "/records", "one\ntwo\nthree\n").ok());
    auto key =
        RunJejak({"key", "new", "--out", scratch_ + "/writer.key", "--name", "writer"}, scratch_);
    ASSERT_EQ(key.code, 0) << key.err;
    auto append = RunJejak({"append", dir_, scratch_ + "/records", "--type", "generic.note",
                            "--key", scratch_ + "/writer.key"},
                           scratch_);
    ASSERT_EQ(append.code, 0) << append.err;
    ASSERT_TRUE(WriteFileAtomic(scratch_ + "/pw", "auditor password\n").ok());
    ASSERT_TRUE(WriteFileAtomic(scratch_ + "/pw2", "viewer password\n").ok());
    auto add = RunJejak({"console", "user", "add", dir_, "--name", "ani", "--role", "auditor",
                         "--password-file", scratch_ + "/pw"},
                        scratch_);
    ASSERT_EQ(add.code, 0) << add.err;
    add = RunJejak({"console", "user", "add", dir_, "--name", "budi", "--role", "viewer",
                    "--password-file", scratch_ + "/pw2"},
                   scratch_);
    ASSERT_EQ(add.code, 0) << add.err;
  }

  std::string scratch_, dir_;
};

TEST_F(ConsoleServe, SignInSessionsCsrfAndTheOverview) {
  ServeProcess node(dir_, {"--insecure-http", "--console"});
  ASSERT_TRUE(node.Start()) << node.log();
  const uint16_t port = node.port();

  // The pages: from the binary, under a policy that allows nothing from elsewhere.
  RawAnswer page = Exchange(port, "GET", "/console/");
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(page.Header("content-type").starts_with("text/html"));
  EXPECT_NE(page.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(page.Header("x-frame-options"), "DENY");
  // Compressed for a browser that accepts it, the same bytes once unpacked;
  // libsodium's build from npm is there too.
  RawAnswer packed = Exchange(port, "GET", "/console/", {"Accept-Encoding: gzip, br"});
  EXPECT_EQ(packed.Header("content-encoding"), "gzip");
  auto unpacked = GzipDecompress(packed.body, 1 << 20, "the page");
  ASSERT_TRUE(unpacked.ok()) << unpacked.status().message();
  EXPECT_EQ(*unpacked, page.body);
  EXPECT_NE(packed.Header("etag"), page.Header("etag"));
  RawAnswer sodium = Exchange(port, "GET", "/console/vendor/libsodium-wrappers.mjs");
  EXPECT_EQ(sodium.status, 200);
  EXPECT_NE(sodium.body.find("./libsodium-sumo.mjs"), std::string::npos);
  EXPECT_EQ(Exchange(port, "GET", "/console").status, 301);
  EXPECT_EQ(Exchange(port, "GET", "/console/../node.key").status, 404);
  EXPECT_EQ(Exchange(port, "GET", "/console/no-such.js").status, 404);

  // Nothing without a session.
  EXPECT_EQ(Exchange(port, "GET", "/jejak/v1/console/overview").status, 401);

  // A wrong password, then the right one.
  RawAnswer wrong = Exchange(port, "POST", "/jejak/v1/console/login", {},
                             R"({"name":"ani","password":"not the password"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Json()["error"], "wrong name or password");
  EXPECT_EQ(wrong.Json()["error_id"], "nama atau kata sandi salah");
  EXPECT_EQ(Exchange(port, "POST", "/jejak/v1/console/login", {}, R"({"name":"ani"})").status, 400);
  // A form on another site can post text/plain without asking; a sign-in is
  // JSON only (login CSRF).
  EXPECT_EQ(Exchange(port, "POST", "/jejak/v1/console/login", {"Content-Type: text/plain"},
                     R"({"name":"ani","password":"auditor password"})")
                .status,
            415);
  RawAnswer ok = Exchange(port, "POST", "/jejak/v1/console/login", {},
                          R"({"name":"ani","password":"auditor password"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const std::string set_cookie = ok.Header("set-cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(ok.Json()["role"], "auditor");
  const std::string cookie = "Cookie: " + set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = ok.Json()["csrf"];
  // The cookie is the node's (its key ID in the name); a made-up token is nothing.
  EXPECT_TRUE(set_cookie.starts_with("jejak_console_")) << set_cookie;
  const std::string forged = cookie.substr(0, cookie.find('=') + 1) + std::string(64, 'a');
  EXPECT_EQ(Exchange(port, "GET", "/jejak/v1/console/overview", {forged}).status, 401);

  RawAnswer session = Exchange(port, "GET", "/jejak/v1/console/session", {cookie});
  ASSERT_EQ(session.status, 200);
  EXPECT_EQ(session.Json()["name"], "ani");
  EXPECT_EQ(session.Json()["csrf"], csrf);

  // The overview lists the logs `jejak status --json` lists, with their sizes.
  RawAnswer overview = Exchange(port, "GET", "/jejak/v1/console/overview", {cookie});
  ASSERT_EQ(overview.status, 200) << overview.body;
  auto status = RunJejak({"status", "--node", node.url(), "--json"}, scratch_);
  ASSERT_EQ(status.code, 0) << status.err;
  const auto listed = nlohmann::json::parse(status.out)["logs"];
  const auto shown = overview.Json()["logs"];
  ASSERT_EQ(shown.size(), listed.size());
  for (size_t i = 0; i < shown.size(); ++i) {
    EXPECT_EQ(shown[i]["origin"], listed[i]["origin"]);
    EXPECT_EQ(shown[i]["size"], listed[i]["size"]);
    EXPECT_EQ(shown[i]["root"], listed[i]["root"]);
  }
  EXPECT_EQ(shown[0]["size"], 4);  // the statement and its three records
  EXPECT_EQ(overview.Json()["node"]["name"], "Audit");
  EXPECT_EQ(Exchange(port, "GET", "/jejak/v1/console/operations", {cookie}).status, 200);
  EXPECT_EQ(Exchange(port, "GET", "/jejak/v1/console/registry", {cookie}).status, 200);
  // The node sampled its logs at its start (the charts' first point).
  RawAnswer history = Exchange(port, "GET", "/jejak/v1/console/history", {cookie});
  ASSERT_EQ(history.status, 200) << history.body;
  ASSERT_GE(history.Json()["log"].size(), 1u);
  EXPECT_EQ(history.Json()["log"][0][1], 4);
  EXPECT_EQ(history.Json()["total"][0][1], 4);
  EXPECT_EQ(Exchange(port, "GET", "/jejak/v1/console/history?origin=nowhere", {cookie}).status,
            404);
  EXPECT_EQ(Exchange(port, "GET", "/jejak/v1/console/nothing", {cookie}).status, 404);

  // A state-changing request needs the session's CSRF token.
  RawAnswer no_csrf = Exchange(port, "POST", "/jejak/v1/console/logout", {cookie});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(Exchange(port, "POST", "/jejak/v1/console/logout",
                     {cookie, "X-Jejak-Csrf: " + std::string(64, '0')})
                .status,
            403);
  EXPECT_EQ(Exchange(port, "GET", "/jejak/v1/console/session", {cookie}).status, 200);
  RawAnswer out =
      Exchange(port, "POST", "/jejak/v1/console/logout", {cookie, "X-Jejak-Csrf: " + csrf});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.Header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Exchange(port, "GET", "/jejak/v1/console/session", {cookie}).status, 401);

  // What the console did is in the node's log, and no password is.
  const std::string log = node.log();
  EXPECT_NE(log.find("console: ani signed in as auditor"), std::string::npos) << log;
  EXPECT_NE(log.find("console: a failed sign-in from 127.0.0.1"), std::string::npos) << log;
  EXPECT_EQ(log.find("auditor password"), std::string::npos);
  EXPECT_EQ(log.find("not the password"), std::string::npos);
}

TEST_F(ConsoleServe, AnAccountRemovedOrChangedWhileSignedInLosesItsSession) {
  ServeProcess node(dir_, {"--insecure-http", "--console"});
  ASSERT_TRUE(node.Start()) << node.log();
  const std::string cookie = testing::ConsoleSignIn(node.port(), "budi", "viewer password").cookie;
  ASSERT_FALSE(cookie.empty());
  ASSERT_EQ(Exchange(node.port(), "GET", "/jejak/v1/console/session", {cookie}).status, 200);
  auto rm = RunJejak({"console", "user", "remove", dir_, "--name", "budi"}, scratch_);
  ASSERT_EQ(rm.code, 0) << rm.err;
  EXPECT_EQ(Exchange(node.port(), "GET", "/jejak/v1/console/session", {cookie}).status, 401);
  // Added again with another role: the old session does not come back.
  auto add = RunJejak({"console", "user", "add", dir_, "--name", "budi", "--role", "admin",
                       "--password-file", scratch_ + "/pw2"},
                      scratch_);
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_EQ(Exchange(node.port(), "GET", "/jejak/v1/console/session", {cookie}).status, 401);
}

TEST_F(ConsoleServe, SignInsAreThrottledPerAccountAndPerAddress) {
  ServeProcess node(dir_, {"--insecure-http", "--console"});
  ASSERT_TRUE(node.Start()) << node.log();
  const std::string bad = R"({"name":"ani","password":"guess guess guess"})";
  for (uint32_t i = 0; i < LoginThrottle::kFree + 1; ++i) {
    EXPECT_EQ(Exchange(node.port(), "POST", "/jejak/v1/console/login", {}, bad).status, 401) << i;
  }
  // Locked now: even the right password waits, and the answer says how long.
  RawAnswer locked = Exchange(node.port(), "POST", "/jejak/v1/console/login", {},
                              R"({"name":"ani","password":"auditor password"})");
  EXPECT_EQ(locked.status, 429);
  EXPECT_FALSE(locked.Header("retry-after").empty());
  EXPECT_GE(locked.Json()["retry_after"].get<int>(), 1);
  // The address is locked too, for every account.
  EXPECT_EQ(Exchange(node.port(), "POST", "/jejak/v1/console/login", {},
                     R"({"name":"budi","password":"viewer password"})")
                .status,
            429);
  auto metrics = Exchange(node.port(), "GET", "/metrics");
  EXPECT_GE(testing::MetricIn(metrics.body,
                              "jejak_rejected_inputs_total{reason=\"console_login_failed\"}"),
            6);
}

TEST_F(ConsoleServe, WithoutTheConsoleNothingIsServed) {
  ServeProcess node(dir_, {"--insecure-http"});
  ASSERT_TRUE(node.Start()) << node.log();
  EXPECT_EQ(Exchange(node.port(), "GET", "/console/").status, 404);
  EXPECT_EQ(Exchange(node.port(), "POST", "/jejak/v1/console/login", {},
                     R"({"name":"ani","password":"auditor password"})")
                .status,
            404);
}

TEST_F(ConsoleServe, TheCliRefusesBadAccounts) {
  auto r = RunJejak({"console", "user", "add", dir_, "--name", "x", "--role", "king",
                     "--password-file", scratch_ + "/pw"},
                    scratch_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--role"), std::string::npos) << r.err;
  r = RunJejak({"console", "user", "add", scratch_ + "/nowhere", "--name", "x", "--role", "viewer",
                "--password-file", scratch_ + "/pw"},
               scratch_);
  EXPECT_EQ(r.code, 2);
  r = RunJejak({"console", "user", "remove", dir_, "--name", "nobody"}, scratch_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no console account 'nobody'"), std::string::npos) << r.err;
  r = RunJejak({"console", "user", "list", dir_, "--json"}, scratch_);
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["users"].size(), 2u);
  EXPECT_EQ(r.out.find("argon2id"), std::string::npos);
}

}  // namespace
}  // namespace jejak
