#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <regex>
#include <set>
#include <thread>

#include "audit/audit_reader.h"
#include "audit/redact.h"
#include "test_support.h"
#include "xml/xml.h"

namespace m2z::audit {
namespace {

using testing::readFile;
using testing::TempDir;
using testing::writeFile;

constexpr const char* kTime = "2024-03-01T09:30:00.000Z";
constexpr const char* kAdminPassword = "S3cret&<Pa55\"word";  // needs escaping in text and attributes
constexpr const char* kAuthToken = "0_8f3c2a61d5e94b7b8c1e2f3a4b5c6d7e8f90a1b2_69643d33363a";
constexpr const char* kPreauthKey = "b4a1c7f0e2d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5";

RunInfo sampleRun() {
  RunInfo run;
  run.account = "alice@example.com";
  run.run_id = "run-1";
  run.tool_version = "0.1.0";
  run.target_url = "https://mail.example.com:7071/service/admin/soap";
  run.source_files = {"/data/alice.pst"};
  run.options = {{"dry-run", "false"}};
  return run;
}

std::unique_ptr<AuditLog> createLog(const std::filesystem::path& path, Clock& clock, LogOptions options = {},
                                    RunInfo run = sampleRun()) {
  auto log = AuditLog::create(path, run, clock, std::move(options));
  EXPECT_TRUE(log.ok()) << (log.ok() ? "" : log.error().describe());
  return log.ok() ? std::move(log).value() : nullptr;
}

// Shaped as in Zimbra's soap.txt ("<soap:Envelope ...><soap:Header><context xmlns="urn:zimbra">
// <authToken>...") and the QA harness's AuthRequest (<name>, <password>).
std::string authRequest() {
  return std::string(
             "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\">"
             "<soap:Header><context xmlns=\"urn:zimbra\"/></soap:Header>"
             "<soap:Body><AuthRequest xmlns=\"urn:zimbraAdmin\"><name>admin@example.com</name><password>") +
         xml::escapeText(kAdminPassword) + "</password></AuthRequest></soap:Body></soap:Envelope>";
}

std::string authResponse() {
  return std::string(
             "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Header>"
             "<context xmlns=\"urn:zimbra\"/></soap:Header><soap:Body>"
             "<AuthResponse xmlns=\"urn:zimbraAdmin\"><authToken>") +
         kAuthToken + "</authToken><lifetime>43199998</lifetime></AuthResponse></soap:Body></soap:Envelope>";
}

std::string setAppointmentRequest() {
  return std::string(
             "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Header>"
             "<context xmlns=\"urn:zimbra\"><authToken>") +
         kAuthToken +
         "</authToken><account by=\"name\">alice@example.com</account></context></soap:Header><soap:Body>"
         "<SetAppointmentRequest xmlns=\"urn:zimbraMail\" l=\"10\"><default ptst=\"AC\"><m><inv>"
         "<comp name=\"Budget\" allDay=\"0\"><s d=\"20240301T100000\" tz=\"Europe/Berlin\"/>"
         "<e d=\"20240301T110000\" tz=\"Europe/Berlin\"/></comp></inv></m></default>"
         "</SetAppointmentRequest></soap:Body></soap:Envelope>";
}

std::string faultResponse() {
  return "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><soap:Fault>"
         "<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>"
         "<soap:Reason><soap:Text>invalid request: missing tz</soap:Text></soap:Reason>"
         "<soap:Detail><Error xmlns=\"urn:zimbra\"><Code>mail.INVALID_REQUEST</Code></Error></soap:Detail>"
         "</soap:Fault></soap:Body></soap:Envelope>";
}

model::Provenance itemAt(const std::string& entry_id) { return model::Provenance{"/data/alice.pst", "/Calendar", entry_id}; }

Entry authEntry() {
  Entry entry;
  entry.operation = "AuthRequest";
  entry.outcome = std::string(kOutcomeOk);
  entry.http_status = 200;
  entry.duration_ms = 31;
  entry.request_xml = authRequest();
  entry.response_xml = authResponse();
  return entry;
}

Entry faultEntry() {
  Entry entry;
  entry.operation = "SetAppointmentRequest";
  entry.source = itemAt("2097252");
  entry.item_hash = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  entry.item = ItemSummary{"appointment", "Budget", "040000008200E00074C5B7101A82E008", "20240301T100000",
                           "20240301T110000", false};
  entry.outcome = std::string(kOutcomeFault);
  entry.fault_code = "mail.INVALID_REQUEST";
  entry.http_status = 500;
  entry.duration_ms = 12;
  entry.request_xml = setAppointmentRequest();
  entry.response_xml = faultResponse();
  model::Finding finding;
  finding.kind = "time.zone_guessed";
  finding.severity = model::Severity::kWarning;
  finding.item = itemAt("2097252");
  finding.field = "PidLidTimeZoneStruct";
  finding.before = "(UTC+01:00) Amsterdam, Berlin";
  finding.after = "Europe/Berlin";
  finding.why = "no TZDEFINITION; matched the description";
  entry.findings.push_back(finding);
  return entry;
}

Entry transportErrorEntry() {
  Entry entry;
  entry.operation = "SetAppointmentRequest";
  entry.source = itemAt("2097268");
  entry.outcome = std::string(kOutcomeTransportError);
  entry.http_status = 502;
  entry.duration_ms = 30001;
  entry.request_xml = setAppointmentRequest();
  entry.response_xml = "<html><body><h1>502 Bad Gateway</h1>\r\n<p>nginx</body></html>";  // <p> never closed
  return entry;
}

model::Finding skippedFinding() {
  model::Finding finding;
  finding.kind = "recurrence.not_converted";
  finding.severity = model::Severity::kWarning;
  finding.item = itemAt("2097284");
  finding.field = "PidLidAppointmentRecur";
  finding.why = "recurrence pattern type 0x000C is not supported";
  finding.item_skipped = true;
  return finding;
}

Summary sampleSummary() { return Summary{{KindCounts{"appointment", 1, 1, 2}}, true}; }

std::vector<std::string> validate(const std::string& document) {
  auto validator = xml::SchemaValidator::load({std::string(M2Z_SOURCE_DIR) + "/schemas/audit.xsd"});
  if (!validator.ok()) return {"schema did not load: " + validator.error().describe()};
  return (*validator)->validate(document, "audit log");
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

// ---------------------------------------------------------------------------------------------

TEST(AuditLogTest, LogWithEveryKindOfRecordValidatesAgainstTheSchema) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->append(authEntry()).ok());
  ASSERT_TRUE(log->append(faultEntry()).ok());
  ASSERT_TRUE(log->append(transportErrorEntry()).ok());
  ASSERT_TRUE(log->appendFinding(skippedFinding()).ok());
  Entry dry_run;
  dry_run.operation = "SetAppointmentRequest";
  dry_run.outcome = std::string(kOutcomeDryRun);
  dry_run.request_xml = setAppointmentRequest();
  ASSERT_TRUE(log->append(dry_run).ok());
  Entry html;  // well-formed, but in no namespace: must be undeclared inside the log's namespace
  html.operation = "GetInfoRequest";
  html.outcome = std::string(kOutcomeTransportError);
  html.http_status = 503;
  html.response_xml = "<html><body>Service Unavailable</body></html>";
  ASSERT_TRUE(log->append(html).ok());
  ASSERT_TRUE(log->close(sampleSummary()).ok());

