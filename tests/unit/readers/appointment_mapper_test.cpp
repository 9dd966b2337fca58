// mapAppointment on hand-built property bags: the values and their meanings come from the specs
// cited beside each expectation, not from running the mapper.
#include "readers/mapi/appointment_mapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "readers/mapi/property_ids.h"
#include "test_bytes.h"

namespace m2z::readers::mapi {
namespace {

using testing::fromHex;

// FILETIMEs (100 ns ticks since 1601-01-01 UTC, [MS-DTYP] 2.3.3) worked out with Python's
// datetime: 2021-02-04T11:00:00Z and 11:30:00Z; the Unix seconds of the same instants.
constexpr std::uint64_t kStartFileTime = 132569100000000000ULL;
constexpr std::uint64_t kEndFileTime = 132569118000000000ULL;
constexpr std::int64_t kStartUnix = 1612436400;
constexpr std::int64_t kEndUnix = 1612438200;

// [MS-OXOCAL] 4.1.4 TZDEFINITION example ("Pacific Standard Time").
const std::vector<std::uint8_t> kSpecTzDefinition = fromHex(
    "0201300002001500500061006300690066006900630020005300740061006E0064006100720064002000540069006D0065000200"
    "02013E000000D6070000000000000000000000000000E001000000000000C4FFFFFF00000A0000000500020000000000000000000400"
    "00000100020000000000000002013E000200D7070000000000000000000000000000E001000000000000C4FFFFFF00000B000000010002"
    "0000000000000000000300000002000200000000000000");

// [MS-ASEMAIL] 4.3 example 1 global object id and the UID the spec derives from it.
const std::vector<std::uint8_t> kGlobalObjectId = fromHex(
    "040000008200E00074C5B7101A82E00807D40910E040C9C12685C4010000000000000000100000000BF0ED4B6E4EE94E9E39E3867B378EF3");
constexpr const char* kGlobalObjectIdUid =
    "040000008200E00074C5B7101A82E00800000000E040C9C12685C4010000000000000000100000000BF0ED4B6E4EE94E9E39E3867B378EF3";

const model::Provenance kItem{"/data/mail.pst", "/Calendar", "2097316"};

void setTagged(PropertyBag& bag, const TaggedProperty& property, PropertyValue value) {
  const PropertyType type = std::visit(
      [](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::int32_t>) return PropertyType::kInteger32;
        if constexpr (std::is_same_v<T, std::int64_t>) return PropertyType::kInteger64;
        if constexpr (std::is_same_v<T, bool>) return PropertyType::kBoolean;
        if constexpr (std::is_same_v<T, FileTime>) return PropertyType::kTime;
        if constexpr (std::is_same_v<T, std::string>) return PropertyType::kUnicode;
        if constexpr (std::is_same_v<T, Binary>) return PropertyType::kBinary;
        if constexpr (std::is_same_v<T, std::vector<std::string>>) return PropertyType::kMultipleUnicode;
        return PropertyType::kMultipleBinary;
      },
      value);
  bag.set(property.id, type, std::move(value));
}

void setNamed(PropertyBag& bag, const NamedProperty& property, PropertyValue value) {
  bag.setNamed(property.property_set, property.lid, std::move(value));
}

PropertyBag minimalBag() {
  PropertyBag bag;
  bag.message_class = "IPM.Appointment";
  setNamed(bag, kPidLidAppointmentStartWhole, FileTime{kStartFileTime});
  setNamed(bag, kPidLidAppointmentEndWhole, FileTime{kEndFileTime});
  return bag;
}

PropertyBag recipient(const std::string& name, std::int32_t type, std::int32_t flags, std::int32_t track_status,
                      const std::string& address_type, const std::string& email, const std::string& smtp = "") {
  PropertyBag row;
  setTagged(row, kPidTagDisplayName, name);
  setTagged(row, kPidTagRecipientType, type);
  setTagged(row, kPidTagRecipientFlags, flags);
  setTagged(row, kPidTagRecipientTrackStatus, track_status);
  setTagged(row, kPidTagAddressType, address_type);
  setTagged(row, kPidTagEmailAddress, email);
  if (!smtp.empty()) setTagged(row, kPidTagSmtpAddress, smtp);
  return row;
}

const model::Finding* findKind(const std::vector<model::Finding>& findings, const std::string& kind) {
  const auto it = std::find_if(findings.begin(), findings.end(), [&](const auto& f) { return f.kind == kind; });
  return it == findings.end() ? nullptr : &*it;
}

TEST(MapAppointmentTest, MapsEveryField) {
  PropertyBag bag = minimalBag();
  // PST subjects may start with 0x01 and a character holding the prefix length + 1: here
  // "Updated: " is 9 characters, so 0x0A. The text after the marker is the subject.
  setTagged(bag, kPidTagSubject, std::string("\x01\x0AUpdated: Olympus training"));
  setNamed(bag, kPidLidLocation, std::string("Room 5"));
  setTagged(bag, kPidTagBody, std::string("Agenda"));
  setNamed(bag, kPidLidAppointmentSubType, false);
  setNamed(bag, kPidLidAppointmentTimeZoneDefinitionStartDisplay, Binary(kSpecTzDefinition));
  setNamed(bag, kPidLidTimeZoneDescription, std::string("(UTC-08:00) Pacific Time (US & Canada)"));
  bag.setNamed(kPsetidMeeting, 0x0003, Binary(kGlobalObjectId));
  setTagged(bag, kPidTagSentRepresentingName, std::string("Organizer Person"));
  setTagged(bag, kPidTagSentRepresentingAddressType, std::string("SMTP"));
  setTagged(bag, kPidTagSentRepresentingEmailAddress, std::string("organizer@example.com"));
  setNamed(bag, kPidLidReminderSet, true);
  setNamed(bag, kPidLidReminderDelta, std::int32_t{15});
  setNamed(bag, kPidLidBusyStatus, std::int32_t{3});                // olOutOfOffice ([MS-OXOCAL] 2.2.1.2)
  setTagged(bag, kPidTagSensitivity, std::int32_t{2});              // Private ([MS-OXCMSG] 2.2.1.13)
  setNamed(bag, kPidLidAppointmentStateFlags, std::int32_t{0x3});   // asfMeeting | asfReceived
  bag.setNamed(kPsPublicStrings, std::string("Keywords"), std::vector<std::string>{"Red", "", "Travel"});
  // Recipient types 1/2/3 = To/Cc/Bcc; flags 0x3 = recipSendable | recipOrganizer; track
  // status 3 = respAccepted, 4 = respDeclined, 2 = respTentative ([MS-OXOCAL] 2.2.4.10).
  bag.recipients.push_back(recipient("Organizer Person", 1, 0x3, 1, "SMTP", "organizer@example.com"));
  bag.recipients.push_back(recipient("Ann", 1, 0x1, 3, "SMTP", "ann@example.com"));
  bag.recipients.push_back(recipient("Bob", 2, 0x1, 4, "EX", "/O=ORG/CN=BOB", "bob@example.com"));
  bag.recipients.push_back(recipient("Room 5", 3, 0x1, 2, "EX", "/O=ORG/CN=ROOM5"));

  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped) << mapped.error().describe();
  const model::Appointment& a = *mapped;

