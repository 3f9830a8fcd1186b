// Deadlines in a team's days through PublicPool (issue 17): a pool in
// Asia/Shanghai on the shipped 2025 Chinese calendar gives the deadlines a
// Chinese sales team counts by hand; calendar days end at local midnight;
// a calendar change treats running holdings as the boss chooses.
#include <gtest/gtest.h>

#include <highseas/calendar/calendar_files.hpp>
#include <highseas/highseas.hpp>
#include <highseas/testing/matchers.hpp>
#include <string>
#include <vector>

namespace highseas {
namespace {

using boost::gregorian::date;

// A local time in Shanghai (UTC+8 all year).
Time shanghai(int year, int month, int day, int hour = 0, int minute = 0) {
  return utc(year, month, day, hour, minute) - hours(8);
}

// The shipped calendars (examples/calendars/cn), 2024 to 2026.
WorkCalendar chinese_calendars() {
  const std::string folder = HIGHSEAS_CN_CALENDARS;
  auto calendar = calendar::read_calendar_files(
      {folder + "/2024.json", folder + "/2025.json", folder + "/2026.json"});
  EXPECT_HIGHSEAS_OK(calendar);
  return calendar.value();
}

// 2025 as it looked before the State Council's notice: weekends only.
WorkCalendar weekends_of_2025() {
  WorkCalendar calendar;
  EXPECT_HIGHSEAS_OK(calendar.add_year(2025));
  return calendar;
}

// 2025's holidays only: a pool in December, before it imported 2026.
WorkCalendar chinese_2025() {
  auto calendar =
      calendar::read_calendar_files({std::string(HIGHSEAS_CN_CALENDARS) + "/2025.json"});
  EXPECT_HIGHSEAS_OK(calendar);
  return calendar.value();
}

class BusinessDaysPoolTest : public ::testing::Test {
 protected:
  // A Shanghai pool holding for 30 calendar days, six customers, one rep.
  void SetUp() override {
    ClaimPolicy policy;
    policy.time_zone = "Asia/Shanghai";
    policy.max_extensions = 1;
    ASSERT_HIGHSEAS_OK(pool.create(boss, policy));
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, li, Role::pool_user));
    std::vector<CustomerProfile> customers;
    for (int n = 1; n <= 6; ++n) {
      customers.push_back(
          {CustomerId("C" + std::to_string(n)), "宁波外贸公司" + std::to_string(n), "CN", "", {}});
    }
    ASSERT_HIGHSEAS_OK(pool.import_customers(boss, customers));
  }

  // Sets the Chinese calendars and "10 working days" (with `idle`), and
  // protections of at most 5 working days.
  void count_business_days(std::optional<Span> idle = std::nullopt) {
    ASSERT_HIGHSEAS_OK(pool.set_calendar(boss, chinese_calendars()));
    PolicyPatch patch;
    patch.holding_period = Span::business_days(10);
    patch.idle_limit = idle;
    patch.protection = ProtectionRule{2, Span::business_days(5)};
    ASSERT_HIGHSEAS_OK(pool.update_policy(boss, patch));
  }

  Time claim_at(Time at, const char* customer) {
    clock.set(at);
    auto claimed = pool.claim(li, CustomerId(customer));
    EXPECT_HIGHSEAS_OK(claimed);
    return claimed.ok() ? claimed->deadline : Time();
  }

  ManualClock clock{shanghai(2025, 1, 10, 9)};
  MemoryStorage storage;
  PublicPool pool{PoolId("ningbo"), storage, clock};
  const UserId boss{"wang.boss"};
  const UserId li{"li.na"};
};

