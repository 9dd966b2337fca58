#include "zimbra/requests.h"

#include <cctype>
#include <cstdlib>

#include "zimbra/soap.h"

namespace m2z::zimbra {

namespace {

using Attributes = xml::XmlWriter::Attributes;

constexpr std::size_t kMaxItemNameBytes = 255;
// Zone offsets beyond a day are nonsense whatever the zone.
constexpr int kMaxOffsetMinutes = 24 * 60;

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

Error invalid(const model::Appointment& appointment, std::string_view field, std::string message) {
  return Error{"request.invalid_item", std::move(message),
               appointment.provenance.describe() + " field " + std::string(field)};
}

bool validDate(const model::CivilDate& date) { return date.year >= 1 && date.year <= 9999 && date.isValid(); }

bool validDateTime(const model::LocalDateTime& time) {
  return validDate(time.date) && time.hour >= 0 && time.hour <= 23 && time.minute >= 0 && time.minute <= 59 &&
         time.second >= 0 && time.second <= 59;
}

bool validRule(const model::TransitionRule& rule) {
  const bool week_ok = (rule.week >= 1 && rule.week <= 4) || rule.week == -1;
  return week_ok && rule.weekday >= 1 && rule.weekday <= 7 && rule.month >= 1 && rule.month <= 12 &&
         rule.hour >= 0 && rule.hour <= 23 && rule.minute >= 0 && rule.minute <= 59 && rule.second >= 0 &&
         rule.second <= 59;
}

Attributes onsetAttributes(const model::TransitionRule& rule) {
  return {{"week", std::to_string(rule.week)},   {"wkday", std::to_string(rule.weekday)},
          {"mon", std::to_string(rule.month)},   {"hour", std::to_string(rule.hour)},
          {"min", std::to_string(rule.minute)},  {"sec", std::to_string(rule.second)}};
}

// Writes <tz>; the caller has checked the zone with checkZone().
void writeZone(xml::XmlWriter& writer, const model::SingleRuleZone& zone, bool observes_dst) {
  const std::string standard = std::to_string(zone.standard_offset_minutes);
  // zimbraMail.xsd makes dayoff required; without DST it equals stdoff, which is also what the
  // server assumes when dayoff is absent (CalendarUtils.parseTzElement), so both readings agree.
  const std::string daylight = observes_dst ? std::to_string(*zone.daylight_offset_minutes) : standard;
  const Attributes attributes{{"id", zone.id}, {"stdoff", standard}, {"dayoff", daylight}};
  if (!observes_dst) {
    writer.empty("tz", attributes);
    return;
  }
  writer.open("tz", attributes);
  writer.empty("standard", onsetAttributes(*zone.to_standard));
  writer.empty("daylight", onsetAttributes(*zone.to_daylight));
  writer.close();
}

// Returns whether the zone observes daylight saving time, or an Error if it cannot be sent.
Result<bool> checkZone(const model::Appointment& appointment, const model::SingleRuleZone& zone) {
  if (zone.id.empty()) return invalid(appointment, "resolved.zone.id", "the resolved zone has no id to refer to");
  if (std::abs(zone.standard_offset_minutes) > kMaxOffsetMinutes) {
    return invalid(appointment, "resolved.zone.standard_offset_minutes",
                   "offset " + std::to_string(zone.standard_offset_minutes) + " minutes is out of range");
  }
  const bool has_daylight_offset =
      zone.daylight_offset_minutes.has_value() && *zone.daylight_offset_minutes != zone.standard_offset_minutes;
  const bool has_rules = zone.to_standard.has_value() && zone.to_daylight.has_value();
  if (has_daylight_offset != has_rules) {
    return invalid(appointment, "resolved.zone",
                   "zone " + zone.id + " has a daylight offset without both transition rules, or rules without an offset");
  }
  if (!has_daylight_offset) return false;
  if (std::abs(*zone.daylight_offset_minutes) > kMaxOffsetMinutes) {
    return invalid(appointment, "resolved.zone.daylight_offset_minutes",
                   "offset " + std::to_string(*zone.daylight_offset_minutes) + " minutes is out of range");
  }
  if (!validRule(*zone.to_standard)) {
    return invalid(appointment, "resolved.zone.to_standard", "transition rule of zone " + zone.id + " is out of range");
  }
  if (!validRule(*zone.to_daylight)) {
    return invalid(appointment, "resolved.zone.to_daylight", "transition rule of zone " + zone.id + " is out of range");
  }
  return true;
}

// Zimbra cannot store a person without an address; such people are left out.
// People without an SMTP address are left out here; the normalizer records a finding for each.
bool sendable(const model::Person& person) { return person.hasSmtpAddress(); }

Attributes personAttributes(const model::Person& person) {
  Attributes attributes{{"a", trimmed(person.email)}};
  if (!person.display_name.empty()) attributes.emplace_back("d", person.display_name);
  return attributes;
}

const std::string* attributeOf(const xml::Element& element, std::string_view name) {
  const std::string* value = element.attribute(name);
  return value != nullptr && !value->empty() ? value : nullptr;
}

bool sameAddress(std::string_view a, std::string_view b) {
  const std::string x = trimmed(a), y = trimmed(b);
  if (x.empty() || x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(x[i])) != std::tolower(static_cast<unsigned char>(y[i]))) return false;
  }
  return true;
}

