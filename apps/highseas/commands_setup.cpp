// init, member, enable, disable, policy: setting a pool up (boss).
#include <charconv>
#include <memory>
#include <string_view>

#include "commands.hpp"
#include "format.hpp"

namespace highseas::cli {

namespace {

// The policy options shared by init and policy; unset ones keep their value.
struct PolicyFlags {
  std::string holding_period;
  std::string idle;
  std::string levels;
  std::string protect;
  std::string extension;
  std::string cooldown;
  std::optional<std::uint32_t> cap;
  std::optional<std::uint32_t> max_extensions;

  void add_to(CLI::App* command) {
    command->add_option("--holding-period", holding_period,
                        "how long a holding lasts, e.g. 30d (自动回归期限)");
    command->add_option("--idle", idle,
                        "a holding also ends after this long without a follow-up, e.g. 7d; "
                        "'none' for no idle limit");
    command->add_option("--levels", levels,
                        "rules of the levels that have their own, period/idle each, e.g. "
                        "A=60d/14d,B=30d/10d; 'none' for none");
    command->add_option("--protect", protect,
                        "protection: most protected holdings per user x longest, e.g. 3x30d; "
                        "'off' to turn it off");
    command->add_option("--cap", cap, "most customers one user may hold (最大领取数)");
    command->add_option("--extension", extension, "length of one extension, e.g. 15d");
    command->add_option("--max-extensions", max_extensions, "most extensions per holding");
    command->add_option("--cooldown", cooldown, "how long a previous holder may not re-take");
  }
  bool any() const {
    return !holding_period.empty() || !idle.empty() || !levels.empty() || !protect.empty() ||
           !extension.empty() || !cooldown.empty() || cap || max_extensions;
  }
  ClaimPolicy applied_to(ClaimPolicy policy) const {
    auto duration = [](const std::string& text, const char* name, Duration& into) {
      if (text.empty()) return;
      const auto parsed = parse_duration(text);
      if (!parsed) throw UsageError{std::string(name) + " must look like 30d, 12h or 45m"};
      into = *parsed;
    };
    auto span = [](const std::string& text, const char* name) {
      const auto parsed = parse_span(text);
      if (!parsed) throw UsageError{std::string(name) + " must look like 30d, 12h or 45m"};
      return *parsed;
    };
    if (!holding_period.empty()) {
      policy.default_rule.holding_period = span(holding_period, "--holding-period");
    }
    if (idle == "none") {
      policy.default_rule.idle_limit.reset();
    } else if (!idle.empty()) {
      policy.default_rule.idle_limit = span(idle, "--idle");
    }
    if (levels == "none") {
      policy.levels.clear();
    } else if (!levels.empty()) {
      const auto parsed = parse_level_rules(levels);
      if (!parsed) {
        throw UsageError{
            "--levels must look like A=60d/14d,B=30d (level=period/idle, comma "
            "between levels)"};
      }
      policy.levels = *parsed;
    }
    if (protect == "off") {
      policy.protection.max_per_user = 0;
    } else if (!protect.empty()) {
      const std::size_t x = protect.find('x');
      std::uint32_t most = 0;
      const char* end = protect.data() + (x == std::string::npos ? 0 : x);
      const auto [stop, error] = std::from_chars(protect.data(), end, most);
      const auto longest = x == std::string::npos
                               ? std::nullopt
                               : parse_span(std::string_view(protect).substr(x + 1));
      if (x == std::string::npos || error != std::errc() || stop != end || !longest) {
        throw UsageError{"--protect must look like 3x30d (most per user x longest), or off"};
      }
      policy.protection = {most, *longest};
    }
    duration(extension, "--extension", policy.extension);
    duration(cooldown, "--cooldown", policy.reclaim_cooldown);
    if (cap) policy.max_holdings = *cap;
    if (max_extensions) policy.max_extensions = *max_extensions;
    return policy;
  }
};

void print_policy(Session& session, const PoolInfo& info) {
  if (session.json) {
    session.print_json({{"pool", info.pool.str()},
                        {"enabled", info.enabled},
                        {"members", info.members},
                        {"created_at", to_iso8601(info.created_at)},
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
  for (const LevelRule& level : policy.levels) {
    table.add(
        {"level " + level.level,
         to_string(level.rule.holding_period) + ", idle " +
             (level.rule.idle_limit ? to_string(*level.rule.idle_limit) : std::string("none"))});
  }
  table.add({"protection", policy.protection.max_per_user == 0
                               ? std::string("off")
                               : std::to_string(policy.protection.max_per_user) +
                                     " per user, at most " + to_string(policy.protection.longest)});
  table.add({"cap per user", std::to_string(policy.max_holdings)});
  table.add({"extension",
             duration_text(policy.extension) + " x " + std::to_string(policy.max_extensions)});
  table.add({"reclaim cooldown", duration_text(policy.reclaim_cooldown)});
  table.add({"members", std::to_string(info.members)});
  table.print(session.out());
}

}  // namespace

int done(Session& session, const std::string& text, nlohmann::json details) {
  if (session.json) {
    details["ok"] = true;
    return session.print_json(details);
  }
  session.out() << text << "\n";
  return kExitOk;
}

void add_setup_commands(CLI::App& app, Session& session, Action& action) {
  auto policy_flags = std::make_shared<PolicyFlags>();

  CLI::App* init = app.add_subcommand("init", "create the pool, with --as as its first boss");
  policy_flags->add_to(init);
  init->callback([&session, &action, policy_flags] {
    action = [&session, policy_flags] {
      const UserId boss = session.actor();
      const ClaimPolicy policy = policy_flags->applied_to(ClaimPolicy{});
      auto created = session.pool().create(boss, policy);
      if (!created) return session.refused(created.refusal());
      return done(
          session,
          "created pool '" + session.pool_id + "' in " + session.db_path + "; boss: " + boss.str(),
          {{"pool", session.pool_id}, {"boss", boss.str()}});
    };
  });

  CLI::App* member = app.add_subcommand("member", "add, change, remove or list pool members");
  member->require_subcommand(1);
  auto user = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  CLI::App* set = member->add_subcommand("set", "add USER with ROLE, or change their role");
  set->add_option("USER", *user)->required();
  set->add_option("ROLE", *role, "boss, pool_admin or pool_user")
      ->required()
      ->check(CLI::IsMember({"boss", "pool_admin", "pool_user"}));
  set->callback([&session, &action, user, role] {
    action = [&session, user, role] {
      auto changed =
          session.pool().set_member(session.actor(), UserId(*user), *role_from_string(*role));
      if (!changed) return session.refused(changed.refusal());
      return done(session, *user + " is now " + *role, {{"user", *user}, {"role", *role}});
    };
  });
  CLI::App* remove = member->add_subcommand("remove", "remove USER; their holdings go back");
  remove->add_option("USER", *user)->required();
  remove->callback([&session, &action, user] {
    action = [&session, user] {
      auto removed = session.pool().remove_member(session.actor(), UserId(*user));
      if (!removed) return session.refused(removed.refusal());
      return done(session, *user + " removed", {{"user", *user}});
    };
  });
  CLI::App* list = member->add_subcommand("list", "list members and their roles");
  list->callback([&session, &action] {
    action = [&session] {
      auto members = session.pool().members(session.actor());
      if (!members) return session.refused(members.refusal());
      if (session.json) {
        nlohmann::json rows = nlohmann::json::array();
        for (const Member& m : *members) {
          rows.push_back({{"user", m.user.str()}, {"role", std::string(to_string(m.role))}});
        }
        return session.print_json(rows);
      }
      Table table({"user", "role"});
      for (const Member& m : *members) table.add({m.user.str(), std::string(to_string(m.role))});
      table.print(session.out());
      return kExitOk;
    };
  });

  for (const bool enabled : {true, false}) {
    CLI::App* command = app.add_subcommand(enabled ? "enable" : "disable",
                                           enabled ? "switch the pool on; countdowns resume"
                                                   : "switch the pool off; countdowns pause");
    command->callback([&session, &action, enabled] {
      action = [&session, enabled] {
        auto switched = session.pool().set_enabled(session.actor(), enabled);
        if (!switched) return session.refused(switched.refusal());
        return done(session, std::string("pool ") + (enabled ? "on" : "off"),
                    {{"enabled", enabled}});
      };
    });
  }

  CLI::App* policy = app.add_subcommand("policy", "show the pool's rules, or change them");
  policy_flags->add_to(policy);
  policy->callback([&session, &action, policy_flags] {
    action = [&session, policy_flags] {
      const UserId actor = session.actor();
      auto info = session.pool().info(actor);
      if (!info) return session.refused(info.refusal());
      if (policy_flags->any()) {
        auto changed = session.pool().set_policy(actor, policy_flags->applied_to(info->policy));
        if (!changed) return session.refused(changed.refusal());
        info = session.pool().info(actor);
        if (!info) return session.refused(info.refusal());
      }
      print_policy(session, *info);
      return kExitOk;
    };
  });
}

}  // namespace highseas::cli
