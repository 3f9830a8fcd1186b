// Bad input to the public API: every command with every kind of malformed
// argument gets a clear refusal (invalid_argument, or unknown_pool for a pool
// that was never created), never a crash, a partial change or an event.
#include <gtest/gtest.h>

#include <functional>
#include <highseas/highseas.hpp>
#include <highseas/testing/forwarding_storage.hpp>
#include <highseas/testing/matchers.hpp>
#include <memory>
#include <string>
#include <vector>

#include "harness.hpp"

namespace highseas::sim {
namespace {

// Every kind of malformed id: empty, too long, broken or sneaky UTF-8, control
// characters.
const std::vector<std::string>& bad_ids() {
  static const std::vector<std::string> ids{
      "",
      std::string(kMaxIdBytes + 1, 'x'),
      "\xff\xfe",
      "\xc3\x28",                  // truncated two-byte sequence
      "\xc0\xaf",                  // overlong encoding of '/'
      "\xed\xa0\x80",              // UTF-16 surrogate
      "\xf4\x90\x80\x80",          // beyond U+10FFFF
      "abc\xe2\x82",               // cut in the middle of a character
      std::string("a\x01") + "b",  // control character
      "line\nbreak",               // newline
      "tab\there",                 // tab
      std::string("nul\0in", 6),
      "del\x7f",
  };
  return ids;
}

// A storage that counts every write call made through it, whatever the pool:
// "nothing changed" for the whole storage, not only for the pools a test
// dumps (a write under a malformed pool id would be invisible to those).
class WriteCountingStorage final : public highseas::testing::ForwardingStorage {
 public:
  using ForwardingStorage::ForwardingStorage;

  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override {
    return std::make_unique<Counting>(ForwardingStorage::begin(pool, mode), writes_);
  }
  // Returns how many write calls were made since construction.
  int writes() const { return writes_; }

 private:
  class Counting final : public highseas::testing::ForwardingTransaction {
   public:
    Counting(std::unique_ptr<Transaction> target, int& writes)
        : ForwardingTransaction(std::move(target)), writes_(&writes) {}
    void put_pool(const PoolRecord& pool) override {
      ++*writes_;
      ForwardingTransaction::put_pool(pool);
    }
    void put_member(const UserId& user, Role role) override {
      ++*writes_;
      ForwardingTransaction::put_member(user, role);
    }
    void erase_member(const UserId& user) override {
      ++*writes_;
      ForwardingTransaction::erase_member(user);
    }
    void insert_customer(const CustomerProfile& profile, std::string_view name_key,
                         const CustomerRecord& record) override {
      ++*writes_;
      ForwardingTransaction::insert_customer(profile, name_key, record);
    }
    void update_customer(const CustomerId& id, const CustomerRecord& record) override {
      ++*writes_;
      ForwardingTransaction::update_customer(id, record);
    }
    void write_change(const CustomerId& id, const CustomerRecord& after,
                      const HistoryEntry& entry) override {
      ++*writes_;
      ForwardingTransaction::write_change(id, after, entry);
    }
    std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit) override {
      ++*writes_;
      return ForwardingTransaction::return_due(plan, limit);
    }
    void shift_deadlines(Duration by) override {
      ++*writes_;
      ForwardingTransaction::shift_deadlines(by);
    }
    void append_history(const CustomerId& id, const HistoryEntry& entry) override {
      ++*writes_;
      ForwardingTransaction::append_history(id, entry);
    }

   private:
    int* writes_;
  };

