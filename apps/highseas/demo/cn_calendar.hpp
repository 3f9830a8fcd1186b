// The Chinese public holidays and make-up working days of 2026, as the
// holiday-cn JSON shipped in examples/calendars/cn: the demo team's calendar.
#pragma once

#include <string_view>

namespace highseas::demo {

// Returns examples/calendars/cn/2026.json as it was at build time.
std::string_view chinese_calendar_2026_json();

}  // namespace highseas::demo
