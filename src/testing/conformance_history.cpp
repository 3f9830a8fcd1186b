// Conformance tests: the pool-wide history walk (list_pool_history) and the
// activity report counted from it. Compiled into HighSeas::testing.
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"
#include "highseas/testing/days.hpp"

namespace highseas::testing {

namespace {

// Walks `pool`'s whole history in pages of `page_size`.
std::vector<PositionedHistoryEntry> walk(Storage& storage, const char* pool,
                                         std::size_t page_size) {
  std::vector<PositionedHistoryEntry> all;
  std::optional<HistoryPosition> after;
  // Bounded, so a storage that does not move on fails instead of hanging.
  for (int pages = 0; pages < 1000; ++pages) {
    auto tx = storage.begin(PoolId(pool), TransactionMode::read_only);
    const std::vector<PositionedHistoryEntry> page = tx->list_pool_history(after, page_size);
    EXPECT_LE(page.size(), page_size);
    all.insert(all.end(), page.begin(), page.end());
    if (page.size() < page_size) return all;
    after = page.back().position;
  }
  ADD_FAILURE() << "list_pool_history did not reach the end in 1000 pages";
  return all;
}

}  // namespace

TEST_P(StorageConformance, PoolHistoryWalksEveryCustomerInIdOrderAndResumes) {
  populate(pool(), 4);
  populate(other_pool(), 2);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(3)));
  ASSERT_HIGHSEAS_OK(pool().follow_up(alice, customer(3), "called"));
  ASSERT_HIGHSEAS_OK(pool().release(alice, customer(3)));
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().record_win(bob, customer(1), WinKind::contract_signed));
  ASSERT_HIGHSEAS_OK(other_pool().claim(bob, customer(2)));

  // What the per-customer history says, customer by customer in id order.
  std::vector<std::pair<CustomerId, HistoryEntry>> expected;
  for (int n = 1; n <= 4; ++n) {
    auto history = pool().history(boss, customer(n));
    ASSERT_HIGHSEAS_OK(history);
    for (const HistoryEntry& entry : *history) expected.emplace_back(customer(n), entry);
  }
  ASSERT_EQ(expected.size(), 4U + 3U + 2U);

  for (const std::size_t page_size : {std::size_t{1}, std::size_t{3}, std::size_t{100}}) {
    SCOPED_TRACE(page_size);
    const std::vector<PositionedHistoryEntry> walked = walk(storage(), "pool-a", page_size);
    ASSERT_EQ(walked.size(), expected.size());
    for (std::size_t i = 0; i < walked.size(); ++i) {
      EXPECT_EQ(walked[i].position.customer, expected[i].first) << i;
      EXPECT_EQ(walked[i].entry, expected[i].second) << i;
      if (i > 0 && walked[i].position.customer == walked[i - 1].position.customer) {
        EXPECT_GT(walked[i].position.seq, walked[i - 1].position.seq) << i;
      }
    }
  }
  // Resuming behind any entry gives exactly the rest.
  const std::vector<PositionedHistoryEntry> all = walk(storage(), "pool-a", 100);
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto tx = begin("pool-a", TransactionMode::read_only);
    const std::vector<PositionedHistoryEntry> rest = tx->list_pool_history(all[i].position, 100);
    EXPECT_EQ(rest, std::vector<PositionedHistoryEntry>(all.begin() + static_cast<long>(i) + 1,
                                                        all.end()))
        << i;
  }
  // The other pool sees only its own: two imports and one claim.
  EXPECT_EQ(walk(storage(), "pool-b", 100).size(), 3U);
  EXPECT_TRUE(begin("pool-c", TransactionMode::read_only)->list_pool_history({}, 10).empty());
}

