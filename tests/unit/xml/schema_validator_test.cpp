// SchemaValidator on the small schemas in testdata/xml/schemas (order.xsd imports common.xsd).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <cstdint>
#include <string>

#include <unistd.h>

#include "local_listener.h"
#include "xml/xml.h"

namespace m2z::xml {
namespace {

namespace fs = std::filesystem;

const std::string kSchemas = std::string(M2Z_SOURCE_DIR) + "/testdata/xml/schemas";

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

// A scratch folder for schemas that must contain a live port number.
class ScratchDir {
 public:
  ScratchDir() {
    path_ = fs::temp_directory_path() / ("m2z-xsd-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(SchemaValidator, ResolvesTheImportFromTheSameFolder) {
  // Only order.xsd is named; common.xsd comes in through its xs:import.
  auto validator = SchemaValidator::load({kSchemas + "/order.xsd"});
  ASSERT_TRUE(validator.ok()) << validator.error().describe();
  const std::string valid =
      "<order xmlns=\"urn:m2z:test:order\" id=\"7\"><customer>Ann</customer>"
      "<item sku=\"a\" count=\"2\"/><item sku=\"b\"/></order>";
  EXPECT_TRUE((*validator)->validate(valid, "valid").empty()) << joined((*validator)->validate(valid, "valid"));
}

TEST(SchemaValidator, ReportsEveryProblemWithLineAndColumn) {
  auto validator = SchemaValidator::load({kSchemas + "/order.xsd", kSchemas + "/common.xsd"});
  ASSERT_TRUE(validator.ok()) << validator.error().describe();
  // Line 1: the required id is missing. Line 3: count is not an xs:int and "colour" is not
  // declared. Item before customer breaks the sequence (customer, item+); Xerces judges a content
  // model when the element ends, so that one is reported at </order> on line 3 too.
  const std::string invalid =
      "<order xmlns=\"urn:m2z:test:order\">\n"
      "<item sku=\"a\"/><customer>Ann</customer>\n"
      "<item sku=\"b\" count=\"many\" colour=\"red\"/></order>";
  const auto problems = (*validator)->validate(invalid, "invalid");
  ASSERT_EQ(problems.size(), 4u) << joined(problems);
  EXPECT_EQ(problems[0].rfind("1:", 0), 0u) << problems[0];
  EXPECT_NE(problems[0].find("'id'"), std::string::npos) << problems[0];
  EXPECT_EQ(problems[1].rfind("3:", 0), 0u) << problems[1];
  EXPECT_NE(problems[1].find("'many'"), std::string::npos) << problems[1];
  EXPECT_NE(problems[2].find("'colour'"), std::string::npos) << problems[2];
  EXPECT_NE(problems[3].find("(customer,item+)"), std::string::npos) << problems[3];
}

TEST(SchemaValidator, LoadOnceValidateMany) {
  auto validator = SchemaValidator::load({kSchemas + "/order.xsd"});
  ASSERT_TRUE(validator.ok());
  const std::string valid = "<order xmlns=\"urn:m2z:test:order\" id=\"1\"><customer/><item sku=\"x\"/></order>";
  const std::string invalid = "<order xmlns=\"urn:m2z:test:order\"><customer/></order>";
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE((*validator)->validate(valid, "valid").empty());
    EXPECT_FALSE((*validator)->validate(invalid, "invalid").empty());
  }
}

TEST(SchemaValidator, UnknownRootAndMalformedDocumentsAreProblems) {
  auto validator = SchemaValidator::load({kSchemas + "/order.xsd"});
  ASSERT_TRUE(validator.ok());
  EXPECT_FALSE((*validator)->validate("<other xmlns=\"urn:nobody\"/>", "unknown").empty());
  const auto broken = (*validator)->validate("<order xmlns=\"urn:m2z:test:order\" id=\"1\">", "broken");
  ASSERT_FALSE(broken.empty());
  EXPECT_NE(broken.front().find(':'), std::string::npos);
  EXPECT_FALSE((*validator)->validate("<!DOCTYPE order><order/>", "doctype").empty());
}

TEST(SchemaValidator, DocumentsCannotPullInSchemasOrEntities) {
  testing::LocalListener listener;
  ASSERT_TRUE(listener.ok());
  auto validator = SchemaValidator::load({kSchemas + "/order.xsd"});
  ASSERT_TRUE(validator.ok());
  const std::string hinted = "<order xmlns=\"urn:m2z:test:order\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                             "xsi:schemaLocation=\"urn:other " + listener.url("/other.xsd") + "\" id=\"1\">"
                             "<customer/><item sku=\"x\"/></order>";
  EXPECT_TRUE((*validator)->validate(hinted, "hinted").empty()) << joined((*validator)->validate(hinted, "hinted"));
  EXPECT_FALSE((*validator)->validate("<!DOCTYPE order SYSTEM \"" + listener.url("/x.dtd") + "\"><order/>", "dtd").empty());
  EXPECT_EQ(listener.acceptedConnections(), 0);
}

TEST(SchemaValidator, RefusesRemoteImportsWithoutConnecting) {
  testing::LocalListener listener;
  ASSERT_TRUE(listener.ok());
  ScratchDir scratch;
  const std::string remote = scratch.write(
      "remote.xsd",
      "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:r\">"
      "<xs:import namespace=\"urn:m2z:test:common\" schemaLocation=\"" + listener.url("/common.xsd") + "\"/>"
      "</xs:schema>");
  auto validator = SchemaValidator::load({remote});
  ASSERT_FALSE(validator.ok());
  EXPECT_EQ(validator.error().code, "xml.schema");
  EXPECT_NE(validator.error().message.find("refused"), std::string::npos) << validator.error().message;
  EXPECT_EQ(listener.acceptedConnections(), 0);
}

TEST(SchemaValidator, RefusesIncludesOutsideTheGivenFolders) {
  ScratchDir scratch;
  // The include climbs out of the scratch folder to a schema that does exist.
  const fs::path relative_common = fs::relative(fs::path(kSchemas) / "common.xsd", scratch.path());
  const std::string escaping = scratch.write(
      "escaping.xsd",
      "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:m2z:test:common\">"
      "<xs:include schemaLocation=\"" + relative_common.string() + "\"/></xs:schema>");
  auto validator = SchemaValidator::load({escaping});
  ASSERT_FALSE(validator.ok());
  EXPECT_NE(validator.error().message.find("refused"), std::string::npos) << validator.error().message;
}

TEST(SchemaValidator, MissingOrBrokenSchemaFilesAreErrors) {
  auto missing = SchemaValidator::load({kSchemas + "/no-such.xsd"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "xml.schema");
  EXPECT_NE(missing.error().context.find("no-such.xsd"), std::string::npos);

  EXPECT_FALSE(SchemaValidator::load({}).ok());

  ScratchDir scratch;
  const std::string broken = scratch.write("broken.xsd", "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">");
  EXPECT_FALSE(SchemaValidator::load({broken}).ok());
}

}  // namespace
}  // namespace m2z::xml
