// A node serves a full entry bundle gzip-compressed to a client that accepts
// it (tlog-tiles: bundles SHOULD be compressed at the HTTP layer), the same
// bytes once decoded, and as they are to one that does not.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>

#include "node/gzip.h"
#include "tests/node/node_processes.h"

namespace jejak {
namespace {

using testing::RunJejak;
using testing::ServeProcess;

// One request on a fresh plain connection; the raw answer.
std::string Raw(uint16_t port, const std::string& request) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::asio::write(s, boost::asio::buffer(request));
  std::string all;
  boost::system::error_code ec;
  char buf[1 << 16];
  for (;;) {
    const size_t n = s.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    all.append(buf, n);
  }
  return all;
}

std::string BodyOf(const std::string& response) {
  const size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

TEST(GzipServing, AFullBundleIsSentCompressedToAClientThatAcceptsIt) {
  const std::string s = testing::MakeTempFolder("gzip-serving");
  ASSERT_EQ(
      RunJejak({"init", s + "/n", "--kind", "auditor", "--name", "N", "--region", "00"}, s).code,
      0);
  ASSERT_EQ(RunJejak({"key", "new", "--out", s + "/k.key", "--name", "t/k"}, s).code, 0);
  std::string lines;
  for (int i = 0; i < 300; ++i)
    lines += "a note that repeats itself, number " + std::to_string(i) + "\n";
  ASSERT_TRUE(testing::WriteBinary(s + "/notes.txt", lines));
  ASSERT_EQ(RunJejak({"append", s + "/n", s + "/notes.txt", "--type", "generic.note", "--key",
                      s + "/k.key"},
                     s)
                .code,
            0);
  {
    ServeProcess node(s + "/n", {"--insecure-http"});
    ASSERT_TRUE(node.Start()) << node.log();
    const std::string get = "GET /jejak.pkh/auditor/n/tile/entries/000 HTTP/1.1\r\nHost: x\r\n";
    const std::string plain = Raw(node.port(), get + "Connection: close\r\n\r\n");
    const std::string gzip =
        Raw(node.port(), get + "Accept-Encoding: gzip, identity\r\nConnection: close\r\n\r\n");
    ASSERT_NE(plain.find("200 OK"), std::string::npos) << plain.substr(0, 200);
    EXPECT_EQ(plain.find("Content-Encoding"), std::string::npos);
    ASSERT_NE(gzip.find("Content-Encoding: gzip"), std::string::npos) << gzip.substr(0, 300);
    auto decoded = GzipDecompress(BodyOf(gzip), 1 << 24, "bundle");
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, BodyOf(plain));
    EXPECT_LT(BodyOf(gzip).size(), BodyOf(plain).size());
    // A partial bundle grows: sent as it is.
    const std::string partial =
        Raw(node.port(),
            "GET /jejak.pkh/auditor/n/tile/entries/001.p/45 HTTP/1.1\r\n"
            "Host: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n");
    ASSERT_NE(partial.find("200 OK"), std::string::npos) << partial.substr(0, 200);
    EXPECT_EQ(partial.find("Content-Encoding"), std::string::npos);
  }
  testing::RemoveFolder(s);
}

}  // namespace
}  // namespace jejak
