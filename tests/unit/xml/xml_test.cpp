// Parsing (including hostile input), escaping, canonical text and the writer.
#include <gtest/gtest.h>

#include <string>

#include "local_listener.h"
#include "xml/xml.h"

namespace m2z::xml {
namespace {

TEST(XmlParse, CopiesNamesNamespacesAttributesAndText) {
  const auto parsed = parse(
      "<?xml version=\"1.0\"?>\n"
      "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\">\n"
      "  <soap:Body><AuthResponse xmlns=\"urn:zimbraAdmin\"><authToken>0_abc</authToken>"
      "<lifetime>43199997</lifetime></AuthResponse></soap:Body>\n"
      "</soap:Envelope>",
      "sample");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  const Element& envelope = *parsed;
  EXPECT_EQ(envelope.name, "Envelope");
  EXPECT_EQ(envelope.namespace_uri, "http://www.w3.org/2003/05/soap-envelope");
  const Element* body = envelope.child("Body");
  ASSERT_NE(body, nullptr);
  const Element* response = body->child("AuthResponse");
  ASSERT_NE(response, nullptr);
  EXPECT_EQ(response->namespace_uri, "urn:zimbraAdmin");
  ASSERT_NE(envelope.find("authToken"), nullptr);
  EXPECT_EQ(envelope.find("authToken")->text, "0_abc");
  EXPECT_EQ(envelope.find("lifetime")->text, "43199997");
  EXPECT_EQ(envelope.find("nothing"), nullptr);
}

TEST(XmlParse, AttributesInDocumentOrderWithEntitiesResolved) {
  const auto parsed = parse("<a z=\"1\" y=\"&lt;&amp;&quot;&#10;\" x=\"3\">t&amp;u<![CDATA[<v>]]></a>", "attrs");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  ASSERT_EQ(parsed->attributes.size(), 3u);
  EXPECT_EQ(parsed->attributes[0].name, "z");
  EXPECT_EQ(parsed->attributes[1].name, "y");
  EXPECT_EQ(parsed->attributes[2].name, "x");
  EXPECT_EQ(*parsed->attribute("y"), "<&\"\n");
  EXPECT_EQ(parsed->attributeOr("missing", "fallback"), "fallback");
  EXPECT_EQ(parsed->text, "t&u<v>");
}

TEST(XmlParse, ChildrenNamedKeepsOrder) {
  const auto parsed = parse("<r><at a=\"1\"/><x/><at a=\"2\"/></r>", "children");
  ASSERT_TRUE(parsed.ok());
  const auto attendees = parsed->childrenNamed("at");
  ASSERT_EQ(attendees.size(), 2u);
  EXPECT_EQ(*attendees[0]->attribute("a"), "1");
  EXPECT_EQ(*attendees[1]->attribute("a"), "2");
}

TEST(XmlParse, MalformedInputGivesLineAndColumn) {
  // The end tag </a> on line 3 does not match the open <b> from line 2.
  const auto parsed = parse("<a>\n  <b>\n</a>", "broken.xml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "xml.parse");
  EXPECT_EQ(parsed.error().context, "broken.xml");
  EXPECT_EQ(parsed.error().message.rfind("3:", 0), 0u) << parsed.error().message;
}

TEST(XmlParse, EmptyAndTruncatedInputAreErrors) {
  EXPECT_FALSE(parse("", "empty").ok());
  EXPECT_FALSE(parse("<a><b></b>", "truncated").ok());
  EXPECT_FALSE(parse("just text", "text").ok());
}

TEST(XmlParse, InvalidUtf8IsAnError) {
  const auto parsed = parse("<a>\xff\xfe</a>", "bad-utf8");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "xml.parse");
}

TEST(XmlParse, RefusesAnyDtdEvenAnEmptyOne) {
  // "<!DOCTYPE a>" alone declares nothing (no subset, no entities) and Xerces does not even
  // report it; anything with an internal or external subset is a DTD and is refused.
  EXPECT_TRUE(parse("<!DOCTYPE a><a/>", "bare-doctype").ok());
  for (const char* doc : {"<!DOCTYPE a []><a/>", "<!DOCTYPE a SYSTEM \"a.dtd\"><a/>",
                          "<!DOCTYPE a PUBLIC \"-//x//y\" \"a.dtd\"><a/>"}) {
    const auto parsed = parse(doc, "doctype");
    ASSERT_FALSE(parsed.ok()) << doc;
    EXPECT_EQ(parsed.error().code, "xml.refused");
    EXPECT_NE(parsed.error().message.find("DOCTYPE"), std::string::npos);
  }
}

TEST(XmlParse, RefusesBillionLaughs) {
  std::string doc = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  std::string previous = "lol";
  for (int i = 1; i <= 9; ++i) {
    const std::string name = "lol" + std::to_string(i);
    doc += "<!ENTITY " + name + " \"";
    for (int j = 0; j < 10; ++j) doc += "&" + previous + ";";
    doc += "\">";
    previous = name;
  }
  doc += "]><lolz>&lol9;</lolz>";
  const auto parsed = parse(doc, "laughs");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "xml.refused");
}

TEST(XmlParse, RefusesExternalEntitiesWithoutReadingOrFetching) {
  testing::LocalListener listener;
  ASSERT_TRUE(listener.ok());
  const auto local_file = parse("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>", "xxe-file");
  ASSERT_FALSE(local_file.ok());
  EXPECT_EQ(local_file.error().message.find("root:"), std::string::npos);

  const auto remote_dtd = parse("<!DOCTYPE r SYSTEM \"" + listener.url("/evil.dtd") + "\"><r/>", "xxe-dtd");
  ASSERT_FALSE(remote_dtd.ok());
  const auto remote_entity =
      parse("<!DOCTYPE r [<!ENTITY x SYSTEM \"" + listener.url("/evil") + "\">]><r>&x;</r>", "xxe-http");
  ASSERT_FALSE(remote_entity.ok());
  EXPECT_EQ(listener.acceptedConnections(), 0);
}

TEST(XmlParse, SchemaLocationHintsAreNotFollowed) {
  testing::LocalListener listener;
  ASSERT_TRUE(listener.ok());
  const auto parsed = parse("<r xmlns=\"urn:x\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                            "xsi:schemaLocation=\"urn:x " + listener.url("/x.xsd") + "\"/>",
                            "hint");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(listener.acceptedConnections(), 0);
}

TEST(XmlParse, DepthLimit) {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<d>";
  for (int i = 0; i < 300; ++i) deep += "</d>";
  const auto parsed = parse(deep, "deep");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, "xml.refused");
  EXPECT_NE(parsed.error().message.find("deeper than 256"), std::string::npos) << parsed.error().message;

