// The MAPI properties the calendar mapping reads: ids and property sets from [MS-OXPROPS];
// docs/mapi-properties.md says which model field each one feeds.
#pragma once

#include <cstdint>
#include <string_view>

#include "readers/mapi/property_bag.h"

namespace m2z::readers::mapi {

struct TaggedProperty {
  std::uint16_t id;
  std::string_view name;
};

struct NamedProperty {
  Guid property_set;
  std::uint32_t lid;
  std::string_view name;
};

struct StringNamedProperty {
  Guid property_set;
  std::string_view string_name;
  std::string_view name;
};

// Property sets ([MS-OXPROPS] 1.3.2).
inline constexpr Guid kPsetidAppointment =
    Guid::fromFields(0x00062002, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});
inline constexpr Guid kPsetidMeeting =
    Guid::fromFields(0x6ED8DA90, 0x450B, 0x101B, {0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05});
inline constexpr Guid kPsetidCommon =
    Guid::fromFields(0x00062008, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});
inline constexpr Guid kPsPublicStrings =
    Guid::fromFields(0x00020329, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});

// Message properties.
inline constexpr TaggedProperty kPidTagMessageClass{0x001A, "PidTagMessageClass"};
inline constexpr TaggedProperty kPidTagSubject{0x0037, "PidTagSubject"};
inline constexpr TaggedProperty kPidTagSubjectPrefix{0x003D, "PidTagSubjectPrefix"};
inline constexpr TaggedProperty kPidTagNormalizedSubject{0x0E1D, "PidTagNormalizedSubject"};
inline constexpr TaggedProperty kPidTagBody{0x1000, "PidTagBody"};
inline constexpr TaggedProperty kPidTagSensitivity{0x0036, "PidTagSensitivity"};
inline constexpr TaggedProperty kPidTagStartDate{0x0060, "PidTagStartDate"};
inline constexpr TaggedProperty kPidTagEndDate{0x0061, "PidTagEndDate"};
inline constexpr TaggedProperty kPidTagSentRepresentingName{0x0042, "PidTagSentRepresentingName"};
inline constexpr TaggedProperty kPidTagSentRepresentingAddressType{0x0064, "PidTagSentRepresentingAddressType"};
inline constexpr TaggedProperty kPidTagSentRepresentingEmailAddress{0x0065, "PidTagSentRepresentingEmailAddress"};
inline constexpr TaggedProperty kPidTagSentRepresentingSmtpAddress{0x5D02, "PidTagSentRepresentingSmtpAddress"};
inline constexpr TaggedProperty kPidTagSenderName{0x0C1A, "PidTagSenderName"};
inline constexpr TaggedProperty kPidTagSenderAddressType{0x0C1E, "PidTagSenderAddressType"};
inline constexpr TaggedProperty kPidTagSenderEmailAddress{0x0C1F, "PidTagSenderEmailAddress"};
inline constexpr TaggedProperty kPidTagSenderSmtpAddress{0x5D01, "PidTagSenderSmtpAddress"};

// Attachment properties ([MS-OXOCAL] 2.2.10.1).
inline constexpr TaggedProperty kPidTagAttachMethod{0x3705, "PidTagAttachMethod"};
inline constexpr TaggedProperty kPidTagExceptionReplaceTime{0x7FF9, "PidTagExceptionReplaceTime"};
inline constexpr TaggedProperty kPidTagAttachmentFlags{0x7FFD, "PidTagAttachmentFlags"};

// Recipient row properties.
inline constexpr TaggedProperty kPidTagRecipientType{0x0C15, "PidTagRecipientType"};
inline constexpr TaggedProperty kPidTagDisplayName{0x3001, "PidTagDisplayName"};
inline constexpr TaggedProperty kPidTagAddressType{0x3002, "PidTagAddressType"};
inline constexpr TaggedProperty kPidTagEmailAddress{0x3003, "PidTagEmailAddress"};
inline constexpr TaggedProperty kPidTagSmtpAddress{0x39FE, "PidTagSmtpAddress"};
inline constexpr TaggedProperty kPidTagRecipientDisplayName{0x5FF6, "PidTagRecipientDisplayName"};
inline constexpr TaggedProperty kPidTagRecipientFlags{0x5FFD, "PidTagRecipientFlags"};
inline constexpr TaggedProperty kPidTagRecipientTrackStatus{0x5FFF, "PidTagRecipientTrackStatus"};

