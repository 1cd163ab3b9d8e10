// The streaming CSV reader: header mapping, RFC 4180 quoting, line ends,
// every error with its exact location, privacy of values in messages, and a
// file large enough to cross many buffer refills.
#include "ledger/pkh/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/test_support.h"

namespace jejak {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using Rows = std::vector<std::vector<std::string>>;

// A value standing for personal data: it must never appear in a message.
constexpr std::string_view kSecret = "3201234567890123";

std::unique_ptr<CsvReader> MustOpen(std::string data, std::vector<std::string> columns,
                                    CsvLimits limits = {}) {
  auto reader = CsvReader::FromString(std::move(data), "in.csv", std::move(columns), limits);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

// Reads every row; also records the line number of each.
Rows ReadAll(CsvReader& reader, std::vector<uint64_t>* lines = nullptr) {
  Rows rows;
  std::vector<std::string_view> fields;
  for (;;) {
    auto more = reader.Next(fields);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    rows.emplace_back(fields.begin(), fields.end());
    if (lines != nullptr) lines->push_back(reader.line());
  }
  return rows;
}

// The status of the first failing Next.
Status FirstError(std::string data, std::vector<std::string> columns, CsvLimits limits = {}) {
  auto reader = CsvReader::FromString(std::move(data), "in.csv", std::move(columns), limits);
  if (!reader.ok()) return reader.status();
  std::vector<std::string_view> fields;
  for (;;) {
    auto more = (*reader)->Next(fields);
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
  }
}

void ExpectInvalid(const Status& s, std::string_view message) {
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
  EXPECT_EQ(s.message(), message);
  EXPECT_THAT(s.message(), Not(HasSubstr(kSecret)));
}

const std::vector<std::string> kAbc = {"a", "b", "c"};

TEST(CsvReader, ReturnsFieldsInColumnOrderWhateverTheHeaderOrder) {
  auto reader = MustOpen("c,a,b\n3,1,2\n30,10,20\n", kAbc);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"1", "2", "3"}, {"10", "20", "30"}}));
  EXPECT_EQ(reader->Where(0), "in.csv line 3 column 2 (a)");
  EXPECT_EQ(reader->Where(2), "in.csv line 3 column 1 (c)");
  EXPECT_EQ(reader->WhereLine(), "in.csv line 3");
}

// Files saved in another encoding or with old Mac line ends are named for
// what they are, not reported as a header that does not parse.
TEST(CsvReader, NamesAUtf16OrCrOnlyFileForWhatItIs) {
  const std::string utf16 = std::string("\xFF\xFE", 2) + std::string("a\0,\0b\0,\0c\0\n\0", 12);
  ExpectInvalid(FirstError(utf16, kAbc),
                "in.csv: the file is UTF-16 text, not UTF-8: save it as CSV UTF-8");
  ExpectInvalid(FirstError(std::string("a\0,\0b\0,\0c\0\n\0", 12), kAbc),
                "in.csv: the file is binary or UTF-16 text, not UTF-8: save it as CSV UTF-8");
  ExpectInvalid(FirstError("a,b,c\r1,2,3\r" + std::string(kSecret) + ",5,6\r", kAbc),
                "in.csv: its lines end in CR alone (the old Mac format): save it with LF or CRLF "
                "line ends");
}

TEST(CsvReader, SkipsByteOrderMarkAndAcceptsCrlf) {
  auto reader = MustOpen(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,2,3\r\n4,5,6\r\n",
      kAbc);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"1", "2", "3"}, {"4", "5", "6"}}));
}

TEST(CsvReader, UnquotesFieldsWithCommasAndDoubledQuotes) {
  auto reader = MustOpen("\"a\",b,c\n\"x,y\",\"say \"\"hi\"\"\",\"\"\n\"\"\"\",,\n", kAbc);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"x,y", "say \"hi\"", ""}, {"\"", "", ""}}));
}

TEST(CsvReader, KeepsSpacesAndTabsAsWritten) {
  auto reader = MustOpen("a,b,c\n x , y\t,\" z \"\n", kAbc);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{" x ", " y\t", " z "}}));
}

