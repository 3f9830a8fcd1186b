// The twin: exact-at-the-deadline returns, proved without the model. One random
// script of commands and queries runs on two engines over the same clock:
//
//   * "eager" sweeps before every step, i.e. every second in which anything
//     happens: every due holding is written the second it is due;
//   * "lazy" sweeps at random intervals, in phases of never / now and then /
//     often, and in every fourth run not at all until a final sweep.
//
// Every command's result (refusal code, the holding or report it returns) and
// every query's answer must be the same on both, at every step; so must every
// event other than Returned. Returned events may come later on the lazy
// engine (at the command that writes the return, or its sweep) but carry the
// same fields, the deadline as their time included: after a final sweep on
// both, each engine has emitted the same Returned events, each exactly once,
// and the stored state (every record, every history) is the same.
//
// Replay one failing run (the failure message prints this line):
//   HIGHSEAS_TWIN_SEED=<seed> HIGHSEAS_TWIN_STEPS=<steps> build/dev/tests/sim/twin_test
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/date_time/posix_time/posix_time.hpp>
#include <functional>
#include <highseas/highseas.hpp>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <sstream>

#include "harness.hpp"
#include "random_choices.hpp"
#include "sim_text.hpp"

#ifdef HIGHSEAS_SIM_WITH_SQLITE
#include <unistd.h>

#include <filesystem>
#include <highseas/sqlite/sqlite_storage.hpp>
#endif

namespace highseas::sim {
namespace {

// Shows a result: its refusal code, or "ok" and the value `show_value` shows.
template <class T, class Show>
std::string outcome(const Result<T>& result, Show show_value) {
  if (!result.ok()) {
    const std::optional<Time>& retry = result.refusal().retry_after;
    return std::string("refused ") + std::string(to_string(result.code())) +
           (retry ? " until " + show(*retry) : std::string());
  }
  return "ok " + show_value(result.value());
}

std::string show_holding(const Holding& holding) {
  return holding.customer.str() + " by " + holding.holder.str() + " since " + show(holding.since) +
         " until " + show(holding.deadline) + " ext " + std::to_string(holding.extensions_used);
}

std::string show_view(const CustomerView& view) {
  std::ostringstream out;
  out << view.profile.id << " " << to_string(view.state) << " holder=" << show(view.holder)
      << " since=" << show(view.since) << " deadline=" << show(view.deadline)
      << " reason=" << show(view.deadline_reason) << " protected=" << show(view.protected_until)
      << " left="
      << (view.time_left ? boost::posix_time::to_simple_string(*view.time_left) : std::string("-"))
      << " ext=" << view.extensions_used << "/" << view.extensions_left
      << " follow_up=" << show(view.last_follow_up) << " paused=" << view.paused << " cooldowns=";
  for (const Cooldown& cooldown : view.cooldowns)
    out << cooldown.user << "/" << show(cooldown.until) << ";";
  return out.str();
}

std::string show_views(const std::vector<CustomerView>& views) {
  std::string text;
  for (const CustomerView& view : views) text += "\n    " + show_view(view);
  return text;
}

std::string show_history(const std::vector<HistoryEntry>& history) {
  std::string text;
  for (const HistoryEntry& entry : history) text += "\n    " + show(entry);
  return text;
}

std::string show_summary(const PoolSummary& summary) {
  std::ostringstream out;
  out << "available=" << summary.available << " held=" << summary.held
      << " regular=" << summary.regular;
  for (const MemberSummary& member : summary.members) {
    out << " " << member.user << ":" << to_string(member.role) << " held=" << member.held
        << " urgent=" << member.urgent << " next=" << show(member.next_deadline);
  }
  return out.str();
}

std::string show_explanation(const Explanation& why) {
  std::ostringstream out;
  out << why.customer << " " << why.holder << " " << show(why.deadline) << " "
      << to_string(why.reason) << " v" << why.policy_version << " paused=" << why.paused;
  for (const HoldingClock& clock : why.clocks) {
    out << " [" << to_string(clock.clock) << " " << show(clock.ends_at) << " "
        << show(clock.counts_from) << "]";
  }
  out << " follow_up=" << (why.after_follow_up ? show(*why.after_follow_up) : "-")
      << " extension=" << (why.after_extension ? show(*why.after_extension) : "-")
      << " protection=" << (why.after_protection ? show(*why.after_protection) : "-");
  return out.str();
}

std::string show_preview(const PolicyPreview& preview) {
  std::ostringstream out;
  out << "v" << preview.version << " due_at_once=" << preview.due_at_once << " holdings:";
  for (const HoldingPreview& holding : preview.holdings) {
    out << " " << holding.customer << "/" << holding.holder << "/" << show(holding.deadline_before);
  }
  out << " by day:";
  for (const std::uint32_t n : preview.returns_by_day) out << " " << n;
  return out.str();
}

std::string show_import(const ImportReport& report) {
  std::string text = "imported";
  for (const CustomerId& id : report.imported) text += " " + id.str();
  text += " problems";
  for (const ImportProblem& problem : report.problems) {
    text += " " + std::to_string(problem.row) + ":" + std::string(to_string(problem.code));
    if (problem.collision) {
      text += "(" + problem.collision->existing.str() + " " +
              std::string(to_string(problem.collision->state)) + " " +
              show(problem.collision->holder) + " " + show(problem.collision->deadline) + ")";
    }
  }
  return text;
}

std::string done(const Done&) { return {}; }

// Orders events for comparing the Returned ones as multisets.
std::string key_of(const EventRecord& event) {
  std::ostringstream out;
  out << event;
  return out.str();
}

class Twin {
 public:
  // `lazy_storage` and `eager_storage`: two empty storages of one kind.
  Twin(std::uint64_t seed, std::uint64_t steps, std::unique_ptr<Storage> lazy_storage,
       std::unique_ptr<Storage> eager_storage)
      : seed_(seed),
        steps_(steps),
        choose_(seed),
        sweeps_(seed * 7919 + 1),
        never_(seed % 4 == 3),
        lazy_storage_(std::move(lazy_storage)),
        eager_storage_(std::move(eager_storage)),
        lazy_(PoolId("twin"), *lazy_storage_, clock_),
        eager_(PoolId("twin"), *eager_storage_, clock_),
        lazy_log_(lazy_.events()),
        eager_log_(eager_.events()) {
    for (int i = 0; i < 6; ++i) users_.emplace_back("u" + std::to_string(i));
    for (int i = 0; i < 16; ++i) {
      customers_.emplace_back((i < 10 ? "c0" : "c") + std::to_string(i));
    }
  }

