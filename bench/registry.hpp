// How the benchmark files register their benchmarks with the main, so sizes
// can depend on the smoke flag (read at run time, not at static init).
#pragma once

#include <cstdint>

namespace highseas::bench {

// PublicPool on MemoryStorage, and the floor.
void register_memory_benchmarks();
// The scan-style reclaim job over a plain SQLite customers table.
void register_scan_benchmarks();
// PublicPool on SqliteStorage, when HighSeas::sqlite is built.
void register_sqlite_benchmarks();
// CSV import into SqliteStorage, when HighSeas::csv and HighSeas::sqlite are built.
void register_csv_benchmarks();

// Returns the time in nanoseconds of one scan-style reclaim run over
// `customers` held customers of which `due` are due; measured once per shape,
// lazily, in this process. 0 if SQLite is unavailable.
double scan_sweep_ns(std::int64_t customers, std::int64_t due);

}  // namespace highseas::bench
