#include "readers/ews/ews_reader.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "readers/ews/ews_items.h"
#include "readers/ews/ews_settings.h"
#include "readers/ews/ews_values.h"
#include "readers/ews/ews_zone.h"
#include "xml/xml.h"

namespace m2z::readers::ews {

namespace {

constexpr std::array<std::string_view, 7> kDays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                   "July",    "August",   "September", "October", "November", "December"};
// Item elements of the EWS types schema other than CalendarItem (ItemType and its kin).
constexpr std::array<std::string_view, 10> kOtherItems{
    "Item",       "Message",           "Contact",         "DistributionList", "Task",
    "PostItem",   "MeetingRequest",    "MeetingResponse", "MeetingCancellation", "MeetingMessage"};

// The standard offset a display name such as "(UTC-05:00) Eastern Time (US & Canada)" states.
std::optional<int> displayNameOffset(std::string_view name) {
  if (name.size() < 11 || (name.substr(0, 4) != "(UTC" && name.substr(0, 4) != "(GMT")) return std::nullopt;
  if (name[4] == ')') return 0;
  if ((name[4] != '+' && name[4] != '-') || name[7] != ':') return std::nullopt;
  auto h = digits(name.substr(5, 2));
  auto m = digits(name.substr(8, 2));
  if (!h || !m) return std::nullopt;
  return (name[4] == '-' ? -1 : 1) * (*h * 60 + *m);
}

// Exchange writes character references XML 1.0 forbids (&#x0; ...); Xerces rightly refuses them,
// so they become U+FFFD before parsing. Returns how many were replaced.
int replaceForbiddenReferences(std::string& text) {
  int replaced = 0;
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    if (text.compare(at, 2, "&#") == 0) {
      const std::size_t end = text.find(';', at);
      if (end != std::string::npos && end - at <= 10) {
        const bool hex = at + 2 < end && (text[at + 2] == 'x' || text[at + 2] == 'X');
        const std::string number = text.substr(at + (hex ? 3 : 2), end - at - (hex ? 3 : 2));
        const bool well_formed = !number.empty() && std::all_of(number.begin(), number.end(), [&](char c) {
          return hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0 : std::isdigit(static_cast<unsigned char>(c)) != 0;
        });
        if (well_formed) {
          const unsigned long value = std::stoul(number, nullptr, hex ? 16 : 10);
          const bool allowed = value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value <= 0xD7FF) ||
                               (value >= 0xE000 && value <= 0xFFFD) || (value >= 0x10000 && value <= 0x10FFFF);
          if (!allowed) {
            out += "&#xFFFD;";
            at = end + 1;
            ++replaced;
            continue;
          }
        }
      }
    }
    out += text[at++];
  }
  text = std::move(out);
  return replaced;
}

class EwsReader {
 public:
  EwsReader(const std::string& source, model::ItemSink& sink, const ReadOptions& options)
      : source_(source), sink_(sink), options_(options) {}

