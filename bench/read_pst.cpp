// Reads every calendar item, contact, distribution list and task of a PST/OST with our readers
// into a sink that only counts them: the read-only cost of a migration, for the scaling bench.
//   read_pst FILE.pst   prints "appointments N contacts N dist_lists N tasks N findings N"
#include <iostream>

#include "model/item_sink.h"
#include "readers/pst/pst_items_reader.h"
#include "readers/pst/pst_reader.h"

namespace {

class CountingSink : public m2z::model::ItemSink {
 public:
  void onFolder(const m2z::model::SourceFolder& /*folder*/) override {}
  void onAppointment(m2z::model::Appointment /*appointment*/) override { ++appointments; }
  void onContact(m2z::model::Contact /*contact*/) override { ++contacts; }
  void onDistList(m2z::model::DistList /*dist_list*/) override { ++dist_lists; }
  void onTask(m2z::model::Task /*task*/) override { ++tasks; }
  void onFinding(m2z::model::Finding /*finding*/) override { ++findings; }

  long appointments = 0;
  long contacts = 0;
  long dist_lists = 0;
  long tasks = 0;
  long findings = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: read_pst FILE.pst\n";
    return 2;
  }
  CountingSink sink;
  auto calendars = m2z::readers::pst::readCalendars(argv[1], sink);
  if (!calendars) {
    std::cerr << "read_pst: " << calendars.error().describe() << "\n";
    return 1;
  }
  auto groupware = m2z::readers::pst::readGroupware(argv[1], sink);
  if (!groupware) {
    std::cerr << "read_pst: " << groupware.error().describe() << "\n";
    return 1;
  }
  std::cout << "appointments " << sink.appointments << " contacts " << sink.contacts << " dist_lists "
            << sink.dist_lists << " tasks " << sink.tasks << " findings " << sink.findings << "\n";
  return 0;
}