Error unexpected(const xml::Element& body, std::string message) {
  return Error{"soap.unexpected", std::move(message), body.name.empty() ? "response" : body.name};
}

}  // namespace

const char* freeBusyCode(model::BusyStatus status) {
  switch (status) {
    case model::BusyStatus::kFree: return "F";
    case model::BusyStatus::kTentative: return "T";
    case model::BusyStatus::kBusy: return "B";
    case model::BusyStatus::kOutOfOffice: return "O";
    // Zimbra has no "working elsewhere"; the person is available, only not at the usual place.
    case model::BusyStatus::kWorkingElsewhere: return "F";
  }
  return "B";
}

const char* classCode(model::Sensitivity sensitivity) {
  switch (sensitivity) {
    case model::Sensitivity::kNormal: return "PUB";
    // Zimbra knows only PUB/PRI/CON; "personal" is hidden like private rather than shown.
    case model::Sensitivity::kPersonal: return "PRI";
    case model::Sensitivity::kPrivate: return "PRI";
    case model::Sensitivity::kConfidential: return "CON";
  }
  return "PRI";
}

const char* roleCode(model::AttendeeRole role) {
  switch (role) {
    case model::AttendeeRole::kRequired: return "REQ";
    case model::AttendeeRole::kOptional: return "OPT";
    // iCalendar writes resources (rooms, equipment) as ROLE=NON-PARTICIPANT;CUTYPE=RESOURCE.
    case model::AttendeeRole::kResource: return "NON";
  }
  return "REQ";
}

const char* partStatCode(model::ResponseStatus response) {
  switch (response) {
    case model::ResponseStatus::kAccepted:
    case model::ResponseStatus::kOrganized: return "AC";
    case model::ResponseStatus::kTentative: return "TE";
    case model::ResponseStatus::kDeclined: return "DE";
    case model::ResponseStatus::kNone:
    case model::ResponseStatus::kNotResponded: return "NE";
  }
  return "NE";
}

const char* defaultPartStat(const model::Appointment& appointment, std::string_view account) {
  // The account's own appointments, and meetings it organised, are accepted by definition.
  if (!appointment.is_meeting || account.empty()) return "AC";
  if (appointment.organizer && sameAddress(appointment.organizer->email, account)) return "AC";
  for (const model::Attendee& attendee : appointment.attendees) {
    if (sameAddress(attendee.person.email, account)) {
      // [MS-OXOCAL] respNone: "no response is required", so nothing is pending.
      return attendee.response == model::ResponseStatus::kNone ? "AC" : partStatCode(attendee.response);
    }
  }
  // A meeting in the account's calendar without the account among its attendees (e.g. sent to
  // a list): it is in the calendar because it was kept there.
  return "AC";
}

std::string buildAdminAuthRequest(std::string_view name, std::string_view password) {
  xml::XmlWriter writer;
  writer.empty("AuthRequest",
               {{"xmlns", std::string(kAdminNamespace)}, {"name", std::string(name)}, {"password", std::string(password)}});
  return writer.release();
}