TEST_F(BusinessDaysPoolTest, TenWorkingDaysAreTheDaysAChineseSalesTeamCountsByHand) {
  count_business_days();
  // Friday 24 January 10:00: Sun 26 (调休), Mon 27, then 春节 28 Jan - 4 Feb,
  // Wed 5, Thu 6, Fri 7, Sat 8 (调休), Mon 10 .. Thu 13: due when Thursday
  // 13 February ends, midnight in Shanghai.
  EXPECT_EQ(claim_at(shanghai(2025, 1, 24, 10), "C1"), shanghai(2025, 2, 14));
  // Saturday 1 March: counting starts on Monday 3; the 10th is Friday 14.
  EXPECT_EQ(claim_at(shanghai(2025, 3, 1, 15), "C2"), shanghai(2025, 3, 15));
  // Monday 3 March at 00:30 and at 23:59 are the same day 0: both end with Monday 17.
  EXPECT_EQ(claim_at(shanghai(2025, 3, 3, 0, 30), "C3"), shanghai(2025, 3, 18));
  EXPECT_EQ(claim_at(shanghai(2025, 3, 3, 23, 59), "C4"), shanghai(2025, 3, 18));
  // National Day: Fri 26 Sep: Sun 28 (调休), Mon 29, Tue 30, 1-8 Oct off,
  // Thu 9, Fri 10, Sat 11 (调休), Mon 13 .. Thu 16.
  EXPECT_EQ(claim_at(shanghai(2025, 9, 26, 9), "C5"), shanghai(2025, 10, 17));
}

TEST_F(BusinessDaysPoolTest, ExplainNamesTheSkippedDaysAndTheLocalDeadline) {
  count_business_days();
  claim_at(shanghai(2025, 1, 24, 10), "C1");
  auto why = pool.explain(li, CustomerId("C1"));
  ASSERT_HIGHSEAS_OK(why);
  EXPECT_EQ(why->time_zone, "Asia/Shanghai");
  EXPECT_EQ(why->local_deadline, "2025-02-14 00:00:00 +08:00");
  ASSERT_FALSE(why->clocks.empty());
  const HoldingClock& period = why->clocks.front();
  EXPECT_EQ(period.clock, DeadlineReason::period);
  std::vector<SkippedDay> expected{{date(2025, 1, 25), "Saturday"}};
  for (int day = 28; day <= 31; ++day) expected.push_back({date(2025, 1, day), "春节"});
  for (int day = 1; day <= 4; ++day) expected.push_back({date(2025, 2, day), "春节"});
  expected.push_back({date(2025, 2, 9), "Sunday"});
  EXPECT_EQ(period.skipped, expected);
  EXPECT_EQ(period.unknown_year, std::nullopt);
}

TEST_F(BusinessDaysPoolTest, FollowUpsExtensionsAndProtectionsCountTheSameDays) {
  count_business_days(Span::business_days(3));
  // Idle 3 working days from Friday 24 January: Sun 26, Mon 27, Wed 5 Feb.
  EXPECT_EQ(claim_at(shanghai(2025, 1, 24, 10), "C1"), shanghai(2025, 2, 6));
  // A follow-up on Wednesday 5 February 18:00: Thu 6, Fri 7, Sat 8 (调休).
  clock.set(shanghai(2025, 2, 5, 18));
  ASSERT_HIGHSEAS_OK(pool.follow_up(li, CustomerId("C1"), "寄样品"));
  EXPECT_EQ(pool.customer(li, CustomerId("C1"))->deadline, shanghai(2025, 2, 9));
  // An extension (15 calendar days) moves the period's end, 14 February's
  // midnight, to 1 March's.
  auto extended = pool.extend(boss, CustomerId("C1"));
  ASSERT_HIGHSEAS_OK(extended);
  auto why = pool.explain(li, CustomerId("C1"));
  ASSERT_HIGHSEAS_OK(why);
  const auto period =
      std::find_if(why->clocks.begin(), why->clocks.end(),
                   [](const HoldingClock& c) { return c.clock == DeadlineReason::period; });
  ASSERT_NE(period, why->clocks.end());
  EXPECT_EQ(period->ends_at, shanghai(2025, 3, 1));
  // Protected for the longest, 5 working days from Wednesday 5 February 18:00:
  // Thu 6, Fri 7, Sat 8, Mon 10, Tue 11.
  auto protected_holding = pool.protect(li, CustomerId("C1"));
  ASSERT_HIGHSEAS_OK(protected_holding);
  EXPECT_EQ(pool.explain(li, CustomerId("C1"))->after_protection, std::nullopt);
  EXPECT_EQ(pool.customer(li, CustomerId("C1"))->deadline, shanghai(2025, 2, 12));
}

