// Controls the PostgreSQL server scripts/with-postgres started: restart it
// (pg_ctl restart -m fast/immediate, optionally with more -o options) and
// freeze it (SIGSTOP to the postmaster and its backends) for the fault suite.
// with-postgres exports what this needs: HIGHSEAS_PG_DATA, HIGHSEAS_PG_BIN,
// HIGHSEAS_PG_OPTIONS and HIGHSEAS_PG_RUN_AS. A test that uses it must run
// under its own with-postgres, never the server other tests share.
#pragma once

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace highseas::test {

class ServerControl {
 public:
  ServerControl()
      : data_(env("HIGHSEAS_PG_DATA")),
        bin_(env("HIGHSEAS_PG_BIN")),
        options_(env("HIGHSEAS_PG_OPTIONS")),
        run_as_(env("HIGHSEAS_PG_RUN_AS")) {}

  // Returns true iff with-postgres told us where the server is.
  bool available() const { return !data_.empty() && !bin_.empty() && !options_.empty(); }

  // The options the server started with (pass to restart() with more appended).
  const std::string& options() const { return options_; }

  // Restarts the server with pg_ctl (mode "fast" or "immediate") and
  // `options`, waiting at most 30 s for it to accept connections. Returns
  // true iff pg_ctl succeeded.
  bool restart(const std::string& mode, const std::string& options) const {
    return pg_ctl({"-m", mode, "-o", options, "restart"});
  }
  bool restart(const std::string& mode) const { return restart(mode, options_); }

  // Returns the postmaster's pid as its pid file says now (0 if none).
  pid_t postmaster() const {
    std::ifstream in(data_ + "/postmaster.pid");
    long pid = 0;
    in >> pid;
    return static_cast<pid_t>(pid);
  }

  // Returns the postmaster and its children (backends, background workers).
  std::vector<pid_t> server_processes() const {
    const pid_t parent = postmaster();
    std::vector<pid_t> found;
    if (parent <= 0) return found;
    found.push_back(parent);
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return found;
    while (const dirent* entry = ::readdir(proc)) {
      const long pid = std::atol(entry->d_name);
      if (pid <= 0) continue;
      std::ifstream stat(std::string("/proc/") + entry->d_name + "/stat");
      std::string line;
      std::getline(stat, line);
      // "pid (comm) state ppid ...": comm may hold spaces, so start after ')'.
      const std::size_t close = line.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream rest(line.substr(close + 1));
      std::string state;
      long ppid = 0;
      rest >> state >> ppid;
      if (ppid == parent) found.push_back(static_cast<pid_t>(pid));
    }
    ::closedir(proc);
    return found;
  }

  // Sends `signal` to the postmaster first, then to its children (a stopped
  // postmaster forks no new ones). Returns how many processes got it.
  int signal_server(int signal) const {
    int count = 0;
    for (const pid_t pid : server_processes()) count += ::kill(pid, signal) == 0 ? 1 : 0;
    return count;
  }

 private:
  static std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
  }

  // Runs pg_ctl -s -D data -w -t 30 -l log ARGS as the server's user; the log
  // goes next to with-postgres' own, not to the test's output.
  bool pg_ctl(std::vector<std::string> args) const {
    std::vector<std::string> argv;
    if (!run_as_.empty()) argv = {"runuser", "-u", run_as_, "--"};
    const std::string log = data_.substr(0, data_.rfind('/')) + "/server.log";
    for (std::string arg :
         {bin_ + "/pg_ctl", std::string("-s"), std::string("-D"), data_, std::string("-w"),
          std::string("-t"), std::string("30"), std::string("-l"), log}) {
      argv.push_back(std::move(arg));
    }
    for (std::string& arg : args) argv.push_back(std::move(arg));
    std::vector<char*> raw;
    for (std::string& arg : argv) raw.push_back(arg.data());
    raw.push_back(nullptr);
    const pid_t child = ::fork();
    if (child < 0) return false;
    if (child == 0) {
      ::execvp(raw[0], raw.data());
      ::_exit(127);
    }
    int status = 0;
    if (::waitpid(child, &status, 0) != child) return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  std::string data_;
  std::string bin_;
  std::string options_;
  std::string run_as_;
};

// Freezes the server for its lifetime: SIGSTOP now, SIGCONT when it ends,
// also when an assertion leaves the test early.
class FrozenServer {
 public:
  explicit FrozenServer(const ServerControl& server) : server_(server) {
    stopped_ = server_.signal_server(SIGSTOP);
  }
  ~FrozenServer() { thaw(); }
  FrozenServer(const FrozenServer&) = delete;
  FrozenServer& operator=(const FrozenServer&) = delete;

  // How many processes were stopped.
  int stopped() const { return stopped_; }

  // Continues the server now (idempotent).
  void thaw() {
    if (thawed_) return;
    thawed_ = true;
    server_.signal_server(SIGCONT);
  }

 private:
  const ServerControl& server_;
  int stopped_ = 0;
  bool thawed_ = false;
};

}  // namespace highseas::test
