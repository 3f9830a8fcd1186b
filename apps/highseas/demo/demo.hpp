// The quarter-long demo: a foreign-trade team works a public pool for 90 days
// on a ManualClock. Seeded and deterministic: the same seed gives the same
// story, the same summary and the same chart, on any Storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <highseas/highseas.hpp>
#include <optional>
#include <string>
#include <vector>

namespace highseas::demo {

struct DemoOptions {
  // Seeds every random choice. Default: 42.
  std::uint64_t seed = 42;
  // Length of the simulation. Default: 90 days (a quarter).
  int days = 90;
  // Customers in the first import. Default: 3000.
  std::size_t customers = 3000;
};

// A rep and how they work.
struct Rep {
  UserId user;
  double skill = 0.5;                  // chance a promising follow-up turns into a win
  double diligence = 0.5;              // chance of following up a holding on a given day
  int appetite = 2;                    // customers claimed per working day
  std::vector<std::string> countries;  // the market they prospect
};

// What one rep did over the quarter.
struct RepStats {
  std::size_t claimed = 0;
  std::size_t assigned = 0;
  std::size_t won = 0;
  std::size_t returned = 0;  // lost to the deadline (the sweep)
  std::size_t released = 0;
  std::size_t extended = 0;
  std::size_t follow_ups = 0;
  std::size_t cooldown_refusals = 0;  // tried to re-take a customer they lost
  std::size_t held_now = 0;
};

// The pool at the end of one day.
struct DaySnapshot {
  int day = 0;
  std::size_t available = 0;
  std::size_t held = 0;
  std::size_t won = 0;                   // since day 0, like returned and released
  std::size_t returned = 0;              // lost to the deadline by the nightly sweep
  std::size_t released = 0;              // given back by the holder
  std::vector<std::size_t> held_by_rep;  // in team order
};

// An import and what it reported.
struct ImportSummary {
  int day = 0;
  std::size_t rows = 0;
  std::size_t imported = 0;
  std::size_t collisions = 0;          // 撞单 with known customers
  std::size_t collisions_held = 0;     // ... of which held by a rep
  std::size_t duplicates_in_file = 0;  // same name twice in one batch, or other row problems
};

struct DemoResult {
  DemoOptions options;
  ClaimPolicy policy;
  std::vector<Rep> team;
  std::vector<RepStats> stats;  // in team order
  std::vector<ImportSummary> imports;
  std::vector<DaySnapshot> days;  // day 0 (after the first import) .. options.days
  // The first customer lost to the deadline by one rep and won by another:
  // the point of a public pool, and a history worth reading.
  std::optional<CustomerId> second_chance;
  // Reminders before the deadline: how many were sent, how many returns
  // came after at least one (the fairness measure: all of them), and how
  // many warned holdings were won after all.
  std::size_t reminders_sent = 0;
  std::size_t returns_warned = 0;
  std::size_t wins_after_warning = 0;
};

// Returns the simulated time at which a demo of `days` days ends.
Time demo_end(int days);

// Runs the simulation on `storage`, which must hold no pool named "demo".
// Throws StorageError if the storage breaks.
DemoResult run_demo(Storage& storage, const DemoOptions& options);

// Returns the readable summary: per rep, and the pool over time.
std::string summary_text(const DemoResult& result);

// Returns an SVG chart that tells the quarter at a glance: per rep, what
// became of the customers they took (won, lost to the deadline, released,
// still held); wins and returns per day; holdings against the cap; and the
// pool's size, with the imports marked.
std::string chart_svg(const DemoResult& result);

}  // namespace highseas::demo