Result<std::string> buildCreateFolderRequest(std::string_view parent_id, std::string_view name, std::string_view view) {
  const std::string context = "folder \"" + std::string(name) + "\"";
  if (name.empty() || name == "." || name == "..") {
    return Error{"request.invalid_name", "Zimbra refuses an empty folder name and \".\" or \"..\"", context};
  }
  if (name.size() > kMaxItemNameBytes) {
    return Error{"request.invalid_name", "Zimbra refuses folder names longer than 255 characters", context};
  }
  if (name.find_first_of(":/\"\t\r\n") != std::string_view::npos) {
    return Error{"request.invalid_name", "Zimbra refuses ':', '/', '\"', tabs and line breaks in folder names", context};
  }
  if (parent_id.empty()) return Error{"request.invalid_name", "no parent folder id given", context};
  xml::XmlWriter writer;
  writer.open("CreateFolderRequest", {{"xmlns", std::string(kMailNamespace)}});
  writer.empty("folder", {{"name", std::string(name)}, {"l", std::string(parent_id)}, {"view", std::string(view)}, {"fie", "1"}});
  writer.close();
  return writer.release();
}

std::string buildGetAppointmentRequest(std::string_view uid) {
  xml::XmlWriter writer;
  writer.empty("GetAppointmentRequest", {{"xmlns", std::string(kMailNamespace)}, {"uid", std::string(uid)}});
  return writer.release();
}