  ParseLimits generous;
  generous.max_depth = 400;
  EXPECT_TRUE(parse(deep, "deep", generous).ok());
}

TEST(XmlParse, SizeAndElementLimits) {
  ParseLimits small;
  small.max_bytes = 10;
  const auto too_big = parse("<abcdefghij/>", "big", small);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code, "xml.too_large");

  ParseLimits few;
  few.max_elements = 3;
  EXPECT_TRUE(parse("<a><b/><c/></a>", "three", few).ok());
  const auto four = parse("<a><b/><c/><d/></a>", "four", few);
  ASSERT_FALSE(four.ok());
  EXPECT_EQ(four.error().code, "xml.refused");
}

TEST(XmlEscape, TextAndAttributeTables) {
  // Expected values follow XML 1.0 section 2.4 (& and < must be escaped; > is escaped so that
  // "]]>" cannot occur) and 3.3.3 (attribute-value normalisation turns literal TAB, LF and CR
  // into spaces, so they must be character references to survive).
  EXPECT_EQ(escapeText("a<b&c>d"), "a&lt;b&amp;c&gt;d");
  // Line breaks become references in text too, so that escaped text never spans lines.
  EXPECT_EQ(escapeText("say \"hi\"\n\tok"), "say \"hi\"&#10;\tok");
  EXPECT_EQ(escapeText("cr\r"), "cr&#13;");
  EXPECT_EQ(escapeAttribute("say \"hi\""), "say &quot;hi&quot;");
  EXPECT_EQ(escapeAttribute("l1\nl2\tx\r"), "l1&#10;l2&#9;x&#13;");
  EXPECT_EQ(escapeAttribute("<&>"), "&lt;&amp;&gt;");
  // Multi-byte UTF-8 passes through untouched.
  EXPECT_EQ(escapeText("Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "Gr\xC3\xBC\xC3\x9F" "e \xE2\x82\xAC \xF0\x9F\x98\x80");
  // XML 1.0 cannot carry U+0001 or U+FFFE even as references, nor broken UTF-8: each becomes
  // U+FFFD (EF BF BD).
  EXPECT_EQ(escapeText(std::string("a\x01" "b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(escapeText(std::string("a\0b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(escapeText("\xEF\xBF\xBE"), "\xEF\xBF\xBD");
  EXPECT_EQ(escapeText("x\xFFy"), "x\xEF\xBF\xBDy");
  EXPECT_EQ(escapeText("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");        // overlong '/'
  EXPECT_EQ(escapeText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // encoded surrogate
}

TEST(XmlEscape, HostileStringsSurviveAWriteAndParseRoundTrip) {
  const std::string hostile[] = {
      "</su><inv method=\"evil\"/><su>",
      "]]><![CDATA[x]]>",
      "&amp; &lt; &#0; &unknown;",
      "\"'\"' <!-- --> <?pi?>",
      "line1\nline2\r\nline3\ttabbed",
      "  leading and trailing  ",
  };
  for (const std::string& value : hostile) {
    XmlWriter writer;
    writer.open("r", {{"attr", value}}).textElement("t", value).close();
    // Nested once more through raw(), which re-indents every line, as an envelope does.
    XmlWriter outer;
    outer.open("outer").raw(writer.text()).close();
    const auto parsed = parse(outer.text(), "round-trip");
    ASSERT_TRUE(parsed.ok()) << parsed.error().describe() << "\n" << outer.text();
    const Element* r = parsed->child("r");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(*r->attribute("attr"), value);
    ASSERT_EQ(r->children.size(), 1u);
    EXPECT_EQ(r->children[0].text, value);
  }
}

TEST(XmlWriter, IndentsAndEscapes) {
  XmlWriter writer;
  writer.open("folder", {{"name", "A&B"}, {"l", "1"}})
      .empty("acl")
      .textElement("desc", "x<y")
      .textElement("none", "")
      .raw("<pre a=\"1\">\n  <in/>\n</pre>")
      .close();
  EXPECT_EQ(writer.text(),
            "<folder name=\"A&amp;B\" l=\"1\">\n"
            "  <acl/>\n"
            "  <desc>x&lt;y</desc>\n"
            "  <none/>\n"
            "  <pre a=\"1\">\n"
            "    <in/>\n"
            "  </pre>\n"
            "</folder>\n");

  XmlWriter nested(2);
  nested.empty("x");
  EXPECT_EQ(nested.release(), "    <x/>\n");
}

TEST(XmlCanonical, DeterministicTextAndStableUnderReparse) {
  const auto parsed = parse(
      "<s:Envelope xmlns:s=\"urn:env\"><s:Body>\n   <R xmlns=\"urn:r\" b=\"2\" a=\"x&amp;y\">"
      "<e xml:lang=\"en\" xmlns:q=\"urn:q\" q:k=\"v\">text</e><empty/></R></s:Body></s:Envelope>",
      "canonical");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  // Written out by hand from the rules in xml.h: two-space indent, one element per line,
  // attributes in document order, default-namespace declarations where the namespace changes,
  // namespaced attributes under generated prefixes a0, a1, ...; whitespace-only text dropped.
  const std::string expected =
      "<Envelope xmlns=\"urn:env\">\n"
      "  <Body>\n"
      "    <R xmlns=\"urn:r\" b=\"2\" a=\"x&amp;y\">\n"
      "      <e xmlns:a0=\"urn:q\" xml:lang=\"en\" a0:k=\"v\">text</e>\n"
      "      <empty/>\n"
      "    </R>\n"
      "  </Body>\n"
      "</Envelope>\n";
  EXPECT_EQ(toCanonicalText(*parsed), expected);
  const auto reparsed = parse(expected, "canonical-again");
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().describe();
  EXPECT_EQ(toCanonicalText(*reparsed), expected);
  EXPECT_EQ(toCanonicalText(*reparsed->child("Body")->child("R")->child("empty"), 1), "  <empty xmlns=\"urn:r\"/>\n");
}

}  // namespace
}  // namespace m2z::xml
