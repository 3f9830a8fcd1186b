// MemoryStorage: rollback undoes every kind of write, and the indexes stay
// exact (no dead entries after release, win or rollback).
#include <gtest/gtest.h>

#include <highseas/memory_storage.hpp>
#include <highseas/name_key.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace highseas {
namespace {

class MemoryStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    tx->put_pool(PoolRecord{true, ClaimPolicy{}, t0, Time(), 1, t0});
    tx->put_member(UserId("u"), Role::pool_user);
    for (int n = 0; n < 5; ++n) {
      CustomerRecord record;
      record.since = t0;
      tx->insert_customer({id(n), "Name " + std::to_string(n), "DE", "A", {}},
                          "name" + std::to_string(n), record);
    }
    tx->update_customer(id(0), held(UserId("u"), t0 + days(3)));
    tx->commit();
  }

  static CustomerId id(int n) { return CustomerId("c" + std::to_string(n)); }
  static CustomerRecord held(const UserId& user, Time deadline) {
    CustomerRecord record;
    record.state = CustomerState::held;
    record.holder = user;
    record.deadline = deadline;
    return record;
  }

  const PoolId pool{"p"};
  const Time t0 = utc(2026, 1, 1);
  MemoryStorage storage;
};

TEST_F(MemoryStorageTest, RollbackUndoesEveryKindOfWrite) {
  {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    tx->put_pool(PoolRecord{false, ClaimPolicy{}, t0, t0, 2, t0 + days(1)});
    tx->put_member(UserId("v"), Role::boss);
    tx->erase_member(UserId("u"));
    tx->insert_customer({id(9), "Nine", "", "", {}}, "nine", CustomerRecord{});
    tx->update_customer(id(1), held(UserId("v"), t0 + days(1)));
    tx->update_customer(id(0), CustomerRecord{});
    tx->shift_deadlines(days(10));
    tx->append_history(id(1), HistoryEntry{});
    // destroyed without commit
  }
  auto tx = storage.begin(pool, TransactionMode::read_only);
  EXPECT_EQ(tx->find_pool(), (PoolRecord{true, ClaimPolicy{}, t0, Time(), 1, t0}));
  EXPECT_EQ(tx->find_pool()->policy_since, t0);
  EXPECT_EQ(tx->find_member(UserId("u")), Role::pool_user);
  EXPECT_FALSE(tx->find_member(UserId("v")).has_value());
  EXPECT_FALSE(tx->find_customer(id(9)).has_value());
  EXPECT_FALSE(tx->find_by_name_key("nine").has_value());
  EXPECT_EQ(tx->find_customer(id(1))->state, CustomerState::available);
  EXPECT_EQ(tx->count_holdings(UserId("v"), std::nullopt), 0U);
  EXPECT_EQ(tx->count_holdings(UserId("u"), std::nullopt), 1U);
  EXPECT_EQ(tx->find_customer(id(0))->deadline, t0 + days(3));
  EXPECT_TRUE(tx->list_history(id(1)).empty());
  const auto due = tx->list_due(t0 + days(3), 10);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].id, id(0));
}

// A holding's period length and idle limit are interned as one pair: every
// combination reads back as written, and a zero period (either unit) with no
// idle limit too.
TEST_F(MemoryStorageTest, PeriodLengthAndIdleLimitReadBackInEveryCombination) {
  const std::vector<std::pair<Span, std::optional<Span>>> spans{
      {days(30), std::nullopt},
      {days(30), Span::time(days(7))},
      {Span::business_days(10), Span::time(days(7))},
      {Span::business_days(10), std::nullopt},
      {Span::business_days(0), std::nullopt},
      {Span(), Span::business_days(3)},
  };
  std::vector<CustomerRecord> written;
  {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    for (std::size_t n = 0; n < spans.size(); ++n) {
      CustomerRecord record = held(UserId("u"), t0 + days(1) + hours(static_cast<int>(n)));
      record.period_length = spans[n].first;
      record.idle_limit = spans[n].second;
      tx->insert_customer({id(10 + static_cast<int>(n)), "Held", "", "", {}}, "", record);
      written.push_back(record);
    }
    tx->commit();
  }
  auto tx = storage.begin(pool, TransactionMode::read_only);
  for (std::size_t n = 0; n < spans.size(); ++n) {
    SCOPED_TRACE(n);
    EXPECT_EQ(tx->find_customer(id(10 + static_cast<int>(n))), written[n]);
  }
}

TEST_F(MemoryStorageTest, DeadlineIndexHasNoDeadEntries) {
  for (int round = 0; round < 100; ++round) {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    tx->update_customer(id(1), held(UserId("u"), t0 + hours(round)));
    tx->update_customer(id(1), CustomerRecord{});
    tx->commit();
  }
  auto tx = storage.begin(pool, TransactionMode::read_only);
  const auto due = tx->list_due(t0 + days(365), 100);
  ASSERT_EQ(due.size(), 1U);  // only c0's real holding
  EXPECT_EQ(tx->count_holdings(UserId("u"), std::nullopt), 1U);
}

