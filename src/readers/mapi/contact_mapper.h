// mapContact / mapDistList: the one mapping from a message's MAPI properties to a model::Contact
// or model::DistList ([MS-OXOCNTC]), whatever container the properties came from; and the
// parsers of the entry ids a distribution list keeps its members as.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/contact.h"
#include "model/finding.h"
#include "model/provenance.h"
#include "model/result.h"
#include "readers/mapi/property_bag.h"

namespace m2z::readers::mapi {

// A One-Off EntryID ([MS-OXCDATA] 2.2.5.1): an address typed in directly.
struct OneOffEntryId {
  std::string display_name;
  std::string address_type;
  std::string email;
  bool operator==(const OneOffEntryId&) const = default;
};

[[nodiscard]] Result<OneOffEntryId> parseOneOffEntryId(std::span<const std::uint8_t> blob, std::string_view property);

// One entry of PidLidDistributionListMembers: a One-Off EntryID, or a WrappedEntryId
// ([MS-OXOCNTC] 2.2.2.2.4.1.1) around a one-off, a store message (contact or nested list) or an
// address-book entry. kind, and for store messages target_entry_id (the message's node id in
// decimal, as PST readers name items), or for one-offs name/type/address.
[[nodiscard]] Result<model::DistListMember> parseDistListMember(std::span<const std::uint8_t> blob,
                                                                std::string_view property);

// Values present but unusable become Findings naming the property; the field keeps its default.
// The photo comes from bag.attachments: the row with PidTagAttachmentContactPhoto set and its data
// in PidTagAttachDataBinary (containers put only that row there for contacts).
[[nodiscard]] Result<model::Contact> mapContact(const PropertyBag& bag, const model::Provenance& provenance,
                                                std::vector<model::Finding>& findings);

// Members from PidLidDistributionListMembers, with names and addresses from the index-aligned
// PidLidDistributionListOneOffMembers. A member that cannot be parsed is left out with a Finding.
// Members naming a contact of the same store keep its node id in target_entry_id so the
// container can resolve the contact's address.
[[nodiscard]] Result<model::DistList> mapDistList(const PropertyBag& bag, const model::Provenance& provenance,
                                                  std::vector<model::Finding>& findings);

// The calendar day a birthday/anniversary stored as PidTagBirthday-style UTC stands for: midnight
// in the user's (unknown) zone, converted to UTC. `exact` is false when the time was not midnight
// and the day had to be guessed from it.
struct UtcDateGuess {
  model::CivilDate date;
  bool exact = true;
};
UtcDateGuess civilDateFromUtcMidnight(model::Instant instant);

}  // namespace m2z::readers::mapi