namespace {

// The times one <m> carries, checked: returns whether its zone observes DST (only for timed ones).
Result<bool> checkTimes(const model::Appointment& appointment, const model::ResolvedTimes& times, bool all_day,
                        const std::string& what) {
  if (all_day) {
    if (!validDate(times.first_day)) return invalid(appointment, what + "first_day", "not a valid date");
    if (!validDate(times.last_day)) return invalid(appointment, what + "last_day", "not a valid date");
    if (times.last_day < times.first_day) {
      return invalid(appointment, what + "last_day",
                     "last day " + times.last_day.toIsoString() + " is before first day " + times.first_day.toIsoString());
    }
    return false;
  }
  if (!validDateTime(times.start_local)) return invalid(appointment, what + "start_local", "not a valid date-time");
  if (!validDateTime(times.end_local)) return invalid(appointment, what + "end_local", "not a valid date-time");
  if (times.end_local < times.start_local) {
    return invalid(appointment, what + "end_local",
                   "end " + times.end_local.toIsoString() + " is before start " + times.start_local.toIsoString());
  }
  return checkZone(appointment, times.zone);
}

bool validInstance(const model::InstanceId& id) {
  return id.date_only ? validDate(id.start.date) : validDateTime(id.start);
}

// A series' rule and instances, checked before anything is written.
Status checkRecurrence(const model::Appointment& appointment, const model::Recurrence& recurrence) {
  using model::RecurrencePattern;
  if (!recurrence.resolved) {
    return invalid(appointment, "recurrence.resolved", "the normalizer has not resolved the series");
  }
  if (recurrence.interval < 1) {
    return invalid(appointment, "recurrence.interval", "interval " + std::to_string(recurrence.interval) + " is not positive");
  }
  const RecurrencePattern pattern = recurrence.pattern;
  const bool by_weekday = recurrence.every_weekday || pattern == RecurrencePattern::kWeekly ||
                          pattern == RecurrencePattern::kMonthlyNth || pattern == RecurrencePattern::kYearlyNth;
  if (by_weekday && recurrence.weekdays.empty()) {
    return invalid(appointment, "recurrence.weekdays", "a " + std::string(toString(pattern)) + " series needs its days");
  }
  if ((pattern == RecurrencePattern::kMonthlyByDay || pattern == RecurrencePattern::kYearlyByDay) &&
      (recurrence.day_of_month == 0 || recurrence.day_of_month < -1 || recurrence.day_of_month > 31)) {
    return invalid(appointment, "recurrence.day_of_month",
                   "day " + std::to_string(recurrence.day_of_month) + " is not 1-31 or -1 (the last)");
  }
  if ((pattern == RecurrencePattern::kMonthlyNth || pattern == RecurrencePattern::kYearlyNth) &&
      !(recurrence.week_of_month == -1 || (recurrence.week_of_month >= 1 && recurrence.week_of_month <= 4))) {
    return invalid(appointment, "recurrence.week_of_month",
                   "week " + std::to_string(recurrence.week_of_month) + " is not 1-4 or -1 (the last)");
  }
  if ((pattern == RecurrencePattern::kYearlyByDay || pattern == RecurrencePattern::kYearlyNth) &&
      (recurrence.month < 1 || recurrence.month > 12)) {
    return invalid(appointment, "recurrence.month", "month " + std::to_string(recurrence.month) + " is not 1-12");
  }
  if (recurrence.end == model::RecurrenceEnd::kAfterCount && recurrence.count < 1) {
    return invalid(appointment, "recurrence.count", "a series that ends after a count needs one of at least 1");
  }
  if (recurrence.end == model::RecurrenceEnd::kByDate && recurrence.resolved->until.empty()) {
    return invalid(appointment, "recurrence.resolved.until", "a series that ends by date needs its UNTIL");
  }
  for (std::size_t index = 0; index < recurrence.exceptions.size(); ++index) {
    const auto& resolved = recurrence.exceptions[index].resolved;
    const std::string which = "recurrence.exceptions[" + std::to_string(index) + "]";
    if (!resolved) return invalid(appointment, which + ".resolved", "the normalizer has not resolved the exception");
    if (!validInstance(resolved->id)) return invalid(appointment, which + ".resolved.id", "not a valid instance start");
  }
  for (std::size_t index = 0; index < recurrence.resolved->cancelled.size(); ++index) {
    if (!validInstance(recurrence.resolved->cancelled[index])) {
      return invalid(appointment, "recurrence.resolved.cancelled[" + std::to_string(index) + "]",
                     "not a valid instance start");
    }
  }
  return {};
}

const char* frequencyCode(const model::Recurrence& recurrence) {
  switch (recurrence.pattern) {
    // Outlook's "every weekday" is a weekly rule on Monday to Friday ([MS-OXCICAL] 2.1.3.2.2.1).
    case model::RecurrencePattern::kDaily: return recurrence.every_weekday ? "WEE" : "DAI";
    case model::RecurrencePattern::kWeekly: return "WEE";
    case model::RecurrencePattern::kMonthlyByDay:
    case model::RecurrencePattern::kMonthlyNth: return "MON";
    case model::RecurrencePattern::kYearlyByDay:
    case model::RecurrencePattern::kYearlyNth: return "YEA";
  }
  return "DAI";
}

// <recur><add><rule> in simpleRepeatingRule's sequence order: until, count, interval, byday,
// bymonthday, bymonth, bysetpos, wkst.
void writeRecurrence(xml::XmlWriter& writer, const model::Recurrence& recurrence) {
  using model::RecurrencePattern;
  const RecurrencePattern pattern = recurrence.pattern;
  const bool nth = pattern == RecurrencePattern::kMonthlyNth || pattern == RecurrencePattern::kYearlyNth;
  const bool weekly_rule = pattern == RecurrencePattern::kWeekly || recurrence.every_weekday;
  writer.open("recur").open("add").open("rule", {{"freq", frequencyCode(recurrence)}});
  if (recurrence.end == model::RecurrenceEnd::kByDate) {
    writer.empty("until", {{"d", recurrence.resolved->until}});
  } else if (recurrence.end == model::RecurrenceEnd::kAfterCount) {
    writer.empty("count", {{"num", std::to_string(recurrence.count)}});
  }
  writer.empty("interval", {{"ival", std::to_string(recurrence.interval)}});
  if (weekly_rule || nth) {
    writer.open("byday");
    for (const model::Weekday day : recurrence.weekdays) {
      // One day: "the Nth Tuesday" is ordwk on the day; several (e.g. "the last weekday") need
      // BYSETPOS to pick the Nth of all of them ([MS-OXCICAL] 2.1.3.2.2.4).
      if (nth && recurrence.weekdays.size() == 1) {
        writer.empty("wkday", {{"ordwk", std::to_string(recurrence.week_of_month)}, {"day", toString(day)}});
      } else {
        writer.empty("wkday", {{"day", toString(day)}});
      }
    }
    writer.close();
  }
  if (pattern == RecurrencePattern::kMonthlyByDay || pattern == RecurrencePattern::kYearlyByDay) {
    writer.empty("bymonthday", {{"modaylist", std::to_string(recurrence.day_of_month)}});
  }
  if (pattern == RecurrencePattern::kYearlyByDay || pattern == RecurrencePattern::kYearlyNth) {
    writer.empty("bymonth", {{"molist", std::to_string(recurrence.month)}});
  }
  if (nth && recurrence.weekdays.size() > 1) {
    writer.empty("bysetpos", {{"poslist", std::to_string(recurrence.week_of_month)}});
  }
  // The week start decides which weeks an interval of 2 or more skips.
  if (weekly_rule) writer.empty("wkst", {{"day", toString(recurrence.first_day_of_week)}});
  writer.close().close().close();  // rule, add, recur
}

Attributes exceptIdAttributes(const model::InstanceId& id, const model::SingleRuleZone& zone) {
  if (id.date_only) return {{"d", id.start.date.toBasicString()}};
  return {{"d", id.start.toBasicString()}, {"tz", zone.id}};
}

// One <m>: subject, body, the <inv> short form (component attributes on <inv>) and its zone.
// `recurrence` goes into the series' invite, `exception_id` into an exception's.
void writeMessage(xml::XmlWriter& writer, const model::Appointment& appointment, const model::ResolvedTimes& times,
                  bool observes_dst, const model::Recurrence* recurrence, const model::InstanceId* exception_id,
                  const std::vector<std::string>& attachment_aids = {}) {
  // zimbraMail.xsd declares the subject as <m su=".."> and the body as <mp content="..">; the
  // server reads an attribute and a same-named child alike.
  writer.open("m", {{"su", appointment.subject}});
  writer.empty("mp", {{"ct", "text/plain"}, {"content", appointment.body}});
  // Uploaded attachments: <attach aid="id1,id2"> after <mp> (msg's sequence in zimbraMail.xsd).
  if (!attachment_aids.empty()) {
    std::string aids;
    for (const std::string& aid : attachment_aids) aids += (aids.empty() ? "" : ",") + aid;
    writer.empty("attach", {{"aid", aids}});
  }

  // The short form: <inv> itself carries the component (as in Zimbra's QA scripts for
  // SetAppointmentRequest); method/compNum/rsvp are required by the XSD only, and PUBLISH is
  // what the server records for a SetAppointmentRequest anyway.
  Attributes invite{{"method", "PUBLISH"}, {"compNum", "0"}, {"rsvp", "0"}};
  if (!appointment.uid.empty()) invite.emplace_back("uid", appointment.uid);
  invite.emplace_back("name", appointment.subject);
  if (!appointment.location.empty()) invite.emplace_back("loc", appointment.location);
  invite.emplace_back("fb", freeBusyCode(appointment.busy_status));
  invite.emplace_back("transp", appointment.busy_status == model::BusyStatus::kFree ||
                                        appointment.busy_status == model::BusyStatus::kWorkingElsewhere
                                    ? "T"
                                    : "O");
  invite.emplace_back("class", classCode(appointment.sensitivity));
  invite.emplace_back("allDay", appointment.all_day ? "1" : "0");
  writer.open("inv", invite);

  // Children in inviteComponent's xs:sequence order: category, comment, contact, geo, at, alarm,
  // xprop, fr, desc, descHtml, or, recur, exceptId, s, e, dur.
  for (const std::string& category : appointment.categories) writer.textElement("category", category);
  for (const model::Attendee& attendee : appointment.attendees) {
    if (!sendable(attendee.person)) continue;
    Attributes attributes = personAttributes(attendee.person);
    attributes.emplace_back("role", roleCode(attendee.role));
    attributes.emplace_back("ptst", partStatCode(attendee.response));
    attributes.emplace_back("rsvp", "0");  // nothing is sent, and no reply is asked for
    if (attendee.role == model::AttendeeRole::kResource) attributes.emplace_back("cutype", "RES");
    writer.empty("at", attributes);
  }
  if (appointment.reminder_minutes_before) {
    const int minutes = *appointment.reminder_minutes_before;
    Attributes trigger{{"m", std::to_string(std::abs(minutes))}};
    if (minutes > 0) trigger.emplace_back("neg", "1");  // before the start
    trigger.emplace_back("related", "START");
    writer.open("alarm", {{"action", "DISPLAY"}});
    writer.open("trigger").empty("rel", trigger).close();
    writer.textElement("desc", appointment.subject);
    writer.close();
  }
  // A UID Zimbra would reject was shortened by the normalizer; the original travels with the item
  // so it can be matched with the source (and later updates of the same meeting) again.
  if (!appointment.original_uid.empty()) {
    writer.empty("xprop", {{"name", std::string(kOriginalUidProperty)}, {"value", appointment.original_uid}});
  }
  if (appointment.organizer && sendable(*appointment.organizer)) {
    writer.empty("or", personAttributes(*appointment.organizer));
  }
  if (recurrence != nullptr) writeRecurrence(writer, *recurrence);
  // RECURRENCE-ID: the original start of the instance, in the series' own form and zone.
  if (exception_id != nullptr) writer.empty("exceptId", exceptIdAttributes(*exception_id, times.zone));
  if (appointment.all_day) {
    // Zimbra's all-day end date is INCLUSIVE (a one-day event on 2014-11-01 is s=e=20141101;
    // the server adds the day itself), unlike iCalendar's exclusive DTEND: hence last_day, not
    // last_day + 1. And these must be DATE values: a date-time sent with allDay="1" silently
    // loses its time part on the server, which is how all-day events slip a day.
    writer.empty("s", {{"d", times.first_day.toBasicString()}});
    writer.empty("e", {{"d", times.last_day.toBasicString()}});
  } else {
    writer.empty("s", {{"d", times.start_local.toBasicString()}, {"tz", times.zone.id}});
    writer.empty("e", {{"d", times.end_local.toBasicString()}, {"tz", times.zone.id}});
  }
  writer.close();  // inv
  // The zone goes beside <inv> in <m>: the server reads <tz> from the parent of the element
  // holding the component, which in the short form is <m> (msg's sequence has tz after inv).
  // An exception id with a zone needs the <tz> even when the exception itself is all-day.
  const bool zone_used = !appointment.all_day || (exception_id != nullptr && !exception_id->date_only);
  if (zone_used) writeZone(writer, times.zone, observes_dst);
  writer.close();  // m
}

// A deleted instance: soap-calendar.txt asks a <cancel>'s invite for uid, seq (above the
// original's, which is 0 here), name, allDay, exceptId, s and the organizer; all else is ignored.
void writeCancel(xml::XmlWriter& writer, const model::Appointment& series, const model::ResolvedTimes& times,
                 bool observes_dst, const model::InstanceId& id) {
  writer.open("cancel");
  writer.open("m", {{"su", series.subject}});
  Attributes invite{{"method", "CANCEL"}, {"compNum", "0"}, {"rsvp", "0"}};
  if (!series.uid.empty()) invite.emplace_back("uid", series.uid);
  invite.emplace_back("seq", "1");
  invite.emplace_back("name", series.subject);
  invite.emplace_back("allDay", series.all_day ? "1" : "0");
  writer.open("inv", invite);
  if (series.organizer && sendable(*series.organizer)) writer.empty("or", personAttributes(*series.organizer));
  const Attributes instance = exceptIdAttributes(id, times.zone);
  writer.empty("exceptId", instance);
  writer.empty("s", instance);
  writer.close();  // inv
  if (!id.date_only) writeZone(writer, times.zone, observes_dst);
  writer.close();  // m
  writer.close();  // cancel
}

// One modified instance as an appointment of its own: the series' values with the exception's
// changes.
model::Appointment instanceOf(const model::Appointment& series_without_rule, const model::AppointmentException& change) {
  model::Appointment instance = series_without_rule;
  if (change.subject) instance.subject = *change.subject;
  if (change.location) instance.location = *change.location;
  if (change.body) instance.body = *change.body;
  if (change.attendees) instance.attendees = *change.attendees;
  if (change.busy_status) instance.busy_status = *change.busy_status;
  if (change.resolved) instance.all_day = change.resolved->all_day;
  // The reminder is on as the exception says (else as the series is), with the exception's lead
  // time, else the series', else Outlook's default of 15 minutes.
  const bool reminder_on = change.reminder_set.value_or(series_without_rule.reminder_minutes_before.has_value());
  if (reminder_on) {
    instance.reminder_minutes_before =
        change.reminder_minutes_before.value_or(series_without_rule.reminder_minutes_before.value_or(15));
  } else {
    instance.reminder_minutes_before.reset();
  }
  return instance;
}

}  // namespace

