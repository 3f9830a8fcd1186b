// How the benchmark files register their benchmarks with the main, so sizes
// can depend on the smoke flag (read at run time, not at static init).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

namespace highseas::bench {

// PublicPool on MemoryStorage (all but the sweeps), and the floor.
void register_memory_benchmarks();
// sweep() on MemoryStorage, read against the scan-style jobs.
void register_memory_sweep_benchmarks();
// The scan-style reclaim job over a plain SQLite customers table.
void register_scan_benchmarks();
// PublicPool on SqliteStorage, when HighSeas::sqlite is built.
void register_sqlite_benchmarks();
// CSV import into SqliteStorage, when HighSeas::csv and HighSeas::sqlite are built.
void register_csv_benchmarks();

// The two scan-style reclaim jobs (scan_bench.cpp): a simple one, and one
// shaped like WukongCRM 11's.
enum class ScanKind { simple, wukong };

// Returns the wall time in nanoseconds of one run of the `kind` job over
// `customers` held customers of which `due` are due, in the steady state (a
// warm-up run excluded, then the median): BM_ScanSweep's figure if it ran in
// this process, else measured here once per shape.
double scan_sweep_ns(ScanKind kind, std::int64_t customers, std::int64_t due);

// Sets counters scan_ns, x_faster_than_scan, wukong_scan_ns and
// x_faster_than_wukong_scan: each job's steady time over `sweep_ns`, the wall
// time of one of our sweeps over the same customers and the same due set.
void report_scan_ratios(benchmark::State& state, std::int64_t customers, std::int64_t due,
                        double sweep_ns);

}  // namespace highseas::bench
