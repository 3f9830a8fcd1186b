// The demo's quarter: imports, a working day per rep, the admin's
// assignments, and the nightly sweep. Tallies come from the pool's events, so
// the summary shows what the pool did, not what the simulation meant to do.
#include <algorithm>
#include <array>
#include <cstdio>
#include <highseas/calendar/calendar_files.hpp>
#include <highseas/csv/csv_import.hpp>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "demo.hpp"
#include "demo/cn_calendar.hpp"
#include "world.hpp"

namespace highseas::demo {

namespace {

const UserId kBoss("boss");
const UserId kAdmin("admin");
constexpr std::size_t kNoRep = static_cast<std::size_t>(-1);

// A Chinese export team in Ningbo: its days are Shanghai's, its working days
// those of the State Council's 2026 notice (Spring Festival off, make-up
// Saturdays worked), and a holding lasts 10 working days.
ClaimPolicy demo_policy() {
  ClaimPolicy policy;
  policy.time_zone = "Asia/Shanghai";
  policy.default_rule.holding_period = Span::business_days(10);
  // Nobody loses a customer without warning: the rep three working days
  // before, the rep and the admin the day before.
  policy.default_rule.reminders = {{Span::business_days(3), ReminderAudience::holder},
                                   {Span::business_days(1), ReminderAudience::admins}};
  policy.max_holdings = 25;
  policy.extension = days(7);
  policy.max_extensions = 1;
  policy.reclaim_cooldown = days(10);
  // A rep who lets a customer go early waits less than one who let it lapse.
  policy.release_cooldown = days(3);
  return policy;
}

// How much a level weighs on the odds of a win: A customers buy more readily.
double level_weight(const std::string& level) {
  if (level == "A") return 0.5;
  if (level == "B") return 0.35;
  return 0.25;
}

class Simulation {
 public:
  Simulation(Storage& storage, const DemoOptions& options)
      : dice_(options.seed), pool_(PoolId("demo"), storage, clock_) {
    result_.options = options;
    result_.policy = demo_policy();
    result_.team = demo_team();
    result_.stats.resize(result_.team.size());
    held_by_rep_.resize(result_.team.size());
    lost_.resize(result_.team.size());
    for (std::size_t r = 0; r < result_.team.size(); ++r) index_[result_.team[r].user] = r;
    connect_events();
  }

  DemoResult run() {
    // A new pool has no calendar: it starts on calendar days, takes the
    // team's calendar, then counts working days.
    ClaimPolicy first = result_.policy;
    first.default_rule.holding_period = days(14);
    expect(pool_.create(kBoss, first), "create");
    expect(pool_.set_calendar(kBoss, calendar_), "set_calendar");
    expect(pool_.set_policy(kBoss, result_.policy), "set_policy");
    expect(pool_.set_member(kBoss, kAdmin, Role::pool_admin), "set_member");
    for (const Rep& rep : result_.team) {
      expect(pool_.set_member(kBoss, rep.user, Role::pool_user), "set_member");
    }
    import(0, result_.options.customers, 0.01);
    snapshot(0);
    for (int day = 1; day <= result_.options.days; ++day) {
      clock_.set(morning(day));
      if (day % 30 == 0 && day < result_.options.days)
        import(day, result_.options.customers / 8, 0.12);
      if (is_working_day(day)) {
        admin_assigns();
        for (std::size_t r = 0; r < result_.team.size(); ++r) {
          clock_.set(morning(day) + minutes(10 * static_cast<std::int64_t>(r)));
          rep_day(r);
        }
      }
      clock_.set(morning(day) + hours(14));  // 23:00: the nightly sweep
      expect(pool_.sweep(), "sweep");
      snapshot(day);
    }
    for (std::size_t r = 0; r < result_.team.size(); ++r) {
      result_.stats[r].held_now = held_by_rep_[r];
    }
    return std::move(result_);
  }

 private:
  // 09:00 in Shanghai (01:00 UTC); day 0 is Monday 5 January 2026.
  static Time morning(int day) { return utc(2026, 1, 5, 1) + days(day); }
  bool is_working_day(int day) const {
    return calendar_.is_working_day(boost::gregorian::date(2026, 1, 5) +
                                    boost::gregorian::days(day));
  }

  static WorkCalendar team_calendar() {
    auto calendar = calendar::read_holiday_cn_json(chinese_calendar_2026_json(), "2026.json");
    if (!calendar) throw std::logic_error("demo: " + calendar.refusal().to_string());
    return std::move(calendar.value());
  }

  // Fails the demo loudly on a refusal the simulation did not plan for.
  template <class T>
  bool expect(const Result<T>& result, const char* what,
              std::initializer_list<RefusalCode> tolerated = {}) {
    if (result) return true;
    for (const RefusalCode code : tolerated) {
      if (result.code() == code) return false;
    }
    throw std::logic_error(std::string("demo: unexpected refusal of ") + what + ": " +
                           result.refusal().to_string());
  }

