// Generated PSTs opened by the independent PST tools (pffinfo and pffexport from libpff, readpst
// from libpst): they must open cleanly and agree with the expected-items file item by item.
#include <gtest/gtest.h>

#include <iostream>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/time.h"
#include "pst_inspect.h"
#include "pstgen/description.h"
#include "pstgen/generator.h"
#include "test_support.h"

namespace m2z::pstgen {
namespace {

namespace fs = std::filesystem;
using testing::runCommand;
using testing::ScratchDir;
using testing::shellQuote;

void requireTool(const char* tool) {
  if (runCommand(std::string("command -v ") + tool + " >/dev/null 2>&1", nullptr) != 0) {
    FAIL() << tool << " is not installed: apt-get install pff-tools pst-utils";
  }
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

// "2016-03-08T23:45:00Z" -> "Mar 08, 2016 23:45:00", the way pffexport prints times.
std::string pffTime(const std::string& iso) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int month = std::stoi(iso.substr(5, 2));
  return std::string(kMonths[month - 1]) + " " + iso.substr(8, 2) + ", " + iso.substr(0, 4) + " " + iso.substr(11, 8);
}

// "2016-03-08T23:45:00Z" -> "20160308T234500Z", the way readpst prints DTSTART/DTEND.
std::string icalTime(const std::string& iso) {
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "T" + iso.substr(11, 2) + iso.substr(14, 2) +
         iso.substr(17, 2) + "Z";
}

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

// pffexport 20180714 takes a subject whose first character is not printable ASCII for one that
// opens with a prefix marker and mangles it, and libuna 20180714 decodes UTF-16 surrogate pairs
// wrongly (U+1F389 comes out as U+1EF8A). libpff's own API returns the first character intact and
// Python's UTF-16 codec reads our bytes as written, so both are tool bugs; the comparisons below
// step around them (PidTagConversationTopic carries the same text without the prefix logic).
bool hasAstralCharacters(const std::string& utf8) {
  return std::any_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xF0; });
}
bool startsWithPrintableAscii(const std::string& utf8) { return !utf8.empty() && utf8[0] >= 0x20 && utf8[0] < 0x7F; }

struct Generated {
  std::string pst;
  nlohmann::json expected;
};

Generated generateMailbox(const ScratchDir& dir, const GeneratorOptions& options, const std::string& name) {
  Generated out{dir.file(name + ".pst"), {}};
  auto summary = generate(options, out.pst, dir.file(name + ".json"));
  EXPECT_TRUE(summary) << (summary ? "" : summary.error().describe());
  out.expected = readJson(dir.file(name + ".json"));
  return out;
}

// Expected items grouped by folder, in the order they were written (pffexport's numbering).
std::map<std::string, std::vector<nlohmann::json>> byFolder(const nlohmann::json& expected, const std::string& kind) {
  std::map<std::string, std::vector<nlohmann::json>> out;
  for (const auto& item : expected["items"]) {
    if (item["kind"] == kind) out[item["folder"].get<std::string>()].push_back(item);
  }
  return out;
}

void checkWithPffinfo(const std::string& pst, const char* encryption) {
  std::string output;
  ASSERT_EQ(runCommand("pffinfo " + shellQuote(pst) + " 2>&1", &output), 0) << output;
  EXPECT_NE(output.find("Personal Storage Tables (PST)"), std::string::npos) << output;
  EXPECT_NE(output.find("64-bit"), std::string::npos) << output;
  EXPECT_NE(output.find(std::string("Encryption type:\t") + encryption), std::string::npos) << output;
  EXPECT_NE(output.find("Subtree, Wastbox, Finder"), std::string::npos) << output;  // PidTagValidFolderMask
  output.clear();
  ASSERT_EQ(runCommand("pffinfo -a " + shellQuote(pst) + " 2>&1", &output), 0) << output;
  EXPECT_EQ(output.find("rror"), std::string::npos) << output;
}

