// Reading the storages of a .msg file into PropertyBags, the container-independent input of the
// MAPI mapping. Works on MsgStorage, so it is tested without a compound file. Private to
// readers/msg.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"
#include "readers/mapi/property_bag.h"
#include "readers/msg/msg_streams.h"

namespace m2z::readers::msg {

// One storage of the compound file: its child streams and storages by name.
class MsgStorage {
 public:
  virtual ~MsgStorage() = default;
  virtual Result<std::vector<std::string>> childNames() = 0;
  // The bytes of child stream `name`; nullopt when there is none. A stream larger than
  // `max_bytes` is an Error and is not read.
  virtual Result<std::optional<std::vector<std::uint8_t>>> readStream(const std::string& name,
                                                                      std::size_t max_bytes) = 0;
  // Child storage `name`, or nullptr when there is none.
  virtual Result<std::unique_ptr<MsgStorage>> openStorage(const std::string& name) = 0;
};

// A property or stream that could not be read; the message is still read without it.
struct PropertyProblem {
  std::string where;  // storage path and stream or property, e.g. "__recip_version1.0_#00000000/0x3001"
  std::string why;
};

// Limits that keep memory bounded whatever the file claims.
struct ReadLimits {
  std::size_t max_value_bytes = std::size_t{32} << 20;    // one property value
  std::size_t max_total_bytes = std::size_t{128} << 20;   // all values of the file together
  std::size_t max_property_stream_bytes = std::size_t{1} << 20;  // 65,534 entries
  std::size_t max_rows = 2048;                            // recipients, attachments ([MS-OXMSG] 2.2.1, 2.2.2)
  std::size_t max_multi_values = 4096;
};

// The __nameid_version1.0 storage of the top-level message (absent: an empty map).
[[nodiscard]] Result<NamedPropertyMap> readNameIdMap(MsgStorage& root, const ReadLimits& limits,
                                                     std::vector<PropertyProblem>& problems);

// The message in `storage` (the root, or the __substg1.0_3701000D storage of an attachment): its
// properties, message class and recipient rows, and for the top-level message the attachment rows
// the mapping can use - those holding an embedded message (a series' exceptions, read one level
// deep) and the contact photo (with its data in PidTagAttachDataBinary). Other attachments are not
// read. PT_STRING8 values are converted from the message's code page (string8Codepage). A message
// with PidTagRtfCompressed but no PidTagBody gets the decompressed RTF in rtf_body.
[[nodiscard]] Result<mapi::PropertyBag> readMessageStorage(MsgStorage& storage, StorageKind kind,
                                                           const NamedPropertyMap& names, const ReadLimits& limits,
                                                           std::vector<PropertyProblem>& problems);

}  // namespace m2z::readers::msg
