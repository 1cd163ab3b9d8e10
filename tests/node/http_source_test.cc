// HttpLogSource on a log of several entry bundles, where bundles and tiles are
// fetched ahead of the verifier on more connections: the verifier must see
// exactly what one connection fetching one bundle at a time gives it, the
// same first error included, and the peer no more than the bounded number of
// requests at once.
#include "node/http_source.h"

#include "node/gzip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>

#include "ledger/log/rocks_store.h"
#include "ledger/log/statement_log.h"
#include "ledger/log/tile_folder.h"
#include "ledger/log/verify.h"
#include "tests/test_support.h"

namespace jejak {
namespace {

// kGzip: every entry bundle is sent with Content-Encoding: gzip, as a
// tlog-tiles log may without being asked; kGzipBomb: one decodes to more
// than any bundle may hold.
enum class Fault { kNone, kFlippedTile, kMissingBundle, kGzip, kGzipBomb };

class HttpSourcePrefetch : public ::testing::Test {
 protected:
  // 3 statements of 300 records: 903 leaves, four bundles (the last partial).
  void SetUp() override {
    scratch_ = testing::MakeTempFolder("http-source");
    auto store = OpenRocksStore(scratch_ + "/db", StoreMode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status().message();
    const SigningKey node_key = SigningKey::Generate(), role_key = SigningKey::Generate();
    key_ = NoteVerifierKey::ForEd25519("test.jejak/prefetch", node_key.public_key());
    auto info = RegisterLog(**store, key_, true);
    ASSERT_TRUE(info.ok());
    auto writer = LogWriter::Open(**store, *info, &node_key);
    ASSERT_TRUE(writer.ok());
    for (int s = 0; s < 3; ++s) {
      std::vector<Bytes> leaves;
      for (int r = 0; r < 300; ++r) {
        leaves.push_back(*EncodeTextRecordEntry("record " + std::to_string(s * 300 + r)));
      }
      PreparedStatement p = PrepareStatement(
          {.origin = key_.name, .type = "test.note", .region = "00", .timestamp_ms = 1},
          std::move(leaves));
      SignStatement(p.statement, role_key);
      ASSERT_TRUE(AppendStatement(**writer, p).ok());
    }
    LogReader reader(**store, *info);
    ASSERT_TRUE(ExportTiles(reader, scratch_ + "/tiles").ok());
  }
  void TearDown() override { testing::RemoveFolder(scratch_); }

  HttpResponse Serve(const HttpRequest& r, Fault fault) {
    const int now = ++in_flight_;
    int seen = max_in_flight_.load();
    while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
    }
    HttpResponse out = TextResponse(404, "no");
    const std::string rel = r.target.substr(1);
    const std::string path = scratch_ + "/tiles/" + rel;
    const bool missing = fault == Fault::kMissingBundle && rel == "tile/entries/001";
    if (std::filesystem::is_regular_file(path) && !missing) {
      out = HttpResponse();
      out.body = testing::ReadBinary(path);
      if (fault == Fault::kFlippedTile && rel == "tile/0/002") out.body[5] ^= 1;
      if ((fault == Fault::kGzip || fault == Fault::kGzipBomb) &&
          rel.starts_with("tile/entries/")) {
        if (fault == Fault::kGzipBomb && rel == "tile/entries/001") {
          out.body = std::string(size_t{64} << 20, '\0');
        }
        out.body = GzipCompress(out.body, 9);
        out.headers.emplace_back("Content-Encoding", "gzip");
      }
    }
    --in_flight_;
    return out;
  }

  // Verifies over a peer with `fault`: with requests ahead on more
  // connections, then one request at a time on one.
  std::pair<VerifyResult, VerifyResult> VerifyAheadAndOne(Fault fault,
                                                          HttpServerOptions options = {}) {
    auto server =
        HttpServer::Start(options, [this, fault](const HttpRequest& r) { return Serve(r, fault); });
    EXPECT_TRUE(server.ok());
    Url url{.tls = false, .host = "127.0.0.1", .port = (*server)->port(), .prefix = ""};
    auto verify = [&](int connections) {
      auto client = HttpClient::Create(url, {});
      EXPECT_TRUE(client.ok());
      HttpLogSource source(**client, "", connections);
      VerifyOptions options;
      options.log_key = key_;
      return VerifyLog(source, options);
    };
    VerifyResult ahead = verify(HttpLogSource::kPrefetchConnections);
    const int ahead_max_in_flight = max_in_flight_.exchange(0);
    VerifyResult one = verify(0);
    max_in_flight_ = ahead_max_in_flight;
    (*server)->Stop();
    return {std::move(ahead), std::move(one)};
  }

