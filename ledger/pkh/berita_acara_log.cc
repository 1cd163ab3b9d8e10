#include "ledger/pkh/berita_acara_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "ledger/log/merkle.h"
#include "ledger/pkh/records.h"

namespace jejak {
namespace {

Result<Bytes> ReadOneLeaf(LogSource& source, uint64_t index) {
  std::optional<Bytes> out;
  RETURN_IF_ERROR(source.ReadLeaves(index, index + 1, [&](uint64_t, ByteSpan leaf) {
    out.emplace(leaf.begin(), leaf.end());
    return Status::Ok();
  }));
  if (!out) return Corruption(fmt::format("{}: leaf {} is missing", source.Describe(), index));
  return std::move(*out);
}

// The rows of the statement at `at`, checked against its records root.
Status ReadRows(LogSource& source, const Statement& st, uint64_t at, BeritaAcara& ba) {
  const uint64_t n = st.header.record_count;
  std::vector<Hash> hashes;
  hashes.reserve(n);
  ba.rows.reserve(n);
  RETURN_IF_ERROR(source.ReadLeaves(at + 1, at + 1 + n, [&](uint64_t i, ByteSpan leaf) {
    auto record = DecodePkhRecord(leaf);
    const Approval* a =
        record.ok() && *record ? std::get_if<Approval>(&**record) : static_cast<Approval*>(nullptr);
    if (a == nullptr) {
      return Corruption(
          fmt::format("{}: leaf {}, a record of the berita acara at leaf {}, is not "
                      "an approval",
                      source.Describe(), i, at));
    }
    if (a->amount > UINT64_MAX - ba.total_amount) {
      return Corruption(fmt::format("{}: the amounts of the berita acara at leaf {} overflow",
                                    source.Describe(), at));
    }
    ba.total_amount += a->amount;
    ba.rows.push_back({a->kpm, a->lembaga_bayar, a->amount});
    hashes.push_back(LeafHash(leaf));
    return Status::Ok();
  }));
  if (ba.rows.size() != n || RootOfLeafHashes(hashes) != st.header.records_root) {
    return Corruption(fmt::format(
        "{}: the records that follow the berita acara at leaf {} do not match its records root",
        source.Describe(), at));
  }
  return Status::Ok();
}

std::string KeyName(const Governance* gov, const PublicKey& key, uint64_t g) {
  if (gov == nullptr) return "";
  for (const KeyGrant* grant : gov->ActiveGrants(key, std::min(g, gov->size()))) {
    if (!grant->key_name.empty()) return grant->key_name;
  }
  return "";
}

}  // namespace

Result<LoggedBeritaAcara> FindLoggedBeritaAcara(LogSource& source, uint64_t size,
                                                std::string_view number, const Governance* gov) {
  // A source learns the tree it serves leaves of here (LogSource's contract).
  uint64_t held = 0;
  ASSIGN_OR_RETURN(held, source.LeafCount(size));
  if (held < size) {
    return Corruption(fmt::format("{}: holds {} leaves, fewer than its checkpoint's {}",
                                  source.Describe(), held, size));
  }
  uint64_t at = 0;
  while (at < size) {
    Bytes leaf;
    ASSIGN_OR_RETURN(leaf, ReadOneLeaf(source, at));
    auto st = DecodeStatementEntry(leaf);
    if (!st.ok()) {
      return Corruption(fmt::format("{}: leaf {} should be a statement: {}", source.Describe(), at,
                                    st.status().message()));
    }
    const StatementHeader& h = st->header;
    if (h.type != kTypeApproval || h.document_number != number) {
      at += 1 + h.record_count;
      continue;
    }
    if (h.record_count > size - at - 1) {
      return Corruption(
          fmt::format("{}: the berita acara at leaf {} has {} records, beyond the "
                      "log's {} leaves",
                      source.Describe(), at, h.record_count, size));
    }
    LoggedBeritaAcara out;
    out.index = at;
    out.statement = std::move(leaf);
    BeritaAcara& ba = out.ba;
    ba.origin = h.origin;
    ba.kabupaten = h.region;
    ba.stage = h.stage;
    ba.number = h.document_number;
    ba.date = h.document_date;
    ba.governance_size = h.governance_size;
    ba.timestamp_ms = h.timestamp_ms;
    ba.records_root = h.records_root;
    for (const StatementSignature& s : st->signatures) {
      ba.signatures.push_back(
          {KeyName(gov, s.public_key, h.governance_size), s.public_key, s.signature});
    }
    RETURN_IF_ERROR(ReadRows(source, *st, at, ba));
    return out;
  }
  return NotFound(fmt::format("{}: no berita acara numbered {} in its first {} leaves",
                              source.Describe(), number, size));
}

std::vector<std::string> BeritaAcaraSignerRoles(const BeritaAcara& ba, const Governance& gov) {
  std::vector<std::string> out;
  const uint64_t g = std::min(ba.governance_size, gov.size());
  for (const BeritaAcaraSignature& s : ba.signatures) {
    std::string roles;
    for (const KeyGrant* grant : gov.ActiveGrants(s.public_key, g)) {
      if (!ScopeCovers(grant->scope, ba.kabupaten)) continue;
      if (!roles.empty()) roles += ", ";
      roles += RoleName(grant->role);
    }
    out.push_back(roles);
  }
  return out;
}

}  // namespace jejak
