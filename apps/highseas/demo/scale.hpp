// Axis arithmetic for the demo's chart: round tick values (steps of 1, 2 or 5
// times a power of ten, so a reader sees 0, 1000, 2000, 3000 and not 764,
// 1527, 2291) and the linear map from values to pixels.
#pragma once

#include <vector>

namespace highseas::demo {

// Returns the ticks 0, step, 2 step, ... up to the first one at or above
// `max_value`, with the smallest 1-2-5 step that needs at most `most`
// intervals. The chart counts customers and days, so the step is never below
// `min_step`. A `max_value` of 0 or less gives {0, min_step}.
// REQUIRES: most >= 1, min_step > 0.
std::vector<double> nice_ticks(double max_value, int most = 5, double min_step = 1);

// Maps [0, domain_max] onto [from, to] pixels; `to` may be below `from` (a
// y axis grows upwards).
struct LinearScale {
  double domain_max = 1;
  double from = 0;
  double to = 1;

  double operator()(double value) const;
};

}  // namespace highseas::demo
