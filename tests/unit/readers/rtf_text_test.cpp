// The RTF-to-text converter and the code page decoder of readers/mapi. Expected values come from
// the RTF specification ([MSFT-RTF] 1.9.1), [MS-OXRTFEX], the code page tables (windows-1251,
// windows-1252, shift_jis as published by the Unicode consortium) and RTF bodies of the real
// files in ../shared, read by hand.
#include "readers/mapi/rtf_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "readers/mapi/codepage.h"
#include "readers/mapi/field_reader.h"
#include "readers/mapi/property_bag.h"
#include "readers/mapi/property_ids.h"

namespace m2z::readers::mapi {
namespace {

std::string textOf(std::string_view rtf) {
  auto text = rtfToText(rtf);
  EXPECT_TRUE(text.ok()) << (text ? "" : text.error().message);
  return text ? text->text : std::string();
}

std::vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

// --- code pages -------------------------------------------------------------------------------

TEST(CodepageTest, DecodesWindows1251Cyrillic) {
  // windows-1251: CF=П F0=р E8=и E2=в E5=е F2=т.
  auto text = decodeCodepage(bytes("\xCF\xF0\xE8\xE2\xE5\xF2"), 1251);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");  // "Привет"
}

TEST(CodepageTest, DecodesWindows1252UmlautsAndEuro) {
  // windows-1252: E4=ä F6=ö FC=ü DF=ß 80=€ (U+20AC, where ISO-8859-1 has a control).
  auto text = decodeCodepage(bytes("\xE4\xF6\xFC\xDF \x80"), 1252);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F \xE2\x82\xAC");  // "äöüß €"
}

TEST(CodepageTest, DecodesShiftJisDoubleBytes) {
  // cp932: 93FA=日 967B=本, 82A0=あ.
  auto text = decodeCodepage(bytes("\x93\xFA\x96\x7B\x82\xA0"), 932);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "\xE6\x97\xA5\xE6\x9C\xAC\xE3\x81\x82");  // "日本あ"
}

TEST(CodepageTest, InvalidBytesBecomeReplacementCharacters) {
  // 0xFF never occurs in UTF-8 (code page 65001).
  auto text = decodeCodepage(bytes("a\xFFz"), 65001);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "a\xEF\xBF\xBDz");
  // windows-1252's five undefined bytes (0x81 ...) pass through as the C1 controls, as Windows'
  // own MultiByteToWideChar gives them: U+0081.
  auto c1 = decodeCodepage(bytes("a\x81z"), 1252);
  ASSERT_TRUE(c1.ok());
  EXPECT_EQ(*c1, "a\xC2\x81z");
}

TEST(CodepageTest, UnknownCodepageIsAnError) {
  auto text = decodeCodepage(bytes("abc"), 4242);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "mapi.codepage");
  EXPECT_NE(text.error().message.find("4242"), std::string::npos);
}

TEST(CodepageTest, String8CodepagePrefersTheMessageCodepage) {
  // go-pst__32-bit.pst's appointment has PidTagMessageCodepage 1252 (0x04E4) and
  // PidTagInternetCodepage 28591 (0x6FAF), per pffexport -d.
  EXPECT_EQ(string8Codepage(1252, 28591), 1252);
  EXPECT_EQ(string8Codepage(std::nullopt, 1251), 1251);
  // ISO-2022-JP is stateful: not a code page of single values.
  EXPECT_EQ(string8Codepage(std::nullopt, 50220), kDefaultCodepage);
  EXPECT_EQ(string8Codepage(std::nullopt, std::nullopt, 932), 932);
  EXPECT_EQ(string8Codepage(4242, std::nullopt), kDefaultCodepage);
}

// --- RTF ------------------------------------------------------------------------------------------

