// CLIXML ([MS-PSRP] 2.2.5) read into values: primitives, lists, enums, TN/TNRef and Ref.
#include "readers/exchange-shell/clixml.h"

#include <gtest/gtest.h>

namespace m2z::readers::exchange_shell {
namespace {

const std::string kHead = R"(<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">)";

TEST(CliXml, EscapesDecoded) {
  // XmlConvert writes CR LF as _x000D__x000A_, a tab as _x0009_, U+1F600 as a surrogate pair.
  EXPECT_EQ(decodeXmlEscapes("a_x000D__x000A_b_x0009_c"), "a\r\nb\tc");
  EXPECT_EQ(decodeXmlEscapes("_xD83D__xDE00_"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(decodeXmlEscapes("_x005F_x"), "_x");
  EXPECT_EQ(decodeXmlEscapes("no_xZZZZ_escape"), "no_xZZZZ_escape");
}

TEST(CliXml, ObjectsListsEnumsAndReferences) {
  auto objects = parseCliXml(kHead + R"(
<Obj RefId="0"><TN RefId="0"><T>Deserialized.X.Rule</T><T>Deserialized.System.Object</T></TN>
<ToString>r1</ToString><Props><S N="Name">r1_x000A_b</S><B N="Enabled">true</B><Nil N="Gone"/>
<Obj N="Words" RefId="1"><TN RefId="1"><T>List</T></TN><LST><S>a</S><S>b</S></LST></Obj>
<Obj N="State" RefId="2"><TN RefId="2"><T>Enum</T></TN><ToString>Scheduled</ToString><I32>2</I32></Obj>
<DT N="When">2026-12-21T09:00:00+01:00</DT></Props></Obj>
<Obj RefId="3"><TNRef RefId="0"/><Props><Ref N="Words" RefId="1"/></Props></Obj></Objs>)",
                             "t.xml");
  ASSERT_TRUE(objects.ok()) << objects.error().describe();
  ASSERT_EQ(objects->size(), 2u);
  const PsValue& first = (*objects)[0];
  EXPECT_EQ(first.type_names, (std::vector<std::string>{"Deserialized.X.Rule", "Deserialized.System.Object"}));
  EXPECT_EQ(first.property("Name")->text, "r1\nb");
  EXPECT_EQ(first.property("Enabled")->primitive, "B");
  EXPECT_EQ(first.property("Gone")->kind, PsValue::Kind::kNil);
  ASSERT_EQ(first.property("Words")->kind, PsValue::Kind::kList);
  EXPECT_EQ(first.property("Words")->items.size(), 2u);
  EXPECT_EQ(first.property("State")->text, "Scheduled");
  EXPECT_EQ(first.property("When")->text, "2026-12-21T09:00:00+01:00");
  const PsValue& second = (*objects)[1];
  EXPECT_EQ(second.type_names, first.type_names);  // TNRef
  EXPECT_EQ(second.property("Words")->items.at(1).text, "b");  // Ref
}

TEST(CliXml, BadInputIsAnError) {
  EXPECT_EQ(parseCliXml("<Objs/>", "t").error().code, "shell.not_clixml");
  EXPECT_EQ(parseCliXml("<Objs", "t").error().code, "shell.not_xml");
  EXPECT_EQ(parseCliXml(kHead + R"(<Obj><Props><Ref N="x" RefId="9"/></Props></Obj></Objs>)", "t").error().code,
            "shell.clixml_malformed");
  EXPECT_EQ(parseCliXml(kHead + R"(<Obj><TNRef RefId="4"/></Obj></Objs>)", "t").error().code, "shell.clixml_malformed");
}

TEST(CliXml, ReferencesCannotMultiplyMemory) {
  // Each object holds two references to the one before: 2^40 values if copies were free.
  std::string text = kHead + R"(<Obj RefId="o0"><LST><S>x</S><S>y</S></LST></Obj>)";
  for (int i = 1; i <= 40; ++i) {
    text += "<Obj RefId=\"o" + std::to_string(i) + "\"><LST><Ref RefId=\"o" + std::to_string(i - 1) + "\"/><Ref RefId=\"o" +
            std::to_string(i - 1) + "\"/></LST></Obj>";
  }
  text += "</Objs>";
  CliXmlLimits limits;
  limits.max_values = 100'000;
  auto objects = parseCliXml(text, "bomb.xml", limits);
  ASSERT_FALSE(objects.ok());
  EXPECT_EQ(objects.error().code, "shell.clixml_malformed");
}

}  // namespace
}  // namespace m2z::readers::exchange_shell
