#include "pstgen/generator.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "pstgen/builder.h"
#include "pstgen/recurrence_blob.h"
#include "pstgen/windows_zones.h"

namespace m2z::pstgen {

std::uint64_t Random::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

namespace {

template <class T, std::size_t N>
const T& pick(Random& random, const std::array<T, N>& items) {
  return items[random.below(N)];
}

constexpr std::array<const char*, 16> kTopics = {
    "Team sync",        "Budget review",     "Quarterly planning", "1:1",           "Design review",
    "Customer call",    "Dentist",           "Flight to Berlin",   "Release party", "Board meeting",
    "Standup",          "Lunch with Alex",   "Training",           "Offsite",       "Interview",
    "Retro"};
// Non-ASCII text in several scripts, including characters outside the BMP (UTF-16 surrogates).
constexpr std::array<const char*, 12> kInternational = {
    "Réunion d'équipe",  "Besprechung über Änderungen", "会議の準備",      "Встреча с клиентом",
    "Ταξίδι στην Αθήνα", "اجتماع الفريق",               "פגישת צוות",      "Café ☕ und Kuchen",
    "Party 🎉🎂",         "Çalışma toplantısı",          "회의 일정",        "Zürich – Genève"};
constexpr std::array<const char*, 10> kLocations = {
    "Room 101", "Konferenzraum Süd", "東京オフィス", "Teams", "Café Central", "", "Building 7, 3rd floor",
    "Skype", "Salle Hélène", ""};
constexpr std::array<const char*, 10> kGiven = {"Anna",  "Björn", "Chloé", "Dmitri", "Eun-ji",
                                                "Farid", "Gaspard", "Hana", "Ivo",  "Jürgen"};
constexpr std::array<const char*, 10> kFamily = {"Müller", "O'Brien", "Nakamura", "Kowalski", "Silva",
                                                 "Ivanova", "Dubois", "García", "Smith", "Øster"};
constexpr std::array<const char*, 8> kCategories = {"Work", "Personal", "Büro", "Travel", "重要",
                                                     "Red Category", "Family", ""};
constexpr std::array<const char*, 6> kDomains = {"example.com", "example.org", "mail.example.net",
                                                 "exämple.de", "corp.example", "example.co.jp"};
constexpr std::array<int, 8> kReminders = {0, 5, 10, 15, 15, 30, 60, 1440};

std::string asciiName(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) out += static_cast<char>(c | 0x20);
  }
  return out.empty() ? "user" : out;
}

model::Person person(Random& random) {
  const std::string given = pick(random, kGiven);
  const std::string family = pick(random, kFamily);
  const std::string domain = pick(random, kDomains);
  return {given + " " + family, asciiName(given) + "." + asciiName(family) + "@" + domain, "SMTP"};
}

std::string uid(Random& random, std::uint64_t index) {
  char buffer[64];
  switch (random.below(4)) {
    case 0: {
      // A UUID, as most CalDAV and Google clients make them.
      std::snprintf(buffer, sizeof buffer, "%08llx-%04llx-4%03llx-a%03llx-%012llx",
                    static_cast<unsigned long long>(random.next() & 0xFFFFFFFF),
                    static_cast<unsigned long long>(random.next() & 0xFFFF),
                    static_cast<unsigned long long>(random.next() & 0xFFF),
                    static_cast<unsigned long long>(random.next() & 0xFFF),
                    static_cast<unsigned long long>(random.next() & 0xFFFFFFFFFFFF));
      return buffer;
    }
    case 1: {
      std::snprintf(buffer, sizeof buffer, "%llu-%llu@%s", static_cast<unsigned long long>(index),
                    static_cast<unsigned long long>(random.next() % 1000000000), "calendar.example.com");
      return buffer;
    }
    default: {
      // Long UIDs (several hundred characters) as some servers produce.
      std::string long_uid = "long-uid-";
      const int chunks = random.between(10, 40);
      for (int i = 0; i < chunks; ++i) {
        std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(random.next()));
        long_uid += buffer;
      }
      return long_uid + "@example.com";
    }
  }
}

model::LocalDateTime atTime(const model::CivilDate& date, int hour, int minute) { return {date, hour, minute, 0}; }

model::Weekday weekdayOf(const model::CivilDate& date) {
  return static_cast<model::Weekday>(std::chrono::weekday{date.toDays()}.c_encoding());
}

