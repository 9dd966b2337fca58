// The stored form of a variable-size multi-valued property (PtypMultipleBinary and the like):
// [MS-PST] 2.3.3.4.2. Read by hand because libpff 20180714 reports no values for PT_MV_BINARY.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace m2z::readers::pst {

// ulCount, ulCount 32-bit offsets from the start of the data, then the values back to back. A
// zero count with data after it is taken from the first offset (see the .cpp).
// Any input gives the values or an Error naming `property` and the offending offset.
[[nodiscard]] Result<std::vector<std::vector<std::uint8_t>>> parseMultipleBinary(std::span<const std::uint8_t> data,
                                                                                 std::string_view property);

}  // namespace m2z::readers::pst
