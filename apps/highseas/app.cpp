// Builds the argument parser, runs the chosen subcommand, and turns every
// outcome into an exit status.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <set>

#include "cli.hpp"
#include "commands.hpp"
#include "format.hpp"
#include "import_notice.hpp"
#include "session.hpp"

namespace highseas::cli {

namespace {

// The command line's subcommand path as a user typed it: "claim", "member list".
std::string command_path(const CLI::App& app) {
  std::string path;
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
    path += (path.empty() ? "" : " ") + at->get_name();
  }
  return path;
}

// True iff the chosen command only reads the pool, so --now may set the time
// it looks at the pool as of. Everything else (new commands included) writes
// and runs on the environment's clock: a rep must not claim, win or return
// customers in the past.
bool reads_only(const CLI::App& app, const std::string& path) {
  static const std::set<std::string> kReadOnly{
      "show",        "list",    "mine",           "holdings", "history",      "report",
      "member list", "explain", "policy preview", "at-risk",  "calendar show"};
  if (kReadOnly.contains(path)) return true;
  // `policy` without settings shows the policy; with any, it changes it.
  if (path != "policy") return false;
  const auto settings = app.get_subcommand("policy")->get_options(
      [](const CLI::Option* option) { return option->count() > 0; });
  return settings.empty();
}

// Returns the first word on the command line that is neither an option nor
// an option's value: where the subcommand should be. "" if none.
std::string first_word(const CLI::App& app, const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.empty() || arg[0] != '-') return arg;
    if (arg.find('=') != std::string::npos) continue;
    try {
      const CLI::Option* option = app.get_option(arg);
      if (option->get_items_expected_max() > 0) ++i;  // skip its value
    } catch (const CLI::OptionNotFound&) {
    }
  }
  return "";
}

}  // namespace

int run(const std::vector<std::string>& args, const Environment& environment) {
  Session session(environment);
  Action action;
  CLI::App app("HighSeas: the customer public pool (客户公海) on a SQLite file",
               environment.program);
  app.fallthrough();  // global options may follow the subcommand
  app.require_subcommand(1);
  app.add_option("--db", session.db_path, "the SQLite database file (default ./highseas.db)");
  app.add_option("--pool", session.pool_id, "the pool id (default \"default\")");
  app.add_option("--as", session.actor_name, "the acting user")->envname("HIGHSEAS_AS");
  app.add_flag("--json", session.json, "print JSON for scripts instead of tables");
  app.add_flag("--utc", session.utc, "show times in UTC instead of the pool's time zone");
  show_times_in(std::nullopt);  // one run, one pool: nothing left from an earlier run
  app.add_option("--now", session.now_text,
                 "look at the pool as of this UTC time (read-only commands only)")
      ->envname("HIGHSEAS_NOW");
  app.add_option("--wait", session.wait_seconds,
                 "seconds a command waits for another's write (an import) before it gives up")
      ->envname("HIGHSEAS_WAIT")
      ->check(CLI::Range(0.001, 86400.0));

  add_setup_commands(app, session, action);
  add_policy_commands(app, session, action);
  add_calendar_commands(app, session, action);
  add_customer_commands(app, session, action);
  add_query_commands(app, session, action);
  add_at_risk_command(app, session, action);
  add_report_command(app, session, action);
  add_demo_command(app, session, action);

  // CLI11 would say "A subcommand is required" for a mistyped one.
  if (const std::string word = first_word(app, args); !word.empty()) {
    std::string names;
    bool known = false;
    for (const CLI::App* command : app.get_subcommands({})) {
      names += (names.empty() ? "" : ", ") + command->get_name();
      known = known || command->get_name() == word;
    }
    if (!known) {
      environment.err << "highseas: unknown command '" << word << "'; the commands are " << names
                      << " (highseas --help)\n";
      return kExitUsage;
    }
  }
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    environment.out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    environment.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& error) {
    environment.err << "highseas: " << error.what() << "\n\n" << app.help();
    return kExitUsage;
  }
  session.db_given = app.count("--db") > 0;
  if (!action) {
    environment.err << app.help();
    return kExitUsage;
  }
  const std::string path = command_path(app);
  if (!session.now_text.empty() && !reads_only(app, path)) {
    const bool flag = std::any_of(args.begin(), args.end(), [](const std::string& arg) {
      return arg == "--now" || arg.rfind("--now=", 0) == 0;
    });
    environment.err << "highseas: " << (flag ? "--now" : "HIGHSEAS_NOW (set in the environment)")
                    << " is for looking at the pool as of a time (show, list, mine, holdings, "
                       "at-risk, history, report, policy, member list, calendar show); '"
                    << path << "' changes the pool and always runs on the real clock. "
                    << (flag ? "Drop --now." : "Unset HIGHSEAS_NOW.") << "\n";
    return kExitUsage;
  }
  // A command that writes waits for a strict import holding the write lock:
  // say so up front, since the wait can be long and is silent otherwise.
  if (!reads_only(app, path)) {
    if (const auto notice = read_live_notice(session.db_path)) {
      environment.err << "highseas: note: " << busy_text(*notice) << "; waiting for it\n";
    }
  }
  try {
    return action();
  } catch (const UsageError& error) {
    environment.err << "highseas: " << error.message << "\n";
    return kExitUsage;
  } catch (const StorageError& error) {
    // Gave up waiting (busy, timed out) while an import holds the lock: the
    // import is the cause, not the storage; the error itself follows.
    if (const auto notice = read_live_notice(session.db_path)) {
      environment.err << "highseas: " << busy_text(*notice) << "; try again when it finishes\n"
                      << "  (" << error.what() << ")\n";
      return kExitFailure;
    }
    environment.err << "highseas: storage error: " << error.what() << "\n";
    return kExitFailure;
  } catch (const std::exception& error) {
    environment.err << "highseas: " << error.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace highseas::cli
