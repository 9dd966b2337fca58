// Fuzzes the iCalendar reader (libical parsing, VTIMEZONE rules, RRULE conversion) and the
// normalizer on whatever items it yields.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "normalize/normalizer.h"
#include "readers/ics/ics_reader.h"

namespace {

struct NormalizingSink : m2z::model::ItemSink {
  void onFolder(const m2z::model::SourceFolder&) override {}
  void onAppointment(m2z::model::Appointment appointment) override {
    std::vector<m2z::model::Finding> findings;
    m2z::normalize::normalizeAppointment(appointment, findings);
  }
  void onFinding(m2z::model::Finding) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  NormalizingSink sink;
  m2z::readers::ics::ReadOptions options;
  options.max_bytes = 1024 * 1024;
  (void)m2z::readers::ics::readCalendarText(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.ics",
                                            sink, options);
  return 0;
}
