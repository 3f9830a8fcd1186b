// The seeded simulation itself: random commands and queries against the engine
// and the model at once, compared step by step (see harness.hpp).
#include "harness.hpp"

#include <algorithm>
#include <array>
#include <boost/date_time/posix_time/posix_time.hpp>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "random_choices.hpp"
#include "sim_text.hpp"

namespace highseas::sim {

namespace {

// The ids a simulation draws from.
struct Universe {
  std::vector<UserId> users;          // u0 is the creator
  std::vector<CustomerId> customers;  // c00..c39
  std::vector<std::string> hostile;   // invalid as any id

  Universe() {
    for (int i = 0; i < 7; ++i) users.emplace_back("u" + std::to_string(i));
    for (int i = 0; i < 40; ++i) {
      customers.emplace_back((i < 10 ? "c0" : "c") + std::to_string(i));
    }
    hostile = {"",
               std::string(kMaxIdBytes + 1, 'x'),
               "\xff\xfe",
               std::string("a\x01") + "b",
               "\xc3\x28",
               "tab\there",
               std::string("nul\0in", 6)};
  }
};

class Simulation {
 public:
  Simulation(Storage& storage, const SimOptions& options)
      : options_(options),
        storage_(&storage),
        choose_(options.seed),
        pool_(PoolId("sim"), storage, clock_),
        model_(PoolId("sim")),
        log_(pool_.events()) {
    // Ids no step ever used but a query might: unknown ones.
    all_customers_ = universe_.customers;
    all_customers_.emplace_back("zz-unknown");
    all_users_ = universe_.users;
    all_users_.emplace_back("stranger");
    // How often this run sweeps, from the seed (not the random stream): never
    // (commands and pauses write every return), now and then, or often.
    static constexpr int kSweepPercent[] = {0, 3, 25, 100};
    sweep_percent_ = kSweepPercent[options.seed % 4];
  }

  // The outcome counts of the run.
  const std::map<std::string, std::uint64_t>& tallies() const { return tally_; }

  std::string run() {
    for (step_ = 0; step_ < options_.steps; ++step_) {
      target_.reset();
      due_before_.clear();
      for (const auto& [id, pending] : model_.pending()) due_before_.insert(id);
      std::string problem = one_step();
      model_.catch_up(clock_.now());  // settled, as a sweep every second leaves it
      if (problem.empty() && (step_ + 1) % options_.snapshot_every == 0) {
        problem = compare_all(pool_, model_, clock_.now(), all_users_, all_customers_, storage_);
      }
      if (problem.empty()) problem = check_caps();
      if (!problem.empty()) {
        return "seed " + std::to_string(options_.seed) + ", step " + std::to_string(step_) + " (" +
               what_ + " at " + to_iso8601(clock_.now()) + "): " + problem;
      }
    }
    if (auto problem =
            compare_all(pool_, model_, clock_.now(), all_users_, all_customers_, storage_);
        !problem.empty()) {
      return "seed " + std::to_string(options_.seed) + ", final snapshot: " + problem;
    }
    return {};
  }

 private:
  // ---- random choices (choose_) ----
  UserId any_user() {
    const auto roll = choose_.below(100);
    if (roll < 4) return UserId(choose_.pick(universe_.hostile));
    if (roll < 8) return UserId("stranger");
    if (roll < 60 && !model_.members().empty()) {
      auto member = model_.members().begin();
      std::advance(member, static_cast<long>(choose_.below(model_.members().size())));
      return member->first;
    }
    return choose_.pick(universe_.users);
  }

  CustomerId any_customer() {
    const auto roll = choose_.below(100);
    if (roll < 4) return CustomerId(choose_.pick(universe_.hostile));
    if (roll < 8) return CustomerId("zz-unknown");
    return choose_.pick(universe_.customers);
  }

  // A customer in `state` if the model has one (half the time), else any;
  // often one whose holding is due (held in the engine's storage, returned
  // in the model) while one is, to touch due holdings before a sweep does.
  CustomerId customer_in(CustomerState state) {
    if (!model_.pending().empty() && choose_.chance(30)) {
      auto due = model_.pending().begin();
      std::advance(due, static_cast<long>(choose_.below(model_.pending().size())));
      return aim(due->first);
    }
    if (choose_.chance(60)) {
      std::vector<CustomerId> matching;
      for (const auto& [id, customer] : model_.customers()) {
        if (customer.record.state == state) matching.push_back(id);
      }
      if (!matching.empty()) return aim(choose_.pick(matching));
    }
    return aim(any_customer());
  }

  // Remembers the customer the step's command reads, for the tallies.
  const CustomerId& aim(const CustomerId& id) {
    target_ = id;
    return *target_;
  }

  // The holder of `id` (most of the time), so holder-only commands succeed.
  UserId holder_or_any(const CustomerId& id) {
    const auto found = model_.customers().find(id);
    if (found != model_.customers().end() && found->second.record.holder && choose_.chance(60)) {
      return *found->second.record.holder;
    }
    // The holder whose holding is due: as if it were still theirs.
    if (const auto due = model_.pending().find(id);
        due != model_.pending().end() && choose_.chance(60)) {
      return due->second.returned.previous_holder;
    }
    return any_user();
  }

  // A whole number of hours or days: spans have whole seconds.
  // Calendar days, hours, or (now and then) business days: counted by the
  // weekends only in a pool that allows it (UnknownYears), else refused.
  Span random_span() {
    if (choose_.chance(15))
      return Span::business_days(static_cast<std::uint32_t>(1 + choose_.below(10)));
    return choose_.chance(50) ? days(static_cast<std::int64_t>(1 + choose_.below(20)))
                              : hours(static_cast<std::int64_t>(1 + choose_.below(72)));
  }

  // The team's zone: UTC, or one whose days are not UTC's, with and without
  // daylight saving time (Berlin and New York change their clocks in the
  // simulated year; Sao Paulo did until 2019).
  std::string random_zone() {
    static constexpr std::array<const char*, 5> kZones{"UTC", "Asia/Shanghai", "Europe/Berlin",
                                                       "America/New_York", "America/Sao_Paulo"};
    return kZones[choose_.below(kZones.size())];
  }

  ReturnRule random_rule() {
    ReturnRule rule;
    rule.holding_period = choose_.chance(50)
                              ? days(static_cast<std::int64_t>(1 + choose_.below(30)))
                              : hours(static_cast<std::int64_t>(1 + choose_.below(72)));
    if (choose_.chance(15)) {
      rule.holding_period = Span::business_days(static_cast<std::uint32_t>(1 + choose_.below(20)));
    }
    if (choose_.chance(40)) rule.idle_limit = random_span();
    if (choose_.chance(65)) rule.reminders = random_reminders(rule.holding_period);
    return rule;
  }

  // A span read as days, as ClaimPolicy::validate compares a reminder with
  // the holding period: a business day as one day.
  static Duration as_days(const Span& span) {
    return span.unit() == Span::Unit::business_days ? days(span.days()) : span.length();
  }

