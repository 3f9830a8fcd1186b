// demo: runs the quarter-long simulation on a fresh SQLite file and prints
// its summary; the chart is written next to the database.
#include <array>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <system_error>

#include "commands.hpp"
#include "demo/demo.hpp"
#include "format.hpp"

namespace highseas::cli {

namespace {

namespace fs = std::filesystem;

// The demo owns files named *demo.db: it replaces them. Anything else that
// exists is refused, so a real database is never overwritten.
bool prepare_fresh_file(Session& session, const fs::path& path) {
  if (!fs::exists(path)) return true;
  const std::string name = path.filename().string();
  const std::string suffix = "demo.db";
  if (name.size() < suffix.size() ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    session.err() << "highseas: demo writes a new database, and " << path.string()
                  << " exists; pick another --db (a name ending in demo.db is replaced)\n";
    return false;
  }
  for (const char* extra : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(fs::path(path.string() + extra));
  }
  return true;
}

// Writes `text` to `path`. Returns why it could not, or nothing when it did.
std::optional<std::string> write_file(const fs::path& path, const std::string& text) {
  if (fs::is_directory(path)) return "it is a directory";
  errno = 0;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) {
    file << text;
    file.close();
  }
  if (file) return std::nullopt;
  const int error = errno;
  return error != 0 ? std::generic_category().message(error) : "the write failed";
}

// Where to look next, as commands that run as printed from where the demo ran:
// `program` is how the caller reaches highseas (scripts/demo passes
// build/release/apps/highseas/highseas). Reads may look at the pool "as of"
// the demo's last day; writes always use the real clock.
std::string look_around(const std::string& program, const fs::path& db,
                        const demo::DemoResult& result, const std::string& available) {
  const std::string base = program + " --db " + db.string() + " --pool demo";
  const std::string story =
      result.second_chance ? result.second_chance->str() : std::string("CU00001");
  std::string text = "Look around (read-only, as the quarter ended):\n";
  const std::string as_it_ended =
      " --as boss --now " + to_iso8601(demo::demo_end(result.options.days));
  text += "  " + base + as_it_ended + " report\n";
  text += "  " + base + as_it_ended + " at-risk --within 3bd   (who was about to lose what)\n";
  text += "  " + base + " --as boss history " + story;
  text += result.second_chance ? "   (lost by one rep, won by another)\n" : "\n";
  text += "  " + base + " --as boss list --limit 5\n";
  if (available.empty()) return text;
  text += "Change it (writing commands use the real clock, not the demo's: its holdings are\n";
  text += "overdue by now, so sweep them back to the pool first):\n";
  text += "  " + base + " --as boss sweep\n";
  text += "  " + base + " --as " + result.team.front().user.str() + " claim " + available + "\n";
  return text;
}

// The quarter as numbers for scripts and spreadsheets: per rep, per import
// and per day (counts at the end of each day, and what happened that day).
nlohmann::json demo_json(const demo::DemoResult& result) {
  nlohmann::json reps = nlohmann::json::array();
  for (std::size_t r = 0; r < result.team.size(); ++r) {
    const demo::RepStats& s = result.stats[r];
    reps.push_back({{"user", result.team[r].user.str()},
                    {"skill", result.team[r].skill},
                    {"claimed", s.claimed},
                    {"assigned", s.assigned},
                    {"won", s.won},
                    {"returned", s.returned},
                    {"released", s.released},
                    {"extended", s.extended},
                    {"follow_ups", s.follow_ups},
                    {"cooldown_refusals", s.cooldown_refusals},
                    {"held_now", s.held_now}});
  }
  nlohmann::json imports = nlohmann::json::array();
  for (const demo::ImportSummary& i : result.imports) {
    imports.push_back({{"day", i.day},
                       {"rows", i.rows},
                       {"imported", i.imported},
                       {"collisions", i.collisions},
                       {"collisions_held", i.collisions_held},
                       {"repeated_in_file", i.duplicates_in_file}});
  }
  nlohmann::json days = nlohmann::json::array();
  const demo::DaySnapshot* before = nullptr;
  for (const demo::DaySnapshot& day : result.days) {
    nlohmann::json held_by_rep = nlohmann::json::object();
    for (std::size_t r = 0; r < result.team.size() && r < day.held_by_rep.size(); ++r) {
      held_by_rep[result.team[r].user.str()] = day.held_by_rep[r];
    }
    const auto that_day = [&](std::size_t demo::DaySnapshot::*total) {
      return before == nullptr ? std::size_t{0} : day.*total - before->*total;
    };
    days.push_back({{"day", day.day},
                    {"available", day.available},
                    {"held", day.held},
                    {"won_so_far", day.won},
                    {"won", that_day(&demo::DaySnapshot::won)},
                    {"returned", that_day(&demo::DaySnapshot::returned)},
                    {"released", that_day(&demo::DaySnapshot::released)},
                    {"held_by_rep", held_by_rep}});
    before = &day;
  }
  return {{"seed", result.options.seed},
          {"days", result.options.days},
          {"policy", to_json(result.policy)},
          {"second_chance", result.second_chance ? nlohmann::json(result.second_chance->str())
                                                 : nlohmann::json(nullptr)},
          {"reps", reps},
          {"imports", imports},
          {"per_day", days}};
}

// Returns a customer still in the pool when the demo ended, or "" if none.
std::string first_available(Storage& storage, int days) {
  ManualClock clock(demo::demo_end(days));
  PublicPool pool(PoolId("demo"), storage, clock);
  AvailableQuery query;
  query.limit = 1;
  auto page = pool.available(UserId("boss"), query);
  return page && !page->customers.empty() ? page->customers.front().profile.id.str() : "";
}

}  // namespace

