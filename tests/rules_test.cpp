// The pure decisions, without storage, clock or threads.
#include "highseas/rules.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "highseas/testing/days.hpp"

namespace highseas::rules {
namespace {

using highseas::testing::utc_days_end;

// At midnight: whole-day spans from it end exactly whole days later (end of day N).
const Time kNow = utc(2026, 3, 1);
const UserId kBoss("boss");
const UserId kAdmin("admin");
const UserId kRep("li.wei");
const UserId kOther("ana");
const CustomerId kCustomer("CU1");

Situation situation_of(const UserId& actor, Role role, PoolRecord pool = {}) {
  return Situation{std::move(pool), RoleGuard::standard(), actor, role, kNow, nullptr};
}

CustomerRecord held_by(const UserId& holder, Time deadline, std::uint32_t extensions = 0) {
  CustomerRecord record;
  record.state = CustomerState::held;
  record.holder = holder;
  record.since = deadline - days(30);
  record.deadline = deadline;
  record.period_deadline = deadline;
  record.extensions_used = extensions;
  return record;
}

CustomerRecord in_state(CustomerState state) {
  CustomerRecord record;
  record.state = state;
  return record;
}

PoolRecord paused_at(Time at) {
  PoolRecord pool;
  pool.enabled = false;
  pool.paused_since = at;
  return pool;
}

TEST(RulesTest, OnlyCommandsThatStartOrMoveACountdownStopWhileThePoolIsOff) {
  const std::vector<std::pair<Command, bool>> table{
      {Command::create, true},          {Command::set_member, true},
      {Command::remove_member, true},   {Command::set_enabled, true},
      {Command::set_policy, true},      {Command::import_customers, false},
      {Command::move_into_pool, false}, {Command::move_out_of_pool, true},
      {Command::claim, false},          {Command::assign, false},
      {Command::release, true},         {Command::extend, false},
      {Command::follow_up, true},       {Command::record_win, true},
      {Command::sweep, true},           {Command::query, true},
  };
  for (const auto& [command, works] : table) {
    EXPECT_EQ(works_while_off(command), works) << static_cast<int>(command);
    const auto refusal = check_switched_on(paused_at(kNow), command);
    EXPECT_EQ(refusal.has_value(), !works) << static_cast<int>(command);
    if (refusal) {
      EXPECT_EQ(refusal->code, RefusalCode::pool_disabled);
    }
    EXPECT_FALSE(check_switched_on(PoolRecord{}, command).has_value());
  }
}

TEST(RulesTest, TheLastBossStays) {
  EXPECT_EQ(check_member_change(kBoss, Role::boss, Role::pool_admin, 1)->code,
            RefusalCode::invalid_argument);
  EXPECT_EQ(check_member_change(kBoss, Role::boss, std::nullopt, 1)->code,
            RefusalCode::invalid_argument);
  EXPECT_FALSE(check_member_change(kBoss, Role::boss, Role::pool_admin, 2).has_value());
  EXPECT_FALSE(check_member_change(kRep, std::nullopt, Role::pool_user, 1).has_value());
  EXPECT_EQ(check_member_change(kRep, std::nullopt, std::nullopt, 1)->code,
            RefusalCode::not_a_member);
}

TEST(RulesTest, ResumingGivesBackExactlyThePausedTime) {
  const Switch off = switch_pool(PoolRecord{}, false, kNow);
  EXPECT_FALSE(off.pool.enabled);
  EXPECT_EQ(off.pool.paused_since, kNow);
  EXPECT_EQ(off.shift_deadlines_by, Duration(0, 0, 0));
  const Switch on = switch_pool(off.pool, true, kNow + hours(5));
  EXPECT_TRUE(on.pool.enabled);
  EXPECT_TRUE(on.pool.paused_since.is_not_a_date_time());
  EXPECT_EQ(on.shift_deadlines_by, hours(5));
  // Switching to the state it is in changes nothing.
  EXPECT_EQ(switch_pool(PoolRecord{}, true, kNow).pool, PoolRecord{});
}

TEST(RulesTest, TakeRefusesInTheDocumentedOrder) {
  const Situation rep = situation_of(kRep, Role::pool_user);
  CustomerRecord cooled = in_state(CustomerState::available);
  cooled.cooldowns = {{kOther, kNow + days(3)}, {kRep, kNow + days(1)}};
  const std::vector<
      std::tuple<std::string, std::optional<CustomerRecord>, std::uint32_t, RefusalCode>>
      table{
          {"unknown", std::nullopt, 0, RefusalCode::unknown_customer},
          {"regular", in_state(CustomerState::regular), 0, RefusalCode::not_in_pool},
          {"held", held_by(kOther, kNow + days(1)), 0, RefusalCode::already_held},
          {"cooldown before cap", cooled, 99, RefusalCode::cooldown},
          {"cap", in_state(CustomerState::available), 20, RefusalCode::cap_reached},
      };
  for (const auto& [name, before, holdings, code] : table) {
    auto decision = take(rep, Command::claim, kCustomer, before,
                         Taker{kRep, Role::pool_user, holdings, {}}, "");
    ASSERT_FALSE(decision.ok()) << name;
    EXPECT_EQ(decision.code(), code) << name;
  }
  auto not_member = take(situation_of(kAdmin, Role::pool_admin), Command::assign, kCustomer,
                         std::nullopt, Taker{kRep, std::nullopt, 0, {}}, "");
  EXPECT_EQ(not_member.code(), RefusalCode::not_a_member);
}

TEST(RulesTest, ClaimStartsAFullPeriodAndAssignRecordsWhoGaveIt) {
  CustomerRecord before = in_state(CustomerState::available);
  before.cooldowns = {{kOther, kNow + days(3)},
                      {kRep, kNow}};  // others' and ended ones do not bind
  auto claimed = take(situation_of(kRep, Role::pool_user), Command::claim, kCustomer, before,
                      Taker{kRep, Role::pool_user, 19, {}}, "");
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(claimed->after.state, CustomerState::held);
  EXPECT_EQ(claimed->after.holder, kRep);
  EXPECT_EQ(claimed->after.since, kNow);
  EXPECT_EQ(claimed->after.deadline, kNow + days(30));
  EXPECT_EQ(claimed->entry.kind, HistoryKind::claimed);
  EXPECT_EQ(claimed->entry.holder_after, kRep);

  EXPECT_EQ(claimed->after.cooldowns, (std::vector<Cooldown>{{kOther, kNow + days(3)}}))
      << "the claim drops the ended wait";
  auto assigned = take(situation_of(kAdmin, Role::pool_admin), Command::assign, kCustomer, before,
                       Taker{kRep, Role::pool_user, 0, {}}, "");
  ASSERT_TRUE(assigned.ok());
  EXPECT_EQ(assigned->entry.kind, HistoryKind::assigned);
  EXPECT_EQ(assigned->entry.actor, kAdmin);
  EXPECT_EQ(assigned->after.holder, kRep);
}

TEST(RulesTest, ReleaseOwnOrAnyFollowsTheRoleTable) {
  const CustomerRecord reps = held_by(kRep, kNow + days(2));
  const CustomerRecord others = held_by(kOther, kNow + days(2));
  EXPECT_TRUE(release(situation_of(kRep, Role::pool_user), kCustomer, reps).ok());
  EXPECT_EQ(release(situation_of(kRep, Role::pool_user), kCustomer, others).code(),
            RefusalCode::not_permitted);
  EXPECT_TRUE(release(situation_of(kAdmin, Role::pool_admin), kCustomer, others).ok());
  EXPECT_EQ(
      release(situation_of(kRep, Role::pool_user), kCustomer, in_state(CustomerState::available))
          .code(),
      RefusalCode::not_held);

  auto released = release(situation_of(kRep, Role::pool_user), kCustomer, reps);
  EXPECT_EQ(released->after.state, CustomerState::available);
  EXPECT_FALSE(released->after.holder.has_value());
  EXPECT_EQ(released->after.cooldowns, (std::vector<Cooldown>{{kRep, kNow + days(7)}}));
  EXPECT_EQ(released->entry.holder_before, kRep);
}

TEST(RulesTest, ExtendNeedsTimeLeftAndExtensionsLeft) {
  const Situation admin = situation_of(kAdmin, Role::pool_admin);
  EXPECT_EQ(extend(admin, kCustomer, held_by(kRep, kNow)).code(), RefusalCode::deadline_passed);
  EXPECT_EQ(extend(admin, kCustomer, held_by(kRep, kNow + seconds(1), 2)).code(),
            RefusalCode::extension_limit);
  auto extended = extend(admin, kCustomer, held_by(kRep, kNow + seconds(1), 1));
  ASSERT_TRUE(extended.ok());
  // 15 days from a deadline a second into 1 March end when 16 March does.
  EXPECT_EQ(extended->after.deadline, utc_days_end(kNow + seconds(1), 15));
  EXPECT_EQ(extended->after.deadline, kNow + days(16));
  EXPECT_EQ(extended->after.extensions_used, 2U);
}

TEST(RulesTest, FollowUpAndWinCountTheDeadlineOnThePausedClock) {
  // Paused a day before the deadline: a week later the holding still has a day.
  const PoolRecord paused = paused_at(kNow - days(7));
  const Situation rep = situation_of(kRep, Role::pool_user, paused);
  const CustomerRecord holding = held_by(kRep, kNow - days(6));
  EXPECT_TRUE(follow_up(rep, kCustomer, holding, "called").ok());
  EXPECT_TRUE(record_win(rep, kCustomer, holding, WinKind::payment_received).ok());
  const Situation running = situation_of(kRep, Role::pool_user);
  EXPECT_EQ(follow_up(running, kCustomer, holding, "called").code(), RefusalCode::deadline_passed);
  EXPECT_EQ(record_win(running, kCustomer, holding, WinKind::contract_signed).code(),
            RefusalCode::deadline_passed);
}

TEST(RulesTest, OnlyTheHolderFollowsUpAndARepWinsOnlyTheirOwn) {
  const CustomerRecord others = held_by(kOther, kNow + days(1));
  EXPECT_EQ(follow_up(situation_of(kRep, Role::pool_user), kCustomer, others, "x").code(),
            RefusalCode::held_by_other);
  EXPECT_EQ(follow_up(situation_of(kBoss, Role::boss), kCustomer, others, "x").code(),
            RefusalCode::held_by_other);
  EXPECT_EQ(
      record_win(situation_of(kRep, Role::pool_user), kCustomer, others, WinKind::contract_signed)
          .code(),
      RefusalCode::not_permitted);
  auto won =
      record_win(situation_of(kBoss, Role::boss), kCustomer, others, WinKind::contract_signed);
  ASSERT_TRUE(won.ok());
  EXPECT_EQ(won->after.state, CustomerState::regular);
  EXPECT_EQ(won->after.holder, kOther);  // the holder keeps the customer
  EXPECT_EQ(won->entry.kind, HistoryKind::won);
}

TEST(RulesTest, MoveInTellsAPoolCollisionFromARegularOne) {
  const Situation admin = situation_of(kAdmin, Role::pool_admin);
  EXPECT_EQ(move_in(admin, kCustomer, in_state(CustomerState::held), std::nullopt).code(),
            RefusalCode::already_in_pool);
  const NameMatch pooled{CustomerId("CU9"), in_state(CustomerState::available)};
  const NameMatch regular{CustomerId("CU9"), in_state(CustomerState::regular)};
  EXPECT_EQ(move_in(admin, kCustomer, std::nullopt, pooled).code(), RefusalCode::already_in_pool);
  EXPECT_EQ(move_in(admin, kCustomer, std::nullopt, regular).code(), RefusalCode::known_customer);
  auto moved = move_in(admin, kCustomer, in_state(CustomerState::regular), std::nullopt);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->after.state, CustomerState::available);
  EXPECT_EQ(move_out(admin, kCustomer, in_state(CustomerState::regular)).code(),
            RefusalCode::not_in_pool);
}

TEST(RulesTest, TheSweepGivesACooldownAndARemovedMemberDoesNot) {
  const Situation system{PoolRecord{}, RoleGuard::standard(), std::nullopt, std::nullopt, kNow,
                         nullptr};
  const Change returned = return_due(system, held_by(kRep, kNow));
  EXPECT_EQ(returned.entry.kind, HistoryKind::returned);
  EXPECT_FALSE(returned.entry.actor.has_value());
  EXPECT_EQ(returned.after.cooldowns, (std::vector<Cooldown>{{kRep, kNow + days(7)}}));
  const Change removed =
      return_of_removed_member(situation_of(kBoss, Role::boss), held_by(kRep, kNow));
  EXPECT_EQ(removed.entry.kind, HistoryKind::member_removed);
  EXPECT_TRUE(removed.after.cooldowns.empty());
}

TEST(RulesTest, TheSweepsPlanReturnsEachHoldingAsOneReturnWould) {
  PoolRecord pool;
  pool.policy.reclaim_cooldown = days(5);
  const Situation system{pool, RoleGuard::standard(), std::nullopt, std::nullopt, kNow, nullptr};
  const DueReturn plan = due_return(system);
  EXPECT_EQ(plan.now, kNow);
  EXPECT_EQ(plan.cooldown, days(5));
  CustomerRecord before = held_by(kRep, kNow - hours(1));
  before.extensions_used = 2;
  before.last_follow_up = kNow - days(2);
  const CustomerRecord after = plan.returned(before);
  EXPECT_EQ(after.state, CustomerState::available);
  EXPECT_FALSE(after.holder.has_value());
  // Given back the moment its deadline came, however late the sweep.
  EXPECT_EQ(after.since, kNow - hours(1));
  EXPECT_TRUE(after.deadline.is_not_a_date_time());
  EXPECT_EQ(after.extensions_used, 0U);
  EXPECT_TRUE(after.last_follow_up.is_not_a_date_time());
  EXPECT_EQ(after.cooldowns, (std::vector<Cooldown>{{kRep, kNow - hours(1) + days(5)}}));
  const HistoryEntry entry = plan.entry(before);
  EXPECT_EQ(entry.holder_before, kRep);
  EXPECT_FALSE(entry.holder_after.has_value());
  EXPECT_EQ(entry.at, kNow - hours(1));
  // One return and the batch plan agree: the engine announces what storage wrote.
  const Change one = return_due(system, before);
  EXPECT_EQ(one.after, after);
  EXPECT_EQ(one.entry, entry);
}

TEST(RulesTest, ImportChecksRowsInOrder) {
  const CustomerProfile profile{CustomerId("CU7"), "Acme Ltda", "BR", "A", {}};
  const ImportRow clean{profile, "acme ltda", false, std::nullopt, false, std::nullopt};
  EXPECT_FALSE(import_problem(0, clean).has_value());
  ImportRow repeated = clean;
  repeated.id_repeated_in_batch = true;
  repeated.name_repeated_in_batch = true;
  EXPECT_EQ(import_problem(3, repeated)->field, "id");
  EXPECT_EQ(import_problem(3, repeated)->row, 3U);
  ImportRow known = clean;
  known.known_by_id = in_state(CustomerState::regular);
  EXPECT_EQ(import_problem(0, known)->code, RefusalCode::known_customer);
  known.known_by_id = held_by(kRep, kNow);
  EXPECT_EQ(import_problem(0, known)->code, RefusalCode::already_in_pool);
  EXPECT_EQ(import_problem(0, known)->collision->holder, kRep);
  ImportRow same_name = clean;
  same_name.known_by_name = NameMatch{CustomerId("CU1"), in_state(CustomerState::available)};
  EXPECT_EQ(import_problem(0, same_name)->field, "name");
  EXPECT_TRUE(import_problem(0, same_name)->collision->by_name);
  CustomerProfile bad = profile;
  bad.country = "Brazil";
  EXPECT_EQ(invalid_profile(0, bad)->field, "country");
  EXPECT_FALSE(invalid_profile(0, profile).has_value());

  EXPECT_TRUE(import_writes(ImportMode::keep_valid, true));
  EXPECT_TRUE(import_writes(ImportMode::all_or_nothing, false));
  EXPECT_FALSE(import_writes(ImportMode::all_or_nothing, true));
  EXPECT_FALSE(import_writes(ImportMode::check_only, false));
}

TEST(RulesTest, AViewShowsTimeLeftFrozenWhilePausedAndOnlyARunningCooldown) {
  const CustomerProfile profile{kCustomer, "Acme", "", "", {}};
  const CustomerRecord holding = held_by(kRep, kNow + days(2), 1);
  const CustomerView running = view_of(PoolRecord{}, profile, holding, kNow);
  EXPECT_EQ(running.time_left, days(2));
  EXPECT_EQ(running.extensions_left, 1U);
  EXPECT_FALSE(running.paused);
  const CustomerView paused = view_of(paused_at(kNow - days(1)), profile, holding, kNow);
  EXPECT_EQ(paused.time_left, days(3));
  EXPECT_TRUE(paused.paused);

  CustomerRecord cooled = in_state(CustomerState::available);
  cooled.cooldowns = {{kOther, kNow + hours(3)}, {kRep, kNow + hours(1)}, {kRep, kNow}};
  EXPECT_EQ(view_of(PoolRecord{}, profile, cooled, kNow).cooldowns,
            (std::vector<Cooldown>{{kRep, kNow + hours(1)}, {kOther, kNow + hours(3)}}))
      << "running waits only, soonest end first";
  EXPECT_EQ(view_of(PoolRecord{}, profile, cooled, kNow + hours(1)).cooldowns,
            (std::vector<Cooldown>{{kOther, kNow + hours(3)}}));
  EXPECT_FALSE(view_of(PoolRecord{}, profile, cooled, kNow).time_left.has_value());
}

TEST(RulesTest, UrgentMeansLessThanTheWarningLeft) {
  CustomerView view;
  EXPECT_FALSE(is_urgent(view));  // not held: no countdown
  view.time_left = days(3);
  EXPECT_FALSE(is_urgent(view));
  view.time_left = days(3) - seconds(1);
  EXPECT_TRUE(is_urgent(view));
  EXPECT_FALSE(is_urgent(view, days(1)));
}

TEST(RulesTest, PolicyFieldsNeedTheirOwnPermission) {
  RoleGuard guard = RoleGuard::standard();
  guard.allow(Role::pool_admin, Action::set_max_holdings);
  ClaimPolicy before;
  ClaimPolicy cap = before;
  cap.max_holdings = 5;
  ClaimPolicy period = before;
  period.default_rule.holding_period = days(10);
  EXPECT_FALSE(guard.may_change_policy(Role::pool_admin, before, cap).has_value());
  EXPECT_EQ(guard.may_change_policy(Role::pool_admin, before, period)->code,
            RefusalCode::not_permitted);
  EXPECT_FALSE(guard.may_change_policy(Role::boss, before, period).has_value());
  // No say over the policy at all: refused even when nothing would change.
  EXPECT_TRUE(guard.may_change_policy(Role::pool_user, before, before).has_value());
}

}  // namespace
}  // namespace highseas::rules