  EXPECT_EQ(a.provenance.describe(), kItem.describe());
  EXPECT_EQ(a.message_class, "IPM.Appointment");
  EXPECT_EQ(a.subject, "Updated: Olympus training");
  EXPECT_EQ(a.location, "Room 5");
  EXPECT_EQ(a.body, "Agenda");
  EXPECT_EQ(a.start.unix_seconds, kStartUnix);
  EXPECT_EQ(a.end.unix_seconds, kEndUnix);
  EXPECT_FALSE(a.all_day);
  ASSERT_TRUE(a.start_zone);
  EXPECT_EQ(a.start_zone->key_name, "Pacific Standard Time");
  EXPECT_EQ(a.start_zone->source_property, "PidLidAppointmentTimeZoneDefinitionStartDisplay");
  // No EndDisplay: the end is in the start's zone ([MS-OXOCAL] 2.2.1.43).
  EXPECT_EQ(a.end_zone, a.start_zone);
  EXPECT_EQ(a.zone_description, "(UTC-08:00) Pacific Time (US & Canada)");
  EXPECT_EQ(a.uid, kGlobalObjectIdUid);
  EXPECT_EQ(a.uid_origin, model::UidOrigin::kGlobalObjectIdHex);

  ASSERT_TRUE(a.organizer);
  EXPECT_EQ(a.organizer->display_name, "Organizer Person");
  EXPECT_EQ(a.organizer->email, "organizer@example.com");
  EXPECT_EQ(a.organizer->address_type, "SMTP");

