// The reference model's own versions of the rules the engine validates with:
// the role table, UTF-8 and field validation, policy bounds and the name key.
// Written again, plainly and slowly, from DESIGN.md and the public headers'
// documentation, never calling the engine's code, so the simulation compares
// two implementations of each rule instead of one with itself.
#pragma once

#include <date/tz.h>

#include <cstddef>
#include <highseas/highseas.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace highseas::sim::reference {

// The role table of DESIGN.md ("Three roles, per pool"), cell by cell.
bool permits(Role role, Action action);

// The code points of `text` if it is well-formed UTF-8 (RFC 3629, table 3-7 of
// the Unicode standard: no overlong forms, no surrogates, nothing above
// U+10FFFF), else nothing.
std::optional<std::u32string> decode_utf8(std::string_view text);

// A single-line text field: 1..max bytes (0..max when it may be empty) of
// UTF-8 without C0 control characters or DEL.
bool valid_text(std::string_view text, std::size_t max, bool may_be_empty);

// An id: 1..128 bytes of UTF-8 without control characters (ids.hpp).
bool valid_id(std::string_view text);

// A follow-up note: at most 4000 bytes of UTF-8; tab and line feed allowed,
// other C0 controls and DEL not.
bool valid_note(std::string_view note);

// ClaimPolicy's documented bounds: every return rule's holding period and idle
// limit, the longest protection and the extension above zero, in whole seconds
// and at most 3653 days (a business-day span: 1..2600 business days), both
// cooldowns (after a return, after a release) from zero to 3653 days, level
// names of 1..16 bytes without spaces or "=,/" and each at most once, counts
// at most 1 000 000. Each rule's reminders (return_rules.hpp): at most 8, each
// a valid span, no two with the same span, each shorter than the rule's
// holding period when both are read as days (a business day as one). The
// daily limit (daily_limit.hpp): its overall count and each level's at most
// 1 000 000, each level named as a level rule is and given at most once (a
// level may have both a rule and a limit).
bool valid_policy(const ClaimPolicy& policy);

// True iff some rule of `policy` counts business days (its holding period or
// idle limit, a level's, or the longest protection).
bool counts_business_days(const ClaimPolicy& policy);

// True iff the system's tz database knows the zone `name` (date/tz itself).
bool known_zone(const std::string& name);

// A pool's work calendar as the model keeps it, from work_calendar.hpp's
// documentation: the weekdays off (date::weekday's C encoding, 0 Sunday ..
// 6 Saturday), dated days off and dated make-up working days (an entry wins
// over the weekday), and the years whose entries are complete.
struct DaysOff {
  std::set<unsigned> weekend{0, 6};
  std::set<date::local_days> off;
  std::set<date::local_days> worked;
  std::set<int> years;

  bool works(date::local_days day) const;
  friend bool operator==(const DaysOff&, const DaysOff&) = default;
};

// Where a span ended, and the first year a business-day count passed through
// that the calendar does not know (counted by its weekend only).
struct Counted {
  Time end;
  std::optional<int> unknown_year;
};

// Where `span` from `start` ends in a pool counting in the IANA zone `zone`
// with `calendar` (team_calendar.hpp's convention): a whole number of days N
// at the first instant of the (N+1)-th local date after the local date of the
// instant just before `start` (local midnight; where it is skipped, the
// instant the clocks jump); N business days at the first instant of the local
// date after the N-th date after that date the calendar works; anything else
// exactly `length` later. Written on date/tz directly, not on TeamCalendar.
Counted count_span(const std::string& zone, const DaysOff& calendar, Time start, const Span& span);

// The first instant from which `span`, counted by count_span, reaches `end`:
// when a reminder `span` before a deadline at `end` has come (at most `span`
// is left, counted in the pool's days). Found from count_span itself, never
// counted backwards: exactly `length` before `end` for a span of time that is
// no whole number of days, else just after the local midnight that starts the
// earliest date whose count reaches `end`.
Time first_start_reaching(const std::string& zone, const DaysOff& calendar, Time end,
                          const Span& span);

// The local date in the IANA zone `zone` at the instant `at` (the pool's
// day: where a daily limit counts takes).
date::local_days local_date(const std::string& zone, Time at);

// The first instant of local date `day` in `zone`: its midnight, or where the
// clocks skip midnight, the instant they jump (count_span's convention).
Time day_begins(const std::string& zone, date::local_days day);

// count_span's end with no work calendar: Saturday and Sunday off.
Time span_end(const std::string& zone, Time start, const Span& span);

// True iff `policy` refuses years its calendar does not know (UnknownYears)
// and one of its business-day spans (a rule's period or idle limit, the
// longest protection, whether protection is on or not), counted from `now` in
// its zone with `calendar`, passes through such a year.
bool runs_past_calendar(const ClaimPolicy& policy, const DaysOff& calendar, Time now);

// name_key.hpp's key, from its documentation: NFKC with case folding (utf8proc
// itself: Unicode's tables are not something to write twice), then every code
// point of category Z*, P*, S*, Cc or Cf dropped, checked by category name.
// Empty for text that is not valid UTF-8.
std::string name_key(std::string_view name);

}  // namespace highseas::sim::reference
