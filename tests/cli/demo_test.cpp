// The demo is deterministic (same seed, same summary and chart) and its
// tallies, taken from events, agree with what the pool's queries say.
#include "demo/demo.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <highseas/highseas.hpp>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "cli.hpp"
#include "demo/scale.hpp"
#include "demo/svg.hpp"
#include "highseas/testing/forwarding_storage.hpp"

namespace highseas::demo {
namespace {

DemoOptions short_quarter(std::uint64_t seed) {
  DemoOptions options;
  options.seed = seed;
  options.days = 35;  // crosses one mid-quarter import and several deadlines
  options.customers = 600;
  return options;
}

TEST(DemoTest, SameSeedGivesTheSameSummaryAndChart) {
  MemoryStorage first_storage;
  MemoryStorage second_storage;
  const DemoResult first = run_demo(first_storage, short_quarter(7));
  const DemoResult second = run_demo(second_storage, short_quarter(7));
  EXPECT_EQ(summary_text(first), summary_text(second));
  EXPECT_EQ(chart_svg(first), chart_svg(second));

  MemoryStorage other_storage;
  const DemoResult other = run_demo(other_storage, short_quarter(8));
  EXPECT_NE(summary_text(first), summary_text(other));
}

TEST(DemoTest, TalliesAgreeWithThePoolAndTheStoryHappens) {
  MemoryStorage storage;
  const DemoResult result = run_demo(storage, short_quarter(3));
  ASSERT_EQ(result.days.size(), 36U);
  const DaySnapshot& last = result.days.back();
  EXPECT_EQ(std::accumulate(last.held_by_rep.begin(), last.held_by_rep.end(), std::size_t{0}),
            last.held);

  ManualClock clock(demo_end(35));
  PublicPool pool(PoolId("demo"), storage, clock);
  const UserId boss("boss");
  std::size_t available = 0;
  AvailableQuery query;
  query.limit = PublicPool::kMaxPage;
  for (;;) {
    auto page = pool.available(boss, query);
    ASSERT_TRUE(page.ok());
    available += page->customers.size();
    if (!page->next) break;
    query.after = page->next;
  }
  EXPECT_EQ(available, last.available);
  for (std::size_t r = 0; r < result.team.size(); ++r) {
    EXPECT_EQ(pool.holdings(boss, result.team[r].user)->size(), result.stats[r].held_now);
    EXPECT_LE(result.stats[r].held_now, result.policy.max_holdings);
  }
  std::size_t won = 0;
  std::size_t returned = 0;
  std::size_t cooldowns = 0;
  for (const RepStats& stats : result.stats) {
    won += stats.won;
    returned += stats.returned;
    cooldowns += stats.cooldown_refusals;
  }
  EXPECT_EQ(won, last.won);
  EXPECT_GT(won, 0U);
  EXPECT_GT(returned, 0U);   // some reps lose customers to the deadline
  EXPECT_GT(cooldowns, 0U);  // ... and the cooldown stops them re-taking them
  // Fair: every customer lost to the deadline was warned first, and some
  // warned reps still won theirs.
  EXPECT_GT(result.reminders_sent, returned);
  EXPECT_EQ(result.returns_warned, returned);
  EXPECT_GT(result.wins_after_warning, 0U);
  // The most skilled rep wins more than the least skilled one.
  EXPECT_GT(result.stats.front().won, result.stats.back().won);
  ASSERT_EQ(result.imports.size(), 2U);
  EXPECT_GT(result.imports[1].collisions, 0U);  // the day-30 list repeats known names (撞单)
}

TEST(DemoTest, SummaryShowsEachRepsShareOfWinsLikeTheChart) {
  MemoryStorage storage;
  const DemoResult result = run_demo(storage, short_quarter(3));
  const std::string summary = summary_text(result);
  const std::string chart = chart_svg(result);
  EXPECT_NE(summary.find("held now    won %"), std::string::npos) << summary;
  for (std::size_t r = 0; r < result.team.size(); ++r) {
    const RepStats& s = result.stats[r];
    const std::size_t taken = s.claimed + s.assigned;
    ASSERT_GT(taken, 0U);
    const std::string share = std::to_string((s.won * 100 + taken / 2) / taken) + "%";
    const std::size_t row = summary.find("  " + result.team[r].user.str() + " ");
    ASSERT_NE(row, std::string::npos) << summary;
    const std::string line = summary.substr(row, summary.find('\n', row) - row);
    EXPECT_TRUE(line.ends_with(" " + share)) << line;
    EXPECT_NE(
        chart.find(std::to_string(s.won) + " won of " + std::to_string(taken) + " (" + share + ")"),
        std::string::npos)
        << result.team[r].user;
  }
}

TEST(ChartScaleTest, TicksAreRoundAndCoverTheMaximum) {
  EXPECT_EQ(nice_ticks(3054, 5), (std::vector<double>{0, 1000, 2000, 3000, 4000}));
  EXPECT_EQ(nice_ticks(25, 5), (std::vector<double>{0, 5, 10, 15, 20, 25}));
  EXPECT_EQ(nice_ticks(7, 5), (std::vector<double>{0, 2, 4, 6, 8}));
  EXPECT_EQ(nice_ticks(90, 10), (std::vector<double>{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}));
  EXPECT_EQ(nice_ticks(3, 5), (std::vector<double>{0, 1, 2, 3}));  // counts: no 0.5 steps
  EXPECT_EQ(nice_ticks(0, 5), (std::vector<double>{0, 1}));
  EXPECT_EQ(nice_ticks(0.3, 3, 0.01), (std::vector<double>{0, 0.1, 0.2, 0.30000000000000004}));
}

TEST(ChartScaleTest, EveryStepIsOneTwoOrFiveTimesAPowerOfTen) {
  for (double max = 1; max < 2e6; max = max * 1.37 + 1) {
    for (const int most : {3, 4, 5, 8}) {
      const std::vector<double> ticks = nice_ticks(max, most);
      ASSERT_GE(ticks.size(), 2U);
      const double step = ticks[1];
      const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
      EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                  std::abs(mantissa - 5) < 1e-9)
          << "max " << max << " step " << step;
      EXPECT_GE(ticks.back(), max) << "max " << max;
      EXPECT_LT(ticks.back() - step, max) << "max " << max;  // no empty tick on top
      EXPECT_LE(static_cast<int>(ticks.size()) - 1, most) << "max " << max;
    }
  }
}

TEST(ChartSvgTest, TextIsEscapedForXml) {
  EXPECT_EQ(xml_escape("R&D <\"sales\">"), "R&amp;D &lt;&quot;sales&quot;&gt;");
  SvgWriter svg(10);
  svg.text(1, 2, "a<b");
  const std::string document = svg.finish(20);
  EXPECT_NE(document.find(">a&lt;b</text>"), std::string::npos) << document;
}

// Returns the text of every <text> element, in document order. A scan, not
// std::regex: GCC 12 warns falsely (maybe-uninitialized, inside <regex>) at
// -O1 with the sanitizers, and CI builds with warnings as errors.
std::vector<std::string> texts_of(const std::string& svg) {
  std::vector<std::string> texts;
  for (std::size_t at = svg.find("<text"); at != std::string::npos;
       at = svg.find("<text", at + 1)) {
    const std::size_t opened = svg.find('>', at);
    if (opened == std::string::npos) break;
    const std::size_t next_tag = svg.find('<', opened + 1);
    if (next_tag == std::string::npos) break;
    if (svg.compare(next_tag, 7, "</text>") == 0) {
      texts.push_back(svg.substr(opened + 1, next_tag - opened - 1));
    }
  }
  return texts;
}

bool has_text(const std::vector<std::string>& texts, const std::string& wanted) {
  return std::find(texts.begin(), texts.end(), wanted) != texts.end();
}

TEST(ChartSvgTest, TellsTheStoryWithTitlesACapLineImportsAndRoundTicks) {
  MemoryStorage storage;
  const DemoResult result = run_demo(storage, short_quarter(3));
  const std::string svg = chart_svg(result);
  const std::vector<std::string> texts = texts_of(svg);
  ASSERT_FALSE(texts.empty());
  EXPECT_NE(texts[0].find("seed 3"), std::string::npos) << texts[0];
  EXPECT_NE(texts[1].find("hold 10 working days"), std::string::npos) << texts[1];
  EXPECT_NE(texts[1].find("at most 25"), std::string::npos) << texts[1];
  EXPECT_TRUE(has_text(texts, "day of the quarter"));
  EXPECT_TRUE(has_text(texts, "customers per day"));
  EXPECT_TRUE(has_text(texts, "cap: 8 reps x 25 = 200"));
  EXPECT_TRUE(
      has_text(texts, "import +" + std::to_string(result.imports[1].imported) + " customers"));
  EXPECT_TRUE(has_text(texts, "lost to the deadline"));
  // Okabe-Ito: won, lost to the deadline, released, the pool.
  for (const char* colour : {"#009E73", "#D55E00", "#56B4E9", "#0072B2"}) {
    EXPECT_NE(svg.find(colour), std::string::npos) << colour;
  }
  // The pool's axis has round ticks up to the first one above the largest pool.
  std::size_t largest = 0;
  for (const DaySnapshot& day : result.days) largest = std::max(largest, day.available);
  for (const double tick : nice_ticks(static_cast<double>(largest), 4)) {
    EXPECT_TRUE(has_text(texts, std::to_string(static_cast<long>(tick)))) << tick;
  }
  for (const char* day : {"0", "10", "20", "30"}) EXPECT_TRUE(has_text(texts, day)) << day;
}

TEST(ChartSvgTest, RepsAreSortedByWins) {
  MemoryStorage storage;
  const DemoResult result = run_demo(storage, short_quarter(5));
  const std::string svg = chart_svg(result);
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (position in the SVG, wins)
  for (std::size_t r = 0; r < result.team.size(); ++r) {
    const std::size_t at = svg.find(">" + result.team[r].user.str() + "</text>");
    ASSERT_NE(at, std::string::npos) << result.team[r].user;
    order.emplace_back(at, result.stats[r].won);
  }
  std::sort(order.begin(), order.end());
  for (std::size_t i = 1; i < order.size(); ++i) {
    EXPECT_GE(order[i - 1].second, order[i].second)
        << "bar " << i << " has more wins than the one above";
  }
}

// rsvg-convert (librsvg2-bin, installed by scripts/install-deps) must turn the
// chart into a PNG: a malformed SVG fails here, not in the boss's browser.
TEST(ChartSvgTest, RendersWithRsvgConvert) {
  const bool ci = std::getenv("CI") != nullptr && std::string(std::getenv("CI")) == "true";
  if (std::system("command -v rsvg-convert >/dev/null 2>&1") != 0) {
    if (ci) FAIL() << "rsvg-convert is missing; scripts/install-deps installs librsvg2-bin";
    GTEST_SKIP() << "rsvg-convert is missing; run scripts/install-deps";
  }
  MemoryStorage storage;
  const DemoResult result = run_demo(storage, short_quarter(3));
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("highseas-chart-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path svg = dir / "chart.svg";
  const std::filesystem::path png = dir / "chart.png";
  std::ofstream(svg) << chart_svg(result);
  const std::string command = "rsvg-convert -o '" + png.string() + "' '" + svg.string() + "' 2>'" +
                              (dir / "err.txt").string() + "'";
  const int status = std::system(command.c_str());
  std::ifstream err(dir / "err.txt");
  const std::string errors((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  EXPECT_EQ(status, 0) << errors;
  EXPECT_TRUE(errors.empty()) << errors;
  std::ifstream image(png, std::ios::binary);
  std::string signature(8, '\0');
  image.read(signature.data(), 8);
  EXPECT_EQ(signature, "\x89PNG\r\n\x1a\n");
  EXPECT_GT(std::filesystem::file_size(png), 10000U);  // a real picture, not an empty canvas
  std::filesystem::remove_all(dir);
}

// Runs `highseas demo` in-process on a MemoryStorage (the file named by --db
// is never opened); the chart still goes next to --db.
struct DemoRun {
  int status = 0;
  std::string out;
  std::string err;
};

// Lends one storage to every command without giving away ownership, as a
// database file outlives them.
using LentStorage = testing::ForwardingStorage;

DemoRun run_demo_command(std::vector<std::string> args, Storage* shared = nullptr) {
  std::ostringstream out;
  std::ostringstream err;
  const cli::Environment environment{
      .out = out,
      .err = err,
      .open_storage = [shared](const cli::StorageRequest&) -> std::unique_ptr<Storage> {
        if (shared != nullptr) return std::make_unique<LentStorage>(*shared);
        return std::make_unique<MemoryStorage>();
      }};
  const int status = cli::run(args, environment);
  return {status, out.str(), err.str()};
}

std::filesystem::path scratch_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("highseas-demo-test-" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(DemoCommandTest, AChartThatCannotBeWrittenFailsWithExitThreeAndSaysWhy) {
  const std::filesystem::path dir = scratch_dir("chart-is-a-directory");
  std::filesystem::create_directories(dir / "team-demo.svg");  // where the chart would go
  const DemoRun run = run_demo_command(
      {"demo", "--days", "3", "--customers", "40", "--db", (dir / "team-demo.db").string()});
  EXPECT_EQ(run.status, cli::kExitFailure) << run.out << run.err;
  EXPECT_NE(run.err.find("could not write its chart to " + (dir / "team-demo.svg").string() +
                         ": it is a directory"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.out.find("Chart:"), std::string::npos) << run.out;

  const std::filesystem::path missing = dir / "no-such-dir" / "team-demo.db";
  const DemoRun nowhere =
      run_demo_command({"demo", "--days", "3", "--customers", "40", "--db", missing.string()});
  EXPECT_EQ(nowhere.status, cli::kExitFailure) << nowhere.out << nowhere.err;
  EXPECT_NE(nowhere.err.find("No such file or directory"), std::string::npos) << nowhere.err;
  std::filesystem::remove_all(dir);
}

// The closing hint's commands run as printed (from where the demo ran, with the
// program path scripts/demo passes), and the writing ones need no --now.
TEST(DemoCommandTest, TheClosingHintsCommandsRunAsPrinted) {
  const std::filesystem::path dir = scratch_dir("hint");
  const std::string program = "build/release/apps/highseas/highseas";
  const std::string db = (dir / "highseas-demo.db").string();
  MemoryStorage storage;
  const DemoRun run = run_demo_command(
      {"demo", "--days", "20", "--customers", "200", "--db", db, "--program", program}, &storage);
  ASSERT_EQ(run.status, cli::kExitOk) << run.err;
  EXPECT_NE(run.out.find("Database: " + db), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Chart:    " + (dir / "highseas-demo.svg").string()), std::string::npos)
      << run.out;
  std::vector<std::vector<std::string>> commands;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  " + program + " ", 0) != 0) continue;
    std::istringstream words(line.substr(2 + program.size()));
    std::vector<std::string> args;
    for (std::string word; words >> word && word.front() != '(';) args.push_back(word);
    commands.push_back(args);
  }
  ASSERT_EQ(commands.size(), 6U) << run.out;
  for (const std::vector<std::string>& args : commands) {
    const bool writes = args.back() == "sweep" || args[args.size() - 2] == "claim";
    if (writes) {
      EXPECT_EQ(std::find(args.begin(), args.end(), "--now"), args.end())
          << "writing commands use the real clock: " << run.out;
    }
    EXPECT_EQ(args[1], db);
    const DemoRun ran = run_demo_command(args, &storage);
    EXPECT_EQ(ran.status, cli::kExitOk) << ran.out << ran.err;
  }
  std::filesystem::remove_all(dir);
}

TEST(DemoCommandTest, JsonGivesNumbersPerRepAndPerDay) {
  const std::filesystem::path dir = scratch_dir("json");
  const DemoRun run = run_demo_command({"demo", "--days", "20", "--customers", "200", "--db",
                                        (dir / "x-demo.db").string(), "--json"});
  ASSERT_EQ(run.status, cli::kExitOk) << run.err;
  const nlohmann::json document = nlohmann::json::parse(run.out);
  EXPECT_FALSE(document.contains("summary")) << "numbers, not one string of text";
  EXPECT_EQ(document["seed"], 42);
  EXPECT_EQ(document["policy"]["max_holdings"], 25);
  ASSERT_EQ(document["reps"].size(), 8U);
  ASSERT_EQ(document["per_day"].size(), 21U);
  std::size_t won_by_reps = 0;
  for (const nlohmann::json& rep : document["reps"]) {
    ASSERT_TRUE(rep["won"].is_number_unsigned()) << rep;
    won_by_reps += rep["won"].get<std::size_t>();
  }
  std::size_t won_per_day = 0;
  std::size_t returned_per_day = 0;
  for (const nlohmann::json& day : document["per_day"]) {
    won_per_day += day["won"].get<std::size_t>();
    returned_per_day += day["returned"].get<std::size_t>();
    std::size_t held = 0;
    for (const auto& [user, count] : day["held_by_rep"].items()) held += count.get<std::size_t>();
    EXPECT_EQ(held, day["held"].get<std::size_t>()) << day;
  }
  EXPECT_GT(won_by_reps, 0U);
  EXPECT_EQ(won_per_day, won_by_reps);
  EXPECT_EQ(document["per_day"].back()["won_so_far"].get<std::size_t>(), won_by_reps);
  std::size_t returned_by_reps = 0;
  for (const nlohmann::json& rep : document["reps"])
    returned_by_reps += rep["returned"].get<std::size_t>();
  EXPECT_EQ(returned_per_day, returned_by_reps);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace highseas::demo