  int writes_ = 0;
};

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClaimPolicy policy;
    policy.max_holdings = 3;
    ASSERT_HIGHSEAS_OK(pool.create(boss, policy));
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, admin, Role::pool_admin));
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, rep, Role::pool_user));
    const std::vector<CustomerProfile> batch{good_profile("c1"), good_profile("c2"),
                                             good_profile("c3")};
    ASSERT_HIGHSEAS_OK(pool.import_customers(admin, batch));
    ASSERT_HIGHSEAS_OK(pool.claim(rep, c1));
    (void)log.take();
  }

  static CustomerProfile good_profile(const std::string& id) {
    return {CustomerId(id), "Company " + id, "BR", "A", {"vip"}};
  }

  std::string state() {
    return dump(pool, boss, {boss, admin, rep, UserId("nobody")}, {c1, c2, c3, CustomerId("new")});
  }

  // Expects `command` to be refused with `code`, with no change and no event.
  template <class Command>
  void expect_refused(const std::string& what, RefusalCode code, Command command) {
    const std::string before = state();
    const int writes_before = storage.writes();
    const auto result = command();
    ASSERT_FALSE(result.ok()) << what << " was accepted";
    EXPECT_EQ(storage.writes(), writes_before) << what << " wrote to the storage";
    EXPECT_EQ(result.code(), code) << what << ": " << result.refusal().to_string();
    EXPECT_FALSE(result.refusal().message.empty()) << what << ": refusal without a message";
    EXPECT_EQ(state(), before) << what << " changed the pool";
    EXPECT_TRUE(log.take().empty()) << what << " emitted an event";
  }

  const UserId boss{"boss"};
  const UserId admin{"admin"};
  const UserId rep{"rep"};
  const CustomerId c1{"c1"};
  const CustomerId c2{"c2"};
  const CustomerId c3{"c3"};
  ManualClock clock{utc(2026, 2, 1, 9)};
  MemoryStorage memory;
  WriteCountingStorage storage{memory};
  PublicPool pool{PoolId("bad-input"), storage, clock};
  EventLog log{pool.events()};
};

TEST_F(BadInputTest, EveryCommandRefusesEveryMalformedId) {
  constexpr auto invalid = RefusalCode::invalid_argument;
  for (const std::string& text : bad_ids()) {
    const UserId user(text);
    const CustomerId customer(text);
    const std::string tag = " with id of " + std::to_string(text.size()) + " bytes";
    expect_refused("set_member actor" + tag, invalid,
                   [&] { return pool.set_member(user, rep, Role::pool_admin); });
    expect_refused("set_member user" + tag, invalid,
                   [&] { return pool.set_member(boss, user, Role::pool_user); });
    expect_refused("remove_member actor" + tag, invalid,
                   [&] { return pool.remove_member(user, rep); });
    expect_refused("remove_member user" + tag, invalid,
                   [&] { return pool.remove_member(boss, user); });
    expect_refused("set_enabled" + tag, invalid, [&] { return pool.set_enabled(user, false); });
    expect_refused("set_policy" + tag, invalid, [&] { return pool.set_policy(user, {}); });
    expect_refused("import actor" + tag, invalid, [&] {
      return pool.import_customers(user, std::vector<CustomerProfile>{good_profile("new")});
    });
    expect_refused("move_into_pool actor" + tag, invalid,
                   [&] { return pool.move_into_pool(user, good_profile("new")); });
    expect_refused("move_into_pool id" + tag, invalid, [&] {
      CustomerProfile profile = good_profile("new");
      profile.id = customer;
      return pool.move_into_pool(admin, profile);
    });
    expect_refused("move_out_of_pool actor" + tag, invalid,
                   [&] { return pool.move_out_of_pool(user, c2); });
    expect_refused("move_out_of_pool id" + tag, invalid,
                   [&] { return pool.move_out_of_pool(admin, customer); });
    expect_refused("claim actor" + tag, invalid, [&] { return pool.claim(user, c2); });
    expect_refused("claim id" + tag, invalid, [&] { return pool.claim(rep, customer); });
    expect_refused("assign actor" + tag, invalid, [&] { return pool.assign(user, c2, rep); });
    expect_refused("assign id" + tag, invalid, [&] { return pool.assign(admin, customer, rep); });
    expect_refused("assign to" + tag, invalid, [&] { return pool.assign(admin, c2, user); });
    expect_refused("release actor" + tag, invalid, [&] { return pool.release(user, c1); });
    expect_refused("release id" + tag, invalid, [&] { return pool.release(rep, customer); });
    expect_refused("extend actor" + tag, invalid, [&] { return pool.extend(user, c1); });
    expect_refused("extend id" + tag, invalid, [&] { return pool.extend(admin, customer); });
    expect_refused("follow_up actor" + tag, invalid,
                   [&] { return pool.follow_up(user, c1, "note"); });
    expect_refused("follow_up id" + tag, invalid,
                   [&] { return pool.follow_up(rep, customer, "note"); });
    expect_refused("record_win actor" + tag, invalid,
                   [&] { return pool.record_win(user, c1, WinKind::contract_signed); });
    expect_refused("record_win id" + tag, invalid,
                   [&] { return pool.record_win(rep, customer, WinKind::contract_signed); });
    expect_refused("info" + tag, invalid, [&] { return pool.info(user); });
    expect_refused("members" + tag, invalid, [&] { return pool.members(user); });
    expect_refused("customer actor" + tag, invalid, [&] { return pool.customer(user, c1); });
    expect_refused("customer id" + tag, invalid, [&] { return pool.customer(boss, customer); });
    expect_refused("holdings actor" + tag, invalid, [&] { return pool.holdings(user, rep); });
    expect_refused("holdings user" + tag, invalid, [&] { return pool.holdings(boss, user); });
    expect_refused("available actor" + tag, invalid, [&] { return pool.available(user, {}); });
    expect_refused("available cursor" + tag, invalid, [&] {
      AvailableQuery query;
      query.after = customer;
      return pool.available(boss, query);
    });
    expect_refused("history actor" + tag, invalid, [&] { return pool.history(user, c1); });
    expect_refused("history id" + tag, invalid, [&] { return pool.history(boss, customer); });
  }
}