TEST(RtfTextTest, ParagraphsTabsAndSkippedHeaderDestinations) {
  // The start of the RTF body of a "Sync Issues" message of aspose-net__SampleOstFile.ost, as
  // pffexport -f rtf writes it (Message.rtf): the font and colour tables are not text, \par ends
  // a line, \tab is a tab, \f1 and \cf2 only change formatting, and the newline after "\tab" is
  // not text ([MSFT-RTF]: CR and LF in RTF are ignored).
  const std::string rtf =
      "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\froman\\fcharset0\\fprq2 Arial;}{\\f1\\fswiss\\fprq2\\fcharset0 "
      "Arial;}}{\\colortbl\\red0\\green0\\blue0;\\red128\\green0\\blue0;\\red255\\green0\\blue0;}\\plain\\fs18\n"
      "\\uc1 16:55:20 Synchronizer Version 12.0.6550\\par\n"
      "16:55:20 Synchronizing Mailbox '\\f1 Saqib Razzaq\\f0 '\\par\n"
      "16:55:20 \\tab\n"
      "   1 item(s) changed read-state in offline folder\\par\n"
      "\\cf2 16:55:51 \\tab\n"
      "0X80190194\\plain\\fs18 \\par\n"
      "} ";
  EXPECT_EQ(textOf(rtf),
            "16:55:20 Synchronizer Version 12.0.6550\r\n"
            "16:55:20 Synchronizing Mailbox 'Saqib Razzaq'\r\n"
            "16:55:20 \t   1 item(s) changed read-state in offline folder\r\n"
            "16:55:51 \t0X80190194");
}

TEST(RtfTextTest, SkipsStylesheetInfoAndStarredDestinations) {
  // [MSFT-RTF]: \stylesheet, \info and any {\* ...} group a reader does not know are not text.
  const std::string rtf =
      "{\\rtf1\\ansi{\\stylesheet{\\s0 Normal;}}{\\info{\\title T}{\\author A}}"
      "{\\*\\generator Riched20 10.0;}{\\*\\unknown x}Body{\\pict\\pngblip 89504e47}\\par}";
  EXPECT_EQ(textOf(rtf), "Body");
  // \binN: N raw bytes follow ([MSFT-RTF] "Pictures"); here "}}{" is data, not group ends.
  EXPECT_EQ(textOf("{\\rtf1 a{\\pict\\bin3 }}{b}c}"), "ac");
}

