// Conformance tests: what a storage keeps for fair claiming. Each user's
// daily tally is stored exactly, replaced whole and undone with its
// transaction; a daily limit and the cooldowns of every rep who gave a
// customer back hold through PublicPool on the storage under test.
// Compiled into HighSeas::testing.
#include <string>

#include "highseas/testing/conformance_fixture.hpp"

namespace highseas::testing {

namespace {

// A tally with every field set, levels of several bytes included.
DailyTakes full_tally(LocalDate day) {
  return DailyTakes{day, 3, 2, {{"A", 1, 0}, {"VIP-客户", 2, 2}}};
}

// The start of the UTC day after the one `at` falls on.
Time next_utc_midnight(Time at) { return Time(at.date() + boost::gregorian::days(1)); }

}  // namespace

TEST_P(StorageConformance, DailyTakesAreStoredPerUserAndReplacedWhole) {
  const LocalDate day(2026, 3, 2);
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    EXPECT_FALSE(tx->find_daily_takes(alice).has_value());
    tx->put_daily_takes(alice, full_tally(day));
    tx->put_daily_takes(bob, DailyTakes{day, 1, 0, {}});
    tx->commit();
  }
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    EXPECT_EQ(tx->find_daily_takes(alice), full_tally(day));
    tx->put_daily_takes(alice, DailyTakes{day + boost::gregorian::days(1), 0, 1, {{"B", 0, 1}}});
    // Not committed: undone.
  }
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    EXPECT_EQ(tx->find_daily_takes(alice), full_tally(day));
    const DailyTakes next{day + boost::gregorian::days(1), 1, 0, {}};
    tx->put_daily_takes(alice, next);
    EXPECT_EQ(tx->find_daily_takes(alice), next) << "a transaction reads its own write";
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_daily_takes(alice), (DailyTakes{day + boost::gregorian::days(1), 1, 0, {}}));
  EXPECT_EQ(tx->find_daily_takes(bob), (DailyTakes{day, 1, 0, {}}));
  EXPECT_FALSE(begin("pool-b", TransactionMode::read_only)->find_daily_takes(alice).has_value());
}

TEST_P(StorageConformance, ADailyLimitCountsEachLocalDayAndSaysWhenItLifts) {
  ClaimPolicy rules = small_policy();
  rules.max_holdings = 10;
  rules.daily_limit.per_day = 2;
  rules.daily_limit.levels = {{"A", 1}};
  populate(pool(), 9, rules);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(3)));           // level A
  EXPECT_REFUSED(pool().claim(alice, customer(6)), daily_limit);  // a second A
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  const Result<Holding> third = pool().claim(alice, customer(2));
  EXPECT_REFUSED(third, daily_limit);
  EXPECT_EQ(third.refusal().retry_after, next_utc_midnight(clock().now()));
  EXPECT_EQ(view(pool(), customer(2)).state, CustomerState::available)
      << "a refusal changes nothing";
  // Assignments do not count unless the policy says so; admins are exempt.
  ASSERT_HIGHSEAS_OK(pool().assign(admin, customer(2), alice));
  ASSERT_HIGHSEAS_OK(pool().claim(admin, customer(4)));
  ASSERT_HIGHSEAS_OK(pool().claim(admin, customer(5)));
  ASSERT_HIGHSEAS_OK(pool().claim(admin, customer(7)));
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(8)));  // bob's own count

  clock().set(next_utc_midnight(clock().now()));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(6))) << "a new day, a new count";
  ClaimPolicy counting = rules;
  counting.daily_limit.assignments_count = true;
  ASSERT_HIGHSEAS_OK(pool().set_policy(boss, counting));
  EXPECT_REFUSED(pool().assign(admin, customer(9), alice), daily_limit) << "her A for today";
  ASSERT_HIGHSEAS_OK(pool().assign(admin, customer(9), bob));
}

TEST_P(StorageConformance, EveryRepWhoGaveACustomerBackKeepsTheirOwnCooldown) {
  ClaimPolicy rules = small_policy();
  rules.release_cooldown = days(2);
  rules.reclaim_cooldown = days(7);
  populate(pool(), 3, rules);
  const Time start = clock().now();
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().release(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(1)));
  clock().advance(hours(1));
  ASSERT_HIGHSEAS_OK(pool().release(bob, customer(1)));
  const Result<Holding> again = pool().claim(alice, customer(1));
  EXPECT_REFUSED(again, cooldown) << "bob's release does not free alice";
  EXPECT_EQ(again.refusal().retry_after, start + days(2));
  const CustomerView both = view(pool(), customer(1));
  EXPECT_EQ(both.cooldowns,
            (std::vector<Cooldown>{{alice, start + days(2)}, {bob, start + hours(1) + days(2)}}));
  clock().set(start + days(2));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  EXPECT_EQ(view(pool(), customer(1)).cooldowns,
            (std::vector<Cooldown>{{bob, start + hours(1) + days(2)}}))
      << "the ended wait is dropped from the record";
  // A return at the deadline costs the longer wait, from the deadline.
  const Time deadline = view(pool(), customer(1)).deadline;
  clock().set(deadline + hours(1));
  ASSERT_HIGHSEAS_OK(pool().sweep());
  EXPECT_EQ(view(pool(), customer(1)).cooldowns,
            (std::vector<Cooldown>{{alice, deadline + days(7)}}));
  EXPECT_EQ(
      begin("pool-a", TransactionMode::read_only)->find_customer(customer(1))->cooldowns.size(), 2U)
      << "a sweep appends; bob's ended wait goes with the next command";
  EXPECT_REFUSED(pool().claim(alice, customer(1)), cooldown);
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(1)));
  EXPECT_EQ(begin("pool-a", TransactionMode::read_only)->find_customer(customer(1))->cooldowns,
            (std::vector<Cooldown>{{alice, deadline + days(7)}}));
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_fair_claiming() {}

}  // namespace highseas::testing