TEST_F(BadInputTest, APoolWithAMalformedIdRefusesEverything) {
  const std::vector<CustomerProfile> batch{good_profile("new")};
  for (const std::string& text : bad_ids()) {
    PublicPool bad(PoolId(text), storage, clock);
    EventLog bad_log(bad.events());
    const std::string before = state();
    const int writes_before = storage.writes();
    SCOPED_TRACE("pool id of " + std::to_string(text.size()) + " bytes");
    // Every command and query, each with arguments that would work on a good pool.
    EXPECT_REFUSED(bad.create(boss), invalid_argument);
    EXPECT_REFUSED(bad.set_member(boss, rep, Role::pool_admin), invalid_argument);
    EXPECT_REFUSED(bad.remove_member(boss, rep), invalid_argument);
    EXPECT_REFUSED(bad.set_enabled(boss, false), invalid_argument);
    EXPECT_REFUSED(bad.set_policy(boss, ClaimPolicy{}), invalid_argument);
    EXPECT_REFUSED(bad.update_policy(boss, PolicyPatch{}), invalid_argument);
    EXPECT_REFUSED(bad.import_customers(admin, batch), invalid_argument);
    EXPECT_REFUSED(bad.move_into_pool(admin, good_profile("new")), invalid_argument);
    EXPECT_REFUSED(bad.move_out_of_pool(admin, c2), invalid_argument);
    EXPECT_REFUSED(bad.claim(rep, c2), invalid_argument);
    EXPECT_REFUSED(bad.assign(admin, c2, rep), invalid_argument);
    EXPECT_REFUSED(bad.release(rep, c1), invalid_argument);
    EXPECT_REFUSED(bad.extend(rep, c1), invalid_argument);
    EXPECT_REFUSED(bad.follow_up(rep, c1, "note"), invalid_argument);
    EXPECT_REFUSED(bad.record_win(rep, c1, WinKind::contract_signed), invalid_argument);
    EXPECT_REFUSED(bad.sweep(), invalid_argument);
    EXPECT_REFUSED(bad.info(boss), invalid_argument);
    EXPECT_REFUSED(bad.members(boss), invalid_argument);
    EXPECT_REFUSED(bad.summary(boss), invalid_argument);
    EXPECT_REFUSED(bad.customer(boss, c1), invalid_argument);
    EXPECT_REFUSED(bad.holdings(boss, rep), invalid_argument);
    EXPECT_REFUSED(bad.available(boss, {}), invalid_argument);
    EXPECT_REFUSED(bad.history(boss, c1), invalid_argument);
    // Nothing written anywhere in the storage, under any pool id.
    EXPECT_EQ(storage.writes(), writes_before);
    EXPECT_EQ(state(), before);
    EXPECT_TRUE(bad_log.take().empty());
  }
}

