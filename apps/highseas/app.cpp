// Builds the argument parser, runs the chosen subcommand, and turns every
// outcome into an exit status.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli.hpp"
#include "commands.hpp"
#include "session.hpp"

namespace highseas::cli {

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
  app.add_option("--now", session.now_text, "pretend it is this UTC time (scripts, tests)")
      ->envname("HIGHSEAS_NOW");

  add_setup_commands(app, session, action);
  add_customer_commands(app, session, action);
  add_query_commands(app, session, action);
  add_demo_command(app, session, action);

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
  try {
    return action();
  } catch (const UsageError& error) {
    environment.err << "highseas: " << error.message << "\n";
    return kExitUsage;
  } catch (const StorageError& error) {
    environment.err << "highseas: storage error: " << error.what() << "\n";
    return kExitFailure;
  } catch (const std::exception& error) {
    environment.err << "highseas: " << error.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace highseas::cli
