// The subcommands, grouped by what they do. Each add_* function registers its
// subcommands on `app`; the chosen one stores its body in `action`, which runs
// after parsing succeeded.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "session.hpp"

namespace highseas::cli {

using Action = std::function<int()>;

// init, member, enable, disable.
void add_setup_commands(CLI::App& app, Session& session, Action& action);
// policy, policy set, policy preview.
void add_policy_commands(CLI::App& app, Session& session, Action& action);
// calendar, calendar import, calendar show.
void add_calendar_commands(CLI::App& app, Session& session, Action& action);
// import, claim, assign, release, extend, follow-up, win, sweep.
void add_customer_commands(CLI::App& app, Session& session, Action& action);
// show, list, mine, holdings, history.
void add_query_commands(CLI::App& app, Session& session, Action& action);
// at-risk.
void add_at_risk_command(CLI::App& app, Session& session, Action& action);
// report.
void add_report_command(CLI::App& app, Session& session, Action& action);
// demo.
void add_demo_command(CLI::App& app, Session& session, Action& action);

// Prints "ok" lines or {"ok": true, ...} for a command that succeeded.
int done(Session& session, const std::string& text,
         nlohmann::json details = nlohmann::json::object());

}  // namespace highseas::cli
