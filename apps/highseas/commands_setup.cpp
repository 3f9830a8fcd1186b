// init, member, enable, disable: setting a pool up (boss).
#include <charconv>
#include <memory>
#include <string_view>

#include "commands.hpp"
#include "format.hpp"
#include "policy_flags.hpp"

namespace highseas::cli {

namespace {}  // namespace

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
}

}  // namespace highseas::cli
