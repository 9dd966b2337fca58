// Issue 8: the same contact read from two containers gives the same model fields.
// ruby-msg__Swetlana Novikova.vcf was written by ruby-msg from the .msg of the same name
// (MANIFEST.md section 4), so the fields both hold must agree: N (surname;given), FN, ORG and
// EMAIL against PidTagSurname/GivenName/DisplayName/CompanyName and PidLidEmail1EmailAddress.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "../readers/recording_groupware_sink.h"
#include "readers/msg/msg_reader.h"
#include "readers/vcf/vcf_reader.h"

namespace m2z::readers {
namespace {

namespace fs = std::filesystem;
const fs::path kShared = fs::path(M2Z_SHARED_DIR) / "testdata";

TEST(CrossReader, SwetlanaNovikovaFromMsgAndVcard) {
  testing::RecordingGroupwareSink from_msg;
  auto msg_summary = msg::readMsgFile((kShared / "msg" / "ruby-msg__Swetlana Novikova.msg").string(), from_msg);
  ASSERT_TRUE(msg_summary) << msg_summary.error().describe();
  testing::RecordingGroupwareSink from_vcf;
  auto vcf_summary = vcf::readVcardFile((kShared / "vcf" / "ruby-msg__Swetlana Novikova.vcf").string(), from_vcf);
  ASSERT_TRUE(vcf_summary) << vcf_summary.error().describe();
  ASSERT_EQ(from_msg.contacts.size(), 1u);
  ASSERT_EQ(from_vcf.contacts.size(), 1u);
  const auto& a = from_msg.contacts[0];
  const auto& b = from_vcf.contacts[0];
  EXPECT_EQ(a.display_name, "Swetlana Novikova");
  EXPECT_EQ(a.display_name, b.display_name);
  EXPECT_EQ(a.given_name, b.given_name);
  EXPECT_EQ(a.surname, b.surname);
  EXPECT_EQ(a.company, b.company);
  ASSERT_EQ(a.emails.size(), 1u);
  ASSERT_EQ(b.emails.size(), 1u);
  EXPECT_EQ(a.emails[0].address, b.emails[0].address);
}

// The Unicode and ANSI saves of one contact give the same contact (container encodings differ,
// the mapping is one).
TEST(CrossReader, AnsiAndUnicodeMsgOfOneContactAgree) {
  testing::RecordingGroupwareSink ansi;
  testing::RecordingGroupwareSink unicode;
  ASSERT_TRUE(msg::readMsgFile((kShared / "msg" / "msgreader__contactAnsi.msg").string(), ansi));
  ASSERT_TRUE(msg::readMsgFile((kShared / "msg" / "msgreader__contactUnicode.msg").string(), unicode));
  ASSERT_EQ(ansi.contacts.size(), 1u);
  ASSERT_EQ(unicode.contacts.size(), 1u);
  auto a = ansi.contacts[0];
  auto b = unicode.contacts[0];
  EXPECT_EQ(a.message_class, b.message_class);
  EXPECT_EQ(a.display_name, b.display_name);
  EXPECT_EQ(a.given_name, b.given_name);
  EXPECT_EQ(a.surname, b.surname);
  EXPECT_EQ(a.file_as, b.file_as);
  EXPECT_EQ(a.company, b.company);
  EXPECT_EQ(a.emails, b.emails);
  EXPECT_EQ(a.phones, b.phones);
  EXPECT_EQ(a.addresses, b.addresses);
}

}  // namespace
}  // namespace m2z::readers
