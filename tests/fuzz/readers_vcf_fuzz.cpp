// Fuzzes the vCard reader: unfolding, parameters, quoted-printable, base64, charsets, UTF-16 and
// the card mapping, with small bounds so oversized input is exercised too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "readers/vcf/vcf_reader.h"

namespace {

struct CheckingSink : m2z::model::ItemSink {
  void onFolder(const m2z::model::SourceFolder&) override {}
  void onAppointment(m2z::model::Appointment) override {}
  void onContact(m2z::model::Contact contact) override {
    // Touch what writers read, so sanitizers see any bad value.
    std::size_t total = contact.display_name.size() + contact.notes.size();
    for (const auto& phone : contact.phones) total += phone.number.size();
    for (const auto& email : contact.emails) total += email.address.size();
    if (contact.photo) total += contact.photo->data.size();
    sink_total += total;
  }
  void onDistList(m2z::model::DistList list) override { sink_total += list.members.size(); }
  void onFinding(m2z::model::Finding finding) override { sink_total += finding.why.size(); }
  std::size_t sink_total = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  CheckingSink sink;
  m2z::readers::vcf::VcfReadOptions options;
  options.max_line_bytes = 4096;
  options.max_property_bytes = 16384;
  options.max_card_bytes = 65536;
  (void)m2z::readers::vcf::readVcardText(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.vcf",
                                         sink, options);
  return 0;
}
