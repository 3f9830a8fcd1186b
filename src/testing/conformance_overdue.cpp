// Conformance tests: what a storage offers for returns exact at the deadline.
// A holding whose deadline has come is as good as returned before any sweep
// writes it: count_holdings can leave it out, and list_overdue pages it with
// the available customers; list_by_deadline pages the holdings about to
// return. Compiled into HighSeas::testing.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"

namespace highseas::testing {

namespace {

Duration micros(std::int64_t count) { return boost::posix_time::microseconds(count); }

std::vector<CustomerId> ids_of(const std::vector<StoredCustomer>& rows) {
  std::vector<CustomerId> ids;
  ids.reserve(rows.size());
  for (const StoredCustomer& row : rows) ids.push_back(row.profile.id);
  return ids;
}

bool passes(const AvailableFilter& filter, const CustomerProfile& profile) {
  if (!filter.country.empty() && profile.country != filter.country) return false;
  if (!filter.level.empty() && profile.level != filter.level) return false;
  return filter.tag.empty() ||
         std::find(profile.tags.begin(), profile.tags.end(), filter.tag) != profile.tags.end();
}

}  // namespace

TEST_P(StorageConformance, CountHoldingsLeavesOutExactlyTheHoldingsDueThen) {
  const Time now = clock().now();
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", held_record("u", now - days(1)));
    tx->insert_customer(profile(2), "", held_record("u", now));  // due at its exact deadline
    tx->insert_customer(profile(3), "", held_record("u", now + micros(1)));  // not yet
    tx->insert_customer(profile(4), "", held_record("u", now + days(1)));
    tx->insert_customer(profile(5), "", held_record("v", now - hours(1)));
    CustomerRecord regular = held_record("u", now - days(2));  // won: no holding, whatever
    regular.state = CustomerState::regular;                    // its leftover deadline
    tx->insert_customer(profile(6), "", regular);
    CustomerRecord cooling;
    cooling.cooldowns = {{UserId("u"), now + days(1)}};
    tx->insert_customer(profile(7), "", cooling);
    tx->commit();
  }
  {
    auto tx = begin("pool-b", TransactionMode::read_write);  // pools never mix
    tx->insert_customer(profile(8), "", held_record("u", now + days(3)));
    tx->commit();
  }
  for (const TransactionMode mode : {TransactionMode::read_only, TransactionMode::read_write}) {
    SCOPED_TRACE(mode == TransactionMode::read_only ? "read_only" : "read_write");
    auto tx = begin("pool-a", mode);
    const UserId u("u");
    EXPECT_EQ(tx->count_holdings(u, std::nullopt), 4U);  // none: every holding
    EXPECT_EQ(tx->count_holdings(u, now), 2U);           // deadline == due_at is due
    EXPECT_EQ(tx->count_holdings(u, now - micros(1)), 3U);
    EXPECT_EQ(tx->count_holdings(u, now + micros(1)), 1U);
    EXPECT_EQ(tx->count_holdings(u, now - days(2)), 4U);  // nothing due yet
    EXPECT_EQ(tx->count_holdings(u, now + days(2)), 0U);  // everything due
    EXPECT_EQ(tx->count_holdings(UserId("v"), now), 0U);
    EXPECT_EQ(tx->count_holdings(UserId("v"), now - hours(2)), 1U);
    EXPECT_EQ(tx->count_holdings(UserId("v"), std::nullopt), 1U);
    EXPECT_EQ(tx->count_holdings(UserId("nobody"), now), 0U);
    EXPECT_EQ(tx->count_holdings(u, Time()), 4U);  // no time: nothing is due
  }
  // A writer counts its own writes, due or not.
  auto tx = begin("pool-a", TransactionMode::read_write);
  tx->update_customer(customer(4), held_record("u", now - hours(3)));  // now due
  tx->update_customer(customer(7), held_record("u", now + hours(3)));  // a new holding
  EXPECT_EQ(tx->count_holdings(UserId("u"), now), 2U);
  EXPECT_EQ(tx->count_holdings(UserId("u"), std::nullopt), 5U);
}

