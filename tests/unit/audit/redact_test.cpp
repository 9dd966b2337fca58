#include "audit/redact.h"

#include <gtest/gtest.h>

namespace m2z::audit {
namespace {

xml::Element parsed(const std::string& text) {
  auto element = xml::parse(text, "test");
  EXPECT_TRUE(element.ok()) << (element.ok() ? "" : element.error().describe());
  return element.ok() ? std::move(element).value() : xml::Element{};
}

TEST(RedactSecretsTest, ElementsAndAttributesWithSecretNames) {
  // Element names from Zimbra's soap.txt / soap-admin.txt and the QA harness's Auth tests.
  xml::Element tree = parsed(
      "<r xmlns='urn:zimbraAccount'><account by='name'>a@b</account><password>p1</password>"
      "<newPassword>p2</newPassword><oldPassword>p3</oldPassword><authToken>t1</authToken>"
      "<preauth timestamp='1' expires='0'>k1</preauth><jwtToken>j1</jwtToken><csrfToken>c1</csrfToken>"
      "<PASSWORD>p4</PASSWORD><change token='8812'/><password/></r>");
  redactSecrets(tree);
  ASSERT_EQ(tree.children.size(), 11u);
  EXPECT_EQ(tree.children[0].text, "a@b");  // not a secret
  for (std::size_t i = 1; i <= 8; ++i) EXPECT_EQ(tree.children[i].text, kRedacted) << tree.children[i].name;
  // The preauth element's own attributes are not secrets; its content is.
  EXPECT_EQ(tree.children[5].attributeOr("timestamp", ""), "1");
  EXPECT_EQ(tree.children[9].attributeOr("token", ""), kRedacted);
  EXPECT_EQ(tree.children[10].text, "");  // an empty password says "none sent"; nothing to hide
}

TEST(RedactSecretsTest, PasswordsInZimbraAttributeLists) {
  xml::Element tree = parsed(
      "<ModifyAccountRequest xmlns='urn:zimbraAdmin'><a n='userPassword'>x1</a><a n='zimbraDataSourcePassword'>x2</a>"
      "<a n='displayName'>Alice</a><a n='zimbraPasswordMinLength'>6</a></ModifyAccountRequest>");
  redactSecrets(tree);
  EXPECT_EQ(tree.children[0].text, kRedacted);
  EXPECT_EQ(tree.children[1].text, kRedacted);
  EXPECT_EQ(tree.children[2].text, "Alice");
  // Over-redaction by design: any n containing "password" is hidden, policy values included.
  EXPECT_EQ(tree.children[3].text, kRedacted);
}

TEST(RedactSecretsTest, SecretElementChildrenAreDroppedAndDepthDoesNotMatter) {
  xml::Element tree = parsed("<a1><b><c><authToken><part>t</part>tail</authToken></c></b></a1>");
  redactSecrets(tree);
  const xml::Element* token = tree.find("authToken");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->text, kRedacted);
  EXPECT_TRUE(token->children.empty());
}

TEST(RedactSecretsTest, NamespaceDeclarationsAreNotTouched) {
  xml::Element tree;
  tree.name = "x";
  tree.attributes.push_back({"token", "http://www.w3.org/2000/xmlns/", "urn:some-namespace"});
  redactSecrets(tree);
  EXPECT_EQ(tree.attributes[0].value, "urn:some-namespace");
}

TEST(RedactSecretsInTextTest, TornAndMalformedBodies) {
  std::string text = "<soap:Envelope><soap:Body><AuthResponse><authToken>0_abc</authToken><lifetime>5</lifetime>";
  redactSecretsInText(text);
  EXPECT_EQ(text, "<soap:Envelope><soap:Body><AuthResponse><authToken>***redacted***</authToken><lifetime>5</lifetime>");

  std::string cut = "<AuthRequest><password>hunter2";  // cut before the closing tag
  redactSecretsInText(cut);
  EXPECT_EQ(cut, "<AuthRequest><password>***redacted***");

  std::string prefixed = "<z:preauth timestamp=\"1\">k1</z:preauth><z:a n='userPassword'>x</z:a>";
  redactSecretsInText(prefixed);
  EXPECT_EQ(prefixed, "<z:preauth timestamp=\"1\">***redacted***</z:preauth><z:a n='userPassword'>***redacted***</z:a>");

  std::string attributes = "<session token=\"s1\" id='9'/><x authToken=abc other=1>";  // HTML-style value too
  redactSecretsInText(attributes);
  EXPECT_EQ(attributes, "<session token=\"***redacted***\" id='9'/><x authToken=***redacted*** other=1>");

  std::string harmless = "a < b and <tokenizer>x</tokenizer> </password> <password/>";
  redactSecretsInText(harmless);
  EXPECT_EQ(harmless, "a < b and <tokenizer>x</tokenizer> </password> <password/>");

  // Lexical, so a tag inside a comment counts too: the scan errs towards hiding.
  std::string comment = "<!-- <password> -->";
  redactSecretsInText(comment);
  EXPECT_EQ(comment, "<!-- <password>***redacted***");
}

TEST(ReplaceSecretValuesTest, LongestSecretFirstAndEmptyIgnored) {
  std::string text = "abcdef and abc";
  replaceSecretValues(text, {"abc", "", "abcdef"});
  // Had "abc" gone first, "def" of the longer secret would be left in view.
  EXPECT_EQ(text, "***redacted*** and ***redacted***");
}

TEST(WithoutCredentialsTest, KeepsOnlySchemeHostPortAndPath) {
  EXPECT_EQ(withoutCredentials("https://admin:pw@mail.example.com:7071/service/admin/soap"),
            "https://mail.example.com:7071/service/admin/soap");
  EXPECT_EQ(withoutCredentials("https://mail.example.com/service/soap?authToken=x#frag"),
            "https://mail.example.com/service/soap");
  EXPECT_EQ(withoutCredentials("https://user@mail.example.com"), "https://mail.example.com");
  EXPECT_EQ(withoutCredentials("https://mail.example.com/a@b"), "https://mail.example.com/a@b");  // '@' in the path
  EXPECT_EQ(withoutCredentials(""), "");
}

}  // namespace
}  // namespace m2z::audit