// Calendar named properties.
inline constexpr NamedProperty kPidLidBusyStatus{kPsetidAppointment, 0x8205, "PidLidBusyStatus"};
inline constexpr NamedProperty kPidLidLocation{kPsetidAppointment, 0x8208, "PidLidLocation"};
inline constexpr NamedProperty kPidLidAppointmentStartWhole{kPsetidAppointment, 0x820D, "PidLidAppointmentStartWhole"};
inline constexpr NamedProperty kPidLidAppointmentEndWhole{kPsetidAppointment, 0x820E, "PidLidAppointmentEndWhole"};
inline constexpr NamedProperty kPidLidAppointmentSubType{kPsetidAppointment, 0x8215, "PidLidAppointmentSubType"};
inline constexpr NamedProperty kPidLidAppointmentRecur{kPsetidAppointment, 0x8216, "PidLidAppointmentRecur"};
inline constexpr NamedProperty kPidLidAppointmentStateFlags{kPsetidAppointment, 0x8217, "PidLidAppointmentStateFlags"};
inline constexpr NamedProperty kPidLidExceptionReplaceTime{kPsetidAppointment, 0x8228, "PidLidExceptionReplaceTime"};
inline constexpr NamedProperty kPidLidRecurring{kPsetidAppointment, 0x8223, "PidLidRecurring"};
inline constexpr NamedProperty kPidLidTimeZoneStruct{kPsetidAppointment, 0x8233, "PidLidTimeZoneStruct"};
inline constexpr NamedProperty kPidLidTimeZoneDescription{kPsetidAppointment, 0x8234, "PidLidTimeZoneDescription"};
inline constexpr NamedProperty kPidLidAppointmentTimeZoneDefinitionStartDisplay{
    kPsetidAppointment, 0x825E, "PidLidAppointmentTimeZoneDefinitionStartDisplay"};
inline constexpr NamedProperty kPidLidAppointmentTimeZoneDefinitionEndDisplay{
    kPsetidAppointment, 0x825F, "PidLidAppointmentTimeZoneDefinitionEndDisplay"};
inline constexpr NamedProperty kPidLidAppointmentTimeZoneDefinitionRecur{
    kPsetidAppointment, 0x8260, "PidLidAppointmentTimeZoneDefinitionRecur"};
inline constexpr NamedProperty kPidLidGlobalObjectId{kPsetidMeeting, 0x0003, "PidLidGlobalObjectId"};
inline constexpr NamedProperty kPidLidCleanGlobalObjectId{kPsetidMeeting, 0x0023, "PidLidCleanGlobalObjectId"};
inline constexpr NamedProperty kPidLidReminderDelta{kPsetidCommon, 0x8501, "PidLidReminderDelta"};
inline constexpr NamedProperty kPidLidReminderSet{kPsetidCommon, 0x8503, "PidLidReminderSet"};
inline constexpr StringNamedProperty kPidNameKeywords{kPsPublicStrings, "Keywords", "PidNameKeywords"};

// Value meanings ([MS-OXOCAL] 2.2.1.10, 2.2.4.10.1, 2.2.10; [MS-OXOMSG] 2.2.3.1).
inline constexpr std::int32_t kAsfMeeting = 0x00000001;
inline constexpr std::int32_t kRecipOrganizer = 0x00000002;
inline constexpr std::int32_t kRecipExceptionalDeleted = 0x00000020;  // not invited to this exception
inline constexpr std::int32_t kAfException = 0x00000002;              // PidTagAttachmentFlags
inline constexpr std::string_view kExceptionMessageClass = "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}";
inline constexpr std::int32_t kRecipientTypeOriginator = 0x00000000;
inline constexpr std::int32_t kRecipientTypeMask = 0x0FFFFFFF;  // without the resend flags 0x10000000, 0x80000000

