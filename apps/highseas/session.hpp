// Session: the state one CLI invocation shares between its global options and
// the subcommand it runs (storage, clock, pool, actor, output mode).
#pragma once

#include <highseas/highseas.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli.hpp"

namespace highseas::cli {

// A usage error found after parsing (e.g. --as missing): printed with usage.
struct UsageError {
  std::string message;
};

class Session {
 public:
  explicit Session(const Environment& environment) : environment_(environment) {}

  // Global options, filled by the argument parser.
  std::string db_path = "./highseas.db";
  bool db_given = false;  // --db was on the command line
  std::string pool_id = "default";
  std::string actor_name;
  bool json = false;
  // --utc: show times in UTC instead of the pool's time zone.
  bool utc = false;
  // --now / HIGHSEAS_NOW: look at the pool as of this time. Read-only commands
  // only: run() refuses it for a command that writes.
  std::string now_text;
  // --wait / HIGHSEAS_WAIT: seconds a command waits for another's write. 0: unset.
  double wait_seconds = 0;

  // Returns the output stream.
  std::ostream& out() const { return environment_.out; }
  // Returns the error stream.
  std::ostream& err() const { return environment_.err; }
  // Returns true iff imports should draw a progress bar.
  bool progress_bar() const { return environment_.progress_bar && !json; }
  // Returns the storage opener.
  const StorageOpener& opener() const { return environment_.open_storage; }
  // Returns the acting user; throws UsageError when --as was not given.
  UserId actor() const;
  // Returns the pool, opening the database on first use.
  PublicPool& pool();
  // Returns the clock commands read: the environment's (the system clock),
  // or for a read-only command given --now, that fixed time.
  const Clock& clock();

  // Prints a refusal in one line (and as JSON with --json); returns kExitRefused.
  int refused(const Refusal& refusal) const;
  // Prints `document` with --json; returns kExitOk.
  int print_json(const nlohmann::json& document) const;

 private:
  const Environment& environment_;
  std::unique_ptr<Clock> own_clock_;  // the system clock or the --now time
  const Clock* clock_ = nullptr;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<PublicPool> pool_;
};

}  // namespace highseas::cli
