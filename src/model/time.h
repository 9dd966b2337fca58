// Civil dates, local wall times and UTC instants as distinct types, so that a date can never be
// mistaken for a time (the root of the "all-day event one day early" bug).
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace m2z::model {

// A point on the UTC time line, second precision (MAPI keeps minutes for appointments).
struct Instant {
  std::int64_t unix_seconds = 0;
  auto operator<=>(const Instant&) const = default;
};

// A calendar day with no time and no zone.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;

  std::chrono::sys_days toDays() const;
  static CivilDate fromDays(std::chrono::sys_days days);
  CivilDate plusDays(int days) const;
  bool isValid() const;
  std::string toIsoString() const;  // YYYY-MM-DD
  std::string toBasicString() const;  // YYYYMMDD (iCalendar / Zimbra form)
};

// A wall-clock reading in some zone that this value does not know.
struct LocalDateTime {
  CivilDate date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  auto operator<=>(const LocalDateTime&) const = default;

  bool isMidnight() const { return hour == 0 && minute == 0 && second == 0; }
  std::string toIsoString() const;    // YYYY-MM-DDTHH:MM:SS
  std::string toBasicString() const;  // YYYYMMDDTHHMMSS (iCalendar / Zimbra form)
};

// Windows FILETIME (100 ns ticks since 1601-01-01 UTC) to an Instant; nullopt for the
// values MAPI uses as "no date" (0 and 0x7FFFFFFFFFFFFFFF-ish sentinels beyond year 4500).
std::optional<Instant> instantFromFileTime(std::uint64_t filetime);
std::string toIsoString(Instant instant);  // YYYY-MM-DDTHH:MM:SSZ

// The civil reading of an instant at a fixed offset (minutes east of UTC).
LocalDateTime toLocal(Instant instant, int offset_minutes);
// The instant of a civil reading at a fixed offset (minutes east of UTC).
Instant fromLocal(const LocalDateTime& local, int offset_minutes);

}  // namespace m2z::model
