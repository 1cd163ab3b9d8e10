#include "ledger/pkh/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "crypto/encoding.h"
#include "crypto/files.h"

namespace jejak {
namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;
constexpr size_t kMaxLineLimit = size_t{1} << 30;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string JoinNames(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

// True if `s` holds a C0 control other than tab, DEL, or a C1 control
// (U+0080..U+009F, encoded as C2 80..C2 9F).
bool HasControlCharacter(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<uint8_t>(s[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < s.size()) {
      const auto next = static_cast<uint8_t>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9f) return true;
    }
  }
  return false;
}

// A header name is shown in messages only when it is short printable ASCII.
bool ShowableName(std::string_view s) {
  return !s.empty() && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Status CheckArguments(const std::vector<std::string>& columns, const CsvLimits& limits) {
  if (columns.empty()) return InvalidArgument("CSV reader: no columns were asked for");
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].empty()) return InvalidArgument("CSV reader: a column name is empty");
    if (std::find(columns.begin(), columns.begin() + i, columns[i]) != columns.begin() + i) {
      return InvalidArgument(fmt::format("CSV reader: column '{}' asked for twice", columns[i]));
    }
  }
  if (limits.max_field_bytes == 0 || limits.max_line_bytes == 0 ||
      limits.max_line_bytes > kMaxLineLimit) {
    return InvalidArgument(
        fmt::format("CSV reader: limits must be at least 1 byte, lines at most {}", kMaxLineLimit));
  }
  return Status::Ok();
}

}  // namespace

CsvReader::CsvReader(int fd, bool owns_fd, std::string name, std::vector<std::string> columns,
                     CsvLimits limits)
    : fd_(fd),
      owns_fd_(owns_fd),
      name_(std::move(name)),
      columns_(std::move(columns)),
      limits_(limits),
      buf_(std::max(kChunkBytes, limits.max_line_bytes + 2), '\0') {}

CsvReader::CsvReader(std::string data, std::string name, std::vector<std::string> columns,
                     CsvLimits limits)
    : eof_(true),
      name_(std::move(name)),
      columns_(std::move(columns)),
      limits_(limits),
      buf_(std::move(data)),
      end_(buf_.size()) {}

CsvReader::~CsvReader() {
  if (owns_fd_) ::close(fd_);
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                   std::vector<std::string> columns,
                                                   CsvLimits limits) {
  RETURN_IF_ERROR(CheckArguments(columns, limits));
  std::unique_ptr<CsvReader> reader;
  if (path == "-") {
    reader.reset(new CsvReader(STDIN_FILENO, false, "standard input", std::move(columns), limits));
  } else {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      std::string message = fmt::format("cannot open {}: {}", path, ErrnoText(err));
      return err == ENOENT ? NotFound(std::move(message)) : IOError(std::move(message));
    }
    reader.reset(new CsvReader(fd, true, path, std::move(columns), limits));
  }
  RETURN_IF_ERROR(reader->ReadHeader());
  return reader;
}

Result<std::unique_ptr<CsvReader>> CsvReader::OpenSource(CsvSource source,
                                                         std::vector<std::string> columns,
                                                         CsvLimits limits) {
  if (!source.received) return Open(source.path, std::move(columns), limits);
  return FromString(std::move(source.data), std::move(source.path), std::move(columns), limits);
}

Result<std::unique_ptr<CsvReader>> CsvReader::FromString(std::string data, std::string where,
                                                         std::vector<std::string> columns,
                                                         CsvLimits limits) {
  RETURN_IF_ERROR(CheckArguments(columns, limits));
  std::unique_ptr<CsvReader> reader(
      new CsvReader(std::move(data), std::move(where), std::move(columns), limits));
  RETURN_IF_ERROR(reader->ReadHeader());
  return reader;
}