TEST(RtfTextTest, HexBytesThroughAnsiCodepage) {
  // \ansicpg1251: \'cf\'f0\'e8\'e2\'e5\'f2 is "Привет" in windows-1251.
  EXPECT_EQ(textOf("{\\rtf1\\ansi\\ansicpg1251 \\'cf\\'f0\\'e8\\'e2\\'e5\\'f2}"),
            "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
  // Without \ansicpg, windows-1252: \'e4 = ä.
  EXPECT_EQ(textOf("{\\rtf1\\ansi M\\'e4rz}"), "M\xC3\xA4rz");
}

TEST(RtfTextTest, HexBytesThroughTheFontCharset) {
  // \fcharset128 is Shift-JIS (cp932): \'93\'fa\'96\'7b is 日本; the byte pair of one
  // character is decoded together. Font 1 (charset 0) is windows-1252 again.
  const std::string rtf =
      "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset128 MS Gothic;}{\\f1\\fswiss\\fcharset0 "
      "Arial;}}\\f0 \\'93\\'fa\\'96\\'7b\\f1  \\'e9}";
  EXPECT_EQ(textOf(rtf), "\xE6\x97\xA5\xE6\x9C\xAC \xC3\xA9");
}

TEST(RtfTextTest, UnicodeWithFallbackSkipCounts) {
  // \uN gives U+N and skips the next \ucN characters ([MSFT-RTF] "Unicode RTF"); \uc1 is the
  // default. Negative N is the 16-bit value minus 65536: U+1F600 is D83D DE00 = -10179 -8704.
  EXPECT_EQ(textOf("{\\rtf1\\ansi \\u8364?x}"), "\xE2\x82\xAC" "x");
  EXPECT_EQ(textOf("{\\rtf1\\ansi\\uc2 \\u8364\\'80\\'80y}"), "\xE2\x82\xAC" "y");
  EXPECT_EQ(textOf("{\\rtf1\\ansi\\uc0 \\u1055 A}"), "\xD0\x9F" "A");
  EXPECT_EQ(textOf("{\\rtf1\\ansi \\u-10179?\\u-8704?}"), "\xF0\x9F\x98\x80");
  // The skip count belongs to the group it was set in.
  EXPECT_EQ(textOf("{\\rtf1\\ansi {\\uc3 \\u233 abc}\\u233 zd}"), "\xC3\xA9\xC3\xA9" "d");
}

TEST(RtfTextTest, EscapedCharactersAndSymbols) {
  EXPECT_EQ(textOf("{\\rtf1 a\\{b\\}c\\\\d\\~e\\line f\\emdash g}"), "a{b}c\\d\xC2\xA0" "e\r\nf\xE2\x80\x94g");
}

TEST(RtfTextTest, DeEncapsulatesHtmlFromTheRealFile) {
  // The RTF body of the appointment "05 - test email - single meeting request" in Deleted Items
  // of aspose-net__SampleOstFile.ost (it has no PidTagBody). Decompressed from the
  // PidTagRtfCompressed bytes that pffexport -d dumps, with a separate [MS-OXRTFCP] decompressor
  // written for the purpose (its 1349 bytes equal the header's rawSize). [MS-OXRTFEX] 2.2.3.2:
  // text outside \htmlrtf plus the {\*\htmltag} fragments give the HTML
  //   <html><head></head><body><tt><pre>When: ... (GMT&#43;05:00) Islamabad, Karachi<CRLF>
  //   Where: meeting request<CRLF><CRLF>*~*~*~*~*~*~*~*~*~*<CRLF></pre></tt><div>test email</div>
  //   </body></html>
  // (\line outside \htmlrtf is a line end of the HTML source), whose text is below: <pre> keeps
  // its line ends, &#43; is "+", the div starts a line.
  const std::string rtf = R"rtf({\rtf1\ansi\ansicpg1252\fromhtml1 \fbidis \deff0{\fonttbl
{\f0\fswiss Arial;}
{\f1\fmodern Courier New;}
{\f2\fnil\fcharset2 Symbol;}
{\f3\fmodern\fcharset0 Courier New;}}
{\colortbl\red0\green0\blue0;\red0\green0\blue255;}
\uc1\pard\plain\deftab360 \f0\fs24 
{\*\htmltag19 <html>}
{\*\htmltag2 \par }
{\*\htmltag34 <head>}
{\*\htmltag1 \par }
{\*\htmltag1 \par }
{\*\htmltag41 </head>}
{\*\htmltag2 \par }
{\*\htmltag50 <body>}
{\*\htmltag0 \par }{\*\htmltag64}\htmlrtf {\htmlrtf0 
{\*\htmltag148 <tt>}\htmlrtf {\f1 \htmlrtf0 
{\*\htmltag4 \par }\htmlrtf }\htmlrtf0 {\*\htmltag72}\htmlrtf}\htmlrtf0

{\*\htmltag128 <pre>}\htmlrtf {\pard\plain\f1\fs20 \htmlrtf0 \htmlrtf {\htmlrtf0 \htmlrtf {\f1 \htmlrtf0 When: Tuesday, September 20, 2011 2:54 AM-3:24 AM. (GMT
{\*\htmltag84 &#43;}\htmlrtf +\htmlrtf0 05:00) Islamabad, Karachi\line
Where: meeting request\line
\line
*~*~*~*~*~*~*~*~*~*\line
\htmlrtf }\htmlrtf0 \htmlrtf\par}\htmlrtf0

{\*\htmltag136 </pre>}\htmlrtf }\htmlrtf0 
{\*\htmltag0 \par }
{\*\htmltag248 </tt>}
{\*\htmltag0 \par }
{\*\htmltag96 <div>}\htmlrtf {\htmlrtf0 {\*\htmltag64}\htmlrtf {\htmlrtf0 test email{\*\htmltag72}\htmlrtf\par}\htmlrtf0

{\*\htmltag104 </div>}\htmlrtf }\htmlrtf0 
{\*\htmltag0 \par }
{\*\htmltag58 </body>}
{\*\htmltag2 \par }
{\*\htmltag27 </html>}
{\*\htmltag3 \par }})rtf";
  auto text = rtfToText(rtf);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_TRUE(text->from_html);
  EXPECT_EQ(text->text,
            "When: Tuesday, September 20, 2011 2:54 AM-3:24 AM. (GMT+05:00) Islamabad, Karachi\r\n"
            "Where: meeting request\r\n"
            "\r\n"
            "*~*~*~*~*~*~*~*~*~*\r\n"
            "test email");
}