TEST_F(BusinessDaysPoolTest, AWorkingDayExtensionCountsOnFromThePeriodsEndOverTheHolidays) {
  count_business_days();
  PolicyPatch patch;
  patch.extension = Span::business_days(5);
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, patch));
  // Friday 10 January: 13-17, 20-24, so the period ends with Friday 24.
  EXPECT_EQ(claim_at(shanghai(2025, 1, 10, 10), "C1"), shanghai(2025, 1, 25));
  // Granted on the 20th, the extension counts on from the 24th's end, not
  // from the 20th: Sun 26 (调休), Mon 27, then 春节 28 Jan - 4 Feb, Wed 5,
  // Thu 6, Fri 7. Fifteen calendar days would have ended with 8 February.
  clock.set(shanghai(2025, 1, 20, 9));
  const auto extended = pool.extend(boss, CustomerId("C1"));
  ASSERT_HIGHSEAS_OK(extended);
  EXPECT_EQ(extended->deadline, shanghai(2025, 2, 8));
  EXPECT_EQ(pool.info(boss)->policy.extension, Span::business_days(5));
}

TEST_F(BusinessDaysPoolTest, AnExtensionIntoAYearTheCalendarLacksIsRefusedUnlessWeekendsCount) {
  clock.set(shanghai(2025, 11, 3, 9));
  ASSERT_HIGHSEAS_OK(pool.set_calendar(boss, chinese_2025()));
  PolicyPatch patch;
  patch.holding_period = Span::business_days(10);
  patch.extension = Span::business_days(5);
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, patch));
  // Thursday 11 December: the period ends with Thursday 25; five more
  // working days are 26, 29, 30, 31 and one in 2026, which the calendar lacks.
  EXPECT_EQ(claim_at(shanghai(2025, 12, 11, 10), "C1"), shanghai(2025, 12, 26));
  clock.set(shanghai(2025, 12, 15, 9));
  const auto refused = pool.extend(boss, CustomerId("C1"));
  EXPECT_REFUSED(refused, calendar_ends);
  EXPECT_NE(refused.refusal().message.find("from the holding period's end runs into 2026"),
            std::string::npos)
      << refused.refusal().message;
  EXPECT_EQ(pool.customer(li, CustomerId("C1"))->extensions_used, 0U) << "refused, unwritten";
  EXPECT_EQ(pool.customer(li, CustomerId("C1"))->deadline, shanghai(2025, 12, 26));
  // Counting 2026 by its weekends, Thursday 1 January is the fifth day.
  PolicyPatch guess;
  guess.unknown_years = UnknownYears::weekends_only;
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, guess));
  const auto extended = pool.extend(boss, CustomerId("C1"));
  ASSERT_HIGHSEAS_OK(extended);
  EXPECT_EQ(extended->deadline, shanghai(2026, 1, 2));
}

// A policy whose extension counts business days is refused, as one whose
// holding period does, while the calendar does not know the year.
TEST_F(BusinessDaysPoolTest, AWorkingDayExtensionNeedsACalendarThatKnowsTheYear) {
  PolicyPatch patch;
  patch.extension = Span::business_days(5);
  EXPECT_REFUSED(pool.update_policy(boss, patch), calendar_ends);
  EXPECT_EQ(pool.info(boss)->policy.extension, Span(days(15)));
}

TEST_F(BusinessDaysPoolTest, CalendarDaysEndAtMidnightInThePoolsZone) {
  // 30 days from Monday 3 March 23:30 in Shanghai (15:30 UTC): the end of 2 April there.
  EXPECT_EQ(claim_at(shanghai(2025, 3, 3, 23, 30), "C1"), shanghai(2025, 4, 3));
  EXPECT_EQ(claim_at(shanghai(2025, 3, 3, 0, 30), "C2"), shanghai(2025, 4, 3));
  // Stored instants stay UTC: the same holding read back is 16:00 UTC.
  EXPECT_EQ(pool.customer(li, CustomerId("C1"))->deadline, utc(2025, 4, 2, 16));
}

