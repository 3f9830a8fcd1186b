// The `highseas` executable: the CLI over a SQLite file.
#include <unistd.h>

#include <algorithm>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <iostream>

#include "cli.hpp"

int main(int argc, char** argv) {
  using namespace highseas;
  const cli::Environment environment{
      .out = std::cout,
      .err = std::cerr,
      .open_storage = [](const cli::StorageRequest& request) -> std::unique_ptr<Storage> {
        SqliteOptions options;
        options.path = request.path;
        // The demo runs thousands of commands: it trades power-loss safety
        // of its throwaway file for speed. Real use keeps full sync.
        if (request.fast_commits) options.synchronous = SqliteSynchronous::normal;
        if (request.wait) {
          // --wait bounds the whole command, every retry included.
          options.command_timeout = *request.wait;
          options.busy_timeout = std::min(options.busy_timeout, *request.wait);
        }
        return std::make_unique<SqliteStorage>(options);
      },
      .progress_bar = isatty(STDERR_FILENO) == 1,
  };
  return cli::run(std::vector<std::string>(argv + 1, argv + argc), environment);
}
