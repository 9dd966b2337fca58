// Ground truth: PSTs written by tools/pstgen (which does not use our reader) are read back by
// our PST reader, and every appointment must equal what pstgen says it wrote (its expected-items
// JSON), field by field. One committed sample, and a larger one generated at test time.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "readers/pst/pst_reader.h"
#include "recording_sink.h"

namespace m2z::readers::pst {
namespace {

nlohmann::json loadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::string text(const nlohmann::json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
}

// Compares every appointment pstgen described with what our reader made of it; returns the
// number of appointments compared.
int compareAppointments(const std::filesystem::path& pst, const nlohmann::json& expected) {
  testing::RecordingSink sink;
  auto summary = readCalendars(pst.string(), sink);
  EXPECT_TRUE(summary) << (summary ? "" : summary.error().describe());
  std::map<std::string, const model::Appointment*> by_entry;
  for (const auto& appointment : sink.appointments) by_entry[appointment.provenance.entry_id] = &appointment;

  int compared = 0;
  for (const auto& item : expected["items"]) {
    if (text(item, "kind") != "appointment") continue;
    const std::string nid = std::to_string(item["nid"].get<long long>());
    SCOPED_TRACE("nid " + nid + " \"" + text(item, "subject") + "\"");
    const auto found = by_entry.find(nid);
    if (found == by_entry.end()) {
      ADD_FAILURE() << "our reader did not produce this appointment";
      continue;
    }
    const model::Appointment& read = *found->second;
    ++compared;
    EXPECT_EQ(read.subject, text(item, "subject"));
    EXPECT_EQ(read.location, text(item, "location"));
    // pstgen's expected file spells out literal bodies only; its generated large bodies are not
    // listed there, so only literal ones are compared.
    if (!text(item, "body").empty()) {
      EXPECT_EQ(read.body, text(item, "body"));
    }
    EXPECT_EQ(model::toIsoString(read.start), text(item, "start"));
    EXPECT_EQ(model::toIsoString(read.end), text(item, "end"));
    EXPECT_EQ(read.all_day, item["all_day"].get<bool>());
    EXPECT_EQ(read.uid, text(item, "uid"));
    EXPECT_EQ(model::toString(read.busy_status), text(item, "busy_status"));
    EXPECT_EQ(model::toString(read.sensitivity), text(item, "sensitivity"));
    EXPECT_EQ(read.zone_description, text(item, "zone_description"));
    EXPECT_EQ(read.is_recurring, item["is_recurring"].get<bool>());
    if (item["reminder_minutes_before"].is_null()) {
      EXPECT_FALSE(read.reminder_minutes_before);
    } else {
      EXPECT_EQ(read.reminder_minutes_before, item["reminder_minutes_before"].get<int>());
    }
    // Not compared yet: categories (PidNameKeywords). On pstgen's files neither our reader
    // (libpff) nor readpst (libpst) sees any, while pstgen says it wrote them; which side is wrong
    // is open (docs/pstgen.md, "Known gaps"), so the comparison waits for that answer.
    std::set<std::string> expected_attendees;
    for (const auto& attendee : item["attendees"]) expected_attendees.insert(text(attendee, "email"));
    std::set<std::string> read_attendees;
    for (const auto& attendee : read.attendees) read_attendees.insert(attendee.person.email);
    EXPECT_EQ(read_attendees, expected_attendees);
  }
  return compared;
}

TEST(PstgenGroundTruth, CommittedGeneratedMailboxReadsBackExactly) {
  const std::filesystem::path dir = std::filesystem::path(M2Z_SOURCE_DIR) / "testdata" / "pstgen";
  const auto expected = loadJson(dir / "generated-seed1-expected.json");
  EXPECT_EQ(compareAppointments(dir / "generated-seed1.pst", expected), 25);
}

TEST(PstgenGroundTruth, LargerGeneratedMailboxReadsBackExactly) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("m2z-pstgen-truth-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string command = std::string(M2Z_PSTGEN) + " generate --seed 7 --appointments 1500 --contacts 50 --tasks 20" +
                              " --out " + (dir / "big.pst").string() + " --expected " + (dir / "big.json").string() +
                              " > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const auto expected = loadJson(dir / "big.json");
  EXPECT_EQ(compareAppointments(dir / "big.pst", expected), 1500);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace m2z::readers::pst
