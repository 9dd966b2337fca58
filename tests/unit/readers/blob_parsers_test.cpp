// Blob parsers against the byte streams printed in the specs, and against damaged copies of them.
#include "readers/mapi/blob_parsers.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "test_bytes.h"

namespace m2z::readers::mapi {
namespace {

using testing::fromBase64;
using testing::fromHex;

// [MS-OXOCAL] 4.1.4 "PidLidAppointmentTimeZoneDefinitionRecur BLOB", cb: 184, transcribed from
// the spec. Its field table says: key "Pacific Standard Time", two rules; rule 1 from 2006, not
// effective, bias 480, standard bias 0, daylight bias -60 (C4 FF FF FF), standard time from the
// last (5) Sunday of October 02:00, daylight time from the first Sunday of April 02:00; rule 2
// from 2007, flags 0x0002 (effective), standard from the first Sunday of November 02:00,
// daylight from the second Sunday of March 02:00.
const std::vector<std::uint8_t> kSpecTzDefinition = fromHex(
    "0201300002001500500061006300690066006900630020005300740061006E0064006100720064002000540069006D0065000200"
    "02013E000000D6070000000000000000000000000000E001000000000000C4FFFFFF00000A0000000500020000000000000000000400"
    "00000100020000000000000002013E000200D7070000000000000000000000000000E001000000000000C4FFFFFF00000B000000010002"
    "0000000000000000000300000002000200000000000000");

// A PidLidTimeZoneStruct consistent with the effective rule above: [MS-OXOCAL] 2.2.1.41 calls the
// two properties consistent when lBias, lStandardBias, lDaylightBias, stStandardDate and
// stDaylightDate are equal, and 2.2.1.39 gives the TZREG layout (the three biases, then
// wStandardYear + SYSTEMTIME, wDaylightYear + SYSTEMTIME).
const std::vector<std::uint8_t> kPacificTzReg = fromHex(
    "E0010000 00000000 C4FFFFFF"
    "0000 0000 0B00 0000 0100 0200 0000 0000 0000"
    "0000 0000 0300 0000 0200 0200 0000 0000 0000");

model::TransitionDate transition(int month, int week, int day_of_week, int hour) {
  return model::TransitionDate{month, week, day_of_week, hour, 0, 0};
}

TEST(TimeZoneDefinitionTest, ParsesTheSpecExample) {
  ASSERT_EQ(kSpecTzDefinition.size(), 184u);  // the example's cb
  auto parsed = parseTimeZoneDefinition(kSpecTzDefinition, "PidLidAppointmentTimeZoneDefinitionRecur");
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->key_name, "Pacific Standard Time");
  EXPECT_EQ(parsed->source_property, "PidLidAppointmentTimeZoneDefinitionRecur");
  ASSERT_EQ(parsed->rules.size(), 2u);

  const auto& rule2006 = parsed->rules[0];
  EXPECT_EQ(rule2006.year, 2006);
  EXPECT_FALSE(rule2006.effective);
  EXPECT_EQ(rule2006.bias, 480);
  EXPECT_EQ(rule2006.standard_bias, 0);
  EXPECT_EQ(rule2006.daylight_bias, -60);
  EXPECT_EQ(rule2006.standard_date, transition(10, 5, 0, 2));
  EXPECT_EQ(rule2006.daylight_date, transition(4, 1, 0, 2));