TEST_F(BadInputTest, OutOfRangeEnumsAreRefused) {
  expect_refused("set_member with role 7", RefusalCode::invalid_argument,
                 [&] { return pool.set_member(boss, UserId("newbie"), static_cast<Role>(7)); });
  expect_refused("set_member changing a role to 7", RefusalCode::invalid_argument,
                 [&] { return pool.set_member(boss, rep, static_cast<Role>(-1)); });
  expect_refused("record_win with kind 9", RefusalCode::invalid_argument,
                 [&] { return pool.record_win(rep, c1, static_cast<WinKind>(9)); });
  ClaimPolicy longer;
  longer.default_rule.holding_period = days(40);
  expect_refused("set_policy with running 3", RefusalCode::invalid_argument,
                 [&] { return pool.set_policy(boss, longer, static_cast<RunningHoldings>(3)); });
  expect_refused("update_policy with running 9", RefusalCode::invalid_argument, [&] {
    return pool.update_policy(boss, PolicyPatch{}, static_cast<RunningHoldings>(9));
  });
  expect_refused("preview_policy with running 200", RefusalCode::invalid_argument, [&] {
    return pool.preview_policy(boss, longer, static_cast<RunningHoldings>(200));
  });
}

TEST_F(BadInputTest, MalformedNotesAreRefused) {
  for (const std::string& note :
       {std::string("\xff"), std::string("bell\x07"), std::string("esc\x1b[0m"),
        std::string("del\x7f"), std::string(4001, 'n'), std::string("nul\0", 4)}) {
    expect_refused("follow_up note of " + std::to_string(note.size()) + " bytes",
                   RefusalCode::invalid_argument, [&] { return pool.follow_up(rep, c1, note); });
  }
  // The limits themselves are accepted: multi-line notes and exactly 4000 bytes.
  EXPECT_HIGHSEAS_OK(pool.follow_up(rep, c1, "first line\n\tsecond line"));
  EXPECT_HIGHSEAS_OK(pool.follow_up(rep, c1, std::string(4000, 'n')));
}

TEST_F(BadInputTest, MalformedPoliciesAreRefused) {
  std::vector<std::pair<std::string, ClaimPolicy>> bad;
  auto add = [&bad](std::string what, auto change) {
    ClaimPolicy policy;
    change(policy);
    bad.emplace_back(std::move(what), policy);
  };
  add("zero period", [](ClaimPolicy& p) { p.default_rule.holding_period = Duration(0, 0, 0); });
  add("negative period", [](ClaimPolicy& p) { p.default_rule.holding_period = -hours(1); });
  add("period over 10 years", [](ClaimPolicy& p) { p.default_rule.holding_period = days(3654); });
  add("infinite period", [](ClaimPolicy& p) {
    p.default_rule.holding_period = Duration(boost::date_time::pos_infin);
  });
  add("not-a-time period", [](ClaimPolicy& p) {
    p.default_rule.holding_period = Duration(boost::date_time::not_a_date_time);
  });
  add("zero extension", [](ClaimPolicy& p) { p.extension = Duration(0, 0, 0); });
  add("extension over 10 years", [](ClaimPolicy& p) { p.extension = days(4000); });
  add("negative cooldown", [](ClaimPolicy& p) { p.reclaim_cooldown = -seconds(1); });
  add("cooldown over 10 years", [](ClaimPolicy& p) { p.reclaim_cooldown = days(4000); });
  add("huge cap", [](ClaimPolicy& p) { p.max_holdings = ClaimPolicy::kLargestCount + 1; });
  add("huge extension count",
      [](ClaimPolicy& p) { p.max_extensions = ClaimPolicy::kLargestCount + 1; });
  for (const auto& [what, policy] : bad) {
    expect_refused("set_policy with " + what, RefusalCode::invalid_argument,
                   [&] { return pool.set_policy(boss, policy); });
    PublicPool fresh(PoolId("fresh"), storage, clock);
    EXPECT_REFUSED(fresh.create(boss, policy), invalid_argument) << what;
    EXPECT_REFUSED(fresh.info(boss), unknown_pool) << what << ": a refused create left a pool";
  }
}

