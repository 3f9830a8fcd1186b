// Random choices drawn from one seeded stream, so that a seed replays a whole
// run: the simulation and the twin both choose their steps through it.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace highseas::sim {

class RandomChoices {
 public:
  explicit RandomChoices(std::uint64_t seed) : stream_(seed) {}

  // A number in [0, n).
  std::uint64_t below(std::uint64_t n) {
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(stream_);
  }
  // True `percent` times in a hundred.
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  // One element of a non-empty `from`.
  template <class T>
  const T& pick(const std::vector<T>& from) {
    return from[below(from.size())];
  }

 private:
  std::mt19937_64 stream_;
};

}  // namespace highseas::sim