TEST_P(StorageConformance, ListOverduePagesTheDueHoldingsByIdWithTheFilter) {
  const Time now = clock().now();
  // Deadlines run against ids, so id order is not deadline order.
  const std::vector<std::pair<int, Time>> due{{2, now - days(3)},
                                              {10, now - days(2)},
                                              {6, now - days(1)},
                                              {12, now - hours(5)},
                                              {3, now - hours(1)},
                                              {8, now - seconds(1)},
                                              {5, now}};  // c05: due at its exact deadline
  std::vector<CustomerRecord> records(14);
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    for (const auto& [n, deadline] : due) {
      records[static_cast<std::size_t>(n)] = held_record(n % 2 == 0 ? "u" : "v", deadline);
    }
    records[1] = held_record("u", now + micros(1));  // not yet due
    records[4] = held_record("v", now + days(1));
    records[7] = CustomerRecord{};  // available
    // Not held, each with a leftover deadline in the past: never overdue.
    records[9] = held_record("u", now - days(1));
    records[9].state = CustomerState::regular;
    records[11] = held_record("v", now - days(1));
    records[11].state = CustomerState::available;
    records[11].holder.reset();
    for (int n = 1; n <= 12; ++n) {
      tx->insert_customer(profile(n), "", records[static_cast<std::size_t>(n)]);
    }
    tx->commit();
  }
  {
    auto tx = begin("pool-b", TransactionMode::read_write);  // pools never mix
    tx->insert_customer(profile(13), "", held_record("u", now - days(4)));
    tx->commit();
  }
  const std::vector<int> due_by_id{2, 3, 5, 6, 8, 10, 12};
  auto tx = begin("pool-a", TransactionMode::read_only);

  // Everything due, as stored (still held: the caller converts), by id.
  const std::vector<StoredCustomer> all = tx->list_overdue({{}, std::nullopt, 50}, now);
  ASSERT_EQ(all.size(), due_by_id.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const int n = due_by_id[i];
    SCOPED_TRACE("customer " + std::to_string(n));
    EXPECT_EQ(all[i].profile, profile(n));
    EXPECT_EQ(all[i].record, records[static_cast<std::size_t>(n)]);
  }

  // The filter, as list_available's.
  const std::vector<AvailableFilter> filters{
      {"BR", "", ""}, {"", "A", ""}, {"", "", "vip"}, {"DE", "B", "europe"}, {"JP", "", ""}};
  for (const AvailableFilter& filter : filters) {
    std::vector<CustomerId> expected;
    for (const int n : due_by_id) {
      if (passes(filter, profile(n))) expected.push_back(customer(n));
    }
    EXPECT_EQ(ids_of(tx->list_overdue({filter, std::nullopt, 50}, now)), expected)
        << "filter " << filter.country << "/" << filter.level << "/" << filter.tag;
  }

  // Pages by id: the limit takes the smallest ids, not the earliest deadlines.
  std::vector<CustomerId> seen;
  AvailableQuery query{{}, std::nullopt, 3};
  for (int page = 0; page < 10; ++page) {
    const std::vector<StoredCustomer> rows = tx->list_overdue(query, now);
    EXPECT_LE(rows.size(), 3U);
    if (rows.empty()) break;
    for (const StoredCustomer& row : rows) seen.push_back(row.profile.id);
    query.after = rows.back().profile.id;
  }
  std::vector<CustomerId> expected;
  expected.reserve(due_by_id.size());
  for (const int n : due_by_id) expected.push_back(customer(n));
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(ids_of(tx->list_overdue({{}, std::nullopt, 3}, now)),
            (std::vector<CustomerId>{customer(2), customer(3), customer(5)}));
  // A cursor that is no customer's id still pages from the right place.
  EXPECT_EQ(ids_of(tx->list_overdue({{}, CustomerId("c05a"), 2}, now)),
            (std::vector<CustomerId>{customer(6), customer(8)}));
  EXPECT_TRUE(tx->list_overdue({{}, customer(12), 50}, now).empty());
  EXPECT_TRUE(tx->list_overdue({{}, std::nullopt, 0}, now).empty());

  // Due is deadline <= now: earlier, fewer; before every deadline, none.
  EXPECT_EQ(ids_of(tx->list_overdue({{}, std::nullopt, 50}, now - days(2))),
            (std::vector<CustomerId>{customer(2), customer(10)}));
  EXPECT_EQ(ids_of(tx->list_overdue({{}, std::nullopt, 50}, now - micros(1))),
            (std::vector<CustomerId>{customer(2), customer(3), customer(6), customer(8),
                                     customer(10), customer(12)}));
  EXPECT_TRUE(tx->list_overdue({{}, std::nullopt, 50}, now - days(10)).empty());
  EXPECT_TRUE(tx->list_overdue({{}, std::nullopt, 50}, Time()).empty());  // no time: none due
}