  const std::string text = readFile(dir / "log.xml");
  EXPECT_EQ(joined(validate(text)), "");
  // The no-namespace body went in as XML, not as raw text.
  EXPECT_NE(text.find("<html xmlns=\"\">"), std::string::npos) << text;
}

TEST(AuditLogTest, SchemaRejectsWhatTheLogMustNeverContain) {
  // The schema is only worth its name if it says no: a few hand-made violations.
  const std::string head =
      "<auditLog xmlns=\"urn:mapi2zimbra:audit:1\" account=\"a\" runId=\"r\" tool=\"mapi2zimbra\" "
      "started=\"2024-03-01T09:30:00.000Z\"><run/>";
  const std::string tail = "<summary ended=\"2024-03-01T09:30:00.000Z\" records=\"1\" complete=\"true\"/></auditLog>";
  const std::string good = "<entry seq=\"1\" time=\"2024-03-01T09:30:00.000Z\" durationMs=\"1\" operation=\"X\" outcome=\"ok\"/>";
  EXPECT_EQ(joined(validate(head + good + tail)), "");
  // Unknown outcome.
  EXPECT_FALSE(validate(head + "<entry seq=\"1\" time=\"2024-03-01T09:30:00.000Z\" durationMs=\"1\" operation=\"X\" outcome=\"maybe\"/>" + tail).empty());
  // Time without milliseconds.
  EXPECT_FALSE(validate(head + "<entry seq=\"1\" time=\"2024-03-01T09:30:00Z\" durationMs=\"1\" operation=\"X\" outcome=\"ok\"/>" + tail).empty());
  // The same seq twice.
  EXPECT_FALSE(validate(head + good + good + tail).empty());
  // No summary: a log only validates once closed.
  EXPECT_FALSE(validate(head + good + "</auditLog>").empty());
}

TEST(AuditLogTest, SecretsNeverReachTheFile) {
  TempDir dir;
  FixedClock clock(kTime);
  LogOptions options;
  options.secrets = {kAdminPassword};
  RunInfo run = sampleRun();
  run.target_url = std::string("https://admin:") + "hunter2hunter2" + "@mail.example.com:7071/service/admin/soap?password=hunter2hunter2";
  run.options.emplace_back("admin-password", "hunter2hunter2");
  auto log = createLog(dir / "log.xml", clock, options, run);
  ASSERT_NE(log, nullptr);

  ASSERT_TRUE(log->append(authEntry()).ok());
  log->registerSecret(kAuthToken);  // as the pipeline does once it has the token
  ASSERT_TRUE(log->append(faultEntry()).ok());

  // Secrets in places no element rule covers: found by value.
  Entry odd = transportErrorEntry();
  odd.item = ItemSummary{"appointment", std::string("password is ") + kAdminPassword, "", "", "", false};
  odd.response_xml = std::string("upstream said: token=") + kAuthToken + " <authToken>" + kAuthToken;
  model::Finding leak;
  leak.kind = "body.secret_like";
  leak.before = kAuthToken;
  odd.findings.push_back(leak);
  ASSERT_TRUE(log->append(odd).ok());

  // Secrets found by element and attribute name, never registered: preauth and a password
  // in a Zimbra attribute list, a token attribute, a new password.
  Entry by_name;
  by_name.operation = "ModifyAccountRequest";
  by_name.outcome = std::string(kOutcomeOk);
  by_name.http_status = 200;
  by_name.request_xml =
      std::string("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>"
                  "<ModifyAccountRequest xmlns=\"urn:zimbraAdmin\" id=\"42\"><a n=\"userPassword\">correct-horse-battery</a>"
                  "<a n=\"displayName\">Alice</a><preauth timestamp=\"1135280708088\" expires=\"0\">") +
      kPreauthKey + "</preauth><session token=\"sess-tok-77\"/><newPassword>staple-42-staple</newPassword>"
                    "</ModifyAccountRequest></soap:Body></soap:Envelope>";
  ASSERT_TRUE(log->append(by_name).ok());
  ASSERT_TRUE(log->close(sampleSummary()).ok());

  const std::string bytes = readFile(dir / "log.xml");
  for (const std::string& secret : {std::string(kAdminPassword), xml::escapeText(kAdminPassword),
                                   xml::escapeAttribute(kAdminPassword), std::string(kAuthToken),
                                   std::string(kPreauthKey), std::string("hunter2hunter2"),
                                   std::string("correct-horse-battery"), std::string("sess-tok-77"),
                                   std::string("staple-42-staple")}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << "found \"" << secret << "\" in\n" << bytes;
  }
  // What is not secret is still there, and the log is still valid.
  EXPECT_NE(bytes.find("<a n=\"displayName\">Alice</a>"), std::string::npos);
  EXPECT_NE(bytes.find("<name>admin@example.com</name>"), std::string::npos);
  EXPECT_NE(bytes.find("<target url=\"https://mail.example.com:7071/service/admin/soap\"/>"), std::string::npos);
  EXPECT_NE(bytes.find("<option name=\"admin-password\" value=\"***redacted***\"/>"), std::string::npos);
  EXPECT_NE(bytes.find("<password>***redacted***</password>"), std::string::npos);
  EXPECT_EQ(joined(validate(bytes)), "");
}

TEST(AuditLogTest, ShortSecretEqualToAGeneratedValueDoesNotBreakTheLog) {
  // "200" is an absurd password, but registering it must neither break the log nor turn
  // httpStatus="200" into a hint that the password is a number.
  TempDir dir;
  FixedClock clock(kTime);
  LogOptions options;
  options.secrets = {"200", "ok"};
  auto log = createLog(dir / "log.xml", clock, options);
  ASSERT_NE(log, nullptr);
  Entry entry = authEntry();
  entry.item = ItemSummary{"appointment", "room 200 is ok", "", "", "", false};
  ASSERT_TRUE(log->append(entry).ok());
  ASSERT_TRUE(log->close(sampleSummary()).ok());
  const std::string bytes = readFile(dir / "log.xml");
  EXPECT_EQ(joined(validate(bytes)), "");
  EXPECT_NE(bytes.find("outcome=\"ok\" httpStatus=\"200\""), std::string::npos);
  EXPECT_NE(bytes.find("<subject>room ***redacted*** is ***redacted***</subject>"), std::string::npos) << bytes;
}

TEST(AuditLogTest, NonXmlResponseIsKeptAsRawText) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  const Entry entry = transportErrorEntry();
  ASSERT_TRUE(log->append(entry).ok());