  ASSERT_EQ(a.attendees.size(), 3u);  // the organizer's own row is not an attendee
  EXPECT_EQ(a.attendees[0].person.display_name, "Ann");
  EXPECT_EQ(a.attendees[0].person.email, "ann@example.com");  // PidTagEmailAddress, type SMTP
  EXPECT_EQ(a.attendees[0].role, model::AttendeeRole::kRequired);
  EXPECT_EQ(a.attendees[0].response, model::ResponseStatus::kAccepted);
  EXPECT_EQ(a.attendees[1].person.email, "bob@example.com");  // PidTagSmtpAddress wins over the EX address
  EXPECT_EQ(a.attendees[1].person.address_type, "EX");
  EXPECT_EQ(a.attendees[1].role, model::AttendeeRole::kOptional);
  EXPECT_EQ(a.attendees[1].response, model::ResponseStatus::kDeclined);
  EXPECT_EQ(a.attendees[2].person.email, "");  // an EX address is not an e-mail address
  EXPECT_EQ(a.attendees[2].role, model::AttendeeRole::kResource);
  EXPECT_EQ(a.attendees[2].response, model::ResponseStatus::kTentative);

  EXPECT_EQ(a.reminder_minutes_before, 15);
  EXPECT_EQ(a.busy_status, model::BusyStatus::kOutOfOffice);
  EXPECT_EQ(a.sensitivity, model::Sensitivity::kPrivate);
  EXPECT_EQ(a.categories, (std::vector<std::string>{"Red", "Travel"}));
  EXPECT_TRUE(a.is_meeting);
  EXPECT_FALSE(a.is_recurring);
  EXPECT_TRUE(findings.empty()) << findings.front().kind;
}

TEST(MapAppointmentTest, MissingStartFailsNamingItemAndField) {
  PropertyBag bag;
  bag.message_class = "IPM.Appointment";
  setNamed(bag, kPidLidAppointmentEndWhole, FileTime{kEndFileTime});
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_FALSE(mapped);
  EXPECT_EQ(mapped.error().code, "mapi.missing_start");
  EXPECT_NE(mapped.error().context.find(kItem.describe()), std::string::npos);
  EXPECT_NE(mapped.error().context.find("PidLidAppointmentStartWhole"), std::string::npos);
}

TEST(MapAppointmentTest, NoDateMarkerCountsAsMissing) {
  PropertyBag bag = minimalBag();
  // 4501-01-01, which MAPI writes for "no date" (0x0CB34557A3DD4000).
  setNamed(bag, kPidLidAppointmentStartWhole, FileTime{0x0CB34557A3DD4000ULL});
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_FALSE(mapped);
  const auto* finding = findKind(findings, "property.bad_value");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->field, "PidLidAppointmentStartWhole");
}

