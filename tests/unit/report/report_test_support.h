// Audit logs with known, planted problems, written with the real AuditLog, for the report tests.
#pragma once

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "audit/audit_log.h"

namespace m2z::report::testing {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            (std::string("m2z_report_") + info->test_suite_name() + "_" + info->name() + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void writeFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// A SetAppointmentRequest shaped like src/zimbra's: <comp allDay> with <s d> (a DATE for
// all-day items, a local date-time with tz otherwise).
inline std::string setAppointmentRequest(const std::string& start_d, bool all_day) {
  std::string s = "<s d=\"" + start_d + "\"" + (all_day ? std::string() : " tz=\"Europe/Berlin\"") + "/>";
  return "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>"
         "<SetAppointmentRequest xmlns=\"urn:zimbraMail\" l=\"10\"><default><m><inv><comp allDay=\"" +
         std::string(all_day ? "1" : "0") + "\" name=\"x\">" + s +
         "</comp></inv></m></default></SetAppointmentRequest></soap:Body></soap:Envelope>";
}

inline model::Provenance at(const std::string& entry_id, const std::string& folder = "/Calendar") {
  return model::Provenance{"/data/alice.pst", folder, entry_id};
}

inline audit::Entry setAppointment(const std::string& entry_id, const std::string& subject, const std::string& start,
                                   const std::string& sent_start, bool all_day, const std::string& outcome = "ok") {
  audit::Entry entry;
  entry.operation = "SetAppointmentRequest";
  entry.source = at(entry_id);
  entry.item = audit::ItemSummary{"appointment", subject, "uid-" + entry_id, start, "", all_day};
  entry.outcome = outcome;
  entry.http_status = outcome == "ok" ? 200 : 500;
  entry.request_xml = setAppointmentRequest(sent_start, all_day);
  return entry;
}

inline audit::RunInfo runFor(const std::string& account, const std::string& run_id = "run-1") {
  audit::RunInfo run;
  run.account = account;
  run.run_id = run_id;
  run.tool_version = "0.1.0";
  run.source_files = {"/data/alice.pst"};
  return run;
}

inline model::Finding skipFinding(const std::string& entry_id) {
  model::Finding finding;
  finding.kind = "recurrence.not_converted";
  finding.severity = model::Severity::kWarning;
  finding.item = at(entry_id);
  finding.field = "PidLidAppointmentRecur";
  finding.item_skipped = true;
  finding.why = "recurrence pattern type 0x000C is not supported";
  return finding;
}

inline model::Finding zoneMissing(const std::string& entry_id) {
  model::Finding finding;
  finding.kind = "zone.missing";
  finding.severity = model::Severity::kWarning;
  finding.item = at(entry_id);
  finding.field = "time zone";
  finding.after = "UTC";
  finding.why = "no time zone in the item; UTC assumed";
  return finding;
}

// Alice's run, planted problems by seq:
//   1 item 100 "Standup": fine
//   2 item 101 "Holiday": all-day, summary 2024-03-01 but <s d="20240302">   -> date-changed
//   3 item 102 "Offsite": all-day sent as 20240305T000000                    -> all-day-not-date
//   4 item 103: standalone skip finding                                       -> not-created
//   5 item 104 "Review": fault mail.TRY_AGAIN, willRetry                      -> fault, retry
//   6 item 104: attempt 2 ok
//   7 item 105 "Call NYC": zone.missing finding                               -> zone-guessed
//   8 item 106 "Board": fault mail.INVALID_REQUEST, never ok                  -> not-created, fault
inline std::filesystem::path writeAliceLog(const std::filesystem::path& path) {
  audit::FixedClock clock("2024-03-01T09:30:00.000Z");
  auto created = audit::AuditLog::create(path, runFor("alice@example.com"), clock);
  EXPECT_TRUE(created.ok());
  auto& log = *created;
  EXPECT_TRUE(log->append(setAppointment("100", "Standup", "2024-03-04T09:00:00 Europe/Berlin", "20240304T090000", false)).ok());
  EXPECT_TRUE(log->append(setAppointment("101", "Holiday", "2024-03-01", "20240302", true)).ok());
  EXPECT_TRUE(log->append(setAppointment("102", "Offsite", "2024-03-05", "20240305T000000", true)).ok());
  EXPECT_TRUE(log->appendFinding(skipFinding("103")).ok());
  audit::Entry retried = setAppointment("104", "Review", "2024-03-06T14:00:00 Europe/Berlin", "20240306T140000", false, "fault");
  retried.fault_code = "mail.TRY_AGAIN";
  retried.will_retry = true;
  retried.retry_delay_ms = 1000;
  retried.retry_reason = "mail.TRY_AGAIN";
  EXPECT_TRUE(log->append(retried).ok());
  audit::Entry second = setAppointment("104", "Review", "2024-03-06T14:00:00 Europe/Berlin", "20240306T140000", false);
  second.attempt = 2;
  EXPECT_TRUE(log->append(second).ok());
  audit::Entry guessed = setAppointment("105", "Call NYC", "2024-03-07T15:00:00 UTC", "20240307T150000", false);
  guessed.findings.push_back(zoneMissing("105"));
  EXPECT_TRUE(log->append(guessed).ok());
  audit::Entry refused = setAppointment("106", "Board", "2024-03-08T10:00:00 Europe/Berlin", "20240308T100000", false, "fault");
  refused.fault_code = "mail.INVALID_REQUEST";
  EXPECT_TRUE(log->append(refused).ok());
  EXPECT_TRUE(log->close(audit::Summary{{audit::KindCounts{"appointment", 4, 1, 1}}, true}).ok());
  return path;
}

// Bob's run died while writing its third record: two good records, a torn tail, no summary.
inline std::filesystem::path writeTornBobLog(const std::filesystem::path& path) {
  audit::FixedClock clock("2024-03-01T09:30:00.000Z");
  auto created = audit::AuditLog::create(path, runFor("bob@example.com"), clock);
  EXPECT_TRUE(created.ok());
  auto& log = *created;
  EXPECT_TRUE(log->append(setAppointment("200", "Lunch", "2024-03-04T12:00:00 Europe/Berlin", "20240304T120000", false)).ok());
  EXPECT_TRUE(log->append(setAppointment("201", "Gym", "2024-03-05T18:00:00 Europe/Berlin", "20240305T180000", false)).ok());
  EXPECT_TRUE(log->append(setAppointment("202", "Dentist", "2024-03-06T08:00:00 Europe/Berlin", "20240306T080000", false)).ok());
  created.value().reset();
  std::string text = readFile(path);
  text.resize(text.size() - 60);
  writeFile(path, text);
  return path;
}

// Carol's run: one item, nothing wrong.
inline std::filesystem::path writeCleanCarolLog(const std::filesystem::path& path) {
  audit::FixedClock clock("2024-03-01T09:30:00.000Z");
  auto created = audit::AuditLog::create(path, runFor("carol@example.com"), clock);
  EXPECT_TRUE(created.ok());
  EXPECT_TRUE((*created)->append(setAppointment("300", "Retro", "2024-03-04T16:00:00 Europe/Berlin", "20240304T160000", false)).ok());
  EXPECT_TRUE((*created)->close(audit::Summary{{audit::KindCounts{"appointment", 1, 0, 0}}, true}).ok());
  return path;
}

}  // namespace m2z::report::testing