TEST_F(BusinessDaysPoolTest, BusinessDaysNeedACalendarThatKnowsTheYear) {
  PolicyPatch patch;
  patch.holding_period = Span::business_days(10);
  // No calendar yet.
  EXPECT_REFUSED(pool.update_policy(boss, patch), calendar_ends);
  // A calendar of other years only.
  WorkCalendar only_2024;
  ASSERT_HIGHSEAS_OK(only_2024.add_year(2024));
  ASSERT_HIGHSEAS_OK(pool.set_calendar(boss, only_2024));
  const auto refused = pool.update_policy(boss, patch);
  EXPECT_REFUSED(refused, calendar_ends);
  EXPECT_NE(refused.refusal().message.find(
                "runs into 2025, which the pool's work calendar does not know"),
            std::string::npos)
      << refused.refusal().message;
  EXPECT_EQ(pool.info(boss)->policy.default_rule.holding_period, Span(days(30)));
  // With the year known it applies; then a calendar without it is refused.
  ASSERT_HIGHSEAS_OK(pool.set_calendar(boss, chinese_calendars()));
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, patch));
  EXPECT_REFUSED(pool.set_calendar(boss, only_2024), calendar_ends);
  EXPECT_EQ(pool.calendar(boss)->calendar, chinese_calendars());
  // A new pool has no calendar: it cannot start out counting business days.
  ClaimPolicy business;
  business.default_rule.holding_period = Span::business_days(10);
  PublicPool other(PoolId("other"), storage, clock);
  EXPECT_REFUSED(other.create(boss, business), calendar_ends);
}

TEST_F(BusinessDaysPoolTest, AYearTheCalendarLacksIsRefusedOrCountedByWeekendsAsThePoolSays) {
  clock.set(shanghai(2025, 11, 3, 9));
  ASSERT_HIGHSEAS_OK(pool.set_calendar(boss, chinese_2025()));
  PolicyPatch patch;
  patch.holding_period = Span::business_days(10);
  patch.idle_limit = Span::business_days(5);
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, patch));
  // 60 working days from 3 November end in 2026: refused when it is set.
  PolicyPatch longer;
  longer.levels = std::vector<LevelRule>{{"A", {Span::business_days(60), std::nullopt}}};
  EXPECT_REFUSED(pool.update_policy(boss, longer), calendar_ends);
  EXPECT_TRUE(pool.info(boss)->policy.levels.empty());

  // From Thursday 18 December ten working days reach 2026 (19, 22-26,
  // 29-31 are nine); the outlook over 60 days says so, over 30 it does not.
  const auto outlook = pool.calendar_outlook();
  ASSERT_HIGHSEAS_OK(outlook);
  EXPECT_EQ(outlook->calendar_version, 1U);
  EXPECT_EQ(outlook->last_year, 2025);
  EXPECT_TRUE(outlook->counts_business_days);
  EXPECT_EQ(outlook->runs_out_at, shanghai(2025, 12, 18));
  EXPECT_EQ(outlook->unknown_year, 2026);
  EXPECT_EQ(pool.calendar_outlook(days(30))->runs_out_at, std::nullopt);
  EXPECT_REFUSED(pool.calendar_outlook(-days(1)), invalid_argument);

  // Wednesday 17 December: the period ends with 31 December, the idle clock
  // with Wednesday 24. The next morning the same claim is refused, unwritten.
  EXPECT_EQ(claim_at(shanghai(2025, 12, 17, 18), "C1"), shanghai(2025, 12, 25));
  clock.set(shanghai(2025, 12, 18, 9));
  EXPECT_REFUSED(pool.claim(li, CustomerId("C2")), calendar_ends);
  EXPECT_EQ(pool.customer(li, CustomerId("C2"))->state, CustomerState::available);
  // A follow-up on the 24th restarts the idle clock to the 31st. One is
  // never refused for 2026, which would cost Li the customer: on Friday the
  // 26th the idle clock counts 1 and 2 January as working days (29, 30, 31,
  // 1, 2), and explain flags the guess.
  clock.set(shanghai(2025, 12, 24, 9));
  ASSERT_HIGHSEAS_OK(pool.follow_up(li, CustomerId("C1"), "called"));
  EXPECT_EQ(pool.customer(li, CustomerId("C1"))->deadline, shanghai(2026, 1, 1));
  clock.set(shanghai(2025, 12, 26, 9));
  ASSERT_HIGHSEAS_OK(pool.follow_up(li, CustomerId("C1"), "sent the quote"));
  const auto followed = pool.explain(li, CustomerId("C1"));
  ASSERT_HIGHSEAS_OK(followed);
  ASSERT_EQ(followed->clocks.size(), 2U);
  EXPECT_EQ(followed->clocks[1].clock, DeadlineReason::idle);
  EXPECT_EQ(followed->clocks[1].ends_at, shanghai(2026, 1, 3));
  EXPECT_EQ(followed->clocks[1].unknown_year, 2026);
  EXPECT_EQ(followed->deadline, shanghai(2026, 1, 1));  // the period, with the 31st

  // The boss lets unknown years count by their weekends: 1 and 2 January are
  // then working days, and explain flags the guess.
  PolicyPatch guess;
  guess.unknown_years = UnknownYears::weekends_only;
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, guess));
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, longer));  // no longer refused either
  const auto claimed = pool.claim(li, CustomerId("C2"));
  ASSERT_HIGHSEAS_OK(claimed);
  EXPECT_EQ(claimed->deadline, shanghai(2026, 1, 3));  // idle: 29, 30, 31, 1, 2
  const auto why = pool.explain(li, CustomerId("C2"));
  ASSERT_HIGHSEAS_OK(why);
  ASSERT_FALSE(why->clocks.empty());
  EXPECT_EQ(why->clocks[0].unknown_year, 2026);
  // The 2026 notice arrives: 1-3 January off, Sunday the 4th worked. The
  // idle clock, recomputed, ends with Monday 5 January.
  ASSERT_HIGHSEAS_OK(pool.set_calendar(boss, chinese_calendars(), RunningHoldings::recompute));
  EXPECT_EQ(pool.customer(li, CustomerId("C2"))->deadline, shanghai(2026, 1, 6));
}

