// Reminders on PostgreSQL: listing the reminders due locks them and leaves
// out, without waiting, those another transaction locked; two sweepers at
// once, each with its own storage (as on two app servers), over 10,000
// holdings whose first reminder fell due send each reminder exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "admin_connection.hpp"
#include "highseas/postgres/postgres_storage.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/testing/matchers.hpp"
#include "postgres_test_env.hpp"

namespace highseas {
namespace {

const UserId kBoss("boss");
const UserId kAdmin("admin");
const Time kStart = utc(2026, 3, 1);
// When the sweepers run: past every holding's 7-day reminder (see fill),
// before every 3-day one and every deadline.
const Time kSweepAt = kStart + days(26) + hours(12);

// Returns the ids of `due`, in order.
std::vector<std::string> ids(const std::vector<DueHolding>& due) {
  std::vector<std::string> out;
  out.reserve(due.size());
  for (const DueHolding& holding : due) out.push_back(holding.id.str());
  return out;
}

TEST(PostgresReminders, ListingTheDueLocksThemAndLeavesOutThoseLockedElsewhere) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  PostgresStorage storage({uri, test::fresh_schema("remind_lock")});
  const PoolId id("p");
  const Time now = kStart;
  {
    auto tx = storage.begin(id, TransactionMode::read_write);
    // Due at now - 2 s (c0), now - 3 s (c1, c2: the id breaks the tie) and
    // now - 4 s (c3); c4's is still to come, c5 has none left, and c6 is
    // not held: none of those three is due.
    const Duration before[] = {seconds(2), seconds(3), seconds(3), seconds(4), -seconds(1)};
    for (int n = 0; n < 7; ++n) {
      CustomerRecord record;
      record.state = n == 6 ? CustomerState::available : CustomerState::held;
      if (n != 6) record.holder = UserId("rep");
      record.since = now - days(20);
      record.deadline = now + days(10);
      record.reminders = {{days(14), ReminderAudience::holder}};
      if (n < 5) record.reminder_due = now - before[n];
      if (n == 6) record.reminder_due = now - seconds(5);
      const CustomerProfile profile{
          CustomerId(test::numbered("c", n)), test::numbered("C", n), "", "", {}};
      tx->insert_customer(profile, profile.name, record);
    }
    tx->commit();
  }
  const std::vector<std::string> all{"c3", "c1", "c2", "c0"};
  {
    auto reader = storage.begin(id, TransactionMode::read_only);
    EXPECT_EQ(ids(reader->list_reminders_due(now, 10)), all) << "earliest first, then by id";
    EXPECT_EQ(ids(reader->list_reminders_due(now, 3)),
              (std::vector<std::string>{"c3", "c1", "c2"}));
    EXPECT_TRUE(reader->list_reminders_due(Time(), 10).empty()) << "not_a_date_time: none due";
  }
  auto first = storage.begin(id, TransactionMode::read_write);
  EXPECT_EQ(ids(first->list_reminders_due(now, 2)), (std::vector<std::string>{"c3", "c1"}));
  {
    auto second = storage.begin(id, TransactionMode::read_write);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(ids(second->list_reminders_due(now, 10)), (std::vector<std::string>{"c2", "c0"}))
        << "the rows the first sweeper locked are left out";
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << "it waited";
    // A reader takes no lock and is kept out by none.
    auto reader = storage.begin(id, TransactionMode::read_only);
    EXPECT_EQ(ids(reader->list_reminders_due(now, 10)), all);
  }
  // The second rolled back: its rows are free again, the first's are not.
  auto third = storage.begin(id, TransactionMode::read_write);
  EXPECT_EQ(ids(third->list_reminders_due(now, 10)), (std::vector<std::string>{"c2", "c0"}));
}

constexpr int kHoldings = 10'000;
constexpr int kUsers = 50;

// This test is about who sends what, not how fast: as the sweep test, a
// command timeout a loaded CI machine cannot miss.
PostgresOptions patient(const std::string& uri, const std::string& schema) {
  PostgresOptions options{uri, schema};
  options.command_timeout = std::chrono::seconds(60);
  return options;
}

// Creates pool `id` (30-day holdings, reminded 7 days before to the holder
// and 3 days before to the admins too) with kUsers reps and one admin, then
// kHoldings holdings: c0 claimed by u0 at noon through the pool, the rest
// copies of its record written straight through one transaction, each
// claimed by one of the reps 0 to 2 days and up to 977 s later, its next
// reminder due as many whole days later (a reminder falls due at the start
// of a day in the pool's days, so the seconds move it not), so every one is
// armed exactly as a claim would arm it.
void fill(const std::string& uri, const std::string& schema, const PoolId& id) {
  ManualClock clock(kStart + hours(12));
  PostgresStorage storage(patient(uri, schema));
  PublicPool pool(id, storage, clock);
  ClaimPolicy policy;
  policy.default_rule.holding_period = days(30);
  policy.default_rule.reminders = {{days(7), ReminderAudience::holder},
                                   {days(3), ReminderAudience::admins}};
  ASSERT_HIGHSEAS_OK(pool.create(kBoss, policy));
  ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, kAdmin, Role::pool_admin));
  for (int user = 0; user < kUsers; ++user) {
    ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, UserId(test::numbered("u", user)), Role::pool_user));
  }
  const std::vector<CustomerProfile> first{{CustomerId("c0"), "Customer 0", "", "", {}}};
  ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, first));
  ASSERT_HIGHSEAS_OK(pool.claim(UserId("u0"), CustomerId("c0")));
  auto tx = storage.begin(id, TransactionMode::read_write);
  const std::optional<CustomerRecord> claimed = tx->find_customer(CustomerId("c0"));
  ASSERT_TRUE(claimed.has_value());
  ASSERT_FALSE(claimed->reminder_due.is_special()) << "armed for the 7-day reminder";
  ASSERT_LT(claimed->reminder_due, kSweepAt - days(2)) << "due for every copy by kSweepAt";
  ASSERT_GT(claimed->deadline - days(4), kSweepAt) << "the 3-day reminder is not";
  for (int n = 1; n < kHoldings; ++n) {
    CustomerProfile profile;
    profile.id = CustomerId(test::numbered("c", n));
    profile.name = test::numbered("Customer ", n);
    CustomerRecord record = *claimed;
    record.holder = UserId(test::numbered("u", n % kUsers));
    const Duration later = days(n % 3) + seconds(n % 977);
    record.since += later;
    record.deadline += later;
    record.period_deadline += later;
    record.reminder_due += days(n % 3);
    tx->insert_customer(profile, profile.name, record);
  }
  tx->commit();
}

