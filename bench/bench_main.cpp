// The HighSeas benchmark suite. Sizes shrink under HIGHSEAS_BENCH_SMOKE=1.
#include <benchmark/benchmark.h>

#include "registry.hpp"

int main(int argc, char** argv) {
  using namespace highseas::bench;
  // Memory first: its 1M-customer import must be the first big allocation,
  // so the resident-bytes counter is not blurred by freed SQLite pages.
  register_memory_benchmarks();
  // The scan-style jobs before every sweep, so the sweeps' ratios read the
  // jobs' own steady figures instead of measuring them again.
  register_scan_benchmarks();
  register_memory_sweep_benchmarks();
  register_sqlite_benchmarks();
  register_csv_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