  std::string run() {
    if (auto problem = set_up(); !problem.empty()) return where("set-up") + problem;
    for (step_ = 0; step_ < steps_; ++step_) {
      if (auto problem = sweep_both(); !problem.empty()) return where("sweep") + problem;
      if (auto problem = one_step(); !problem.empty()) return where(what_) + problem;
      // Time may have moved: the eager engine sweeps again before the query.
      if (auto problem = sweep_both(); !problem.empty()) return where("sweep") + problem;
      if (auto problem = query(); !problem.empty()) return where(what_) + problem;
      if (step_ % 25 == 0) {
        if (auto problem = same_dump(); !problem.empty()) return where("dump") + problem;
      }
    }
    return finish();
  }

  std::uint64_t claimed_while_due() const { return claimed_while_due_; }
  std::uint64_t lazy_written_by_commands() const { return lazy_written_by_commands_; }

 private:
  std::string where(const std::string& what) const {
    return "seed " + std::to_string(seed_) + ", step " + std::to_string(step_) + " (" + what +
           " at " + to_iso8601(clock_.now()) + "): ";
  }

  // ---- random choices, from the script's stream only ----
  const UserId& user() { return choose_.pick(users_); }
  const CustomerId& customer() { return choose_.pick(customers_); }
  // The last one who took `id` (a due holding's holder, often), or anyone.
  UserId holder_or_any(const CustomerId& id) {
    const auto found = last_holder_.find(id);
    if (found != last_holder_.end() && choose_.chance(70)) return found->second;
    return user();
  }

