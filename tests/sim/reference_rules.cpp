// The reference model's rules, written without the engine's code (see
// reference_rules.hpp). Plain and slow on purpose: each is meant to be checked
// by reading it against its source.
#include "reference_rules.hpp"

#include <date/tz.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <vector>

namespace highseas::sim::reference {

bool permits(Role role, Action action) {
  const bool boss = role == Role::boss;
  const bool admin = role == Role::pool_admin;
  switch (action) {
    case Action::switch_pool:         // turn the pool feature on / off
    case Action::set_holding_period:  // set the holding period
    case Action::set_max_holdings:    // set the per-user cap
    case Action::manage_members:      // add, change or remove pool members
      return boss;
    case Action::assign:              // assign a pool customer to a rep
    case Action::extend:              // extend a holding
    case Action::release_any:         // release any holding
    case Action::import_customers:    // import customers into the pool
    case Action::move_into_pool:      // make a system customer a pool customer
    case Action::move_out_of_pool:    // make a pool customer a regular customer
    case Action::record_win_any:      // record a win on any holding
    case Action::protect_any:         // protect anyone's holding
    case Action::exceed_daily_limit:  // take beyond the daily limit
      return boss || admin;
    case Action::claim:           // claim a pool customer for oneself
    case Action::release_own:     // release one's own holding
    case Action::follow_up:       // log a follow-up on a customer one holds
    case Action::record_win_own:  // record a win on one's own holding
    case Action::view:            // view the pool
    case Action::protect_own:     // protect one's own holding
      return true;
  }
  return false;
}

std::optional<std::u32string> decode_utf8(std::string_view text) {
  std::u32string out;
  std::size_t i = 0;
  auto byte = [&](std::size_t at) {
    return static_cast<unsigned>(static_cast<unsigned char>(text[at]));
  };
  // Whether byte `at` exists and lies in [low, high].
  auto in = [&](std::size_t at, unsigned low, unsigned high) {
    return at < text.size() && byte(at) >= low && byte(at) <= high;
  };
  while (i < text.size()) {
    const unsigned lead = byte(i);
    if (lead <= 0x7F) {
      out.push_back(lead);
      i += 1;
    } else if (lead >= 0xC2 && lead <= 0xDF && in(i + 1, 0x80, 0xBF)) {
      out.push_back(((lead & 0x1FU) << 6U) | (byte(i + 1) & 0x3FU));
      i += 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      // E0: A0..BF (no overlong forms); ED: 80..9F (no surrogates).
      const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;
      const unsigned high = lead == 0xED ? 0x9F : 0xBF;
      if (!in(i + 1, low, high) || !in(i + 2, 0x80, 0xBF)) return std::nullopt;
      out.push_back(((lead & 0x0FU) << 12U) | ((byte(i + 1) & 0x3FU) << 6U) |
                    (byte(i + 2) & 0x3FU));
      i += 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      // F0: 90..BF (no overlong forms); F4: 80..8F (nothing above U+10FFFF).
      const unsigned low = lead == 0xF0 ? 0x90 : 0x80;
      const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;
      if (!in(i + 1, low, high) || !in(i + 2, 0x80, 0xBF) || !in(i + 3, 0x80, 0xBF)) {
        return std::nullopt;
      }
      out.push_back(((lead & 0x07U) << 18U) | ((byte(i + 1) & 0x3FU) << 12U) |
                    ((byte(i + 2) & 0x3FU) << 6U) | (byte(i + 3) & 0x3FU));
      i += 4;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

namespace {

bool is_c0_or_del(char32_t c) { return c < 0x20 || c == 0x7F; }

}  // namespace

bool valid_text(std::string_view text, std::size_t max, bool may_be_empty) {
  if (text.empty()) return may_be_empty;
  if (text.size() > max) return false;
  const auto decoded = decode_utf8(text);
  return decoded && std::none_of(decoded->begin(), decoded->end(), is_c0_or_del);
}

bool valid_id(std::string_view text) { return valid_text(text, 128, false); }

bool valid_note(std::string_view note) {
  if (note.size() > 4000) return false;
  const auto decoded = decode_utf8(note);
  return decoded && std::none_of(decoded->begin(), decoded->end(), [](char32_t c) {
           return c != U'\t' && c != U'\n' && is_c0_or_del(c);
         });
}

bool valid_policy(const ClaimPolicy& policy) {
  const Duration zero = seconds(0);
  const Duration ten_years = days(3653);
  auto within = [&](const Duration& span, bool zero_allowed) {
    if (span.is_special()) return false;
    return (zero_allowed ? span >= zero : span > zero) && span <= ten_years;
  };
  // Calendar time in whole seconds above zero and at most ten years, or
  // 1..2600 business days.
  auto good_span = [&](const Span& span) {
    if (span.unit() == Span::Unit::business_days) return span.days() >= 1 && span.days() <= 2600;
    return within(span.length(), false) && span.length().fractional_seconds() == 0;
  };
  // A span read as days, to compare spans of both units: a business day as one day.
  auto as_days = [](const Span& span) {
    return span.unit() == Span::Unit::business_days ? days(span.days()) : span.length();
  };
  auto good_reminders = [&](const ReturnRule& rule) {
    if (rule.reminders.size() > 8) return false;
    std::vector<Span> spans;
    for (const Reminder& reminder : rule.reminders) {
      if (!good_span(reminder.before) || !(as_days(reminder.before) < as_days(rule.holding_period)))
        return false;
      if (std::find(spans.begin(), spans.end(), reminder.before) != spans.end()) return false;
      spans.push_back(reminder.before);
    }
    return true;
  };
  auto good_rule = [&](const ReturnRule& rule) {
    return good_span(rule.holding_period) && (!rule.idle_limit || good_span(*rule.idle_limit)) &&
           good_reminders(rule);
  };
  // A level name is written as text ("A=60d/14d,B=30d"): 1..16 bytes, no
  // spaces, control bytes, DEL or separators.
  auto good_level = [](const std::string& level) {
    if (level.empty() || level.size() > 16) return false;
    return std::none_of(level.begin(), level.end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return byte <= 0x20 || byte == 0x7f || c == '=' || c == ',' || c == '/';
    });
  };
  std::set<std::string> levels_seen;
  for (const LevelRule& level : policy.levels) {
    if (!good_level(level.level) || !levels_seen.insert(level.level).second) return false;
    if (!good_rule(level.rule)) return false;
  }
  // The daily limit's levels are a list of their own: named as level rules
  // are, each once (a level may also have a rule).
  const DailyLimit& daily = policy.daily_limit;
  if (daily.per_day && *daily.per_day > 1'000'000) return false;
  std::set<std::string> limited_seen;
  for (const LevelLimit& level : daily.levels) {
    if (!good_level(level.level) || !limited_seen.insert(level.level).second) return false;
    if (level.per_day > 1'000'000) return false;
  }
  return known_zone(policy.time_zone) && good_rule(policy.default_rule) &&
         policy.protection.max_per_user <= 1'000'000 && good_span(policy.protection.longest) &&
         good_span(policy.extension) && within(policy.reclaim_cooldown, true) &&
         within(policy.release_cooldown, true) && policy.max_holdings <= 1'000'000 &&
         policy.max_extensions <= 1'000'000;
}

bool counts_business_days(const ClaimPolicy& policy) {
  auto business = [](const Span& span) { return span.unit() == Span::Unit::business_days; };
  auto rule_counts = [&](const ReturnRule& rule) {
    return business(rule.holding_period) || (rule.idle_limit && business(*rule.idle_limit));
  };
  return rule_counts(policy.default_rule) || business(policy.protection.longest) ||
         business(policy.extension) ||
         std::any_of(policy.levels.begin(), policy.levels.end(),
                     [&](const LevelRule& level) { return rule_counts(level.rule); });
}

bool known_zone(const std::string& name) {
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::runtime_error&) {
    return false;
  }
}

bool DaysOff::works(date::local_days day) const {
  if (off.contains(day)) return false;
  if (worked.contains(day)) return true;
  return !weekend.contains(date::weekday(day).c_encoding());
}

Counted count_span(const std::string& zone, const DaysOff& calendar, Time start, const Span& span) {
  using Microseconds = std::chrono::sys_time<std::chrono::microseconds>;
  const Time epoch(boost::gregorian::date(1970, 1, 1));
  const date::time_zone* tz = date::locate_zone(zone);
  const Microseconds just_before{
      std::chrono::microseconds((start - epoch).total_microseconds() - 1)};
  const auto day_zero = date::floor<date::days>(tz->to_local(just_before));
  Counted out;
  date::local_days end_day;
  if (span.unit() == Span::Unit::business_days) {
    if (span.days() == 0) return {start, std::nullopt};
    date::local_days day = day_zero;
    for (std::uint32_t worked = 0; worked < span.days();) {
      day += date::days(1);
      const int year = static_cast<int>(date::year_month_day(day).year());
      if (!out.unknown_year && !calendar.years.contains(year)) out.unknown_year = year;
      if (calendar.works(day)) ++worked;
    }
    end_day = day + date::days(1);
  } else {
    const Duration length = span.length();
    const std::int64_t whole_seconds = length.total_seconds();
    if (length.fractional_seconds() != 0 || whole_seconds <= 0 || whole_seconds % 86400 != 0) {
      return {start + length, std::nullopt};
    }
    end_day = day_zero + date::days(whole_seconds / 86400 + 1);
  }
  const auto end =
      date::zoned_time<std::chrono::microseconds>(
          tz, date::local_time<std::chrono::microseconds>(end_day), date::choose::earliest)
          .get_sys_time();
  out.end = epoch + boost::posix_time::microseconds(end.time_since_epoch().count());
  return out;
}

Time first_start_reaching(const std::string& zone, const DaysOff& calendar, Time end,
                          const Span& span) {
  const bool whole_days =
      span.unit() == Span::Unit::business_days ||
      (span.length().fractional_seconds() == 0 && span.length().total_seconds() > 0 &&
       span.length().total_seconds() % 86400 == 0);
  if (!whole_days) return end - span.length();  // count_span adds it exactly
  using Microseconds = std::chrono::sys_time<std::chrono::microseconds>;
  const Time epoch(boost::gregorian::date(1970, 1, 1));
  const date::time_zone* tz = date::locate_zone(zone);
  // count_span counts from the local date of the instant just before its
  // start, so every start in (the beginning of day d, the beginning of day
  // d + 1] counts from d, and the first of them is just after d begins.
  auto first_of = [&](date::local_days day) {
    const auto begins =
        date::zoned_time<std::chrono::microseconds>(
            tz, date::local_time<std::chrono::microseconds>(day), date::choose::earliest)
            .get_sys_time();
    return epoch + boost::posix_time::microseconds(begins.time_since_epoch().count() + 1);
  };
  auto reaches = [&](date::local_days day) {
    return !(count_span(zone, calendar, first_of(day), span).end < end);
  };
  // From the date `end` falls on, a count of a day or more ends after it. A
  // later day never ends earlier, so the earliest day that reaches `end` is
  // found by halving, from a day far enough back (two days a day counted and
  // three weeks of holidays; further back if even that reaches it).
  const Microseconds at{std::chrono::microseconds((end - epoch).total_microseconds())};
  date::local_days reached = date::floor<date::days>(tz->to_local(at));
  const std::int64_t counted = span.unit() == Span::Unit::business_days
                                   ? span.days()
                                   : span.length().total_seconds() / 86400;
  const date::days back{2 * counted + 21};
  date::local_days short_of = reached - back;
  while (reaches(short_of)) {
    reached = short_of;
    short_of -= back;
  }
  while (reached - short_of > date::days(1)) {
    const date::local_days middle = short_of + (reached - short_of) / 2;
    if (reaches(middle)) {
      reached = middle;
    } else {
      short_of = middle;
    }
  }
  return first_of(reached);
}

date::local_days local_date(const std::string& zone, Time at) {
  using Microseconds = std::chrono::sys_time<std::chrono::microseconds>;
  const Time epoch(boost::gregorian::date(1970, 1, 1));
  const Microseconds instant{std::chrono::microseconds((at - epoch).total_microseconds())};
  return date::floor<date::days>(date::locate_zone(zone)->to_local(instant));
}

Time day_begins(const std::string& zone, date::local_days day) {
  const Time epoch(boost::gregorian::date(1970, 1, 1));
  // A local time the clocks skip maps to the instant they jump, with either choice.
  const auto begins = date::zoned_time<std::chrono::microseconds>(
                          date::locate_zone(zone), date::local_time<std::chrono::microseconds>(day),
                          date::choose::earliest)
                          .get_sys_time();
  return epoch + boost::posix_time::microseconds(begins.time_since_epoch().count());
}

Time span_end(const std::string& zone, Time start, const Span& span) {
  return count_span(zone, DaysOff{}, start, span).end;
}

bool runs_past_calendar(const ClaimPolicy& policy, const DaysOff& calendar, Time now) {
  if (policy.unknown_years == UnknownYears::weekends_only) return false;
  std::vector<Span> spans{policy.default_rule.holding_period, policy.protection.longest,
                          policy.extension};
  if (policy.default_rule.idle_limit) spans.push_back(*policy.default_rule.idle_limit);
  for (const LevelRule& level : policy.levels) {
    spans.push_back(level.rule.holding_period);
    if (level.rule.idle_limit) spans.push_back(*level.rule.idle_limit);
  }
  return std::any_of(spans.begin(), spans.end(), [&](const Span& span) {
    return span.unit() == Span::Unit::business_days &&
           count_span(policy.time_zone, calendar, now, span).unknown_year.has_value();
  });
}

std::string name_key(std::string_view name) {
  if (!decode_utf8(name)) return {};
  // NFKC with case folding, the whole string at once with utf8proc's simplest
  // call (the engine decomposes into its own buffer, with an ASCII shortcut).
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(name.data()),
                   static_cast<utf8proc_ssize_t>(name.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                                  UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
  if (length < 0) return {};
  const std::string folded(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
  std::free(mapped);
  // Then drop separators, punctuation, symbols, controls and format characters,
  // by the two-letter category names of the Unicode standard.
  std::string key;
  std::size_t at = 0;
  const std::optional<std::u32string> code_points = decode_utf8(folded);
  for (const char32_t c : *code_points) {
    const std::string category = utf8proc_category_string(static_cast<utf8proc_int32_t>(c));
    const std::size_t bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    const bool dropped = category[0] == 'Z' || category[0] == 'P' || category[0] == 'S' ||
                         category == "Cc" || category == "Cf";
    if (!dropped) key += folded.substr(at, bytes);
    at += bytes;
  }
  return key;
}

}  // namespace highseas::sim::reference