  const std::string bytes = readFile(dir / "log.xml");
  // Escaped; CR and LF kept as character references so they survive the parser's line-end
  // normalisation and the log's re-indenting.
  EXPECT_NE(bytes.find("&lt;html&gt;&lt;body&gt;&lt;h1&gt;502 Bad Gateway&lt;/h1&gt;&#13;&#10;&lt;p&gt;nginx"),
            std::string::npos)
      << bytes;
  EXPECT_NE(bytes.find("<raw reason=\"not well-formed XML: "), std::string::npos);

  auto read = readEntries(dir / "log.xml");
  ASSERT_TRUE(read.ok()) << read.error().describe();
  ASSERT_EQ(read->records.size(), 1u);
  EXPECT_EQ(read->records[0].entry.response_xml, entry.response_xml);  // byte for byte
}

TEST(AuditLogTest, BytesThatAreNotTextAreKeptAsBase64) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  Entry entry = transportErrorEntry();
  entry.response_xml = std::string("\x1f\x8b\x08\x00\xff\x00", 6);  // a gzip header nobody decoded
  ASSERT_TRUE(log->append(entry).ok());
  ASSERT_TRUE(log->close(sampleSummary()).ok());

  const std::string bytes = readFile(dir / "log.xml");
  // RFC 4648 base64 of 1F 8B 08 00 FF 00: 1F8B08 -> "H4sI", 00FF00 -> "AP8A".
  EXPECT_NE(bytes.find("encoding=\"base64\">H4sIAP8A</raw>"), std::string::npos) << bytes;
  EXPECT_EQ(joined(validate(bytes)), "");
  auto read = readEntries(dir / "log.xml");
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(read->records[0].entry.response_xml, entry.response_xml);
}