TEST(CsvReader, SkipsEmptyLinesButCountsThem) {
  auto reader = MustOpen("\n\na,b,c\n\n1,2,3\n\r\n\n4,5,6\n\n", kAbc);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->line(), 3u);  // the header
  std::vector<uint64_t> lines;
  EXPECT_EQ(ReadAll(*reader, &lines), (Rows{{"1", "2", "3"}, {"4", "5", "6"}}));
  EXPECT_THAT(lines, ElementsAre(5, 8));
}

TEST(CsvReader, AcceptsFinalLineWithoutNewline) {
  auto reader = MustOpen("a,b,c\n1,2,3\n4,5,\"6\"", kAbc);
  ASSERT_NE(reader, nullptr);
  std::vector<uint64_t> lines;
  EXPECT_EQ(ReadAll(*reader, &lines), (Rows{{"1", "2", "3"}, {"4", "5", "6"}}));
  EXPECT_THAT(lines, ElementsAre(2, 3));
}

TEST(CsvReader, KeepsReturningFalseAtTheEnd) {
  auto reader = MustOpen("a,b,c\n", kAbc);
  ASSERT_NE(reader, nullptr);
  std::vector<std::string_view> fields;
  for (int i = 0; i < 2; ++i) {
    auto more = reader->Next(fields);
    ASSERT_TRUE(more.ok());
    EXPECT_FALSE(*more);
  }
}

TEST(CsvReader, AcceptsAFieldAndALineExactlyAtTheLimits) {
  const std::string row = std::string(8, 'x') + ",y";  // 10 bytes
  auto reader =
      MustOpen("a,b\r\n" + row + "\r\n", {"a", "b"}, {.max_field_bytes = 8, .max_line_bytes = 10});
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{std::string(8, 'x'), "y"}}));
}

TEST(CsvReader, OtherColumnsAreSkippedWhenAllowed) {
  CsvLimits limits;
  limits.other_columns = true;
  auto reader = MustOpen("x,c,a,y,b\n9,3,1,8,2\n", kAbc, limits);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"1", "2", "3"}}));
  EXPECT_EQ(reader->Where(0), "in.csv line 2 column 3 (a)");
  // Rows are as wide as the header; the columns asked for must be there.
  ExpectInvalid(FirstError("x,a,b,c\n1,2,3\n", kAbc, limits),
                "in.csv line 2: expected 4 fields, found 3");
  ExpectInvalid(FirstError("x,a,b\n1,2,3\n", kAbc, limits),
                "in.csv line 1: missing column c; expected at least a, b, c");
  ExpectInvalid(FirstError("x,y\n1,2\n", kAbc, limits),
                "in.csv line 1: missing columns a, b, c; expected at least a, b, c");
  // Without the option, they are refused.
  ExpectInvalid(FirstError("x,a,b,c\n1,2,3,4\n", kAbc),
                "in.csv line 1 column 1: unknown column 'x'; expected exactly a, b, c");
}

TEST(CsvReader, RefusesWrongFieldCount) {
  ExpectInvalid(FirstError("a,b,c\n1,2,3\n1,2\n", kAbc),
                "in.csv line 3: expected 3 fields, found 2");
  ExpectInvalid(FirstError("a,b,c\n1,2,3,\n", kAbc), "in.csv line 2: expected 3 fields, found 4");
  // A line of spaces is not empty: it is one field.
  ExpectInvalid(FirstError("a,b,c\n  \n", kAbc), "in.csv line 2: expected 3 fields, found 1");
}

TEST(CsvReader, RefusesLongFieldWithoutShowingIt) {
  const std::string big = std::string(kSecret) + std::string(284, '9');  // 300 bytes
  ExpectInvalid(FirstError("a,b,c\n1,2,3\n1," + big + ",3\n", kAbc),
                "in.csv line 3 column 2 (b): field is 300 bytes; at most 256");
  // The limit counts the unescaped value, not its quotes.
  ExpectInvalid(FirstError("a,b\n\"" + std::string(kSecret) + "\"\"\",x\n", {"a", "b"},
                           {.max_field_bytes = 16}),
                "in.csv line 2 column 1 (a): field is 17 bytes; at most 16");
}