TEST(RtfTextTest, HtmlEntitiesBreaksAndSkippedHead) {
  // [MS-OXRTFEX] 2.1.3.1.4: character references are kept in htmltag fragments; <br> breaks a
  // line; <style> content is not text.
  const std::string rtf =
      "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 {\\*\\htmltag1 <head><style>p {color:red}</style></head>}"
      "{\\*\\htmltag64 <p>}A{\\*\\htmltag84 &amp;}\\htmlrtf &\\htmlrtf0 B{\\*\\htmltag116 <br>}C"
      "{\\*\\htmltag84 &nbsp;}\\htmlrtf \\'a0\\htmlrtf0 D{\\*\\htmltag72 </p>}}";
  auto text = rtfToText(rtf);
  ASSERT_TRUE(text.ok()) << text.error().message;
  EXPECT_EQ(text->text, "A&B\r\nC\xC2\xA0" "D");
}

TEST(RtfTextTest, RefusesWhatIsNotRtf) {
  auto text = rtfToText("hello");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "mapi.rtf");
  EXPECT_EQ(text.error().context, "PidTagRtfCompressed");
}

TEST(RtfTextTest, RefusesGroupsNestedTooDeep) {
  std::string rtf = "{\\rtf1 ";
  for (int i = 0; i < kMaxRtfGroupDepth + 10; ++i) rtf += "{";
  auto text = rtfToText(rtf);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("deeper"), std::string::npos);
}

TEST(RtfTextTest, RefusesATruncatedDocument) {
  auto text = rtfToText("{\\rtf1\\ansi {\\b bold");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("open groups"), std::string::npos);
}

TEST(RtfTextTest, IgnoresPaddingAfterTheDocument) {
  EXPECT_EQ(textOf(std::string("{\\rtf1 x}\0\0garbage", 18)), "x");
}

TEST(RtfTextTest, OutputStaysWithinItsBound) {
  // The constructs that give the most output per input byte.
  for (const std::string unit : {"\\~", "\\'e9", "\\u8364?", "\\emdash ", "a", "\\par ", "\\u-10179?\\u-8704?"}) {
    std::string rtf = "{\\rtf1\\ansi ";
    for (int i = 0; i < 1000; ++i) rtf += unit;
    rtf += "}";
    auto text = rtfToText(rtf);
    ASSERT_TRUE(text.ok()) << unit;
    EXPECT_LE(text->text.size(), rtf.size() * kMaxRtfOutputFactor) << unit;
  }
}

// --- readBody -------------------------------------------------------------------------------------

TEST(ReadBodyTest, PlainBodyWinsWithoutFinding) {
  PropertyBag bag;
  bag.set(kPidTagBody.id, PropertyType::kUnicode, std::string("plain"));
  bag.rtf_body = "{\\rtf1 rich}";
  std::vector<model::Finding> findings;
  model::Provenance item{"f.pst", "/Calendar", "1"};
  FieldReader fields(bag, item, findings);
  EXPECT_EQ(readBody(fields), "plain");
  EXPECT_TRUE(findings.empty());
}

TEST(ReadBodyTest, RtfOnlyBodyIsConvertedAndReported) {
  PropertyBag bag;
  bag.rtf_body = "{\\rtf1\\ansi rich\\par text}";
  std::vector<model::Finding> findings;
  model::Provenance item{"f.pst", "/Calendar", "1"};
  FieldReader fields(bag, item, findings);
  EXPECT_EQ(readBody(fields), "rich\r\ntext");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "body.from_rtf");
  EXPECT_EQ(findings[0].field, "PidTagRtfCompressed");
  EXPECT_FALSE(findings[0].item_skipped);
}

TEST(ReadBodyTest, UnreadableRtfLeavesTheBodyEmptyWithAWarning) {
  PropertyBag bag;
  bag.rtf_body = "{\\rtf1 never closed";
  std::vector<model::Finding> findings;
  model::Provenance item{"f.pst", "/Calendar", "1"};
  FieldReader fields(bag, item, findings);
  EXPECT_EQ(readBody(fields), "");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "body.rtf_unreadable");
  EXPECT_EQ(findings[0].severity, model::Severity::kWarning);
}

}  // namespace
}  // namespace m2z::readers::mapi
