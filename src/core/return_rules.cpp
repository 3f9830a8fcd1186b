// Compiles the return rules' text form into HighSeas::highseas.
#include "highseas_inl/core/return_rules-inl.hpp"