Result<std::string> buildSetAppointmentRequest(const model::Appointment& appointment, std::string_view folder_id,
                                               std::string_view account,
                                               const std::vector<std::string>& attachment_aids) {
  if (!appointment.resolved) {
    return invalid(appointment, "resolved", "the normalizer has not resolved the appointment's times");
  }
  if (folder_id.empty()) return invalid(appointment, "folder", "no target folder id given");
  const model::ResolvedTimes& times = *appointment.resolved;
  Result<bool> series_zone = checkTimes(appointment, times, appointment.all_day, "resolved.");
  if (!series_zone) return series_zone.error();
  const model::Recurrence* recurrence = appointment.recurrence ? &*appointment.recurrence : nullptr;
  if (recurrence != nullptr) {
    if (auto status = checkRecurrence(appointment, *recurrence); !status) return status.error();
  }

  const char* ptst = defaultPartStat(appointment, account);
  xml::XmlWriter writer;
  writer.open("SetAppointmentRequest", {{"xmlns", std::string(kMailNamespace)}, {"l", std::string(folder_id)}});
  writer.open("default", {{"ptst", ptst}});
  writeMessage(writer, appointment, times, *series_zone, recurrence, nullptr, attachment_aids);
  writer.close();  // default
  if (recurrence != nullptr) {
    // One copy of the series without its rule serves every exception.
    model::Appointment series = appointment;
    series.recurrence.reset();
    for (std::size_t index = 0; index < recurrence->exceptions.size(); ++index) {
      const model::AppointmentException& change = recurrence->exceptions[index];
      const model::Appointment instance = instanceOf(series, change);
      model::ResolvedTimes instance_times = times;
      instance_times.start_local = change.resolved->start_local;
      instance_times.end_local = change.resolved->end_local;
      instance_times.first_day = change.resolved->first_day;
      instance_times.last_day = change.resolved->last_day;
      const std::string which = "recurrence.exceptions[" + std::to_string(index) + "].resolved.";
      Result<bool> checked = checkTimes(appointment, instance_times, instance.all_day, which);
      if (!checked) return checked.error();
      // The <tz> is sent whenever a time of the exception (its own or its id) names the zone.
      bool observes_dst = false;
      if (!instance.all_day || !change.resolved->id.date_only) {
        Result<bool> zone = checkZone(appointment, times.zone);
        if (!zone) return zone.error();
        observes_dst = *zone;
      }
      writer.open("except", {{"ptst", ptst}});
      writeMessage(writer, instance, instance_times, observes_dst, nullptr, &change.resolved->id);
      writer.close();
    }
    for (const model::InstanceId& id : recurrence->resolved->cancelled) {
      writeCancel(writer, appointment, times, *series_zone, id);
    }
  }
  writer.close();  // SetAppointmentRequest
  return writer.release();
}

