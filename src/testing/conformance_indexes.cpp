// Conformance tests: the indexes the rules need (deadlines, holdings per user,
// available customers by filter) and the sweep built on them. Compiled into HighSeas::testing.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"
#include "highseas/testing/days.hpp"

namespace highseas::testing {

TEST_P(StorageConformance, ListDueReturnsExactlyTheDueHoldingsInOrder) {
  const Time now = clock().now();
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    // Inserted out of order; c3 and c1 share a deadline (ties go by id).
    tx->insert_customer(profile(5), "", held_record("u", now + seconds(1)));  // not yet due
    tx->insert_customer(profile(3), "", held_record("u", now - hours(1)));
    tx->insert_customer(profile(4), "", held_record("v", now));  // due at its exact deadline
    tx->insert_customer(profile(1), "", held_record("v", now - hours(1)));
    tx->insert_customer(profile(2), "", held_record("u", now - days(2)));
    tx->insert_customer(profile(6), "", CustomerRecord{});  // available: never due
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_write);
  auto ids = [](const std::vector<DueHolding>& due) {
    std::vector<CustomerId> out;
    out.reserve(due.size());
    for (const DueHolding& holding : due) out.push_back(holding.id);
    return out;
  };
  const std::vector<CustomerId> expected{customer(2), customer(1), customer(3), customer(4)};
  const std::vector<DueHolding> due = tx->list_due(now, 100);
  EXPECT_EQ(ids(due), expected);
  ASSERT_FALSE(due.empty());
  EXPECT_EQ(due[0].record, held_record("u", now - days(2)));
  EXPECT_EQ(ids(tx->list_due(now, 2)), (std::vector<CustomerId>{customer(2), customer(1)}));
  EXPECT_TRUE(tx->list_due(now - days(3), 100).empty());

  // The index follows updates: a returned holding leaves it, a moved one moves.
  tx->update_customer(customer(2), CustomerRecord{});
  tx->update_customer(customer(5), held_record("u", now - days(5)));
  EXPECT_EQ(ids(tx->list_due(now, 100)),
            (std::vector<CustomerId>{customer(5), customer(1), customer(3), customer(4)}));
}

TEST_P(StorageConformance, ListDueHoldingsReturnsOneUsersDueHoldingsInOrder) {
  const Time now = clock().now();
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(5), "", held_record("u", now + seconds(1)));  // not yet due
    tx->insert_customer(profile(3), "", held_record("u", now - hours(1)));
    tx->insert_customer(profile(4), "", held_record("u", now));  // due at its exact deadline
    tx->insert_customer(profile(1), "", held_record("u", now - hours(1)));
    tx->insert_customer(profile(2), "", held_record("v", now - days(2)));  // someone else's
    tx->commit();
  }
  for (const TransactionMode mode : {TransactionMode::read_only, TransactionMode::read_write}) {
    auto tx = begin("pool-a", mode);
    std::vector<CustomerId> ids;
    for (const DueHolding& holding : tx->list_due_holdings(UserId("u"), now)) {
      ids.push_back(holding.id);
      if (holding.id == customer(4)) {
        EXPECT_EQ(holding.record, held_record("u", now));
      }
    }
    EXPECT_EQ(ids, (std::vector<CustomerId>{customer(1), customer(3), customer(4)}));
    EXPECT_TRUE(tx->list_due_holdings(UserId("u"), now - days(1)).empty());
    EXPECT_TRUE(tx->list_due_holdings(UserId("w"), now).empty());
  }
  // Another pool's holdings are not this pool's.
  EXPECT_TRUE(
      begin("pool-b", TransactionMode::read_only)->list_due_holdings(UserId("u"), now).empty());
}

