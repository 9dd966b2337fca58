// Reading libpff record sets into PropertyBags, the container-independent input of the mapping.
// Private to readers/pst.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"
#include "readers/mapi/property_bag.h"
#include "readers/pst/pff_handles.h"

namespace m2z::readers::pst {

// A property libpff could not give us; the item is still read without it.
struct PropertyProblem {
  std::string property;  // "0x0037" or "{00062002-...}/0x8205"
  std::string why;
};

// Every property of record set `set_index` of `item`, named properties resolved through the
// file's name-to-id map.
[[nodiscard]] Result<mapi::PropertyBag> readRecordSet(libpff_item_t* item, int set_index,
                                                      std::vector<PropertyProblem>& problems);

// A message's properties, message class and recipient rows.
[[nodiscard]] Result<mapi::PropertyBag> readMessage(libpff_item_t* message, std::vector<PropertyProblem>& problems);

// The attachments of `message` that hold embedded messages (a series' exceptions, [MS-OXOCAL]
// 2.2.10) into bag.attachments, each with its own properties and its message's. Other attachments
// are not read at all; reading stops once the values read pass a fixed budget.
void readEmbeddedAttachments(libpff_item_t* message, mapi::PropertyBag& bag, std::vector<PropertyProblem>& problems);

// The file attachments of `message` (libpff type DATA) into bag.attachments, each row with its
// content in PidTagAttachDataBinary. An attachment whose content passes `max_bytes`, all that
// come after the contents pass `max_total_bytes` together, and links to files (type REFERENCE)
// are not read: each goes into `not_read` (property: the attachment's name or index, why: the
// reason). Embedded messages (type ITEM) are left to readEmbeddedAttachments.
void readFileAttachments(libpff_item_t* message, mapi::PropertyBag& bag, std::uint64_t max_bytes,
                         std::uint64_t max_total_bytes, std::vector<PropertyProblem>& problems,
                         std::vector<PropertyProblem>& not_read);

// A string property of record set 0 of `item` (folders: display name, container class), if any.
std::optional<std::string> readStringProperty(libpff_item_t* item, std::uint32_t property_id);

// A binary property of record set 0 of `item`, if any.
std::optional<mapi::Binary> readBinaryProperty(libpff_item_t* item, std::uint32_t property_id);

}  // namespace m2z::readers::pst