  ClaimPolicy random_policy() {
    ClaimPolicy policy;
    policy.default_rule.holding_period = hours(static_cast<std::int64_t>(1 + choose_.below(48)));
    if (choose_.chance(40))
      policy.default_rule.idle_limit = hours(static_cast<std::int64_t>(1 + choose_.below(24)));
    if (choose_.chance(40)) {
      policy.levels.push_back({"A", {hours(static_cast<std::int64_t>(1 + choose_.below(12))), {}}});
    }
    if (choose_.chance(60)) {
      policy.protection.max_per_user = static_cast<std::uint32_t>(1 + choose_.below(2));
      policy.protection.longest = hours(static_cast<std::int64_t>(1 + choose_.below(24)));
    }
    policy.max_holdings = static_cast<std::uint32_t>(1 + choose_.below(4));
    policy.extension = hours(static_cast<std::int64_t>(1 + choose_.below(12)));
    policy.max_extensions = static_cast<std::uint32_t>(choose_.below(3));
    policy.reclaim_cooldown = hours(static_cast<std::int64_t>(choose_.below(30)));
    policy.release_cooldown = hours(static_cast<std::int64_t>(choose_.below(30)));
    if (choose_.chance(50)) policy.daily_limit = random_daily_limit();
    return policy;
  }

  // A daily limit: overall, for level A or both, assignments counted or not.
  DailyLimit random_daily_limit() {
    DailyLimit limit;
    if (choose_.chance(70)) limit.per_day = static_cast<std::uint32_t>(choose_.below(5));
    if (choose_.chance(40))
      limit.levels.push_back({"A", static_cast<std::uint32_t>(choose_.below(3))});
    limit.assignments_count = choose_.chance(50);
    return limit;
  }

  CustomerProfile profile_of(const CustomerId& id) {
    static const std::vector<std::string> levels{"A", "B", ""};
    const std::size_t n = std::hash<std::string>{}(id.str());
    CustomerProfile profile{id, "Customer " + id.str(), n % 2 ? "DE" : "CN", levels[n % 3], {}};
    if (n % 3 == 0) profile.tags.emplace_back("vip");
    return profile;
  }

  // ---- running one thing on both ----
  // Runs `command` on both engines; the results must show the same, and so
  // must the events other than Returned (kept apart, compared at the end).
  template <class Command, class Show>
  std::string both(const Command& command, Show show_value) {
    const std::string lazy = outcome(command(lazy_), show_value);
    const std::string eager = outcome(command(eager_), show_value);
    if (lazy != eager) return "lazy " + lazy + "\n  eager " + eager;
    return same_events();
  }

  std::string same_events() {
    std::vector<EventRecord> lazy_other;
    std::vector<EventRecord> eager_other;
    for (EventRecord& event : lazy_log_.take()) {
      if (event.kind == "returned") {
        lazy_returns_.push_back(event);
        if (!sweeping_) ++lazy_written_by_commands_;
      } else {
        lazy_other.push_back(event);
      }
    }
    for (EventRecord& event : eager_log_.take()) {
      (event.kind == "returned" ? eager_returns_ : eager_other).push_back(event);
    }
    if (lazy_other == eager_other) return {};
    std::ostringstream out;
    out << "events differ; lazy:";
    for (const EventRecord& event : lazy_other) out << "\n    " << event;
    out << "\n  eager:";
    for (const EventRecord& event : eager_other) out << "\n    " << event;
    return out.str();
  }

  std::string sweep_both() {
    sweeping_ = true;
    auto eager = eager_.sweep();
    if (!eager) return "eager sweep refused: " + eager.refusal().to_string();
    // Phases of 150 steps: the lazy engine never sweeps, now and then, or often.
    if (step_ % 150 == 0) {
      static constexpr int kPercent[] = {0, 0, 2, 10, 50};
      lazy_percent_ = never_ ? 0 : kPercent[sweeps_() % 5];
    }
    if (static_cast<int>(sweeps_() % 100) < lazy_percent_) {
      auto lazy = lazy_.sweep();
      if (!lazy) return "lazy sweep refused: " + lazy.refusal().to_string();
    }
    std::string problem = same_events();
    sweeping_ = false;
    return problem;
  }

  std::string set_up() {
    ClaimPolicy policy = random_policy();
    what_ = "create";
    if (auto p = both([&](PublicPool& pool) { return pool.create(users_[0], policy); }, done);
        !p.empty()) {
      return p;
    }
    for (std::size_t i = 1; i < users_.size(); ++i) {
      const Role role = i == 1 ? Role::pool_admin : Role::pool_user;
      if (auto p = both(
              [&](PublicPool& pool) { return pool.set_member(users_[0], users_[i], role); }, done);
          !p.empty()) {
        return p;
      }
    }
    std::vector<CustomerProfile> batch;
    for (const CustomerId& id : customers_) batch.push_back(profile_of(id));
    return both([&](PublicPool& pool) { return pool.import_customers(users_[0], batch); },
                show_import);
  }

