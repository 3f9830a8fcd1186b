// The demo's world: regions, the team, and generated customer lists as CSV
// text (so the demo imports through the same CSV path as a real file).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "demo.hpp"

namespace highseas::demo {

// A deterministic random source: mt19937_64 is fully specified by the
// standard, and the helpers below avoid std distributions, whose results differ
// between standard libraries.
class Dice {
 public:
  explicit Dice(std::uint64_t seed) : engine_(seed) {}
  // Returns true with probability `p`.
  bool chance(double p) { return unit() < p; }
  // Returns a number in [0, 1).
  double unit() { return static_cast<double>(engine_() >> 11U) * 0x1.0p-53; }
  // Returns an index in [0, n). REQUIRES: n > 0.
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }

 private:
  std::mt19937_64 engine_;
};

// The eight reps, from the most to the least skilled.
std::vector<Rep> demo_team();

// Writes a CSV (Chinese header, as exported by a CRM in China) of `count`
// customers with ids from `first_id`; about `repeat_share` of the rows repeat
// the name of an earlier customer in another spelling (case, spaces,
// punctuation), as real lead lists do.
std::string customer_csv(Dice& dice, std::size_t first_id, std::size_t count, double repeat_share,
                         std::vector<std::string>& names_so_far);

}  // namespace highseas::demo