TEST(MapAppointmentTest, FallsBackToStartDateWithAFinding) {
  PropertyBag bag;
  setTagged(bag, kPidTagStartDate, FileTime{kStartFileTime});
  setTagged(bag, kPidTagEndDate, FileTime{kEndFileTime});
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->start.unix_seconds, kStartUnix);
  EXPECT_EQ(mapped->end.unix_seconds, kEndUnix);
  const auto* finding = findKind(findings, "time.start_fallback");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->field, "PidLidAppointmentStartWhole");
  EXPECT_EQ(finding->item.describe(), kItem.describe());
  EXPECT_NE(findKind(findings, "time.end_fallback"), nullptr);
}

TEST(MapAppointmentTest, EndBeforeStartAndMissingEndAreFindings) {
  PropertyBag bag = minimalBag();
  setNamed(bag, kPidLidAppointmentEndWhole, FileTime{kStartFileTime - 1'000'000'000ULL});
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->end, mapped->start);
  EXPECT_NE(findKind(findings, "time.end_before_start"), nullptr);

  PropertyBag no_end;
  setNamed(no_end, kPidLidAppointmentStartWhole, FileTime{kStartFileTime});
  findings.clear();
  mapped = mapAppointment(no_end, kItem, findings);
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->end, mapped->start);
  EXPECT_NE(findKind(findings, "time.missing_end"), nullptr);
}

TEST(MapAppointmentTest, ZoneFallsBackToTimeZoneStruct) {
  PropertyBag bag = minimalBag();
  // TZREG for UTC-8 with US rules (see blob_parsers_test: consistent with [MS-OXOCAL] 4.1.4).
  setNamed(bag, kPidLidTimeZoneStruct,
           fromHex("E0010000 00000000 C4FFFFFF"
                   "0000 0000 0B00 0000 0100 0200 0000 0000 0000"
                   "0000 0000 0300 0000 0200 0200 0000 0000 0000"));
  setNamed(bag, kPidLidTimeZoneDescription, std::string("(GMT-08:00) Pacific Time (US & Canada)"));
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped);
  ASSERT_TRUE(mapped->start_zone);
  EXPECT_EQ(mapped->start_zone->source_property, "PidLidTimeZoneStruct");
  EXPECT_EQ(mapped->start_zone->rules.at(0).bias, 480);
  EXPECT_EQ(mapped->end_zone, mapped->start_zone);
  EXPECT_EQ(mapped->zone_description, "(GMT-08:00) Pacific Time (US & Canada)");
  const auto* finding = findKind(findings, "zone.from_time_zone_struct");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, model::Severity::kInfo);
}

TEST(MapAppointmentTest, UnparsableZoneIsAFindingNotAFailure) {
  PropertyBag bag = minimalBag();
  setNamed(bag, kPidLidAppointmentTimeZoneDefinitionStartDisplay, Binary{0x02, 0x01, 0x30});
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped);
  EXPECT_FALSE(mapped->start_zone);
  const auto* finding = findKind(findings, "zone.unparsable");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->field, "PidLidAppointmentTimeZoneDefinitionStartDisplay");
  EXPECT_NE(finding->why.find("offset"), std::string::npos);
}

TEST(MapAppointmentTest, BadValuesAreFindingsNamingTheField) {
  PropertyBag bag = minimalBag();
  setNamed(bag, kPidLidBusyStatus, std::int32_t{9});          // [MS-OXOCAL] 2.2.1.2 defines 0-4
  setTagged(bag, kPidTagSensitivity, std::string("secret"));  // must be PtypInteger32
  setNamed(bag, kPidLidReminderSet, true);
  setNamed(bag, kPidLidReminderDelta, std::int32_t{-5});
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->busy_status, model::BusyStatus::kBusy);
  EXPECT_EQ(mapped->sensitivity, model::Sensitivity::kNormal);
  EXPECT_EQ(mapped->reminder_minutes_before, 0);

  const auto field_of = [&](const std::string& field) {
    return std::find_if(findings.begin(), findings.end(), [&](const auto& f) { return f.field == field; });
  };
  ASSERT_NE(field_of("PidLidBusyStatus"), findings.end());
  EXPECT_EQ(field_of("PidLidBusyStatus")->kind, "property.bad_value");
  EXPECT_EQ(field_of("PidLidBusyStatus")->before, "9");
  ASSERT_NE(field_of("PidTagSensitivity"), findings.end());
  EXPECT_EQ(field_of("PidTagSensitivity")->kind, "property.wrong_type");
  ASSERT_NE(field_of("PidLidReminderDelta"), findings.end());
  for (const auto& finding : findings) EXPECT_FALSE(finding.item_skipped);
}

