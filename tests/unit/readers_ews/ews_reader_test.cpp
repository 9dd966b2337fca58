#include "readers/ews/ews_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "readers/ews/ews_zone.h"
#include "recording_sink.h"

namespace m2z::readers::ews {
namespace {

using model::CivilDate;
using testing::RecordingSink;

std::string response(const std::string& items) {
  return R"(<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
                   xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
<m:ResponseMessages><m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>
<m:Items>)" + items + R"(</m:Items></m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>)";
}

RecordingSink read(const std::string& text, ReadSummary* summary = nullptr) {
  RecordingSink sink;
  auto result = readEwsText(text, "test.xml", sink);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok() && summary != nullptr) *summary = *result;
  return sink;
}

std::string item(const std::string& body) {
  return "<t:CalendarItem><t:ItemId Id=\"id1\"/><t:Subject>S</t:Subject>"
         "<t:Start>2014-03-04T17:00:00Z</t:Start><t:End>2014-03-04T18:00:00Z</t:End>" +
         body + "</t:CalendarItem>";
}

TEST(EwsZone, Durations) {
  EXPECT_EQ(durationMinutes("PT8H"), 480);
  EXPECT_EQ(durationMinutes("-PT1H"), -60);
  EXPECT_EQ(durationMinutes("PT5H30M"), 330);
  EXPECT_EQ(durationMinutes("PT0M"), 0);
  EXPECT_EQ(durationMinutes("P1D"), 1440);
  EXPECT_FALSE(durationMinutes("8H").has_value());
  EXPECT_FALSE(durationMinutes("PT").has_value() && *durationMinutes("PT") != 0);
  EXPECT_FALSE(durationMinutes("PT99999999H").has_value());
}

