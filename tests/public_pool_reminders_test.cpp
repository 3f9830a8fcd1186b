// Reminders before a holding returns (issue 18): each threshold once per
// deadline, escalating audiences resolved from the members when sent, no
// burst when a deadline jumps closer or a sweep comes late, re-armed when a
// follow-up, an extension or a resume moves the deadline away, nothing
// while the pool is off.
#include <highseas/testing/fault_injecting_storage.hpp>
#include <map>

#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

class RemindersTest : public PoolFixture {
 protected:
  ClaimPolicy policy() const override {
    ClaimPolicy rules = PoolFixture::policy();
    rules.default_rule.reminders = {{days(7), ReminderAudience::holder},
                                    {days(3), ReminderAudience::admins},
                                    {days(1), ReminderAudience::boss}};
    return rules;
  }

  void SetUp() override {
    PoolFixture::SetUp();
    heard = pool.events().reminder_due.connect(
        [this](const ReminderDue& event) { events.push_back(event); });
    // Claimed Monday 5 January 00:00: due at the end of 3 February.
    ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  }

  // Sweeps at `at` and returns the reminders sent, as "customer 7d:holder".
  std::vector<std::string> sweep_at(Time at) {
    clock.set(at);
    auto report = pool.sweep();
    EXPECT_HIGHSEAS_OK(report);
    std::vector<std::string> sent;
    if (!report.ok()) return sent;
    for (const SentReminder& reminder : report->reminded) {
      sent.push_back(reminder.customer.str() + " " + to_string(reminder.reminder));
    }
    return sent;
  }

  // The reminders in `id`'s history, as their notes.
  std::vector<std::string> reminded(const CustomerId& id) {
    std::vector<std::string> notes;
    auto history = pool.history(boss, id);
    EXPECT_HIGHSEAS_OK(history);
    if (!history.ok()) return notes;
    for (const HistoryEntry& entry : *history) {
      if (entry.kind == HistoryKind::reminded) notes.push_back(entry.note);
    }
    return notes;
  }

  using Sent = std::vector<std::string>;
  std::vector<ReminderDue> events;
  ScopedConnection heard;
};

TEST_F(RemindersTest, EachReminderIsSentOnceWhenItsTimeComesToAWideningAudience) {
  EXPECT_EQ(sweep_at(utc(2026, 1, 26, 12)), Sent{}) << "eight days left";
  // Seven days counted from 27 January (its day 0) end with 3 February.
  EXPECT_EQ(sweep_at(utc(2026, 1, 27)), Sent{}) << "midnight still belongs to the 26th";
  EXPECT_EQ(sweep_at(utc(2026, 1, 27, 9)), Sent{"c1 7d:holder"});
  ASSERT_EQ(events.size(), 1U);
  const ReminderDue& first = events.front();
  EXPECT_EQ(first.customer, customer(1));
  EXPECT_EQ(first.holder, alice);
  EXPECT_EQ(first.previous_holder, alice);
  EXPECT_EQ(first.actor, std::nullopt) << "sent by the system";
  EXPECT_EQ(first.at, utc(2026, 1, 27, 9));
  EXPECT_EQ(first.deadline, utc(2026, 2, 4));
  EXPECT_EQ(first.deadline_reason, DeadlineReason::period);
  EXPECT_EQ(first.reminder, (Reminder{days(7), ReminderAudience::holder}));
  EXPECT_EQ(first.time_left, utc(2026, 2, 4) - utc(2026, 1, 27, 9));
  EXPECT_EQ(first.audience, std::vector<UserId>{alice});

  EXPECT_EQ(sweep_at(utc(2026, 1, 27, 10)), Sent{}) << "never twice";
  EXPECT_EQ(sweep_at(utc(2026, 1, 31, 9)), Sent{"c1 3d:admins"});
  EXPECT_EQ(events.back().audience, (std::vector<UserId>{alice, admin}));
  EXPECT_EQ(sweep_at(utc(2026, 2, 2, 9)), Sent{"c1 1d:boss"});
  EXPECT_EQ(events.back().audience, (std::vector<UserId>{alice, admin, boss}))
      << "the holder first, then by user id";
  EXPECT_EQ(sweep_at(utc(2026, 2, 3, 23)), Sent{});
  EXPECT_EQ(events.size(), 3U);
  EXPECT_EQ(reminded(customer(1)), (Sent{"7d:holder", "3d:admins", "1d:boss"}));
  // At the deadline the holding returns; its return is what alice hears.
  clock.set(utc(2026, 2, 4, 1));
  auto report = pool.sweep();
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->returned.size(), 1U);
  EXPECT_TRUE(report->reminded.empty());
}

