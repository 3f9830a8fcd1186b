// Conformance tests: atomicity and exact round trips, straight through
// Transaction. Compiled into HighSeas::testing.
#include <chrono>
#include <limits>
#include <stdexcept>
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"
#include "highseas/testing/forwarding_storage.hpp"

namespace highseas::testing {

namespace conformance_detail {

// A storage that forwards to another and throws StorageError from the
// `fail_at`-th append_history call: a command that breaks midway.
class FailingHistoryStorage final : public ForwardingStorage {
 public:
  FailingHistoryStorage(Storage& target, int fail_at)
      : ForwardingStorage(target), fail_at_(fail_at) {}

  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override {
    return std::make_unique<Failing>(ForwardingStorage::begin(pool, mode), *this);
  }

 private:
  class Failing final : public ForwardingTransaction {
   public:
    Failing(std::unique_ptr<Transaction> target, FailingHistoryStorage& owner)
        : ForwardingTransaction(std::move(target)), owner_(&owner) {}
    void append_history(const CustomerId& id, const HistoryEntry& entry) override {
      if (++owner_->calls_ == owner_->fail_at_) throw StorageError("injected failure");
      ForwardingTransaction::append_history(id, entry);
    }
    // Through update_customer and append_history above, so a command can
    // fail between its two writes.
    void write_change(const CustomerId& id, const CustomerRecord& after,
                      const HistoryEntry& entry) override {
      Transaction::write_change(id, after, entry);  // NOLINT(bugprone-parent-virtual-call)
    }
    // Row by row, through append_history above, so a sweep can fail midway.
    std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit) override {
      return Transaction::return_due(plan, limit);  // NOLINT(bugprone-parent-virtual-call)
    }

   private:
    FailingHistoryStorage* owner_;
  };

  int fail_at_;
  int calls_ = 0;
};

}  // namespace conformance_detail

TEST_P(StorageConformance, CommittedWritesAreVisibleToLaterTransactions) {
  const Time now = clock().now();
  // When version 7 took effect: after creation, to the microsecond.
  const Time since = now + days(3) + boost::posix_time::microseconds(11);
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->put_pool(PoolRecord{false, small_policy(), now, now + seconds(1), 7, since, 4});
    tx->put_member(alice, Role::pool_admin);
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  const std::optional<PoolRecord> stored = tx->find_pool();
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, (PoolRecord{false, small_policy(), now, now + seconds(1), 7, since, 4}));
  // Its own column: neither created_at nor paused_since.
  EXPECT_EQ(stored->policy_since, since);
  EXPECT_EQ(tx->find_member(alice), Role::pool_admin);
  EXPECT_EQ(tx->find_member(bob), std::nullopt);
}

TEST_P(StorageConformance, RecordsAndHistoryRoundTripExactly) {
  const Time now = clock().now();
  CustomerRecord record;
  record.state = CustomerState::held;
  record.holder = UserId("持有人");
  record.since = now;
  record.deadline = now + days(30) + boost::posix_time::microseconds(1);
  record.extensions_used = 7;
  record.last_follow_up = now + boost::posix_time::microseconds(999999);
  record.cooldowns = {{UserId("earlier"), utc(1970, 1, 1) - boost::posix_time::microseconds(1)},
                      {UserId("später"), now + boost::posix_time::microseconds(1)},
                      {UserId("earlier"), now}};  // before epoch; a user twice
  record.period_length = Span::business_days(15);
  const CustomerProfile profile_1{CustomerId("x"), "X", "", "", {}};
  const HistoryEntry entry{now,
                           HistoryKind::member_removed,
                           std::nullopt,
                           UserId("a"),
                           std::nullopt,
                           Time(boost::posix_time::pos_infin),
                           "note with 'quotes' and \"more\""};
  const HistoryEntry empty_entry{};
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->insert_customer(profile_1, "x", record);
    tx->append_history(profile_1.id, entry);
    tx->append_history(profile_1.id, empty_entry);
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_customer(profile_1.id), record);
  EXPECT_EQ(tx->find_profile(profile_1.id), profile_1);
  EXPECT_EQ(tx->list_history(profile_1.id), (std::vector<HistoryEntry>{entry, empty_entry}));
  EXPECT_EQ(tx->find_customer(CustomerId("y")), std::nullopt);
  EXPECT_EQ(tx->find_profile(CustomerId("y")), std::nullopt);
  EXPECT_TRUE(tx->list_history(CustomerId("y")).empty());
}

