// Conformance tests: what return rules (issue 16) add to the stored values,
// the pool's rules and a holding's clocks, kept exactly, moved by a pause and
// carried into the sweep's history. Compiled into HighSeas::testing.
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"

namespace highseas::testing {

namespace {

// A holding with every clock of a return rule set, each a different instant,
// so a column written from the wrong field shows.
CustomerRecord clocked_record(const char* holder, Time deadline, DeadlineReason reason,
                              std::uint32_t policy_version) {
  CustomerRecord record;
  record.state = CustomerState::held;
  record.holder = UserId(holder);
  record.since = deadline - days(20);
  record.deadline = deadline;
  record.deadline_reason = reason;
  record.period_deadline = deadline + days(9) + boost::posix_time::microseconds(3);
  record.idle_limit = Span::time(hours(36));
  record.period_length = Span::time(days(29));
  record.idle_deadline = deadline + boost::posix_time::microseconds(7);
  record.protected_until = deadline - hours(5);
  record.policy_version = policy_version;
  record.extensions_used = 1;
  record.last_follow_up = deadline - days(2);
  return record;
}

}  // namespace

TEST_P(StorageConformance, APolicyWithIdleLimitLevelsProtectionAndTimeZoneIsStored) {
  populate(pool(), 0);
  ClaimPolicy rules = small_policy();
  rules.default_rule.idle_limit = days(7);
  rules.default_rule.reminders = {{days(3), ReminderAudience::admins},
                                  {Span::business_days(1), ReminderAudience::boss}};
  rules.levels = {{"A",
                   {days(60),
                    Span::time(days(14)),
                    {{days(7), ReminderAudience::holder}, {hours(20), ReminderAudience::boss}}}},
                  {"VIP-客户", {hours(36), std::nullopt, {}}},
                  {"C", {days(20), Span::time(minutes(90)), {}}}};
  rules.protection = {5, days(10)};
  rules.extension = hours(36);
  rules.time_zone = "America/Sao_Paulo";
  rules.unknown_years = UnknownYears::weekends_only;
  ASSERT_HIGHSEAS_OK(pool().set_policy(boss, rules));
  auto info = pool().info(boss);
  ASSERT_HIGHSEAS_OK(info);
  EXPECT_EQ(info->policy, rules);
  auto tx = begin("pool-a", TransactionMode::read_only);
  const std::optional<PoolRecord> stored = tx->find_pool();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->policy, rules);
}

TEST_P(StorageConformance, BusinessDaySpansAndThePolicyVersionAreStoredExactly) {
  // PublicPool refuses business days until pools have a work calendar; the
  // storage keeps them already, as it keeps every other span.
  const Time now = clock().now();
  PoolRecord record{true, small_policy(), now, Time(), 12, now + hours(30)};
  record.policy.default_rule = {Span::business_days(10), Span::business_days(3), {}};
  record.policy.levels = {{"B", {Span::business_days(20), std::nullopt, {}}}};
  record.policy.protection = {1, Span::business_days(5)};
  record.policy.extension = Span::business_days(4);
  // Kept as stored, even a name this machine's tz database may not know.
  record.policy.time_zone = "Asia/Shanghai-Future";
  record.policy.unknown_years = UnknownYears::weekends_only;
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->put_pool(record);
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_pool(), record);
}

