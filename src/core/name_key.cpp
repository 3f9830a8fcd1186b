// Compiles the duplicate-check key into HighSeas::highseas (and with it the
// dependency on utf8proc, which stays private to the compiled library).
#include "highseas_inl/core/name_key-inl.hpp"
