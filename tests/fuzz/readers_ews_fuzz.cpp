// Fuzzes the EWS XML reader: calendar items, contacts, lists, tasks, inbox rules, OOF settings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "readers/ews/ews_reader.h"

namespace {

struct DiscardingSink : m2z::model::ItemSink {
  void onFolder(const m2z::model::SourceFolder&) override {}
  void onAppointment(m2z::model::Appointment) override {}
  void onFinding(m2z::model::Finding) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  DiscardingSink sink;
  m2z::readers::ews::ReadOptions options;
  options.max_bytes = 1024 * 1024;
  (void)m2z::readers::ews::readEwsText(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml", sink,
                                       options);
  return 0;
}