TEST(AuditLogTest, SeqCountsEveryRecordWithoutGaps) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->append(authEntry()).ok());
  ASSERT_TRUE(log->appendFinding(skippedFinding()).ok());
  ASSERT_TRUE(log->append(faultEntry()).ok());
  ASSERT_TRUE(log->appendFinding(skippedFinding()).ok());
  ASSERT_TRUE(log->append(transportErrorEntry()).ok());
  EXPECT_EQ(log->recordsWritten(), 5);
  ASSERT_TRUE(log->close(sampleSummary()).ok());

  // Checked on the document itself, independently of readEntries.
  auto document = xml::parse(readFile(dir / "log.xml"), "log");
  ASSERT_TRUE(document.ok()) << document.error().describe();
  std::vector<std::string> seqs;
  std::vector<std::string> names;
  for (const auto& child : document->children) {
    if (child.name == "entry" || child.name == "finding") {
      seqs.push_back(child.attributeOr("seq", "?"));
      names.push_back(child.name);
    }
  }
  EXPECT_EQ(seqs, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(names, (std::vector<std::string>{"entry", "finding", "entry", "finding", "entry"}));
  ASSERT_NE(document->child("summary"), nullptr);
  EXPECT_EQ(document->child("summary")->attributeOr("records", ""), "5");
}

TEST(AuditLogTest, SameEntriesWithAFixedClockGiveIdenticalBytes) {
  TempDir dir;
  for (const char* name : {"a.xml", "b.xml"}) {
    FixedClock clock(kTime);
    auto log = createLog(dir / name, clock);
    ASSERT_NE(log, nullptr);
    ASSERT_TRUE(log->append(authEntry()).ok());
    ASSERT_TRUE(log->append(faultEntry()).ok());
    ASSERT_TRUE(log->append(transportErrorEntry()).ok());
    ASSERT_TRUE(log->appendFinding(skippedFinding()).ok());
    ASSERT_TRUE(log->close(sampleSummary()).ok());
  }
  const std::string a = readFile(dir / "a.xml");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, readFile(dir / "b.xml"));
}

