#include "readers/detect/detect_format.h"

#include <gtest/gtest.h>

#include <string>

namespace m2z::readers::detect {
namespace {

Format formatOf(std::string_view head) {
  auto result = detectFormatOfContent(head, "test");
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  return result.ok() ? result->format : Format::kPst;
}

TEST(DetectFormat, ByMagic) {
  // [MS-PST] 2.2.2.6: "!BDN", 4 bytes CRC, then "SM" (PST) or "SO" (OST).
  EXPECT_EQ(formatOf(std::string("!BDN\x01\x02\x03\x04SM\x17\x00", 12)), Format::kPst);
  EXPECT_EQ(formatOf(std::string("!BDN\x01\x02\x03\x04SO\x17\x00", 12)), Format::kOst);
  EXPECT_EQ(formatOf(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", 10)), Format::kMsg);
  EXPECT_EQ(formatOf("\xEF\xBB\xBF\r\nBEGIN:VCALENDAR\r\n"), Format::kICalendar);
  EXPECT_EQ(formatOf("begin:vcard\nVERSION:3.0\n"), Format::kVCard);
  EXPECT_EQ(formatOf(std::string("\xFF\xFE" "B\0E\0G\0I\0N\0:\0V\0C\0A\0R\0D\0", 24)), Format::kVCard);
  EXPECT_EQ(formatOf("<?xml version=\"1.0\"?>\n<!-- x --><Objs Version=\"1.1.0.1\" "
                     "xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"),
            Format::kCliXml);
  EXPECT_EQ(formatOf("\"Subject\",\"Start Date\",\"Start Time\",\"End Date\"\r\n\"a\",\"1/1/2024\""), Format::kCsv);
  EXPECT_EQ(formatOf("First Name;Last Name;E-mail Address\n"), Format::kCsv);
}

TEST(DetectFormat, ErrorsSayWhatWasExpectedAndFound) {
  auto xml = detectFormatOfContent("<?xml version=\"1.0\"?><rss version=\"2.0\">", "feed.xml");
  ASSERT_FALSE(xml.ok());
  EXPECT_EQ(xml.error().context, "feed.xml");
  EXPECT_NE(xml.error().message.find("EWS"), std::string::npos);
  EXPECT_NE(xml.error().message.find("<rss"), std::string::npos);
  auto binary = detectFormatOfContent(std::string("\x7F" "ELF\x02\x01", 6), "a.out");
  ASSERT_FALSE(binary.ok());
  EXPECT_NE(binary.error().message.find("\\x7FELF"), std::string::npos);
  EXPECT_NE(binary.error().message.find("expected a PST/OST file"), std::string::npos);
  auto empty = detectFormatOfContent("", "empty.pst");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("an empty file"), std::string::npos);
  auto missing = detectFormat("/nonexistent/x.pst");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().context, "/nonexistent/x.pst");
}

TEST(DetectFormat, PowerShellCsvExports) {
  // Export-Csv writes "#TYPE <.NET type>" first unless run with -NoTypeInformation.
  auto typed = detectFormatOfContent("#TYPE Deserialized.Microsoft.Exchange.Management.Common.InboxRule\r\n\"Name\"\r\n",
                                     "rules.csv");
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->format, Format::kCsv);
  EXPECT_EQ(typed->detail, "PowerShell Export-Csv (Deserialized.Microsoft.Exchange.Management.Common.InboxRule)");
  auto untyped = detectFormatOfContent("\"AutoReplyState\",\"EndTime\"\r\n\"Disabled\",\"\"\r\n", "oof.csv");
  ASSERT_TRUE(untyped.ok());
  EXPECT_EQ(untyped->detail, "PowerShell Export-Csv");
}

}  // namespace
}  // namespace m2z::readers::detect