TEST_F(BadInputTest, MalformedProfilesAreRefusedRowByRow) {
  std::vector<std::pair<std::string, CustomerProfile>> bad;
  auto add = [&bad](std::string field, auto change) {
    CustomerProfile profile = good_profile("new");
    change(profile);
    bad.emplace_back(std::move(field), profile);
  };
  add("id", [](CustomerProfile& p) { p.id = CustomerId(""); });
  add("name", [](CustomerProfile& p) { p.name.clear(); });
  add("name", [](CustomerProfile& p) { p.name = std::string(257, 'n'); });
  add("name", [](CustomerProfile& p) { p.name = "bad \xff name"; });
  add("name", [](CustomerProfile& p) { p.name = "two\nlines"; });
  add("country", [](CustomerProfile& p) { p.country = "XX1"; });
  add("country", [](CustomerProfile& p) { p.country = "br"; });
  add("country", [](CustomerProfile& p) { p.country = "\xff\xff"; });
  add("level", [](CustomerProfile& p) { p.level = std::string(17, 'L'); });
  add("level", [](CustomerProfile& p) { p.level = "\x01"; });
  add("tags", [](CustomerProfile& p) { p.tags.emplace_back(""); });
  add("tags", [](CustomerProfile& p) { p.tags.emplace_back(65, 't'); });
  add("tags", [](CustomerProfile& p) { p.tags.emplace_back("\xc3\x28"); });
  add("tags", [](CustomerProfile& p) { p.tags.assign(33, "t"); });
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const auto& [field, profile] = bad[i];
    const std::string what = "profile " + std::to_string(i) + " with a bad " + field;
    expect_refused("move_into_pool " + what, RefusalCode::invalid_argument,
                   [&] { return pool.move_into_pool(admin, profile); });

    // all_or_nothing: one bad row means nothing is added.
    const CustomerProfile good = good_profile("ok" + std::to_string(i));
    const std::vector<CustomerProfile> batch{good, profile};
    const std::string before = state();
    auto strict = pool.import_customers(admin, batch, ImportMode::all_or_nothing);
    ASSERT_HIGHSEAS_OK(strict);
    EXPECT_TRUE(strict->imported.empty()) << what;
    EXPECT_EQ(strict->problems.size(), 1U) << what;
    EXPECT_EQ(state(), before) << what << ": all_or_nothing added something";
    EXPECT_TRUE(log.take().empty()) << what;

    // keep_valid: the good row goes in, the bad one is reported with its field.
    auto report = pool.import_customers(admin, batch);
    ASSERT_HIGHSEAS_OK(report);
    ASSERT_EQ(report->problems.size(), 1U) << what;
    EXPECT_EQ(report->problems[0].row, 1U) << what;
    EXPECT_EQ(report->problems[0].field, field) << what;
    EXPECT_EQ(report->problems[0].code, RefusalCode::invalid_argument) << what;
    EXPECT_FALSE(report->problems[0].reason.empty()) << what;
    EXPECT_EQ(report->imported, std::vector<CustomerId>{good.id}) << what;
    EXPECT_EQ(log.take().size(), 1U) << what;
  }
}