  // The earliest deadline either engine shows a holder, to step onto it.
  std::optional<Time> next_deadline() {
    auto summary = eager_.summary(users_[0]);
    if (!summary) return std::nullopt;
    std::optional<Time> next;
    for (const MemberSummary& member : summary->members) {
      if (member.next_deadline.is_not_a_date_time()) continue;
      if (!next || member.next_deadline < *next) next = member.next_deadline;
    }
    return next;
  }

  std::string advance() {
    const auto roll = choose_.below(100);
    if (roll < 35) {
      // Onto the next deadline exactly (the second it is due), or a second before.
      if (const std::optional<Time> next = next_deadline(); next && clock_.now() < *next) {
        Duration by = *next - clock_.now();
        if (choose_.chance(20) && by > seconds(1)) by -= seconds(1);
        clock_.advance(by);
        what_ = "advance to " + show(clock_.now());
        return {};
      }
    }
    Duration by = roll < 60 ? minutes(static_cast<std::int64_t>(1 + choose_.below(59)))
                            : hours(static_cast<std::int64_t>(1 + choose_.below(30)));
    clock_.advance(by);
    what_ = "advance to " + show(clock_.now());
    return {};
  }

  std::string one_step() {
    const UserId actor = user();
    const CustomerId id = customer();
    const auto roll = choose_.below(100);
    if (roll < 22) return advance();
    if (roll < 42) {
      what_ = "claim(" + actor.str() + ", " + id.str() + ")";
      const bool due = is_due_on_lazy(id);
      std::string problem =
          both([&](PublicPool& pool) { return pool.claim(actor, id); }, show_holding);
      if (auto view = eager_.customer(users_[0], id);
          problem.empty() && view && view->state == CustomerState::held && view->holder == actor &&
          view->since == clock_.now()) {
        last_holder_[id] = actor;
        if (due) ++claimed_while_due_;
      }
      return problem;
    }
    if (roll < 48) {
      const UserId to = user();
      what_ = "assign(" + actor.str() + ", " + id.str() + ", " + to.str() + ")";
      std::string problem =
          both([&](PublicPool& pool) { return pool.assign(actor, id, to); }, show_holding);
      if (auto view = eager_.customer(users_[0], id); view && view->holder == to) {
        last_holder_[id] = to;
      }
      return problem;
    }
    const UserId holder = holder_or_any(id);
    if (roll < 56) {
      what_ = "release(" + holder.str() + ", " + id.str() + ")";
      return both([&](PublicPool& pool) { return pool.release(holder, id); }, done);
    }
    if (roll < 62) {
      what_ = "extend(" + holder.str() + ", " + id.str() + ")";
      return both([&](PublicPool& pool) { return pool.extend(holder, id); }, show_holding);
    }
    if (roll < 69) {
      what_ = "follow_up(" + holder.str() + ", " + id.str() + ")";
      return both([&](PublicPool& pool) { return pool.follow_up(holder, id, "call"); }, done);
    }
    if (roll < 72) {
      what_ = "record_win(" + holder.str() + ", " + id.str() + ")";
      return both(
          [&](PublicPool& pool) { return pool.record_win(holder, id, WinKind::contract_signed); },
          done);
    }
    if (roll < 77) {
      std::optional<Duration> length;
      if (choose_.chance(50)) length = hours(static_cast<std::int64_t>(1 + choose_.below(12)));
      what_ = "protect(" + holder.str() + ", " + id.str() + ")";
      return both([&](PublicPool& pool) { return pool.protect(holder, id, length); }, show_holding);
    }
    if (roll < 80) {
      what_ = "unprotect(" + holder.str() + ", " + id.str() + ")";
      return both([&](PublicPool& pool) { return pool.unprotect(holder, id); }, show_holding);
    }
    if (roll < 83) {
      what_ = "move_out_of_pool(" + users_[0].str() + ", " + id.str() + ")";
      return both([&](PublicPool& pool) { return pool.move_out_of_pool(users_[0], id); }, done);
    }
    if (roll < 86) {
      what_ = "move_into_pool(" + users_[0].str() + ", " + id.str() + ")";
      const CustomerProfile profile = profile_of(id);
      return both([&](PublicPool& pool) { return pool.move_into_pool(users_[0], profile); }, done);
    }
    if (roll < 88) {
      // A known id or name: reported as the record is (a due one: available).
      std::vector<CustomerProfile> batch{profile_of(id)};
      if (choose_.chance(50)) batch[0].id = CustomerId("new-" + std::to_string(step_));
      what_ = "import(" + batch[0].id.str() + ")";
      return both(
          [&](PublicPool& pool) {
            return pool.import_customers(users_[0], batch, ImportMode::check_only);
          },
          show_import);
    }
    if (roll < 90) {
      const UserId gone = users_[1 + choose_.below(users_.size() - 1)];
      what_ = "remove_member(" + gone.str() + ")";
      std::string problem =
          both([&](PublicPool& pool) { return pool.remove_member(users_[0], gone); }, done);
      if (!problem.empty()) return problem;
      return both(
          [&](PublicPool& pool) { return pool.set_member(users_[0], gone, Role::pool_user); },
          done);
    }
    if (roll < 93) {
      const bool on = choose_.chance(55);
      what_ = std::string("set_enabled(") + (on ? "on" : "off") + ")";
      return both([&](PublicPool& pool) { return pool.set_enabled(users_[0], on); }, done);
    }
    if (roll < 97) {
      const RunningHoldings running =
          kAllRunningHoldings[choose_.below(kAllRunningHoldings.size())];
      if (choose_.chance(50)) {
        PolicyPatch patch;
        if (choose_.chance(50))
          patch.holding_period = hours(static_cast<std::int64_t>(1 + choose_.below(48)));
        if (choose_.chance(30))
          patch.reclaim_cooldown = hours(static_cast<std::int64_t>(choose_.below(30)));
        if (choose_.chance(30))
          patch.max_holdings = static_cast<std::uint32_t>(1 + choose_.below(4));
        if (choose_.chance(20))
          patch.release_cooldown = hours(static_cast<std::int64_t>(choose_.below(30)));
        if (choose_.chance(25)) patch.daily_limit = random_daily_limit();
        what_ = "update_policy(" + std::string(to_string(running)) + ")";
        return both([&](PublicPool& pool) { return pool.update_policy(users_[0], patch, running); },
                    done);
      }
      const ClaimPolicy policy = random_policy();
      what_ = "set_policy(" + describe(policy) + ", " + std::string(to_string(running)) + ")";
      return both([&](PublicPool& pool) { return pool.set_policy(users_[0], policy, running); },
                  done);
    }
    const ClaimPolicy policy = random_policy();
    const RunningHoldings running = kAllRunningHoldings[choose_.below(kAllRunningHoldings.size())];
    what_ = "preview_policy(" + describe(policy) + ")";
    return both([&](PublicPool& pool) { return pool.preview_policy(users_[0], policy, running); },
                show_preview);
  }

