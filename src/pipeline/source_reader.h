// Reads the calendar items of any supported source into a sink, choosing the reader by the
// file's content (not its name): PST/OST, iCalendar, EWS XML.
#pragma once

#include <string>

#include "model/item_sink.h"
#include "model/result.h"

namespace m2z::pipeline {

// Fails when the file cannot be read at all or is of a kind without a calendar reader yet; the
// error names the file, what was expected and what was found.
Status readSourceCalendars(const std::string& path, model::ItemSink& sink);

}  // namespace m2z::pipeline
