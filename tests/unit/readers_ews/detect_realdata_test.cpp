// Format detection on one file of each kind from ../shared/testdata: the kind is what the
// MANIFEST says the file is; the .txt holding iCalendar shows the name is not what counts.
#include <gtest/gtest.h>

#include <string>

#include "readers/detect/detect_format.h"

namespace m2z::readers::detect {
namespace {

std::string shared(const std::string& name) { return std::string(M2Z_SHARED_DIR) + "/testdata/" + name; }

Format formatOf(const std::string& name) {
  auto result = detectFormat(shared(name));
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  return result.ok() ? result->format : Format::kCsv;
}

TEST(DetectFormatRealData, OneOfEachKind) {
  EXPECT_EQ(formatOf("pst/aspose-net__Outlook.pst"), Format::kPst);
  EXPECT_EQ(formatOf("pst/aspose-net__SampleOstFile.ost"), Format::kOst);
  EXPECT_EQ(formatOf("msg/aspose-net__Contact.msg"), Format::kMsg);
  EXPECT_EQ(formatOf("vcf/aspose-net__Contact.vcf"), Format::kVCard);
  EXPECT_EQ(formatOf("ics/ical4j__outlook2.txt"), Format::kICalendar);
  EXPECT_EQ(formatOf("ics/recurring-ical-events__Germany.ics"), Format::kICalendar);
  EXPECT_EQ(formatOf("ews/viewpoint__dodgy_ews_response.xml"), Format::kEwsXml);
  EXPECT_EQ(formatOf("ews/msdocs-examples/getuseroofsettings-operation.1.GetUserOofSettingsResponse.xml"),
            Format::kEwsXml);
}

}  // namespace
}  // namespace m2z::readers::detect