  // Whether the lazy engine still stores `id` as held past its deadline (read
  // from its storage: no query shows it).
  bool is_due_on_lazy(const CustomerId& id) {
    auto info = eager_.info(users_[0]);
    if (!info || !info->enabled) return false;
    const std::unique_ptr<Transaction> tx =
        lazy_storage_->begin(PoolId("twin"), TransactionMode::read_only);
    const std::optional<CustomerRecord> stored = tx->find_customer(id);
    return stored && stored->state == CustomerState::held && stored->deadline <= clock_.now();
  }

  std::string query() {
    const UserId actor = user();
    const CustomerId id = customer();
    switch (choose_.below(7)) {
      case 0:
        what_ = "customer(" + id.str() + ")";
        return both([&](PublicPool& pool) { return pool.customer(actor, id); }, show_view);
      case 1:
        what_ = "history(" + id.str() + ")";
        return both([&](PublicPool& pool) { return pool.history(actor, id); }, show_history);
      case 2: {
        const UserId of = user();
        what_ = "holdings(" + of.str() + ")";
        return both([&](PublicPool& pool) { return pool.holdings(actor, of); }, show_views);
      }
      case 3: {
        AvailableQuery query;
        query.limit = 1 + choose_.below(20);
        if (choose_.chance(30)) query.filter.level = choose_.chance(50) ? "A" : "B";
        if (choose_.chance(30)) query.after = customer();
        what_ = "available";
        return both([&](PublicPool& pool) { return pool.available(actor, query); },
                    [](const AvailablePage& page) {
                      return show_views(page.customers) + " next=" + show(page.next);
                    });
      }
      case 4:
        what_ = "summary";
        return both([&](PublicPool& pool) { return pool.summary(actor, hours(2)); }, show_summary);
      case 5:
        what_ = "explain(" + id.str() + ")";
        return both([&](PublicPool& pool) { return pool.explain(actor, id); }, show_explanation);
      default:
        what_ = "info";
        return both([&](PublicPool& pool) { return pool.info(actor); },
                    [](const PoolInfo& info) {
                      return describe(info.policy) + " v" + std::to_string(info.policy_version) +
                             " enabled=" + std::to_string(info.enabled) +
                             " paused_since=" + show(info.paused_since);
                    });
    }
  }

