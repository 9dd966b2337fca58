// Builds a PropertyBag from the fuzz bytes and runs every mapping over it: property values of any
// type, size and content under the ids the mappings read must give a value, Findings or an Error.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "readers/mapi/appointment_mapper.h"
#include "readers/mapi/contact_mapper.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/task_mapper.h"

namespace {

using namespace m2z::readers::mapi;

class Input {
 public:
  explicit Input(std::span<const std::uint8_t> data) : data_(data) {}
  bool empty() const { return offset_ >= data_.size(); }
  std::uint8_t u8() { return empty() ? 0 : data_[offset_++]; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | u8() << 8); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) | static_cast<std::uint32_t>(u16()) << 16; }
  std::uint64_t u64() { return static_cast<std::uint64_t>(u32()) | static_cast<std::uint64_t>(u32()) << 32; }
  Binary bytes() {
    const std::size_t length = std::min<std::size_t>(u16(), data_.size() - std::min(offset_, data_.size()));
    Binary out(data_.begin() + static_cast<std::ptrdiff_t>(offset_),
               data_.begin() + static_cast<std::ptrdiff_t>(offset_ + length));
    offset_ += length;
    return out;
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t offset_ = 0;
};

// The property sets the mappings read, so that fuzzed named ids hit real properties.
const Guid kSets[] = {kPsetidAppointment, kPsetidMeeting, kPsetidCommon, kPsPublicStrings, kPsetidAddress, kPsetidTask};

PropertyValue value(Input& in) {
  switch (in.u8() % 8) {
    case 0: return static_cast<std::int32_t>(in.u32());
    case 1: return static_cast<std::int64_t>(in.u64());
    case 2: return (in.u8() & 1) != 0;
    case 3: return FileTime{in.u64()};
    case 4: {
      const Binary raw = in.bytes();
      return std::string(raw.begin(), raw.end());
    }
    case 5: return in.bytes();
    case 6: {
      std::vector<std::string> values(in.u8() % 8);
      for (auto& v : values) {
        const Binary raw = in.bytes();
        v.assign(raw.begin(), raw.end());
      }
      return values;
    }
    default: {
      std::vector<Binary> values(in.u8() % 8);
      for (auto& v : values) v = in.bytes();
      return values;
    }
  }
}

void fill(Input& in, PropertyBag& bag, int depth) {
  const int count = in.u8() % 48;
  for (int i = 0; i < count && !in.empty(); ++i) {
    switch (in.u8() % 6) {
      case 0:
      case 1: {
        const std::uint16_t id = in.u16();
        bag.set(id, PropertyType::kBinary, value(in));
        break;
      }
      case 2:
      case 3: {
        const Guid& set = kSets[in.u8() % std::size(kSets)];
        // Most named ids the mappings read lie in 0x8000..0x85FF, plus the meeting set's 0x0003/0x0023.
        const std::uint32_t lid = (in.u8() & 1) ? 0x8000u + in.u16() % 0x600u : in.u8() % 0x30u;
        bag.setNamed(set, lid, value(in));
        break;
      }
      case 4:
        if (depth < 2) {
          PropertyBag row;
          fill(in, row, depth + 1);
          if (in.u8() & 1) {
            PropertyBag embedded;
            fill(in, embedded, depth + 1);
            embedded.message_class = (in.u8() & 1) ? std::string(kExceptionMessageClass) : "IPM.Appointment";
            row.embedded_message.push_back(std::move(embedded));
          }
          bag.attachments.push_back(std::move(row));
        }
        break;
      default:
        if (depth < 2) {
          PropertyBag row;
          fill(in, row, depth + 1);
          bag.recipients.push_back(std::move(row));
        }
    }
  }
  bag.setNamed(kPidNameKeywords.property_set, std::string(kPidNameKeywords.string_name), value(in));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(std::span<const std::uint8_t>(data, size));
  PropertyBag bag;
  fill(in, bag, 0);
  const m2z::model::Provenance item{"fuzz", "/", "1"};
  std::vector<m2z::model::Finding> findings;
  (void)mapAppointment(bag, item, findings);
  (void)mapContact(bag, item, findings);
  (void)mapDistList(bag, item, findings);
  (void)mapTask(bag, item, findings);
  return 0;
}
