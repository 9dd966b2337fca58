// Ground truth at scale: a generated PST of more than 10,000 items (appointments, contacts,
// distribution lists, tasks) opens cleanly in pffinfo, pffexport and readpst, which agree with the
// expected-items file on counts and subjects, and our readers (readCalendars, readGroupware)
// return exactly the described items, field by field.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pst_inspect.h"
#include "pstgen/generator.h"
#include "pstgen_ground_truth.h"
#include "readers/pst/pst_items_reader.h"
#include "readers/pst/pst_reader.h"
#include "recording_groupware_sink.h"
#include "test_support.h"

namespace m2z::pstgen {
namespace {

namespace fs = std::filesystem;
using testing::runCommand;
using testing::ScratchDir;
using testing::shellQuote;

// The "Key:<tabs>value" lines of a pffexport text file.
std::map<std::string, std::string> pffFields(const fs::path& path) {
  std::map<std::string, std::string> fields;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || line.empty() || line[0] == '\t') continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of('\t'));
    fields.emplace(line.substr(0, colon), value);
  }
  return fields;
}

// libuna 20180714 (under pffexport) decodes UTF-16 surrogate pairs wrongly and pffexport mangles
// a Subject whose first character is not printable ASCII (docs/pstgen.md, "Tool behaviour");
// those subjects are compared through PidTagConversationTopic or not by pffexport at all.
bool hasAstralCharacters(const std::string& utf8) {
  return std::any_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xF0; });
}
bool startsWithPrintableAscii(const std::string& utf8) { return !utf8.empty() && utf8[0] >= 0x20 && utf8[0] < 0x7F; }

// RFC 5545 3.3.11 TEXT escapes as readpst writes them.
std::string unescapeIcal(const std::string& value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      const char next = value[++i];
      out += (next == 'n' || next == 'N') ? '\n' : next;
    } else {
      out += value[i];
    }
  }
  return out;
}

// The values of `property` ("SUMMARY", "FN") in an iCalendar or vCard file readpst wrote.
std::multiset<std::string> propertyValues(const fs::path& path, const std::string& property) {
  std::multiset<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(property + ":", 0) == 0) out.insert(unescapeIcal(line.substr(property.size() + 1)));
  }
  return out;
}

std::string itemName(const nlohmann::json& item) {
  const std::string kind = item["kind"];
  if (kind == "contact") return item["display_name"];
  if (kind == "distribution_list") return item["name"];
  return item["subject"];
}

// The checks below share one generated mailbox; they run as one test because ctest starts every
// test in a process of its own, which would generate the file once per check.
struct Mailbox {
  const ScratchDir* dir;
  std::string pst;
  const nlohmann::json* expected;
};

void checkCounts(const Mailbox& m) {
  const auto& counts = (*m.expected)["counts"];
  EXPECT_EQ(counts["appointment"], 6000);
  EXPECT_EQ(counts["contact"], 3000);
  EXPECT_EQ(counts["distribution_list"], 60);
  EXPECT_EQ(counts["task"], 1500);
  EXPECT_GE((*m.expected)["items"].size(), 10000u);
}

void checkPffinfo(const Mailbox& m) {
  std::string output;
  ASSERT_EQ(runCommand("pffinfo -a " + shellQuote(m.pst) + " 2>&1", &output), 0) << output;
  EXPECT_EQ(output.find("rror"), std::string::npos) << output;
  EXPECT_NE(output.find("Personal Storage Tables (PST)"), std::string::npos);
}

