# Jejak log entries. Every leaf of a Jejak log is the canonical Cap'n Proto
# encoding (capnp::canonicalize: one segment, no segment table, preorder,
# truncated trailing zeros) of one Entry. See specs/log-format.md.
#
# Compatibility: fields and union members are only ever added, never renumbered
# or retyped. An added field that is absent encodes to nothing, so the canonical
# bytes of every existing entry stay the same.
@0xfa8ddd87da53ca60;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("jejak::schema");

struct Entry {
  union {
    statement @0 :Statement;
    record @1 :Record;
  }
}

# A statement is one leaf followed by `recordCount` record leaves. Its
# signatures cover the canonical encoding of `signed` (as its own root struct),
# prefixed by the context string "jejak/statement/v1" and a newline.
struct Statement {
  signed @0 :SignedStatement;
  signatures @1 :List(StatementSignature);
}

struct SignedStatement {
  origin @0 :Text;           # the log this statement is meant for
  type @1 :Text;             # what the records are, e.g. "generic.note"
  stage @2 :Text;            # disbursement stage such as "2026-T1", or empty
  region @3 :Text;           # region code of the author, e.g. "7404"
  timestampMs @4 :Int64;     # when it was signed, milliseconds since 1970 UTC
  recordCount @5 :UInt64;    # number of record leaves that follow
  recordsRoot @6 :Data;      # RFC 6962 root of those record leaves (32 bytes)
  governanceSize @7 :UInt64; # governance tree size the statement is judged at
}

struct StatementSignature {
  publicKey @0 :Data;  # Ed25519, 32 bytes
  signature @1 :Data;  # Ed25519, 64 bytes
}

# A record's payload is typed: later kinds (PKH updates, approvals, receipts,
# governance records) are added as union members without touching the engine,
# which treats record leaves as opaque bytes.
struct Record {
  payload :union {
    text @0 :Text;   # one line of a generic statement
    data @1 :Data;   # opaque bytes
  }
}
