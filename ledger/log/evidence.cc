#include "ledger/log/evidence.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/json_text.h"
#include "crypto/note.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/merkle.h"

namespace jejak {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kFormat = "jejak-equivocation-v1";

std::string EvidenceKey(uint32_t log, const EquivocationEvidence& e) {
  const std::string both = e.note_a + '\0' + e.note_b;
  const Hash h = Sha256(AsBytes(both));
  return KeyU32(log) + std::string(AsChars(h));
}

}  // namespace

std::string EvidenceJson(const EquivocationEvidence& e) {
  Json j;
  j["format"] = kFormat;
  j["origin"] = e.origin;
  j["verifier_key"] = e.verifier_key;
  j["checkpoint_a"] = e.note_a;
  j["checkpoint_b"] = e.note_b;
  j["b_root_at_size_a"] = e.b_root_at_a ? Json(Base64Encode(*e.b_root_at_a)) : Json(nullptr);
  Json proof = Json::array();
  for (const Hash& h : e.consistency) proof.push_back(Base64Encode(h));
  j["consistency"] = std::move(proof);
  j["found"] = e.found;
  return j.dump(1) + "\n";
}

Result<EquivocationEvidence> ParseEvidenceJson(std::string_view text, std::string_view where) {
  // Two notes of at most a few kilobytes and a proof of at most 128 hashes.
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonDocument(text, where, JsonLimits{1 << 20, 3}));
  ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(j, std::string(where)));
  std::string format;
  ASSIGN_OR_RETURN(format, f.Str("format"));
  if (format != kFormat) return f.Error("format", fmt::format("expected {}", kFormat));
  EquivocationEvidence e;
  ASSIGN_OR_RETURN(e.origin, f.Str("origin"));
  ASSIGN_OR_RETURN(e.verifier_key, f.Str("verifier_key"));
  ASSIGN_OR_RETURN(e.note_a, f.Str("checkpoint_a"));
  ASSIGN_OR_RETURN(e.note_b, f.Str("checkpoint_b"));
  ASSIGN_OR_RETURN(e.found, f.StrOr("found", ""));
  auto hash = [&](const nlohmann::json& v, const std::string& what) -> Result<Hash> {
    if (!v.is_string()) return InvalidArgument(fmt::format("{}: {}: expected base64", where, what));
    auto h = Base64DecodeFixed<32>(v.get<std::string>());
    if (!h.ok()) return InvalidArgument(fmt::format("{}: {}: not a base64 hash", where, what));
    return *h;
  };
  if (j.contains("b_root_at_size_a") && !j["b_root_at_size_a"].is_null()) {
    Hash h;
    ASSIGN_OR_RETURN(h, hash(j["b_root_at_size_a"], "b_root_at_size_a"));
    e.b_root_at_a = h;
  }
  const nlohmann::json* proof;
  ASSIGN_OR_RETURN(proof, f.Array("consistency"));
  if (proof->size() > 128) return f.Error("consistency", "more than 128 hashes");
  for (size_t i = 0; i < proof->size(); ++i) {
    Hash h;
    ASSIGN_OR_RETURN(h, hash((*proof)[i], fmt::format("consistency[{}]", i)));
    e.consistency.push_back(h);
  }
  return e;
}

Status CheckEvidence(const EquivocationEvidence& e, const std::string* pinned) {
  NoteVerifierKey key;
  ASSIGN_OR_RETURN(key, ParseVerifierKey(e.verifier_key));
  if (pinned != nullptr && *pinned != e.verifier_key) {
    return PermissionDenied("the evidence names the key " + e.verifier_key + ", not the key given");
  }
  if (key.name != e.origin) {
    // The file is outside input: its origin is quoted only when printable.
    return InvalidArgument(
        fmt::format("the key is of {}, the evidence of {}", key.name, QuotedOrigin(e.origin)));
  }
  SignedCheckpoint a, b;
  ASSIGN_OR_RETURN(a, OpenCheckpoint(e.note_a, key));
  ASSIGN_OR_RETURN(b, OpenCheckpoint(e.note_b, key));
  const Checkpoint& ca = a.checkpoint;
  const Checkpoint& cb = b.checkpoint;
  if (ca.size > cb.size) return InvalidArgument("checkpoint_a is larger than checkpoint_b");
  if (ca.size == cb.size) {
    if (ca.root == cb.root) {
      return FailedPrecondition(fmt::format("both checkpoints say size {} root {}: no conflict",
                                            ca.size, Base64Encode(ca.root)));
    }
    return Status::Ok();
  }
  if (!e.b_root_at_a) {
    return InvalidArgument("checkpoints of different sizes need b_root_at_size_a and its proof");
  }
  // Every tree's root at size 0 is the empty tree's, and a proof from size 0
  // is empty and binds nothing: any other root there proves nothing.
  if (ca.size == 0 && *e.b_root_at_a != EmptyTreeRoot()) {
    return PermissionDenied(
        "b_root_at_size_a is not the empty tree's root, which is every tree's at size 0");
  }
  if (Status s = VerifyConsistency(ca.size, cb.size, *e.b_root_at_a, cb.root, e.consistency);
      !s.ok()) {
    return PermissionDenied("the consistency proof does not verify: " + s.message());
  }
  if (*e.b_root_at_a == ca.root) {
    return FailedPrecondition(
        fmt::format("checkpoint_b's tree extends checkpoint_a's (size {} to {}): no conflict",
                    ca.size, cb.size));
  }
  return Status::Ok();
}

Result<EquivocationEvidence> MakeEvidence(std::string verifier_key, std::string note_a,
                                          std::string note_b, std::optional<Hash> b_root_at_a,
                                          std::vector<Hash> consistency, std::string found) {
  EquivocationEvidence e;
  NoteVerifierKey key;
  ASSIGN_OR_RETURN(key, ParseVerifierKey(verifier_key));
  e.origin = key.name;
  e.verifier_key = std::move(verifier_key);
  e.note_a = std::move(note_a);
  e.note_b = std::move(note_b);
  e.b_root_at_a = b_root_at_a;
  e.consistency = std::move(consistency);
  e.found = std::move(found);
  RETURN_IF_ERROR(CheckEvidence(e));
  return e;
}

Status StoreEvidence(Store& store, uint32_t log, const EquivocationEvidence& e) {
  WriteBatch b;
  b.Put(Column::kEvidence, EvidenceKey(log, e), EvidenceJson(e));
  return store.Write(b, /*sync=*/true);
}

Result<std::vector<std::pair<uint32_t, EquivocationEvidence>>> ListEvidence(Store& store) {
  std::vector<std::pair<uint32_t, EquivocationEvidence>> out;
  auto it = store.NewIterator(Column::kEvidence);
  for (it->Seek(""); it->Valid(); it->Next()) {
    const std::string_view k = it->key();
    if (k.size() != 4 + 32) return Corruption("evidence: malformed key");
    const uint32_t log = GetBigEndian32(reinterpret_cast<const uint8_t*>(k.data()));
    EquivocationEvidence e;
    ASSIGN_OR_RETURN(e, ParseEvidenceJson(it->value(), "stored evidence"));
    out.emplace_back(log, std::move(e));
  }
  RETURN_IF_ERROR(it->status());
  return out;
}

Result<bool> HasEvidence(Store& store, uint32_t log) {
  auto it = store.NewShortIterator(Column::kEvidence);
  const std::string prefix = KeyU32(log);
  it->Seek(prefix);
  if (it->Valid()) return it->key().substr(0, 4) == prefix;
  RETURN_IF_ERROR(it->status());
  return false;
}

}  // namespace jejak
