#include "ledger/entry.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "specs/entry.capnp.h"

namespace jejak {
namespace {

constexpr std::string_view kStatementContext = "jejak/statement/v1\n";

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

  template <typename F>
  auto Read(F&& f) -> Result<decltype(f(std::declval<schema::Entry::Reader>()))> {
    if (!status_.ok()) return status_;
    try {
      if (!reader_->isCanonical()) return Corruption("entry is not in canonical form");
      return f(reader_->getRoot<schema::Entry>());
    } catch (const kj::Exception& e) {
      return Corruption("entry does not decode: " + std::string(e.getDescription().cStr()));
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

kj::ArrayPtr<const kj::byte> Data(ByteSpan b) { return kj::arrayPtr(b.data(), b.size()); }

// Texts are copied by size, never through a C string: Cap'n Proto's
// conversions from std::string and to std::string stop at the first NUL, which
// would make "a\0b" sign and decode as "a".
void CopyText(capnp::Text::Builder to, std::string_view from) {
  if (!from.empty()) std::memcpy(to.begin(), from.data(), from.size());
}
std::string TextOf(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

void FillHeader(schema::SignedStatement::Builder b, const StatementHeader& h) {
  CopyText(b.initOrigin(static_cast<unsigned>(h.origin.size())), h.origin);
  CopyText(b.initType(static_cast<unsigned>(h.type.size())), h.type);
  CopyText(b.initStage(static_cast<unsigned>(h.stage.size())), h.stage);
  CopyText(b.initRegion(static_cast<unsigned>(h.region.size())), h.region);
  b.setTimestampMs(h.timestamp_ms);
  b.setRecordCount(h.record_count);
  b.setRecordsRoot(Data(h.records_root));
  b.setGovernanceSize(h.governance_size);
}

template <size_t N>
Result<std::array<uint8_t, N>> FixedData(capnp::Data::Reader d, std::string_view what) {
  if (d.size() != N) {
    return Corruption(fmt::format("{} is {} bytes, expected {}", what, d.size(), N));
  }
  std::array<uint8_t, N> out;
  std::memcpy(out.data(), d.begin(), N);
  return out;
}

Result<Statement> ReadStatement(schema::Statement::Reader s) {
  Statement out;
  auto h = s.getSigned();
  out.header.origin = TextOf(h.getOrigin());
  out.header.type = TextOf(h.getType());
  out.header.stage = TextOf(h.getStage());
  out.header.region = TextOf(h.getRegion());
  out.header.timestamp_ms = h.getTimestampMs();
  out.header.record_count = h.getRecordCount();
  ASSIGN_OR_RETURN(out.header.records_root, FixedData<32>(h.getRecordsRoot(), "records root"));
  out.header.governance_size = h.getGovernanceSize();
  for (auto sig : s.getSignatures()) {
    StatementSignature ss;
    ASSIGN_OR_RETURN(ss.public_key, FixedData<32>(sig.getPublicKey(), "signer public key"));
    ASSIGN_OR_RETURN(ss.signature, FixedData<64>(sig.getSignature(), "signature"));
    out.signatures.push_back(ss);
  }
  return out;
}

// Cap'n Proto's canonical form still leaves bits that decoding ignores (the
// unused bits of a union's data word, the top bit of a struct list's tag) and
// reads a null pointer as an empty text. So a decoded value is accepted only
// when it encodes back to the very bytes it came from: one value, one leaf.
Status RequireSameEncoding(const Result<Bytes>& again, ByteSpan leaf, std::string_view what) {
  if (!again.ok() || !std::equal(again->begin(), again->end(), leaf.begin(), leaf.end())) {
    return Corruption(fmt::format("{} entry is not the canonical encoding of its contents", what));
  }
  return Status::Ok();
}

}  // namespace

Bytes StatementSigningBytes(const StatementHeader& header) {
  capnp::MallocMessageBuilder message;
  FillHeader(message.initRoot<schema::SignedStatement>(), header);
  kj::Array<capnp::word> words =
      capnp::canonicalize(message.getRoot<schema::SignedStatement>().asReader());
  const auto b = words.asBytes();
  Bytes out(kStatementContext.size() + b.size());
  std::memcpy(out.data(), kStatementContext.data(), kStatementContext.size());
  std::memcpy(out.data() + kStatementContext.size(), b.begin(), b.size());
  return out;
}

void SignStatement(Statement& statement, const SigningKey& key) {
  const Bytes msg = StatementSigningBytes(statement.header);
  statement.signatures.push_back({key.public_key(), key.Sign(msg)});
}

Status VerifyStatementSignatures(const Statement& statement) {
  if (statement.signatures.empty()) return PermissionDenied("statement has no signatures");
  const Bytes msg = StatementSigningBytes(statement.header);
  for (size_t i = 0; i < statement.signatures.size(); ++i) {
    const auto& s = statement.signatures[i];
    if (!VerifySignature(s.public_key, msg, s.signature)) {
      return PermissionDenied(
          fmt::format("signature {} (key {}) does not verify", i + 1, Base64Encode(s.public_key)));
    }
  }
  return Status::Ok();
}

Result<Bytes> EncodeStatementEntry(const Statement& statement) {
  capnp::MallocMessageBuilder message;
  auto st = message.initRoot<schema::Entry>().initStatement();
  FillHeader(st.initSigned(), statement.header);
  auto sigs = st.initSignatures(static_cast<unsigned>(statement.signatures.size()));
  for (size_t i = 0; i < statement.signatures.size(); ++i) {
    sigs[i].setPublicKey(Data(statement.signatures[i].public_key));
    sigs[i].setSignature(Data(statement.signatures[i].signature));
  }
  return Finish(message.getRoot<schema::Entry>().asReader());
}

Result<Bytes> EncodeTextRecordEntry(std::string_view text) {
  capnp::word scratch[64];
  std::memset(scratch, 0, sizeof scratch);
  capnp::MallocMessageBuilder message(kj::arrayPtr(scratch, 64));
  CopyText(message.initRoot<schema::Entry>().initRecord().initPayload().initText(
               static_cast<unsigned>(text.size())),
           text);
  return Finish(message.getRoot<schema::Entry>().asReader());
}

Result<Bytes> EncodeDataRecordEntry(ByteSpan data) {
  capnp::MallocMessageBuilder message;
  message.initRoot<schema::Entry>().initRecord().initPayload().setData(Data(data));
  return Finish(message.getRoot<schema::Entry>().asReader());
}

Result<EntryKind> DecodeEntryKind(ByteSpan leaf) {
  CanonicalReader r(leaf);
  auto res = r.Read([](schema::Entry::Reader e) -> Result<EntryKind> {
    switch (e.which()) {
      case schema::Entry::STATEMENT:
        return EntryKind::kStatement;
      case schema::Entry::RECORD:
        return EntryKind::kRecord;
    }
    return Corruption("entry is neither a statement nor a record");
  });
  if (!res.ok()) return res.status();
  return std::move(res).value();
}

Result<Statement> DecodeStatementEntry(ByteSpan leaf) {
  CanonicalReader r(leaf);
  auto res = r.Read([](schema::Entry::Reader e) -> Result<Statement> {
    if (e.which() != schema::Entry::STATEMENT) return Corruption("entry is not a statement");
    return ReadStatement(e.getStatement());
  });
  if (!res.ok()) return res.status();
  Result<Statement> st = std::move(res).value();
  if (!st.ok()) return st;
  RETURN_IF_ERROR(RequireSameEncoding(EncodeStatementEntry(*st), leaf, "statement"));
  return st;
}

Result<RecordView> DecodeRecordEntry(ByteSpan leaf) {
  CanonicalReader r(leaf);
  auto res = r.Read([](schema::Entry::Reader e) -> Result<RecordView> {
    if (e.which() != schema::Entry::RECORD) return Corruption("entry is not a record");
    RecordView v;
    auto p = e.getRecord().getPayload();
    switch (p.which()) {
      case schema::Record::Payload::TEXT:
        v.kind = RecordView::Kind::kText;
        v.text = TextOf(p.getText());
        break;
      case schema::Record::Payload::DATA: {
        v.kind = RecordView::Kind::kData;
        auto d = p.getData();
        v.data.assign(d.begin(), d.end());
        break;
      }
      default:
        v.kind = RecordView::Kind::kOther;
    }
    return v;
  });
  if (!res.ok()) return res.status();
  Result<RecordView> v = std::move(res).value();
  if (!v.ok()) return v;
  if (v->kind == RecordView::Kind::kText) {
    RETURN_IF_ERROR(RequireSameEncoding(EncodeTextRecordEntry(v->text), leaf, "text record"));
  } else if (v->kind == RecordView::Kind::kData) {
    RETURN_IF_ERROR(RequireSameEncoding(EncodeDataRecordEntry(v->data), leaf, "data record"));
  }
  return v;
}

}  // namespace jejak
