#include "model/time.h"

#include <cstdio>

namespace m2z::model {

namespace chr = std::chrono;

chr::sys_days CivilDate::toDays() const {
  return chr::sys_days{chr::year{year} / chr::month{static_cast<unsigned>(month)} /
                       chr::day{static_cast<unsigned>(day)}};
}

CivilDate CivilDate::fromDays(chr::sys_days days) {
  const chr::year_month_day ymd{days};
  return CivilDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

CivilDate CivilDate::plusDays(int days) const { return fromDays(toDays() + chr::days{days}); }

bool CivilDate::isValid() const {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return chr::year_month_day{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                             chr::day{static_cast<unsigned>(day)}}
      .ok();
}

std::string CivilDate::toIsoString() const {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

std::string CivilDate::toBasicString() const {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", year, month, day);
  return buffer;
}

std::string LocalDateTime::toIsoString() const {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d", date.toIsoString().c_str(), hour, minute, second);
  return buffer;
}

std::string LocalDateTime::toBasicString() const {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%sT%02d%02d%02d", date.toBasicString().c_str(), hour, minute, second);
  return buffer;
}

namespace {
// Seconds between 1601-01-01 and 1970-01-01.
constexpr std::int64_t kFileTimeEpochOffsetSeconds = 11644473600LL;
constexpr std::uint64_t kTicksPerSecond = 10'000'000ULL;
// MAPI writes 4501-01-01 (0x0CB34557A3DD4000) for "no date"; anything from there on is a sentinel.
constexpr std::uint64_t kFileTimeNoDateFrom = 0x0CB34557A3DD4000ULL;
}  // namespace

std::optional<Instant> instantFromFileTime(std::uint64_t filetime) {
  if (filetime == 0 || filetime >= kFileTimeNoDateFrom) return std::nullopt;
  const auto seconds = static_cast<std::int64_t>(filetime / kTicksPerSecond);
  return Instant{seconds - kFileTimeEpochOffsetSeconds};
}

LocalDateTime toLocal(Instant instant, int offset_minutes) {
  const std::int64_t local_seconds = instant.unix_seconds + std::int64_t{offset_minutes} * 60;
  const chr::sys_seconds tp{chr::seconds{local_seconds}};
  const auto day_point = chr::floor<chr::days>(tp);
  const chr::hh_mm_ss hms{tp - day_point};
  return LocalDateTime{CivilDate::fromDays(day_point), static_cast<int>(hms.hours().count()),
                       static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count())};
}

Instant fromLocal(const LocalDateTime& local, int offset_minutes) {
  const auto day_seconds = chr::duration_cast<chr::seconds>(local.date.toDays().time_since_epoch()).count();
  return Instant{day_seconds + local.hour * 3600 + local.minute * 60 + local.second -
                 std::int64_t{offset_minutes} * 60};
}

std::string toIsoString(Instant instant) { return toLocal(instant, 0).toIsoString() + "Z"; }

}  // namespace m2z::model