// Every appointment, contact and task pffexport finds, compared with the expected items.
void checkWithPffexport(const ScratchDir& dir, const Generated& mailbox) {
  const std::string target = dir.file("export");
  std::string output;
  ASSERT_EQ(runCommand("pffexport -q -t " + shellQuote(target) + " " + shellQuote(mailbox.pst) + " 2>&1", &output), 0)
      << output;
  EXPECT_EQ(output.find("rror"), std::string::npos) << output;
  const fs::path top = fs::path(target + ".export") / "Top of Personal Folders";
  ASSERT_TRUE(fs::is_directory(top));
  for (const auto& [kind, prefix, file] : {std::tuple{"appointment", "Appointment", "Appointment.txt"},
                                          std::tuple{"contact", "Contact", "Contact.txt"},
                                          std::tuple{"task", "Task", "Task.txt"}}) {
    for (const auto& [folder, items] : byFolder(mailbox.expected, kind)) {
      const fs::path dir_path = top / fs::path(folder.substr(1));
      std::size_t exported = 0;
      for (const auto& entry : fs::directory_iterator(dir_path)) {
        if (entry.is_directory() && entry.path().filename().string().rfind(prefix, 0) == 0) ++exported;
      }
      EXPECT_EQ(exported, items.size()) << folder;
      for (std::size_t i = 0; i < items.size(); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "%s%05zu", prefix, i + 1);
        const auto fields = pffFields(dir_path / name / file);
        const nlohmann::json& item = items[i];
        SCOPED_TRACE(folder + "/" + name);
        if (kind == std::string("appointment")) {
          const std::string subject = item["subject"];
          if (!hasAstralCharacters(subject)) {
            EXPECT_EQ(fields.count("Conversation topic") ? fields.at("Conversation topic") : "", subject);
            if (startsWithPrintableAscii(subject)) {
              EXPECT_EQ(fields.at("Subject"), subject);
            }
          }
          ASSERT_TRUE(fields.count("Start time"));
          EXPECT_EQ(fields.at("Start time"), pffTime(item["start"]) + ".000000000 UTC");
          EXPECT_EQ(fields.at("End time"), pffTime(item["end"]) + ".000000000 UTC");
          EXPECT_EQ(fields.count("Location") ? fields.at("Location") : "", item["location"].get<std::string>());
          const auto attachments = item["attachments"].size();
          if (attachments > 0) {
            std::size_t found = 0;
            for (const auto& file_entry : fs::directory_iterator(dir_path / name / "Attachments")) {
              ++found;
              const std::string filename = file_entry.path().filename().string();
              const auto& expected = item["attachments"][std::stoul(filename.substr(0, filename.find('_'))) - 1];
              EXPECT_EQ(filename.substr(filename.find('_') + 1), expected["filename"].get<std::string>());
              EXPECT_EQ(fs::file_size(file_entry.path()), expected["size"].get<std::uint64_t>());
            }
            EXPECT_EQ(found, attachments);
          }
        } else if (kind == std::string("task")) {
          const std::string subject = item["subject"];
          if (startsWithPrintableAscii(subject) && !hasAstralCharacters(subject)) {
            EXPECT_EQ(fields.at("Subject"), subject);
          }
        }
      }
    }
  }
}

// The part of a series libpst's RRULE states plainly: frequency, interval and, for a series that
// ends after N occurrences, N ("-" for single appointments).
std::string ruleSummary(const nlohmann::json& recurrence) {
  if (recurrence.is_null()) return "-";
  const std::string pattern = recurrence["pattern"];
  const std::string frequency = pattern.rfind("daily", 0) == 0    ? "DAILY"
                                : pattern.rfind("weekly", 0) == 0  ? "WEEKLY"
                                : pattern.rfind("monthly", 0) == 0 ? "MONTHLY"
                                                                   : "YEARLY";
  const bool yearly = frequency == "YEARLY";
  // Outlook's "every weekday" is a daily series with interval 1 over Monday..Friday.
  const int interval = recurrence["every_weekday"].get<bool>() || yearly ? 1 : recurrence["interval"].get<int>();
  std::string out = frequency + "/" + std::to_string(interval);
  if (recurrence["end"] == "count") out += "/" + std::to_string(recurrence["count"].get<int>());
  return out;
}