TEST_F(BadInputTest, EveryMalformedProfileIsReportedInOneImport) {
  std::vector<CustomerProfile> batch{good_profile("fine")};
  std::vector<std::string> fields;
  auto add = [&](std::string field, auto change) {
    CustomerProfile profile = good_profile("row" + std::to_string(batch.size()));
    change(profile);
    batch.push_back(profile);
    fields.push_back(std::move(field));
  };
  add("id", [](CustomerProfile& p) { p.id = CustomerId(std::string(129, 'i')); });
  add("name", [](CustomerProfile& p) { p.name = "bad \xff name"; });
  add("country", [](CustomerProfile& p) { p.country = "ZZZ"; });
  add("level", [](CustomerProfile& p) { p.level = std::string(17, 'L'); });
  add("tags", [](CustomerProfile& p) { p.tags.assign(33, "t"); });
  add("id", [](CustomerProfile& p) { p.id = CustomerId("fine"); });  // duplicate in the batch
  add("id", [](CustomerProfile& p) { p.id = CustomerId("c2"); });    // already known
  auto report = pool.import_customers(admin, batch);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, std::vector<CustomerId>{CustomerId("fine")});
  ASSERT_EQ(report->problems.size(), fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(report->problems[i].row, i + 1);
    EXPECT_EQ(report->problems[i].field, fields[i]) << "row " << i + 1;
  }
  EXPECT_EQ(report->problems.back().code, RefusalCode::already_in_pool);
}

TEST_F(BadInputTest, PageLimitsOutsideOneToAThousandAreRefused) {
  for (const std::size_t limit : {std::size_t{0}, PublicPool::kMaxPage + 1, std::size_t(-1)}) {
    expect_refused("available with limit " + std::to_string(limit), RefusalCode::invalid_argument,
                   [&] {
                     AvailableQuery query;
                     query.limit = limit;
                     return pool.available(boss, query);
                   });
  }
}

TEST(BadInputOnUnknownPool, EveryCommandSaysUnknownPool) {
  MemoryStorage storage;
  ManualClock clock;
  PublicPool pool(PoolId("never-created"), storage, clock);
  EventLog log(pool.events());
  const UserId user("someone");
  const CustomerId customer("c1");
  EXPECT_REFUSED(pool.set_member(user, user, Role::boss), unknown_pool);
  EXPECT_REFUSED(pool.remove_member(user, user), unknown_pool);
  EXPECT_REFUSED(pool.set_enabled(user, true), unknown_pool);
  EXPECT_REFUSED(pool.set_policy(user, {}), unknown_pool);
  EXPECT_REFUSED(pool.import_customers(user, std::vector<CustomerProfile>{}), unknown_pool);
  EXPECT_REFUSED(pool.move_into_pool(user, {customer, "Name", "", "", {}}), unknown_pool);
  EXPECT_REFUSED(pool.move_out_of_pool(user, customer), unknown_pool);
  EXPECT_REFUSED(pool.claim(user, customer), unknown_pool);
  EXPECT_REFUSED(pool.assign(user, customer, user), unknown_pool);
  EXPECT_REFUSED(pool.release(user, customer), unknown_pool);
  EXPECT_REFUSED(pool.extend(user, customer), unknown_pool);
  EXPECT_REFUSED(pool.follow_up(user, customer, ""), unknown_pool);
  EXPECT_REFUSED(pool.record_win(user, customer, WinKind::payment_received), unknown_pool);
  EXPECT_REFUSED(pool.sweep(), unknown_pool);
  EXPECT_REFUSED(pool.info(user), unknown_pool);
  EXPECT_REFUSED(pool.members(user), unknown_pool);
  EXPECT_REFUSED(pool.customer(user, customer), unknown_pool);
  EXPECT_REFUSED(pool.holdings(user, user), unknown_pool);
  EXPECT_REFUSED(pool.available(user, {}), unknown_pool);
  EXPECT_REFUSED(pool.history(user, customer), unknown_pool);
  EXPECT_TRUE(log.take().empty());
}

}  // namespace
}  // namespace highseas::sim
