// An SVG chart of the quarter: pool size, holdings and wins on top, each
// rep's holdings below. Plain SVG text, no dependency; opens in any browser.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "demo.hpp"

namespace highseas::demo {

namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 60;
constexpr double kRight = 200;  // room for the legend
constexpr double kPanelHeight = 220;

constexpr std::array<const char*, 8> kRepColours{"#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                                 "#66a61e", "#e6ab02", "#a6761d", "#666666"};

std::string number(double value) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f", value);
  return text.data();
}

// Draws one panel: axes, a line per series, and a legend.
class Panel {
 public:
  Panel(std::ostringstream& out, double top, int days, double max_value, const std::string& title)
      : out_(out), top_(top), days_(std::max(days, 1)), max_(std::max(max_value, 1.0)) {
    const double bottom = top_ + kPanelHeight;
    out_ << "<text x=\"" << kLeft << "\" y=\"" << number(top_ - 10)
         << "\" font-size=\"15\" font-weight=\"bold\">" << title << "</text>\n";
    out_ << "<line x1=\"" << kLeft << "\" y1=\"" << number(bottom) << "\" x2=\"" << kWidth - kRight
         << "\" y2=\"" << number(bottom) << "\" stroke=\"#333\"/>\n";
    out_ << "<line x1=\"" << kLeft << "\" y1=\"" << number(top_) << "\" x2=\"" << kLeft
         << "\" y2=\"" << number(bottom) << "\" stroke=\"#333\"/>\n";
    for (int tick = 0; tick <= 4; ++tick) {
      const double value = max_ * tick / 4;
      out_ << "<text x=\"" << kLeft - 6 << "\" y=\"" << number(y(value) + 4)
           << "\" font-size=\"11\" text-anchor=\"end\">" << std::lround(value) << "</text>\n";
    }
    for (int day = 0; day <= days_; day += 10) {
      out_ << "<text x=\"" << number(x(day)) << "\" y=\"" << number(bottom + 15)
           << "\" font-size=\"11\" text-anchor=\"middle\">" << day << "</text>\n";
    }
  }

  void series(const std::vector<double>& values, const std::string& colour,
              const std::string& label, double width) {
    out_ << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"" << width
         << "\" points=\"";
    for (std::size_t day = 0; day < values.size(); ++day) {
      out_ << number(x(static_cast<double>(day))) << "," << number(y(values[day])) << " ";
    }
    out_ << "\"/>\n";
    const double legend_y = top_ + 14.0 * static_cast<double>(legend_++);
    out_ << "<line x1=\"" << kWidth - kRight + 15 << "\" y1=\"" << number(legend_y) << "\" x2=\""
         << kWidth - kRight + 35 << "\" y2=\"" << number(legend_y) << "\" stroke=\"" << colour
         << "\" stroke-width=\"3\"/>\n";
    out_ << "<text x=\"" << kWidth - kRight + 40 << "\" y=\"" << number(legend_y + 4)
         << "\" font-size=\"12\">" << label << "</text>\n";
  }

 private:
  double x(double day) const { return kLeft + (kWidth - kLeft - kRight) * day / days_; }
  double y(double value) const { return top_ + kPanelHeight * (1 - value / max_); }

  std::ostringstream& out_;
  double top_;
  int days_;
  double max_;
  int legend_ = 0;
};

}  // namespace

std::string chart_svg(const DemoResult& result) {
  std::ostringstream out;
  const double height = 2 * kPanelHeight + 140;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << height
      << "\" font-family=\"sans-serif\">\n";
  out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";

  std::vector<double> available;
  std::vector<double> held;
  std::vector<double> won;
  std::vector<std::vector<double>> per_rep(result.team.size());
  double top_max = 0;
  double rep_max = 0;
  for (const DaySnapshot& day : result.days) {
    available.push_back(static_cast<double>(day.available));
    held.push_back(static_cast<double>(day.held));
    won.push_back(static_cast<double>(day.won));
    top_max = std::max({top_max, available.back(), held.back(), won.back()});
    for (std::size_t r = 0; r < per_rep.size() && r < day.held_by_rep.size(); ++r) {
      per_rep[r].push_back(static_cast<double>(day.held_by_rep[r]));
      rep_max = std::max(rep_max, per_rep[r].back());
    }
  }
  rep_max = std::max(rep_max, static_cast<double>(result.policy.max_holdings));
  const int days = result.options.days;

  Panel pool(out, 40, days, top_max, "Pool size over the quarter (customers; x: day)");
  pool.series(available, "#1f77b4", "available in pool", 2.5);
  pool.series(held, "#ff7f0e", "held by reps", 2.5);
  pool.series(won, "#2ca02c", "won (left the pool)", 2.5);

  Panel reps(out, 40 + kPanelHeight + 70, days, rep_max,
             "Holdings per rep (cap " + std::to_string(result.policy.max_holdings) + ")");
  for (std::size_t r = 0; r < per_rep.size(); ++r) {
    reps.series(per_rep[r], kRepColours[r % 8], result.team[r].user.str(), 1.5);
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace highseas::demo