// A series whose first occurrence is the appointment itself (start day in the series' zone).
model::Recurrence series(Random& random, const model::CivilDate& first_day) {
  model::Recurrence out;
  const model::Weekday weekday = weekdayOf(first_day);
  const int kind = random.between(0, 5);
  out.interval = random.between(1, 3);
  switch (kind) {
    case 0:
      out.pattern = model::RecurrencePattern::kDaily;
      if (weekday != model::Weekday::kSunday && weekday != model::Weekday::kSaturday && random.chance(30)) {
        out.every_weekday = true;
        out.interval = 1;
      }
      break;
    case 1: {
      out.pattern = model::RecurrencePattern::kWeekly;
      out.weekdays.push_back(weekday);
      if (random.chance(40)) {
        const auto other = static_cast<model::Weekday>((static_cast<int>(weekday) + random.between(1, 6)) % 7);
        out.weekdays.push_back(other);
      }
      std::sort(out.weekdays.begin(), out.weekdays.end());
      if (random.chance(20)) out.first_day_of_week = model::Weekday::kMonday;
      break;
    }
    case 2:
      out.pattern = model::RecurrencePattern::kMonthlyByDay;
      out.day_of_month = first_day.day;
      break;
    case 3:
    case 5: {
      out.pattern = kind == 3 ? model::RecurrencePattern::kMonthlyNth : model::RecurrencePattern::kYearlyNth;
      out.weekdays.push_back(weekday);
      const bool last_week = first_day.plusDays(7).month != first_day.month;
      out.week_of_month = last_week && (first_day.day > 28 || random.chance(50)) ? -1 : (first_day.day - 1) / 7 + 1;
      if (out.week_of_month == 5) out.week_of_month = -1;
      if (kind == 5) {
        out.month = first_day.month;
        out.interval = 1;
      }
      break;
    }
    default:
      out.pattern = model::RecurrencePattern::kYearlyByDay;
      out.day_of_month = first_day.day;
      out.month = first_day.month;
      out.interval = 1;
      break;
  }
  out.start_date = first_day;
  const int end = random.between(0, 9);
  if (end < 4) {
    out.end = model::RecurrenceEnd::kAfterCount;
    out.count = random.between(2, 20);
  } else if (end < 7) {
    out.end = model::RecurrenceEnd::kByDate;
    out.end_date = first_day.plusDays(random.between(30, 400));
  }
  if (random.chance(25)) {
    // Cancel one or two of the occurrences after the first.
    const auto days = occurrenceDays(out, 6);
    for (int i = random.between(1, 2); i > 0 && days.size() > 2; --i) {
      const model::CivilDate day = days[1 + random.below(days.size() - 2)];
      if (std::find(out.deleted_dates.begin(), out.deleted_dates.end(), day) == out.deleted_dates.end()) {
        out.deleted_dates.push_back(day);
      }
    }
    std::sort(out.deleted_dates.begin(), out.deleted_dates.end());
  }
  return out;
}

