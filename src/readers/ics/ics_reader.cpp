#include "readers/ics/ics_reader.h"

#include <libical/ical.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <vector>

#include "readers/ics/zone_rules.h"

namespace m2z::readers::ics {

namespace {

struct ComponentDeleter {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentDeleter>;

constexpr int kMinutesPerDay = 24 * 60;

std::string text(const char* value) { return value == nullptr ? std::string() : std::string(value); }

// TZIDs are matched as written, minus quoting and backslash escapes, which producers apply unevenly
// (Outlook writes `TZID:A\, B` in the VTIMEZONE and `TZID="A, B"` on the times).
std::string tzidKey(std::string tzid) {
  tzid.erase(std::remove(tzid.begin(), tzid.end(), '\\'), tzid.end());
  while (!tzid.empty() && (tzid.back() == ' ' || tzid.back() == '"' || tzid.back() == '\r')) tzid.pop_back();
  std::size_t first = 0;
  while (first < tzid.size() && (tzid[first] == ' ' || tzid[first] == '"')) ++first;
  return tzid.substr(first);
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

model::LocalDateTime localOf(const icaltimetype& time) {
  if (time.is_date) return model::LocalDateTime{model::CivilDate{time.year, time.month, time.day}, 0, 0, 0};
  return model::LocalDateTime{model::CivilDate{time.year, time.month, time.day}, time.hour, time.minute, time.second};
}

bool plausible(const icaltimetype& time) {
  if (icaltime_is_null_time(time)) return false;
  const model::CivilDate date{time.year, time.month, time.day};
  return time.year >= 1601 && time.year <= 4500 && date.isValid() && time.hour >= 0 && time.hour < 24 &&
         time.minute >= 0 && time.minute < 60 && time.second >= 0 && time.second <= 60;
}

icalproperty* first(icalcomponent* component, icalproperty_kind kind) {
  return icalcomponent_get_first_property(component, kind);
}

std::string tzidParameter(icalproperty* property) {
  icalparameter* parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
  return parameter == nullptr ? std::string() : text(icalparameter_get_tzid(parameter));
}

std::string xValue(icalcomponent* component, std::string_view name) {
  for (icalproperty* property = first(component, ICAL_X_PROPERTY); property != nullptr;
       property = icalcomponent_get_next_property(component, ICAL_X_PROPERTY)) {
    if (equalsIgnoreCase(text(icalproperty_get_x_name(property)), name)) return text(icalproperty_get_x(property));
  }
  return {};
}

// RFC 4648 section 4 base64, whitespace ignored; nullopt when the text is not base64.
std::optional<std::vector<std::uint8_t>> decodeBase64(std::string_view text) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  int have = 0;
  int padding = 0;
  for (const char ch : text) {
    int value = -1;
    if (ch >= 'A' && ch <= 'Z') value = ch - 'A';
    if (ch >= 'a' && ch <= 'z') value = ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') value = ch - '0' + 52;
    if (ch == '+') value = 62;
    if (ch == '/') value = 63;
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    if (ch == '=') {
      ++padding;
      continue;
    }
    if (value < 0 || padding > 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    have += 6;
    if (have >= 8) {
      have -= 8;
      out.push_back(static_cast<std::uint8_t>((bits >> have) & 0xFF));
    }
  }
  if (padding > 2 || have >= 6) return std::nullopt;
  return out;
}

std::string stripMailto(std::string address) {
  if (address.size() >= 7 && equalsIgnoreCase(std::string_view(address).substr(0, 7), "mailto:")) {
    address.erase(0, 7);
  }
  return address;
}

// One converted VTIMEZONE observance, or why it cannot be.
Observance observanceOf(icalcomponent* block, bool daylight) {
  Observance observance;
  observance.daylight = daylight;
  if (icalproperty* start = first(block, ICAL_DTSTART_PROPERTY)) {
    const icaltimetype time = icalproperty_get_dtstart(start);
    if (plausible(time)) observance.start = localOf(time);
  }
  if (icalproperty* from = first(block, ICAL_TZOFFSETFROM_PROPERTY)) {
    observance.offset_from_minutes = icalproperty_get_tzoffsetfrom(from) / 60;
  }
  if (icalproperty* to = first(block, ICAL_TZOFFSETTO_PROPERTY)) {
    observance.offset_to_minutes = icalproperty_get_tzoffsetto(to) / 60;
  }
  icalproperty* rrule = first(block, ICAL_RRULE_PROPERTY);
  if (rrule == nullptr) return observance;
  const icalrecurrencetype rule = icalproperty_get_rrule(rrule);
  if (!icaltime_is_null_time(rule.until)) observance.until_year = rule.until.year;
  const short month = rule.by_month[0];
  const short day = rule.by_day[0];
  if (rule.freq != ICAL_YEARLY_RECURRENCE || month == ICAL_RECURRENCE_ARRAY_MAX || day == ICAL_RECURRENCE_ARRAY_MAX ||
      month < 1 || month > 12) {
    return observance;
  }
  const int position = icalrecurrencetype_day_position(day);
  const int weekday = static_cast<int>(icalrecurrencetype_day_day_of_week(day)) - 1;  // libical: 1 = Sunday
  int week = position < 0 ? 5 : position;
  if (position == 0) {
    // "BYDAY=SU;BYMONTHDAY=8,9,...,14": the week follows from the first month day.
    const short month_day = rule.by_month_day[0];
    if (month_day == ICAL_RECURRENCE_ARRAY_MAX || month_day < 1) return observance;
    week = month_day >= 25 ? 5 : (month_day - 1) / 7 + 1;
  }
  if (weekday < 0 || weekday > 6 || week < 1 || week > 5) return observance;
  observance.yearly = model::TransitionDate{month, week, weekday, observance.start.hour, observance.start.minute,
                                            observance.start.second};
  return observance;
}

model::TimeZoneDefinition definitionOf(icalcomponent* vtimezone, const std::string& tzid) {
  std::vector<Observance> observances;
  for (icalcomponent* block = icalcomponent_get_first_component(vtimezone, ICAL_ANY_COMPONENT); block != nullptr;
       block = icalcomponent_get_next_component(vtimezone, ICAL_ANY_COMPONENT)) {
    const icalcomponent_kind kind = icalcomponent_isa(block);
    if (kind == ICAL_XSTANDARD_COMPONENT) observances.push_back(observanceOf(block, false));
    if (kind == ICAL_XDAYLIGHT_COMPONENT) observances.push_back(observanceOf(block, true));
  }
  return definitionFromObservances(tzid, std::move(observances));
}

enum class TimeKind { kUtc, kZoned, kFloating };

// A DTSTART/DTEND/RECURRENCE-ID/EXDATE value with what it is relative to.
struct TimeValue {
  model::LocalDateTime local;
  bool date_only = false;
  TimeKind kind = TimeKind::kFloating;
  const model::TimeZoneDefinition* zone = nullptr;  // kZoned
  std::string tzid;                                 // as written, when given
};

class CalendarReader {
 public:
  CalendarReader(const std::string& source, model::ItemSink& sink, const ReadOptions& options)
      : source_(source), sink_(sink), options_(options) {}

  ReadSummary run(icalcomponent* root) {
    std::vector<icalcomponent*> calendars;
    if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
      calendars.push_back(root);
    } else {
      for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT); c != nullptr;
           c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)) {
        calendars.push_back(c);
      }
    }
    model::SourceFolder folder;
    folder.path = options_.folder_path;
    folder.container_class = "IPF.Appointment";
    folder.source_file = source_;
    sink_.onFolder(folder);
    for (icalcomponent* calendar : calendars) readCalendar(calendar);
    return summary_;
  }

