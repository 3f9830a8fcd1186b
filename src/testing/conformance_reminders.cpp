// Conformance tests: what a storage keeps for reminders before a return. A
// holding's reminders, when the next is due and which were sent are stored
// exactly; list_reminders_due reads the due ones in (reminder_due, id) order
// as a range of an index; resuming a pool moves reminder_due with the
// deadlines; a return clears them. Compiled into HighSeas::testing.
#include <string>
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"

namespace highseas::testing {

namespace {

// `holding` with three reminders, the next due at `reminder_due`
// (not_a_date_time: none left), two of them sent.
CustomerRecord armed(CustomerRecord record, Time reminder_due) {
  record.reminders = {{days(7), ReminderAudience::holder},
                      {Span::business_days(2), ReminderAudience::admins},
                      {hours(20), ReminderAudience::boss}};
  record.reminder_due = reminder_due;
  record.reminders_sent = 0b011;
  return record;
}

std::vector<CustomerId> ids_of(const std::vector<DueHolding>& rows) {
  std::vector<CustomerId> ids;
  ids.reserve(rows.size());
  for (const DueHolding& row : rows) ids.push_back(row.id);
  return ids;
}

}  // namespace

TEST_P(StorageConformance, ListRemindersDueReadsTheDueOnesEarliestFirst) {
  const Time now = clock().now();
  const Time later = now + days(10);
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", armed(held_record("u", later), now - hours(2)));
    tx->insert_customer(profile(2), "",
                        armed(held_record("v", later), now));  // due at its exact instant
    tx->insert_customer(profile(3), "", armed(held_record("u", later), now - hours(5)));
    tx->insert_customer(profile(4), "",
                        armed(held_record("u", later), now - hours(2)));  // ties by id
    tx->insert_customer(profile(5), "",
                        armed(held_record("u", later), now + seconds(1)));        // not yet
    tx->insert_customer(profile(6), "", armed(held_record("u", later), Time()));  // none left
    CustomerRecord won = armed(held_record("u", later), now - hours(9));          // not a holding
    won.state = CustomerState::regular;
    tx->insert_customer(profile(7), "", won);
    tx->commit();
  }
  {
    auto tx = begin("pool-b", TransactionMode::read_write);  // pools never mix
    tx->insert_customer(profile(8), "", armed(held_record("u", later), now - hours(1)));
    tx->commit();
  }
  for (const TransactionMode mode : {TransactionMode::read_only, TransactionMode::read_write}) {
    SCOPED_TRACE(mode == TransactionMode::read_only ? "read_only" : "read_write");
    auto tx = begin("pool-a", mode);
    const std::vector<DueHolding> due = tx->list_reminders_due(now, 50);
    EXPECT_EQ(ids_of(due),
              (std::vector<CustomerId>{customer(3), customer(1), customer(4), customer(2)}));
    ASSERT_EQ(due.size(), 4U);
    EXPECT_EQ(due[0].record, armed(held_record("u", later), now - hours(5)))
        << "the record as stored";
    EXPECT_EQ(ids_of(tx->list_reminders_due(now, 2)),
              (std::vector<CustomerId>{customer(3), customer(1)}));
    EXPECT_TRUE(tx->list_reminders_due(now, 0).empty());
    EXPECT_TRUE(tx->list_reminders_due(Time(), 50).empty()) << "no time";
    EXPECT_EQ(ids_of(tx->list_reminders_due(now - hours(3), 50)),
              std::vector<CustomerId>{customer(3)});
  }
  // A writer sees its own writes: a reminder sent moves on, one armed comes in.
  auto tx = begin("pool-a", TransactionMode::read_write);
  tx->update_customer(customer(3), armed(held_record("u", later), now + days(2)));
  tx->update_customer(customer(6), armed(held_record("u", later), now - hours(3)));
  EXPECT_EQ(ids_of(tx->list_reminders_due(now, 50)),
            (std::vector<CustomerId>{customer(6), customer(1), customer(4), customer(2)}));
}

TEST_P(StorageConformance, ResumingMovesRemindersAndAReturnClearsThem) {
  const Time now = clock().now();
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", armed(held_record("u", now + days(10)), now + days(3)));
    tx->insert_customer(profile(2), "", armed(held_record("u", now - hours(1)), now - days(1)));
    tx->insert_customer(profile(3), "", armed(held_record("u", now + days(10)), Time()));
    tx->commit();
  }
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->shift_deadlines(days(4));
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_write);
  EXPECT_EQ(tx->find_customer(customer(1))->reminder_due, now + days(7));
  EXPECT_EQ(tx->find_customer(customer(3))->reminder_due, Time()) << "none stays none";
  EXPECT_EQ(tx->find_customer(customer(3))->reminders_sent, 0b011U);
  EXPECT_EQ(ids_of(tx->list_reminders_due(now + days(3), 50)),
            std::vector<CustomerId>{customer(2)});
  // Customer 2 is due at now + 4 days - 1 hour after the shift: its return
  // clears them all.
  DueReturn plan;
  plan.now = now + days(4);
  plan.cooldown = days(1);
  ASSERT_EQ(tx->return_due(plan, 50).size(), 1U);
  const std::optional<CustomerRecord> returned = tx->find_customer(customer(2));
  ASSERT_TRUE(returned.has_value());
  EXPECT_TRUE(returned->reminders.empty());
  EXPECT_EQ(returned->reminder_due, Time());
  EXPECT_EQ(returned->reminders_sent, 0U);
  EXPECT_EQ(ids_of(tx->list_reminders_due(now + days(30), 50)),
            std::vector<CustomerId>{customer(1)});
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_reminders() {}

}  // namespace highseas::testing
