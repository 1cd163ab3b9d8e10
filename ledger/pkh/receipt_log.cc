#include "ledger/pkh/receipt_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace jejak {
namespace {

// The receipt in `leaf`, or nullopt for another record.
std::optional<Receipt> AsReceipt(ByteSpan leaf) {
  auto record = DecodePkhRecord(leaf);
  if (!record.ok() || !*record) return std::nullopt;
  const Receipt* r = std::get_if<Receipt>(&**record);
  return r == nullptr ? std::nullopt : std::optional<Receipt>(*r);
}

}  // namespace

Result<LoggedReceipt> FindLoggedReceipt(LogSource& source, uint64_t size, std::string_view txn_ref,
                                        std::optional<uint64_t> at) {
  // A source learns the tree it serves leaves of here (LogSource's contract).
  uint64_t held = 0;
  ASSIGN_OR_RETURN(held, source.LeafCount(size));
  if (held < size) {
    return Corruption(fmt::format("{}: holds {} leaves, fewer than its checkpoint's {}",
                                  source.Describe(), held, size));
  }
  std::optional<LoggedReceipt> found;
  auto match = [&](uint64_t i, ByteSpan leaf) {
    std::optional<Receipt> r = AsReceipt(leaf);
    if (r && r->txn_ref == txn_ref) found = LoggedReceipt{*r, i, Bytes(leaf.begin(), leaf.end())};
    return Status::Ok();
  };
  if (at) {
    if (*at >= size) {
      return NotFound(
          fmt::format("{}: the receipt {} is at leaf {}, beyond the checkpoint's {} "
                      "leaves",
                      source.Describe(), txn_ref, *at, size));
    }
    RETURN_IF_ERROR(source.ReadLeaves(*at, *at + 1, match));
    if (!found) {
      return Corruption(fmt::format("{}: the index puts receipt {} at leaf {}, which is not it",
                                    source.Describe(), txn_ref, *at));
    }
    return std::move(*found);
  }
  uint64_t i = 0;
  while (i < size && !found) {
    std::optional<Statement> st;
    RETURN_IF_ERROR(source.ReadLeaves(i, i + 1, [&](uint64_t, ByteSpan leaf) {
      auto s = DecodeStatementEntry(leaf);
      if (!s.ok()) {
        return Corruption(fmt::format("{}: leaf {} should be a statement: {}", source.Describe(), i,
                                      s.status().message()));
      }
      st = std::move(*s);
      return Status::Ok();
    }));
    if (!st) return Corruption(fmt::format("{}: leaf {} is missing", source.Describe(), i));
    const uint64_t n = std::min(st->header.record_count, size - i - 1);
    if (st->header.type == kTypeReceipt)
      RETURN_IF_ERROR(source.ReadLeaves(i + 1, i + 1 + n, match));
    i += 1 + st->header.record_count;
  }
  if (!found) {
    return NotFound(fmt::format("{}: no receipt with txn_ref {} in its first {} leaves",
                                source.Describe(), txn_ref, size));
  }
  return std::move(*found);
}

}  // namespace jejak
