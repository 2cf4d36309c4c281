#include "refdata/csv.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace icts::refdata {
namespace {

std::vector<CsvRecord> ReadAll(std::string_view text, char sep, Status* status) {
  CsvReader r(text, "t.csv", sep);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  while (r.Next(&rec)) out.push_back(rec);
  *status = r.status();
  return out;
}

TEST(CsvReader, QuotedFieldsSeparatorsAndLineBreaks) {
  Status s;
  auto recs = ReadAll("a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,\"two\nlines\",3\n\n4,,\n", ',', &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"1", "two\nlines", "3"}));
  EXPECT_EQ(recs[0].line, 1u);
  EXPECT_EQ(recs[1].line, 2u);
  EXPECT_EQ(recs[2].line, 5u);  // After the embedded line break and a blank line.
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"4", "", ""}));
}

TEST(CsvReader, TabSeparatedAndOfacSpacing) {
  Status s;
  auto recs = ReadAll("\"x\"\t\"y z\"\n", '\t', &s);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields[1], "y z");
  // OFAC writes a space after some closing quotes and "-0- " nulls.
  recs = ReadAll("36,\"AEROCARIBBEAN AIRLINES\" ,-0- ,\"CUBA\"\n", ',', &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"36", "AEROCARIBBEAN AIRLINES", "-0- ", "CUBA"}));
}

TEST(CsvReader, LiteralQuoteInsideUnquotedField) {
  Status s;
  auto recs = ReadAll("a,5\" GUN,b\n", ',', &s);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(recs[0].fields[1], "5\" GUN");
}

TEST(CsvReader, UnclosedQuoteIsCorruption) {
  Status s;
  auto recs = ReadAll("a,b\nc,\"never closed,d\ne,f\n", ',', &s);
  EXPECT_EQ(recs.size(), 1u);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_EQ(s.message().rfind("t.csv:2:3:", 0), 0u) << s.message();
}

TEST(CsvReader, RecordCutOffOnItsLastLineIsReportedNotFatal) {
  CsvReader r("a,b\nc,\"cut off her", "t.csv", ',');
  CsvRecord rec;
  ASSERT_TRUE(r.Next(&rec));
  EXPECT_FALSE(r.Next(&rec));
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(r.truncated_line(), 2u);
  // An open quote that swallows line breaks is corruption instead.
  CsvReader r2("a,b\nc,\"open\nd,e\n", "t.csv", ',');
  ASSERT_TRUE(r2.Next(&rec));
  EXPECT_FALSE(r2.Next(&rec));
  EXPECT_EQ(r2.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(r2.truncated_line(), 0u);
}

TEST(CsvReader, JunkAfterClosingQuoteIsCorruption) {
  Status s;
  ReadAll("a,\"b\"x,c\n", ',', &s);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_EQ(s.message().rfind("t.csv:1:6:", 0), 0u) << s.message();
}

TEST(CsvReader, NoTrailingNewline) {
  Status s;
  auto recs = ReadAll("a,b", ',', &s);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields.size(), 2u);
  recs = ReadAll("", ',', &s);
  EXPECT_TRUE(recs.empty());
  EXPECT_TRUE(s.ok());
}

}  // namespace
}  // namespace icts::refdata