TEST_P(StorageConformance, AHoldingsClocksAndTheirHistoryAreStoredExactly) {
  populate(pool(), 2);
  const Time now = clock().now();
  const CustomerRecord held = clocked_record("alice", now + days(3), DeadlineReason::idle, 4);
  CustomerRecord protected_held =
      clocked_record("bob", now + days(4), DeadlineReason::protection_ended, 9);
  protected_held.idle_limit = Span::business_days(10);
  protected_held.period_length = Span::business_days(12);
  HistoryEntry claimed{now, HistoryKind::claimed, alice, std::nullopt, alice, held.deadline, ""};
  claimed.deadline_reason = DeadlineReason::idle;
  claimed.policy_version = 4;
  HistoryEntry assigned{now, HistoryKind::assigned,   boss,       std::nullopt,
                        bob, protected_held.deadline, "protected"};
  assigned.deadline_reason = DeadlineReason::protection_ended;
  assigned.policy_version = 9;
  std::vector<HistoryEntry> history_1;
  std::vector<HistoryEntry> history_2;
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    history_1 = tx->list_history(customer(1));
    history_2 = tx->list_history(customer(2));
    tx->write_change(customer(1), held, claimed);
    tx->write_change(customer(2), protected_held, assigned);
    tx->commit();
  }
  // A policy change recomputes alice's holding: a longer period, its period
  // deadline moved by the difference, the new version, a rules_changed entry.
  CustomerRecord recomputed = held;
  recomputed.period_length = Span::time(days(40));
  recomputed.period_deadline += days(11);
  recomputed.policy_version = 5;
  HistoryEntry changed{now + hours(1), HistoryKind::rules_changed, boss, alice,
                       alice,          recomputed.deadline,        ""};
  changed.deadline_reason = DeadlineReason::idle;
  changed.policy_version = 5;
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    EXPECT_EQ(tx->find_customer(customer(1)), held);
    tx->write_change(customer(1), recomputed, changed);
    tx->commit();
  }
  history_1.push_back(claimed);
  history_1.push_back(changed);
  history_2.push_back(assigned);
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_customer(customer(1)), recomputed);
  EXPECT_EQ(tx->find_customer(customer(2)), protected_held);
  EXPECT_EQ(tx->list_history(customer(1)), history_1);
  EXPECT_EQ(tx->list_history(customer(2)), history_2);
  const std::vector<StoredCustomer> holdings = tx->list_holdings(alice);
  ASSERT_EQ(holdings.size(), 1U);
  EXPECT_EQ(holdings[0].record, recomputed);
  const std::vector<DueHolding> due = tx->list_due(now + days(5), 10);
  ASSERT_EQ(due.size(), 2U);
  EXPECT_EQ(due[0].record, recomputed);
  EXPECT_EQ(due[1].record, protected_held);
}

// A holding's period_length is a length, not an instant: a shift keeps it.
TEST_P(StorageConformance, ShiftDeadlinesMovesEveryClockOfEveryHolding) {
  const Time now = clock().now();
  const CustomerRecord clocked = clocked_record("u", now + days(3), DeadlineReason::idle, 2);
  // A holding under no idle limit and unprotected: its unset clocks stay unset.
  CustomerRecord plain = held_record("v", now + days(1));
  plain.period_deadline = plain.deadline;
  plain.policy_version = 1;
  plain.period_length = Span::business_days(7);
  CustomerRecord available;
  available.since = now;
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", clocked);
    tx->insert_customer(profile(2), "", plain);
    tx->insert_customer(profile(3), "", available);
    tx->commit();
  }
  const Duration by = days(2) + seconds(17) + boost::posix_time::microseconds(5);
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->shift_deadlines(by);
    tx->commit();
  }
  CustomerRecord moved = clocked;
  moved.deadline += by;
  moved.period_deadline += by;
  moved.idle_deadline += by;
  moved.protected_until += by;
  CustomerRecord plain_moved = plain;
  plain_moved.deadline += by;
  plain_moved.period_deadline += by;
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_customer(customer(1)), moved);
  EXPECT_EQ(tx->find_customer(customer(2)), plain_moved);
  EXPECT_EQ(tx->find_customer(customer(3)), available);
}