TEST(AuditLogTest, WritesTheDocumentedFormat) {
  // Expected text written by hand from docs/audit-log.md: the SOAP prefix "soap:" becomes a
  // default namespace declaration (toCanonicalText declares a namespace where it changes), the
  // subject's '&' is escaped, empty parts are left out, the summary lists counts by kind.
  // The prevHash/hash values were computed outside our code with Python's hashlib.sha256 by the
  // rule in docs/audit-log.md#hash-chain: the header's bytes start the chain; each record hashes
  // its own bytes with prevHash in and its hash attribute left out.
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  Entry entry;
  entry.operation = "SetAppointmentRequest";
  entry.source = itemAt("2097252");
  entry.item = ItemSummary{"appointment", "Budget & plan", "040000008200E000", "20240301T100000", "20240301T110000",
                           false};
  entry.outcome = "ok";
  entry.http_status = 200;
  entry.duration_ms = 12;
  entry.request_xml =
      "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>"
      "<SetAppointmentRequest xmlns=\"urn:zimbraMail\" l=\"10\"/></soap:Body></soap:Envelope>";
  entry.response_xml =
      "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>"
      "<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"257\"/></soap:Body></soap:Envelope>";
  ASSERT_TRUE(log->append(entry).ok());
  ASSERT_TRUE(log->appendFinding(skippedFinding()).ok());
  ASSERT_TRUE(log->close(Summary{{KindCounts{"appointment", 1, 1, 0}}, true}).ok());

  const std::string expected = R"(<?xml version="1.0" encoding="UTF-8"?>
<auditLog xmlns="urn:mapi2zimbra:audit:1" account="alice@example.com" runId="run-1" tool="mapi2zimbra 0.1.0" started="2024-03-01T09:30:00.000Z">
  <run>
    <sourceFile>/data/alice.pst</sourceFile>
    <target url="https://mail.example.com:7071/service/admin/soap"/>
    <option name="dry-run" value="false"/>
  </run>
  <entry seq="1" time="2024-03-01T09:30:00.000Z" durationMs="12" operation="SetAppointmentRequest" outcome="ok" httpStatus="200" prevHash="6de0fd3305eabc188d986c38c17e5afa2b1aab91b7ef526b3984b31acf1a3025" hash="4c89e6339939fcdda4a11d59b4acb8999aebed889092d25061459f0b67c4e66b">
    <source file="/data/alice.pst" folder="/Calendar" entryId="2097252"/>
    <item kind="appointment" uid="040000008200E000" start="20240301T100000" end="20240301T110000" allDay="false">
      <subject>Budget &amp; plan</subject>
    </item>
    <request>
      <Envelope xmlns="http://www.w3.org/2003/05/soap-envelope">
        <Body>
          <SetAppointmentRequest xmlns="urn:zimbraMail" l="10"/>
        </Body>
      </Envelope>
    </request>
    <response>
      <Envelope xmlns="http://www.w3.org/2003/05/soap-envelope">
        <Body>
          <SetAppointmentResponse xmlns="urn:zimbraMail" calItemId="257"/>
        </Body>
      </Envelope>
    </response>
  </entry>
  <finding seq="2" time="2024-03-01T09:30:00.000Z" kind="recurrence.not_converted" severity="warning" field="PidLidAppointmentRecur" itemSkipped="true" prevHash="4c89e6339939fcdda4a11d59b4acb8999aebed889092d25061459f0b67c4e66b" hash="54b8b628dd81ac8386b7e19a19254d66ed93c3bf4ac4b44c07c8a98b3c0dc7b1">
    <source file="/data/alice.pst" folder="/Calendar" entryId="2097284"/>
    <why>recurrence pattern type 0x000C is not supported</why>
  </finding>
  <summary ended="2024-03-01T09:30:00.000Z" records="2" complete="true" prevHash="54b8b628dd81ac8386b7e19a19254d66ed93c3bf4ac4b44c07c8a98b3c0dc7b1" hash="96d0b36709fbc3bd65d9c52adddcdb16c5feb6ba96dc23cf2ab0f637c3cd83f9">
    <count kind="appointment" created="1" skipped="1" failed="0"/>
  </summary>
</auditLog>
)";
  EXPECT_EQ(readFile(dir / "log.xml"), expected);
}

