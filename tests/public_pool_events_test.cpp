// Events: once per committed change, after the commit, in commit order, never
// for a refusal, and a slot may call back into the pool.
#include <string>
#include <vector>

#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

// Records every event of a pool as "kind:customer" lines.
class EventLog {
 public:
  explicit EventLog(PoolEvents& events) {
    keep(events.pool_switched.connect([this](const PoolSwitched& e) {
      lines.push_back(std::string("switched:") + (e.enabled ? "on" : "off"));
    }));
    keep(
        events.policy_changed.connect([this](const PolicyChanged&) { lines.push_back("policy"); }));
    keep(events.member_changed.connect(
        [this](const MemberChanged& e) { lines.push_back("member:" + e.user.str()); }));
    keep(events.customers_imported.connect([this](const CustomersImported& e) {
      lines.push_back("imported:" + std::to_string(e.customers.size()));
    }));
    keep(events.moved_into_pool.connect([this](const MovedIntoPool& e) { add("moved_in", e); }));
    keep(
        events.moved_out_of_pool.connect([this](const MovedOutOfPool& e) { add("moved_out", e); }));
    keep(events.claimed.connect([this](const Claimed& e) { add("claimed", e); }));
    keep(events.assigned.connect([this](const Assigned& e) { add("assigned", e); }));
    keep(events.released.connect([this](const Released& e) { add("released", e); }));
    keep(events.extended.connect([this](const Extended& e) { add("extended", e); }));
    keep(events.followed_up.connect([this](const FollowedUp& e) { add("followed_up", e); }));
    keep(events.won.connect([this](const Won& e) { add("won", e); }));
    keep(events.returned.connect([this](const Returned& e) { add("returned", e); }));
  }
  std::vector<std::string> lines;

 private:
  void add(const char* kind, const CustomerEvent& e) {
    lines.push_back(std::string(kind) + ":" + e.customer.str());
  }
  void keep(Connection connection) { connections_.emplace_back(connection); }
  std::vector<ScopedConnection> connections_;
};

using EventsTest = PoolFixture;

TEST_F(EventsTest, EachCommittedChangeEmitsOneEventInOrder) {
  EventLog log(pool.events());
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.assign(admin, customer(2), bob));
  ASSERT_HIGHSEAS_OK(pool.extend(admin, customer(2)));
  ASSERT_HIGHSEAS_OK(pool.follow_up(bob, customer(2), "call"));
  ASSERT_HIGHSEAS_OK(pool.record_win(bob, customer(2), WinKind::contract_signed));
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(3)));
  clock.advance(days(31));
  ASSERT_HIGHSEAS_OK(pool.sweep());
  ASSERT_HIGHSEAS_OK(pool.move_out_of_pool(admin, customer(4)));
  ASSERT_HIGHSEAS_OK(pool.move_into_pool(admin, profile(4)));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  EXPECT_EQ(log.lines,
            (std::vector<std::string>{"claimed:c1", "assigned:c2", "extended:c2", "followed_up:c2",
                                      "won:c2", "released:c1", "claimed:c3", "returned:c3",
                                      "moved_out:c4", "moved_in:c4", "switched:off"}));
}

TEST_F(EventsTest, RefusedCommandsEmitNothing) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  EventLog log(pool.events());
  EXPECT_REFUSED(pool.claim(bob, customer(1)), already_held);
  EXPECT_REFUSED(pool.release(bob, customer(1)), not_permitted);
  EXPECT_REFUSED(pool.claim(stranger, customer(2)), not_a_member);
  EXPECT_REFUSED(pool.set_enabled(alice, false), not_permitted);
  auto strict = pool.import_customers(admin, std::vector<CustomerProfile>{profile(1)},
                                      ImportMode::all_or_nothing);
  ASSERT_HIGHSEAS_OK(strict);
  EXPECT_TRUE(strict->imported.empty());
  EXPECT_TRUE(log.lines.empty());
}

