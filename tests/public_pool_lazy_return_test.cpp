// Exact at the deadline, whatever the sweep schedule (issue 16): a holding
// past its deadline is returned at its deadline for every command and query,
// before any sweep writes it; the first command that touches it writes the
// return, and a sweep writes what nobody touched, dated at the deadline.
#include <gtest/gtest.h>

#include <highseas/highseas.hpp>
#include <highseas/testing/matchers.hpp>
#include <string>
#include <vector>

#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

class LazyReturnTest : public PoolFixture {
 protected:
  // The customer's history as stored: what a sweep or command has written.
  std::vector<HistoryEntry> stored_history(const CustomerId& id) {
    return storage.begin(PoolId("pool"), TransactionMode::read_only)->list_history(id);
  }
  CustomerState stored_state(const CustomerId& id) {
    return storage.begin(PoolId("pool"), TransactionMode::read_only)->find_customer(id)->state;
  }

  // Alice claims c1 now; its deadline is 30 days on.
  Time alice_holds_c1() {
    EXPECT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
    return clock.now() + days(30);
  }
};

TEST_F(LazyReturnTest, AnotherRepClaimsTheSecondItIsDueWithBothHistoriesAndEvents) {
  const Time deadline = alice_holds_c1();
  std::vector<std::string> heard;
  Time returned_at;
  const ScopedConnection on_returned = pool.events().returned.connect([&](const Returned& event) {
    heard.push_back("returned by " + (event.actor ? event.actor->str() : "system"));
    returned_at = event.at;
    EXPECT_EQ(event.previous_holder, alice);
  });
  const ScopedConnection on_claimed = pool.events().claimed.connect(
      [&](const Claimed& event) { heard.push_back("claimed by " + event.actor->str()); });
  clock.set(deadline - seconds(1));
  EXPECT_REFUSED(pool.claim(bob, customer(1)), already_held);
  clock.set(deadline);  // no sweep runs

  const auto taken = pool.claim(bob, customer(1));
  ASSERT_HIGHSEAS_OK(taken);
  EXPECT_EQ(taken->since, deadline);
  EXPECT_EQ(heard, (std::vector<std::string>{"returned by system", "claimed by bob"}));
  EXPECT_EQ(returned_at, deadline);
  const std::vector<HistoryEntry> history = stored_history(customer(1));
  ASSERT_GE(history.size(), 3U);
  const HistoryEntry& returned = history[history.size() - 2];
  EXPECT_EQ(returned.kind, HistoryKind::returned);
  EXPECT_EQ(returned.at, deadline);
  EXPECT_FALSE(returned.actor.has_value());
  EXPECT_EQ(returned.holder_before, alice);
  EXPECT_EQ(history.back().kind, HistoryKind::claimed);
  EXPECT_EQ(history.back().holder_after, bob);
  EXPECT_TRUE(pool.sweep()->returned.empty()) << "the claim wrote the return";
}

TEST_F(LazyReturnTest, QueriesShowADueHoldingAsReturnedBeforeAnySweep) {
  const Time deadline = alice_holds_c1();
  clock.set(deadline + hours(5));

  const CustomerView view = *pool.customer(boss, customer(1));
  EXPECT_EQ(view.state, CustomerState::available);
  EXPECT_FALSE(view.holder.has_value());
  EXPECT_EQ(view.since, deadline);
  EXPECT_EQ(view.cooldowns, (std::vector<Cooldown>{{alice, deadline + days(7)}}))
      << "the cooldown runs from the deadline";
  EXPECT_TRUE(pool.holdings(boss, alice)->empty());
  const auto page = pool.available(boss, {});
  ASSERT_HIGHSEAS_OK(page);
  ASSERT_EQ(page->customers.size(), 10U);
  EXPECT_EQ(page->customers[0].profile.id, customer(1)) << "listed in id order with the others";
  const auto summary = pool.summary(boss);
  EXPECT_EQ(summary->available, 10U);
  EXPECT_EQ(summary->held, 0U);
  const std::vector<HistoryEntry> history = *pool.history(boss, customer(1));
  EXPECT_EQ(history.back().kind, HistoryKind::returned);
  EXPECT_EQ(history.back().at, deadline);
  EXPECT_REFUSED(pool.explain(boss, customer(1)), not_held);
  ActivityQuery query;
  const auto activity = pool.activity(boss, query);
  ASSERT_HIGHSEAS_OK(activity);
  ASSERT_EQ(activity->members.size(), 1U);
  EXPECT_EQ(activity->members[0].user, alice);
  EXPECT_EQ(activity->members[0].returned, 1U);

  EXPECT_EQ(stored_state(customer(1)), CustomerState::held) << "queries write nothing";
}

