// Value parsing shared by the EWS item converters: element text, xs:date / xs:dateTime, HTML bodies,
// and the civil date behind an all-day xs:dateTime (birthdays, task dates).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/time.h"
#include "xml/xml.h"

namespace m2z::readers::ews {

inline constexpr std::string_view kTypesNamespace = "http://schemas.microsoft.com/exchange/services/2006/types";

// Text of the first child with that local name; empty when there is none.
std::string childText(const xml::Element& element, std::string_view name);
bool isTrue(const std::string& text);
// Up to nine decimal digits, nothing else.
std::optional<int> digits(std::string_view text);
// xs:date "2025-07-02", "2025-07-02Z" or "2014-03-08-08:00": the date as written.
std::optional<model::CivilDate> dateOf(std::string_view text);
// xs:dateTime as EWS writes it: UTC with "Z", or with an offset; without either, UTC.
std::optional<model::Instant> instantOf(std::string_view text);
// HTML reduced to its text: tags dropped, line-breaking tags kept as line breaks.
std::string htmlToText(const std::string& html);
// Whether a text field holds HTML (OOF messages are xs:string but Exchange 2010+ stores HTML).
bool looksLikeHtml(std::string_view text);
// The text of an EWS Body element: HTML bodies reduced to text.
std::string bodyText(const xml::Element* body);

// How the civil date of an all-day value was found.
struct CivilDateReading {
  model::CivilDate date;
  bool zone_assumed = false;  // the value was not midnight UTC and no user offset was given
};

// Exchange keeps all-day dates (birthdays, task start/due) as the user's local midnight in UTC:
// 1970-01-31 in Europe/Berlin is 1970-01-30T23:00:00Z. With the user's offset known, the date is
// the local reading; without it, the nearest midnight is taken (up to 12:00 the same day, after it
// the next), which is right for offsets from UTC-12 to UTC+11.
std::optional<CivilDateReading> civilDateOf(std::string_view text, std::optional<int> user_offset_minutes);

}  // namespace m2z::readers::ews
