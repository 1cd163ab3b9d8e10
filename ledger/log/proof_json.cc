#include "ledger/log/proof_json.h"

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "ledger/log/checkpoint.h"
#include "ledger/log/merkle.h"

namespace jejak {
namespace {

std::string JsonHashes(const std::vector<Hash>& hashes) {
  std::string out = "[";
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (i) out += ",";
    out += "\"" + Base64Encode(hashes[i]) + "\"";
  }
  return out + "]";
}

}  // namespace

Result<std::string> InclusionProofJson(LogReader& reader, uint64_t checkpoint_size, uint64_t index,
                                       std::optional<uint64_t> size_given) {
  const uint64_t size = size_given.value_or(checkpoint_size);
  if (size > checkpoint_size) {
    return InvalidArgument(
        fmt::format("size {} is beyond the latest checkpoint ({})", size, checkpoint_size));
  }
  if (index >= size) {
    return InvalidArgument(fmt::format("index {} is not below the tree size {}", index, size));
  }
  Bytes leaf;
  ASSIGN_OR_RETURN(leaf, reader.Leaf(index));
  std::vector<Hash> proof;
  ASSIGN_OR_RETURN(proof, reader.InclusionProof(index, size));
  return fmt::format("{{\"index\":{},\"size\":{},\"leaf_hash\":\"{}\",\"proof\":{}}}\n", index,
                     size, Base64Encode(LeafHash(leaf)), JsonHashes(proof));
}

Result<std::string> ConsistencyProofJson(LogReader& reader, uint64_t checkpoint_size,
                                         uint64_t old_size, std::optional<uint64_t> new_given) {
  const uint64_t new_size = new_given.value_or(checkpoint_size);
  if (new_size > checkpoint_size) {
    return InvalidArgument(
        fmt::format("new size {} is beyond the latest checkpoint ({})", new_size, checkpoint_size));
  }
  if (old_size == 0 || old_size > new_size) {
    return InvalidArgument(fmt::format("the old size must be between 1 and the new size {}, not {}",
                                       new_size, old_size));
  }
  std::vector<Hash> proof;
  ASSIGN_OR_RETURN(proof, reader.ConsistencyProof(old_size, new_size));
  return fmt::format("{{\"old_size\":{},\"new_size\":{},\"proof\":{}}}\n", old_size, new_size,
                     JsonHashes(proof));
}

Result<TlogProof> BuildTlogProof(LogReader& reader, std::string_view checkpoint_note,
                                 std::span<const std::string> cosignatures, uint64_t index) {
  std::string note = std::string(checkpoint_note);
  for (const std::string& line : cosignatures) {
    if (note.find(line) == std::string::npos) note += line;
  }
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return Corruption("the stored checkpoint: " + parsed.status().message());
  auto cp = ParseCheckpointText(parsed->text);
  if (!cp.ok()) return Corruption("the stored checkpoint: " + cp.status().message());
  if (index >= cp->size) {
    return InvalidArgument(
        fmt::format("index {} is not below the size {} of the latest checkpoint", index, cp->size));
  }
  TlogProof proof;
  proof.index = index;
  ASSIGN_OR_RETURN(proof.extra, reader.Leaf(index));
  ASSIGN_OR_RETURN(proof.inclusion, reader.InclusionProof(index, cp->size));
  proof.checkpoint = std::move(note);
  return proof;
}

}  // namespace jejak
