// readMessageStorage on storages built in memory: which streams become which PropertyBag values,
// and what happens when streams are missing, too large or damaged.
#include "readers/msg/msg_properties.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "readers/mapi/property_ids.h"

namespace m2z::readers::msg {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put32(Bytes& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}
void put64(Bytes& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}
Bytes utf16(const std::string& ascii) {
  Bytes out;
  for (char c : ascii) {
    out.push_back(static_cast<std::uint8_t>(c));
    out.push_back(0);
  }
  return out;
}

// A storage as a tree of named byte streams; sub storages are shared so a test can keep a handle.
struct FakeStorage : MsgStorage {
  std::map<std::string, Bytes> streams;
  std::map<std::string, std::shared_ptr<FakeStorage>> storages;

  Result<std::vector<std::string>> childNames() override {
    std::vector<std::string> names;
    for (const auto& [name, data] : streams) names.push_back(name);
    for (const auto& [name, storage] : storages) names.push_back(name);
    return names;
  }
  Result<std::optional<Bytes>> readStream(const std::string& name, std::size_t max_bytes) override {
    const auto it = streams.find(name);
    if (it == streams.end()) return std::optional<Bytes>();
    if (it->second.size() > max_bytes) return Error{"msg.stream", "too large", name};
    return std::optional<Bytes>(it->second);
  }
  Result<std::unique_ptr<MsgStorage>> openStorage(const std::string& name) override {
    const auto it = storages.find(name);
    if (it == storages.end()) return std::unique_ptr<MsgStorage>();
    return std::unique_ptr<MsgStorage>(std::make_unique<Forward>(it->second));
  }

  struct Forward : MsgStorage {
    explicit Forward(std::shared_ptr<FakeStorage> target) : target_(std::move(target)) {}
    Result<std::vector<std::string>> childNames() override { return target_->childNames(); }
    Result<std::optional<Bytes>> readStream(const std::string& name, std::size_t max_bytes) override {
      return target_->readStream(name, max_bytes);
    }
    Result<std::unique_ptr<MsgStorage>> openStorage(const std::string& name) override {
      return target_->openStorage(name);
    }
    std::shared_ptr<FakeStorage> target_;
  };

