// The .msg stream formats on bytes built here from [MS-OXMSG] 2.2.3 and 2.4.
#include "readers/msg/msg_streams.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace m2z::readers::msg {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put32(Bytes& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}
void put16(Bytes& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
}

TEST(MsgPropertyStream, HeaderSizeDependsOnTheStorage) {
  // [MS-OXMSG] 2.4.1.1 (top level: 32), 2.4.1.2 (embedded: 24), 2.4.2 (recipient/attachment: 8).
  EXPECT_EQ(propertyHeaderSize(StorageKind::kTopLevelMessage), 32u);
  EXPECT_EQ(propertyHeaderSize(StorageKind::kEmbeddedMessage), 24u);
  EXPECT_EQ(propertyHeaderSize(StorageKind::kRecipient), 8u);
  EXPECT_EQ(propertyHeaderSize(StorageKind::kAttachment), 8u);
}

TEST(MsgPropertyStream, ReadsTagFlagsAndValue) {
  Bytes stream(8, 0);  // a recipient's header
  put32(stream, 0x0C150003);  // PidTagRecipientType, PtypInteger32
  put32(stream, 0x00000006);  // readable | writable
  put32(stream, 1);           // MAPI_TO
  put32(stream, 0);
  auto entries = parsePropertyStream(stream, StorageKind::kRecipient);
  ASSERT_TRUE(entries) << entries.error().describe();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].id, 0x0C15);
  EXPECT_EQ((*entries)[0].type, 0x0003);
  EXPECT_EQ((*entries)[0].flags, 6u);
  EXPECT_EQ((*entries)[0].value[0], 1);
}

TEST(MsgPropertyStream, ShortOrRaggedStreamsAreErrors) {
  EXPECT_FALSE(parsePropertyStream(Bytes(31, 0), StorageKind::kTopLevelMessage));
  auto ragged = parsePropertyStream(Bytes(32 + 16 + 5, 0), StorageKind::kTopLevelMessage);
  ASSERT_FALSE(ragged);
  EXPECT_NE(ragged.error().message.find("offset 48"), std::string::npos) << ragged.error().message;
  EXPECT_NE(ragged.error().context.find("__properties_version1.0"), std::string::npos);
  auto empty = parsePropertyStream(Bytes(24, 0), StorageKind::kEmbeddedMessage);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(MsgNameIdMap, ResolvesNumericAndStringNames) {
  // GUID stream: PSETID_Appointment {00062002-0000-0000-C000-000000000046} in its on-disk order.
  const mapi::Guid appointment =
      mapi::Guid::fromFields(0x00062002, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});
  Bytes guids(appointment.bytes.begin(), appointment.bytes.end());
  Bytes entries;
  // Entry 0: LID 0x8216 in GUID index 3 (the first GUID of the stream), numeric: 0x8000 + 0.
  put32(entries, 0x8216);
  put16(entries, static_cast<std::uint16_t>(3 << 1));
  put16(entries, 0);
  // Entry 1: the string name "Keywords" at offset 0 of the string stream, PS_PUBLIC_STRINGS (2).
  put32(entries, 0);
  put16(entries, static_cast<std::uint16_t>(2 << 1 | 1));
  put16(entries, 1);
  // Entry 2: LID 0x0001 in PS_MAPI (1).
  put32(entries, 0x0001);
  put16(entries, static_cast<std::uint16_t>(1 << 1));
  put16(entries, 2);
  Bytes strings;
  put32(strings, 16);  // "Keywords" in UTF-16LE: 8 units
  for (char c : std::string("Keywords")) put16(strings, static_cast<std::uint16_t>(c));
  std::vector<std::string> problems;
  auto map = parseNameIdMap(guids, entries, strings, problems);
  ASSERT_TRUE(map) << map.error().describe();
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(map->size(), 3u);
  EXPECT_EQ(map->at(0x8000).property_set, appointment);
  EXPECT_EQ(std::get<std::uint32_t>(map->at(0x8000).name), 0x8216u);
  EXPECT_EQ(map->at(0x8001).property_set.toString(), "{00020329-0000-0000-C000-000000000046}");
  EXPECT_EQ(std::get<std::string>(map->at(0x8001).name), "Keywords");
  EXPECT_EQ(map->at(0x8002).property_set.toString(), "{00020328-0000-0000-C000-000000000046}");
}

