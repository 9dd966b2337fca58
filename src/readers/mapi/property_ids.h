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

}  // namespace m2z::readers::mapi
