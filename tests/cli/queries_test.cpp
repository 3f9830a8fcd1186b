// The read-only commands as a boss and a rep use them: report, history and
// list over a pool whose story is written through the library on a
// ManualClock (writing commands take the real clock, so the CLI only reads
// here, "as of" a time with --now).
#include <gtest/gtest.h>

#include <highseas/highseas.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "format.hpp"
#include "highseas/testing/forwarding_storage.hpp"

namespace highseas::cli {
namespace {

// Lends one storage to every command without giving away ownership, as a
// database file outlives them.
using LentStorage = testing::ForwardingStorage;

struct Outcome {
  int status = 0;
  std::string out;
  std::string err;
};

class QueriesTest : public ::testing::Test {
 protected:
  // li takes C1 and loses it to the deadline (day 10; the sweep writes it on
  // day 11); ana takes it next and holds it.
  // C2 and C3 wait in the pool from day 0; C4 comes in on day 20.
  void SetUp() override {
    ClaimPolicy policy;
    policy.default_rule.holding_period = days(10);
    policy.reclaim_cooldown = days(5);
    ASSERT_TRUE(pool.create(boss, policy));
    ASSERT_TRUE(pool.set_member(boss, li, Role::pool_user));
    ASSERT_TRUE(pool.set_member(boss, ana, Role::pool_user));
    const std::vector<CustomerProfile> first{
        {CustomerId("C1"), "Meridian Steel Co., Ltd.", "BR", "A", {}},
        {CustomerId("C2"), "ACME Trading", "DE", "B", {"fair"}},
        {CustomerId("C3"), "Orchid Foods", "VN", "C", {}}};
    ASSERT_TRUE(pool.import_customers(boss, first));
    ASSERT_TRUE(pool.claim(li, CustomerId("C1")));
    clock.advance(days(11));
    ASSERT_TRUE(pool.sweep());
    ASSERT_TRUE(pool.claim(ana, CustomerId("C1")));
    clock.advance(days(9));
    const std::vector<CustomerProfile> later{
        {CustomerId("C4"), "Acme-Trading GmbH (Berlin)", "DE", "A", {}}};
    ASSERT_TRUE(pool.import_customers(boss, later));
  }

  // Runs a read-only command line "as of" `at`.
  Outcome run(std::vector<std::string> args, Time at) {
    std::ostringstream out;
    std::ostringstream err;
    const Environment environment{
        .out = out,
        .err = err,
        .open_storage = [this](const StorageRequest&) -> std::unique_ptr<Storage> {
          return std::make_unique<LentStorage>(storage);
        }};
    args.insert(args.begin(), {"--now", to_iso8601(at)});
    const int status = cli::run(args, environment);
    return {status, out.str(), err.str()};
  }

