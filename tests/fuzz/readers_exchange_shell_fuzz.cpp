// Fuzzes the Exchange Management Shell export reader: the CSV parser, the CLIXML reader with its
// references, and the rule / auto-reply mappings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "readers/exchange-shell/exchange_shell_reader.h"

namespace {

struct DiscardingSink : m2z::model::ItemSink {
  void onFolder(const m2z::model::SourceFolder&) override {}
  void onAppointment(m2z::model::Appointment) override {}
  void onFinding(m2z::model::Finding) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  DiscardingSink sink;
  m2z::readers::exchange_shell::ReadOptions options;
  options.max_bytes = 1024 * 1024;
  (void)m2z::readers::exchange_shell::readExchangeShellText(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.export", sink, options);
  return 0;
}
