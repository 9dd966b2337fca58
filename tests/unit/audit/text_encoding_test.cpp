#include "audit/text_encoding.h"

#include <gtest/gtest.h>

namespace m2z::audit::detail {
namespace {

TEST(Base64Test, Rfc4648TestVectors) {
  // RFC 4648 section 10.
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
  for (const char* text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(base64Decode(base64Encode(text)), std::optional<std::string>(text));
  }
}

TEST(Base64Test, DecodeSkipsWhitespaceAndRejectsGarbage) {
  EXPECT_EQ(base64Decode("Zm9v\nYmFy"), std::optional<std::string>("foobar"));
  EXPECT_EQ(base64Decode("Zm9v!"), std::nullopt);
  EXPECT_EQ(base64Decode("Zg==Zg=="), std::nullopt);  // data after padding
  const std::string all_bytes = [] {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
    return bytes;
  }();
  EXPECT_EQ(base64Decode(base64Encode(all_bytes)), all_bytes);
}

TEST(XmlSafeTest, WhatXml10CanCarry) {
  // XML 1.0 section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
  EXPECT_TRUE(isXmlSafe("plain \t\r\n text"));
  EXPECT_TRUE(isXmlSafe("Gr\xC3\xBC\xC3\x9F" "e \xF0\x9F\x93\x85"));  // "Grüße 📅"
  EXPECT_FALSE(isXmlSafe(std::string("nul\0", 4)));
  EXPECT_FALSE(isXmlSafe("\x0b"));
  EXPECT_FALSE(isXmlSafe("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_FALSE(isXmlSafe("\xED\xA0\x80"));      // an encoded surrogate, U+D800
  EXPECT_FALSE(isXmlSafe("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(isXmlSafe("\xE2\x82"));          // truncated sequence
}

TEST(XmlSafeTest, ReplacementsAreVisible) {
  // C0 controls map to the Control Pictures block: U+0000 -> U+2400 (E2 90 80), U+001F -> U+241F.
  EXPECT_EQ(toXmlSafe(std::string("a\0b", 3)), "a\xE2\x90\x80" "b");
  EXPECT_EQ(toXmlSafe("\x1f"), "\xE2\x90\x9F");
  // A stray byte becomes U+FFFD and the valid "é" (C3 A9) right after it survives.
  EXPECT_EQ(toXmlSafe("\xff\xC3\xA9"), "\xEF\xBF\xBD\xC3\xA9");
  EXPECT_EQ(toXmlSafe("kept\t\r\n"), "kept\t\r\n");
}

}  // namespace
}  // namespace m2z::audit::detail
