#include "readers/pst/pff_handles.h"

#include <array>

namespace m2z::readers::pst {

std::string PffError::text() const {
  if (error_ == nullptr) return "libpff reported no detail";
  // A backtrace lists every layer's message, one per line; a few KiB hold any real one.
  std::array<char, 4096> buffer{};
  if (libpff_error_backtrace_sprint(error_, buffer.data(), buffer.size()) <= 0 &&
      libpff_error_sprint(error_, buffer.data(), buffer.size()) <= 0) {
    return "libpff reported an error it could not describe";
  }
  std::string text(buffer.data());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (auto& c : text) {
    if (c == '\n') c = ';';
  }
  return text;
}

}  // namespace m2z::readers::pst
