#include "normalize/check_values.h"

#include <string>

#include "normalize/findings.h"
#include "normalize/text_limits.h"

namespace m2z::normalize {

namespace {

bool storable(model::Instant instant) { return instant >= kFirstStorableInstant && instant < kEndOfStorableInstants; }

void checkRange(model::Appointment& item, std::vector<model::Finding>& findings) {
  for (const auto& [field, instant] : {std::pair{"start", item.start}, std::pair{"end", item.end}}) {
    if (storable(instant)) continue;
    model::Finding finding = makeFinding(
        item.provenance, "time.out_of_range", model::Severity::kError, field, model::toIsoString(instant), "",
        "Zimbra stores appointment times as MySQL DATETIME values from the year 1000 up to 9999-02-01, its own "
        "\"no end\" date; this item cannot be stored and is not carried over");
    finding.item_skipped = true;
    findings.push_back(std::move(finding));
    return;  // one reason is enough to account for the item
  }
  const int year = model::toLocal(item.start, 0).date.year;
  if (year < kFirstPlausibleYear || year > kLastPlausibleYear) {
    findings.push_back(makeFinding(item.provenance, "time.implausible_date", model::Severity::kWarning, "start",
                                   model::toIsoString(item.start), model::toIsoString(item.start),
                                   "the date is outside 1900-2100 and is probably a placeholder a program wrote "
                                   "for \"no date\"; it is kept as it is"));
  }
}

void checkText(model::Appointment& item, std::string& value, const char* field, const char* truncated_kind,
               std::size_t max_units, std::vector<model::Finding>& findings) {
  const std::string clean = text::withoutControlCharacters(value);
  if (clean != value) {
    findings.push_back(makeFinding(item.provenance, "value.text_repaired", model::Severity::kInfo, field,
                                   std::to_string(value.size()) + " bytes", clean,
                                   "control characters were removed and malformed UTF-8 replaced by U+FFFD: XML "
                                   "1.0 cannot carry them"));
    value = clean;
  }
  const std::size_t units = text::utf16Length(value);
  if (units > max_units) {
    std::string cut = text::truncateUtf16(value, max_units);
    findings.push_back(makeFinding(item.provenance, truncated_kind, model::Severity::kWarning, field, value, cut,
                                   "Zimbra keeps at most " + std::to_string(max_units) + " characters here; the text "
                                   "had " + std::to_string(units) + " and is cut (the full text is kept in this "
                                   "finding)"));
    value = std::move(cut);
  }
}

}  // namespace

void checkValues(model::Appointment& item, std::vector<model::Finding>& findings) {
  checkRange(item, findings);
  if (item.subject.empty()) {
    findings.push_back(makeFinding(item.provenance, "value.subject_empty", model::Severity::kInfo, "subject", "", "",
                                   "the item has no subject; it is kept empty, as Outlook shows it, rather than "
                                   "given a made-up one that would sync to every device"));
  }
  checkText(item, item.subject, "subject", "value.subject_truncated", kMaxSubjectUtf16, findings);
  checkText(item, item.location, "location", "value.location_truncated", kMaxLocationUtf16, findings);
  if (item.recurrence && item.recurrence->end == model::RecurrenceEnd::kNever) {
    findings.push_back(makeFinding(item.provenance, "recurrence.endless", model::Severity::kInfo, "recurrence", "",
                                   "",
                                   "the series never ends; it is carried over as an endless rule, never expanded "
                                   "into single appointments"));
  }
}

}  // namespace m2z::normalize
