// Compiles the daily limit's text form and tally into HighSeas::highseas.
#include "highseas_inl/core/daily_limit-inl.hpp"