  ReadSummary run(const xml::Element& root, int replaced_references) {
    if (replaced_references > 0) {
      report(model::Provenance{source_, options_.folder_path, ""}, "ews.invalid_characters", model::Severity::kWarning,
             "XML text", std::to_string(replaced_references) + " character reference(s)", "U+FFFD",
             "the response holds character references XML 1.0 forbids (control characters); each was replaced "
             "by U+FFFD so the rest could be read");
    }
    std::vector<const xml::Element*> calendar_items;
    collect(root, calendar_items, 0);
    // The calendar folder is announced when it holds items, or when nothing else turned up (an
    // empty calendar view still names its folder); a file of contacts or rules makes no calendar.
    if (!calendar_items.empty() || announced_.empty()) folderFor(options_.folder_path, "IPF.Appointment");
    // Series first, so that their Exception and Occurrence items can join them.
    for (const xml::Element* element : calendar_items) {
      if (childText(*element, "CalendarItemType") == "RecurringMaster") {
        const std::string uid = childText(*element, "UID");
        if (!uid.empty()) master_uids_[uid] = 0;
      }
    }
    std::vector<model::Appointment> appointments;
    std::map<std::string, std::size_t> master_index;
    std::vector<const xml::Element*> exceptions;
    for (const xml::Element* element : calendar_items) {
      ++summary_.items_seen;
      const std::string type = childText(*element, "CalendarItemType");
      const std::string uid = childText(*element, "UID");
      const bool series_here = !uid.empty() && master_uids_.count(uid) > 0 && type != "RecurringMaster";
      const model::Provenance item = provenanceOf(*element);
      if (series_here && type == "Occurrence") {
        report(item, "recurrence.occurrence_of_series", model::Severity::kInfo, "CalendarItemType", type, "",
               "an unmodified instance of a series that is in the same file; the series carries it", true);
        continue;
      }
      if (series_here && type == "Exception") {
        exceptions.push_back(element);
        continue;
      }
      auto appointment = convert(*element, item);
      if (!appointment) continue;
      if ((type == "Occurrence" || type == "Exception") && !series_here) {
        report(item, "recurrence.instance_without_series", model::Severity::kInfo, "CalendarItemType", type,
               "single item",
               "an instance of a series whose master is not in the file (a calendar view); it is carried over as "
               "an item of its own");
      }
      if (type == "RecurringMaster" && !uid.empty()) master_index[uid] = appointments.size();
      appointments.push_back(std::move(*appointment));
    }
    for (const xml::Element* element : exceptions) {
      const auto found = master_index.find(childText(*element, "UID"));
      if (found == master_index.end() || !appointments[found->second].recurrence) {
        auto appointment = convert(*element, provenanceOf(*element));
        if (appointment) appointments.push_back(std::move(*appointment));
        continue;
      }
      mergeException(*element, appointments[found->second]);
    }
    for (auto& appointment : appointments) {
      ++summary_.appointments;
      sink_.onAppointment(std::move(appointment));
    }
    return summary_;
  }

 private:
  void report(const model::Provenance& item, std::string kind, model::Severity severity, std::string field,
              std::string before, std::string after, std::string why, bool skipped = false) {
    sink_.onFinding(model::Finding{std::move(kind), severity, item, std::move(field), std::move(before),
                                   std::move(after), std::move(why), skipped});
    if (skipped) ++summary_.skipped;
  }

  model::Provenance provenanceOf(const xml::Element& element) {
    std::string id;
    if (const xml::Element* item_id = element.child("ItemId")) id = item_id->attributeOr("Id", "");
    if (id.empty()) id = element.name + " " + std::to_string(summary_.items_seen);
    return model::Provenance{source_, options_.folder_path, id};
  }

  void collect(const xml::Element& element, std::vector<const xml::Element*>& calendar_items, int depth) {
    if (depth > 64) return;
    if (element.namespace_uri == kTypesNamespace) {
      if (element.name == "CalendarItem") {
        calendar_items.push_back(&element);
        return;
      }
      // Items carry an ItemId; a same-named element without one is a property (OOF's Message).
      const bool is_item = element.child("ItemId") != nullptr;
      if (is_item && (element.name == "Contact" || element.name == "DistributionList" || element.name == "Task")) {
        convertItem(element);
        return;
      }
      if (element.name == "Rule" && element.child("DisplayName") != nullptr) {
        convertRule(element);
        return;
      }
      if (element.name == "OofSettings" && element.child("OofState") != nullptr) {
        convertOof(element);
        return;
      }
      if (std::find(kOtherItems.begin(), kOtherItems.end(), element.name) != kOtherItems.end() && is_item) {
        ++summary_.items_seen;
        report(provenanceOf(element), "item.kind_not_supported_yet", model::Severity::kWarning, "item", element.name,
               "", "this kind of item is not migrated from EWS; it is not carried over", true);
        return;
      }
    }
    const std::string response_class = element.attributeOr("ResponseClass", "");
    if (response_class == "Error" && (element.name.find("ResponseMessage") != std::string::npos ||
                                      element.name.find("Response") != std::string::npos)) {
      report(model::Provenance{source_, options_.folder_path, ""}, "ews.response_error", model::Severity::kWarning,
             "ResponseCode", childText(element, "ResponseCode"), "", childText(element, "MessageText"));
    }
    for (const auto& child : element.children) collect(child, calendar_items, depth + 1);
  }

  // Announces a folder the first time an item of its kind turns up.
  const std::string& folderFor(const std::string& path, const char* container_class) {
    if (announced_.insert(path).second) {
      sink_.onFolder(model::SourceFolder{path, container_class, source_, -1});
    }
    return path;
  }