// Contacts, distribution lists and tasks ([MS-OXOCNTC], [MS-OXOTASK]); ids from [MS-OXPROPS].
inline constexpr Guid kPsetidAddress =
    Guid::fromFields(0x00062004, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});
inline constexpr Guid kPsetidTask =
    Guid::fromFields(0x00062003, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});

inline constexpr TaggedProperty kPidTagImportance{0x0017, "PidTagImportance"};
inline constexpr TaggedProperty kPidTagGeneration{0x3A05, "PidTagGeneration"};
inline constexpr TaggedProperty kPidTagGivenName{0x3A06, "PidTagGivenName"};
inline constexpr TaggedProperty kPidTagInitials{0x3A0A, "PidTagInitials"};
inline constexpr TaggedProperty kPidTagSurname{0x3A11, "PidTagSurname"};
inline constexpr TaggedProperty kPidTagCompanyName{0x3A16, "PidTagCompanyName"};
inline constexpr TaggedProperty kPidTagTitle{0x3A17, "PidTagTitle"};
inline constexpr TaggedProperty kPidTagDepartmentName{0x3A18, "PidTagDepartmentName"};
inline constexpr TaggedProperty kPidTagAssistant{0x3A30, "PidTagAssistant"};
inline constexpr TaggedProperty kPidTagWeddingAnniversary{0x3A41, "PidTagWeddingAnniversary"};
inline constexpr TaggedProperty kPidTagBirthday{0x3A42, "PidTagBirthday"};
inline constexpr TaggedProperty kPidTagMiddleName{0x3A44, "PidTagMiddleName"};
inline constexpr TaggedProperty kPidTagDisplayNamePrefix{0x3A45, "PidTagDisplayNamePrefix"};
inline constexpr TaggedProperty kPidTagManagerName{0x3A4E, "PidTagManagerName"};
inline constexpr TaggedProperty kPidTagNickname{0x3A4F, "PidTagNickname"};
inline constexpr TaggedProperty kPidTagPersonalHomePage{0x3A50, "PidTagPersonalHomePage"};
inline constexpr TaggedProperty kPidTagBusinessHomePage{0x3A51, "PidTagBusinessHomePage"};
// Phones.
inline constexpr TaggedProperty kPidTagBusinessTelephoneNumber{0x3A08, "PidTagBusinessTelephoneNumber"};
inline constexpr TaggedProperty kPidTagBusiness2TelephoneNumber{0x3A1B, "PidTagBusiness2TelephoneNumber"};
inline constexpr TaggedProperty kPidTagBusinessFaxNumber{0x3A24, "PidTagBusinessFaxNumber"};
inline constexpr TaggedProperty kPidTagHomeTelephoneNumber{0x3A09, "PidTagHomeTelephoneNumber"};
inline constexpr TaggedProperty kPidTagHome2TelephoneNumber{0x3A2F, "PidTagHome2TelephoneNumber"};
inline constexpr TaggedProperty kPidTagHomeFaxNumber{0x3A25, "PidTagHomeFaxNumber"};
inline constexpr TaggedProperty kPidTagMobileTelephoneNumber{0x3A1C, "PidTagMobileTelephoneNumber"};
inline constexpr TaggedProperty kPidTagPagerTelephoneNumber{0x3A21, "PidTagPagerTelephoneNumber"};
inline constexpr TaggedProperty kPidTagPrimaryTelephoneNumber{0x3A1A, "PidTagPrimaryTelephoneNumber"};
inline constexpr TaggedProperty kPidTagPrimaryFaxNumber{0x3A23, "PidTagPrimaryFaxNumber"};
inline constexpr TaggedProperty kPidTagCarTelephoneNumber{0x3A1E, "PidTagCarTelephoneNumber"};
inline constexpr TaggedProperty kPidTagAssistantTelephoneNumber{0x3A2E, "PidTagAssistantTelephoneNumber"};
inline constexpr TaggedProperty kPidTagCallbackTelephoneNumber{0x3A02, "PidTagCallbackTelephoneNumber"};
inline constexpr TaggedProperty kPidTagCompanyMainTelephoneNumber{0x3A57, "PidTagCompanyMainTelephoneNumber"};
inline constexpr TaggedProperty kPidTagIsdnNumber{0x3A2D, "PidTagIsdnNumber"};
inline constexpr TaggedProperty kPidTagOtherTelephoneNumber{0x3A1F, "PidTagOtherTelephoneNumber"};
inline constexpr TaggedProperty kPidTagRadioTelephoneNumber{0x3A1D, "PidTagRadioTelephoneNumber"};
inline constexpr TaggedProperty kPidTagTelexNumber{0x3A2C, "PidTagTelexNumber"};
inline constexpr TaggedProperty kPidTagTtyTddPhoneNumber{0x3A4B, "PidTagTtyTddPhoneNumber"};
// Home and other postal addresses.
inline constexpr TaggedProperty kPidTagHomeAddressStreet{0x3A5D, "PidTagHomeAddressStreet"};
inline constexpr TaggedProperty kPidTagHomeAddressCity{0x3A59, "PidTagHomeAddressCity"};
inline constexpr TaggedProperty kPidTagHomeAddressStateOrProvince{0x3A5C, "PidTagHomeAddressStateOrProvince"};
inline constexpr TaggedProperty kPidTagHomeAddressPostalCode{0x3A5B, "PidTagHomeAddressPostalCode"};
inline constexpr TaggedProperty kPidTagHomeAddressCountry{0x3A5A, "PidTagHomeAddressCountry"};
inline constexpr TaggedProperty kPidTagHomeAddressPostOfficeBox{0x3A5E, "PidTagHomeAddressPostOfficeBox"};
inline constexpr TaggedProperty kPidTagOtherAddressStreet{0x3A63, "PidTagOtherAddressStreet"};
inline constexpr TaggedProperty kPidTagOtherAddressCity{0x3A5F, "PidTagOtherAddressCity"};
inline constexpr TaggedProperty kPidTagOtherAddressStateOrProvince{0x3A62, "PidTagOtherAddressStateOrProvince"};
inline constexpr TaggedProperty kPidTagOtherAddressPostalCode{0x3A61, "PidTagOtherAddressPostalCode"};
inline constexpr TaggedProperty kPidTagOtherAddressCountry{0x3A60, "PidTagOtherAddressCountry"};
inline constexpr TaggedProperty kPidTagOtherAddressPostOfficeBox{0x3A64, "PidTagOtherAddressPostOfficeBox"};
// Attachments: the contact photo ([MS-OXOCNTC] 2.2.1.8).
inline constexpr TaggedProperty kPidTagAttachDataBinary{0x3701, "PidTagAttachDataBinary"};
inline constexpr TaggedProperty kPidTagAttachExtension{0x3703, "PidTagAttachExtension"};
inline constexpr TaggedProperty kPidTagAttachMimeTag{0x370E, "PidTagAttachMimeTag"};
inline constexpr TaggedProperty kPidTagAttachmentContactPhoto{0x7FFF, "PidTagAttachmentContactPhoto"};
// Attachments: file attachments of any item ([MS-OXCMSG] 2.2.2).
inline constexpr TaggedProperty kPidTagAttachFilename{0x3704, "PidTagAttachFilename"};
inline constexpr TaggedProperty kPidTagAttachLongFilename{0x3707, "PidTagAttachLongFilename"};
inline constexpr TaggedProperty kPidTagAttachmentHidden{0x7FFE, "PidTagAttachmentHidden"};
inline constexpr std::int32_t kAfByValue = 1;  // PidTagAttachMethod: the data is in PidTagAttachDataBinary

