// CsvReader on the tricky files spreadsheets save (tests/data) and on
// hand-made edge cases.
#include "highseas/csv/csv_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace highseas::csv {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct ReadAll {
  Rows rows;
  std::vector<std::size_t> lines;
  std::vector<CsvRecord> flagged;
  CsvEncoding encoding = CsvEncoding::automatic;
};

ReadAll read_all(std::istream& in, CsvReaderOptions options = {}) {
  CsvReader reader(in, options);
  ReadAll out;
  CsvRecord record;
  while (reader.next(record)) {
    if (record.problem) {
      out.flagged.push_back(record);
      continue;
    }
    out.rows.push_back(record.fields);
    out.lines.push_back(record.line);
  }
  out.encoding = reader.encoding();
  return out;
}

ReadAll read_text(const std::string& text, CsvReaderOptions options = {}) {
  std::istringstream in(text);
  return read_all(in, options);
}

ReadAll read_file(const std::string& name, CsvReaderOptions options = {}) {
  std::ifstream in(std::string(HIGHSEAS_TEST_DATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return read_all(in, options);
}

TEST(CsvReaderTest, BomAndCrlfAreStrippedAndQuotedNewlinesKept) {
  const ReadAll out = read_file("customers_bom_crlf.csv");
  EXPECT_EQ(out.encoding, CsvEncoding::utf8);
  ASSERT_TRUE(out.flagged.empty());
  ASSERT_EQ(out.rows.size(), 4U);
  EXPECT_EQ(out.rows[0][0], "编号");  // no BOM left on the first header
  EXPECT_EQ(out.rows[1][1], "Acme, Inc.");
  EXPECT_EQ(out.rows[2][1], "The \"Best\" Traders");
  EXPECT_EQ(out.rows[3][1], "Line one\r\nline two Ltd");
  EXPECT_EQ(out.rows[3][4], "a|b");
  EXPECT_EQ(out.lines, (std::vector<std::size_t>{1, 2, 3, 4}));
}

TEST(CsvReaderTest, GbkIsDetectedAndConvertedToUtf8) {
  const ReadAll out = read_file("customers_gbk.csv");
  EXPECT_EQ(out.encoding, CsvEncoding::gb18030);
  ASSERT_TRUE(out.flagged.empty());
  ASSERT_EQ(out.rows.size(), 4U);
  EXPECT_EQ(out.rows[0][1], "客户名称");
  EXPECT_EQ(out.rows[1][1], "上海进出口贸易有限公司");
  EXPECT_EQ(out.rows[3][1], "東京商事");
}

TEST(CsvReaderTest, GbkReadAsUtf8IsReportedRowByRow) {
  const ReadAll out = read_file("customers_gbk.csv", {.encoding = CsvEncoding::utf8});
  EXPECT_EQ(out.encoding, CsvEncoding::utf8);
  ASSERT_EQ(out.flagged.size(), 4U);
  EXPECT_EQ(out.flagged[1].problem->reason, "not valid UTF-8");
  EXPECT_EQ(out.flagged[1].problem->column, 1U);
}

TEST(CsvReaderTest, BlankLinesSkippedAndLineNumbersCountEmbeddedNewlines) {
  const ReadAll out = read_file("customers_tricky.csv");
  ASSERT_TRUE(out.flagged.empty());
  ASSERT_EQ(out.rows.size(), 4U);
  EXPECT_EQ(out.rows[1][1], "Multi\nline\nname");
  // header 1, blank 2, T001 3..5, blank 6-7, T002 8, T003 9 (no final newline)
  EXPECT_EQ(out.lines, (std::vector<std::size_t>{1, 3, 8, 9}));
  EXPECT_EQ(out.rows[3][1], "Quote \"inside\"");
  EXPECT_EQ(out.rows[3][5], "789");  // the truncated last line is still a record
}

TEST(CsvReaderTest, UnclosedQuoteAtEndIsFlaggedNotDropped) {
  const ReadAll out = read_text("a,b\n1,\"open\n2,x\n");
  ASSERT_EQ(out.rows.size(), 1U);
  ASSERT_EQ(out.flagged.size(), 1U);
  EXPECT_EQ(out.flagged[0].line, 2U);
  EXPECT_EQ(out.flagged[0].problem->column, 1U);
  EXPECT_NE(out.flagged[0].problem->reason.find("not closed"), std::string::npos);
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsFlagged) {
  const ReadAll out = read_text("\"ab\"cd,e\n");
  ASSERT_EQ(out.flagged.size(), 1U);
  EXPECT_EQ(out.flagged[0].problem->reason, "text after a closing quote");
}

TEST(CsvReaderTest, EmptyFieldsAndLoneCrLineEnds) {
  const ReadAll out = read_text("a,,c\r1,\"\",\rx");
  ASSERT_EQ(out.rows.size(), 3U);
  EXPECT_EQ(out.rows[0], (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ(out.rows[1], (std::vector<std::string>{"1", "", ""}));
  EXPECT_EQ(out.rows[2], (std::vector<std::string>{"x"}));
}

TEST(CsvReaderTest, OverLongFieldAndTooManyColumnsAreBoundedAndFlagged) {
  const std::string long_field(100, 'x');
  const ReadAll out = read_text("a,b\n" + long_field + ",1\n1,2,3,4\nok,fine\n",
                                {.max_field_bytes = 10, .max_columns = 3});
  ASSERT_EQ(out.flagged.size(), 2U);
  EXPECT_EQ(out.flagged[0].fields[0].size(), 10U);
  EXPECT_NE(out.flagged[0].problem->reason.find("longer than 10"), std::string::npos);
  EXPECT_EQ(out.flagged[1].fields.size(), 3U);
  EXPECT_EQ(out.flagged[1].problem->column, 3U);
  ASSERT_EQ(out.rows.size(), 2U);
  EXPECT_EQ(out.rows[1][1], "fine");
}

TEST(CsvReaderTest, BytesReadReachesTheInputSizeAcrossChunks) {
  std::string text = "id,name\n";
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + ",客户" + std::to_string(i) + "\n";
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord record;
  std::size_t rows = 0;
  while (reader.next(record)) {
    ASSERT_FALSE(record.problem) << record.line;
    ++rows;
  }
  EXPECT_EQ(rows, 20001U);
  EXPECT_EQ(reader.bytes_read(), text.size());
  EXPECT_EQ(reader.encoding(), CsvEncoding::utf8);
}

TEST(CsvReaderTest, EncodingNamesRoundTrip) {
  EXPECT_EQ(encoding_from_string("GBK"), CsvEncoding::gb18030);
  EXPECT_EQ(encoding_from_string("utf8"), CsvEncoding::utf8);
  EXPECT_EQ(encoding_from_string(to_string(CsvEncoding::automatic)), CsvEncoding::automatic);
  EXPECT_FALSE(encoding_from_string("latin1"));
}

}  // namespace
}  // namespace highseas::csv