TEST_P(StorageConformance, ReturnDueWritesExactlyWhatThePlanSays) {
  const Time now = clock().now();
  CustomerRecord followed = held_record("u", now - hours(2));
  followed.extensions_used = 2;
  followed.last_follow_up = now - hours(3);
  // Cooldowns of earlier holders, one ended: a return appends behind them.
  followed.cooldowns = {{UserId("earlier"), now - days(1)}, {UserId("前任"), now + days(2)}};
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", followed);
    tx->insert_customer(profile(2), "", held_record("v", now - days(1)));
    tx->insert_customer(profile(3), "", held_record("v", now));
    tx->insert_customer(profile(4), "", held_record("u", now + seconds(1)));  // not due
    tx->insert_customer(profile(5), "", CustomerRecord{});                    // never due
    tx->commit();
  }
  const DueReturn plan{now, days(7)};
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    const std::vector<DueHolding> first = tx->return_due(plan, 2);  // the limit holds
    ASSERT_EQ(first.size(), 2U);
    EXPECT_EQ(first[0].id, customer(2));
    EXPECT_EQ(first[0].record, held_record("v", now - days(1)));  // as it was before
    EXPECT_EQ(first[1].id, customer(1));
    EXPECT_EQ(first[1].record, followed);
    const std::vector<DueHolding> rest = tx->return_due(plan, 10);
    ASSERT_EQ(rest.size(), 1U);
    EXPECT_EQ(rest[0].id, customer(3));
    EXPECT_TRUE(tx->return_due(plan, 10).empty());
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_customer(customer(1)), plan.returned(followed));
  EXPECT_EQ(tx->find_customer(customer(2)), plan.returned(held_record("v", now - days(1))));
  EXPECT_EQ(tx->find_customer(customer(4)), held_record("u", now + seconds(1)));
  EXPECT_EQ(tx->find_customer(customer(5)), CustomerRecord{});
  EXPECT_EQ(tx->list_history(customer(1)), std::vector<HistoryEntry>{plan.entry(followed)});
  EXPECT_EQ(tx->list_history(customer(3)),
            std::vector<HistoryEntry>{plan.entry(held_record("v", now))});
  EXPECT_TRUE(tx->list_history(customer(4)).empty());
  EXPECT_EQ(tx->count_holdings(UserId("v"), std::nullopt), 0U);
  EXPECT_EQ(tx->count_holdings(UserId("u"), std::nullopt), 1U);
  EXPECT_EQ(tx->list_due(now + days(1), 10).size(), 1U);  // only c4 is left in the index
}

TEST_P(StorageConformance, ReturnDueRollsBackWithItsTransaction) {
  const Time now = clock().now();
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile(1), "", held_record("u", now - hours(1)));
    tx->commit();
  }
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    EXPECT_EQ(tx->return_due(DueReturn{now, days(1)}, 10).size(), 1U);
    // destroyed without commit
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_customer(customer(1)), held_record("u", now - hours(1)));
  EXPECT_TRUE(tx->list_history(customer(1)).empty());
  EXPECT_EQ(tx->list_due(now, 10).size(), 1U);
}

TEST_P(StorageConformance, CountsCustomersByStateAsTheyMove) {
  const Time now = clock().now();
  auto counts = [&](Transaction& tx) {
    return std::vector<std::uint64_t>{tx.count_customers(CustomerState::available),
                                      tx.count_customers(CustomerState::held),
                                      tx.count_customers(CustomerState::regular)};
  };
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    EXPECT_EQ(counts(*tx), (std::vector<std::uint64_t>{0, 0, 0}));
    for (int n = 1; n <= 4; ++n) tx->insert_customer(profile(n), "", CustomerRecord{});
    tx->update_customer(customer(1), held_record("u", now + days(1)));
    CustomerRecord regular;
    regular.state = CustomerState::regular;
    tx->update_customer(customer(2), regular);
    EXPECT_EQ(counts(*tx), (std::vector<std::uint64_t>{2, 1, 1}));  // its own writes count
    tx->commit();
  }
  {
    auto tx = begin("pool-b", TransactionMode::read_write);  // pools never mix
    tx->insert_customer(profile(9), "", CustomerRecord{});
    tx->commit();
  }
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->update_customer(customer(3), held_record("v", now + days(2)));
    // destroyed without commit
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(counts(*tx), (std::vector<std::uint64_t>{2, 1, 1}));
}

