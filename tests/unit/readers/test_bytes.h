// Helpers for writing spec byte streams into tests as the specs print them.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace m2z::readers::testing {

// "0201 30 00" -> {0x02, 0x01, 0x30, 0x00}; spaces are ignored.
inline std::vector<std::uint8_t> fromHex(std::string_view hex) {
  std::vector<std::uint8_t> bytes;
  int pending = -1;
  for (const char c : hex) {
    int nibble;
    if (c >= '0' && c <= '9') nibble = c - '0';
    else if (c >= 'A' && c <= 'F') nibble = c - 'A' + 10;
    else if (c >= 'a' && c <= 'f') nibble = c - 'a' + 10;
    else if (c == ' ' || c == '\n') continue;
    else throw std::invalid_argument("not hex");
    if (pending < 0) {
      pending = nibble;
    } else {
      bytes.push_back(static_cast<std::uint8_t>(pending << 4 | nibble));
      pending = -1;
    }
  }
  if (pending >= 0) throw std::invalid_argument("odd number of hex digits");
  return bytes;
}

inline std::vector<std::uint8_t> fromBase64(std::string_view text) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::uint8_t> bytes;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == '=') break;
    const auto value = kAlphabet.find(c);
    if (value == std::string_view::npos) throw std::invalid_argument("not base64");
    buffer = buffer << 6 | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<std::uint8_t>(buffer >> bits));
    }
  }
  return bytes;
}

}  // namespace m2z::readers::testing