inline constexpr NamedProperty kPidLidFileUnder{kPsetidAddress, 0x8005, "PidLidFileUnder"};
inline constexpr NamedProperty kPidLidHasPicture{kPsetidAddress, 0x8015, "PidLidHasPicture"};
inline constexpr NamedProperty kPidLidHomeAddress{kPsetidAddress, 0x801A, "PidLidHomeAddress"};
inline constexpr NamedProperty kPidLidWorkAddress{kPsetidAddress, 0x801B, "PidLidWorkAddress"};
inline constexpr NamedProperty kPidLidOtherAddress{kPsetidAddress, 0x801C, "PidLidOtherAddress"};
inline constexpr NamedProperty kPidLidPostalAddressId{kPsetidAddress, 0x8022, "PidLidPostalAddressId"};
inline constexpr NamedProperty kPidLidHtml{kPsetidAddress, 0x802B, "PidLidHtml"};
inline constexpr NamedProperty kPidLidWorkAddressStreet{kPsetidAddress, 0x8045, "PidLidWorkAddressStreet"};
inline constexpr NamedProperty kPidLidWorkAddressCity{kPsetidAddress, 0x8046, "PidLidWorkAddressCity"};
inline constexpr NamedProperty kPidLidWorkAddressState{kPsetidAddress, 0x8047, "PidLidWorkAddressState"};
inline constexpr NamedProperty kPidLidWorkAddressPostalCode{kPsetidAddress, 0x8048, "PidLidWorkAddressPostalCode"};
inline constexpr NamedProperty kPidLidWorkAddressCountry{kPsetidAddress, 0x8049, "PidLidWorkAddressCountry"};
inline constexpr NamedProperty kPidLidWorkAddressPostOfficeBox{kPsetidAddress, 0x804A, "PidLidWorkAddressPostOfficeBox"};
inline constexpr NamedProperty kPidLidDistributionListName{kPsetidAddress, 0x8053, "PidLidDistributionListName"};
inline constexpr NamedProperty kPidLidDistributionListOneOffMembers{kPsetidAddress, 0x8054,
                                                                    "PidLidDistributionListOneOffMembers"};