TEST_F(EventsTest, EventsCarryActorHoldersAndDeadline) {
  std::vector<Assigned> assigned;
  std::vector<Returned> returned;
  ScopedConnection a =
      pool.events().assigned.connect([&](const Assigned& e) { assigned.push_back(e); });
  ScopedConnection r =
      pool.events().returned.connect([&](const Returned& e) { returned.push_back(e); });
  const Time t0 = clock.now();
  ASSERT_HIGHSEAS_OK(pool.assign(admin, customer(1), bob));
  clock.advance(days(30));
  ASSERT_HIGHSEAS_OK(pool.sweep());
  ASSERT_EQ(assigned.size(), 1U);
  EXPECT_EQ(assigned[0].pool, PoolId("pool"));
  EXPECT_EQ(assigned[0].actor, admin);
  EXPECT_EQ(assigned[0].at, t0);
  EXPECT_FALSE(assigned[0].previous_holder.has_value());
  EXPECT_EQ(assigned[0].holder, bob);
  EXPECT_EQ(assigned[0].deadline, t0 + days(30));
  ASSERT_EQ(returned.size(), 1U);
  EXPECT_FALSE(returned[0].actor.has_value());
  EXPECT_EQ(returned[0].previous_holder, bob);
  EXPECT_FALSE(returned[0].holder.has_value());
}

TEST_F(EventsTest, SlotsRunAfterCommitAndSeeTheCommittedState) {
  std::optional<CustomerState> seen;
  ScopedConnection c = pool.events().claimed.connect(
      [&](const Claimed& e) { seen = pool.customer(boss, e.customer)->state; });
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  EXPECT_EQ(seen, CustomerState::held);
}

TEST_F(EventsTest, ASlotMayCallBackIntoThePoolWithoutDeadlock) {
  EventLog log(pool.events());
  // A host rule: whenever a rep wins, hand them the next lead automatically.
  ScopedConnection c = pool.events().won.connect(
      [&](const Won& e) { ASSERT_HIGHSEAS_OK(pool.assign(boss, customer(9), *e.holder)); });
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.record_win(alice, customer(1), WinKind::payment_received));
  EXPECT_EQ(pool.customer(boss, customer(9))->holder, alice);
  EXPECT_EQ(log.lines, (std::vector<std::string>{"claimed:c1", "won:c1", "assigned:c9"}));
}

TEST_F(EventsTest, ImportAndMemberChangesAreEvents) {
  EventLog log(pool.events());
  ASSERT_HIGHSEAS_OK(pool.set_member(boss, UserId("carol"), Role::pool_user));
  ASSERT_HIGHSEAS_OK(pool.set_member(boss, UserId("carol"), Role::pool_user));  // no change
  const std::vector<CustomerProfile> batch{profile(50), profile(51)};
  ASSERT_HIGHSEAS_OK(pool.import_customers(admin, batch));
  ClaimPolicy longer = policy();
  longer.default_rule.holding_period = days(45);
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, longer));
  EXPECT_EQ(log.lines, (std::vector<std::string>{"member:carol", "imported:2", "policy"}));
}

}  // namespace
}  // namespace highseas::test

namespace highseas::test {
namespace {

using ListenerTest = PoolFixture;

TEST_F(ListenerTest, DisconnectingOneSlotTwiceKeepsTheOthersListening) {
  int first = 0;
  int second = 0;
  Connection a = pool.events().claimed.connect([&](const Claimed&) { ++first; });
  const Connection a_copy = a;
  ScopedConnection b(pool.events().claimed.connect([&](const Claimed&) { ++second; }));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  a.disconnect();
  a_copy.disconnect();  // the same link again: must not count as a second listener leaving
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 2);
}

TEST_F(ListenerTest, ASlotConnectedAfterEveryOtherLeftHearsTheNextChange) {
  int heard = 0;
  {
    ScopedConnection gone(pool.events().claimed.connect([&](const Claimed&) { ++heard; }));
  }
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  EXPECT_EQ(heard, 0);
  ScopedConnection back(pool.events().claimed.connect([&](const Claimed&) { ++heard; }));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  EXPECT_EQ(heard, 1);
}

}  // namespace
}  // namespace highseas::test
