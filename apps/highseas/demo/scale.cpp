#include "scale.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace highseas::demo {

std::vector<double> nice_ticks(double max_value, int most, double min_step) {
  if (max_value <= 0) return {0, min_step};
  const double raw = max_value / std::max(most, 1);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * power;
  for (const double multiple : std::array<double, 3>{1, 2, 5}) {
    // A little slack: 0.2 / 0.1 must not round up to 2.0000000001.
    if (multiple * power >= raw * (1 - 1e-9)) {
      step = multiple * power;
      break;
    }
  }
  step = std::max(step, min_step);
  const auto intervals = static_cast<int>(std::ceil(max_value / step - 1e-9));
  std::vector<double> ticks;
  for (int i = 0; i <= intervals; ++i) ticks.push_back(step * i);
  return ticks;
}

double LinearScale::operator()(double value) const {
  return from + (to - from) * value / (domain_max > 0 ? domain_max : 1);
}

}  // namespace highseas::demo