  // Appends a property stream entry; variable-size values get their stream too.
  void fixed(std::uint16_t id, std::uint16_t type, std::uint64_t value) {
    Bytes& props = streams["__properties_version1.0"];
    put32(props, static_cast<std::uint32_t>(id) << 16 | type);
    put32(props, 6);
    put64(props, value);
  }
  void variable(std::uint16_t id, std::uint16_t type, Bytes data) {
    fixed(id, type, data.size());
    streams[valueStreamName(id, type)] = std::move(data);
  }
};

std::shared_ptr<FakeStorage> message(std::size_t header) {
  auto storage = std::make_shared<FakeStorage>();
  storage->streams["__properties_version1.0"] = Bytes(header, 0);
  return storage;
}

const mapi::Guid kAppointment = mapi::kPsetidAppointment;

TEST(MsgProperties, TaggedNamedAndMultiValuedValues) {
  auto root = message(32);
  root->variable(0x001A, 0x001F, utf16("IPM.Appointment"));
  root->variable(0x0037, 0x001F, utf16("Team meeting"));
  root->fixed(0x0017, 0x0003, 2);                    // PidTagImportance: high
  root->fixed(0x8000, 0x0040, 133171164000000000);  // named 0x8000 -> PidLidAppointmentStartWhole
  root->fixed(0x8001, 0x000B, 1);                    // named 0x8001 -> PidLidRecurring
  // A PtypMultipleUnicode with two values: a length stream of 4-byte entries, one stream each.
  root->fixed(0x8002, 0x101F, 8);
  root->streams[valueStreamName(0x8002, 0x101F)] = Bytes(8, 0);
  root->streams[valueStreamName(0x8002, 0x101F, 0)] = utf16("Blue");
  root->streams[valueStreamName(0x8002, 0x101F, 1)] = utf16("Red");
  NamedPropertyMap names;
  names[0x8000] = mapi::NamedKey{kAppointment, std::uint32_t{0x820D}};
  names[0x8001] = mapi::NamedKey{kAppointment, std::uint32_t{0x8223}};
  names[0x8002] = mapi::NamedKey{mapi::kPsPublicStrings, std::string("Keywords")};

  std::vector<PropertyProblem> problems;
  auto bag = readMessageStorage(*root, StorageKind::kTopLevelMessage, names, ReadLimits{}, problems);
  ASSERT_TRUE(bag) << bag.error().describe();
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(bag->message_class, "IPM.Appointment");
  EXPECT_EQ(std::get<std::string>(*bag->findTagged(0x0037)), "Team meeting");
  EXPECT_EQ(std::get<std::int32_t>(*bag->findTagged(0x0017)), 2);
  EXPECT_EQ(std::get<mapi::FileTime>(*bag->findNamed(kAppointment, 0x820D)).ticks, 133171164000000000u);
  EXPECT_TRUE(std::get<bool>(*bag->findNamed(kAppointment, 0x8223)));
  EXPECT_EQ(std::get<std::vector<std::string>>(*bag->findNamed(mapi::kPsPublicStrings, "Keywords")),
            (std::vector<std::string>{"Blue", "Red"}));
}

TEST(MsgProperties, RecipientsAndEmbeddedMessagesButNotFileAttachments) {
  auto root = message(32);
  root->variable(0x001A, 0x001F, utf16("IPM.Appointment"));
  auto recipient = message(8);
  recipient->variable(0x3001, 0x001F, utf16("Jane"));
  root->storages["__recip_version1.0_#00000000"] = recipient;
  // An exception attachment: PidTagAttachMethod 5 and the message in __substg1.0_3701000D.
  auto exception_row = message(8);
  exception_row->fixed(0x3705, 0x0003, 5);
  auto embedded = message(24);
  embedded->variable(0x0037, 0x001F, utf16("Moved"));
  exception_row->storages["__substg1.0_3701000D"] = embedded;
  root->storages["__attach_version1.0_#00000000"] = exception_row;
  // A file attachment: not a photo, so neither the row nor its data is kept.
  auto file_row = message(8);
  file_row->fixed(0x3705, 0x0003, 1);
  file_row->variable(0x3701, 0x0102, Bytes(100, 0xAB));
  root->storages["__attach_version1.0_#00000001"] = file_row;

  std::vector<PropertyProblem> problems;
  auto bag = readMessageStorage(*root, StorageKind::kTopLevelMessage, {}, ReadLimits{}, problems);
  ASSERT_TRUE(bag);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(bag->recipients.size(), 1u);
  EXPECT_EQ(std::get<std::string>(*bag->recipients[0].findTagged(0x3001)), "Jane");
  ASSERT_EQ(bag->attachments.size(), 1u);
  ASSERT_EQ(bag->attachments[0].embedded_message.size(), 1u);
  EXPECT_EQ(std::get<std::string>(*bag->attachments[0].embedded_message[0].findTagged(0x0037)), "Moved");
}

TEST(MsgProperties, ContactPhotoRowKeepsItsData) {
  auto root = message(32);
  auto photo = message(8);
  photo->fixed(0x7FFF, 0x000B, 1);  // PidTagAttachmentContactPhoto
  photo->variable(0x3701, 0x0102, Bytes{0xFF, 0xD8, 0xFF});
  root->storages["__attach_version1.0_#00000000"] = photo;
  std::vector<PropertyProblem> problems;
  auto bag = readMessageStorage(*root, StorageKind::kTopLevelMessage, {}, ReadLimits{}, problems);
  ASSERT_TRUE(bag);
  ASSERT_EQ(bag->attachments.size(), 1u);
  EXPECT_EQ(std::get<mapi::Binary>(*bag->attachments[0].findTagged(0x3701)), (mapi::Binary{0xFF, 0xD8, 0xFF}));
}

TEST(MsgProperties, MissingAndOversizedStreamsBecomeProblems) {
  auto root = message(32);
  root->variable(0x0037, 0x001F, utf16("Kept"));
  root->fixed(0x1000, 0x001F, 10);                 // PidTagBody listed, stream missing
  root->variable(0x0FFF, 0x0102, Bytes(64, 1));   // larger than the limit below
  root->fixed(0x8005, 0x0003, 1);                  // a named id the map does not have
  root->fixed(0x8006, 0x1102, 16);                 // two binary values, the second missing
  root->streams[valueStreamName(0x8006, 0x1102)] = Bytes(16, 0);
  root->streams[valueStreamName(0x8006, 0x1102, 0)] = Bytes{1};
  NamedPropertyMap names;
  names[0x8006] = mapi::NamedKey{mapi::kPsetidAddress, std::uint32_t{0x8055}};
  ReadLimits limits;
  limits.max_value_bytes = 32;
  std::vector<PropertyProblem> problems;
  auto bag = readMessageStorage(*root, StorageKind::kTopLevelMessage, names, limits, problems);
  ASSERT_TRUE(bag);
  EXPECT_EQ(std::get<std::string>(*bag->findTagged(0x0037)), "Kept");
  EXPECT_EQ(bag->findTagged(0x1000), nullptr);
  EXPECT_EQ(bag->findTagged(0x0FFF), nullptr);
  EXPECT_EQ(bag->findNamed(mapi::kPsetidAddress, 0x8055), nullptr);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].where, "__substg1.0_1000001F");
  EXPECT_EQ(problems[1].where, "__substg1.0_0FFF0102");
  EXPECT_EQ(problems[2].where, "0x8005");
  EXPECT_EQ(problems[3].where, "__substg1.0_80061102-00000001");
}

