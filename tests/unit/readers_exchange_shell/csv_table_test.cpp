// The strict RFC 4180 reader against hand-made inputs whose fields are plain to see.
#include "readers/exchange-shell/csv_table.h"

#include <gtest/gtest.h>

namespace m2z::readers::exchange_shell {
namespace {

TEST(CsvTable, TypeLineQuotesAndEmbeddedLineBreaks) {
  // RFC 4180 2.6/2.7: a quoted field may hold CRLF and a quote written as two quotes.
  auto table = parseCsv("#TYPE Some.Type\r\n\"a\",\"b\",c\r\n\"x,1\",\"say \"\"hi\"\"\r\nthere\",\r\n\"\",\"\",z\r\n", "t.csv");
  ASSERT_TRUE(table.ok()) << table.error().describe();
  EXPECT_EQ(table->type_name, "Some.Type");
  EXPECT_EQ(table->header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0], (std::vector<std::string>{"x,1", "say \"hi\"\r\nthere", ""}));
  EXPECT_EQ(table->rows[1], (std::vector<std::string>{"", "", "z"}));
  EXPECT_EQ(table->row_lines, (std::vector<int>{3, 5}));  // the second row starts after the embedded break
}

TEST(CsvTable, NoTypeLineAndLfEndings) {
  auto table = parseCsv("Name,Enabled\nA,True\nB,False", "t.csv");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->type_name, "");
  EXPECT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[1][1], "False");
}

TEST(CsvTable, MalformedInputNamesTheLine) {
  auto unclosed = parseCsv("a,b\n\"x,y\n", "bad.csv");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.error().code, "shell.csv_malformed");
  EXPECT_EQ(unclosed.error().context, "bad.csv");
  EXPECT_NE(unclosed.error().message.find("line 2"), std::string::npos);
  auto stray = parseCsv("a,b\n\"x\"y,z\n", "bad.csv");
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.error().message.find("closing quote"), std::string::npos);
  auto count = parseCsv("a,b\n1,2,3\n", "bad.csv");
  ASSERT_FALSE(count.ok());
  EXPECT_NE(count.error().message.find("expected 2 fields"), std::string::npos);
  auto quote = parseCsv("a,b\n1,x\"y\n", "bad.csv");
  EXPECT_FALSE(quote.ok());
  EXPECT_FALSE(parseCsv("", "empty.csv").ok());
}

TEST(CsvTable, LimitsHold) {
  CsvLimits limits;
  limits.max_rows = 2;
  limits.max_field_bytes = 8;
  EXPECT_EQ(parseCsv("a\n1\n2\n3\n", "t", limits).error().code, "shell.csv_too_large");
  EXPECT_FALSE(parseCsv("a\n\"123456789\"\n", "t", limits).ok());
  EXPECT_FALSE(parseCsv("a\n123456789\n", "t", limits).ok());
}

}  // namespace
}  // namespace m2z::readers::exchange_shell
