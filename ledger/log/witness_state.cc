#include "ledger/log/witness_state.h"

#include <cstring>

#include "crypto/encoding.h"

namespace jejak {
namespace {

std::string StateKey(std::string_view origin) { return "witness/" + std::string(origin); }

Result<WitnessState> DecodeState(std::string_view origin, std::string_view v) {
  if (v.size() < 40) {
    return Corruption("witness state of " + std::string(origin) + " is cut short");
  }
  WitnessState s;
  s.size = GetBigEndian64(reinterpret_cast<const uint8_t*>(v.data()));
  std::memcpy(s.root.data(), v.data() + 8, 32);
  s.note = std::string(v.substr(40));
  return s;
}

}  // namespace

Result<std::optional<WitnessState>> LoadWitnessState(Store& store, std::string_view origin) {
  std::optional<std::string> v;
  ASSIGN_OR_RETURN(v, store.Get(Column::kMeta, StateKey(origin)));
  if (!v) return std::optional<WitnessState>();
  ASSIGN_OR_RETURN(WitnessState s, DecodeState(origin, *v));
  return std::optional<WitnessState>(std::move(s));
}

Result<std::vector<std::pair<std::string, WitnessState>>> ListWitnessStates(Store& store) {
  std::vector<std::pair<std::string, WitnessState>> out;
  const std::string prefix = StateKey("");
  auto it = store.NewIterator(Column::kMeta);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    const std::string origin(it->key().substr(prefix.size()));
    ASSIGN_OR_RETURN(WitnessState s, DecodeState(origin, it->value()));
    out.emplace_back(origin, std::move(s));
  }
  RETURN_IF_ERROR(it->status());
  return out;
}

Status SaveWitnessState(Store& store, std::string_view origin, const WitnessState& s) {
  WriteBatch batch;
  std::string value = KeyU64(s.size);
  value.append(reinterpret_cast<const char*>(s.root.data()), 32);
  value += s.note;
  batch.Put(Column::kMeta, StateKey(origin), value);
  return store.Write(batch, /*sync=*/true);
}

}  // namespace jejak
