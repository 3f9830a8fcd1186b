// The demo's chart, drawn for a boss who looks at it for ten seconds: who
// turns customers into wins and who lets them run out; what happens every day;
// whether the reps are at the cap; and how big the pool is. Four panels, one
// question each, with round ticks, axis titles and the Okabe-Ito palette
// (distinguishable with the common colour-vision deficiencies).
#include <algorithm>
#include <numeric>
#include <string>

#include "demo.hpp"
#include "scale.hpp"
#include "svg.hpp"

namespace highseas::demo {

namespace {

// Okabe-Ito.
constexpr const char* kWonColour = "#009E73";       // bluish green
constexpr const char* kReturnedColour = "#D55E00";  // vermillion
constexpr const char* kReleasedColour = "#56B4E9";  // sky blue
constexpr const char* kHeldColour = "#BBBBBB";      // neutral: not decided yet
constexpr const char* kPoolColour = "#0072B2";      // blue
constexpr const char* kHoldingsColour = "#E69F00";  // orange
constexpr const char* kImportColour = "#555555";
constexpr const char* kGridColour = "#E6E6E6";
constexpr const char* kAxisColour = "#333333";

constexpr double kWidth = 1000;
constexpr double kLeft = 90;  // tick labels and the rotated axis title
constexpr double kRight = 40;
constexpr double kPlotRight = kWidth - kRight;

std::string days_text(Duration duration) { return std::to_string(duration.hours() / 24) + "d"; }

// "10 working days" or "14d".
std::string span_text(const Span& span) {
  if (span.unit() == Span::Unit::business_days)
    return std::to_string(span.days()) + " working days";
  return days_text(span.length());
}

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "-";
  return std::to_string((part * 100 + whole / 2) / whole) + "%";
}

// One rep's quarter as the bars show it.
struct RepBar {
  std::string name;
  std::size_t won = 0;
  std::size_t returned = 0;
  std::size_t released = 0;
  std::size_t held = 0;
  std::size_t taken() const { return won + returned + released + held; }
};

std::vector<RepBar> rep_bars(const DemoResult& result) {
  std::vector<RepBar> bars;
  for (std::size_t r = 0; r < result.team.size() && r < result.stats.size(); ++r) {
    const RepStats& s = result.stats[r];
    bars.push_back({result.team[r].user.str(), s.won, s.returned, s.released, s.held_now});
  }
  // Most wins first; a tie goes to the one who lost fewer, then by name.
  std::stable_sort(bars.begin(), bars.end(), [](const RepBar& a, const RepBar& b) {
    if (a.won != b.won) return a.won > b.won;
    if (a.returned != b.returned) return a.returned < b.returned;
    return a.name < b.name;
  });
  return bars;
}

void legend(SvgWriter& svg, double x, double y,
            const std::vector<std::pair<const char*, std::string>>& entries) {
  for (const auto& [colour, label] : entries) {
    svg.rect(x, y - 10, 12, 12, colour);
    svg.text(x + 17, y, label, {.size = 12});
    x += 36 + 6.6 * static_cast<double>(label.size());
  }
}

void heading(SvgWriter& svg, double y, const std::string& text) {
  svg.text(kLeft - 70, y, text, {.size = 15, .bold = true});
}

// Panel 1: per rep, horizontal stacked bars of what became of each customer taken.
double rep_panel(SvgWriter& svg, const DemoResult& result, double top) {
  const std::vector<RepBar> bars = rep_bars(result);
  heading(svg, top, "Per rep: what became of the customers they took (most wins first)");
  legend(svg, kLeft + 40, top + 24,
         {{kWonColour, "won"},
          {kReturnedColour, "lost to the deadline"},
          {kReleasedColour, "released"},
          {kHeldColour, "still held"}});
  std::size_t most = 0;
  for (const RepBar& bar : bars) most = std::max(most, bar.taken());
  const std::vector<double> ticks = nice_ticks(static_cast<double>(most), 6);
  const double left = kLeft + 40;
  const double right = kPlotRight - 120;  // room for "won 12 of 80 (15%)"
  const LinearScale x{ticks.back(), left, right};
  const double row = 26;
  const double bars_top = top + 40;
  const double bottom = bars_top + row * static_cast<double>(bars.size());
  for (const double tick : ticks) {
    svg.line(x(tick), bars_top - 4, x(tick), bottom, kGridColour);
    svg.text(x(tick), bottom + 16, std::to_string(static_cast<long>(tick)),
             {.size = 11, .anchor = "middle"});
  }
  svg.text((left + right) / 2, bottom + 34,
           "customers taken over the quarter (claimed or assigned)",
           {.size = 12, .anchor = "middle"});
  double y = bars_top;
  for (const RepBar& bar : bars) {
    svg.text(left - 8, y + 16, bar.name, {.size = 12, .anchor = "end"});
    double start = 0;
    for (const auto& [count, colour] :
         {std::pair{bar.won, kWonColour}, std::pair{bar.returned, kReturnedColour},
          std::pair{bar.released, kReleasedColour}, std::pair{bar.held, kHeldColour}}) {
      const auto value = static_cast<double>(count);
      if (count > 0) svg.rect(x(start), y + 3, x(start + value) - x(start), row - 6, colour);
      start += value;
    }
    svg.text(x(start) + 6, y + 17,
             std::to_string(bar.won) + " won of " + std::to_string(bar.taken()) + " (" +
                 percent(bar.won, bar.taken()) + ")",
             {.size = 11});
    y += row;
  }
  svg.line(left, bars_top - 4, left, bottom, kAxisColour);
  return bottom + 34;
}

// A panel over the days of the quarter: grid, ticks, axis titles and the imports.
class DayPanel {
 public:
  // `legend_space`: room between the title and the plot for the caller's legend.
  DayPanel(SvgWriter& svg, const DemoResult& result, double top, double height, double max_value,
           const std::string& title, const std::string& y_title, double legend_space = 0)
      : svg_(svg),
        ticks_(nice_ticks(max_value, 4)),
        x_{static_cast<double>(std::max(result.options.days, 1)), kLeft, kPlotRight},
        y_{ticks_.back(), top + height, top},
        top_(top),
        bottom_(top + height) {
    heading(svg_, top - 14 - legend_space, title);
    for (const double tick : ticks_) {
      svg_.line(kLeft, y_(tick), kPlotRight, y_(tick), kGridColour);
      svg_.text(kLeft - 6, y_(tick) + 4, std::to_string(static_cast<long>(tick)),
                {.size = 11, .anchor = "end"});
    }
    for (const double day : nice_ticks(result.options.days, 10)) {
      if (day > result.options.days) break;
      svg_.line(x_(day), bottom_, x_(day), bottom_ + 4, kAxisColour);
      svg_.text(x_(day), bottom_ + 16, std::to_string(static_cast<long>(day)),
                {.size = 11, .anchor = "middle"});
    }
    svg_.text((kLeft + kPlotRight) / 2, bottom_ + 31, "day of the quarter",
              {.size = 12, .anchor = "middle"});
    svg_.text(kLeft - 48, (top_ + bottom_) / 2, y_title,
              {.size = 12, .anchor = "middle", .rotate = -90});
    for (const ImportSummary& import : result.imports) {
      if (import.day == 0) continue;  // the first import is the pool itself
      svg_.line(x_(import.day), top_, x_(import.day), bottom_, kImportColour, 1, "4 3");
      svg_.text(x_(import.day) + 4, top_ + 11,
                "import +" + std::to_string(import.imported) + " customers",
                {.size = 11, .fill = kImportColour});
    }
    svg_.line(kLeft, bottom_, kPlotRight, bottom_, kAxisColour);
    svg_.line(kLeft, top_, kLeft, bottom_, kAxisColour);
  }

