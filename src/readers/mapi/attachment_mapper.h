// File attachments of an item (PropertyBag::attachments rows) -> model::Attachment.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/appointment_parts.h"
#include "model/finding.h"
#include "model/provenance.h"
#include "readers/mapi/property_bag.h"

namespace m2z::readers::mapi {

// Every row of bag.attachments that is a file (no embedded message, PidTagAttachMethod
// afByValue or absent) with its bytes in PidTagAttachDataBinary. Rows holding embedded messages
// (a series' exceptions) are not files and are passed over; hidden rows (PidTagAttachmentHidden)
// and rows without their bytes are reported as findings and left out.
std::vector<model::Attachment> mapAttachments(const PropertyBag& bag, const model::Provenance& item,
                                              std::vector<model::Finding>& findings);

// The MIME type for a file name's extension (".pdf" -> "application/pdf"), case-insensitive;
// application/octet-stream for names whose extension is not in the table.
std::string mimeTypeForName(std::string_view name);

}  // namespace m2z::readers::mapi
