// One HTTP/1.1 exchange over plain TCP on 127.0.0.1 (a node serves plain
// HTTP on loopback with --insecure-http), with every header of the answer:
// the console's cookies, which the project's client keeps to itself.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace jejak::testing {

struct RawAnswer {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names in lower case
  std::string body;
  nlohmann::json Json() const { return nlohmann::json::parse(body); }
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline RawAnswer Exchange(uint16_t port, const std::string& method, const std::string& path,
                          const std::vector<std::string>& headers = {},
                          const std::string& body = "") {
  RawAnswer a;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return a;
  }
  std::string request =
      method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  bool typed = false;  // a Content-Type among `headers`; else JSON
  for (const auto& h : headers) {
    request += h + "\r\n";
    typed = typed || h.starts_with("Content-Type:");
  }
  if (!body.empty() || method == "POST") {
    if (!typed) request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string in;
  char buf[16384];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) in.append(buf, static_cast<size_t>(n));
  ::close(fd);
  const size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos || in.size() < 12) return a;
  a.status = std::stoi(in.substr(9, 3));
  a.body = in.substr(end + 4);
  size_t at = in.find("\r\n") + 2;
  while (at < end) {
    const size_t eol = in.find("\r\n", at);
    const std::string line = in.substr(at, eol - at);
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    a.headers.emplace(name, value);
    at = eol + 2;
  }
  return a;
}

// Signs in to a node's console: the "Cookie: ..." header of the session and
// its CSRF token (both empty when refused).
struct ConsoleLogin {
  std::string cookie, csrf;
};
inline ConsoleLogin ConsoleSignIn(uint16_t port, const std::string& name,
                                  const std::string& password) {
  RawAnswer a = Exchange(port, "POST", "/jejak/v1/console/login", {},
                         nlohmann::json({{"name", name}, {"password", password}}).dump());
  if (a.status != 200) return {};
  const std::string cookie = a.Header("set-cookie");
  return {"Cookie: " + cookie.substr(0, cookie.find(';')), a.Json()["csrf"].get<std::string>()};
}

}  // namespace jejak::testing
