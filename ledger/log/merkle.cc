#include "ledger/log/merkle.h"

#include <bit>

#include <fmt/format.h>

namespace jejak {
namespace {

// Largest power of two strictly less than n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// MTH(D[begin:end]) where [begin, end) is a range the RFC 6962 recursion
// produces: begin is a multiple of the largest power of two <= end - begin.
Result<Hash> RangeHash(uint64_t begin, uint64_t end, const SubtreeHashFn& subtree) {
  const uint64_t n = end - begin;
  if (std::has_single_bit(n)) {
    const int level = std::countr_zero(n);
    return subtree(level, begin >> level);
  }
  const uint64_t k = SplitPoint(n);
  Hash left, right;
  ASSIGN_OR_RETURN(left, subtree(std::countr_zero(k), begin >> std::countr_zero(k)));
  ASSIGN_OR_RETURN(right, RangeHash(begin + k, end, subtree));
  return NodeHash(left, right);
}

Status Path(uint64_t m, uint64_t begin, uint64_t end, const SubtreeHashFn& subtree,
            std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (n == 1) return Status::Ok();
  const uint64_t k = SplitPoint(n);
  Hash sibling;
  if (m < begin + k) {
    RETURN_IF_ERROR(Path(m, begin, begin + k, subtree, out));
    ASSIGN_OR_RETURN(sibling, RangeHash(begin + k, end, subtree));
  } else {
    RETURN_IF_ERROR(Path(m, begin + k, end, subtree, out));
    ASSIGN_OR_RETURN(sibling, RangeHash(begin, begin + k, subtree));
  }
  out.push_back(sibling);
  return Status::Ok();
}

Status SubProof(uint64_t m, uint64_t begin, uint64_t end, bool whole, const SubtreeHashFn& subtree,
                std::vector<Hash>& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!whole) {
      Hash h;
      ASSIGN_OR_RETURN(h, RangeHash(begin, end, subtree));
      out.push_back(h);
    }
    return Status::Ok();
  }
  const uint64_t k = SplitPoint(n);
  Hash sibling;
  if (m <= k) {
    RETURN_IF_ERROR(SubProof(m, begin, begin + k, whole, subtree, out));
    ASSIGN_OR_RETURN(sibling, RangeHash(begin + k, end, subtree));
  } else {
    RETURN_IF_ERROR(SubProof(m - k, begin + k, end, false, subtree, out));
    ASSIGN_OR_RETURN(sibling, RangeHash(begin, begin + k, subtree));
  }
  out.push_back(sibling);
  return Status::Ok();
}

}  // namespace

Hash LeafHash(ByteSpan leaf) { return Sha256Prefixed(0x00, leaf); }

Hash NodeHash(const Hash& left, const Hash& right) { return Sha256Prefixed(0x01, left, right); }

Hash EmptyTreeRoot() { return Sha256({}); }

Hash RootOfLeafHashes(std::span<const Hash> leaf_hashes) {
  MerkleFrontier f;
  for (const auto& h : leaf_hashes) f.Append(h);
  return f.Root();
}

void MerkleFrontier::Append(const Hash& leaf_hash) {
  Hash h = leaf_hash;
  // Each trailing one bit of size_ is a complete subtree that merges with h.
  for (uint64_t s = size_; s & 1; s >>= 1) {
    h = NodeHash(subtrees_.back(), h);
    subtrees_.pop_back();
  }
  subtrees_.push_back(h);
  ++size_;
}

Hash MerkleFrontier::Root() const {
  if (subtrees_.empty()) return EmptyTreeRoot();
  Hash h = subtrees_.back();
  for (size_t i = subtrees_.size() - 1; i-- > 0;) h = NodeHash(subtrees_[i], h);
  return h;
}

Result<Hash> TreeRootFrom(uint64_t size, const SubtreeHashFn& subtree) {
  if (size == 0) return EmptyTreeRoot();
  return RangeHash(0, size, subtree);
}

Result<std::vector<Hash>> InclusionProofFrom(uint64_t index, uint64_t size,
                                             const SubtreeHashFn& subtree) {
  if (index >= size) {
    return InvalidArgument(fmt::format("index {} is not below tree size {}", index, size));
  }
  std::vector<Hash> out;
  RETURN_IF_ERROR(Path(index, 0, size, subtree, out));
  return out;
}

Result<std::vector<Hash>> ConsistencyProofFrom(uint64_t old_size, uint64_t new_size,
                                               const SubtreeHashFn& subtree) {
  if (old_size == 0 || old_size > new_size) {
    return InvalidArgument(fmt::format("consistency needs 0 < old size <= new size, got {} and {}",
                                       old_size, new_size));
  }
  std::vector<Hash> out;
  RETURN_IF_ERROR(SubProof(old_size, 0, new_size, true, subtree, out));
  return out;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  if (index >= size) {
    return PermissionDenied(fmt::format("index {} is not below tree size {}", index, size));
  }
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return PermissionDenied("inclusion proof is too long");
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return PermissionDenied("inclusion proof is too short");
  if (r != root) return PermissionDenied("inclusion proof does not lead to the root");
  return Status::Ok();
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) return PermissionDenied("old size is larger than new size");
  if (old_size == new_size) {
    if (!proof.empty()) return PermissionDenied("consistency proof for equal sizes must be empty");
    if (old_root != new_root) return PermissionDenied("equal sizes with different roots");
    return Status::Ok();
  }
  if (old_size == 0) {
    if (!proof.empty()) return PermissionDenied("consistency proof from size 0 must be empty");
    return Status::Ok();
  }
  if (proof.empty()) return PermissionDenied("consistency proof is empty");
  std::vector<Hash> path(proof.begin(), proof.end());
  if (std::has_single_bit(old_size)) path.insert(path.begin(), old_root);
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return PermissionDenied("consistency proof is too long");
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (fn != 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return PermissionDenied("consistency proof is too short");
  if (fr != old_root) return PermissionDenied("consistency proof does not lead to the old root");
  if (sr != new_root) return PermissionDenied("consistency proof does not lead to the new root");
  return Status::Ok();
}

}  // namespace jejak
