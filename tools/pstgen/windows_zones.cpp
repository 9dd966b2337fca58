#include "pstgen/windows_zones.h"

#include <chrono>

namespace m2z::pstgen {

namespace {

using model::TimeZoneRule;
using model::TransitionDate;

constexpr int kSunday = 0;

TimeZoneRule fixed(int bias) {
  TimeZoneRule rule;
  rule.bias = bias;
  return rule;
}

// A rule with daylight time: `to_standard` and `to_daylight` are the switches in local time.
TimeZoneRule withDst(int bias, TransitionDate to_standard, TransitionDate to_daylight, int daylight_bias = -60) {
  TimeZoneRule rule;
  rule.bias = bias;
  rule.daylight_bias = daylight_bias;
  rule.standard_date = to_standard;
  rule.daylight_date = to_daylight;
  return rule;
}

TransitionDate on(int month, int week, int hour, int minute = 0) { return {month, week, kSunday, hour, minute, 0}; }

// Each zone's rule list: year-stamped, the last marked effective (TZRULE_FLAG_EFFECTIVE_TZREG).
std::vector<TimeZoneRule> rules(std::vector<std::pair<int, TimeZoneRule>> by_year) {
  std::vector<TimeZoneRule> out;
  for (auto& [year, rule] : by_year) {
    rule.year = year;
    out.push_back(rule);
  }
  out.back().effective = true;
  return out;
}

// United States (and Canada) since 2007: second Sunday of March to first Sunday of November at
// 02:00; before 2007 first Sunday of April to last Sunday of October. Outlook writes both rules.
std::vector<TimeZoneRule> us(int bias) {
  return rules({{2006, withDst(bias, on(10, 5, 2), on(4, 1, 2))}, {2007, withDst(bias, on(11, 1, 2), on(3, 2, 2))}});
}

// European Union: last Sunday of March to last Sunday of October at 01:00 UTC.
std::vector<TimeZoneRule> eu(int bias) {
  const int utc_hour_standard = 1 - bias / 60;  // 01:00 UTC in standard local time
  return rules({{2000, withDst(bias, on(10, 5, utc_hour_standard + 1), on(3, 5, utc_hour_standard))}});
}

std::vector<WindowsZone> makeZones() {
  std::vector<WindowsZone> zones = {
      {"Dateline Standard Time", "(UTC-12:00) International Date Line West", rules({{2000, fixed(720)}})},
      {"UTC-11", "(UTC-11:00) Coordinated Universal Time-11", rules({{2000, fixed(660)}})},
      {"Hawaiian Standard Time", "(UTC-10:00) Hawaii", rules({{2000, fixed(600)}})},
      {"Marquesas Standard Time", "(UTC-09:30) Marquesas Islands", rules({{2000, fixed(570)}})},
      {"Alaskan Standard Time", "(UTC-09:00) Alaska", us(540)},
      {"Pacific Standard Time", "(UTC-08:00) Pacific Time (US & Canada)", us(480)},
      {"US Mountain Standard Time", "(UTC-07:00) Arizona", rules({{2000, fixed(420)}})},
      {"Mountain Standard Time", "(UTC-07:00) Mountain Time (US & Canada)", us(420)},
      {"Central Standard Time", "(UTC-06:00) Central Time (US & Canada)", us(360)},
      {"Central America Standard Time", "(UTC-06:00) Central America", rules({{2000, fixed(360)}})},
      {"Eastern Standard Time", "(UTC-05:00) Eastern Time (US & Canada)", us(300)},
      {"SA Pacific Standard Time", "(UTC-05:00) Bogota, Lima, Quito, Rio Branco", rules({{2000, fixed(300)}})},
      {"Atlantic Standard Time", "(UTC-04:00) Atlantic Time (Canada)", us(240)},
      {"Newfoundland Standard Time", "(UTC-03:30) Newfoundland", us(210)},
      // Brazil: southern-hemisphere DST until 2019, none since.
      {"E. South America Standard Time", "(UTC-03:00) Brasilia",
       rules({{2000, withDst(180, on(2, 3, 0), on(10, 3, 0))}, {2019, fixed(180)}})},
      {"UTC-02", "(UTC-02:00) Coordinated Universal Time-02", rules({{2000, fixed(120)}})},
      {"Azores Standard Time", "(UTC-01:00) Azores", eu(60)},
      {"UTC", "(UTC) Coordinated Universal Time", rules({{2000, fixed(0)}})},
      {"GMT Standard Time", "(UTC+00:00) Dublin, Edinburgh, Lisbon, London", eu(0)},
      {"W. Europe Standard Time", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", eu(-60)},
      {"Romance Standard Time", "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", eu(-60)},
      {"GTB Standard Time", "(UTC+02:00) Athens, Bucharest", eu(-120)},
      {"South Africa Standard Time", "(UTC+02:00) Harare, Pretoria", rules({{2000, fixed(-120)}})},
      {"Russian Standard Time", "(UTC+03:00) Moscow, St. Petersburg", rules({{2000, fixed(-180)}})},
      {"Iran Standard Time", "(UTC+03:30) Tehran", rules({{2000, fixed(-210)}})},
      {"Arabian Standard Time", "(UTC+04:00) Abu Dhabi, Muscat", rules({{2000, fixed(-240)}})},
      {"Afghanistan Standard Time", "(UTC+04:30) Kabul", rules({{2000, fixed(-270)}})},
      {"Pakistan Standard Time", "(UTC+05:00) Islamabad, Karachi", rules({{2000, fixed(-300)}})},
      {"India Standard Time", "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", rules({{2000, fixed(-330)}})},
      {"Nepal Standard Time", "(UTC+05:45) Kathmandu", rules({{2000, fixed(-345)}})},
      {"Bangladesh Standard Time", "(UTC+06:00) Dhaka", rules({{2000, fixed(-360)}})},
      {"Myanmar Standard Time", "(UTC+06:30) Yangon (Rangoon)", rules({{2000, fixed(-390)}})},
      {"SE Asia Standard Time", "(UTC+07:00) Bangkok, Hanoi, Jakarta", rules({{2000, fixed(-420)}})},
      {"China Standard Time", "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi", rules({{2000, fixed(-480)}})},
      {"Tokyo Standard Time", "(UTC+09:00) Osaka, Sapporo, Tokyo", rules({{2000, fixed(-540)}})},
      // Australia: first Sunday of October to first Sunday of April (southern hemisphere).
      {"Cen. Australia Standard Time", "(UTC+09:30) Adelaide", rules({{2008, withDst(-570, on(4, 1, 3), on(10, 1, 2))}})},
      {"AUS Eastern Standard Time", "(UTC+10:00) Canberra, Melbourne, Sydney",
       rules({{2008, withDst(-600, on(4, 1, 3), on(10, 1, 2))}})},
      // Lord Howe Island moves by 30 minutes only.
      {"Lord Howe Standard Time", "(UTC+10:30) Lord Howe Island",
       rules({{2008, withDst(-630, on(4, 1, 2), on(10, 1, 2), -30)}})},
      {"Central Pacific Standard Time", "(UTC+11:00) Solomon Is., New Caledonia", rules({{2000, fixed(-660)}})},
      {"New Zealand Standard Time", "(UTC+12:00) Auckland, Wellington",
       rules({{2008, withDst(-720, on(4, 1, 3), on(9, 5, 2))}})},
      {"Chatham Islands Standard Time", "(UTC+12:45) Chatham Islands",
       rules({{2008, withDst(-765, on(4, 1, 3, 45), on(9, 5, 2, 45))}})},
      {"Tonga Standard Time", "(UTC+13:00) Nuku'alofa", rules({{2000, fixed(-780)}})},
      {"Line Islands Standard Time", "(UTC+14:00) Kiritimati Island", rules({{2000, fixed(-840)}})},
  };
  return zones;
}

void putSystemTime(Bytes& out, int year, const TransitionDate& date) {
  // SYSTEMTIME: wYear, wMonth, wDayOfWeek, wDay (the week number for relative dates), wHour,
  // wMinute, wSecond, wMilliseconds.
  putU16(out, static_cast<std::uint16_t>(year));
  putU16(out, static_cast<std::uint16_t>(date.month));
  putU16(out, static_cast<std::uint16_t>(date.day_of_week));
  putU16(out, static_cast<std::uint16_t>(date.week));
  putU16(out, static_cast<std::uint16_t>(date.hour));
  putU16(out, static_cast<std::uint16_t>(date.minute));
  putU16(out, static_cast<std::uint16_t>(date.second));
  putU16(out, 0);
}

}  // namespace

std::span<const WindowsZone> windowsZones() {
  static const std::vector<WindowsZone> zones = makeZones();
  return zones;
}

const WindowsZone* findWindowsZone(const std::string& key) {
  for (const WindowsZone& zone : windowsZones()) {
    if (zone.key == key) return &zone;
  }
  return nullptr;
}

const model::TimeZoneRule& ruleForYear(const WindowsZone& zone, int year) {
  const model::TimeZoneRule* chosen = &zone.rules.front();
  for (const auto& rule : zone.rules) {
    if (rule.year <= year) chosen = &rule;
  }
  return *chosen;
}

model::CivilDate transitionDay(const model::TransitionDate& date, int year) {
  using namespace std::chrono;
  const sys_days first{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(date.month)} / 1};
  const weekday first_weekday{first};
  const int offset = (date.day_of_week - static_cast<int>(first_weekday.c_encoding()) + 7) % 7;
  sys_days day = first + days{offset + 7 * (date.week - 1)};
  // Week 5 means the last such weekday of the month.
  while (year_month_day{day}.month() != std::chrono::month{static_cast<unsigned>(date.month)}) day -= days{7};
  return model::CivilDate::fromDays(day);
}

bool isDaylightTime(const model::TimeZoneRule& rule, const model::LocalDateTime& local) {
  if (!rule.observesDaylightTime()) return false;
  const int year = local.date.year;
  const model::LocalDateTime to_daylight{transitionDay(rule.daylight_date, year), rule.daylight_date.hour,
                                         rule.daylight_date.minute, rule.daylight_date.second};
  const model::LocalDateTime to_standard{transitionDay(rule.standard_date, year), rule.standard_date.hour,
                                         rule.standard_date.minute, rule.standard_date.second};
  if (to_daylight < to_standard) return local >= to_daylight && local < to_standard;  // northern hemisphere
  return local >= to_daylight || local < to_standard;                                 // southern hemisphere
}

int utcOffsetAt(const WindowsZone& zone, const model::LocalDateTime& local) {
  const model::TimeZoneRule& rule = ruleForYear(zone, local.date.year);
  const int bias = rule.bias + (isDaylightTime(rule, local) ? rule.daylight_bias : rule.standard_bias);
  return -bias;  // Windows bias: UTC = local + bias
}

model::Instant toUtc(const WindowsZone& zone, const model::LocalDateTime& local) {
  return model::fromLocal(local, utcOffsetAt(zone, local));
}

Bytes encodeTzDefinition(const WindowsZone& zone, bool recur_flag) {
  const Bytes key = utf16le(zone.key);
  Bytes out;
  putU8(out, 0x02);  // bMajorVersion
  putU8(out, 0x01);  // bMinorVersion
  putU16(out, static_cast<std::uint16_t>(6 + key.size()));  // cbHeader: flags, cchKeyName, KeyName, cRules
  putU16(out, 0x0002);  // TZDEFINITION_FLAG_VALID_KEYNAME
  putU16(out, static_cast<std::uint16_t>(key.size() / 2));
  putBytes(out, key);
  putU16(out, static_cast<std::uint16_t>(zone.rules.size()));
  for (const model::TimeZoneRule& rule : zone.rules) {
    putU8(out, 0x02);
    putU8(out, 0x01);
    putU16(out, 0x003E);  // cbRule
    std::uint16_t flags = 0;
    if (rule.effective) flags = static_cast<std::uint16_t>(0x0002 | (recur_flag ? 0x0001 : 0));
    putU16(out, flags);
    putU16(out, static_cast<std::uint16_t>(rule.year));  // wYear
    putZeros(out, 14);                                     // X: the rest of stStart
    putU32(out, static_cast<std::uint32_t>(rule.bias));
    putU32(out, static_cast<std::uint32_t>(rule.standard_bias));
    putU32(out, static_cast<std::uint32_t>(rule.daylight_bias));
    putSystemTime(out, 0, rule.standard_date);
    putSystemTime(out, 0, rule.daylight_date);
  }
  return out;
}

Bytes encodeTzReg(const WindowsZone& zone) {
  const model::TimeZoneRule& rule = zone.rules.back();
  Bytes out;
  putU32(out, static_cast<std::uint32_t>(rule.bias));
  putU32(out, static_cast<std::uint32_t>(rule.standard_bias));
  putU32(out, static_cast<std::uint32_t>(rule.daylight_bias));
  putU16(out, 0);  // wStandardYear
  putSystemTime(out, 0, rule.standard_date);
  putU16(out, 0);  // wDaylightYear
  putSystemTime(out, 0, rule.daylight_date);
  return out;
}

}  // namespace m2z::pstgen