inline constexpr NamedProperty kPidLidDistributionListMembers{kPsetidAddress, 0x8055, "PidLidDistributionListMembers"};
inline constexpr NamedProperty kPidLidInstantMessagingAddress{kPsetidAddress, 0x8062, "PidLidInstantMessagingAddress"};
inline constexpr NamedProperty kPidLidEmail1DisplayName{kPsetidAddress, 0x8080, "PidLidEmail1DisplayName"};
inline constexpr NamedProperty kPidLidEmail1AddressType{kPsetidAddress, 0x8082, "PidLidEmail1AddressType"};
inline constexpr NamedProperty kPidLidEmail1EmailAddress{kPsetidAddress, 0x8083, "PidLidEmail1EmailAddress"};
inline constexpr NamedProperty kPidLidEmail2DisplayName{kPsetidAddress, 0x8090, "PidLidEmail2DisplayName"};
inline constexpr NamedProperty kPidLidEmail2AddressType{kPsetidAddress, 0x8092, "PidLidEmail2AddressType"};
inline constexpr NamedProperty kPidLidEmail2EmailAddress{kPsetidAddress, 0x8093, "PidLidEmail2EmailAddress"};
inline constexpr NamedProperty kPidLidEmail3DisplayName{kPsetidAddress, 0x80A0, "PidLidEmail3DisplayName"};
inline constexpr NamedProperty kPidLidEmail3AddressType{kPsetidAddress, 0x80A2, "PidLidEmail3AddressType"};
inline constexpr NamedProperty kPidLidEmail3EmailAddress{kPsetidAddress, 0x80A3, "PidLidEmail3EmailAddress"};
inline constexpr NamedProperty kPidLidBirthdayLocal{kPsetidAddress, 0x80DE, "PidLidBirthdayLocal"};
inline constexpr NamedProperty kPidLidWeddingAnniversaryLocal{kPsetidAddress, 0x80DF, "PidLidWeddingAnniversaryLocal"};

