// A streaming reader for CSV import files (data bayar, receipts, updates,
// benefit index). Files may hold millions of rows; the reader holds one
// buffered chunk (at least 1 MiB) and never the whole file.
//
// Format: UTF-8; an optional UTF-8 byte order mark at the very start; LF or
// CRLF line ends and an optional final newline; fields separated by commas;
// the first non-empty line is the header. A field may be enclosed in double
// quotes (RFC 4180): inside, "" stands for one quote and commas are plain
// text. Unlike RFC 4180, a record is exactly one line: a line break inside a
// quoted field is refused. Completely empty lines are skipped but counted in
// line numbers. Fields are returned as written: no trimming of spaces.
//
// Privacy: files hold personal identifiers, so no error message ever contains
// a field's value (header names are shown only when the header row is
// recognisably a header, see Open).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace jejak {

// One cell of a CSV file Jejak writes: quoted per RFC 4180 when it holds a
// comma, quote or line end, and neutralized when a spreadsheet would run it
// as a formula (it begins with = + - @, a tab or a carriage return: OWASP's
// rule) by a leading apostrophe, which spreadsheets show as text. Every CSV
// writer goes through it.
std::string CsvCell(std::string_view value);

struct CsvLimits {
  size_t max_field_bytes = 256;       // after removing quotes and "" escapes
  size_t max_line_bytes = 64 * 1024;  // not counting the LF or CRLF
  // Accept a header with columns besides those asked for, and skip them
  // (each row must still have as many fields as the header).
  bool other_columns = false;
};

// Where a CSV file comes from: a path ("-" for standard input), or bytes
// already received (a file uploaded to a running node), named for messages.
struct CsvSource {
  CsvSource(std::string path) : path(std::move(path)) {}  // NOLINT: a path is a source
  CsvSource(const char* path) : path(path) {}             // NOLINT
  static CsvSource Received(std::string data, std::string name) {
    CsvSource s(std::move(name));
    s.data = std::move(data);
    s.received = true;
    return s;
  }
  std::string path;  // the file, or the name of the received bytes
  std::string data;  // the received bytes
  bool received = false;
};

// Not thread-safe: one reader belongs to one thread. Distinct readers are
// independent.
class CsvReader {
 public:
  // Opens `path` ("-" means standard input) and reads its header. `columns`
  // are the required column names; the header must hold exactly these names
  // in any order. Returns NotFound if the file does not exist, IOError if it
  // cannot be opened or read, and InvalidArgument naming the file for an
  // empty file (no header row), a missing, unknown or repeated column, a
  // malformed header line, or `columns` that are empty or repeat a name.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 std::vector<std::string> columns,
                                                 CsvLimits limits = {});

  // As Open or FromString, by where the file comes from (consumes its bytes).
  static Result<std::unique_ptr<CsvReader>> OpenSource(CsvSource source,
                                                       std::vector<std::string> columns,
                                                       CsvLimits limits = {});

  // As Open, over an in-memory copy of a file; `where` names it in messages.
  static Result<std::unique_ptr<CsvReader>> FromString(std::string data, std::string where,
                                                       std::vector<std::string> columns,
                                                       CsvLimits limits = {});

  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next data row into `fields`, in the order of `columns` (not the
  // file's order). Returns false at the end of the file. The string_views
  // point into the reader's buffer and stay valid until the next call.
  // Errors (each message starts with "FILE line N", plus "column C (name)"
  // where one field is at fault): InvalidArgument for a wrong number of
  // fields, a field over max_field_bytes, invalid UTF-8 or a control
  // character other than tab, an unterminated quote (including a line break
  // inside quotes), a quote inside an unquoted field, text after a closing
  // quote, or a line over max_line_bytes; IOError if reading fails. After an
  // error the reader stays failed and returns the same error again.
  Result<bool> Next(std::vector<std::string_view>& fields);

  // 1-based line number of the row just read (of the header before the first
  // Next), counting empty lines.
  uint64_t line() const { return line_; }

  // The file's name as used in messages ("standard input" for "-").
  const std::string& name() const { return name_; }

  // The column names asked for, in the order Next returns fields.
  const std::vector<std::string>& columns() const { return columns_; }

  // "FILE line 17 column 3 (amount)" for messages about the field of the
  // current row at `column_index` (an index into `columns`); the column
  // number is 1-based in the file's order.
  std::string Where(size_t column_index) const;

  // "FILE line 17".
  std::string WhereLine() const;
  // The same for a row read earlier, at `line`. Thread-safe (reads only what
  // the header fixed), so rows can be checked on other threads.
  std::string WhereAt(uint64_t line, size_t column_index) const;

 private:
  CsvReader(int fd, bool owns_fd, std::string name, std::vector<std::string> columns,
            CsvLimits limits);
  CsvReader(std::string data, std::string name, std::vector<std::string> columns, CsvLimits limits);

  Status ReadHeader();
  Status CheckEncoding() const;
  // Sets `line` to the next line without its line end; false at the end.
  Result<bool> NextLine(std::string_view& line);
  Status Refill();
  // Splits `line` (a view into buf_, unescaped in place) into raw_.
  Status SplitLine(std::string_view line);
  Status CheckField(std::string_view field, size_t file_column) const;
  Status LineError(std::string_view what) const;
  Status FieldError(size_t file_column, std::string_view what) const;
  std::string DescribeFileColumn(size_t file_column) const;

  int fd_ = -1;
  bool owns_fd_ = false;
  bool eof_ = false;
  std::string name_;
  std::vector<std::string> columns_;
  CsvLimits limits_;
  std::string buf_;
  size_t pos_ = 0;  // next unread byte in buf_
  size_t end_ = 0;  // end of the bytes read into buf_
  uint64_t line_ = 0;
  std::vector<size_t> file_column_of_;  // by index into columns_
  std::vector<size_t> column_of_;       // by file column: index into columns_
  std::vector<std::string_view> raw_;   // the current row, in file order
  Status failed_;
};

}  // namespace jejak
