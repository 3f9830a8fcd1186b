/// @file
/// Work calendars from files: the holiday-cn JSON files and a plain line format.
///
/// HighSeas::calendar (needs nlohmann-json) reads the files a host keeps its
/// public holidays in, so that a pool's WorkCalendar comes from data rather
/// than code:
///
///   * holiday-cn JSON, one file per year, as published by the
///     NateScarlet/holiday-cn project from the State Council's notices:
///     `{"year": 2025, "papers": [...], "days": [{"name": "春节",
///     "date": "2025-01-28", "isOffDay": true}, ...]}`. `isOffDay: false`
///     marks a make-up working day (调休). A file completes its `year`; its
///     days may fall outside it (a New Year holiday that begins on 30
///     December sits in the next year's file).
///   * Lines, for other countries: `YYYY-MM-DD off|work [name]`, with `#`
///     comments and blank lines; `year YYYY` says the file completes that
///     year. Without a `year` line a file completes the years its dates fall in.
///
/// Every refusal names the file (and the line or entry) and changes nothing.
///
/// Thread-safety: free functions over values.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/result.hpp"
#include "highseas/work_calendar.hpp"

namespace highseas::calendar {

/// Reads one holiday-cn JSON document; `source` names it in refusals.
/// Refusals: invalid_argument for text that is not such a document (not JSON,
/// no integer `year`, a `days` entry without a valid `date` or a boolean
/// `isOffDay`, a name that is not a string) or whose entries conflict.
Result<WorkCalendar> read_holiday_cn_json(std::string_view text, const std::string& source);

/// Reads the line format; `source` names it in refusals. Refusals:
/// invalid_argument for a line that is not `YYYY-MM-DD off|work [name]`,
/// `year YYYY`, a comment or blank, or entries that conflict.
Result<WorkCalendar> read_day_lines(std::string_view text, const std::string& source);

/// Reads every file (".json": holiday-cn, anything else: lines) and merges
/// them into one calendar with the default weekend, all or nothing.
/// Refusals: invalid_argument for no file, a file that cannot be read, a file
/// either reader refuses, or two files that disagree about a date.
Result<WorkCalendar> read_calendar_files(const std::vector<std::filesystem::path>& files);

}  // namespace highseas::calendar
