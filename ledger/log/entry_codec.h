// Cap'n Proto plumbing for entry codecs: the engine's (entry.cc) and the
// typed record layers built on it (ledger/pkh/records.cc). It includes the
// generated code, so only .cc files of ledger/ include it (tools/check-deps):
// no public header does, and generated code stays inside ledger/.
#pragma once

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "crypto/encoding.h"
#include "crypto/status.h"
#include "ledger/log/entry.h"
#include "specs/entry.capnp.h"

namespace jejak::internal {

// Reads canonical entry bytes. Cap'n Proto throws on malformed input; that is
// an expected failure here, so it becomes a Status at this boundary.
class CanonicalReader {
 public:
  explicit CanonicalReader(ByteSpan bytes) {
    if (bytes.empty() || bytes.size() % sizeof(capnp::word) != 0) {
      status_ =
          Corruption(fmt::format("entry is {} bytes, not a whole number of words", bytes.size()));
      return;
    }
    // Cap'n Proto reads aligned words; most entries fit the inline buffer.
    const size_t n = bytes.size() / sizeof(capnp::word);
    capnp::word* dst = inline_;
    if (n > kInlineWords) {
      words_ = kj::heapArray<capnp::word>(n);
      dst = words_.begin();
    }
    std::memcpy(dst, bytes.data(), bytes.size());
    segments_[0] = kj::arrayPtr(const_cast<const capnp::word*>(dst), n);
    capnp::ReaderOptions options;
    options.traversalLimitInWords = bytes.size();
    options.nestingLimit = 16;
    reader_.emplace(kj::arrayPtr(segments_, 1), options);
  }

  // `check_canonical` is skipped only for bytes this store verified earlier.
  template <typename F>
  auto Read(F&& f, bool check_canonical = true)
      -> Result<decltype(f(std::declval<schema::Entry::Reader>()))> {
    if (!status_.ok()) return status_;
    try {
      if (check_canonical && !reader_->isCanonical()) {
        return Corruption("entry is not in canonical form");
      }
      return f(reader_->getRoot<schema::Entry>());
    } catch (const kj::Exception& e) {
      // Cap'n Proto's description may quote the entry's bytes: shown only
      // when printable.
      const std::string what(e.getDescription().cStr());
      if (!ValidUtf8(what, {})) return Corruption("entry does not decode as Cap'n Proto");
      return Corruption("entry does not decode: " + what);
    }
  }

 private:
  static constexpr size_t kInlineWords = 128;
  Status status_;
  capnp::word inline_[kInlineWords];
  kj::Array<capnp::word> words_;
  kj::ArrayPtr<const capnp::word> segments_[1];
  std::optional<capnp::SegmentArrayMessageReader> reader_;
};

template <typename Builder>
Result<Bytes> Finish(Builder root_reader) {
  kj::Array<capnp::word> words = capnp::canonicalize(root_reader);
  const auto bytes = words.asBytes();
  if (bytes.size() > kMaxEntryBytes) {
    return InvalidArgument(fmt::format("entry is {} bytes; an entry may hold at most {}",
                                       bytes.size(), kMaxEntryBytes));
  }
  return Bytes(bytes.begin(), bytes.end());
}

inline kj::ArrayPtr<const kj::byte> Data(ByteSpan b) { return kj::arrayPtr(b.data(), b.size()); }

// Texts are copied by size, never through a C string: Cap'n Proto's
// conversions from std::string and to std::string stop at the first NUL, which
// would make "a\0b" sign and decode as "a".
inline void CopyText(capnp::Text::Builder to, std::string_view from) {
  if (!from.empty()) std::memcpy(to.begin(), from.data(), from.size());
}
inline std::string TextOf(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

template <size_t N>
Result<std::array<uint8_t, N>> FixedData(capnp::Data::Reader d, std::string_view what) {
  if (d.size() != N) {
    return Corruption(fmt::format("{} is {} bytes, expected {}", what, d.size(), N));
  }
  std::array<uint8_t, N> out;
  std::memcpy(out.data(), d.begin(), N);
  return out;
}

}  // namespace jejak::internal
