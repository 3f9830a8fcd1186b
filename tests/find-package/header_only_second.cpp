// A second translation unit with the same inline definitions: linking both
// proves header-only mode marks every definition inline.
#include <highseas/highseas.hpp>

std::string_view version_seen_by_second_unit() { return highseas::version(); }
