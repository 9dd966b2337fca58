// Every recurring-series body the builder makes validates against Zimbra's generated schemas in
// ../shared/zimbra-schemas as they are (zcs8-2014a is the reference build; the other two builds
// are checked as well), and the schema does judge the parts a series adds.
#include <gtest/gtest.h>

#include <memory>

#include "recurrence_fixtures.h"
#include "xml/xml.h"
#include "zimbra/requests.h"

namespace m2z::zimbra {
namespace {

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

std::vector<std::pair<std::string, model::Appointment>> series() {
  std::vector<std::pair<std::string, model::Appointment>> cases;
  cases.emplace_back("weekly with exceptions and a cancel", testing::weeklySeries());
  cases.emplace_back("all-day daily until a date", testing::allDayDailySeries());
  model::Appointment counted = testing::weeklySeries();
  counted.recurrence->end = model::RecurrenceEnd::kAfterCount;
  counted.recurrence->count = 12;
  counted.recurrence->interval = 2;
  counted.recurrence->first_day_of_week = model::Weekday::kMonday;
  cases.emplace_back("every 2 weeks, 12 times", counted);
  model::Appointment last_weekday = testing::weeklySeries();
  last_weekday.recurrence->pattern = model::RecurrencePattern::kMonthlyNth;
  last_weekday.recurrence->week_of_month = -1;
  last_weekday.recurrence->weekdays = {model::Weekday::kMonday, model::Weekday::kFriday};
  last_weekday.recurrence->end = model::RecurrenceEnd::kByDate;
  last_weekday.recurrence->resolved->until = "20161227T160000Z";
  cases.emplace_back("monthly nth with bysetpos, until", last_weekday);
  model::Appointment yearly = testing::weeklySeries();
  yearly.recurrence->pattern = model::RecurrencePattern::kYearlyByDay;
  yearly.recurrence->day_of_month = 2;
  yearly.recurrence->month = 8;
  cases.emplace_back("yearly by day", yearly);
  model::Appointment mixed = testing::allDayDailySeries();
  mixed.recurrence->exceptions[0].all_day = false;
  mixed.recurrence->exceptions[0].resolved->all_day = false;
  mixed.recurrence->exceptions[0].resolved->start_local = testing::wall(2022, 12, 3, 10, 0);
  mixed.recurrence->exceptions[0].resolved->end_local = testing::wall(2022, 12, 3, 11, 0);
  cases.emplace_back("timed exception of an all-day series", mixed);
  return cases;
}

class BuiltSeries : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string dir = std::string(M2Z_SHARED_DIR) + "/zimbra-schemas/" + GetParam();
    auto loaded = xml::SchemaValidator::load({dir + "/zimbra.xsd", dir + "/zimbraMail.xsd", dir + "/zimbraAdmin.xsd"});
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    validator_ = std::move(loaded).value();
  }
  std::unique_ptr<xml::SchemaValidator> validator_;
};

TEST_P(BuiltSeries, SetAppointmentRequestsForSeriesValidate) {
  for (const auto& [what, appointment] : series()) {
    auto body = buildSetAppointmentRequest(appointment, "257", "alice@example.com");
    ASSERT_TRUE(body.ok()) << what << ": " << body.error().describe();
    const auto problems = validator_->validate(*body, what);
    EXPECT_TRUE(problems.empty()) << what << " against " << GetParam() << ":\n" << joined(problems) << *body;
  }
}

TEST_P(BuiltSeries, TheSchemaJudgesTheSeriesParts) {
  const std::string valid = *buildSetAppointmentRequest(testing::weeklySeries(), "257");
  ASSERT_TRUE(validator_->validate(valid, "unchanged").empty());
  const auto swapped = [&](const std::string& first, const std::string& second) {
    std::string text = valid;
    const auto a = text.find(first);
    const auto b = text.find(second, a);
    EXPECT_NE(a, std::string::npos) << first;
    EXPECT_NE(b, std::string::npos) << second;
    if (a == std::string::npos || b == std::string::npos) return text;
    text.replace(b, second.size(), first);
    text.replace(a, first.size(), second);
    return text;
  };
  // simpleRepeatingRule puts interval before byday; setAppointmentRequest puts <except> before
  // <cancel>; inviteComponent puts exceptId before s.
  EXPECT_FALSE(validator_->validate(swapped("<interval ival=\"1\"/>", "<wkst day=\"SU\"/>"), "wkst first").empty());
  EXPECT_FALSE(validator_->validate(swapped("<exceptId d=\"20160823T080000\" tz=\"America/Los_Angeles\"/>",
                                            "<s d=\"20160823T090000\" tz=\"America/Los_Angeles\"/>"),
                                    "s before exceptId")
                   .empty());
  std::string cancel_first = valid;
  const auto except_at = cancel_first.find("  <except ");
  const auto cancel_at = cancel_first.find("  <cancel>");
  const auto cancel_end = cancel_first.find("</cancel>\n") + 10;
  const std::string cancel = cancel_first.substr(cancel_at, cancel_end - cancel_at);
  cancel_first.erase(cancel_at, cancel_end - cancel_at);
  cancel_first.insert(except_at, cancel);
  EXPECT_FALSE(validator_->validate(cancel_first, "cancel before except").empty());
  // ival is an xs:int.
  std::string text = valid;
  text.replace(text.find("ival=\"1\""), 8, "ival=\"one\"");
  EXPECT_FALSE(validator_->validate(text, "ival text").empty());
}

INSTANTIATE_TEST_SUITE_P(Builds, BuiltSeries, ::testing::Values("zcs8-2014a", "zcs8-2014b", "carbonio-2023"));

}  // namespace
}  // namespace m2z::zimbra