TEST(MsgProperties, TheFileBudgetStopsReadingValues) {
  auto root = message(32);
  root->variable(0x0FF0, 0x0102, Bytes(60, 1));
  root->variable(0x0FF1, 0x0102, Bytes(60, 2));
  ReadLimits limits;
  limits.max_total_bytes = 100;
  std::vector<PropertyProblem> problems;
  auto bag = readMessageStorage(*root, StorageKind::kTopLevelMessage, {}, limits, problems);
  ASSERT_TRUE(bag);
  EXPECT_NE(bag->findTagged(0x0FF0), nullptr);
  EXPECT_EQ(bag->findTagged(0x0FF1), nullptr);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].why.find("together"), std::string::npos) << problems[0].why;
}

TEST(MsgProperties, AnRtfOnlyBodyIsDecompressedForTheMapping) {
  auto root = message(32);
  // PidTagRtfCompressed, LZFu: "{\rtf1" from the initial dictionary, 'A', the end marker (see
  // rtf_decompress_test.cpp); COMPSIZE 18, RAWSIZE 7, COMPTYPE "LZFu", CRC 0.
  root->variable(0x1009, 0x0102, Bytes{18, 0, 0, 0, 7, 0, 0, 0, 'L', 'Z', 'F', 'u', 0, 0, 0, 0,
                                       0x05, 0x00, 0x04, 'A', 0x0D, 0x60});
  std::vector<PropertyProblem> problems;
  auto bag = readMessageStorage(*root, StorageKind::kTopLevelMessage, {}, ReadLimits{}, problems);
  ASSERT_TRUE(bag);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(bag->rtf_body, "{\\rtf1A");
  // With a PidTagBody the RTF is not needed and not decompressed.
  root->variable(0x1000, 0x001F, utf16("Text"));
  auto with_body = readMessageStorage(*root, StorageKind::kTopLevelMessage, {}, ReadLimits{}, problems);
  ASSERT_TRUE(with_body);
  EXPECT_TRUE(with_body->rtf_body.empty());
}

TEST(MsgProperties, AMessageWithoutPropertyStreamIsAnError) {
  FakeStorage empty;
  std::vector<PropertyProblem> problems;
  auto bag = readMessageStorage(empty, StorageKind::kTopLevelMessage, {}, ReadLimits{}, problems);
  ASSERT_FALSE(bag);
  EXPECT_EQ(bag.error().context, "__properties_version1.0");
}

}  // namespace
}  // namespace m2z::readers::msg