  const auto& rule2007 = parsed->rules[1];
  EXPECT_EQ(rule2007.year, 2007);
  EXPECT_TRUE(rule2007.effective);
  EXPECT_EQ(rule2007.bias, 480);
  EXPECT_EQ(rule2007.daylight_bias, -60);
  EXPECT_EQ(rule2007.standard_date, transition(11, 1, 0, 2));
  EXPECT_EQ(rule2007.daylight_date, transition(3, 2, 0, 2));
  EXPECT_TRUE(rule2007.observesDaylightTime());
}

TEST(TimeZoneDefinitionTest, EveryTruncationIsAnErrorNamingPropertyAndOffset) {
  for (std::size_t length = 0; length < kSpecTzDefinition.size(); ++length) {
    const std::vector<std::uint8_t> prefix(kSpecTzDefinition.begin(),
                                           kSpecTzDefinition.begin() + static_cast<std::ptrdiff_t>(length));
    auto parsed = parseTimeZoneDefinition(prefix, "PidLidAppointmentTimeZoneDefinitionStartDisplay");
    ASSERT_FALSE(parsed) << "prefix of " << length << " bytes parsed";
    EXPECT_EQ(parsed.error().context, "PidLidAppointmentTimeZoneDefinitionStartDisplay");
    EXPECT_NE(parsed.error().message.find("PidLidAppointmentTimeZoneDefinitionStartDisplay"), std::string::npos);
    EXPECT_NE(parsed.error().message.find("offset"), std::string::npos) << parsed.error().message;
  }
}

TEST(TimeZoneDefinitionTest, RejectsBadVersionsAndLengths) {
  auto blob = kSpecTzDefinition;
  blob[0] = 0x03;  // Major Version
  EXPECT_EQ(parseTimeZoneDefinition(blob, "p").error().code, "mapi.blob.invalid");

  blob = kSpecTzDefinition;
  blob[2] = 0xFF;  // cbHeader far beyond the blob
  blob[3] = 0xFF;
  EXPECT_EQ(parseTimeZoneDefinition(blob, "p").error().code, "mapi.blob.truncated");

  blob = kSpecTzDefinition;
  blob[6] = 0xFF;  // cchKeyName: 0xFFFF characters
  blob[7] = 0xFF;
  EXPECT_FALSE(parseTimeZoneDefinition(blob, "p"));

  blob = kSpecTzDefinition;
  blob[50] = 0xFF;  // cRules: 0xFFFF rules in a 184-byte blob
  blob[51] = 0xFF;
  EXPECT_FALSE(parseTimeZoneDefinition(blob, "p"));

  blob = kSpecTzDefinition;
  blob[54] = 0x10;  // first rule's cbRule (0x3E) shrunk below the rule's fixed fields
  EXPECT_EQ(parseTimeZoneDefinition(blob, "p").error().code, "mapi.blob.invalid");

  blob = kSpecTzDefinition;
  // The first rule starts at 52 (4 + cbHeader 48): versions and cbRule (4), flags (2), wYear (2),
  // X (14), three biases (12), so stStandardDate starts at 86 and its wMonth is at 88.
  blob[88] = 13;
  auto parsed = parseTimeZoneDefinition(blob, "p");
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("stStandardDate at offset 86"), std::string::npos) << parsed.error().message;
}

TEST(TimeZoneDefinitionTest, SurvivesEverySingleByteCorruption) {
  // Fuzz-style: whatever one byte becomes, the parser returns (a value or an Error).
  for (std::size_t at = 0; at < kSpecTzDefinition.size(); ++at) {
    for (const std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0x7F}, std::uint8_t{0xFF}}) {
      auto blob = kSpecTzDefinition;
      blob[at] = value;
      auto parsed = parseTimeZoneDefinition(blob, "p");
      if (parsed) {
        EXPECT_FALSE(parsed->rules.empty());
      }
    }
  }
}

TEST(TimeZoneDefinitionTest, SurvivesRandomBytes) {
  std::mt19937 random(20240601);  // fixed seed: the run is reproducible
  for (int round = 0; round < 5000; ++round) {
    std::vector<std::uint8_t> blob(random() % 300);
    for (auto& byte : blob) byte = static_cast<std::uint8_t>(random());
    if (blob.size() >= 2 && round % 2 == 0) {  // half of them look like a TZDEFINITION header
      blob[0] = 0x02;
      blob[1] = 0x01;
    }
    (void)parseTimeZoneDefinition(blob, "p");
    (void)parseTimeZoneStruct(blob, "p");
    (void)uidFromGlobalObjectId(blob, "p");
  }
}

