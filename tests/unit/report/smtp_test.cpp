// Mailing a report through an SMTP relay: against a sink on loopback that decodes what arrived
// with Python's email package.
#include "report/smtp.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

#include "report_test_support.h"

namespace m2z::report {
namespace {

using testing::TempDir;

// Runs tests/unit/report/smtp_sink.py; it serves one connection and exits.
class SmtpSink {
 public:
  explicit SmtpSink(const std::filesystem::path& out) : out_(out) {
    const std::string command = "/usr/bin/python3 " M2Z_SOURCE_DIR "/tests/unit/report/smtp_sink.py '" + out.string() + "'";
    pipe_ = ::popen(command.c_str(), "r");
    char line[32] = {};
    if (pipe_ != nullptr && std::fgets(line, sizeof line, pipe_) != nullptr) port_ = std::stoi(line);
  }
  ~SmtpSink() {
    if (pipe_ != nullptr) ::pclose(pipe_);  // the sink exits after its one connection or 60 s
  }
  int port() const { return port_; }
  // Waits for the sink to finish, then reads what it wrote.
  nlohmann::json received() {
    if (pipe_ != nullptr) ::pclose(pipe_);
    pipe_ = nullptr;
    return nlohmann::json::parse(testing::readFile(out_), nullptr, false);
  }

 private:
  std::filesystem::path out_;
  FILE* pipe_ = nullptr;
  int port_ = 0;
};

TEST(SmtpTest, SendsTextAndHtmlThroughTheRelay) {
  TempDir dir;
  SmtpSink sink(dir / "received.json");
  ASSERT_GT(sink.port(), 0);
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  settings.mail_from = "reports@example.com";
  settings.mail_to = {"alice@example.com"};
  settings.timeout_seconds = 20;
  const MailMessage message{"Ihre Kalender-Migration: 2 Einträge zu prüfen", "Hallo,\nzwei Einträge.\n",
                            "<!DOCTYPE html><html><body><p>Hallo</p></body></html>\n"};
  const Status sent = sendMail(settings, message);
  ASSERT_TRUE(sent.ok()) << sent.error().describe();
  const nlohmann::json got = sink.received();
  ASSERT_TRUE(got.is_object());
  EXPECT_EQ(got["mail_from"], "<reports@example.com>");
  EXPECT_EQ(got["rcpt"], nlohmann::json::array({"<alice@example.com>"}));
  EXPECT_EQ(got["subject"], "Ihre Kalender-Migration: 2 Einträge zu prüfen");  // RFC 2047 decoded
  EXPECT_EQ(got["to"], "alice@example.com");
  EXPECT_EQ(got["plain"], "Hallo,\nzwei Einträge.\n");
  EXPECT_EQ(got["html"], "<!DOCTYPE html><html><body><p>Hallo</p></body></html>\n");
}

TEST(SmtpTest, RefusesHeaderInjectionAndBadRelays) {
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:1";
  settings.mail_from = "reports@example.com\r\nBcc: everyone@example.com";
  settings.mail_to = {"alice@example.com"};
  EXPECT_FALSE(sendMail(settings, {"s", "t", ""}).ok());
  settings.mail_from = "reports@example.com";
  settings.url = "http://127.0.0.1:1";
  EXPECT_FALSE(sendMail(settings, {"s", "t", ""}).ok());
  settings.url = "smtp://127.0.0.1:1";
  settings.mail_to = {};
  EXPECT_FALSE(sendMail(settings, {"s", "t", ""}).ok());
}

TEST(SmtpTest, UnreachableRelayIsAnErrorNamingIt) {
  SmtpSettings settings;
  settings.url = "smtp://127.0.0.1:1";  // nothing listens on port 1
  settings.mail_from = "reports@example.com";
  settings.mail_to = {"alice@example.com"};
  settings.timeout_seconds = 5;
  const Status sent = sendMail(settings, {"s", "t", ""});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().context, "smtp://127.0.0.1:1");
}

TEST(SmtpTest, SubjectLineBreaksCannotAddHeaders) {
  SmtpSettings settings;
  settings.mail_from = "reports@example.com";
  settings.mail_to = {"alice@example.com"};
  const std::string mail = composeMail(settings, {"Hi\r\nBcc: x@example.com", "t", ""}, "Mon, 01 Jan 2024 00:00:00 +0000");
  EXPECT_EQ(mail.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(mail.find("Subject: Hi  Bcc: x@example.com\r\n"), std::string::npos);
}

}  // namespace
}  // namespace m2z::report