void checkPffexport(const Mailbox& m) {
  const std::string target = m.dir->file("export");
  std::string output;
  ASSERT_EQ(runCommand("pffexport -q -t " + shellQuote(target) + " " + shellQuote(m.pst) + " 2>&1", &output), 0) << output;
  EXPECT_EQ(output.find("rror"), std::string::npos) << output;
  const fs::path top = fs::path(target + ".export") / "Top of Personal Folders";
  // pffexport numbers a folder's items 1, 2, ... in contents-table order, whatever their kind,
  // which is the order of the expected items of that folder.
  std::map<std::string, std::vector<const nlohmann::json*>> folders;
  for (const auto& item : (*m.expected)["items"]) {
    if (item["kind"] != "associated") folders[item["folder"].get<std::string>()].push_back(&item);
  }
  static const std::map<std::string, std::pair<std::string, std::string>> kLayout = {
      {"appointment", {"Appointment", "Appointment.txt"}},
      {"contact", {"Contact", "Contact.txt"}},
      {"distribution_list", {"DistributionList", "DistributionList.txt"}},
      {"task", {"Task", "Task.txt"}}};
  std::size_t checked = 0;
  for (const auto& [folder, items] : folders) {
    const fs::path folder_dir = top / fs::path(folder.substr(1));
    std::size_t exported = 0;
    for (const auto& entry : fs::directory_iterator(folder_dir)) {
      const std::string name = entry.path().filename().string();
      for (const auto& [kind, layout] : kLayout) {
        if (entry.is_directory() && name.rfind(layout.first, 0) == 0) ++exported;  // not subfolders
      }
    }
    EXPECT_EQ(exported, items.size()) << folder;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const nlohmann::json& item = *items[i];
      const auto& [prefix, file] = kLayout.at(item["kind"].get<std::string>());
      char number[32];
      std::snprintf(number, sizeof number, "%05zu", i + 1);
      const fs::path path = folder_dir / (prefix + number) / file;
      ASSERT_TRUE(fs::exists(path)) << path;
      const auto fields = pffFields(path);
      const std::string name = itemName(item);
      SCOPED_TRACE(path.string());
      if (hasAstralCharacters(name)) continue;
      if (item["kind"] == "appointment") {
        EXPECT_EQ(fields.count("Conversation topic") ? fields.at("Conversation topic") : "", name);
      } else if (item["kind"] == "distribution_list") {
        EXPECT_EQ(fields.at("Name"), name);
      } else if (startsWithPrintableAscii(name)) {
        EXPECT_EQ(fields.at("Subject"), name);
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 9000u);
}

void checkReadpst(const Mailbox& m) {
  const std::string target = m.dir->file("readpst");
  fs::create_directories(target);
  std::string output;
  ASSERT_EQ(runCommand("readpst -q -o " + shellQuote(target) + " " + shellQuote(m.pst) + " 2>&1", &output), 0) << output;
  // One iCalendar file per calendar folder with a SUMMARY per event; one vCard file for the
  // contacts folder with FN = PidLidFileUnder ("Surname, Given"). readpst writes no file for
  // distribution lists or tasks.
  std::map<std::string, std::multiset<std::string>> subjects;
  std::multiset<std::string> filed_as;
  for (const auto& item : (*m.expected)["items"]) {
    const std::string folder = item["folder"];
    const std::string leaf = folder.substr(folder.rfind('/') + 1);
    if (item["kind"] == "appointment") subjects[leaf].insert(item["subject"].get<std::string>());
    if (item["kind"] == "contact") {
      filed_as.insert(item["surname"].get<std::string>() + ", " + item["given_name"].get<std::string>());
    }
  }
  for (const auto& [leaf, expected] : subjects) {
    const fs::path calendar = fs::path(target) / (leaf + ".calendar");
    ASSERT_TRUE(fs::exists(calendar)) << calendar;
    // Empty subjects: readpst writes no SUMMARY line at all.
    std::multiset<std::string> nonempty;
    for (const auto& subject : expected) {
      if (!subject.empty()) nonempty.insert(subject);
    }
    EXPECT_EQ(propertyValues(calendar, "SUMMARY"), nonempty) << leaf;
  }
  EXPECT_EQ(propertyValues(fs::path(target) / "Contacts.contacts", "FN"), filed_as);
}

void checkOurReaders(const Mailbox& m) {
  readers::testing::RecordingGroupwareSink calendar_sink;
  auto calendars = readers::pst::readCalendars(m.pst, calendar_sink);
  ASSERT_TRUE(calendars) << calendars.error().describe();
  EXPECT_EQ(calendar_sink.appointments.size(), 6000u);
  EXPECT_EQ(calendar_sink.skippedItems(), 0);
  EXPECT_EQ(readers::testing::compareAppointments(calendar_sink.appointments, *m.expected), 6000);

  readers::testing::RecordingGroupwareSink sink;
  auto groupware = readers::pst::readGroupware(m.pst, sink);
  ASSERT_TRUE(groupware) << groupware.error().describe();
  EXPECT_EQ(groupware->contacts, 3000);
  EXPECT_EQ(groupware->dist_lists, 60);
  EXPECT_EQ(groupware->tasks, 1500);
  EXPECT_EQ(groupware->skipped, 0);
  EXPECT_EQ(sink.contacts.size(), 3000u);
  EXPECT_EQ(sink.dist_lists.size(), 60u);
  EXPECT_EQ(sink.tasks.size(), 1500u);
  EXPECT_EQ(readers::testing::compareContacts(sink.contacts, *m.expected), 3000);
  EXPECT_EQ(readers::testing::compareDistLists(sink.dist_lists, *m.expected), 60);
  EXPECT_EQ(readers::testing::compareTasks(sink.tasks, *m.expected), 1500);
}

TEST(LargeGroundTruth, TenThousandItemsAgreeWithPffinfoPffexportReadpstAndOurReaders) {
  ScratchDir dir;
  GeneratorOptions options;
  options.seed = 10;
  options.appointments = 6000;
  options.contacts = 3000;  // plus one distribution list per 50 contacts
  options.tasks = 1500;
  options.max_body_kib = 4;
  options.max_attachment_kib = 8;
  const std::string pst = dir.file("large.pst");
  auto summary = generate(options, pst, dir.file("large.json"));
  ASSERT_TRUE(summary) << summary.error().describe();
  std::ifstream in(dir.file("large.json"));
  const nlohmann::json expected = nlohmann::json::parse(in);
  const Mailbox mailbox{&dir, pst, &expected};
  {
    SCOPED_TRACE("counts");
    checkCounts(mailbox);
  }
  {
    SCOPED_TRACE("pffinfo");
    checkPffinfo(mailbox);
  }
  {
    SCOPED_TRACE("pffexport");
    checkPffexport(mailbox);
  }
  {
    SCOPED_TRACE("readpst");
    checkReadpst(mailbox);
  }
  {
    SCOPED_TRACE("our readers");
    checkOurReaders(mailbox);
  }
}

}  // namespace
}  // namespace m2z::pstgen