Result<std::string> readAuthToken(const xml::Element& auth_response) {
  if (auth_response.name != "AuthResponse") return unexpected(auth_response, "expected AuthResponse");
  const xml::Element* token = auth_response.child("authToken");
  if (token == nullptr || trimmed(token->text).empty()) {
    return unexpected(auth_response, "AuthResponse carries no authToken");
  }
  return trimmed(token->text);
}

Result<ItemRef> readCreatedFolder(const xml::Element& create_folder_response) {
  if (create_folder_response.name != "CreateFolderResponse") {
    return unexpected(create_folder_response, "expected CreateFolderResponse");
  }
  const xml::Element* folder = create_folder_response.child("folder");
  const std::string* id = folder != nullptr ? attributeOf(*folder, "id") : nullptr;
  if (id == nullptr) return unexpected(create_folder_response, "CreateFolderResponse carries no folder id");
  return ItemRef{*id, folder->attributeOr("l", ""), "", std::nullopt};
}

namespace {

int intAttribute(const xml::Element& element, std::string_view name) {
  return std::atoi(element.attributeOr(name, "0").c_str());
}

// What verify compares beyond the times: the component's other attributes and children.
void readStoredDetails(const xml::Element& invite, const xml::Element& component, StoredAppointment& stored) {
  stored.location = component.attributeOr("loc", "");
  stored.free_busy = component.attributeOr("fb", "");
  stored.class_code = component.attributeOr("class", "");
  if (const xml::Element* organizer = component.child("or")) stored.organizer = organizer->attributeOr("a", "");
  for (const xml::Element* attendee : component.childrenNamed("at")) stored.attendees.push_back(attendee->attributeOr("a", ""));
  for (const xml::Element* category : component.childrenNamed("category")) stored.categories.push_back(category->text);
  if (const xml::Element* description = component.child("desc")) stored.body = description->text;
  for (const xml::Element* alarm : component.childrenNamed("alarm")) {
    const xml::Element* trigger = alarm->child("trigger");
    const xml::Element* relative = trigger != nullptr ? trigger->child("rel") : nullptr;
    if (relative == nullptr || relative->attributeOr("related", "START") != "START") continue;
    // soap-calendar.txt: a duration of weeks, days, hours, minutes and seconds; neg="1" is before.
    const int minutes = intAttribute(*relative, "w") * 7 * 24 * 60 + intAttribute(*relative, "d") * 24 * 60 +
                        intAttribute(*relative, "h") * 60 + intAttribute(*relative, "m") +
                        intAttribute(*relative, "s") / 60;
    stored.reminder_minutes_before = relative->attributeOr("neg", "0") == "1" ? minutes : -minutes;
    break;
  }
  if (const xml::Element* recur = component.child("recur")) {
    const xml::Element* add = recur->child("add");
    if (const xml::Element* rule = add != nullptr ? add->child("rule") : nullptr) {
      std::string text = "freq=" + rule->attributeOr("freq", "");
      if (const xml::Element* interval = rule->child("interval")) text += ";interval=" + interval->attributeOr("ival", "");
      if (const xml::Element* count = rule->child("count")) text += ";count=" + count->attributeOr("num", "");
      if (const xml::Element* until = rule->child("until")) text += ";until=" + until->attributeOr("d", "");
      stored.recurrence_rule = text;
    }
  }
  if (!stored.start_tz.empty()) {
    for (const xml::Element* zone : invite.childrenNamed("tz")) {
      if (zone->attributeOr("id", "") != stored.start_tz) continue;
      const std::string standard = zone->attributeOr("stdoff", "");
      stored.start_tz_offsets = standard + "/" + zone->attributeOr("dayoff", standard);
    }
  }
}

}  // namespace

