#include "pool_fixture.hpp"
