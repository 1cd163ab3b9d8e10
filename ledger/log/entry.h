// Log entries: statements and records, and their canonical Cap'n Proto bytes
// (schema: specs/entry.capnp; format: specs/log-format.md).
//
// Generated Cap'n Proto code stays inside entry.cc: callers see only these
// types. Decoders accept only canonical encodings, so every entry has exactly
// one byte representation and therefore one leaf hash.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"

namespace jejak {

// Entry bundles prefix each entry with a big-endian uint16 length.
inline constexpr size_t kMaxEntryBytes = 65535;

// The signed part of a statement.
struct StatementHeader {
  std::string origin;
  std::string type;
  std::string stage;
  std::string region;
  int64_t timestamp_ms = 0;
  uint64_t record_count = 0;
  Hash records_root{};
  uint64_t governance_size = 0;
  std::vector<std::string> regions;  // regions the records concern
  std::string document_number;       // a berita acara's number
  std::string document_date;         // a berita acara's date
  uint16_t document_year = 0;        // a target list's year (0: none)
  bool operator==(const StatementHeader&) const = default;
};

struct StatementSignature {
  PublicKey public_key{};
  Signature signature{};
  bool operator==(const StatementSignature&) const = default;
};

struct Statement {
  StatementHeader header;
  std::vector<StatementSignature> signatures;
};

// The bytes a statement signature covers: "jejak/statement/v1\n" followed by
// the canonical encoding of the header as a root struct.
Bytes StatementSigningBytes(const StatementHeader& header);

// Adds a signature by `key` over the header.
void SignStatement(Statement& statement, const SigningKey& key);

// Checks every signature; PermissionDenied naming the first bad one (by
// position and public key). A statement with no signatures is refused.
Status VerifyStatementSignatures(const Statement& statement);

// Canonical entry bytes. Fail with InvalidArgument only when the result would
// exceed kMaxEntryBytes.
Result<Bytes> EncodeStatementEntry(const Statement& statement);
Result<Bytes> EncodeTextRecordEntry(std::string_view text);
Result<Bytes> EncodeDataRecordEntry(ByteSpan data);

enum class EntryKind { kStatement, kRecord };

// Checks that `leaf` is a canonical Entry and says which kind. Corruption
// otherwise.
Result<EntryKind> DecodeEntryKind(ByteSpan leaf);
// Decodes a statement entry (Corruption if it is not one).
Result<Statement> DecodeStatementEntry(ByteSpan leaf);

// A decoded record, for display and for the typed record layers built on top.
struct RecordView {
  enum class Kind { kText, kData, kOther } kind = Kind::kOther;
  std::string text;  // for kText
  Bytes data;        // for kData
};
Result<RecordView> DecodeRecordEntry(ByteSpan leaf);

}  // namespace jejak