  MemoryStorage storage;
  ManualClock clock{utc(2026, 3, 2)};  // midnight: 10 days end exactly 10 days later
  PublicPool pool{PoolId("default"), storage, clock};
  const UserId boss{"boss"};
  const UserId li{"li"};
  const UserId ana{"ana"};
};

TEST(TimeTextTest, ShowsLocalTimeWithItsOffsetEastAndWestAndUtcWithZ) {
  const Time at = utc(2025, 7, 1, 12, 30);
  show_times_in(TimeZone::named("America/Sao_Paulo"));
  EXPECT_EQ(time_text(at), "2025-07-01T09:30:00-03:00");
  show_times_in(TimeZone::named("Asia/Kolkata"));
  EXPECT_EQ(time_text(at), "2025-07-01T18:00:00+05:30");
  show_times_in(TimeZone::named("Europe/Berlin"));
  EXPECT_EQ(time_text(at), "2025-07-01T14:30:00+02:00");
  EXPECT_EQ(time_text(utc(2025, 1, 1, 12)), "2025-01-01T13:00:00+01:00");
  show_times_in(std::nullopt);
  EXPECT_EQ(time_text(at), "2025-07-01T12:30:00Z");
}

TEST_F(QueriesTest, ReportShowsTheNextDeadlineAsATime) {
  const Outcome report = run({"--as", "boss", "report"}, clock.now());
  ASSERT_EQ(report.status, kExitOk) << report.err;
  // ana claimed C1 on day 11 for 10 days.
  const std::size_t ana_row = report.out.find("\nana ");
  ASSERT_NE(ana_row, std::string::npos) << report.out;
  const std::string row =
      report.out.substr(ana_row + 1, report.out.find('\n', ana_row + 1) - ana_row - 1);
  EXPECT_TRUE(row.ends_with("  2026-03-23T00:00:00Z")) << row;
  EXPECT_EQ(report.out.find(" left"), std::string::npos) << report.out;
}

TEST_F(QueriesTest, ShowOnAPausedPoolGivesNoDeadlineThatHasPassed) {
  ASSERT_TRUE(pool.set_enabled(boss, false));
  // Paused past ana's deadline (day 21): the countdown stands still, so the
  // stored deadline is no longer when C1 returns.
  const Outcome show = run({"--as", "boss", "show", "C1"}, clock.now() + days(30));
  ASSERT_EQ(show.status, kExitOk) << show.err;
  EXPECT_NE(show.out.find("paused: moves when the pool is switched on"), std::string::npos)
      << show.out;
  EXPECT_EQ(show.out.find("2026-03-23T00:00:00Z"), std::string::npos) << show.out;
}

TEST_F(QueriesTest, ReportCountsCustomersUnclaimedForThirtyDays) {
  const Outcome early = run({"--as", "boss", "report"}, clock.now());
  EXPECT_NE(early.out.find("unclaimed for 30d or more: 0"), std::string::npos) << early.out;
  // Day 31: C2 and C3 have waited since day 0; C4 since day 20; C1 is held.
  const Outcome later = run({"--as", "boss", "report"}, utc(2026, 4, 2, 9));
  ASSERT_EQ(later.status, kExitOk) << later.err;
  EXPECT_NE(later.out.find("unclaimed for 30d or more: 2"), std::string::npos) << later.out;
  EXPECT_NE(later.out.find("C2  ACME Trading"), std::string::npos) << later.out;
  EXPECT_EQ(later.out.find("C4 "), std::string::npos) << later.out;
  const Outcome json =
      run({"--as", "boss", "report", "--idle", "10d", "--json"}, utc(2026, 4, 2, 9));
  const nlohmann::json document = nlohmann::json::parse(json.out);
  // C1 too: ana's holding ran out on day 21, so it has waited 10 days, swept or not.
  EXPECT_EQ(document["idle"]["count"], 4);
  EXPECT_EQ(document["idle"]["oldest"][0]["id"], "C2");
}

// Returns the line of `text` that starts with `start`, or "".
std::string line_starting(const std::string& text, const std::string& start) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(start)) return line;
  }
  return "";
}