// Modified instances for about a quarter of the series: one or two of the first occurrences
// (not the first, not deleted) moved in time, renamed, relocated, made tentative or all-day.
// Drawn from their own stream so that the rest of the mailbox is what it was without them.
void modifyInstances(AppointmentSpec& spec, std::uint64_t seed, std::uint64_t index) {
  model::Recurrence& recurrence = *spec.recurrence;
  Random random(seed * 0x9E3779B97F4A7C15ULL + index * 0xBF58476D1CE4E5B9ULL + 0x94D049BB133111EBULL);
  if (!random.chance(25)) return;
  std::size_t limit = 6;
  if (recurrence.end == model::RecurrenceEnd::kAfterCount) limit = std::min<std::size_t>(limit, static_cast<std::size_t>(recurrence.count));
  const model::CivilDate* last = recurrence.end == model::RecurrenceEnd::kByDate ? &recurrence.end_date : nullptr;
  std::vector<model::CivilDate> candidates;
  for (const model::CivilDate& day : occurrenceDays(recurrence, limit, last)) {
    if (day != recurrence.start_date &&
        std::find(recurrence.deleted_dates.begin(), recurrence.deleted_dates.end(), day) == recurrence.deleted_dates.end()) {
      candidates.push_back(day);
    }
  }
  const int wanted = random.between(1, 2);
  for (int n = 0; n < wanted && !candidates.empty(); ++n) {
    const std::size_t pick_at = random.below(candidates.size());
    const model::CivilDate day = candidates[pick_at];
    candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(pick_at));
    model::AppointmentException exception;
    exception.original_start = {day, recurrence.start_minute / 60, recurrence.start_minute % 60, 0};
    const int kind = random.between(0, 9);
    if (kind == 0 && !spec.all_day) {
      exception.all_day = true;  // the instance becomes an all-day event on its own day
      exception.start = {day, 0, 0, 0};
      exception.end = {day.plusDays(1), 0, 0, 0};
    } else {
      // Shifted by -2..+3 hours within its day (all-day series keep their midnights).
      int start_minute = recurrence.start_minute;
      if (!spec.all_day && kind < 7) start_minute = std::clamp(start_minute + 60 * random.between(-2, 3), 0, 1380);
      const int length = recurrence.end_minute - recurrence.start_minute;
      const int end_minute = start_minute + length;
      exception.start = {day, start_minute / 60, start_minute % 60, 0};
      exception.end = {day.plusDays(end_minute / 1440), (end_minute % 1440) / 60, end_minute % 60, 0};
    }
    if (random.chance(50)) exception.subject = "Changed: " + spec.subject;
    if (random.chance(40)) exception.location = "Room " + std::to_string(random.between(100, 999)) + " – Raum";
    if (random.chance(30)) exception.busy_status = model::BusyStatus::kTentative;
    recurrence.exceptions.push_back(std::move(exception));
  }
  sortExceptions(recurrence);
}