 private:
  struct Event {
    icalcomponent* component = nullptr;
    model::Provenance provenance;
    std::string uid;
    bool is_override = false;
  };

  model::Provenance provenanceFor(const std::string& entry) const {
    return model::Provenance{source_, options_.folder_path, entry};
  }

  void report(const model::Provenance& item, std::string kind, model::Severity severity, std::string field,
              std::string before, std::string after, std::string why, bool skipped = false) {
    sink_.onFinding(model::Finding{std::move(kind), severity, item, std::move(field), std::move(before),
                                   std::move(after), std::move(why), skipped});
    if (skipped) ++summary_.skipped;
  }

  // X-LIC-ERROR properties libical left where it dropped something, here and in nested
  // components (VALARM); `nested_events` false keeps a calendar's check off its events.
  void reportParseErrors(icalcomponent* component, const model::Provenance& item, bool nested_events = true,
                         int depth = 0) {
    for (icalproperty* error = first(component, ICAL_XLICERROR_PROPERTY); error != nullptr;
         error = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)) {
      report(item, "ics.parse_error", model::Severity::kWarning, "iCalendar text", text(icalproperty_get_xlicerror(error)),
             "", "libical could not read this part of the item and dropped it; the rest of the item is carried over");
    }
    if (depth > 8) return;
    for (icalcomponent* c = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT); c != nullptr;
         c = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)) {
      const icalcomponent_kind kind = icalcomponent_isa(c);
      const bool item_kind = kind == ICAL_VEVENT_COMPONENT || kind == ICAL_VTODO_COMPONENT ||
                             kind == ICAL_VJOURNAL_COMPONENT || kind == ICAL_VFREEBUSY_COMPONENT;
      if (item_kind && !nested_events) continue;
      reportParseErrors(c, item, nested_events, depth + 1);
    }
  }

  void readCalendar(icalcomponent* calendar) {
    reportParseErrors(calendar, provenanceFor("VCALENDAR"), false);
    zones_.clear();
    file_zone_name_.clear();
    int vtimezones = 0;
    for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VTIMEZONE_COMPONENT); c != nullptr;
         c = icalcomponent_get_next_component(calendar, ICAL_VTIMEZONE_COMPONENT)) {
      icalproperty* tzid = first(c, ICAL_TZID_PROPERTY);
      if (tzid == nullptr) continue;
      const std::string name = tzidKey(text(icalproperty_get_tzid(tzid)));
      zones_[name] = definitionOf(c, name);
      ++vtimezones;
      file_zone_name_ = name;
    }
    if (vtimezones != 1) file_zone_name_.clear();

    std::vector<Event> events;
    for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_ANY_COMPONENT); c != nullptr;
         c = icalcomponent_get_next_component(calendar, ICAL_ANY_COMPONENT)) {
      const icalcomponent_kind kind = icalcomponent_isa(c);
      if (kind == ICAL_VTIMEZONE_COMPONENT) continue;
      if (kind == ICAL_VTODO_COMPONENT) {
        readTask(c);
        continue;
      }
      if (kind != ICAL_VEVENT_COMPONENT) {
        ++summary_.other_components;
        const std::string name = text(icalcomponent_kind_to_string(kind));
        report(provenanceFor(name + " " + std::to_string(summary_.other_components)), "item.kind_not_supported_yet",
               model::Severity::kWarning, "component", name, "",
               "only events (VEVENT) and tasks (VTODO) are migrated; this component is not carried over", true);
        continue;
      }
      ++summary_.events_seen;
      Event event;
      event.component = c;
      event.provenance = provenanceFor("VEVENT " + std::to_string(summary_.events_seen));
      if (icalproperty* uid = first(c, ICAL_UID_PROPERTY)) event.uid = text(icalproperty_get_uid(uid));
      event.is_override = first(c, ICAL_RECURRENCEID_PROPERTY) != nullptr && !event.uid.empty();
      events.push_back(std::move(event));
    }

    // Overrides join their series whatever the order of the file.
    std::map<std::string, std::vector<const Event*>> overrides;
    std::map<std::string, int> masters;
    for (const auto& event : events) {
      if (event.is_override) {
        overrides[event.uid].push_back(&event);
      } else {
        ++masters[event.uid];
      }
    }
    for (const auto& event : events) {
      if (event.is_override) {
        // With no series, or several VEVENTs claiming to be it, the instance stands alone.
        const auto master = masters.find(event.uid);
        if (master == masters.end() || master->second != 1) readOrphanOverride(event);
        continue;
      }
      auto found = overrides.find(event.uid);
      const bool single_master = !event.uid.empty() && masters[event.uid] == 1;
      readEvent(event, single_master && found != overrides.end() ? found->second : std::vector<const Event*>{});
    }
  }

  // --- times ---------------------------------------------------------------------------------

  std::optional<TimeValue> timeOf(icalproperty* property, const icaltimetype& time, const model::Provenance& item,
                                  const char* field) {
    if (!plausible(time)) {
      report(item, "time.unreadable", model::Severity::kError, field, text(icalproperty_as_ical_string(property)), "",
             "the value is not a date or date-time between the years 1601 and 4500");
      return std::nullopt;
    }
    TimeValue value;
    value.local = localOf(time);
    value.date_only = time.is_date != 0;
    value.tzid = tzidKey(tzidParameter(property));
    if (icaltime_is_utc(time)) {
      value.kind = TimeKind::kUtc;
    } else if (!value.tzid.empty()) {
      auto zone = zones_.find(value.tzid);
      if (zone == zones_.end()) zone = systemZone(value.tzid, item);
      if (zone != zones_.end() && !zone->second.rules.empty()) {
        value.kind = TimeKind::kZoned;
        value.zone = &zone->second;
      } else {
        report(item, "zone.unknown_tzid", model::Severity::kWarning, field, value.tzid, floatingZoneName(),
               "the file has no usable VTIMEZONE for this TZID; the time is read as a floating time");
      }
    } else if (!value.date_only) {
      report(item, "time.floating", model::Severity::kInfo, field, value.local.toIsoString(), floatingZoneName(),
             "the time has no zone (neither TZID nor UTC); it is read in the zone chosen for floating times");
    }
    return value;
  }

  // A TZID without a VTIMEZONE in the file may still be an IANA name ("Europe/Berlin"), which
  // libical knows from the system's tzdata; its rules are read the same way as the file's.
  std::map<std::string, model::TimeZoneDefinition>::iterator systemZone(const std::string& tzid,
                                                                         const model::Provenance& item) {
    icaltimezone* builtin = icaltimezone_get_builtin_timezone(tzid.c_str());
    if (builtin == nullptr) return zones_.end();
    icalcomponent* vtimezone = icaltimezone_get_component(builtin);  // owned by libical's cache
    if (vtimezone == nullptr) return zones_.end();
    model::TimeZoneDefinition definition = definitionOf(vtimezone, tzid);
    if (definition.rules.empty()) return zones_.end();
    definition.source_property = "TZID (system tzdata)";
    report(item, "zone.from_system_tzdata", model::Severity::kInfo, "TZID", tzid, tzid,
           "the file has no VTIMEZONE for this TZID; the rules of the IANA zone of that name are used");
    return zones_.emplace(tzid, std::move(definition)).first;
  }

  std::string floatingZoneName() const {
    return options_.floating_zone ? options_.floating_zone->key_name : std::string("UTC");
  }

  const model::TimeZoneDefinition* zoneOf(const TimeValue& value) const {
    if (value.kind == TimeKind::kZoned) return value.zone;
    if (value.kind == TimeKind::kFloating && options_.floating_zone) return &*options_.floating_zone;
    return nullptr;
  }

  model::Instant instantOf(const TimeValue& value) const {
    const model::TimeZoneDefinition* zone = zoneOf(value);
    return model::fromLocal(value.local, zone == nullptr ? 0 : offsetForLocal(*zone, value.local));
  }

  // A wall time in the series' zone (UTC when it has none).
  static model::LocalDateTime localIn(const model::TimeZoneDefinition* zone, model::Instant instant) {
    return model::toLocal(instant, zone == nullptr ? 0 : offsetForInstant(*zone, instant));
  }

  // The same instance named in the series' zone: a date stays a date.
  model::LocalDateTime seriesLocal(const TimeValue& value, const model::TimeZoneDefinition* series_zone) const {
    if (value.date_only || zoneOf(value) == series_zone) return value.local;
    return localIn(series_zone, instantOf(value));
  }

  // --- one event -------------------------------------------------------------------------------

  struct Times {
    TimeValue start;
    model::Instant start_instant;
    model::Instant end_instant;
    bool all_day = false;
  };

  std::optional<Times> timesOf(icalcomponent* c, const model::Provenance& item) {
    icalproperty* dtstart = first(c, ICAL_DTSTART_PROPERTY);
    if (dtstart == nullptr) return std::nullopt;
    auto start = timeOf(dtstart, icalproperty_get_dtstart(dtstart), item, "DTSTART");
    if (!start) return std::nullopt;
    Times times;
    times.start = *start;
    times.start_instant = instantOf(*start);
    times.all_day = start->date_only || equalsIgnoreCase(xValue(c, "X-MICROSOFT-CDO-ALLDAYEVENT"), "TRUE");
    times.end_instant = times.start_instant;
    if (start->date_only) times.end_instant.unix_seconds += std::int64_t{kMinutesPerDay} * 60;  // RFC 5545 3.6.1
    if (icalproperty* dtend = first(c, ICAL_DTEND_PROPERTY)) {
      if (auto end = timeOf(dtend, icalproperty_get_dtend(dtend), item, "DTEND")) {
        times.end_instant = instantOf(*end);
      }
    } else if (icalproperty* duration = first(c, ICAL_DURATION_PROPERTY)) {
      const icaldurationtype length = icalproperty_get_duration(duration);
      if (!icaldurationtype_is_bad_duration(length)) {
        times.end_instant.unix_seconds = times.start_instant.unix_seconds + icaldurationtype_as_int(length);
      }
    }
    return times;
  }

  static model::BusyStatus busyOf(icalcomponent* c, model::BusyStatus fallback) {
    const std::string busy = xValue(c, "X-MICROSOFT-CDO-BUSYSTATUS");
    if (equalsIgnoreCase(busy, "FREE")) return model::BusyStatus::kFree;
    if (equalsIgnoreCase(busy, "TENTATIVE")) return model::BusyStatus::kTentative;
    if (equalsIgnoreCase(busy, "BUSY")) return model::BusyStatus::kBusy;
    if (equalsIgnoreCase(busy, "OOF")) return model::BusyStatus::kOutOfOffice;
    if (equalsIgnoreCase(busy, "WORKINGELSEWHERE")) return model::BusyStatus::kWorkingElsewhere;
    if (icalproperty* transp = first(c, ICAL_TRANSP_PROPERTY)) {
      if (icalproperty_get_transp(transp) == ICAL_TRANSP_TRANSPARENT) return model::BusyStatus::kFree;
    }
    return fallback;
  }

  static model::Person personOf(icalproperty* property, const char* address) {
    model::Person person;
    person.email = stripMailto(text(address));
    if (icalparameter* cn = icalproperty_get_first_parameter(property, ICAL_CN_PARAMETER)) {
      person.display_name = text(icalparameter_get_cn(cn));
    }
    person.address_type = "SMTP";
    return person;
  }

  static std::vector<model::Attendee> attendeesOf(icalcomponent* c) {
    std::vector<model::Attendee> attendees;
    for (icalproperty* p = first(c, ICAL_ATTENDEE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
      model::Attendee attendee;
      attendee.person = personOf(p, icalproperty_get_attendee(p));
      if (icalparameter* role = icalproperty_get_first_parameter(p, ICAL_ROLE_PARAMETER)) {
        const icalparameter_role value = icalparameter_get_role(role);
        if (value == ICAL_ROLE_OPTPARTICIPANT || value == ICAL_ROLE_NONPARTICIPANT) {
          attendee.role = model::AttendeeRole::kOptional;
        }
      }
      if (icalparameter* cutype = icalproperty_get_first_parameter(p, ICAL_CUTYPE_PARAMETER)) {
        const icalparameter_cutype value = icalparameter_get_cutype(cutype);
        if (value == ICAL_CUTYPE_RESOURCE || value == ICAL_CUTYPE_ROOM) attendee.role = model::AttendeeRole::kResource;
      }
      if (icalparameter* partstat = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER)) {
        switch (icalparameter_get_partstat(partstat)) {
          case ICAL_PARTSTAT_ACCEPTED: attendee.response = model::ResponseStatus::kAccepted; break;
          case ICAL_PARTSTAT_DECLINED: attendee.response = model::ResponseStatus::kDeclined; break;
          case ICAL_PARTSTAT_TENTATIVE: attendee.response = model::ResponseStatus::kTentative; break;
          case ICAL_PARTSTAT_NEEDSACTION: attendee.response = model::ResponseStatus::kNotResponded; break;
          default: break;
        }
      }
      attendees.push_back(std::move(attendee));
    }
    return attendees;
  }

  // Minutes before the start of the first VALARM, if any.
  std::optional<int> reminderOf(icalcomponent* c, const Times& times, const model::Provenance& item) {
    icalcomponent* alarm = icalcomponent_get_first_component(c, ICAL_VALARM_COMPONENT);
    if (alarm == nullptr) return std::nullopt;
    icalproperty* trigger = first(alarm, ICAL_TRIGGER_PROPERTY);
    if (trigger == nullptr) return std::nullopt;
    const icaltriggertype value = icalproperty_get_trigger(trigger);
    std::int64_t before_seconds = 0;
    if (!icaltime_is_null_time(value.time)) {
      if (!plausible(value.time)) return std::nullopt;
      const model::Instant at = model::fromLocal(localOf(value.time), 0);  // absolute triggers are UTC
      before_seconds = times.start_instant.unix_seconds - at.unix_seconds;
    } else {
      before_seconds = -static_cast<std::int64_t>(icaldurationtype_as_int(value.duration));
      icalparameter* related = icalproperty_get_first_parameter(trigger, ICAL_RELATED_PARAMETER);
      if (related != nullptr && icalparameter_get_related(related) == ICAL_RELATED_END) {
        before_seconds -= times.end_instant.unix_seconds - times.start_instant.unix_seconds;
      }
    }
    if (before_seconds < 0) {
      report(item, "reminder.after_start", model::Severity::kWarning, "VALARM TRIGGER",
             text(icalproperty_get_value_as_string(trigger)), "0",
             "a reminder after the start is not possible; it fires at the start");
      return 0;
    }
    return static_cast<int>(std::min<std::int64_t>(before_seconds / 60, std::int64_t{366} * kMinutesPerDay));
  }

  void readCommon(icalcomponent* c, model::Appointment& appointment, const Times& times) {
    if (icalproperty* p = first(c, ICAL_SUMMARY_PROPERTY)) appointment.subject = text(icalproperty_get_summary(p));
    if (icalproperty* p = first(c, ICAL_LOCATION_PROPERTY)) appointment.location = text(icalproperty_get_location(p));
    if (icalproperty* p = first(c, ICAL_DESCRIPTION_PROPERTY)) {
      appointment.body = text(icalproperty_get_description(p));
    }
    appointment.start = times.start_instant;
    appointment.end = times.end_instant;
    appointment.all_day = times.all_day;
    if (icalproperty* p = first(c, ICAL_ORGANIZER_PROPERTY)) {
      appointment.organizer = personOf(p, icalproperty_get_organizer(p));
    }
    appointment.attendees = attendeesOf(c);
    appointment.is_meeting = !appointment.attendees.empty();
    appointment.reminder_minutes_before = reminderOf(c, times, appointment.provenance);
    appointment.busy_status = busyOf(c, model::BusyStatus::kBusy);
  }

  void readStatus(icalcomponent* c, model::Appointment& appointment) {
    if (icalproperty* p = first(c, ICAL_CLASS_PROPERTY)) {
      switch (icalproperty_get_class(p)) {
        case ICAL_CLASS_PRIVATE: appointment.sensitivity = model::Sensitivity::kPrivate; break;
        case ICAL_CLASS_CONFIDENTIAL: appointment.sensitivity = model::Sensitivity::kConfidential; break;
        default: break;
      }
    }
    for (icalproperty* p = first(c, ICAL_CATEGORIES_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_CATEGORIES_PROPERTY)) {
      std::stringstream values(text(icalproperty_get_categories(p)));
      for (std::string category; std::getline(values, category, ',');) {
        if (!category.empty()) appointment.categories.push_back(category);
      }
    }
    readAttachments(c, appointment.provenance, &appointment.attachments);
  }

  void readEvent(const Event& event, const std::vector<const Event*>& overrides) {
    icalcomponent* c = event.component;
    reportParseErrors(c, event.provenance);
    auto times = timesOf(c, event.provenance);
    if (!times) {
      report(event.provenance, "item.no_start", model::Severity::kError, "DTSTART", "", "",
             "the event has no readable start, so it cannot be placed in a calendar", true);
      for (const Event* override_event : overrides) {
        report(override_event->provenance, "recurrence.override_without_series", model::Severity::kError,
               "RECURRENCE-ID", "", "", "the series this instance belongs to could not be read", true);
      }
      return;
    }
    model::Appointment appointment;
    appointment.provenance = event.provenance;
    appointment.message_class = "IPM.Appointment";
    appointment.uid = event.uid;
    appointment.uid_origin = event.uid.empty() ? model::UidOrigin::kNone : model::UidOrigin::kExternalUid;
    readCommon(c, appointment, *times);
    readStatus(c, appointment);
    const model::TimeZoneDefinition* zone = zoneOf(times->start);
    if (zone != nullptr) {
      appointment.start_zone = *zone;
      appointment.end_zone = *zone;
    }

    icalproperty* rrule = first(c, ICAL_RRULE_PROPERTY);
    appointment.is_recurring = rrule != nullptr;
    bool series_ok = false;
    if (rrule != nullptr) {
      if (icalcomponent_count_properties(c, ICAL_RRULE_PROPERTY) > 1) {
        report(event.provenance, "recurrence.not_converted", model::Severity::kWarning, "RRULE", "several RRULEs", "",
               "only the first RRULE is carried over");
      }
      model::Recurrence recurrence;
      std::string why;
      if (convertRule(icalproperty_get_rrule(rrule), *times, zone, recurrence, why)) {
        addDeletedDates(c, *times, zone, event.provenance, recurrence);
        for (const Event* override_event : overrides) addException(*override_event, appointment, zone, recurrence);
        appointment.recurrence = std::move(recurrence);
        series_ok = true;
      } else {
        report(event.provenance, "recurrence.not_converted", model::Severity::kWarning, "RRULE",
               text(icalproperty_get_value_as_string(rrule)), "", why);
      }
    }
    if (!series_ok) {
      for (const Event* override_event : overrides) readOrphanOverride(*override_event);
    }
    ++summary_.appointments;
    sink_.onAppointment(std::move(appointment));
  }

  // An instance whose series is not in the file (an iTIP update of one occurrence, say): carried
  // over as an item of its own.
  void readOrphanOverride(const Event& event) {
    icalcomponent* c = event.component;
    reportParseErrors(c, event.provenance);
    auto times = timesOf(c, event.provenance);
    if (!times) {
      report(event.provenance, "item.no_start", model::Severity::kError, "DTSTART", "", "",
             "the event has no readable start, so it cannot be placed in a calendar", true);
      return;
    }
    report(event.provenance, "recurrence.override_without_series", model::Severity::kWarning, "RECURRENCE-ID",
           text(icalproperty_get_value_as_string(first(c, ICAL_RECURRENCEID_PROPERTY))), "single item",
           "the series this instance belongs to is not in the file (or could not be converted); the instance is "
           "carried over as an item of its own");
    model::Appointment appointment;
    appointment.provenance = event.provenance;
    appointment.message_class = "IPM.Appointment";
    appointment.uid = event.uid;
    appointment.uid_origin = model::UidOrigin::kExternalUid;
    readCommon(c, appointment, *times);
    readStatus(c, appointment);
    if (const model::TimeZoneDefinition* zone = zoneOf(times->start)) {
      appointment.start_zone = *zone;
      appointment.end_zone = *zone;
    }
    ++summary_.appointments;
    sink_.onAppointment(std::move(appointment));
  }

  // --- attachments -----------------------------------------------------------------------------

  static std::string xParameter(icalproperty* property, std::string_view name) {
    for (icalparameter* p = icalproperty_get_first_parameter(property, ICAL_X_PARAMETER); p != nullptr;
         p = icalproperty_get_next_parameter(property, ICAL_X_PARAMETER)) {
      if (equalsIgnoreCase(text(icalparameter_get_xname(p)), name)) return text(icalparameter_get_xvalue(p));
    }
    return {};
  }

  // ATTACH properties (RFC 5545 3.8.1.1): inline BASE64 ones become Attachments of `out`; links
  // are named in a finding and not fetched. `out` null: the item kind cannot hold attachments.
  void readAttachments(icalcomponent* c, const model::Provenance& item, std::vector<model::Attachment>* out) {
    int index = 0;
    for (icalproperty* p = first(c, ICAL_ATTACH_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_ATTACH_PROPERTY)) {
      ++index;
      icalattach* attach = icalproperty_get_attach(p);
      if (attach == nullptr) continue;  // libical reported it as X-LIC-ERROR already
      model::Attachment attachment;
      attachment.name = xParameter(p, "X-FILENAME");
      if (attachment.name.empty()) attachment.name = xParameter(p, "FILENAME");
      if (attachment.name.empty()) attachment.name = "attachment " + std::to_string(index);
      if (icalparameter* type = icalproperty_get_first_parameter(p, ICAL_FMTTYPE_PARAMETER)) {
        attachment.mime_type = text(icalparameter_get_fmttype(type));
      }
      if (attachment.mime_type.empty()) attachment.mime_type = "application/octet-stream";
      if (icalattach_get_is_url(attach) != 0) {
        report(item, "attachment.url_not_fetched", model::Severity::kWarning, "ATTACH",
               text(icalattach_get_url(attach)), "",
               "the attachment is a link, not content; it is not downloaded and the item is carried over without it");
        continue;
      }
      const char* data = reinterpret_cast<const char*>(icalattach_get_data(attach));
      const std::string_view encoded = data == nullptr ? std::string_view() : std::string_view(data);
      // Decoded base64 is three bytes per four characters: the cap is checked before decoding.
      const std::uint64_t estimated = encoded.size() / 4 * 3;
      if (estimated > options_.max_attachment_bytes + 3) {
        report(item, "attachment.too_large", model::Severity::kWarning, "ATTACH " + attachment.name,
               std::to_string(estimated) + " bytes", "",
               "the attachment is larger than the limit of " + std::to_string(options_.max_attachment_bytes) +
                   " bytes; the item is carried over without it");
        continue;
      }
      auto content = decodeBase64(encoded);
      if (!content || content->size() > options_.max_attachment_bytes) {
        report(item, content ? "attachment.too_large" : "attachment.unreadable", model::Severity::kWarning,
               "ATTACH " + attachment.name, std::to_string(encoded.size()) + " characters", "",
               content ? "the attachment is larger than the limit; the item is carried over without it"
                       : "the inline attachment is not BASE64 text; the item is carried over without it");
        continue;
      }
      if (out == nullptr) {
        report(item, "attachment.not_carried", model::Severity::kWarning, "ATTACH " + attachment.name,
               std::to_string(content->size()) + " bytes", "",
               "tasks carry no attachments in the model; the task is carried over without it");
        continue;
      }
      attachment.size = content->size();
      attachment.content = std::move(*content);
      out->push_back(std::move(attachment));
    }
  }

  // --- one task (VTODO) ------------------------------------------------------------------------

  const model::TimeZoneDefinition* knownZone(const std::string& tzid, const model::Provenance& item) {
    if (tzid.empty()) return nullptr;
    auto zone = zones_.find(tzid);
    if (zone == zones_.end()) zone = systemZone(tzid, item);
    if (zone == zones_.end() || zone->second.rules.empty()) return nullptr;
    return &zone->second;
  }

  // The zone the task itself names on DTSTART or DUE, if any.
  const model::TimeZoneDefinition* taskZone(icalcomponent* c, const model::Provenance& item) {
    for (const icalproperty_kind kind : {ICAL_DTSTART_PROPERTY, ICAL_DUE_PROPERTY}) {
      icalproperty* p = first(c, kind);
      if (p == nullptr) continue;
      if (const model::TimeZoneDefinition* zone = knownZone(tzidKey(tzidParameter(p)), item)) return zone;
    }
    return nullptr;
  }

  // The zone a task's UTC or floating time is read in when the task names none: the calendar's
  // only VTIMEZONE, else the floating zone of the options; null is UTC.
  const model::TimeZoneDefinition* assumedZone() const {
    if (!file_zone_name_.empty()) {
      const auto zone = zones_.find(file_zone_name_);
      if (zone != zones_.end() && !zone->second.rules.empty()) return &zone->second;
    }
    return options_.floating_zone ? &*options_.floating_zone : nullptr;
  }

  static std::string zoneName(const model::TimeZoneDefinition* zone) {
    return zone == nullptr ? std::string("UTC") : zone->key_name;
  }

  // DTSTART/DUE as the civil date the user sees ([MS-OXOTASK] 2.2.2.2.4 keeps only that date).
  std::optional<model::CivilDate> taskDate(icalproperty* p, const icaltimetype& time, const model::Provenance& item,
                                           const model::TimeZoneDefinition* task_zone, const char* field) {
    if (!plausible(time)) {
      report(item, "time.unreadable", model::Severity::kError, field, text(icalproperty_as_ical_string(p)), "",
             "the value is not a date or date-time between the years 1601 and 4500");
      return std::nullopt;
    }
    const model::LocalDateTime local = localOf(time);
    // A date, a zoned or a floating time is already a wall reading: its date is the date.
    if (time.is_date || !icaltime_is_utc(time)) return local.date;
    // Exchange writes a task date as midnight UTC of the date itself ([MS-OXOTASK] 2.2.2.2.4).
    if (local.isMidnight()) return local.date;
    const model::TimeZoneDefinition* zone = task_zone != nullptr ? task_zone : assumedZone();
    const model::Instant instant = model::fromLocal(local, 0);
    const model::CivilDate date = localIn(zone, instant).date;
    if (task_zone == nullptr) {
      report(item, "task.date_zone_assumed", model::Severity::kInfo, field, local.toIsoString() + "Z",
             date.toIsoString(),
             "the task names no zone; its UTC time is read as a date in " + zoneName(zone) +
                 " (the calendar's only VTIMEZONE, else the zone chosen for floating times)");
    }
    return date;
  }

  // DTSTART/DUE as an instant, for alarms relative to them (RFC 5545 3.8.6.3).
  std::optional<model::Instant> taskInstant(icalproperty* p, const icaltimetype& time, const model::Provenance& item,
                                            const model::TimeZoneDefinition* task_zone) {
    if (!plausible(time)) return std::nullopt;
    const model::LocalDateTime local = localOf(time);
    if (icaltime_is_utc(time)) return model::fromLocal(local, 0);
    const model::TimeZoneDefinition* zone = knownZone(tzidKey(tzidParameter(p)), item);
    if (zone == nullptr) zone = task_zone != nullptr ? task_zone : assumedZone();
    return model::fromLocal(local, zone == nullptr ? 0 : offsetForLocal(*zone, local));
  }

  std::optional<model::Instant> taskReminder(icalcomponent* c, const model::Provenance& item,
                                             const model::TimeZoneDefinition* task_zone) {
    icalcomponent* alarm = icalcomponent_get_first_component(c, ICAL_VALARM_COMPONENT);
    if (alarm == nullptr) return std::nullopt;
    icalproperty* trigger = first(alarm, ICAL_TRIGGER_PROPERTY);
    if (trigger == nullptr) return std::nullopt;
    const icaltriggertype value = icalproperty_get_trigger(trigger);
    if (!icaltime_is_null_time(value.time)) {
      if (!plausible(value.time)) return std::nullopt;
      return model::fromLocal(localOf(value.time), 0);  // absolute triggers are UTC (RFC 5545 3.8.6.3)
    }
    icalparameter* related = icalproperty_get_first_parameter(trigger, ICAL_RELATED_PARAMETER);
    const bool from_due = related != nullptr && icalparameter_get_related(related) == ICAL_RELATED_END;
    icalproperty* anchor = first(c, from_due ? ICAL_DUE_PROPERTY : ICAL_DTSTART_PROPERTY);
    std::optional<model::Instant> at;
    if (anchor != nullptr) {
      at = taskInstant(anchor, from_due ? icalproperty_get_due(anchor) : icalproperty_get_dtstart(anchor), item,
                       task_zone);
    }
    if (!at) {
      report(item, "reminder.unanchored", model::Severity::kWarning, "VALARM TRIGGER",
             text(icalproperty_get_value_as_string(trigger)), "",
             std::string("the reminder is relative to ") + (from_due ? "DUE" : "DTSTART") +
                 ", which the task does not have; the reminder is dropped");
      return std::nullopt;
    }
    at->unix_seconds += icaldurationtype_as_int(value.duration);
    return at;
  }

  void announceTaskFolder() {
    if (task_folder_announced_) return;
    task_folder_announced_ = true;
    model::SourceFolder folder;
    folder.path = options_.task_folder_path;
    folder.container_class = "IPF.Task";
    folder.source_file = source_;
    sink_.onFolder(folder);
  }

  static void readTaskProgress(icalcomponent* c, model::Task& task) {
    if (icalproperty* p = first(c, ICAL_PERCENTCOMPLETE_PROPERTY)) {
      task.percent_complete = std::clamp(icalproperty_get_percentcomplete(p), 0, 100);
    }
    if (icalproperty* p = first(c, ICAL_STATUS_PROPERTY)) {
      switch (icalproperty_get_status(p)) {
        case ICAL_STATUS_INPROCESS: task.status = model::TaskStatus::kInProgress; break;
        case ICAL_STATUS_COMPLETED: task.status = model::TaskStatus::kComplete; break;
        // Outlook has no cancelled task; deferred is the status that keeps it open and not done.
        case ICAL_STATUS_CANCELLED: task.status = model::TaskStatus::kDeferred; break;
        default: break;
      }
    } else if (first(c, ICAL_COMPLETED_PROPERTY) != nullptr) {
      task.status = model::TaskStatus::kComplete;  // a completion time with no STATUS still means done
    }
    // As the PST mapper does: a completed task is complete and 100 % done.
    task.complete = task.status == model::TaskStatus::kComplete;
    if (task.complete) task.percent_complete = 100;
    if (icalproperty* p = first(c, ICAL_PRIORITY_PROPERTY)) {
      const int priority = icalproperty_get_priority(p);  // RFC 5545 3.8.1.9: 0 undefined
      if (priority >= 1 && priority <= 4) task.importance = model::Importance::kHigh;
      if (priority >= 6 && priority <= 9) task.importance = model::Importance::kLow;
    }
    // Exchange's own importance (0 high, 1 normal, 2 low) names PidTagImportance exactly, so it wins.
    const std::string importance = xValue(c, "X-MICROSOFT-CDO-IMPORTANCE");
    if (importance == "0") task.importance = model::Importance::kHigh;
    if (importance == "1") task.importance = model::Importance::kNormal;
    if (importance == "2") task.importance = model::Importance::kLow;
  }

  void readTask(icalcomponent* c) {
    ++summary_.tasks_seen;
    const model::Provenance item{source_, options_.task_folder_path, "VTODO " + std::to_string(summary_.tasks_seen)};
    announceTaskFolder();
    reportParseErrors(c, item);
    model::Task task;
    task.provenance = item;
    task.message_class = "IPM.Task";
    if (icalproperty* p = first(c, ICAL_SUMMARY_PROPERTY)) task.subject = text(icalproperty_get_summary(p));
    if (icalproperty* p = first(c, ICAL_DESCRIPTION_PROPERTY)) task.body = text(icalproperty_get_description(p));
    const model::TimeZoneDefinition* zone = taskZone(c, item);
    if (icalproperty* p = first(c, ICAL_DTSTART_PROPERTY)) {
      task.start = taskDate(p, icalproperty_get_dtstart(p), item, zone, "DTSTART");
    }
    if (icalproperty* p = first(c, ICAL_DUE_PROPERTY)) {
      task.due = taskDate(p, icalproperty_get_due(p), item, zone, "DUE");
    }
    if (task.start && task.due && *task.due < *task.start) {
      report(item, "property.bad_value", model::Severity::kWarning, "DUE", task.due->toIsoString(),
             task.start->toIsoString(), "the due date lies before the start date; the due date is set to the start date");
      task.due = task.start;
    }
    if (icalproperty* p = first(c, ICAL_COMPLETED_PROPERTY)) {
      const icaltimetype completed = icalproperty_get_completed(p);
      if (plausible(completed)) {
        task.date_completed = taskInstant(p, completed, item, zone);
      } else {
        report(item, "time.unreadable", model::Severity::kWarning, "COMPLETED", text(icalproperty_as_ical_string(p)),
               "", "the completion time is not a readable date-time; it is left out");
      }
    }
    readTaskProgress(c, task);
    task.reminder = taskReminder(c, item, zone);
    if (icalproperty* p = first(c, ICAL_ORGANIZER_PROPERTY)) {
      const model::Person owner = personOf(p, icalproperty_get_organizer(p));
      task.owner = owner.display_name.empty() ? owner.email : owner.display_name;
    }
    for (icalproperty* p = first(c, ICAL_CATEGORIES_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_CATEGORIES_PROPERTY)) {
      std::stringstream values(text(icalproperty_get_categories(p)));
      for (std::string category; std::getline(values, category, ',');) {
        if (!category.empty()) task.categories.push_back(category);
      }
    }
    if (icalproperty* p = first(c, ICAL_CLASS_PROPERTY)) {
      const icalproperty_class value = icalproperty_get_class(p);
      if (value == ICAL_CLASS_PRIVATE || value == ICAL_CLASS_CONFIDENTIAL) {
        report(item, "task.sensitivity_not_carried", model::Severity::kWarning, "CLASS",
               text(icalproperty_get_value_as_string(p)), "",
               "the task model has no sensitivity; the task is carried over as a normal one");
      }
    }
    if (icalproperty* rrule = first(c, ICAL_RRULE_PROPERTY)) {
      task.is_recurring = true;
      report(item, "task.recurrence_not_converted", model::Severity::kWarning, "RRULE",
             text(icalproperty_get_value_as_string(rrule)), "",
             "task series are not converted: the task is carried over as its current occurrence");
    }
    readAttachments(c, item, nullptr);
    ++summary_.tasks;
    sink_.onTask(std::move(task));
  }

  // --- recurrence ------------------------------------------------------------------------------

  static std::vector<short> listOf(const short* values, int size) {
    std::vector<short> list;
    for (int i = 0; i < size && values[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) list.push_back(values[i]);
    return list;
  }

  static model::Weekday weekdayOf(const model::CivilDate& date) {
    return static_cast<model::Weekday>(std::chrono::weekday{date.toDays()}.c_encoding());
  }

  bool convertRule(const icalrecurrencetype& rule, const Times& times, const model::TimeZoneDefinition* zone,
                   model::Recurrence& out, std::string& why) const {
    const auto unsupported = [&](const char* part) {
      why = std::string("Outlook's recurrence patterns cannot hold ") + part + "; the series is carried over as its "
            "first instance only";
      return false;
    };
    if (!listOf(rule.by_second, ICAL_BY_SECOND_SIZE).empty() || !listOf(rule.by_minute, ICAL_BY_MINUTE_SIZE).empty() ||
        !listOf(rule.by_hour, ICAL_BY_HOUR_SIZE).empty()) {
      return unsupported("BYHOUR/BYMINUTE/BYSECOND");
    }
    if (!listOf(rule.by_year_day, ICAL_BY_YEARDAY_SIZE).empty() || !listOf(rule.by_week_no, ICAL_BY_WEEKNO_SIZE).empty()) {
      return unsupported("BYYEARDAY/BYWEEKNO");
    }
    const std::vector<short> by_day = listOf(rule.by_day, ICAL_BY_DAY_SIZE);
    const std::vector<short> by_month_day = listOf(rule.by_month_day, ICAL_BY_MONTHDAY_SIZE);
    const std::vector<short> by_month = listOf(rule.by_month, ICAL_BY_MONTH_SIZE);
    const std::vector<short> by_set_pos = listOf(rule.by_set_pos, ICAL_BY_SETPOS_SIZE);
    if (by_month_day.size() > 1) return unsupported("several BYMONTHDAY values");
    if (by_month.size() > 1) return unsupported("several BYMONTH values");
    if (by_set_pos.size() > 1) return unsupported("several BYSETPOS values");

    const model::LocalDateTime start = times.start.local;
    out.interval = rule.interval > 0 ? rule.interval : 1;
    out.start_date = start.date;
    if (times.all_day) {
      const std::int64_t days = (times.end_instant.unix_seconds - times.start_instant.unix_seconds + 43200) / 86400;
      out.start_minute = 0;
      out.end_minute = static_cast<int>(std::clamp<std::int64_t>(days, 1, 3660)) * kMinutesPerDay;
    } else {
      out.start_minute = start.hour * 60 + start.minute;
      const std::int64_t minutes = (times.end_instant.unix_seconds - times.start_instant.unix_seconds) / 60;
      out.end_minute = out.start_minute + static_cast<int>(std::clamp<std::int64_t>(minutes, 0, 3660 * 1440));
    }
    if (rule.week_start >= ICAL_SUNDAY_WEEKDAY && rule.week_start <= ICAL_SATURDAY_WEEKDAY) {
      out.first_day_of_week = static_cast<model::Weekday>(static_cast<int>(rule.week_start) - 1);
    }

    // Weekdays and their common position (from "2TU" or BYSETPOS=2).
    std::vector<model::Weekday> days;
    int position = by_set_pos.empty() ? 0 : by_set_pos.front();
    for (const short day : by_day) {
      const int weekday = static_cast<int>(icalrecurrencetype_day_day_of_week(day)) - 1;
      if (weekday < 0 || weekday > 6) return unsupported("this BYDAY value");
      const int day_position = icalrecurrencetype_day_position(day);
      if (day_position != 0) {
        if (position != 0 && position != day_position) return unsupported("BYDAY values with different positions");
        position = day_position;
      }
      days.push_back(static_cast<model::Weekday>(weekday));
    }
    std::sort(days.begin(), days.end());
    if (position != -1 && (position < -1 || position > 4)) return unsupported("this BYDAY/BYSETPOS position");

    switch (rule.freq) {
      case ICAL_DAILY_RECURRENCE:
        out.pattern = model::RecurrencePattern::kDaily;
        if (!by_month_day.empty() || !by_month.empty() || position != 0) return unsupported("a filtered daily rule");
        if (!days.empty()) {
          const std::vector<model::Weekday> workweek{model::Weekday::kMonday, model::Weekday::kTuesday,
                                                     model::Weekday::kWednesday, model::Weekday::kThursday,
                                                     model::Weekday::kFriday};
          if (days != workweek || out.interval != 1) return unsupported("a daily rule on these weekdays");
          out.every_weekday = true;
          out.weekdays = days;
        }
        break;
      case ICAL_WEEKLY_RECURRENCE:
        out.pattern = model::RecurrencePattern::kWeekly;
        if (!by_month_day.empty() || !by_month.empty() || position != 0) return unsupported("a filtered weekly rule");
        out.weekdays = days.empty() ? std::vector<model::Weekday>{weekdayOf(start.date)} : days;
        break;
      case ICAL_MONTHLY_RECURRENCE:
      case ICAL_YEARLY_RECURRENCE: {
        const bool yearly = rule.freq == ICAL_YEARLY_RECURRENCE;
        if (!yearly && !by_month.empty()) return unsupported("BYMONTH in a monthly rule");
        out.month = yearly ? (by_month.empty() ? start.date.month : by_month.front()) : 0;
        if (!days.empty()) {
          if (!by_month_day.empty()) return unsupported("BYDAY together with BYMONTHDAY");
          if (position == 0) return unsupported("every such weekday of the month");
          out.pattern = yearly ? model::RecurrencePattern::kYearlyNth : model::RecurrencePattern::kMonthlyNth;
          out.weekdays = days;
          out.week_of_month = position;
        } else {
          if (position != 0) return unsupported("BYSETPOS without BYDAY");
          out.pattern = yearly ? model::RecurrencePattern::kYearlyByDay : model::RecurrencePattern::kMonthlyByDay;
          out.day_of_month = by_month_day.empty() ? start.date.day : by_month_day.front();
          if (out.day_of_month != -1 && (out.day_of_month < 1 || out.day_of_month > 31)) {
            return unsupported("this BYMONTHDAY value");
          }
        }
        if (yearly && (out.month < 1 || out.month > 12)) return unsupported("this BYMONTH value");
        break;
      }
      default:
        return unsupported("this frequency");
    }

    if (rule.count > 0) {
      out.end = model::RecurrenceEnd::kAfterCount;
      out.count = rule.count;
    } else if (!icaltime_is_null_time(rule.until)) {
      if (!plausible(rule.until)) return unsupported("an unreadable UNTIL");
      out.end = model::RecurrenceEnd::kByDate;
      if (rule.until.is_date || !icaltime_is_utc(rule.until)) {
        out.end_date = localOf(rule.until).date;
      } else {
        out.end_date = localIn(zone, model::fromLocal(localOf(rule.until), 0)).date;
      }
    }
    return true;
  }

  void addDeletedDates(icalcomponent* c, const Times& times, const model::TimeZoneDefinition* zone,
                       const model::Provenance& item, model::Recurrence& recurrence) {
    for (icalproperty* p = first(c, ICAL_EXDATE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_EXDATE_PROPERTY)) {
      if (auto value = timeOf(p, icalproperty_get_exdate(p), item, "EXDATE")) {
        recurrence.deleted_dates.push_back(seriesLocal(*value, zone).date);
      }
    }
    for (icalproperty* p = first(c, ICAL_RDATE_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(c, ICAL_RDATE_PROPERTY)) {
      const icaldatetimeperiodtype rdate = icalproperty_get_rdate(p);
      std::optional<TimeValue> value;
      if (!icaltime_is_null_time(rdate.time)) value = timeOf(p, rdate.time, item, "RDATE");
      // Outlook repeats DTSTART as an RDATE; that instance is already the series' first.
      if (value && seriesLocal(*value, zone) == times.start.local) continue;
      report(item, "recurrence.rdate_not_carried", model::Severity::kWarning, "RDATE",
             text(icalproperty_get_value_as_string(p)), "",
             "Outlook's recurrence patterns cannot add single dates to a series; this instance is not carried over");
    }
    std::sort(recurrence.deleted_dates.begin(), recurrence.deleted_dates.end());
    recurrence.deleted_dates.erase(std::unique(recurrence.deleted_dates.begin(), recurrence.deleted_dates.end()),
                                   recurrence.deleted_dates.end());
  }

  void addException(const Event& event, const model::Appointment& series, const model::TimeZoneDefinition* zone,
                    model::Recurrence& recurrence) {
    icalcomponent* c = event.component;
    reportParseErrors(c, event.provenance);
    icalproperty* rid = first(c, ICAL_RECURRENCEID_PROPERTY);
    auto original = timeOf(rid, icalproperty_get_recurrenceid(rid), event.provenance, "RECURRENCE-ID");
    auto times = timesOf(c, event.provenance);
    ++summary_.overrides_merged;
    if (!original || !times) {
      report(event.provenance, "recurrence.exception_unreadable", model::Severity::kWarning, "RECURRENCE-ID", "", "",
             "the modified instance has no readable original or new start; the instance keeps the series' values");
      return;
    }
    model::AppointmentException exception;
    exception.original_start = seriesLocal(*original, zone);
    recurrence.deleted_dates.push_back(exception.original_start.date);
    std::sort(recurrence.deleted_dates.begin(), recurrence.deleted_dates.end());
    recurrence.deleted_dates.erase(std::unique(recurrence.deleted_dates.begin(), recurrence.deleted_dates.end()),
                                   recurrence.deleted_dates.end());
    if (icalproperty* status = first(c, ICAL_STATUS_PROPERTY);
        status != nullptr && icalproperty_get_status(status) == ICAL_STATUS_CANCELLED) {
      return;  // a cancelled instance is a deleted one
    }
    model::Appointment instance;
    instance.provenance = event.provenance;
    readCommon(c, instance, *times);
    exception.start = localIn(zone, times->start_instant);
    exception.end = localIn(zone, times->end_instant);
    if (times->start.date_only) exception.start = times->start.local;
    if (instance.subject != series.subject) exception.subject = instance.subject;
    if (instance.location != series.location) exception.location = instance.location;
    if (instance.body != series.body) exception.body = instance.body;
    if (instance.attendees != series.attendees) exception.attendees = instance.attendees;
    if (instance.reminder_minutes_before != series.reminder_minutes_before) {
      exception.reminder_set = instance.reminder_minutes_before.has_value();
      exception.reminder_minutes_before = instance.reminder_minutes_before;
    }
    if (instance.all_day != series.all_day) exception.all_day = instance.all_day;
    if (instance.busy_status != series.busy_status) exception.busy_status = instance.busy_status;
    recurrence.exceptions.push_back(std::move(exception));
  }

  const std::string& source_;
  model::ItemSink& sink_;
  const ReadOptions& options_;
  std::map<std::string, model::TimeZoneDefinition> zones_;
  std::string file_zone_name_;  // the calendar's VTIMEZONE when it has exactly one
  bool task_folder_announced_ = false;
  ReadSummary summary_;
};

bool looksLikeCalendar(std::string_view text) {
  std::size_t at = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") at = 3;  // UTF-8 byte-order mark
  while (at < text.size() && (text[at] == '\r' || text[at] == '\n' || text[at] == ' ' || text[at] == '\t')) ++at;
  return equalsIgnoreCase(text.substr(at, 15), "BEGIN:VCALENDAR");
}

}  // namespace