  // Reminders for a rule with `period`: one to four (now and then up to
  // eight) in days, hours or business days, each shorter than the period and
  // none twice, so they are valid, each to an audience at random; now and
  // then one that is not (the policy is then refused).
  std::vector<Reminder> random_reminders(const Span& period) {
    const std::uint64_t wanted = choose_.chance(10) ? 8 : 1 + choose_.below(4);
    const std::int64_t period_hours = std::min<std::int64_t>(as_days(period).hours(), 72);
    std::vector<Reminder> reminders;
    for (std::uint64_t tries = 0; tries < 3 * wanted && reminders.size() < wanted; ++tries) {
      Span before;
      const auto kind = choose_.below(100);
      if (kind < 40) {
        before = days(static_cast<std::int64_t>(1 + choose_.below(10)));
      } else if (kind < 75) {
        before = hours(
            static_cast<std::int64_t>(1 + choose_.below(static_cast<std::uint64_t>(period_hours))));
      } else {
        before = Span::business_days(static_cast<std::uint32_t>(1 + choose_.below(6)));
      }
      const bool repeated = std::any_of(reminders.begin(), reminders.end(),
                                        [&](const Reminder& r) { return r.before == before; });
      if (as_days(before) >= as_days(period) || repeated) continue;
      reminders.push_back(
          {before, kAllReminderAudiences[choose_.below(kAllReminderAudiences.size())]});
    }
    // Invalid ones, which the engine and the model must both refuse.
    switch (choose_.below(60)) {
      case 0:  // as long as the holding period
        reminders.push_back({period, ReminderAudience::holder});
        break;
      case 1:  // given twice
        if (!reminders.empty()) reminders.push_back(reminders.front());
        break;
      case 2:  // nine
        while (reminders.size() <= ReturnRule::kMaxReminders)
          reminders.push_back(
              {minutes(static_cast<std::int64_t>(reminders.size() + 1)), ReminderAudience::boss});
        break;
      case 3:
        reminders.push_back({Span::business_days(0), ReminderAudience::admins});
        break;
      case 4:
        reminders.push_back({boost::posix_time::milliseconds(1500), ReminderAudience::holder});
        break;
      default:
        break;
    }
    return reminders;
  }

  // `rule`'s reminders changed a little: the same spans in the other order,
  // one fewer, or other audiences, so that holdings recomputed onto them keep
  // the sent marks of the spans they keep; new ones if it has none.
  std::vector<Reminder> changed_reminders(const ReturnRule& rule) {
    std::vector<Reminder> reminders = rule.reminders;
    if (reminders.empty()) return random_reminders(rule.holding_period);
    switch (choose_.below(3)) {
      case 0:
        std::reverse(reminders.begin(), reminders.end());
        break;
      case 1:
        reminders.erase(reminders.begin() + static_cast<long>(choose_.below(reminders.size())));
        break;
      default:
        for (Reminder& reminder : reminders) {
          reminder.audience = kAllReminderAudiences[choose_.below(kAllReminderAudiences.size())];
        }
        break;
    }
    return reminders;
  }

  ClaimPolicy random_policy() {
    ClaimPolicy policy;
    policy.default_rule = random_rule();
    if (choose_.chance(50)) {
      // Rules for some of the customers' levels; "C" or none may fall to the default.
      for (const char* level : {"A", "B", "C"}) {
        if (choose_.chance(50)) policy.levels.push_back({level, random_rule()});
      }
    }
    if (choose_.chance(50)) {
      policy.protection.max_per_user = static_cast<std::uint32_t>(1 + choose_.below(3));
      policy.protection.longest = random_span();
    } else if (choose_.chance(50)) {
      policy.protection.longest = random_span();  // off, with some longest
    }
    policy.max_holdings = static_cast<std::uint32_t>(choose_.below(6));
    policy.extension = days(static_cast<std::int64_t>(1 + choose_.below(10)));
    if (choose_.chance(20)) {
      policy.extension = Span::business_days(static_cast<std::uint32_t>(1 + choose_.below(10)));
    }
    policy.max_extensions = static_cast<std::uint32_t>(choose_.below(4));
    policy.reclaim_cooldown = days(static_cast<std::int64_t>(choose_.below(10)));
    // Of its own: a team may reward early releases with a shorter wait, or not.
    policy.release_cooldown = choose_.chance(20)
                                  ? hours(static_cast<std::int64_t>(choose_.below(48)))
                                  : days(static_cast<std::int64_t>(choose_.below(10)));
    if (choose_.chance(70)) policy.daily_limit = random_daily_limit();
    policy.time_zone = random_zone();
    if (choose_.chance(40)) policy.unknown_years = UnknownYears::weekends_only;
    // Invalid ones, which the engine and the model must both refuse.
    if (choose_.chance(4)) policy.default_rule.holding_period = Duration(0, 0, 0);
    if (choose_.chance(2)) policy.default_rule.holding_period = Span::business_days(5);
    if (choose_.chance(2)) policy.default_rule.idle_limit = Span::time(seconds(0));
    if (choose_.chance(2)) policy.levels.push_back({"B", {days(3), Span::business_days(2)}});
    if (choose_.chance(2))
      policy.levels.push_back({choose_.chance(50) ? "A B" : "A=1", {days(3), {}}});
    if (choose_.chance(2)) policy.levels.push_back({std::string(17, 'L'), {days(3), {}}});
    if (choose_.chance(2) && !policy.levels.empty()) policy.levels.push_back(policy.levels.front());
    if (choose_.chance(2)) policy.protection.longest = Span::time(seconds(0));
    if (choose_.chance(1)) policy.protection.max_per_user = ClaimPolicy::kLargestCount + 1;
    if (choose_.chance(2)) policy.time_zone = "Mars/Olympus_Mons";                    // invalid
    if (choose_.chance(3)) policy.extension = days(4000);                             // invalid
    if (choose_.chance(2)) policy.extension = boost::posix_time::milliseconds(1500);  // invalid
    if (choose_.chance(3)) policy.reclaim_cooldown = -hours(1);                       // invalid
    if (choose_.chance(2)) policy.release_cooldown = -minutes(1);                     // invalid
    if (choose_.chance(1)) policy.release_cooldown = days(3654);                      // invalid
    if (choose_.chance(3)) policy.max_holdings = ClaimPolicy::kLargestCount + 1;      // invalid
    if (choose_.chance(4)) policy.daily_limit = invalid_daily_limit();
    if (choose_.chance(30)) {
      // Change only the cap or the daily limit, or only one of the time rules
      // (the default rule's reminders among them), so the two permissions differ and
      // running holdings see a partly new policy.
      ClaimPolicy current = model_.pool().policy;
      switch (choose_.below(8)) {
        case 0:
          current.max_holdings = policy.max_holdings;
          break;
        case 1:
          current.default_rule = policy.default_rule;
          break;
        case 2:
          current.levels = policy.levels;
          break;
        case 3:
          current.time_zone = policy.time_zone;
          current.unknown_years = policy.unknown_years;
          break;
        case 4:
          current.default_rule.reminders = changed_reminders(current.default_rule);
          break;
        case 6:  // a cap too: needs set_max_holdings, not set_holding_period
          current.daily_limit = policy.daily_limit;
          break;
        case 7:  // a time rule
          current.release_cooldown = policy.release_cooldown;
          break;
        default:
          current.protection = policy.protection;
          break;
      }
      return current;
    }
    return policy;
  }