  void flush(std::vector<model::Finding>& findings) {
    for (auto& finding : findings) sink_.onFinding(std::move(finding));
    findings.clear();
  }

  void convertItem(const xml::Element& element) {
    ++summary_.items_seen;
    model::Provenance item = provenanceOf(element);
    std::vector<model::Finding> findings;
    ItemOptions item_options;
    item_options.user_offset_minutes = options_.user_offset_minutes;
    if (element.name == "Task") {
      item.folder_path = folderFor(options_.tasks_folder_path, "IPF.Task");
      auto task = convertTask(element, item, item_options, findings);
      flush(findings);
      ++summary_.tasks;
      sink_.onTask(std::move(task));
      return;
    }
    item.folder_path = folderFor(options_.contacts_folder_path, "IPF.Contact");
    if (element.name == "Contact") {
      auto contact = convertContact(element, item, item_options, findings);
      flush(findings);
      ++summary_.contacts;
      sink_.onContact(std::move(contact));
    } else {
      auto list = convertDistList(element, item, findings);
      flush(findings);
      ++summary_.dist_lists;
      sink_.onDistList(std::move(list));
    }
  }

  void convertRule(const xml::Element& element) {
    ++summary_.items_seen;
    std::string id = childText(element, "RuleId");
    if (id.empty()) id = "Rule " + std::to_string(summary_.items_seen);
    const model::Provenance item{source_, folderFor(options_.rules_folder_path, "IPF.Note"), id};
    std::vector<model::Finding> findings;
    auto rule = convertInboxRule(element, item, findings);
    flush(findings);
    ++summary_.rules;
    sink_.onRule(std::move(rule));
  }

  void convertOof(const xml::Element& element) {
    ++summary_.items_seen;
    const model::Provenance item{source_, folderFor(options_.rules_folder_path, "IPF.Note"), "OofSettings"};
    std::vector<model::Finding> findings;
    auto settings = convertOofSettings(element, item, findings);
    flush(findings);
    ++summary_.oof_settings;
    sink_.onOofSettings(std::move(settings));
  }

  static model::Person personOf(const xml::Element& mailbox) {
    model::Person person;
    person.display_name = childText(mailbox, "Name");
    person.address_type = childText(mailbox, "RoutingType");
    const std::string address = childText(mailbox, "EmailAddress");
    if (person.address_type.empty() || person.address_type == "SMTP") person.email = address;
    if (person.address_type.empty() && !address.empty()) person.address_type = "SMTP";
    return person;
  }

  static void addAttendees(const xml::Element& item, std::string_view list, model::AttendeeRole role,
                           std::vector<model::Attendee>& attendees) {
    const xml::Element* container = item.child(list);
    if (container == nullptr) return;
    for (const xml::Element* entry : container->childrenNamed("Attendee")) {
      const xml::Element* mailbox = entry->child("Mailbox");
      if (mailbox == nullptr) continue;
      model::Attendee attendee;
      attendee.person = personOf(*mailbox);
      attendee.role = role;
      const std::string response = childText(*entry, "ResponseType");
      if (response == "Accept") attendee.response = model::ResponseStatus::kAccepted;
      if (response == "Decline") attendee.response = model::ResponseStatus::kDeclined;
      if (response == "Tentative") attendee.response = model::ResponseStatus::kTentative;
      if (response == "NoResponseReceived") attendee.response = model::ResponseStatus::kNotResponded;
      if (response == "Organizer") attendee.response = model::ResponseStatus::kOrganized;
      attendees.push_back(std::move(attendee));
    }
  }

  // The zone the item was entered in: StartTimeZone (2010+), MeetingTimeZone (2007).
  static std::optional<model::TimeZoneDefinition> zoneOf(const xml::Element& item, std::string_view name) {
    const xml::Element* element = item.child(name);
    if (element == nullptr) return std::nullopt;
    model::TimeZoneDefinition zone = zoneFromElement(*element);
    if (zone.key_name.empty() && zone.rules.empty()) return std::nullopt;
    return zone;
  }

  // Minutes to add to UTC for wall times of the item: exact with rules, else the display name's
  // standard offset, else 0.
  int offsetFor(const model::Appointment& appointment, model::Instant instant) const {
    if (appointment.start_zone && !appointment.start_zone->rules.empty()) {
      return offsetAt(*appointment.start_zone, instant);
    }
    return displayNameOffset(appointment.zone_description).value_or(0);
  }