std::string ruleSummary(const std::string& rrule) {
  if (rrule.empty()) return "-";
  std::map<std::string, std::string> parts;
  std::stringstream stream(rrule);
  std::string part;
  while (std::getline(stream, part, ';')) {
    const auto equals = part.find('=');
    if (equals != std::string::npos) parts[part.substr(0, equals)] = part.substr(equals + 1);
  }
  std::string out = parts["FREQ"] + "/" + (parts.count("INTERVAL") != 0 ? parts["INTERVAL"] : "1");
  return out;
}

// readpst writes one iCalendar file per calendar folder; its events must be the expected ones,
// and its RRULEs (decoded by libpst from PidLidAppointmentRecur) the expected series.
void checkWithReadpstInto(const ScratchDir& dir, const Generated& mailbox, const std::string& name,
                          bool* agreed);

// readpst once (in ~10 full ASan runs under load) printed one event of a byte-identical file with
// another item's times while pffexport, in the same run, agreed with the description; pstgen's
// output is deterministic and both tools are valgrind-clean on it. A disagreement is therefore
// re-read once in a fresh folder and logged; a real defect in our file fails both reads.
void checkWithReadpst(const ScratchDir& dir, const Generated& mailbox) {
  bool agreed = false;
  {
    ::testing::ScopedTrace trace(__FILE__, __LINE__, "first readpst pass");
    checkWithReadpstInto(dir, mailbox, "readpst", &agreed);
  }
  if (agreed) return;
  std::cout << "readpst disagreed on the first pass; reading again in a fresh folder\n";
  checkWithReadpstInto(dir, mailbox, "readpst-again", &agreed);
  EXPECT_TRUE(agreed) << "readpst disagreed with the description twice";
}

void checkWithReadpstInto(const ScratchDir& dir, const Generated& mailbox, const std::string& name,
                          bool* agreed) {
  *agreed = true;
  const std::string target = dir.file(name);
  fs::create_directories(target);
  std::string output;
  ASSERT_EQ(runCommand("readpst -q -D -o " + shellQuote(target) + " " + shellQuote(mailbox.pst) + " 2>&1", &output), 0)
      << output;
  for (const auto& [folder, items] : byFolder(mailbox.expected, "appointment")) {
    const std::string leaf = folder.substr(folder.rfind('/') + 1);
    std::ifstream in(fs::path(target) / (leaf + ".calendar"));
    ASSERT_TRUE(in) << leaf;
    std::multiset<std::string> seen;
    std::string line;
    std::string start;
    std::string end;
    std::string rrule;
    const std::regex start_re("^DTSTART;VALUE=DATE-TIME:(\\S+)");
    const std::regex end_re("^DTEND;VALUE=DATE-TIME:(\\S+)");
    std::smatch match;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line == "BEGIN:VEVENT") start.clear(), end.clear(), rrule.clear();
      if (std::regex_search(line, match, start_re)) start = match[1];
      if (std::regex_search(line, match, end_re)) end = match[1];
      if (line.rfind("RRULE:", 0) == 0) rrule = line.substr(6);
      if (line == "END:VEVENT") {
        std::string summary = ruleSummary(rrule);
        const auto count = rrule.find("COUNT=");
        seen.insert(start + "/" + end + "/" + summary + (count == std::string::npos ? "" : "/C" + rrule.substr(count + 6, rrule.find(';', count) - count - 6)));
      }
    }
    std::multiset<std::string> expected;
    for (const auto& item : items) {
      const std::string key = icalTime(item["start"]) + "/" + icalTime(item["end"]) + "/" + ruleSummary(item["recurrence"]);
      expected.insert(key);
    }
    // COUNT: libpst writes the stored OccurrenceCount for every bounded series; compare it where
    // the description gives it (series ending after N occurrences) and drop it elsewhere.
    std::multiset<std::string> comparable;
    for (std::string key : seen) {
      const auto count = key.find("/C");
      const std::string count_value = count == std::string::npos ? "" : key.substr(count + 2);
      if (count != std::string::npos) key.erase(count);
      const bool by_count = std::any_of(items.begin(), items.end(), [&](const nlohmann::json& item) {
        return key.rfind(icalTime(item["start"]) + "/" + icalTime(item["end"]) + "/", 0) == 0 &&
               !item["recurrence"].is_null() && item["recurrence"]["end"] == "count";
      });
      comparable.insert(by_count && !count_value.empty() ? key + "/" + count_value : key);
    }
    if (comparable != expected) {
      *agreed = false;
      std::cout << "readpst (" << name << ") disagrees in " << folder << "\n";
    }
  }
}

