// Plain text out of an RTF body ([MSFT-RTF]), including HTML encapsulated in RTF ([MS-OXRTFEX]):
// what a message's body is when it has PidTagRtfCompressed but no PidTagBody.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "model/result.h"

namespace m2z::readers::mapi {

class FieldReader;

// Groups nested deeper than this are refused: real bodies nest a few dozen levels at most.
inline constexpr int kMaxRtfGroupDepth = 256;
// The text never has more bytes than this many times the RTF's (each RTF construct gives at most
// three UTF-8 bytes per input byte; the check keeps that bound whatever the parser does).
inline constexpr std::size_t kMaxRtfOutputFactor = 4;

struct RtfText {
  std::string text;        // UTF-8, lines ended by CRLF as in PidTagBody
  bool from_html = false;  // the RTF encapsulated HTML (\fromhtml1): the text is that HTML's
};

// The visible text of `rtf`: header destinations (\fonttbl, \colortbl, \stylesheet, \info, \*
// groups, pictures, field instructions) are skipped; \par \line \sect \row give line breaks, \tab
// and \cell tabs; \'hh bytes are decoded through the current font's \fcharset, else the
// document's \ansicpg (else windows-1252); \uN gives its character and skips the \ucN fallback
// characters. With \fromhtml1 the HTML is de-encapsulated (text outside \htmlrtf plus the
// {\*\htmltag} fragments) and turned into text. Trailing whitespace is dropped. An Error names
// the byte offset for input that is not RTF, nests deeper than kMaxRtfGroupDepth, or ends inside
// a group.
[[nodiscard]] Result<RtfText> rtfToText(std::string_view rtf);

// The item's plain-text body: PidTagBody, or when it has none, the text of its RTF body
// (PropertyBag::rtf_body), reported as a Finding either way it turns out.
std::string readBody(FieldReader& fields);

}  // namespace m2z::readers::mapi