  std::string same_dump() {
    std::vector<UserId> users = users_;
    const std::string lazy = dump(lazy_, users_[0], users, customers_);
    const std::string eager = dump(eager_, users_[0], users, customers_);
    if (lazy == eager) return {};
    return "queries differ:\n--- lazy\n" + lazy + "--- eager\n" + eager;
  }

  // A final sweep on both; then the same Returned events, each once, and the
  // same stored state.
  std::string finish() {
    what_ = "final sweep";
    sweeping_ = true;
    if (!lazy_.sweep() || !eager_.sweep()) return where(what_) + "sweep refused";
    if (auto problem = same_events(); !problem.empty()) return where(what_) + problem;
    if (auto problem = same_dump(); !problem.empty()) return where(what_) + problem;
    auto sorted = [](std::vector<EventRecord> events) {
      std::vector<std::string> keys;
      for (const EventRecord& event : events) keys.push_back(key_of(event));
      std::sort(keys.begin(), keys.end());
      return keys;
    };
    const std::vector<std::string> lazy = sorted(lazy_returns_);
    const std::vector<std::string> eager = sorted(eager_returns_);
    if (lazy != eager) {
      std::vector<std::string> only_lazy;
      std::vector<std::string> only_eager;
      std::set_difference(lazy.begin(), lazy.end(), eager.begin(), eager.end(),
                          std::back_inserter(only_lazy));
      std::set_difference(eager.begin(), eager.end(), lazy.begin(), lazy.end(),
                          std::back_inserter(only_eager));
      std::string text = where(what_) + "Returned events differ (lazy " +
                         std::to_string(lazy.size()) + ", eager " + std::to_string(eager.size()) +
                         "); only lazy:";
      for (std::size_t i = 0; i < std::min<std::size_t>(only_lazy.size(), 3); ++i) {
        text += "\n    " + only_lazy[i];
      }
      text += "\n  only eager:";
      for (std::size_t i = 0; i < std::min<std::size_t>(only_eager.size(), 3); ++i) {
        text += "\n    " + only_eager[i];
      }
      return text;
    }
    const std::unique_ptr<Transaction> a =
        lazy_storage_->begin(PoolId("twin"), TransactionMode::read_only);
    const std::unique_ptr<Transaction> b =
        eager_storage_->begin(PoolId("twin"), TransactionMode::read_only);
    for (const CustomerId& id : customers_) {
      const std::optional<CustomerRecord> lazy_record = a->find_customer(id);
      const std::optional<CustomerRecord> eager_record = b->find_customer(id);
      if (!lazy_record || !eager_record) return where(what_) + id.str() + " not stored";
      if (auto diff = compare_record(*lazy_record, *eager_record); !diff.empty()) {
        return where(what_) + id.str() + " stored (lazy vs eager): " + diff;
      }
      auto lazy_history = lazy_.history(users_[0], id);
      auto eager_history = eager_.history(users_[0], id);
      if (!lazy_history || !eager_history) return where(what_) + "history refused";
      if (auto diff = compare_history(*lazy_history, *eager_history); !diff.empty()) {
        return where(what_) + id.str() + " history (lazy vs eager): " + diff;
      }
    }
    // Sweeps take nothing: each user's daily tally is the same on both.
    for (const UserId& user : users_) {
      const std::optional<DailyTakes> lazy_takes = a->find_daily_takes(user);
      const std::optional<DailyTakes> eager_takes = b->find_daily_takes(user);
      if (lazy_takes != eager_takes) {
        return where(what_) + user.str() +
               "'s daily takes (lazy vs eager): " + (lazy_takes ? show(*lazy_takes) : "none") +
               " != " + (eager_takes ? show(*eager_takes) : "none");
      }
    }
    return {};
  }