TEST_F(QueriesTest, ReportShowsEachRepsResultsAndSecondChances) {
  // Day 20: ana wins C1, 9 days after she claimed it and li lost it.
  ASSERT_TRUE(pool.record_win(ana, CustomerId("C1"), WinKind::contract_signed));
  const Outcome report = run({"--as", "boss", "report"}, clock.now());
  ASSERT_EQ(report.status, kExitOk) << report.err;
  const std::size_t results = report.out.find("results since the pool began");
  ASSERT_NE(results, std::string::npos) << report.out;
  const std::string after = report.out.substr(results);
  EXPECT_EQ(line_starting(after, "ana "),
            "ana  1        0         1 (1/0)                 0         0         100%      9.0")
      << report.out;
  EXPECT_EQ(line_starting(after, "li "),
            "li   1        0         0 (0/0)                 1         0         0%")
      << report.out;
  EXPECT_NE(report.out.find("second chances (won by a rep after another rep's holding came back "
                            "to the pool): 1"),
            std::string::npos)
      << report.out;
  EXPECT_TRUE(
      line_starting(after, "C1 ").starts_with("C1        li       2026-03-12T00:00:00Z  ana"))
      << report.out;

  const Outcome json = run({"--as", "boss", "report", "--json", "--since", "5d"}, clock.now());
  ASSERT_EQ(json.status, kExitOk) << json.err;
  const nlohmann::json activity = nlohmann::json::parse(json.out)["activity"];
  // The last 5 days hold only ana's win; li lost C1 before them.
  ASSERT_EQ(activity["members"].size(), 1U) << activity;
  EXPECT_EQ(activity["members"][0]["user"], "ana");
  EXPECT_EQ(activity["members"][0]["claimed"], 0);
  EXPECT_EQ(activity["members"][0]["won_contract"], 1);
  EXPECT_EQ(activity["members"][0]["median_days_to_win"], 9.0);
  EXPECT_EQ(activity["second_chances"], 1);
  EXPECT_EQ(activity["recent_second_chances"][0]["lost_by"], "li");

  const Outcome bad = run({"--as", "boss", "report", "--since", "last week"}, clock.now());
  EXPECT_EQ(bad.status, kExitUsage);
  EXPECT_NE(bad.err.find("--since"), std::string::npos) << bad.err;
}

TEST_F(QueriesTest, HistoryNamesWhoLostAReturnedCustomer) {
  const Outcome history = run({"--as", "boss", "history", "C1"}, clock.now());
  ASSERT_EQ(history.status, kExitOk) << history.err;
  std::istringstream lines(history.out);
  std::string returned;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("returned") != std::string::npos) returned = line;
  }
  EXPECT_NE(returned.find("(system)"), std::string::npos) << history.out;
  EXPECT_NE(returned.find("li"), std::string::npos) << "a returned row names its last holder:\n"
                                                    << history.out;
  EXPECT_NE(history.out.find("from"), std::string::npos) << history.out;
}

TEST_F(QueriesTest, ListByNameIgnoresCaseSpacesAndPunctuation) {
  const Outcome found = run({"--as", "li", "list", "--name", "acme trading"}, clock.now());
  ASSERT_EQ(found.status, kExitOk) << found.err;
  EXPECT_NE(found.out.find("C2 "), std::string::npos) << found.out;
  EXPECT_NE(found.out.find("C4 "), std::string::npos) << found.out;
  EXPECT_EQ(found.out.find("C3 "), std::string::npos) << found.out;
  const Outcome paged =
      run({"--as", "li", "list", "--name", "ACME-TRADING", "--limit", "1"}, clock.now());
  EXPECT_NE(paged.out.find("C2 "), std::string::npos) << paged.out;
  EXPECT_NE(paged.out.find("more: --after C2"), std::string::npos) << paged.out;
  const Outcome none = run({"--as", "li", "list", "--name", "nobody"}, clock.now());
  EXPECT_EQ(none.status, kExitOk);
  EXPECT_NE(none.out.find("no available customer's name contains 'nobody'"), std::string::npos)
      << none.out;
  EXPECT_EQ(run({"--as", "li", "list", "--name", "--"}, clock.now()).status, kExitUsage);
}

TEST_F(QueriesTest, ListShowsOnlyColumnsAvailableCustomersHave) {
  const Outcome list = run({"--as", "li", "list"}, clock.now());
  ASSERT_EQ(list.status, kExitOk) << list.err;
  const std::string header = list.out.substr(0, list.out.find('\n'));
  EXPECT_EQ(header.find("holder"), std::string::npos) << header;
  EXPECT_EQ(header.find("time left"), std::string::npos) << header;
  EXPECT_EQ(header.find("state"), std::string::npos) << header;
  EXPECT_NE(header.find("tags"), std::string::npos) << header;
  EXPECT_NE(list.out.find("fair"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace highseas::cli