AppointmentSpec appointment(Random& random, std::uint64_t index, const GeneratorOptions& options) {
  AppointmentSpec spec;
  const auto zones = windowsZones();
  const WindowsZone& zone = zones[random.below(zones.size())];
  const int year = random.between(2015, 2030);
  model::CivilDate date{year, random.between(1, 12), random.between(1, 28)};
  const int kind = random.between(0, 99);
  const model::TimeZoneRule& rule = ruleForYear(zone, year);
  if (kind < 12 && rule.observesDaylightTime()) {
    // On the day the zone changes to or from daylight time.
    date = transitionDay(random.chance(50) ? rule.daylight_date : rule.standard_date, year);
  }
  spec.zone_key = zone.key;
  if (kind >= 12 && kind < 30) {
    // All-day, one to five days: midnight to midnight in the event's zone.
    spec.all_day = true;
    const int days = random.chance(70) ? 1 : random.between(2, 5);
    spec.start = toUtc(zone, atTime(date, 0, 0));
    spec.end = toUtc(zone, atTime(date.plusDays(days), 0, 0));
  } else {
    const int start_minutes = random.between(6 * 4, 20 * 4) * 15;
    const model::LocalDateTime start = atTime(date, start_minutes / 60, start_minutes % 60);
    int duration = random.between(1, 16) * 15;
    if (kind >= 30 && kind < 38) duration = random.between(25, 72) * 60;  // multi-day, timed
    const std::int64_t end_local_seconds = std::int64_t{start_minutes} * 60 + std::int64_t{duration} * 60;
    const model::CivilDate end_date = date.plusDays(static_cast<int>(end_local_seconds / 86400));
    const int end_minutes = static_cast<int>((end_local_seconds % 86400) / 60);
    spec.start = toUtc(zone, start);
    const WindowsZone* end_zone = &zone;
    if (kind >= 38 && kind < 43) {
      // A trip: the end is entered in another zone.
      end_zone = &zones[random.below(zones.size())];
      spec.end_zone_key = end_zone->key;
    }
    spec.end = toUtc(*end_zone, atTime(end_date, end_minutes / 60, end_minutes % 60));
    if (spec.end < spec.start) spec.end = spec.start;
  }
  if (kind >= 43 && kind < 47) {
    spec.write_tz_definitions = false;  // only PidLidTimeZoneStruct, as Outlook 2003 wrote
  } else if (kind >= 47 && kind < 50) {
    spec.zone_key.clear();  // no zone at all: UTC times only
    spec.end_zone_key.clear();
  } else if (kind >= 50 && kind < 58 && spec.end_zone_key.empty()) {
    // A recurring series (about 8%), on the pattern's first day in the series' zone.
    spec.recurrence = series(random, date);
    anchorRecurrence(spec);
    spec.recurrence->start_date = date;
  }
  const int uid_kind = random.between(0, 99);
  if (uid_kind < 60) {
    spec.uid_style = UidStyle::kVcalUid;
    spec.uid = uid(random, index);
  } else if (uid_kind < 95) {
    spec.uid_style = UidStyle::kOutlook;
    for (int i = 0; i < 16; ++i) spec.outlook_uid_data.push_back(static_cast<std::uint8_t>(random.next()));
  } else {
    spec.uid_style = UidStyle::kNone;
  }
  spec.created_unix = spec.start.unix_seconds - static_cast<std::int64_t>(random.below(90 * 86400)) - 3600;
  const std::string topic = random.chance(30) ? pick(random, kInternational) : pick(random, kTopics);
  spec.subject = random.chance(2) ? "" : topic + " #" + std::to_string(index + 1);
  spec.location = pick(random, kLocations);
  const int body_kind = random.between(0, 99);
  if (body_kind < 50) {
    spec.body = "Agenda:\r\n1. " + topic + "\r\n2. Questions – Fragen – 質問\r\n";
  } else if (body_kind < 55 && options.max_body_kib > 0) {
    spec.generated_body = GeneratedContent{1 + random.below(options.max_body_kib * 1024), random.next(), true};
  }
  if (random.chance(5) && options.max_attachment_kib > 0) {
    const int count = random.between(1, 2);
    for (int i = 0; i < count; ++i) {
      AttachmentSpec attachment;
      attachment.filename = i == 0 ? "agenda-" + std::to_string(index + 1) + ".bin" : "Präsentation.pptx";
      attachment.mime_type = "application/octet-stream";
      attachment.generated = GeneratedContent{1 + random.below(options.max_attachment_kib * 1024), random.next(), false};
      spec.attachments.push_back(attachment);
    }
  }
  if (random.chance(50)) spec.reminder_minutes = pick(random, kReminders);
  const int busy = random.between(0, 99);
  spec.busy_status = busy < 70   ? model::BusyStatus::kBusy
                     : busy < 80 ? model::BusyStatus::kTentative
                     : busy < 90 ? model::BusyStatus::kFree
                     : busy < 97 ? model::BusyStatus::kOutOfOffice
                                 : model::BusyStatus::kWorkingElsewhere;
  const int sensitivity = random.between(0, 99);
  spec.sensitivity = sensitivity < 85   ? model::Sensitivity::kNormal
                     : sensitivity < 90 ? model::Sensitivity::kPersonal
                     : sensitivity < 97 ? model::Sensitivity::kPrivate
                                        : model::Sensitivity::kConfidential;
  if (random.chance(20)) {
    const int count = random.between(1, 3);
    for (int i = 0; i < count; ++i) spec.categories.push_back(pick(random, kCategories));
  }
  if (random.chance(30)) {
    spec.organizer = person(random);
    const int attendees = random.between(1, 6);
    for (int i = 0; i < attendees; ++i) {
      model::Attendee attendee;
      attendee.person = person(random);
      const int role = random.between(0, 9);
      attendee.role = role < 7 ? model::AttendeeRole::kRequired
                      : role < 9 ? model::AttendeeRole::kOptional
                                 : model::AttendeeRole::kResource;
      constexpr std::array<model::ResponseStatus, 5> kResponses = {
          model::ResponseStatus::kNone, model::ResponseStatus::kAccepted, model::ResponseStatus::kAccepted,
          model::ResponseStatus::kTentative, model::ResponseStatus::kDeclined};
      attendee.response = pick(random, kResponses);
      spec.attendees.push_back(attendee);
    }
  } else if (random.chance(20)) {
    spec.organizer = person(random);  // own appointment with the owner as organizer
  }
  if (spec.recurrence) modifyInstances(spec, options.seed, index);
  return spec;
}

}  // namespace

