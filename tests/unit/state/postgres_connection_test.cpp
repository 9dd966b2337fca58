// What only PostgreSQL has: passwords in URLs, and TLS verified by default off this machine.
#include <gtest/gtest.h>

#include <string>

#include "state/state_store.h"
#include "store_locations.h"

namespace m2z::state {
namespace {

using testing::Backend;
using testing::StoreLocation;

TEST(PostgresConnection, AWrongPasswordIsNeverShown) {
  StoreLocation location(Backend::kPostgres);
  ASSERT_TRUE(location.error().empty()) << location.error();
  const std::string wrong = "Wr0ng-S3cret";
  // "%21" is '!', percent-encoded as a URL needs: neither form may show.
  const std::string url = "postgresql://m2z:" + wrong + "%21@127.0.0.1:" + std::to_string(location.server()->port()) +
                          "/" + location.database();
  auto store = openStateStore(url);
  ASSERT_FALSE(store.ok());
  const std::string text = store.error().describe();
  EXPECT_EQ(store.error().code, "state.open");
  EXPECT_EQ(text.find(wrong), std::string::npos) << text;
  EXPECT_NE(text.find("m2z:***@127.0.0.1"), std::string::npos) << text;
  EXPECT_NE(text.find("password authentication failed"), std::string::npos) << text;

  // And the right one, once connected, shows in no message either.
  auto good = openStateStore(location.location());
  ASSERT_TRUE(good.ok()) << good.error().describe();
  Status unknown = good.value()->holdAccount("nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().describe().find(location.server()->password()), std::string::npos)
      << unknown.error().describe();
}

TEST(PostgresConnection, ARemoteServerMustProveItselfOverTls) {
  StoreLocation location(Backend::kPostgres);
  ASSERT_TRUE(location.error().empty()) << location.error();
  // A host name that is not this machine (hostaddr still reaches the test server, which has no
  // TLS): the default sslmode=verify-full refuses to talk in clear.
  const std::string remote = "postgresql://m2z:" + location.server()->password() + "@db.example.test:" +
                             std::to_string(location.server()->port()) + "/" + location.database() +
                             "?hostaddr=127.0.0.1";
  auto refused = openStateStore(remote);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "state.open");
  EXPECT_NE(refused.error().message.find("SSL"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().describe().find(location.server()->password()), std::string::npos);

  // Said explicitly in the URL, clear text is the operator's choice.
  auto allowed = openStateStore(remote + "&sslmode=disable");
  EXPECT_TRUE(allowed.ok()) << allowed.error().describe();
}

}  // namespace
}  // namespace m2z::state