TEST_F(RemindersTest, ALateSweepSendsOnlyTheMostUrgentReminder) {
  // Nobody swept for a week: three reminders' times have come, one is sent.
  EXPECT_EQ(sweep_at(utc(2026, 2, 2, 9)), Sent{"c1 1d:boss"});
  EXPECT_EQ(sweep_at(utc(2026, 2, 3, 9)), Sent{});
  EXPECT_EQ(reminded(customer(1)), Sent{"1d:boss"});
}

TEST_F(RemindersTest, ADeadlineThatJumpsCloserWarnsOnceNotOncePerReminderItPassed) {
  EXPECT_EQ(sweep_at(utc(2026, 1, 27, 9)), Sent{"c1 7d:holder"});
  // On the 28th the boss shortens the period by five days: due at the end of
  // 29 January, so the 3-day and the 1-day reminders' times have both come.
  clock.set(utc(2026, 1, 28, 9));
  PolicyPatch patch;
  patch.holding_period = days(25);
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, patch, RunningHoldings::recompute));
  EXPECT_EQ(sweep_at(utc(2026, 1, 28, 10)), Sent{"c1 1d:boss"});
  EXPECT_EQ(sweep_at(utc(2026, 1, 29, 10)), Sent{});
  EXPECT_EQ(reminded(customer(1)), (Sent{"7d:holder", "1d:boss"}));
}

TEST_F(RemindersTest, AnExtensionMovesTheDeadlineAwayAndTheRemindersComeAgain) {
  EXPECT_EQ(sweep_at(utc(2026, 1, 31, 9)), Sent{"c1 3d:admins"});
  clock.set(utc(2026, 2, 1, 9));
  ASSERT_HIGHSEAS_OK(pool.extend(admin, customer(1)));  // 15 more days: due 19 February
  EXPECT_EQ(sweep_at(utc(2026, 2, 1, 10)), Sent{}) << "passed for the old deadline only";
  EXPECT_EQ(sweep_at(utc(2026, 2, 12, 9)), Sent{"c1 7d:holder"});
  EXPECT_EQ(sweep_at(utc(2026, 2, 16, 9)), Sent{"c1 3d:admins"});
  EXPECT_EQ(reminded(customer(1)), (Sent{"3d:admins", "7d:holder", "3d:admins"}));
}

TEST_F(RemindersTest, APausedPoolSendsNothingAndItsRemindersWaitWithItsDeadlines) {
  clock.set(utc(2026, 1, 20));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  clock.set(utc(2026, 1, 28, 9));
  auto paused = pool.sweep();
  ASSERT_HIGHSEAS_OK(paused);
  EXPECT_TRUE(paused->paused);
  EXPECT_TRUE(paused->reminded.empty());
  // Ten days off: due at the end of 13 February, the 7-day reminder from the 6th.
  clock.set(utc(2026, 1, 30));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
  EXPECT_EQ(sweep_at(utc(2026, 2, 5, 23)), Sent{});
  EXPECT_EQ(sweep_at(utc(2026, 2, 6, 9)), Sent{"c1 7d:holder"});
  EXPECT_EQ(events.back().deadline, utc(2026, 2, 14));
}

TEST_F(RemindersTest, AWonOrReleasedHoldingIsNotReminded) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  clock.set(utc(2026, 1, 20));
  ASSERT_HIGHSEAS_OK(pool.record_win(alice, customer(1), WinKind::contract_signed));
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(2)));
  EXPECT_EQ(sweep_at(utc(2026, 2, 2, 9)), Sent{});
  EXPECT_TRUE(events.empty());
}

TEST_F(RemindersTest, TheAudienceIsThePoolsMembersWhenTheReminderIsSent) {
  clock.set(utc(2026, 1, 30));
  ASSERT_HIGHSEAS_OK(pool.set_member(boss, bob, Role::pool_admin));
  ASSERT_HIGHSEAS_OK(pool.remove_member(boss, admin));
  EXPECT_EQ(sweep_at(utc(2026, 1, 31, 9)), Sent{"c1 3d:admins"});
  EXPECT_EQ(events.back().audience, (std::vector<UserId>{alice, bob}));
  auto report = pool.sweep();
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_TRUE(report->reminded.empty());
}