  std::uint64_t seed_;
  std::uint64_t steps_;
  RandomChoices choose_;    // the commands, the same whatever the sweeps
  std::mt19937_64 sweeps_;  // the lazy engine's sweeps only
  bool never_;              // this run's lazy engine sweeps only at the end
  int lazy_percent_ = 0;
  ManualClock clock_{utc(2026, 3, 2, 9)};
  std::unique_ptr<Storage> lazy_storage_;
  std::unique_ptr<Storage> eager_storage_;
  PublicPool lazy_;
  PublicPool eager_;
  EventLog lazy_log_;
  EventLog eager_log_;
  std::vector<UserId> users_;
  std::vector<CustomerId> customers_;
  std::map<CustomerId, UserId> last_holder_;
  std::vector<EventRecord> lazy_returns_;
  std::vector<EventRecord> eager_returns_;
  bool sweeping_ = false;
  std::uint64_t step_ = 0;
  std::string what_;
  std::uint64_t claimed_while_due_ = 0;
  std::uint64_t lazy_written_by_commands_ = 0;
};

// Runs HIGHSEAS_TWIN_RUNS (default `runs`) twins from seed 1, or the one of
// HIGHSEAS_TWIN_SEED, on storages from `make_storage`.
void run_twins(std::uint64_t default_runs,
               const std::function<std::unique_ptr<Storage>()>& make_storage,
               const std::string& binary) {
  const std::uint64_t steps = env_or("HIGHSEAS_TWIN_STEPS", 1500);
  std::uint64_t first = env_or("HIGHSEAS_TWIN_SEED", 0);
  const std::uint64_t runs = first != 0 ? 1 : env_or("HIGHSEAS_TWIN_RUNS", default_runs);
  if (first == 0) first = 1;
  std::uint64_t claimed_while_due = 0;
  std::uint64_t written_by_commands = 0;
  for (std::uint64_t seed = first; seed < first + runs; ++seed) {
    Twin twin(seed, steps, make_storage(), make_storage());
    const std::string failure = twin.run();
    ASSERT_TRUE(failure.empty()) << failure << "\nreplay: HIGHSEAS_TWIN_SEED=" << seed
                                 << " HIGHSEAS_TWIN_STEPS=" << steps << " <build>/tests/sim/"
                                 << binary;
    claimed_while_due += twin.claimed_while_due();
    written_by_commands += twin.lazy_written_by_commands();
  }
  std::cout << "[ twin     ] " << runs << " runs of " << steps << " steps; claimed while due "
            << claimed_while_due << ", returns written by commands " << written_by_commands << "\n";
  // The lazy path was taken: due customers claimed before any sweep, and
  // returns written by commands rather than sweeps.
  if (runs >= 5) {
    EXPECT_GT(claimed_while_due, 0U);
    EXPECT_GT(written_by_commands, 0U);
  }
}

TEST(Simulation, TwinSweepingAtRandomAgreesWithSweepingEverySecond) {
  run_twins(
      60, [] { return std::make_unique<MemoryStorage>(); }, "sim_twin_test");
}

#ifdef HIGHSEAS_SIM_WITH_SQLITE
// The same on SqliteStorage (two files per run, synchronous = normal: nothing
// here is about durability), fewer runs.
TEST(Simulation, TwinOnSqliteSweepingAtRandomAgreesWithSweepingEverySecond) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("highseas-twin-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  int file = 0;
  run_twins(
      8,
      [&]() -> std::unique_ptr<Storage> {
        const fs::path path = dir / ("twin-" + std::to_string(file++) + ".db");
        return std::make_unique<SqliteStorage>(
            SqliteOptions{.path = path.string(), .synchronous = SqliteSynchronous::normal});
      },
      "sim_twin_test");
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}
#endif

}  // namespace
}  // namespace highseas::sim