TEST(PostgresReminders, TwoSweepersSendEachOfTenThousandRemindersOnce) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema("remind");
  const PoolId id("remind");
  fill(uri, schema, id);
  if (HasFatalFailure()) return;
  ManualClock clock(kSweepAt);

  std::atomic<int> ready{0};
  std::vector<ReminderDue> heard[2];
  std::vector<SentReminder> reported[2];
  std::vector<std::thread> sweepers;
  for (int node = 0; node < 2; ++node) {
    sweepers.emplace_back([&, node] {
      PostgresStorage storage(patient(uri, schema));
      PublicPool pool(id, storage, clock);
      const ScopedConnection listening = pool.events().reminder_due.connect(
          [&, node](const ReminderDue& event) { heard[node].push_back(event); });
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      auto report = pool.sweep();
      ASSERT_HIGHSEAS_OK(report);
      EXPECT_TRUE(report->returned.empty());
      reported[node] = report->reminded;
    });
  }
  for (std::thread& sweeper : sweepers) sweeper.join();

  // Every customer heard of exactly once, across both nodes, with the
  // 7-day reminder to its holder alone.
  std::map<CustomerId, int> events;
  for (const auto& node : heard) {
    for (const ReminderDue& event : node) {
      ++events[event.customer];
      EXPECT_EQ(event.reminder, (Reminder{days(7), ReminderAudience::holder}));
      ASSERT_TRUE(event.holder.has_value());
      EXPECT_EQ(event.audience, std::vector<UserId>{*event.holder});
    }
  }
  EXPECT_EQ(events.size(), static_cast<std::size_t>(kHoldings));
  std::string repeated;  // the first few reminded more than once
  int repeats = 0;
  for (const auto& [customer, count] : events) {
    if (count == 1) continue;
    if (++repeats > 5) continue;
    repeated.append(" ").append(customer.str()).append(" (");
    repeated.append(std::to_string(count)).append(")");
  }
  EXPECT_EQ(repeats, 0) << "reminded more than once:" << repeated;
  EXPECT_EQ(reported[0].size() + reported[1].size(), static_cast<std::size_t>(kHoldings))
      << "the reports say what the events say";

  PostgresStorage storage(patient(uri, schema));
  {
    auto tx = storage.begin(id, TransactionMode::read_only);
    EXPECT_TRUE(tx->list_reminders_due(clock.now(), 10).empty()) << "nothing left to send";
  }

  // Behind the storage's back: one 'reminded' entry per customer, and every
  // holding armed for its 3-day reminder with the 7-day one marked sent.
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in + "history WHERE kind = 'reminded'"),
            std::to_string(kHoldings));
  EXPECT_EQ(admin.query("SELECT count(DISTINCT customer_id) FROM " + in +
                        "history WHERE kind = 'reminded' AND note = '7d:holder'"),
            std::to_string(kHoldings));
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in +
                        "customers WHERE state = 'held' AND reminders_sent = 1 AND "
                        "reminder_due > " +
                        std::to_string((kSweepAt - utc(1970, 1, 1)).total_microseconds()) +
                        " AND reminder_due < deadline"),
            std::to_string(kHoldings));
}

}  // namespace
}  // namespace highseas