TEST_F(LazyReturnTest, AvailablePagesMergeDueHoldingsByIdWithTheFilter) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));  // BR
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(4)));  // BR
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(3)));    // DE
  clock.advance(days(31));
  AvailableQuery query;
  query.filter.country = "BR";
  query.limit = 2;
  const auto first = pool.available(boss, query);
  ASSERT_HIGHSEAS_OK(first);
  ASSERT_EQ(first->customers.size(), 2U);
  EXPECT_EQ(first->customers[0].profile.id, customer(10));
  EXPECT_EQ(first->customers[1].profile.id, customer(2));
  ASSERT_TRUE(first->next.has_value());
  query.after = first->next;
  const auto second = pool.available(boss, query);
  ASSERT_EQ(second->customers.size(), 2U);
  EXPECT_EQ(second->customers[0].profile.id, customer(4));
  EXPECT_EQ(second->customers[1].profile.id, customer(6));
}

TEST_F(LazyReturnTest, TheCooldownRunsFromTheDeadlineAndARefusedClaimWritesNothing) {
  const Time deadline = alice_holds_c1();
  clock.set(deadline + days(6));
  const auto before = stored_history(customer(1));
  EXPECT_REFUSED(pool.claim(alice, customer(1)), cooldown);
  EXPECT_EQ(stored_history(customer(1)).size(), before.size());
  EXPECT_EQ(stored_state(customer(1)), CustomerState::held);
  clock.set(deadline + days(7));
  EXPECT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
}

TEST_F(LazyReturnTest, TheHolderCanNoLongerWorkADueHolding) {
  const Time deadline = alice_holds_c1();
  clock.set(deadline);
  EXPECT_REFUSED(pool.release(alice, customer(1)), not_held);
  EXPECT_REFUSED(pool.extend(admin, customer(1)), not_held);
  EXPECT_REFUSED(pool.follow_up(alice, customer(1), "called"), not_held);
  EXPECT_REFUSED(pool.record_win(alice, customer(1), WinKind::contract_signed), not_held);
  EXPECT_EQ(stored_state(customer(1)), CustomerState::held) << "refusals write nothing";
}

TEST_F(LazyReturnTest, DueHoldingsFreeTheirPlacesUnderTheCap) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));
  EXPECT_REFUSED(pool.claim(alice, customer(4)), cap_reached);
  clock.advance(days(29));  // c1 is due, c2 and c3 are not
  EXPECT_HIGHSEAS_OK(pool.claim(alice, customer(4)));
  EXPECT_REFUSED(pool.assign(admin, customer(5), alice), cap_reached);
}