TEST(MapAppointmentTest, RecurringWithoutAReadablePatternIsRefused) {
  // Marked recurring (PidLidRecurring) without a pattern, or with a pattern cut short: the item
  // cannot be carried over as a series, and the error says so for the container to skip it.
  PropertyBag flagged = minimalBag();
  setNamed(flagged, kPidLidRecurring, true);
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(flagged, kItem, findings);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.error().code, "mapi.recurrence.missing");
  EXPECT_EQ(mapped.error().context, "/data/mail.pst:/Calendar#2097316 field PidLidAppointmentRecur");

  PropertyBag with_pattern = minimalBag();
  setNamed(with_pattern, kPidLidAppointmentRecur, Binary{0x04, 0x30});
  mapped = mapAppointment(with_pattern, kItem, findings);
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.error().code, "mapi.recurrence.unreadable");
  EXPECT_NE(mapped.error().message.find("WriterVersion"), std::string::npos) << mapped.error().message;

  auto single = mapAppointment(minimalBag(), kItem, findings);
  ASSERT_TRUE(single.ok());
  EXPECT_FALSE(single->is_recurring);
  EXPECT_FALSE(single->recurrence.has_value());
}

// The series of ../shared/testdata/pst/java-libpst__dist-list.pst: its PidLidAppointmentRecur
// (testdata/recurrence/java-libpst-dist-list.bin) is weekly on Tuesday 8:00-8:30 from 2016-08-02
// with two exceptions replacing 2016-08-23 and 2016-08-30 8:00 (Pacific daylight time, UTC-7:
// 15:00Z). The exception attachments here are built by hand like the file's (pffexport shows
// PidTagAttachmentFlags 0x2 and, on the embedded messages, PidLidExceptionReplaceTime and a body).
std::vector<std::uint8_t> distListPattern() {
  const auto path = std::string(M2Z_SOURCE_DIR) + "/testdata/recurrence/java-libpst-dist-list.bin";
  std::FILE* file = std::fopen(path.c_str(), "rb");
  EXPECT_NE(file, nullptr) << path;
  std::vector<std::uint8_t> bytes;
  if (file == nullptr) return bytes;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) bytes.push_back(static_cast<std::uint8_t>(c));
  std::fclose(file);
  return bytes;
}

PropertyBag exceptionAttachment(std::uint64_t replace_filetime, const std::string& body) {
  PropertyBag attachment;
  setTagged(attachment, kPidTagAttachmentFlags, std::int32_t{kAfException});
  PropertyBag message;
  message.message_class = std::string(kExceptionMessageClass);
  setNamed(message, kPidLidExceptionReplaceTime, FileTime{replace_filetime});
  setTagged(message, kPidTagBody, body);
  attachment.embedded_message.push_back(std::move(message));
  return attachment;
}

// 2016-08-23T15:00Z and 2016-08-30T15:00Z as FILETIMEs (Python datetime); they equal the bytes
// pffexport shows for the file's PidLidExceptionReplaceTime values (0x01D1FD4F05159800,
// 0x01D202CF2DF9D800).
constexpr std::uint64_t kReplace0823 = 131164380000000000ULL;
constexpr std::uint64_t kReplace0830 = 131170428000000000ULL;