TEST(PstToolsTest, GeneratedMailboxAgreesWithPffinfoPffexportAndReadpst) {
  requireTool("pffinfo");
  requireTool("pffexport");
  requireTool("readpst");
  ScratchDir dir;
  GeneratorOptions options;
  options.seed = 20240601;
  options.appointments = 160;
  options.contacts = 60;
  options.tasks = 15;
  options.max_body_kib = 24;
  options.max_attachment_kib = 40;
  const Generated mailbox = generateMailbox(dir, options, "mailbox");
  ASSERT_FALSE(mailbox.expected.is_discarded());
  EXPECT_EQ(mailbox.expected["counts"]["appointment"], 160);
  EXPECT_EQ(mailbox.expected["counts"]["contact"], 60);
  EXPECT_EQ(mailbox.expected["counts"]["task"], 15);
  const auto recurring = std::count_if(mailbox.expected["items"].begin(), mailbox.expected["items"].end(),
                                       [](const nlohmann::json& item) { return item.contains("recurrence") && !item["recurrence"].is_null(); });
  EXPECT_GT(recurring, 5);  // about 8% of 160
  checkWithPffinfo(mailbox.pst, "none");
  checkWithPffexport(dir, mailbox);
  checkWithReadpst(dir, mailbox);
  testing::PstInspector pst(mailbox.pst);
  EXPECT_EQ(pst.amapMismatches(), 0u);
  EXPECT_TRUE(pst.problems().empty());
}

TEST(PstToolsTest, CompressibleMailboxAgreesToo) {
  requireTool("pffinfo");
  requireTool("pffexport");
  requireTool("readpst");
  ScratchDir dir;
  GeneratorOptions options;
  options.seed = 7;
  options.appointments = 40;
  options.encryption = Encryption::kCompressible;
  const Generated mailbox = generateMailbox(dir, options, "compressible");
  checkWithPffinfo(mailbox.pst, "compressible");
  checkWithPffexport(dir, mailbox);
  checkWithReadpst(dir, mailbox);
}

TEST(PstToolsTest, SameSeedSameFile) {
  ScratchDir dir;
  GeneratorOptions options;
  options.seed = 99;
  options.appointments = 30;
  options.contacts = 5;
  ASSERT_TRUE(generate(options, dir.file("a.pst"), dir.file("a.json")));
  ASSERT_TRUE(generate(options, dir.file("b.pst"), dir.file("b.json")));
  const testing::PstInspector a(dir.file("a.pst"));
  const testing::PstInspector b(dir.file("b.pst"));
  EXPECT_TRUE(a.file() == b.file());
  EXPECT_EQ(readJson(dir.file("a.json")), readJson(dir.file("b.json")));
}

