#include "readers/mapi/attachment_mapper.h"

#include <array>
#include <utility>
#include <variant>

#include "readers/mapi/field_reader.h"
#include "readers/mapi/property_ids.h"

namespace m2z::readers::mapi {

namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";

// The file types people attach to meetings; anything else goes as application/octet-stream.
constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kMimeTypes = {{
    {"pdf", "application/pdf"},
    {"doc", "application/msword"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"rtf", "application/rtf"},
    {"zip", "application/zip"},
    {"ics", "text/calendar"},
    {"vcs", "text/x-vcalendar"},
    {"vcf", "text/vcard"},
    {"txt", "text/plain"},
    {"csv", "text/csv"},
    {"htm", "text/html"},
    {"html", "text/html"},
    {"xml", "application/xml"},
    {"json", "application/json"},
    {"msg", "application/vnd.ms-outlook"},
    {"eml", "message/rfc822"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"bmp", "image/bmp"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"svg", "image/svg+xml"},
    {"mp3", "audio/mpeg"},
    {"mp4", "video/mp4"},
}};

std::string lowerAscii(std::string_view text) {
  std::string result(text);
  for (auto& c : result) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return result;
}

}  // namespace

std::string mimeTypeForName(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return std::string(kOctetStream);
  const std::string extension = lowerAscii(name.substr(dot + 1));
  for (const auto& [known, type] : kMimeTypes) {
    if (known == extension) return std::string(type);
  }
  return std::string(kOctetStream);
}

std::vector<model::Attachment> mapAttachments(const PropertyBag& bag, const model::Provenance& item,
                                              std::vector<model::Finding>& findings) {
  std::vector<model::Attachment> attachments;
  for (const auto& row : bag.attachments) {
    if (!row.embedded_message.empty()) continue;
    FieldReader fields(row, item, findings);
    const auto* method = fields.get<std::int32_t>(kPidTagAttachMethod);
    if (method != nullptr && *method != kAfByValue) continue;  // links, OLE objects: the container reports them
    model::Attachment attachment;
    attachment.name = fields.string(kPidTagAttachLongFilename);
    if (attachment.name.empty()) attachment.name = fields.string(kPidTagAttachFilename);
    if (attachment.name.empty()) attachment.name = fields.string(kPidTagDisplayName);
    if (const auto* hidden = fields.get<bool>(kPidTagAttachmentHidden); hidden != nullptr && *hidden) {
      fields.report("attachment.hidden", model::Severity::kInfo, kPidTagAttachmentHidden.name, attachment.name, "",
                    "a hidden attachment (kept by Outlook for its own use) is not migrated");
      continue;
    }
    const auto* data = fields.get<Binary>(kPidTagAttachDataBinary);
    if (data == nullptr) {
      fields.report("attachment.not_read", model::Severity::kWarning, kPidTagAttachDataBinary.name, attachment.name,
                    "", "the attachment's content could not be read; it is not migrated");
      continue;
    }
    attachment.mime_type = fields.string(kPidTagAttachMimeTag);
    if (attachment.mime_type.empty()) attachment.mime_type = mimeTypeForName(attachment.name);
    attachment.size = data->size();
    attachment.content = *data;
    attachments.push_back(std::move(attachment));
  }
  return attachments;
}

}  // namespace m2z::readers::mapi