Result<std::optional<ItemRef>> readFoundAppointment(const xml::Element& get_appointment_response) {
  if (get_appointment_response.name != "GetAppointmentResponse") {
    return unexpected(get_appointment_response, "expected GetAppointmentResponse");
  }
  const xml::Element* appointment = get_appointment_response.child("appt");
  if (appointment == nullptr) return std::optional<ItemRef>{};
  const std::string* id = attributeOf(*appointment, "id");
  if (id == nullptr) return unexpected(get_appointment_response, "GetAppointmentResponse <appt> has no id");
  ItemRef found{*id, appointment->attributeOr("l", ""), "", std::nullopt};
  // The series' own invite is the one without a recurId; the others are modified instances.
  const xml::Element* invite = nullptr;
  int exceptions = 0;
  for (const xml::Element* candidate : appointment->childrenNamed("inv")) {
    if (candidate->attribute("recurId") != nullptr) {
      ++exceptions;
    } else if (invite == nullptr) {
      invite = candidate;
    }
  }
  if (invite == nullptr) invite = appointment->child("inv");
  if (invite != nullptr) {
    found.invite_id = invite->attributeOr("id", "");
    if (const xml::Element* component = invite->child("comp")) {
      StoredAppointment stored;
      stored.subject = component->attributeOr("name", "");
      stored.all_day = component->attributeOr("allDay", "0") == "1";
      if (const xml::Element* start = component->child("s")) {
        stored.start = start->attributeOr("d", "");
        stored.start_tz = start->attributeOr("tz", "");
      }
      if (const xml::Element* end = component->child("e")) stored.end = end->attributeOr("d", "");
      readStoredDetails(*invite, *component, stored);
      stored.exceptions = exceptions;
      found.stored = std::move(stored);
    }
  }
  return std::optional<ItemRef>{std::move(found)};
}

Result<ItemRef> readSetAppointment(const xml::Element& set_appointment_response, std::string_view folder_id) {
  if (set_appointment_response.name != "SetAppointmentResponse") {
    return unexpected(set_appointment_response, "expected SetAppointmentResponse");
  }
  // calItemId in current servers; apptId in older ones (the QA scripts read apptId).
  const std::string* id = attributeOf(set_appointment_response, "calItemId");
  if (id == nullptr) id = attributeOf(set_appointment_response, "apptId");
  if (id == nullptr) return unexpected(set_appointment_response, "SetAppointmentResponse carries no calItemId");
  ItemRef created{*id, std::string(folder_id), "", std::nullopt};
  if (const xml::Element* default_invite = set_appointment_response.child("default")) {
    created.invite_id = default_invite->attributeOr("id", "");
  }
  return created;
}

}  // namespace m2z::zimbra