TEST(CsvReader, RefusesInvalidUtf8AndControlCharacters) {
  const std::string s(kSecret);
  ExpectInvalid(FirstError("a,b,c\n1,2," + s + "\xff\n", kAbc),
                "in.csv line 2 column 3 (c): field is not valid UTF-8");
  ExpectInvalid(FirstError("a,b,c\n1,2," + s + "\xC0\xAF\n", kAbc),  // overlong '/'
                "in.csv line 2 column 3 (c): field is not valid UTF-8");
  ExpectInvalid(FirstError("b,a,c\n" + s + std::string(1, '\0') + ",2,3\n", kAbc),
                "in.csv line 2 column 1 (b): field holds a control character (only tab is "
                "allowed)");
  ExpectInvalid(FirstError("a,b,c\n1,\"" + s + "\r\",3\n", kAbc),
                "in.csv line 2 column 2 (b): field holds a control character (only tab is "
                "allowed)");
  ExpectInvalid(FirstError("a,b,c\n1,2," + s + "\xC2\x85\n", kAbc),  // C1 NEL
                "in.csv line 2 column 3 (c): field holds a control character (only tab is "
                "allowed)");
}

TEST(CsvReader, RefusesBadQuoting) {
  const std::string s(kSecret);
  ExpectInvalid(FirstError("a,b,c\n1,\"" + s + "\n\",3\n", kAbc),
                "in.csv line 2 column 2 (b): unterminated quote: a quoted field must end on the "
                "same line (line breaks inside fields are not allowed)");
  ExpectInvalid(FirstError("a,b,c\n1,2,\"" + s, kAbc),
                "in.csv line 2 column 3 (c): unterminated quote: a quoted field must end on the "
                "same line (line breaks inside fields are not allowed)");
  ExpectInvalid(FirstError("a,b,c\n1," + s + "\"x,3\n", kAbc),
                "in.csv line 2 column 2 (b): quote inside an unquoted field; enclose the field in "
                "double quotes and write each quote in it as two");
  ExpectInvalid(FirstError("a,b,c\n\"" + s + "\" ,2,3\n", kAbc),
                "in.csv line 2 column 1 (a): text after the closing quote; a quoted field must be "
                "followed by a comma or the end of the line");
  // A fault past the expected columns has a number but no name.
  ExpectInvalid(FirstError("a,b,c\n1,2,3,x\"\n", kAbc),
                "in.csv line 2 column 4: quote inside an unquoted field; enclose the field in "
                "double quotes and write each quote in it as two");
}

TEST(CsvReader, RefusesLongLine) {
  const CsvLimits limits = {.max_field_bytes = 256, .max_line_bytes = 20};
  ExpectInvalid(FirstError("a,b\n1,2\n" + std::string(kSecret) + ",12345\n", {"a", "b"}, limits),
                "in.csv line 3: line is longer than 20 bytes");
  ExpectInvalid(FirstError("a,b\n1,2\n" + std::string(kSecret) + ",12345", {"a", "b"}, limits),
                "in.csv line 3: line is longer than 20 bytes");
}

TEST(CsvReader, StaysFailedAfterAnError) {
  auto reader = MustOpen("a,b,c\n1,2\n1,2,3\n", kAbc);
  ASSERT_NE(reader, nullptr);
  std::vector<std::string_view> fields;
  for (int i = 0; i < 2; ++i) {
    auto more = reader->Next(fields);
    ASSERT_FALSE(more.ok());
    EXPECT_EQ(more.status().message(), "in.csv line 2: expected 3 fields, found 2");
  }
}

TEST(CsvReader, RefusesEmptyFile) {
  ExpectInvalid(FirstError("", kAbc),
                "in.csv: the file is empty; expected a header row with a, b, c");
  ExpectInvalid(FirstError("\xEF\xBB\xBF\n\r\n\n", kAbc),
                "in.csv: the file is empty; expected a header row with a, b, c");
}

TEST(CsvReader, RefusesHeaderWithMissingUnknownOrRepeatedColumns) {
  ExpectInvalid(FirstError("a,c\n1,3\n", kAbc),
                "in.csv line 1: missing column b; expected exactly a, b, c");
  ExpectInvalid(FirstError("c\n3\n", kAbc),
                "in.csv line 1: missing columns a, b; expected exactly a, b, c");
  ExpectInvalid(FirstError("a,b,amount,c\n", kAbc),
                "in.csv line 1 column 3: unknown column 'amount'; expected exactly a, b, c");
  ExpectInvalid(FirstError("a,b,b,c\n", kAbc),
                "in.csv line 1 column 3: column 'b' is repeated (also column 2)");
  ExpectInvalid(FirstError("\n\nb,a,c,\n", kAbc),
                "in.csv line 3 column 4: unknown column; expected exactly a, b, c");
}