TEST_P(StorageConformance, ListOverdueSeesTheTransactionsOwnWritesAndNothingOnceReturned) {
  const Time now = clock().now();
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", held_record("u", now - hours(1)));
    tx->insert_customer(profile(2), "", held_record("u", now + hours(1)));
    tx->insert_customer(profile(3), "", CustomerRecord{});
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_write);
  tx->update_customer(customer(2), held_record("v", now - hours(2)));  // now due
  tx->update_customer(customer(3), held_record("v", now - hours(3)));  // a due holding
  EXPECT_EQ(ids_of(tx->list_overdue({{}, std::nullopt, 50}, now)),
            (std::vector<CustomerId>{customer(1), customer(2), customer(3)}));
  // Once the sweep writes the return, the customer is available, no longer overdue.
  EXPECT_EQ(tx->return_due(DueReturn{now, days(7)}, 10).size(), 3U);
  EXPECT_TRUE(tx->list_overdue({{}, std::nullopt, 50}, now).empty());
  EXPECT_EQ(tx->list_available({{}, std::nullopt, 50}).size(), 3U);
}

TEST_P(StorageConformance, ReturnDueGivesEachHoldingBackAtItsOwnDeadline) {
  // The sweep runs a day late; each row returns at its own deadline, so a
  // set-based sweep must take since, the entry's time and the cooldown from
  // each row, not one value for the whole batch.
  const Time now = clock().now();
  const Time early = now - days(1) - micros(7);
  const Time late = now - hours(2);
  const std::vector<CustomerRecord> before{held_record("u", early), held_record("v", late),
                                           held_record("u", now)};
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    for (int n = 1; n <= 3; ++n) {
      tx->insert_customer(profile(n), "", before[static_cast<std::size_t>(n - 1)]);
    }
    tx->commit();
  }
  const DueReturn plan{now, days(7) + hours(3)};
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    EXPECT_EQ(tx->return_due(plan, 10).size(), 3U);
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  for (int n = 1; n <= 3; ++n) {
    SCOPED_TRACE("customer " + std::to_string(n));
    const CustomerRecord& held = before[static_cast<std::size_t>(n - 1)];
    const std::optional<CustomerRecord> returned = tx->find_customer(customer(n));
    ASSERT_TRUE(returned.has_value());
    EXPECT_EQ(returned, plan.returned(held));
    EXPECT_EQ(returned->since, held.deadline);
    ASSERT_FALSE(returned->cooldowns.empty());
    EXPECT_EQ(returned->cooldowns.back(), (Cooldown{*held.holder, held.deadline + plan.cooldown}));
    const std::vector<HistoryEntry> history = tx->list_history(customer(n));
    ASSERT_EQ(history.size(), 1U);
    EXPECT_EQ(history[0], plan.entry(held));
    EXPECT_EQ(history[0].at, held.deadline);
  }
}

