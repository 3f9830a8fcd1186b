// report: the pool at a glance for a boss: who holds what and how urgent,
// what each rep achieved (claims, wins, returns, win rate, time to win), the
// pool's second chances, and customers nobody has claimed for a long time.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "format.hpp"

namespace highseas::cli {

namespace {

// Customers waiting in the pool, untouched, since before `cutoff`: nobody
// claimed them (or they came back) that long ago. Pages through every
// available customer: the library has no count by age (see issue 15).
struct IdleCustomers {
  std::size_t count = 0;
  std::vector<CustomerView> oldest;  // up to 5, oldest first
};

std::optional<IdleCustomers> idle_customers(Session& session, Time cutoff, Refusal& refusal) {
  IdleCustomers idle;
  AvailableQuery query;
  query.limit = PublicPool::kMaxPage;
  for (;;) {
    auto page = session.pool().available(session.actor(), query);
    if (!page) {
      refusal = page.refusal();
      return std::nullopt;
    }
    for (const CustomerView& view : page->customers) {
      if (view.since > cutoff) continue;
      ++idle.count;
      idle.oldest.push_back(view);
      std::stable_sort(
          idle.oldest.begin(), idle.oldest.end(),
          [](const CustomerView& a, const CustomerView& b) { return a.since < b.since; });
      if (idle.oldest.size() > 5) idle.oldest.pop_back();
    }
    if (!page->next) return idle;
    query.after = page->next;
  }
}

struct ReportArgs {
  std::string warn = "3d";
  std::string idle = "30d";
  std::string since;  // a duration back from now (90d) or a date; empty: all time
};

// Returns the period --since names: "90d" is the last 90 days, a date or a
// time is from then; empty is the pool's whole life.
ActivityQuery period_of(const std::string& since, Time now) {
  ActivityQuery query;
  query.examples = 5;
  if (since.empty()) return query;
  if (const auto back = parse_duration(since)) {
    query.from = now - *back;
  } else if (const auto at = parse_time(since)) {
    query.from = *at;
  } else {
    throw UsageError{"--since must be a duration back from now (90d) or a date (2026-09-01)"};
  }
  return query;
}

std::string percent_text(std::optional<double> share) {
  if (!share) return "";
  return std::to_string(std::lround(*share * 100.0)) + "%";
}

// Days with one decimal: "4.5".
std::string days_text(const std::optional<Duration>& duration) {
  if (!duration) return "";
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f",
                static_cast<double>(duration->total_seconds()) / 86400.0);
  return text.data();
}

nlohmann::json activity_json(const PoolActivity& activity) {
  nlohmann::json members = nlohmann::json::array();
  for (const MemberActivity& member : activity.members) {
    const auto median = member.median_time_to_win;
    members.push_back(
        {{"user", member.user.str()},
         {"claimed", member.claimed},
         {"assigned", member.assigned},
         {"won", member.won()},
         {"won_contract", member.won_contract},
         {"won_payment", member.won_payment},
         {"returned", member.returned},
         {"released", member.released},
         {"win_rate", member.win_rate() ? nlohmann::json(*member.win_rate()) : nullptr},
         {"median_days_to_win",
          median ? nlohmann::json(static_cast<double>(median->total_seconds()) / 86400.0)
                 : nullptr}});
  }
  nlohmann::json examples = nlohmann::json::array();
  for (const SecondChance& chance : activity.recent_second_chances) {
    examples.push_back({{"customer", chance.customer.str()},
                        {"lost_by", chance.lost_by.str()},
                        {"lost_at", to_iso8601(chance.lost_at)},
                        {"won_by", chance.won_by.str()},
                        {"won_at", to_iso8601(chance.won_at)}});
  }
  return {{"from", activity.from.is_special() ? nlohmann::json(nullptr)
                                              : nlohmann::json(to_iso8601(activity.from))},
          {"to", to_iso8601(activity.to)},
          {"members", members},
          {"second_chances", activity.second_chances},
          {"recent_second_chances", examples}};
}

void print_activity(Session& session, const PoolActivity& activity) {
  std::ostream& out = session.out();
  out << "\nresults "
      << (activity.from.is_special() ? "since the pool began" : "since " + time_text(activity.from))
      << ":\n";
  if (activity.members.empty()) {
    out << "nobody claimed, was assigned, won or lost a customer in this period\n";
  } else {
    Table results({"rep", "claimed", "assigned", "won (contract/payment)", "returned", "released",
                   "win rate", "median days to win"});
    for (const MemberActivity& member : activity.members) {
      results.add({member.user.str(), std::to_string(member.claimed),
                   std::to_string(member.assigned),
                   std::to_string(member.won()) + " (" + std::to_string(member.won_contract) + "/" +
                       std::to_string(member.won_payment) + ")",
                   std::to_string(member.returned), std::to_string(member.released),
                   percent_text(member.win_rate()), days_text(member.median_time_to_win)});
    }
    results.print(out);
    out << "win rate: wins out of the holdings that ended (won, returned or released)\n";
  }
  out << "\nsecond chances (won by a rep after another rep's holding came back to the pool): "
      << activity.second_chances << "\n";
  if (activity.recent_second_chances.empty()) return;
  Table chances({"customer", "lost by", "back in the pool", "won by", "won at"});
  for (const SecondChance& chance : activity.recent_second_chances) {
    chances.add({chance.customer.str(), chance.lost_by.str(), time_text(chance.lost_at),
                 chance.won_by.str(), time_text(chance.won_at)});
  }
  chances.print(out);
}

int run_report(Session& session, const ReportArgs& args) {
  const auto threshold = parse_duration(args.warn);
  if (!threshold) throw UsageError{"--warn must look like 3d, 12h or 45m"};
  const auto idle_for = parse_duration(args.idle);
  if (!idle_for) throw UsageError{"--idle must look like 30d, 12h or 45m"};
  const ActivityQuery period = period_of(args.since, session.clock().now());
  auto summary = session.pool().summary(session.actor(), *threshold);
  if (!summary) return session.refused(summary.refusal());
  const PoolInfo& info = summary->info;
  nlohmann::json rows = nlohmann::json::array();
  Table table({"member", "role", "held", "urgent", "next deadline"});
  for (const MemberSummary& member : summary->members) {
    const bool holds = !member.next_deadline.is_not_a_date_time();
    // A time a rep can put in a calendar; paused while the pool is off.
    const std::string next =
        !holds ? "" : time_text(member.next_deadline) + (info.enabled ? "" : " (paused)");
    table.add({member.user.str(), std::string(to_string(member.role)), std::to_string(member.held),
               member.urgent > 0 ? std::to_string(member.urgent) + " !" : "0", next});
    rows.push_back({{"user", member.user.str()},
                    {"role", std::string(to_string(member.role))},
                    {"held", member.held},
                    {"urgent", member.urgent},
                    {"next_deadline", holds ? nlohmann::json(to_iso8601(member.next_deadline))
                                            : nlohmann::json(nullptr)}});
  }
  Refusal refusal;
  const auto idle = idle_customers(session, session.clock().now() - *idle_for, refusal);
  if (!idle) return session.refused(refusal);
  auto activity = session.pool().activity(session.actor(), period);
  if (!activity) return session.refused(activity.refusal());
  if (session.json) {
    nlohmann::json oldest = nlohmann::json::array();
    for (const CustomerView& view : idle->oldest) {
      oldest.push_back({{"id", view.profile.id.str()}, {"since", to_iso8601(view.since)}});
    }
    return session.print_json(
        {{"pool", info.pool.str()},
         {"enabled", info.enabled},
         {"available", summary->available},
         {"held", summary->held},
         {"regular", summary->regular},
         {"policy", to_json(info.policy)},
         {"members", rows},
         {"activity", activity_json(*activity)},
         {"idle",
          {{"for", duration_text(*idle_for)}, {"count", idle->count}, {"oldest", oldest}}}});
  }
  session.out() << "pool " << info.pool << (info.enabled ? " (on)" : " (off: countdowns paused)")
                << ": " << summary->available << " available, " << summary->held << " held, "
                << summary->regular << " won or moved out; cap " << info.policy.max_holdings
                << ", holding period " << to_string(info.policy.default_rule.holding_period)
                << "\n";
  table.print(session.out());
  print_activity(session, *activity);
  session.out() << "\nin the pool, unclaimed for " << duration_text(*idle_for)
                << " or more: " << idle->count << "\n";
  if (!idle->oldest.empty()) {
    Table oldest({"id", "name", "country", "level", "waiting since"});
    for (const CustomerView& view : idle->oldest) {
      oldest.add({view.profile.id.str(), view.profile.name, view.profile.country,
                  view.profile.level, time_text(view.since)});
    }
    oldest.print(session.out());
  }
  return kExitOk;
}

}  // namespace

void add_report_command(CLI::App& app, Session& session, Action& action) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand(
      "report", "the pool at a glance: holdings, urgency, each rep's results, second chances");
  report->add_option("--warn", args->warn, "flag holdings with less than this left (default 3d)");
  report->add_option("--idle", args->idle,
                     "count customers unclaimed in the pool this long (default 30d; reads the "
                     "whole pool)");
  report->add_option("--since", args->since,
                     "count results from this far back (90d) or this date (2026-09-01); default: "
                     "the pool's whole life (reads its whole history)");
  report->callback([&session, &action, args] {
    action = [&session, args] { return run_report(session, *args); };
  });
}

}  // namespace highseas::cli