TEST(TimeZoneStructTest, ParsesATzReg) {
  auto parsed = parseTimeZoneStruct(kPacificTzReg, "PidLidTimeZoneStruct");
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->key_name, "");
  EXPECT_EQ(parsed->source_property, "PidLidTimeZoneStruct");
  ASSERT_EQ(parsed->rules.size(), 1u);
  // The TZREG carries exactly the fields of the effective rule of the spec example.
  const auto from_definition = parseTimeZoneDefinition(kSpecTzDefinition, "p");
  ASSERT_TRUE(from_definition);
  const auto& effective = from_definition->rules[1];
  const auto& rule = parsed->rules[0];
  EXPECT_EQ(rule.bias, effective.bias);
  EXPECT_EQ(rule.standard_bias, effective.standard_bias);
  EXPECT_EQ(rule.daylight_bias, effective.daylight_bias);
  EXPECT_EQ(rule.standard_date, effective.standard_date);
  EXPECT_EQ(rule.daylight_date, effective.daylight_date);
}

TEST(TimeZoneStructTest, ZoneWithoutDaylightTime) {
  // (UTC) Coordinated Universal Time: no bias, wMonth 0 in both dates ([MS-OXOCAL] 2.2.1.39: a
  // zone without daylight saving time has wMonth zero).
  const auto blob = fromHex("00000000 00000000 00000000" + std::string(2 * 36, '0'));
  auto parsed = parseTimeZoneStruct(blob, "PidLidTimeZoneStruct");
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_FALSE(parsed->rules[0].observesDaylightTime());
  EXPECT_EQ(parsed->rules[0].bias, 0);
}

TEST(TimeZoneStructTest, TruncationsAreErrors) {
  for (std::size_t length = 0; length < kPacificTzReg.size(); ++length) {
    const std::vector<std::uint8_t> prefix(kPacificTzReg.begin(),
                                           kPacificTzReg.begin() + static_cast<std::ptrdiff_t>(length));
    auto parsed = parseTimeZoneStruct(prefix, "PidLidTimeZoneStruct");
    ASSERT_FALSE(parsed) << length;
    EXPECT_NE(parsed.error().message.find("PidLidTimeZoneStruct"), std::string::npos);
  }
  auto huge_bias = kPacificTzReg;
  huge_bias[3] = 0x7F;  // lBias = 0x7F0001E0 minutes
  EXPECT_EQ(parseTimeZoneStruct(huge_bias, "p").error().code, "mapi.blob.invalid");
}

// [MS-ASEMAIL] 4.3 "Converting a GlobalObjId to a UID", example 1: an Outlook id (no vCal-Uid);
// the spec zeroes bytes 17-20 and hex-encodes: the expected UID is the spec's.
TEST(GlobalObjectIdTest, OutlookIdBecomesHexWithInstanceDateZeroed) {
  const auto blob = fromBase64("BAAAAIIA4AB0xbcQGoLgCAfUCRDgQMnBJoXEAQAAAAAAAAAAEAAAAAvw7UtuTulOnjnjhns3jvM=");
  auto uid = uidFromGlobalObjectId(blob, "PidLidGlobalObjectId");
  ASSERT_TRUE(uid) << uid.error().describe();
  EXPECT_EQ(uid->uid,
            "040000008200E00074C5B7101A82E00800000000E040C9C12685C4010000000000000000100000000BF0ED4B6E4EE94E9E39E3867B378EF3");
  EXPECT_EQ(uid->origin, model::UidOrigin::kGlobalObjectIdHex);
}