  double x(double day) const { return x_(day); }
  double y(double value) const { return y_(value); }
  double bottom() const { return bottom_ + 31; }

  void line(const std::vector<double>& values, const char* colour, double width = 2.5) {
    std::vector<std::pair<double, double>> points;
    for (std::size_t day = 0; day < values.size(); ++day) {
      points.emplace_back(x_(static_cast<double>(day)), y_(values[day]));
    }
    svg_.polyline(points, colour, width);
  }

 private:
  SvgWriter& svg_;
  std::vector<double> ticks_;
  LinearScale x_;
  LinearScale y_;
  double top_;
  double bottom_;
};

// Panel 2: wins and returns to the pool, per day, as side-by-side columns.
double daily_panel(SvgWriter& svg, const DemoResult& result, double top) {
  std::vector<double> wins(result.days.size());
  std::vector<double> returns(result.days.size());
  for (std::size_t d = 1; d < result.days.size(); ++d) {
    wins[d] = static_cast<double>(result.days[d].won - result.days[d - 1].won);
    returns[d] = static_cast<double>(result.days[d].returned - result.days[d - 1].returned);
  }
  const double most = std::max(*std::max_element(wins.begin(), wins.end()),
                               *std::max_element(returns.begin(), returns.end()));
  const double total_wins = std::accumulate(wins.begin(), wins.end(), 0.0);
  const double total_returns = std::accumulate(returns.begin(), returns.end(), 0.0);
  DayPanel panel(svg, result, top + 54, 150, most,
                 "Every day: customers won, and customers lost to the deadline (back to the pool)",
                 "customers per day", 24);
  legend(svg, kLeft, top + 40,
         {{kWonColour, "won (" + std::to_string(static_cast<long>(total_wins)) + " in all)"},
          {kReturnedColour, "lost to the deadline (" +
                                std::to_string(static_cast<long>(total_returns)) + " in all)"}});
  const double slot = panel.x(1) - panel.x(0);
  const double bar = std::max(slot * 0.4, 1.0);
  for (std::size_t d = 1; d < result.days.size(); ++d) {
    const double centre = panel.x(static_cast<double>(d));
    if (wins[d] > 0) {
      svg.rect(centre - bar, panel.y(wins[d]), bar, panel.y(0) - panel.y(wins[d]), kWonColour);
    }
    if (returns[d] > 0) {
      svg.rect(centre, panel.y(returns[d]), bar, panel.y(0) - panel.y(returns[d]), kReturnedColour);
    }
  }
  return panel.bottom();
}

// Panel 3: customers held by the team against the team's cap.
double holdings_panel(SvgWriter& svg, const DemoResult& result, double top) {
  const std::size_t cap = result.policy.max_holdings * result.team.size();
  std::vector<double> held;
  for (const DaySnapshot& day : result.days) held.push_back(static_cast<double>(day.held));
  const double most =
      std::max(*std::max_element(held.begin(), held.end()), static_cast<double>(cap));
  DayPanel panel(svg, result, top + 30, 130, most, "Customers held by the reps, against the cap",
                 "customers held");
  const std::string cap_text = "cap: " + std::to_string(result.team.size()) + " reps x " +
                               std::to_string(result.policy.max_holdings) + " = " +
                               std::to_string(cap);
  svg.line(kLeft, panel.y(static_cast<double>(cap)), kPlotRight, panel.y(static_cast<double>(cap)),
           kReturnedColour, 1.5, "8 4");
  svg.text(kPlotRight - 4, panel.y(static_cast<double>(cap)) - 5, cap_text,
           {.size = 11, .anchor = "end", .fill = kReturnedColour});
  panel.line(held, kHoldingsColour);
  return panel.bottom();
}

// Panel 4: the pool's size on its own axis; imports make it jump.
double pool_panel(SvgWriter& svg, const DemoResult& result, double top) {
  std::vector<double> available;
  for (const DaySnapshot& day : result.days)
    available.push_back(static_cast<double>(day.available));
  const double most = *std::max_element(available.begin(), available.end());
  DayPanel panel(svg, result, top + 30, 130, most,
                 "The pool: customers available to claim (its own scale)", "customers");
  panel.line(available, kPoolColour);
  return panel.bottom();
}

}  // namespace

std::string chart_svg(const DemoResult& result) {
  SvgWriter svg(kWidth);
  if (result.days.empty()) return svg.finish(100);
  const ClaimPolicy& policy = result.policy;
  svg.text(kLeft - 70, 32,
           "HighSeas demo: " + std::to_string(result.options.days) + " days of a sales team's " +
               "public pool (seed " + std::to_string(result.options.seed) + ")",
           {.size = 20, .bold = true});
  svg.text(kLeft - 70, 54,
           "Policy: hold " + span_text(policy.default_rule.holding_period) + " to win, at most " +
               std::to_string(policy.max_holdings) + " customers per rep, " +
               std::to_string(policy.max_extensions) + " extension of " +
               span_text(policy.extension) + ", " + days_text(policy.reclaim_cooldown) +
               " cooldown before re-taking a lost customer",
           {.size = 13, .fill = "#444"});
  double y = rep_panel(svg, result, 92);
  y = daily_panel(svg, result, y + 24);
  y = holdings_panel(svg, result, y + 24);
  y = pool_panel(svg, result, y + 24);
  return svg.finish(y + 16);
}

}  // namespace highseas::demo