  // A daily limit: an overall one of 0..4 (0 stops every counted take), some
  // levels' of 0..3, both or either; assignments counted now and then.
  DailyLimit random_daily_limit() {
    DailyLimit limit;
    const auto kind = choose_.below(3);
    if (kind != 1) limit.per_day = static_cast<std::uint32_t>(choose_.below(5));
    if (kind != 0) {
      for (const char* level : {"A", "B", "C"}) {
        if (choose_.chance(50))
          limit.levels.push_back({level, static_cast<std::uint32_t>(choose_.below(4))});
      }
    }
    if (choose_.chance(40)) std::reverse(limit.levels.begin(), limit.levels.end());
    limit.assignments_count = choose_.chance(50);
    return limit;
  }

  // A daily limit ClaimPolicy::validate refuses, and the model must too.
  DailyLimit invalid_daily_limit() {
    DailyLimit limit = random_daily_limit();
    switch (choose_.below(5)) {
      case 0:
        limit.per_day = ClaimPolicy::kLargestCount + 1;
        break;
      case 1:
        limit.levels.push_back({choose_.chance(50) ? "A B" : "A=1", 1});
        break;
      case 2:
        limit.levels.push_back({choose_.chance(50) ? "" : std::string(17, 'L'), 1});
        break;
      case 3:
        limit.levels.push_back({"B", 2});
        limit.levels.push_back({"B", 1});
        break;
      default:
        limit.levels.push_back({"C", ClaimPolicy::kLargestCount + 1});
        break;
    }
    return limit;
  }

  // What a policy change does to running holdings: each way about as often,
  // so recomputed holdings are common.
  RunningHoldings random_running() {
    return kAllRunningHoldings[choose_.below(kAllRunningHoldings.size())];
  }

  // A patch of some of the fields, from a random (maybe invalid) policy; now
  // and then an idle limit taken away, or the pool's reminders changed a
  // little (changed_reminders).
  PolicyPatch random_patch() {
    const ClaimPolicy source = random_policy();
    PolicyPatch patch;
    if (choose_.chance(40)) patch.holding_period = source.default_rule.holding_period;
    if (choose_.chance(40)) patch.idle_limit = source.default_rule.idle_limit;
    if (choose_.chance(10)) patch.idle_limit = std::optional<Span>();
    if (choose_.chance(15)) patch.reminders = source.default_rule.reminders;
    if (choose_.chance(10)) patch.reminders = changed_reminders(model_.pool().policy.default_rule);
    if (choose_.chance(30)) patch.levels = source.levels;
    if (choose_.chance(15)) patch.protection = source.protection;
    if (choose_.chance(15)) patch.max_holdings = source.max_holdings;
    if (choose_.chance(10)) patch.extension = source.extension;
    if (choose_.chance(10)) patch.max_extensions = source.max_extensions;
    if (choose_.chance(10)) patch.reclaim_cooldown = source.reclaim_cooldown;
    if (choose_.chance(10)) patch.release_cooldown = source.release_cooldown;
    if (choose_.chance(20)) patch.daily_limit = source.daily_limit;
    if (choose_.chance(10)) patch.unknown_years = source.unknown_years;
    return patch;
  }

  CustomerProfile profile_of(const CustomerId& id) {
    static const std::vector<std::string> countries{"BR", "DE", "CN", "US"};
    static const std::vector<std::string> levels{"A", "B", "C", ""};
    const std::size_t n = std::hash<std::string>{}(id.str());
    CustomerProfile profile{id, "Customer " + id.str(), countries[n % 4], levels[(n / 4) % 4], {}};
    if (n % 3 == 0) profile.tags.emplace_back("vip");
    if (n % 5 == 0) profile.tags.emplace_back("north");
    return profile;
  }

  CustomerProfile random_profile() {
    CustomerProfile profile = profile_of(any_customer());
    switch (choose_.below(25)) {
      case 0:
        profile.name.clear();
        break;
      case 1:
        profile.name = "\xc3\x28 bad";
        break;
      case 2:
        profile.country = "XX1";
        break;
      case 3:
        profile.level = std::string(17, 'L');
        break;
      case 4:
        profile.tags.emplace_back("");
        break;
      case 5:
        profile.name = "bell\x07";
        break;
      case 6:  // same normalised name as another customer (撞单)
        profile.name = "CUSTOMER  " + choose_.pick(universe_.customers).str();
        break;
      default:
        break;
    }
    return profile;
  }

  // ---- checks ----
  template <class T>
  std::string check_refusal(const Result<T>& result, const Outcome& expected) {
    tally(expected.refusal);
    if (!expected.daily_limit_hit.empty()) {
      // Which limit refused: the overall one, or a level's (each level apart too).
      const std::string command = what_.substr(0, what_.find('('));
      const bool of_level = expected.daily_limit_hit != "overall";
      ++tally_[command + " -> daily_limit, " + (of_level ? "of a level" : "overall")];
      if (of_level) ++tally_[command + " -> daily_limit, " + expected.daily_limit_hit];
    }
    if (expected.counted_today) ++tally_[what_.substr(0, what_.find('(')) + " counted today -> ok"];
    const std::optional<RefusalCode> got =
        result.ok() ? std::nullopt : std::optional<RefusalCode>(result.code());
    if (got != expected.refusal) {
      return "engine says " + show(got) +
             (result.ok() ? "" : " (" + result.refusal().message + ")") + ", model says " +
             show(expected.refusal);
    }
    // When the same command could succeed: only refusals time lifts say it.
    if (!result.ok() && result.refusal().retry_after != expected.retry_after) {
      auto when = [](const std::optional<Time>& at) { return at ? show(*at) : std::string("-"); };
      return "refused " + show(got) + " (" + result.refusal().message + ") with retry_after " +
             when(result.refusal().retry_after) + ", model says " + when(expected.retry_after);
    }
    return {};
  }

  std::string check_events(const Outcome& expected) {
    const std::vector<EventRecord> got = log_.take();
    if (got == expected.events) return {};
    std::ostringstream out;
    out << "events differ; engine emitted " << got.size() << ":";
    for (const EventRecord& event : got) out << "\n    " << event;
    out << "\n  model expected " << expected.events.size() << ":";
    for (const EventRecord& event : expected.events) out << "\n    " << event;
    return out.str();
  }

  // Compares the touched customers' views and histories with the model.
  std::string check_customers(const std::vector<CustomerId>& touched) {
    // A command may leave a holding due at once (unprotect, a recompute to a
    // deadline already past): the queries see it returned.
    model_.catch_up(clock_.now());
    const std::optional<UserId> viewer = some_boss(model_);
    if (!viewer) return {};
    for (const CustomerId& id : touched) {
      const auto known = model_.customers().find(id);
      if (known == model_.customers().end()) continue;
      auto view = pool_.customer(*viewer, id);
      if (!view) return "customer " + escape(id) + " refused: " + view.refusal().to_string();
      if (auto diff = compare_view(*view, model_.view_of(known->second, clock_.now()));
          !diff.empty()) {
        return "customer " + escape(id) + ": " + diff;
      }
      auto history = pool_.history(*viewer, id);
      if (!history) return "history refused";
      if (auto diff = compare_history(*history, known->second.history); !diff.empty()) {
        return "customer " + escape(id) + ": " + diff;
      }
    }
    return {};
  }

