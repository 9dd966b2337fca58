// ByteReader: sequential little-endian reads over one property value that stop at the first
// short read and remember why. Private to readers/mapi.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/result.h"

namespace m2z::readers::mapi {

class ByteReader {
 public:
  ByteReader(std::span<const std::uint8_t> data, std::string_view property) : data_(data), property_(property) {}

  std::size_t offset() const { return offset_; }
  std::size_t size() const { return data_.size(); }

  std::optional<std::uint16_t> u16(std::string_view field) {
    const auto bytes = take(2, field);
    if (!bytes) return std::nullopt;
    return static_cast<std::uint16_t>((*bytes)[0] | (*bytes)[1] << 8);
  }
  std::optional<std::uint8_t> u8(std::string_view field) {
    const auto bytes = take(1, field);
    if (!bytes) return std::nullopt;
    return (*bytes)[0];
  }
  std::optional<std::uint32_t> u32(std::string_view field) {
    const auto bytes = take(4, field);
    if (!bytes) return std::nullopt;
    return static_cast<std::uint32_t>((*bytes)[0]) | static_cast<std::uint32_t>((*bytes)[1]) << 8 |
           static_cast<std::uint32_t>((*bytes)[2]) << 16 | static_cast<std::uint32_t>((*bytes)[3]) << 24;
  }
  std::optional<std::int32_t> i32(std::string_view field) {
    const auto value = u32(field);
    if (!value) return std::nullopt;
    std::int32_t result;
    std::memcpy(&result, &*value, sizeof result);  // two's complement reinterpretation
    return result;
  }
  std::optional<std::span<const std::uint8_t>> take(std::size_t count, std::string_view field) {
    if (error_) return std::nullopt;
    if (count > data_.size() - offset_) {
      fail("mapi.blob.truncated", "needs " + std::to_string(count) + " byte(s) for " + std::string(field) +
                                      " at offset " + std::to_string(offset_) + ", only " +
                                      std::to_string(data_.size() - offset_) + " left");
      return std::nullopt;
    }
    const auto bytes = data_.subspan(offset_, count);
    offset_ += count;
    return bytes;
  }
  // Moves to an absolute offset given by a length field; fails when it lies outside the blob.
  bool seek(std::size_t offset, std::string_view field) {
    if (error_) return false;
    if (offset > data_.size()) {
      fail("mapi.blob.truncated", std::string(field) + " points to offset " + std::to_string(offset) +
                                      ", beyond the " + std::to_string(data_.size()) + "-byte value");
      return false;
    }
    offset_ = offset;
    return true;
  }
  void fail(std::string code, const std::string& why) {
    if (!error_) error_ = Error{std::move(code), std::string(property_) + ": " + why, std::string(property_)};
  }
  void invalid(std::string_view field, std::size_t at, const std::string& why) {
    fail("mapi.blob.invalid", std::string(field) + " at offset " + std::to_string(at) + " " + why);
  }
  bool failed() const { return error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::span<const std::uint8_t> data_;
  std::string_view property_;
  std::size_t offset_ = 0;
  std::optional<Error> error_;
};

}  // namespace m2z::readers::mapi