PropertyBag distListSeries() {
  PropertyBag bag = minimalBag();
  setTagged(bag, kPidTagBody, std::string("series body"));
  setNamed(bag, kPidLidRecurring, true);
  setNamed(bag, kPidLidAppointmentRecur, distListPattern());
  setNamed(bag, kPidLidAppointmentTimeZoneDefinitionRecur, kSpecTzDefinition);
  // Listed in the other order than the ExceptionInfos: matching goes by replace time, not position.
  bag.attachments.push_back(exceptionAttachment(kReplace0830, "This is the one at 10\r\n"));
  bag.attachments.push_back(exceptionAttachment(kReplace0823, "This is the appointment at 9\r\n"));
  return bag;
}

model::LocalDateTime local(int y, int mo, int d, int h, int mi) {
  return model::LocalDateTime{model::CivilDate{y, mo, d}, h, mi, 0};
}

TEST(MapAppointmentTest, SeriesWithExceptionBodiesFromTheAttachments) {
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(distListSeries(), kItem, findings);
  ASSERT_TRUE(mapped.ok()) << mapped.error().describe();
  EXPECT_TRUE(mapped->is_recurring);
  ASSERT_TRUE(mapped->recurrence.has_value());
  const model::Recurrence& recurrence = *mapped->recurrence;
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(recurrence.weekdays, (std::vector<model::Weekday>{model::Weekday::kTuesday}));
  EXPECT_EQ(recurrence.start_date, (model::CivilDate{2016, 8, 2}));
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kNever);
  ASSERT_EQ(recurrence.exceptions.size(), 2u);
  EXPECT_EQ(recurrence.exceptions[0].original_start, local(2016, 8, 23, 8, 0));
  EXPECT_EQ(recurrence.exceptions[0].body, "This is the appointment at 9\r\n");
  EXPECT_EQ(recurrence.exceptions[1].original_start, local(2016, 8, 30, 8, 0));
  EXPECT_EQ(recurrence.exceptions[1].body, "This is the one at 10\r\n");
  // The series' zone is the one its pattern is in, for start and end alike.
  ASSERT_TRUE(mapped->start_zone.has_value());
  EXPECT_EQ(mapped->start_zone->source_property, "PidLidAppointmentTimeZoneDefinitionRecur");
  EXPECT_EQ(mapped->start_zone->key_name, "Pacific Standard Time");
  EXPECT_EQ(mapped->end_zone, mapped->start_zone);
  for (const auto& finding : findings) {
    EXPECT_NE(finding.kind.rfind("recurrence.", 0), 0u) << finding.kind << ": " << finding.why;
  }
}

TEST(MapAppointmentTest, SeriesZoneIsTheStructWhenTheDefinitionDisagrees) {
  // [MS-OXOCAL] 2.2.1.41: PidLidAppointmentTimeZoneDefinitionRecur counts only while its
  // effective rule equals PidLidTimeZoneStruct. The TZREG of the Pacific zone (UTC-8, first Sunday
  // of November / second Sunday of March) agrees with 4.1.4's definition (its effective 2007
  // rule); one with the pre-2007 US dates (last Sunday of October / first Sunday of April) does not.
  PropertyBag bag = distListSeries();
  setNamed(bag, kPidLidTimeZoneStruct,
           fromHex("E0010000 00000000 C4FFFFFF"
                   "0000 0000 0B00 0000 0100 0200 0000 0000 0000"
                   "0000 0000 0300 0000 0200 0200 0000 0000 0000"));
  std::vector<model::Finding> findings;
  auto agreeing = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(agreeing.ok()) << agreeing.error().describe();
  EXPECT_EQ(agreeing->start_zone->source_property, "PidLidAppointmentTimeZoneDefinitionRecur");
  EXPECT_EQ(findKind(findings, "zone.recurrence_definition_inconsistent"), nullptr);

  setNamed(bag, kPidLidTimeZoneStruct,
           fromHex("E0010000 00000000 C4FFFFFF"
                   "0000 0000 0A00 0000 0500 0200 0000 0000 0000"
                   "0000 0000 0400 0000 0100 0200 0000 0000 0000"));
  auto disagreeing = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(disagreeing.ok()) << disagreeing.error().describe();
  EXPECT_EQ(disagreeing->start_zone->source_property, "PidLidTimeZoneStruct");
  EXPECT_EQ(disagreeing->start_zone->rules.at(0).standard_date.month, 10);
  EXPECT_EQ(disagreeing->end_zone, disagreeing->start_zone);
  EXPECT_NE(findKind(findings, "zone.recurrence_definition_inconsistent"), nullptr);
}