void add_demo_command(CLI::App& app, Session& session, Action& action) {
  auto options = std::make_shared<demo::DemoOptions>();
  CLI::App* command = app.add_subcommand(
      "demo", "simulate a quarter of a foreign-trade team (default --db ./highseas-demo.db)");
  command->add_option("--seed", options->seed, "random seed (default 42)");
  command->add_option("--days", options->days, "days to simulate (default 90)")
      ->check(CLI::Range(1, 3650));
  command
      ->add_option("--customers", options->customers,
                   "customers in the first import (default 3000)")
      ->check(CLI::Range(10, 1000000));
  auto program = std::make_shared<std::string>("highseas");
  command
      ->add_option("--program", *program,
                   "how the closing hint names this program (default highseas)")
      ->group("");  // for scripts/demo, which runs it by its build path
  command->callback([&session, &action, options, program] {
    action = [&session, options, program] {
      const fs::path db =
          session.db_given ? fs::path(session.db_path) : fs::path("highseas-demo.db");
      if (!prepare_fresh_file(session, db)) return kExitFailure;
      const auto started = std::chrono::steady_clock::now();
      std::unique_ptr<Storage> storage =
          session.opener()(StorageRequest{db.string(), true, std::nullopt});
      const demo::DemoResult result = demo::run_demo(*storage, *options);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      fs::path chart = db;
      chart.replace_extension(".svg");
      if (const auto failed = write_file(chart, demo::chart_svg(result))) {
        session.err() << "highseas: demo could not write its chart to " << chart.string() << ": "
                      << *failed << " (the database " << db.string() << " is complete)\n";
        return kExitFailure;
      }
      const std::string summary = demo::summary_text(result);
      if (session.json) {
        nlohmann::json document = demo_json(result);
        document["db"] = db.string();
        document["chart"] = chart.string();
        document["seconds"] = seconds;
        return session.print_json(document);
      }
      std::array<char, 32> took{};
      std::snprintf(took.data(), took.size(), "%.1f", seconds);
      session.out() << summary << "\nDatabase: " << db.string() << "   (written in " << took.data()
                    << " s)\nChart:    " << chart.string() << "   (open it in a browser)\n\n"
                    << look_around(*program, db, result, first_available(*storage, options->days));
      return kExitOk;
    };
  });
}

}  // namespace highseas::cli