  std::optional<model::Appointment> convert(const xml::Element& element, const model::Provenance& item) {
    auto start = instantOf(childText(element, "Start"));
    std::string end_text = childText(element, "End");
    if (!start && element.child("Start") == nullptr) {
      // A series fetched without Start/End still names its first instance.
      if (const xml::Element* first = element.child("FirstOccurrence")) {
        start = instantOf(childText(*first, "Start"));
        end_text = childText(*first, "End");
      }
    }
    if (!start) {
      report(item, "item.no_start", model::Severity::kError, "Start", childText(element, "Start"), "",
             "the calendar item has no readable start, so it cannot be placed in a calendar", true);
      return std::nullopt;
    }
    model::Appointment appointment;
    appointment.provenance = item;
    appointment.message_class = childText(element, "ItemClass");
    if (appointment.message_class.empty()) appointment.message_class = "IPM.Appointment";
    appointment.uid = childText(element, "UID");
    appointment.uid_origin = appointment.uid.empty() ? model::UidOrigin::kNone : model::UidOrigin::kExternalUid;
    appointment.subject = childText(element, "Subject");
    appointment.location = childText(element, "Location");
    if (const xml::Element* body = element.child("Body")) {
      appointment.body = bodyText(body);
    }
    appointment.start = *start;
    appointment.end = *start;
    if (auto end = instantOf(end_text)) {
      appointment.end = *end;
    } else {
      report(item, "time.no_end", model::Severity::kWarning, "End", end_text,
             model::toIsoString(*start), "the item has no readable end; it ends when it starts");
    }
    appointment.all_day = isTrue(childText(element, "IsAllDayEvent"));
    appointment.start_zone = zoneOf(element, "StartTimeZone");
    if (!appointment.start_zone) appointment.start_zone = zoneOf(element, "MeetingTimeZone");
    appointment.end_zone = zoneOf(element, "EndTimeZone");
    if (!appointment.end_zone) appointment.end_zone = appointment.start_zone;
    // A zone known only by its Windows id has no rules to compute with; its display name lets the
    // normalizer find the zone.
    if (const xml::Element* zone = element.child("StartTimeZone")) {
      appointment.zone_description = zone->attributeOr("Name", "");
    }
    if (appointment.zone_description.empty()) appointment.zone_description = childText(element, "TimeZone");
    if (appointment.zone_description == "UTC") appointment.zone_description.clear();

    if (const xml::Element* organizer = element.child("Organizer")) {
      if (const xml::Element* mailbox = organizer->child("Mailbox")) appointment.organizer = personOf(*mailbox);
    }
    addAttendees(element, "RequiredAttendees", model::AttendeeRole::kRequired, appointment.attendees);
    addAttendees(element, "OptionalAttendees", model::AttendeeRole::kOptional, appointment.attendees);
    addAttendees(element, "Resources", model::AttendeeRole::kResource, appointment.attendees);
    appointment.is_meeting = isTrue(childText(element, "IsMeeting")) || !appointment.attendees.empty();
    if (isTrue(childText(element, "ReminderIsSet"))) {
      const auto minutes = digits(childText(element, "ReminderMinutesBeforeStart"));
      appointment.reminder_minutes_before = minutes.value_or(0);
    }
    const std::string busy = childText(element, "LegacyFreeBusyStatus");
    if (busy == "Free") appointment.busy_status = model::BusyStatus::kFree;
    if (busy == "Tentative") appointment.busy_status = model::BusyStatus::kTentative;
    if (busy == "OOF") appointment.busy_status = model::BusyStatus::kOutOfOffice;
    if (busy == "WorkingElsewhere") appointment.busy_status = model::BusyStatus::kWorkingElsewhere;
    const std::string sensitivity = childText(element, "Sensitivity");
    if (sensitivity == "Personal") appointment.sensitivity = model::Sensitivity::kPersonal;
    if (sensitivity == "Private") appointment.sensitivity = model::Sensitivity::kPrivate;
    if (sensitivity == "Confidential") appointment.sensitivity = model::Sensitivity::kConfidential;
    if (const xml::Element* categories = element.child("Categories")) {
      for (const xml::Element* category : categories->childrenNamed("String")) {
        if (!category->text.empty()) appointment.categories.push_back(category->text);
      }
    }
    if (isTrue(childText(element, "HasAttachments"))) {
      report(item, "attachment.not_carried", model::Severity::kWarning, "HasAttachments", "true", "",
             "attachments of calendar items are not migrated yet; the item is carried over without them");
    }
    const std::string type = childText(element, "CalendarItemType");
    appointment.is_recurring = type == "RecurringMaster" || element.child("Recurrence") != nullptr;
    if (const xml::Element* recurrence = element.child("Recurrence"); recurrence != nullptr && type != "Occurrence" &&
                                                                      type != "Exception") {
      model::Recurrence converted;
      std::string why;
      if (convertRecurrence(*recurrence, appointment, converted, why)) {
        addOccurrenceLists(element, appointment, converted);
        appointment.recurrence = std::move(converted);
      } else {
        report(item, "recurrence.not_converted", model::Severity::kWarning, "Recurrence", "", "", why);
      }
    }
    return appointment;
  }

