// File attachments from attachment rows (pure mapping). Expected MIME types are the IANA
// registrations for the extensions; the rows are built by hand.
#include "readers/mapi/attachment_mapper.h"

#include <gtest/gtest.h>

#include "readers/mapi/property_ids.h"

namespace m2z::readers::mapi {
namespace {

PropertyBag fileRow(std::string name, Binary data) {
  PropertyBag row;
  row.set(kPidTagAttachMethod.id, PropertyType::kInteger32, std::int32_t{kAfByValue});
  row.set(kPidTagAttachLongFilename.id, PropertyType::kUnicode, std::move(name));
  row.set(kPidTagAttachDataBinary.id, PropertyType::kBinary, std::move(data));
  return row;
}

TEST(MimeTypeForNameTest, ExtensionsCaseInsensitive) {
  EXPECT_EQ(mimeTypeForName("Invitation.pdf"), "application/pdf");
  EXPECT_EQ(mimeTypeForName("AGENDA.DOCX"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(mimeTypeForName("photo.JPeG"), "image/jpeg");
  EXPECT_EQ(mimeTypeForName("noextension"), "application/octet-stream");
  EXPECT_EQ(mimeTypeForName("trailingdot."), "application/octet-stream");
  EXPECT_EQ(mimeTypeForName("archive.xyz"), "application/octet-stream");
}

TEST(MapAttachmentsTest, FilesOnlyNotExceptionsNorHiddenRows) {
  PropertyBag bag;
  bag.attachments.push_back(fileRow("agenda.txt", Binary{'h', 'i'}));
  PropertyBag exception;  // an embedded exception message: not a file
  exception.embedded_message.push_back(PropertyBag{});
  bag.attachments.push_back(exception);
  PropertyBag hidden = fileRow("hidden.png", Binary{1});
  hidden.set(kPidTagAttachmentHidden.id, PropertyType::kBoolean, true);
  bag.attachments.push_back(hidden);
  PropertyBag typed = fileRow("data.bin", Binary{1, 2, 3});
  typed.set(kPidTagAttachMimeTag.id, PropertyType::kUnicode, std::string("application/x-custom"));
  bag.attachments.push_back(typed);
  PropertyBag missing = fileRow("lost.pdf", Binary{});
  missing.tagged.erase(TaggedKey{kPidTagAttachDataBinary.id, PropertyType::kBinary});
  bag.attachments.push_back(missing);

  std::vector<model::Finding> findings;
  const auto attachments = mapAttachments(bag, model::Provenance{"f.pst", "/Calendar", "7"}, findings);
  ASSERT_EQ(attachments.size(), 2u);
  EXPECT_EQ(attachments[0], (model::Attachment{"agenda.txt", "text/plain", 2, {'h', 'i'}}));
  EXPECT_EQ(attachments[1], (model::Attachment{"data.bin", "application/x-custom", 3, {1, 2, 3}}));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].kind, "attachment.hidden");
  EXPECT_EQ(findings[0].before, "hidden.png");
  EXPECT_EQ(findings[1].kind, "attachment.not_read");
  EXPECT_EQ(findings[1].before, "lost.pdf");
  EXPECT_EQ(findings[1].item.entry_id, "7");
}

TEST(MapAttachmentsTest, NameFallsBackToShortNameThenDisplayName) {
  PropertyBag bag;
  PropertyBag row = fileRow("", Binary{0});
  row.tagged.erase(TaggedKey{kPidTagAttachLongFilename.id, PropertyType::kUnicode});
  row.set(kPidTagAttachFilename.id, PropertyType::kUnicode, std::string("INVITA~1.PDF"));
  bag.attachments.push_back(row);
  PropertyBag shown = fileRow("", Binary{0});
  shown.tagged.erase(TaggedKey{kPidTagAttachLongFilename.id, PropertyType::kUnicode});
  shown.set(kPidTagDisplayName.id, PropertyType::kUnicode, std::string("Minutes.rtf"));
  bag.attachments.push_back(shown);
  std::vector<model::Finding> findings;
  const auto attachments = mapAttachments(bag, model::Provenance{}, findings);
  ASSERT_EQ(attachments.size(), 2u);
  EXPECT_EQ(attachments[0].name, "INVITA~1.PDF");
  EXPECT_EQ(attachments[0].mime_type, "application/pdf");
  EXPECT_EQ(attachments[1].name, "Minutes.rtf");
  EXPECT_EQ(attachments[1].mime_type, "application/rtf");
}

}  // namespace
}  // namespace m2z::readers::mapi