Result<ReadSummary> readCalendarText(std::string_view text, const std::string& source_name, model::ItemSink& sink,
                                     const ReadOptions& options) {
  if (text.size() > options.max_bytes) {
    return Error{"ics.too_large",
                 "the file is " + std::to_string(text.size()) + " bytes; at most " + std::to_string(options.max_bytes) +
                     " are read",
                 source_name};
  }
  if (!looksLikeCalendar(text)) {
    return Error{"ics.not_icalendar", "expected iCalendar text starting with BEGIN:VCALENDAR", source_name};
  }
  try {
    // libical's default is to abort() on some errors; ours become findings instead.
    icalerror_set_errors_are_fatal(0);
    const std::string copy(text);  // libical wants NUL-terminated text
    ComponentPtr root(icalparser_parse_string(copy.c_str()));
    icalerror_clear_errno();
    if (!root) return Error{"ics.unreadable", "libical found no calendar in the text", source_name};
    CalendarReader reader(source_name, sink, options);
    return reader.run(root.get());
  } catch (const std::exception& e) {
    return Error{"ics.internal", std::string("reading the calendar failed: ") + e.what(), source_name};
  }
}

Result<ReadSummary> readCalendarFile(const std::string& path, model::ItemSink& sink, const ReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"ics.open", "cannot open the file for reading", path};
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return Error{"ics.open", "cannot read the file's size", path};
  if (static_cast<std::uint64_t>(size) > options.max_bytes) {
    return Error{"ics.too_large",
                 "the file is " + std::to_string(size) + " bytes; at most " + std::to_string(options.max_bytes) +
                     " are read",
                 path};
  }
  in.seekg(0);
  std::string content(static_cast<std::size_t>(size), '\0');
  in.read(content.data(), size);
  if (!in) return Error{"ics.read", "reading the file failed", path};
  return readCalendarText(content, path, sink, options);
}

}  // namespace m2z::readers::ics
