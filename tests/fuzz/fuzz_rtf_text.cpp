// Runs the RTF-to-text converter over the fuzz bytes: any input must give text within the
// output bound or an Error, never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "readers/mapi/rtf_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view rtf(reinterpret_cast<const char*>(data), size);
  auto text = m2z::readers::mapi::rtfToText(rtf);
  if (text && text->text.size() > size * m2z::readers::mapi::kMaxRtfOutputFactor + 64) std::abort();
  return 0;
}