TEST(AuditLogTest, EveryCompleteRecordSurvivesACutAnywhere) {
  TempDir dir;
  FixedClock clock(kTime);
  std::vector<std::uintmax_t> record_ends;  // file size after each record: where each one ends
  {
    auto log = createLog(dir / "log.xml", clock);
    ASSERT_NE(log, nullptr);
    record_ends.push_back(std::filesystem::file_size(dir / "log.xml"));  // the header
    ASSERT_TRUE(log->append(authEntry()).ok());
    record_ends.push_back(std::filesystem::file_size(dir / "log.xml"));
    ASSERT_TRUE(log->appendFinding(skippedFinding()).ok());
    record_ends.push_back(std::filesystem::file_size(dir / "log.xml"));
    ASSERT_TRUE(log->append(transportErrorEntry()).ok());
    record_ends.push_back(std::filesystem::file_size(dir / "log.xml"));
    // No close(): the process "dies" here.
  }
  const std::string full = readFile(dir / "log.xml");
  ASSERT_EQ(full.size(), record_ends.back());

  auto whole = readEntries(dir / "log.xml");
  ASSERT_TRUE(whole.ok()) << whole.error().describe();
  EXPECT_EQ(whole->records.size(), 3u);
  EXPECT_FALSE(whole->summary.has_value());
  EXPECT_EQ(whole->torn_bytes, 0u);
  EXPECT_EQ(whole->run.account, "alice@example.com");

  // Cut after every byte past the header. A record is complete once its closing '>' is on disk
  // (its trailing newline is not needed), so a cut at `c` keeps records whose end - 1 <= c.
  for (std::size_t cut = record_ends.front(); cut <= full.size(); ++cut) {
    writeFile(dir / "cut.xml", full.substr(0, cut));
    auto read = readEntries(dir / "cut.xml");
    ASSERT_TRUE(read.ok()) << "cut at " << cut << ": " << read.error().describe();
    std::size_t expected = 0;
    for (std::size_t k = 1; k < record_ends.size(); ++k) {
      if (record_ends[k] - 1 <= cut) expected = k;
    }
    ASSERT_EQ(read->records.size(), expected) << "cut at " << cut;
    for (std::size_t i = 0; i < read->records.size(); ++i) EXPECT_EQ(read->records[i].seq, static_cast<std::int64_t>(i + 1));
    const bool on_boundary = cut == record_ends[expected] || cut + 1 == record_ends[expected];
    EXPECT_EQ(read->torn_bytes == 0, on_boundary) << "cut at " << cut;
  }
}

TEST(AuditLogTest, ConcurrentAppendsAreSerialised) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Entry entry = faultEntry();
        entry.source = itemAt(std::to_string(t * 1000 + i));
        const bool ok = i % 3 == 0 ? log->appendFinding(skippedFinding()).ok() : log->append(entry).ok();
        if (!ok) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(log->close(sampleSummary()).ok());

  const std::string bytes = readFile(dir / "log.xml");
  EXPECT_EQ(joined(validate(bytes)), "");
  auto read = readEntries(dir / "log.xml");
  ASSERT_TRUE(read.ok()) << read.error().describe();
  ASSERT_EQ(read->records.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::set<std::string> entry_ids;
  for (const auto& record : read->records) {
    if (record.kind == RecordKind::kEntry) entry_ids.insert(record.entry.source->entry_id);
  }
  // Each thread's i % 3 != 0 appends are entries with distinct ids: 26 of 40 per thread.
  EXPECT_EQ(entry_ids.size(), static_cast<std::size_t>(kThreads * 26));
}

