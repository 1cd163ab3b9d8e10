#include "ledger/entry.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

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
      status_ = Corruption(fmt::format("entry is {} bytes, not a whole number of words", bytes.size()));
      return;
    }
    words_ = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
    std::memcpy(words_.begin(), bytes.data(), bytes.size());
    segments_[0] = words_.asPtr();
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
  Status status_;
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

void FillHeader(schema::SignedStatement::Builder b, const StatementHeader& h) {
  b.setOrigin(h.origin);
  b.setType(h.type);
  b.setStage(h.stage);
  b.setRegion(h.region);
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
  out.header.origin = h.getOrigin();
  out.header.type = h.getType();
  out.header.stage = h.getStage();
  out.header.region = h.getRegion();
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
      return PermissionDenied(fmt::format("signature {} (key {}) does not verify", i + 1,
                                          Base64Encode(s.public_key)));
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
  message.initRoot<schema::Entry>().initRecord().initPayload().setText(
      capnp::Text::Reader(text.data(), text.size()));
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
  return std::move(res).value();
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
        v.text = p.getText();
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
  return std::move(res).value();
}

}  // namespace jejak
