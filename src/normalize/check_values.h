// Normalizer pass: dates, subjects and locations Zimbra cannot store or would change on its own.
#pragma once

#include <cstddef>
#include <vector>

#include "model/appointment.h"
#include "model/finding.h"
#include "model/time.h"

namespace m2z::normalize {

// What Zimbra can store: its appointment table keeps start and end as MySQL DATETIME, whose range
// is 1000-01-01 00:00:00 .. 9999-12-31 23:59:59, and it writes 9999-02-01 as the end of a series
// that never ends (DbMailItem MAX_DATE); iCalendar allows four-digit years only (RFC 5545 3.3.4).
// An item outside [1000-01-01T00:00Z, 9999-02-01T00:00Z) is not carried over.
inline constexpr model::Instant kFirstStorableInstant{-30'610'224'000};  // 1000-01-01T00:00:00Z
inline constexpr model::Instant kEndOfStorableInstants{253'373'443'200};  // 9999-02-01T00:00:00Z

// Dates Zimbra stores but that are almost certainly placeholders (1601-01-01 is FILETIME zero,
// 1899-12-30 the OLE Automation zero date, 4501-01-01 Outlook's "none"): kept, and reported.
inline constexpr int kFirstPlausibleYear = 1900;
inline constexpr int kLastPlausibleYear = 2100;

// Zimbra keeps an item's subject in at most 1024 UTF-16 code units (DbMailItem.MAX_SUBJECT_LENGTH,
// applied by UnderlyingData.setSubject) and cuts longer ones silently; we cut visibly instead.
inline constexpr std::size_t kMaxSubjectUtf16 = 1024;
// Zimbra has no limit of its own on the location: it lives in the item's metadata, which Zimbra
// refuses beyond 16 MiB (DbMailItem.MAX_MEDIUMTEXT_LENGTH). We hold it to Zimbra's TEXT-column
// size (DbMailItem.MAX_TEXT_LENGTH, 65534) so no one field can push an item over that.
inline constexpr std::size_t kMaxLocationUtf16 = 65534;

// Records findings for values Zimbra cannot take as they are and repairs what can be repaired:
//  - start or end outside Zimbra's range: "time.out_of_range" (error, item_skipped set);
//  - start outside 1900..2100: "time.implausible_date" (warning, kept);
//  - an empty subject: "value.subject_empty" (info, kept empty: Outlook shows it empty too, and a
//    made-up subject would become the item's real subject on every device that syncs it);
//  - control characters or malformed UTF-8 in the subject or location: "value.text_repaired"
//    (XML 1.0 cannot carry them; Zimbra itself strips control characters from subjects);
//  - a subject or location over the limits above: "value.subject_truncated" /
//    "value.location_truncated" (warning; the full text is in the finding's `before`);
//  - a series that never ends: "recurrence.endless" (info: kept endless, never expanded).
void checkValues(model::Appointment& appointment, std::vector<model::Finding>& findings);

}  // namespace m2z::normalize