TEST(AuditLogTest, RefusesWhatWouldMakeAnInvalidOrAmbiguousLog) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);

  Entry unknown = authEntry();
  unknown.outcome = "success";
  auto status = log->append(unknown);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "audit.invalid_entry");

  Entry bad_operation = authEntry();
  bad_operation.operation = "Auth Request";
  EXPECT_FALSE(log->append(bad_operation).ok());

  model::Finding no_kind = skippedFinding();
  no_kind.kind.clear();
  EXPECT_FALSE(log->appendFinding(no_kind).ok());
  EXPECT_EQ(log->recordsWritten(), 0);  // nothing half-written

  // A second log at the same path would interleave two runs.
  auto again = AuditLog::create(dir / "log.xml", sampleRun(), clock);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "audit.create");

  ASSERT_TRUE(log->close(sampleSummary()).ok());
  auto late = log->append(authEntry());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "audit.closed");
  EXPECT_FALSE(log->close(sampleSummary()).ok());

  FixedClock bad_clock("2024-03-01 09:30:00");
  auto wrong_time = AuditLog::create(dir / "other.xml", sampleRun(), bad_clock);
  ASSERT_FALSE(wrong_time.ok());
  EXPECT_EQ(wrong_time.error().code, "audit.clock");
}

TEST(AuditLogTest, FileIsPrivateToItsOwner) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock, LogOptions{{}, Durability::kSync});
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(log->append(authEntry()).ok());
  ASSERT_TRUE(log->close(sampleSummary()).ok());
  const auto permissions = std::filesystem::status(dir / "log.xml").permissions();
  using std::filesystem::perms;
  EXPECT_EQ(permissions & (perms::group_all | perms::others_all), perms::none);
}

TEST(AuditLogTest, ReadsBackWhatWasWritten) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  const Entry fault = faultEntry();
  ASSERT_TRUE(log->append(fault).ok());
  ASSERT_TRUE(log->appendFinding(skippedFinding()).ok());
  ASSERT_TRUE(log->close(Summary{{KindCounts{"appointment", 0, 1, 1}}, false}).ok());

  auto read = readEntries(dir / "log.xml");
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(read->run.run_id, "run-1");
  EXPECT_EQ(read->run.tool_version, "0.1.0");
  EXPECT_EQ(read->run.source_files, std::vector<std::string>{"/data/alice.pst"});
  EXPECT_EQ(read->started, kTime);
  ASSERT_EQ(read->records.size(), 2u);

  const Record& first = read->records[0];
  EXPECT_EQ(first.kind, RecordKind::kEntry);
  EXPECT_EQ(first.time, kTime);
  EXPECT_EQ(first.entry.operation, fault.operation);
  EXPECT_EQ(first.entry.outcome, "fault");
  EXPECT_EQ(first.entry.fault_code, "mail.INVALID_REQUEST");
  EXPECT_EQ(first.entry.http_status, 500);
  EXPECT_EQ(first.entry.duration_ms, 12);
  ASSERT_TRUE(first.entry.source.has_value());
  EXPECT_EQ(first.entry.source->entry_id, "2097252");
  EXPECT_EQ(first.entry.item_hash, fault.item_hash);
  ASSERT_TRUE(first.entry.item.has_value());
  EXPECT_EQ(first.entry.item->uid, fault.item->uid);
  ASSERT_EQ(first.entry.findings.size(), 1u);
  EXPECT_EQ(first.entry.findings[0].after, "Europe/Berlin");
  EXPECT_EQ(first.entry.findings[0].severity, model::Severity::kWarning);
  // The request comes back as redacted canonical XML: the same tree, token hidden.
  auto request = xml::parse(first.entry.request_xml, "request");
  ASSERT_TRUE(request.ok()) << request.error().describe();
  EXPECT_EQ(request->namespace_uri, "http://www.w3.org/2003/05/soap-envelope");
  const xml::Element* token = request->find("authToken");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->text, kRedacted);
  const xml::Element* start = request->find("s");
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->attributeOr("tz", ""), "Europe/Berlin");

  const Record& second = read->records[1];
  EXPECT_EQ(second.kind, RecordKind::kFinding);
  EXPECT_TRUE(second.finding.item_skipped);
  EXPECT_EQ(second.finding.item.entry_id, "2097284");

  ASSERT_TRUE(read->summary.has_value());
  EXPECT_FALSE(read->summary->complete);
  EXPECT_EQ(read->summary->records, 2);
  EXPECT_EQ(read->summary->counts, (std::vector<KindCounts>{{"appointment", 0, 1, 1}}));
}

