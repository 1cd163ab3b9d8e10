// A peer's log list, GET /jejak/v1/logs (node/remote.h ParseLogList), over
// any bytes. A parsed list prints (LogStatusJson, what a node serves) to a
// list that parses the same, but for what that printing leaves out (a log of
// the node's own has lag 0; lag_seconds only beside a lag); PullOrder keeps
// only logs whose origin can be a URL path, never the puller's own, the
// governance log first; every message is printable.
#include <string>

#include "crypto/note.h"
#include "ledger/pkh/node_folder.h"
#include "node/http_source.h"
#include "node/log_status.h"
#include "node/remote.h"
#include "tests/fuzz/fuzz.h"

using namespace jejak;

namespace {

bool Same(const LogStatus& a, const LogStatus& b) {
  return a.origin == b.origin && a.own == b.own && a.url == b.url && a.size == b.size &&
         a.root == b.root && a.cosignatures == b.cosignatures && a.lag == b.lag &&
         a.lag_seconds == b.lag_seconds && a.frozen == b.frozen;
}

// What a printed list says of `s`.
LogStatus AsPrinted(LogStatus s) {
  if (s.own) s.lag = 0;
  if (s.own || !s.lag) s.lag_seconds = 0;
  return s;
}

void CheckPullOrder(const RemoteStatus& list) {
  NodeConfig me;
  me.origin = list.logs.empty() ? "example.test/me" : list.logs.back().origin;
  me.governance = NoteVerifierKey{};
  me.governance->name = list.logs.empty() ? "example.test/gov" : list.logs.front().origin;
  const std::vector<LogStatus> order = PullOrder(list.logs, me);
  bool past_governance = false;
  for (const LogStatus& l : order) {
    FUZZ_CHECK(ValidLogPath(l.origin), "only logs servable as a URL path are pulled");
    FUZZ_CHECK(l.origin != me.origin, "a node never pulls its own log");
    const bool governance = l.origin == me.governance->name;
    FUZZ_CHECK(!governance || !past_governance, "the governance log comes first");
    past_governance = past_governance || !governance;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  auto list = ParseLogList(text, "https://peer.example.test:8443");
  if (!list.ok()) {
    FUZZ_CHECK_MESSAGE(list.status());
    return 0;
  }
  auto again = ParseLogList(LogStatusJson(list->node, list->logs), "again");
  FUZZ_CHECK(again.ok() && again->node == list->node && again->logs.size() == list->logs.size(),
             "a printed list parses back");
  for (size_t i = 0; i < list->logs.size(); ++i) {
    FUZZ_CHECK(Same(again->logs[i], AsPrinted(list->logs[i])), "each log prints back the same");
  }
  CheckPullOrder(*list);
  return 0;
}
