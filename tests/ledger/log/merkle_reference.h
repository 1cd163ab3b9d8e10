// A naive transcription of RFC 6962 §2.1, independent of ledger/log/merkle.cc,
// and helpers the Merkle tests share.
#pragma once

#include "ledger/log/merkle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/sha256.h"

namespace jejak::merkle_test {

using ::testing::AnyOf;
using ::testing::HasSubstr;

// ---- A naive RFC 6962 §2.1 reference, independent of ledger/merkle.cc ----

inline Hash RefLeaf(ByteSpan data) {
  Bytes b = {0x00};
  b.insert(b.end(), data.begin(), data.end());
  return Sha256(b);
}

inline Hash RefNode(const Hash& l, const Hash& r) {
  Bytes b = {0x01};
  b.insert(b.end(), l.begin(), l.end());
  b.insert(b.end(), r.begin(), r.end());
  return Sha256(b);
}

// Largest power of two smaller than n (n > 1).
inline size_t RefSplit(size_t n) {
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

using Leaves = std::span<const Hash>;  // leaf hashes, D[0:n] already hashed

// MTH(D[n]).
inline Hash RefMth(Leaves d) {
  if (d.empty()) return Sha256({});
  if (d.size() == 1) return d[0];
  const size_t k = RefSplit(d.size());
  return RefNode(RefMth(d.first(k)), RefMth(d.subspan(k)));
}

// PATH(m, D[n]).
inline std::vector<Hash> RefPath(size_t m, Leaves d) {
  if (d.size() == 1) return {};
  const size_t k = RefSplit(d.size());
  std::vector<Hash> p;
  if (m < k) {
    p = RefPath(m, d.first(k));
    p.push_back(RefMth(d.subspan(k)));
  } else {
    p = RefPath(m - k, d.subspan(k));
    p.push_back(RefMth(d.first(k)));
  }
  return p;
}

// SUBPROOF(m, D[n], b).
inline std::vector<Hash> RefSubProof(size_t m, Leaves d, bool b) {
  if (m == d.size()) {
    if (b) return {};
    return {RefMth(d)};
  }
  const size_t k = RefSplit(d.size());
  std::vector<Hash> p;
  if (m <= k) {
    p = RefSubProof(m, d.first(k), b);
    p.push_back(RefMth(d.subspan(k)));
  } else {
    p = RefSubProof(m - k, d.subspan(k), false);
    p.push_back(RefMth(d.first(k)));
  }
  return p;
}

// PROOF(m, D[n]).
inline std::vector<Hash> RefProof(size_t m, Leaves d) { return RefSubProof(m, d, true); }

// Hashes of every complete subtree, level by level, built pairwise from the
// leaf hashes.
class SubtreeTable {
 public:
  explicit SubtreeTable(std::vector<Hash> leaf_hashes) {
    levels_.push_back(std::move(leaf_hashes));
    while (levels_.back().size() >= 2) {
      const auto& below = levels_.back();
      std::vector<Hash> up;
      for (size_t i = 0; i + 1 < below.size(); i += 2)
        up.push_back(RefNode(below[i], below[i + 1]));
      levels_.push_back(std::move(up));
    }
  }

  const std::vector<Hash>& leaves() const { return levels_[0]; }

  // A SubtreeHashFn for the tree of the first `size` leaves that refuses (and
  // counts) lookups; asking for a subtree beyond `size` is an error.
  SubtreeHashFn For(uint64_t size, int* calls = nullptr) const {
    return [this, size, calls](int level, uint64_t index) -> Result<Hash> {
      if (calls != nullptr) ++*calls;
      if (level < 0 || level >= static_cast<int>(levels_.size()) ||
          index >= levels_[level].size() || ((index + 1) << level) > size) {
        return Internal("subtree " + std::to_string(level) + "/" + std::to_string(index) +
                        " is not a complete subtree of a tree of size " + std::to_string(size));
      }
      return levels_[level][index];
    };
  }

 private:
  std::vector<std::vector<Hash>> levels_;
};

inline Hash FlipBit(Hash h, int bit = 0) {
  h[bit / 8 % 32] ^= static_cast<uint8_t>(1 << (bit % 8));
  return h;
}

inline std::string B64(const Hash& h) { return Base64Encode(h); }

inline std::vector<std::string> B64s(const std::vector<Hash>& v) {
  std::vector<std::string> out;
  for (const auto& h : v) out.push_back(B64(h));
  return out;
}

}  // namespace jejak::merkle_test
