// Reminders on the command line: `policy set --remind` sets them, `policy`
// shows them, `sweep` prints the reminders it sent (text and JSON) and
// `mine` marks the holdings whose holder was warned. The pool's story is
// written through the library on a ManualClock set in the real clock's past,
// because writing commands (sweep) take the real clock.
#include <gtest/gtest.h>

#include <boost/date_time/posix_time/posix_time.hpp>
#include <highseas/highseas.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "highseas/testing/forwarding_storage.hpp"

namespace highseas::cli {
namespace {

struct Outcome {
  int status = 0;
  std::string out;
  std::string err;
};

class RemindersCliTest : public ::testing::Test {
 protected:
  // ana claimed C1 25 days ago under a 30-day period: its 7-day reminder
  // has come, its 3-day one has not.
  void SetUp() override {
    ClaimPolicy policy;
    policy.default_rule.holding_period = days(30);
    policy.default_rule.reminders = {{days(7), ReminderAudience::holder},
                                     {days(3), ReminderAudience::admins}};
    ASSERT_TRUE(pool.create(boss, policy));
    ASSERT_TRUE(pool.set_member(boss, ana, Role::pool_user));
    ASSERT_TRUE(pool.set_member(boss, lead, Role::pool_admin));
    const std::vector<CustomerProfile> rows{
        {CustomerId("C1"), "Meridian Steel Co., Ltd.", "BR", "A", {}},
        {CustomerId("C2"), "Orchid Foods", "VN", "B", {}}};
    ASSERT_TRUE(pool.import_customers(boss, rows));
    ASSERT_TRUE(pool.claim(ana, CustomerId("C1")));
    ASSERT_TRUE(pool.claim(ana, CustomerId("C2")));
    clock.advance(days(20));
    ASSERT_TRUE(pool.follow_up(ana, CustomerId("C2"), "sent a quote"));
  }

  Outcome run(std::vector<std::string> args) {
    std::ostringstream out;
    std::ostringstream err;
    const Environment environment{
        .out = out,
        .err = err,
        .open_storage = [this](const StorageRequest&) -> std::unique_ptr<Storage> {
          return std::make_unique<testing::ForwardingStorage>(storage);
        }};
    const int status = cli::run(args, environment);
    return {status, out.str(), err.str()};
  }

  MemoryStorage storage;
  ManualClock clock{boost::posix_time::second_clock::universal_time() - days(25)};
  PublicPool pool{PoolId("default"), storage, clock};
  const UserId boss{"boss"};
  const UserId ana{"ana"};
  const UserId lead{"lead"};
};

TEST_F(RemindersCliTest, SweepPrintsTheRemindersItSentAndMineMarksTheWarnedHolding) {
  const Outcome swept = run({"--as", "boss", "--json", "sweep"});
  ASSERT_EQ(swept.status, kExitOk) << swept.err;
  const nlohmann::json report = nlohmann::json::parse(swept.out);
  EXPECT_TRUE(report["returned"].empty());
  ASSERT_EQ(report["reminded"].size(), 2U) << swept.out;
  const nlohmann::json& first = report["reminded"][0];
  EXPECT_EQ(first["customer"], "C1");
  EXPECT_EQ(first["holder"], "ana");
  EXPECT_EQ(first["before"], "7d");
  EXPECT_EQ(first["to"], "holder");
  EXPECT_EQ(first["audience"], nlohmann::json::array({"ana"}));
  EXPECT_GT(first["time_left_seconds"].get<std::int64_t>(), 4 * 86400);
  EXPECT_EQ(report["reminded"][1]["customer"], "C2");

  const Outcome again = run({"--as", "boss", "sweep"});
  ASSERT_EQ(again.status, kExitOk) << again.err;
  EXPECT_NE(again.out.find("sent 0 reminder(s)"), std::string::npos) << again.out;

  const Outcome mine = run({"--as", "ana", "mine"});
  ASSERT_EQ(mine.status, kExitOk) << mine.err;
  EXPECT_NE(mine.out.find("warned"), std::string::npos) << mine.out;
  EXPECT_NE(mine.out.find("1x"), std::string::npos) << mine.out;
  const Outcome history = run({"--as", "boss", "history", "C1"});
  EXPECT_NE(history.out.find("reminded"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("7d:holder"), std::string::npos) << history.out;
}

TEST_F(RemindersCliTest, PolicySetRemindChangesThemAndPolicyShowsThem) {
  const Outcome set = run({"--as", "boss", "policy", "set", "--remind", "10d:holder,2d:boss",
                           "--levels", "A=60d@14d:holder;5bd:admins"});
  ASSERT_EQ(set.status, kExitOk) << set.err;
  const Outcome shown = run({"--as", "boss", "policy"});
  ASSERT_EQ(shown.status, kExitOk) << shown.err;
  EXPECT_NE(shown.out.find("10d:holder, 2d:boss"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("reminders 14d:holder, 5bd:admins"), std::string::npos) << shown.out;
  const Outcome bad = run({"--as", "boss", "policy", "set", "--remind", "10d:everyone"});
  EXPECT_NE(bad.status, kExitOk);
  EXPECT_NE(bad.err.find("--remind must look like"), std::string::npos) << bad.err;
  const Outcome too_long = run({"--as", "boss", "policy", "set", "--remind", "30d:holder"});
  EXPECT_NE(too_long.status, kExitOk);
  EXPECT_NE(too_long.err.find("shorter than the holding period"), std::string::npos)
      << too_long.err;
  const Outcome none = run({"--as", "boss", "--json", "policy", "set", "--remind", "none"});
  ASSERT_EQ(none.status, kExitOk) << none.err;
  const Outcome json = run({"--as", "boss", "--json", "policy"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["policy"]["reminders"], "") << json.out;
}

}  // namespace
}  // namespace highseas::cli