TEST(MapAppointmentTest, ExceptionAttendeesWithoutThoseRemovedFromIt) {
  PropertyBag bag = distListSeries();
  bag.recipients.push_back(recipient("Bob", 1, 0x1, 0, "SMTP", "bob@example.com"));
  // The first exception's rows: Bob, and Carol marked recipExceptionalDeleted (0x20,
  // [MS-OXOCAL] 2.2.4.10.1): she is not invited to that instance.
  PropertyBag& message = bag.attachments[1].embedded_message.front();
  message.recipients.push_back(recipient("Bob", 1, 0x1, 0, "SMTP", "bob@example.com"));
  message.recipients.push_back(recipient("Dave", 2, 0x1, 0, "SMTP", "dave@example.com"));
  message.recipients.push_back(recipient("Carol", 1, 0x21, 0, "SMTP", "carol@example.com"));
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped.ok()) << mapped.error().describe();
  const auto& exception = mapped->recurrence->exceptions[0];
  ASSERT_TRUE(exception.attendees.has_value());
  ASSERT_EQ(exception.attendees->size(), 2u);
  EXPECT_EQ((*exception.attendees)[0].person.email, "bob@example.com");
  EXPECT_EQ((*exception.attendees)[1].person.email, "dave@example.com");
  EXPECT_EQ((*exception.attendees)[1].role, model::AttendeeRole::kOptional);
  // The other exception has no rows of its own: it keeps the series' attendees.
  EXPECT_FALSE(mapped->recurrence->exceptions[1].attendees.has_value());
}

TEST(MapAppointmentTest, ExceptionAttachmentsThatFitNoInstanceAreReported) {
  PropertyBag bag = distListSeries();
  bag.attachments.erase(bag.attachments.begin());  // 08-30's attachment is gone
  // One replacing 2016-08-16 15:00Z, which no ExceptionInfo lists.
  bag.attachments.push_back(exceptionAttachment(131158332000000000ULL, "stray"));
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped.ok()) << mapped.error().describe();
  EXPECT_EQ(mapped->recurrence->exceptions[0].body, "This is the appointment at 9\r\n");
  EXPECT_FALSE(mapped->recurrence->exceptions[1].body.has_value());
  const auto kind = [&](const std::string& wanted) {
    return std::count_if(findings.begin(), findings.end(), [&](const auto& f) { return f.kind == wanted; });
  };
  // The file's ExceptionInfos set ARO_EXCEPTIONAL_BODY (OverrideFlags 0x0200): the body is missing.
  EXPECT_EQ(kind("recurrence.exception_attachment_missing"), 1);
  EXPECT_EQ(kind("recurrence.exception_attachment_unmatched"), 1);
  for (const auto& finding : findings) EXPECT_FALSE(finding.item_skipped);
}

