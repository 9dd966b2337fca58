// SHA-256 through OpenSSL's EVP interface, for identifiers that must be the same on every run and
// machine.
#pragma once

#include <string>
#include <string_view>

namespace m2z::normalize {

std::string sha256Raw(std::string_view input);  // 32 raw bytes
std::string sha256Hex(std::string_view input);  // 64 lowercase hex digits

}  // namespace m2z::normalize