TEST_F(LazyReturnTest, ATakeAtTheCapWritesTheReturnsItCountsOn) {
  const Time deadline = alice_holds_c1();
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));
  clock.set(deadline);
  // Below the cap nothing needs c1's place: its return stays unwritten.
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(3)));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(5)));
  EXPECT_EQ(stored_state(customer(1)), CustomerState::held);

  std::vector<Time> heard;
  const ScopedConnection on_returned =
      pool.events().returned.connect([&](const Returned& event) { heard.push_back(event.at); });
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(4)));  // the third place is c1's
  EXPECT_EQ(heard, std::vector<Time>{deadline});
  EXPECT_EQ(stored_state(customer(1)), CustomerState::available);
  EXPECT_EQ(stored_history(customer(1)).back().kind, HistoryKind::returned);
  EXPECT_EQ(stored_history(customer(1)).back().at, deadline);
  // An app server whose clock runs behind cannot bring c1 back to alice.
  clock.set(deadline - seconds(1));
  EXPECT_REFUSED(pool.extend(admin, customer(1)), not_held);
  EXPECT_EQ(storage.begin(PoolId("pool"), TransactionMode::read_only)
                ->count_holdings(alice, std::nullopt),
            3U);
}

TEST_F(LazyReturnTest, TheSweepWritesWhatNobodyTouchedDatedAtTheDeadline) {
  const Time deadline = alice_holds_c1();
  Time heard_at;
  const ScopedConnection on_returned =
      pool.events().returned.connect([&](const Returned& event) { heard_at = event.at; });
  clock.set(deadline + days(3));
  const auto report = pool.sweep();
  ASSERT_EQ(report->returned.size(), 1U);
  EXPECT_EQ(heard_at, deadline);
  EXPECT_EQ(stored_history(customer(1)).back().at, deadline);
  const CustomerView view = *pool.customer(boss, customer(1));
  EXPECT_EQ(view.since, deadline);
  EXPECT_EQ(view.cooldowns, (std::vector<Cooldown>{{alice, deadline + days(7)}}));
}

TEST_F(LazyReturnTest, PausingWritesWhatFellDueSoResumingDoesNotReviveIt) {
  const Time deadline = alice_holds_c1();
  clock.set(deadline + hours(1));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  EXPECT_EQ(stored_state(customer(1)), CustomerState::available);
  EXPECT_EQ(stored_history(customer(1)).back().at, deadline);
  clock.advance(days(10));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
  EXPECT_EQ(state_of(customer(1)), CustomerState::available);
  EXPECT_TRUE(pool.holdings(boss, alice)->empty());
}

TEST_F(LazyReturnTest, APausedPoolHasNothingDue) {
  const Time deadline = alice_holds_c1();
  clock.set(deadline - days(1));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  clock.set(deadline + days(5));
  EXPECT_EQ(state_of(customer(1)), CustomerState::held);
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
  EXPECT_EQ(pool.customer(boss, customer(1))->deadline, deadline + days(6));
}

TEST_F(LazyReturnTest, APolicyChangeWritesWhatFellDueUnderTheOldCooldown) {
  const Time deadline = alice_holds_c1();
  clock.set(deadline + hours(1));
  PolicyPatch patch;
  patch.reclaim_cooldown = days(1);
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, patch, RunningHoldings::recompute));
  EXPECT_EQ(stored_state(customer(1)), CustomerState::available);
  EXPECT_EQ(pool.customer(boss, customer(1))->cooldowns,
            (std::vector<Cooldown>{{alice, deadline + days(7)}}));
}

TEST_F(LazyReturnTest, ARemovedMembersDueHoldingWentBackAtItsDeadline) {
  const Time deadline = alice_holds_c1();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  clock.set(deadline);
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));
  clock.advance(hours(1));
  ASSERT_HIGHSEAS_OK(pool.remove_member(boss, alice));
  const HistoryEntry first = stored_history(customer(1)).back();
  EXPECT_EQ(first.kind, HistoryKind::returned);
  EXPECT_EQ(first.at, deadline);
  EXPECT_EQ(pool.customer(boss, customer(1))->cooldowns,
            (std::vector<Cooldown>{{alice, deadline + days(7)}}));
  EXPECT_EQ(stored_history(customer(3)).back().kind, HistoryKind::member_removed);
}

}  // namespace
}  // namespace highseas::test