  // Nobody holds more than the cap, except holdings kept when it was lowered:
  // a user over the cap may only go down until under it.
  // Counted in the engine (its summary's per-member holdings), not the model:
  // the model is what the engine is compared with, not what is checked here.
  std::string check_caps() {
    const std::uint32_t cap = model_.pool().policy.max_holdings;
    std::map<UserId, std::size_t> engine_holdings;
    if (const std::optional<UserId> viewer = some_boss(model_)) {
      auto summary = pool_.summary(*viewer);
      if (!summary) return "summary refused: " + summary.refusal().to_string();
      for (const MemberSummary& member : summary->members) {
        engine_holdings[member.user] = member.held;
      }
    }
    for (const UserId& user : universe_.users) {
      const auto found = engine_holdings.find(user);
      const std::size_t count = found == engine_holdings.end() ? 0 : found->second;
      std::size_t& ceiling = ceiling_[user];
      if (policy_changed_) ceiling = std::max<std::size_t>(cap, count);
      if (count > std::max<std::size_t>(cap, ceiling)) {
        return escape(user) + " holds " + std::to_string(count) + " over the cap " +
               std::to_string(cap);
      }
      ceiling = std::max<std::size_t>(cap, std::min(ceiling, count));
    }
    policy_changed_ = false;
    return {};
  }

  template <class T>
  std::string compare(const Result<T>& result, const Outcome& expected,
                      const std::vector<CustomerId>& touched) {
    if (auto problem = check_refusal(result, expected); !problem.empty()) return problem;
    if (auto problem = check_events(expected); !problem.empty()) return problem;
    return check_customers(touched);
  }

  // Counts outcomes per command and code, printed with HIGHSEAS_SIM_VERBOSE=1
  // to see that every path is exercised.
  void tally(const std::optional<RefusalCode>& refusal) {
    const std::string command = what_.substr(0, what_.find('('));
    ++tally_[command + " -> " + show(refusal)];
    // A command on a customer whose holding was due (and not written yet).
    if (target_ && due_before_.contains(*target_)) {
      ++tally_[command + " while due -> " + show(refusal)];
    }
  }

 public:
  // Prints the outcome counts.
  void print_tally() const {
    for (const auto& [key, count] : tally_) std::cout << "  " << key << ": " << count << "\n";
  }

 private:
  // ---- one step ----
  std::string one_step() {
    const Time now = clock_.now();
    if (step_ == 0 || !model_.exists()) {
      // The pool is created first (a second create is tried later at random).
      ClaimPolicy policy = random_policy();
      policy.default_rule.holding_period = days(10);
      policy.max_holdings = 3;
      const UserId boss = universe_.users[0];
      what_ = "create";
      return compare(pool_.create(boss, policy), model_.create(now, boss, policy), {});
    }
    const auto roll = choose_.below(1000);
    if (roll < 60) return advance_time();
    if (roll < 230) {
      const UserId actor = any_user();
      const CustomerId id = customer_in(CustomerState::available);
      what_ = "claim(" + escape(actor) + ", " + escape(id) + ")";
      const Outcome expected = model_.claim(now, actor, id);
      if (!expected.refusal && !model_.customers().at(id).record.reminders.empty()) {
        ++tally_["claim with reminders"];
      }
      return compare(pool_.claim(actor, id), expected, {id});
    }
    if (roll < 300) {
      const UserId actor = any_user();
      const CustomerId id = customer_in(CustomerState::available);
      const UserId to = any_user();
      what_ = "assign(" + escape(actor) + ", " + escape(id) + ", " + escape(to) + ")";
      auto result = pool_.assign(actor, id, to);
      const Outcome expected = model_.assign(now, actor, id, to);
      if (result.ok() && expected.holding && !(result.value() == *expected.holding)) {
        return "assign returned a different holding";
      }
      return compare(result, expected, {id});
    }
    if (roll < 390) {
      const CustomerId id = customer_in(CustomerState::held);
      const UserId actor = holder_or_any(id);
      what_ = "release(" + escape(actor) + ", " + escape(id) + ")";
      return compare(pool_.release(actor, id), model_.release(now, actor, id), {id});
    }
    if (roll < 450) {
      const CustomerId id = customer_in(CustomerState::held);
      const UserId actor = any_user();
      what_ = "extend(" + escape(actor) + ", " + escape(id) + ")";
      auto result = pool_.extend(actor, id);
      const Outcome expected = model_.extend(now, actor, id);
      if (result.ok() && expected.holding && !(result.value() == *expected.holding)) {
        return "extend returned a different holding";
      }
      return compare(result, expected, {id});
    }
    if (roll < 510) {
      const CustomerId id = customer_in(CustomerState::held);
      const UserId actor = holder_or_any(id);
      std::string note = "called step " + std::to_string(step_);
      if (choose_.chance(5)) note = "bad \xff note";
      if (choose_.chance(3)) note = std::string(4001, 'n');
      if (choose_.chance(3)) note = "line\nbreak\tand tab";
      what_ = "follow_up(" + escape(actor) + ", " + escape(id) + ", " + escape(note) + ")";
      return compare(pool_.follow_up(actor, id, note), model_.follow_up(now, actor, id, note),
                     {id});
    }
    if (roll < 550) {
      const CustomerId id = customer_in(CustomerState::held);
      const UserId actor = holder_or_any(id);
      WinKind kind = choose_.chance(50) ? WinKind::contract_signed : WinKind::payment_received;
      if (choose_.chance(3)) kind = static_cast<WinKind>(9);
      what_ = "record_win(" + escape(actor) + ", " + escape(id) + ")";
      return compare(pool_.record_win(actor, id, kind), model_.record_win(now, actor, id, kind),
                     {id});
    }
    if (roll < 630) {
      if (choose_.chance(sweep_percent_)) return sweep();
      return advance_time();  // time moves on instead: more holdings come due
    }
    if (roll < 660) {
      const UserId actor = any_user();
      const UserId user = choose_.chance(80) ? choose_.pick(universe_.users) : any_user();
      Role role = static_cast<Role>(choose_.below(3));
      if (choose_.chance(2)) role = static_cast<Role>(7);
      what_ = "set_member(" + escape(actor) + ", " + escape(user) + ", " +
              std::to_string(static_cast<int>(role)) + ")";
      return compare(pool_.set_member(actor, user, role), model_.set_member(now, actor, user, role),
                     {});
    }
    if (roll < 675) {
      const UserId actor = any_user();
      const UserId user = choose_.chance(80) ? choose_.pick(universe_.users) : any_user();
      what_ = "remove_member(" + escape(actor) + ", " + escape(user) + ")";
      std::vector<CustomerId> touched;
      for (const Model::Customer* held : model_.holdings_of(user))
        touched.push_back(held->profile.id);
      for (const auto& [id, pending] : model_.pending()) {
        if (pending.returned.previous_holder == user) touched.push_back(id);
      }
      return compare(pool_.remove_member(actor, user), model_.remove_member(now, actor, user),
                     touched);
    }
    if (roll < 700) {
      const UserId actor = any_user();
      const bool enabled = choose_.chance(60);
      what_ = std::string("set_enabled(") + escape(actor) + ", " + (enabled ? "on" : "off") + ")";
      std::vector<CustomerId> touched;
      for (const auto& [id, customer] : model_.customers()) {
        if (customer.record.state == CustomerState::held) touched.push_back(id);
      }
      return compare(pool_.set_enabled(actor, enabled), model_.set_enabled(now, actor, enabled),
                     touched);
    }
    if (roll < 725) return choose_.chance(25) ? change_calendar(now) : change_policy(now);
    if (roll < 750) return import();
    if (roll < 775) {
      const UserId actor = any_user();
      CustomerProfile profile =
          choose_.chance(50) ? profile_of(customer_in(CustomerState::regular)) : random_profile();
      what_ = "move_into_pool(" + escape(actor) + ", " + escape(profile.id) + ")";
      return compare(pool_.move_into_pool(actor, profile),
                     model_.move_into_pool(now, actor, profile), {profile.id});
    }
    if (roll < 795) {
      const UserId actor = any_user();
      const CustomerId id = choose_.chance(50) ? customer_in(CustomerState::held)
                                               : customer_in(CustomerState::available);
      what_ = "move_out_of_pool(" + escape(actor) + ", " + escape(id) + ")";
      return compare(pool_.move_out_of_pool(actor, id), model_.move_out_of_pool(now, actor, id),
                     {id});
    }
    if (roll < 797) {
      const UserId boss = any_user();
      what_ = "create again";
      return compare(pool_.create(boss), model_.create(now, boss, ClaimPolicy{}), {});
    }
    if (roll < 850) {
      const CustomerId id = customer_in(CustomerState::held);
      const UserId actor = holder_or_any(id);
      // No length (the policy's longest), a fitting one, or one too long or not positive.
      std::optional<Duration> length;
      const auto kind = choose_.below(100);
      if (kind < 60) {
        length = choose_.chance(50) ? hours(static_cast<std::int64_t>(1 + choose_.below(48)))
                                    : days(static_cast<std::int64_t>(1 + choose_.below(10)));
      } else if (kind < 66) {
        length = seconds(0);
      } else if (kind < 69) {
        length = -hours(1);
      } else if (kind < 75) {
        length = days(4000);
      }
      what_ = "protect(" + escape(actor) + ", " + escape(id) + ", " +
              (length ? boost::posix_time::to_simple_string(*length) : std::string("-")) + ")";
      auto result = pool_.protect(actor, id, length);
      const Outcome expected = model_.protect(now, actor, id, length);
      if (result.ok() && expected.holding && !(result.value() == *expected.holding)) {
        return "protect returned a different holding";
      }
      return compare(result, expected, {id});
    }
    if (roll < 875) {
      const CustomerId id = customer_in(CustomerState::held);
      const UserId actor = holder_or_any(id);
      what_ = "unprotect(" + escape(actor) + ", " + escape(id) + ")";
      auto result = pool_.unprotect(actor, id);
      const Outcome expected = model_.unprotect(now, actor, id);
      if (result.ok() && expected.holding && !(result.value() == *expected.holding)) {
        return "unprotect returned a different holding";
      }
      return compare(result, expected, {id});
    }
    return query();
  }