TEST_F(MemoryStorageTest, ListDueIsOrderedByDeadlineThenIdAndHonoursLimit) {
  {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    tx->update_customer(id(3), held(UserId("u"), t0 + days(1)));
    tx->update_customer(id(2), held(UserId("u"), t0 + days(1)));
    tx->update_customer(id(4), held(UserId("u"), t0 + days(2)));
    tx->commit();
  }
  auto tx = storage.begin(pool, TransactionMode::read_only);
  const auto due = tx->list_due(t0 + days(2), 3);
  ASSERT_EQ(due.size(), 3U);
  EXPECT_EQ(due[0].id, id(2));
  EXPECT_EQ(due[1].id, id(3));
  EXPECT_EQ(due[2].id, id(4));
  EXPECT_TRUE(tx->list_due(t0, 10).empty());
  EXPECT_EQ(tx->list_holdings(UserId("u")).size(), 4U);
}

TEST_F(MemoryStorageTest, PoolsAreIsolated) {
  auto tx = storage.begin(PoolId("other"), TransactionMode::read_only);
  EXPECT_FALSE(tx->find_pool().has_value());
  EXPECT_FALSE(tx->find_customer(id(0)).has_value());
  EXPECT_EQ(tx->count_holdings(UserId("u"), std::nullopt), 0U);
}

TEST_F(MemoryStorageTest, ReadOnlyTransactionsRefuseWrites) {
  auto tx = storage.begin(pool, TransactionMode::read_only);
  EXPECT_THROW(tx->put_member(UserId("x"), Role::boss), std::logic_error);
}

// An import's first entry is kept in the slot, not the log: it must read back,
// come first, roll back, and leave any other entry to the log.
TEST_F(MemoryStorageTest, ImportEntryKeptInTheSlotReadsBackAndRollsBack) {
  const HistoryEntry imported{t0,           HistoryKind::imported, UserId("boss"),
                              std::nullopt, std::nullopt,          Time(),
                              "",           std::nullopt};
  HistoryEntry claimed{t0 + hours(1), HistoryKind::claimed, UserId("u"), std::nullopt,
                       UserId("u"),   t0 + days(3),         "",          std::nullopt};
  HistoryEntry imported_with_note = imported;
  imported_with_note.note = "from the fair";
  {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    tx->append_history(id(1), imported);
    tx->append_history(id(1), claimed);
    tx->append_history(id(2), imported_with_note);  // not the compact form: the log
    tx->append_history(id(3), claimed);             // a first entry that is no import's
    tx->append_history(id(3), imported);            // an import's, but not first
    tx->commit();
  }
  {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    tx->append_history(id(4), imported);
    tx->append_history(id(4), claimed);
    tx->append_history(id(1), claimed);
    // rolled back
  }
  auto tx = storage.begin(pool, TransactionMode::read_only);
  EXPECT_EQ(tx->list_history(id(1)), (std::vector<HistoryEntry>{imported, claimed}));
  EXPECT_EQ(tx->list_history(id(2)), (std::vector<HistoryEntry>{imported_with_note}));
  EXPECT_EQ(tx->list_history(id(3)), (std::vector<HistoryEntry>{claimed, imported}));
  EXPECT_TRUE(tx->list_history(id(4)).empty());
}

// The name key is recomputed from the name unless the caller passed another.
TEST_F(MemoryStorageTest, NameKeyOtherThanTheNamesIsKept) {
  {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    tx->insert_customer({id(10), "Acme Trading Co., Ltd.", "", "", {}}, "elsewhere", {});
    tx->insert_customer({id(11), "Globex Ltd", "", "", {}}, "", {});  // no key at all
    tx->insert_customer({id(12), "Initech", "", "", {}}, name_key("Initech"), {});
    tx->commit();
  }
  auto tx = storage.begin(pool, TransactionMode::read_only);
  EXPECT_EQ(tx->find_by_name_key("elsewhere"), id(10));
  EXPECT_FALSE(tx->find_by_name_key(name_key("Acme Trading Co., Ltd.")).has_value());
  EXPECT_FALSE(tx->find_by_name_key(name_key("Globex Ltd")).has_value());
  EXPECT_EQ(tx->find_by_name_key("initech"), id(12));
  EXPECT_EQ(tx->find_by_name_key("name3"), id(3));
  EXPECT_EQ(tx->find_profile(id(10))->name, "Acme Trading Co., Ltd.");
}

// Slots come from an arena: rolled-back inserts give their blocks back, and a
// name longer than an arena chunk gets a block of its own.
TEST_F(MemoryStorageTest, RolledBackInsertsGiveTheirSlotsBack) {
  const std::string long_name(300'000, 'x');
  for (int round = 0; round < 3; ++round) {
    auto tx = storage.begin(pool, TransactionMode::read_write);
    for (int n = 100; n < 2'100; ++n) {
      tx->insert_customer({id(n), "Company " + std::to_string(n), "CN", "B", {"t"}},
                          "company" + std::to_string(n), CustomerRecord{});
    }
    tx->insert_customer({id(9'999), long_name, "", "", {}}, name_key(long_name), {});
    if (round == 2) tx->commit();
  }
  auto tx = storage.begin(pool, TransactionMode::read_only);
  EXPECT_EQ(tx->count_customers(CustomerState::available), 2'000U + 4U + 1U);
  EXPECT_EQ(tx->find_by_name_key("company2099"), id(2'099));
  EXPECT_EQ(tx->find_profile(id(9'999))->name, long_name);
  EXPECT_EQ(tx->find_profile(id(100))->tags, std::vector<std::string>{"t"});
  EXPECT_EQ(tx->find_profile(id(1))->country, "DE");
}

}  // namespace
}  // namespace highseas