TEST(MapAppointmentTest, OrganizerFromSenderOrOrganizerRow) {
  PropertyBag bag = minimalBag();
  setTagged(bag, kPidTagSenderName, std::string("Sender"));
  setTagged(bag, kPidTagSenderAddressType, std::string("EX"));
  setTagged(bag, kPidTagSenderEmailAddress, std::string("/O=ORG/CN=SENDER"));
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped->organizer);
  EXPECT_EQ(mapped->organizer->display_name, "Sender");
  EXPECT_EQ(mapped->organizer->email, "");
  EXPECT_EQ(mapped->organizer->address_type, "EX");

  PropertyBag only_row = minimalBag();
  only_row.recipients.push_back(recipient("Row Organizer", 1, 0x2, 1, "SMTP", "row@example.com"));
  mapped = mapAppointment(only_row, kItem, findings);
  ASSERT_TRUE(mapped->organizer);
  EXPECT_EQ(mapped->organizer->email, "row@example.com");
  EXPECT_TRUE(mapped->attendees.empty());
}

TEST(MapAppointmentTest, UnknownRecipientTypeAndStatusAreFindings) {
  PropertyBag bag = minimalBag();
  bag.recipients.push_back(recipient("Odd", 7, 0x1, 9, "SMTP", "odd@example.com"));
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_EQ(mapped->attendees.size(), 1u);
  EXPECT_EQ(mapped->attendees[0].role, model::AttendeeRole::kRequired);
  EXPECT_EQ(mapped->attendees[0].response, model::ResponseStatus::kNone);
  EXPECT_EQ(std::count_if(findings.begin(), findings.end(), [](const auto& f) { return f.kind == "property.bad_value"; }),
            2);
}

TEST(MapAppointmentTest, ResendFlagsAndOriginatorRows) {
  // [MS-OXOMSG] 2.2.3.1: 0 is the originator; 0x10000000 / 0x80000000 are resend flags ORed into
  // the type, so 0x10000002 is still a Cc (optional) recipient.
  PropertyBag bag = minimalBag();
  bag.recipients.push_back(recipient("Originator", 0, 0x1, 0, "SMTP", "originator@example.com"));
  bag.recipients.push_back(recipient("Resent Cc", 0x10000002, 0x1, 0, "SMTP", "cc@example.com"));
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  ASSERT_TRUE(mapped);
  ASSERT_TRUE(mapped->organizer);
  EXPECT_EQ(mapped->organizer->email, "originator@example.com");
  ASSERT_EQ(mapped->attendees.size(), 1u);
  EXPECT_EQ(mapped->attendees[0].role, model::AttendeeRole::kOptional);
  EXPECT_EQ(findKind(findings, "property.bad_value"), nullptr);
}

TEST(MapAppointmentTest, UidFromCleanIdWhenGlobalIdIsDamaged) {
  PropertyBag bag = minimalBag();
  bag.setNamed(kPsetidMeeting, 0x0003, Binary{0x04, 0x00});
  bag.setNamed(kPsetidMeeting, 0x0023, Binary(kGlobalObjectId));
  std::vector<model::Finding> findings;
  auto mapped = mapAppointment(bag, kItem, findings);
  EXPECT_EQ(mapped->uid, kGlobalObjectIdUid);
  const auto* finding = findKind(findings, "uid.unparsable");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->field, "PidLidGlobalObjectId");

  findings.clear();
  mapped = mapAppointment(minimalBag(), kItem, findings);
  EXPECT_EQ(mapped->uid_origin, model::UidOrigin::kNone);
  EXPECT_NE(findKind(findings, "uid.missing"), nullptr);
}

TEST(StripSubjectMarkerTest, OnlyALeadingMarkerGoes) {
  EXPECT_EQ(stripSubjectMarker("\x01\x05RE: x"), "RE: x");
  EXPECT_EQ(stripSubjectMarker("Plain"), "Plain");
  EXPECT_EQ(stripSubjectMarker("\x01"), "\x01");
  EXPECT_EQ(stripSubjectMarker("\x01\xC3\xA9Text"), "Text");  // a marker character beyond ASCII
  EXPECT_EQ(stripSubjectMarker(""), "");
}

}  // namespace
}  // namespace m2z::readers::mapi
