#include "crypto/json_text.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include <fmt/format.h>

namespace jejak {
namespace {

using Json = nlohmann::json;

// A key is shown in a message only when it looks like a field name.
bool PlainKey(std::string_view k) {
  return !k.empty() && k.size() <= 32 &&
         k.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos;
}

// Builds the document as nlohmann's own DOM parser would, refusing a nesting
// beyond the limit before it is built and a key its object already holds.
class BoundedDom : public nlohmann::json_sax<Json> {
 public:
  BoundedDom(Json& root, size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() override { return Put(Json(nullptr)); }
  bool boolean(bool v) override { return Put(Json(v)); }
  bool number_integer(number_integer_t v) override { return Put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Put(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Put(Json(v)); }
  bool string(string_t& v) override { return Put(Json(std::move(v))); }
  bool binary(binary_t&) override { return Fail("binary values are not JSON"); }
  bool start_object(std::size_t) override { return Open(Json::object()); }
  bool key(string_t& k) override {
    Json& object = *stack_.back();
    if (object.contains(k)) {
      return Fail(PlainKey(k) ? fmt::format("an object repeats the key '{}'", k)
                              : std::string("an object repeats a key"));
    }
    slot_ = &object[k];
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(Json::array()); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    syntax_error_ = true;
    position_ = position;
    return false;
  }

  bool syntax_error() const { return syntax_error_; }
  size_t position() const { return position_; }
  const std::string& error() const { return error_; }

 private:
  bool Fail(std::string why) {
    error_ = std::move(why);
    return false;
  }
  // The place the next value goes: the root, the end of an array, or the
  // slot of the key just read.
  Json* Place(Json v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    *slot_ = std::move(v);
    return slot_;
  }
  bool Put(Json v) {
    Place(std::move(v));
    return true;
  }
  bool Open(Json container) {
    if (stack_.size() >= max_depth_) {
      return Fail(fmt::format("nested deeper than {} levels", max_depth_));
    }
    stack_.push_back(Place(std::move(container)));
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }

  Json& root_;
  size_t max_depth_;
  std::vector<Json*> stack_;
  Json* slot_ = nullptr;
  bool syntax_error_ = false;
  size_t position_ = 0;
  std::string error_;
};

// "line L column C" of byte `at` of `text`.
std::string LineColumn(std::string_view text, size_t at) {
  at = std::min(at, text.size());
  uint64_t line = 1, column = 1;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("line {} column {}", line, column);
}

}  // namespace

Result<Json> ParseJsonDocument(std::string_view text, std::string_view where,
                               const JsonLimits& limits, StatusCode code) {
  if (text.size() > limits.max_bytes) {
    return Status(code, fmt::format("{}: larger than {} bytes", where, limits.max_bytes));
  }
  Json root;
  BoundedDom dom(root, limits.max_depth);
  const bool ok = Json::sax_parse(text, &dom, Json::input_format_t::json, /*strict=*/true);
  if (ok) return root;
  if (dom.syntax_error()) {
    // The parser reports how many bytes it read; the last one is at fault.
    const size_t at = dom.position() == 0 ? 0 : dom.position() - 1;
    return Status(code, fmt::format("{} {}: not valid JSON", where, LineColumn(text, at)));
  }
  return Status(code, fmt::format("{}: {}", where, dom.error()));
}

Result<JsonFields> JsonFields::Of(const Json& value, std::string where, std::string path,
                                  StatusCode code) {
  if (!value.is_object()) {
    return Status(
        code, fmt::format("{}: {}expected a JSON object", where, path.empty() ? "" : path + ": "));
  }
  return JsonFields(value, std::move(where), std::move(path), code);
}

Status JsonFields::Error(std::string_view key, std::string_view what) const {
  return Status(code_,
                fmt::format("{}: {}{}{}: {}", where_, path_, path_.empty() ? "" : ".", key, what));
}

Status JsonFields::Only(std::initializer_list<std::string_view> keys,
                        std::string_view format) const {
  for (const auto& [k, v] : j_->items()) {
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
    return Status(code_, fmt::format("{}: {}{}unknown field{} (not in {})", where_, path_,
                                     path_.empty() ? "" : ": ",
                                     PlainKey(k) ? fmt::format(" '{}'", k) : "", format));
  }
  return Status::Ok();
}

bool JsonFields::Has(const char* key) const { return j_->contains(key); }

bool JsonFields::Absent(const char* key) const {
  auto it = j_->find(key);
  return it == j_->end() || it->is_null();
}

Result<const Json*> JsonFields::Get(const char* key) const {
  auto it = j_->find(key);
  if (it == j_->end()) return Error(key, "missing");
  return &*it;
}

Result<std::string> JsonFields::Str(const char* key) const {
  const Json* v;
  ASSIGN_OR_RETURN(v, Get(key));
  if (!v->is_string()) return Error(key, "expected a string");
  return v->get<std::string>();
}

Result<uint64_t> JsonFields::U64(const char* key, uint64_t max) const {
  const Json* v;
  ASSIGN_OR_RETURN(v, Get(key));
  if (!v->is_number_unsigned() || v->get<uint64_t>() > max) {
    return Error(key, fmt::format("expected a whole number from 0 to {}", max));
  }
  return v->get<uint64_t>();
}

Result<int64_t> JsonFields::I64(const char* key) const {
  const Json* v;
  ASSIGN_OR_RETURN(v, Get(key));
  if (v->is_number_unsigned() && v->get<uint64_t>() > uint64_t{INT64_MAX}) {
    return Error(key, "expected a whole number of 64 bits");
  }
  if (!v->is_number_integer()) return Error(key, "expected a whole number");
  return v->get<int64_t>();
}

Result<bool> JsonFields::Bool(const char* key) const {
  const Json* v;
  ASSIGN_OR_RETURN(v, Get(key));
  if (!v->is_boolean()) return Error(key, "expected true or false");
  return v->get<bool>();
}

Result<double> JsonFields::Number(const char* key) const {
  const Json* v;
  ASSIGN_OR_RETURN(v, Get(key));
  if (!v->is_number()) return Error(key, "expected a number");
  return v->get<double>();
}

Result<const Json*> JsonFields::Array(const char* key) const {
  const Json* v;
  ASSIGN_OR_RETURN(v, Get(key));
  if (!v->is_array()) return Error(key, "expected an array");
  return v;
}

Result<JsonFields> JsonFields::Object(const char* key) const {
  const Json* v;
  ASSIGN_OR_RETURN(v, Get(key));
  if (!v->is_object()) return Error(key, "expected an object");
  return JsonFields(*v, where_, path_.empty() ? key : path_ + "." + key, code_);
}

Result<std::string> JsonFields::StrOr(const char* key, std::string fallback) const {
  if (Absent(key)) return fallback;
  return Str(key);
}

Result<uint64_t> JsonFields::U64Or(const char* key, uint64_t fallback) const {
  if (Absent(key)) return fallback;
  return U64(key);
}

Result<std::optional<uint64_t>> JsonFields::OptionalU64(const char* key) const {
  if (Absent(key)) return std::optional<uint64_t>();
  ASSIGN_OR_RETURN(uint64_t v, U64(key));
  return std::optional<uint64_t>(v);
}

Result<bool> JsonFields::BoolOr(const char* key, bool fallback) const {
  if (Absent(key)) return fallback;
  return Bool(key);
}

Result<double> JsonFields::NumberOr(const char* key, double fallback) const {
  if (Absent(key)) return fallback;
  return Number(key);
}

Status JsonFields::Check(const char* key, const Status& s) const {
  return s.ok() ? s : Error(key, s.message());
}

}  // namespace jejak