Result<PstSummary> generate(const GeneratorOptions& options, const std::string& pst_path,
                            const std::string& expected_path) {
  // Generated values must stay under the 4 GiB a data tree can index.
  if (options.max_body_kib > (1u << 20) || options.max_attachment_kib > (1u << 21)) {
    return Error{"pstgen.options", "bodies are limited to 1 GiB of characters and attachments to 2 GiB", ""};
  }
  Random random(options.seed);
  StoreOptions store;
  store.display_name = "pstgen seed " + std::to_string(options.seed);
  store.encryption = options.encryption;
  for (std::uint8_t& byte : store.record_key) byte = static_cast<std::uint8_t>(random.next());
  store.filetime = fileTimeFromUnix(1704067200);  // 2024-01-01T00:00:00Z
  const nlohmann::json header = {{"generator", "pstgen generate"},
                                 {"seed", options.seed},
                                 {"appointments", options.appointments},
                                 {"contacts", options.contacts},
                                 {"tasks", options.tasks},
                                 {"encryption", options.encryption == Encryption::kCompressible ? "compressible" : "none"}};
  auto builder = Builder::create(pst_path, expected_path, store, header);
  if (!builder) return builder.error();
  Builder& b = **builder;
  const FolderId top = b.ipmSubtree();
  auto inbox = b.addFolder(top, "Inbox", "IPF.Note");
  if (!inbox) return inbox.error();
  auto calendar = b.addFolder(top, "Calendar", "IPF.Appointment");
  if (!calendar) return calendar.error();
  auto team = b.addFolder(*calendar, "Team – Équipe", "IPF.Appointment");
  if (!team) return team.error();
  auto contacts = b.addFolder(top, "Contacts", "IPF.Contact");
  if (!contacts) return contacts.error();
  auto tasks = b.addFolder(top, "Tasks", "IPF.Task");
  if (!tasks) return tasks.error();

  // Hidden items every real mailbox has: a rule and an out-of-office template.
  if (auto status = b.addAssociated(*inbox, AssociatedKind::kRule, "Move newsletters"); !status) return status.error();
  if (auto status = b.addAssociated(*inbox, AssociatedKind::kOofTemplate, "Out of office"); !status) return status.error();
  if (auto status = b.addAssociated(*calendar, AssociatedKind::kRule, "Calendar view"); !status) return status.error();

  for (std::uint64_t i = 0; i < options.appointments; ++i) {
    const AppointmentSpec spec = appointment(random, i, options);
    const FolderId folder = random.chance(10) ? *team : *calendar;
    if (auto status = b.addAppointment(folder, spec); !status) return status.error();
  }
  for (std::uint64_t i = 0; i < options.contacts; ++i) {
    const model::Person who = person(random);
    ContactSpec contact;
    contact.display_name = who.display_name;
    contact.given_name = who.display_name.substr(0, who.display_name.find(' '));
    contact.surname = who.display_name.substr(who.display_name.find(' ') + 1);
    contact.email = who.email;
    contact.company = random.chance(50) ? "Example GmbH" : "";
    contact.phone = random.chance(50) ? "+49 30 " + std::to_string(1000000 + random.below(9000000)) : "";
    contact.created_unix = 1600000000 + static_cast<std::int64_t>(random.below(100000000));
    if (auto status = b.addContact(*contacts, contact); !status) return status.error();
    if ((i + 1) % 50 == 0) {
      DistributionListSpec list;
      list.name = "List " + std::to_string((i + 1) / 50);
      for (int m = 0; m < 3; ++m) list.members.push_back(person(random));
      list.created_unix = contact.created_unix;
      if (auto status = b.addDistributionList(*contacts, list); !status) return status.error();
    }
  }
  for (std::uint64_t i = 0; i < options.tasks; ++i) {
    TaskSpec task;
    task.subject = (random.chance(30) ? std::string(pick(random, kInternational)) : std::string("Task")) + " " +
                   std::to_string(i + 1);
    task.status = random.between(0, 2);
    task.percent_complete = task.status == 2 ? 1.0 : task.status == 1 ? 0.5 : 0.0;
    const std::int64_t start = 1600000000 + static_cast<std::int64_t>(random.below(400000000));
    task.start = model::Instant{start - start % 86400};
    if (random.chance(70)) task.due = model::Instant{task.start->unix_seconds + random.between(1, 30) * 86400};
    task.created_unix = start - 86400;
    if (auto status = b.addTask(*tasks, task); !status) return status.error();
  }
  return b.finish();
}

}  // namespace m2z::pstgen