Status CsvReader::Refill() {
  if (eof_) return Status::Ok();
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  while (end_ < buf_.size()) {
    const ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IOError(fmt::format("reading {}: {}", name_, ErrnoText(errno)));
    }
    if (n == 0) {
      eof_ = true;
      break;
    }
    end_ += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<bool> CsvReader::NextLine(std::string_view& line) {
  for (;;) {
    const char* start = buf_.data() + pos_;
    const size_t available = end_ - pos_;
    const void* nl = std::memchr(start, '\n', available);
    size_t length;  // the line and its line end
    if (nl != nullptr) {
      length = static_cast<size_t>(static_cast<const char*>(nl) - start) + 1;
    } else if (available > limits_.max_line_bytes + 1) {
      ++line_;  // even with a CR before a coming LF, the line is too long
      return LineError(fmt::format("line is longer than {} bytes", limits_.max_line_bytes));
    } else if (!eof_) {
      RETURN_IF_ERROR(Refill());
      continue;
    } else if (available == 0) {
      return false;
    } else {
      length = available;
    }
    size_t content = length;
    if (content > 0 && start[content - 1] == '\n') --content;
    if (content > 0 && start[content - 1] == '\r') --content;
    ++line_;
    if (content > limits_.max_line_bytes) {
      return LineError(fmt::format("line is longer than {} bytes", limits_.max_line_bytes));
    }
    line = std::string_view(start, content);
    pos_ += length;
    return true;
  }
}

Status CsvReader::SplitLine(std::string_view line) {
  char* p = buf_.data() + (line.data() - buf_.data());
  const size_t n = line.size();
  raw_.clear();
  size_t i = 0;
  for (;;) {
    const size_t file_column = raw_.size();
    std::string_view field;
    if (i < n && p[i] == '"') {
      // Unescapes in place: the value is never longer than its spelling.
      const size_t first = i + 1;
      size_t out = first;
      size_t j = first;
      for (;;) {
        if (j == n) {
          return FieldError(file_column,
                            "unterminated quote: a quoted field must end on the same line "
                            "(line breaks inside fields are not allowed)");
        }
        if (p[j] == '"') {
          if (j + 1 < n && p[j + 1] == '"') {
            p[out++] = '"';
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        p[out++] = p[j++];
      }
      if (j < n && p[j] != ',') {
        return FieldError(file_column,
                          "text after the closing quote; a quoted field must be followed by a "
                          "comma or the end of the line");
      }
      field = std::string_view(p + first, out - first);
      i = j;
    } else {
      size_t j = i;
      while (j < n && p[j] != ',') {
        if (p[j] == '"') {
          return FieldError(file_column,
                            "quote inside an unquoted field; enclose the field in double quotes "
                            "and write each quote in it as two");
        }
        ++j;
      }
      field = std::string_view(p + i, j - i);
      i = j;
    }
    RETURN_IF_ERROR(CheckField(field, file_column));
    raw_.push_back(field);
    if (i == n) return Status::Ok();
    ++i;  // the comma
  }
}

Status CsvReader::CheckField(std::string_view field, size_t file_column) const {
  if (field.size() > limits_.max_field_bytes) {
    return FieldError(file_column, fmt::format("field is {} bytes; at most {}", field.size(),
                                               limits_.max_field_bytes));
  }
  if (!ValidUtf8(field, {.allow_newline = false, .allow_tab = true, .allow_spaces = true})) {
    return FieldError(file_column, HasControlCharacter(field)
                                       ? "field holds a control character (only tab is allowed)"
                                       : "field is not valid UTF-8");
  }
  return Status::Ok();
}

// What a file that is not UTF-8 text with LF or CRLF line ends is, from its
// first bytes, said plainly instead of as a line that is too long or a header
// that does not parse.
Status CsvReader::CheckEncoding() const {
  const std::string_view head(buf_.data() + pos_, end_ - pos_);
  const bool utf16_bom = head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF");
  // UTF-16 without its mark shows as NULs in the header line already (a NUL
  // further down is one field's fault, named by line and column later).
  const bool nul = head.substr(0, head.find('\n')).find('\0') != std::string_view::npos;
  if (utf16_bom || nul) {
    return InvalidArgument(fmt::format("{}: the file is {} text, not UTF-8: save it as CSV UTF-8",
                                       name_, utf16_bom ? "UTF-16" : "binary or UTF-16"));
  }
  const size_t cr = head.find('\r');
  if (head.find('\n') == std::string_view::npos && cr != std::string_view::npos &&
      cr + 1 < head.size()) {
    return InvalidArgument(fmt::format(
        "{}: its lines end in CR alone (the old Mac format): save it with LF or CRLF line ends",
        name_));
  }
  return Status::Ok();
}

Status CsvReader::ReadHeader() {
  if (end_ - pos_ < kBom.size()) RETURN_IF_ERROR(Refill());
  RETURN_IF_ERROR(CheckEncoding());
  if (std::string_view(buf_.data() + pos_, end_ - pos_).starts_with(kBom)) pos_ += kBom.size();
  std::string_view line;
  do {
    ASSIGN_OR_RETURN(const bool more, NextLine(line));
    if (!more) {
      return InvalidArgument(fmt::format("{}: the file is empty; expected a header row with {}",
                                         name_, JoinNames(columns_)));
    }
  } while (line.empty());
  RETURN_IF_ERROR(SplitLine(line));

  std::vector<size_t> index_of(raw_.size(), columns_.size());
  for (size_t k = 0; k < raw_.size(); ++k) {
    index_of[k] = std::find(columns_.begin(), columns_.end(), raw_[k]) - columns_.begin();
  }
  // A first line naming no column at all is most likely a data row: say so
  // without echoing it. (With other columns allowed it may be a header that
  // lacks ours: the missing columns are named below.)
  if (!limits_.other_columns && std::all_of(index_of.begin(), index_of.end(),
                                            [&](size_t c) { return c == columns_.size(); })) {
    return InvalidArgument(
        fmt::format("{}: the first line is not the header (none of its {} fields is a column "
                    "name); expected a header row with {}",
                    WhereLine(), raw_.size(), JoinNames(columns_)));
  }
  file_column_of_.assign(columns_.size(), raw_.size());
  for (size_t k = 0; k < raw_.size(); ++k) {
    const size_t c = index_of[k];
    if (c == columns_.size()) {
      if (limits_.other_columns) continue;
      const std::string shown =
          ShowableName(raw_[k]) ? fmt::format(" '{}'", raw_[k]) : std::string();
      return InvalidArgument(fmt::format("{} column {}: unknown column{}; expected exactly {}",
                                         WhereLine(), k + 1, shown, JoinNames(columns_)));
    }
    if (file_column_of_[c] != raw_.size()) {
      return InvalidArgument(fmt::format("{} column {}: column '{}' is repeated (also column {})",
                                         WhereLine(), k + 1, columns_[c], file_column_of_[c] + 1));
    }
    file_column_of_[c] = k;
  }
  std::vector<std::string> missing;
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (file_column_of_[c] == raw_.size()) missing.push_back(columns_[c]);
  }
  if (!missing.empty()) {
    return InvalidArgument(fmt::format(
        "{}: missing column{} {}; expected {} {}", WhereLine(), missing.size() == 1 ? "" : "s",
        JoinNames(missing), limits_.other_columns ? "at least" : "exactly", JoinNames(columns_)));
  }
  column_of_ = std::move(index_of);
  return Status::Ok();
}

Result<bool> CsvReader::Next(std::vector<std::string_view>& fields) {
  if (!failed_.ok()) return failed_;
  auto fail = [this](Status status) {
    failed_ = std::move(status);
    return failed_;
  };
  std::string_view line;
  do {
    auto more = NextLine(line);
    if (!more.ok()) return fail(more.status());
    if (!*more) return false;
  } while (line.empty());
  if (Status s = SplitLine(line); !s.ok()) return fail(std::move(s));
  if (raw_.size() != column_of_.size()) {  // the header's width
    return fail(
        LineError(fmt::format("expected {} fields, found {}", column_of_.size(), raw_.size())));
  }
  fields.resize(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) fields[c] = raw_[file_column_of_[c]];
  return true;
}

std::string CsvReader::WhereLine() const { return fmt::format("{} line {}", name_, line_); }

std::string CsvReader::DescribeFileColumn(size_t file_column) const {
  if (file_column < column_of_.size() && column_of_[file_column] < columns_.size()) {
    return fmt::format("column {} ({})", file_column + 1, columns_[column_of_[file_column]]);
  }
  return fmt::format("column {}", file_column + 1);
}

std::string CsvReader::Where(size_t column_index) const { return WhereAt(line_, column_index); }

std::string CsvReader::WhereAt(uint64_t line, size_t column_index) const {
  if (column_index >= file_column_of_.size()) {
    return fmt::format("{} line {} (no column {})", name_, line, column_index);
  }
  return fmt::format("{} line {} {}", name_, line,
                     DescribeFileColumn(file_column_of_[column_index]));
}

Status CsvReader::LineError(std::string_view what) const {
  return InvalidArgument(fmt::format("{}: {}", WhereLine(), what));
}

Status CsvReader::FieldError(size_t file_column, std::string_view what) const {
  return InvalidArgument(
      fmt::format("{} {}: {}", WhereLine(), DescribeFileColumn(file_column), what));
}

std::string CsvCell(std::string_view value) {
  std::string cell;
  if (!value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos) {
    cell = "'";
  }
  cell += value;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace jejak