TEST(PstToolsTest, DescribedAppointmentsLandAtTheRightUtcTimes) {
  requireTool("pffexport");
  ScratchDir dir;
  const std::string description = std::string(M2Z_SOURCE_DIR) + "/testdata/pstgen/sample-description.json";
  const nlohmann::json spec = readJson(description);
  ASSERT_FALSE(spec.is_discarded()) << description;
  const std::string pst = dir.file("sample.pst");
  auto summary = buildFromDescription(spec, pst, dir.file("sample.json"));
  ASSERT_TRUE(summary) << summary.error().describe();
  std::string output;
  ASSERT_EQ(runCommand("pffexport -q -t " + shellQuote(dir.file("x")) + " " + shellQuote(pst) + " 2>&1", &output), 0);
  const fs::path calendar = fs::path(dir.file("x.export")) / "Top of Personal Folders" / "Calendar";
  auto appointment = [&](int n) { return pffFields(calendar / ("Appointment0000" + std::to_string(n)) / "Appointment.txt"); };
  // 1. 09:00 on 2024-03-31 in Berlin: daylight time began at 02:00 that morning (last Sunday of
  //    March), so UTC+2 and 07:00 UTC.
  EXPECT_EQ(appointment(1)["Start time"], "Mar 31, 2024 07:00:00.000000000 UTC");
  EXPECT_EQ(appointment(1)["End time"], "Mar 31, 2024 08:00:00.000000000 UTC");
  // 2. All of 2025-01-01 in Tokyo (UTC+9, no DST): from 2024-12-31 15:00 UTC for one day.
  EXPECT_EQ(appointment(2)["Start time"], "Dec 31, 2024 15:00:00.000000000 UTC");
  EXPECT_EQ(appointment(2)["End time"], "Jan 01, 2025 15:00:00.000000000 UTC");
  // 3. Non-ASCII subject, kept as written: UTF-16LE in the file, with U+1F389 as the surrogate
  //    pair D83C DF89 (read back by the test's own decoder; see hasAstralCharacters above).
  const testing::PstInspector inspector(pst);
  const auto subject = const_cast<testing::PstInspector&>(inspector).propertyContext(0x200064).at(0x0037).data;
  const testing::Bytes expected_subject = {'R', 0, 0xE9, 0, 'u', 0, 'n', 0, 'i', 0, 'o', 0, 'n', 0, ' ', 0, 0x13, 0x20,
                                           ' ', 0, 0x1A, 0x4F, 0x70, 0x8B, ' ', 0, 0x3C, 0xD8, 0x89, 0xDF};
  EXPECT_EQ(subject, expected_subject);
  // 4. Given in UTC, no zone.
  EXPECT_EQ(appointment(4)["Start time"], "Jun 01, 2024 12:00:00.000000000 UTC");
  // 5. 10:00 on 2024-07-01 in Newfoundland: daylight time, UTC-2:30, so 12:30 UTC.
  EXPECT_EQ(appointment(5)["Start time"], "Jul 01, 2024 12:30:00.000000000 UTC");
  // 6. 10:00 on 2024-01-15 on Lord Howe Island: southern summer, UTC+11 (30-minute DST on
  //    UTC+10:30), so 23:00 UTC the day before.
  EXPECT_EQ(appointment(6)["Start time"], "Jan 14, 2024 23:00:00.000000000 UTC");
  // 7. A series from 09:00 on Tuesday 2024-04-02 in Sydney: daylight time (UTC+11) lasts until the
  //    first Sunday of April (2024-04-07), so the first occurrence starts 22:00 UTC the day before.
  EXPECT_EQ(appointment(7)["Start time"], "Apr 01, 2024 22:00:00.000000000 UTC");
}

TEST(PstToolsTest, BadDescriptionsAreErrorsNamingThePlace) {
  ScratchDir dir;
  const nlohmann::json bad_zone = nlohmann::json::parse(
      R"({"folders":[{"name":"Calendar","appointments":[{"subject":"x","start":"2024-01-01T10:00:00","time_zone":"Mars Standard Time"}]}]})");
  auto result = buildFromDescription(bad_zone, dir.file("bad.pst"), "");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().context, "$.folders[0].appointments[0].time_zone");
  const nlohmann::json bad_type = nlohmann::json::parse(
      R"({"folders":[{"name":"Notes","messages":[{"properties":[{"tag":"0x0037","type":"string","value":5}]}]}]})");
  result = buildFromDescription(bad_type, dir.file("bad2.pst"), "");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().context, "$.folders[0].messages[0].properties[0].value");
  result = buildFromDescription(nlohmann::json::array(), dir.file("bad3.pst"), "");
  EXPECT_FALSE(result);
}

}  // namespace
}  // namespace m2z::pstgen
