// Store locations, password redaction, text checks and the errors of opening a store.
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "state/location.h"
#include "state/state_store.h"
#include "state/text.h"

namespace m2z::state {
namespace {

class TempFolder {
 public:
  TempFolder() {
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("m2z_state_location_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
             "_" + std::to_string(::getpid()));  // concurrent runs must not share it
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

TEST(RedactLocation, HidesThePasswordOfAPostgresUrl) {
  EXPECT_EQ(redactLocation("postgresql://m2z:s3cret@db.example.com:5432/state"),
            "postgresql://m2z:***@db.example.com:5432/state");
  EXPECT_EQ(redactLocation("postgres://m2z:p%40ss@db.example.com/state?sslmode=verify-full"),
            "postgres://m2z:***@db.example.com/state?sslmode=verify-full");
  // libpq also takes the password as a parameter.
  EXPECT_EQ(redactLocation("postgresql://db.example.com/state?user=m2z&password=s3cret&sslmode=require"),
            "postgresql://db.example.com/state?user=m2z&password=***&sslmode=require");
  // An '@' inside the password: the user info ends at the last '@' before the host.
  EXPECT_EQ(redactLocation("postgresql://m2z:a@b@db.example.com/state"), "postgresql://m2z:***@db.example.com/state");
}

TEST(RedactLocation, LeavesWhatHasNoPasswordAlone) {
  EXPECT_EQ(redactLocation("postgresql://m2z@db.example.com/state"), "postgresql://m2z@db.example.com/state");
  EXPECT_EQ(redactLocation("/srv/migration/state.sqlite"), "/srv/migration/state.sqlite");
  EXPECT_EQ(redactLocation("sqlite:/srv/m:igration@x/state.sqlite"), "sqlite:/srv/m:igration@x/state.sqlite");
}

TEST(ScrubSecrets, RemovesRawAndDecodedPasswords) {
  const auto secrets = detail::passwordsIn("postgresql://m2z:p%40ss@db/state?password=other");
  const std::string scrubbed =
      detail::scrubSecrets("auth failed for p%40ss, p@ss and other; user m2z", secrets);
  EXPECT_EQ(scrubbed, "auth failed for ***, *** and ***; user m2z");
}

TEST(ParseLocation, ToldApartByPrefix) {
  auto url = detail::parseLocation("postgresql://m2z:pw@db/state");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->backend, detail::Backend::kPostgres);
  EXPECT_EQ(url->display, "postgresql://m2z:***@db/state");
  auto prefixed = detail::parseLocation("sqlite:/srv/state.sqlite");
  ASSERT_TRUE(prefixed.ok());
  EXPECT_EQ(prefixed->backend, detail::Backend::kSqlite);
  EXPECT_EQ(prefixed->target, "/srv/state.sqlite");
  auto path = detail::parseLocation("relative/state.sqlite");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->backend, detail::Backend::kSqlite);
  EXPECT_EQ(path->target, "relative/state.sqlite");

  auto other = openStateStore("mysql://root:hunter2@db/state");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, "state.location");
  EXPECT_EQ(other.error().describe().find("hunter2"), std::string::npos) << other.error().describe();
  auto empty = openStateStore("sqlite:");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "state.location");
}

TEST(StorableText, AcceptsUtf8AndRefusesTheRest) {
  EXPECT_TRUE(detail::isStorableText("plain"));
  EXPECT_TRUE(detail::isStorableText("\xE2\x82\xAC"));          // U+20AC
  EXPECT_TRUE(detail::isStorableText("\xF0\x9D\x84\x9E"));      // U+1D11E
  EXPECT_FALSE(detail::isStorableText(std::string("a\0b", 3)));  // NUL
  EXPECT_FALSE(detail::isStorableText("\xC0\x80"));             // overlong NUL
  EXPECT_FALSE(detail::isStorableText("\xED\xA0\x80"));         // surrogate U+D800
  EXPECT_FALSE(detail::isStorableText("\xF4\x90\x80\x80"));     // U+110000
  EXPECT_FALSE(detail::isStorableText("\xE2\x82"));             // cut short
  EXPECT_EQ(detail::toStorableText("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(detail::printable("a\xFF\\"), "a\\xFF\\x5C");
}

TEST(OpenStateStore, SqliteErrorsNameTheFile) {
  TempFolder folder;
  const std::string missing_dir = (folder / "no/such/dir/state.sqlite").string();
  auto nowhere = openStateStore(missing_dir);
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().code, "state.open");
  EXPECT_EQ(nowhere.error().context, missing_dir);

  const std::string text_file = (folder / "notes.txt").string();
  std::ofstream(text_file) << "this is not an SQLite database, but long enough to have a header page of its own.\n"
                           << std::string(200, 'x');
  auto not_a_store = openStateStore(text_file);
  ASSERT_FALSE(not_a_store.ok());
  EXPECT_EQ(not_a_store.error().code, "state.open");
  EXPECT_EQ(not_a_store.error().context, text_file);
}

TEST(OpenStateStore, DefaultLocationIsOneFilePerProject) {
  EXPECT_EQ(defaultStateLocation("/srv/projects/acme"), "/srv/projects/acme/mapi2zimbra-state.sqlite");
  TempFolder folder;
  auto store = openStateStore(defaultStateLocation(folder / "."));
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_TRUE(std::filesystem::exists(folder / "mapi2zimbra-state.sqlite"));
}

TEST(SourceFileIdentity, IsNameSizeAndModificationTime) {
  TempFolder folder;
  const auto path = folder / "alice.pst";
  std::ofstream(path) << "12345";
  // 1700000000 s after the epoch is 2023-11-14T22:13:20Z.
  std::filesystem::last_write_time(
      path, std::chrono::file_clock::from_sys(std::chrono::sys_seconds(std::chrono::seconds(1'700'000'000))));
  auto identity = sourceFileIdentity(path);
  ASSERT_TRUE(identity.ok()) << identity.error().describe();
  EXPECT_EQ(identity.value(), "alice.pst:5:1700000000");

  auto missing = sourceFileIdentity(folder / "gone.pst");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().context, (folder / "gone.pst").string());
}

TEST(StatusNames, RoundTrip) {
  for (AccountStatus status : {AccountStatus::kPlanned, AccountStatus::kQueued, AccountStatus::kReading,
                               AccountStatus::kWriting, AccountStatus::kVerifying, AccountStatus::kDone,
                               AccountStatus::kFailed, AccountStatus::kPaused}) {
    EXPECT_EQ(parseAccountStatus(toString(status)), status);
  }
  for (ItemOutcome outcome : {ItemOutcome::kPending, ItemOutcome::kCreated, ItemOutcome::kAlreadyPresent,
                              ItemOutcome::kSkipped, ItemOutcome::kFailed}) {
    EXPECT_EQ(parseItemOutcome(toString(outcome)), outcome);
  }
  EXPECT_FALSE(parseAccountStatus("running").has_value());
  EXPECT_STREQ(toString(ItemOutcome::kAlreadyPresent), "already_present");
}

}  // namespace
}  // namespace m2z::state