  // set_policy or update_policy with a random RunningHoldings. Every running
  // holding may get new clocks, so all of them are compared afterwards.
  std::string change_policy(Time now) {
    // A boss half the time: most other actors are refused before any
    // holding is reached.
    const std::optional<UserId> boss = some_boss(model_);
    const UserId actor = boss && choose_.chance(50) ? *boss : any_user();
    const RunningHoldings running = random_running();
    std::map<CustomerId, CustomerRecord> held_before;
    for (const auto& [id, customer] : model_.customers()) {
      if (customer.record.state == CustomerState::held) held_before.emplace(id, customer.record);
    }
    Result<Done> result = Done{};
    Outcome expected;
    if (choose_.chance(30)) {
      const PolicyPatch patch = random_patch();
      const ClaimPolicy patched = patch.applied_to(model_.pool().policy);  // only to show it
      what_ = "update_policy(" + escape(actor) + ", to " + describe(patched) + ", " +
              std::string(to_string(running)) + ")";
      expected = model_.update_policy(now, actor, patch, running);
      result = pool_.update_policy(actor, patch, running);
    } else {
      const ClaimPolicy policy = random_policy();
      what_ = "set_policy(" + escape(actor) + ", " + describe(policy) + ", " +
              std::string(to_string(running)) + ")";
      expected = model_.set_policy(now, actor, policy, running);
      result = pool_.set_policy(actor, policy, running);
    }
    policy_changed_ = !expected.refusal;
    std::vector<CustomerId> touched;
    for (const auto& [id, record] : held_before) touched.push_back(id);
    tally_recomputed(expected, running, held_before);
    return compare(result, expected, touched);
  }

  // A work calendar for the pool: a weekend (mostly Saturday and Sunday), a
  // public-holiday week with a make-up weekend day and scattered days off and
  // worked, in the years it knows, which lie around the clock's year (or are
  // none), so counts run into years it does not know under both UnknownYears.
  std::pair<WorkCalendar, reference::DaysOff> random_calendar(Time now) {
    WorkCalendar calendar;
    reference::DaysOff days_off;
    const int this_year = now.date().year();
    const std::array<WorkCalendar::Weekdays, 4> weekends{
        WorkCalendar::kSaturdayAndSunday, WorkCalendar::kSaturdayAndSunday, 0b110'0000, 0b000'0001};
    const WorkCalendar::Weekdays weekend = weekends[choose_.below(weekends.size())];
    if (!calendar.set_weekend(weekend).ok()) throw std::logic_error("weekend refused");
    days_off.weekend.clear();
    for (unsigned day = 0; day < 7; ++day) {
      if ((weekend >> day) & 1U) days_off.weekend.insert(day);
    }
    std::vector<int> years;
    switch (choose_.below(5)) {
      case 0:
        years = {this_year};
        break;
      case 1:
        years = {this_year, this_year + 1};
        break;
      case 2:
        years = {this_year - 1};
        break;
      case 3:
        years = {};
        break;
      default:
        years = {this_year - 1, this_year, this_year + 1};
        break;
    }
    auto add_day = [&](LocalDate date, std::string name) {
      const bool off_weekday = ((weekend >> date.day_of_week().as_number()) & 1U) != 0;
      const DayKind kind = off_weekday ? DayKind::work : DayKind::off;
      if (!calendar.add({date, kind, std::move(name)}).ok()) throw std::logic_error("day refused");
      const date::local_days day{date::year(date.year()) / static_cast<unsigned>(date.month()) /
                                 static_cast<unsigned>(date.day())};
      (kind == DayKind::off ? days_off.off : days_off.worked).insert(day);
    };
    auto random_date = [&](int year) {
      return LocalDate(static_cast<unsigned short>(year), 1, 1) +
             boost::gregorian::days(static_cast<long>(choose_.below(365)));
    };
    for (const int year : years) {
      if (!calendar.add_year(year).ok()) throw std::logic_error("year refused");
      days_off.years.insert(year);
      // A holiday week and the weekend day before it worked (调休).
      const LocalDate start = random_date(year);
      for (long day = 0; day < 7; ++day) add_day(start + boost::gregorian::days(day), "holiday");
      add_day(start - boost::gregorian::days(2), "");
      for (int scattered = 0; scattered < 10; ++scattered) add_day(random_date(year), "");
    }
    // Now and then a day in a year it does not claim to know: it still counts.
    if (choose_.chance(20)) add_day(random_date(this_year + 2), "early");
    return {calendar, days_off};
  }