TEST_F(RemindersTest, ActivityCountsTheReturnsAndWinsThatCameAfterAReminder) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(3)));
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(4)));
  clock.set(utc(2026, 1, 20));
  ASSERT_HIGHSEAS_OK(pool.record_win(bob, customer(4), WinKind::payment_received));  // unwarned
  EXPECT_EQ(sweep_at(utc(2026, 1, 27, 9)), (Sent{"c1 7d:holder", "c2 7d:holder", "c3 7d:holder"}));
  clock.set(utc(2026, 1, 28));
  ASSERT_HIGHSEAS_OK(pool.record_win(alice, customer(2), WinKind::contract_signed));
  clock.set(utc(2026, 2, 5));
  ASSERT_HIGHSEAS_OK(pool.sweep());  // c1 and c3 return, both warned
  auto activity = pool.activity(boss);
  ASSERT_HIGHSEAS_OK(activity);
  ASSERT_EQ(activity->members.size(), 2U);
  const MemberActivity& of_alice = activity->members[0];
  EXPECT_EQ(of_alice.user, alice);
  EXPECT_EQ(of_alice.returned, 1U);
  EXPECT_EQ(of_alice.returned_after_reminder, 1U);
  EXPECT_EQ(of_alice.won(), 1U);
  EXPECT_EQ(of_alice.won_after_reminder, 1U);
  const MemberActivity& of_bob = activity->members[1];
  EXPECT_EQ(of_bob.returned_after_reminder, 1U);
  EXPECT_EQ(of_bob.won(), 1U);
  EXPECT_EQ(of_bob.won_after_reminder, 0U) << "won before any warning";
}

TEST_F(RemindersTest, AFollowUpUnderAnIdleLimitMovesTheDeadlineAndRearmsTheReminders) {
  // A-level customers (c3, c6, c9) return after 10 idle days.
  ClaimPolicy rules = policy();
  rules.levels = {{"A",
                   {days(30),
                    Span(days(10)),
                    {{days(3), ReminderAudience::holder}, {days(1), ReminderAudience::admins}}}}};
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, rules));
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(3)));  // idle until the end of 14 January
  EXPECT_EQ(sweep_at(utc(2026, 1, 11, 9)), Sent{"c3 3d:holder"});
  clock.set(utc(2026, 1, 12, 10));
  ASSERT_HIGHSEAS_OK(pool.follow_up(bob, customer(3), "called the buyer"));  // end of 22 January
  EXPECT_EQ(events.back().deadline, utc(2026, 1, 15));
  EXPECT_EQ(sweep_at(utc(2026, 1, 13, 9)), Sent{}) << "the 1-day reminder is for the old deadline";
  EXPECT_EQ(sweep_at(utc(2026, 1, 19, 9)), Sent{"c3 3d:holder"});
  EXPECT_EQ(sweep_at(utc(2026, 1, 21, 9)), Sent{"c3 1d:admins"});
  EXPECT_EQ(events.back().deadline, utc(2026, 1, 23));
  EXPECT_EQ(events.back().deadline_reason, DeadlineReason::idle);
}

TEST_F(RemindersTest, AProtectionPushesTheDeadlineOutAndItsRemindersComeBeforeItsEnd) {
  ClaimPolicy rules = policy();
  rules.protection = {1, days(20)};
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, rules));
  EXPECT_EQ(sweep_at(utc(2026, 1, 31, 9)), Sent{"c1 3d:admins"});
  clock.set(utc(2026, 2, 1, 9));
  ASSERT_HIGHSEAS_OK(pool.protect(alice, customer(1), days(10)));  // until the end of 11 February
  EXPECT_EQ(sweep_at(utc(2026, 2, 3, 9)), Sent{}) << "the period's end no longer returns it";
  EXPECT_EQ(sweep_at(utc(2026, 2, 4, 9)), Sent{"c1 7d:holder"});
  EXPECT_EQ(events.back().deadline_reason, DeadlineReason::protection_ended);
  EXPECT_EQ(events.back().deadline, utc(2026, 2, 12));
}