  std::size_t rep_of(const std::optional<UserId>& user) const {
    if (!user) return kNoRep;
    const auto found = index_.find(*user);
    return found == index_.end() ? kNoRep : found->second;
  }

  void connect_events() {
    PoolEvents& events = pool_.events();
    auto taken = [this](const CustomerEvent& e, std::size_t RepStats::*counter) {
      --available_;
      ++held_;
      progress_[e.customer.str()] = 0;
      warned_.erase(e.customer.str());
      if (const std::size_t r = rep_of(e.holder); r != kNoRep) {
        ++(result_.stats[r].*counter);
        ++held_by_rep_[r];
      }
    };
    auto given_back = [this](const CustomerEvent& e, std::size_t RepStats::*counter,
                             bool back_to_pool) {
      --held_;
      if (back_to_pool) ++available_;
      if (const std::size_t r = rep_of(e.previous_holder); r != kNoRep) {
        ++(result_.stats[r].*counter);
        --held_by_rep_[r];
        if (counter == &RepStats::returned) lost_[r].push_back(e.customer);
      }
      if (warned_.erase(e.customer.str()) > 0) {
        if (counter == &RepStats::returned) ++result_.returns_warned;
        if (counter == &RepStats::won) ++result_.wins_after_warning;
      }
      if (counter == &RepStats::returned) {
        ++returned_;
        lost_by_[e.customer.str()] = rep_of(e.previous_holder);
      }
      if (counter == &RepStats::released) ++released_;
    };
    connections_.emplace_back(events.customers_imported.connect(
        [this](const CustomersImported& e) { available_ += e.customers.size(); }));
    connections_.emplace_back(
        events.claimed.connect([taken](const Claimed& e) { taken(e, &RepStats::claimed); }));
    connections_.emplace_back(
        events.assigned.connect([taken](const Assigned& e) { taken(e, &RepStats::assigned); }));
    connections_.emplace_back(events.won.connect([this, given_back](const Won& e) {
      ++won_;
      const auto lost = lost_by_.find(e.customer.str());
      if (!result_.second_chance && lost != lost_by_.end() &&
          lost->second != rep_of(e.previous_holder)) {
        result_.second_chance = e.customer;
      }
      given_back(e, &RepStats::won, false);
    }));
    connections_.emplace_back(events.returned.connect(
        [given_back](const Returned& e) { given_back(e, &RepStats::returned, true); }));
    connections_.emplace_back(events.released.connect(
        [given_back](const Released& e) { given_back(e, &RepStats::released, true); }));
    connections_.emplace_back(events.extended.connect([this](const Extended& e) {
      if (const std::size_t r = rep_of(e.holder); r != kNoRep) ++result_.stats[r].extended;
    }));
    connections_.emplace_back(events.reminder_due.connect([this](const ReminderDue& e) {
      ++result_.reminders_sent;
      warned_.insert(e.customer.str());
    }));
    connections_.emplace_back(events.followed_up.connect([this](const FollowedUp& e) {
      if (const std::size_t r = rep_of(e.holder); r != kNoRep) ++result_.stats[r].follow_ups;
    }));
  }

  void import(int day, std::size_t count, double repeat_share) {
    std::istringstream csv(customer_csv(dice_, next_id_, count, repeat_share, names_));
    next_id_ += count;
    csv::CsvImportOptions options;
    options.batch_rows = 500;
    auto report = csv::import_customers_csv(pool_, kAdmin, csv, options);
    expect(report, "import");
    ImportSummary summary{day, report->rows, report->imported};
    for (const csv::CsvProblem& problem : report->problems) {
      if (!problem.collision) {
        ++summary.duplicates_in_file;
        continue;
      }
      ++summary.collisions;
      if (problem.collision->state == CustomerState::held) ++summary.collisions_held;
    }
    result_.imports.push_back(summary);
  }

  CustomerId random_cursor() {
    std::array<char, 32> id{};
    std::snprintf(id.data(), id.size(), "CU%05zu", dice_.pick(next_id_));
    return CustomerId(id.data());
  }

  // The admin hands two A-level leads a day to whoever holds the fewest.
  void admin_assigns() {
    AvailableQuery query;
    query.filter.level = "A";
    query.after = random_cursor();
    query.limit = 2;
    auto page = pool_.available(kAdmin, query);
    expect(page, "available");
    for (const CustomerView& view : page->customers) {
      std::size_t target = 0;
      for (std::size_t r = 1; r < held_by_rep_.size(); ++r) {
        if (held_by_rep_[r] < held_by_rep_[target]) target = r;
      }
      expect(pool_.assign(kAdmin, view.profile.id, result_.team[target].user), "assign",
             {RefusalCode::cooldown, RefusalCode::cap_reached});
    }
  }

