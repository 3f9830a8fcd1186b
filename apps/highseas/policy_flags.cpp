#include "policy_flags.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "format.hpp"
#include "session.hpp"

namespace highseas::cli {

void PolicyFlags::add_to(CLI::App* command) {
  command->add_option("--holding-period", holding_period,
                      "how long a holding lasts, e.g. 30d (自动回归期限)");
  command->add_option("--idle", idle,
                      "a holding also ends after this long without a follow-up, e.g. 7d; "
                      "'none' for no idle limit");
  command->add_option("--remind", remind,
                      "reminders before a holding returns, how long before:to whom (holder, "
                      "admins = holder + admins, boss = holder + admins + bosses), e.g. "
                      "7d:holder,3d:admins,1d:boss or 2bd:holder; 'none' for none");
  command->add_option("--levels", levels,
                      "rules of the levels that have their own, period/idle each, with "
                      "reminders after @, e.g. A=60d/14d@7d:holder;3d:admins,B=30d/10d; "
                      "'none' for none");
  command->add_option("--protect", protect,
                      "protection: most protected holdings per user x longest, e.g. 3x30d; "
                      "'off' to turn it off");
  command->add_option("--cap", cap, "most customers one user may hold (最大领取数)");
  command->add_option("--extension", extension,
                      "length of one extension, counted on from the holding period's end, e.g. "
                      "15d or 5bd (working days)");
  command->add_option("--max-extensions", max_extensions, "most extensions per holding");
  command->add_option("--cooldown", cooldown,
                      "how long a previous holder may not re-take a customer, e.g. 7d (after a "
                      "return; after a release too unless --release-cooldown says otherwise)");
  command->add_option("--release-cooldown", release_cooldown,
                      "how long a rep who released a customer may not re-take it, e.g. 2d");
  command->add_option("--daily-limit", daily_limit,
                      "most customers one user may take per local day (每日领取上限): a number, "
                      "LEVEL=N for a level's own, 'assigned' if assignments count, e.g. "
                      "3,A=1,assigned; 'none' for no limit");
  command->add_option("--time-zone", time_zone,
                      "the IANA time zone the team counts its days in, e.g. Asia/Shanghai "
                      "(default UTC)");
  command
      ->add_option("--unknown-years", unknown_years,
                   "business days counted into a year the work calendar does not know: "
                   "refuse (default; import the year first) or weekends_only (count that "
                   "year's weekends only)")
      ->check(CLI::IsMember({"refuse", "weekends_only"}));
}

bool PolicyFlags::any() const {
  return !holding_period.empty() || !idle.empty() || !remind.empty() || !levels.empty() ||
         !protect.empty() || !extension.empty() || !cooldown.empty() || !release_cooldown.empty() ||
         !daily_limit.empty() || !time_zone.empty() || !unknown_years.empty() || cap ||
         max_extensions;
}

PolicyPatch PolicyFlags::patch() const {
  auto duration = [](const std::string& text, const char* name, std::optional<Duration>& into) {
    if (text.empty()) return;
    const auto parsed = parse_duration(text);
    if (!parsed) throw UsageError{std::string(name) + " must look like 30d, 12h or 45m"};
    into = *parsed;
  };
  auto span = [](const std::string& text, const char* name) {
    const auto parsed = parse_span(text);
    if (!parsed) throw UsageError{std::string(name) + " must look like 30d, 12h, 45m or 10bd"};
    return *parsed;
  };
  PolicyPatch patch;
  if (!holding_period.empty()) patch.holding_period = span(holding_period, "--holding-period");
  if (idle == "none") {
    patch.idle_limit = std::optional<Span>();
  } else if (!idle.empty()) {
    patch.idle_limit = std::optional<Span>(span(idle, "--idle"));
  }
  if (remind == "none") {
    patch.reminders = std::vector<Reminder>();
  } else if (!remind.empty()) {
    // Commas on the command line, where a semicolon would end the command.
    std::string text = remind;
    std::replace(text.begin(), text.end(), ',', ';');
    const auto parsed = parse_reminders(text);
    if (!parsed || parsed->empty()) {
      throw UsageError{
          "--remind must look like 7d:holder,3d:admins,1d:boss (how long before:to whom; "
          "holder, admins or boss)"};
    }
    patch.reminders = *parsed;
  }
  if (levels == "none") {
    patch.levels = std::vector<LevelRule>();
  } else if (!levels.empty()) {
    const auto parsed = parse_level_rules(levels);
    if (!parsed) {
      throw UsageError{
          "--levels must look like A=60d/14d,B=30d (level=period/idle, comma "
          "between levels)"};
    }
    patch.levels = *parsed;
  }
  if (protect == "off") {
    patch.protection = ProtectionRule{};
  } else if (!protect.empty()) {
    const std::size_t x = protect.find('x');
    std::uint32_t most = 0;
    const char* end = protect.data() + (x == std::string::npos ? 0 : x);
    const auto [stop, error] = std::from_chars(protect.data(), end, most);
    const auto longest =
        x == std::string::npos ? std::nullopt : parse_span(std::string_view(protect).substr(x + 1));
    if (x == std::string::npos || error != std::errc() || stop != end || !longest) {
      throw UsageError{"--protect must look like 3x30d (most per user x longest), or off"};
    }
    patch.protection = ProtectionRule{most, *longest};
  }
  if (!extension.empty()) patch.extension = span(extension, "--extension");
  duration(cooldown, "--cooldown", patch.reclaim_cooldown);
  patch.release_cooldown = patch.reclaim_cooldown;
  duration(release_cooldown, "--release-cooldown", patch.release_cooldown);
  if (daily_limit == "none") {
    patch.daily_limit = DailyLimit{};
  } else if (!daily_limit.empty()) {
    patch.daily_limit = parse_daily_limit(daily_limit);
    if (!patch.daily_limit || !patch.daily_limit->any()) {
      throw UsageError{
          "--daily-limit must look like 3 or 3,A=1,assigned (a number, LEVEL=N, 'assigned'), "
          "or none"};
    }
  }
  if (!time_zone.empty()) patch.time_zone = time_zone;  // validate() names a wrong one
  if (!unknown_years.empty()) patch.unknown_years = unknown_years_from_string(unknown_years);
  patch.max_holdings = cap;
  patch.max_extensions = max_extensions;
  return patch;
}

void RunningFlag::add_to(CLI::App* command) {
  command
      ->add_option("--running", running,
                   "what the change does to running holdings: keep their deadlines "
                   "(default), recompute them, or never_shorten (recompute, never earlier)")
      ->check(CLI::IsMember({"keep", "recompute", "never_shorten"}));
}

RunningHoldings RunningFlag::value() const {
  return running_holdings_from_string(running).value_or(RunningHoldings::keep);
}

}  // namespace highseas::cli