TEST(AuditLogTest, ControlCharactersInSourceTextAreMadeVisibleNotFatal) {
  // PST subjects can hold anything; XML 1.0 cannot hold U+000B at all.
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  Entry entry = authEntry();
  entry.item = ItemSummary{"appointment", "a\x0b" "b\xff", "", "", "", false};
  ASSERT_TRUE(log->append(entry).ok());
  ASSERT_TRUE(log->close(sampleSummary()).ok());
  const std::string bytes = readFile(dir / "log.xml");
  EXPECT_EQ(joined(validate(bytes)), "");
  // U+000B -> U+240B SYMBOL FOR VERTICAL TABULATION (E2 90 8B); the lone 0xFF -> U+FFFD (EF BF BD).
  EXPECT_NE(bytes.find("<subject>a\xE2\x90\x8B" "b\xEF\xBF\xBD</subject>"), std::string::npos);
}

TEST(AuditLogTest, HostileBodiesNeverBreakTheLog) {
  TempDir dir;
  FixedClock clock(kTime);
  auto log = createLog(dir / "log.xml", clock);
  ASSERT_NE(log, nullptr);
  std::string deep;  // 255 levels: the parser takes it alone (limit 256), not inside a record
  for (int i = 0; i < 255; ++i) deep += "<d>";
  for (int i = 0; i < 255; ++i) deep += "</d>";
  const std::vector<std::string> bodies = {
      "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]><x>&a;&a;</x>",  // entities: refused by the parser
      deep,
      "</entry>\n  <entry seq=\"99\">]]>",                       // tries to fake a record
      std::string("<x>\0</x>", 8),
      "",
  };
  for (const auto& body : bodies) {
    Entry entry = authEntry();
    entry.response_xml = body;
    ASSERT_TRUE(log->append(entry).ok());
  }
  ASSERT_TRUE(log->close(sampleSummary()).ok());
  const std::string bytes = readFile(dir / "log.xml");
  EXPECT_EQ(joined(validate(bytes)), "");
  auto read = readEntries(dir / "log.xml");
  ASSERT_TRUE(read.ok()) << read.error().describe();
  ASSERT_EQ(read->records.size(), bodies.size());
  // Nothing lost: each non-XML body comes back byte for byte.
  EXPECT_EQ(read->records[0].entry.response_xml, bodies[0]);
  EXPECT_EQ(read->records[1].entry.response_xml, bodies[1]);
  EXPECT_EQ(read->records[2].entry.response_xml, bodies[2]);
  EXPECT_EQ(read->records[3].entry.response_xml, bodies[3]);
  EXPECT_EQ(read->records[4].entry.response_xml, "");
  EXPECT_NE(bytes.find("reason=\"could not be embedded: "), std::string::npos);
}

TEST(AuditLogTest, OversizedBodyIsTruncatedNotUnbounded) {
  TempDir dir;
  FixedClock clock(kTime);
  LogOptions options;
  options.max_body_bytes = 1024;  // the default is 16 MiB; the rule is the same
  auto log = createLog(dir / "log.xml", clock, options);
  ASSERT_NE(log, nullptr);
  Entry entry = authEntry();
  // 1023 ASCII bytes then "é" (C3 A9) across the limit: the cut backs off to a whole character.
  entry.response_xml = "<r>" + std::string(1020, 'x') + "\xC3\xA9</r>";
  ASSERT_TRUE(log->append(entry).ok());
  auto read = readEntries(dir / "log.xml");
  ASSERT_TRUE(read.ok()) << read.error().describe();
  ASSERT_EQ(read->records.size(), 1u);
  EXPECT_EQ(read->records[0].entry.response_xml, "<r>" + std::string(1020, 'x'));
  EXPECT_NE(readFile(dir / "log.xml").find("reason=\"larger than 1024 bytes (1029); truncated, not parsed\">&lt;r&gt;xxx"),
            std::string::npos);
}

TEST(SystemClockTest, GivesUtcWithMilliseconds) {
  SystemClock clock;
  const std::string now = clock.nowUtcIso8601Millis();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"))) << now;
  // The same instant by another route: time(2) and gmtime_r, to the second (allow one tick over).
  const std::time_t before = std::time(nullptr);
  const std::string again = clock.nowUtcIso8601Millis();
  std::tm parts{};
  gmtime_r(&before, &parts);
  char expected[32];
  std::strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%S", &parts);
  const std::time_t next = before + 1;
  gmtime_r(&next, &parts);
  char expected_next[32];
  std::strftime(expected_next, sizeof expected_next, "%Y-%m-%dT%H:%M:%S", &parts);
  const std::string seconds = again.substr(0, 19);
  EXPECT_TRUE(seconds == expected || seconds == expected_next) << again << " vs " << expected;
}

}  // namespace
}  // namespace m2z::audit