  // set_calendar with a random calendar (or the pool's own again) and a
  // random RunningHoldings; every running holding may get new clocks.
  std::string change_calendar(Time now) {
    const std::optional<UserId> boss = some_boss(model_);
    const UserId actor = boss && choose_.chance(70) ? *boss : any_user();
    const RunningHoldings running = random_running();
    std::map<CustomerId, CustomerRecord> held_before;
    for (const auto& [id, customer] : model_.customers()) {
      if (customer.record.state == CustomerState::held) held_before.emplace(id, customer.record);
    }
    auto [calendar, days_off] =
        choose_.chance(15) ? std::pair{calendar_, model_.calendar()} : random_calendar(now);
    what_ = "set_calendar(" + escape(actor) + ", " + std::to_string(calendar.days().size()) +
            " days, years " + std::to_string(calendar.years().size()) + ", " +
            std::string(to_string(running)) + ")";
    const Outcome expected = model_.set_calendar(now, actor, days_off, running);
    const Result<CalendarVersion> result = pool_.set_calendar(actor, calendar, running);
    if (result.ok() && !expected.refusal && result->version != expected.calendar_version) {
      return "set_calendar returned version " + std::to_string(result->version) + ", model " +
             std::to_string(expected.calendar_version);
    }
    if (!expected.refusal) calendar_ = calendar;
    std::vector<CustomerId> touched;
    for (const auto& [id, record] : held_before) touched.push_back(id);
    tally_recomputed(expected, running, held_before);
    return compare(result, expected, touched);
  }

  // Counts what the model's recomputes did (HIGHSEAS_SIM_VERBOSE shows it),
  // to see that random policies move periods and idle clocks every way.
  void tally_recomputed(const Outcome& expected, RunningHoldings running,
                        const std::map<CustomerId, CustomerRecord>& held_before) {
    if (expected.refusal) return;
    const std::string mode = "  " + std::string(to_string(running)) + ": ";
    for (const auto& [id, before] : held_before) {
      const CustomerRecord& after = model_.customers().at(id).record;
      if (after.policy_version == before.policy_version) {
        ++tally_[mode + "holding kept"];
        continue;
      }
      ++tally_[mode + "holding recomputed"];
      if (after.deadline < before.deadline) ++tally_[mode + "deadline earlier"];
      if (after.deadline > before.deadline) ++tally_[mode + "deadline later"];
      if (after.period_length != before.period_length) ++tally_[mode + "period changed"];
      if (before.idle_limit && !after.idle_limit) ++tally_[mode + "idle clock stopped"];
      if (!before.idle_limit && after.idle_limit) ++tally_[mode + "idle clock started"];
      if (before.idle_limit && after.idle_limit && *before.idle_limit != *after.idle_limit) {
        ++tally_[mode + "idle limit changed"];
      }
    }
  }

  std::string advance_time() {
    static const std::vector<Duration> kUnits{minutes(1), hours(1), days(1), days(30)};
    const auto roll = choose_.below(100);
    Duration by;
    if (roll < 30) {
      by = minutes(static_cast<std::int64_t>(1 + choose_.below(59)));
    } else if (roll < 60) {
      by = hours(static_cast<std::int64_t>(1 + choose_.below(23)));
    } else if (roll < 95) {
      by = days(static_cast<std::int64_t>(1 + choose_.below(12)));
    } else {
      by = days(static_cast<std::int64_t>(30 + choose_.below(150)));  // months
    }
    what_ = "advance " + boost::posix_time::to_simple_string(by);
    clock_.advance(by);
    model_.catch_up(clock_.now());  // the model is settled as a sweep every second leaves it
    return {};
  }

  std::string sweep() {
    what_ = "sweep";
    const Time now = clock_.now();
    auto result = pool_.sweep();
    const Outcome expected = model_.sweep(now);
    if (auto problem = check_refusal(result, expected); !problem.empty()) return problem;
    if (result.ok()) {
      if (result->paused != expected.paused) return "sweep paused flag differs";
      const auto& got = result->returned;
      if (got.size() != expected.returned.size()) {
        return "sweep returned " + std::to_string(got.size()) + " holdings, model " +
               std::to_string(expected.returned.size()) + " (every due one, nothing else)";
      }
      for (std::size_t i = 0; i < got.size(); ++i) {
        const ReturnedHolding& a = got[i];
        const ReturnedHolding& b = expected.returned[i];
        if (a.customer != b.customer || a.previous_holder != b.previous_holder ||
            a.deadline != b.deadline) {
          return "sweep returned " + escape(a.customer) + " at " + std::to_string(i) + ", model " +
                 escape(b.customer);
        }
      }
      if (auto problem = compare_reminded(result->reminded, expected.reminded); !problem.empty()) {
        return problem;
      }
    }
    if (auto problem = check_events(expected); !problem.empty()) return problem;
    std::vector<CustomerId> touched;
    for (const ReturnedHolding& returned : expected.returned) touched.push_back(returned.customer);
    for (const SentReminder& sent : expected.reminded) touched.push_back(sent.customer);
    tally_["sweep wrote returns"] += expected.returned.size();
    tally_["sweep sent reminders"] += expected.reminded.size();
    tally_["sweep passed over less urgent reminders"] += expected.reminders_passed_over;
    return check_customers(touched);
  }

  // The sweep report's reminders, line by line, in order: every one the
  // model predicts and nothing else.
  static std::string compare_reminded(const std::vector<SentReminder>& got,
                                      const std::vector<SentReminder>& expected) {
    auto show_sent = [](const SentReminder& sent) {
      return escape(sent.customer) + " " + escape(sent.holder) + " " + show(sent.deadline) + " " +
             reminder_detail(sent.reminder, sent.time_left, sent.audience);
    };
    for (std::size_t i = 0; i < std::max(got.size(), expected.size()); ++i) {
      const std::string engine = i < got.size() ? show_sent(got[i]) : "nothing";
      const std::string model = i < expected.size() ? show_sent(expected[i]) : "nothing";
      if (engine != model) {
        return "sweep reminder " + std::to_string(i) + " of " + std::to_string(got.size()) +
               ": engine " + engine + ", model " + model;
      }
    }
    return {};
  }

  std::string import() {
    const UserId actor = any_user();
    std::vector<CustomerProfile> batch;
    const auto rows = choose_.below(7);
    for (std::uint64_t row = 0; row < rows; ++row) {
      if (row > 0 && choose_.chance(8)) {
        batch.push_back(batch[choose_.below(batch.size())]);  // a duplicate within the batch
      } else {
        batch.push_back(random_profile());
      }
    }
    const ImportMode mode =
        choose_.chance(20) ? ImportMode::all_or_nothing : ImportMode::keep_valid;
    what_ = "import(" + escape(actor) + ", " + std::to_string(rows) + " rows" +
            (mode == ImportMode::all_or_nothing ? ", all_or_nothing)" : ")");
    auto result = pool_.import_customers(actor, batch, mode);
    const Outcome expected = model_.import_customers(clock_.now(), actor, batch, mode);
    if (auto problem = check_refusal(result, expected); !problem.empty()) return problem;
    if (result.ok()) {
      if (result->imported != expected.imported) return "import added other rows than the model";
      std::vector<std::pair<std::size_t, RefusalCode>> problems;
      for (const ImportProblem& problem : result->problems) {
        problems.emplace_back(problem.row, problem.code);
      }
      // A collision shows the known customer as it is now: a due holding as
      // the available customer it became at its deadline.
      for (const ImportProblem& problem : result->problems) {
        if (!problem.collision) continue;
        const auto known = model_.customers().find(problem.collision->existing);
        if (known == model_.customers().end()) return "import collides with an unknown customer";
        const CustomerRecord& record = known->second.record;
        const Time deadline = record.state == CustomerState::held ? record.deadline : Time();
        if (problem.collision->state != record.state ||
            problem.collision->holder != record.holder || problem.collision->deadline != deadline) {
          return "import collision with " + escape(problem.collision->existing) + ": " +
                 std::string(to_string(problem.collision->state)) + " " +
                 show(problem.collision->holder) + " " + show(problem.collision->deadline) +
                 " != model " + std::string(to_string(record.state)) + " " + show(record.holder) +
                 " " + show(deadline);
        }
        if (known->second.record.state == CustomerState::available &&
            model_.pending().contains(problem.collision->existing)) {
          ++tally_["import collides while due"];
        }
      }
      if (problems != expected.problems) {
        std::string text = "import problems differ: engine";
        for (const auto& [row, code] : problems)
          text += " " + std::to_string(row) + ":" + std::string(to_string(code));
        text += "; model";
        for (const auto& [row, code] : expected.problems)
          text += " " + std::to_string(row) + ":" + std::string(to_string(code));
        return text;
      }
    }
    if (auto problem = check_events(expected); !problem.empty()) return problem;
    return check_customers(expected.imported);
  }