TEST_P(StorageConformance, SweepReturnsExactlyTheDueHoldingsInDeadlineOrder) {
  ClaimPolicy rules = small_policy();
  rules.max_holdings = 10;
  populate(pool(), 6, rules);
  // A day apart: claims on one day end together, at the end of its 30th day after.
  const Time start = clock().now();
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(4)));  // the end of day 30: E
  clock().advance(days(1));
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(2)));  // E + 1 day
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().extend(admin, customer(1)));  // E + 16 days
  clock().advance(days(1));
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(6)));  // E + 2 days
  clock().set(utc_days_end(start, 32));                // now E + 2 days exactly
  auto swept = pool().sweep();
  ASSERT_HIGHSEAS_OK(swept);
  std::vector<CustomerId> returned;
  for (const ReturnedHolding& holding : swept->returned) returned.push_back(holding.customer);
  EXPECT_EQ(returned, (std::vector<CustomerId>{customer(4), customer(2), customer(6)}));
  ASSERT_EQ(swept->returned.size(), 3U);
  EXPECT_EQ(swept->returned[1].previous_holder, bob);
  EXPECT_EQ(view(pool(), customer(4)).state, CustomerState::available);
  EXPECT_EQ(view(pool(), customer(1)).holder, alice);
  auto again = pool().sweep();
  ASSERT_HIGHSEAS_OK(again);
  EXPECT_TRUE(again->returned.empty());  // each due holding is returned once
}

TEST_P(StorageConformance, SweepCoversMoreThanOneBatch) {
  populate(pool(), 0);
  const Time now = clock().now();
  const int count = static_cast<int>(PublicPool::kSweepBatch) + 9;
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    for (int n = 1; n <= count; ++n) {
      // Deadlines run backwards against ids, so id order is not deadline order.
      tx->insert_customer(profile(n), "", held_record("alice", now - seconds(n)));
    }
    tx->commit();
  }
  auto swept = pool().sweep();
  ASSERT_HIGHSEAS_OK(swept);
  ASSERT_EQ(swept->returned.size(), static_cast<std::size_t>(count));
  for (std::size_t i = 1; i < swept->returned.size(); ++i) {
    EXPECT_LT(swept->returned[i - 1].deadline, swept->returned[i].deadline);
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->count_holdings(alice, std::nullopt), 0U);
}

TEST_P(StorageConformance, HoldingCountsFollowEveryChange) {
  ClaimPolicy rules = small_policy();
  rules.max_holdings = 10;
  populate(pool(), 8, rules);
  auto count = [&](const UserId& user) {
    auto tx = begin("pool-a", TransactionMode::read_only);
    return tx->count_holdings(user, std::nullopt);
  };
  for (int n = 1; n <= 4; ++n) ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(n)));
  ASSERT_HIGHSEAS_OK(pool().assign(admin, customer(5), bob));
  EXPECT_EQ(count(alice), 4U);
  EXPECT_EQ(count(bob), 1U);
  EXPECT_EQ(count(admin), 0U);
  ASSERT_HIGHSEAS_OK(pool().release(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().record_win(alice, customer(2), WinKind::contract_signed));
  EXPECT_EQ(count(alice), 2U);  // the won customer is alice's regular customer, not a holding
  ASSERT_HIGHSEAS_OK(pool().move_out_of_pool(admin, customer(3)));
  EXPECT_EQ(count(alice), 1U);

  clock().advance(hours(1));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(6)));
  auto holdings = pool().holdings(boss, alice);
  ASSERT_HIGHSEAS_OK(holdings);
  ASSERT_EQ(holdings->size(), 2U);  // earliest deadline first
  EXPECT_EQ(holdings->at(0).profile, profile(4));
  EXPECT_EQ(holdings->at(1).profile, profile(6));
  EXPECT_EQ(holdings->at(1).holder, alice);
}

