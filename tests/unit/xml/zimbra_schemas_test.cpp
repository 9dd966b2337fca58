// The real Zimbra schemas (../shared/zimbra-schemas) load with their imports resolved locally,
// in any order, and judge documents the way the schema text says.
#include <gtest/gtest.h>

#include <string>

#include "xml/xml.h"

namespace m2z::xml {
namespace {

std::string schemaDir(const std::string& build) { return std::string(M2Z_SHARED_DIR) + "/zimbra-schemas/" + build; }

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

class ZimbraSchemas : public ::testing::TestWithParam<std::string> {};

TEST_P(ZimbraSchemas, LoadInEitherOrderAndValidate) {
  const std::string dir = schemaDir(GetParam());
  // zimbraAdmin.xsd imports zimbraMail.xsd, which imports zimbra.xsd: naming the admin schema
  // first loads the other two through imports before they are named themselves.
  for (const auto& files : {std::vector<std::string>{dir + "/zimbraAdmin.xsd", dir + "/zimbraMail.xsd", dir + "/zimbra.xsd"},
                            std::vector<std::string>{dir + "/zimbra.xsd", dir + "/zimbraMail.xsd", dir + "/zimbraAdmin.xsd"},
                            std::vector<std::string>{dir + "/zimbraMail.xsd"}}) {
    auto validator = SchemaValidator::load(files);
    ASSERT_TRUE(validator.ok()) << validator.error().describe();
    // zimbraMail.xsd: getAppointmentRequest has optional attributes sync, includeContent, uid, id.
    const std::string by_uid = "<GetAppointmentRequest xmlns=\"urn:zimbraMail\" uid=\"abc\"/>";
    EXPECT_TRUE((*validator)->validate(by_uid, "by-uid").empty()) << joined((*validator)->validate(by_uid, "by-uid"));
    // No attribute "bugid" is declared (the QA harness sends one; the schema does not know it).
    EXPECT_FALSE((*validator)->validate("<GetAppointmentRequest xmlns=\"urn:zimbraMail\" bugid=\"1\"/>", "bugid").empty());
    // newFolderSpec/@name is use="required".
    EXPECT_FALSE((*validator)->validate("<CreateFolderRequest xmlns=\"urn:zimbraMail\"><folder l=\"1\"/></CreateFolderRequest>",
                                        "no-name")
                     .empty());
    EXPECT_TRUE((*validator)->validate("<CreateFolderRequest xmlns=\"urn:zimbraMail\"><folder name=\"Cal\" l=\"1\" "
                                       "view=\"appointment\" fie=\"1\"/></CreateFolderRequest>",
                                       "folder")
                    .empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Builds, ZimbraSchemas, ::testing::Values("zcs8-2014a", "zcs8-2014b", "carbonio-2023"));

TEST(ZimbraAdminSchema, AuthRequestTakesNameAndPasswordAsAttributes) {
  const std::string dir = schemaDir("zcs8-2014a");
  auto validator = SchemaValidator::load({dir + "/zimbraAdmin.xsd"});
  ASSERT_TRUE(validator.ok()) << validator.error().describe();
  // zimbraAdmin.xsd authRequest: attributes name, password; child elements only authToken,
  // account, virtualHost (xs:all). The docs' <name>/<password> children do not validate.
  EXPECT_TRUE((*validator)->validate("<AuthRequest xmlns=\"urn:zimbraAdmin\" name=\"admin\" password=\"x\"/>", "attrs").empty());
  EXPECT_FALSE((*validator)
                   ->validate("<AuthRequest xmlns=\"urn:zimbraAdmin\"><name>admin</name><password>x</password></AuthRequest>",
                              "children")
                   .empty());
}

}  // namespace
}  // namespace m2z::xml