  // What a query of one customer answers before it looks at the customer: an
  // invalid id, then the actor's refusal, then an unknown customer.
  Outcome expected_for_customer(std::optional<RefusalCode> actor_refusal,
                                const CustomerId& id) const {
    Outcome expected = refused(actor_refusal);
    if (!id.valid()) {
      expected.refusal = RefusalCode::invalid_argument;
    } else if (!expected.refusal && !model_.customers().contains(id)) {
      expected.refusal = RefusalCode::unknown_customer;
    }
    return expected;
  }

  // at_risk with a random window (calendar time, working days, or none),
  // for one user or everyone, a random page size and now and then a cursor.
  std::string at_risk(const UserId& actor, const std::optional<RefusalCode>& refusal, Time now) {
    AtRiskQuery query;
    switch (choose_.below(4)) {
      case 0:
        query.within = hours(static_cast<std::int64_t>(1 + choose_.below(72)));
        break;
      case 1:
        query.within = Span::business_days(static_cast<std::uint32_t>(1 + choose_.below(6)));
        break;
      default:
        query.within = days(static_cast<std::int64_t>(1 + choose_.below(12)));
        break;
    }
    if (choose_.chance(3)) query.within = Span::business_days(0);  // invalid
    if (choose_.chance(50)) query.holder = any_user();
    query.limit = 1 + choose_.below(8);
    if (choose_.chance(3)) query.limit = 0;
    const Time until = model_.at_risk_until(now, query.within);
    if (choose_.chance(30)) {
      // Behind a holding the model lists, or behind a made-up position.
      const auto listed = model_.at_risk(now, until, std::nullopt);
      if (!listed.empty() && choose_.chance(70)) {
        const Model::Customer* behind = listed[choose_.below(listed.size())];
        query.after = DeadlinePosition{behind->record.deadline, behind->profile.id};
      } else {
        query.after = DeadlinePosition{now + hours(static_cast<std::int64_t>(choose_.below(48))),
                                       any_customer()};
      }
    }
    what_ = "at_risk(" + escape(actor) + ", " + to_string(query.within) + ", " +
            (query.holder ? escape(*query.holder) : std::string("everyone")) + ", limit " +
            std::to_string(query.limit) +
            (query.after ? ", after " + show(query.after->deadline) + " " + escape(query.after->id)
                         : std::string()) +
            ")";
    auto result = pool_.at_risk(actor, query);
    Outcome expected = refused(refusal);
    // "" is a position before every holding of its deadline, not a bad id.
    const bool bad_cursor =
        query.after && !query.after->id.str().empty() && !query.after->id.valid();
    if (!actor.valid() || (query.holder && !query.holder->valid()) || bad_cursor ||
        query.limit == 0 || query.within.is_zero()) {
      expected.refusal = RefusalCode::invalid_argument;
    }
    std::string problem = check_refusal(result, expected);
    if (!problem.empty() || !result.ok()) return problem;
    if (result->until != until) {
      return "at_risk window ends at " + show(result->until) + ", model " + show(until);
    }
    std::vector<const Model::Customer*> page;
    for (const Model::Customer* customer : model_.at_risk(now, until, query.holder)) {
      const CustomerRecord& record = customer->record;
      if (query.after && (record.deadline < query.after->deadline ||
                          (record.deadline == query.after->deadline &&
                           !(query.after->id < customer->profile.id)))) {
        continue;
      }
      page.push_back(customer);
    }
    const bool more = page.size() > query.limit;
    if (more) page.resize(query.limit);
    if (result->customers.size() != page.size()) {
      return "at_risk lists " + std::to_string(result->customers.size()) + ", model " +
             std::to_string(page.size());
    }
    for (std::size_t i = 0; i < page.size(); ++i) {
      problem = compare_view(result->customers[i], model_.view_of(*page[i], now));
      if (!problem.empty()) return problem;
    }
    const std::optional<DeadlinePosition> next =
        more
            ? std::optional(DeadlinePosition{page.back()->record.deadline, page.back()->profile.id})
            : std::nullopt;
    if (result->next != next) return "at_risk cursor differs";
    return {};
  }