TEST_P(StorageConformance, AvailablePagesFilterAndNeverSkipOrRepeat) {
  ClaimPolicy rules = small_policy();
  rules.max_holdings = 50;
  populate(pool(), 30, rules);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(4)));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(9)));
  ASSERT_HIGHSEAS_OK(pool().move_out_of_pool(admin, customer(10)));
  const std::vector<AvailableFilter> filters{
      {}, {"BR", "", ""}, {"", "A", ""}, {"", "", "vip"}, {"DE", "B", "europe"}, {"JP", "", ""}};
  for (const AvailableFilter& filter : filters) {
    std::vector<CustomerId> expected;
    for (int n = 1; n <= 30; ++n) {
      const CustomerProfile p = profile(n);
      if (n == 4 || n == 9 || n == 10) continue;
      if (!filter.country.empty() && p.country != filter.country) continue;
      if (!filter.level.empty() && p.level != filter.level) continue;
      if (!filter.tag.empty() &&
          std::find(p.tags.begin(), p.tags.end(), filter.tag) == p.tags.end()) {
        continue;
      }
      expected.push_back(p.id);
    }
    std::vector<CustomerId> seen;
    AvailableQuery query{filter, std::nullopt, 4};
    for (int page = 0; page < 20; ++page) {
      auto result = pool().available(alice, query);
      ASSERT_HIGHSEAS_OK(result);
      EXPECT_LE(result->customers.size(), 4U);
      for (const CustomerView& row : result->customers) {
        EXPECT_EQ(row.state, CustomerState::available);
        EXPECT_EQ(row.profile, profile(std::stoi(row.profile.id.str().substr(1))));
        seen.push_back(row.profile.id);
      }
      if (!result->next) break;
      query.after = result->next;
    }
    EXPECT_EQ(seen, expected) << "filter " << filter.country << "/" << filter.level << "/"
                              << filter.tag;
  }
  // A cursor that is no customer's id still pages from the right place.
  auto tx = begin("pool-a", TransactionMode::read_only);
  const auto rows = tx->list_available({{}, CustomerId("c05a"), 2});
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].profile.id, customer(6));
  EXPECT_EQ(rows[1].profile.id, customer(7));
}

TEST_P(StorageConformance, HistoryKeepsEveryChangeOldestFirst) {
  populate(pool(), 2);
  const Time imported_at = clock().now();
  clock().advance(minutes(1));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  clock().advance(minutes(1));
  ASSERT_HIGHSEAS_OK(pool().follow_up(alice, customer(1), "met at the fair"));
  ASSERT_HIGHSEAS_OK(pool().release(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().assign(admin, customer(1), bob));
  ASSERT_HIGHSEAS_OK(pool().record_win(bob, customer(1), WinKind::contract_signed));
  auto history = pool().history(boss, customer(1));
  ASSERT_HIGHSEAS_OK(history);
  std::vector<HistoryKind> kinds;
  for (const HistoryEntry& entry : history.value()) kinds.push_back(entry.kind);
  EXPECT_EQ(kinds, (std::vector<HistoryKind>{HistoryKind::imported, HistoryKind::claimed,
                                             HistoryKind::followed_up, HistoryKind::released,
                                             HistoryKind::assigned, HistoryKind::won}));
  ASSERT_EQ(history->size(), 6U);
  EXPECT_EQ(history->at(0).at, imported_at);
  EXPECT_EQ(history->at(0).actor, admin);
  EXPECT_EQ(history->at(1).holder_after, alice);
  EXPECT_EQ(history->at(1).deadline, utc_days_end(history->at(1).at, 30));
  EXPECT_EQ(history->at(2).note, "met at the fair");
  EXPECT_EQ(history->at(3).holder_before, alice);
  EXPECT_FALSE(history->at(3).holder_after.has_value());
  EXPECT_EQ(history->at(4).actor, admin);
  EXPECT_EQ(history->at(4).holder_after, bob);
  EXPECT_EQ(history->at(5).note, "contract_signed");
  EXPECT_EQ(history->at(5).win, WinKind::contract_signed);  // the kind itself round-trips
  auto other = pool().history(boss, customer(2));
  ASSERT_HIGHSEAS_OK(other);
  EXPECT_EQ(other->size(), 1U);
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_indexes() {}

}  // namespace highseas::testing
