// The pieces of vCard syntax on their own: content lines, parameters, decodings and dates.
#include <gtest/gtest.h>

#include "readers/vcf/vcard_mapper.h"
#include "readers/vcf/vcard_syntax.h"

namespace m2z::readers::vcf {
namespace {

TEST(ContentLine, GroupNameParametersAndValue) {
  // RFC 6350 3.3: group "." name *(";" param) ":" value; Apple writes item1.EMAIL beside
  // item1.X-ABLabel.
  auto property = parseContentLine("item1.EMAIL;type=INTERNET;type=pref:jane@example.com", 7);
  ASSERT_TRUE(property.ok()) << property.error().describe();
  EXPECT_EQ(property->group, "item1");
  EXPECT_EQ(property->name, "EMAIL");
  EXPECT_EQ(property->value, "jane@example.com");
  EXPECT_EQ(property->line, 7);
  EXPECT_TRUE(property->hasType("internet"));
  EXPECT_TRUE(property->hasType("PREF"));
  EXPECT_FALSE(property->hasType("WORK"));
}

TEST(ContentLine, Version21BareParametersGetTheirNames) {
  // vCard 2.1 2.1.2: "TEL;WORK;VOICE:" leaves out TYPE=; a bare QUOTED-PRINTABLE is the encoding.
  auto property = parseContentLine("TEL;WORK;VOICE;QUOTED-PRINTABLE:(905) 555-1234", 1);
  ASSERT_TRUE(property.ok());
  EXPECT_EQ(property->types(), (std::vector<std::string>{"WORK", "VOICE"}));
  EXPECT_EQ(property->parameter("ENCODING"), "QUOTED-PRINTABLE");
  EXPECT_EQ(property->value, "(905) 555-1234");
}

TEST(ContentLine, QuotedParameterValuesKeepColonsSemicolonsAndCommas) {
  // RFC 6350 5.1 example: TYPE="work,voice" is two types; a quoted value may hold ':' and ';'.
  auto property = parseContentLine(R"(TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102)", 1);
  ASSERT_TRUE(property.ok());
  EXPECT_TRUE(property->hasType("work"));
  EXPECT_TRUE(property->hasType("voice"));
  EXPECT_EQ(property->parameter("value"), "uri");
  EXPECT_EQ(property->value, "tel:+1-418-656-9254;ext=102");
  auto label = parseContentLine(R"(ADR;LABEL="a: b; c";TYPE=work:;;x;;;;)", 1);
  ASSERT_TRUE(label.ok());
  EXPECT_EQ(label->parameter("LABEL"), "a: b; c");
  EXPECT_EQ(label->value, ";;x;;;;");
}

TEST(ContentLine, CaretEscapesOfRfc6868) {
  // RFC 6868 3: ^n is a newline, ^' a double quote, ^^ a caret.
  auto property = parseContentLine(R"(ADR;LABEL="1 Main St^nAny Town ^'x^' ^^":;;;;;;)", 1);
  ASSERT_TRUE(property.ok());
  EXPECT_EQ(property->parameter("LABEL"), "1 Main St\nAny Town \"x\" ^");
}

TEST(ContentLine, MalformedLinesAreErrorsNamingTheLine) {
  auto no_colon = parseContentLine("FN Jane Doe", 12);
  ASSERT_FALSE(no_colon.ok());
  EXPECT_EQ(no_colon.error().code, "vcf.bad_line");
  EXPECT_NE(no_colon.error().context.find("line 12"), std::string::npos);
  EXPECT_FALSE(parseContentLine(":value", 1).ok());
  EXPECT_FALSE(parseContentLine(R"(ADR;LABEL="unterminated:x)", 1).ok());
}

TEST(QuotedPrintable, DecodesBytesAndSoftBreaks) {
  // RFC 2045 6.7; the Outlook 2003 note of ez-vcard__outlook-2003.vcf after unfolding.
  EXPECT_EQ(decodeQuotedPrintable("This is the note field!!=0D=0ASecond line"),
            "This is the note field!!\r\nSecond line");
  EXPECT_EQ(decodeQuotedPrintable("a=3Db=3db"), "a=b=b");
  EXPECT_EQ(decodeQuotedPrintable("soft=\r\nbreak="), "softbreak");
  EXPECT_FALSE(decodeQuotedPrintable("bad=ZZ").has_value());
  EXPECT_FALSE(decodeQuotedPrintable("short=4").has_value());
}

TEST(Base64, DecodesIgnoringWhiteSpace) {
  // RFC 4648 10 test vectors.
  auto decoded = decodeBase64("Zm9v YmFy\r\n  Zg==");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::string(decoded->begin(), decoded->end()), "foobarf");
  auto unpadded = decodeBase64("Zm9vYg");
  ASSERT_TRUE(unpadded.has_value());
  EXPECT_EQ(std::string(unpadded->begin(), unpadded->end()), "foob");
  EXPECT_FALSE(decodeBase64("Zm9v!").has_value());
  EXPECT_FALSE(decodeBase64("Zg==Zm9v").has_value());
}

TEST(Charsets, IcuConvertsTheCodePagesOutlookWrites) {
  // Byte values from Python's codecs: 'Müller'.encode('cp1252'), 'Светлана'.encode('koi8-r'),
  // '山田太郎'.encode('shift_jis'), 'Łódź'.encode('iso-8859-2'), 'Москва'.encode('iso-8859-5').
  EXPECT_EQ(toUtf8("M\xFCller \x80", "windows-1252").value(), "Müller €");
  EXPECT_EQ(toUtf8("\xF3\xD7\xC5\xD4\xCC\xC1\xCE\xC1", "KOI8-R").value(), "Светлана");
  EXPECT_EQ(toUtf8("\x8E\x52\x93\x63\x91\xBE\x98\x59", "Shift_JIS").value(), "山田太郎");
  EXPECT_EQ(toUtf8("\xA3\xF3\x64\xBC", "iso-8859-2").value(), "Łódź");
  EXPECT_EQ(toUtf8("\xBC\xDE\xE1\xDA\xD2\xD0", "ISO-8859-5").value(), "Москва");
  EXPECT_EQ(toUtf8("plain", "utf-8").value(), "plain");
  auto unknown = toUtf8("x", "no-such-charset");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "vcf.unknown_charset");
}

TEST(Utf8, ValidityFollowsRfc3629) {
  EXPECT_TRUE(isValidUtf8("Müller 山田 😀"));
  EXPECT_FALSE(isValidUtf8("M\xFCller"));
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(isValidUtf8("\xE5\xB1"));          // cut short
}

TEST(TextEscapes, PerVersion) {
  // RFC 6350 3.4 / RFC 2426 4: \\ \, \; \n \N. vCard 2.1 only escapes ';'.
  EXPECT_EQ(unescapeText(R"(Mr. John Q. Public\, Esq.)", VcardVersion::k40), "Mr. John Q. Public, Esq.");
  EXPECT_EQ(unescapeText(R"(a\nb\Nc\\d\;e)", VcardVersion::k30), "a\nb\nc\\d;e");
  EXPECT_EQ(unescapeText(R"(C:\temp\;x\n)", VcardVersion::k21), R"(C:\temp;x\n)");
  EXPECT_EQ(splitUnescaped(R"(ABC\, Inc.;North American Division;Marketing)", ';'),
            (std::vector<std::string>{R"(ABC\, Inc.)", "North American Division", "Marketing"}));
}

TEST(Dates, CivilDatesWithoutZoneShifts) {
  using model::CivilDate;
  // RFC 6350 6.2.5 / RFC 2426 3.1.5 examples.
  EXPECT_EQ(parseVcardDate("19960415"), (CivilDate{1996, 4, 15}));
  EXPECT_EQ(parseVcardDate("1996-04-15"), (CivilDate{1996, 4, 15}));
  // A birthday with a time stays on its written day, whatever the offset.
  EXPECT_EQ(parseVcardDate("1953-10-15T23:10:00Z"), (CivilDate{1953, 10, 15}));
  EXPECT_EQ(parseVcardDate("1987-09-27T08:30:00-06:00"), (CivilDate{1987, 9, 27}));
  EXPECT_EQ(parseVcardDate("19700131T000000Z"), (CivilDate{1970, 1, 31}));
  bool no_year = false;
  EXPECT_EQ(parseVcardDate("--0415", &no_year), (CivilDate{kNoYear, 4, 15}));
  EXPECT_TRUE(no_year);
  EXPECT_EQ(parseVcardDate("--02-29", &no_year), (CivilDate{kNoYear, 2, 29}));
  EXPECT_FALSE(parseVcardDate("circa 1800").has_value());
  EXPECT_FALSE(parseVcardDate("19960230").has_value());  // 30 February
  EXPECT_FALSE(parseVcardDate("1996-0415").has_value());
  EXPECT_FALSE(parseVcardDate("").has_value());
}

}  // namespace
}  // namespace m2z::readers::vcf