  std::string scratch_;
  NoteVerifierKey key_;
  std::atomic<int> in_flight_{0}, max_in_flight_{0};
};

TEST_F(HttpSourcePrefetch, AnHonestPeerVerifiesWithRequestsInParallelWithinTheBound) {
  auto [v, one] = VerifyAheadAndOne(Fault::kNone);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  EXPECT_EQ(v.report.leaves, 903u);
  EXPECT_EQ(v.report.records, 900u);
  EXPECT_TRUE(one.status.ok()) << one.status.message();
  EXPECT_LE(max_in_flight_.load(), HttpLogSource::kPrefetchConnections);
}

TEST_F(HttpSourcePrefetch, AFlippedHashInALaterTileIsTheErrorOneConnectionGives) {
  auto [ahead, one] = VerifyAheadAndOne(Fault::kFlippedTile);
  EXPECT_EQ(ahead.status.code(), StatusCode::kCorruption);
  EXPECT_EQ(ahead.status.message(), one.status.message());
  EXPECT_NE(ahead.status.message().find("leaf 512: its hash does not match tile/0/002"),
            std::string::npos)
      << ahead.status.message();
  EXPECT_EQ(ahead.bad_leaf, std::optional<uint64_t>(512));
}

TEST_F(HttpSourcePrefetch, AMissingBundleIsNamedByItsUrl) {
  auto [ahead, one] = VerifyAheadAndOne(Fault::kMissingBundle);
  EXPECT_EQ(ahead.status.code(), StatusCode::kCorruption);
  EXPECT_EQ(ahead.status.message(), one.status.message());
  EXPECT_NE(ahead.status.message().find("/tile/entries/001: missing on the peer"),
            std::string::npos)
      << ahead.status.message();
}

TEST_F(HttpSourcePrefetch, APeerAdmittingOneConnectionIsPulledOneRequestAtATime) {
  HttpServerOptions one_connection;
  one_connection.max_connections_per_address = 1;
  auto [ahead, one] = VerifyAheadAndOne(Fault::kNone, one_connection);
  ASSERT_TRUE(ahead.status.ok()) << ahead.status.message();
  EXPECT_EQ(ahead.report.leaves, 903u);
  EXPECT_EQ(max_in_flight_.load(), 1);
}

TEST_F(HttpSourcePrefetch, GzipEncodedBundlesAreDecodedWithinTheBound) {
  auto [v, one] = VerifyAheadAndOne(Fault::kGzip);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  EXPECT_EQ(v.report.leaves, 903u);
  EXPECT_TRUE(one.status.ok()) << one.status.message();
  auto [bomb, bomb_one] = VerifyAheadAndOne(Fault::kGzipBomb);
  EXPECT_EQ(bomb.status.code(), StatusCode::kCorruption);
  EXPECT_NE(bomb.status.message().find("/tile/entries/001: decodes to more than"),
            std::string::npos)
      << bomb.status.message();
}

TEST(Gzip, RoundTripsAndRefusesWhatIsNotAWholeBody) {
  const std::string text(100'000, 'j');
  const std::string z = GzipCompress(text, 1);
  ASSERT_LT(z.size(), text.size() / 10);
  auto back = GzipDecompress(z, text.size(), "b");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, text);
  EXPECT_EQ(GzipDecompress(z, text.size() - 1, "b").status().message(),
            "b: decodes to more than 99999 bytes");
  EXPECT_EQ(GzipDecompress(z.substr(0, z.size() / 2), text.size(), "b").status().message(),
            "b: not a whole gzip body");
  EXPECT_EQ(GzipDecompress(z + "x", text.size(), "b").status().message(),
            "b: bytes after the gzip body");
  EXPECT_EQ(GzipDecompress("not gzip", 100, "b").status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(AcceptsGzip("gzip, identity"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP;q=0.5"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip(""));
}

}  // namespace
}  // namespace jejak
