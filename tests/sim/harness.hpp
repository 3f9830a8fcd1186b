// The deterministic simulation: a seed drives a ManualClock and a random stream
// of every command and query (by every role, by non-members, with valid and
// hostile arguments) against a PublicPool and the reference Model at once.
// Every result, refusal code and event is compared with the model's
// prediction, and the engine's state is checked against the model and against
// the pool's invariants as the steps go.
#pragma once

#include <cstdint>
#include <functional>
#include <highseas/highseas.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "highseas/events.hpp"
#include "model.hpp"

namespace highseas::sim {

// How a simulation runs; every field may come from the environment.
struct SimOptions {
  std::uint64_t seed = 1;
  std::uint64_t steps = 2000;          // commands and queries of one run
  std::uint64_t snapshot_every = 250;  // full model-vs-engine comparison period
};

// Records every event a pool emits, flattened to EventRecord.
class EventLog {
 public:
  // Connects to every signal of `events`; disconnects when destroyed.
  explicit EventLog(PoolEvents& events);
  // Returns and forgets what was recorded since the last take().
  std::vector<EventRecord> take();

 private:
  std::vector<EventRecord> events_;
  std::vector<ScopedConnection> connections_;
};

// Returns the first difference between what the engine shows through its
// queries and what the model holds, or an empty string. Also checks the
// pool's invariants on the engine's answers. `users` and `customers` are every
// id the simulation may have used. With `storage` (the pool's), also compares
// every stored record with the model's, the clocks no query shows included.
std::string compare_all(PublicPool& pool, const Model& model, Time now,
                        const std::vector<UserId>& users, const std::vector<CustomerId>& customers,
                        Storage* storage = nullptr);

// Returns a text dump of the pool's whole state as `viewer` sees it through
// queries, for "nothing changed" comparisons.
std::string dump(PublicPool& pool, const UserId& viewer, const std::vector<UserId>& users,
                 const std::vector<CustomerId>& customers);

// Runs one seeded simulation over `storage` (which must hold no pool named
// "sim"). Returns an empty string on success, else "seed S, step N (what):
// why".
// Adds the run's outcome counts ("claim while due -> ok", ...) to `tallies`
// when given.
std::string run_simulation(Storage& storage, const SimOptions& options,
                           std::map<std::string, std::uint64_t>* tallies = nullptr);

// Runs at least `total` operations as runs of HIGHSEAS_SIM_STEPS (default
// 2000) steps from consecutive seeds starting at `first_seed`, each on a fresh
// storage from `make_storage`; stops at the first failure and returns it with
// the command that replays it (empty on success). With HIGHSEAS_SIM_SEED set,
// runs that one seed for `total` steps instead. `binary` names the test
// executable in the replay hint.
std::string run_many(std::uint64_t total, std::uint64_t first_seed,
                     const std::function<std::unique_ptr<Storage>()>& make_storage,
                     const std::string& binary);

// Reads an unsigned integer from the environment, or returns `fallback`.
std::uint64_t env_or(const char* name, std::uint64_t fallback);

}  // namespace highseas::sim
