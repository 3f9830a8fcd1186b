// Stand-ins for benchmark groups whose libraries are not built in this tree
// (each is compiled only when its real file is not).
#include "registry.hpp"

namespace highseas::bench {

#ifndef HIGHSEAS_BENCH_HAVE_SQLITE
void register_sqlite_benchmarks() {}
#endif
#ifndef HIGHSEAS_BENCH_HAVE_CSV
void register_csv_benchmarks() {}
#endif

}  // namespace highseas::bench