TEST_P(StorageConformance, ListByDeadlinePagesTheHoldingsOfAWindowEarliestFirst) {
  const Time now = clock().now();
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "",
                        held_record("u", now - hours(1)));       // due: before the window
    tx->insert_customer(profile(2), "", held_record("u", now));  // due at its deadline
    tx->insert_customer(profile(3), "", held_record("v", now + hours(5)));
    tx->insert_customer(profile(4), "", held_record("u", now + hours(2)));
    tx->insert_customer(profile(5), "", held_record("u", now + hours(5)));  // ties by id
    tx->insert_customer(profile(6), "", held_record("w", now + days(3)));   // the window's end
    tx->insert_customer(profile(7), "", held_record("u", now + days(3) + micros(1)));
    CustomerRecord regular = held_record("u", now + hours(1));  // won: not a holding
    regular.state = CustomerState::regular;
    tx->insert_customer(profile(8), "", regular);
    tx->insert_customer(profile(9), "", CustomerRecord{});
    tx->commit();
  }
  {
    auto tx = begin("pool-b", TransactionMode::read_write);  // pools never mix
    tx->insert_customer(profile(10), "", held_record("u", now + hours(1)));
    tx->commit();
  }
  const Time until = now + days(3);
  for (const TransactionMode mode : {TransactionMode::read_only, TransactionMode::read_write}) {
    SCOPED_TRACE(mode == TransactionMode::read_only ? "read_only" : "read_write");
    auto tx = begin("pool-a", mode);
    // From just behind the holdings due now (the id "" comes before every id).
    const std::vector<StoredCustomer> all = tx->list_by_deadline({{now, CustomerId()}, until, 50});
    EXPECT_EQ(ids_of(all), (std::vector<CustomerId>{customer(2), customer(4), customer(3),
                                                    customer(5), customer(6)}));
    ASSERT_EQ(all.size(), 5U);
    EXPECT_EQ(all[1].record, held_record("u", now + hours(2))) << "the record as stored";
    EXPECT_EQ(all[1].profile, profile(4)) << "and the profile";
    // Behind the position (now, customer 2): the holdings due now are left out.
    EXPECT_EQ(ids_of(tx->list_by_deadline({{now, customer(2)}, until, 50})),
              (std::vector<CustomerId>{customer(4), customer(3), customer(5), customer(6)}));
    // Pages of two, each from behind the last holding of the one before.
    std::vector<CustomerId> paged;
    DeadlinePosition position{now, customer(2)};
    for (int page = 0; page < 4; ++page) {
      const std::vector<StoredCustomer> rows = tx->list_by_deadline({position, until, 2});
      EXPECT_LE(rows.size(), 2U);
      if (rows.empty()) break;
      for (const StoredCustomer& row : rows) paged.push_back(row.profile.id);
      position = {rows.back().record.deadline, rows.back().profile.id};
    }
    EXPECT_EQ(paged, (std::vector<CustomerId>{customer(4), customer(3), customer(5), customer(6)}));
    // Within a tie, behind customer 3 comes customer 5.
    EXPECT_EQ(ids_of(tx->list_by_deadline({{now + hours(5), customer(3)}, until, 50})),
              (std::vector<CustomerId>{customer(5), customer(6)}));
    EXPECT_TRUE(tx->list_by_deadline({{now, customer(2)}, now + hours(1), 50}).empty());
    EXPECT_TRUE(tx->list_by_deadline({{now, customer(2)}, until, 0}).empty());
    EXPECT_TRUE(tx->list_by_deadline({{now, customer(2)}, Time(), 50}).empty()) << "no time";
  }
  // A writer sees its own writes.
  auto tx = begin("pool-a", TransactionMode::read_write);
  tx->update_customer(customer(9), held_record("v", now + hours(1)));
  tx->update_customer(customer(4), held_record("u", now + days(4)));
  EXPECT_EQ(ids_of(tx->list_by_deadline({{now, customer(2)}, until, 50})),
            (std::vector<CustomerId>{customer(9), customer(3), customer(5), customer(6)}));
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_overdue() {}

}  // namespace highseas::testing
