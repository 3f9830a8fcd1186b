// policy, policy set, policy preview: a pool's rules, changing them, and
// seeing what a change would do before making it (boss).
#include <memory>
#include <string>

#include "commands.hpp"
#include "format.hpp"
#include "policy_flags.hpp"

namespace highseas::cli {

namespace {

void print_policy(Session& session, const PoolInfo& info) {
  if (session.json) {
    session.print_json({{"pool", info.pool.str()},
                        {"enabled", info.enabled},
                        {"members", info.members},
                        {"created_at", to_iso8601(info.created_at)},
                        {"policy_version", info.policy_version},
                        {"policy_since", to_iso8601(info.policy_since)},
                        {"policy", to_json(info.policy)}});
    return;
  }
  const ClaimPolicy& policy = info.policy;
  Table table({"setting", "value"});
  table.add({"pool", info.pool.str() + (info.enabled ? " (on)" : " (off: countdowns paused)")});
  table.add({"holding period", to_string(policy.default_rule.holding_period)});
  table.add({"idle limit", policy.default_rule.idle_limit
                               ? to_string(*policy.default_rule.idle_limit)
                               : std::string("none")});
  table.add({"reminders", reminders_text(policy.default_rule.reminders)});
  for (const LevelRule& level : policy.levels) {
    std::string rule =
        to_string(level.rule.holding_period) + ", idle " +
        (level.rule.idle_limit ? to_string(*level.rule.idle_limit) : std::string("none"));
    if (!level.rule.reminders.empty())
      rule += ", reminders " + reminders_text(level.rule.reminders);
    table.add({"level " + level.level, rule});
  }
  table.add({"protection", policy.protection.max_per_user == 0
                               ? std::string("off")
                               : std::to_string(policy.protection.max_per_user) +
                                     " per user, at most " + to_string(policy.protection.longest)});
  table.add({"cap per user", std::to_string(policy.max_holdings)});
  table.add(
      {"extension", to_string(policy.extension) + " x " + std::to_string(policy.max_extensions)});
  table.add({"reclaim cooldown", duration_text(policy.reclaim_cooldown)});
  table.add({"release cooldown", duration_text(policy.release_cooldown)});
  table.add({"daily limit",
             policy.daily_limit.any() ? to_string(policy.daily_limit) : std::string("none")});
  table.add({"time zone", policy.time_zone});
  table.add({"unknown years", std::string(to_string(policy.unknown_years))});
  table.add({"members", std::to_string(info.members)});
  table.add({"policy version",
             std::to_string(info.policy_version) + " since " + time_text(info.policy_since)});
  table.print(session.out());
}

nlohmann::json to_json(const PolicyPreview& preview) {
  nlohmann::json holdings = nlohmann::json::array();
  for (const HoldingPreview& holding : preview.holdings) {
    holdings.push_back({{"customer", holding.customer.str()},
                        {"holder", holding.holder.str()},
                        {"level", holding.level},
                        {"deadline_before", to_iso8601(holding.deadline_before)},
                        {"reason_before", std::string(to_string(holding.reason_before))},
                        {"deadline_after", to_iso8601(holding.deadline_after)},
                        {"reason_after", std::string(to_string(holding.reason_after))},
                        {"changed", holding.changed},
                        {"due_at_once", holding.due_at_once}});
  }
  nlohmann::json reps = nlohmann::json::array();
  for (const RepPreview& rep : preview.reps) {
    reps.push_back({{"user", rep.user.str()},
                    {"holdings", rep.holdings},
                    {"earlier", rep.earlier},
                    {"later", rep.later},
                    {"due_at_once", rep.due_at_once}});
  }
  return {{"version", preview.version},
          {"running", std::string(to_string(preview.running))},
          {"counted_from", to_iso8601(preview.counted_from)},
          {"due_at_once", preview.due_at_once},
          {"returns_by_day", preview.returns_by_day},
          {"reps", reps},
          {"holdings", holdings}};
}

void print_preview(std::ostream& out, const PolicyPreview& preview) {
  std::size_t changed = 0;
  for (const HoldingPreview& holding : preview.holdings) changed += holding.changed ? 1 : 0;
  out << "as policy version " << preview.version
      << " (running holdings: " << to_string(preview.running) << "): " << changed << " of "
      << preview.holdings.size() << " running holdings get a new deadline; " << preview.due_at_once
      << " return at once\n";
  out << "returns per day if nobody acts, from " << time_text(preview.counted_from) << ":\n";
  Table days({"day", "until", "returns"});
  for (std::size_t day = 0; day < preview.returns_by_day.size(); ++day) {
    if (preview.returns_by_day[day] == 0) continue;
    days.add({std::to_string(day + 1),
              time_text(preview.counted_from + highseas::days(static_cast<int>(day) + 1)),
              std::to_string(preview.returns_by_day[day])});
  }
  days.print(out);
  Table reps({"holder", "holdings", "earlier", "later", "at once"});
  for (const RepPreview& rep : preview.reps) {
    reps.add({rep.user.str(), std::to_string(rep.holdings), std::to_string(rep.earlier),
              std::to_string(rep.later), std::to_string(rep.due_at_once)});
  }
  reps.print(out);
  if (changed == 0) return;
  Table holdings({"customer", "holder", "level", "deadline now", "why", "after", "why"});
  for (const HoldingPreview& holding : preview.holdings) {
    if (!holding.changed) continue;
    holdings.add({holding.customer.str(), holding.holder.str(), holding.level,
                  time_text(holding.deadline_before), std::string(to_string(holding.reason_before)),
                  time_text(holding.deadline_after) + (holding.due_at_once ? " (due)" : ""),
                  std::string(to_string(holding.reason_after))});
  }
  holdings.print(out);
}

// Shows the policy, or changes it first when any setting was given. The
// change is a patch: settings not given keep the value they have when it
// commits, even if another boss changed them a moment before.
int show_or_change(Session& session, const PolicyFlags& flags, const RunningFlag& running) {
  const UserId actor = session.actor();
  if (flags.any() || running.value() != RunningHoldings::keep) {
    auto changed = session.pool().update_policy(actor, flags.patch(), running.value());
    if (!changed) return session.refused(changed.refusal());
  }
  auto info = session.pool().info(actor);
  if (!info) return session.refused(info.refusal());
  print_policy(session, *info);
  return kExitOk;
}

}  // namespace

void add_policy_commands(CLI::App& app, Session& session, Action& action) {
  CLI::App* policy =
      app.add_subcommand("policy", "show the pool's rules, or change them (as `policy set`)");
  auto flags = std::make_shared<PolicyFlags>();
  auto running = std::make_shared<RunningFlag>();
  flags->add_to(policy);
  running->add_to(policy);

  CLI::App* set = policy->add_subcommand("set", "change the pool's rules as a new version");
  auto set_flags = std::make_shared<PolicyFlags>();
  auto set_running = std::make_shared<RunningFlag>();
  set_flags->add_to(set);
  set_running->add_to(set);
  set->callback([&session, &action, set_flags, set_running] {
    action = [&session, set_flags, set_running] {
      if (!set_flags->any() && set_running->value() == RunningHoldings::keep) {
        throw UsageError{"policy set needs a setting, e.g. --idle 7d, or --running recompute"};
      }
      return show_or_change(session, *set_flags, *set_running);
    };
  });

  CLI::App* preview = policy->add_subcommand(
      "preview", "what a change would do to running holdings, without making it");
  auto preview_flags = std::make_shared<PolicyFlags>();
  auto preview_running = std::make_shared<RunningFlag>();
  preview_flags->add_to(preview);
  preview_running->add_to(preview);
  preview->callback([&session, &action, preview_flags, preview_running] {
    action = [&session, preview_flags, preview_running] {
      auto previewed = session.pool().preview_policy(session.actor(), preview_flags->patch(),
                                                     preview_running->value());
      if (!previewed) return session.refused(previewed.refusal());
      if (session.json) return session.print_json(to_json(*previewed));
      print_preview(session.out(), *previewed);
      return kExitOk;
    };
  });

  policy->callback([&session, &action, policy, flags, running] {
    if (!policy->get_subcommands().empty()) return;  // set or preview chose the action
    action = [&session, flags, running] { return show_or_change(session, *flags, *running); };
  });
}

}  // namespace highseas::cli