// A host that was down when a sweep committed never hears those events; the
// pool has recorded them, so a later sweep does not send them again, and the
// history says who was warned. A sweep whose commit fails records nothing
// and sends nothing: the next one sends each reminder once.
TEST_F(RemindersTest, ARecordedReminderIsNeverSentAgainAndAFailedSweepRecordsNothing) {
  heard.disconnect();
  clock.set(utc(2026, 1, 27, 9));
  ASSERT_HIGHSEAS_OK(pool.sweep());  // nobody listening: the event is lost
  EXPECT_EQ(reminded(customer(1)), Sent{"7d:holder"}) << "but the record is not";
  heard = pool.events().reminder_due.connect(
      [this](const ReminderDue& event) { events.push_back(event); });
  EXPECT_EQ(sweep_at(utc(2026, 1, 27, 10)), Sent{});
  EXPECT_TRUE(events.empty());

  // Every storage call of a sweep that has a reminder to send, failed in turn.
  for (std::uint64_t failing = 1;; ++failing) {
    SCOPED_TRACE("storage call " + std::to_string(failing));
    MemoryStorage fresh;
    testing::FaultInjectingStorage faulty(fresh);
    ManualClock at{utc(2026, 1, 5)};
    PublicPool setup{PoolId("pool"), fresh, at};
    ASSERT_HIGHSEAS_OK(setup.create(boss, policy()));
    ASSERT_HIGHSEAS_OK(setup.set_member(boss, alice, Role::pool_user));
    ASSERT_HIGHSEAS_OK(setup.import_customers(boss, std::vector<CustomerProfile>{profile(1)}));
    ASSERT_HIGHSEAS_OK(setup.claim(alice, customer(1)));
    at.set(utc(2026, 1, 27, 9));
    PublicPool swept{PoolId("pool"), faulty, at};
    std::vector<ReminderDue> heard_here;
    ScopedConnection listening = swept.events().reminder_due.connect(
        [&](const ReminderDue& event) { heard_here.push_back(event); });
    faulty.fail_at(failing);
    try {
      ASSERT_HIGHSEAS_OK(swept.sweep());
    } catch (const StorageError&) {
      EXPECT_TRUE(heard_here.empty());
      auto history = setup.history(boss, customer(1));
      ASSERT_HIGHSEAS_OK(history);
      EXPECT_NE(history->back().kind, HistoryKind::reminded);
      faulty.fail_at(0);
      ASSERT_HIGHSEAS_OK(swept.sweep());
      ASSERT_HIGHSEAS_OK(swept.sweep());
      EXPECT_EQ(heard_here.size(), 1U) << "sent once after the failure";
      continue;
    }
    EXPECT_EQ(heard_here.size(), 1U);
    EXPECT_GT(failing, 3U) << "the sweep makes storage calls";
    break;
  }
}

TEST_F(RemindersTest, ManyHoldingsAreRemindedInBatchesEachOnce) {
  // More holdings than one sweep batch, all due for their first reminder.
  ClaimPolicy rules = policy();
  rules.max_holdings = 2000;
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, rules));
  std::vector<CustomerProfile> batch;
  const std::size_t count = PublicPool::kSweepBatch + 100;
  for (std::size_t i = 0; i < count; ++i) batch.push_back(profile(static_cast<int>(100 + i)));
  ASSERT_HIGHSEAS_OK(pool.import_customers(admin, batch));
  for (const CustomerProfile& row : batch) ASSERT_HIGHSEAS_OK(pool.claim(bob, row.id));
  const Sent sent = sweep_at(utc(2026, 1, 27, 9));
  EXPECT_EQ(sent.size(), count + 1);
  std::map<CustomerId, int> per_customer;
  for (const ReminderDue& event : events) ++per_customer[event.customer];
  EXPECT_EQ(per_customer.size(), count + 1);
  for (const auto& [id, times] : per_customer) EXPECT_EQ(times, 1) << id;
  EXPECT_EQ(sweep_at(utc(2026, 1, 27, 10)), Sent{});
}

TEST_F(RemindersTest, PolicyRefusesRemindersThatCouldNeverWarnInTime) {
  auto refused = [&](std::vector<Reminder> reminders) {
    ClaimPolicy rules = policy();
    rules.default_rule.reminders = std::move(reminders);
    return pool.set_policy(boss, rules);
  };
  EXPECT_REFUSED(refused({{days(30), ReminderAudience::holder}}), invalid_argument);
  EXPECT_REFUSED(refused({{Span::business_days(30), ReminderAudience::holder}}), invalid_argument);
  EXPECT_REFUSED(refused({{days(3), ReminderAudience::holder}, {days(3), ReminderAudience::boss}}),
                 invalid_argument);
  EXPECT_REFUSED(refused({{days(0), ReminderAudience::holder}}), invalid_argument);
  EXPECT_REFUSED(refused(std::vector<Reminder>(9, Reminder{})), invalid_argument);
  EXPECT_REFUSED(refused({{days(3), static_cast<ReminderAudience>(7)}}), invalid_argument);
  std::vector<Reminder> eight;
  for (int day = 1; day <= 8; ++day) eight.push_back({days(day), ReminderAudience::holder});
  EXPECT_HIGHSEAS_OK(refused(eight));
}

}  // namespace
}  // namespace highseas::test
