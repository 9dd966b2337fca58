// Parsers for the binary calendar properties: TZDEFINITION, TZREG and the global object id.
// Pure functions of the bytes; every length field is checked, so any input gives a value or an
// Error naming the property and the byte offset.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "model/appointment.h"
#include "model/result.h"
#include "model/time_zone.h"

namespace m2z::readers::mapi {

// A TZDEFINITION stream ([MS-OXOCAL] 2.2.1.41), as held by PidLidAppointmentTimeZoneDefinition
// StartDisplay/EndDisplay/Recur. `property` names the source in errors and in source_property.
[[nodiscard]] Result<model::TimeZoneDefinition> parseTimeZoneDefinition(std::span<const std::uint8_t> blob,
                                                                        std::string_view property);

// A TZREG stream ([MS-OXOCAL] 2.2.1.39, PidLidTimeZoneStruct): one rule, no key name.
[[nodiscard]] Result<model::TimeZoneDefinition> parseTimeZoneStruct(std::span<const std::uint8_t> blob,
                                                                    std::string_view property);

struct ObjectUid {
  std::string uid;
  model::UidOrigin origin = model::UidOrigin::kNone;
  bool operator==(const ObjectUid&) const = default;
};

// The iCalendar UID of a PidLidGlobalObjectId / PidLidCleanGlobalObjectId ([MS-OXOCAL] 2.2.1.27,
// 2.2.1.28) as [MS-OXCICAL] 2.1.3.1.1.20.26 derives it: the external UID after a "vCal-Uid"
// marker, else the uppercase hex of the id with its instance date zeroed.
[[nodiscard]] Result<ObjectUid> uidFromGlobalObjectId(std::span<const std::uint8_t> blob, std::string_view property);

// UTF-16LE to UTF-8; unpaired surrogates become U+FFFD.
std::string utf16LeToUtf8(std::span<const std::uint8_t> bytes);

}  // namespace m2z::readers::mapi