  static std::vector<model::Weekday> weekdaysOf(const std::string& text) {
    std::vector<model::Weekday> days;
    std::istringstream words(text);
    for (std::string word; words >> word;) {
      if (word == "Weekday") {
        for (int day = 1; day <= 5; ++day) days.push_back(static_cast<model::Weekday>(day));
      } else if (word == "WeekendDay") {
        days.push_back(model::Weekday::kSunday);
        days.push_back(model::Weekday::kSaturday);
      } else if (word == "Day") {
        for (int day = 0; day <= 6; ++day) days.push_back(static_cast<model::Weekday>(day));
      } else if (const auto it = std::find(kDays.begin(), kDays.end(), word); it != kDays.end()) {
        days.push_back(static_cast<model::Weekday>(it - kDays.begin()));
      }
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
  }

  static int monthOf(const std::string& text) {
    const auto it = std::find(kMonths.begin(), kMonths.end(), text);
    return it == kMonths.end() ? 0 : static_cast<int>(it - kMonths.begin()) + 1;
  }

  static int weekIndexOf(const std::string& text) {
    if (text == "First") return 1;
    if (text == "Second") return 2;
    if (text == "Third") return 3;
    if (text == "Fourth") return 4;
    if (text == "Last") return -1;
    return 0;
  }

  bool convertRecurrence(const xml::Element& element, const model::Appointment& appointment, model::Recurrence& out,
                         std::string& why) const {
    const xml::Element* pattern = nullptr;
    const xml::Element* range = nullptr;
    for (const auto& child : element.children) {
      if (child.name.find("Recurrence") == std::string::npos) continue;
      if (child.name == "NoEndRecurrence" || child.name == "EndDateRecurrence" || child.name == "NumberedRecurrence") {
        range = &child;
      } else {
        pattern = &child;
      }
    }
    if (pattern == nullptr || range == nullptr) {
      why = "the Recurrence element has no pattern or no range";
      return false;
    }
    out.interval = digits(childText(*pattern, "Interval")).value_or(1);
    if (out.interval < 1) out.interval = 1;
    const std::string& kind = pattern->name;
    if (kind == "DailyRecurrence") {
      out.pattern = model::RecurrencePattern::kDaily;
    } else if (kind == "WeeklyRecurrence") {
      out.pattern = model::RecurrencePattern::kWeekly;
      out.weekdays = weekdaysOf(childText(*pattern, "DaysOfWeek"));
      const std::string first_day = childText(*pattern, "FirstDayOfWeek");
      if (const auto it = std::find(kDays.begin(), kDays.end(), first_day); it != kDays.end()) {
        out.first_day_of_week = static_cast<model::Weekday>(it - kDays.begin());
      }
    } else if (kind == "AbsoluteMonthlyRecurrence" || kind == "AbsoluteYearlyRecurrence") {
      const bool yearly = kind == "AbsoluteYearlyRecurrence";
      out.pattern = yearly ? model::RecurrencePattern::kYearlyByDay : model::RecurrencePattern::kMonthlyByDay;
      out.day_of_month = digits(childText(*pattern, "DayOfMonth")).value_or(0);
      if (yearly) out.month = monthOf(childText(*pattern, "Month"));
    } else if (kind == "RelativeMonthlyRecurrence" || kind == "RelativeYearlyRecurrence") {
      const bool yearly = kind == "RelativeYearlyRecurrence";
      out.pattern = yearly ? model::RecurrencePattern::kYearlyNth : model::RecurrencePattern::kMonthlyNth;
      out.weekdays = weekdaysOf(childText(*pattern, "DaysOfWeek"));
      out.week_of_month = weekIndexOf(childText(*pattern, "DayOfWeekIndex"));
      if (yearly) out.month = monthOf(childText(*pattern, "Month"));
    } else {
      why = kind + " (a regenerating pattern, as for tasks) has no calendar equivalent";
      return false;
    }
    if ((out.pattern == model::RecurrencePattern::kWeekly || out.pattern == model::RecurrencePattern::kMonthlyNth ||
         out.pattern == model::RecurrencePattern::kYearlyNth) &&
        out.weekdays.empty()) {
      why = kind + " names no days of the week";
      return false;
    }
    if ((out.pattern == model::RecurrencePattern::kMonthlyNth || out.pattern == model::RecurrencePattern::kYearlyNth) &&
        out.week_of_month == 0) {
      why = kind + " has no DayOfWeekIndex";
      return false;
    }
    if ((out.pattern == model::RecurrencePattern::kMonthlyByDay || out.pattern == model::RecurrencePattern::kYearlyByDay) &&
        (out.day_of_month < 1 || out.day_of_month > 31)) {
      why = kind + " has no DayOfMonth 1-31";
      return false;
    }
    if ((out.pattern == model::RecurrencePattern::kYearlyByDay || out.pattern == model::RecurrencePattern::kYearlyNth) &&
        out.month == 0) {
      why = kind + " has no Month";
      return false;
    }
    // Wall times of the series come from its start in the item's zone.
    const model::LocalDateTime start = model::toLocal(appointment.start, offsetFor(appointment, appointment.start));
    const model::LocalDateTime end = model::toLocal(appointment.end, offsetFor(appointment, appointment.end));
    const auto start_date = dateOf(childText(*range, "StartDate"));
    out.start_date = start_date.value_or(start.date);
    out.start_minute = appointment.all_day ? 0 : start.hour * 60 + start.minute;
    const std::int64_t length = (model::fromLocal(end, 0).unix_seconds - model::fromLocal(start, 0).unix_seconds) / 60;
    out.end_minute = out.start_minute + static_cast<int>(std::clamp<std::int64_t>(length, 0, 3660 * 1440));
    if (range->name == "NumberedRecurrence") {
      out.end = model::RecurrenceEnd::kAfterCount;
      out.count = digits(childText(*range, "NumberOfOccurrences")).value_or(0);
      if (out.count < 1) {
        why = "NumberedRecurrence has no NumberOfOccurrences";
        return false;
      }
    } else if (range->name == "EndDateRecurrence") {
      const auto end_date = dateOf(childText(*range, "EndDate"));
      if (!end_date) {
        why = "EndDateRecurrence has no readable EndDate";
        return false;
      }
      out.end = model::RecurrenceEnd::kByDate;
      out.end_date = *end_date;
    }
    return true;
  }

  void addOccurrenceLists(const xml::Element& element, const model::Appointment& appointment,
                          model::Recurrence& recurrence) const {
    if (const xml::Element* deleted = element.child("DeletedOccurrences")) {
      for (const xml::Element* occurrence : deleted->childrenNamed("DeletedOccurrence")) {
        if (auto start = instantOf(childText(*occurrence, "Start"))) {
          recurrence.deleted_dates.push_back(model::toLocal(*start, offsetFor(appointment, *start)).date);
        }
      }
    }
    if (const xml::Element* modified = element.child("ModifiedOccurrences")) {
      for (const xml::Element* occurrence : modified->childrenNamed("Occurrence")) {
        auto original = instantOf(childText(*occurrence, "OriginalStart"));
        auto start = instantOf(childText(*occurrence, "Start"));
        auto end = instantOf(childText(*occurrence, "End"));
        if (!original || !start || !end) continue;
        model::AppointmentException exception;
        exception.original_start = model::toLocal(*original, offsetFor(appointment, *original));
        exception.start = model::toLocal(*start, offsetFor(appointment, *start));
        exception.end = model::toLocal(*end, offsetFor(appointment, *end));
        recurrence.deleted_dates.push_back(exception.original_start.date);
        recurrence.exceptions.push_back(std::move(exception));
      }
    }
    std::sort(recurrence.deleted_dates.begin(), recurrence.deleted_dates.end());
    recurrence.deleted_dates.erase(std::unique(recurrence.deleted_dates.begin(), recurrence.deleted_dates.end()),
                                   recurrence.deleted_dates.end());
  }

  // An Exception-type CalendarItem: the details of one modified instance of a series in the file.
  void mergeException(const xml::Element& element, model::Appointment& series) {
    ++summary_.exceptions_merged;
    auto instance = convert(element, provenanceOf(element));
    auto original = instantOf(childText(element, "OriginalStart"));
    if (!instance || !original) return;
    model::Recurrence& recurrence = *series.recurrence;
    const model::LocalDateTime original_local = model::toLocal(*original, offsetFor(series, *original));
    auto it = std::find_if(recurrence.exceptions.begin(), recurrence.exceptions.end(),
                           [&](const model::AppointmentException& e) { return e.original_start == original_local; });
    if (it == recurrence.exceptions.end()) {
      model::AppointmentException added;
      added.original_start = original_local;
      recurrence.exceptions.push_back(added);
      it = recurrence.exceptions.end() - 1;
      recurrence.deleted_dates.push_back(original_local.date);
      std::sort(recurrence.deleted_dates.begin(), recurrence.deleted_dates.end());
    }
    it->start = model::toLocal(instance->start, offsetFor(series, instance->start));
    it->end = model::toLocal(instance->end, offsetFor(series, instance->end));
    if (instance->subject != series.subject) it->subject = instance->subject;
    if (instance->location != series.location) it->location = instance->location;
    if (instance->body != series.body) it->body = instance->body;
    if (instance->attendees != series.attendees) it->attendees = instance->attendees;
    if (instance->reminder_minutes_before != series.reminder_minutes_before) {
      it->reminder_set = instance->reminder_minutes_before.has_value();
      it->reminder_minutes_before = instance->reminder_minutes_before;
    }
    if (instance->all_day != series.all_day) it->all_day = instance->all_day;
    if (instance->busy_status != series.busy_status) it->busy_status = instance->busy_status;
  }

  const std::string& source_;
  model::ItemSink& sink_;
  const ReadOptions& options_;
  std::map<std::string, int> master_uids_;
  std::set<std::string> announced_;
  ReadSummary summary_;
};

}  // namespace

