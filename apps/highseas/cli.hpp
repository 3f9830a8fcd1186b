// The `highseas` command-line host: every PublicPool command and query as a
// subcommand, plus `demo`. Kept apart from main() so tests drive it in-process
// with any Storage.
#pragma once

#include <chrono>
#include <functional>
#include <highseas/clock.hpp>
#include <highseas/storage.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace highseas::cli {

// How the CLI reaches a database file.
struct StorageRequest {
  std::string path;
  bool fast_commits = false;  // the demo: survive a process crash, not power loss
  // --wait: how long a command waits, in all, for another process's write
  // (say a strict import) before it fails. Default: the storage's own limit.
  std::optional<std::chrono::milliseconds> wait = std::nullopt;
};

// Opens the Storage behind --db. Throws StorageError when it cannot.
using StorageOpener = std::function<std::unique_ptr<Storage>(const StorageRequest&)>;

// Where the CLI writes, and how it opens storage.
struct Environment {
  std::ostream& out;
  std::ostream& err;
  StorageOpener open_storage;
  // The clock every command reads, writing ones included. Default (nullptr):
  // the system clock. Tests and simulations inject a ManualClock here; no
  // option or environment variable can replace it, because history and
  // deadlines must not run backwards. (--now / HIGHSEAS_NOW only set the time
  // read-only commands look at the pool as of.)
  const Clock* clock = nullptr;
  // Draw a progress bar on `err` during imports (main: stderr is a terminal).
  bool progress_bar = false;
  // Shown in usage; "highseas".
  std::string program = "highseas";
};

// Runs one command line (args exclude the program name). Returns the exit
// status: 0 done, 1 refused by the pool, 2 bad arguments (usage printed),
// 3 storage or file error (among them: the pool was busy importing and the
// command gave up waiting, which it says).
int run(const std::vector<std::string>& args, const Environment& environment);

// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitFailure = 3;

}  // namespace highseas::cli
