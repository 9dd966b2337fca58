// The mapping from the properties of one vCard to a model::Contact, or to a model::DistList for a
// group card (KIND:group, X-ADDRESSBOOKSERVER-KIND:group).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/contact.h"
#include "model/finding.h"
#include "model/provenance.h"
#include "model/result.h"
#include "readers/vcf/vcard_syntax.h"

namespace m2z::readers::vcf {

// What a card is known as, so group members given as "urn:uuid:..." can name the card they point at.
struct KnownCard {
  std::string entry_id;
  std::string display_name;
  std::string email;
  bool is_group = false;
};

struct MappedCard {
  std::optional<model::Contact> contact;     // exactly one of the two is set
  std::optional<model::DistList> dist_list;
  std::string uid;                           // the card's UID, if any
  KnownCard known;                           // how later group cards may refer to this one
};

// Maps one card. Values that cannot be used become Findings naming the property; an Error means
// the card as a whole cannot be read (bad quoted-printable, an unsupported VERSION) and is skipped.
// Group members that are not "mailto:" URIs are left kUnknown with the URI as display_name, for
// the caller to resolve against the UIDs of the file's cards.
[[nodiscard]] Result<MappedCard> mapCard(const std::vector<VcardProperty>& properties,
                                         const model::Provenance& provenance, std::vector<model::Finding>& findings);

// A UID as cards and MEMBER values compare it: without a "urn:uuid:" prefix, lower-case.
std::string normalizedUid(std::string_view uid);

// A vCard date (BDAY, ANNIVERSARY): "19800322", "1980-03-22", with any time part ignored (a
// birthday is a day, not a moment), or the 4.0 no-year forms "--0322" / "--03-22", which get the
// year kNoYear. nullopt when the text is none of these or not a real day.
inline constexpr int kNoYear = 1604;
std::optional<model::CivilDate> parseVcardDate(std::string_view text, bool* no_year = nullptr);

}  // namespace m2z::readers::vcf