TEST_P(StorageConformance, ReturnDueCarriesEachHoldingsReasonAndVersionIntoItsHistory) {
  const Time now = clock().now();
  // Different reasons and versions per row: a set-based sweep must take them
  // from each row, not write one value for the whole batch.
  // Their period lengths are zero here: what a return does to a period
  // length is ReturnDueGivesNoPeriodLengthBack's.
  CustomerRecord idle = clocked_record("u", now - hours(2), DeadlineReason::idle, 3);
  idle.period_length = Span();
  CustomerRecord ended = clocked_record("v", now - hours(1), DeadlineReason::protection_ended, 8);
  ended.period_length = Span();
  CustomerRecord period = held_record("u", now);
  period.period_deadline = period.deadline;
  period.policy_version = 1;
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", idle);
    tx->insert_customer(profile(2), "", ended);
    tx->insert_customer(profile(3), "", period);
    tx->commit();
  }
  const DueReturn plan{now, days(7)};
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    EXPECT_EQ(tx->return_due(plan, 10).size(), 3U);
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  const std::vector<CustomerRecord> before{idle, ended, period};
  const std::vector<DeadlineReason> reasons{DeadlineReason::idle, DeadlineReason::protection_ended,
                                            DeadlineReason::period};
  const std::vector<std::uint32_t> versions{3, 8, 1};
  for (int n = 1; n <= 3; ++n) {
    const auto index = static_cast<std::size_t>(n - 1);
    SCOPED_TRACE("customer " + std::to_string(n));
    const std::optional<CustomerRecord> returned = tx->find_customer(customer(n));
    EXPECT_EQ(returned, plan.returned(before[index]));
    ASSERT_TRUE(returned.has_value());
    EXPECT_FALSE(returned->idle_limit.has_value());
    EXPECT_TRUE(returned->period_deadline.is_not_a_date_time());
    EXPECT_TRUE(returned->idle_deadline.is_not_a_date_time());
    EXPECT_TRUE(returned->protected_until.is_not_a_date_time());
    EXPECT_EQ(returned->policy_version, 0U);
    const std::vector<HistoryEntry> history = tx->list_history(customer(n));
    ASSERT_EQ(history.size(), 1U);
    EXPECT_EQ(history[0], plan.entry(before[index]));
    EXPECT_EQ(history[0].deadline_reason, reasons[index]);
    EXPECT_EQ(history[0].policy_version, versions[index]);
  }
}

TEST_P(StorageConformance, ReturnDueGivesNoPeriodLengthBack) {
  const Time now = clock().now();
  // Three lengths, one per row, none zero: a set-based sweep that copied one
  // row's, or kept each row's, shows. A customer that is not held has no
  // holding period (CustomerRecord::period_length: zero).
  CustomerRecord calendar = clocked_record("u", now - hours(3), DeadlineReason::period, 2);
  calendar.period_length = Span::time(days(30));
  CustomerRecord business = clocked_record("v", now - hours(2), DeadlineReason::idle, 4);
  business.period_length = Span::business_days(10);
  CustomerRecord hours_long = held_record("u", now - hours(1));
  hours_long.period_length = Span::time(hours(36));
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", calendar);
    tx->insert_customer(profile(2), "", business);
    tx->insert_customer(profile(3), "", hours_long);
    tx->commit();
  }
  const DueReturn plan{now, days(7)};
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    const std::vector<DueHolding> due = tx->return_due(plan, 10);
    ASSERT_EQ(due.size(), 3U);
    // The rows as they were: each with its own length.
    EXPECT_EQ(due[0].record, calendar);
    EXPECT_EQ(due[1].record, business);
    EXPECT_EQ(due[2].record, hours_long);
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  const std::vector<CustomerRecord> before{calendar, business, hours_long};
  for (int n = 1; n <= 3; ++n) {
    SCOPED_TRACE("customer " + std::to_string(n));
    const std::optional<CustomerRecord> returned = tx->find_customer(customer(n));
    ASSERT_TRUE(returned.has_value());
    EXPECT_EQ(to_string(returned->period_length), to_string(Span()));  // printable: "0d"
    CustomerRecord expected = plan.returned(before[static_cast<std::size_t>(n - 1)]);
    expected.period_length = Span();
    EXPECT_EQ(returned, expected);
  }
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_return_rules() {}

}  // namespace highseas::testing