TEST(MsgNameIdMap, EntriesPointingOutsideTheirStreamsAreLeftOut) {
  Bytes entries;
  put32(entries, 0x8205);
  put16(entries, static_cast<std::uint16_t>(4 << 1));  // GUID index 4: the stream holds none
  put16(entries, 0);
  put32(entries, 100);  // string offset past the (empty) string stream
  put16(entries, static_cast<std::uint16_t>(2 << 1 | 1));
  put16(entries, 1);
  std::vector<std::string> problems;
  auto map = parseNameIdMap({}, entries, {}, problems);
  ASSERT_TRUE(map);
  EXPECT_TRUE(map->empty());
  EXPECT_EQ(problems.size(), 2u);
  EXPECT_FALSE(parseNameIdMap({}, Bytes(7, 0), {}, problems));  // not whole 8-byte entries
}

TEST(MsgString8, CodepageComesFromTheMessageThenTheLocale) {
  // PidTagMessageCodepage wins.
  EXPECT_EQ(string8Codepage(1251, 0x0411, 20866), 1251u);
  // msgreader__contactAnsi.msg: no message code page, locale 0x0411 (ja-JP), internet code page
  // 50220 (ISO-2022-JP, a 7-bit MIME charset): the values are Shift-JIS, Windows code page 932.
  EXPECT_EQ(string8Codepage(std::nullopt, 0x0411, 50220), 932u);
  // A locale with no table entry (en-US) leaves the internet code page, else 1252.
  EXPECT_EQ(string8Codepage(std::nullopt, 0x0409, 20866), 20866u);
  EXPECT_EQ(string8Codepage(std::nullopt, std::nullopt, std::nullopt), 1252u);
}

TEST(MsgString8, DecodesThroughTheCodepageUpToTheFirstNul) {
  // "コム" in code page 932 is 83 52 83 80 (Python: "コム".encode("cp932")).
  EXPECT_EQ(string8ToUtf8(Bytes{0x83, 0x52, 0x83, 0x80, 0x00, 0x41}, 932), "コム");
  // "Новикова" in KOI8-R (Python: "Новикова".encode("koi8-r")).
  EXPECT_EQ(string8ToUtf8(Bytes{0xEE, 0xCF, 0xD7, 0xC9, 0xCB, 0xCF, 0xD7, 0xC1}, 20866), "Новикова");
  // 0x80 is the euro sign in windows-1252.
  EXPECT_EQ(string8ToUtf8(Bytes{0x80}, 1252), "\xE2\x82\xAC");
  bool known = true;
  EXPECT_EQ(string8ToUtf8(Bytes{'a', 'b'}, 99999, &known), "ab");
  EXPECT_FALSE(known);
}

TEST(MsgStreamNames, FollowTheTag) {
  EXPECT_EQ(valueStreamName(0x0037, 0x001F), "__substg1.0_0037001F");
  EXPECT_EQ(valueStreamName(0x800E, 0x1102, 1), "__substg1.0_800E1102-00000001");
}

}  // namespace
}  // namespace m2z::readers::msg

namespace m2z::readers::msg {
namespace {

// A version 3 header as [MS-CFB] 2.2 lays it out, with one FAT sector.
Bytes cfbHeader() {
  Bytes header(512, 0);
  const std::uint8_t signature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  std::copy(std::begin(signature), std::end(signature), header.begin());
  header[24] = 0x3E;  // minor version
  header[26] = 3;     // major version 3
  header[28] = 0xFE;  // byte order 0xFFFE
  header[29] = 0xFF;
  header[30] = 9;     // 512-byte sectors
  header[32] = 6;     // 64-byte mini sectors
  header[44] = 1;     // one FAT sector
  return header;
}

TEST(MsgCompoundHeader, AcceptsAPlausibleHeader) {
  EXPECT_TRUE(checkCompoundFileHeader(cfbHeader(), 20 * 512));
}

TEST(MsgCompoundHeader, RefusesCountsTheFileCannotHold) {
  Bytes header = cfbHeader();
  header[44] = header[45] = header[46] = header[47] = 0xFF;  // 0xFFFFFFFF FAT sectors
  auto checked = checkCompoundFileHeader(header, 20 * 512);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("FAT sectors"), std::string::npos) << checked.error().message;
  Bytes difat = cfbHeader();
  difat[72] = 21;  // 21 DIFAT sectors in a 20-sector file
  EXPECT_FALSE(checkCompoundFileHeader(difat, 20 * 512));
}

TEST(MsgCompoundHeader, RefusesOtherFilesAndOddGeometry) {
  EXPECT_FALSE(checkCompoundFileHeader(Bytes(100, 0), 100));
  Bytes not_ole = cfbHeader();
  not_ole[0] = 'P';
  EXPECT_FALSE(checkCompoundFileHeader(not_ole, 20 * 512));
  Bytes big_sectors = cfbHeader();
  big_sectors[30] = 20;  // 1 MiB sectors: no such version
  EXPECT_FALSE(checkCompoundFileHeader(big_sectors, 20 * 512));
}

}  // namespace
}  // namespace m2z::readers::msg