TEST(EwsReader, Exchange2007MeetingTimeZoneBecomesRules) {
  // US Pacific as Exchange 2007 writes it ([MS-OXWSCORE] MeetingTimeZone): BaseOffset PT8H,
  // standard on the first Sunday of November 02:00, daylight -PT1H on the second Sunday of March.
  auto sink = read(response(item(R"(<t:MeetingTimeZone TimeZoneName="Pacific Standard Time">
      <t:BaseOffset>PT8H</t:BaseOffset>
      <t:Standard TimeZoneName="Standard"><t:Offset>PT0M</t:Offset><t:RelativeYearlyRecurrence>
        <t:DaysOfWeek>Sunday</t:DaysOfWeek><t:DayOfWeekIndex>First</t:DayOfWeekIndex><t:Month>November</t:Month>
      </t:RelativeYearlyRecurrence><t:Time>02:00:00</t:Time></t:Standard>
      <t:Daylight TimeZoneName="Daylight"><t:Offset>-PT1H</t:Offset><t:RelativeYearlyRecurrence>
        <t:DaysOfWeek>Sunday</t:DaysOfWeek><t:DayOfWeekIndex>Second</t:DayOfWeekIndex><t:Month>March</t:Month>
      </t:RelativeYearlyRecurrence><t:Time>02:00:00</t:Time></t:Daylight></t:MeetingTimeZone>)")));
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& zone = sink.appointments[0].start_zone;
  ASSERT_TRUE(zone.has_value());
  EXPECT_EQ(zone->key_name, "Pacific Standard Time");
  ASSERT_EQ(zone->rules.size(), 1u);
  EXPECT_EQ(zone->rules[0].bias, 480);
  EXPECT_EQ(zone->rules[0].daylight_bias, -60);
  EXPECT_EQ(zone->rules[0].standard_date, (model::TransitionDate{11, 1, 0, 2, 0, 0}));
  EXPECT_EQ(zone->rules[0].daylight_date, (model::TransitionDate{3, 2, 0, 2, 0, 0}));
  // 2014-03-04T17:00Z is 09:00 PST (DST starts 9 March).
  EXPECT_EQ(offsetAt(*zone, sink.appointments[0].start), -480);
}

TEST(EwsReader, RecurrencePatternsAndRanges) {
  auto sink = read(response(
      item("<t:Recurrence><t:RelativeMonthlyRecurrence><t:Interval>2</t:Interval><t:DaysOfWeek>Tuesday</t:DaysOfWeek>"
           "<t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence><t:EndDateRecurrence>"
           "<t:StartDate>2014-03-04Z</t:StartDate><t:EndDate>2014-12-31Z</t:EndDate></t:EndDateRecurrence>"
           "</t:Recurrence>") +
      item("<t:Recurrence><t:AbsoluteYearlyRecurrence><t:DayOfMonth>4</t:DayOfMonth><t:Month>March</t:Month>"
           "</t:AbsoluteYearlyRecurrence><t:NoEndRecurrence><t:StartDate>2014-03-04Z</t:StartDate>"
           "</t:NoEndRecurrence></t:Recurrence>") +
      item("<t:Recurrence><t:DailyRecurrence><t:Interval>3</t:Interval></t:DailyRecurrence><t:NumberedRecurrence>"
           "<t:StartDate>2014-03-04Z</t:StartDate><t:NumberOfOccurrences>7</t:NumberOfOccurrences>"
           "</t:NumberedRecurrence></t:Recurrence>") +
      item("<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Weekday</t:DaysOfWeek>"
           "</t:WeeklyRecurrence><t:NoEndRecurrence><t:StartDate>2014-03-04Z</t:StartDate></t:NoEndRecurrence>"
           "</t:Recurrence>") +
      item("<t:Recurrence><t:DailyRegeneration><t:Interval>3</t:Interval></t:DailyRegeneration><t:NoEndRecurrence>"
           "<t:StartDate>2014-03-04Z</t:StartDate></t:NoEndRecurrence></t:Recurrence>")));
  ASSERT_EQ(sink.appointments.size(), 5u);
  const auto& monthly = *sink.appointments[0].recurrence;
  EXPECT_EQ(monthly.pattern, model::RecurrencePattern::kMonthlyNth);
  EXPECT_EQ(monthly.interval, 2);
  EXPECT_EQ(monthly.week_of_month, -1);
  EXPECT_EQ(monthly.end, model::RecurrenceEnd::kByDate);
  EXPECT_EQ(monthly.end_date, (CivilDate{2014, 12, 31}));
  const auto& yearly = *sink.appointments[1].recurrence;
  EXPECT_EQ(yearly.pattern, model::RecurrencePattern::kYearlyByDay);
  EXPECT_EQ(yearly.month, 3);
  EXPECT_EQ(yearly.day_of_month, 4);
  EXPECT_EQ(yearly.end, model::RecurrenceEnd::kNever);
  const auto& daily = *sink.appointments[2].recurrence;
  EXPECT_EQ(daily.pattern, model::RecurrencePattern::kDaily);
  EXPECT_EQ(daily.interval, 3);
  EXPECT_EQ(daily.count, 7);
  EXPECT_EQ(sink.appointments[3].recurrence->weekdays.size(), 5u);
  EXPECT_FALSE(sink.appointments[4].recurrence.has_value());
  EXPECT_EQ(sink.count("recurrence.not_converted"), 1);
}

TEST(EwsReader, FieldsOfAMeeting) {
  auto sink = read(response(item(R"(<t:Sensitivity>Confidential</t:Sensitivity>
      <t:Body BodyType="HTML">&lt;html&gt;&lt;body&gt;&lt;p&gt;Hello&amp;amp;bye&lt;/p&gt;&lt;/body&gt;&lt;/html&gt;</t:Body>
      <t:Categories><t:String>Red</t:String><t:String>Blue</t:String></t:Categories>
      <t:ReminderIsSet>false</t:ReminderIsSet><t:ReminderMinutesBeforeStart>15</t:ReminderMinutesBeforeStart>
      <t:HasAttachments>true</t:HasAttachments><t:LegacyFreeBusyStatus>WorkingElsewhere</t:LegacyFreeBusyStatus>
      <t:Resources><t:Attendee><t:Mailbox><t:Name>Room</t:Name><t:EmailAddress>room@example.com</t:EmailAddress>
      </t:Mailbox><t:ResponseType>Accept</t:ResponseType></t:Attendee></t:Resources>
      <t:CalendarItemType>Single</t:CalendarItemType>)")));
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& a = sink.appointments[0];
  EXPECT_EQ(a.sensitivity, model::Sensitivity::kConfidential);
  EXPECT_EQ(a.body, "Hello&bye");
  EXPECT_EQ(a.categories, (std::vector<std::string>{"Red", "Blue"}));
  EXPECT_FALSE(a.reminder_minutes_before.has_value());  // ReminderIsSet false
  EXPECT_EQ(a.busy_status, model::BusyStatus::kWorkingElsewhere);
  ASSERT_EQ(a.attendees.size(), 1u);
  EXPECT_EQ(a.attendees[0].role, model::AttendeeRole::kResource);
  EXPECT_EQ(a.attendees[0].person.address_type, "SMTP");
  EXPECT_EQ(sink.count("attachment.not_carried"), 1);
}

TEST(EwsReader, BadInput) {
  RecordingSink sink;
  auto not_xml = readEwsText("BEGIN:VCALENDAR", "x.ics", sink);
  ASSERT_FALSE(not_xml.ok());
  EXPECT_EQ(not_xml.error().code, "ews.not_xml");
  EXPECT_EQ(not_xml.error().context, "x.ics");
  ReadSummary summary;
  auto bad = read(response("<t:CalendarItem><t:ItemId Id=\"a\"/><t:Start>yesterday</t:Start></t:CalendarItem>"),
                  &summary);
  EXPECT_EQ(summary.items_seen, 1);
  EXPECT_EQ(summary.skipped, 1);
  EXPECT_EQ(bad.count("item.no_start"), 1);
  // Truncations of a valid response never crash.
  const std::string full = response(item("<t:Recurrence><t:WeeklyRecurrence><t:DaysOfWeek>Monday</t:DaysOfWeek>"
                                         "</t:WeeklyRecurrence></t:Recurrence>"));
  for (std::size_t length = 0; length < full.size(); length += 13) {
    RecordingSink cut;
    (void)readEwsText(full.substr(0, length), "cut.xml", cut);
  }
}

std::string rules(const std::string& rule_xml) {
  return R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<GetInboxRulesResponse ResponseClass="Success" xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
<ResponseCode>NoError</ResponseCode><InboxRules>)" + rule_xml + "</InboxRules></GetInboxRulesResponse></s:Body></s:Envelope>";
}

TEST(EwsContact, BirthdayIsTheUsersLocalDate) {
  // Europe/Berlin keeps 1970-01-31 as 1970-01-30T23:00:00Z (local midnight, UTC+1). With no zone
  // known the nearest midnight is 1970-01-31 00:00Z; with the offset known (+60) it is exact.
  const std::string xml = response(
      "<t:Contact><t:ItemId Id=\"c1\"/><t:DisplayName>Max</t:DisplayName>"
      "<t:Birthday>1970-01-30T23:00:00Z</t:Birthday><t:WeddingAnniversary>2001-06-16T00:00:00Z</t:WeddingAnniversary>"
      "<t:PhoneNumbers><t:Entry Key=\"MobilePhone\">+49 170 1</t:Entry><t:Entry Key=\"BusinessPhone\">+49 30 2</t:Entry>"
      "<t:Entry Key=\"OtherFax\">+49 30 3</t:Entry></t:PhoneNumbers>"
      "<t:ImAddresses><t:Entry Key=\"ImAddress1\">max@im</t:Entry><t:Entry Key=\"ImAddress2\">x@im</t:Entry></t:ImAddresses>"
      "<t:PhysicalAddresses><t:Entry Key=\"Home\"><t:Street>Hauptstr. 1</t:Street><t:City>Berlin</t:City>"
      "<t:CountryOrRegion>Germany</t:CountryOrRegion><t:PostalCode>10115</t:PostalCode></t:Entry></t:PhysicalAddresses>"
      "<t:PostalAddressIndex>Home</t:PostalAddressIndex>"
      "<t:CompleteName><t:Title>Dr.</t:Title><t:FirstName>Max</t:FirstName><t:LastName>Muster</t:LastName></t:CompleteName>"
      "<t:Manager>Erika</t:Manager><t:AssistantName>Tom</t:AssistantName><t:BusinessHomePage>https://x</t:BusinessHomePage>"
      "<t:Body BodyType=\"HTML\">&lt;p&gt;Met at &amp;amp; fair&lt;/p&gt;</t:Body>"
      "<t:Categories><t:String>VIP</t:String></t:Categories><t:SpouseName>Anna</t:SpouseName></t:Contact>");
  ReadSummary summary;
  auto sink = read(xml, &summary);
  EXPECT_EQ(summary.contacts, 1);
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.birthday, (CivilDate{1970, 1, 31}));
  EXPECT_EQ(c.anniversary, (CivilDate{2001, 6, 16}));
  ASSERT_EQ(sink.count("date.zone_assumed"), 1);  // the anniversary is midnight UTC: nothing assumed
  EXPECT_EQ(sink.first("date.zone_assumed")->field, "Birthday");
  EXPECT_EQ(sink.first("date.zone_assumed")->after, "1970-01-31");
  // Phones in kind order; OtherFax kept as another phone with a finding.
  ASSERT_EQ(c.phones.size(), 3u);
  EXPECT_EQ(c.phones[0].kind, model::PhoneKind::kBusiness);
  EXPECT_EQ(c.phones[1].kind, model::PhoneKind::kMobile);
  EXPECT_EQ(c.phones[2], (model::Phone{model::PhoneKind::kOther, "+49 30 3"}));
  EXPECT_EQ(sink.count("contact.phone_kind_merged"), 1);
  EXPECT_EQ(c.im_address, "max@im");
  ASSERT_EQ(c.addresses.size(), 1u);
  EXPECT_EQ(c.addresses[0].country, "Germany");
  EXPECT_EQ(c.addresses[0].postal_code, "10115");
  EXPECT_EQ(c.mailing_address, model::AddressKind::kHome);
  EXPECT_EQ(c.prefix, "Dr.");
  EXPECT_EQ(c.given_name, "Max");
  EXPECT_EQ(c.surname, "Muster");
  EXPECT_EQ(c.manager, "Erika");
  EXPECT_EQ(c.assistant, "Tom");
  EXPECT_EQ(c.web_page, "https://x");
  EXPECT_EQ(c.notes, "Met at & fair");
  EXPECT_EQ(c.categories, (std::vector<std::string>{"VIP"}));
  // Nothing dropped silently: the second IM address and SpouseName are findings.
  int not_carried = 0;
  for (const auto& f : sink.findings) not_carried += f.kind == "ews.field_not_carried" ? 1 : 0;
  EXPECT_EQ(not_carried, 2);

  RecordingSink exact;
  ReadOptions options;
  options.user_offset_minutes = 60;
  ASSERT_TRUE(readEwsText(xml, "t.xml", exact, options).ok());
  EXPECT_EQ(exact.contacts.at(0).birthday, (CivilDate{1970, 1, 31}));
  EXPECT_EQ(exact.count("date.zone_assumed"), 0);
}

TEST(EwsContact, WestOfUtcBirthdayStaysOnItsDay) {
  // New York (UTC-5) keeps 1980-07-04 as 1980-07-04T05:00:00Z (EDT would be 04:00Z).
  auto sink = read(response("<t:Contact><t:ItemId Id=\"c\"/><t:Birthday>1980-07-04T04:00:00Z</t:Birthday></t:Contact>"));
  EXPECT_EQ(sink.contacts.at(0).birthday, (CivilDate{1980, 7, 4}));
}

TEST(EwsDistList, MembersByMailboxType) {
  auto sink = read(response(
      "<t:DistributionList><t:ItemId Id=\"d1\"/><t:DisplayName>Team</t:DisplayName><t:Members>"
      "<t:Member Key=\"1\"><t:Mailbox><t:Name>Ann</t:Name><t:EmailAddress>ann@example.com</t:EmailAddress>"
      "<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>OneOff</t:MailboxType></t:Mailbox></t:Member>"
      "<t:Member Key=\"2\"><t:Mailbox><t:Name>Bob</t:Name><t:EmailAddress>bob@example.com</t:EmailAddress>"
      "<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Contact</t:MailboxType></t:Mailbox></t:Member>"
      "<t:Member Key=\"3\"><t:Mailbox><t:Name>Sales</t:Name><t:EmailAddress>sales@example.com</t:EmailAddress>"
      "<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>PublicDL</t:MailboxType></t:Mailbox></t:Member>"
      "<t:Member Key=\"4\"><t:Mailbox><t:Name>Inner</t:Name><t:MailboxType>PrivateDL</t:MailboxType></t:Mailbox></t:Member>"
      "</t:Members></t:DistributionList>"));
  ASSERT_EQ(sink.dist_lists.size(), 1u);
  const auto& list = sink.dist_lists[0];
  EXPECT_EQ(list.name, "Team");
  EXPECT_EQ(list.message_class, "IPM.DistList");
  ASSERT_EQ(list.members.size(), 4u);
  EXPECT_EQ(list.members[0], (model::DistListMember{model::DistListMemberKind::kOneOff, "Ann", "SMTP", "ann@example.com", ""}));
  EXPECT_EQ(list.members[1].kind, model::DistListMemberKind::kContact);
  EXPECT_EQ(list.members[2].kind, model::DistListMemberKind::kAddressBook);
  EXPECT_EQ(list.members[3].kind, model::DistListMemberKind::kDistList);
  EXPECT_EQ(sink.count("distlist.member_without_address"), 1);
}

TEST(EwsTask, DatesStatusReminderAndSeries) {
  // StartDate/DueDate are the user's local midnight in UTC (Berlin: 22:00Z/23:00Z the day before).
  auto sink = read(response(
      "<t:Task><t:ItemId Id=\"t1\"/><t:Subject>Report</t:Subject><t:Importance>High</t:Importance>"
      "<t:ReminderDueBy>2026-03-02T07:00:00Z</t:ReminderDueBy><t:ReminderIsSet>true</t:ReminderIsSet>"
      "<t:CompleteDate>2026-03-05T10:30:00Z</t:CompleteDate><t:DueDate>2026-03-04T23:00:00Z</t:DueDate>"
      "<t:PercentComplete>100</t:PercentComplete><t:Recurrence><t:WeeklyRegeneration><t:Interval>1</t:Interval>"
      "</t:WeeklyRegeneration><t:NoEndRecurrence><t:StartDate>2026-03-02Z</t:StartDate></t:NoEndRecurrence></t:Recurrence>"
      "<t:StartDate>2026-03-01T23:00:00Z</t:StartDate><t:Status>Completed</t:Status><t:Owner>Max</t:Owner></t:Task>"));
  ASSERT_EQ(sink.tasks.size(), 1u);
  const auto& t = sink.tasks[0];
  EXPECT_EQ(t.subject, "Report");
  EXPECT_EQ(t.start, (CivilDate{2026, 3, 2}));
  EXPECT_EQ(t.due, (CivilDate{2026, 3, 5}));
  EXPECT_EQ(model::toIsoString(*t.date_completed), "2026-03-05T10:30:00Z");
  EXPECT_EQ(t.status, model::TaskStatus::kComplete);
  EXPECT_TRUE(t.complete);
  EXPECT_EQ(t.percent_complete, 100);
  EXPECT_EQ(t.importance, model::Importance::kHigh);
  EXPECT_EQ(model::toIsoString(*t.reminder), "2026-03-02T07:00:00Z");
  EXPECT_TRUE(t.is_recurring);
  EXPECT_EQ(sink.count("recurrence.not_converted"), 1);
  EXPECT_EQ(sink.count("date.zone_assumed"), 2);
  EXPECT_EQ(t.owner, "Max");
}

TEST(EwsRule, ConditionsExceptionsAndActions) {
  auto sink = read(rules(R"(<Rule xmlns="http://schemas.microsoft.com/exchange/services/2006/types">
<RuleId>r1</RuleId><DisplayName>Big mail</DisplayName><Priority>3</Priority><IsEnabled>false</IsEnabled>
<Conditions><WithinSizeRange><MinimumSize>100</MinimumSize><MaximumSize>2048</MaximumSize></WithinSizeRange>
<HasAttachments>true</HasAttachments><Importance>High</Importance><IsEncrypted>true</IsEncrypted>
<SentToAddresses><Address><Name>Me</Name><EmailAddress>me@example.com</EmailAddress><RoutingType>SMTP</RoutingType></Address></SentToAddresses>
</Conditions>
<Exceptions><ContainsBodyStrings><String>keep</String><String>hold</String></ContainsBodyStrings></Exceptions>
<Actions><AssignCategories><String>Large</String></AssignCategories>
<ForwardToRecipients><Address><Name>Ann</Name><EmailAddress>ann@example.com</EmailAddress><RoutingType>SMTP</RoutingType></Address></ForwardToRecipients>
<MoveToFolder><DistinguishedFolderId Id="junkemail"/></MoveToFolder><MarkAsRead>true</MarkAsRead><Delete>true</Delete>
<SendSMSAlertToRecipients><Address><EmailAddress>+1555</EmailAddress></Address></SendSMSAlertToRecipients></Actions>
</Rule>)"));
  ASSERT_EQ(sink.rules.size(), 1u);
  const auto& r = sink.rules[0];
  EXPECT_EQ(r.name, "Big mail");
  EXPECT_FALSE(r.enabled);
  EXPECT_EQ(r.sequence, 3);
  EXPECT_EQ(r.source, model::RuleSource::kServerRule);
  ASSERT_EQ(r.conditions.size(), 6u);  // by kind: sent-to, size>=, size<=, importance, attachment, other
  EXPECT_EQ(r.conditions[0].values, (std::vector<std::string>{"me@example.com"}));
  EXPECT_EQ(r.conditions[1].kind, model::RuleConditionKind::kSizeAtLeast);
  EXPECT_EQ(r.conditions[1].number, 100 * 1024);  // kilobytes
  EXPECT_EQ(r.conditions[2].number, 2048 * 1024);
  EXPECT_EQ(r.conditions[3].number, 2);
  EXPECT_EQ(r.conditions[4].kind, model::RuleConditionKind::kHasAttachment);
  EXPECT_EQ(r.conditions[5].kind, model::RuleConditionKind::kOther);
  EXPECT_EQ(sink.count("rule.condition_not_mapped"), 1);
  ASSERT_EQ(r.exceptions.size(), 1u);
  EXPECT_EQ(r.exceptions[0].description, "body-contains \"keep\", \"hold\"");
  // move junk, move deleted items (EWS Delete), forward, mark read, category; SMS alert not mapped.
  ASSERT_EQ(r.actions.size(), 5u);
  EXPECT_EQ(r.actions[0].folder_path, "/Junk Email");
  EXPECT_EQ(r.actions[1].folder_path, "/Deleted Items");
  EXPECT_EQ(r.actions[2].kind, model::RuleActionKind::kForward);
  EXPECT_EQ(r.actions[2].recipients.at(0), (model::Person{"Ann", "ann@example.com", "SMTP"}));
  EXPECT_EQ(r.actions[3].kind, model::RuleActionKind::kMarkRead);
  EXPECT_EQ(r.actions[4].kind, model::RuleActionKind::kSetProperty);
  EXPECT_EQ(r.actions[4].value_text, "Large");
  EXPECT_EQ(sink.count("rule.action_not_mapped"), 1);
  EXPECT_FALSE(r.stop_processing);
  EXPECT_EQ(r.undecoded.size(), 2u);
}

TEST(EwsOof, ScheduledWithHtmlReplies) {
  auto sink = read(R"(<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<GetUserOofSettingsResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
<ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>
<OofSettings xmlns="http://schemas.microsoft.com/exchange/services/2006/types"><OofState>Scheduled</OofState>
<ExternalAudience>Known</ExternalAudience><Duration><StartTime>2026-12-21T08:00:00Z</StartTime>
<EndTime>2027-01-04T08:00:00Z</EndTime></Duration>
<InternalReply><Message>&lt;html&gt;&lt;body&gt;&lt;div&gt;Away until 4 January.&lt;/div&gt;&lt;/body&gt;&lt;/html&gt;</Message></InternalReply>
<ExternalReply><Message>Away.</Message></ExternalReply></OofSettings></GetUserOofSettingsResponse></s:Body></s:Envelope>)");
  ASSERT_EQ(sink.oof_settings.size(), 1u);
  const auto& o = sink.oof_settings[0];
  EXPECT_EQ(o.enabled, true);
  EXPECT_EQ(o.external_audience, model::OofExternalAudience::kKnownSenders);
  EXPECT_EQ(model::toIsoString(*o.start), "2026-12-21T08:00:00Z");
  EXPECT_EQ(model::toIsoString(*o.end), "2027-01-04T08:00:00Z");
  EXPECT_EQ(o.internal_reply, "Away until 4 January.");
  EXPECT_EQ(o.external_reply, "Away.");
}

}  // namespace
}  // namespace m2z::readers::ews