  std::string query() {
    model_.catch_up(clock_.now());
    const UserId actor = any_user();
    const std::optional<RefusalCode> refusal = model_.query_refusal(actor);
    const Time now = clock_.now();
    std::string problem;
    switch (choose_.below(8)) {
      case 7:
        problem = at_risk(actor, refusal, now);
        break;
      case 0: {
        const CustomerId id = any_customer();
        what_ = "customer(" + escape(actor) + ", " + escape(id) + ")";
        auto result = pool_.customer(actor, id);
        const Outcome expected = expected_for_customer(refusal, id);
        const auto known = model_.customers().find(id);
        problem = check_refusal(result, expected);
        if (problem.empty() && result.ok()) {
          problem = compare_view(*result, model_.view_of(known->second, now));
        }
        break;
      }
      case 1: {
        const CustomerId id = any_customer();
        what_ = "history(" + escape(actor) + ", " + escape(id) + ")";
        auto result = pool_.history(actor, id);
        const Outcome expected = expected_for_customer(refusal, id);
        const auto known = model_.customers().find(id);
        problem = check_refusal(result, expected);
        if (problem.empty() && result.ok())
          problem = compare_history(*result, known->second.history);
        break;
      }
      case 2: {
        const UserId user = any_user();
        what_ = "holdings(" + escape(actor) + ", " + escape(user) + ")";
        auto result = pool_.holdings(actor, user);
        Outcome expected = refused(refusal);
        if (!user.valid()) expected.refusal = RefusalCode::invalid_argument;
        problem = check_refusal(result, expected);
        if (problem.empty() && result.ok()) {
          const auto held = model_.holdings_of(user);
          if (result->size() != held.size()) problem = "holdings count differs";
          for (std::size_t i = 0; problem.empty() && i < held.size(); ++i) {
            problem = compare_view((*result)[i], model_.view_of(*held[i], now));
          }
        }
        break;
      }
      case 3: {
        AvailableQuery query;
        static const std::vector<std::string> countries{"", "BR", "DE", "CN", "US", "XX"};
        static const std::vector<std::string> levels{"", "A", "B", "C"};
        static const std::vector<std::string> tags{"", "vip", "north", "none"};
        query.filter = {choose_.pick(countries), choose_.pick(levels), choose_.pick(tags)};
        query.limit = 1 + choose_.below(12);
        if (choose_.chance(3)) query.limit = 0;
        if (choose_.chance(3)) query.limit = PublicPool::kMaxPage + 1;
        if (choose_.chance(30)) query.after = any_customer();
        what_ = "available(" + escape(actor) + ", limit " + std::to_string(query.limit) + ")";
        auto result = pool_.available(actor, query);
        Outcome expected = refused(refusal);
        if (!actor.valid() || query.limit == 0 || query.limit > PublicPool::kMaxPage ||
            (query.after && !query.after->valid())) {
          expected.refusal = RefusalCode::invalid_argument;
        }
        problem = check_refusal(result, expected);
        if (problem.empty() && result.ok()) {
          std::vector<const Model::Customer*> all = model_.available(query.filter);
          std::vector<const Model::Customer*> page;
          for (const Model::Customer* customer : all) {
            if (query.after && !(*query.after < customer->profile.id)) continue;
            page.push_back(customer);
          }
          const bool more = page.size() > query.limit;
          if (more) page.resize(query.limit);
          if (result->customers.size() != page.size()) problem = "available page size differs";
          for (std::size_t i = 0; problem.empty() && i < page.size(); ++i) {
            problem = compare_view(result->customers[i], model_.view_of(*page[i], now));
          }
          if (problem.empty() &&
              result->next != (more ? std::optional(page.back()->profile.id) : std::nullopt)) {
            problem = "available cursor differs";
          }
        }
        break;
      }
      case 6: {
        // Explain: a due holding is explained as what it is, an available
        // customer (not_held); a running one by its holder and deadline.
        const CustomerId id =
            choose_.chance(50) ? customer_in(CustomerState::held) : any_customer();
        what_ = "explain(" + escape(actor) + ", " + escape(id) + ")";
        auto result = pool_.explain(actor, id);
        Outcome expected = expected_for_customer(refusal, id);
        const auto known = model_.customers().find(id);
        if (!expected.refusal) {
          const CustomerState state = known->second.record.state;
          if (state == CustomerState::regular) expected.refusal = RefusalCode::not_in_pool;
          if (state == CustomerState::available) expected.refusal = RefusalCode::not_held;
        }
        problem = check_refusal(result, expected);
        if (problem.empty() && result.ok()) {
          const CustomerRecord& record = known->second.record;
          if (result->holder != *record.holder || result->deadline != record.deadline ||
              result->reason != record.deadline_reason ||
              result->policy_version != record.policy_version) {
            problem = "explain differs: " + escape(result->holder) + " " + show(result->deadline) +
                      " != model " + show(record.holder) + " " + show(record.deadline);
          }
        }
        break;
      }
      case 4: {
        what_ = "info(" + escape(actor) + ")";
        auto result = pool_.info(actor);
        problem = check_refusal(result, refused(refusal));
        if (problem.empty() && result.ok() &&
            (result->enabled != model_.pool().enabled ||
             !(result->policy == model_.pool().policy) ||
             result->policy_version != model_.pool().policy_version ||
             result->policy_since != model_.pool().policy_since)) {
          problem = "info differs";
        }
        break;
      }
      default: {
        what_ = "members(" + escape(actor) + ")";
        auto result = pool_.members(actor);
        problem = check_refusal(result, refused(refusal));
        if (problem.empty() && result.ok() && result->size() != model_.members().size()) {
          problem = "members differ";
        }
        break;
      }
    }
    if (problem.empty() && !log_.take().empty()) problem = "a query emitted an event";
    return problem;
  }

  SimOptions options_;
  Storage* storage_;
  RandomChoices choose_;
  Universe universe_;
  ManualClock clock_{utc(2026, 1, 5, 9)};
  PublicPool pool_;
  Model model_;
  EventLog log_;
  std::vector<CustomerId> all_customers_;
  std::vector<UserId> all_users_;
  std::map<UserId, std::size_t> ceiling_;
  bool policy_changed_ = true;
  WorkCalendar calendar_;             // the pool's, as last set
  int sweep_percent_ = 100;           // chance that a sweep step sweeps
  std::optional<CustomerId> target_;  // the customer the step's command reads
  std::set<CustomerId> due_before_;   // pending returns before the step
  std::uint64_t step_ = 0;
  std::string what_;
  std::map<std::string, std::uint64_t> tally_;
};

}  // namespace

std::string run_simulation(Storage& storage, const SimOptions& options,
                           std::map<std::string, std::uint64_t>* tallies) {
  Simulation simulation(storage, options);
  std::string failure = simulation.run();
  if (env_or("HIGHSEAS_SIM_VERBOSE", 0) != 0) simulation.print_tally();
  if (tallies != nullptr) {
    for (const auto& [key, count] : simulation.tallies()) (*tallies)[key] += count;
  }
  return failure;
}

std::string run_many(std::uint64_t total, std::uint64_t first_seed,
                     const std::function<std::unique_ptr<Storage>()>& make_storage,
                     const std::string& binary) {
  SimOptions options;
  options.snapshot_every = env_or("HIGHSEAS_SIM_SNAPSHOT_EVERY", options.snapshot_every);
  if (const std::uint64_t replay = env_or("HIGHSEAS_SIM_SEED", 0); replay != 0) {
    options.seed = replay;
    options.steps = total;
    return run_simulation(*make_storage(), options);
  }
  options.steps = std::max<std::uint64_t>(1, env_or("HIGHSEAS_SIM_STEPS", options.steps));
  std::uint64_t done = 0;
  std::map<std::string, std::uint64_t> tallies;
  for (std::uint64_t seed = first_seed; done < total; ++seed) {
    options.seed = seed;
    std::string failure = run_simulation(*make_storage(), options, &tallies);
    if (!failure.empty()) {
      std::ostringstream out;
      out << failure << "\nreplay: HIGHSEAS_SIM_SEED=" << seed
          << " HIGHSEAS_SIM_OPS=" << options.steps << " <build>/tests/sim/" << binary;
      return out.str();
    }
    done += options.steps;
  }
  std::cout << "[ sim      ] " << done << " operations, seeds " << first_seed << ".."
            << first_seed + done / options.steps - 1 << "\n";
  // Due holdings were touched before any sweep wrote them, every way that
  // matters: claimed by another rep, refused to their old holder, written by
  // a sweep. A long enough run that never did is not testing the lazy return.
  // Likewise reminders: a run whose sweeps sent none predicted none.
  if (done >= 20'000) {
    for (const char* key :
         {"claim while due -> ok", "claim while due -> cooldown", "release while due -> not_held",
          "sweep wrote returns", "move_out_of_pool while due -> ok", "sweep sent reminders",
          "claim -> daily_limit", "assign -> daily_limit", "claim -> daily_limit, overall",
          "claim -> daily_limit, of a level", "assign counted today -> ok"}) {
      std::cout << "[ sim      ] " << key << ": " << tallies[key] << "\n";
      if (tallies[key] == 0)
        return std::string("never seen in ") + std::to_string(done) + " operations: " + key;
    }
  }
  return {};
}

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before threads
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoull(text, nullptr, 10);
}

}  // namespace highseas::sim
