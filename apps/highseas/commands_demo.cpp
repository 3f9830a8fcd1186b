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
  command->callback([&session, &action, options] {
    action = [&session, options] {
      const fs::path db =
          session.db_given ? fs::path(session.db_path) : fs::path("highseas-demo.db");
      if (!prepare_fresh_file(session, db)) return kExitFailure;
      const auto started = std::chrono::steady_clock::now();
      std::unique_ptr<Storage> storage = session.opener()(StorageRequest{db.string(), true});
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
        return session.print_json({{"summary", summary},
                                   {"db", db.string()},
                                   {"chart", chart.string()},
                                   {"seconds", seconds}});
      }
      std::array<char, 32> took{};
      std::snprintf(took.data(), took.size(), "%.1f", seconds);
      session.out() << summary << "\nDatabase: " << db.string() << "   Chart: " << chart.string()
                    << "   (" << took.data()
                    << " s)\nLook around (in the demo's own time): highseas --db " << db.string()
                    << " --pool demo --now " << to_iso8601(demo::demo_end(options->days))
                    << " --as boss report\n";
      return kExitOk;
    };
  });
}

}  // namespace highseas::cli
