// A shortened UID's original travels with the appointment as an X- property, in a place the
// schema accepts (inviteComponent's sequence: ... at, alarm, xprop, fr, desc, ... or ...).
#include <gtest/gtest.h>

#include <memory>

#include "recurrence_fixtures.h"
#include "xml/xml.h"
#include "zimbra/requests.h"

namespace m2z::zimbra {
namespace {

TEST(OriginalUid, ShortenedUidsOriginalIsSentAsXPropAndValidates) {
  model::Appointment appointment = testing::weeklySeries();
  appointment.recurrence.reset();
  appointment.original_uid = std::string(300, 'A') + "-original";
  appointment.uid = "m2z-sha256-0123";
  auto body = buildSetAppointmentRequest(appointment, "10");
  ASSERT_TRUE(body) << body.error().describe();
  EXPECT_NE(body->find("<xprop name=\"X-MAPI2ZIMBRA-ORIGINAL-UID\" value=\"" + appointment.original_uid + "\"/>"),
            std::string::npos)
      << *body;
  const std::string dir = std::string(M2Z_SHARED_DIR) + "/zimbra-schemas/zcs8-2014a";
  auto validator = xml::SchemaValidator::load({dir + "/zimbra.xsd", dir + "/zimbraMail.xsd"});
  ASSERT_TRUE(validator) << validator.error().describe();
  const auto problems = (*validator)->validate(*body, "SetAppointmentRequest with xprop");
  EXPECT_TRUE(problems.empty()) << problems.front();
}

TEST(OriginalUid, NoXPropWhenTheUidWasKept) {
  model::Appointment appointment = testing::weeklySeries();
  appointment.recurrence.reset();
  auto body = buildSetAppointmentRequest(appointment, "10");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->find("xprop"), std::string::npos);
}

}  // namespace
}  // namespace m2z::zimbra