TEST_P(StorageConformance, ActivityCountsEachRepsResultsAndSecondChances) {
  populate(pool(), 5);
  const Time start = clock().now();
  // alice lets customer 1 run out; bob then wins it: a second chance.
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  clock().advance(days(31));
  ASSERT_HIGHSEAS_OK(pool().sweep());
  // Returned when its 30 days ran out (at the end of the 30th day after its
  // claim), before the sweep wrote it.
  const Time lost_at = utc_days_end(start, 30);
  clock().advance(days(8));
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(1)));
  clock().advance(days(4));
  ASSERT_HIGHSEAS_OK(pool().record_win(bob, customer(1), WinKind::contract_signed));
  const Time bob_won_at = clock().now();
  // alice wins customer 2 by payment after 2 days, customer 4 (assigned) after 6.
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(2)));
  ASSERT_HIGHSEAS_OK(pool().assign(admin, customer(4), alice));
  clock().advance(days(2));
  ASSERT_HIGHSEAS_OK(pool().record_win(alice, customer(2), WinKind::payment_received));
  clock().advance(days(4));
  ASSERT_HIGHSEAS_OK(pool().record_win(admin, customer(4), WinKind::contract_signed));
  // bob gives customer 3 back; alice takes it and still holds it.
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(3)));
  ASSERT_HIGHSEAS_OK(pool().release(bob, customer(3)));
  const Time middle = clock().now();
  clock().advance(days(1));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(3)));

  auto activity = pool().activity(alice);
  ASSERT_HIGHSEAS_OK(activity);
  EXPECT_EQ(activity->to, clock().now());
  ASSERT_EQ(activity->members.size(), 2U);
  const MemberActivity& a = activity->members[0];
  const MemberActivity& b = activity->members[1];
  EXPECT_EQ(a.user, alice);
  EXPECT_EQ(a.claimed, 3U);
  EXPECT_EQ(a.assigned, 1U);
  EXPECT_EQ(a.won_payment, 1U);
  EXPECT_EQ(a.won_contract, 1U);
  EXPECT_EQ(a.returned, 1U);
  EXPECT_EQ(a.released, 0U);
  EXPECT_EQ(a.median_time_to_win, days(4));  // 2 and 6 days
  EXPECT_EQ(a.win_rate(), 2.0 / 3.0);
  EXPECT_EQ(b.user, bob);
  EXPECT_EQ(b.claimed, 2U);
  EXPECT_EQ(b.won_contract, 1U);
  EXPECT_EQ(b.released, 1U);
  EXPECT_EQ(b.median_time_to_win, days(4));
  EXPECT_EQ(b.win_rate(), 0.5);
  EXPECT_EQ(activity->second_chances, 1U);
  EXPECT_EQ(activity->recent_second_chances,
            (std::vector<SecondChance>{{customer(1), alice, bob, lost_at, bob_won_at}}));
  EXPECT_EQ(activity->entries_read, 5U + 3U + 4U + 3U + 1U);

  // A period counts what happened in it; bob's win still counts as a second
  // chance though alice lost the customer before the period began.
  auto later = pool().activity(boss, {lost_at + days(1), middle, 10});
  ASSERT_HIGHSEAS_OK(later);
  ASSERT_EQ(later->members.size(), 2U);
  EXPECT_EQ(later->members[0].returned, 0U);
  EXPECT_EQ(later->members[0].claimed,
            1U);  // customer 2; customer 3's claims are not before `middle`
  EXPECT_EQ(later->members[1].won_contract, 1U);
  EXPECT_EQ(later->second_chances, 1U);
  auto before_start = pool().activity(boss, {Time(), start, 10});
  ASSERT_HIGHSEAS_OK(before_start);
  EXPECT_TRUE(before_start->members.empty());

  EXPECT_REFUSED(pool().activity(boss, {middle, start, 10}), invalid_argument);
  EXPECT_REFUSED(pool().activity(UserId("stranger"), {}), not_a_member);
}

TEST_P(StorageConformance, ActivityReadsAHistoryLongerThanOnePage) {
  populate(pool(), static_cast<int>(PublicPool::kMaxPage) + 5);
  const CustomerId last = customer(static_cast<int>(PublicPool::kMaxPage) + 5);
  ASSERT_HIGHSEAS_OK(pool().claim(bob, last));
  ASSERT_HIGHSEAS_OK(pool().record_win(bob, last, WinKind::payment_received));
  auto activity = pool().activity(boss);
  ASSERT_HIGHSEAS_OK(activity);
  EXPECT_EQ(activity->entries_read, PublicPool::kMaxPage + 5 + 2);
  ASSERT_EQ(activity->members.size(), 1U);
  EXPECT_EQ(activity->members[0].won_payment, 1U);
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_history() {}

}  // namespace highseas::testing