// [MS-ASEMAIL] 4.3 example 2: Data is "vCal-Uid", version 01 00 00 00, the UID and a 00
// terminator; the spec's expected UID is {81412D3C-2A24-4E9D-B20E-11F7BBE92799}.
TEST(GlobalObjectIdTest, VCalUidGivesTheEmbeddedUid) {
  const auto blob = fromBase64(
      "BAAAAIIA4AB0xbcQGoLgCAAAAAAAAAAAAAAAAAAAAAAAAAAAMwAAAHZDYWwtVWlkAQAAAHs4MTQxMkQzQy0yQTI0LTRFOUQtQjIwRS0xMUY3QkJFOTI3OTl9AA==");
  auto uid = uidFromGlobalObjectId(blob, "PidLidGlobalObjectId");
  ASSERT_TRUE(uid) << uid.error().describe();
  EXPECT_EQ(uid->uid, "{81412D3C-2A24-4E9D-B20E-11F7BBE92799}");
  EXPECT_EQ(uid->origin, model::UidOrigin::kExternalUid);
}

// [MS-OXOCAL] section 4 example "PidLidGlobalObjectId" (the exception moved from 2008-03-25):
// YH YL M D = 07 D8 03 19. Its clean form ([MS-OXOCAL] 2.2.1.28: "the YH, YL, M, and D fields
// MUST all be zero") is the UID.
TEST(GlobalObjectIdTest, ExceptionIdUsesTheCleanForm) {
  const auto blob = fromHex(
      "040000008200E00074C5B7101A82E00807D803195025D461E473C8010000000000000000100000002A5844B3A444F74A9C246C60886F116B");
  auto uid = uidFromGlobalObjectId(blob, "PidLidGlobalObjectId");
  ASSERT_TRUE(uid);
  EXPECT_EQ(uid->uid,
            "040000008200E00074C5B7101A82E008000000005025D461E473C8010000000000000000100000002A5844B3A444F74A9C246C60886F116B");
}

TEST(GlobalObjectIdTest, DamagedIdsAreErrors) {
  const auto valid = fromHex(
      "040000008200E00074C5B7101A82E00807D803195025D461E473C8010000000000000000100000002A5844B3A444F74A9C246C60886F116B");
  for (std::size_t length = 0; length < valid.size(); ++length) {
    const std::vector<std::uint8_t> prefix(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(length));
    auto uid = uidFromGlobalObjectId(prefix, "PidLidCleanGlobalObjectId");
    ASSERT_FALSE(uid) << length;
    EXPECT_EQ(uid.error().context, "PidLidCleanGlobalObjectId");
    EXPECT_NE(uid.error().message.find("offset"), std::string::npos);
  }
  auto wrong_id = valid;
  wrong_id[4] = 0x83;
  EXPECT_EQ(uidFromGlobalObjectId(wrong_id, "p").error().code, "mapi.blob.invalid");

  auto oversized = valid;  // Size = 0xFFFFFFF0: far more Data than the blob holds
  oversized[36] = 0xF0;
  oversized[37] = oversized[38] = oversized[39] = 0xFF;
  auto uid = uidFromGlobalObjectId(oversized, "p");
  ASSERT_FALSE(uid);
  EXPECT_NE(uid.error().message.find("offset 40"), std::string::npos) << uid.error().message;
}

TEST(GlobalObjectIdTest, EmptyOrBinaryVCalUidFallsBackToHex) {
  // vCal-Uid marker followed by only the terminator: no usable text UID.
  const auto blob = fromHex(
      "040000008200E00074C5B7101A82E008 00000000 0000000000000000 0000000000000000 0D000000"
      "7643616C2D556964 01000000 00");
  auto uid = uidFromGlobalObjectId(blob, "p");
  ASSERT_TRUE(uid);
  EXPECT_EQ(uid->origin, model::UidOrigin::kGlobalObjectIdHex);
  EXPECT_EQ(uid->uid.size(), blob.size() * 2);
}

TEST(Utf16Test, ConvertsSurrogatesAndReplacesBrokenOnes) {
  // U+00E9, U+1F600 (D83D DE00), then an unpaired high surrogate.
  const auto bytes = fromHex("E900 3DD8 00DE 3DD8");
  EXPECT_EQ(utf16LeToUtf8(bytes), "\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD");
}

}  // namespace
}  // namespace m2z::readers::mapi