Result<ReadSummary> readEwsText(std::string_view text, const std::string& source_name, model::ItemSink& sink,
                                const ReadOptions& options) {
  if (text.size() > options.max_bytes) {
    return Error{"ews.too_large",
                 "the file is " + std::to_string(text.size()) + " bytes; at most " + std::to_string(options.max_bytes) +
                     " are read",
                 source_name};
  }
  try {
    std::string cleaned(text);
    const int replaced = replaceForbiddenReferences(cleaned);
    xml::ParseLimits limits;
    limits.max_bytes = options.max_bytes + options.max_bytes / 4;  // U+FFFD references are longer
    auto root = xml::parse(cleaned, source_name, limits);
    if (!root) return Error{"ews.not_xml", "expected EWS response XML: " + root.error().describe(), source_name};
    EwsReader reader(source_name, sink, options);
    return reader.run(*root, replaced);
  } catch (const std::exception& e) {
    return Error{"ews.internal", std::string("reading the EWS response failed: ") + e.what(), source_name};
  }
}

Result<ReadSummary> readEwsFile(const std::string& path, model::ItemSink& sink, const ReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"ews.open", "cannot open the file for reading", path};
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return Error{"ews.open", "cannot read the file's size", path};
  if (static_cast<std::uint64_t>(size) > options.max_bytes) {
    return Error{"ews.too_large",
                 "the file is " + std::to_string(size) + " bytes; at most " + std::to_string(options.max_bytes) +
                     " are read",
                 path};
  }
  in.seekg(0);
  std::string content(static_cast<std::size_t>(size), '\0');
  in.read(content.data(), size);
  if (!in) return Error{"ews.read", "reading the file failed", path};
  return readEwsText(content, path, sink, options);
}

}  // namespace m2z::readers::ews