TEST_P(StorageConformance, TransactionDestroyedWithoutCommitLeavesNothing) {
  populate(pool(), 3);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  std::optional<PoolRecord> pool_before;
  std::optional<CustomerRecord> held_before;
  std::vector<HistoryEntry> history_before;
  {
    auto tx = begin("pool-a", TransactionMode::read_only);
    pool_before = tx->find_pool();
    held_before = tx->find_customer(customer(1));
    history_before = tx->list_history(customer(1));
  }
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    PoolRecord changed = *pool_before;
    changed.enabled = false;
    changed.policy.max_holdings = 99;
    tx->put_pool(changed);
    tx->put_member(UserId("newcomer"), Role::boss);
    tx->put_member(alice, Role::boss);
    tx->erase_member(bob);
    tx->insert_customer(profile(9), "customer09", CustomerRecord{});
    tx->update_customer(customer(1), CustomerRecord{});
    tx->update_customer(customer(2), held_record("bob", clock().now()));
    tx->shift_deadlines(days(100));
    tx->append_history(customer(1), HistoryEntry{});
    EXPECT_EQ(tx->count_holdings(bob, std::nullopt), 1U);  // the transaction sees its own writes
    // No commit: destroying the transaction must undo all of it.
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_pool(), pool_before);
  EXPECT_EQ(tx->find_member(UserId("newcomer")), std::nullopt);
  EXPECT_EQ(tx->find_member(alice), Role::pool_user);
  EXPECT_EQ(tx->find_member(bob), Role::pool_user);
  EXPECT_EQ(tx->find_customer(customer(9)), std::nullopt);
  EXPECT_EQ(tx->find_by_name_key("customer09"), std::nullopt);
  EXPECT_EQ(tx->find_customer(customer(1)), held_before);
  EXPECT_EQ(tx->find_customer(customer(2))->state, CustomerState::available);
  EXPECT_EQ(tx->list_history(customer(1)), history_before);
  EXPECT_EQ(tx->count_holdings(alice, std::nullopt), 1U);
  EXPECT_EQ(tx->count_holdings(bob, std::nullopt), 0U);
  const std::vector<DueHolding> due = tx->list_due(Time(boost::posix_time::max_date_time), 10);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].id, customer(1));
  EXPECT_EQ(due[0].record, *held_before);
}

TEST_P(StorageConformance, ACommandThatThrowsMidwayLeavesNothingBehind) {
  populate(pool(), 4);
  // The claim's append_history (after its update_customer) throws.
  conformance_detail::FailingHistoryStorage failing(storage(), 1);
  PublicPool broken(PoolId("pool-a"), failing, clock());
  EXPECT_THROW((void)broken.claim(alice, customer(1)), StorageError);
  EXPECT_EQ(view(pool(), customer(1)).state, CustomerState::available);
  auto holdings = pool().holdings(boss, alice);
  ASSERT_HIGHSEAS_OK(holdings);
  EXPECT_TRUE(holdings->empty());

  // An import that fails on its third row adds none of the rows.
  conformance_detail::FailingHistoryStorage failing_import(storage(), 3);
  PublicPool broken_import(PoolId("pool-a"), failing_import, clock());
  const std::vector<CustomerProfile> batch{profile(5), profile(6), profile(7)};
  EXPECT_THROW((void)broken_import.import_customers(admin, batch), StorageError);
  for (int n = 5; n <= 7; ++n) EXPECT_REFUSED(pool().customer(boss, customer(n)), unknown_customer);
  EXPECT_HIGHSEAS_OK(pool().import_customers(admin, batch));  // nothing half-applied blocks it
}

TEST_P(StorageConformance, ARefusedCommandChangesNothing) {
  populate(pool(), 4);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  std::vector<HistoryEntry> before = pool().history(boss, customer(1)).value();
  EXPECT_REFUSED(pool().claim(bob, customer(1)), already_held);
  EXPECT_REFUSED(pool().follow_up(bob, customer(1), "not mine"), held_by_other);
  EXPECT_EQ(pool().history(boss, customer(1)).value(), before);
  EXPECT_EQ(view(pool(), customer(1)).holder, alice);
}

TEST_P(StorageConformance, TransactCommitsOnlyWhatTheBodyCommitted) {
  populate(pool(), 3);
  // Far enough ahead that no healthy backend runs out of time.
  const Deadline deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const CustomerRecord held = held_record("alice", clock().now());
  storage().transact(PoolId("pool-a"), TransactionMode::read_write, deadline, [&](Transaction& tx) {
    tx.update_customer(customer(1), held);
    tx.commit();
  });
  auto uncommitted = [&](Transaction& tx) { tx.update_customer(customer(2), held); };
  storage().transact(PoolId("pool-a"), TransactionMode::read_write, deadline, uncommitted);
  auto throws = [&](Transaction& tx) {
    tx.update_customer(customer(3), held);
    throw StorageError("the body broke");
  };
  EXPECT_THROW(storage().transact(PoolId("pool-a"), TransactionMode::read_write, deadline, throws),
               StorageError);
  std::optional<CustomerRecord> first;
  std::optional<CustomerRecord> second;
  std::optional<CustomerRecord> third;
  storage().transact(PoolId("pool-a"), TransactionMode::read_only, deadline, [&](Transaction& tx) {
    first = tx.find_customer(customer(1));
    second = tx.find_customer(customer(2));
    third = tx.find_customer(customer(3));
  });
  EXPECT_EQ(first, held);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->state, CustomerState::available);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->state, CustomerState::available);
  EXPECT_EQ(begin("pool-a", TransactionMode::read_only)->count_holdings(alice, std::nullopt), 1U);
}

TEST_P(StorageConformance, WriteChangeWritesTheRecordAndItsHistoryTogether) {
  populate(pool(), 2);
  const Time now = clock().now();
  const CustomerRecord held = held_record("alice", now);
  const HistoryEntry entry{now,   HistoryKind::claimed, alice, std::nullopt,
                           alice, held.deadline,        ""};
  std::vector<HistoryEntry> before;
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    before = tx->list_history(customer(1));
    tx->write_change(customer(1), held, entry);
    tx->write_change(customer(2), held, entry);
    tx->commit();
  }
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->write_change(customer(1), CustomerRecord{}, HistoryEntry{});  // rolled back
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_customer(customer(1)), held);
  before.push_back(entry);
  EXPECT_EQ(tx->list_history(customer(1)), before);
  EXPECT_EQ(tx->count_holdings(alice, std::nullopt), 2U);
  EXPECT_EQ(tx->list_due(held.deadline, 10).size(), 2U);
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_transactions() {}

}  // namespace highseas::testing
