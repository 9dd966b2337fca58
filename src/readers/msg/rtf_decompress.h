// [MS-OXRTFCP] decompression of PidTagRtfCompressed: libolecf hands over the stored bytes, and
// the mapping wants the RTF (PropertyBag::rtf_body). Pure; private to readers/msg.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "model/result.h"

namespace m2z::readers::msg {

// The RTF held by `stored` (a 16-byte header, then LZFu-compressed or raw "MELA" content). The
// output stops at the end marker or at the header's RAWSIZE, whichever comes first; a RAWSIZE
// above `max_bytes`, a header that does not fit, an unknown compression type or data that ends
// before either is an Error naming the offset.
[[nodiscard]] Result<std::string> decompressRtf(std::span<const std::uint8_t> stored, std::size_t max_bytes);

}  // namespace m2z::readers::msg
