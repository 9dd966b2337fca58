// Mailbox shapes per RFC 5321 4.1.2 (Mailbox = Local-part "@" ( Domain / address-literal )),
// RFC 5322 3.2.3 (atext, dot-atom), RFC 5321 4.5.3.1 (64-octet local part, 255-octet domain,
// 256-octet path incl. brackets), RFC 1035 2.3.4 (63-octet labels) and RFC 6531 3.3 (UTF-8).
#include "normalize/check_addresses.h"

#include <gtest/gtest.h>

namespace m2z::normalize {
namespace {

TEST(MailboxProblem, ValidShapes) {
  for (const char* address : {"alice@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie",
                              "\"john doe\"@example.com", "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]",
                              "a@b", "x_y-z@ex-ample.org",
                              "\xE7\x94\xA8\xE6\x88\xB7@\xE4\xBE\x8B\xE5\xAD\x90.\xE5\xB9\xBF\xE5\x91\x8A"}) {
    EXPECT_EQ(mailboxProblem(address), std::nullopt) << address;
  }
  // The limits themselves: 64-octet local part, 63-octet label.
  EXPECT_EQ(mailboxProblem(std::string(64, 'l') + "@example.com"), std::nullopt);
  EXPECT_EQ(mailboxProblem("l@" + std::string(63, 'd') + ".com"), std::nullopt);
}

TEST(MailboxProblem, InvalidShapes) {
  for (const std::string& address : std::vector<std::string>{"alice@", "@example.com", "alice@@example.com", "alice@exa mple.com", "al ice@example.com",
        "alice..bob@example.com", ".alice@example.com", "alice.@example.com", "alice@-example.com",
        "alice@example-.com", "alice@example..com", "alice@example.com.", "alice@[192.0.2.1",
        "alice(comment)@example.com", std::string(65, 'l') + "@example.com",
        "l@" + std::string(64, 'd') + ".com", "l@" + std::string(250, 'd') + ".com"}) {
    EXPECT_NE(mailboxProblem(address), std::nullopt) << address;
  }
}

model::Appointment meeting() {
  model::Appointment item;
  item.provenance = {"mailbox.pst", "/Calendar", "1"};
  item.organizer = model::Person{"Organizer", "<boss@example.com>", "SMTP"};
  item.attendees.push_back({model::Person{"Bob", "mailto:Bob@Example.com", "SMTP"}});
  item.attendees.push_back({model::Person{"Carol", "'carol@example.com'", "SMTP"}});
  item.attendees.push_back({model::Person{"Dave", "dave@example..com", "SMTP"}});
  item.attendees.push_back({model::Person{"Eve", "/o=Org/ou=Site/cn=Recipients/cn=eve", "EX"}});
  item.attendees.push_back({model::Person{"Frank", "frank@example.com", "SMTP"}});
  return item;
}

TEST(CheckAddresses, RepairsWrappedAddressesAndDropsInvalidOnes) {
  auto item = meeting();
  std::vector<model::Finding> findings;
  checkAddresses(item, findings);
  EXPECT_EQ(item.organizer->email, "boss@example.com");
  EXPECT_EQ(item.attendees[0].person.email, "Bob@Example.com");
  EXPECT_EQ(item.attendees[1].person.email, "carol@example.com");
  EXPECT_EQ(item.attendees[2].person.email, "");  // not carried over
  EXPECT_EQ(item.attendees[2].person.display_name, "Dave");
  EXPECT_EQ(item.attendees[3].person.email, "/o=Org/ou=Site/cn=Recipients/cn=eve");  // checkPeople's case
  EXPECT_EQ(item.attendees[4].person.email, "frank@example.com");
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].kind, "person.email_repaired");
  EXPECT_EQ(findings[0].field, "organizer");
  EXPECT_EQ(findings[1].kind, "person.email_repaired");
  EXPECT_EQ(findings[2].kind, "person.email_repaired");
  EXPECT_EQ(findings[3].kind, "person.invalid_email");
  EXPECT_EQ(findings[3].before, "Dave <dave@example..com>");
}

}  // namespace
}  // namespace m2z::normalize