TEST_F(BusinessDaysPoolTest, ACalendarChangeKeepsRecomputesOrNeverShortensAsTheBossChooses) {
  struct Row {
    RunningHoldings running;
    bool announced_late;  // the holidays come in after the claim (else they go out)
    Time deadline;
  };
  // Claimed Monday 22 September 10:00. Weekends only: 23-26, 29, 30, 1-3, 6
  // October: the end of the 6th. With National Day: 23-26, Sun 28 (调休),
  // 29, 30, 9, 10, Sat 11 (调休): the end of the 11th.
  const Time weekends_end = shanghai(2025, 10, 7);
  const Time holidays_end = shanghai(2025, 10, 12);
  const std::vector<Row> rows{
      {RunningHoldings::keep, true, weekends_end},
      {RunningHoldings::recompute, true, holidays_end},
      {RunningHoldings::never_shorten, true, holidays_end},
      {RunningHoldings::keep, false, holidays_end},
      {RunningHoldings::recompute, false, weekends_end},
      {RunningHoldings::never_shorten, false, holidays_end},
  };
  int n = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(to_string(row.running)) + (row.announced_late ? " late" : " out"));
    MemoryStorage own_storage;
    clock.set(shanghai(2025, 9, 1, 9));
    PublicPool team(PoolId("pool" + std::to_string(++n)), own_storage, clock);
    ClaimPolicy policy;
    policy.time_zone = "Asia/Shanghai";
    ASSERT_HIGHSEAS_OK(team.create(boss, policy));
    ASSERT_HIGHSEAS_OK(team.set_member(boss, li, Role::pool_user));
    ASSERT_HIGHSEAS_OK(team.import_customers(
        boss, std::vector<CustomerProfile>{{CustomerId("C1"), "宁波外贸公司", "CN", "", {}}}));
    const WorkCalendar before = row.announced_late ? weekends_of_2025() : chinese_calendars();
    const WorkCalendar after = row.announced_late ? chinese_calendars() : weekends_of_2025();
    ASSERT_HIGHSEAS_OK(team.set_calendar(boss, before));
    PolicyPatch patch;
    patch.holding_period = Span::business_days(10);
    ASSERT_HIGHSEAS_OK(team.update_policy(boss, patch));
    clock.set(shanghai(2025, 9, 22, 10));
    ASSERT_HIGHSEAS_OK(team.claim(li, CustomerId("C1")));
    const Time claimed_deadline = row.announced_late ? weekends_end : holidays_end;
    ASSERT_EQ(team.customer(li, CustomerId("C1"))->deadline, claimed_deadline);

    clock.set(shanghai(2025, 9, 24, 9));
    auto preview = team.preview_calendar(boss, after, row.running);
    ASSERT_HIGHSEAS_OK(preview);
    ASSERT_EQ(preview->holdings.size(), 1U);
    EXPECT_EQ(preview->holdings[0].deadline_before, claimed_deadline);
    EXPECT_EQ(preview->holdings[0].deadline_after, row.deadline);
    EXPECT_EQ(team.customer(li, CustomerId("C1"))->deadline, claimed_deadline);  // nothing written

    std::uint32_t recomputed_events = 0;
    std::optional<CalendarChanged> heard;
    ScopedConnection on_recompute = team.events().deadline_recomputed.connect(
        [&](const DeadlineRecomputed&) { ++recomputed_events; });
    ScopedConnection on_change =
        team.events().calendar_changed.connect([&](const CalendarChanged& e) { heard = e; });
    ASSERT_HIGHSEAS_OK(team.set_calendar(boss, after, row.running));
    EXPECT_EQ(team.customer(li, CustomerId("C1"))->deadline, row.deadline);
    const bool moved = row.deadline != claimed_deadline;
    EXPECT_EQ(recomputed_events, moved ? 1U : 0U);
    ASSERT_TRUE(heard.has_value());
    EXPECT_EQ(heard->running, row.running);
    EXPECT_EQ(heard->recomputed, moved ? 1U : 0U);
  }
}

