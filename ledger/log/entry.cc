#include "ledger/log/entry.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "ledger/log/entry_codec.h"
#include "specs/entry.capnp.h"

namespace jejak {
namespace {

using internal::CanonicalReader;
using internal::CopyText;
using internal::Data;
using internal::Finish;
using internal::FixedData;
using internal::TextOf;

constexpr std::string_view kStatementContext = "jejak/statement/v1\n";

void FillHeader(schema::SignedStatement::Builder b, const StatementHeader& h) {
  CopyText(b.initOrigin(static_cast<unsigned>(h.origin.size())), h.origin);
  CopyText(b.initType(static_cast<unsigned>(h.type.size())), h.type);
  CopyText(b.initStage(static_cast<unsigned>(h.stage.size())), h.stage);
  CopyText(b.initRegion(static_cast<unsigned>(h.region.size())), h.region);
  b.setTimestampMs(h.timestamp_ms);
  b.setRecordCount(h.record_count);
  b.setRecordsRoot(Data(h.records_root));
  b.setGovernanceSize(h.governance_size);
  if (!h.regions.empty()) {
    auto regions = b.initRegions(static_cast<unsigned>(h.regions.size()));
    for (size_t i = 0; i < h.regions.size(); ++i) {
      CopyText(regions.init(static_cast<unsigned>(i), static_cast<unsigned>(h.regions[i].size())),
               h.regions[i]);
    }
  }
  // Absent when empty, so that statements without them keep their encoding.
  if (!h.document_number.empty()) {
    CopyText(b.initDocumentNumber(static_cast<unsigned>(h.document_number.size())),
             h.document_number);
  }
  if (!h.document_date.empty()) {
    CopyText(b.initDocumentDate(static_cast<unsigned>(h.document_date.size())), h.document_date);
  }
  b.setDocumentYear(h.document_year);  // 0 encodes to nothing
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
  for (auto r : h.getRegions()) out.header.regions.push_back(TextOf(r));
  out.header.document_number = TextOf(h.getDocumentNumber());
  out.header.document_date = TextOf(h.getDocumentDate());
  out.header.document_year = h.getDocumentYear();
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
