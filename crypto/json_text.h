// JSON that Jejak reads from outside — documents (berita acara, evidence,
// node.json) and answers of peers (log lists, proofs, submit answers) — read
// one way: bounded in size and depth before anything is built, an object that
// repeats a key refused (the last value would silently win), and every field
// read through a checked accessor that returns a Status instead of throwing.
//
// Messages name the document and the field's path, never a value.
// Thread-safe (no state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace jejak {

struct JsonLimits {
  size_t max_bytes = size_t{1} << 20;
  size_t max_depth = 16;  // nested objects and arrays
};

// Parses `text` as one JSON value. InvalidArgument (or `code`), naming
// `where`: "<where> line L column C: not valid JSON", "<where>: larger than N
// bytes", "<where> line L column C: nested deeper than N levels", "<where>:
// an object repeats the key 'k'" (the key shown only when it looks like a
// field name).
Result<nlohmann::json> ParseJsonDocument(std::string_view text, std::string_view where,
                                         const JsonLimits& limits = {},
                                         StatusCode code = StatusCode::kInvalidArgument);

// Checked access to the fields of one JSON object. Errors carry `code` and
// read "<where>: <path>.<key>: <what>". The object must outlive it.
class JsonFields {
 public:
  // InvalidArgument (or `code`) when `value` is not an object; use Of().
  static Result<JsonFields> Of(const nlohmann::json& value, std::string where,
                               std::string path = "",
                               StatusCode code = StatusCode::kInvalidArgument);

  Status Error(std::string_view key, std::string_view what) const;
  // Refuses any field not in `keys` (naming it only if it looks like a field
  // name, never like data); `format` names the document kind in the message.
  Status Only(std::initializer_list<std::string_view> keys, std::string_view format) const;

  bool Has(const char* key) const;
  Result<const nlohmann::json*> Get(const char* key) const;
  Result<std::string> Str(const char* key) const;
  Result<uint64_t> U64(const char* key, uint64_t max = UINT64_MAX) const;
  Result<int64_t> I64(const char* key) const;
  Result<bool> Bool(const char* key) const;
  Result<double> Number(const char* key) const;
  Result<const nlohmann::json*> Array(const char* key) const;
  Result<JsonFields> Object(const char* key) const;
  // The same for optional fields: absent (or null) gives `fallback`.
  Result<std::string> StrOr(const char* key, std::string fallback) const;
  Result<uint64_t> U64Or(const char* key, uint64_t fallback) const;
  Result<std::optional<uint64_t>> OptionalU64(const char* key) const;
  Result<bool> BoolOr(const char* key, bool fallback) const;
  Result<double> NumberOr(const char* key, double fallback) const;
  // Prefixes a value check's message with the field.
  Status Check(const char* key, const Status& s) const;

  const std::string& where() const { return where_; }
  const std::string& path() const { return path_; }
  StatusCode code() const { return code_; }

 private:
  JsonFields(const nlohmann::json& object, std::string where, std::string path, StatusCode code)
      : j_(&object), where_(std::move(where)), path_(std::move(path)), code_(code) {}
  bool Absent(const char* key) const;

  const nlohmann::json* j_;
  std::string where_;
  std::string path_;
  StatusCode code_;
};

}  // namespace jejak
