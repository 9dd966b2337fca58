#include "readers/pst/multi_value_blob.h"

#include <string>

namespace m2z::readers::pst {

namespace {

std::uint32_t u32At(std::span<const std::uint8_t> data, std::size_t offset) {
  return static_cast<std::uint32_t>(data[offset]) | static_cast<std::uint32_t>(data[offset + 1]) << 8 |
         static_cast<std::uint32_t>(data[offset + 2]) << 16 | static_cast<std::uint32_t>(data[offset + 3]) << 24;
}

}  // namespace

Result<std::vector<std::vector<std::uint8_t>>> parseMultipleBinary(std::span<const std::uint8_t> data,
                                                                   std::string_view property) {
  const auto fail = [&](const std::string& why) {
    return Error{"pst.multi_value", std::string(property) + ": " + why, std::string(property)};
  };
  if (data.size() < 4) return fail("shorter than its 4-byte count");
  std::uint32_t count = u32At(data, 0);
  // libpff 20180714 zeroes the stored count in its cache once it has (unsuccessfully) read the
  // value itself; the first offset still says how many offsets precede the values.
  if (count == 0 && data.size() >= 8) count = (u32At(data, 4) - 4) / 4;
  // Each value needs a 4-byte offset, so the count cannot exceed what the data can hold.
  if (count > (data.size() - 4) / 4) {
    return fail("count " + std::to_string(count) + " needs more offsets than the " + std::to_string(data.size()) +
                " bytes hold");
  }
  const std::size_t first_value = 4 + std::size_t{count} * 4;
  std::vector<std::vector<std::uint8_t>> values;
  values.reserve(count);
  for (std::uint32_t index = 0; index < count; ++index) {
    const std::size_t begin = u32At(data, 4 + std::size_t{index} * 4);
    const std::size_t end = index + 1 < count ? u32At(data, 4 + (std::size_t{index} + 1) * 4) : data.size();
    if (begin < first_value || begin > end || end > data.size()) {
      return fail("value " + std::to_string(index) + " spans offsets " + std::to_string(begin) + ".." +
                  std::to_string(end) + ", outside the " + std::to_string(data.size()) + "-byte data");
    }
    values.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(begin), data.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return values;
}

}  // namespace m2z::readers::pst