  void rep_day(std::size_t r) {
    const Rep& rep = result_.team[r];
    auto held = pool_.holdings(rep.user, rep.user);
    expect(held, "holdings");
    for (const CustomerView& view : *held) work_on(rep, view);
    retry_lost(r);
    claim_new(r);
  }

  void work_on(const Rep& rep, const CustomerView& view) {
    const CustomerId& id = view.profile.id;
    int& progress = progress_[id.str()];
    // A warned rep calls more often: what the reminder is for.
    const bool warned = warned_.contains(id.str());
    if (dice_.chance(warned ? std::max(rep.diligence, 0.8) : rep.diligence)) {
      if (!expect(pool_.follow_up(rep.user, id, "called the buyer"), "follow_up",
                  {RefusalCode::deadline_passed})) {
        return;
      }
      ++progress;
      const double odds =
          rep.skill * level_weight(view.profile.level) * std::min(progress, 4) / 4.0;
      if (progress >= 2 && dice_.chance(odds)) {
        const WinKind kind =
            dice_.chance(0.3) ? WinKind::payment_received : WinKind::contract_signed;
        expect(pool_.record_win(rep.user, id, kind), "record_win");
        return;
      }
    }
    const bool close = view.time_left && *view.time_left < days(3);
    if (close && view.extensions_left > 0 && progress >= 2 && dice_.chance(rep.skill)) {
      // Reps may not extend their own holdings: they ask the admin.
      expect(pool_.extend(kAdmin, id), "extend", {RefusalCode::deadline_passed});
    } else if (progress == 0 && clock_.now() - view.since > days(7) && dice_.chance(0.15)) {
      expect(pool_.release(rep.user, id), "release", {RefusalCode::deadline_passed});
    }
  }

  // A rep who lost a customer to the deadline tries to take it straight back;
  // the cooldown sends it to someone else.
  void retry_lost(std::size_t r) {
    if (lost_[r].empty() || !dice_.chance(0.5)) return;
    const CustomerId id = lost_[r].back();
    lost_[r].pop_back();
    auto claimed = pool_.claim(result_.team[r].user, id);
    if (!claimed && claimed.code() == RefusalCode::cooldown) {
      ++result_.stats[r].cooldown_refusals;
      return;
    }
    expect(claimed, "claim",
           {RefusalCode::already_held, RefusalCode::cap_reached, RefusalCode::not_in_pool});
  }

  void claim_new(std::size_t r) {
    const Rep& rep = result_.team[r];
    int wanted = rep.appetite;
    for (int tries = 0; tries < 3 && wanted > 0; ++tries) {
      AvailableQuery query;
      query.filter.country = rep.countries[dice_.pick(rep.countries.size())];
      query.after = random_cursor();
      query.limit = 4;
      auto page = pool_.available(rep.user, query);
      expect(page, "available");
      for (const CustomerView& view : page->customers) {
        if (wanted == 0) return;
        auto claimed = pool_.claim(rep.user, view.profile.id);
        if (claimed) {
          --wanted;
        } else if (claimed.code() == RefusalCode::cooldown) {
          ++result_.stats[r].cooldown_refusals;
        } else if (claimed.code() == RefusalCode::cap_reached) {
          return;
        } else {
          expect(claimed, "claim");
        }
      }
    }
  }

  void snapshot(int day) {
    result_.days.push_back(
        DaySnapshot{day, available_, held_, won_, returned_, released_, held_by_rep_});
  }

  Dice dice_;
  ManualClock clock_{utc(2026, 1, 5, 0)};  // before pool_, which keeps a reference
  WorkCalendar calendar_ = team_calendar();
  PublicPool pool_;
  DemoResult result_;
  std::unordered_map<UserId, std::size_t> index_;
  std::unordered_map<std::string, int> progress_;         // follow-ups in the current holding
  std::unordered_map<std::string, std::size_t> lost_by_;  // the rep who last lost it
  std::unordered_set<std::string> warned_;                // reminded in the current holding
  std::vector<std::vector<CustomerId>> lost_;             // per rep: lost to the deadline
  std::vector<std::size_t> held_by_rep_;
  std::vector<std::string> names_;
  std::size_t next_id_ = 1;
  std::size_t available_ = 0;
  std::size_t held_ = 0;
  std::size_t won_ = 0;
  std::size_t returned_ = 0;
  std::size_t released_ = 0;
  std::vector<ScopedConnection> connections_;
};

}  // namespace

Time demo_end(int days) { return utc(2026, 1, 5, 1) + highseas::days(days) + hours(14); }

DemoResult run_demo(Storage& storage, const DemoOptions& options) {
  return Simulation(storage, options).run();
}

}  // namespace highseas::demo