inline constexpr NamedProperty kPidLidTaskStatus{kPsetidTask, 0x8101, "PidLidTaskStatus"};
// PtypFloating64: PropertyValue has no floating type, so containers pass its 8 little-endian bytes.
inline constexpr NamedProperty kPidLidPercentComplete{kPsetidTask, 0x8102, "PidLidPercentComplete"};
inline constexpr NamedProperty kPidLidTaskStartDate{kPsetidTask, 0x8104, "PidLidTaskStartDate"};
inline constexpr NamedProperty kPidLidTaskDueDate{kPsetidTask, 0x8105, "PidLidTaskDueDate"};
inline constexpr NamedProperty kPidLidTaskDateCompleted{kPsetidTask, 0x810F, "PidLidTaskDateCompleted"};
inline constexpr NamedProperty kPidLidTaskRecurrence{kPsetidTask, 0x8116, "PidLidTaskRecurrence"};
inline constexpr NamedProperty kPidLidTaskComplete{kPsetidTask, 0x811C, "PidLidTaskComplete"};
inline constexpr NamedProperty kPidLidTaskOwner{kPsetidTask, 0x811F, "PidLidTaskOwner"};
inline constexpr NamedProperty kPidLidTaskFRecurring{kPsetidTask, 0x8126, "PidLidTaskFRecurring"};
inline constexpr NamedProperty kPidLidReminderTime{kPsetidCommon, 0x8502, "PidLidReminderTime"};
inline constexpr NamedProperty kPidLidReminderSignalTime{kPsetidCommon, 0x8560, "PidLidReminderSignalTime"};

// "No date" for task dates: 4501-01-01 as minutes since 1601 ([MS-OXOTASK] 2.2.2.2.4).
inline constexpr std::uint32_t kTaskNoDateMinutes = 0x5AE980E0;

// Rule messages ([MS-OXORULE] 2.2.4.1, 2.2.1.3.1.3) and out-of-office ([MS-OXPROPS]).
inline constexpr TaggedProperty kPidTagRuleMessageState{0x65E9, "PidTagRuleMessageState"};
inline constexpr TaggedProperty kPidTagRuleMessageUserFlags{0x65EA, "PidTagRuleMessageUserFlags"};
inline constexpr TaggedProperty kPidTagRuleMessageProvider{0x65EB, "PidTagRuleMessageProvider"};
inline constexpr TaggedProperty kPidTagRuleMessageName{0x65EC, "PidTagRuleMessageName"};
inline constexpr TaggedProperty kPidTagRuleMessageLevel{0x65ED, "PidTagRuleMessageLevel"};
inline constexpr TaggedProperty kPidTagRuleMessageProviderData{0x65EE, "PidTagRuleMessageProviderData"};
inline constexpr TaggedProperty kPidTagRuleMessageSequence{0x65F3, "PidTagRuleMessageSequence"};
inline constexpr TaggedProperty kPidTagExtendedRuleMessageActions{0x0E99, "PidTagExtendedRuleMessageActions"};
inline constexpr TaggedProperty kPidTagExtendedRuleMessageCondition{0x0E9A, "PidTagExtendedRuleMessageCondition"};
inline constexpr TaggedProperty kPidTagRwRulesStream{0x6802, "PidTagRwRulesStream"};
inline constexpr TaggedProperty kPidTagOutOfOfficeState{0x661D, "PidTagOutOfOfficeState"};
inline constexpr std::uint32_t kRuleStateEnabled = 0x00000001;      // ST_ENABLED
inline constexpr std::uint32_t kRuleStateError = 0x00000002;        // ST_ERROR
inline constexpr std::uint32_t kRuleStateOnlyWhenOof = 0x00000004;  // ST_ONLY_WHEN_OOF
inline constexpr std::uint32_t kRuleStateExitLevel = 0x00000010;    // ST_EXIT_LEVEL: stop after this rule

}  // namespace m2z::readers::mapi
