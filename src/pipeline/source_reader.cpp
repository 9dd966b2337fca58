#include "pipeline/source_reader.h"

#include "readers/detect/detect_format.h"
#include "readers/ews/ews_reader.h"
#include "readers/ics/ics_reader.h"
#include "readers/pst/pst_reader.h"

namespace m2z::pipeline {

Status readSourceCalendars(const std::string& path, model::ItemSink& sink) {
  auto detected = readers::detect::detectFormat(path);
  if (!detected) return detected.error();
  switch (detected->format) {
    case readers::detect::Format::kPst:
    case readers::detect::Format::kOst: {
      auto read = readers::pst::readCalendars(path, sink);
      if (!read) return read.error();
      return {};
    }
    case readers::detect::Format::kICalendar: {
      auto read = readers::ics::readCalendarFile(path, sink);
      if (!read) return read.error();
      return {};
    }
    case readers::detect::Format::kEwsXml: {
      auto read = readers::ews::readEwsFile(path, sink);
      if (!read) return read.error();
      return {};
    }
    default:
      return Error{"source.unsupported",
                   std::string("no calendar reader for this kind of file yet (found: ") +
                       readers::detect::toString(detected->format) + (detected->detail.empty() ? "" : ", ") +
                       detected->detail + "); expected a PST/OST, iCalendar or EWS XML file",
                   path};
  }
}

}  // namespace m2z::pipeline