TEST(CsvReader, DoesNotEchoADataRowTakenForTheHeader) {
  ExpectInvalid(FirstError(std::string(kSecret) + ",Siti,2\n", kAbc),
                "in.csv line 1: the first line is not the header (none of its 3 fields is a "
                "column name); expected a header row with a, b, c");
}

TEST(CsvReader, RefusesBadArguments) {
  EXPECT_EQ(FirstError("a\n", {}).message(), "CSV reader: no columns were asked for");
  EXPECT_EQ(FirstError("a\n", {"a", "a"}).message(), "CSV reader: column 'a' asked for twice");
  EXPECT_EQ(FirstError("a\n", {"a"}, {.max_field_bytes = 0}).code(), StatusCode::kInvalidArgument);
}

TEST(CsvReader, OpenReportsAMissingFile) {
  auto reader = CsvReader::Open("/nonexistent/jejak/in.csv", kAbc);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(reader.status().message(), HasSubstr("cannot open /nonexistent/jejak/in.csv"));
}

class CsvFileTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempFolder("csv"); }
  void TearDown() override { testing::RemoveFolder(dir_); }
  std::string Write(std::string_view data) {
    const std::string path = dir_ + "/in.csv";
    EXPECT_TRUE(testing::WriteBinary(path, data));
    return path;
  }
  std::string dir_;
};

// 200,000 rows (about 7 MB) cross many 1 MiB buffer refills, some in the
// middle of a quoted field with escapes.
TEST_F(CsvFileTest, StreamsALargeFile) {
  constexpr uint64_t kRows = 200'000;
  std::string data =
      "\xEF\xBB\xBF"
      "note,amount,id\r\n";
  for (uint64_t i = 0; i < kRows; ++i) {
    if (i % 1000 == 0) data += "\r\n";  // an empty line now and then
    data += "\"say \"\"" + std::to_string(i) + "\"\", ok\"," + std::to_string(i * 7) + ",kpm-" +
            std::to_string(i) + "\r\n";
  }
  auto reader = CsvReader::Open(Write(data), {"id", "amount", "note"});
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  std::vector<std::string_view> fields;
  uint64_t rows = 0;
  for (;;) {
    auto more = (*reader)->Next(fields);
    ASSERT_TRUE(more.ok()) << more.status().message();
    if (!*more) break;
    const std::string n = std::to_string(rows);
    ASSERT_EQ(fields[0], "kpm-" + n);
    ASSERT_EQ(fields[1], std::to_string(rows * 7));
    ASSERT_EQ(fields[2], "say \"" + n + "\", ok");
    ++rows;
    ASSERT_EQ((*reader)->line(), 1 + rows + (rows + 999) / 1000);
  }
  EXPECT_EQ(rows, kRows);
}

TEST_F(CsvFileTest, RefusesALineLongerThanTheBuffer) {
  const std::string path = Write("a,b\n1,2\n" + std::string(3 << 20, 'x') + ",2\n");
  auto reader = CsvReader::Open(path, {"a", "b"});
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  std::vector<std::string_view> fields;
  ASSERT_TRUE((*reader)->Next(fields).ok());
  auto more = (*reader)->Next(fields);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().message(), path + " line 3: line is longer than 65536 bytes");
}

TEST_F(CsvFileTest, ReadsAFileWithoutFinalNewline) {
  auto reader = CsvReader::Open(Write("b,a\n2,1\n20,10"), {"a", "b"});
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ(ReadAll(**reader), (Rows{{"1", "2"}, {"10", "20"}}));
}

}  // namespace
}  // namespace jejak

namespace jejak {
namespace {

TEST(CsvCell, QuotesAndNeutralizesFormulas) {
  EXPECT_EQ(CsvCell("plain"), "plain");
  EXPECT_EQ(CsvCell(""), "");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("+1"), "'+1");
  EXPECT_EQ(CsvCell("-1"), "'-1");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
  EXPECT_EQ(CsvCell("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvCell("a=b"), "a=b");
}

}  // namespace
}  // namespace jejak
