// RFC 6962 / RFC 9162 Merkle trees: hashing, incremental roots, proofs.
//
// Pure code: no I/O. Proof generation reads the hashes of complete subtrees
// through a caller-supplied function, so a proof costs O(log n) lookups and
// never touches the whole tree. Everything here is thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "crypto/sha256.h"
#include "crypto/status.h"

namespace jejak {

// SHA-256(0x00 || leaf).
Hash LeafHash(ByteSpan leaf);
// SHA-256(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);
// The root of the empty tree, SHA-256("").
Hash EmptyTreeRoot();

// Root of the tree whose leaf hashes are given (MTH over already-hashed leaves).
Hash RootOfLeafHashes(std::span<const Hash> leaf_hashes);

// The running root of a tree built by appending leaf hashes: O(log n) memory,
// amortised one node hash per leaf.
class MerkleFrontier {
 public:
  void Append(const Hash& leaf_hash);
  uint64_t size() const { return size_; }
  Hash Root() const;

 private:
  uint64_t size_ = 0;
  // Roots of the complete subtrees of the size's binary decomposition, from
  // the largest (leftmost) to the smallest.
  std::vector<Hash> subtrees_;
};

// Returns the hash of the complete subtree of height `level` at position
// `index`, covering leaves [index << level, (index + 1) << level).
using SubtreeHashFn = std::function<Result<Hash>(int level, uint64_t index)>;

// MTH(D[0:size]).
Result<Hash> TreeRootFrom(uint64_t size, const SubtreeHashFn& subtree);

// RFC 6962 §2.1.1 PATH(index, D[0:size]). InvalidArgument unless index < size.
Result<std::vector<Hash>> InclusionProofFrom(uint64_t index, uint64_t size,
                                             const SubtreeHashFn& subtree);

// RFC 6962 §2.1.2 PROOF(old_size, D[0:new_size]). InvalidArgument unless
// 0 < old_size <= new_size. Empty for old_size == new_size.
Result<std::vector<Hash>> ConsistencyProofFrom(uint64_t old_size, uint64_t new_size,
                                               const SubtreeHashFn& subtree);

// RFC 9162 §2.1.3.2. Ok, or PermissionDenied saying what did not match.
Status VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);

// RFC 9162 §2.1.4.2, with old_size == 0 and old_size == new_size accepted
// when the proof is empty (and, for equal sizes, the roots are equal).
Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof);

}  // namespace jejak