TEST_F(BusinessDaysPoolTest, AnotherAppServersCalendarChangeCountsAtTheNextCommand) {
  count_business_days();
  EXPECT_EQ(claim_at(shanghai(2025, 1, 24, 10), "C1"), shanghai(2025, 2, 14));  // read, kept
  // A second app server (its own PublicPool on the same storage) drops the
  // holidays; this one's next claim counts without them.
  PublicPool second_server(PoolId("ningbo"), storage, clock);
  ASSERT_HIGHSEAS_OK(second_server.set_calendar(boss, weekends_of_2025()));
  // Fri 24 Jan: Mon 27 .. Fri 31, Mon 3 .. Fri 7 February.
  EXPECT_EQ(claim_at(shanghai(2025, 1, 24, 10), "C2"), shanghai(2025, 2, 8));
  // And a zone change there too.
  PolicyPatch to_utc;
  to_utc.time_zone = "UTC";
  ASSERT_HIGHSEAS_OK(second_server.update_policy(boss, to_utc));
  EXPECT_EQ(claim_at(shanghai(2025, 1, 24, 10), "C3"), utc(2025, 2, 8));
}

TEST_F(BusinessDaysPoolTest, ANewYorkPoolsDaysEndAtItsMidnightAcrossDaylightSaving) {
  ClaimPolicy policy;
  policy.time_zone = "America/New_York";
  PublicPool new_york(PoolId("new-york"), storage, clock);
  ASSERT_HIGHSEAS_OK(new_york.create(boss, policy));
  ASSERT_HIGHSEAS_OK(new_york.set_member(boss, li, Role::pool_user));
  ASSERT_HIGHSEAS_OK(new_york.import_customers(
      boss, std::vector<CustomerProfile>{{CustomerId("N1"), "Hudson Imports", "US", "", {}},
                                         {CustomerId("N2"), "Bronx Textiles", "US", "", {}}}));
  // Claimed Saturday 1 March 2025 at noon EST: 30 days end with 31 March,
  // midnight EDT (04:00 UTC), after the clocks went forward on 9 March.
  clock.set(utc(2025, 3, 1, 17));
  EXPECT_EQ(new_york.claim(li, CustomerId("N1"))->deadline, utc(2025, 4, 1, 4));
  // Claimed 5 October at noon EDT: 30 days end with 4 November, midnight EST (05:00 UTC).
  clock.set(utc(2025, 10, 5, 16));
  EXPECT_EQ(new_york.claim(li, CustomerId("N2"))->deadline, utc(2025, 11, 5, 5));
}

}  // namespace
}  // namespace highseas
