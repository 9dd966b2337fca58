// The SOAP envelope around requests and the reading of replies and faults.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "fixtures.h"
#include "zimbra/requests.h"
#include "zimbra/soap.h"

namespace m2z::zimbra {
namespace {

TEST(Envelope, WithTokenAndAccount) {
  const std::string envelope = buildEnvelope(RequestContext{"0_token", "user1@test.local"},
                                             "<GetAppointmentRequest xmlns=\"urn:zimbraMail\" uid=\"u\"/>\n");
  // soap.txt "urn:zimbra": SOAP 1.2 envelope, <context xmlns="urn:zimbra"> with <authToken> and
  // <account by="name">; the body element indented inside soap:Body.
  EXPECT_EQ(envelope,
            "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\">\n"
            "  <soap:Header>\n"
            "    <context xmlns=\"urn:zimbra\">\n"
            "      <authToken>0_token</authToken>\n"
            "      <account by=\"name\">user1@test.local</account>\n"
            "    </context>\n"
            "  </soap:Header>\n"
            "  <soap:Body>\n"
            "    <GetAppointmentRequest xmlns=\"urn:zimbraMail\" uid=\"u\"/>\n"
            "  </soap:Body>\n"
            "</soap:Envelope>\n");
}

TEST(Envelope, ForAuthRequestCarriesNoToken) {
  const std::string envelope = buildEnvelope(RequestContext{}, "<AuthRequest xmlns=\"urn:zimbraAdmin\"/>\n");
  EXPECT_NE(envelope.find("<context xmlns=\"urn:zimbra\"/>"), std::string::npos);
  EXPECT_EQ(envelope.find("authToken"), std::string::npos);
  EXPECT_EQ(envelope.find("account"), std::string::npos);
}

TEST(Envelope, EscapesTheAccountAndParsesBack) {
  const std::string envelope = buildEnvelope(RequestContext{"t<1>", "a&b@test.local"}, "<R xmlns=\"urn:x\"/>");
  auto parsed = xml::parse(envelope, "envelope");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(parsed->find("account")->text, "a&b@test.local");
  EXPECT_EQ(parsed->find("authToken")->text, "t<1>");
  EXPECT_EQ(parsed->find("context")->namespace_uri, "urn:zimbra");
  EXPECT_EQ(parsed->find("R")->namespace_uri, "urn:x");
}

TEST(Envelope, MultiLineTextSurvivesTheReindentation) {
  model::Appointment meeting = testing::timedMeeting();
  meeting.subject = "line one\n  line two\r\n\tthree";
  meeting.categories = {meeting.subject};
  const std::string body = *buildSetAppointmentRequest(meeting, "10");
  auto parsed = xml::parse(buildEnvelope(RequestContext{"t", "a@b"}, body), "envelope");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(parsed->find("category")->text, meeting.subject);
  EXPECT_EQ(parsed->find("alarm")->child("desc")->text, meeting.subject);
  EXPECT_EQ(parsed->find("m")->attributeOr("su", ""), meeting.subject);
}

TEST(SoapResponse, BodyElement) {
  auto response = parseSoapResponse(testing::authResponse("0_abc"));
  ASSERT_TRUE(response.ok()) << response.error().describe();
  EXPECT_FALSE(response->fault.has_value());
  EXPECT_EQ(response->body.name, "AuthResponse");
  EXPECT_EQ(response->body.namespace_uri, "urn:zimbraAdmin");
}

TEST(SoapResponse, Soap12FaultAsInSoapTxt) {
  // The SOAP 1.2 fault of soap.txt (around line 320) with its "..." filled in as the server does
  // for an unknown folder; soap.txt's sample never closes <soap:Reason> (a typo), fixed here.
  const std::string fault =
      "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\">\n"
      " <soap:Body>\n"
      "  <soap:Fault>\n"
      "    <soap:Code>\n"
      "       <soap:Value>soap:Sender</soap:Value>\n"
      "    </soap:Code>\n"
      "    <soap:Reason><soap:Text>no such folder id: 999</soap:Text></soap:Reason>\n"
      "    <soap:Detail>\n"
      "      <Error xmlns=\"urn:zimbra\">\n"
      "        <Code>mail.NO_SUCH_FOLDER</Code>\n"
      "        <a n=\"itemId\" t=\"IID\">999</a>\n"
      "      </Error>\n"
      "    </soap:Detail>\n"
      "  </soap:Fault>\n"
      " </soap:Body>\n"
      "</soap:Envelope>\n";
  auto response = parseSoapResponse(fault);
  ASSERT_TRUE(response.ok()) << response.error().describe();
  ASSERT_TRUE(response->fault.has_value());
  EXPECT_EQ(response->fault->code, "mail.NO_SUCH_FOLDER");
  EXPECT_EQ(response->fault->reason, "no such folder id: 999");
}

TEST(SoapResponse, Soap11FaultAsInSoapTxt) {
  const std::string fault =
      "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
      " <soap:Body>\n"
      "  <soap:Fault>\n"
      "   <soap:faultcode>soap:Server</soap:faultcode>\n"
      "   <soap:faultstring>system failure: out of disk</soap:faultstring>\n"
      "   <soap:detail>\n"
      "     <Error xmlns=\"urn:zimbra\">\n"
      "        <Code>service.FAILURE</Code>\n"
      "      </Error>\n"
      "    </soap:detail>\n"
      "  </soap:Fault>\n"
      " </soap:Body>\n"
      "</soap:Envelope>\n";
  auto response = parseSoapResponse(fault);
  ASSERT_TRUE(response.ok()) << response.error().describe();
  ASSERT_TRUE(response->fault.has_value());
  EXPECT_EQ(response->fault->code, "service.FAILURE");
  EXPECT_EQ(response->fault->reason, "system failure: out of disk");
}

TEST(SoapResponse, FaultWithoutZimbraDetail) {
  auto response = parseSoapResponse(testing::soapBody(
      "<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code>"
      "<soap:Reason><soap:Text>busy</soap:Text></soap:Reason></soap:Fault>"));
  ASSERT_TRUE(response.ok());
  ASSERT_TRUE(response->fault.has_value());
  EXPECT_EQ(response->fault->code, "soap.fault");
  EXPECT_EQ(response->fault->reason, "busy");
}

TEST(SoapResponse, DecidesByCodeNotByReason) {
  // A reason that reads like another code does not change the code.
  auto response = parseSoapResponse(testing::soapFault("mail.NO_SUCH_APPT", "service.AUTH_EXPIRED"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->fault->code, "mail.NO_SUCH_APPT");
}

TEST(SoapResponse, NonSoapRepliesAreErrors) {
  for (const char* text : {"", "<html><body>502 Bad Gateway</body></html>", "not xml",
                           "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"/>",
                           "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body/></soap:Envelope>",
                           "<Envelope xmlns=\"urn:not-soap\"><Body><R/></Body></Envelope>"}) {
    auto response = parseSoapResponse(text);
    ASSERT_FALSE(response.ok()) << text;
    EXPECT_EQ(response.error().code, "soap.malformed");
  }
}

TEST(SoapResponse, MangledRepliesNeverCrash) {
  // Deterministic mutations (fixed seed) of a real-shaped fault and reply: flipped, inserted,
  // deleted bytes and truncations. Each must come back as a value or an Error, nothing else.
  const std::vector<std::string> seeds = {
      testing::soapFault("mail.NO_SUCH_FOLDER", "no such folder id: 999"),
      testing::soapBody("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"320\"><default id=\"321\"/>"
                        "</SetAppointmentResponse>")};
  std::mt19937 random(20141101);
  static constexpr char kInteresting[] = "<>&;\"'/=!?[]-:#x\0\xff\xc3";
  const std::string interesting(kInteresting, sizeof kInteresting - 1);
  int parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = seeds[static_cast<std::size_t>(round) % seeds.size()];
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = random() % text.size();
      const char c = interesting[random() % interesting.size()];
      switch (random() % 4) {
        case 0: text[at] = c; break;
        case 1: text.insert(at, 1, c); break;
        case 2: text.erase(at, 1); break;
        default: text.resize(at); break;
      }
    }
    auto response = parseSoapResponse(text);
    if (response.ok()) {
      ++parsed;
      if (response->fault) {
        EXPECT_FALSE(response->fault->code.empty());
      }
    } else {
      EXPECT_FALSE(response.error().code.empty());
    }
  }
  EXPECT_GT(parsed, 0);  // some mutations (e.g. inside text) leave the reply readable
}

}  // namespace
}  // namespace m2z::zimbra
